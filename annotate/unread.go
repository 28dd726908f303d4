package annotate

import (
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

// appendUnreadText quotes the part of the line that could not be read.
func appendUnreadText(b []byte, x ctx, e *fsm.Event, open, close string) []byte {
	col, width := int(arg(e, fsm.KeyCol)), int(arg(e, fsm.KeyWidth))
	if x.p == nil || col < 1 || width < 1 || col-1+width > len(x.p.Raw) {
		return b
	}
	t := x.p.Raw[col-1 : col-1+width]
	if len(t) > maxQuote {
		t = t[:maxQuote]
	}
	b = append(b, open...)
	b = append(b, t...)
	return append(b, close...)
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
	b = append(b, `,"events":[{"code":"`...)
	b = append(b, fsm.TraceUnreadable.String()...)
	b = append(b, `","text":`...)
	b = appendString(b, appendUnread(nil, lang, rec))
	b = key(b, fsm.KeyField.String())
	b = appendStr(b, rec.Unread.Field.String())
	b = key(b, fsm.KeyCol.String())
	b = strconv.AppendInt(b, int64(rec.Unread.Col), 10)
	b = key(b, fsm.KeyWidth.String())
	b = strconv.AppendInt(b, int64(rec.Unread.Width), 10)
	return append(b, "}]"...)
}

// unreadWords words the count of unread segment lines for the summaries.
var unreadWords = [...]struct{ one, many, lines string }{
	English: {"1 line looks like a TCP segment but could not be read", " lines look like TCP segments but could not be read", "line"},
	Chinese: {"有 1 行像是 TCP 报文段但无法读取", " 行像是 TCP 报文段但无法读取", "行"},
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
// read (line 4, 9, 12)".
func (u *unreadTally) appendTally(b []byte, lang Lang) []byte {
	w := unreadWords[lang]
	if lang == Chinese {
		if u.n == 1 {
			b = append(b, w.one...)
		} else {
			b = append(b, "有 "...)
			b = strconv.AppendInt(b, int64(u.n), 10)
			b = append(b, w.many...)
		}
		b = append(b, "（第 "...)
	} else {
		if u.n == 1 {
			b = append(b, w.one...)
		} else {
			b = strconv.AppendInt(b, int64(u.n), 10)
			b = append(b, w.many...)
		}
		b = append(b, " ("...)
		b = append(b, w.lines...)
		if u.n > 1 {
			b = append(b, 's')
		}
		b = append(b, ' ')
	}
	for i, l := range u.lines {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(l), 10)
	}
	if u.n > len(u.lines) {
		b = append(b, ", …"...)
	}
	if lang == Chinese {
		return append(b, " 行）"...)
	}
	return append(b, ')')
}

// unpairedWords says that a flattened line's times could not be paired
// with its segments.
var unpairedWords = [...]string{
	English: "the times on this flattened line stand apart from its segments and cannot be paired with them safely: left out",
	Chinese: "这一行被压平，时间戳与报文段分开，无法可靠地一一对应：未采用",
}
