package annotate

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// TestEveryCodeHasWording fails when an event code lacks a composer, or a
// language lacks a phrase or a step label: a new code must be taught in
// every language before it ships.
func TestEveryCodeHasWording(t *testing.T) {
	for _, c := range fsm.Codes() {
		if composers[c] == nil {
			t.Errorf("no composer for %s", c)
		}
	}
	for _, lang := range Langs() {
		l := lang.text()
		for p := phrase(1); p < numPhrases; p++ {
			if l.Phrases[p] == "" {
				t.Errorf("%s: phrase %d is empty", lang, p)
			}
		}
		for _, c := range fsm.Codes() {
			if l.Steps[c] == "" {
				t.Errorf("%s: no step label for %s", lang, c)
			}
		}
	}
}

// valuesOf are the values an argument takes while every path of every
// composer is walked (besides being absent): the values the composers
// test, and one other.
func valuesOf(k fsm.Key) []int64 {
	switch k.Spec().Unit {
	case fsm.UnitBool:
		return []int64{0, 1}
	case fsm.UnitBackoff:
		return []int64{1, 2, 3, 4}
	case fsm.UnitECNSide:
		return []int64{1, 2}
	case fsm.UnitRTTSource, fsm.UnitAckGap, fsm.UnitRetransBy:
		return []int64{1, 2, 3}
	case fsm.UnitField:
		return []int64{0, 1, 2, 3, 4, 5, 6, 7}
	}
	switch k {
	case fsm.KeyBlocks, fsm.KeyCount, fsm.KeyDupAcks:
		return []int64{1, 2, 3}
	case fsm.KeyAcked, fsm.KeyTOS:
		return []int64{0, 5}
	case fsm.KeyLen:
		return []int64{1, 5}
	case fsm.KeyWinBytes:
		return []int64{5, 6} // the same as win, or not
	}
	return []int64{5}
}

// eachEvent calls f with events of a code carrying every combination of
// its declared arguments, each absent or at each of its values.
func eachEvent(code fsm.Code, f func(e *fsm.Event)) {
	args := code.Spec().Args
	var walk func(i int, e fsm.Event)
	walk = func(i int, e fsm.Event) {
		if i == len(args) {
			f(&e)
			return
		}
		walk(i+1, e)
		for _, v := range valuesOf(args[i]) {
			e2 := e
			e2.Args[e2.N] = fsm.Arg{Key: args[i], Val: v}
			e2.N++
			walk(i+1, e2)
		}
	}
	walk(0, fsm.Event{Code: code})
}

// TestPhrasesUseDeclaredArguments walks every path of every composer in
// every language and checks that the phrases it says name only arguments
// their code declares (or specials), that no phrase is left unsaid, and
// that every sentence is filled in (and in Chinese and Japanese, not left
// in English).
func TestPhrasesUseDeclaredArguments(t *testing.T) {
	// (a line to quote from, for trace.unreadable)
	p := &grammar.Packet{IPVersion: 4, Raw: []byte("10:00:00.000001 IP a.1 > b.2: Flags [Q], length 0")}
	c := &fsm.Conn{Client: "127.0.0.1.40000", Server: "127.0.0.1.80"}
	self := &fsm.Conn{Client: "127.0.0.1.40000", Server: "127.0.0.1.40000", Self: true}
	reached := map[phrase]bool{}
	for _, lang := range Langs() {
		l := lang.text()
		// a connection, and a socket connected to itself
		for _, r := range []*fsm.Result{{Conn: c, From: fsm.Client}, {Conn: self, From: fsm.Client}} {
			for _, code := range fsm.Codes() {
				declared := map[fsm.Key]bool{}
				for _, k := range code.Spec().Args {
					declared[k] = true
				}
				bad := map[phrase]bool{}
				// the full form, and the brief form where the code has one
				eachEvent(code, func(e *fsm.Event) {
					for _, f := range []composer{composers[code], briefComposers[code]} {
						if f == nil {
							continue
						}
						var said []phrase
						v := view{lang: l, e: e, p: p, r: r, said: &said}
						s := string(f(v, nil))
						if s == "" || strings.Contains(s, "{") {
							t.Errorf("%s %s: sentence %q", lang, code, s)
						}
						if lang != English && !hasCJK(s) {
							t.Errorf("%s %s: %q is not in the language", lang, code, s)
						}
						for _, ph := range said {
							reached[ph] = true
							for _, pc := range l.phrases[ph] {
								if pc.key != fsm.KeyNone && !declared[pc.key] && !bad[ph] {
									bad[ph] = true
									t.Errorf("%s %s: phrase %q names {%s}, which %s does not declare", lang, code, l.Phrases[ph], pc.key, code)
								}
							}
						}
					}
				})
			}
		}
	}
	s := &fsm.Summary{Conn: c}
	for _, lang := range Langs() {
		for _, close := range []string{"three_packet", "four_packet", "simultaneous", "refused", "reset", ""} {
			// a -q connection has no conn_state
			for _, state := range []string{"S0", "S1", "SF", ""} {
				s.Close, s.ConnState, s.Quiet, s.HasIRTT, s.Retrans = close, state, state == "", true, [2]uint64{1, 0}
				var said []phrase
				v := view{lang: lang.text(), s: s, said: &said}
				if out := string(composeSummary(&v, nil)); strings.Contains(out, "{") {
					t.Errorf("%s summary: %q", lang, out)
				}
				for _, ph := range said {
					reached[ph] = true
				}
			}
		}
	}
	for ph := phrase(1); ph < numPhrases; ph++ {
		if !reached[ph] {
			t.Errorf("phrase %d (%q) is never said", ph, English.text().Phrases[ph])
		}
	}
}

func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x3040 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestLanguagesAreText checks that a language file holds text only: no
// if, switch, for or func, so a translator need not be a programmer.
func TestLanguagesAreText(t *testing.T) {
	files, _ := filepath.Glob("lang_*.go")
	if len(files) < len(languages) {
		t.Fatalf("%d lang_*.go files for %d languages", len(files), len(languages))
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.IfStmt, *ast.SwitchStmt, *ast.ForStmt, *ast.RangeStmt, *ast.FuncDecl, *ast.FuncLit, *ast.CallExpr:
				t.Errorf("%s: %T: a language file holds text only", name, n)
			}
			return true
		})
	}
}

// TestHelpWords checks that every language but English words all of the
// command's help and usage errors (English is in cmd/tcpnote).
func TestHelpWords(t *testing.T) {
	for _, lang := range Langs() {
		h := reflect.ValueOf(*lang.Help())
		for i := 0; i < h.NumField(); i++ {
			f := h.Field(i)
			empty := f.Kind() == reflect.String && f.String() == "" || f.Kind() == reflect.Map && f.Len() == 0
			if f.Kind() == reflect.Struct { // a group of sentences: each filled, or (English) none
				filled := 0
				for j := 0; j < f.NumField(); j++ {
					if f.Field(j).String() != "" {
						filled++
					}
				}
				empty = filled == 0
				if lang != English && filled != f.NumField() {
					t.Errorf("%s: Help.%s has %d of %d sentences", lang, h.Type().Field(i).Name, filled, f.NumField())
				}
			}
			if lang == English && !empty {
				t.Errorf("en: Help.%s is set: the English help is in cmd/tcpnote", h.Type().Field(i).Name)
			}
			if lang != English && empty {
				t.Errorf("%s: Help.%s is empty", lang, h.Type().Field(i).Name)
			}
		}
	}
}

// TestTemplates checks the template compiler on good and bad templates.
func TestTemplates(t *testing.T) {
	for name := range specialNames {
		if _, ok := fsm.KeyByName(name); ok {
			t.Errorf("{%s} is both a special and an argument", name)
		}
	}
	ps, err := compile("ISN {isn}, {from} after {gap_us}.")
	if err != nil || len(ps) != 4 || ps[0].key != fsm.KeyISN || ps[1].sp != spFrom || ps[2].key != fsm.KeyGapUs || ps[3].lit != "." {
		t.Errorf("compile: %+v, %v", ps, err)
	}
	for _, bad := range []string{"ISN {isn", "{nosuch}", "{}"} {
		if _, err := compile(bad); err == nil {
			t.Errorf("compile(%q) accepted", bad)
		}
	}
	e := &fsm.Event{Code: fsm.HandshakeSYNRetransmit, N: 1, Args: [len(fsm.Event{}.Args)]fsm.Arg{{Key: fsm.KeyGapUs, Val: 2_000_000}}}
	v := view{lang: English.text(), e: e, r: &fsm.Result{From: fsm.Server}}
	if got := string(v.render(nil, ps)); got != "ISN 0, server after 2.0 s." {
		t.Errorf("render: %q", got)
	}
}

func TestLangFromEnv(t *testing.T) {
	Japanese, err := ParseLang("ja")
	if err != nil || Japanese == English {
		t.Fatalf("ParseLang(ja) = %s, %v", Japanese, err)
	}
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
		{map[string]string{"LANG": "ja_JP.UTF-8"}, Japanese},
		{map[string]string{"LC_ALL": "ja_JP.eucJP", "LANG": "zh_CN.UTF-8"}, Japanese},
		{map[string]string{"LC_MESSAGES": "ja", "LANG": "en_US"}, Japanese},
	}
	for _, c := range cases {
		got := LangFromEnv(func(k string) string { return c.env[k] })
		if got != c.want {
			t.Errorf("%v: %s, want %s", c.env, got, c.want)
		}
	}
}

// TestWordingAllocatesNothing: wording an event appends compiled pieces
// to a buffer, so it allocates nothing once the buffer has grown.
func TestWordingAllocatesNothing(t *testing.T) {
	p := &grammar.Packet{IPVersion: 4}
	c := &fsm.Conn{Client: "127.0.0.1.40000", Server: "127.0.0.1.80"}
	r := &fsm.Result{Conn: c, From: fsm.Client}
	buf := make([]byte, 0, 4096)
	for _, lang := range Langs() {
		for _, code := range fsm.Codes() {
			e := fsm.Event{Code: code}
			for _, k := range code.Spec().Args {
				e.Args[e.N] = fsm.Arg{Key: k, Val: 1234}
				e.N++
			}
			if n := testing.AllocsPerRun(10, func() { buf = appendEvent(buf[:0], lang, p, r, &e) }); n != 0 {
				t.Errorf("%s %s: %.0f allocations", lang, code, n)
			}
			if f := briefComposers[code]; f != nil {
				v := view{lang: lang.text(), e: &e, p: p, r: r}
				if n := testing.AllocsPerRun(10, func() { buf = f(v, buf[:0]) }); n != 0 {
					t.Errorf("%s %s brief: %.0f allocations", lang, code, n)
				}
			}
		}
	}
}

// TestIPHeaderFields: the IP header note joins only the fields present,
// so a header without a TTL does not start with a separator.
func TestIPHeaderFields(t *testing.T) {
	r := &fsm.Result{Conn: &fsm.Conn{}, From: fsm.Client}
	e := &fsm.Event{Code: fsm.IPHeader, N: 2, Args: [len(fsm.Event{}.Args)]fsm.Arg{{Key: fsm.KeyID, Val: 5}, {Key: fsm.KeyIPLen, Val: 60}}}
	if got := string(appendEvent(nil, English, &grammar.Packet{}, r, e)); got != "IP header: id 5, length 60" {
		t.Errorf("got %q", got)
	}
}

// TestAppendStates words the three kinds of state change in every
// language: an edge, an inference from UNKNOWN (shown as ?) with its
// evidence, and a correction worded as one, never as a transition.
func TestAppendStates(t *testing.T) {
	Japanese, _ := ParseLang("ja")
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
		{Japanese, r, "サーバー ? → LISTEN → SYN_RCVD（推定：SYN-ACK を返したので、待ち受けていた）、クライアント SYN_SENT → ESTABLISHED"},
		{English, crossed, "correction: client ESTABLISHED, not CLOSE_WAIT (its FIN does not acknowledge the peer's FIN, so it had not received it), " +
			"client ESTABLISHED → FIN_WAIT_1 → CLOSING, server FIN_WAIT_1 → CLOSING"},
		{Chinese, crossed, "更正：客户端 ESTABLISHED，而非 CLOSE_WAIT（它的 FIN 没有确认对方的 FIN，说明发送时还没收到），" +
			"客户端 ESTABLISHED → FIN_WAIT_1 → CLOSING，服务器 FIN_WAIT_1 → CLOSING"},
		{Japanese, crossed, "訂正：クライアント ESTABLISHED、CLOSE_WAIT ではなかった（その FIN が相手の FIN を確認応答していないので、まだ受け取っていなかった）、" +
			"クライアント ESTABLISHED → FIN_WAIT_1 → CLOSING、サーバー FIN_WAIT_1 → CLOSING"},
	} {
		if got := string(appendStates(nil, c.lang, c.r)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.lang, got, c.want)
		}
	}
}

// TestStateWordsComplete requires the state words and a reason for every
// Why in every language.
func TestStateWordsComplete(t *testing.T) {
	for _, lang := range Langs() {
		w := &lang.text().Words.States
		if w.Unknown == "" || w.Self == "" || w.Inferred == "" || w.Correction == "" || w.Not == "" {
			t.Errorf("%s: state words missing: %+v", lang, *w)
		}
		for why := fsm.Why(1); why < fsm.NumWhy; why++ {
			if w.Why[why] == "" {
				t.Errorf("%s: no words for %s", lang, why)
			}
			if lang != English && !hasCJK(w.Why[why]) {
				t.Errorf("%s: %s is not in the language: %q", lang, why, w.Why[why])
			}
		}
	}
}

// TestPrintedChangesAreEdges words the state changes of the captures' -nn
// and -q renders in English, as the reviewers' check reads them: every
// "client|server A → B" outside a correction is an edge of RFC 9293's
// diagram, and none goes from CLOSED or LISTEN straight to a synchronized
// state. The default tier reads a sample of the renders; TCPNOTE_EXHAUSTIVE=1
// reads them all.
func TestPrintedChangesAreEdges(t *testing.T) {
	files, _ := filepath.Glob("../testdata/captures/*/nn.txt")
	q, _ := filepath.Glob("../testdata/captures/*/nn+q.txt")
	files = append(files, q...)
	if len(files) < 20 {
		t.Fatalf("only %d renders", len(files))
	}
	files = sample(t, "renders", files, 2)
	en := English.text().Words
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
			if r == nil {
				continue // a later IP fragment of no segment in the trace: no states
			}
			for _, part := range strings.Split(string(appendStates(nil, English, r)), en.ListSep) {
				if strings.Contains(part, en.States.Correction) {
					continue
				}
				m := change.FindStringSubmatch(part)
				if m == nil {
					continue
				}
				prev := states[m[2]]
				for _, to := range strings.Split(m[3], en.Arrow)[1:] {
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

// TestPageWordsComplete: every language fills every string of its page
// words (Words, not Help, which falls back to English by design), so no
// document note is left in English or blank in a language.
func TestPageWordsComplete(t *testing.T) {
	for _, lang := range Langs() {
		var walk func(path string, v reflect.Value)
		walk = func(path string, v reflect.Value) {
			switch v.Kind() {
			case reflect.String:
				if v.String() == "" {
					t.Errorf("%s: %s is empty", lang, path)
				}
			case reflect.Array:
				for i := 0; i < v.Len(); i++ {
					walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
				}
			case reflect.Struct:
				for i := 0; i < v.NumField(); i++ {
					f := v.Type().Field(i)
					if f.Type == reflect.TypeOf(Help{}) || f.Type == reflect.TypeOf(StateWords{}) {
						continue // Help falls back to English; TestStateWordsComplete checks the states
					}
					walk(path+"."+f.Name, v.Field(i))
				}
			}
		}
		walk("Words", reflect.ValueOf(lang.text().Words))
	}
}
