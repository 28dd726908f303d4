package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// TestStatsWords checks that every language words every conn_state code,
// every history letter, every close pattern and every column, and names
// every code the anomaly table counts; and that the other languages do not
// leave the English in place.
func TestStatsWords(t *testing.T) {
	en := &english.Words.Stats
	for _, l := range Langs() {
		sw := &l.text().Words.Stats
		check := func(what, got, eng string) {
			t.Helper()
			if got == "" {
				t.Errorf("%s: no words for %s", l, what)
			} else if l != English && got == eng && hasLetters(got) {
				t.Errorf("%s: %s is left in English: %q", l, what, got)
			}
		}
		for _, c := range connStates {
			check("conn_state "+c, sw.ConnState[c], en.ConnState[c])
		}
		if len(sw.ConnState) != len(connStates) {
			t.Errorf("%s: %d conn_state words, Zeek has %d codes", l, len(sw.ConnState), len(connStates))
		}
		for _, h := range historyLetters {
			if h == 'h' || h == 'f' || h == 'r' {
				// SYN-ACK, FIN, RST: the same words in every language
				if sw.History[string(h)] == "" {
					t.Errorf("%s: no words for history letter %c", l, h)
				}
				continue
			}
			check("history letter "+string(h), sw.History[string(h)], en.History[string(h)])
		}
		for _, c := range closeCodes {
			check("close "+c, sw.Close[c], en.Close[c])
		}
		for i, c := range sw.Columns {
			if c == "" {
				t.Errorf("%s: column %d has no heading", l, i)
			}
		}
		check("heading", sw.Heading[1], en.Heading[1])
		check("legend", sw.Legend, en.Legend)
		check("more", sw.More, en.More)
		if got := sprintf(sw.More, 1, 2, 3, 4, 5); strings.Contains(got, "%") {
			t.Errorf("%s: More leaves a verb unfilled: %q", l, got)
		}
		for c := fsm.Code(1); c < fsm.NumCodes; c++ {
			if anomalous(c) && l.text().Steps[c] == "" {
				t.Errorf("%s: anomaly %s has no step label to name it", l, c.Spec().Name)
			}
		}
	}
}

// hasLetters reports whether s has a Latin letter: a string of codes and
// symbols alone ("–", "#") is the same in every language.
func hasLetters(s string) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' {
			return true
		}
	}
	return false
}

// TestAnomalous checks the set of codes the anomaly table counts against
// the vocabulary: every warning and lint finding, the stalled-window
// codes, and nothing that is TCP's ordinary work.
func TestAnomalous(t *testing.T) {
	for c := fsm.Code(1); c < fsm.NumCodes; c++ {
		s := c.Spec()
		want := (s.Warn || s.Kind == fsm.KindLint) && c != fsm.TraceUnreadable
		switch c {
		case fsm.WindowProbe, fsm.WindowProbeFirst, fsm.WindowFull:
			want = true
		}
		if anomalous(c) != want {
			t.Errorf("%s: anomalous %v, want %v", s.Name, anomalous(c), want)
		}
	}
	for _, c := range []fsm.Code{fsm.Data, fsm.Ack, fsm.HandshakeSYN, fsm.CloseFIN, fsm.WindowUpdate, fsm.Keepalive} {
		if anomalous(c) {
			t.Errorf("%s counted as an anomaly", c.Spec().Name)
		}
	}
}

func TestAppendConnState(t *testing.T) {
	cases := []struct {
		lang Lang
		code string
		want string
	}{
		{English, "SF", "normal establishment and termination"},
		{English, "S0", "a connection attempt (SYN) with no reply"},
		{Chinese, "SF", "正常建立并正常终止"},
		{English, "", ""},
		{English, "XX", ""},
	}
	for _, c := range cases {
		if got := string(AppendConnState([]byte("›"), c.lang, c.code)); got != "›"+c.want {
			t.Errorf("%s %q: %q, want %q", c.lang, c.code, got, "›"+c.want)
		}
	}
}

func TestAppendHistory(t *testing.T) {
	cases := []struct {
		lang    Lang
		history string
		want    string
	}{
		{English, "ShA", "S = client: SYN without ACK; h = server: SYN-ACK; A = client: pure ACK (no data)"},
		{English, "^hS", "^ = Zeek swapped the roles: the server's packet came first; h = server: SYN-ACK; S = client: SYN without ACK"},
		// a repeated letter: another sequence number (s h f r), or Zeek's
		// logarithmic count (t w g); a letter once per direction is not
		// repeated, but its other case is another direction
		{English, "TTt", "T = client: retransmitted data; T = client: retransmitted data (again: Zeek writes it at the 1st, 10th, 100th … time); t = server: retransmitted data"},
		{English, "FF", "F = client: FIN; F = client: FIN (again, another sequence number)"},
		{English, "x?", "x = not a Zeek history letter; ? = not a Zeek history letter"},
		{Chinese, "Sh", "S = 客户端：不带 ACK 的 SYN；h = 服务器：SYN-ACK"},
		{English, "", ""},
	}
	for _, c := range cases {
		if got := string(AppendHistory(nil, c.lang, c.history)); got != c.want {
			t.Errorf("%s %q:\n got %q\nwant %q", c.lang, c.history, got, c.want)
		}
	}
}

// statsRun feeds a trace through a tracker to a Stats with at most max
// rows kept, as cmd/tcpnote does, and returns its JSON output.
func statsRun(t *testing.T, trace string, max int) (conversations []map[string]any, totals map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	f := newJSON(w, Options{})
	st := NewStats(English, true)
	st.max = max
	tr := fsm.NewTracker()
	due := func(cs []*fsm.Conn) {
		for _, c := range cs {
			s := c.Summary()
			st.Summary(&s)
		}
	}
	sc := grammar.NewScanner(strings.NewReader(trace))
	for sc.Scan() {
		rec := sc.Record()
		var r *fsm.Result
		if rec.Kind == grammar.TCP {
			r = tr.Process(&rec.Packet, rec.Line)
		}
		st.Record(rec, r)
		due(tr.Due())
	}
	due(tr.Flush())
	if err := st.Write(f, w); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		switch m["kind"] {
		case "conversation":
			conversations = append(conversations, m)
		case "stats":
			totals = m
		default:
			t.Fatalf("unexpected record %s", l)
		}
	}
	return conversations, totals
}

// dupAckConn writes a connection on client port p whose server sends n
// duplicate ACKs.
func dupAckConn(b *strings.Builder, p, n, s int) {
	c, srv := fmt.Sprintf("10.0.0.1.%d", p), "10.0.0.2.80"
	t := func(i int) string { return fmt.Sprintf("10:%02d:%02d.%06d", s/60%60, s%60, i*1000) }
	fmt.Fprintf(b, "%s IP %s > %s: Flags [S], seq 100, win 65535, length 0\n", t(0), c, srv)
	fmt.Fprintf(b, "%s IP %s > %s: Flags [S.], seq 500, ack 101, win 65535, length 0\n", t(1), srv, c)
	fmt.Fprintf(b, "%s IP %s > %s: Flags [.], ack 501, win 65535, length 0\n", t(2), c, srv)
	fmt.Fprintf(b, "%s IP %s > %s: Flags [P.], seq 101:111, ack 501, win 65535, length 10\n", t(3), c, srv)
	fmt.Fprintf(b, "%s IP %s > %s: Flags [.], ack 111, win 65535, length 0\n", t(4), srv, c)
	for i := 0; i < n; i++ {
		fmt.Fprintf(b, "%s IP %s > %s: Flags [P.], seq %d:%d, ack 501, win 65535, length 10\n", t(5+2*i), c, srv, 121+10*i, 131+10*i)
		fmt.Fprintf(b, "%s IP %s > %s: Flags [.], ack 111, win 65535, length 0\n", t(6+2*i), srv, c)
	}
}

// TestStatsBounded checks the bound: of many connections only the worst
// are listed, worst first, and the others are counted in "more"; the
// totals count every packet and byte, listed or not.
func TestStatsBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 30; i++ {
		if i%10 == 5 {
			dupAckConn(&b, 2000+i, i/10+1, i) // ports 2005, 2015, 2025: 1, 2, 3 dup ACKs
			continue
		}
		longConn(&b, 2000+i, 2, i)
	}
	convs, tot := statsRun(t, b.String(), 4)
	if len(convs) != 4 {
		t.Fatalf("%d conversations listed, want 4", len(convs))
	}
	// worst first: the dup-ACK connections by their count, then the
	// earliest clean one
	wantClient := []string{"10.0.0.1.2025", "10.0.0.1.2015", "10.0.0.1.2005", "10.0.0.1.2000"}
	for i, c := range convs {
		if c["client"] != wantClient[i] {
			t.Errorf("row %d: %v, want %s", i, c["client"], wantClient[i])
		}
	}
	if n := convs[0]["anomalies"].(map[string]any)["dup_ack"]; n != 3.0 {
		t.Errorf("worst row: %v dup ACKs, want 3", n)
	}
	more := tot["more"].(map[string]any)
	if tot["conns"] != 30.0 || tot["listed"] != 4.0 || more["conns"] != 26.0 {
		t.Errorf("totals %v, want 30 connections, 4 listed, 26 more", tot)
	}
	// every packet is counted once: 27 clean connections of 8 segments
	// (6 from the client, 2 from the server), and the dup-ACK ones of
	// 3 + n and 2 + n
	pk := tot["packets"].(map[string]any)
	wantC, wantS := 27*6.0, 27*2.0
	for n := 1; n <= 3; n++ {
		wantC += float64(3 + n)
		wantS += float64(2 + n)
	}
	if pk["client"] != wantC || pk["server"] != wantS {
		t.Errorf("packets %v, want client %v server %v", pk, wantC, wantS)
	}
	if a := tot["anomalies"].(map[string]any)["dup_ack"]; a != 6.0 {
		t.Errorf("dup ACKs in all %v, want 6", a)
	}
}

// TestStatsText checks the text table: every line is marked as tcpnote's,
// the columns line up in display width (CJK takes two columns), and the
// conn_state is explained.
func TestStatsText(t *testing.T) {
	var tr strings.Builder
	longConn(&tr, 3000, 1, 0)
	dupAckConn(&tr, 3001, 3, 1)
	for _, l := range Langs() {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		f := newText(w, Options{Lang: l})
		st := NewStats(l, false)
		trk := fsm.NewTracker()
		sc := grammar.NewScanner(strings.NewReader(tr.String()))
		due := func(cs []*fsm.Conn) {
			for _, c := range cs {
				s := c.Summary()
				st.Summary(&s)
			}
		}
		for sc.Scan() {
			rec := sc.Record()
			r := trk.Process(&rec.Packet, rec.Line)
			f.Record(rec, r)
			st.Record(rec, r)
			due(trk.Due())
		}
		due(trk.Flush())
		f.Close()
		st.Write(f, w)
		w.Flush()
		out := buf.String()
		i := strings.Index(out, summaryMarker)
		if i < 0 {
			t.Fatalf("%s: no stats:\n%s", l, out)
		}
		lines := strings.Split(strings.TrimSuffix(out[i:], "\n"), "\n")
		for _, ln := range lines {
			if !strings.HasPrefix(ln, Marker) {
				t.Errorf("%s: unmarked line %q", l, ln)
			}
		}
		// lines[2] is the heading row, 3 and 4 the connections: the
		// column "server" starts at the same display column in each
		sw := &l.text().Words.Stats
		col := func(ln, cell string) int {
			j := strings.Index(ln, cell)
			if j < 0 {
				t.Fatalf("%s: %q not in %q", l, cell, ln)
			}
			return displayWidth(ln[:j])
		}
		h := col(lines[2], sw.Columns[colServer])
		for _, ln := range lines[3:5] {
			if c := col(ln, "10.0.0.2.80"); c != h {
				t.Errorf("%s: server column at %d, heading at %d:\n%s\n%s", l, c, h, lines[2], ln)
			}
		}
		if !strings.Contains(out, "SF "+sw.ConnState["SF"]) {
			t.Errorf("%s: conn_state SF not explained:\n%s", l, out)
		}
		// the dup-ACK connection (#2) is listed first
		if !strings.HasPrefix(strings.TrimPrefix(lines[3], Marker), "#2 ") {
			t.Errorf("%s: worst first, want #2 first: %q", l, lines[3])
		}
	}
}

// TestStatsLatePackets checks that packets after a connection's summary
// (a FIN sent again in TIME_WAIT, its ACK) still count: in the row when it
// is listed, in "more" when it is not, and in the totals either way.
func TestStatsLatePackets(t *testing.T) {
	var b strings.Builder
	longConn(&b, 4000, 1, 0)
	longConn(&b, 4001, 1, 1)
	// the server's FIN again, and the client's ACK, for both connections
	for _, p := range []int{4000, 4001} {
		fmt.Fprintf(&b, "10:00:05.000000 IP 10.0.0.2.80 > 10.0.0.1.%d: Flags [F.], seq 501, ack 112, win 65535, length 0\n", p)
		fmt.Fprintf(&b, "10:00:05.000100 IP 10.0.0.1.%d > 10.0.0.2.80: Flags [.], ack 502, win 65535, length 0\n", p)
	}
	convs, tot := statsRun(t, b.String(), 1)
	if len(convs) != 1 {
		t.Fatalf("%d rows, want 1", len(convs))
	}
	pk := convs[0]["packets"].(map[string]any)
	if pk["client"] != 6.0 || pk["server"] != 3.0 {
		t.Errorf("listed row: packets %v, want client 6, server 3 (the late FIN and ACK included)", pk)
	}
	more := tot["more"].(map[string]any)["packets"].(map[string]any)
	if more["client"] != 6.0 || more["server"] != 3.0 {
		t.Errorf("more: packets %v, want client 6, server 3", more)
	}
	all := tot["packets"].(map[string]any)
	if all["client"] != 12.0 || all["server"] != 6.0 {
		t.Errorf("totals: packets %v, want client 12, server 6", all)
	}
}

// BenchmarkStats measures the collector alone on 1,000 connections: what
// --stats adds per record and per summary.
func BenchmarkStats(b *testing.B) {
	var tr strings.Builder
	for i := 0; i < 1000; i++ {
		if i%10 == 0 {
			dupAckConn(&tr, 1000+i, 3, i)
		} else {
			longConn(&tr, 1000+i, 3, i)
		}
	}
	type item struct {
		rec *grammar.Record
		res fsm.Result
		due []fsm.Summary
	}
	var items []item
	trk := fsm.NewTracker()
	sc := grammar.NewScanner(strings.NewReader(tr.String()))
	for sc.Scan() {
		rec := *sc.Record()
		it := item{rec: &rec, res: *trk.Process(&rec.Packet, rec.Line)}
		it.res.Events = append([]fsm.Event(nil), it.res.Events...)
		for _, c := range trk.Due() {
			it.due = append(it.due, c.Summary())
		}
		items = append(items, it)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st := NewStats(English, false)
		for j := range items {
			st.Record(items[j].rec, &items[j].res)
			for k := range items[j].due {
				st.Summary(&items[j].due[k])
			}
		}
	}
}

// TestStatsRTTCells checks the ACK RTT columns: min/median/max in the
// language's units when the trace measured any, – when N is 0.
func TestStatsRTTCells(t *testing.T) {
	st := NewStats(English, false)
	r := &statsRow{id: 1, conn: &fsm.Conn{ID: 1, Client: "10.0.0.1.1", Server: "10.0.0.2.80"}}
	sum := fsm.Summary{AckRTT: [2]fsm.RTTStats{{N: 3, MinUs: 40, MedianUs: 1500, MaxUs: 2_000_000}}}
	cells, _ := st.cells(r, &sum)
	if cells[colRTTCS] != "40 µs/1.50 ms/2.0 s" || cells[colRTTSC] != "–" {
		t.Errorf("ACK RTT cells %q, %q", cells[colRTTCS], cells[colRTTSC])
	}
	zh := NewStats(Chinese, false)
	cells, _ = zh.cells(r, &sum)
	if !strings.Contains(cells[colRTTCS], "微秒") {
		t.Errorf("zh ACK RTT cell %q is not in Chinese units", cells[colRTTCS])
	}
}

// TestStatsFormats: StatsFormat names exactly the formats with a form for
// the --stats table.
func TestStatsFormats(t *testing.T) {
	w := bufio.NewWriter(&bytes.Buffer{})
	for _, f := range append(Formats, "jsonl", "md") {
		fm, err := New(f, w, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fm.(statsWriter); ok != StatsFormat(f) {
			t.Errorf("--format %s: a stats form %v, StatsFormat %v", f, ok, StatsFormat(f))
		}
	}
}
