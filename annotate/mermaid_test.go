package annotate

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
)

// mmStatement matches every line tcpnote may write inside a diagram.
var mmStatement = regexp.MustCompile(`^(%% .*|sequenceDiagram|    title .+|    participant [CS] as .+|    autonumber|` +
	`    [CS](->>|-->>|-x|--x|-\)|--\))[CS]: .+|    Note (left of C|right of S|over C,S): .+|    par .+|    and|    end)$`)

// mmEntity matches an entity code Mermaid decodes.
var mmEntity = regexp.MustCompile(`#([0-9]+|[a-z]+);`)

// mmArrowLine matches a packet's arrow.
var mmArrowLine = regexp.MustCompile(`^    [CS](->>|-->>|-x|--x|-\)|--\))[CS]: `)

// mmDiagrams splits Mermaid output into its diagrams' lines, checking the
// Markdown around them when there are several.
func mmDiagrams(t *testing.T, out string, conns int) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var ds [][]string
	if conns <= 1 {
		if strings.Contains(out, "```") {
			t.Errorf("one connection, but a fenced block:\n%s", out)
		}
		if conns == 1 {
			ds = append(ds, lines)
		}
		return ds
	}
	in := false
	for _, l := range lines {
		switch {
		case l == "```mermaid":
			if in {
				t.Errorf("nested fence")
			}
			in = true
			ds = append(ds, nil)
		case l == "```":
			in = false
		case in:
			ds[len(ds)-1] = append(ds[len(ds)-1], l)
		}
	}
	if in {
		t.Errorf("unclosed fence")
	}
	if len(ds) != conns {
		t.Errorf("%d fenced diagrams for %d connections", len(ds), conns)
	}
	return ds
}

// checkMermaidDiagram checks one diagram's lines against the grammar tcpnote
// keeps to: known statements only, text escaped.
func checkMermaidDiagram(t *testing.T, where string, lines []string) (arrows int) {
	t.Helper()
	seen := map[string]int{}
	for i, l := range lines {
		if !mmStatement.MatchString(l) {
			t.Errorf("%s line %d: not a statement tcpnote writes: %q", where, i+1, l)
			continue
		}
		if strings.HasPrefix(l, "%%") {
			if strings.Contains(l[2:], "%%") {
				t.Errorf("%s line %d: %%%% inside a comment: %q", where, i+1, l)
			}
			continue
		}
		if mmArrowLine.MatchString(l) {
			arrows++
		}
		for _, k := range []string{"sequenceDiagram", "    title", "    participant C", "    participant S", "    autonumber"} {
			if strings.HasPrefix(l, k) {
				seen[k]++
			}
		}
		// The text: nothing Mermaid or HTML reads, once entity codes and
		// our line breaks are taken out.
		text := l
		if j := strings.Index(l, ": "); j >= 0 && !strings.HasPrefix(l, "    participant") && !strings.HasPrefix(l, "    title") {
			text = l[j+2:]
		}
		text = mmEntity.ReplaceAllString(strings.ReplaceAll(text, "<br/>", ""), "")
		if strings.ContainsAny(text, ";#<>&%\r\n") {
			t.Errorf("%s line %d: unescaped text in %q", where, i+1, l)
		}
	}
	for _, k := range []string{"sequenceDiagram", "    title", "    participant C", "    participant S", "    autonumber"} {
		if seen[k] != 1 {
			t.Errorf("%s: %q appears %d times, want once", where, k, seen[k])
		}
	}
	return arrows
}

// TestMermaidTraces renders every test trace in every language and checks
// each diagram: one arrow per packet, both participants named, the text
// escaped. The golden traces' renders are compared with their golden files
// by the repository's golden harness (cmd/tcpnote TestGolden).
func TestMermaidTraces(t *testing.T) {
	for _, tr := range testTraces(t) {
		trace := readTrace(t, tr.path)
		for _, lang := range Langs() {
			name := tr.name + "." + lang.String()
			r := render(t, docMermaid, lang, trace)
			ds := mmDiagrams(t, r.out, len(r.order))
			for i, d := range ds {
				if i >= len(r.ended) {
					break
				}
				id := r.ended[i] // each diagram is written when its connection ends
				where := name + " connection " + strconv.Itoa(id)
				if got := checkMermaidDiagram(t, where, d); got != r.packets[id] {
					t.Errorf("%s: %d arrows for %d packets", where, got, r.packets[id])
				}
				if !strings.HasPrefix(d[0], "%% connection "+strconv.Itoa(id)+": ") {
					t.Errorf("%s: first line %q", where, d[0])
				}
				role := "(" + lang.text().Words.Role[fsm.Client] + ")"
				if !strings.Contains(strings.Join(d, "\n"), "\n    participant C as ") || !strings.Contains(strings.Join(d, "\n"), role) {
					t.Errorf("%s: client participant not named", where)
				}
			}
			if lang == English && hasCJK(r.out) {
				t.Errorf("%s: Chinese or Japanese in English output", name)
			}
			if lang != English && !hasCJK(r.out) {
				t.Errorf("%s: English output for %s", name, lang)
			}
		}
	}
}

// TestMermaidEscaping renders a connection whose every text is hostile.
func TestMermaidEscaping(t *testing.T) {
	for _, lang := range Langs() {
		out := renderConns(docMermaid, lang, hostileConn())
		ds := mmDiagrams(t, out, 1)
		if got := checkMermaidDiagram(t, "hostile", ds[0]); got != 2 {
			t.Errorf("%d arrows, want 2", got)
		}
		for _, want := range []string{
			"    participant C as 10.0.0.1.1234#59;end#35;x#lt;y#gt;#amp;\"z\" (",
			"    participant S as evil--#gt;#gt;host:80 #37;#37; end participant Q (",
			"#lt;script#gt;alert(\"x\")#lt;/script#gt;#59; end#59; #35;1 #amp; done",
			"    S-)C: [R.#59;#35;#lt;] seq 0, ack 1 (101)",
			"RST participant Z Note over C: injected",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: no %q in\n%s", lang, want, out)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "%%") && strings.Contains(l[2:], "%%") {
				t.Errorf("directive left in a comment: %q", l)
			}
		}
		// the golden harness (cmd/tcpnote) keeps this diagram through
		// EscapingSample: it must be the diagram checked here
		if s, err := EscapingSample("mermaid", lang); err != nil || string(s) != out {
			t.Errorf("%s: EscapingSample is not the diagram checked here (err %v)", lang, err)
		}
	}
}

func TestMmEscape(t *testing.T) {
	for in, want := range map[string]string{
		"a;b":               "a#59;b",
		"#35;":              "#35;35#59;",
		"<br/>":             "#lt;br/#gt;",
		"x & y":             "x #amp; y",
		"%%{init}%%":        "#37;#37;{init}#37;#37;",
		"two\nlines\r\ttab": "two lines  tab",
		"end -->> S: 第一次握手": "end --#gt;#gt; S: 第一次握手",
	} {
		if got := mmEscape(in); got != want {
			t.Errorf("mmEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrapText(t *testing.T) {
	en := "3rd handshake (ACK): ack 2437695169 = server ISN 2437695168 + 1; the connection is established (handshake round trip 24 µs)"
	zh := "第三次握手 (ACK)：确认号 ack 2437695169 = 服务器 ISN 2437695168 + 1；连接建立（握手往返时间 24 µs）"
	for _, s := range []string{en, zh} {
		lines := wrapText(s, 30, 10)
		if got := strings.Join(lines, ""); strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(s, " ", "") {
			t.Errorf("wrapping lost text:\n%q\n%q", s, lines)
		}
		for _, l := range lines {
			if textWidth(l) > 30 {
				t.Errorf("line %q is %d columns wide", l, textWidth(l))
			}
			if strings.HasPrefix(l, " ") || strings.HasSuffix(l, " ") {
				t.Errorf("line %q has spaces at an end", l)
			}
			if strings.HasPrefix(l, "；") || strings.HasPrefix(l, "）") {
				t.Errorf("line %q starts with closing punctuation", l)
			}
		}
		cut := wrapText(s, 30, 2)
		if len(cut) != 2 || !strings.HasSuffix(cut[1], "…") || textWidth(cut[1]) > 30 {
			t.Errorf("cut to two lines: %q", cut)
		}
	}
	if got := wrapText("short", 30, 3); len(got) != 1 || got[0] != "short" {
		t.Errorf("short text: %q", got)
	}
	if got := wrapText("", 30, 3); len(got) != 0 {
		t.Errorf("empty text: %q", got)
	}
	if got := wrapText(strings.Repeat("x", 70), 30, 3); len(got) != 3 || got[0] != strings.Repeat("x", 30) {
		t.Errorf("one long word: %q", got)
	}
}
