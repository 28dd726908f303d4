package annotate

// A sample the escaping of the document formats is proven on.

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// EscapingSample returns the document, in format "html" or "mermaid", of
// one connection built by hand whose every text tries to break out of the
// format (see hostileConn). The repository's golden harness (cmd/tcpnote)
// keeps it as a golden file in every language: a change in how a format
// escapes shows there.
func EscapingSample(format string, lang Lang) ([]byte, error) {
	var kind docKind
	switch format {
	case "html":
		kind = docHTML
	case "mermaid":
		kind = docMermaid
	default:
		return nil, fmt.Errorf("no escaping sample in format %q (want html, mermaid)", format)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := newDocument(w, Options{Lang: lang}, kind)
	c := hostileConn()
	d.conns = append(d.conns, c)
	d.byID[c.ID] = c
	if err := d.Close(); err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hostileConn is a connection whose every text tries to break out of the
// formats: Mermaid's statement and comment characters, its keywords and
// arrows, HTML's tags and references, quotes, control characters, invalid
// UTF-8.
func hostileConn() *docConn {
	row := func(n int, from fsm.Role, micros int64) docRow {
		return docRow{N: n, Line: n, Time: fmt.Sprintf("00:00:%02d.000000", micros/1e6), Micros: micros, HasTime: true, From: from}
	}
	r1 := row(1, fsm.Client, 0)
	r1.Flags, r1.Bits, r1.Seq = "S", grammar.SYN, "100"
	r1.Note = `1st <b>handshake</b> & "quoted" 'single'; #hash %%{init: {"theme":"dark"}}%% end -->> S: x`
	r1.Key, r1.KeyNote = fsm.HandshakeSYN, `<script>alert("x")</script>; end; #1 & done`
	r1.Step = r1.KeyNote
	r1.States = "client CLOSED → SYN_SENT"
	r1.Before = [2]fsm.State{fsm.Closed, fsm.Listen}
	r1.Client, r1.Server = fsm.SynSent, fsm.SynRcvd
	r2 := row(2, fsm.Server, 60_000_000)
	r2.Flags, r2.Bits, r2.Seq, r2.Ack, r2.AckAbs = "R.;#<", grammar.RST|grammar.ACK, "0", "1", "101"
	r2.Note = "line\nbreak\r\x00nul \xff\xfe invalid ; participant X as Y"
	r2.Key, r2.KeyNote = fsm.RSTRefused, "RST\nparticipant Z\nNote over C: injected"
	r2.Step = r2.KeyNote
	r2.Before = [2]fsm.State{r1.Client, r1.Server}
	r2.Client, r2.Server = fsm.Closed, fsm.Closed
	return &docConn{
		ID: 7, Client: `10.0.0.1.1234;end#x<y>&"z"`, Server: "evil-->>host:80 %% end\nparticipant Q",
		Rows: []docRow{r1, r2},
	}
}
