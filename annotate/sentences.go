package annotate

import (
	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// A trace says many sentences again word for word: the same window
// scaled the same way on every segment of a connection, the same SYN
// options and IP header on every SYN. A sentence made of its event's code
// and arguments alone (no special placeholder, nothing of the packet or
// the connection: sayFlags.traced) is the same whenever they are, so the
// streaming writers keep the last one of each code and form and copy it
// when the next event of that code has the same arguments.

// sentences is the writers' memory of the last sentence of each event
// code, in full and brief form, in one language.
type sentences struct {
	lang  Lang
	flags sayFlags // the sentence being worded (a field: a local would escape)
	slots [fsm.NumCodes][2]sentence
}

// sentence is a sentence kept, with the arguments it was worded from.
type sentence struct {
	ok     bool
	quotes bool // sayQuotes of the sentence
	n      uint8
	// misses counts the events since the last that found the sentence:
	// a code whose arguments change every time (data, ACKs: sequence
	// numbers) stops paying to keep its sentences after a few, and tries
	// again now and then.
	misses uint16
	args   [len(fsm.Event{}.Args)]fsm.Arg
	text   []byte
}

func newSentences(lang Lang) *sentences { return &sentences{lang: lang} }

// word appends the sentence of an event: in full, or briefly with brief
// (a briefComposers entry) when not nil. It reports whether the sentence may
// need JSON escaping (sayQuotes).
func (c *sentences) word(b []byte, p *grammar.Packet, r *fsm.Result, e *fsm.Event, brief composer) ([]byte, bool) {
	form := 0
	if brief != nil {
		form = 1
	}
	s := &c.slots[e.Code][form]
	if s.ok && s.n == e.N && sameArgs(&s.args, &e.Args, int(e.N)) {
		s.misses = 0
		return append(b, s.text...), s.quotes
	}
	s.misses++
	keep := s.misses < 4 || s.misses%64 == 0
	c.flags = 0
	mark := len(b)
	if brief != nil {
		b = brief(view{lang: c.lang.text(), e: e, p: p, r: r, flags: &c.flags}, b)
	} else {
		b = appendEventFlags(b, c.lang, p, r, e, &c.flags)
	}
	quotes := c.flags&sayQuotes != 0
	if keep {
		s.ok = c.flags&sayTraced == 0
		if s.ok {
			s.quotes, s.n = quotes, e.N
			copy(s.args[:e.N], e.Args[:e.N])
			s.text = append(s.text[:0], b[mark:]...)
		}
	}
	return b, quotes
}

// sameArgs reports whether the first n arguments of x and y are the same.
func sameArgs(x, y *[len(fsm.Event{}.Args)]fsm.Arg, n int) bool {
	for i := 0; i < n && i < len(x); i++ {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}
