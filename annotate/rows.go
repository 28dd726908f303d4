package annotate

import (
	"strconv"
	"strings"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
	"golang.org/x/text/width"
)

// A document's rows: one packet each, and what the diagrams write about it.

// docRow is one packet of a connection, ready to be drawn.
type docRow struct {
	N        int // 1-based within the connection
	Line     int // input line
	Time     string
	Micros   int64
	HasTime  bool
	From     fsm.Role
	Flags    string // as printed, e.g. "S." or "P"
	Seq, Ack string // as printed ("" when absent)
	SeqAbs   string // absolute, when it differs from the printed one
	AckAbs   string
	Len      uint32
	Note     string // the default note, without state changes
	States   string // the state changes, "" when none
	Client   fsm.State
	Server   fsm.State
	Codes    []fsm.Code
	Key      fsm.Code      // the event that names the packet (handshake step, close step, RST …)
	KeyNote  string        // the wording of Key alone ("" when Key is none): a diagram's note
	Step     string        // the step label of Key in the language: what an arrow says
	Bits     grammar.Flags // the flags as parsed (Flags is their text as printed)
	Before   [2]fsm.State  // the client's and the server's states before the packet
	Win      uint32        // the window as printed, when HasWin
	HasWin   bool
	Quiet    bool // tcpdump -q: no flags, numbers or window, only a length

	ev rowEvidence // what its events say for the marks (marks.go)
	// Path is each endpoint's state changes in the packet (edges,
	// inferences, corrections), for the HTML page's state diagram.
	Path [2]fsm.Path
}

// retransmitted reports whether a packet is a copy of one sent before.
func retransmitted(r *docRow) bool {
	for _, c := range r.Codes {
		switch c {
		case fsm.Retransmission, fsm.FastRetransmission, fsm.SpuriousRetransmission,
			fsm.HandshakeSYNRetransmit, fsm.HandshakeSYNACKRetransmit:
			return true
		}
	}
	return false
}

// rowFlags returns a packet's flags as tcpdump printed them. When the
// printed text is not known it writes them the way tcpdump 4.x does (S, F,
// R, P, ., U, E, W, e; "none").
func rowFlags(r *docRow) string {
	if r.Flags != "" {
		return r.Flags
	}
	var b []byte
	for _, f := range [...]struct {
		bit grammar.Flags
		c   byte
	}{{grammar.FIN, 'F'}, {grammar.SYN, 'S'}, {grammar.RST, 'R'}, {grammar.PSH, 'P'}, {grammar.ACK, '.'},
		{grammar.URG, 'U'}, {grammar.ECE, 'E'}, {grammar.CWR, 'W'}, {grammar.AE, 'e'}} {
		if r.Bits&f.bit != 0 {
			b = append(b, f.c)
		}
	}
	if len(b) == 0 {
		return "none"
	}
	return string(b)
}

// rowLabel is the one-line label of a packet's arrow: `[S.] seq 1, ack 2,
// len 3`, with the absolute numbers in parentheses where tcpdump printed
// relative ones, and `win 0` when the window is zero. Not escaped.
func rowLabel(r *docRow) string {
	if r.Quiet {
		return "tcp " + strconv.FormatUint(uint64(r.Len), 10)
	}
	f := rowFlags(r)
	b := make([]byte, 0, 64)
	b = append(b, '[')
	b = append(b, f...)
	b = append(b, ']')
	sep := " "
	if r.Seq != "" {
		b = append(b, sep+"seq "+r.Seq...)
		if r.SeqAbs != "" {
			b = append(b, " ("+r.SeqAbs+")"...)
		}
		sep = ", "
	}
	if r.Ack != "" {
		b = append(b, sep+"ack "+r.Ack...)
		if r.AckAbs != "" {
			b = append(b, " ("+r.AckAbs+")"...)
		}
		sep = ", "
	}
	if r.HasWin && r.Win == 0 && r.Bits&grammar.RST == 0 { // a zero window is news; other windows are in the notes
		b = append(b, sep+"win 0"...)
		sep = ", "
	}
	if r.Len > 0 {
		b = append(b, sep+"len "...)
		b = strconv.AppendUint(b, uint64(r.Len), 10)
	}
	return string(b)
}

// runeWidth is the number of columns a rune takes: two for East Asian wide
// and full-width characters.
func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// textWidth is the number of columns a string takes.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// wrapText breaks text into lines of at most cols columns, at spaces or
// beside a wide (CJK) character, and keeps at most max lines: the last
// kept line ends with … when text was cut.
func wrapText(s string, cols, max int) []string {
	s = strings.Join(strings.Fields(s), " ")
	var lines []string
	rs := []rune(s)
	start := 0
	for start < len(rs) && len(lines) < max {
		w, brk, i := 0, -1, start
		for ; i < len(rs); i++ {
			rw := runeWidth(rs[i])
			if w+rw > cols {
				break
			}
			w += rw
			switch {
			case rs[i] == ' ':
				brk = i // break before the space
			case rw == 2 && i+1 < len(rs) && !closingPunct(rs[i+1]) && !openingPunct(rs[i]):
				brk = i + 1 // break after a wide character
			}
		}
		end := i
		if i < len(rs) && brk > start {
			end = brk
		}
		lines = append(lines, strings.TrimSpace(string(rs[start:end])))
		start = end
		for start < len(rs) && rs[start] == ' ' {
			start++
		}
	}
	if start < len(rs) && len(lines) > 0 {
		last := []rune(lines[len(lines)-1])
		for len(last) > 0 && textWidth(string(last))+1 > cols {
			last = last[:len(last)-1]
		}
		lines[len(lines)-1] = strings.TrimRight(string(last), " ,;，；：:") + "…"
	}
	return lines
}

// openingPunct reports whether a line must not end with r.
func openingPunct(r rune) bool { return strings.ContainsRune("（「『《“‘", r) }

// closingPunct reports whether a line must not start with r.
func closingPunct(r rune) bool {
	return strings.ContainsRune("，。；：、）」』》！？,.;:)]ーっゃゅょァィゥェォッャュョ", r)
}

// rowClass is the colour class of a packet's arrow and row.
func rowClass(r *docRow) string {
	switch {
	case r.Bits&grammar.RST != 0 || r.Key == fsm.RSTRefused || r.Key == fsm.RSTAbort:
		return "rst"
	case retransmitted(r):
		return "re"
	case r.Bits&grammar.SYN != 0:
		return "hs"
	case r.Bits&grammar.FIN != 0:
		return "fin"
	}
	switch r.Key {
	case fsm.HandshakeACK, fsm.HandshakeSYN, fsm.HandshakeSYNACK, fsm.HandshakeSimultaneousOpen:
		return "hs"
	case fsm.CloseFIN, fsm.CloseFINAck, fsm.ClosePassiveFIN, fsm.CloseFINMerged, fsm.CloseFinalAck, fsm.CloseSimultaneous:
		return "fin"
	}
	if r.Len > 0 {
		return "data"
	}
	return "ack"
}

// stateChanged reports whether a packet changed either endpoint's state.
func stateChanged(r *docRow) bool {
	return r.Client != r.Before[fsm.Client] || r.Server != r.Before[fsm.Server]
}

// rowLabelShort is rowLabel without the absolute numbers (those are in the
// tooltip and the table).
func rowLabelShort(r *docRow) string {
	if r.SeqAbs == "" && r.AckAbs == "" {
		return rowLabel(r)
	}
	s := *r
	s.SeqAbs, s.AckAbs = "", ""
	return rowLabel(&s)
}

// labelOf is the step a packet is, in a few words ("1st handshake
// (SYN)"): its key event's step label, or "" when it has none.
func labelOf(r *docRow) string { return r.Step }

// parseU32 reads a number as tcpdump printed it.
func parseU32(s string) (uint32, bool) {
	v, err := strconv.ParseUint(s, 10, 32)
	return uint32(v), err == nil
}

func u32(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

func itoa(n int) string { return strconv.Itoa(n) }

// dirArrow is the direction of a row's packet as the tables show it: →
// from the client, ← from the server.
func dirArrow(r *docRow) string {
	if r.From == fsm.Server {
		return "←"
	}
	return "→"
}
