package grammar

import (
	"bufio"
	"bytes"
	"io"
)

// Kind says what a record is.
type Kind uint8

const (
	// Other is anything that is not a TCP segment: it passes through.
	Other Kind = iota
	// TCP is a TCP segment, parsed into the record's Packet.
	TCP
)

// Record is one unit of input: a single line, or the two lines of a -v IPv4
// packet (its header line and the indented TCP line).
type Record struct {
	// Line is the 1-based number of the record's first input line.
	Line int
	// Raw is the record's text, lines joined by '\n', without the final
	// line ending. It is valid until the next call to Scan.
	Raw []byte
	// EOL is the final line ending as read: "\n", or "" when the input
	// ended without one. Raw + EOL gives back the input exactly.
	EOL  string
	Kind Kind
	// Packet is the parsed segment when Kind is TCP.
	Packet Packet
}

// Scanner reads records from text, one at a time, as soon as each is
// complete. It never fails on content: any bytes form records.
type Scanner struct {
	r      *bufio.Reader
	parser Parser
	line   int // lines read so far
	eof    bool
	err    error

	cur        []byte // the line just read
	hdr        []byte // a -v header line, while its TCP line is looked at
	join       []byte // header + '\n' + TCP line
	pending    []byte // a line read ahead and given back
	pendingEOL string
	pendingNo  int
	hasPending bool

	rec Record
}

// NewScanner returns a Scanner reading r through a 64 KiB buffer.
func NewScanner(r io.Reader) *Scanner {
	return &Scanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// Buffered reports whether more input is already waiting, so a caller can
// flush its output whenever it would otherwise wait for input.
func (s *Scanner) Buffered() bool { return s.hasPending || s.r.Buffered() > 0 }

// Err returns the first read error other than io.EOF.
func (s *Scanner) Err() error { return s.err }

// Record returns the record found by the last call to Scan.
func (s *Scanner) Record() *Record { return &s.rec }

// readLine reads one line into s.cur, without its '\n', and returns its
// ending; ok is false at the end of input.
func (s *Scanner) readLine() (eol string, ok bool) {
	if s.eof {
		return "", false
	}
	s.cur = s.cur[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		s.cur = append(s.cur, chunk...)
		if err == nil {
			s.cur = s.cur[:len(s.cur)-1]
			s.line++
			return "\n", true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != io.EOF {
			s.err = err
		}
		s.eof = true
		if len(s.cur) == 0 {
			return "", false
		}
		s.line++
		return "", true
	}
}

// next returns the next line: the one given back by unread, or a new one.
func (s *Scanner) next() (raw []byte, eol string, no int, ok bool) {
	if s.hasPending {
		s.hasPending = false
		return s.pending, s.pendingEOL, s.pendingNo, true
	}
	eol, ok = s.readLine()
	return s.cur, eol, s.line, ok
}

func (s *Scanner) unread(raw []byte, eol string, no int) {
	s.pending = append(s.pending[:0], raw...)
	s.pendingEOL, s.pendingNo, s.hasPending = eol, no, true
}

// Scan advances to the next record and reports whether there is one.
func (s *Scanner) Scan() bool {
	raw, eol, no, ok := s.next()
	if !ok {
		return false
	}
	if eol != "" && looksLikeIPHeader(raw) {
		// tcpdump 4.x -v prints the IPv4 header, a newline, four spaces
		// and the TCP part: one packet, one record.
		s.hdr = append(s.hdr[:0], raw...)
		raw2, eol2, no2, ok2 := s.next()
		if ok2 && len(raw2) > 0 && (raw2[0] == ' ' || raw2[0] == '\t') {
			s.join = append(append(append(s.join[:0], s.hdr...), '\n'), raw2...)
			if s.parser.Parse(s.join, &s.rec.Packet) {
				s.rec.Line, s.rec.Raw, s.rec.EOL, s.rec.Kind = no, s.join, eol2, TCP
				return true
			}
		}
		if ok2 {
			s.unread(raw2, eol2, no2)
		}
		s.emit(s.hdr, eol, no)
		return true
	}
	s.emit(raw, eol, no)
	if eol != "" && s.wrapped(raw) {
		s.joinWrapped(eol, no)
	}
	return true
}

// wrapped reports whether the record just emitted looks like a TCP line cut
// in two by a hard wrap (pasted from mail or a web page at 72–80 columns):
// a modern line that parsed without its `length`, or a line that failed to
// parse but has the start of one.
func (s *Scanner) wrapped(raw []byte) bool {
	if s.rec.Kind == TCP {
		p := &s.rec.Packet
		return p.Dialect == Modern && !p.HasLen && !p.Truncated
	}
	if len(raw) < 40 {
		return false
	}
	gt := bytes.Index(raw, []byte(" > "))
	if gt < 0 {
		return false
	}
	rest := raw[gt:]
	if bytes.Contains(rest, []byte(": Flags [")) {
		return true
	}
	// classic: `src > dst: S 1:1(0)` with no window yet
	c := bytes.Index(rest, []byte(": "))
	if c < 0 || bytes.Contains(rest, []byte(" win ")) {
		return false
	}
	f := rest[c+2:]
	n := 0
	for n < len(f) && bytes.IndexByte([]byte("SFRPWE."), f[n]) >= 0 {
		n++
	}
	return n > 0 && n < len(f) && f[n] == ' '
}

// joinWrapped tries the current record joined with the next line; it keeps
// the join when together they make one complete TCP segment.
func (s *Scanner) joinWrapped(eol string, no int) {
	first := append(s.hdr[:0], s.rec.Raw...)
	s.hdr = first
	raw2, eol2, no2, ok := s.next()
	if !ok {
		return
	}
	if len(bytes.TrimSpace(raw2)) > 0 && !s.parser.Parse(raw2, &s.rec.Packet) {
		s.join = append(append(append(s.join[:0], first...), '\n'), raw2...)
		if s.parser.Parse(s.join, &s.rec.Packet) {
			p := &s.rec.Packet
			if p.Dialect != Modern || p.HasLen || p.Truncated {
				s.rec.Line, s.rec.Raw, s.rec.EOL, s.rec.Kind = no, s.join, eol2, TCP
				return
			}
		}
	}
	// not a continuation: give the line back and restore the record
	s.unread(raw2, eol2, no2)
	s.emit(first, eol, no)
}

func (s *Scanner) emit(raw []byte, eol string, no int) {
	s.rec.Line, s.rec.Raw, s.rec.EOL = no, raw, eol
	if s.parser.Parse(raw, &s.rec.Packet) {
		s.rec.Kind = TCP
	} else {
		s.rec.Kind = Other
	}
}

// looksLikeIPHeader reports whether a line is a tcpdump 4.x -v IPv4 header
// whose TCP part follows on the next line: it ends with the closing
// parenthesis of `(tos …, length N)` and has no endpoint pair.
func looksLikeIPHeader(line []byte) bool {
	t := bytes.TrimRight(line, " \t\r")
	if len(t) == 0 || t[len(t)-1] != ')' {
		return false
	}
	return bytes.Contains(t, []byte("(tos ")) && !bytes.Contains(t, []byte(" > "))
}
