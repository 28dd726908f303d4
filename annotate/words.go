// Package annotate words tcpnote's events in every language it speaks and
// writes the output formats: annotated text, JSON Lines, Markdown, Mermaid
// and HTML. It knows nothing of how lines are parsed or how TCP is
// modelled: it reads grammar.Packet and fsm.Result.
//
// Start with New, which returns the Formatter for a format; cmd/tcpnote
// feeds it records and summaries. How an event is worded is decided once,
// for all languages, in compose.go; each language is text only, in
// lang_XX.go (see docs/contributing.md for adding one).
package annotate

import (
	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// appendEvent words one event in a language.
func appendEvent(b []byte, lang Lang, p *grammar.Packet, r *fsm.Result, e *fsm.Event) []byte {
	v := view{lang: lang.text(), e: e, p: p, r: r}
	if f := composers[e.Code]; f != nil {
		return f(v, b)
	}
	return append(b, e.Code.String()...)
}

// eventFilter chooses which of a packet's events a note words.
type eventFilter uint8

const (
	shownByDefault eventFilter = iota // what text shows without --verbose
	verboseOnly                       // what only --verbose adds
	allEvents
)

func (f eventFilter) keeps(e *fsm.Event) bool {
	switch f {
	case shownByDefault:
		return !Verbose(e)
	case verboseOnly:
		return Verbose(e)
	}
	return true
}

// appendEvents words the events a filter keeps, joined by the language's
// separator, and reports how many it wrote.
func appendEvents(b []byte, lang Lang, p *grammar.Packet, r *fsm.Result, f eventFilter) ([]byte, int) {
	sep := lang.text().Words.Sep
	n := 0
	for i := range r.Events {
		e := &r.Events[i]
		if !f.keeps(e) {
			continue
		}
		if n > 0 {
			b = append(b, sep...)
		}
		b = appendEvent(b, lang, p, r, e)
		n++
	}
	return b, n
}

// appendStates appends the state changes a packet caused:
// "client SYN_SENT → ESTABLISHED".
func appendStates(b []byte, lang Lang, r *fsm.Result) []byte {
	w := &lang.text().Words
	first := true
	for _, role := range [2]fsm.Role{r.From, r.From.Other()} {
		before, after := r.Before[role], r.After[role]
		if before == after {
			continue
		}
		if !first {
			b = append(b, w.ListSep...)
		}
		first = false
		b = append(b, w.Role[role]...)
		b = append(b, ' ')
		if before != fsm.StateNone {
			b = append(b, before.String()...)
			b = append(b, w.Arrow...)
		}
		b = append(b, after.String()...)
	}
	return b
}

// Verbose reports whether an event is shown only with --verbose in text
// output: the meaning of options on a SYN, IP header fields, checksums.
// JSON always carries every event.
func Verbose(e *fsm.Event) bool { return e.Code.Spec().Verbose }

// keyEvent is the event that names a packet in a diagram: the one with the
// best (lowest) rank, or nil.
func keyEvent(r *fsm.Result) *fsm.Event {
	var best *fsm.Event
	for i := range r.Events {
		e := &r.Events[i]
		rank := e.Code.Spec().Rank
		if rank != 0 && (best == nil || rank < best.Code.Spec().Rank) {
			best = e
		}
	}
	return best
}
