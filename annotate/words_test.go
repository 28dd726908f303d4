package annotate

import (
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// TestEveryCodeHasWording fails when an event code lacks a sentence in a
// language: a new code must be taught in every language before it ships.
func TestEveryCodeHasWording(t *testing.T) {
	for _, lang := range []Lang{English, Chinese} {
		w := languages[lang]
		for _, c := range fsm.Codes() {
			if w.ev[c] == nil {
				t.Errorf("%s: no sentence for %s", lang, c)
			}
		}
	}
}

// TestWordingUsesArguments words every code with every argument set and
// checks the sentence is not empty, has no unfilled placeholder and, in
// Chinese, is not English.
func TestWordingUsesArguments(t *testing.T) {
	p := &grammar.Packet{IPVersion: 4}
	c := &fsm.Conn{Client: "127.0.0.1.40000", Server: "127.0.0.1.80"}
	r := &fsm.Result{Conn: c, From: fsm.Client}
	for _, code := range fsm.Codes() {
		e := fsm.Event{Code: code}
		for i, k := range []fsm.Key{fsm.KeyISN, fsm.KeyAck, fsm.KeySeq, fsm.KeyLen, fsm.KeyGapUs, fsm.KeyExpected, fsm.KeyWin, fsm.KeyWScale} {
			e.Args[i] = fsm.Arg{Key: k, Val: int64(1000 + i)}
			e.N++
		}
		for _, lang := range []Lang{English, Chinese} {
			s := string(appendEvent(nil, lang, p, r, &e))
			if s == "" || s == code.String() {
				t.Errorf("%s %s: no sentence", lang, code)
			}
			if strings.Contains(s, "%") || strings.Contains(s, "{") {
				t.Errorf("%s %s: placeholder left in %q", lang, code, s)
			}
			if lang == Chinese && !hasHan(s) {
				t.Errorf("zh %s: %q has no Chinese", code, s)
			}
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestLangFromEnv(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{}, English},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, Chinese},
		{map[string]string{"LANG": "zh_TW.Big5"}, Chinese},
		{map[string]string{"LANG": "en_US.UTF-8"}, English},
		{map[string]string{"LANG": "de_DE.UTF-8"}, English},
		{map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, English},
		{map[string]string{"LC_MESSAGES": "zh_CN", "LANG": "en_US"}, Chinese},
		{map[string]string{"LC_ALL": "zh_HK.UTF-8@stroke"}, Chinese},
		{map[string]string{"LANG": "garbage!!"}, English},
	}
	for _, c := range cases {
		got := LangFromEnv(func(k string) string { return c.env[k] })
		if got != c.want {
			t.Errorf("%v: %s, want %s", c.env, got, c.want)
		}
	}
}
