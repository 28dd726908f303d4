package grammar

import (
	"io"
	"testing"
	"time"
)

// TestLiveScannerLetsGo feeds a live Scanner through a pipe that pauses
// after each packet, as `tcpdump -l -v` does between bursts, and requires
// each record before the next is written: a -v packet (two lines), a
// wrapped-looking classic line that might continue, and a modern line.
// The writer waits for each record, so a Scanner that holds a record for
// the next line never gets it and the test hangs up to its guard.
func TestLiveScannerLetsGo(t *testing.T) {
	packets := []struct{ text, want string }{
		{"10:00:00.000001 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)\n    127.0.0.1.40000 > 127.0.0.1.80: Flags [S], cksum 0xfe30 (incorrect -> 0x1e1d), seq 1000, win 65495, options [mss 65495], length 0\n",
			"10:00:00.000001 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)\n    127.0.0.1.40000 > 127.0.0.1.80: Flags [S], cksum 0xfe30 (incorrect -> 0x1e1d), seq 1000, win 65495, options [mss 65495], length 0"},
		{"10:00:00.000002 127.0.0.1.80 > 127.0.0.1.40000: S 5000:5000(0) ack 1001 win 65535\n",
			"10:00:00.000002 127.0.0.1.80 > 127.0.0.1.40000: S 5000:5000(0) ack 1001 win 65535"},
		{"10:00:00.000003 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], ack 5001, win 512, length 0\n",
			"10:00:00.000003 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], ack 5001, win 512, length 0"},
	}
	pr, pw := io.Pipe()
	s := NewLiveScanner(pr, time.Millisecond)
	got := make(chan string)
	go func() {
		for s.Scan() {
			got <- string(s.Record().Raw)
		}
		close(got)
	}()
	for i, p := range packets {
		go pw.Write([]byte(p.text))
		select {
		case r := <-got:
			if r != p.want {
				t.Fatalf("packet %d: record %q, want %q", i+1, r, p.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("packet %d: no record while the input pauses: the Scanner holds it", i+1)
		}
	}
	pw.Close()
	if r, ok := <-got; ok {
		t.Fatalf("a record after the last: %q", r)
	}
}
