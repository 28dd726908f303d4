package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/annotate"
)

// flagLine is one flag in --help: "  -f, --format format   output format…".
var flagLine = regexp.MustCompile(`^  (?:-\S, |    )--([a-z-]+)(?: \S+)?  +(.+)$`)

// helpFlags runs --help in a language and returns each flag's description.
func helpFlags(t *testing.T, tag string) map[string]string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run([]string{"--help", "--lang", tag}, strings.NewReader(""), &out, &errOut, func(string) string { return "" }); code != 0 || errOut.Len() > 0 {
		t.Fatalf("--help --lang %s: exit %d, stderr %q", tag, code, errOut.String())
	}
	flags := map[string]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if m := flagLine.FindStringSubmatch(l); m != nil {
			flags[m[1]] = m[2]
		}
	}
	if len(flags) == 0 {
		t.Fatalf("--help --lang %s lists no flags:\n%s", tag, out.String())
	}
	return flags
}

// TestHelpInEveryLanguage checks that --help describes every flag in every
// language tcpnote speaks: a flag added without its descriptions in the
// language files (Words.Help.Flags) fails here.
func TestHelpInEveryLanguage(t *testing.T) {
	en := helpFlags(t, annotate.English.String())
	for _, l := range annotate.Langs() {
		if l == annotate.English {
			continue
		}
		got := helpFlags(t, l.String())
		for name, desc := range en {
			tr := got[name]
			if tr == "" || tr == desc || !hasCJK(tr) || strings.Contains(tr, "(default") {
				t.Errorf("%s: --%s is described as %q (English: %q)", l, name, tr, desc)
			}
		}
	}
}

func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x3040 && r <= 0x9fff {
			return true
		}
	}
	return false
}
