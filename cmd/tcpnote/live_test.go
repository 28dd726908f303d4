package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestLiveTcpdump runs tcpdump on the loopback interface piped into tcpnote,
// in each of the renders people use live (the default, -v, -vv, -x, -X), and
// checks that the note of the last packet of a burst arrives while tcpdump
// is still running and no more traffic comes: tcpnote streams, it does not
// wait for the end of its input nor for the next packet. A record held for
// possible continuation lines (a -v header waits for its TCP line, a packet
// may be followed by its hex dump) must be let go when the input pauses.
// It needs tcpdump and the right to capture (root); .ci/run provides both.
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
	for _, mode := range []struct {
		name string
		args []string
	}{
		{"default", nil},
		{"v", []string{"-v"}},
		{"vv", []string{"-vv"}},
		{"x", []string{"-x"}},
		{"X", []string{"-X"}},
	} {
		t.Run(mode.name, func(t *testing.T) { liveBurst(t, tcpdump, bin, mode.args) })
	}
}

// liveBurst captures one short connection (the server closes first, so the
// last packet is the server's ACK of the client's FIN) and waits for that
// packet's note.
func liveBurst(t *testing.T, tcpdump, bin string, extra []string) {
	// a free port of our own, with a listener that closes what it accepts
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

	args := append([]string{"-i", "lo", "-S", "-nn", "-l", "--immediate-mode"}, extra...)
	dump := exec.Command(tcpdump, append(args, "tcp port "+strconv.Itoa(port))...)
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
		io.Copy(io.Discard, stderr)
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("tcpdump did not start listening within 10 s")
	}

	lines := make(chan string, 100)
	var seen struct {
		sync.Mutex
		text []string
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			seen.Lock()
			seen.text = append(seen.text, sc.Text())
			seen.Unlock()
			lines <- sc.Text()
		}
		close(lines)
	}()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, c) // until the server's FIN
	c.Close()

	// No traffic follows: the last packet's note must come all the same.
	deadline := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("tcpnote's output ended before the last packet's note")
			}
			if strings.Contains(l, "┆ final ACK") {
				if err := dump.Process.Signal(syscall.Signal(0)); err != nil {
					t.Fatalf("tcpdump had already exited: %v", err)
				}
				return // the note arrived while tcpdump runs
			}
		case <-deadline:
			seen.Lock()
			defer seen.Unlock()
			t.Fatalf("no note for the last packet within 10 s: tcpnote is not streaming; it wrote:\n%s", strings.Join(seen.text, "\n"))
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
