package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// feed runs a trace through the pipeline as cmd/tcpnote does, into f,
// with every connection's summary.
func feed(t testing.TB, f Formatter, trace string) {
	t.Helper()
	tr := fsm.NewTracker()
	due := func(cs []*fsm.Conn) {
		for _, c := range cs {
			s := c.Summary()
			if err := f.Summary(&s); err != nil {
				t.Fatal(err)
			}
		}
	}
	s := grammar.NewScanner(strings.NewReader(trace))
	for s.Scan() {
		rec := s.Record()
		var r *fsm.Result
		if rec.Kind == grammar.TCP {
			r = tr.Process(&rec.Packet, rec.Line)
		} else {
			tr.Other(rec.Raw)
		}
		if err := f.Record(rec, r); err != nil {
			t.Fatal(err)
		}
		due(tr.Due())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	due(tr.Due())
	due(tr.Flush())
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// quizOf writes a trace's worksheet and returns it with its answers.
func quizOf(t testing.TB, lang Lang, html bool, trace string) (string, []quizBlank) {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := newQuiz(w, Options{Lang: lang}, html)
	feed(t, d, trace)
	w.Flush()
	return buf.String(), d.answers
}

// jsonRec is what the test reads of a JSON Lines record.
type jsonRec struct {
	Line   int    `json:"line"`
	Raw    string `json:"raw"`
	Kind   string `json:"kind"`
	Conn   int    `json:"conn"`
	Packet struct {
		Ack    *uint32 `json:"ack"`
		SeqAbs *uint32 `json:"seq_abs"`
		AckAbs *uint32 `json:"ack_abs"`
	} `json:"packet"`
	Events  []map[string]any  `json:"events"`
	State   map[string]string `json:"state"`
	Changes []struct {
		Role, To, How string
	} `json:"changes"`
	Close string `json:"close"`
}

// jsonOf writes a trace as JSON Lines and indexes it: TCP records by
// connection and line, summaries by connection.
func jsonOf(t testing.TB, trace string) (recs map[[2]int][]jsonRec, sums map[int]jsonRec) {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	feed(t, newJSON(w, Options{Lang: English, Summaries: true}), trace)
	w.Flush()
	recs, sums = map[[2]int][]jsonRec{}, map[int]jsonRec{}
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var r jsonRec
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		switch r.Kind {
		case "tcp":
			recs[[2]int{r.Conn, r.Line}] = append(recs[[2]int{r.Conn, r.Line}], r)
		case "summary":
			sums[r.Conn] = r
		}
	}
	return recs, sums
}

// event finds a JSON record's event by code.
func (r *jsonRec) event(codes ...string) map[string]any {
	for _, e := range r.Events {
		for _, c := range codes {
			if e["code"] == c {
				return e
			}
		}
	}
	return nil
}

// num reads an event's number as text.
func num(e map[string]any, k string) string {
	v, ok := e[k].(float64)
	if !ok {
		return "<none>"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// reAnswer is one line of a Markdown sheet's answers.
var reAnswer = regexp.MustCompile("(?m)^([0-9]+)\\. `([^`]*)`")

// checkQuiz checks a sheet against the JSON of the same trace: every
// answer is what JSON says of the packet the blank is on, the sheet
// prints that answer in its key, and the blank sits on that packet's line.
// It returns how many blanks it checked.
func checkQuiz(t *testing.T, name, trace string) int {
	t.Helper()
	out, bs := quizOf(t, English, false, trace)
	recs, sums := jsonOf(t, trace)
	key := map[int]string{}
	if i := strings.LastIndex(out, "\n## Answers\n"); i >= 0 {
		for _, m := range reAnswer.FindAllStringSubmatch(out[i:], -1) {
			n, _ := strconv.Atoi(m[1])
			key[n] = m[2]
		}
	}
	if len(key) != len(bs) {
		t.Errorf("%s: %d answers printed, %d blanks", name, len(key), len(bs))
	}
	perConn := map[int]int{}
	for i, b := range bs {
		perConn[b.conn]++
		where := fmt.Sprintf("%s: blank %d (line %d, kind %d)", name, b.n, b.line, b.kind)
		if b.n != i+1 {
			t.Errorf("%s: numbered %d, want %d", where, b.n, i+1)
		}
		if key[b.n] != b.shown {
			t.Errorf("%s: key prints %q, want %q", where, key[b.n], b.shown)
		}
		rs := recs[[2]int{b.conn, b.line}]
		if len(rs) == 0 {
			t.Errorf("%s: no JSON record", where)
			continue
		}
		// the blank is on its packet: a field blank filled in gives the
		// line back, a question follows its packet's line
		mark := blankMark(b.n)
		if strings.Count(out, mark) != 1 {
			t.Errorf("%s: %s appears %d times", where, mark, strings.Count(out, mark))
			continue
		}
		doc := out // the other field blanks filled in
		for _, o := range bs {
			if o.q == "" && o.n != b.n {
				doc = strings.Replace(doc, blankMark(o.n), o.answer, 1)
			}
		}
		at := strings.Index(doc, mark)
		var r *jsonRec
		for k := range rs {
			if b.q == "" {
				filled := doc[:at] + b.answer + doc[at+len(mark):]
				for from := 0; ; {
					j := strings.Index(filled[from:], rs[k].Raw)
					if j < 0 {
						break
					}
					if from+j <= at && at < from+j+len(rs[k].Raw) {
						r = &rs[k]
						break
					}
					from += j + 1
				}
			} else {
				before := doc[:strings.LastIndex(doc[:at], "\n")]
				for strings.HasPrefix(before[strings.LastIndex(before, "\n")+1:], "    ┆ ") {
					before = before[:strings.LastIndex(before, "\n")]
				}
				if strings.HasSuffix(before, "\n"+rs[k].Raw) {
					r = &rs[k]
				}
			}
		}
		if r == nil {
			t.Errorf("%s: the blank is not on the line of its packet", where)
			continue
		}
		got := ""
		switch b.kind {
		case qHandshakeAck:
			if r.Packet.Ack != nil {
				got = strconv.FormatUint(uint64(*r.Packet.Ack), 10)
			}
			e := r.event("handshake.synack", "handshake.ack")
			if e == nil || r.Packet.AckAbs == nil || num(e, "ack") != strconv.FormatUint(uint64(*r.Packet.AckAbs), 10) ||
				num(e, "peer_isn") == "<none>" || uint32(e["ack"].(float64)) != uint32(e["peer_isn"].(float64))+1 {
				t.Errorf("%s: JSON does not say the ack is ISN + 1: %v", where, e)
			}
		case qState:
			got = r.State[b.role.String()]
			for _, c := range r.Changes {
				if c.Role == b.role.String() && c.How != "edge" {
					t.Errorf("%s: the change is %s, not an edge", where, c.How)
				}
			}
		case qRelative:
			p := r.Packet.SeqAbs
			if b.field == "ack" {
				p = r.Packet.AckAbs
			}
			if p != nil {
				got = strconv.FormatUint(uint64(*p), 10)
			}
		case qAcked:
			got = num(r.event("ack", "ack.piggyback"), "acked")
		case qCount:
			got = num(r.event("dup_ack", "retransmission", "handshake.syn_retransmit"), "count")
		case qClose:
			got = sums[b.conn].Close
			if r.event("close.fin_merged", "close.passive_fin", "close.simultaneous", "rst.refused", "rst.abort") == nil {
				t.Errorf("%s: no close event on the packet", where)
			}
		}
		if got != b.answer {
			t.Errorf("%s: answer %q, JSON says %q", where, b.answer, got)
		}
	}
	for c, n := range perConn {
		if n > quizPerConn {
			t.Errorf("%s: connection %d has %d questions", name, c, n)
		}
	}
	if len(bs) > quizMax {
		t.Errorf("%s: %d questions", name, len(bs))
	}
	return len(bs)
}

// TestQuizAnswersMatchJSON: for every capture, in its -S, its relative
// and its -v render, every answer of the sheet is what JSON says of the
// packet the blank is on, and every language asks the same.
func TestQuizAnswersMatchJSON(t *testing.T) {
	all, _ := filepath.Glob("../testdata/captures/*/*.txt")
	if len(all) == 0 {
		t.Fatal("no captures")
	}
	// every capture's -S, relative and -v render, and a sample of the
	// others (all of them in the exhaustive tier)
	paths := sample(t, "capture renders", all, 5, "/nn+S.txt", "/nn.txt", "/nn+S+v.txt")
	total, sheets := 0, 0
	kinds := map[quizKind]int{}
	for _, path := range paths {
		name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
		trace := readTrace(t, path)
		total += checkQuiz(t, name, trace)
		sheets++
		_, bs := quizOf(t, English, false, trace)
		for _, b := range bs {
			kinds[b.kind]++
		}
		// every language asks the same questions with the same answers
		for _, lang := range Langs()[1:] {
			_, other := quizOf(t, lang, false, trace)
			if len(other) != len(bs) {
				t.Errorf("%s %s: %d questions, English has %d", name, lang, len(other), len(bs))
				continue
			}
			for i := range bs {
				if other[i].answer != bs[i].answer || other[i].line != bs[i].line || other[i].kind != bs[i].kind {
					t.Errorf("%s %s: blank %d differs from English", name, lang, i+1)
				}
			}
		}
	}
	for k := quizKind(0); k < numQuizKinds; k++ {
		if kinds[k] == 0 {
			t.Errorf("no capture gives a question of kind %d", k)
		}
	}
	t.Logf("%d blanks checked on %d sheets; by kind %v", total, sheets, kinds)
}

// TestQuizDeterministic: the same trace gives the same sheet, byte for
// byte, in both formats and every language.
func TestQuizDeterministic(t *testing.T) {
	for _, name := range []string{"loss-sack", "interleaved-200", "simultaneous-close"} {
		trace := readTrace(t, "../testdata/captures/"+name+"/nn+S.txt")
		for _, lang := range Langs() {
			for _, html := range []bool{false, true} {
				a, _ := quizOf(t, lang, html, trace)
				b, _ := quizOf(t, lang, html, trace)
				if a != b {
					t.Errorf("%s %s html=%v: two runs differ", name, lang, html)
				}
			}
		}
	}
}

// TestQuizProvesOnly: no blank on an inferred or unknown state, nor on an
// endpoint whose state the trace corrects, and none on a -q render.
func TestQuizProvesOnly(t *testing.T) {
	// simultaneous-close: the client's CLOSE_WAIT is corrected later
	_, bs := quizOf(t, English, false, readTrace(t, "../testdata/captures/simultaneous-close/nn+S.txt"))
	for _, b := range bs {
		if b.kind == qState && b.role == fsm.Client {
			t.Errorf("a question on the client's state, which the trace corrects: %+v", b)
		}
	}
	// midstream: both states are inferred
	_, bs = quizOf(t, English, false, readTrace(t, "../testdata/captures/midstream/nn+S.txt"))
	for _, b := range bs {
		if b.kind == qState || b.kind == qHandshakeAck {
			t.Errorf("midstream: %+v", b)
		}
	}
	out, bs := quizOf(t, English, false, readTrace(t, "../testdata/captures/three-way-close/nn+q.txt"))
	if len(bs) != 0 || !strings.Contains(out, English.text().Words.Quiz.NoQuestions) {
		t.Errorf("-q: %d questions:\n%s", len(bs), out)
	}
}

// TestQuizBounds: many connections and a long one stay within the bounds.
func TestQuizBounds(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 40; i++ {
		longConn(&b, 20000+i, 3, i)
	}
	longConn(&b, 30000, 400, 50)
	out, bs := quizOf(t, English, false, b.String())
	if len(bs) != quizMax {
		t.Errorf("%d questions, want %d", len(bs), quizMax)
	}
	if !strings.Contains(out, fill(English.text().Words.Quiz.Left, "conns", "")[:2]) {
		t.Errorf("no note of the connections left out")
	}
	one, bs := quizOf(t, English, true, bigTrace(3000))
	for _, x := range bs {
		if x.row >= quizScan {
			t.Errorf("a question on packet %d", x.row+1)
		}
	}
	if n := strings.Count(one, "\n10:00:"); n > quizScan {
		t.Errorf("%d lines shown", n)
	}
}

// hostileTrace is a real handshake and close with pasted text that would
// end a code fence, a table cell or an HTML element after each line.
const hostileSuffix = " ``` </pre><script>alert(1)</script> | `x` <b>&amp;"

// TestQuizEscaping: hostile text in a trace stays text in both formats.
func TestQuizEscaping(t *testing.T) {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(readTrace(t, "../testdata/captures/three-way-close/nn+S.txt")), "\n") {
		b.WriteString(l + hostileSuffix + "\n")
	}
	b.WriteString("````` not a packet\n")
	trace := b.String()
	md, bs := quizOf(t, English, false, trace)
	if len(bs) == 0 {
		t.Fatalf("no questions:\n%s", md)
	}
	// the fence is longer than any run of backquotes inside it
	lines := strings.Split(md, "\n")
	var fence string
	inside := 0
	for _, l := range lines {
		switch {
		case fence == "" && strings.HasPrefix(l, "```"):
			fence = l
		case fence != "" && l == fence:
			fence = ""
		case fence != "":
			inside++
			if strings.Contains(l, fence) {
				t.Errorf("a line inside the fence holds the fence: %q", l)
			}
		}
	}
	if fence != "" || inside == 0 {
		t.Errorf("fences do not close (%q, %d lines inside)", fence, inside)
	}
	html, _ := quizOf(t, English, true, trace)
	if strings.Count(html, "<script>") != 1 || strings.Contains(html, "<b>") {
		t.Errorf("hostile markup left in the page")
	}
	main := html[strings.Index(html, "<main>") : strings.Index(html, "</main>")+len("</main>")]
	if err := wellFormed(main); err != nil {
		t.Errorf("page not well-formed: %v", err)
	}
	for _, bad := range []string{"http://", "https://", "src=", "@import"} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("the page fetches: %s", bad)
		}
	}
}

// TestQuizTemplates: every question has one {blank}, and every template
// names only the values its kind fills in.
func TestQuizTemplates(t *testing.T) {
	allowed := map[string][]string{
		"State": {"role", "before", "blank"}, "Relative": {"field", "rel", "blank"}, "Acked": {"blank"},
		"DupAck": {"ack", "blank"}, "Retrans": {"seq", "blank"}, "SYNRetrans": {"blank"}, "Close": {"blank", "choices"},
		"WhySYNACK": {"isn"}, "WhyACK": {"isn"}, "WhyACKRel": {"isn", "abs"}, "WhyRelative": {"isn", "rel", "role"},
		"WhyAcked": {"ack", "prev", "role", "line"}, "WhyDupAck": {"line"}, "WhyRetrans": {"line"}, "Closer": {"role"},
		"Left": {"conns"},
	}
	rePh := regexp.MustCompile(`\{([a-z_]+)\}`)
	for _, lang := range Langs() {
		q := lang.text().Words.Quiz
		v := map[string]string{
			"State": q.State, "Relative": q.Relative, "Acked": q.Acked, "DupAck": q.DupAck, "Retrans": q.Retrans,
			"SYNRetrans": q.SYNRetrans, "Close": q.Close, "WhySYNACK": q.WhySYNACK, "WhyACK": q.WhyACK, "WhyACKRel": q.WhyACKRel,
			"WhyRelative": q.WhyRelative, "WhyAcked": q.WhyAcked, "WhyDupAck": q.WhyDupAck, "WhyRetrans": q.WhyRetrans,
			"Closer": q.Closer, "Left": q.Left,
		}
		for name, tmpl := range v {
			ok := map[string]bool{}
			for _, a := range allowed[name] {
				ok[a] = true
			}
			for _, m := range rePh.FindAllStringSubmatch(tmpl, -1) {
				if !ok[m[1]] {
					t.Errorf("%s: Quiz.%s has {%s}", lang, name, m[1])
				}
			}
			if ok["blank"] && strings.Count(tmpl, "{blank}") != 1 {
				t.Errorf("%s: Quiz.%s has %d {blank}", lang, name, strings.Count(tmpl, "{blank}"))
			}
		}
		if strings.Count(q.Usage, "%q") != 1 {
			t.Errorf("%s: Quiz.Usage: %q", lang, q.Usage)
		}
	}
}

// TestQuizFormats: New makes a worksheet of Markdown and HTML only.
func TestQuizFormats(t *testing.T) {
	w := bufio.NewWriter(&bytes.Buffer{})
	for _, f := range Formats {
		_, err := New(f, w, Options{Quiz: true})
		if (err == nil) != QuizFormat(f) {
			t.Errorf("--quiz --format %s: %v", f, err)
		}
	}
}

// TestQuizHeldBound: connections past the bound on packets held get no
// section, and the doc holds no more than the bound.
func TestQuizHeldBound(t *testing.T) {
	var b strings.Builder
	for i := 0; i < quizMaxHeld+500; i++ {
		fmt.Fprintf(&b, "10:00:00.%06d IP 10.0.%d.%d.%d > 10.1.0.1.80: Flags [S], seq %d, win 65535, length 0\n", i%1000000, i/60000, i/250%240, 1024+i%60000, 1000+i)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := newQuiz(w, Options{Lang: English}, false)
	tr := fsm.NewTracker()
	s := grammar.NewScanner(strings.NewReader(b.String()))
	for s.Scan() {
		rec := s.Record()
		var r *fsm.Result
		if rec.Kind == grammar.TCP {
			r = tr.Process(&rec.Packet, rec.Line)
		}
		d.Record(rec, r)
		if d.held > quizMaxHeld || len(d.byID) > quizMaxHeld {
			t.Fatalf("%d packets, %d connections held", d.held, len(d.byID))
		}
	}
	if d.seen != quizMaxHeld+500 || len(d.byID) != quizMaxHeld {
		t.Errorf("%d connections seen, %d held", d.seen, len(d.byID))
	}
	d.Close()
	w.Flush()
	if len(d.answers) != quizMax {
		t.Errorf("%d questions", len(d.answers))
	}
}

// FuzzQuiz: any input gives a sheet without a crash, the HTML well-formed
// and every Markdown fence closed, every blank numbered once.
func FuzzQuiz(f *testing.F) {
	for _, p := range []string{"three-way-close/nn.txt", "loss-sack/nn+S.txt", "crafted/nn+S.txt", "simultaneous-close/nn+S.txt"} {
		b, err := os.ReadFile("../testdata/captures/" + p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("10:00:00.000001 IP a.1 > b.2: Flags [S.], seq 1, ack ```` <x>, length 0\n")
	f.Fuzz(func(t *testing.T, trace string) {
		md, bs := quizOf(t, English, false, trace)
		for _, b := range bs {
			if strings.Count(md, blankMark(b.n)) != 1 {
				t.Fatalf("blank %d appears %d times", b.n, strings.Count(md, blankMark(b.n)))
			}
		}
		fence := ""
		for _, l := range strings.Split(md, "\n") {
			switch {
			case fence == "" && strings.HasPrefix(l, "```"):
				fence = l
			case fence != "" && l == fence:
				fence = ""
			case fence != "" && strings.HasPrefix(l, fence):
				t.Fatalf("a line inside the fence starts with it: %q", l)
			}
		}
		if fence != "" {
			t.Fatalf("a fence is not closed:\n%s", md)
		}
		html, _ := quizOf(t, English, true, trace)
		main := html[strings.Index(html, "<main>") : strings.Index(html, "</main>")+len("</main>")]
		if err := wellFormed(main); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, main)
		}
	})
}

// BenchmarkQuiz: the tracker and a Markdown worksheet over 200
// interleaved connections.
func BenchmarkQuiz(b *testing.B) {
	recs := benchRecords(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := bufio.NewWriterSize(io.Discard, 64<<10)
		t := fsm.NewTracker()
		d := newQuiz(w, Options{Lang: English}, false)
		for k := range recs {
			var res *fsm.Result
			if recs[k].Kind == grammar.TCP {
				res = t.Process(&recs[k].Packet, recs[k].Line)
			}
			d.Record(&recs[k], res)
		}
		for _, c := range t.Flush() {
			s := c.Summary()
			d.Summary(&s)
		}
		d.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}
