package grammar

import "bytes"

// -ttt (delta since the previous packet) and -ttttt (offset since the
// first) print alike: ` 00:00:00.000019`. A line alone cannot tell them
// apart, so the Scanner decides once per input, at its first delta-form
// record, by reading the next lines' times: up to timeWindow lines ahead,
// those already waiting in its buffer (a file or a replayed capture has
// them all; a live pipe is never held back, and decides on what it has):
//
//   - offsets never decrease, so a time below the one before proves
//     deltas;
//   - deltas rarely grow packet after packet, so OffsetsAfter times in a
//     row that do not decrease, one of them above the one before, are
//     taken for offsets;
//   - with neither in the window (a short trace), deltas, the common form.
//
// Every delta-form record is then marked DeltaTime or OffsetTime.

// OffsetsAfter is how many times in a row, after the first, that never
// decrease (and not all equal) make a trace's times -ttttt offsets. The
// connection tracker applies the same rule to packets given to it without
// a Scanner.
const OffsetsAfter = 5

// timeWindow bounds how many lines the decision reads ahead.
const timeWindow = 16

// timeForm is the Scanner's decision.
type timeForm uint8

const (
	formUndecided timeForm = iota
	formDeltas
	formOffsets
)

// decideTimeForm reads the times of the current record and of the lines
// ahead and returns the reading. The current record's time is first.
func decideTimeForm(first int64, ahead []line) timeForm {
	prev, run, grew := first, 0, false
	for _, l := range ahead {
		v, ok := deltaTimeOf(l.text)
		if !ok {
			continue
		}
		if v < prev {
			return formDeltas
		}
		run++
		grew = grew || v > prev
		if run >= OffsetsAfter && grew {
			return formOffsets
		}
		prev = v
	}
	return formDeltas
}

// deltaTimeOf reads the delta-form time a line starts with, after -#'s
// number: ` 00:00:00.000019`, `    1   00:00:00.000019`.
func deltaTimeOf(raw []byte) (int64, bool) {
	i := skipSp(raw, 0)
	if j := digitsEnd(raw, i); j > i && j+3 < len(raw) && raw[j] == ' ' && raw[j+1] == ' ' {
		i = skipSp(raw, j) // the -# number
	}
	if i+3 > len(raw) || raw[i] != '0' || raw[i+1] != '0' || raw[i+2] != ':' || !deltaSpace(raw, i) {
		return 0, false
	}
	_, us, ok := fastClock(raw, i)
	return us, ok
}

// markTimeForm decides the trace's reading at its first delta-form record
// and marks the record. It may read lines ahead, so it first moves the
// record's text out of the line buffer those reads reuse.
func (s *Scanner) markTimeForm() {
	r := s.rec
	if r.Kind != TCP || r.Packet.TimeKind != DeltaTime {
		return
	}
	if s.form == formUndecided {
		s.own = append(s.own[:0], r.Raw...)
		r.Raw, r.Packet.Raw = s.own, s.own
		s.fillBuffered(timeWindow)
		s.form = decideTimeForm(r.Packet.Micros, s.ahead)
	}
	if s.form == formOffsets {
		r.Packet.TimeKind = OffsetTime
	}
}

// fillBuffered reads ahead, like fill, up to n lines, but only whole lines
// already in the input buffer: it never waits for input.
func (s *Scanner) fillBuffered(n int) {
	for len(s.ahead) < n && !s.eof {
		buf, _ := s.r.Peek(s.r.Buffered())
		if len(buf) == 0 || bytes.IndexByte(buf, '\n') < 0 {
			return
		}
		s.fill(len(s.ahead) + 1)
	}
}
