package annotate

import (
	"fmt"
	"strconv"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// A line that looks like a TCP segment but could not be read is not a
// packet of any connection: it reaches the formats as an Other record with
// rec.Unread set, and each format says so in its own way (a note in text,
// a trace.unreadable event in JSON, a FILE:LINE:COL finding in --lint, a
// count in the summaries).

// maxQuote bounds how much of the unread text a note quotes.
const maxQuote = 40

// unreadText returns the part of the line that could not be read, at most
// maxQuote bytes, or nil when the event's columns do not fit the line.
func unreadText(p *grammar.Packet, e *fsm.Event) []byte {
	col, width := int(arg(e, fsm.KeyCol)), int(arg(e, fsm.KeyWidth))
	if p == nil || col < 1 || width < 1 || col-1+width > len(p.Raw) {
		return nil
	}
	t := p.Raw[col-1 : col-1+width]
	if len(t) > maxQuote {
		t = t[:maxQuote]
	}
	return t
}

// appendUnread words the trace.unreadable event of a record.
func appendUnread(b []byte, lang Lang, rec *grammar.Record) []byte {
	e := fsm.UnreadableEvent(rec.Unread)
	p := grammar.Packet{Raw: rec.Raw}
	return appendEvent(b, lang, &p, &fsm.Result{}, &e)
}

// appendUnreadJSON appends the events list of an unread record:
// `,"events":[{"code":"trace.unreadable","text":…,"field":"flags","col":N,"width":W}]`.
func appendUnreadJSON(b []byte, lang Lang, rec *grammar.Record) []byte {
	e := fsm.UnreadableEvent(rec.Unread)
	b = append(b, `,"events":[{"code":`...)
	b = append(b, codeJSON[e.Code]...)
	b = append(b, `,"text":`...)
	b = appendString(b, appendUnread(nil, lang, rec))
	b = appendArgsJSON(b, &e)
	return append(b, "}]"...)
}

// unreadTally counts a trace's unread segment lines for its summary.
type unreadTally struct {
	n     int
	lines []int // the first few line numbers
}

const maxListed = 10

func (u *unreadTally) add(rec *grammar.Record) {
	u.n++
	if len(u.lines) < maxListed {
		u.lines = append(u.lines, rec.Line)
	}
}

// appendTally appends "3 lines look like TCP segments but could not be
// read (lines 4, 9, 12)" in the language's words.
func (u *unreadTally) appendTally(b []byte, lang Lang) []byte {
	lines := make([]byte, 0, 8*len(u.lines)+4)
	for i, l := range u.lines {
		if i > 0 {
			lines = append(lines, ", "...)
		}
		lines = strconv.AppendInt(lines, int64(l), 10)
	}
	if u.n > len(u.lines) {
		lines = append(lines, ", …"...)
	}
	w := &lang.text().Words
	if u.n == 1 {
		return fmt.Appendf(b, w.Unread[0], lines)
	}
	return fmt.Appendf(b, w.Unread[1], u.n, lines)
}
