package grammar

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusDir holds real tcpdump output: the tcpdump test suite's expected
// outputs, pcaps rendered under ~25 flag sets by tcpdump 4.99.3, and the same
// pcaps rendered by tcpdump 3.7.2 … 4.9.3 (testdata/corpus/README.md).
const corpusDir = "../testdata/corpus"

// scanFile reads a file into records, copying what a test keeps.
type rec struct {
	line int
	raw  string
	eol  string
	tcp  bool
	pkt  Packet
}

func scanFile(t testing.TB, path string) []rec {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := NewScanner(f)
	var out []rec
	for s.Scan() {
		r := s.Record()
		x := rec{line: r.Line, raw: string(r.Raw), eol: r.EOL, tcp: r.Kind == TCP}
		if x.tcp {
			x.pkt = r.Packet
			x.pkt.Raw = []byte(x.raw)
			x.pkt.Options = append([]Option(nil), r.Packet.Options...)
		}
		out = append(out, x)
	}
	if s.Err() != nil {
		t.Fatal(s.Err())
	}
	return out
}

func corpusFiles(t testing.TB) []string {
	var files []string
	err := filepath.Walk(corpusDir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() && !strings.HasSuffix(path, ".tsv") && !strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCorpusPassThrough checks that records give back every file byte for
// byte: nothing is lost, whatever the content.
func TestCorpusPassThrough(t *testing.T) {
	for _, path := range sample(t, "corpus files", corpusFiles(t), 20, "seeds/") {
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		for _, r := range scanFile(t, path) {
			got.WriteString(r.raw)
			got.WriteString(r.eol)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: records do not give back the input", path)
		}
	}
}

// manifest reads a corpus MANIFEST.tsv into rows keyed by column name.
func manifest(t testing.TB, dir string) []map[string]string {
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cols []string
	var rows []map[string]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") || l == "" {
			continue
		}
		fs := strings.Split(l, "\t")
		if cols == nil {
			cols = fs
			continue
		}
		row := map[string]string{}
		for i, c := range cols {
			if i < len(fs) {
				row[c] = fs[i]
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// TestCorpusTCPLineCounts checks the number of TCP records in every file of
// the tcpdump test suite (old and new) against the manifest's count of TCP
// segment lines, which was made independently with a regular expression.
func TestCorpusTCPLineCounts(t *testing.T) {
	total, files := 0, 0
	var all []string
	for _, dir := range []string{"tcpdump-tests", "tcpdump-tests-old"} {
		for _, row := range manifest(t, filepath.Join(corpusDir, dir)) {
			all = append(all, filepath.Join(corpusDir, dir, row["file"]))
		}
	}
	checked := sampleSet(t, "test-suite files", all, 20)
	for _, dir := range []string{"tcpdump-tests", "tcpdump-tests-old"} {
		dir = filepath.Join(corpusDir, dir)
		for _, row := range manifest(t, dir) {
			if !checked[filepath.Join(dir, row["file"])] {
				continue
			}
			want, err := strconv.Atoi(row["tcp_lines"])
			if err != nil {
				t.Fatalf("%s: tcp_lines %q", row["file"], row["tcp_lines"])
			}
			n := 0
			for _, r := range scanFile(t, filepath.Join(dir, row["file"])) {
				if r.tcp {
					n++
				}
			}
			if n != want {
				t.Errorf("%s: %d TCP records, manifest counts %d TCP lines", row["file"], n, want)
			}
			total += n
			files++
		}
	}
	t.Logf("%d TCP records in %d test-suite files", total, files)
}

// segment is what every rendering of one packet must agree on.
type segment struct {
	flags    Flags
	len      uint32
	win      uint32
	hasWin   bool
	seq, ack uint32
	hasSeq   bool
	hasAck   bool
	dport    string
}

func segments(rs []rec) []segment {
	var out []segment
	for _, r := range rs {
		if !r.tcp {
			continue
		}
		p := &r.pkt
		out = append(out, segment{
			flags: p.Flags, len: p.Len, win: p.Win, hasWin: p.HasWin,
			seq: p.Seq, ack: p.Ack, hasSeq: p.HasSeq, hasAck: p.HasAck,
			dport: p.Str(p.Dst.Port),
		})
	}
	return out
}

// renderFlags returns the flag set of a render's file name:
// `print-flags.nn+S+v.txt` → {nn, S, v}.
func renderFlags(name string) (pcap string, flags map[string]bool) {
	base := strings.TrimSuffix(filepath.Base(name), ".txt")
	dot := strings.Index(base, ".")
	flags = map[string]bool{}
	for _, f := range strings.Split(base[dot+1:], "+") {
		flags[f] = true
	}
	return base[:dot], flags
}

// TestRenderedAgree checks that every rendering of the same pcap, by tcpdump
// 4.99.3 under ~25 flag sets and by seven older releases, yields the same
// number of TCP records with the same flags, payload length and window; and,
// between renders that print absolute numbers (-S, or a SYN without ACK),
// the same sequence and acknowledgment numbers. The reference is the
// 4.99.3 `-nn` render (or `-n`).
func TestRenderedAgree(t *testing.T) {
	byPcap := map[string][]string{}
	var renders []string
	for _, path := range corpusFiles(t) {
		if strings.Contains(path, "rendered") && strings.HasSuffix(path, ".txt") {
			renders = append(renders, path)
		}
	}
	for _, path := range sample(t, "renders", renders, 20) {
		pcap, _ := renderFlags(path)
		byPcap[pcap] = append(byPcap[pcap], path)
	}
	pcaps := make([]string, 0, len(byPcap))
	for k := range byPcap {
		pcaps = append(pcaps, k)
	}
	sort.Strings(pcaps)
	compared := 0
	for _, pcap := range pcaps {
		ref := ""
		for _, cand := range []string{"rendered/" + pcap + ".nn.txt", "rendered/" + pcap + ".n.txt"} {
			if _, err := os.Stat(filepath.Join(corpusDir, cand)); err == nil {
				ref = filepath.Join(corpusDir, cand)
				break
			}
		}
		if ref == "" {
			continue
		}
		want := segments(scanFile(t, ref))
		refS := ""
		for _, cand := range []string{"rendered/" + pcap + ".nn+S.txt", "rendered/" + pcap + ".n+S.txt"} {
			if _, err := os.Stat(filepath.Join(corpusDir, cand)); err == nil {
				refS = filepath.Join(corpusDir, cand)
			}
		}
		var wantS []segment
		if refS != "" {
			wantS = segments(scanFile(t, refS))
		}
		for _, path := range byPcap[pcap] {
			if why := knownDifferent(path); why != "" {
				t.Logf("%s: not compared: %s", path, why)
				continue
			}
			got := segments(scanFile(t, path))
			if len(got) != len(want) {
				t.Errorf("%s: %d TCP records, %s has %d", path, len(got), ref, len(want))
				continue
			}
			_, flags := renderFlags(path)
			for i := range got {
				if msg := disagree(got[i], want[i], flags); msg != "" {
					t.Errorf("%s: TCP record %d: %s", path, i+1, msg)
				}
				if flags["S"] && wantS != nil {
					if g, w := got[i], wantS[i]; g.hasSeq && w.hasSeq && g.seq != w.seq || g.hasAck && w.hasAck && g.ack != w.ack {
						t.Errorf("%s: TCP record %d: seq/ack %d/%d, -S reference %d/%d", path, i+1, g.seq, g.ack, w.seq, w.ack)
					}
				}
			}
			compared++
		}
	}
	t.Logf("%d renders of %d pcaps agree with their reference", compared, len(pcaps))
}

// knownDifferent names the renders in which an old tcpdump printed the same
// packets differently, so that no parser could agree (docs/tcpdump-formats.md §7, §8).
func knownDifferent(path string) string {
	switch {
	case strings.Contains(path, "synth-apps") && (strings.Contains(path, "3.9") || strings.Contains(path, "4.0.0") || strings.Contains(path, "4.1.1")):
		return "3.9–4.4 replace the TCP part of NFS segments with the RPC call (`10.0.0.1.287454020 > 10.0.0.2.2049: 44 null`)"
	case strings.Contains(path, "synth-errors") && (strings.Contains(path, "3.7.2") || strings.Contains(path, "3.8.3")):
		return "≤3.8 do not check the header length and print a bad header as a normal segment (`S 1:5(4) win 1024`)"
	}
	return ""
}

// disagree compares one segment with the reference rendering, allowing for
// what a flag set or an old release does not print.
func disagree(got, want segment, flags map[string]bool) string {
	if flags["q"] {
		// -q prints only the payload length.
		if got.len != want.len {
			return fmt.Sprintf("length %d, want %d", got.len, want.len)
		}
		return ""
	}
	gf, wf := got.flags, want.flags
	if gf != wf {
		return fmt.Sprintf("flags %v, want %v", gf.Names(), wf.Names())
	}
	if got.len != want.len {
		return fmt.Sprintf("length %d, want %d", got.len, want.len)
	}
	if got.hasWin != want.hasWin || got.win != want.win {
		return fmt.Sprintf("win %d (%v), want %d (%v)", got.win, got.hasWin, want.win, want.hasWin)
	}
	return ""
}
