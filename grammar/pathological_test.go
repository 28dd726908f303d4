package grammar

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// segmentPrefix arms a pathological shape: with it in front, a line holds
// an endpoint pair, so the shape reaches the lexer and the grammar instead
// of being turned away by the pre-scan.
const segmentPrefix = "10:00:00.000000 IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1, length 0 "

// pathological returns the shapes that hung or crashed tcpdump's grammar
// at 0666d29 (testdata/repro/make.sh writes them as files), each as the
// repro wrote it and armed with a segment prefix at about n bytes.
func pathological(n int) map[string]string {
	rep := func(unit string, size int) string { return strings.Repeat(unit, size/len(unit)) }
	return map[string]string{
		"brackets":       rep("[", 400000),
		"adot":           rep("a.", 32000),
		"dots":           rep(".", 16000),
		"parens":         "10:00:00.000000 IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1, options [" + rep("(", 10000) + "], length 0",
		"labels":         "10:00:00.000000 IP " + rep("1.", 8000) + "1 > 2.2: Flags [S], seq 1, win 1, length 0",
		"armed-brackets": segmentPrefix + rep("[", n),
		"armed-adot":     segmentPrefix + rep("a.", n),
		"armed-dots":     segmentPrefix + rep(".", n),
		"armed-parens":   segmentPrefix + rep("(", n),
		// a run of host characters ending in a pair that never completes:
		// each position of the run could start a Pair
		"armed-labels": segmentPrefix + rep("1.", n) + "1 > 2.2",
		// the same shapes before the pair, where the grammar must read them
		"pair-after-adot":   rep("a.", n) + " 1.1 > 2.2: Flags [S], seq 1, win 1, length 0",
		"pair-after-dots":   rep(".", n) + " 1.1 > 2.2: Flags [S], seq 1, win 1, length 0",
		"pair-after-parens": rep("( ", n) + " 1.1 > 2.2: Flags [S], seq 1, win 1, length 0",
	}
}

// normalLine is a real segment line with an application decoder's text
// after the length (the shape of tcpdump's telnet decoder), n bytes long:
// the baseline a pathological line of the same length is held to.
func normalLine(n int) string {
	var b strings.Builder
	b.WriteString("10:00:00.000000 IP 10.240.107.87.23 > 10.10.102.137.47302: Flags [P.], seq 1:65, ack 1, win 49232, options [nop,nop,TS val 119384276 ecr 1497139368], length 64 [telnet")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, " SB 0x%x %d 0x1 SE,", i%256, i%10)
	}
	return b.String()[:n]
}

// lexCost returns the bytes the lexer's rules read for a whole line.
func lexCost(t testing.TB, s string) int64 {
	t.Helper()
	lx, err := linear(tcpLexer()).LexString("", s)
	if err != nil {
		t.Fatal(err)
	}
	before := lexSteps.Load()
	for {
		tok, err := lx.Next()
		if err != nil {
			t.Fatalf("%.40q: %v", s, err)
		}
		if tok.EOF() {
			break
		}
	}
	return lexSteps.Load() - before
}

// TestPathologicalCost holds the cost of a line to its length: the bytes
// the lexer reads grow linearly with the line, at most a generous multiple
// of what a normal line of the same length costs, whatever its content.
// (Before the lexer read each rule from the current position only as far
// as it could match, a line of `a.` × 16,000 cost over 60 s.)
func TestPathologicalCost(t *testing.T) {
	for _, n := range []int{1000, 4000, 16000} {
		for name, line := range pathological(n) {
			if !strings.HasPrefix(name, "armed") && !strings.HasPrefix(name, "pair") {
				continue
			}
			normal := lexCost(t, normalLine(len(line)))
			cost := lexCost(t, line)
			if cost > 4*normal {
				t.Errorf("%s (%d bytes): the lexer reads %d bytes; a normal line of that length %d", name, len(line), cost, normal)
			}
		}
	}
}

// TestPathologicalLines parses every shape: none crashes, none is a
// segment but those whose shape is a Suffix after a whole segment, and
// the grammar reads no more than its head of any.
func TestPathologicalLines(t *testing.T) {
	segments := map[string]bool{"armed-adot": true, "armed-dots": true, "armed-labels": true, "armed-brackets": true, "armed-parens": true}
	for name, line := range pathological(MaxHead * 4) {
		var ps Parser
		var p Packet
		before := lexSteps.Load()
		got := ps.Parse([]byte(line), &p)
		if got != segments[name] {
			t.Errorf("%s: segment %v, want %v", name, got, segments[name])
		}
		if got && int(p.Suffix.End) != len(strings.TrimRight(line, " ")) {
			t.Errorf("%s: the Suffix ends at %d of %d", name, p.Suffix.End, len(line))
		}
		if read := lexSteps.Load() - before; read > 8*MaxHead {
			t.Errorf("%s: the lexer read %d bytes of a %d-byte line", name, read, len(line))
		}
	}
}

// TestLongSuffixReadAsWhole: a segment whose Suffix runs past the head
// reads as the same segment as its first MaxHead bytes would, with the
// Suffix to the end of the line (tcpdump's telnet decoder prints 267 KB).
func TestLongSuffixReadAsWhole(t *testing.T) {
	long := normalLine(MaxHead * 3)
	short := long[:strings.LastIndexByte(long[:MaxHead], ' ')]
	var pl, ps Packet
	if !fromGrammar([]byte(long), &pl) || !fromGrammar([]byte(short), &ps) {
		t.Fatal("not a segment")
	}
	if int(pl.Suffix.End) != len(strings.TrimRight(long, " ")) || pl.Suffix.Start != ps.Suffix.Start {
		t.Errorf("suffix %+v, the head's %+v", pl.Suffix, ps.Suffix)
	}
	pl.Suffix, ps.Suffix, pl.Raw, ps.Raw = Span{}, Span{}, nil, nil
	if a, b := normalised(&pl), normalised(&ps); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("%s", packetDiff(&a, &b))
	}
}

// TestNestingLimit: brackets nested MaxNesting deep are read; one more
// and the line is not a segment (participle would recurse without bound:
// 400,000 of them overflowed a 1 GB goroutine stack).
func TestNestingLimit(t *testing.T) {
	for depth, want := range map[int]bool{MaxNesting: true, MaxNesting + 1: false} {
		line := segmentPrefix + strings.Repeat("[", depth) + strings.Repeat("]", depth)
		var p Packet
		if got := fromGrammar([]byte(line), &p); got != want {
			t.Errorf("nesting %d: segment %v, want %v", depth, got, want)
		}
	}
}

// tokensOf lexes s with a lexer definition.
func tokensOf(t testing.TB, def lexer.Definition, s string) []lexer.Token {
	t.Helper()
	lx, err := def.(lexer.StringDefinition).LexString("", s)
	if err != nil {
		t.Fatal(err)
	}
	var out []lexer.Token
	for {
		tok, err := lx.Next()
		if err != nil {
			return append(out, lexer.Token{Value: "error"})
		}
		out = append(out, tok)
		if tok.EOF() {
			return out
		}
	}
}

// sameTokens reports where the linear lexer and participle's own driver
// of the same rules disagree on s, or "".
func sameTokens(t testing.TB, s string) string {
	a, b := tokensOf(t, linear(tcpLexer()), s), tokensOf(t, tcpLexer(), s)
	for i := 0; i < len(a) || i < len(b); i++ {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return fmt.Sprintf("token %d: linear %v, participle %v", i, a[min(i, len(a)-1)], b[min(i, len(b)-1)])
		}
	}
	return ""
}

// TestLexerMatchesParticiple: on lines of every file of the corpus (and
// the captures), the linear lexer yields participle's tokens, positions
// included. participle's driver is slow (and far slower under -race), so
// it reads the first few distinct lines of each file; FuzzLexerMatches-
// Participle and the fuzz seeds cover the rest.
func TestLexerMatchesParticiple(t *testing.T) {
	const linesPerFile = 4
	files, _ := filepath.Glob(corpusDir + "/*/*")
	more, _ := filepath.Glob("../testdata/captures/*/*.txt")
	n := 0
	lin := linear(tcpLexer())
	seen := map[string]bool{}
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil || len(data) > 1<<20 {
			continue
		}
		taken := 0
		for _, l := range bytes.Split(data, []byte("\n")) {
			if len(l) > 700 || seen[string(l)] {
				continue // participle's driver is quadratic
			}
			if taken++; taken > linesPerFile {
				break
			}
			seen[string(l)] = true
			a, b := tokensOf(t, lin, string(l)), tokensOf(t, tcpLexer(), string(l))
			if len(a) != len(b) {
				t.Fatalf("%s: %q: %s", f, l, sameTokens(t, string(l)))
			}
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("%s: %q: %s", f, l, sameTokens(t, string(l)))
				}
			}
			n++
		}
	}
	if n < 2500 {
		t.Errorf("only %d lines compared", n)
	}
}

// FuzzLexerMatchesParticiple: for any input, the linear lexer yields the
// tokens of participle's driver of the same rules.
func FuzzLexerMatchesParticiple(f *testing.F) {
	fuzzSeeds(f)
	for _, line := range pathological(200) {
		if len(line) < 2000 {
			f.Add(line)
		}
	}
	f.Add("a.b.c.d > e.f: x 1.2.3 > 4.5: y")
	f.Add("g1.1 > 2.2: DSTOPT (padn) 1 > 2:")
	f.Add("1.1 > 2.2: Geneve, vni 0xb: 3.3 > 4.4: Flags")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4000 {
			return
		}
		if why := sameTokens(t, s); why != "" {
			t.Fatalf("%q: %s", s, why)
		}
	})
}

// BenchmarkPathological parses each shape of make.sh, and a normal line of
// the same length for comparison; ns/byte is the figure to compare.
func BenchmarkPathological(b *testing.B) {
	shapes := pathological(MaxHead)
	for _, name := range []string{"brackets", "adot", "dots", "parens", "labels", "armed-adot", "armed-labels", "pair-after-adot", "pair-after-dots", "pair-after-parens"} {
		for _, kind := range []string{"shape", "normal"} {
			line := []byte(shapes[name])
			if kind == "normal" {
				line = []byte(normalLine(len(line)))
			}
			b.Run(name+"/"+kind, func(b *testing.B) {
				var ps Parser
				var p Packet
				b.ReportAllocs()
				b.SetBytes(int64(len(line)))
				for i := 0; i < b.N; i++ {
					ps.Parse(line, &p)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(line)), "ns/byte")
			})
		}
	}
}
