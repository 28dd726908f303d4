package annotate

// Quiz worksheets (--quiz, with --format markdown or html).
//
// A worksheet shows a trace's own lines, each connection a section, with
// some fields replaced by numbered blanks (`ack ____(3)`) and questions
// under the packets they are about (`┆ client: SYN_SENT → ____(4)`); the
// answers, each with the arithmetic or the step behind it, are numbered at
// the end (HTML: also revealed by clicking a blank). A blank is made only
// where the trace itself proves its answer, from the events and states fsm
// gives:
//
//   - the ack of the 2nd and 3rd handshake segments, when it is the ISN of
//     a SYN shown on the sheet + 1;
//   - an endpoint's next state after a packet that moves it along edges of
//     RFC 9293's diagram from a known state (never an inferred or unknown
//     state, never an endpoint the trace later corrects);
//   - the close pattern, at the packet that decides it, when the
//     connection's summary agrees;
//   - the absolute value of a relative seq or ack, when the ISN it counts
//     from is on the sheet;
//   - the bytes an ACK newly acknowledges, when the sender's previous ack
//     is on the sheet and the difference is what fsm says;
//   - a duplicate ACK's or a retransmission's number, when the earlier
//     copies on the sheet are exactly that many.
//
// Nothing is random: the same trace gives the same sheet. The sheet is
// bounded: a connection's questions come from its first quizScan packets,
// at most quizPerConn per connection (and quizCaps per kind), at most
// quizMax in all; the connections keep at most quizMaxHeld packets
// together (a connection first seen past that gets no section). The sheet
// is written when the input ends, since a later packet can correct what an
// earlier one seemed to prove (a RST that was not accepted). A
// connection's section shows its packets up to its last question; a
// connection without a question has no section. Lines that are not TCP
// segments are not shown (a worksheet is about packets).

import (
	"bufio"
	_ "embed"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The bounds of a worksheet.
const (
	quizScan    = 100   // a connection's questions come from its first quizScan packets
	quizPerConn = 12    // questions per connection at most
	quizMax     = 50    // questions per sheet at most
	quizMaxHeld = 20000 // packets kept by the connections not yet written
)

// quizKind is what a blank asks.
type quizKind uint8

const (
	qHandshakeAck quizKind = iota // the ack field of the 2nd or 3rd handshake
	qState                        // an endpoint's state after the packet
	qRelative                     // the absolute value of a relative number
	qAcked                        // the bytes an ACK newly acknowledges
	qCount                        // a duplicate ACK's or a retransmission's number
	qClose                        // the connection's close pattern
	numQuizKinds
)

// quizCaps bounds each kind of question per connection, so one kind does
// not crowd out the others.
var quizCaps = [numQuizKinds]int{qHandshakeAck: 2, qState: 7, qRelative: 2, qAcked: 1, qCount: 2, qClose: 1}

// closePatterns are the summary's close patterns, in the order of
// Quiz.Closes.
var closePatterns = [5]string{"three_packet", "four_packet", "simultaneous", "refused", "reset"}

// closeEvents map the event that decides a close pattern to it.
var closeEvents = map[fsm.Code]string{
	fsm.CloseFINMerged: "three_packet", fsm.ClosePassiveFIN: "four_packet",
	fsm.CloseSimultaneous: "simultaneous", fsm.RSTRefused: "refused", fsm.RSTAbort: "reset",
}

// Quiz is a language's words of a worksheet. The questions and reasons
// are templates: {name} is replaced by a value (each field says which);
// {blank} is where the numbered blank goes.
type Quiz struct {
	Title   string // the sheet's heading
	Intro   string // how to fill it in
	Click   string // HTML: clicking a blank shows its answer
	ShowAll string // HTML: the button that shows every answer
	Answers string // heading of the answers
	// NoQuestions: the trace proves nothing a blank could ask.
	NoQuestions string
	// Left: {conns} connections had questions the sheet had no room for.
	Left string
	// Usage is the usage error of --quiz with another format: a fmt
	// template, %q is the format given.
	Usage string

	State      string // {role}: {before} → {blank}
	Relative   string // {field} {rel} is relative; absolute: {blank}
	Acked      string // bytes this ACK acknowledges: {blank}
	DupAck     string // duplicate ACK of ack {ack}, number {blank}
	Retrans    string // seq {seq} sent again, retransmission number {blank}
	SYNRetrans string // the SYN sent again, retransmission number {blank}
	Close      string // how does the connection close? {blank} ({choices})
	ChoiceSep  string // between the choices

	WhySYNACK   string // client ISN {isn} + 1
	WhyACK      string // server ISN {isn} + 1
	WhyACKRel   string // server ISN {isn} + 1 = {abs}, printed relative
	WhyRelative string // ISN {isn} + {rel} (the {role}'s ISN)
	WhyAcked    string // ack {ack} − the {role}'s previous ack {prev} (line {line})
	WhyDupAck   string // the same ack as line {line}
	WhyRetrans  string // first sent on line {line}
	Closer      string // {role} closed first
	// Closes word the close patterns, in the order of closePatterns.
	Closes [5]string
}

// QuizFormat reports whether a format can be a worksheet.
func QuizFormat(format string) bool {
	switch format {
	case "markdown", "md", "html":
		return true
	}
	return false
}

// QuizUsage is the usage error of --quiz with a format that cannot be a
// worksheet, in the language: %q is the format.
func (l Lang) QuizUsage() string { return l.text().Words.Quiz.Usage }

// fill replaces each {name} of a template with its value; pairs are name,
// value, name, value …
func fill(t string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		t = strings.ReplaceAll(t, "{"+pairs[i]+"}", pairs[i+1])
	}
	return t
}

// quizBlank is one question of a worksheet.
type quizBlank struct {
	kind quizKind
	row  int // index of the packet's row in its connection
	line int // its input line
	// answer is the value as JSON writes it: a number, a state, a close
	// pattern; shown is it as the sheet prints it.
	answer, shown string
	why           string
	// q is the question with {blank} still in it; a field blank has none
	// and replaces raw[start:end] of its line instead.
	q          string
	start, end int
	role       fsm.Role // qState: whose state
	field      string   // qRelative: seq or ack
	conn       int      // the connection's number
	n          int      // its number on the sheet, from 1
}

// quizRow is one packet as the sheet shows it.
type quizRow struct {
	line     int
	raw      string
	from     fsm.Role
	len      uint32
	ack, seq uint32 // absolute
	pAck     uint32 // as printed (relative or absolute)
	hasAck   bool
	hasSeq   bool
	syn, fin bool
}

// quizConn is one connection's rows and candidate questions.
type quizConn struct {
	id             int
	client, server string
	rows           []quizRow
	cands          []quizBlank
	corrected      [2]bool // the trace corrects this endpoint's state somewhere
	isn            [2]uint32
	hasISN         [2]bool
	prevAck        [2]uint32 // each sender's last ack (absolute, printed), and its line
	prevPAck       [2]uint32
	prevAckLine    [2]int
	hasPrevAck     [2]bool
	summary        *fsm.Summary
}

// quizDoc writes a worksheet in Markdown or HTML.
type quizDoc struct {
	w       *bufio.Writer
	o       Options
	html    bool
	byID    map[int]*quizConn
	held    int
	started bool
	seen    int // connections seen
	asked   int // questions written
	left    int // connections with questions the sheet had no room for
	answers []quizBlank
	unread  unreadTally
}

func newQuiz(w *bufio.Writer, o Options, html bool) *quizDoc {
	return &quizDoc{w: w, o: o, html: html, byID: map[int]*quizConn{}}
}

func (d *quizDoc) words() *Quiz { return &d.o.Lang.text().Words.Quiz }

// Record keeps a packet of a connection and the questions it proves.
func (d *quizDoc) Record(rec *grammar.Record, r *fsm.Result) error {
	if r == nil {
		if rec.Unread.Present() {
			d.unread.add(rec)
		}
		return nil
	}
	c := d.byID[r.Conn.ID]
	if c == nil {
		d.seen++
		if d.held >= quizMaxHeld {
			return nil // no room: the connection gets no section
		}
		c = &quizConn{id: r.Conn.ID, client: r.Conn.Client, server: r.Conn.Server}
		d.byID[c.id] = c
	}
	for role := range r.Path {
		for i := 0; i < int(r.Path[role].N); i++ {
			if r.Path[role].Steps[i].How == fsm.HowCorrected {
				c.corrected[role] = true
			}
		}
	}
	if len(c.rows) >= quizScan || d.held >= quizMaxHeld {
		return nil
	}
	d.held++
	c.add(d.o.Lang.text(), rec, r)
	return nil
}

// add keeps a packet's row and its candidate questions.
func (c *quizConn) add(lang *Language, rec *grammar.Record, r *fsm.Result) {
	q, w := &lang.Words.Quiz, &lang.Words
	p := &rec.Packet
	row := quizRow{line: rec.Line, raw: string(rec.Raw), from: r.From, len: p.Len,
		ack: r.Ack, pAck: p.Ack, hasAck: r.HasAck && p.HasAck, seq: r.Seq, hasSeq: r.HasSeq && p.HasSeq,
		syn: p.Flags.Has(grammar.SYN), fin: p.Flags.Has(grammar.FIN)}
	idx := len(c.rows)
	c.rows = append(c.rows, row)
	if p.Dialect == grammar.Quiet {
		return // no numbers, no flags: nothing to ask
	}
	cand := func(b quizBlank) {
		b.row, b.line, b.conn = idx, rec.Line, c.id
		c.cands = append(c.cands, b)
	}
	from, to := r.From, r.From.Other()
	num := func(v uint32) string { return strconv.FormatUint(uint64(v), 10) }
	// the ISNs the sheet shows, for the questions that count from them
	if e := r.Find(fsm.HandshakeSYN); e != nil && p.HasSeq {
		if isn, ok := e.Get(fsm.KeyISN); ok && uint32(isn) == p.Seq {
			c.isn[from], c.hasISN[from] = p.Seq, true
		}
	}
	// the ack of the 2nd and 3rd handshake: ISN + 1
	ackBlank := false
	for _, code := range [2]fsm.Code{fsm.HandshakeSYNACK, fsm.HandshakeACK} {
		e := r.Find(code)
		if e == nil || !p.HasAck || !r.HasAck {
			continue
		}
		ack, ok1 := e.Get(fsm.KeyAck)
		peer, ok2 := e.Get(fsm.KeyPeerISN)
		if !ok1 || !ok2 || uint32(ack) != uint32(peer)+1 || uint32(ack) != r.Ack || !c.hasISN[to] || c.isn[to] != uint32(peer) ||
			e.Has(fsm.KeyTFOBytes) || e.Has(fsm.KeyExpected) || e.Has(fsm.KeyMissing) || e.Has(fsm.KeySimultaneous) || e.Has(fsm.KeyCount) {
			continue
		}
		start, end := findNumber(row.raw, "ack", p.Ack)
		if start < 0 {
			continue
		}
		why := fill(q.WhyACK, "isn", num(uint32(peer)))
		switch {
		case code == fsm.HandshakeSYNACK:
			why = fill(q.WhySYNACK, "isn", num(uint32(peer)))
		case p.Ack != r.Ack:
			why = fill(q.WhyACKRel, "isn", num(uint32(peer)), "abs", num(r.Ack))
		}
		cand(quizBlank{kind: qHandshakeAck, answer: num(p.Ack), shown: num(p.Ack), why: why, start: start, end: end})
		ackBlank = true
	}
	if e := r.Find(fsm.HandshakeSYNACK); e != nil && p.HasSeq {
		if isn, ok := e.Get(fsm.KeyISN); ok && uint32(isn) == p.Seq {
			c.isn[from], c.hasISN[from] = p.Seq, true
		}
	}
	// each endpoint's next state, along edges from a known state
	if !r.Conn.Self {
		step := ""
		if e := keyEvent(r); e != nil {
			step = lang.Steps[e.Code]
		}
		for _, role := range [2]fsm.Role{from, to} {
			path := &r.Path[role]
			if path.N == 0 || r.Before[role] == fsm.Unknown || r.After[role] == fsm.Unknown {
				continue
			}
			edges := true
			chain := r.Before[role].String()
			for i := 0; i < int(path.N); i++ {
				edges = edges && path.Steps[i].How == fsm.HowEdge
				chain += w.Arrow + path.Steps[i].To.String()
			}
			if !edges {
				continue
			}
			why := step // one edge: the step names it
			if path.N > 1 || step == "" {
				why = chain
			}
			cand(quizBlank{kind: qState, answer: r.After[role].String(), shown: r.After[role].String(), why: why, role: role,
				q: fill(q.State, "role", w.Role[role], "before", r.Before[role].String())})
		}
	}
	// relative to absolute, when the ISN counted from is on the sheet
	if e := r.Find(fsm.TraceRelativeSeq); e != nil && r.Relative && !e.Has(fsm.KeyBaseUnknown) {
		for _, f := range [2]struct {
			name     string
			rel, abs fsm.Key
			base     fsm.Role
			skip     bool
		}{{"seq", fsm.KeyRelSeq, fsm.KeySeq, from, false}, {"ack", fsm.KeyRelAck, fsm.KeyAck, to, ackBlank}} {
			rel, ok1 := e.Get(f.rel)
			abs, ok2 := e.Get(f.abs)
			if f.skip || !ok1 || !ok2 || !c.hasISN[f.base] || c.isn[f.base]+uint32(rel) != uint32(abs) {
				continue
			}
			cand(quizBlank{kind: qRelative, answer: num(uint32(abs)), shown: num(uint32(abs)), field: f.name,
				why: fill(q.WhyRelative, "isn", num(c.isn[f.base]), "rel", num(uint32(rel)), "role", w.Role[f.base]),
				q:   fill(q.Relative, "field", f.name, "rel", num(uint32(rel)))})
		}
	}
	// the bytes an ACK newly acknowledges: this ack − the sender's last
	for _, code := range [2]fsm.Code{fsm.Ack, fsm.AckPiggyback} {
		e := r.Find(code)
		if e == nil {
			continue
		}
		acked, ok1 := e.Get(fsm.KeyAcked)
		ack, ok2 := e.Get(fsm.KeyAck)
		if !ok1 || !ok2 || acked <= 0 || !c.hasPrevAck[from] || c.prevAck[from]+uint32(acked) != uint32(ack) {
			continue
		}
		a, prev := uint32(ack), c.prevAck[from]
		if p.Ack-c.prevPAck[from] == uint32(acked) { // the numbers as the lines print them
			a, prev = p.Ack, c.prevPAck[from]
		}
		cand(quizBlank{kind: qAcked, answer: strconv.FormatInt(acked, 10), shown: strconv.FormatInt(acked, 10),
			why: fill(q.WhyAcked, "ack", num(a), "prev", num(prev), "role", w.Role[from], "line", strconv.Itoa(c.prevAckLine[from])),
			q:   q.Acked})
	}
	// a duplicate ACK's number: exactly that many earlier pure ACKs
	if e := r.Find(fsm.DupAck); e != nil && row.hasAck {
		if n, ok := e.Get(fsm.KeyCount); ok && n > 0 {
			if first, k := c.earlier(idx, func(o *quizRow) bool {
				return o.hasAck && o.ack == row.ack && o.len == 0 && !o.syn && !o.fin
			}); k == int(n) {
				cand(quizBlank{kind: qCount, answer: strconv.FormatInt(n, 10), shown: strconv.FormatInt(n, 10),
					why: fill(q.WhyDupAck, "line", strconv.Itoa(first)), q: fill(q.DupAck, "ack", num(p.Ack))})
			}
		}
	}
	// a retransmission's number: exactly that many earlier copies
	for _, code := range [2]fsm.Code{fsm.Retransmission, fsm.HandshakeSYNRetransmit} {
		e := r.Find(code)
		n, ok := int64(0), false
		if e != nil {
			n, ok = e.Get(fsm.KeyCount)
		}
		if !ok || n <= 0 || !row.hasSeq {
			continue
		}
		if first, k := c.earlier(idx, func(o *quizRow) bool {
			return o.hasSeq && o.seq == row.seq && o.syn == row.syn && (o.len > 0 || o.syn || o.fin) && o.len == row.len
		}); k == int(n) {
			qt := fill(q.Retrans, "seq", num(p.Seq))
			if code == fsm.HandshakeSYNRetransmit {
				qt = q.SYNRetrans
			}
			cand(quizBlank{kind: qCount, answer: strconv.FormatInt(n, 10), shown: strconv.FormatInt(n, 10),
				why: fill(q.WhyRetrans, "line", strconv.Itoa(first)), q: qt})
		}
	}
	// the close pattern, at the packet that decides it (the summary must
	// agree before it is asked)
	for i := range r.Events {
		if pat, ok := closeEvents[r.Events[i].Code]; ok {
			choices := strings.Join(q.Closes[:], q.ChoiceSep)
			cand(quizBlank{kind: qClose, answer: pat, q: fill(q.Close, "choices", choices)})
		}
	}
	if row.hasAck {
		c.prevAck[from], c.prevPAck[from], c.prevAckLine[from], c.hasPrevAck[from] = row.ack, p.Ack, rec.Line, true
	}
}

// earlier counts the rows before row idx from its sender that match, and
// gives the line of the first.
func (c *quizConn) earlier(idx int, match func(o *quizRow) bool) (first, n int) {
	from := c.rows[idx].from
	for i := 0; i < idx; i++ {
		o := &c.rows[i]
		if o.from == from && match(o) {
			if n == 0 {
				first = o.line
			}
			n++
		}
	}
	return first, n
}

// findNumber finds `name N` in a line, N the printed value, as a word of
// its own (not `sack`): the span of N, or -1.
func findNumber(raw, name string, v uint32) (start, end int) {
	want := name + " " + strconv.FormatUint(uint64(v), 10)
	for from := 0; ; {
		i := strings.Index(raw[from:], want)
		if i < 0 {
			return -1, -1
		}
		i += from
		j := i + len(want)
		before := i == 0 || raw[i-1] == ' ' || raw[i-1] == ','
		after := j == len(raw) || raw[j] < '0' || raw[j] > '9'
		if before && after {
			return i + len(name) + 1, j
		}
		from = i + 1
	}
}

// Summary keeps a connection's summary: the last one counts, since a
// later packet can show an earlier end was not one (a RST not accepted).
func (d *quizDoc) Summary(s *fsm.Summary) error {
	if c := d.byID[s.Conn.ID]; c != nil {
		sum := *s
		c.summary = &sum
	}
	return nil
}

// Close writes the sheet: the connections in the order they were first
// seen, then the answers. Nothing is written before the input ends, since
// a later packet can correct what an earlier one seemed to prove.
func (d *quizDoc) Close() error {
	rest := make([]*quizConn, 0, len(d.byID))
	for _, c := range d.byID {
		rest = append(rest, c)
	}
	sortConns(rest)
	for _, c := range rest {
		d.write(c)
	}
	d.head()
	d.end()
	return nil
}

// sortConns puts connections in the order they were first seen.
func sortConns(cs []*quizConn) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].id < cs[j-1].id; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// choose picks a connection's questions in order, within the bounds, and
// numbers them.
func (d *quizDoc) choose(c *quizConn) []quizBlank {
	var out []quizBlank
	var per [numQuizKinds]int
	asked := map[string]bool{} // role and state already asked
	room := min(quizPerConn, quizMax-d.asked)
	if room <= 0 {
		if len(c.cands) > 0 {
			d.left++
		}
		return nil
	}
	// the close question is at the last packet whose event decides the
	// pattern the summary gives; a slot is kept for it
	closeAt, reserve := -1, 0
	for i, b := range c.cands {
		if b.kind == qClose && c.summary != nil && c.summary.HasClose && c.summary.Close == b.answer {
			closeAt, reserve = i, 1
		}
	}
	for i, b := range c.cands {
		if b.kind == qClose && i != closeAt {
			continue
		}
		if len(out) >= room || b.kind != qClose && len(out) >= room-reserve {
			if b.kind != qClose {
				continue
			}
			break
		}
		if per[b.kind] >= quizCaps[b.kind] {
			continue
		}
		switch b.kind {
		case qState:
			k := strconv.Itoa(int(b.role)) + b.answer
			if c.corrected[b.role] || asked[k] {
				continue
			}
			asked[k] = true
		case qClose:
			s := c.summary
			for i, p := range closePatterns {
				if p == b.answer {
					b.shown = d.words().Closes[i]
				}
			}
			if s.Close == "three_packet" || s.Close == "four_packet" {
				b.why = fill(d.words().Closer, "role", d.o.Lang.text().Words.Role[s.Closer])
			}
		}
		per[b.kind]++
		out = append(out, b)
	}
	for i := range out {
		out[i].n = d.asked + i + 1
	}
	d.asked += len(out)
	return out
}

// write writes one connection's section, if it has questions.
func (d *quizDoc) write(c *quizConn) {
	delete(d.byID, c.id)
	d.held -= len(c.rows)
	bs := d.choose(c)
	if len(bs) == 0 {
		return
	}
	d.head()
	last := bs[len(bs)-1].row
	h := &d.o.Lang.text().Words
	w := d.w
	if d.html {
		id := strconv.Itoa(c.id)
		w.WriteString("<section class=\"conn\" id=\"conn-" + id + "\">\n<h2>" + escHTML(h.Connection+" "+id) + ": <code>" + escHTML(c.client) +
			"</code> → <code>" + escHTML(c.server) + "</code></h2>\n<pre class=\"trace\">")
	} else {
		w.WriteString("\n## " + h.Connection + " " + strconv.Itoa(c.id) + ": `" + strings.ReplaceAll(c.client, "`", "") + "` → `" + strings.ReplaceAll(c.server, "`", "") + "`\n\n")
	}
	var lines []string
	k := 0
	for i := 0; i <= last; i++ {
		raw := c.rows[i].raw
		var field *quizBlank
		var qs []*quizBlank
		for ; k < len(bs) && bs[k].row == i; k++ {
			if bs[k].q == "" {
				field = &bs[k]
			} else {
				qs = append(qs, &bs[k])
			}
		}
		if field != nil {
			lines = append(lines, d.text(raw[:field.start])+d.blank(field)+d.text(raw[field.end:]))
		} else {
			lines = append(lines, d.text(raw))
		}
		for _, b := range qs {
			pre, post, _ := strings.Cut(b.q, "{blank}")
			lines = append(lines, "    ┆ "+d.text(pre)+d.blank(b)+d.text(post))
		}
	}
	if d.html {
		w.WriteString(strings.Join(lines, "\n") + "</pre>\n</section>\n")
	} else {
		fence := strings.Repeat("`", max(3, longestRun(strings.Join(lines, "\n"), '`')+1))
		w.WriteString(fence + "\n" + strings.Join(lines, "\n") + "\n" + fence + "\n")
	}
	d.answers = append(d.answers, bs...)
}

// longestRun is the longest run of byte c in s.
func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// text makes a piece of a trace line safe where the sheet writes it:
// escaped in HTML; in Markdown (inside a code fence) invalid UTF-8 becomes
// U+FFFD and control characters other than newline and tab become spaces.
func (d *quizDoc) text(s string) string {
	if d.html {
		return escHTML(s)
	}
	return cleanText(s)
}

// cleanText replaces invalid UTF-8 and control characters but newlines
// and tabs.
func cleanText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(unicode.ReplacementChar)
		case r == '\n' || r == '\t': // a -v record's lines, tcpdump's tab
			b.WriteRune(r)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// blankMark is a numbered blank as the sheet prints it: ____(3).
func blankMark(n int) string { return "____(" + strconv.Itoa(n) + ")" }

// blank writes a numbered blank; in HTML a button that shows its answer.
func (d *quizDoc) blank(b *quizBlank) string {
	if !d.html {
		return blankMark(b.n)
	}
	n := strconv.Itoa(b.n)
	return "<button type=\"button\" class=\"blank\" data-n=\"" + n + "\" aria-expanded=\"false\"><span class=\"mark\">" + blankMark(b.n) +
		"</span><span class=\"ans\">" + escHTML(b.shown) + "</span></button>"
}

// head writes the top of the sheet, once.
func (d *quizDoc) head() {
	if d.started {
		return
	}
	d.started = true
	q := d.words()
	w := d.w
	if d.html {
		w.WriteString("<!DOCTYPE html>\n<html lang=\"" + d.o.Lang.String() + "\">\n<head>\n<meta charset=\"utf-8\">\n")
		w.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"tcpnote\">\n")
		w.WriteString("<title>" + escHTML(q.Title) + "</title>\n<style>\n" + quizCSS + "</style>\n</head>\n<body>\n<header>\n<h1>" + escHTML(q.Title) + "</h1>\n")
		w.WriteString("<p class=\"intro\">" + escHTML(q.Intro) + "</p>\n<p class=\"hint\">" + escHTML(q.Click) +
			" <button type=\"button\" id=\"show-all\" aria-pressed=\"false\">" + escHTML(q.ShowAll) + "</button></p>\n</header>\n<main>\n")
		return
	}
	w.WriteString("# " + mdEscape(q.Title) + "\n\n" + mdEscape(q.Intro) + "\n")
}

// end writes what follows the sections: what was left out, and the
// answers, numbered, last (a page of their own when printed).
func (d *quizDoc) end() {
	q := d.words()
	h := &d.o.Lang.text().Words
	w := d.w
	var notes []string
	switch {
	case d.seen == 0:
		notes = append(notes, h.None)
	case d.asked == 0:
		notes = append(notes, q.NoQuestions)
	}
	if d.left > 0 {
		notes = append(notes, fill(q.Left, "conns", strconv.Itoa(d.left)))
	}
	if d.unread.n > 0 {
		notes = append(notes, string(d.unread.appendTally(nil, d.o.Lang)))
	}
	for _, n := range notes {
		if d.html {
			w.WriteString("<p class=\"note\">" + escHTML(n) + "</p>\n")
		} else {
			w.WriteString("\n" + mdEscape(n) + "\n")
		}
	}
	if d.asked > 0 {
		if d.html {
			w.WriteString("<section class=\"answers\" id=\"answers\">\n<h2>" + escHTML(q.Answers) +
				" <button type=\"button\" id=\"show-key\" aria-pressed=\"false\">" + escHTML(q.ShowAll) + "</button></h2>\n<ol>\n")
		} else {
			w.WriteString("\n## " + mdEscape(q.Answers) + "\n\n")
		}
		for _, b := range d.answers {
			n := strconv.Itoa(b.n)
			if d.html {
				w.WriteString("<li value=\"" + n + "\" id=\"a" + n + "\"><code>" + escHTML(b.shown) + "</code>")
				if b.why != "" {
					w.WriteString(" — " + escHTML(b.why))
				}
				w.WriteString("</li>\n")
				continue
			}
			w.WriteString(n + ". `" + strings.ReplaceAll(b.shown, "`", "") + "`")
			if b.why != "" {
				w.WriteString(" — " + mdEscape(b.why))
			}
			w.WriteString("\n")
		}
		if d.html {
			w.WriteString("</ol>\n</section>\n")
		}
	}
	if d.html {
		w.WriteString("</main>\n<script>\n" + quizJS + "</script>\n</body>\n</html>\n")
	}
}

// The sheet's style and script, files of their own so they can be read
// and checked as CSS and JavaScript.
var (
	//go:embed quiz.css
	quizCSS string
	//go:embed quiz.js
	quizJS string
)
