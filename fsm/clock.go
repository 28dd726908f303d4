package fsm

import "github.com/tcpnote/tcpnote/grammar"

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
		rc.started, rc.now, rc.base, rc.prev = true, deltaEpochUs+v, deltaEpochUs, v
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
		rc.now = rc.base + v
	} else {
		rc.now += v
	}
	return rc.now, decided, rc.decided && rc.offsets
}
