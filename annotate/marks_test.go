package annotate

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// connMarks renders a capture as HTML and returns the marks of its first
// connection, as "N:what" strings: "42:lost=3", "47:orig=42", "7:cross=6".
func connMarks(t *testing.T, capture string) []string {
	t.Helper()
	r := render(t, docHTML, English, readTrace(t, "../testdata/captures/"+capture+"/nn+S.txt"))
	if len(r.conns) == 0 {
		t.Fatalf("%s: no connection", capture)
	}
	c := r.conns[0]
	timed, _ := timeScale(c.Rows)
	m := markRows(c.Rows, timed)
	var out []string
	for i, k := range m {
		n := c.Rows[i].N
		if k.lost {
			out = append(out, fmt.Sprintf("%d:lost=%d", n, k.why+1))
		}
		if k.orig >= 0 {
			out = append(out, fmt.Sprintf("%d:orig=%d", n, c.Rows[k.orig].N))
		}
		if k.cross >= 0 {
			out = append(out, fmt.Sprintf("%d:cross=%d", n, c.Rows[k.cross].N))
		}
	}
	return out
}

// TestMarksCaptures checks the loss, retransmission and crossing marks on
// real captures against their truth.md: the segments iptables dropped are
// the ones marked lost, and nothing else is.
func TestMarksCaptures(t *testing.T) {
	for _, tc := range []struct{ capture, want string }{
		// truth.md: segments at relative seq 27513, 55025, 82537 dropped
		// (packets 42, 65, 88 here), each resent after dup ACKs with SACK.
		{"loss-sack", "42:lost=3 47:orig=42 65:lost=3 70:orig=65 88:lost=3 93:orig=88"},
		// truth.md: every copy of line 8's bytes was dropped; the server's
		// FIN (14) still acks their first byte, 2.4 s after the last copy,
		// which had waited 1.66 s. The FIN's copies (16, 18) are answered
		// by RSTs: it arrived, so it is not marked.
		{"rto-backoff", "8:lost=4 9:lost=4 9:orig=8 10:lost=4 10:orig=9 11:lost=4 11:orig=10 12:lost=4 12:orig=11 13:lost=4 13:orig=12 16:orig=14 18:orig=16"},
		// SYNs dropped by iptables: each answered by nothing and sent
		// again; the last has nothing after it and is drawn normally.
		{"syn-retry-exponential", "1:lost=1 2:lost=1 2:orig=1 3:lost=1 3:orig=2 4:orig=3"},
		// FINs at the same microsecond, neither acknowledging the other.
		{"simultaneous-close", "6:cross=7 7:cross=6"},
		{"simultaneous-open", "1:cross=2 2:cross=1"},
		// the SYN-ACK is resent because the listener dropped the 3rd
		// handshake (accept queue): the SYN-ACKs arrived; nothing is lost.
		{"synack-retry", "4:orig=2 6:orig=4"},
		{"four-way-close", ""},
	} {
		got := strings.Join(connMarks(t, tc.capture), " ")
		if got != tc.want {
			t.Errorf("%s: marks\n got %s\nwant %s", tc.capture, got, tc.want)
		}
	}
}

// marksOf renders a trace and returns its first connection's marks.
func marksOf(t *testing.T, trace string) ([]docRow, []rowMarks) {
	t.Helper()
	r := render(t, docHTML, English, trace)
	if len(r.conns) == 0 {
		t.Fatal("no connection")
	}
	rows := r.conns[0].Rows
	timed, _ := timeScale(rows)
	return rows, markRows(rows, timed)
}

// The handshake and one segment of data that is sent again 300 ms later,
// then what the receiver says: the cases differ only there.
const lossHead = `10:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0
10:00:00.000100 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460,sackOK,TS val 1 ecr 1,nop,wscale 7], length 0
10:00:00.000200 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5001, win 502, length 0
10:00:00.001000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100
10:00:00.301000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100
`

// TestMarksDecisions checks the loss decisions on traces that differ in
// one packet, so each proof is seen to be needed.
func TestMarksDecisions(t *testing.T) {
	for _, tc := range []struct {
		name, tail string
		lost4      bool // packet 4 (the original) drawn lost
	}{
		// the receiver, long after the original, still asks for its
		// first byte: lost
		{"asked after an RTO", "10:00:01.000000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1001, win 509, length 0\n", true},
		// the receiver acknowledges it after the retransmission: which
		// copy arrived is not known, nor whether the first was lost
		{"acked after the copy", "10:00:00.301100 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1101, win 509, length 0\n", false},
		// the receiver asks for it, but only 100 µs after the copy and
		// 300 ms after the original: the timer waited 300 ms, and this ACK
		// came 300.1 ms after the original, so the original had its RTO
		{"asked just after the copy", "10:00:00.301100 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1001, win 509, length 0\n", true},
		// a D-SACK for the bytes: a copy arrived twice, so none is lost
		{"D-SACK", "10:00:01.000000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1101, win 509, options [nop,nop,sack 1 {1001:1101}], length 0\n10:00:01.100000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1001, win 509, length 0\n", false},
		// an ACK below the bytes (an earlier hole) does not prove these
		// never arrived
		{"ack below", "10:00:01.000000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1000, win 509, length 0\n", false},
		// nothing from the receiver at all: the trace cannot tell
		{"silence", "", false},
	} {
		rows, m := marksOf(t, lossHead+tc.tail)
		if len(rows) < 5 {
			t.Fatalf("%s: %d rows", tc.name, len(rows))
		}
		if m[4].orig != 3 || m[3].next != 4 {
			t.Errorf("%s: packet 5 does not resend packet 4: %+v %+v", tc.name, m[3], m[4])
		}
		if m[3].lost != tc.lost4 {
			t.Errorf("%s: packet 4 lost = %v, want %v (why %d)", tc.name, m[3].lost, tc.lost4, m[3].why)
		}
		for i := range m {
			if m[i].cross >= 0 {
				t.Errorf("%s: packet %d crosses %d", tc.name, i+1, m[i].cross+1)
			}
		}
	}
}

// TestMarksNoCrossingWithoutProof: two FINs at the same time where the
// second acknowledges the first are a three-segment close, not a
// crossing.
func TestMarksNoCrossingWithoutProof(t *testing.T) {
	trace := strings.Replace(lossHead, "10:00:00.301000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100\n", "", 1) +
		"10:00:00.002000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1101, win 509, length 0\n" +
		"10:00:00.003000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 1101, ack 5001, win 502, length 0\n" +
		"10:00:00.003000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [F.], seq 5001, ack 1102, win 509, length 0\n" +
		"10:00:00.003100 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5002, win 502, length 0\n"
	_, m := marksOf(t, trace)
	for i := range m {
		if m[i].cross >= 0 || m[i].lost {
			t.Errorf("packet %d: %+v", i+1, m[i])
		}
	}
	// the same FINs, neither acknowledging the other: they cross
	trace = strings.Replace(trace, "Flags [F.], seq 5001, ack 1102", "Flags [F.], seq 5001, ack 1101", 1)
	_, m = marksOf(t, trace)
	if m[5].cross != 6 || m[6].cross != 5 {
		t.Errorf("crossing FINs: %+v %+v", m[5], m[6])
	}
}

// TestTimeScale: times that go back or jump by hours are drawn evenly
// and the caption says so; a two-hour keep-alive gap is still to scale.
func TestTimeScale(t *testing.T) {
	row := func(us int64) docRow { return docRow{HasTime: true, Micros: us} }
	for _, tc := range []struct {
		name          string
		rows          []docRow
		timed, broken bool
	}{
		{"in order", []docRow{row(0), row(40_000), row(50_000)}, true, false},
		{"backwards", []docRow{row(0), row(40_000), row(30_000)}, false, true},
		{"jump of 20 h", []docRow{row(0), row(73524 * 1_000_000)}, false, true},
		{"keep-alive 2 h", []docRow{row(0), row(7200 * 1_000_000), row(7275 * 1_000_000)}, true, false},
		{"no times", []docRow{{}, {}}, false, false},
	} {
		timed, broken := timeScale(tc.rows)
		if timed != tc.timed || broken != tc.broken {
			t.Errorf("%s: timed %v broken %v, want %v %v", tc.name, timed, broken, tc.timed, tc.broken)
		}
	}
	// A pasted trace whose second line was edited back in time: the page
	// has no time labels and says why, in every language.
	trace := strings.Replace(lossHead, "10:00:00.000100", "09:00:00.000100", 1)
	for _, lang := range Langs() {
		page := render(t, docHTML, lang, trace).out
		if strings.Contains(page, `<text class="t"`) {
			t.Errorf("%s: time labels on a trace whose times go back", lang)
		}
		if !strings.Contains(page, escHTML(lang.text().Words.Marks.EvenTime)) {
			t.Errorf("%s: the caption does not say the spacing is even", lang)
		}
		if page := render(t, docHTML, lang, lossHead).out; strings.Contains(page, escHTML(lang.text().Words.Marks.EvenTime)) || !strings.Contains(page, `<text class="t"`) {
			t.Errorf("%s: a trace in order is not drawn to scale", lang)
		}
	}
}

// TestMermaidMarks: lost segments are -x (dotted --x when resent), the
// crossing FINs a par block, a RST -) ; every language.
func TestMermaidMarks(t *testing.T) {
	for _, lang := range Langs() {
		out := render(t, docMermaid, lang, readTrace(t, "../testdata/captures/syn-retry-exponential/nn+S.txt")).out
		if strings.Count(out, "    C-xS: ") != 1 || strings.Count(out, "    C--xS: ") != 2 || strings.Count(out, "    C-->>S: ") != 1 {
			t.Errorf("%s: syn-retry-exponential: want one -x, two --x and one -->> arrow:\n%s", lang, out)
		}
		out = render(t, docMermaid, lang, readTrace(t, "../testdata/captures/simultaneous-close/nn+S.txt")).out
		if !strings.Contains(out, "    par "+mmEscape(lang.text().Words.Marks.Legend[2])+"\n    S->>C: [F.]") || !strings.Contains(out, "    and\n    C->>S: [F.]") {
			t.Errorf("%s: simultaneous-close: the FINs are not a par block:\n%s", lang, out)
		}
		out = render(t, docMermaid, lang, readTrace(t, "../testdata/captures/refused/nn+S.txt")).out
		if !strings.Contains(out, "    S-)C: [R.]") || strings.Contains(out, "-x") {
			t.Errorf("%s: refused: the RST is not -) :\n%s", lang, out)
		}
	}
}

// TestTitleCaption: --title and --caption head every document, escaped,
// and the defaults stay when they are not given.
func TestTitleCaption(t *testing.T) {
	const title, caption = "Lesson <4>; #loss & \"retries\"\n%%{init}%%", "Read | the *arrows*\r\n`first`"
	trace := readTrace(t, "../testdata/captures/three-way-close/nn+S.txt")
	for _, kind := range []docKind{docMarkdown, docMermaid, docHTML} {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		d := newDoc(w, Options{Lang: English, Title: title, Caption: caption}, kind)
		tr := fsm.NewTracker()
		s := grammar.NewScanner(strings.NewReader(trace))
		for s.Scan() {
			rec := s.Record()
			var r *fsm.Result
			if rec.Kind == grammar.TCP {
				r = tr.Process(&rec.Packet, rec.Line)
			}
			d.Record(rec, r)
		}
		for _, c := range tr.Flush() {
			sum := c.Summary()
			d.Summary(&sum)
		}
		d.Close()
		w.Flush()
		out := buf.String()
		var wantTitle, wantCaption string
		switch kind {
		case docMarkdown:
			wantTitle, wantCaption = "# "+mdEscape(title)+"\n", mdEscape(caption)
		case docMermaid:
			wantTitle, wantCaption = "    title "+mmEscape(title), "    Note over C,S: "+mmLines(caption)+"\n"
			checkMermaidDiagram(t, "title", strings.Split(strings.TrimSuffix(out, "\n"), "\n"))
		case docHTML:
			wantTitle, wantCaption = "<h1>"+escHTML(title)+"</h1>", "<p class=\"caption\">"+escHTML(caption)+"</p>"
			if err := wellFormed(out[strings.Index(out, "<header>") : strings.Index(out, "</header>")+len("</header>")]); err != nil {
				t.Errorf("html: %v", err)
			}
		}
		if !strings.Contains(out, wantTitle) || !strings.Contains(out, wantCaption) {
			t.Errorf("%s: no title %q or caption %q in\n%s", kind, wantTitle, wantCaption, out)
		}
		if strings.Contains(out, "<4>") || kind == docMermaid && strings.Contains(out, "%%{init") || strings.Contains(out, "\r") {
			t.Errorf("%s: the title is not escaped", kind)
		}
	}
	// without them: the language's title
	if out := render(t, docMarkdown, Chinese, trace).out; !strings.HasPrefix(out, "# "+mdEscape(Chinese.text().Words.Title)+"\n") {
		t.Errorf("markdown without --title: %q", out[:min(len(out), 80)])
	}
}
