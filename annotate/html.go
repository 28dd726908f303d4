package annotate

// HTML output (--format html).
//
// One self-contained page: inline CSS, a few lines of inline JavaScript, no
// fetches. Per connection a ladder diagram in SVG, as in TCP/IP
// Illustrated: the client's timeline on the left and the server's on the
// right, labelled with address:port, time running down; one slanted arrow
// per packet, labelled with its number, flags and numbers as printed, and
// under it the step it is (1st handshake, active close, RST …); beside each
// timeline the endpoint's state wherever it changes; on the far left the
// time since the connection's first packet. Beside the diagram a table
// gives every packet's full explanation. Hovering an arrow or a row
// highlights both; clicking scrolls the other into view. Each arrow is a
// <g class="arrow" data-n="N"> with a <title> tooltip.
//
// Time: the gap between two packets is drawn with a height that grows with
// the square root of the gap, up to a limit, so a 40 ms delayed ACK shows
// while microsecond gaps stay compact; a gap of 10 s or more is drawn as a
// break in the timelines labelled with its length, so a minute of idle
// costs a few millimetres. Arrows have a fixed slant: a trace captured at
// one point cannot tell how long a packet was in flight. A trace without
// timestamps is spaced evenly. A connection of more than 200 packets is
// drawn compact: arrows closer together and no text on them (the tooltip
// and the table still have it).
//
// All text is escaped (escHTML); the words of the page are in htmlWords,
// in English and Chinese.

import (
	"bufio"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The ladder's geometry, in SVG user units (CSS pixels).
const (
	lxTime     = 4   // left edge of the time column
	lxState    = 78  // left edge of the client's state column
	lStateW    = 100 // width of a state column
	lTop       = 76  // y of the first packet
	lBottom    = 28  // space under the last packet
	lSpanMin   = 320 // distance between the timelines
	lSpanMax   = 560
	lCompactAt = 200 // more packets than this: compact
	lBreakUs   = 10_000_000
	lBreakH    = 34 // height of a break in the timelines
	lArrowHead = 7
)

// ladderMode is the spacing of one connection's ladder.
type ladderMode struct {
	compact     bool
	slant       int // how far an arrow drops between the timelines
	gap, keyGap int // the least distance to the next packet (after a packet with a step label)
	maxExtra    float64
}

var (
	ladderNormal  = ladderMode{slant: 14, gap: 30, keyGap: 42, maxExtra: 90}
	ladderCompact = ladderMode{compact: true, slant: 5, gap: 6, keyGap: 16, maxExtra: 24}
)

// page writes the page.
func (d *htmlDoc) page() {
	hw := &d.o.Lang.text().Words
	h := &d.o.Lang.text().Words
	w := d.w
	packets := 0
	for _, c := range d.conns {
		packets += len(c.Rows) + c.Elided
	}
	packets += d.more.packets
	w.WriteString("<!DOCTYPE html>\n<html lang=\"" + d.o.Lang.String() + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	w.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	w.WriteString("<meta name=\"generator\" content=\"tcpnote\">\n")
	title := docTitle(d.o)
	w.WriteString("<title>" + escHTML(title) + "</title>\n<style>\n" + htmlCSS + stepperCSS + printCSS + "</style>\n</head>\n<body>\n")
	w.WriteString("<header>\n<h1>" + escHTML(title) + "</h1>\n")
	if d.o.Caption != "" {
		w.WriteString("<p class=\"caption\">" + escHTML(d.o.Caption) + "</p>\n")
	}
	w.WriteString("<p class=\"count\">" + escHTML(plural(hw.Conns, len(d.conns)+d.more.conns)+" · "+plural(hw.Packets, packets)) + "</p>\n")
	w.WriteString("<p class=\"legend\">")
	for i, cls := range legendClasses {
		w.WriteString("<span class=\"key " + cls + "\"><svg width=\"26\" height=\"10\" aria-hidden=\"true\"><line x1=\"1\" y1=\"5\" x2=\"25\" y2=\"5\"/></svg>" + escHTML(hw.Legend[i]) + "</span> ")
	}
	d.markLegend()
	w.WriteString("</p>\n<p class=\"hint\">" + escHTML(hw.Hint) + "</p>\n")
	if len(d.conns) > 1 {
		open := ""
		if len(d.conns) <= 20 {
			open = " open"
		}
		w.WriteString("<nav><details" + open + "><summary>" + escHTML(hw.Nav) + "</summary><ol>\n")
		for _, c := range d.conns {
			w.WriteString("<li><a href=\"#conn-" + strconv.Itoa(c.ID) + "\">" + escHTML(c.Client+" → "+c.Server) + "</a> <span class=\"dim\">" +
				escHTML(plural(hw.Packets, len(c.Rows)+c.Elided)))
			if c.HasSummary && c.Summary.ConnState != "" {
				w.WriteString(" · " + escHTML(c.Summary.ConnState))
			}
			w.WriteString("</span></li>\n")
		}
		w.WriteString("</ol></details></nav>\n")
	}
	w.WriteString("</header>\n")
	if len(d.conns) > 0 {
		d.stepPanel() // html_panel.go: step-through and the state diagram
	}
	w.WriteString("<main>\n")
	if len(d.conns) == 0 {
		w.WriteString("<p>" + escHTML(hw.None) + "</p>\n")
	}
	for _, c := range d.conns {
		id := strconv.Itoa(c.ID)
		w.WriteString("<section class=\"conn\" id=\"conn-" + id + "\" data-conn=\"" + id + "\" data-packets=\"" + strconv.Itoa(len(c.Rows)+c.Elided) + "\">\n")
		w.WriteString("<h2>" + escHTML(h.Connection+" "+id) + ": <code>" + escHTML(c.Client) + "</code> → <code>" + escHTML(c.Server) + "</code></h2>\n")
		if cap := connCaption(d.o.Lang, c); cap != "" {
			w.WriteString("<p class=\"conn-caption\">" + escHTML(cap) + "</p>\n")
		}
		if len(c.Rows) > lCompactAt {
			w.WriteString("<p class=\"compact-note\">" + escHTML(strings.Replace(hw.Compact, "%d", strconv.Itoa(len(c.Rows)), 1)) + "</p>\n")
		}
		w.WriteString("<div class=\"pair\">\n<div class=\"ladder\">\n")
		d.ladder(c)
		w.WriteString("</div>\n<div class=\"notes\">\n")
		d.noteTable(c)
		w.WriteString("</div>\n</div>\n")
		if c.Elided > 0 {
			w.WriteString("<p class=\"elided\">" + escHTML(elidedText(d.o.Lang, c)) + "</p>\n")
		}
		if c.HasSummary {
			w.WriteString("<p class=\"summary\"><strong>" + escHTML(h.Summary) + ":</strong> " + escHTML(string(AppendSummary(nil, d.o.Lang, &c.Summary))) + "</p>\n")
		}
		w.WriteString("</section>\n")
	}
	if m := d.more; m.conns > 0 {
		w.WriteString("<p class=\"elided\">" + escHTML(moreText(d.o.Lang, m)) + "</p>\n")
	}
	if d.unread.n > 0 {
		w.WriteString("<p class=\"summary\"><strong>" + escHTML(string(d.unread.appendTally(nil, d.o.Lang))) + "</strong></p>\n")
	}
	w.WriteString("</main>\n<script>\n" + htmlJS + stepperJS + "</script>\n</body>\n</html>\n")
}

// htmlDoc is the HTML page: per connection a ladder diagram and the table
// of its notes, written at the end.
type htmlDoc struct {
	collector
	conns []*docConn // every connection with a section, in order
	more  moreConns
}

func newHTML(w *bufio.Writer, o Options) *htmlDoc {
	return &htmlDoc{collector: newCollector(w, o, htmlMaxHeld)}
}

// Record keeps a packet's row; past htmlMaxConns connections it only
// counts them.
func (d *htmlDoc) Record(rec *grammar.Record, r *fsm.Result) error {
	c, tagged, ok := d.lookup(rec, r)
	if !ok {
		return nil
	}
	if c == nil {
		if !d.o.Whole && len(d.conns) >= htmlMaxConns {
			d.more.add(r.Conn.ID, rec.Line)
			return nil
		}
		c = d.open(r)
		d.conns = append(d.conns, c)
	}
	d.add(c, rec, r, tagged)
	return nil
}

// Summary keeps the connection's summary for the page.
func (d *htmlDoc) Summary(s *fsm.Summary) error {
	d.end(s)
	return nil
}

// Close writes the page.
func (d *htmlDoc) Close() error {
	d.page()
	return nil
}

// moreText says how many connections a page has no section for.
func moreText(lang Lang, m moreConns) string {
	return fmt.Sprintf(lang.text().Words.MoreConns, m.conns, m.packets, m.from, m.to)
}

// legendClasses are the arrow classes in the order of htmlWords.legend.
var legendClasses = [6]string{"hs", "data", "ack", "fin", "rst", "re"}

// ladderLayout is where one connection's packets go.
type ladderLayout struct {
	mode        ladderMode
	y           []int // y of each packet's departure
	arrive      []int // y of its arrival (a crossing segment arrives after the other left)
	timed       bool  // drawn to scale, with the times on the left
	marks       []rowMarks
	breakBefore []bool // a break in the timelines just above the packet
	height      int
	span        int // distance between the timelines
	xc, xs      int // the client's and the server's timelines
	width       int
}

// layout places a connection's packets (see the comment at the top).
func layoutLadder(c *docConn) *ladderLayout {
	l := &ladderLayout{mode: ladderNormal}
	if len(c.Rows) > lCompactAt {
		l.mode = ladderCompact
	}
	n := len(c.Rows)
	l.y = make([]int, n)
	l.breakBefore = make([]bool, n)
	// The gaps, and the longest one that is not a break: the scale. Times
	// that go back or jump by hours (a pasted trace) are not drawn to
	// scale: the packets are spaced evenly, and the caption says so.
	timed, _ := timeScale(c.Rows)
	l.timed = timed
	l.marks = markRows(c.Rows, timed)
	gaps := make([]int64, n)
	ref := int64(10_000) // 10 ms at least, so that µs gaps stay small
	if timed {
		for i := 1; i < n; i++ {
			g := c.Rows[i].Micros - c.Rows[i-1].Micros
			if g < 0 {
				g = 0 // a pasted trace whose times go back
			}
			gaps[i] = g
			if g < lBreakUs && g > ref {
				ref = g
			}
		}
	}
	y := lTop
	for i := range c.Rows {
		if i > 0 {
			need := l.mode.gap
			if !l.mode.compact && labelOf(&c.Rows[i-1]) != "" || l.mode.compact && stateChanged(&c.Rows[i-1]) {
				need = l.mode.keyGap
			}
			switch {
			case l.marks[i].cross == i-1 && gaps[i] < lBreakUs && !l.mode.compact:
				// the second of two crossing segments, one after the
				// other: it leaves while the first is half way
				y += l.mode.keyGap / 2
			case gaps[i] >= lBreakUs:
				l.breakBefore[i] = true
				y += need + lBreakH
			default:
				y += need + int(math.Round(l.mode.maxExtra*math.Sqrt(float64(gaps[i])/float64(ref))))
			}
			if c := l.marks[i-1].cross; c >= 0 && c == i-2 && !l.mode.compact {
				y += l.mode.keyGap / 2 // below the pair's arrivals
			}
		}
		l.y[i] = y
	}
	// Arrivals: a fixed slant, except that two crossing segments arrive
	// together, after both left.
	l.arrive = make([]int, n)
	for i := range l.y {
		l.arrive[i] = l.y[i] + l.mode.slant
		if j := l.marks[i].cross; j > i {
			l.arrive[i] = l.y[j] + l.mode.slant
			if j == i+1 && !l.mode.compact {
				l.arrive[i] = l.y[j] + l.mode.keyGap/2
			}
		} else if j >= 0 && j == i-1 && !l.mode.compact {
			l.arrive[i] = l.y[i] + l.mode.keyGap/2
		}
	}
	l.height = y + l.mode.slant + lBottom
	for _, a := range l.arrive {
		l.height = max(l.height, a+lBottom)
	}
	if l.mode.compact {
		l.span = lSpanMin
	} else {
		widest := 0
		for i := range c.Rows {
			if w := labelWidth(arrowText(&c.Rows[i])); w > widest {
				widest = w
			}
			if w := labelWidth(labelOf(&c.Rows[i])); w > widest {
				widest = w
			}
		}
		l.span = min(max(widest+48, lSpanMin), lSpanMax)
	}
	l.xc = lxState + lStateW + 8
	l.xs = l.xc + l.span
	l.width = l.xs + 8 + lStateW
	// The addresses head the timelines (12 px monospace); make room for
	// long ones.
	if w := textWidth(c.Server)*15/4 + 8; l.xs+w > l.width {
		l.width = l.xs + w
	}
	return l
}

// labelWidth estimates how wide a label is drawn at the arrows' font size.
func labelWidth(s string) int { return int(float64(textWidth(s)) * 6.3) }

// arrowText is what an arrow says: its number, flags and numbers.
func arrowText(r *docRow) string { return strconv.Itoa(r.N) + "  " + rowLabelShort(r) }

// ladder writes one connection's SVG.
func (d *htmlDoc) ladder(c *docConn) {
	lw := &d.o.Lang.text().Words
	l := layoutLadder(c)
	m := l.mode
	w := d.w
	itoa := strconv.Itoa
	cls := "ladder-svg"
	if m.compact {
		cls += " compact"
	}
	w.WriteString("<svg class=\"" + cls + "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + itoa(l.width) + "\" height=\"" + itoa(l.height) +
		"\" viewBox=\"0 0 " + itoa(l.width) + " " + itoa(l.height) + "\" role=\"img\" aria-label=\"" + escHTML(c.Client+" ⇄ "+c.Server) + "\">\n")
	// Timeline heads and lines.
	top := lTop - 40
	for _, e := range [2]struct {
		x    int
		addr string
		role fsm.Role
	}{{l.xc, c.Client, fsm.Client}, {l.xs, c.Server, fsm.Server}} {
		w.WriteString("<text class=\"who\" x=\"" + itoa(e.x) + "\" y=\"" + itoa(top-14) + "\">" + escHTML(e.addr) + "</text>")
		w.WriteString("<text class=\"role\" x=\"" + itoa(e.x) + "\" y=\"" + itoa(top-2) + "\">" + escHTML(lw.Role[e.role]) + "</text>\n")
		w.WriteString("<line class=\"tl\" x1=\"" + itoa(e.x) + "\" y1=\"" + itoa(top+4) + "\" x2=\"" + itoa(e.x) + "\" y2=\"" + itoa(l.height-8) + "\"/>\n")
	}
	// The states before the first packet (CLOSED, LISTEN before a handshake).
	if len(c.Rows) > 0 {
		r := &c.Rows[0]
		d.stateLabel(l, fsm.Client, r.Before[fsm.Client], lTop-18, 0)
		d.stateLabel(l, fsm.Server, r.Before[fsm.Server], lTop-18, 0)
	}
	d.connectors(c, l)
	lastTime := -1000
	shown := [2]fsm.State{}
	if len(c.Rows) > 0 {
		shown = c.Rows[0].Before
	}
	lastState := [2]int{-1000, -1000}
	for i := range c.Rows {
		r := &c.Rows[i]
		mk := l.marks[i]
		y := l.y[i]
		if l.breakBefore[i] {
			yb := y - lBreakH/2 - m.gap/2
			if i > 0 {
				yb = (l.y[i-1] + m.slant + y) / 2
			}
			d.timeBreak(l, yb, r.Micros-c.Rows[i-1].Micros)
		}
		if l.timed && y-lastTime >= 13 {
			lastTime = y
			w.WriteString("<text class=\"t\" x=\"" + itoa(lxTime) + "\" y=\"" + itoa(y+4) + "\">" + relTime(r.Micros-c.Rows[0].Micros) + "</text>\n")
		}
		x1, x2 := l.xc, l.xs
		if r.From == fsm.Server {
			x1, x2 = l.xs, l.xc
		}
		y2 := l.arrive[i]
		rc := arrowClass(r)
		w.WriteString("<g class=\"arrow " + rc + "\" data-n=\"" + itoa(r.N) + "\" data-from=\"" + r.From.String() + "\"" + markAttrs(c.Rows, l.marks, i) + ">")
		w.WriteString("<title>" + escHTML(d.tooltip(c, l.marks, i)) + "</title>")
		dx, dy := float64(x2-x1), float64(y2-y)
		ln := math.Hypot(dx, dy)
		ux, uy := dx/ln, dy/ln
		hl := float64(lArrowHead)
		if m.compact {
			hl = 5
		}
		if mk.lost {
			// A segment that never arrived stops short, marked ×.
			xe, ye := lostEnd(x1, y, x2, y2)
			w.WriteString("<line x1=\"" + itoa(x1) + "\" y1=\"" + itoa(y) + "\" x2=\"" + ftoa(xe) + "\" y2=\"" + ftoa(ye) + "\"/>")
			xs := hl * 0.8
			w.WriteString("<path class=\"x\" d=\"M" + ftoa(xe-xs) + " " + ftoa(ye-xs) + "L" + ftoa(xe+xs) + " " + ftoa(ye+xs) +
				"M" + ftoa(xe-xs) + " " + ftoa(ye+xs) + "L" + ftoa(xe+xs) + " " + ftoa(ye-xs) + "\"/>")
		} else {
			// The line stops at the arrowhead's base.
			bx, by := float64(x2)-ux*hl, float64(y2)-uy*hl
			w.WriteString("<line x1=\"" + itoa(x1) + "\" y1=\"" + itoa(y) + "\" x2=\"" + ftoa(bx) + "\" y2=\"" + ftoa(by) + "\"/>")
			hw2 := hl * 0.45
			w.WriteString("<polygon points=\"" + itoa(x2) + "," + itoa(y2) + " " + ftoa(bx-uy*hw2) + "," + ftoa(by+ux*hw2) + " " + ftoa(bx+uy*hw2) + "," + ftoa(by-ux*hw2) + "\"/>")
		}
		if !m.compact {
			d.arrowText(l, r, mk, x1, x2, y, y2)
		}
		w.WriteString("</g>\n")
		// The states after the packet, where they changed, at the point
		// where the packet leaves or reaches each timeline.
		for _, role := range [2]fsm.Role{fsm.Client, fsm.Server} {
			s := r.Client
			if role == fsm.Server {
				s = r.Server
			}
			if s == shown[role] || s == fsm.StateNone {
				continue
			}
			ys := y
			if r.From != role {
				ys = y2
			}
			if j := mk.cross; j > i && r.From != role {
				continue // it arrives after the receiver's own crossing segment left: that one shows the state
			} else if j >= 0 && j < i && r.From == role {
				ys = l.arrive[j] // the sender's state once the crossing segment has arrived
			}
			if m.compact && ys-lastState[role] < 11 {
				continue // no room: the tooltip and the table say it
			}
			shown[role] = s
			lastState[role] = ys
			d.stateLabel(l, role, s, ys, r.N)
		}
	}
	w.WriteString("</svg>\n")
}

// lostEnd is where the arrow of a segment that never arrived stops: past
// the middle, well short of the receiver.
func lostEnd(x1, y1, x2, y2 int) (float64, float64) {
	const f = 0.62
	return float64(x1) + f*float64(x2-x1), float64(y1) + f*float64(y2-y1)
}

// arrowText writes an arrow's label and step. The label sits just above
// the arrow and the step just under it, clear of the line where the text
// ends, since the arrow slants. Two crossing arrows would put their texts
// on each other in the middle, so there each label goes beside its
// sender's timeline and each step beside its receiver's.
func (d *htmlDoc) arrowText(l *ladderLayout, r *docRow, mk rowMarks, x1, x2, y, y2 int) {
	w := d.w
	itoa := strconv.Itoa
	mid := (x1 + x2) / 2
	t := arrowText(r)
	attr := ""
	tw := labelWidth(t)
	if tw > l.span-16 {
		tw = l.span - 16
		attr = " textLength=\"" + itoa(tw) + "\" lengthAdjust=\"spacingAndGlyphs\""
	}
	k := labelOf(r)
	if dup := r.ev.dup; dup > 0 && k == "" {
		k = d.o.Lang.text().Words.Marks.DupAck
	}
	if st := sackText(r); st != "" {
		if k != "" {
			k += " · "
		}
		k += d.o.Lang.text().Words.Marks.SACK + " " + st
	}
	num := itoa(r.N)
	if mk.cross >= 0 {
		dir := 1
		if x2 < x1 {
			dir = -1
		}
		anchor, back := " a-start", " a-end"
		if dir < 0 {
			anchor, back = back, anchor
		}
		w.WriteString("<text class=\"lbl" + anchor + "\" x=\"" + itoa(x1+dir*10) + "\" y=\"" + itoa(y-5) + "\"" + attr + "><tspan class=\"n\">" + num + "</tspan>" +
			escHTML(t[len(num):]) + "</text>")
		if k != "" {
			w.WriteString("<text class=\"step" + back + "\" x=\"" + itoa(x2-dir*10) + "\" y=\"" + itoa(y2+13) + "\">" + escHTML(k) + "</text>")
		}
		return
	}
	ym := float64(y+y2) / 2
	drop := func(textW int) float64 { return float64(y2-y) * float64(textW) / 2 / float64(l.span) }
	w.WriteString("<text class=\"lbl\" x=\"" + itoa(mid) + "\" y=\"" + ftoa(math.Floor(ym-drop(tw)-4)) + "\"" + attr + "><tspan class=\"n\">" + num + "</tspan>" +
		escHTML(t[len(num):]) + "</text>")
	if k != "" {
		w.WriteString("<text class=\"step\" x=\"" + itoa(mid) + "\" y=\"" + ftoa(math.Ceil(ym+drop(labelWidth(k))+12)) + "\">" + escHTML(k) + "</text>")
	}
}

// connectors draws a thin line from each segment that never arrived to
// the packet that sends it again, under the arrows.
func (d *htmlDoc) connectors(c *docConn, l *ladderLayout) {
	for i, mk := range l.marks {
		j := mk.next
		if !mk.lost || j < 0 {
			continue
		}
		x1, x2 := l.xc, l.xs
		if c.Rows[i].From == fsm.Server {
			x1, x2 = l.xs, l.xc
		}
		xe, ye := lostEnd(x1, l.y[i], x2, l.arrive[i])
		// a gentle curve back to the sender's timeline, where the copy leaves
		cx, cy := (xe+float64(x1))/2, (ye+float64(l.y[j]))/2
		d.w.WriteString("<path class=\"link\" data-a=\"" + strconv.Itoa(c.Rows[i].N) + "\" data-b=\"" + strconv.Itoa(c.Rows[j].N) + "\" d=\"M" +
			ftoa(xe) + " " + ftoa(ye) + "Q" + ftoa(cx) + " " + ftoa(cy) + " " + strconv.Itoa(x1) + " " + strconv.Itoa(l.y[j]) + "\"/>\n")
	}
}

// arrowClass is an arrow's classes: its colour class, and "dup" for a
// duplicate ACK.
func arrowClass(r *docRow) string {
	cls := rowClass(r)
	if r.ev.dup > 0 && cls == "ack" {
		cls += " dup"
	}
	return cls
}

// markAttrs are the data attributes of an arrow's marks, for scripts and
// checks: data-lost (the reason), data-orig (the copy it resends),
// data-resent (the copy that resends it), data-crosses, data-dup (the
// duplicate ACK's number), data-sack (its first SACK block).
func markAttrs(rows []docRow, m []rowMarks, i int) string {
	k := m[i]
	var b strings.Builder
	if k.lost {
		b.WriteString(" data-lost=\"" + lostNames[k.why] + "\"")
	}
	if k.orig >= 0 {
		b.WriteString(" data-orig=\"" + strconv.Itoa(rows[k.orig].N) + "\"")
	}
	if k.next >= 0 {
		b.WriteString(" data-resent=\"" + strconv.Itoa(rows[k.next].N) + "\"")
	}
	if k.cross >= 0 {
		b.WriteString(" data-crosses=\"" + strconv.Itoa(rows[k.cross].N) + "\"")
	}
	if rows[i].ev.dup > 0 {
		b.WriteString(" data-dup=\"" + strconv.Itoa(rows[i].ev.dup) + "\"")
	}
	if st := sackText(&rows[i]); st != "" {
		b.WriteString(" data-sack=\"" + escHTML(st) + "\"")
	}
	return b.String()
}

// lostNames name the reasons in data-lost.
var lostNames = [numLostReasons]string{"no_answer", "synack_resent", "dup_acks", "still_asked"}

// markLegend writes the legend of the marks the page uses: ×, the
// connector, the crossing, the duplicate ACK and the SACK range.
func (d *htmlDoc) markLegend() {
	var used [5]bool
	for _, c := range d.conns {
		timed, _ := timeScale(c.Rows)
		for i, k := range markRows(c.Rows, timed) {
			used[0] = used[0] || k.lost
			used[1] = used[1] || k.lost && k.next >= 0
			used[2] = used[2] || k.cross >= 0
			used[3] = used[3] || c.Rows[i].ev.dup > 0
			used[4] = used[4] || c.Rows[i].ev.sackN > 0
		}
	}
	mw := &d.o.Lang.text().Words.Marks
	icons := [5]string{
		`<line x1="1" y1="5" x2="15" y2="5"/><path class="x" d="M12 2L18 8M12 8L18 2"/>`,
		`<path class="link" d="M1 2Q13 9 25 8"/>`,
		`<line x1="1" y1="1" x2="25" y2="9"/><line x1="25" y1="1" x2="1" y2="9"/>`,
		`<line x1="1" y1="5" x2="25" y2="5"/>`,
		`<text x="1" y="9">{l:r}</text>`,
	}
	cls := [5]string{"lost", "resent", "crossing", "dup", "sack"}
	for i := range icons {
		if !used[i] {
			continue
		}
		d.w.WriteString("<span class=\"key " + cls[i] + "\"><svg width=\"26\" height=\"10\" aria-hidden=\"true\">" + icons[i] + "</svg>" + escHTML(mw.Legend[i]) + "</span> ")
	}
}

// docTitle is a document's title: --title, or the language's.
func docTitle(o Options) string {
	if o.Title != "" {
		return o.Title
	}
	return o.Lang.text().Words.Title
}

// stateLabel writes a state beside a timeline at height y: the state
// after packet n (0: before the first), which step-through fades with the
// packet while it is still to come (stepper.js).
func (d *htmlDoc) stateLabel(l *ladderLayout, role fsm.Role, s fsm.State, y, n int) {
	if s == fsm.StateNone {
		return
	}
	x, anchor := l.xc-8, "end"
	if role == fsm.Server {
		x, anchor = l.xs+8, "start"
	}
	d.w.WriteString("<text class=\"st st-" + strings.ToLower(s.String()) + "\"")
	if n > 0 {
		d.w.WriteString(" data-n=\"" + strconv.Itoa(n) + "\"")
	}
	d.w.WriteString(" x=\"" + strconv.Itoa(x) + "\" y=\"" + strconv.Itoa(y+4) +
		"\" text-anchor=\"" + anchor + "\">" + s.String() + "</text>\n")
}

// timeBreak draws a break across both timelines at height y, labelled
// with the time left out.
func (d *htmlDoc) timeBreak(l *ladderLayout, y int, us int64) {
	hw := &d.o.Lang.text().Words
	itoa := strconv.Itoa
	w := d.w
	w.WriteString("<g class=\"brk\">")
	for _, x := range [2]int{l.xc, l.xs} {
		w.WriteString("<rect x=\"" + itoa(x-9) + "\" y=\"" + itoa(y-5) + "\" width=\"18\" height=\"10\"/>")
		w.WriteString("<path d=\"M" + itoa(x-8) + " " + itoa(y-1) + "l16 -6M" + itoa(x-8) + " " + itoa(y+6) + "l16 -6\"/>")
	}
	w.WriteString("<text x=\"" + itoa((l.xc+l.xs)/2) + "\" y=\"" + itoa(y+4) + "\">" +
		escHTML(strings.Replace(hw.Idle, "%s", string(d.o.Lang.text().dur(nil, us)), 1)) + "</text></g>\n")
}

// tooltip is an arrow's <title>: number, time, direction, the packet and
// its full explanation.
func (d *htmlDoc) tooltip(c *docConn, m []rowMarks, i int) string {
	h := &d.o.Lang.text().Words
	r := &c.Rows[i]
	var b strings.Builder
	b.WriteString(strconv.Itoa(r.N))
	if r.Time != "" {
		b.WriteString(" · " + r.Time)
	}
	b.WriteString(" · " + h.Direction[r.From] + "\n" + rowLabel(r))
	for _, p := range markPhrases(d.o.Lang, c.Rows, m, i, false) {
		b.WriteString("\n" + p)
	}
	if n := d.fullNote(r); n != "" {
		b.WriteString("\n" + n)
	}
	return b.String()
}

// fullNote is a packet's explanation and state changes, as in Markdown.
func (d *htmlDoc) fullNote(r *docRow) string {
	note := r.Note
	if r.States != "" {
		if note != "" {
			note += d.o.Lang.text().Words.StateSep
		}
		note += r.States
	}
	return note
}

// noteTable writes the table of explanations beside a ladder.
func (d *htmlDoc) noteTable(c *docConn) {
	hw := &d.o.Lang.text().Words
	h := &d.o.Lang.text().Words
	lw := &d.o.Lang.text().Words
	w := d.w
	w.WriteString("<table>\n<thead><tr><th>#</th><th>" + escHTML(hw.Time+" · "+hw.Packet) + "</th><th>" + escHTML(hw.Explain) + "</th></tr></thead>\n<tbody>\n")
	timed, _ := timeScale(c.Rows)
	marks := markRows(c.Rows, timed)
	for i := range c.Rows {
		r := &c.Rows[i]
		dir := dirArrow(r)
		w.WriteString("<tr class=\"" + arrowClass(r) + "\" data-n=\"" + strconv.Itoa(r.N) + "\"" + rowStepAttrs(r) + "><td class=\"num\">" + strconv.Itoa(r.N) + "</td><td class=\"pkt\">")
		if r.Time != "" {
			w.WriteString("<span class=\"time\">" + escHTML(r.Time) + "</span><br/>")
		}
		w.WriteString("<span class=\"dir\" title=\"" + escHTML(h.Direction[r.From]) + "\">" + dir + "</span> " + escHTML(rowLabel(r)) + "</td><td>")
		if ps := markPhrases(d.o.Lang, c.Rows, marks, i, false); len(ps) > 0 {
			w.WriteString("<span class=\"mark\">" + escHTML(strings.Join(ps, lw.Sep)) + "</span>")
			if r.Note != "" {
				w.WriteString(escHTML(lw.Sep))
			}
		}
		w.WriteString(escHTML(r.Note))
		if r.States != "" {
			if r.Note != "" {
				w.WriteString(escHTML(lw.StateSep))
			}
			w.WriteString("<span class=\"stc\">" + escHTML(r.States) + "</span>")
		}
		w.WriteString("</td></tr>\n")
	}
	w.WriteString("</tbody>\n</table>\n")
}

// relTime writes a time since the first packet in seconds: 0.000042.
func relTime(us int64) string {
	neg := us < 0
	if neg {
		us = -us
	}
	s := strconv.FormatInt(us/1e6, 10) + "." + strconv.FormatInt(1e6+us%1e6, 10)[1:]
	if neg {
		s = "−" + s
	}
	return s
}

func ftoa(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// plural fills in a count: forms[0] for one, forms[1] otherwise.
func plural(forms [2]string, n int) string {
	f := forms[1]
	if n == 1 {
		f = forms[0]
	}
	return strings.Replace(f, "%d", strconv.Itoa(n), 1)
}

// escHTML makes text safe in HTML text and in double-quoted attributes,
// in SVG too: & < > " ' become references, invalid UTF-8 becomes U+FFFD,
// control characters other than newline and tab become spaces.
func escHTML(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == utf8.RuneError && n == 1:
			b.WriteRune(unicode.ReplacementChar)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The page's style and script are files of their own, so they can be read
// and checked as CSS and JavaScript.
var (
	//go:embed ladder.css
	htmlCSS string
	//go:embed ladder.js
	htmlJS string
)
