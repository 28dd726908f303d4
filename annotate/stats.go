package annotate

import (
	"bufio"
	"container/heap"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The expert summary (--stats): at the end of the output, a conversation
// table (one row per connection: packets and payload bytes each way,
// duration, round trips, retransmissions, close, Zeek's conn_state in words)
// and the anomalies counted by connection, worst first. It is collected
// beside the format, from every Result and Summary the pipeline sees, so it
// is the same whatever --format and follows --conn.
//
// Memory and output are bounded whatever the trace:
//
//   - a connection not yet summarized holds one statsRow (about 150 bytes
//     and 16 bytes per kind of anomaly it showed); such connections are
//     the tracker's live ones, so --max-conns bounds them;
//   - of the summarized connections, the statsMaxRows worst are kept (with
//     their *fsm.Conn, to read the summary again at the end: packets that
//     come after a connection's summary, in TIME_WAIT, still count); the
//     others are folded into one "and N more" line with their totals;
//   - so the output is at most statsMaxRows conversation rows, as many
//     anomaly rows, a totals line and the "more" line.
const statsMaxRows = 1000

// StatsWords are a language's words for the expert summary (--stats).
type StatsWords struct {
	// Heading: %d is the number of connections.
	Heading [2]string // one, several
	// Legend explains the arrows and the columns, one line.
	Legend string
	// Columns head the conversation table (statsCol order).
	Columns [numStatsCols]string
	// Unknown fills a cell the trace gives no value for.
	Unknown string
	// Close words fsm.Summary.Close, by its code; "" (open, unknown) is
	// Unknown.
	Close map[string]string
	// ConnState words each Zeek conn_state code (in the language, from
	// Zeek's definitions): "SF": "normal establishment and termination".
	ConnState map[string]string
	// Anomalies heads the anomaly table; NoAnomalies is said when the
	// connections listed showed none. AnomalyColumns head the Markdown
	// table: connection, anomalies.
	Anomalies, NoAnomalies string
	AnomalyColumns         [2]string
	// Total labels the row of all connections' totals.
	Total string
	// More says what the table left out: %[1]d connections, %[2]d packets,
	// %[3]d payload bytes, %[4]d anomalies; %[5]d is how many are listed.
	More string
	// HistoryHead introduces a connection's history letters (--stats=history):
	// %[1]s is the connection ("#3"), %[2]s the history string.
	HistoryHead string
	// History words Zeek's history letters by their lower-case form, and
	// ^. An upper-case letter means the same, sent by the originator (the
	// client); HistoryRole joins the role to the meaning.
	History map[string]string
	// HistoryEq follows the letter, HistoryRole follows the role,
	// HistorySep joins the letters' explanations.
	HistoryEq, HistoryRole, HistorySep string
	// AgainSeq follows a repeated s, h, f or r (another sequence number);
	// AgainLog a repeated t, w or g (Zeek writes them again at 10, 100 …).
	AgainSeq, AgainLog string
	// UnknownLetter words a letter Zeek does not define.
	UnknownLetter string
}

// statsCol is a column of the conversation table.
type statsCol uint8

// The conversation table's columns, in order; conn_state comes last, its
// words after it unpadded.
const (
	colConn statsCol = iota
	colClient
	colServer
	colPktsCS
	colBytesCS
	colPktsSC
	colBytesSC
	colDuration
	colIRTT
	colRTTCS
	colRTTSC
	colRetrans
	colClose
	colConnState
	numStatsCols
)

// connStates are Zeek's conn_state codes, in the order Zeek documents them.
var connStates = []string{"S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH"}

// historyLetters are Zeek's history letters (lower case) and ^.
const historyLetters = "shadfrcgtwiq^"

// closeCodes are the values of fsm.Summary.Close other than "".
var closeCodes = []string{"three_packet", "four_packet", "simultaneous", "refused", "reset"}

// anomalous reports whether a code counts in the anomaly table: every
// warning of the vocabulary (Spec.Warn: retransmissions of each kind, loss,
// dup ACKs, zero windows, resets, gaps), every lint finding (KindLint), and
// the window events that mean the sender is stalled by the receiver
// (zero-window probes, a full window), which the vocabulary does not mark
// as warnings because they are TCP working as designed.
func anomalous(c fsm.Code) bool {
	s := c.Spec()
	switch {
	case c == fsm.CodeNone || c >= fsm.NumCodes:
		return false
	case s.Warn, s.Kind == fsm.KindLint:
		return c != fsm.TraceUnreadable // belongs to no connection
	}
	return c == fsm.WindowProbe || c == fsm.WindowProbeFirst || c == fsm.WindowFull
}

// AppendConnState appends the words for a Zeek conn_state code in a
// language (not the code itself): "SF" gives "normal establishment and
// termination". An empty or unknown code appends nothing.
func AppendConnState(b []byte, lang Lang, code string) []byte {
	return append(b, lang.text().Words.Stats.ConnState[code]...)
}

// AppendHistory appends Zeek's history letters explained one by one in a
// language: "S = client: SYN without ACK; h = server: SYN-ACK; …" (the
// history string itself is not repeated).
func AppendHistory(b []byte, lang Lang, history string) []byte {
	w := &lang.text().Words
	sw := &w.Stats
	var seen [256]uint8
	for i := 0; i < len(history); i++ {
		l := history[i]
		if i > 0 {
			b = append(b, sw.HistorySep...)
		}
		b = append(b, l)
		b = append(b, sw.HistoryEq...)
		lower, role := l, -1
		switch {
		case l >= 'A' && l <= 'Z':
			lower, role = l+'a'-'A', int(fsm.Client)
		case l >= 'a' && l <= 'z':
			role = int(fsm.Server)
		}
		meaning, ok := sw.History[string(lower)]
		if !ok || strings.IndexByte(historyLetters, lower) < 0 {
			b = append(b, sw.UnknownLetter...)
			continue
		}
		if role >= 0 {
			b = append(b, w.Role[role]...)
			b = append(b, sw.HistoryRole...)
		}
		b = append(b, meaning...)
		if seen[l] > 0 {
			switch lower {
			case 's', 'h', 'f', 'r':
				b = append(b, sw.AgainSeq...)
			case 't', 'w', 'g':
				b = append(b, sw.AgainLog...)
			}
		}
		if seen[l] < 255 {
			seen[l]++
		}
	}
	return b
}

// codeCount is how many events of one anomalous code a connection showed.
type codeCount struct {
	code fsm.Code
	n    uint64
}

// statsRow is one connection's line of the conversation table.
type statsRow struct {
	id        int
	conn      *fsm.Conn
	pkts      [2]uint64 // segments each way, as the trace shows them
	bytes     [2]uint64 // payload bytes each way, retransmissions included
	counts    []codeCount
	anomalies uint64
	idx       int // in the kept heap
}

func (r *statsRow) add(res *fsm.Result, p *grammar.Packet) {
	switch {
	case p.Frag.Later:
		// an IP fragment after the first carries no TCP header: part of
		// the segment counted at its first fragment, not a segment of
		// its own; its bytes are payload when the text prints them
		if p.Frag.Len > 0 {
			r.bytes[res.From] += uint64(p.Frag.Len)
		}
	case p.HasLen:
		r.pkts[res.From]++
		r.bytes[res.From] += uint64(p.Len)
	default:
		r.pkts[res.From]++
	}
	for i := range res.Events {
		c := res.Events[i].Code
		if !anomalous(c) {
			continue
		}
		r.anomalies++
		j := sort.Search(len(r.counts), func(j int) bool { return r.counts[j].code >= c })
		if j < len(r.counts) && r.counts[j].code == c {
			r.counts[j].n++
			continue
		}
		r.counts = append(r.counts, codeCount{})
		copy(r.counts[j+1:], r.counts[j:])
		r.counts[j] = codeCount{c, 1}
	}
}

// worse orders rows worst first: more anomalies, then the earlier
// connection.
func worse(a, b *statsRow) bool {
	if a.anomalies != b.anomalies {
		return a.anomalies > b.anomalies
	}
	return a.id < b.id
}

// keptRows is a heap whose top is the row to drop first.
type keptRows []*statsRow

func (h keptRows) Len() int           { return len(h) }
func (h keptRows) Less(i, j int) bool { return worse(h[j], h[i]) }
func (h keptRows) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *keptRows) Push(x any) {
	r := x.(*statsRow)
	r.idx = len(*h)
	*h = append(*h, r)
}
func (h *keptRows) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}

// statsTotals are packets, bytes and anomalies summed over connections.
type statsTotals struct {
	conns     int
	pkts      [2]uint64
	bytes     [2]uint64
	anomalies uint64
	counts    [fsm.NumCodes]uint64
}

func (t *statsTotals) addRow(r *statsRow) {
	t.conns++
	t.addPackets(r)
}

func (t *statsTotals) addPackets(r *statsRow) {
	for d := range t.pkts {
		t.pkts[d] += r.pkts[d]
		t.bytes[d] += r.bytes[d]
	}
	t.anomalies += r.anomalies
	for _, c := range r.counts {
		t.counts[c.code] += c.n
	}
}

// Stats collects the expert summary (--stats) while the trace is read and
// writes it at the end. The pipeline gives it every record it gives the
// format (Record) and every connection's summary (Summary), whether or
// not the format is given them.
type Stats struct {
	lang    Lang
	history bool // --stats=history: each connection's history explained
	max     int  // rows kept: statsMaxRows

	open    map[int]*statsRow // connections not yet summarized
	kept    keptRows          // summarized, kept in full
	keptID  map[int]*statsRow
	maxSeen int         // the highest connection number seen
	all     statsTotals // every connection
	more    statsTotals // the connections not kept
	buf     []byte
}

// NewStats returns a collector for the expert summary in a language; with
// history, each listed connection's history letters are explained too.
func NewStats(lang Lang, history bool) *Stats {
	return &Stats{lang: lang, history: history, max: statsMaxRows, open: map[int]*statsRow{}, keptID: map[int]*statsRow{}}
}

// Record counts one record (res nil: not a TCP segment, not counted).
func (s *Stats) Record(rec *grammar.Record, res *fsm.Result) {
	if res == nil || res.Conn == nil {
		return
	}
	id := res.Conn.ID
	r := s.open[id]
	if r == nil {
		r = s.keptID[id]
	}
	if r == nil && id <= s.maxSeen {
		// a packet after its connection's summary, of a connection
		// folded into "more": count it there
		late := statsRow{}
		late.add(res, &rec.Packet)
		s.more.addPackets(&late)
		s.all.addPackets(&late)
		return
	}
	if r == nil {
		r = &statsRow{id: id, conn: res.Conn, idx: -1}
		s.open[id] = r
		s.maxSeen = id
	}
	before := r.anomalies
	r.add(res, &rec.Packet)
	if r.idx >= 0 {
		// a kept row after its summary: its place may change, and the
		// totals were taken already
		if r.anomalies != before {
			heap.Fix(&s.kept, r.idx)
		}
		late := statsRow{}
		late.add(res, &rec.Packet)
		s.all.addPackets(&late)
	}
}

// Summary takes a connection's summary: its row is complete, kept if it
// is among the worst statsMaxRows, else folded into "more".
func (s *Stats) Summary(sum *fsm.Summary) {
	c := sum.Conn
	r := s.open[c.ID]
	if r == nil {
		if s.keptID[c.ID] != nil {
			return // summarized twice: once is enough
		}
		r = &statsRow{id: c.ID, conn: c, idx: -1}
		if c.ID > s.maxSeen {
			s.maxSeen = c.ID
		}
	}
	delete(s.open, c.ID)
	s.all.addRow(r)
	if len(s.kept) < s.max {
		heap.Push(&s.kept, r)
		s.keptID[r.id] = r
		return
	}
	if top := s.kept[0]; worse(r, top) {
		heap.Pop(&s.kept)
		delete(s.keptID, top.id)
		top.idx = -1
		s.more.addRow(top)
		heap.Push(&s.kept, r)
		s.keptID[r.id] = r
		return
	}
	s.more.addRow(r)
}

// Write writes the expert summary at the end of f's output: aligned lines
// marked like every added line in text, tables in Markdown, records in
// JSON. Mermaid and HTML get none (a diagram or a page has no place after
// its end); their handouts may call the Append functions instead.
func (s *Stats) Write(f Formatter, w *bufio.Writer) error {
	// connections still open (no summary was given: a filter) are listed
	// as they are
	ids := make([]int, 0, len(s.open))
	for id := range s.open {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		r := s.open[id]
		sum := r.conn.Summary()
		s.Summary(&sum)
	}
	rows := append([]*statsRow(nil), s.kept...)
	sort.Slice(rows, func(i, j int) bool { return worse(rows[i], rows[j]) })
	sums := make([]fsm.Summary, len(rows))
	for i, r := range rows {
		sums[i] = r.conn.Summary()
	}
	if sw, ok := f.(statsWriter); ok {
		sw.writeStats(s, w, rows, sums)
	}
	return nil
}

// StatsFormat reports whether a format has a form for the --stats table
// (it is a statsWriter; TestStatsFormats holds the two together): the
// command line refuses --stats with any other.
func StatsFormat(format string) bool {
	switch format {
	case "text", "json", "jsonl", "markdown", "md":
		return true
	}
	return false
}

// statsWriter is a format that has a form for the --stats table: text,
// JSON and Markdown. The diagrams (Mermaid, HTML) and the worksheet have
// none, and Write writes nothing after them.
type statsWriter interface {
	writeStats(s *Stats, w *bufio.Writer, rows []*statsRow, sums []fsm.Summary)
}

func (t *textFormatter) writeStats(s *Stats, w *bufio.Writer, rows []*statsRow, sums []fsm.Summary) {
	t.startLine()
	s.writeText(w, rows, sums, t.pal)
}

func (j *jsonFormatter) writeStats(s *Stats, w *bufio.Writer, rows []*statsRow, sums []fsm.Summary) {
	s.writeJSON(w, rows, sums)
}

func (d *markdownDoc) writeStats(s *Stats, w *bufio.Writer, rows []*statsRow, sums []fsm.Summary) {
	s.writeMarkdown(w, rows, sums)
}

// cells returns a row's cells, in statsCol order; conn_state's words are
// returned apart.
func (s *Stats) cells(r *statsRow, sum *fsm.Summary) (cells [numStatsCols]string, words string) {
	l := s.lang.text()
	sw := &l.Words.Stats
	cells[colConn] = "#" + strconv.Itoa(r.id)
	cells[colClient], cells[colServer] = r.conn.Client, r.conn.Server
	cells[colPktsCS] = strconv.FormatUint(r.pkts[fsm.Client], 10)
	cells[colBytesCS] = strconv.FormatUint(r.bytes[fsm.Client], 10)
	cells[colPktsSC] = strconv.FormatUint(r.pkts[fsm.Server], 10)
	cells[colBytesSC] = strconv.FormatUint(r.bytes[fsm.Server], 10)
	cells[colDuration] = string(l.dur(nil, sum.DurationUs))
	cells[colIRTT] = sw.Unknown
	if sum.HasIRTT {
		cells[colIRTT] = string(l.dur(nil, sum.IRTTUs))
	}
	for i, col := range [2]statsCol{colRTTCS, colRTTSC} {
		rs := sum.AckRTT[i]
		if rs.N == 0 {
			cells[col] = sw.Unknown
			continue
		}
		b := l.dur(nil, rs.MinUs)
		b = append(b, '/')
		b = l.dur(b, rs.MedianUs)
		b = append(b, '/')
		b = l.dur(b, rs.MaxUs)
		cells[col] = string(b)
	}
	cells[colRetrans] = strconv.FormatUint(sum.Retrans[0]+sum.Retrans[1], 10)
	cells[colClose] = sw.Unknown
	if w := sw.Close[sum.Close]; w != "" {
		cells[colClose] = w
	}
	cells[colConnState] = sw.Unknown
	if sum.ConnState != "" {
		cells[colConnState] = sum.ConnState
		words = string(AppendConnState(nil, s.lang, sum.ConnState))
	}
	return cells, words
}

// totalCells is the table's last row: every connection's packets and
// bytes, the listed and the others.
func (s *Stats) totalCells() (cells [numStatsCols]string) {
	t := &s.all
	cells[colClient] = s.lang.text().Words.Stats.Total
	cells[colPktsCS] = strconv.FormatUint(t.pkts[fsm.Client], 10)
	cells[colBytesCS] = strconv.FormatUint(t.bytes[fsm.Client], 10)
	cells[colPktsSC] = strconv.FormatUint(t.pkts[fsm.Server], 10)
	cells[colBytesSC] = strconv.FormatUint(t.bytes[fsm.Server], 10)
	return cells
}

// anomalyList words a row's anomalies, most frequent first: "duplicate
// ACK 6, fast retransmission 2".
func (s *Stats) anomalyList(counts []codeCount) string {
	var b []byte
	l := s.lang.text()
	cs := append([]codeCount(nil), counts...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].n > cs[j].n })
	for i, c := range cs {
		if i > 0 {
			b = append(b, l.Words.ListSep...)
		}
		b = append(b, anomalyName(l, c.code)...)
		b = append(b, ' ')
		b = strconv.AppendUint(b, c.n, 10)
	}
	return string(b)
}

// anomalyName is an anomaly's name in a language: its step label, the
// words the diagrams use (every anomalous code has one, TestStatsWords),
// else its JSON name.
func anomalyName(l *Language, c fsm.Code) string {
	if n := l.Steps[c]; n != "" {
		return n
	}
	return c.Spec().Name
}

// totalCounts lists the totals' anomaly counts in code order.
func totalCounts(t *statsTotals) []codeCount {
	var cs []codeCount
	for c, n := range t.counts {
		if n > 0 {
			cs = append(cs, codeCount{fsm.Code(c), n})
		}
	}
	return cs
}

// displayWidth is how many terminal columns s takes: East Asian wide and
// full-width characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// numeric columns are aligned right.
func numeric(c statsCol) bool {
	switch c {
	case colPktsCS, colBytesCS, colPktsSC, colBytesSC, colRetrans:
		return true
	}
	return false
}

func (s *Stats) heading() string {
	sw := &s.lang.text().Words.Stats
	n := s.all.conns
	h := sw.Heading[1]
	if n == 1 {
		h = sw.Heading[0]
	}
	return strings.Replace(h, "%d", strconv.Itoa(n), 1)
}

// moreText says what the table left out.
func (s *Stats) moreText() string {
	sw := &s.lang.text().Words.Stats
	m := &s.more
	return sprintf(sw.More, uint64(m.conns), m.pkts[0]+m.pkts[1], m.bytes[0]+m.bytes[1], m.anomalies, uint64(len(s.kept)))
}

// sprintf fills a template's %[1]d … %[5]d (and plain %d in order) with
// numbers, without fmt's reflection.
func sprintf(t string, args ...uint64) string {
	var b []byte
	next := 0
	for i := 0; i < len(t); i++ {
		if t[i] != '%' || i+1 >= len(t) {
			b = append(b, t[i])
			continue
		}
		j, k := i+1, next
		if t[j] == '[' && j+3 < len(t) && t[j+2] == ']' {
			k = int(t[j+1] - '1')
			j += 3
		}
		if j < len(t) && t[j] == 'd' && k >= 0 && k < len(args) {
			b = strconv.AppendUint(b, args[k], 10)
			next = k + 1
			i = j
			continue
		}
		b = append(b, t[i])
	}
	return string(b)
}

func (s *Stats) writeText(w *bufio.Writer, rows []*statsRow, sums []fsm.Summary, pal palette) {
	l := s.lang.text()
	sw := &l.Words.Stats
	line := func(text string) {
		w.WriteString(Marker)
		w.WriteString(text)
		w.WriteByte('\n')
	}
	w.WriteString(pal.summary)
	w.WriteString(summaryMarker)
	w.WriteString(s.heading())
	w.WriteString(pal.reset)
	w.WriteByte('\n')
	line(sw.Legend)
	table := make([][numStatsCols]string, 0, len(rows)+2)
	words := make([]string, 0, len(rows)+2)
	table = append(table, sw.Columns)
	words = append(words, "")
	for i, r := range rows {
		c, ws := s.cells(r, &sums[i])
		table = append(table, c)
		words = append(words, ws)
	}
	table = append(table, s.totalCells())
	words = append(words, "")
	var widths [numStatsCols]int
	for i, row := range table {
		for c, cell := range row {
			if statsCol(c) == colConnState && i == 0 {
				continue // the last heading may stick out: the codes are short
			}
			widths[c] = max(widths[c], displayWidth(cell))
		}
	}
	var b []byte
	for i, row := range table {
		b = b[:0]
		for c, cell := range row {
			pad := max(widths[c]-displayWidth(cell), 0)
			if c > 0 {
				b = append(b, "  "...)
			}
			if numeric(statsCol(c)) && i > 0 {
				b = append(b, strings.Repeat(" ", pad)...)
				b = append(b, cell...)
				continue
			}
			b = append(b, cell...)
			if statsCol(c) != colConnState || words[i] != "" {
				b = append(b, strings.Repeat(" ", pad)...)
			}
		}
		if words[i] != "" {
			b = append(b, ' ')
			b = append(b, words[i]...)
		}
		line(strings.TrimRight(string(b), " "))
	}
	if s.more.conns > 0 {
		line(s.moreText())
	}
	t := &s.all
	// the anomalies, by connection, worst first
	line(sw.Anomalies)
	listed := false
	for _, r := range rows {
		if r.anomalies == 0 {
			continue
		}
		listed = true
		line("  #" + strconv.Itoa(r.id) + "  " + s.anomalyList(r.counts))
	}
	if !listed && s.more.anomalies == 0 {
		line("  " + sw.NoAnomalies)
	}
	if t.anomalies > 0 {
		line("  " + sw.Total + "  " + s.anomalyList(totalCounts(t)))
	}
	if s.history {
		for _, g := range historyGroups(rows, sums) {
			h := strings.Replace(strings.Replace(sw.HistoryHead, "%[1]s", g.conns(), 1), "%[2]s", g.history, 1)
			line(h + string(AppendHistory(nil, s.lang, g.history)))
		}
	}
}

// historyGroup is the connections listed with one history string: each
// history is explained once.
type historyGroup struct {
	history string
	ids     []int
}

// conns names the group's connections: "#1", "#1, #2", "#1, #2, #3 … (+197)".
func (g *historyGroup) conns() string {
	var b []byte
	for i, id := range g.ids {
		if i == 3 {
			b = append(b, " … (+"...)
			b = strconv.AppendInt(b, int64(len(g.ids)-3), 10)
			b = append(b, ')')
			break
		}
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '#')
		b = strconv.AppendInt(b, int64(id), 10)
	}
	return string(b)
}

// historyGroups groups the listed rows by history, in the order the
// histories first appear.
func historyGroups(rows []*statsRow, sums []fsm.Summary) []*historyGroup {
	var gs []*historyGroup
	by := map[string]*historyGroup{}
	for i, r := range rows {
		h := sums[i].History
		if h == "" {
			continue
		}
		g := by[h]
		if g == nil {
			g = &historyGroup{history: h}
			by[h] = g
			gs = append(gs, g)
		}
		g.ids = append(g.ids, r.id)
	}
	return gs
}

func (s *Stats) writeMarkdown(w *bufio.Writer, rows []*statsRow, sums []fsm.Summary) {
	l := s.lang.text()
	sw := &l.Words.Stats
	w.WriteString("\n## " + mdEscape(s.heading()) + "\n\n" + mdEscape(sw.Legend) + "\n\n|")
	for _, h := range sw.Columns {
		w.WriteString(" " + mdEscape(h) + " |")
	}
	w.WriteString("\n|")
	for c := range sw.Columns {
		if numeric(statsCol(c)) {
			w.WriteString("---:|")
		} else {
			w.WriteString("---|")
		}
	}
	w.WriteByte('\n')
	for i, r := range rows {
		cells, words := s.cells(r, &sums[i])
		w.WriteByte('|')
		for c, cell := range cells {
			switch statsCol(c) {
			case colClient, colServer:
				cell = "`" + strings.ReplaceAll(cell, "`", "") + "`"
			case colConnState:
				if words != "" {
					cell = "**" + cell + "** " + mdEscape(words)
				}
			default:
				cell = mdEscape(cell)
			}
			w.WriteString(" " + cell + " |")
		}
		w.WriteByte('\n')
	}
	w.WriteByte('|')
	for _, cell := range s.totalCells() {
		if cell != "" {
			cell = "**" + mdEscape(cell) + "**"
		}
		w.WriteString(" " + cell + " |")
	}
	w.WriteByte('\n')
	if s.more.conns > 0 {
		w.WriteString("\n" + mdEscape(s.moreText()) + "\n")
	}
	t := &s.all
	w.WriteString("\n### " + mdEscape(strings.TrimRight(sw.Anomalies, ":：")) + "\n\n")
	if t.anomalies == 0 {
		w.WriteString(mdEscape(sw.NoAnomalies) + "\n")
	} else {
		w.WriteString("| " + mdEscape(sw.AnomalyColumns[0]) + " | " + mdEscape(sw.AnomalyColumns[1]) + " |\n|---|---|\n")
		for _, r := range rows {
			if r.anomalies > 0 {
				w.WriteString("| #" + strconv.Itoa(r.id) + " | " + mdEscape(s.anomalyList(r.counts)) + " |\n")
			}
		}
		w.WriteString("| **" + mdEscape(sw.Total) + "** | " + mdEscape(s.anomalyList(totalCounts(t))) + " |\n")
	}
	if s.history {
		w.WriteByte('\n')
		for _, g := range historyGroups(rows, sums) {
			w.WriteString("- `" + g.history + "` (" + g.conns() + "): " + mdEscape(string(AppendHistory(nil, s.lang, g.history))) + "\n")
		}
	}
}

// appendPair appends {"client":a,"server":b}.
func appendPair(b []byte, v [2]uint64) []byte {
	b = append(b, `{"client":`...)
	b = strconv.AppendUint(b, v[0], 10)
	b = append(b, `,"server":`...)
	b = strconv.AppendUint(b, v[1], 10)
	return append(b, '}')
}

// appendCountsJSON appends {"code":n,…} in code order.
func appendCountsJSON(b []byte, counts []codeCount) []byte {
	b = append(b, '{')
	for i, c := range counts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStr(b, c.code.Spec().Name)
		b = append(b, ':')
		b = strconv.AppendUint(b, c.n, 10)
	}
	return append(b, '}')
}

// writeJSON writes one "conversation" record per listed connection, worst
// first, then one "stats" record with the totals (docs/formats.md).
func (s *Stats) writeJSON(w *bufio.Writer, rows []*statsRow, sums []fsm.Summary) {
	for i, r := range rows {
		sum := &sums[i]
		b := append(s.buf[:0], `{"kind":"conversation","conn":`...)
		b = strconv.AppendInt(b, int64(r.id), 10)
		b = key(b, "client")
		b = appendStr(b, r.conn.Client)
		b = key(b, "server")
		b = appendStr(b, r.conn.Server)
		b = key(b, "packets")
		b = appendPair(b, r.pkts)
		b = key(b, "payload_bytes")
		b = appendPair(b, r.bytes)
		b = key(b, "duration_us")
		b = strconv.AppendInt(b, sum.DurationUs, 10)
		if sum.HasIRTT {
			b = key(b, "irtt_us")
			b = strconv.AppendInt(b, sum.IRTTUs, 10)
		}
		if sum.AckRTT[0].N > 0 || sum.AckRTT[1].N > 0 {
			b = key(b, "ack_rtt")
			b = append(b, '{')
			sep := ""
			for role, rs := range sum.AckRTT {
				if rs.N == 0 {
					continue
				}
				b = append(b, sep...)
				sep = ","
				b = appendStr(b, fsm.Role(role).String())
				b = append(b, `:{"n":`...)
				b = strconv.AppendInt(b, int64(rs.N), 10)
				b = append(b, `,"min_us":`...)
				b = strconv.AppendInt(b, rs.MinUs, 10)
				b = append(b, `,"median_us":`...)
				b = strconv.AppendInt(b, rs.MedianUs, 10)
				b = append(b, `,"max_us":`...)
				b = strconv.AppendInt(b, rs.MaxUs, 10)
				b = append(b, '}')
			}
			b = append(b, '}')
		}
		b = key(b, "retransmissions")
		b = strconv.AppendUint(b, sum.Retrans[0]+sum.Retrans[1], 10)
		if sum.Close != "" {
			b = key(b, "close")
			b = appendStr(b, sum.Close)
		}
		if sum.ConnState != "" {
			b = key(b, "conn_state")
			b = appendStr(b, sum.ConnState)
			b = key(b, "conn_state_text")
			b = appendStr(b, string(AppendConnState(nil, s.lang, sum.ConnState)))
			b = key(b, "history")
			b = appendStr(b, sum.History)
			if s.history {
				b = key(b, "history_text")
				b = appendStr(b, string(AppendHistory(nil, s.lang, sum.History)))
			}
		}
		b = key(b, "anomalies")
		b = appendCountsJSON(b, r.counts)
		b = append(b, "}\n"...)
		w.Write(b)
		s.buf = b
	}
	t := &s.all
	b := append(s.buf[:0], `{"kind":"stats","conns":`...)
	b = strconv.AppendInt(b, int64(t.conns), 10)
	b = key(b, "listed")
	b = strconv.AppendInt(b, int64(len(rows)), 10)
	b = key(b, "packets")
	b = appendPair(b, t.pkts)
	b = key(b, "payload_bytes")
	b = appendPair(b, t.bytes)
	b = key(b, "anomalies")
	b = appendCountsJSON(b, totalCounts(t))
	if m := &s.more; m.conns > 0 {
		b = key(b, "more")
		b = append(b, `{"conns":`...)
		b = strconv.AppendInt(b, int64(m.conns), 10)
		b = key(b, "packets")
		b = appendPair(b, m.pkts)
		b = key(b, "payload_bytes")
		b = appendPair(b, m.bytes)
		b = key(b, "anomalies")
		b = strconv.AppendUint(b, m.anomalies, 10)
		b = append(b, '}')
	}
	b = append(b, "}\n"...)
	w.Write(b)
	s.buf = b
}
