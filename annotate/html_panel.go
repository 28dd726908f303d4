package annotate

// The HTML page's classroom panel: step-through controls, both endpoints'
// states shown large, and RFC 9293's state diagram (section 3.3.2,
// Figure 5) drawn in SVG from coordinates laid out here once by hand.
//
// The panel is one <aside id="stepper"> per page; stepper.js moves it
// from connection to connection. What it needs of each packet is in data
// attributes on the packet's table row (rowStepAttrs): the states before
// and after, and each endpoint's path through the packet, every step
// marked as an edge of the diagram, an inference or a correction.
// Only edges light an edge of the diagram: an inference (an endpoint the
// trace had not shown yet) or a correction (a state put back) is no
// transition of TCP's, so the state it lands on gets a dashed outline
// instead, and no edge is drawn for it.
//
// The diagram has an element per edge, <g class="edge" data-from="X"
// data-to="Y">, with X and Y named as tcpnote names states (netstat's
// SYN_SENT); the boxes are labelled with RFC 9293's names (SYN-SENT,
// SYN-RECEIVED). Besides the figure's edges it has the ones tcpnote also
// takes: FIN-WAIT-1 to TIME-WAIT when a FIN arrives with the ACK of one's
// own (the figure's note 2), and a RST (or an abort) taking a state to
// CLOSED (note 3: "not explicitly shown"), drawn faint until lit.

import (
	_ "embed"
	"strconv"
	"strings"

	"github.com/tcpnote/tcpnote/fsm"
)

// StepperWords are the page words of the step-through panel and the state
// diagram. State names are not translated (they are RFC 9293's).
type StepperWords struct {
	Heading string // the state diagram's heading
	Start   string // the button that starts stepping
	Exit    string // the button that leaves step-through
	// First, Prev, Next, Last name the step buttons (their tooltips and
	// aria-labels; the buttons show arrows).
	First, Prev, Next, Last string
	// Keys says which keys step.
	Keys string
	// Position says where the step is: %[1]d packet, %[2]d packets,
	// %[3]d connection.
	Position string
	// NoChange is said when a packet changes no state; Idle before the
	// first step.
	NoChange, Idle string
	// Legend explains the diagram's colours and dashed boxes.
	Legend [3]string // the client's path, the server's path, inferred or corrected
	// Edges label the diagram's edges, "event / action", in the order of
	// diagEdges.
	Edges [numDiagEdges]string
	// Notes explain the edges that are not drawn in the figure itself.
	Notes string
}

// The diagram's boxes: the state and its centre. CLOSED is drawn twice, as
// in the figure: at the top, where a connection starts, and at the
// bottom right, where it ends.
type diagNode struct {
	state fsm.State
	label string // RFC 9293's name
	x, y  int
}

const (
	diagW, diagH = 600, 624
	diagBoxW     = 120
	diagBoxH     = 28
)

var diagNodes = [...]diagNode{
	{fsm.Closed, "CLOSED", 300, 24},
	{fsm.Listen, "LISTEN", 300, 104},
	{fsm.SynRcvd, "SYN-RECEIVED", 80, 190},
	{fsm.SynSent, "SYN-SENT", 520, 190},
	{fsm.Established, "ESTABLISHED", 300, 276},
	{fsm.FinWait1, "FIN-WAIT-1", 80, 366},
	{fsm.CloseWait, "CLOSE-WAIT", 520, 366},
	{fsm.FinWait2, "FIN-WAIT-2", 80, 470},
	{fsm.Closing, "CLOSING", 300, 470},
	{fsm.LastAck, "LAST-ACK", 520, 470},
	{fsm.TimeWait, "TIME-WAIT", 300, 576},
	{fsm.Closed, "CLOSED", 520, 576},
}

// diagEdge is one edge: the states it joins, the corners of its line
// (axis-parallel segments; the arrowhead is at the last point), where its
// label goes and how it is anchored, and whether the figure itself draws
// it (an edge it leaves out is drawn faint until it is lit).
type diagEdge struct {
	from, to fsm.State
	pts      [][2]int
	lx, ly   int
	anchor   string
	hidden   bool
}

// The edges, in the order of StepperWords.Edges.
const (
	edPassiveOpen = iota
	edListenClose
	edActiveOpen
	edSynSentClose
	edListenSend
	edListenRcvSyn
	edRcvRstListen
	edSimultaneousOpen
	edRcvAckOfSyn
	edRcvSynAck
	edSynRcvdClose
	edEstabClose
	edEstabRcvFin
	edFW1RcvAck
	edFW1RcvFin
	edFW1RcvFinAck
	edFW2RcvFin
	edClosingRcvAck
	edCloseWaitClose
	edLastAckRcvAck
	edTimeWait2MSL
	edRstSynRcvd
	edRstEstab
	edRstFW1
	edRstFW2
	edRstCloseWait
	edRstClosing
	numDiagEdges
)

var diagEdges = [numDiagEdges]diagEdge{
	edPassiveOpen:      {fsm.Closed, fsm.Listen, [][2]int{{290, 38}, {290, 90}}, 284, 68, "end", false},
	edListenClose:      {fsm.Listen, fsm.Closed, [][2]int{{310, 90}, {310, 38}}, 316, 68, "start", false},
	edActiveOpen:       {fsm.Closed, fsm.SynSent, [][2]int{{360, 18}, {550, 18}, {550, 176}}, 455, 13, "middle", false},
	edSynSentClose:     {fsm.SynSent, fsm.Closed, [][2]int{{500, 176}, {500, 30}, {360, 30}}, 494, 52, "end", false},
	edListenSend:       {fsm.Listen, fsm.SynSent, [][2]int{{360, 110}, {470, 110}, {470, 176}}, 415, 104, "middle", false},
	edListenRcvSyn:     {fsm.Listen, fsm.SynRcvd, [][2]int{{240, 110}, {100, 110}, {100, 176}}, 172, 124, "middle", false},
	edRcvRstListen:     {fsm.SynRcvd, fsm.Listen, [][2]int{{60, 176}, {60, 96}, {240, 96}}, 150, 90, "middle", false},
	edSimultaneousOpen: {fsm.SynSent, fsm.SynRcvd, [][2]int{{460, 190}, {140, 190}}, 300, 184, "middle", false},
	edRcvAckOfSyn:      {fsm.SynRcvd, fsm.Established, [][2]int{{120, 204}, {120, 270}, {240, 270}}, 126, 236, "start", false},
	edRcvSynAck:        {fsm.SynSent, fsm.Established, [][2]int{{480, 204}, {480, 270}, {360, 270}}, 474, 236, "end", false},
	edSynRcvdClose:     {fsm.SynRcvd, fsm.FinWait1, [][2]int{{40, 204}, {40, 352}}, 46, 318, "start", false},
	edEstabClose:       {fsm.Established, fsm.FinWait1, [][2]int{{260, 290}, {260, 360}, {140, 360}}, 200, 354, "middle", false},
	edEstabRcvFin:      {fsm.Established, fsm.CloseWait, [][2]int{{340, 290}, {340, 360}, {460, 360}}, 400, 354, "middle", false},
	edFW1RcvAck:        {fsm.FinWait1, fsm.FinWait2, [][2]int{{60, 380}, {60, 456}}, 66, 424, "start", false},
	edFW1RcvFin:        {fsm.FinWait1, fsm.Closing, [][2]int{{140, 372}, {290, 372}, {290, 456}}, 214, 388, "middle", false},
	edFW1RcvFinAck:     {fsm.FinWait1, fsm.TimeWait, [][2]int{{140, 378}, {196, 378}, {196, 570}, {240, 570}}, 202, 514, "start", false},
	edFW2RcvFin:        {fsm.FinWait2, fsm.TimeWait, [][2]int{{80, 484}, {80, 582}, {240, 582}}, 86, 530, "start", false},
	edClosingRcvAck:    {fsm.Closing, fsm.TimeWait, [][2]int{{300, 484}, {300, 562}}, 306, 528, "start", false},
	edCloseWaitClose:   {fsm.CloseWait, fsm.LastAck, [][2]int{{520, 380}, {520, 456}}, 514, 422, "end", false},
	edLastAckRcvAck:    {fsm.LastAck, fsm.Closed, [][2]int{{520, 484}, {520, 562}}, 514, 528, "end", false},
	edTimeWait2MSL:     {fsm.TimeWait, fsm.Closed, [][2]int{{360, 576}, {460, 576}}, 410, 570, "middle", false},
	// RST or abort to CLOSED (note 3): along the margins to the lower CLOSED.
	edRstSynRcvd:   {fsm.SynRcvd, fsm.Closed, [][2]int{{20, 196}, {8, 196}, {8, 610}, {514, 610}, {514, 590}}, 0, 0, "", true},
	edRstEstab:     {fsm.Established, fsm.Closed, [][2]int{{360, 282}, {592, 282}, {592, 582}, {580, 582}}, 0, 0, "", true},
	edRstFW1:       {fsm.FinWait1, fsm.Closed, [][2]int{{20, 372}, {8, 372}, {8, 610}, {514, 610}, {514, 590}}, 0, 0, "", true},
	edRstFW2:       {fsm.FinWait2, fsm.Closed, [][2]int{{20, 476}, {8, 476}, {8, 610}, {514, 610}, {514, 590}}, 0, 0, "", true},
	edRstCloseWait: {fsm.CloseWait, fsm.Closed, [][2]int{{580, 372}, {592, 372}, {592, 582}, {580, 582}}, 0, 0, "", true},
	edRstClosing:   {fsm.Closing, fsm.Closed, [][2]int{{360, 478}, {440, 478}, {440, 610}, {514, 610}, {514, 590}}, 0, 0, "", true},
}

// stepPanel writes the panel: controls, the states, the diagram.
func (d *htmlDoc) stepPanel() {
	sw := &d.o.Lang.text().Words.Stepper
	lw := &d.o.Lang.text().Words
	w := d.w
	w.WriteString("<aside id=\"stepper\" class=\"stepper\" data-pos=\"" + escHTML(sw.Position) + "\" data-nochange=\"" + escHTML(sw.NoChange) +
		"\" data-idle=\"" + escHTML(sw.Idle) + "\" data-unknown=\"" + escHTML(lw.States.Unknown) + "\">\n")
	w.WriteString("<div class=\"controls\">")
	for _, b := range [...]struct{ go_, sym, name string }{
		{"first", "⇤", sw.First}, {"prev", "◀", sw.Prev}, {"next", "▶", sw.Next}, {"last", "⇥", sw.Last},
	} {
		w.WriteString("<button type=\"button\" data-go=\"" + b.go_ + "\" title=\"" + escHTML(b.name) + "\" aria-label=\"" + escHTML(b.name) + "\">" + b.sym + "</button>")
	}
	w.WriteString("<button type=\"button\" class=\"start\" data-go=\"start\">" + escHTML(sw.Start) + "</button>")
	w.WriteString("<button type=\"button\" class=\"exit\" data-go=\"exit\">" + escHTML(sw.Exit) + "</button>")
	w.WriteString("</div>\n<p class=\"pos\" aria-live=\"polite\">" + escHTML(sw.Idle) + "</p>\n<p class=\"keys\">" + escHTML(sw.Keys) + "</p>\n")
	w.WriteString("<div class=\"states\">")
	for _, role := range [2]fsm.Role{fsm.Client, fsm.Server} {
		c := role.String()[:1]
		w.WriteString("<div class=\"big " + c + "\"><span class=\"who\">" + escHTML(lw.Role[role]) + "</span><span class=\"now\">–</span><span class=\"was\"></span></div>")
	}
	w.WriteString("</div>\n<p class=\"pnote\"></p>\n")
	w.WriteString("<h2 class=\"fsm-h\">" + escHTML(sw.Heading) + "</h2>\n")
	d.stateDiagram(sw)
	w.WriteString("<p class=\"fsm-legend\"><span class=\"key c\">" + escHTML(sw.Legend[0]) + "</span> <span class=\"key s\">" + escHTML(sw.Legend[1]) +
		"</span> <span class=\"key j\">" + escHTML(sw.Legend[2]) + "</span></p>\n")
	w.WriteString("<p class=\"fsm-notes\">" + escHTML(sw.Notes) + "</p>\n</aside>\n")
}

// stateDiagram writes RFC 9293's state diagram.
func (d *htmlDoc) stateDiagram(sw *StepperWords) {
	w := d.w
	itoa := strconv.Itoa
	w.WriteString("<svg class=\"fsm\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + itoa(diagW) + " " + itoa(diagH) + "\" role=\"img\" aria-label=\"" + escHTML(sw.Heading) + "\">\n")
	for i := range diagEdges {
		e := &diagEdges[i]
		cls := "edge"
		if e.hidden {
			cls += " note3"
		}
		w.WriteString("<g class=\"" + cls + "\" data-from=\"" + e.from.String() + "\" data-to=\"" + e.to.String() + "\">")
		w.WriteString("<title>" + escHTML(e.from.String()+" → "+e.to.String()+": "+strings.ReplaceAll(sw.Edges[i], "\n", " ")) + "</title>")
		var p strings.Builder
		for j, pt := range e.pts {
			if j == 0 {
				p.WriteString("M")
			} else {
				p.WriteString(" L")
			}
			p.WriteString(itoa(pt[0]) + " " + itoa(pt[1]))
		}
		w.WriteString("<path class=\"ln\" d=\"" + p.String() + "\"/><path class=\"both\" d=\"" + p.String() + "\"/>")
		w.WriteString("<polygon points=\"" + arrowHead(e.pts[len(e.pts)-2], e.pts[len(e.pts)-1]) + "\"/>")
		if e.anchor != "" {
			for k, line := range strings.Split(sw.Edges[i], "\n") {
				w.WriteString("<text x=\"" + itoa(e.lx) + "\" y=\"" + itoa(e.ly+k*11) + "\" text-anchor=\"" + e.anchor + "\">" + escHTML(line) + "</text>")
			}
		}
		w.WriteString("</g>\n")
	}
	for _, n := range diagNodes {
		w.WriteString("<g class=\"node\" data-state=\"" + n.state.String() + "\"><rect x=\"" + itoa(n.x-diagBoxW/2) + "\" y=\"" + itoa(n.y-diagBoxH/2) +
			"\" width=\"" + itoa(diagBoxW) + "\" height=\"" + itoa(diagBoxH) + "\" rx=\"5\"/><text x=\"" + itoa(n.x) + "\" y=\"" + itoa(n.y+4) + "\">" + n.label + "</text></g>\n")
	}
	w.WriteString("</svg>\n")
}

// arrowHead is the points of an arrowhead at b on a line from a to b
// (axis-parallel).
func arrowHead(a, b [2]int) string {
	dx, dy := sign(b[0]-a[0]), sign(b[1]-a[1])
	const l, h = 7, 4
	bx, by := b[0]-dx*l, b[1]-dy*l
	pt := func(x, y int) string { return strconv.Itoa(x) + "," + strconv.Itoa(y) }
	return pt(b[0], b[1]) + " " + pt(bx-dy*h, by+dx*h) + " " + pt(bx+dy*h, by-dx*h)
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// stepHow are the letters of the path attributes: e an edge, i an
// inference, c a correction.
var stepHow = [...]string{fsm.HowEdge: "e", fsm.HowInferred: "i", fsm.HowCorrected: "c"}

// rowStepAttrs are a table row's data attributes for the panel:
// data-before and data-after (the client's state, a space, the server's),
// data-pc and data-ps (each endpoint's steps: how:STATE, space-separated).
func rowStepAttrs(r *docRow) string {
	var b strings.Builder
	b.WriteString(" data-before=\"" + r.Before[fsm.Client].String() + " " + r.Before[fsm.Server].String() + "\"")
	b.WriteString(" data-after=\"" + r.Client.String() + " " + r.Server.String() + "\"")
	for role, attr := range [2]string{" data-pc=\"", " data-ps=\""} {
		p := &r.Path[role]
		if p.N == 0 {
			continue
		}
		b.WriteString(attr)
		for i := 0; i < int(p.N); i++ {
			s := p.Steps[i]
			if i > 0 {
				b.WriteByte(' ')
			}
			h := "e"
			if int(s.How) < len(stepHow) && stepHow[s.How] != "" {
				h = stepHow[s.How]
			}
			b.WriteString(h + ":" + s.To.String())
		}
		b.WriteByte('"')
	}
	return b.String()
}

// The panel's style and script, and the print style.
var (
	//go:embed stepper.css
	stepperCSS string
	//go:embed print.css
	printCSS string
	//go:embed stepper.js
	stepperJS string
)
