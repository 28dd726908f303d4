package grammar

import (
	"io"
	"strings"
	"testing"
)

// chunkReader gives its chunks one Read at a time, as a pipe from a live
// tcpdump does, and records how many Reads were made.
type chunkReader struct {
	chunks []string
	reads  int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	r.reads++
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.chunks[0])
	r.chunks[0] = r.chunks[0][n:]
	if r.chunks[0] == "" {
		r.chunks = r.chunks[1:]
	}
	return n, nil
}

// TestScannerDoesNotWaitForNextPacket: a -v packet's two lines make a
// record as soon as both are read; the Scanner must not read on into the
// next packet (in a live pipe it may be seconds away).
func TestScannerDoesNotWaitForNextPacket(t *testing.T) {
	packet := "22:13:20.000027 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)\n" +
		"    10.0.0.1.43210 > 10.0.0.2.80: Flags [S], cksum 0x89e8 (correct), seq 1, win 64240, length 0\n"
	r := &chunkReader{chunks: []string{packet, packet}}
	s := NewScanner(r)
	if !s.Scan() {
		t.Fatal("no record")
	}
	rec := s.Record()
	if rec.Kind != TCP || !strings.Contains(string(rec.Raw), "\n") {
		t.Fatalf("first record %q (kind %v), want the joined -v packet", rec.Raw, rec.Kind)
	}
	if r.reads != 1 {
		t.Errorf("the Scanner made %d Reads before returning the first packet, want 1", r.reads)
	}
	if s.Buffered() {
		t.Errorf("Buffered after the first packet, with nothing of the next one read")
	}
}
