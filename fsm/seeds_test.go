package fsm

import (
	"strings"
	"testing"
)

// TestSeeds reads the traces this project started from (pasted from a
// textbook-style tcpdump 3.9 -vvv session, a forum post with line numbers,
// -Ax hex and Chinese comments, and a blog post with separators and
// timestamps out of order) and checks that every TCP line is recognised
// and the story is told right.
func TestSeeds(t *testing.T) {
	cases := []struct {
		file    string
		packets int
		story   []string // codes that must appear, in order
	}{
		{"echo-old-vvv.txt", 13, []string{"handshake.syn", "handshake.synack", "handshake.ack", "close.fin", "close.fin_merged", "close.final_ack"}},
		{"telnet-Ax-numbered-commented.txt", 9, []string{"handshake.syn", "handshake.synack", "handshake.ack", "data", "close.fin", "close.fin_ack", "close.passive_fin", "close.final_ack"}},
		// two connections: client closes first in four packets; then the
		// server closes first, and the client's FIN carries the ACK
		{"telnet-close-blocks.txt", 15, []string{"handshake.syn", "handshake.synack", "trace.time_backwards", "close.fin", "close.fin_ack", "close.passive_fin", "close.final_ack",
			"handshake.syn", "handshake.synack", "trace.time_backwards", "close.fin", "close.fin_merged", "close.final_ack"}},
	}
	for _, c := range cases {
		views, conns := analyseFile(t, "../testdata/corpus/seeds/"+c.file)
		if len(views) != c.packets {
			t.Errorf("%s: %d TCP records, want %d", c.file, len(views), c.packets)
		}
		var all []string
		for _, v := range views {
			all = append(all, strings.Fields(v.codes)...)
		}
		i := 0
		for _, code := range all {
			if i < len(c.story) && code == c.story[i] {
				i++
			}
		}
		if i < len(c.story) {
			t.Errorf("%s: the story stops before %s; codes: %v", c.file, c.story[i], all)
		}
		if c.file == "telnet-close-blocks.txt" {
			if len(conns) != 2 {
				t.Fatalf("%d connections", len(conns))
			}
			s1, s2 := conns[0].Summary(), conns[1].Summary()
			if s1.Close != "four_packet" || s1.Closer != Client || s2.Close != "three_packet" || s2.Closer != Server {
				t.Errorf("closes: %s by %s, %s by %s", s1.Close, s1.Closer, s2.Close, s2.Closer)
			}
		}
	}
}
