package grammar

import (
	"bufio"
	"bytes"
	"io"
	"time"
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
	// ended without one or the line goes on in the next record. Raw + EOL
	// gives back the input exactly.
	EOL string
	// Continues is set when the line was longer than MaxLineBytes: this
	// record is a piece of it, not a segment, and the next record goes on
	// with the same line (with no line ending between them).
	Continues bool
	Kind      Kind
	// Packet is the parsed segment when Kind is TCP.
	Packet Packet
	// Unread is set when Kind is Other but the record looks like a TCP
	// segment that could not be read: which part, at which column.
	Unread Unread
	// Part and Parts number the segments of a flattened line (a page that
	// lost its line breaks): Parts is how many the line holds, 0 for a
	// line that holds one; Part is this one's index from 0. Each part's
	// Raw is its stretch of the line, with the blanks after it; only the
	// last part has the line's EOL.
	Part, Parts int
	// Unpaired is set on the parts of a flattened line whose timestamps
	// (or packet numbers) stand apart from their segments, so that they
	// cannot be paired safely: the parts carry none.
	Unpaired bool
	// Quote is the length of the e-mail quote prefix (`> `, `>> `) that
	// starts Raw, 0 when there is none: what tcpnote adds to a quoted
	// record is quoted the same way.
	Quote int
}

// Scanner reads records from text, one at a time, as soon as each is
// complete. It never fails on content: any bytes form records.
//
// Most records are one line. A few are more: tcpdump 4.x -v prints the IPv4
// header and the TCP part on two lines, and a paste may have hard-wrapped a
// long line. When a line looks like the start of such a record, the Scanner
// reads up to maxJoin lines ahead and keeps the join only if together they
// make one complete TCP segment; otherwise each line stands alone.
type Scanner struct {
	r      *bufio.Reader
	parser Parser
	line   int // lines read so far
	eof    bool
	err    error

	cur []byte // the line being read
	// curBuf is s.cur's own buffer: s.cur may instead be a slice of the
	// bufio buffer (readLine), which the next read overwrites.
	curBuf []byte
	part   part     // whether s.cur is a piece of a longer line
	ahead  []line   // lines read ahead, not yet part of a record
	spare  [][]byte // buffers of lines already used, for reuse
	join   []byte   // the text of a joined record
	own    []byte   // the text of a single-line record taken from ahead
	// parse is the text a join is parsed from: the join without the
	// quote prefixes of its continuation lines and with quoted-printable
	// soft breaks undone; pown holds it for the record's Packet.
	parse, pown []byte
	// header is set by startsRecord when the line it found to start a
	// record is a -v header (for tryJoin, which would ask again)
	header bool
	// hdr is parseHead's hdr for the line parseLine parsed last: when
	// it is a -v header line alone, s.rec.Packet holds its reading, and
	// tryJoin goes on from there (only tryJoin reads it)
	hdr int

	// rec is the record being made: recBuf for Scan, the caller's for
	// ScanInto.
	rec    *Record
	recBuf Record

	// flat holds a flattened line being handed out part by part: the
	// line, its EOL, the parts' offsets (len(cuts) parts), the next part.
	flat     []byte
	flatEOL  string
	flatLine int
	cuts     []int
	nextPart int
	unpaired bool

	// live is set for an input that may pause (NewLiveScanner): look-ahead
	// waits at most idle for a line.
	live *liveReader
	idle time.Duration

	// form is -ttt's or -ttttt's reading of delta-form times (timeform.go)
	form timeForm
}

// line is a line read ahead, in a buffer of its own.
type line struct {
	text []byte
	eol  string
	no   int
	part part // a piece of a line longer than MaxLineBytes
}

// part says whether a line read is a piece of a longer one.
type part uint8

const (
	partWhole part = iota
	partPiece      // a piece that the next one continues
	partLast       // the last piece, with the line's ending
)

// maxJoin bounds how many lines one record may span.
const maxJoin = 4

// MaxLineBytes is the most of one line the Scanner holds: a longer line
// comes out as several records of MaxLineBytes (the last one shorter), none
// of them a segment, so memory is bounded whatever the input.
const MaxLineBytes = 1 << 20

// NewScanner returns a Scanner reading r through a 64 KiB buffer.
func NewScanner(r io.Reader) *Scanner {
	return &Scanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// Buffered reports whether the next record is already waiting (a line read
// ahead, or a whole line in the buffer), so a caller can flush its output
// whenever the next Scan would otherwise wait for input. On a live input a
// line read ahead makes the next Scan wait at most the idle.
func (s *Scanner) Buffered() bool { return len(s.ahead) > 0 || s.lineBuffered() }

// Err returns the first read error other than io.EOF.
func (s *Scanner) Err() error { return s.err }

// Record returns the record found by the last call to Scan (or ScanInto's
// record).
func (s *Scanner) Record() *Record {
	if s.rec == nil {
		return &s.recBuf
	}
	return s.rec
}

// ended is readLine at the end of the input (err, io.EOF or a read
// error, which Err reports): the line read so far is the last, if any.
func (s *Scanner) ended(err error) (string, bool) {
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

// readLine reads one line into s.cur, without its '\n', and returns its
// ending; ok is false at the end of input. A line longer than MaxLineBytes
// comes in pieces of MaxLineBytes, each with no ending, the last with the
// line's own (s.part says which): s.cur never holds more than
// MaxLineBytes, whatever the input.
func (s *Scanner) readLine() (eol string, ok bool) {
	if s.eof {
		return "", false
	}
	if s.part == partPiece {
		s.line-- // the same line goes on
		s.part = partLast
	} else {
		s.part = partWhole
	}
	s.cur = s.curBuf[:0]
	if s.part == partWhole {
		// The common case: the whole line is in the buffer, and s.cur
		// is that slice of it, not a copy. It stays put until the next
		// read from s.r, and every caller copies it before it reads
		// further (the record goes to s.own before a join reads ahead;
		// Record.Raw is valid only until the next Scan). The cap keeps
		// appends out. (ReadSlice finds the line in one call, where
		// Buffered, Peek and Discard took three; the buffer, 64 KiB,
		// holds less than MaxLineBytes.)
		buf, err := s.r.ReadSlice('\n')
		if err == nil {
			i := len(buf) - 1
			s.cur = buf[:i:i]
			s.line++
			return "\n", true
		}
		// A line longer than the buffer, or the input's last line,
		// without a newline: ReadSlice has taken its bytes.
		s.cur = append(s.cur, buf...)
		s.curBuf = s.cur[:0]
		if err != bufio.ErrBufferFull {
			return s.ended(err)
		}
	}
	for {
		room := MaxLineBytes - len(s.cur)
		if room == 0 {
			s.part = partPiece
			s.line++
			return "", true
		}
		n := s.r.Buffered()
		if n == 0 {
			if _, err := s.r.Peek(1); err != nil {
				return s.ended(err)
			}
			n = s.r.Buffered()
		}
		buf, _ := s.r.Peek(min(n, room))
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			if len(s.cur) == 0 {
				// a long line's next piece, all in the buffer: a slice
				// of the buffer, as above
				s.cur = buf[:i:i]
			} else {
				s.cur = append(s.cur, buf[:i]...)
				s.curBuf = s.cur[:0]
			}
			s.r.Discard(i + 1)
			s.line++
			return "\n", true
		}
		s.cur = append(s.cur, buf...)
		s.curBuf = s.cur[:0]
		s.r.Discard(len(buf))
	}
}

// fill makes sure at least n lines are read ahead (fewer at the end of the
// input) and returns how many there are.
func (s *Scanner) fill(n int) int {
	for len(s.ahead) < n {
		eol, ok := s.readLine()
		if !ok {
			break
		}
		s.ahead = append(s.ahead, line{text: append(s.spareBuf(), s.cur...), eol: eol, no: s.line, part: s.part})
		if s.part != partWhole {
			break // a piece is a record of its own: read no further
		}
	}
	return len(s.ahead)
}

// spareBuf returns a used line buffer, emptied, or nil when there is none.
func (s *Scanner) spareBuf() []byte {
	k := len(s.spare)
	if k == 0 {
		return nil
	}
	buf := s.spare[k-1][:0]
	s.spare = s.spare[:k-1]
	return buf
}

// drop removes the first n lines read ahead, keeping their buffers.
func (s *Scanner) drop(n int) {
	for i := 0; i < n; i++ {
		s.spare = append(s.spare, s.ahead[i].text)
	}
	k := copy(s.ahead, s.ahead[n:])
	s.ahead = s.ahead[:k]
}

// Scan advances to the next record and reports whether there is one.
func (s *Scanner) Scan() bool {
	s.rec = &s.recBuf
	return s.scanRecord()
}

// ScanInto is Scan with the record made in r, the caller's, instead of in
// the Scanner: a caller that keeps records (in a batch) is spared copying
// each one, 512 bytes, and Record returns r until the next scan. Every
// field of r is set (Packet only when Kind is TCP, as with Scan); r's Raw
// and Packet.Raw refer to the Scanner's buffers and are valid until the
// next call to Scan or ScanInto. The packet's options are appended to
// r.Packet.Options[:0], so that a caller may have them made in its own
// memory: r.Packet.Options must hold no options that are still in use
// (nil, or the spare capacity of the caller's buffer).
func (s *Scanner) ScanInto(r *Record) bool {
	s.rec = r
	return s.scanRecord()
}

// scanRecord makes the next record in s.rec. No state is carried over
// in s.rec from one record to the next: each scan may make its record in
// another Record (ScanInto).
func (s *Scanner) scanRecord() bool {
	if !s.scanPart() {
		return false
	}
	s.markTimeForm()
	return true
}

// scanPart advances to the next record, or the next part of a flattened
// line.
func (s *Scanner) scanPart() bool {
	s.rec.Continues = false
	if s.nextPart < len(s.cuts) {
		s.flatPart()
		return true
	}
	if !s.scan() {
		return false
	}
	s.splitFlat()
	return true
}

// scan reads the next record of one or more lines.
func (s *Scanner) scan() bool {
	if len(s.ahead) == 0 {
		// the common case: one line, read straight into s.cur
		eol, ok := s.readLine()
		if !ok {
			return false
		}
		if s.part != partWhole {
			s.emitPiece(s.cur, eol, s.line, s.part)
			return true
		}
		s.parseLine(s.cur, eol, s.line)
		if eol == "" || !s.startsRecord(s.cur) {
			s.diagnose()
			return true
		}
		// keep it: it may be the first line of a longer record; s.own
		// goes with it, and a used buffer takes its place (none of the
		// lines read ahead is lost: drop keeps them all for reuse)
		s.ahead = append(s.ahead[:0], line{text: append(s.own[:0], s.cur...), eol: eol, no: s.line})
		s.own = s.spareBuf()
	} else {
		first := &s.ahead[0]
		if first.part != partWhole {
			s.own = append(s.own[:0], first.text...)
			s.emitPiece(s.own, first.eol, first.no, first.part)
			s.drop(1)
			return true
		}
		s.parseLine(first.text, first.eol, first.no)
		if first.eol == "" || !s.startsRecord(first.text) {
			s.diagnose()
			s.own = append(s.own[:0], first.text...)
			s.rec.Raw = s.own
			s.drop(1)
			return true
		}
	}
	if s.tryJoin() {
		return true
	}
	first := s.ahead[0]
	s.own = append(s.own[:0], first.text...)
	s.emit(s.own, first.eol, first.no)
	s.drop(1)
	return true
}

// tryJoin joins s.ahead[0] with the lines after it, up to maxJoin lines,
// and makes the join the current record when it is one complete segment.
func (s *Scanner) tryJoin() bool {
	first := s.ahead[0].text
	// After a -v header line the TCP part is a complete line by itself;
	// after a cut TCP line, a complete line is the next packet.
	// (startsRecord may have found it a header already: s.header.)
	header := s.header || looksLikeIPHeader(first) || bytes.Contains(first, []byte("IP (tos ")) || bytes.Contains(first, []byte("IP6 ("))
	// A classic line that is complete by itself is joined only with the
	// option list a wrap moved to the next line.
	// (s.rec still holds the first line's own parse: Scan just made it.)
	whole := s.rec.Kind == TCP && complete(&s.rec.Packet)
	quote := s.rec.Quote
	// The first line's reading in s.rec.Packet, when it is a -v header
	// alone, is good for the join's parse while nothing else has been
	// parsed into s.rec.Packet since: with header set, the lines after
	// it are not parsed alone.
	hdr := s.hdr
	s.hdr = 0
	if !header || hdr != len(first) {
		hdr = 0
	}
	// s.parse is the text parsed; the join as read differs from it only
	// once a continuation loses a quote prefix or a soft break: until
	// then (always, for a -v packet) s.join is not built, and s.parse
	// is both.
	differs := false
	s.parse = append(s.parse[:0], first...)
	for k := 1; k < maxJoin; k++ {
		// Lines are read one at a time, only when the join needs them,
		// and on a live input only what comes within the idle: in a
		// live pipe the next line may be the next packet, seconds away,
		// and a complete record is never held back.
		if k >= len(s.ahead) && (!s.lineReady() || s.fill(k+1) <= k) {
			return false
		}
		if s.ahead[k].part != partWhole {
			return false // a piece of a long line is a record of its own
		}
		next := s.ahead[k].text
		if blankLine(next) || !header && s.parser.Parse(next, &s.rec.Packet) && complete(&s.rec.Packet) {
			return false // a new record starts: no continuation
		}
		if !differs && (softBreak(s.parse) || quote > 0 && quotePrefix(next) > 0) {
			// appendContinuation drops bytes the join keeps (each
			// time, so the two never match again)
			differs = true
			s.join = append(s.join[:0], s.parse...)
		}
		if differs {
			s.join = append(append(s.join, '\n'), next...)
		}
		s.parse = appendContinuation(s.parse, next, quote)
		if softBreak(s.parse) {
			// quoted-printable: the line goes on after the next break
			if s.ahead[k].eol == "" {
				return false
			}
			continue
		}
		// (at k = 1 s.parse is first, '\n', then the next line)
		var ok bool
		if k == 1 && hdr > 0 {
			ok = s.parser.parseJoin(s.parse, hdr, &s.rec.Packet)
		} else {
			ok = s.parser.Parse(s.parse, &s.rec.Packet)
		}
		if ok && complete(&s.rec.Packet) && (!whole || len(s.rec.Packet.Options) > 0 && s.rec.Packet.Suffix.Empty()) {
			s.rec.Line, s.rec.EOL, s.rec.Kind = s.ahead[0].no, s.ahead[k].eol, TCP
			s.rec.Unread = Unread{}
			// The record keeps the buffers it was built in (swapped,
			// not copied): the next join builds in s.own's old one.
			if differs {
				// spans refer to the text parsed, which differs
				s.own, s.join = s.join, s.own[:0]
				s.pown, s.parse = s.parse, s.pown[:0]
				s.rec.Raw, s.rec.Packet.Raw = s.own, s.pown
			} else {
				s.own, s.parse = s.parse, s.own[:0]
				s.rec.Raw, s.rec.Packet.Raw = s.own, s.own
			}
			s.drop(k + 1)
			return true
		}
		if s.ahead[k].eol == "" {
			return false
		}
	}
	return false
}

// blankLine reports whether a line is empty or white space alone, as
// len(bytes.TrimSpace(b)) == 0 does, without TrimSpace's two passes when
// an ASCII byte that is not a space comes first.
func blankLine(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			continue
		}
		if c < 0x80 {
			return false
		}
		return len(bytes.TrimSpace(b)) == 0
	}
	return true
}

// complete reports whether a parsed segment is whole: a modern line always
// ends with `length N` unless tcpdump itself cut it short.
func complete(p *Packet) bool {
	return (p.Dialect != Modern || p.HasLen || p.Truncated) && !p.OptionsOpen
}

// startsRecord reports whether a line (already parsed into s.rec) may be
// the first line of a record that continues on the next lines: a -v IPv4
// header without its TCP part, or a TCP line cut by a hard wrap.
func (s *Scanner) startsRecord(raw []byte) bool {
	s.header = false
	if softBreak(raw) && indexSpaced(raw, " > ") >= 0 {
		return true // a quoted-printable soft break: the line goes on
	}
	if s.rec.Kind == TCP {
		p := &s.rec.Packet
		// A classic line of 60–80 columns without options may have lost
		// them to a hard wrap (live classic lines with options are longer).
		return !complete(p) || p.Dialect == Classic && len(p.Options) == 0 && len(raw) >= 60 && len(raw) <= 80 && p.Suffix.Empty()
	}
	if s.hdr > 0 && hasPrefix(raw, int(s.rec.Packet.IP.Text.Start), "(tos ") {
		// parseHead read an IPv4 header that ends the line, with no
		// ` > ` after its `(`: looksLikeIPHeader's case, known without
		// looking again
		s.header = true
		return true
	}
	if looksLikeIPHeader(raw) {
		s.header = true
		return true
	}
	if len(raw) < 40 {
		return false
	}
	if bytes.Contains(raw, []byte("IP (tos ")) || bytes.Contains(raw, []byte("IP6 (")) {
		s.header = true
		return true // a -v header wrapped before its closing parenthesis
	}
	gt := indexSpaced(raw, " > ")
	if gt < 0 {
		gt = indexSpaced(raw, " &gt; ")
	}
	if gt < 0 {
		return false
	}
	rest := raw[gt:]
	if bytes.Contains(rest, []byte(": Flags")) {
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
	return n > 0 && (n == len(f) || f[n] == ' ')
}

// emitPiece makes a piece of a line longer than MaxLineBytes the current
// record: never a segment, whatever it holds.
func (s *Scanner) emitPiece(raw []byte, eol string, no int, pt part) {
	s.rec.Line, s.rec.Raw, s.rec.EOL, s.rec.Kind = no, raw, eol, Other
	s.rec.Continues = pt == partPiece
	s.rec.Unread, s.rec.Quote = Unread{}, 0
	s.rec.Part, s.rec.Parts, s.rec.Unpaired = 0, 0, false
}

func (s *Scanner) emit(raw []byte, eol string, no int) {
	s.parseLine(raw, eol, no)
	s.diagnose()
}

// parseLine makes one line the current record, parsed but not yet
// diagnosed: a line that may start a longer record is diagnosed only if
// it stays alone (Diagnose costs about as much as the parse, and the -v
// header line of every packet is joined).
func (s *Scanner) parseLine(raw []byte, eol string, no int) {
	s.rec.Line, s.rec.Raw, s.rec.EOL = no, raw, eol
	s.rec.Unread = Unread{}
	s.rec.Quote = quotePrefix(raw)
	s.rec.Part, s.rec.Parts, s.rec.Unpaired = 0, 0, false
	var ok bool
	ok, s.hdr = s.parser.parseHead(raw, &s.rec.Packet)
	if ok {
		s.rec.Kind = TCP
	} else {
		s.rec.Kind = Other
	}
}

// diagnose says why the current record, a line that is not a segment, is
// not one (Unread).
func (s *Scanner) diagnose() {
	if s.rec.Kind == Other {
		s.rec.Unread = Diagnose(s.rec.Raw)
	}
}

// looksLikeIPHeader reports whether a line is a tcpdump 4.x -v IPv4 header
// whose TCP part follows on the next line: it ends with the closing
// parenthesis of `(tos …, length N)`, after any addresses on the line
// (-e's MAC addresses, a tunnel's outer IP addresses). MPLS's label entry
// `MPLS (label 22, tc 0, [S], ttl 64)` ends its line the same way under -v.
func looksLikeIPHeader(line []byte) bool {
	t := line
	for len(t) > 0 && (t[len(t)-1] == ' ' || t[len(t)-1] == '\t' || t[len(t)-1] == '\r') {
		t = t[:len(t)-1]
	}
	if len(t) == 0 || t[len(t)-1] != ')' {
		return false
	}
	// The last (tos with no " > " after it: a (tos after the last " > ".
	// (Both are found forwards, from their rare bytes, with IndexByte:
	// backwards there is only a byte loop, and ' ' is everywhere.)
	from := 0
	for i := 0; ; {
		k := bytes.IndexByte(t[i:], '>')
		if k < 0 {
			break
		}
		if g := i + k; g > 0 && t[g-1] == ' ' && g+1 < len(t) && t[g+1] == ' ' {
			from = g // the " > " starts at g-1
		}
		i += k + 1
	}
	if indexRare(t[from:], "(tos ") >= 0 {
		return true
	}
	m := lastIndex(t, "MPLS (label ")
	return m >= 0 && bytes.IndexByte(t[m:], ')') == len(t)-m-1
}

// indexSpaced is bytes.Index for a sep that starts with a space, found from
// its second byte (`>`, `&`), which is rare where spaces are not: for a
// line over 64 bytes bytes.Index calls IndexByte at every space.
func indexSpaced(s []byte, sep string) int {
	for i := 1; i < len(s); {
		k := bytes.IndexByte(s[i:], sep[1])
		if k < 0 {
			return -1
		}
		if j := i + k - 1; j+len(sep) <= len(s) && string(s[j:j+len(sep)]) == sep {
			return j
		}
		i += k + 1
	}
	return -1
}

// indexRare is bytes.Index for a short sep whose first byte is rare in s,
// found from that byte with IndexByte: on a -v header line of over 64
// bytes bytes.Index took 170 instructions to find its `(tos `.
func indexRare(s []byte, sep string) int {
	for i := 0; ; {
		k := bytes.IndexByte(s[i:], sep[0])
		if k < 0 {
			return -1
		}
		if j := i + k; len(s)-j >= len(sep) && string(s[j:j+len(sep)]) == sep {
			return j
		}
		i += k + 1
	}
}

// lastIndex is bytes.LastIndex for a short sep, found from its first byte
// with LastIndexByte: bytes.LastIndex hashes every byte (Rabin-Karp), which
// on -v renders, whose header lines were each asked three times, cost more
// than parsing the packet.
func lastIndex(s []byte, sep string) int {
	for end := len(s); ; {
		i := bytes.LastIndexByte(s[:end], sep[0])
		if i < 0 {
			return -1
		}
		if len(s)-i >= len(sep) && string(s[i:i+len(sep)]) == sep {
			return i
		}
		end = i
	}
}
