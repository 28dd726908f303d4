package annotate

import (
	"bufio"
	"strconv"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The document formats (Markdown, Mermaid, HTML) describe each connection
// as a whole, so they collect rows while the trace is read and write the
// document at the end.

type docKind uint8

const (
	docMarkdown docKind = iota
	docMermaid
	docHTML
)

// docRow is one packet of a connection, ready to be drawn.
type docRow struct {
	N        int // 1-based within the connection
	Line     int // input line
	Time     string
	Micros   int64
	HasTime  bool
	From     fsm.Role
	Flags    string // as printed, e.g. "S." or "P"
	Seq, Ack string // as printed ("" when absent)
	SeqAbs   string // absolute, when it differs from the printed one
	AckAbs   string
	Len      uint32
	Note     string // the default note, without state changes
	States   string // the state changes, "" when none
	Client   fsm.State
	Server   fsm.State
	Codes    []fsm.Code
	Key      fsm.Code      // the event that names the packet (handshake step, close step, RST …)
	KeyNote  string        // the wording of Key alone ("" when Key is none): a diagram's note
	Step     string        // the step label of Key in the language: what an arrow says
	Bits     grammar.Flags // the flags as parsed (Flags is their text as printed)
	Before   [2]fsm.State  // the client's and the server's states before the packet
	Win      string        // the window as printed ("" when absent)
}

// docConn is one connection's rows and summary.
type docConn struct {
	ID             int
	Client, Server string
	Rows           []docRow
	Summary        fsm.Summary
	HasSummary     bool
}

type document struct {
	w     *bufio.Writer
	o     Options
	kind  docKind
	conns []*docConn
	byID  map[int]*docConn
	buf   []byte
}

func newDocument(w *bufio.Writer, o Options, kind docKind) *document {
	return &document{w: w, o: o, kind: kind, byID: map[int]*docConn{}}
}

func (d *document) Record(rec *grammar.Record, r *fsm.Result) error {
	if r == nil {
		return nil
	}
	p := &rec.Packet
	c := d.byID[r.Conn.ID]
	if c == nil {
		c = &docConn{ID: r.Conn.ID, Client: r.Conn.Client, Server: r.Conn.Server}
		d.byID[c.ID] = c
		d.conns = append(d.conns, c)
	}
	row := docRow{
		N: len(c.Rows) + 1, Line: rec.Line, Time: p.Str(p.Time), Micros: p.Micros,
		HasTime: p.TimeKind != grammar.NoTime, From: r.From, Flags: p.Str(p.FlagText), Len: p.Len,
		Client: r.After[fsm.Client], Server: r.After[fsm.Server],
		Bits: p.Flags, Before: r.Before,
	}
	if p.Dialect == grammar.Quiet {
		row.Flags = "tcp"
	}
	if p.HasSeq {
		row.Seq = strconv.FormatUint(uint64(p.Seq), 10)
		if p.HasSeqEnd && p.SeqEnd != p.Seq {
			row.Seq += ":" + strconv.FormatUint(uint64(p.SeqEnd), 10)
		}
		if r.HasSeq && r.Seq != p.Seq {
			row.SeqAbs = strconv.FormatUint(uint64(r.Seq), 10)
		}
	}
	if p.HasWin {
		row.Win = strconv.FormatUint(uint64(p.Win), 10)
	}
	if p.HasAck {
		row.Ack = strconv.FormatUint(uint64(p.Ack), 10)
		if r.HasAck && r.Ack != p.Ack {
			row.AckAbs = strconv.FormatUint(uint64(r.Ack), 10)
		}
	}
	for i := range r.Events {
		row.Codes = append(row.Codes, r.Events[i].Code)
	}
	filter := shownByDefault
	if d.o.Verbose {
		filter = allEvents
	}
	b, _ := appendEvents(d.buf[:0], d.o.Lang, p, r, filter)
	row.Note = string(b)
	if r.Before != r.After {
		row.States = string(appendStates(b[:0], d.o.Lang, r))
	}
	d.buf = b
	if e := keyEvent(r); e != nil {
		row.Key = e.Code
		row.KeyNote = string(appendEvent(nil, d.o.Lang, p, r, e))
		row.Step = d.o.Lang.text().Steps[e.Code]
	}
	c.Rows = append(c.Rows, row)
	return nil
}

func (d *document) Summary(s *fsm.Summary) error {
	if c := d.byID[s.Conn.ID]; c != nil {
		c.Summary, c.HasSummary = *s, true
	}
	return nil
}

func (d *document) Close() error {
	switch d.kind {
	case docMarkdown:
		d.markdown()
	case docMermaid:
		d.mermaid()
	case docHTML:
		d.html()
	}
	return nil
}
