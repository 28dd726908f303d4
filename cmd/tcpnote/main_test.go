package main

import (
	"os"
	"path/filepath"
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
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{Dir: "../../testdata/script", Setup: func(env *testscript.Env) error {
		// the real captures, for the scripts that read a pcap
		env.Setenv("TESTDATA", testdata)
		return nil
	}})
}
