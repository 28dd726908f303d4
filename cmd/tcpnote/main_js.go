//go:build js && wasm

package main

// In the browser (GOOS=js GOARCH=wasm, see web/ and scripts/build-web.sh)
// tcpnote is the same run as on the command line, called from JavaScript
// with the trace as a string instead of standard input. Nothing here
// parses, tracks or words anything: that all stays in run and the
// packages it calls, so the page and the CLI cannot disagree.

import (
	"bytes"
	"io/fs"
	"strings"
	"syscall/js"

	"github.com/tcpnote/tcpnote/annotate"
)

// main registers the functions the page's worker calls, then waits for
// calls forever: returning would end the Go program and free them.
func main() {
	g := js.Global()
	g.Set("tcpnote", js.FuncOf(jsRun))
	g.Set("tcpnoteInfo", js.FuncOf(jsInfo))
	select {}
}

// jsRun is tcpnote(args, input) → {stdout, stderr, code}: run with args as
// the command line and input as standard input. The environment is empty,
// so colour is off unless asked for and the language is --lang's or
// English. A FILE argument cannot be opened (there is no file system): run
// says so on stderr and exits 1, as it does for a missing file.
func jsRun(_ js.Value, a []js.Value) any {
	var args []string
	if len(a) > 0 && a[0].Truthy() {
		for i := 0; i < a[0].Length(); i++ {
			args = append(args, a[0].Index(i).String())
		}
	}
	input := ""
	if len(a) > 1 && a[1].Type() == js.TypeString {
		input = a[1].String()
	}
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(input), &stdout, &stderr, func(string) string { return "" })
	return map[string]any{"stdout": stdout.String(), "stderr": stderr.String(), "code": code}
}

// jsInfo is tcpnoteInfo(preferred) → {langs, lang, demos, version}: the
// languages tcpnote speaks (their tags, as --lang takes them), the first
// of the browser's preferred language tags that one of them matches (else
// English), the --demo traces by name, and tcpnote's version.
func jsInfo(_ js.Value, a []js.Value) any {
	var langs []any
	for _, l := range annotate.Langs() {
		langs = append(langs, l.String())
	}
	lang := annotate.English.String()
	if len(a) > 0 && a[0].Truthy() {
		for i := 0; i < a[0].Length(); i++ {
			if l, err := annotate.ParseLang(a[0].Index(i).String()); err == nil {
				lang = l.String()
				break
			}
		}
	}
	var demos []any
	for _, name := range demoNames() {
		file := strings.TrimPrefix(name, "demo:")
		b, err := fs.ReadFile(demoTraces, "demo/"+file)
		if err != nil {
			continue
		}
		demos = append(demos, map[string]any{"name": file, "text": string(b)})
	}
	return map[string]any{"langs": langs, "lang": lang, "demos": demos, "version": versionString()}
}
