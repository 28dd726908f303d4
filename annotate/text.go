package annotate

import (
	"bufio"
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
	// open is set when the last line written has no newline yet (the
	// input ended without one): whatever tcpnote adds starts a line.
	open bool
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
	if r == nil {
		w.Write(rec.Raw)
		w.WriteString(rec.EOL)
		t.open = rec.EOL == ""
		return nil
	}
	t.open = false
	p := &rec.Packet
	w.Write(rec.Raw)
	note := t.noteLine(p, r)
	if t.o.Inline {
		if len(note) > 0 {
			w.WriteString(inlineMarker)
			w.Write(note)
		}
		w.WriteString(rec.EOL)
		t.open = rec.EOL == ""
		if t.o.Verbose {
			t.verboseLine(p, r)
		}
		return nil
	}
	if rec.EOL == "" && len(note) == 0 {
		t.open = true
	}
	if rec.EOL == "" && len(note) > 0 {
		w.WriteByte('\n')
	} else {
		w.WriteString(rec.EOL)
	}
	if len(note) > 0 {
		w.WriteString(t.pal.marker)
		w.WriteString(Marker)
		w.WriteString(t.pal.reset)
		w.Write(note)
		w.WriteByte('\n')
	}
	if t.o.Verbose {
		t.verboseLine(p, r)
	}
	return nil
}

// noteLine builds the default note into t.buf: the events shown by default
// and the state changes, coloured.
func (t *textFormatter) noteLine(p *grammar.Packet, r *fsm.Result) []byte {
	b := t.buf[:0]
	colour := t.pal.note
	if warning(r) {
		colour = t.pal.warn
	}
	b = append(b, colour...)
	b, n := appendEvents(b, t.o.Lang, p, r, shownByDefault)
	b = append(b, t.pal.reset...)
	if r.Before != r.After {
		if n > 0 {
			b = append(b, t.o.Lang.text().Words.StateSep...)
		}
		b = append(b, t.pal.state...)
		b = appendStates(b, t.o.Lang, r)
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
	b := t.buf[:0]
	b, n := appendEvents(b, t.o.Lang, p, r, verboseOnly)
	t.buf = b
	if n == 0 {
		return
	}
	t.startLine()
	t.w.WriteString(t.pal.marker)
	t.w.WriteString(Marker)
	t.w.WriteString(t.pal.reset)
	t.w.Write(b)
	t.w.WriteByte('\n')
}

func (t *textFormatter) Summary(s *fsm.Summary) error {
	b := AppendSummary(t.buf[:0], t.o.Lang, s)
	t.buf = b
	t.startLine()
	t.w.WriteString(t.pal.summary)
	t.w.WriteString(summaryMarker)
	t.w.Write(b)
	t.w.WriteString(t.pal.reset)
	t.w.WriteByte('\n')
	return nil
}

// startLine ends a line the input left open, so that an added line is a
// line of its own.
func (t *textFormatter) startLine() {
	if t.open {
		t.w.WriteByte('\n')
		t.open = false
	}
}

func (t *textFormatter) Close() error { return nil }
