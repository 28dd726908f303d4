package annotate

import (
	"os"
	"path/filepath"
	"regexp"
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

// TestAppendStates words the three kinds of state change in both
// languages: an edge, an inference from UNKNOWN (shown as ?) with its
// evidence, and a correction worded as one, never as a transition.
func TestAppendStates(t *testing.T) {
	c := &fsm.Conn{Client: "127.0.0.1.40000", Server: "127.0.0.1.80"}
	r := &fsm.Result{Conn: c, From: fsm.Server}
	r.Before = [2]fsm.State{fsm.SynSent, fsm.Unknown}
	r.After = [2]fsm.State{fsm.Established, fsm.SynRcvd}
	r.Path[fsm.Server] = fsm.Path{N: 2, Steps: [4]fsm.Step{
		{To: fsm.Listen, How: fsm.HowInferred, Why: fsm.WhyAnswersSYN}, {To: fsm.SynRcvd, How: fsm.HowEdge}}}
	r.Path[fsm.Client] = fsm.Path{N: 1, Steps: [4]fsm.Step{{To: fsm.Established, How: fsm.HowEdge}}}
	crossed := &fsm.Result{Conn: c, From: fsm.Client}
	crossed.Before = [2]fsm.State{fsm.CloseWait, fsm.FinWait1}
	crossed.After = [2]fsm.State{fsm.Closing, fsm.Closing}
	crossed.Path[fsm.Client] = fsm.Path{N: 3, Steps: [4]fsm.Step{
		{To: fsm.Established, How: fsm.HowCorrected, Why: fsm.WhyFINCrossed}, {To: fsm.FinWait1, How: fsm.HowEdge}, {To: fsm.Closing, How: fsm.HowEdge}}}
	crossed.Path[fsm.Server] = fsm.Path{N: 1, Steps: [4]fsm.Step{{To: fsm.Closing, How: fsm.HowEdge}}}
	for _, c := range []struct {
		lang Lang
		r    *fsm.Result
		want string
	}{
		{English, r, "server ? → LISTEN → SYN_RCVD (inferred: its SYN-ACK shows it was listening), client SYN_SENT → ESTABLISHED"},
		{Chinese, r, "服务器 ? → LISTEN → SYN_RCVD（推断：它回了 SYN-ACK，说明它在监听），客户端 SYN_SENT → ESTABLISHED"},
		{English, crossed, "correction: client ESTABLISHED, not CLOSE_WAIT (its FIN does not acknowledge the peer's FIN, so it had not received it), " +
			"client ESTABLISHED → FIN_WAIT_1 → CLOSING, server FIN_WAIT_1 → CLOSING"},
		{Chinese, crossed, "更正：客户端 ESTABLISHED，而非 CLOSE_WAIT（它的 FIN 没有确认对方的 FIN，说明发送时还没收到），" +
			"客户端 ESTABLISHED → FIN_WAIT_1 → CLOSING，服务器 FIN_WAIT_1 → CLOSING"},
	} {
		if got := string(appendStates(nil, languages[c.lang], c.r)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.lang, got, c.want)
		}
	}
}

// TestStateWordsComplete requires a reason for every Why in every language.
func TestStateWordsComplete(t *testing.T) {
	for _, lang := range []Lang{English, Chinese} {
		w := languages[lang]
		for why := fsm.Why(1); why < fsm.NumWhy; why++ {
			if w.states.why[why] == "" {
				t.Errorf("%s: no words for %s", lang, why)
			}
		}
	}
}

// TestPrintedChangesAreEdges words the state changes of every capture's
// -nn and -q renders in English, as the reviewers' check reads them: every
// "client|server A → B" outside a correction is an edge of RFC 9293's
// diagram, and none goes from CLOSED or LISTEN straight to a synchronized
// state.
func TestPrintedChangesAreEdges(t *testing.T) {
	files, _ := filepath.Glob("../testdata/captures/*/nn.txt")
	q, _ := filepath.Glob("../testdata/captures/*/nn+q.txt")
	files = append(files, q...)
	if len(files) < 20 {
		t.Fatalf("only %d renders", len(files))
	}
	change := regexp.MustCompile(`(client|server|socket) ([A-Z_0-9?]+)((?: → [A-Z_0-9]+)+)`)
	states := map[string]fsm.State{"?": fsm.Unknown}
	for s := fsm.Closed; s <= fsm.TimeWait; s++ {
		states[s.String()] = s
	}
	n := 0
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := grammar.NewScanner(f)
		tr := fsm.NewTracker()
		for sc.Scan() {
			rec := sc.Record()
			if rec.Kind != grammar.TCP {
				continue
			}
			r := tr.Process(&rec.Packet, rec.Line)
			for _, part := range strings.Split(string(appendStates(nil, &en, r)), en.listSep) {
				if strings.Contains(part, "correction") {
					continue
				}
				m := change.FindStringSubmatch(part)
				if m == nil {
					continue
				}
				prev := states[m[2]]
				for _, to := range strings.Split(m[3], " → ")[1:] {
					s := states[to]
					if prev != fsm.Unknown && !fsm.IsEdge(prev, s) {
						t.Errorf("%s:%d: %q: %s → %s is no edge", path, rec.Line, part, prev, s)
					}
					if (prev == fsm.Closed || prev == fsm.Listen) && s.Synchronized() {
						t.Errorf("%s:%d: %q: %s straight to %s", path, rec.Line, part, prev, s)
					}
					prev = s
					n++
				}
			}
		}
		f.Close()
	}
	t.Logf("%d printed changes in %d renders", n, len(files))
}
