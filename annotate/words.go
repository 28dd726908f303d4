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
	return appendEventFlags(b, lang, p, r, e, nil)
}

// appendEventFlags is appendEvent that records in flags (when not nil)
// what the sentence was made of (sayFlags).
func appendEventFlags(b []byte, lang Lang, p *grammar.Packet, r *fsm.Result, e *fsm.Event, flags *sayFlags) []byte {
	v := view{lang: lang.text(), e: e, p: p, r: r, flags: flags}
	if f := composers[e.Code]; f != nil {
		return f(v, b)
	}
	if flags != nil {
		*flags |= sayQuotes // a code's name: not a template, not looked at
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

// appendEventsOnce is appendEvents for the text output's notes: with the
// output's memory, an event of a shape the trace has had explained is said
// briefly, or under --verbose not at all when nothing it describes has
// changed in its connection (brief.go). m nil says everything in full.
func appendEventsOnce(b []byte, lang Lang, p *grammar.Packet, r *fsm.Result, f eventFilter, m *memos) ([]byte, int) {
	if m == nil {
		return appendEvents(b, lang, p, r, f)
	}
	sep := lang.text().Words.Sep
	sameOpts := f == verboseOnly && m.cur.sameOptions(r)
	n := 0
	for i := range r.Events {
		e := &r.Events[i]
		if !f.keeps(e) {
			continue
		}
		h := m.decide(e, r.From, sameOpts)
		if h == sayNothing {
			continue
		}
		if n > 0 {
			b = append(b, sep...)
		}
		c := briefComposers[e.Code]
		if h != sayBrief {
			c = nil
		}
		switch {
		case c != nil:
			b = c(view{lang: lang.text(), e: e, p: p, r: r}, b)
		default:
			b = appendEvent(b, lang, p, r, e)
		}
		n++
	}
	return b, n
}

// appendStates appends the state changes a packet caused, sender first:
// "client SYN_SENT → ESTABLISHED". An Unknown state is "?", an inferred
// change says its evidence, and a correction is worded as one, never as a
// transition: "correction: client ESTABLISHED, not CLOSE_WAIT (…)".
func appendStates(b []byte, lang Lang, r *fsm.Result) []byte {
	return appendStatesOnce(b, lang, r, nil)
}

// appendStatesOnce is appendStates for the text output's notes: the
// reason of an inference is given the first time in the trace, and after
// that only the mark that it is one, " (inferred)" (whys holds a bit per
// reason given; nil gives every reason). A correction always gives its
// reason: it says the trace contradicted what was said before.
func appendStatesOnce(b []byte, lang Lang, r *fsm.Result, whys *uint32) []byte {
	w := &lang.text().Words
	first := true
	for _, role := range [2]fsm.Role{r.From, r.From.Other()} {
		if r.Conn != nil && r.Conn.Self && role == fsm.Server {
			continue // one socket: its states are the client's
		}
		p := &r.Path[role]
		if p.N == 0 && r.Before[role] != r.After[role] {
			// a Result made without a path: one plain change
			p = &fsm.Path{N: 1, Steps: [4]fsm.Step{{To: r.After[role], How: fsm.HowEdge}}}
		}
		if p.N == 0 {
			continue
		}
		name := w.Role[role]
		if r.Conn != nil && r.Conn.Self {
			name = w.States.Self
		}
		prev := r.Before[role]
		for i := 0; i < int(p.N); {
			if !first {
				b = append(b, w.ListSep...)
			}
			first = false
			if st := p.Steps[i]; st.How == fsm.HowCorrected {
				b = appendCorrection(b, w, name, prev, st)
				prev = st.To
				i++
				continue
			}
			// a chain of edges and inferences up to the next correction
			b = append(b, name...)
			b = append(b, ' ')
			b = appendState(b, w, prev)
			why := fsm.WhyNone
			for ; i < int(p.N) && p.Steps[i].How != fsm.HowCorrected; i++ {
				b = append(b, w.Arrow...)
				b = appendState(b, w, p.Steps[i].To)
				if p.Steps[i].How == fsm.HowInferred && why == fsm.WhyNone {
					why = p.Steps[i].Why
				}
				prev = p.Steps[i].To
			}
			b = appendInferred(b, w, why, whys)
		}
	}
	return b
}

// appendInferred appends the evidence of an inference, or, once the
// trace has given this reason (whys), the mark alone: " (inferred)".
func appendInferred(b []byte, w *Words, why fsm.Why, whys *uint32) []byte {
	if whys == nil || why == fsm.WhyNone {
		return appendWhy(b, w, why, w.States.Inferred)
	}
	bit := uint32(1) << why
	if *whys&bit != 0 {
		return append(b, w.States.InferredShort...)
	}
	*whys |= bit
	return appendWhy(b, w, why, w.States.Inferred)
}

// appendCorrection words a correction: "correction: client ESTABLISHED,
// not CLOSE_WAIT (its FIN …)".
func appendCorrection(b []byte, w *Words, name string, prev fsm.State, st fsm.Step) []byte {
	b = append(b, w.States.Correction...)
	b = append(b, name...)
	b = append(b, ' ')
	b = appendState(b, w, st.To)
	b = append(b, w.States.Not...)
	b = appendState(b, w, prev)
	b = append(b, w.States.NotAfter...)
	return appendWhy(b, w, st.Why, w.States.Because)
}

// appendState appends a state's netstat name, or the language's mark for
// an unknown state ("?").
func appendState(b []byte, w *Words, s fsm.State) []byte {
	if s == fsm.Unknown {
		return append(b, w.States.Unknown...)
	}
	return append(b, s.String()...)
}

// appendWhy appends the evidence of an inference or a correction, after
// the words that open it.
func appendWhy(b []byte, w *Words, why fsm.Why, open string) []byte {
	if why == fsm.WhyNone || int(why) >= len(w.States.Why) {
		return b
	}
	b = append(b, open...)
	b = append(b, w.States.Why[why]...)
	return append(b, w.States.Close...)
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
