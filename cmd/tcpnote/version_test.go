package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFormatVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	const rev = "4e1102df9fa59f2a38e3f308a29357a575790dc5"
	for _, c := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"go build in a clone", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-12-01T17:28:24Z", "vcs.modified", "false")},
			"tcpnote devel (commit " + rev + ", 2026-12-01T17:28:24Z, clean) go1.26.0 linux/amd64"},
		{"modified tree, version from a tag", &debug.BuildInfo{GoVersion: "go1.27.1", Main: debug.Module{Version: "v1.2.0+dirty"},
			Settings: vcs("vcs.revision", rev, "vcs.time", "2026-12-01T17:28:24Z", "vcs.modified", "true")},
			"tcpnote v1.2.0+dirty (commit " + rev + ", 2026-12-01T17:28:24Z, modified) go1.27.1 linux/amd64"},
		{"go install module@version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}},
			"tcpnote v1.2.0 go1.26.8 linux/amd64"},
		{"-buildvcs=false", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"tcpnote devel (no VCS information: built outside a git clone or with -buildvcs=false) go1.26.8 linux/amd64"},
		{"no build information", nil, "tcpnote devel (no build information) linux/amd64"},
	} {
		if got := formatVersion(c.info, "linux/amd64"); got != c.want {
			t.Errorf("%s:\n got  %q\n want %q", c.name, got, c.want)
		}
	}
}

// TestVersionOfABuiltClone builds tcpnote with `go build` in a git clone of
// this repository, as a user reporting a bug would (with this directory's
// code for the command, and a change to the README so that the tree is
// modified), and checks that --version names the clone's commit, its date
// and the change.
func TestVersionOfABuiltClone(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(gitPath, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Skipf("git %s: %v: %s (not a git checkout?)", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	top := git(".", "rev-parse", "--show-toplevel")
	clone := filepath.Join(t.TempDir(), "clone")
	git(".", "clone", "-q", "--no-checkout", top, clone)
	git(clone, "checkout", "-q", git(".", "rev-parse", "HEAD"))
	head := git(clone, "rev-parse", "HEAD")
	// The command's code as it is here (it may not be committed yet), and
	// a change to the tree in any case.
	srcs, _ := filepath.Glob("*.go")
	for _, src := range srcs {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(clone, "cmd", "tcpnote", src), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(clone, "README.md"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "tcpnote")
	build := exec.Command("go", "build", "-o", bin, "./cmd/tcpnote")
	build.Dir = clone
	// -buildvcs=auto is go's default; a machine's go env may say otherwise.
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=auto")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^tcpnote \S+ \(commit ` + head + `, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, modified\) go1\.\S+ \S+/\S+\n$`)
	if !re.Match(out) {
		t.Errorf("--version of a modified clone at %s printed %q, want it to match %s", head, out, re)
	}
}
