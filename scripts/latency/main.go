// Command latency measures how long tcpnote takes to show a packet's note
// after the packet's line arrives through a pipe, as it would from
// `tcpdump -l | tcpnote`.
//
//	latency [-n 200] [-gap 2ms] [-wait 20ms] [-timeout 5s] TCPNOTE LINES [ARG...]
//
// It starts TCPNOTE (a path, or a name looked up in $PATH) with the ARGs and
// with pipes for stdin and stdout, then for each of the first -n lines of
// the file LINES (a tcpdump render): it writes the line, and waits until
// tcpnote's output holds the echoed line and, if the packet gets a note, the
// first annotation line after it (a line that starts with four spaces and
// '┆'). The latency of a line is the time from the write to that annotation
// line, or to the echo if no annotation line follows within -wait. After
// each line it keeps reading for -gap (so each line is delivered alone)
// before it sends the next.
//
// Before the measured lines it sends one warm-up line that is not a packet
// (-warmup=false to skip it), so that process start-up is not counted.
//
// An annotation line that turns up only after -wait, but before the next
// line's echo, is still counted for the line it follows ("late"). A line
// whose echo does not come within -timeout stops the run with exit code 2:
// tcpnote is then buffering its output, which a live pipe must never do.
//
// It reports count, p50, p90, p99 and max in microseconds, for the note (or
// echo) and for the echo alone. Only the command line of tcpnote is used;
// `latency cat LINES` checks the tool itself (echo only).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

const notePrefix = "    ┆"

type outLine struct {
	text string // without the line ending
	at   time.Time
}

type sample struct {
	t0      time.Time
	echo    time.Duration
	shown   time.Duration // to the first note, or to the echo when there is none
	noted   bool
	late    bool
	extra   int // lines after the echo that are neither notes nor echoes
	noteLns int
}

func main() {
	os.Exit(run())
}

func run() int {
	fs := flag.NewFlagSet("latency", flag.ContinueOnError)
	n := fs.Int("n", 200, "number of input `lines` to send")
	gap := fs.Duration("gap", 2*time.Millisecond, "pause after each line, while still reading output")
	wait := fs.Duration("wait", 20*time.Millisecond, "how long after the echo to wait for a note")
	timeout := fs.Duration("timeout", 5*time.Second, "give up if a line's echo takes longer than this")
	warmup := fs.Bool("warmup", true, "first send one non-TCP line (not measured), so start-up time is not counted")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: latency [flags] TCPNOTE LINES [ARG...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() < 2 || *n < 1 {
		fs.Usage()
		return 2
	}
	bin, file, args := fs.Arg(0), fs.Arg(1), fs.Args()[2:]

	lines, err := readLines(file, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "latency:", err)
		return 1
	}
	if len(lines) == 0 {
		fmt.Fprintf(os.Stderr, "latency: %s: no lines\n", file)
		return 1
	}

	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "latency:", err)
		return 1
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "latency:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "latency:", err)
		return 1
	}
	out := make(chan outLine, 4096)
	go readOutput(stdout, out)

	var samples []sample
	var other, lateNotes int
	if *warmup {
		err = warm(stdin, out, *timeout)
	}
	if err == nil {
		samples, other, lateNotes, err = measure(stdin, out, lines, *gap, *wait, *timeout)
	}
	stdin.Close()
	code := 0
	if err != nil {
		fmt.Fprintf(os.Stderr, "latency: %v\n", err)
		code = 2
	}
	// Let tcpnote finish (it may print summaries at EOF); stop it if it hangs.
	done := make(chan error, 1)
	go func() {
		for range out {
		}
		done <- cmd.Wait()
	}()
	select {
	case werr := <-done:
		if werr != nil && code == 0 {
			fmt.Fprintf(os.Stderr, "latency: %s: %v\n", bin, werr)
			code = 1
		}
	case <-time.After(10 * time.Second):
		fmt.Fprintf(os.Stderr, "latency: %s did not exit 10 s after EOF; killing it\n", bin)
		cmd.Process.Kill()
		<-done
		if code == 0 {
			code = 1
		}
	}
	report(os.Stdout, bin, samples, other, lateNotes, *gap, *wait)
	return code
}

func readLines(file string, n int) ([]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var lines []string
	for len(data) > 0 && len(lines) < n {
		i := bytes.IndexByte(data, '\n')
		var l []byte
		if i < 0 {
			l, data = data, nil
		} else {
			l, data = data[:i], data[i+1:]
		}
		l = bytes.TrimRight(l, "\r")
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		lines = append(lines, string(l))
	}
	return lines, nil
}

func readOutput(r io.Reader, out chan<- outLine) {
	defer close(out)
	br := bufio.NewReaderSize(r, 1<<16)
	for {
		s, err := br.ReadString('\n')
		if len(s) > 0 {
			out <- outLine{text: strings.TrimRight(s, "\r\n"), at: time.Now()}
		}
		if err != nil {
			return
		}
	}
}

// warmupLine is not a TCP line, so tcpnote passes it through untouched.
const warmupLine = "latency: warm-up line, not a packet"

// warm sends warmupLine and waits for its echo, then reads whatever else
// comes for 50 ms.
func warm(w io.Writer, out <-chan outLine, timeout time.Duration) error {
	if _, err := io.WriteString(w, warmupLine+"\n"); err != nil {
		return fmt.Errorf("warm-up: write: %v", err)
	}
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-out:
			if !ok {
				return errors.New("warm-up: tcpnote closed its output before echoing the warm-up line")
			}
			if isEcho(l.text, warmupLine) {
				settle := time.After(50 * time.Millisecond)
				for {
					select {
					case _, ok := <-out:
						if !ok {
							return errors.New("warm-up: tcpnote closed its output")
						}
					case <-settle:
						return nil
					}
				}
			}
		case <-deadline:
			return fmt.Errorf("warm-up: no echo within %v (is tcpnote buffering its output?)", timeout)
		}
	}
}

func isNote(s string) bool { return strings.HasPrefix(s, notePrefix) }

// isEcho: the default text output repeats the input line byte for byte; a
// line that contains it (e.g. --inline, or colour codes around it) counts too.
func isEcho(s, in string) bool { return s == in || strings.Contains(s, in) }

func measure(w io.Writer, out <-chan outLine, lines []string, gap, wait, timeout time.Duration) (samples []sample, other, lateNotes int, err error) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	reset := func(d time.Duration) {
		timer.Stop()
		select {
		case <-timer.C:
		default:
		}
		timer.Reset(d)
	}
	for i, in := range lines {
		s := sample{t0: time.Now()}
		if _, werr := io.WriteString(w, in+"\n"); werr != nil {
			return samples, other, lateNotes, fmt.Errorf("line %d: write: %v", i+1, werr)
		}

		// 1. the echo (notes before it belong to the previous line)
		reset(timeout)
	echo:
		for {
			select {
			case l, ok := <-out:
				if !ok {
					return samples, other, lateNotes, fmt.Errorf("line %d: tcpnote closed its output before echoing it", i+1)
				}
				switch {
				case isNote(l.text):
					if k := len(samples) - 1; k >= 0 && !samples[k].noted {
						samples[k].noted, samples[k].late = true, true
						samples[k].shown = l.at.Sub(samples[k].t0)
						lateNotes++
					}
					if k := len(samples) - 1; k >= 0 {
						samples[k].noteLns++
					}
				case isEcho(l.text, in):
					s.echo = l.at.Sub(s.t0)
					break echo
				default:
					other++
				}
			case <-timer.C:
				return samples, other, lateNotes, fmt.Errorf("line %d: no echo within %v (is tcpnote buffering its output?): %.80q", i+1, timeout, in)
			}
		}
		s.shown = s.echo

		// 2. the first annotation line, if one comes within wait
		reset(wait)
	note:
		for {
			select {
			case l, ok := <-out:
				if !ok {
					break note
				}
				if isNote(l.text) {
					s.noted = true
					s.noteLns++
					s.shown = l.at.Sub(s.t0)
					break note
				}
				s.extra++
				other++
			case <-timer.C:
				break note
			}
		}

		// 3. the gap: keep reading so the next line is delivered alone
		reset(gap)
	drain:
		for {
			select {
			case l, ok := <-out:
				if !ok {
					break drain
				}
				if isNote(l.text) {
					s.noteLns++
				} else {
					other++
				}
			case <-timer.C:
				break drain
			}
		}
		samples = append(samples, s)
	}
	return samples, other, lateNotes, nil
}

// percentile by nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}

func report(w io.Writer, bin string, samples []sample, other, lateNotes int, gap, wait time.Duration) {
	var shown, echo []time.Duration
	noted := 0
	for _, s := range samples {
		shown = append(shown, s.shown)
		echo = append(echo, s.echo)
		if s.noted {
			noted++
		}
	}
	slices.Sort(shown)
	slices.Sort(echo)
	us := func(d time.Duration) int64 { return d.Microseconds() }
	fmt.Fprintf(w, "latency of %s: %d lines, %d with a note (%d late), %d echo only, %d other output lines; gap %v, wait %v\n",
		bin, len(samples), noted, lateNotes, len(samples)-noted, other, gap, wait)
	fmt.Fprintf(w, "  %-16s %6s %8s %8s %8s %8s\n", "µs", "count", "p50", "p90", "p99", "max")
	for _, row := range []struct {
		name string
		d    []time.Duration
	}{{"note (or echo)", shown}, {"echo", echo}} {
		if len(row.d) == 0 {
			fmt.Fprintf(w, "  %-16s %6d %8s %8s %8s %8s\n", row.name, 0, "-", "-", "-", "-")
			continue
		}
		fmt.Fprintf(w, "  %-16s %6d %8d %8d %8d %8d\n", row.name, len(row.d),
			us(percentile(row.d, 0.50)), us(percentile(row.d, 0.90)), us(percentile(row.d, 0.99)), us(row.d[len(row.d)-1]))
	}
}
