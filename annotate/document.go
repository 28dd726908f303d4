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
	KeyNote  string        // the wording of Key alone ("" when Key is none): short enough for a diagram
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
	// unread counts the lines that look like segments but were not read.
	unread unreadTally
	// tags says when a note must name its connection.
	tags connTags
}

func newDocument(w *bufio.Writer, o Options, kind docKind) *document {
	return &document{w: w, o: o, kind: kind, byID: map[int]*docConn{}}
}

// keyCodes are the events that name a packet in a diagram, most telling
// first.
var keyCodes = []fsm.Code{
	fsm.RSTRefused, fsm.RSTAbort,
	fsm.HandshakeSimultaneousOpen, fsm.HandshakeSYNRetransmit, fsm.HandshakeSYN,
	fsm.HandshakeSYNACKRetransmit, fsm.HandshakeSYNACK, fsm.HandshakeACK,
	fsm.CloseSimultaneous, fsm.CloseFINMerged, fsm.ClosePassiveFIN, fsm.CloseFIN,
	fsm.CloseFinalAck, fsm.CloseFINAck,
	fsm.FastRetransmission, fsm.SpuriousRetransmission, fsm.Retransmission, fsm.OutOfOrder,
	fsm.LostSegment, fsm.DupAck, fsm.WindowZero, fsm.WindowProbe, fsm.WindowUpdate,
	fsm.Keepalive, fsm.KeepaliveAck,
}

func (d *document) Record(rec *grammar.Record, r *fsm.Result) error {
	if r == nil {
		if rec.Unread.Present() {
			d.unread.add(rec)
		}
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
	w := languages[d.o.Lang]
	b := d.buf[:0]
	tagged := d.tags.tag(r)
	n := 0
	for i := range r.Events {
		e := &r.Events[i]
		row.Codes = append(row.Codes, e.Code)
		if Verbose(e) && !d.o.Verbose {
			continue
		}
		if n > 0 {
			b = append(b, w.sep...)
		}
		b = appendEvent(b, d.o.Lang, p, r, e)
		n++
	}
	row.Note = string(b)
	if r.Before != r.After {
		row.States = string(appendStates(b[:0], w, r))
	}
	if tagged { // another connection is open: say which this is
		tag := string(appendConnTag(nil, r))
		switch {
		case row.Note != "":
			row.Note = tag + row.Note
		case row.States != "":
			row.States = tag + row.States
		}
	}
	d.buf = b
	for _, k := range keyCodes {
		if e := r.Find(k); e != nil {
			row.Key = k
			row.KeyNote = string(appendEvent(nil, d.o.Lang, p, r, e))
			break
		}
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
