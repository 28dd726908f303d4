package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary double as the tcpnote command, so the
// scripts in testdata/script run the real CLI in a process of its own.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"tcpnote": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)) },
	})
}

// TestScripts runs the end-to-end CLI cases in ../../testdata/script: each
// is a txtar file with the input traces inline, the command lines, and the
// expected output and exit status.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "../../testdata/script"})
}
