// Package tiertest chooses the files a corpus-wide test checks, for the
// tests of grammar, fsm, annotate and cmd/tcpnote (one copy of the rule,
// not one a package). It is imported by tests only.
package tiertest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Env names the variable that asks for the exhaustive tier. The tests
// run in two tiers. By default (`go test -race ./...`, the
// README's command) the corpus-wide tests check a deterministic sample of
// their files; with TCPNOTE_EXHAUSTIVE=1 they check every file. The
// assertions are the same in both tiers: only the number of files differs.
const Env = "TCPNOTE_EXHAUSTIVE"

// Exhaustive reports whether the exhaustive tier was asked for.
func Exhaustive() bool { return os.Getenv(Env) == "1" }

// MaxSampled is the largest file the default tier samples: the few larger
// ones (tcpdump's BGP and telnet out-of-bounds tests, the 200-connection
// capture's renders) are as long as the rest of a sample together, and are
// left to the exhaustive tier unless a test names them.
const MaxSampled = 128 << 10

// Sample returns the paths a test checks: all of them in the exhaustive
// tier; otherwise, of the files up to MaxSampled bytes, in each directory
// (sorted) every nth path, starting at an offset that moves on by one from
// one directory to the next so that the sample covers every position
// (every kind of render) across directories, at least one path per
// directory, and any path that contains one of always. The rule depends on
// the names and sizes only: every run checks the same files.
func Sample(t testing.TB, what string, paths []string, every int, always ...string) []string {
	t.Helper()
	if Exhaustive() || every <= 1 {
		return paths
	}
	named := func(p string) bool {
		for _, a := range always {
			if strings.Contains(p, a) {
				return true
			}
		}
		return false
	}
	var sorted []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Size() > MaxSampled && !named(p) {
			continue
		}
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	var out []string
	for d, start := 0, 0; start < len(sorted); d++ {
		end := start + 1
		for end < len(sorted) && filepath.Dir(sorted[end]) == filepath.Dir(sorted[start]) {
			end++
		}
		dir := sorted[start:end]
		n := len(out)
		for i, p := range dir {
			if (i+d)%every == 0 || named(p) {
				out = append(out, p)
			}
		}
		if len(out) == n {
			out = append(out, dir[d%len(dir)])
		}
		start = end
	}
	t.Logf("default tier: %s: %d of %d (every %d in each directory, none over %d KiB); %s=1 checks all", what, len(out), len(paths), every, MaxSampled>>10, Env)
	return out
}

// SampleSet is Sample as a set, for tests that walk their files in an
// order of their own.
func SampleSet(t testing.TB, what string, paths []string, every int, always ...string) map[string]bool {
	t.Helper()
	set := map[string]bool{}
	for _, p := range Sample(t, what, paths, every, always...) {
		set[p] = true
	}
	return set
}
