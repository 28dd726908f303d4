package annotate

import (
	"fmt"
	"strings"
	"testing"
)

// connMarks renders a capture as HTML and returns the marks of its first
// connection, as "N:what" strings: "42:lost=3", "47:orig=42", "7:cross=6".
func connMarks(t *testing.T, capture string) []string {
	t.Helper()
	r := render(t, docHTML, English, readTrace(t, "../testdata/captures/"+capture+"/nn+S.txt"))
	if len(r.conns) == 0 {
		t.Fatalf("%s: no connection", capture)
	}
	c := r.conns[0]
	timed, _ := timeScale(c.Rows)
	m := markRows(c.Rows, timed)
	var out []string
	for i, k := range m {
		n := c.Rows[i].N
		if k.lost {
			out = append(out, fmt.Sprintf("%d:lost=%d", n, k.why+1))
		}
		if k.orig >= 0 {
			out = append(out, fmt.Sprintf("%d:orig=%d", n, c.Rows[k.orig].N))
		}
		if k.cross >= 0 {
			out = append(out, fmt.Sprintf("%d:cross=%d", n, c.Rows[k.cross].N))
		}
	}
	return out
}

// TestMarksCaptures checks the loss, retransmission and crossing marks on
// real captures against their truth.md: the segments iptables dropped are
// the ones marked lost, and nothing else is.
func TestMarksCaptures(t *testing.T) {
	for _, tc := range []struct{ capture, want string }{
		// truth.md: segments at relative seq 27513, 55025, 82537 dropped
		// (packets 42, 65, 88 here), each resent after dup ACKs with SACK.
		{"loss-sack", "42:lost=3 47:orig=42 65:lost=3 70:orig=65 88:lost=3 93:orig=88"},
		// truth.md: every copy of line 8's bytes was dropped; the server's
		// FIN (14) still acks their first byte, 2.4 s after the last copy,
		// which had waited 1.66 s. The FIN's copies (16, 18) are answered
		// by RSTs: it arrived, so it is not marked.
		{"rto-backoff", "8:lost=4 9:lost=4 9:orig=8 10:lost=4 10:orig=9 11:lost=4 11:orig=10 12:lost=4 12:orig=11 13:lost=4 13:orig=12 16:orig=14 18:orig=16"},
		// SYNs dropped by iptables: each answered by nothing and sent
		// again; the last has nothing after it and is drawn normally.
		{"syn-retry-exponential", "1:lost=1 2:lost=1 2:orig=1 3:lost=1 3:orig=2 4:orig=3"},
		// FINs at the same microsecond, neither acknowledging the other.
		{"simultaneous-close", "6:cross=7 7:cross=6"},
		{"simultaneous-open", "1:cross=2 2:cross=1"},
		// the SYN-ACK is resent because the listener dropped the 3rd
		// handshake (accept queue): the SYN-ACKs arrived; nothing is lost.
		{"synack-retry", "4:orig=2 6:orig=4"},
		{"four-way-close", ""},
	} {
		got := strings.Join(connMarks(t, tc.capture), " ")
		if got != tc.want {
			t.Errorf("%s: marks\n got %s\nwant %s", tc.capture, got, tc.want)
		}
	}
}
