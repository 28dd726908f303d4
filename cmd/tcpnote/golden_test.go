package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/annotate"
	"github.com/tcpnote/tcpnote/fsm"
)

// update is the repository's one -update flag: `go test ./cmd/tcpnote
// -update` rewrites every golden file (TestGolden), then the diff is read
// before it is committed.
var update = flag.Bool("update", false, "rewrite every golden file of the repository (testdata/golden, docs/events.md)")

// goldenCase is one input and one command line, and the file under
// testdata/golden holding what tcpnote must print.
type goldenCase struct {
	name  string // golden file name
	input string
	args  []string
}

// generated is a golden file whose content is made by code, not by a run
// of tcpnote.
type generated struct {
	path string // relative to this directory
	gen  func() ([]byte, error)
}

// generatedFiles are the golden files made by code: docs/events.md, from
// fsm's vocabulary, and the document formats' escaping samples (a
// connection whose every text is hostile, built by hand: no trace makes
// it) in every language.
func generatedFiles() []generated {
	gs := []generated{{"../../docs/events.md", func() ([]byte, error) { return fsm.EventsMarkdown(), nil }}}
	for _, l := range annotate.Langs() {
		for _, f := range []struct{ format, ext string }{{"html", ".html"}, {"mermaid", ".mmd"}} {
			l, f := l, f
			gs = append(gs, generated{"../../testdata/golden/formats/hostile." + l.String() + f.ext,
				func() ([]byte, error) { return annotate.EscapingSample(f.format, l) }})
		}
	}
	return gs
}

// goldenCases lists every run of tcpnote whose output is kept: the CLI's
// (cliCases) and the document formats' (formatCases).
func goldenCases(t *testing.T) []goldenCase {
	return append(cliCases(t), formatCases(t)...)
}

// cliCases annotates every real capture (its -nn -S render in every
// language tcpnote speaks, and its -nn render to show relative numbers
// explained) and the traces the project started from
// (testdata/corpus/seeds), in every language.
func cliCases(t *testing.T) []goldenCase {
	var cs []goldenCase
	caps, _ := filepath.Glob("../../testdata/captures/*/nn+S.txt")
	if len(caps) == 0 {
		t.Fatal("no captures")
	}
	for _, in := range caps {
		name := filepath.Base(filepath.Dir(in))
		for _, tag := range langTags() {
			cs = append(cs, goldenCase{"captures/" + name + "." + tag + ".txt", in, []string{"--summary", "--lang", tag}})
			// issue 17: the full form, every note as a teaching handout says it
			cs = append(cs, goldenCase{"captures/" + name + ".full." + tag + ".txt", in, []string{"--summary", "--full", "--lang", tag}})
		}
		if rel := filepath.Join(filepath.Dir(in), "nn.txt"); fileExists(rel) && name != "interleaved-200" && name != "loss-sack" && name != "zero-window" {
			cs = append(cs, goldenCase{"captures/" + name + ".relative.en.txt", rel, []string{"--lang", "en"}})
		}
	}
	seeds, _ := filepath.Glob("../../testdata/corpus/seeds/*.txt")
	for _, in := range seeds {
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		for _, tag := range langTags() {
			cs = append(cs, goldenCase{"seeds/" + name + "." + tag + ".txt", in, []string{"--summary", "--verbose", "--lang", tag}})
		}
	}
	cs = append(cs,
		goldenCase{"json/three-way-close.jsonl", "../../testdata/captures/three-way-close/nn+S.txt", []string{"--format", "json", "--summary", "--lang", "en"}},
		goldenCase{"json/three-way-close.v.jsonl", "../../testdata/captures/three-way-close/nn+S+v.txt", []string{"--format", "json", "--lang", "en"}},
		// issue 22: the tunnel, extension-header and fragment fields
		goldenCase{"json/ipip-4in4.v.jsonl", "../../testdata/captures/ipip-4in4/nn+S+v.txt", []string{"--format", "json", "--lang", "en"}},
		goldenCase{"json/ipv6-hbh-dstopt.v.jsonl", "../../testdata/captures/ipv6-hbh-dstopt/nn+S+v.txt", []string{"--format", "json", "--lang", "en"}},
		goldenCase{"json/ipv4-frag.v.jsonl", "../../testdata/captures/ipv4-frag/nn+S+v.txt", []string{"--format", "json", "--lang", "en"}},
		goldenCase{"json/ipv6-frag.jsonl", "../../testdata/captures/ipv6-frag/nn+S.txt", []string{"--format", "json", "--lang", "en"}},
		goldenCase{"json/ecn-ce.v.jsonl", "../../testdata/captures/ecn-ce/nn+S+v.txt", []string{"--format", "json", "--lang", "en"}},
		goldenCase{"markdown/telnet-close-blocks.zh.md", "../../testdata/corpus/seeds/telnet-close-blocks.txt", []string{"--format", "markdown", "--lang", "zh"}},
	)
	for _, tag := range langTags() {
		cs = append(cs, goldenCase{"markdown/three-way-close." + tag + ".md", "../../testdata/captures/three-way-close/nn+S.txt", []string{"--format", "markdown", "--lang", tag}})
	}
	// --stats (issue 17): every capture's golden above has it (--summary
	// implies it); these add --history, in every language and format
	for _, tag := range langTags() {
		cs = append(cs, goldenCase{"stats/crafted.history." + tag + ".txt", "../../testdata/captures/crafted/nn+S.txt", []string{"--stats", "--history", "--lang", tag}})
	}
	cs = append(cs,
		goldenCase{"stats/crafted.history.zh.md", "../../testdata/captures/crafted/nn+S.txt", []string{"--stats", "--history", "--format", "markdown", "--lang", "zh"}},
		goldenCase{"stats/crafted.history.ja.jsonl", "../../testdata/captures/crafted/nn+S.txt", []string{"--stats", "--history", "--format", "json", "--lang", "ja"}},
	)
	// --quiz worksheets (annotate/quiz.go), in every language
	for _, tag := range langTags() {
		cs = append(cs,
			goldenCase{"quiz/three-way-close." + tag + ".md", "../../testdata/captures/three-way-close/nn+S.txt", []string{"--format", "markdown", "--quiz", "--lang", tag}},
			goldenCase{"quiz/loss-sack.relative." + tag + ".md", "../../testdata/captures/loss-sack/nn.txt", []string{"--format", "markdown", "--quiz", "--lang", tag}},
			goldenCase{"quiz/simultaneous-close." + tag + ".html", "../../testdata/captures/simultaneous-close/nn+S.txt", []string{"--format", "html", "--quiz", "--lang", tag}},
		)
	}
	return cs
}

// langTags are the --lang values of the languages tcpnote speaks.
func langTags() []string {
	var tags []string
	for _, l := range annotate.Langs() {
		tags = append(tags, l.String())
	}
	return tags
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// formatCases renders the document formats as annotate's tests check them
// (annotate/html_test.go, mermaid_test.go): Mermaid for every seed and for
// the -nn -S render of a few captures, HTML for three of them, in every
// language. A Mermaid render of several connections is Markdown with a
// fenced diagram each: its file ends in .md.
func formatCases(t *testing.T) []goldenCase {
	var traces []struct{ name, input string }
	seeds, _ := filepath.Glob("../../testdata/corpus/seeds/*.txt")
	for _, in := range seeds {
		traces = append(traces, struct{ name, input string }{strings.TrimSuffix(filepath.Base(in), ".txt"), in})
	}
	for _, name := range []string{"three-way-close", "refused", "ipv6", "syn-retry-exponential"} {
		in := "../../testdata/captures/" + name + "/nn+S.txt"
		if !fileExists(in) {
			t.Fatalf("%s: no such capture", in)
		}
		traces = append(traces, struct{ name, input string }{name + ".nn+S", in})
	}
	html := map[string]bool{"telnet-close-blocks": true, "three-way-close.nn+S": true, "refused.nn+S": true}
	var cs []goldenCase
	for _, tr := range traces {
		for _, tag := range langTags() {
			base := "formats/" + tr.name + "." + tag
			cs = append(cs, goldenCase{base + ".mmd", tr.input, []string{"--format", "mermaid", "--lang", tag}})
			if html[tr.name] {
				cs = append(cs, goldenCase{base + ".html", tr.input, []string{"--format", "html", "--lang", tag}})
			}
		}
	}
	return cs
}

// output runs tcpnote on a case; it returns the golden file's path and
// what it must hold (a Mermaid render of several connections is Markdown:
// .md).
func (c *goldenCase) output(t *testing.T) (path string, out []byte) {
	var buf, errOut bytes.Buffer
	args := append(append([]string{}, c.args...), "--color", "never", c.input)
	code := run(args, strings.NewReader(""), &buf, &errOut, func(string) string { return "" })
	if code != 0 || errOut.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	path = filepath.Join("../../testdata/golden", c.name)
	if strings.HasSuffix(path, ".mmd") && bytes.Contains(buf.Bytes(), []byte("```mermaid")) {
		path = strings.TrimSuffix(path, ".mmd") + ".md"
	}
	return path, buf.Bytes()
}

// TestGolden is the repository's one golden harness: it makes every golden
// file's content (running tcpnote in-process on each case, or generating
// it) and compares it with the file. Run `go test ./cmd/tcpnote -update` to
// rewrite them all, then read the diff before committing it.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		c := c
		t.Run(c.name, func(t *testing.T) {
			path, out := c.output(t)
			checkGolden(t, path, out)
		})
	}
	for _, g := range generatedFiles() {
		g := g
		t.Run(strings.TrimPrefix(g.path, "../../"), func(t *testing.T) {
			out, err := g.gen()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, g.path, out)
		})
	}
}

// checkGolden compares out with the golden file at path, or rewrites the
// file with -update.
func checkGolden(t *testing.T, path string, out []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/tcpnote -update to create it)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("output differs from %s (run go test ./cmd/tcpnote -update, then read the diff):\n%s", path, firstDiff(string(out), string(want)))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return ""
}
