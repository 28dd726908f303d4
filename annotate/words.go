// Package annotate words tcpnote's events in English and Chinese and writes
// the output formats: annotated text, JSON Lines, Markdown, Mermaid and
// HTML. It knows nothing of how lines are parsed or how TCP is modelled:
// it reads grammar.Packet and fsm.Result.
//
// Start with New, which returns the Formatter for a format; cmd/tcpnote
// feeds it records and summaries. Every sentence lives in en.go and zh.go,
// one function per event code.
package annotate

import (
	"strconv"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// ctx is what a sentence may refer to.
type ctx struct {
	p   *grammar.Packet
	r   *fsm.Result
	w   *wording
	raw bool // the packet's numbers were printed absolute
}

// from and to name the sender and the receiver of the packet.
func (x ctx) from() string { return x.w.role[x.r.From] }
func (x ctx) to() string   { return x.w.role[x.r.From.Other()] }

// sentence appends the wording of one event.
type sentence func(b []byte, x ctx, e *fsm.Event) []byte

// wording is one language's sentences.
type wording struct {
	ev   [fsm.NumCodes]sentence
	role [2]string
	// arrow joins a state change, sep joins events, stateSep precedes the
	// state changes.
	arrow, sep, stateSep, listSep string
	// summary words
	summary func(b []byte, s *fsm.Summary) []byte
	// states words the state changes that are not plain edges
	states stateWords
}

// arg returns an event argument, or 0.
func arg(e *fsm.Event, k fsm.Key) int64 {
	v, _ := e.Get(k)
	return v
}

func num(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// dur appends a duration given in µs the way people say it: 40 ms, 1.0 s.
func dur(b []byte, us int64) []byte {
	switch {
	case us < 0:
		b = append(b, '-')
		return dur(b, -us)
	case us < 1000:
		b = strconv.AppendInt(b, us, 10)
		return append(b, " µs"...)
	case us < 10_000:
		b = strconv.AppendFloat(b, float64(us)/1000, 'f', 2, 64)
		return append(b, " ms"...)
	case us < 1_000_000:
		b = strconv.AppendFloat(b, float64(us)/1000, 'f', 1, 64)
		return append(b, " ms"...)
	case us < 3600_000_000:
		b = strconv.AppendFloat(b, float64(us)/1e6, 'f', 1, 64)
		return append(b, " s"...)
	}
	b = strconv.AppendFloat(b, float64(us)/3600e6, 'f', 1, 64)
	return append(b, " h"...)
}

// languages holds the wordings by Lang.
var languages = [...]*wording{English: &en, Chinese: &zh}

// appendEvent words one event in a language.
func appendEvent(b []byte, lang Lang, p *grammar.Packet, r *fsm.Result, e *fsm.Event) []byte {
	w := languages[lang]
	x := ctx{p: p, r: r, w: w}
	if f := w.ev[e.Code]; f != nil {
		return f(b, x, e)
	}
	return append(b, e.Code.String()...)
}

// stateWords is how a language words state changes that are not plain
// edges: an unknown state, an inference, a correction, and their reasons.
type stateWords struct {
	unknown    string // an Unknown state: "?"
	self       string // the one endpoint of a self-connect
	inferred   string // opens an inference's reason: " (inferred: "
	because    string // opens a correction's reason: " ("
	close      string // closes either: ")"
	correction string // opens a correction: "correction: "
	not        string // between the state and the one given before: ", not "
	why        [fsm.NumWhy]string
}

// appendStates appends the state changes a packet caused, sender first:
// "client SYN_SENT → ESTABLISHED". An Unknown state is "?", an inferred
// change says its evidence, and a correction is worded as one, never as a
// transition: "correction: client ESTABLISHED, not CLOSE_WAIT (…)".
func appendStates(b []byte, w *wording, r *fsm.Result) []byte {
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
		name := w.role[role]
		if r.Conn != nil && r.Conn.Self {
			name = w.states.self
		}
		prev := r.Before[role]
		for i := 0; i < int(p.N); {
			if !first {
				b = append(b, w.listSep...)
			}
			first = false
			st := p.Steps[i]
			if st.How == fsm.HowCorrected {
				b = append(b, w.states.correction...)
				b = append(b, name...)
				b = append(b, ' ')
				b = appendState(b, w, st.To)
				b = append(b, w.states.not...)
				b = appendState(b, w, prev)
				b = appendWhy(b, w, st.Why, w.states.because)
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
				b = append(b, w.arrow...)
				b = appendState(b, w, p.Steps[i].To)
				if p.Steps[i].How == fsm.HowInferred && why == fsm.WhyNone {
					why = p.Steps[i].Why
				}
				prev = p.Steps[i].To
			}
			b = appendWhy(b, w, why, w.states.inferred)
		}
	}
	return b
}

// appendState appends a state's netstat name, or "?" when unknown.
func appendState(b []byte, w *wording, s fsm.State) []byte {
	if s == fsm.Unknown {
		return append(b, w.states.unknown...)
	}
	return append(b, s.String()...)
}

// appendWhy appends the evidence of an inference or a correction, after
// the words that open it.
func appendWhy(b []byte, w *wording, why fsm.Why, open string) []byte {
	if why == fsm.WhyNone || int(why) >= len(w.states.why) {
		return b
	}
	b = append(b, open...)
	b = append(b, w.states.why[why]...)
	return append(b, w.states.close...)
}

// Verbose reports whether an event is shown only with --verbose in text
// output: the meaning of options on a SYN, IP header fields, checksums.
// JSON always carries every event.
func Verbose(e *fsm.Event) bool {
	switch e.Code {
	case fsm.OptionMSS, fsm.OptionSACKPermitted, fsm.OptionTimestamps, fsm.IPHeader, fsm.ChecksumOffload:
		return true
	case fsm.OptionWScale:
		return true // the offer on a SYN; its effect on a window is window.scaled
	}
	return false
}

// dsack reports whether a SACK event's first block lies below the
// cumulative ack: a D-SACK, reporting a duplicate (RFC 2883).
func dsack(e *fsm.Event) bool {
	r, ack := arg(e, fsm.KeyRight), arg(e, fsm.KeyAck)
	return e.Has(fsm.KeyRight) && int32(uint32(r)-uint32(ack)) <= 0
}
