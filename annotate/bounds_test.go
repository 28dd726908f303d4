package annotate

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// longConn writes one connection on client port p: a handshake, n data
// segments, and a three-packet close, starting at second s.
func longConn(b *strings.Builder, p, n, s int) {
	c, srv := fmt.Sprintf("10.0.0.1.%d", p), "10.0.0.2.80"
	t := func(i int) string { return fmt.Sprintf("10:%02d:%02d.%06d", s/60%60, s%60, i%1000000) }
	fmt.Fprintf(b, "%s IP %s > %s: Flags [S], seq 100, win 65535, length 0\n", t(0), c, srv)
	fmt.Fprintf(b, "%s IP %s > %s: Flags [S.], seq 500, ack 101, win 65535, length 0\n", t(1), srv, c)
	fmt.Fprintf(b, "%s IP %s > %s: Flags [.], ack 501, win 65535, length 0\n", t(2), c, srv)
	seq := 101
	for i := 0; i < n; i++ {
		fmt.Fprintf(b, "%s IP %s > %s: Flags [P.], seq %d:%d, ack 501, win 65535, length 10\n", t(3+i), c, srv, seq, seq+10)
		seq += 10
	}
	fmt.Fprintf(b, "%s IP %s > %s: Flags [F.], seq %d, ack 501, win 65535, length 0\n", t(3+n), c, srv, seq)
	fmt.Fprintf(b, "%s IP %s > %s: Flags [F.], seq 501, ack %d, win 65535, length 0\n", t(4+n), srv, c, seq+1)
	fmt.Fprintf(b, "%s IP %s > %s: Flags [.], ack 502, win 65535, length 0\n", t(5+n), c, srv)
}

// stream feeds a trace to a document as cmd/tcpnote does, calling after
// for each record, and returns what was written.
func stream(t *testing.T, kind docKind, o Options, trace string, after func(d *collector, out *bytes.Buffer)) string {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := newDoc(w, o, kind)
	tr := fsm.NewTracker()
	due := func(cs []*fsm.Conn) {
		for _, c := range cs {
			s := c.Summary()
			d.Summary(&s)
		}
	}
	s := grammar.NewScanner(strings.NewReader(trace))
	for s.Scan() {
		rec := s.Record()
		var r *fsm.Result
		if rec.Kind == grammar.TCP {
			r = tr.Process(&rec.Packet, rec.Line)
		}
		d.Record(rec, r)
		due(tr.Due())
		w.Flush()
		if after != nil {
			after(d.kept(), &buf)
		}
	}
	due(tr.Flush())
	d.Close()
	w.Flush()
	return buf.String()
}

// TestDocumentsWriteEachConnection: Markdown and Mermaid write a
// connection as soon as it ends and keep nothing of it.
func TestDocumentsWriteEachConnection(t *testing.T) {
	var b strings.Builder
	longConn(&b, 1000, 3, 0)
	first := strings.Count(b.String(), "\n")
	longConn(&b, 1001, 3, 10)
	for _, kind := range []docKind{docMarkdown, docMermaid} {
		lines := 0
		out := stream(t, kind, Options{}, b.String(), func(d *collector, out *bytes.Buffer) {
			lines++
			if lines == first+1 {
				// the second connection has begun: the first is written
				if !strings.Contains(out.String(), "10.0.0.1.1000") || len(d.byID) != 1 || d.held != 1 {
					t.Errorf("kind %s: after the first connection: %d held in %d connections, written %q", kind, d.held, len(d.byID), out.String())
				}
			}
		})
		if strings.Count(out, "## ") != 2 {
			t.Errorf("kind %s: %q", kind, out)
		}
	}
}

// TestDocumentRowCap: a connection longer than docMaxRows keeps that
// many packets in full, and the document says how many more there were,
// on which lines, and how to draw it whole; --conn (Whole) keeps it all.
func TestDocumentRowCap(t *testing.T) {
	var b strings.Builder
	longConn(&b, 1000, docMaxRows+100, 0)
	for _, kind := range []docKind{docMarkdown, docMermaid, docHTML} {
		most := 0
		out := stream(t, kind, Options{}, b.String(), func(d *collector, _ *bytes.Buffer) {
			for _, c := range d.byID {
				most = max(most, len(c.Rows))
			}
		})
		if most > docMaxRows {
			t.Errorf("kind %s: %d rows held", kind, most)
		}
		// 3 + 5100 + 3 packets: 106 left out, input lines 5001 to 5106
		if want := "106 more packets are not shown (input lines 5001–5106): tcpnote --conn 1 draws this connection whole"; !strings.Contains(out, want) {
			t.Errorf("kind %s: no %q", kind, want)
		}
	}
	out := stream(t, docMarkdown, Options{Whole: true}, b.String(), nil)
	if strings.Contains(out, "not shown") || strings.Count(out, "\n| ") != docMaxRows+106+1 {
		t.Errorf("whole: %d rows", strings.Count(out, "\n| "))
	}
}

// TestDocumentHeldBudget: connections that have not ended keep at most
// docMaxHeld packets in full together.
func TestDocumentHeldBudget(t *testing.T) {
	var b strings.Builder
	for i := 0; i < docMaxHeld/4+10; i++ {
		// open connections: a handshake and a data segment each
		c := fmt.Sprintf("10.0.%d.%d.%d", i/250, i%250, 1024+i%60000)
		fmt.Fprintf(&b, "10:00:00.000001 IP %s > 10.0.0.2.80: Flags [S], seq 100, win 1, length 0\n", c)
		fmt.Fprintf(&b, "10:00:00.000002 IP 10.0.0.2.80 > %s: Flags [S.], seq 500, ack 101, win 1, length 0\n", c)
		fmt.Fprintf(&b, "10:00:00.000003 IP %s > 10.0.0.2.80: Flags [.], ack 501, win 1, length 0\n", c)
		fmt.Fprintf(&b, "10:00:00.000004 IP %s > 10.0.0.2.80: Flags [P.], seq 101:111, ack 501, win 1, length 10\n", c)
	}
	most := 0
	out := stream(t, docMarkdown, Options{}, b.String(), func(d *collector, _ *bytes.Buffer) { most = max(most, d.held) })
	if most > docMaxHeld {
		t.Errorf("%d packets held", most)
	}
	if !strings.Contains(out, "more packets are not shown") {
		t.Error("nothing said of the packets left out")
	}
}

// TestHTMLConnectionCap: a page has a section for at most htmlMaxConns
// connections and says how many more there were.
func TestHTMLConnectionCap(t *testing.T) {
	var b strings.Builder
	for i := 0; i < htmlMaxConns+5; i++ {
		fmt.Fprintf(&b, "10:00:00.000001 IP 10.0.%d.%d.1000 > 10.0.0.2.80: Flags [S], seq 100, win 1, length 0\n", i/250, i%250)
	}
	out := stream(t, docHTML, Options{}, b.String(), nil)
	if n := strings.Count(out, "<section class=\"conn\""); n != htmlMaxConns {
		t.Errorf("%d sections", n)
	}
	if want := fmt.Sprintf("5 more connections (5 packets, input lines %d–%d) are not drawn", htmlMaxConns+1, htmlMaxConns+5); !strings.Contains(out, want) {
		t.Errorf("no %q", want)
	}
}
