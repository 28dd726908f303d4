package annotate

import (
	"bufio"
	"strconv"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// Lint is the formatter of --lint: instead of the annotated trace it lists
// the numbers no real TCP stack would print, one finding a line, in the
// form `FILE:LINE: message`, so an editor can jump to each. A line that
// looks like a TCP segment but could not be read is a finding too, with
// its column: `FILE:LINE:COL: message`.
type Lint struct {
	w        *bufio.Writer
	lang     Lang
	name     string
	findings int
	buf      []byte
}

// NewLint returns the --lint formatter.
func NewLint(w *bufio.Writer, lang Lang) *Lint { return &Lint{w: w, lang: lang} }

// Input names the input the next records come from.
func (l *Lint) Input(name string) { l.name = name }

// Findings returns how many findings were reported.
func (l *Lint) Findings() int { return l.findings }

// Record reports the lint findings of one record.
func (l *Lint) Record(rec *grammar.Record, r *fsm.Result) error {
	if r == nil && rec.Unread.Present() {
		return l.unread(rec)
	}
	if r == nil {
		return nil
	}
	for i := range r.Events {
		e := &r.Events[i]
		if !e.Code.IsLint() {
			continue
		}
		l.findings++
		b := append(l.buf[:0], l.name...)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(rec.Line), 10)
		b = append(b, ": "...)
		b = appendEvent(b, l.lang, &rec.Packet, r, e)
		b = append(b, " ["...)
		b = append(b, e.Code.String()...)
		b = append(b, "]\n"...)
		l.buf = b
		if _, err := l.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// unread reports a line that looks like a segment but could not be read.
func (l *Lint) unread(rec *grammar.Record) error {
	l.findings++
	b := append(l.buf[:0], l.name...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(rec.Line), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(rec.Unread.Col), 10)
	b = append(b, ": "...)
	b = appendUnread(b, l.lang, rec)
	b = append(b, " ["...)
	b = append(b, fsm.TraceUnreadable.String()...)
	b = append(b, "]\n"...)
	l.buf = b
	_, err := l.w.Write(b)
	return err
}

// Summary is ignored: lint reports findings only.
func (l *Lint) Summary(*fsm.Summary) error { return nil }

// Close ends the report.
func (l *Lint) Close() error { return nil }
