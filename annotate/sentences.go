package annotate

import (
	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// sentences words the events of the streaming writers in one language and
// notes what each sentence was made of (sayFlags), so the JSON writer
// escapes only a sentence that may need it. (A memory of the last
// sentence of each code was tried here and dropped: on the genpcap
// renders it saved nothing; instructions with it and without it were
// 198.6 M and 198.3 M for -nn -S text, 546.5 M and 547.8 M for -v JSON.)
type sentences struct {
	lang  Lang
	flags sayFlags // the sentence being worded (a field: a local would escape)
}

func newSentences(lang Lang) *sentences { return &sentences{lang: lang} }

// word appends the sentence of an event: in full, or briefly with brief
// (a briefComposers entry) when not nil. It reports whether the sentence may
// need JSON escaping (sayQuotes).
func (c *sentences) word(b []byte, p *grammar.Packet, r *fsm.Result, e *fsm.Event, brief composer) ([]byte, bool) {
	c.flags = 0
	if brief != nil {
		b = brief(view{lang: c.lang.text(), e: e, p: p, r: r, flags: &c.flags}, b)
	} else {
		b = appendEventFlags(b, c.lang, p, r, e, &c.flags)
	}
	return b, c.flags&sayQuotes != 0
}
