package annotate

import (
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
)

// TestIPHeaderJoined checks the ip.header sentence from its joined pieces
// (Language.ipHeader) against the phrases said one by one.
func TestIPHeaderJoined(t *testing.T) {
	keys := []fsm.Key{fsm.KeyTTL, fsm.KeyID, fsm.KeyDF, fsm.KeyTOS, fsm.KeyIPLen}
	for _, lang := range Langs() {
		l := lang.text()
		for m := 0; m < 1<<len(keys); m++ {
			e := &fsm.Event{Code: fsm.IPHeader}
			for i, k := range keys {
				if m&(1<<i) != 0 {
					e.Args[e.N] = fsm.Arg{Key: k, Val: int64(1 + i)}
					e.N++
				}
			}
			var said []phrase
			one := string(composers[fsm.IPHeader](view{lang: l, e: e, said: &said}, nil))
			joined := string(composers[fsm.IPHeader](view{lang: l, e: e}, nil))
			if one != joined {
				t.Errorf("%s mask %b: joined %q, said %q", lang, m, joined, one)
			}
		}
	}
}
