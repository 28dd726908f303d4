package annotate

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	reArrow   = regexp.MustCompile(`<g class="arrow [a-z]+(?: dup)?" data-n="([0-9]+)" data-from="(client|server)"[^>]*>`)
	reRow     = regexp.MustCompile(`<tr class="[a-z]+(?: dup)?" data-n="([0-9]+)"[^>]*>`)
	reSection = regexp.MustCompile(`<section class="conn" id="conn-([0-9]+)" data-conn="[0-9]+" data-packets="([0-9]+)">`)
	reSVGSize = regexp.MustCompile(`<svg class="ladder-svg[^"]*" xmlns="http://www.w3.org/2000/svg" width="([0-9]+)" height="([0-9]+)"`)
)

// wellFormed parses text as XML: tcpnote writes each section so that it
// is, which proves the escaping.
func wellFormed(s string) error {
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// checkPage checks a page's structure: one section per connection, in
// each one arrow and one table row per packet, numbered 1…N, well-formed
// markup, nothing fetched.
func checkPage(t *testing.T, name, page string, r *rendered, lang Lang) {
	t.Helper()
	if !strings.HasPrefix(page, "<!DOCTYPE html>\n<html lang=\""+lang.String()+"\">") || !strings.HasSuffix(page, "</html>\n") {
		t.Errorf("%s: not a whole page", name)
	}
	// Nothing to fetch: no src, no url(), no link; the one URL is the SVG
	// namespace.
	for _, bad := range []string{" src=", "url(", "<link", "@import", "<iframe", "<img"} {
		if strings.Contains(page, bad) {
			t.Errorf("%s: page contains %q", name, bad)
		}
	}
	for _, u := range regexp.MustCompile(`https?://[^"<> ]+`).FindAllString(page, -1) {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("%s: URL %s", name, u)
		}
	}
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("%s: %d scripts, want 1", name, n)
	}
	secs := reSection.FindAllStringSubmatchIndex(page, -1)
	if len(secs) != len(r.order) {
		t.Fatalf("%s: %d sections for %d connections", name, len(secs), len(r.order))
	}
	for i, m := range secs {
		id := r.order[i]
		end := strings.Index(page[m[0]:], "</section>")
		if end < 0 {
			t.Fatalf("%s: section %d not closed", name, i)
		}
		sec := page[m[0] : m[0]+end+len("</section>")]
		where := fmt.Sprintf("%s connection %d", name, id)
		if got := page[m[2]:m[3]]; got != strconv.Itoa(id) {
			t.Errorf("%s: section id %s", where, got)
		}
		if got := page[m[4]:m[5]]; got != strconv.Itoa(r.packets[id]) {
			t.Errorf("%s: data-packets %s, want %d", where, got, r.packets[id])
		}
		for _, re := range []*regexp.Regexp{reArrow, reRow} {
			ms := re.FindAllStringSubmatch(sec, -1)
			if len(ms) != r.packets[id] {
				t.Errorf("%s: %d of %s for %d packets", where, len(ms), re, r.packets[id])
			}
			for j, m := range ms {
				if m[1] != strconv.Itoa(j+1) {
					t.Errorf("%s: element %d has data-n %s", where, j+1, m[1])
					break
				}
			}
		}
		if err := wellFormed(sec); err != nil {
			t.Errorf("%s: not well-formed: %v", where, err)
		}
		if strings.Count(sec, "<title>") != r.packets[id] {
			t.Errorf("%s: %d tooltips for %d packets", where, strings.Count(sec, "<title>"), r.packets[id])
		}
	}
	if lang == English && hasCJK(page) {
		t.Errorf("%s: Chinese or Japanese in the English page", name)
	}
	if heading := lang.text().Words.Connection + " "; lang != English && !strings.Contains(page, heading) {
		t.Errorf("%s: no heading %q in the page", name, heading)
	}
}

// TestHTMLTraces renders every test trace in every language and checks the
// page. Their golden files are compared by the repository's golden harness
// (cmd/tcpnote TestGolden).
func TestHTMLTraces(t *testing.T) {
	for _, tr := range testTraces(t) {
		trace := readTrace(t, tr.path)
		for _, lang := range Langs() {
			name := tr.name + "." + lang.String()
			r := render(t, docHTML, lang, trace)
			checkPage(t, name, r.out, r, lang)
			if r.total() > 0 && !strings.Contains(r.out, `<p class="summary">`) {
				t.Errorf("%s: no summary", name)
			}
		}
	}
}

// TestHTMLEscaping renders a connection whose every text is hostile.
func TestHTMLEscaping(t *testing.T) {
	for _, lang := range Langs() {
		c := hostileConn()
		page := renderConns(docHTML, lang, c)
		r := &rendered{out: page, packets: map[int]int{c.ID: len(c.Rows)}, order: []int{c.ID}}
		checkPage(t, "hostile", page, r, lang)
		for _, bad := range []string{"<script>alert", "<b>", "\x00", "\r", "\xff"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: %q reached the page", lang, bad)
			}
		}
		for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", "10.0.0.1.1234;end#x&lt;y&gt;&amp;&#34;z&#34;", "&#39;single&#39;"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: no %q", lang, want)
			}
		}
		// the golden harness (cmd/tcpnote) keeps this page through
		// EscapingSample: it must be the page checked here
		if s, err := EscapingSample("html", lang); err != nil || string(s) != page {
			t.Errorf("%s: EscapingSample is not the page checked here (err %v)", lang, err)
		}
	}
}

// TestLadderLayout checks the time axis: gaps grow with time, a long idle
// is a break, an untimed trace is even, a long connection is compact.
func TestLadderLayout(t *testing.T) {
	us := []int64{0, 40, 80, 40_080, 2_040_080, 62_040_080, 62_040_100}
	c := &docConn{Client: "a.1", Server: "b.2"}
	for i, u := range us {
		c.Rows = append(c.Rows, docRow{N: i + 1, Micros: u, HasTime: true, Flags: ".", Ack: "1"})
	}
	l := layoutLadder(c)
	gap := func(i int) int { return l.y[i] - l.y[i-1] }
	for i := 1; i < len(us); i++ {
		if gap(i) < l.mode.gap {
			t.Errorf("gap %d is %d, less than %d", i, gap(i), l.mode.gap)
		}
	}
	if !(gap(3) > gap(2) && gap(4) > gap(3)) {
		t.Errorf("40 µs, 40 ms, 2 s gaps drawn %d, %d, %d", gap(2), gap(3), gap(4))
	}
	if !l.breakBefore[5] || l.breakBefore[4] {
		t.Errorf("breaks %v, want one before the 60 s gap only", l.breakBefore)
	}
	if l.height > 600 {
		t.Errorf("height %d for 7 packets", l.height)
	}

	for i := range c.Rows {
		c.Rows[i].HasTime = false
	}
	l = layoutLadder(c)
	for i := 1; i < len(us); i++ {
		if gap(i) != l.mode.gap {
			t.Errorf("untimed gap %d is %d, want %d", i, gap(i), l.mode.gap)
		}
	}

	big := &docConn{Client: "a.1", Server: "b.2"}
	for i := range 2000 {
		big.Rows = append(big.Rows, docRow{N: i + 1, Micros: int64(i) * 137, HasTime: true, Flags: ".", Ack: "1"})
	}
	l = layoutLadder(big)
	if !l.mode.compact || l.height > 2000*12+200 {
		t.Errorf("2000 packets: compact %v, height %d", l.mode.compact, l.height)
	}
}

// bigTrace is one connection of n packets in tcpdump -S -nn form.
func bigTrace(n int) string {
	var b strings.Builder
	t := 0
	line := func(a, c, f, rest string) {
		t += 137
		fmt.Fprintf(&b, "10:00:%02d.%06d IP %s > %s: Flags [%s], %s\n", t/1e6, t%1e6, a, c, f, rest)
	}
	cl, sv := "10.0.0.1.40000", "10.0.0.2.80"
	line(cl, sv, "S", "seq 1000, win 64240, length 0")
	line(sv, cl, "S.", "seq 5000, ack 1001, win 65160, length 0")
	line(cl, sv, ".", "ack 5001, win 502, length 0")
	seq := 1001
	for i := 0; i < (n-6)/2; i++ {
		line(cl, sv, "P.", fmt.Sprintf("seq %d:%d, ack 5001, win 502, length 100", seq, seq+100))
		seq += 100
		line(sv, cl, ".", fmt.Sprintf("ack %d, win 509, length 0", seq))
	}
	line(cl, sv, "F.", fmt.Sprintf("seq %d, ack 5001, win 502, length 0", seq))
	line(sv, cl, "F.", fmt.Sprintf("seq 5001, ack %d, win 509, length 0", seq+1))
	line(cl, sv, ".", "ack 5002, win 502, length 0")
	return b.String()
}

// TestHTMLCompact renders a long connection: every packet has its arrow,
// the arrows carry no text, and the page stays a sensible size.
func TestHTMLCompact(t *testing.T) {
	r := render(t, docHTML, English, bigTrace(2000))
	checkPage(t, "big", r.out, r, English)
	if r.total() != 2000 {
		t.Fatalf("%d packets", r.total())
	}
	if !strings.Contains(r.out, `<svg class="ladder-svg compact"`) || strings.Contains(r.out, `class="lbl"`) {
		t.Errorf("not compact")
	}
	m := reSVGSize.FindStringSubmatch(r.out)
	if h, _ := strconv.Atoi(m[2]); h > 2000*12+200 {
		t.Errorf("ladder %s px high for 2000 packets", m[2])
	}
	if len(r.out) > 3<<20 {
		t.Errorf("page is %d bytes", len(r.out))
	}
	small := render(t, docHTML, English, bigTrace(20))
	if strings.Contains(small.out, "compact") && strings.Contains(small.out, `<svg class="ladder-svg compact"`) {
		t.Errorf("20 packets drawn compact")
	}
}

// TestEmptyDocuments: no TCP at all gives an empty diagram and a page that
// says so.
func TestEmptyDocuments(t *testing.T) {
	if r := render(t, docMermaid, English, "not tcpdump output\n"); r.out != "" {
		t.Errorf("mermaid: %q", r.out)
	}
	for _, lang := range Langs() {
		r := render(t, docHTML, lang, "not tcpdump output\n")
		checkPage(t, "empty", r.out, r, lang)
		if !strings.Contains(r.out, lang.text().Words.None) {
			t.Errorf("%s: the empty page does not say so", lang)
		}
	}
}
