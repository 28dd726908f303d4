//go:build !js

// Command tcpnote reads tcpdump's text output and writes it back with the
// explanations a TCP teacher would give: handshake steps and their ISN
// arithmetic, close patterns, retransmissions, windows, and each endpoint's
// TCP state.
//
//	tcpdump -S -nn -l -i lo port 8080 | tcpnote
//	tcpnote --lang zh --format markdown trace.txt > handout.md
//
// See run.go for the flags; `tcpnote --help` explains them with examples.
package main

import "os"

func main() {
	limitMemory(os.Getenv)
	floorGC(os.Getenv)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}
