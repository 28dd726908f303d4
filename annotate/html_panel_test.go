package annotate

import (
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
)

// TestDiagramEdges checks the state diagram against fsm's table: every
// edge tcpnote can take is drawn exactly once, and every edge drawn is one
// of fsm's, except LISTEN → CLOSED (a CLOSE in LISTEN, which no trace
// shows: the figure has it, tcpnote never takes it).
func TestDiagramEdges(t *testing.T) {
	drawn := map[[2]fsm.State]int{}
	for i, e := range diagEdges {
		drawn[[2]fsm.State{e.from, e.to}]++
		if !fsm.IsEdge(e.from, e.to) && (e.from != fsm.Listen || e.to != fsm.Closed) {
			t.Errorf("edge %d %s → %s is drawn but is no edge of fsm's", i, e.from, e.to)
		}
		if len(e.pts) < 2 {
			t.Errorf("edge %d %s → %s has %d points", i, e.from, e.to, len(e.pts))
		}
		for j := 1; j < len(e.pts); j++ {
			if a, b := e.pts[j-1], e.pts[j]; a[0] != b[0] && a[1] != b[1] || a == b {
				t.Errorf("edge %d %s → %s: segment %v–%v is not axis-parallel", i, e.from, e.to, a, b)
			}
		}
		// the arrowhead ends on a box of the state it goes to
		end, ok := e.pts[len(e.pts)-1], false
		for _, n := range diagNodes {
			if n.state == e.to && abs(end[0]-n.x) <= diagBoxW/2 && abs(end[1]-n.y) <= diagBoxH/2 &&
				(abs(end[0]-n.x) == diagBoxW/2 || abs(end[1]-n.y) == diagBoxH/2) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("edge %d %s → %s ends at %v, not on a box of %s", i, e.from, e.to, end, e.to)
		}
	}
	for from := fsm.Unknown; from <= fsm.TimeWait; from++ {
		for to := fsm.Unknown; to <= fsm.TimeWait; to++ {
			n := drawn[[2]fsm.State{from, to}]
			if fsm.IsEdge(from, to) && n != 1 {
				t.Errorf("fsm's edge %s → %s is drawn %d times", from, to, n)
			}
			if n > 1 {
				t.Errorf("%s → %s is drawn %d times", from, to, n)
			}
		}
	}
	for s := fsm.Closed; s <= fsm.TimeWait; s++ {
		found := false
		for _, n := range diagNodes {
			found = found || n.state == s
		}
		if !found {
			t.Errorf("no box for %s", s)
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// TestStepperWords checks every language words the panel: every field and
// every edge label, in the language's own script.
func TestStepperWords(t *testing.T) {
	for _, lang := range Langs() {
		sw := lang.text().Words.Stepper
		texts := append([]string{sw.Heading, sw.Start, sw.Exit, sw.First, sw.Prev, sw.Next, sw.Last, sw.Keys, sw.Position,
			sw.NoChange, sw.Idle, sw.Notes}, sw.Legend[:]...)
		for i, e := range sw.Edges {
			if e == "" {
				t.Errorf("%s: edge %d (%s → %s) has no label", lang, i, diagEdges[i].from, diagEdges[i].to)
			}
			texts = append(texts, e)
		}
		for _, s := range texts {
			if s == "" {
				t.Errorf("%s: an empty stepper word", lang)
			}
			if lang != English && !hasCJK(s) && s != "2MSL" {
				t.Errorf("%s: %q is not translated", lang, s)
			}
		}
		for _, v := range []string{"%[1]d", "%[2]d", "%[3]d"} {
			if !strings.Contains(sw.Position, v) {
				t.Errorf("%s: Position %q lacks %s", lang, sw.Position, v)
			}
		}
	}
}

// TestRowStepAttrs checks a row's data attributes: the states and each
// endpoint's path, edges apart from inferences and corrections.
func TestRowStepAttrs(t *testing.T) {
	r := &docRow{Before: [2]fsm.State{fsm.CloseWait, fsm.FinWait1}, Client: fsm.Closing, Server: fsm.Closing}
	r.Path[fsm.Client] = fsm.Path{N: 3, Steps: [4]fsm.Step{{To: fsm.Established, How: fsm.HowCorrected, Why: fsm.WhyFINCrossed},
		{To: fsm.FinWait1, How: fsm.HowEdge}, {To: fsm.Closing, How: fsm.HowEdge}}}
	r.Path[fsm.Server] = fsm.Path{N: 1, Steps: [4]fsm.Step{{To: fsm.Closing, How: fsm.HowEdge}}}
	want := ` data-before="CLOSE_WAIT FIN_WAIT_1" data-after="CLOSING CLOSING" data-pc="c:ESTABLISHED e:FIN_WAIT_1 e:CLOSING" data-ps="e:CLOSING"`
	if got := rowStepAttrs(r); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	r = &docRow{Before: [2]fsm.State{fsm.SynSent, fsm.Unknown}, Client: fsm.Established, Server: fsm.SynRcvd}
	r.Path[fsm.Server] = fsm.Path{N: 2, Steps: [4]fsm.Step{{To: fsm.Listen, How: fsm.HowInferred, Why: fsm.WhyAnswersSYN}, {To: fsm.SynRcvd, How: fsm.HowEdge}}}
	r.Path[fsm.Client] = fsm.Path{N: 1, Steps: [4]fsm.Step{{To: fsm.Established, How: fsm.HowEdge}}}
	want = ` data-before="SYN_SENT UNKNOWN" data-after="ESTABLISHED SYN_RCVD" data-pc="e:ESTABLISHED" data-ps="i:LISTEN e:SYN_RCVD"`
	if got := rowStepAttrs(r); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
