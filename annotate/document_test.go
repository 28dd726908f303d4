package annotate

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenDir holds the golden outputs of the document formats.
const goldenDir = "../testdata/golden/formats"

// rendered is a trace written in one document format.
type rendered struct {
	out     string
	packets map[int]int // per connection id: its packets
	order   []int       // connection ids in order of appearance
	ended   []int       // connection ids in the order their summaries came
	conns   []*docConn  // the rows the document was written from
}

func (r *rendered) total() int {
	n := 0
	for _, v := range r.packets {
		n += v
	}
	return n
}

// render runs a trace through the pipeline as cmd/tcpnote does and writes
// it in a document format.
func render(t testing.TB, kind docKind, lang Lang, trace string) *rendered {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := newDocument(w, Options{Lang: lang}, kind)
	tr := fsm.NewTracker()
	res := &rendered{packets: map[int]int{}}
	summaries := func(cs []*fsm.Conn) {
		for _, c := range cs {
			res.ended = append(res.ended, c.ID)
			s := c.Summary()
			d.Summary(&s)
		}
	}
	s := grammar.NewScanner(strings.NewReader(trace))
	for s.Scan() {
		rec := s.Record()
		var r *fsm.Result
		if rec.Kind == grammar.TCP {
			r = tr.Process(&rec.Packet, rec.Line)
		}
		if r != nil {
			if res.packets[r.Conn.ID] == 0 {
				res.order = append(res.order, r.Conn.ID)
			}
			res.packets[r.Conn.ID]++
		}
		if err := d.Record(rec, r); err != nil {
			t.Fatal(err)
		}
		summaries(tr.Due())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	summaries(tr.Due())
	summaries(tr.Flush())
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	res.out = buf.String()
	res.conns = d.conns
	return res
}

// renderConns writes connections built by hand.
func renderConns(kind docKind, lang Lang, conns ...*docConn) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := newDocument(w, Options{Lang: lang}, kind)
	for _, c := range conns {
		d.conns = append(d.conns, c)
		d.byID[c.ID] = c
	}
	d.Close()
	w.Flush()
	return buf.String()
}

// testTrace is a trace the document tests render.
type testTrace struct {
	name, path string
	golden     bool // its renders are kept under testdata/golden/formats (cmd/tcpnote's harness)
}

// testTraces lists the seeds and some captures; a capture not there yet
// is left out.
func testTraces(t testing.TB) []testTrace {
	t.Helper()
	var out []testTrace
	seeds, _ := filepath.Glob("../testdata/corpus/seeds/*.txt")
	for _, p := range seeds {
		out = append(out, testTrace{name: strings.TrimSuffix(filepath.Base(p), ".txt"), path: p, golden: true})
	}
	for _, c := range []struct {
		name   string
		golden bool
	}{
		{"three-way-close", true}, {"four-way-close", false}, {"refused", true}, {"ipv6", true},
		{"syn-retry-exponential", true}, {"simultaneous-open", false}, {"simultaneous-close", false},
		{"loss-sack", false}, {"zero-window", false}, {"abort-linger0", false}, {"tfo", false},
		{"interleaved-200", false},
	} {
		for _, r := range []string{"nn+S", "nn", "default"} {
			p := "../testdata/captures/" + c.name + "/" + r + ".txt"
			if _, err := os.Stat(p); err == nil {
				out = append(out, testTrace{name: c.name + "." + r, path: p, golden: c.golden && r == "nn+S"})
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no traces found")
	}
	// The default tier renders the seeds, the golden traces and a sample
	// of the other captures' renders.
	var others []string
	for _, tr := range out {
		if !tr.golden && strings.HasPrefix(tr.path, "../testdata/captures/") {
			others = append(others, tr.path)
		}
	}
	sampled := sampleSet(t, "other capture renders", others, 3)
	kept := out[:0]
	for _, tr := range out {
		if tr.golden || !strings.HasPrefix(tr.path, "../testdata/captures/") || sampled[tr.path] {
			kept = append(kept, tr)
		}
	}
	return kept
}

func readTrace(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkGolden compares out with a golden file, or rewrites it with -update.
func checkGolden(t *testing.T, name, out string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./annotate -run %s -update to create it)", err, t.Name())
	}
	if string(want) != out {
		t.Errorf("%s differs from the golden file; the first difference:\n%s\n(rerun with -update and read the diff)", path, firstDiff(string(want), out))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var a, b string
		if i < len(wl) {
			a = wl[i]
		}
		if i < len(gl) {
			b = gl[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\nwant: %s\ngot:  %s", i+1, a, b)
		}
	}
	return "(none)"
}

// hostileConn is a connection whose every text tries to break out of the
// formats: Mermaid's statement and comment characters, its keywords and
// arrows, HTML's tags and references, quotes, control characters, invalid
// UTF-8.
func hostileConn() *docConn {
	row := func(n int, from fsm.Role, micros int64) docRow {
		return docRow{N: n, Line: n, Time: fmt.Sprintf("00:00:%02d.000000", micros/1e6), Micros: micros, HasTime: true, From: from}
	}
	r1 := row(1, fsm.Client, 0)
	r1.Flags, r1.Bits, r1.Seq = "S", grammar.SYN, "100"
	r1.Note = `1st <b>handshake</b> & "quoted" 'single'; #hash %%{init: {"theme":"dark"}}%% end -->> S: x`
	r1.Key, r1.KeyNote = fsm.HandshakeSYN, `<script>alert("x")</script>; end; #1 & done`
	r1.Step = r1.KeyNote
	r1.States = "client CLOSED → SYN_SENT"
	r1.Before = [2]fsm.State{fsm.Closed, fsm.Listen}
	r1.Client, r1.Server = fsm.SynSent, fsm.SynRcvd
	r2 := row(2, fsm.Server, 60_000_000)
	r2.Flags, r2.Bits, r2.Seq, r2.Ack, r2.AckAbs = "R.;#<", grammar.RST|grammar.ACK, "0", "1", "101"
	r2.Note = "line\nbreak\r\x00nul \xff\xfe invalid ; participant X as Y"
	r2.Key, r2.KeyNote = fsm.RSTRefused, "RST\nparticipant Z\nNote over C: injected"
	r2.Step = r2.KeyNote
	r2.Before = [2]fsm.State{r1.Client, r1.Server}
	r2.Client, r2.Server = fsm.Closed, fsm.Closed
	return &docConn{
		ID: 7, Client: `10.0.0.1.1234;end#x<y>&"z"`, Server: "evil-->>host:80 %% end\nparticipant Q",
		Rows: []docRow{r1, r2},
	}
}
