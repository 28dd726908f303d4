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
//   - deltas (-ttt) add up from the line before, and offsets from the
//     first packet (-ttttt), which print alike, are told from them by
//     the trace's first lines (relClock);
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

	rel relClock // -ttt deltas or -ttttt offsets, which print alike
	// reading is set by read when the packet decided how -ttt/-ttttt
	// times read (trace.time_reading); rel.offsets says which.
	reading bool

	tableUs   int64 // the table's time: never goes back
	tableOff  int64 // added to trace times of tableKind to give table time
	tableKind grammar.TimeKind
}

// read returns a packet's trace time in µs and whether it has one; newDay
// is set when the time of day wrapped past midnight at this packet.
func (k *traceClock) read(p *grammar.Packet) (now int64, timed, newDay bool) {
	k.reading = false
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
	case grammar.DeltaTime, grammar.OffsetTime:
		// the clock starts at deltaEpochUs: 0 means "not yet" throughout
		now, k.reading, _ = k.rel.read(p)
		return now, true, false
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

// relClock reads the two timestamp forms that print alike: -ttt's delta
// since the previous packet and -ttttt's offset since the first
// (` 00:00:00.000019`). The line cannot tell them apart, so the trace's
// first lines decide:
//
//   - offsets never decrease, so the first value below the one before it
//     proves deltas;
//   - deltas rarely grow packet after packet, so offsetsAfter values in a
//     row that never decrease, one of them above the one before, are
//     taken for offsets.
//
// These are the Scanner's rules (grammar/timeform.go), which reads ahead
// and marks -ttttt's lines OffsetTime from the first; the tracker applies
// them itself only to packets that come without that decision. The
// reading is noted (trace.time_reading) on the first packet, and again on
// a packet that changes it.
type relClock struct {
	decided bool
	offsets bool
	run     int   // values in a row, since the first, that did not decrease
	grew    bool  // one of them was above the one before
	prev    int64 // the previous value as printed
	started bool
	now     int64 // the trace clock, µs
	base    int64 // the clock at the first packet, for the offset reading
}

// offsetsAfter is how many non-decreasing values, after the first, make
// -ttttt offsets of a trace: the Scanner's rule.
const offsetsAfter = grammar.OffsetsAfter

// read returns the packet's time on the trace clock, and whether this
// packet decided the reading (then offsets says which).
func (rc *relClock) read(p *grammar.Packet) (now int64, decided, offsets bool) {
	v := p.Micros
	if !rc.started {
		// The Scanner has decided (grammar/timeform.go) when it marks
		// OffsetTime; DeltaTime is its decision too, or no decision.
		rc.started, rc.now, rc.base, rc.prev = true, clamp(deltaEpochUs+v), deltaEpochUs, v
		if p.TimeKind == grammar.OffsetTime {
			rc.decided, rc.offsets = true, true
		}
		return rc.now, true, rc.offsets
	}
	if !rc.decided && p.TimeKind == grammar.OffsetTime {
		rc.decided, rc.offsets, decided = true, true, true
	}
	if !rc.decided {
		switch {
		case v < rc.prev:
			rc.decided = true // deltas, as read so far: nothing to note
		default:
			rc.run++
			rc.grew = rc.grew || v > rc.prev
			if rc.run >= offsetsAfter && rc.grew {
				rc.decided, rc.offsets, decided = true, true, true
			}
		}
	}
	last := rc.prev
	rc.prev = v
	if rc.decided && rc.offsets {
		if decided {
			// the values read as deltas so far put the clock ahead of
			// the offset: go on from here, so it never goes back
			rc.base = rc.now - last
		}
		rc.now = clamp(rc.base + v)
	} else {
		rc.now = clamp(rc.now + clamp(v))
	}
	return rc.now, decided, rc.decided && rc.offsets
}
