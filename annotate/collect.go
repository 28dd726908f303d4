package annotate

import (
	"bufio"
	"sort"
	"strconv"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The document formats (Markdown, Mermaid, HTML) describe each connection
// as a whole, so they collect a connection's rows while the trace is read:
// a collector does that for each of them, and each format is a type of its
// own (markdownDoc, mermaidDoc, htmlDoc) that decides when to write.
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

// collector keeps the rows of the connections a document has not written
// yet, within its bounds.
type collector struct {
	w       *bufio.Writer
	o       Options
	maxHeld int // the bound on packets kept in full across connections
	byID    map[int]*docConn
	buf     []byte
	// unread counts the lines that look like segments but were not read.
	unread unreadTally
	// tags says when a note must name its connection.
	tags connTags

	held    int // packets kept in full by connections not yet written
	seen    int // connections seen
	written int // connections written
}

func newCollector(w *bufio.Writer, o Options, maxHeld int) collector {
	return collector{w: w, o: o, maxHeld: maxHeld, byID: map[int]*docConn{}}
}

// lookup finds the connection of a segment (nil when it is new) and says
// whether its notes must name it. A record that is not a segment is
// counted if it looked like one; ok is false then.
func (k *collector) lookup(rec *grammar.Record, r *fsm.Result) (c *docConn, tagged, ok bool) {
	if r == nil {
		if rec.Unread.Present() {
			k.unread.add(rec)
		}
		return nil, false, false
	}
	// every packet, drawn or left out, keeps the tags' open set true
	tagged = k.tags.tag(r)
	return k.byID[r.Conn.ID], tagged, true
}

// open starts the rows of a connection seen for the first time.
func (k *collector) open(r *fsm.Result) *docConn {
	c := &docConn{ID: r.Conn.ID, Client: r.Conn.Client, Server: r.Conn.Server}
	k.byID[c.ID] = c
	k.seen++
	return c
}

// add keeps a packet's row, or counts it as left out past the bounds.
func (k *collector) add(c *docConn, rec *grammar.Record, r *fsm.Result, tagged bool) {
	if !k.o.Whole && (len(c.Rows) >= docMaxRows || k.held >= k.maxHeld) {
		c.elide(rec.Line)
		return
	}
	k.held++
	c.Rows = append(c.Rows, k.row(c, rec, r, tagged))
}

// row is a packet as the documents show it.
func (k *collector) row(c *docConn, rec *grammar.Record, r *fsm.Result, tagged bool) docRow {
	p := &rec.Packet
	row := docRow{
		N: len(c.Rows) + 1, Line: rec.Line, Time: p.Str(p.Time), Micros: p.Micros,
		HasTime: p.TimeKind != grammar.NoTime, From: r.From, Flags: p.Str(p.FlagText), Len: p.Len,
		Client: r.After[fsm.Client], Server: r.After[fsm.Server],
		Bits: p.Flags, Before: r.Before, Path: r.Path,
	}
	row.Quiet = p.Dialect == grammar.Quiet
	row.ev = evidenceOf(r) // the marks' evidence (marks.go)
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
	if k.o.Verbose {
		filter = allEvents
	}
	b, _ := appendEvents(k.buf[:0], k.o.Lang, p, r, filter)
	row.Note = string(b)
	if r.Before != r.After {
		row.States = string(appendStates(b[:0], k.o.Lang, r))
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
	k.buf = b
	if e := keyEvent(r); e != nil {
		row.Key = e.Code
		row.KeyNote = string(appendEvent(nil, k.o.Lang, p, r, e))
		row.Step = k.o.Lang.text().Steps[e.Code]
	}
	return row
}

// end takes a connection's summary: the connection, or nil when it was
// not collected (or was already written).
func (k *collector) end(s *fsm.Summary) *docConn {
	c := k.byID[s.Conn.ID]
	if c != nil {
		c.Summary, c.HasSummary = *s, true
	}
	return c
}

// forget lets go of a connection once it is written.
func (k *collector) forget(c *docConn) {
	delete(k.byID, c.ID)
	k.held -= len(c.Rows)
}

// rest lists the connections still held, in order: those whose summary
// never came (a late segment of a closed connection).
func (k *collector) rest() []*docConn {
	rest := make([]*docConn, 0, len(k.byID))
	for _, c := range k.byID {
		rest = append(rest, c)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].ID < rest[j].ID })
	return rest
}

// section starts the next connection of a document of several: a blank
// line between connections.
func (k *collector) section() {
	if k.written > 0 {
		k.w.WriteString("\n")
	}
	k.written++
}
