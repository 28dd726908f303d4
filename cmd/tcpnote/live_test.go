package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLiveTcpdump runs tcpdump on the loopback interface piped into tcpnote
// and checks that the note of a SYN arrives while tcpdump is still running:
// tcpnote streams, it does not wait for the end of its input. It needs
// tcpdump and the right to capture (root); .ci/run provides both.
func TestLiveTcpdump(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		t.Skip("tcpdump is not installed: the live capture test needs it (.ci/run installs it)")
	}
	if os.Geteuid() != 0 {
		t.Skip("capturing on lo needs root: the live capture test runs as root (as .ci/run does)")
	}
	bin := buildTcpnote(t)

	// a free port of our own, with a listener on it
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()

	dump := exec.Command(tcpdump, "-i", "lo", "-S", "-nn", "-l", "--immediate-mode", "tcp port "+strconv.Itoa(port))
	note := exec.Command(bin, "--color", "never")
	pipe, err := dump.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	note.Stdin = pipe
	out, err := note.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := dump.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := dump.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { dump.Process.Kill(); dump.Wait() }()
	if err := note.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { note.Process.Kill(); note.Wait() }()

	// tcpdump says "listening on lo" on stderr once the capture is open
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				close(ready)
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("tcpdump did not start listening within 10 s")
	}

	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()

	deadline := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("tcpnote's output ended before the SYN's note")
			}
			if strings.Contains(l, "1st handshake (SYN)") {
				if err := dump.Process.Signal(syscall.Signal(0)); err != nil {
					t.Fatalf("tcpdump had already exited: %v", err)
				}
				return // the note arrived while tcpdump runs
			}
		case <-deadline:
			t.Fatal("no note for the SYN within 10 s: tcpnote is not streaming")
		}
	}
}

// buildTcpnote builds the command into a temporary directory.
func buildTcpnote(t *testing.T) string {
	t.Helper()
	bin := t.TempDir() + "/tcpnote"
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
