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
	p *grammar.Packet
	r *fsm.Result
	w *wording
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

// appendStates appends the state changes a packet caused:
// "client SYN_SENT → ESTABLISHED".
func appendStates(b []byte, w *wording, r *fsm.Result) []byte {
	first := true
	for _, role := range [2]fsm.Role{r.From, r.From.Other()} {
		before, after := r.Before[role], r.After[role]
		if before == after {
			continue
		}
		if !first {
			b = append(b, w.listSep...)
		}
		first = false
		b = append(b, w.role[role]...)
		b = append(b, ' ')
		if before != fsm.StateNone {
			b = append(b, before.String()...)
			b = append(b, w.arrow...)
		}
		b = append(b, after.String()...)
	}
	return b
}

// Verbose reports whether an event is shown only with --verbose in text
// output: the meaning of options on a SYN, IP header fields, checksums.
// JSON always carries every event.
func Verbose(e *fsm.Event) bool {
	switch e.Code {
	case fsm.OptionMSS, fsm.OptionSACKPermitted, fsm.OptionTimestamps, fsm.IPHeader, fsm.ChecksumOffload:
		return true
	case fsm.OptionWScale:
		return !e.Has(fsm.KeyWin) // the offer on a SYN; its effect on a window is shown
	}
	return false
}

// dsack reports whether a SACK event's first block lies below the
// cumulative ack: a D-SACK, reporting a duplicate (RFC 2883).
func dsack(e *fsm.Event) bool {
	r, ack := arg(e, fsm.KeyRight), arg(e, fsm.KeyAck)
	return e.Has(fsm.KeyRight) && int32(uint32(r)-uint32(ack)) <= 0
}
