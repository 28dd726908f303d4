package annotate

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

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
