package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// versionString says which tcpnote this is, for a bug report: the module
// version (or devel), the commit it was built from, that commit's date,
// and whether the work tree had changes not committed.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	return formatVersion(info, runtime.GOOS+"/"+runtime.GOARCH)
}

// formatVersion writes the version line from what the go command recorded
// in the binary. `go build` in a git clone records vcs.revision, vcs.time
// and vcs.modified; `go install module@version` records the version but no
// VCS settings; -buildvcs=false or a tree without .git records neither, and
// the line says so rather than print a bare "(devel)".
func formatVersion(info *debug.BuildInfo, platform string) string {
	var b strings.Builder
	b.WriteString("tcpnote ")
	if info == nil {
		b.WriteString("devel (no build information) " + platform)
		return b.String()
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	b.WriteString(v)
	var rev, when, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	switch {
	case rev != "":
		b.WriteString(" (commit " + rev)
		if when != "" {
			b.WriteString(", " + when)
		}
		switch modified {
		case "true":
			b.WriteString(", modified")
		case "false":
			b.WriteString(", clean")
		}
		b.WriteString(")")
	case v == "devel":
		b.WriteString(" (no VCS information: built outside a git clone or with -buildvcs=false)")
	}
	b.WriteString(" " + info.GoVersion + " " + platform)
	return b.String()
}
