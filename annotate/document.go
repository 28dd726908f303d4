package annotate

import (
	"bufio"
	"sort"
	"strconv"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The document formats (Markdown, Mermaid, HTML) describe each connection
// as a whole, so they collect a connection's rows while the trace is read.
// Markdown and Mermaid write each connection when it ends (its summary
// arrives) and forget it; HTML writes the page at the end. Memory and the
// page are bounded whatever the trace (unless Options.Whole, for --conn):
//
//   - a connection keeps at most docMaxRows packets in full; of the rest
//     the document says how many there were and on which input lines;
//   - the connections not yet written keep at most docMaxHeld packets in
//     full together (HTML: htmlMaxHeld, so the page stays under ~50 MB);
//   - an HTML page has a section for at most htmlMaxConns connections and
//     says how many more there were, with how many packets, where.
const (
	docMaxRows   = 5000
	docMaxHeld   = 50000
	htmlMaxHeld  = 30000
	htmlMaxConns = 1000
)

type docKind uint8

const (
	docMarkdown docKind = iota
	docMermaid
	docHTML
)

// docConn is one connection's rows and summary.
type docConn struct {
	ID             int
	Client, Server string
	Rows           []docRow
	Summary        fsm.Summary
	HasSummary     bool
	// Elided counts the packets not kept in full, on input lines
	// ElidedFrom to ElidedTo.
	Elided, ElidedFrom, ElidedTo int
}

// elide counts a packet that is not kept in full.
func (c *docConn) elide(line int) {
	if c.Elided == 0 {
		c.ElidedFrom = line
	}
	c.Elided++
	c.ElidedTo = line
}

// moreConns counts the connections an HTML page has no section for.
type moreConns struct {
	conns, packets, from, to, lastID int
}

type document struct {
	w     *bufio.Writer
	o     Options
	kind  docKind
	conns []*docConn // HTML: every connection with a section, in order
	byID  map[int]*docConn
	buf   []byte
	// unread counts the lines that look like segments but were not read.
	unread unreadTally
	// tags says when a note must name its connection.
	tags connTags

	held    int // packets kept in full by connections not yet written
	seen    int // connections seen
	written int // connections written
	// Mermaid writes a lone connection as a plain diagram, several as a
	// Markdown document: the first to end waits until a second appears.
	pending *docConn
	multi   bool
	more    moreConns
}

func newDocument(w *bufio.Writer, o Options, kind docKind) *document {
	return &document{w: w, o: o, kind: kind, byID: map[int]*docConn{}}
}

func (d *document) Record(rec *grammar.Record, r *fsm.Result) error {
	if r == nil {
		if rec.Unread.Present() {
			d.unread.add(rec)
		}
		return nil
	}
	p := &rec.Packet
	// every packet, drawn or left out, keeps the tags' open set true
	tagged := d.tags.tag(r)
	c := d.byID[r.Conn.ID]
	if c == nil {
		if d.kind == docHTML && !d.o.Whole && len(d.conns) >= htmlMaxConns {
			d.more.add(r.Conn.ID, rec.Line)
			return nil
		}
		c = &docConn{ID: r.Conn.ID, Client: r.Conn.Client, Server: r.Conn.Server}
		d.byID[c.ID] = c
		if d.kind == docHTML {
			d.conns = append(d.conns, c)
		}
		d.seen++
		if d.seen == 2 && d.pending != nil {
			d.multi = true
			d.writeConn(d.pending)
			d.pending = nil
		}
	}
	if !d.o.Whole && (len(c.Rows) >= docMaxRows || d.held >= d.maxHeld()) {
		c.elide(rec.Line)
		return nil
	}
	d.held++
	row := docRow{
		N: len(c.Rows) + 1, Line: rec.Line, Time: p.Str(p.Time), Micros: p.Micros,
		HasTime: p.TimeKind != grammar.NoTime, From: r.From, Flags: p.Str(p.FlagText), Len: p.Len,
		Client: r.After[fsm.Client], Server: r.After[fsm.Server],
		Bits: p.Flags, Before: r.Before,
	}
	row.Quiet = p.Dialect == grammar.Quiet
	if p.Frag.Later {
		row.Flags = p.Str(p.Frag.Text) // a later IP fragment: `ip-proto-6`, `frag (552|552)`
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
	row.Win, row.HasWin = p.Win, p.HasWin
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
	if e := keyEvent(r); e != nil {
		row.Key = e.Code
		row.KeyNote = string(appendEvent(nil, d.o.Lang, p, r, e))
		row.Step = d.o.Lang.text().Steps[e.Code]
	}
	c.Rows = append(c.Rows, row)
	return nil
}

// maxHeld is the bound on packets kept in full across connections.
func (d *document) maxHeld() int {
	if d.kind == docHTML {
		return htmlMaxHeld
	}
	return docMaxHeld
}

// add counts a packet of a connection without a section.
func (m *moreConns) add(id, line int) {
	if id > m.lastID {
		m.conns++
		m.lastID = id
	}
	if m.packets == 0 {
		m.from = line
	}
	m.packets++
	m.to = line
}

func (d *document) Summary(s *fsm.Summary) error {
	c := d.byID[s.Conn.ID]
	if c == nil {
		return nil
	}
	c.Summary, c.HasSummary = *s, true
	if d.kind == docHTML {
		return nil
	}
	// the connection has ended: write it and forget it
	delete(d.byID, c.ID)
	d.held -= len(c.Rows)
	if d.kind == docMermaid && !d.multi && d.seen == 1 {
		d.pending = c // the only connection so far: plain or not?
		return nil
	}
	d.writeConn(c)
	return nil
}

// writeConn writes one connection of a Markdown or Mermaid document.
func (d *document) writeConn(c *docConn) {
	if d.written > 0 {
		d.w.WriteString("\n")
	}
	d.written++
	if d.kind == docMarkdown {
		d.markdownConn(c)
	} else {
		d.mermaidSection(c)
	}
}

func (d *document) Close() error {
	if d.kind == docHTML {
		d.html()
		return nil
	}
	// Connections whose summary never came (a late segment of a closed
	// connection), in order.
	rest := make([]*docConn, 0, len(d.byID))
	for _, c := range d.byID {
		rest = append(rest, c)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].ID < rest[j].ID })
	if d.kind == docMermaid && !d.multi && d.pending != nil && len(rest) == 0 {
		d.mermaidConn(d.pending) // one connection: a plain diagram
		return nil
	}
	if d.pending != nil {
		d.multi = true
		d.writeConn(d.pending)
	}
	if d.kind == docMermaid && len(rest)+d.written > 1 {
		d.multi = true
	}
	for _, c := range rest {
		if d.kind == docMermaid && !d.multi {
			d.mermaidConn(c)
			continue
		}
		d.writeConn(c)
	}
	if d.kind == docMarkdown {
		d.markdownEnd()
	}
	return nil
}
