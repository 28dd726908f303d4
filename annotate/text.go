package annotate

import (
	"bufio"
	"strconv"
	"strings"

	"github.com/fatih/color"
	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// Marker starts every line tcpnote adds in text output, so that a reader
// (or `grep -v '┆'`) can tell notes from tcpdump's own lines.
const Marker = "    ┆ "

// inlineMarker separates a packet's line from its note with --inline.
const inlineMarker = "  ┆ "

// summaryMarker starts a connection summary line.
const summaryMarker = "    ┆ ≡ "

// palette holds the ANSI sequences, decided once: writing a note then
// costs no allocation.
type palette struct {
	marker, note, state, summary, warn, reset string
}

func newPalette(on bool) palette {
	if !on {
		return palette{}
	}
	seq := func(a ...color.Attribute) string {
		c := color.New(a...)
		c.EnableColor()
		s := c.Sprint("\x00")
		return s[:strings.IndexByte(s, 0)]
	}
	return palette{
		marker:  seq(color.Faint),
		note:    seq(color.FgGreen),
		state:   seq(color.FgCyan),
		summary: seq(color.FgMagenta, color.Bold),
		warn:    seq(color.FgYellow),
		reset:   "\x1b[0m",
	}
}

type textFormatter struct {
	w   *bufio.Writer
	o   Options
	pal palette
	buf []byte
	out []byte // a record's line and note, written at once
	// open is set when the last line written has no newline yet (the
	// input ended without one): whatever tcpnote adds starts a line.
	open bool
	// unread counts the lines that look like segments but were not read.
	unread unreadTally
	// quote is the e-mail quote prefix of the record being written: its
	// notes are quoted the same way, so the quoted block stays whole.
	quote []byte
	// held are the notes of a flattened line's segments, written once the
	// line is complete.
	held      [][]byte
	heldQuote []byte // the line's quote prefix, copied
	// heldSummaries are summaries that fell due in the middle of a
	// flattened line (a connection evicted by one of its segments): written
	// after the line, which stays intact.
	heldSummaries [][]byte
	// tags says when a note must name its connection.
	tags connTags

	// issue 17: what the trace's and each connection's notes have
	// explained (brief.go), the memory the record being written uses (nil
	// with --full), and whether --only lets its note be written.
	memos memos
	m     *memos
	show  bool
}

func newText(w *bufio.Writer, o Options) *textFormatter {
	return &textFormatter{w: w, o: o, pal: newPalette(o.Color), buf: make([]byte, 0, 512)}
}

// warning reports whether a packet's first event is a problem worth a
// different colour: loss, retransmission, reset, a gap in the trace.
func warning(r *fsm.Result) bool {
	for i := range r.Events {
		if r.Events[i].Code.Spec().Warn {
			return true
		}
	}
	return false
}

func (t *textFormatter) Record(rec *grammar.Record, r *fsm.Result) error {
	w := t.w
	if rec.Parts > 0 {
		t.partRecord(rec, r)
		return nil
	}
	if r == nil && rec.Unread.Present() {
		t.unreadRecord(rec)
		return nil
	}
	if r == nil {
		w.Write(rec.Raw)
		w.WriteString(rec.EOL)
		t.open = rec.EOL == ""
		return nil
	}
	t.open = false
	t.quote = rec.Raw[:rec.Quote]
	p := &rec.Packet
	t.recall(r)
	note := t.noteLine(p, r)
	// The line and its note go to w in one Write: a Write costs more than
	// the copy into t.out.
	out := append(t.out[:0], rec.Raw...)
	if t.o.Inline {
		if len(note) > 0 {
			out = append(out, inlineMarker...)
			out = append(out, note...)
		}
		out = append(out, rec.EOL...)
		t.open = rec.EOL == ""
	} else {
		if rec.EOL == "" && len(note) == 0 {
			t.open = true
		}
		if rec.EOL == "" && len(note) > 0 {
			out = append(out, '\n')
		} else {
			out = append(out, rec.EOL...)
		}
		if len(note) > 0 {
			out = append(out, t.quote...)
			out = append(out, t.pal.marker...)
			out = append(out, Marker...)
			out = append(out, t.pal.reset...)
			out = append(out, note...)
			out = append(out, '\n')
		}
	}
	t.out = out
	w.Write(out)
	if t.o.Verbose {
		t.verboseLine(p, r)
	}
	t.keep(r)
	return nil
}

// noteLine builds the default note into t.buf: the events shown by default
// and the state changes, coloured.
func (t *textFormatter) noteLine(p *grammar.Packet, r *fsm.Result) []byte {
	tagged := t.tags.tag(r) // (every packet: the tags follow what is open)
	if !t.show {
		return nil
	}
	b := t.buf[:0]
	colour := t.pal.note
	if warning(r) {
		colour = t.pal.warn
	}
	b = append(b, colour...)
	if tagged {
		b = appendConnTag(b, r)
	}
	b, n := appendEventsOnce(b, t.o.Lang, p, r, shownByDefault, t.m)
	b = append(b, t.pal.reset...)
	if r.Before != r.After {
		if n > 0 {
			b = append(b, t.o.Lang.text().Words.StateSep...)
		}
		b = append(b, t.pal.state...)
		var whys *uint32
		if t.m != nil {
			whys = &t.m.trace.whys
		}
		b = appendStatesOnce(b, t.o.Lang, r, whys)
		b = append(b, t.pal.reset...)
		n++
	}
	t.buf = b
	if n == 0 {
		return nil
	}
	return b
}

// verboseLine writes the explanations only --verbose shows, on a line of
// their own.
func (t *textFormatter) verboseLine(p *grammar.Packet, r *fsm.Result) {
	if !t.show {
		return
	}
	b := t.buf[:0]
	b, n := appendEventsOnce(b, t.o.Lang, p, r, verboseOnly, t.m)
	t.buf = b
	if n == 0 {
		return
	}
	t.startLine()
	t.w.Write(t.quote)
	t.w.WriteString(t.pal.marker)
	t.w.WriteString(Marker)
	t.w.WriteString(t.pal.reset)
	t.w.Write(b)
	t.w.WriteByte('\n')
}

func (t *textFormatter) Summary(s *fsm.Summary) error {
	if s.Conn != nil {
		t.memos.forget(s.Conn.ID)
	}
	if len(t.held) > 0 {
		t.heldSummaries = append(t.heldSummaries, AppendSummary(nil, t.o.Lang, s))
		return nil
	}
	t.buf = AppendSummary(t.buf[:0], t.o.Lang, s)
	t.summaryLine(t.buf)
	return nil
}

// summaryLine writes a line of its own after the summary marker.
func (t *textFormatter) summaryLine(b []byte) {
	t.startLine()
	t.w.WriteString(t.pal.summary)
	t.w.WriteString(summaryMarker)
	t.w.Write(b)
	t.w.WriteString(t.pal.reset)
	t.w.WriteByte('\n')
}

// startLine ends a line the input left open, so that an added line is a
// line of its own.
func (t *textFormatter) startLine() {
	if t.open {
		t.w.WriteByte('\n')
		t.open = false
	}
}

// partRecord writes one segment of a flattened line: its stretch of the
// line as it comes, so the line stays intact, and once the line is
// complete the notes of all its segments, each marked with its place.
func (t *textFormatter) partRecord(rec *grammar.Record, r *fsm.Result) {
	w := t.w
	w.Write(rec.Raw)
	t.open = rec.EOL == ""
	if rec.Part == 0 {
		t.heldQuote = append(t.heldQuote[:0], rec.Raw[:rec.Quote]...)
	}
	b := append([]byte(nil), '[')
	b = strconv.AppendInt(b, int64(rec.Part+1), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(rec.Parts), 10)
	b = append(b, "] "...)
	shown := true
	switch {
	case r != nil:
		t.recall(r)
		b = append(b, t.noteLine(&rec.Packet, r)...)
		t.keep(r)
		shown = t.show
	case rec.Unread.Present():
		b = appendUnread(b, t.o.Lang, rec)
	}
	if rec.Unpaired && rec.Part == 0 {
		b = append(b, t.pal.warn...)
		b = append(b, t.o.Lang.text().Words.Sep...)
		b = append(b, t.o.Lang.text().Words.Unpaired...)
		b = append(b, t.pal.reset...)
		shown = true
	}
	if shown {
		t.held = append(t.held, b)
	}
	if rec.Part+1 < rec.Parts {
		return
	}
	quote := t.heldQuote
	if t.o.Inline {
		for _, n := range t.held {
			w.WriteString(inlineMarker)
			w.Write(n)
		}
		w.WriteString(rec.EOL)
		t.open = rec.EOL == ""
	} else {
		if rec.EOL == "" {
			w.WriteByte('\n')
		} else {
			w.WriteString(rec.EOL)
		}
		t.open = false
		for _, n := range t.held {
			w.Write(quote)
			w.WriteString(t.pal.marker)
			w.WriteString(Marker)
			w.WriteString(t.pal.reset)
			w.Write(n)
			w.WriteByte('\n')
		}
	}
	t.held = t.held[:0]
	for _, s := range t.heldSummaries {
		t.summaryLine(s)
	}
	t.heldSummaries = t.heldSummaries[:0]
}

// unreadRecord writes a line that looks like a segment but could not be
// read, and a note that says so.
func (t *textFormatter) unreadRecord(rec *grammar.Record) {
	t.unread.add(rec)
	w := t.w
	w.Write(rec.Raw)
	b := append(t.buf[:0], t.pal.warn...)
	b = appendUnread(b, t.o.Lang, rec)
	b = append(b, t.pal.reset...)
	t.buf = b
	t.open = false
	if t.o.Inline {
		w.WriteString(inlineMarker)
		w.Write(b)
		w.WriteString(rec.EOL)
		t.open = rec.EOL == ""
		return
	}
	if rec.EOL == "" {
		w.WriteByte('\n')
	} else {
		w.WriteString(rec.EOL)
	}
	w.Write(rec.Raw[:rec.Quote])
	w.WriteString(t.pal.marker)
	w.WriteString(Marker)
	w.WriteString(t.pal.reset)
	w.Write(b)
	w.WriteByte('\n')
}

// Close ends the output: with summaries, the count of the lines that
// could not be read.
func (t *textFormatter) Close() error {
	if !t.o.Summaries || t.unread.n == 0 {
		return nil
	}
	t.buf = t.unread.appendTally(t.buf[:0], t.o.Lang)
	t.summaryLine(t.buf)
	return nil
}

// recall loads the memory of a packet's connection for its notes (none
// with --full: every note in full) and decides whether --only writes them.
func (t *textFormatter) recall(r *fsm.Result) {
	t.show = t.o.Only.keeps(r)
	t.m = nil
	if !t.o.Full {
		t.memos.recall(r)
		t.m = &t.memos
	}
}

// keep stores the memory back once the packet's notes are written.
func (t *textFormatter) keep(r *fsm.Result) {
	if t.m != nil {
		t.memos.keep(r)
		t.m = nil
	}
}
