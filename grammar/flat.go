package grammar

import "bytes"

// A web page or a PDF that lost its line breaks runs several segments
// into one line. The first segment's parse then ends in a suffix that
// holds the next segment; the Scanner cuts the line there, and each
// segment becomes a record of its own, with the same line number and a
// part index.

// maxParts bounds the parts of one flattened line.
const maxParts = 64

// splitFlat cuts the current record into its segments when it is a
// flattened line, and makes its first part the current record.
func (s *Scanner) splitFlat() {
	rec := s.rec
	// (a quoted or soft-broken join is parsed from other text: not cut)
	if rec.Kind != TCP || rec.Packet.Suffix.Empty() || !bytes.Equal(rec.Packet.Raw, rec.Raw) || bytes.IndexByte(rec.Raw, '\n') >= 0 {
		return
	}
	s.flat = append(s.flat[:0], rec.Raw...)
	s.flatEOL, s.flatLine = rec.EOL, rec.Line
	s.cuts = append(s.cuts[:0], 0)
	from := int(rec.Packet.Suffix.Start)
	for len(s.cuts) < maxParts {
		c, next, ok := s.nextSegment(s.flat, from)
		if !ok {
			break
		}
		s.cuts = append(s.cuts, c)
		from = next
	}
	if len(s.cuts) == 1 {
		s.cuts = s.cuts[:0]
		return
	}
	s.unpaired = timesBefore(s.flat[:s.cuts[1]]) > 1
	s.nextPart = 0
	s.flatPart()
}

// nextSegment finds where the next segment starts at or after from: the
// word before a ` > ` separator, with the IP tag, timestamp and packet
// number before it. It returns that offset and where the found segment's
// own suffix starts, and reports whether the text there is a segment.
func (s *Scanner) nextSegment(t []byte, from int) (start, next int, ok bool) {
	for at := from; at < len(t); {
		i := bytes.Index(t[at:], []byte(" > "))
		if i < 0 {
			return 0, 0, false
		}
		gt := at + i
		c := wordStart(t, gt)
		c = backWord(t, c, from, func(w []byte) bool { return string(w) == "IP" || string(w) == "IP6" })
		c = backWord(t, c, from, isTimeWord)
		c = backWord(t, c, from, isDateWord)
		c = backWord(t, c, from, isDigits)
		if c >= from && s.parser.Parse(t[c:], &s.rec.Packet) {
			p := &s.rec.Packet
			if p.Suffix.Empty() {
				return c, len(t), true
			}
			return c, c + int(p.Suffix.Start), true
		}
		at = gt + 3
	}
	return 0, 0, false
}

// wordStart returns the start of the word that ends at end.
func wordStart(t []byte, end int) int {
	for end > 0 && !isBlank(t[end-1]) {
		end--
	}
	return end
}

// backWord steps back over blanks and the word before c when match
// accepts it and it starts at or after from.
func backWord(t []byte, c, from int, match func([]byte) bool) int {
	e := c
	for e > from && isBlank(t[e-1]) {
		e--
	}
	b := wordStart(t, e)
	if b < from || b == e || !match(t[b:e]) {
		return c
	}
	return b
}

func isDigits(w []byte) bool {
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(w) > 0
}

// isDateWord reports whether a word is -tttt's date, `2023-11-14`.
func isDateWord(w []byte) bool {
	if len(w) != 10 || w[4] != '-' || w[7] != '-' {
		return false
	}
	return isDigits(w[:4]) && isDigits(w[5:7]) && isDigits(w[8:])
}

// isTimeWord reports whether a word is a time of day or an epoch time:
// `22:13:20.000250`, `1700000000.000250`, `0.000250`.
func isTimeWord(w []byte) bool {
	if len(w) < 3 || w[0] < '0' || w[0] > '9' {
		return false
	}
	colons, dots := 0, 0
	for _, c := range w {
		switch {
		case c == ':':
			colons++
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return false
		}
	}
	return colons == 2 && dots <= 1 || colons == 0 && dots == 1
}

// timesBefore counts the timestamps before the first endpoint pair of a
// line: more than one means a column of times stands apart from the
// segments.
func timesBefore(t []byte) int {
	end := bytes.Index(t, []byte(" > "))
	if end < 0 {
		end = len(t)
	}
	n := 0
	for _, w := range bytes.Fields(t[:end]) {
		if isTimeWord(w) {
			n++
		}
	}
	return n
}

// flatPart makes the next part of a flattened line the current record.
func (s *Scanner) flatPart() {
	k := s.nextPart
	s.nextPart++
	end := len(s.flat)
	if k+1 < len(s.cuts) {
		end = s.cuts[k+1]
	}
	raw := s.flat[s.cuts[k]:end]
	eol := ""
	if k+1 == len(s.cuts) {
		eol = s.flatEOL
	}
	s.emit(raw, eol, s.flatLine)
	s.rec.Part, s.rec.Parts, s.rec.Unpaired = k, len(s.cuts), s.unpaired
	if s.unpaired {
		p := &s.rec.Packet
		p.Time, p.TimeKind, p.Micros, p.Number = Span{}, NoTime, 0, 0
	}
	if k+1 == len(s.cuts) {
		s.cuts = s.cuts[:0]
	}
}
