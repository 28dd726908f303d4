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
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenCase is one input and one command line, and the file holding what
// tcpnote must print.
type goldenCase struct {
	name  string // golden file name
	input string
	args  []string
}

// goldenCases annotates every real capture (its -nn -S render in every
// language tcpnote speaks, and its -nn render to show relative numbers
// explained) and the traces the project started from
// (testdata/corpus/seeds), in every language.
func goldenCases(t *testing.T) []goldenCase {
	var cs []goldenCase
	caps, _ := filepath.Glob("../../testdata/captures/*/nn+S.txt")
	if len(caps) == 0 {
		t.Fatal("no captures")
	}
	for _, in := range caps {
		name := filepath.Base(filepath.Dir(in))
		for _, tag := range langTags() {
			cs = append(cs, goldenCase{"captures/" + name + "." + tag + ".txt", in, []string{"--summary", "--lang", tag}})
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

// TestGolden runs tcpnote in-process on each case and compares its output
// with testdata/golden. Run `go test ./cmd/tcpnote -update` to rewrite the
// files, then read the diff before committing it.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		c := c
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append(append([]string{}, c.args...), "--color", "never", c.input)
			code := run(args, strings.NewReader(""), &out, &errOut, func(string) string { return "" })
			if code != 0 || errOut.Len() > 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut.String())
			}
			path := filepath.Join("../../testdata/golden", c.name)
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("output differs from %s (run with -update, then read the diff):\n%s", path, firstDiff(out.String(), string(want)))
			}
		})
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
