package fsm

import "github.com/tcpnote/tcpnote/grammar"

// The trace clock turns each line's timestamp into a time in µs. tcpdump
// prints several kinds (grammar.TimeKind); each is read its own way:
//
//   - a time of day (the default HH:MM:SS) wraps at midnight: a step back
//     of more than 12 hours is read as the next day, said once per wrap
//     (trace.new_day), and a step forward of more than 12 hours after a
//     wrap as a late line of the day before. One exception keeps edited
//     traces readable: a step back right after a step forward of more than
//     12 hours, to within 12 hours after the time before it, undoes that
//     step (one line was out of place) and is no new day;
//   - deltas (-ttt) add up from the line before;
//   - epochs (-tt) and dates (-tttt) are absolute.
//
// Beside the trace time, which may go back (lines out of order, edited
// traces), the clock keeps the table's time, which never does: it is the
// highest trace time seen, carried across a change of kind (traces of
// different renders concatenated) without a jump. Connections and tombs
// leave the table by the table's time, so each of its orders is an order
// of time whatever the lines say.

const (
	dayUs     = 86_400_000_000
	halfDayUs = dayUs / 2
	// maxClockUs bounds every time the clock returns, so that sums and
	// differences of two times cannot overflow int64 (2^61 µs is 73,000
	// years), however many deltas or wraps a trace adds up.
	maxClockUs = 1 << 61
)

// deltaEpochUs is where the clock of a -ttt trace (delta times) starts.
const deltaEpochUs = 1 << 40

// traceClock is the clock of one trace.
type traceClock struct {
	lastUs   int64 // trace time of the last timed packet
	haveLast bool
	lastKind grammar.TimeKind
	dayUs    int64 // days added to times of day, for midnight wraps
	jumped   bool  // the last line went forward more than 12 hours …
	jumpFrom int64 // … from this time

	tableUs   int64 // the table's time: never goes back
	tableOff  int64 // added to trace times of tableKind to give table time
	tableKind grammar.TimeKind
}

// read returns a packet's trace time in µs and whether it has one; newDay
// is set when the time of day wrapped past midnight at this packet.
func (k *traceClock) read(p *grammar.Packet) (now int64, timed, newDay bool) {
	switch p.TimeKind {
	case grammar.ClockTime:
		now = clamp(k.dayUs + p.Micros)
		jumped := k.jumped // the line before jumped ahead
		k.jumped = false
		if k.haveLast && k.lastKind == grammar.ClockTime {
			switch {
			case now < k.lastUs-halfDayUs:
				back := jumped && now >= k.jumpFrom && now-k.jumpFrom < halfDayUs
				if !back && k.dayUs < maxClockUs-2*dayUs {
					k.dayUs += dayUs
					now, newDay = clamp(now+dayUs), true
				}
			case now > k.lastUs+halfDayUs && k.dayUs >= dayUs:
				now -= dayUs // a late line of the day before
			case now > k.lastUs+halfDayUs:
				k.jumped, k.jumpFrom = true, k.lastUs
			}
		}
		return now, true, newDay
	case grammar.EpochTime, grammar.DateTime:
		return clamp(p.Micros), true, false
	case grammar.DeltaTime:
		base := k.lastUs
		if !k.haveLast {
			// 0 means "not yet" throughout: start the clock elsewhere
			base = deltaEpochUs
		}
		return clamp(base + clamp(p.Micros)), true, false
	}
	return 0, false, false
}

// advance records the trace time of a timed packet and moves the table's
// time forward to it, if it is later.
func (k *traceClock) advance(now int64, kind grammar.TimeKind) {
	if !k.haveLast || kind != k.tableKind {
		// a new kind of time: go on from the table's time
		k.tableOff, k.tableKind = k.tableUs-now, kind
	}
	k.lastUs, k.haveLast, k.lastKind = now, true, kind
	if at := clamp(now + k.tableOff); at > k.tableUs {
		k.tableUs = at
	}
}

// clamp keeps a time within ±maxClockUs.
func clamp(us int64) int64 {
	switch {
	case us > maxClockUs:
		return maxClockUs
	case us < -maxClockUs:
		return -maxClockUs
	}
	return us
}
