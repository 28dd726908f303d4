package fsm

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// trackDump runs text through a Tracker as cmd/tcpnote does (Due after
// every packet, each summary read at once) and writes down everything it
// said: every Result but its Conn (the connection's number instead) and
// every summary but its Conn.
func trackDump(text string, reuse bool, maxConns int, budget int64) (dump string, reused uint64) {
	tr := NewTracker()
	if reuse {
		tr.ReuseConns()
	}
	if maxConns > 0 {
		tr.MaxConns = maxConns
	}
	tr.budgetBytes = budget
	var b strings.Builder
	sums := func(cs []*Conn) {
		for _, c := range cs {
			s := c.Summary()
			s.Conn = nil
			fmt.Fprintf(&b, "summary %d %s %s %+v\n", c.ID, c.Client, c.Server, s)
		}
	}
	s := grammar.NewScanner(strings.NewReader(text))
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			tr.Other(r.Raw)
			continue
		}
		res := tr.Process(&r.Packet, r.Line)
		if res != nil {
			v := *res
			v.Conn = nil
			fmt.Fprintf(&b, "%d conn %d %+v\n", r.Line, res.Conn.ID, v)
		}
		sums(tr.Due())
	}
	sums(tr.Flush())
	return b.String(), tr.reused
}

// TestReuseConnsChangesNothing: with ReuseConns the tracker says exactly
// what it says without, with the default table and with one of two
// connections and a grown one's budget, where nearly every new
// connection evicts one; and it did reuse memory. It reads the traces of
// the corpus-wide tests (a sample, every one under TCPNOTE_EXHAUSTIVE=1)
// and every repro and excerpt.
func TestReuseConnsChangesNothing(t *testing.T) {
	files := sample(t, "traces", everyTrace(t), 4, "/nn.txt")
	for _, dir := range []string{"../testdata/repro", "../testdata/excerpts"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txt") {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var reused uint64
	for _, path := range files {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			max    int
			budget int64
		}{{0, 0}, {2, liveBytes + grownBytes}} {
			want, _ := trackDump(string(text), false, tc.max, tc.budget)
			got, n := trackDump(string(text), true, tc.max, tc.budget)
			reused += n
			if got != want {
				t.Errorf("%s, max-conns %d: ReuseConns changed the output:\n%s", path, tc.max, firstDiff(got, want))
			}
		}
	}
	if reused == 0 {
		t.Errorf("no connection's memory was reused on %d traces", len(files))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("got  %s\nwant %s", g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// FuzzReuseConns: on the table's fuzz traces (port reuse, time jumps,
// eviction with a cap of 1–4 and a budget of a grown connection or two),
// ReuseConns changes nothing the tracker says.
func FuzzReuseConns(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 14, 0, 1, 0, 0, 5})
	f.Add([]byte{4, 0, 0, 0, 7, 0, 0, 8, 0, 4, 0, 0, 3, 14, 4, 5, 0, 1, 5})
	f.Add([]byte{12, 0, 0, 7, 0, 1, 7, 2, 2, 8, 4, 3, 7, 0, 0, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		text, max := fuzzTrace(data)
		budget := int64(max) * (liveBytes + grownBytes) / 2
		want, _ := trackDump(text, false, max, budget)
		got, _ := trackDump(text, true, max, budget)
		if got != want {
			t.Fatalf("ReuseConns changed the output:\n%s\ntrace:\n%s", firstDiff(got, want), text)
		}
	})
}

// TestQuietLinesGrowNothing: tcpdump -q's lines carry neither flags nor
// numbers, so a connection seen only through them holds no connMore
// (before, each kept one to the end: its connections never close).
func TestQuietLinesGrowNothing(t *testing.T) {
	text, err := os.ReadFile("../testdata/captures/three-way-close/nn+q.txt")
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTracker()
	s := grammar.NewScanner(strings.NewReader(string(text)))
	packets := 0
	for s.Scan() {
		if r := s.Record(); r.Kind == grammar.TCP && r.Packet.Dialect == grammar.Quiet {
			tr.Process(&r.Packet, r.Line)
			packets++
		}
	}
	if packets == 0 || tr.Live() == 0 {
		t.Fatalf("%d -q packets, %d connections", packets, tr.Live())
	}
	if tr.grown != 0 {
		t.Errorf("%d of %d connections grew on %d -q packets", tr.grown, tr.Live(), packets)
	}
}
