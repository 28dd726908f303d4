package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// A capture file (pcap or pcapng) is not tcpdump's text: tcpnote never
// echoes its bytes. With tcpdump at hand it reads the capture through
// `tcpdump -nn -S -r`, which prints the text tcpnote explains; without it
// it says which command to run.

// captureMagics are the first bytes of the capture formats, in file order:
// pcap (microseconds, nanoseconds; either byte order) and pcapng's Section
// Header Block type.
var captureMagics = []struct {
	magic, name string
}{
	{"\xd4\xc3\xb2\xa1", "pcap"},
	{"\xa1\xb2\xc3\xd4", "pcap"},
	{"\x4d\x3c\xb2\xa1", "pcap"},
	{"\xa1\xb2\x3c\x4d", "pcap"},
	{"\x0a\x0d\x0d\x0a", "pcapng"},
}

// sniff reads the first bytes of r, enough to tell a capture file, and
// returns a reader that gives them back, and the capture format's name
// ("" for text). It reads no more than a capture's magic, and stops at
// the first byte that rules a capture out, so a live pipe is not held.
func sniff(r io.Reader) (io.Reader, string) {
	var head [4]byte
	n := 0
	for n < len(head) && couldBeCapture(head[:n]) {
		k, err := r.Read(head[n:])
		n += k
		if err != nil {
			break
		}
	}
	format := ""
	for _, m := range captureMagics {
		if n == 4 && string(head[:]) == m.magic {
			format = m.name
		}
	}
	if n == 0 {
		return r, format
	}
	return io.MultiReader(bytes.NewReader(append([]byte(nil), head[:n]...)), r), format
}

// couldBeCapture reports whether b is a prefix of a capture's magic.
func couldBeCapture(b []byte) bool {
	for _, m := range captureMagics {
		if strings.HasPrefix(m.magic, string(b)) {
			return true
		}
	}
	return false
}

// capture is a running `tcpdump -r` whose text output tcpnote reads.
type capture struct {
	cmd    *exec.Cmd
	out    io.ReadCloser
	stderr bytes.Buffer
}

// tcpdumpCommand is the command that renders a capture as text; file is
// "-" for standard input.
func tcpdumpCommand(file string) []string { return []string{"tcpdump", "-nn", "-S", "-r", file} }

// openCapture starts tcpdump on a capture. name is the input's name ("-"
// for standard input, whose bytes are in r). It returns nil, with the
// reason on stderr and the command to use, when tcpdump is not installed
// or does not start.
func (p *pipeline) openCapture(name, format string, r io.Reader) *capture {
	args := tcpdumpCommand(name)
	shown := shellJoin(args)
	what := name
	if name == "-" {
		what = "standard input"
		shown = "… | " + shown
	}
	path, err := exec.LookPath("tcpdump")
	if err != nil {
		fmt.Fprintf(p.stderr, "tcpnote: %s is a %s capture, not tcpdump's text, and tcpdump is not installed to read it; run: %s | tcpnote\n", what, format, shown)
		return nil
	}
	c := &capture{cmd: exec.Command(path, args[1:]...)}
	if name == "-" {
		c.cmd.Stdin = r
	}
	c.cmd.Stderr = &c.stderr
	c.out, err = c.cmd.StdoutPipe()
	if err == nil {
		err = c.cmd.Start()
	}
	if err != nil {
		fmt.Fprintf(p.stderr, "tcpnote: %s is a %s capture: %s: %v\n", what, format, shown, err)
		return nil
	}
	fmt.Fprintf(p.stderr, "tcpnote: %s is a %s capture: annotating the output of %s\n", what, format, shown)
	return c
}

// wait ends the capture's tcpdump and reports whether it succeeded; if not,
// what tcpdump said goes to stderr.
func (c *capture) wait(p *pipeline) bool {
	io.Copy(io.Discard, c.out) // tcpdump must not block on a full pipe
	err := c.cmd.Wait()
	if err == nil {
		return true
	}
	msg := strings.TrimSpace(c.stderr.String())
	// tcpdump's own banner is no news
	var keep []string
	for _, l := range strings.Split(msg, "\n") {
		if l != "" && !strings.HasPrefix(l, "reading from file") {
			keep = append(keep, l)
		}
	}
	fmt.Fprintf(p.stderr, "tcpnote: %s: %v\n", shellJoin(c.cmd.Args), err)
	for _, l := range keep {
		fmt.Fprintf(p.stderr, "tcpnote: %s\n", l)
	}
	return false
}

// shellJoin words a command as one would type it.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=+:,@") == "" {
			out[i] = a
		} else {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}

// mayPause reports whether an input may pause between bursts: a pipe or
// a terminal. A regular file never does, nor an in-memory reader (tests).
func mayPause(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && !st.Mode().IsRegular()
}
