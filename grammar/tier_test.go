package grammar

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The tests run in two tiers. By default (`go test -race ./...`, the
// README's command) the corpus-wide tests check a deterministic sample of
// their files; with TCPNOTE_EXHAUSTIVE=1 they check every file. The
// assertions are the same in both tiers: only the number of files differs.
const exhaustiveEnv = "TCPNOTE_EXHAUSTIVE"

// exhaustive reports whether the exhaustive tier was asked for.
func exhaustive() bool { return os.Getenv(exhaustiveEnv) == "1" }

// maxSampled is the largest file the default tier samples: the few larger
// ones (tcpdump's BGP and telnet out-of-bounds tests, the 200-connection
// capture's renders) are as long as the rest of a sample together, and are
// left to the exhaustive tier unless a test names them.
const maxSampled = 128 << 10

// sample returns the paths a test checks: all of them in the exhaustive
// tier; otherwise, of the files up to maxSampled bytes, in each directory
// (sorted) every nth path, starting at an offset that moves on by one from
// one directory to the next so that the sample covers every position
// (every kind of render) across directories, at least one path per
// directory, and any path that contains one of always. The rule depends on
// the names and sizes only: every run checks the same files.
func sample(t testing.TB, what string, paths []string, every int, always ...string) []string {
	t.Helper()
	if exhaustive() || every <= 1 {
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
		if fi, err := os.Stat(p); err == nil && fi.Size() > maxSampled && !named(p) {
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
	t.Logf("default tier: %s: %d of %d (every %d in each directory, none over %d KiB); %s=1 checks all", what, len(out), len(paths), every, maxSampled>>10, exhaustiveEnv)
	return out
}

// sampleSet is sample as a set, for tests that walk their files in an
// order of their own.
func sampleSet(t testing.TB, what string, paths []string, every int, always ...string) map[string]bool {
	t.Helper()
	set := map[string]bool{}
	for _, p := range sample(t, what, paths, every, always...) {
		set[p] = true
	}
	return set
}
