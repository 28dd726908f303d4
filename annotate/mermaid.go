package annotate

// Mermaid output (--format mermaid).
//
// Each connection becomes one Mermaid sequenceDiagram: the client and the
// server are participants named by address:port, every packet is one
// numbered arrow (autonumber, so arrow N is the connection's packet N),
// labelled with its flags and numbers as tcpdump printed them, the
// absolute numbers in parentheses where they differ, and `win 0` when the
// window is zero. A packet that names a step (handshake, close, RST,
// retransmission …: docRow.Key) or carries a mark (marks.go: never
// arrived, resent, crossing) gets one note over both lifelines with the
// marks and the step's sentence, wrapped and shortened. The states that
// changed are a second line of the arrow's label ("client ESTABLISHED,
// server SYN_RCVD"): plain text, not a note, so they do not read as the
// explanations and cost no row of their own (the states before the first
// packet are one note). A gap of a second or more between packets
// is a note of its own ("⋯ 2.0 s ⋯"), unless the times go back or jump by
// hours (then the title says so). Arrows: ->> for a packet, -->> (dotted)
// for a retransmitted one, -x (--x) for a segment that never arrived, -)
// for a RST; two crossing segments one after the other are a par block.
//
// One connection gives a plain diagram, ready for a .mmd file, mermaid-cli
// or the Mermaid live editor, which take one diagram per file. Several
// connections give a Markdown document instead: per connection a heading,
// the diagram in a ```mermaid fenced block, and the summary, which is what
// GitHub, GitLab and most Markdown editors render. Either way each diagram
// starts with a `%% connection N: client → server` comment and carries the
// summary as a comment.
//
// Text is escaped for Mermaid's grammar: `;` ends a statement and `#`
// starts a comment or an entity, so they and the characters HTML gives a
// meaning to (< > &) and % (directives are %%{…}%%) are written as
// Mermaid's entity codes (#59; #35; #lt; #gt; #amp; #37;); newlines and
// other control characters become spaces. Participants are the fixed ids C
// and S with the address in an alias, so no address or word (`end`,
// `-->`, `:`) can reach the grammar as a name.

import (
	"bufio"
	"strconv"
	"strings"
	"unicode"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The note layout: a step's sentence is wrapped at mmNoteWidth columns (a
// CJK character counts two) and cut after mmNoteLines lines.
const (
	mmNoteWidth = 60
	mmNoteLines = 3
	// mmIdleUs is the gap between two packets that earns a note of its own.
	mmIdleUs = 1_000_000
)

// section writes one connection of a document of several: a
// heading, the diagram in a fenced block, what was left out, the summary.
func (d *mermaidDoc) section(c *docConn) {
	if d.written == 0 {
		d.header()
	}
	d.collector.section()
	h := &d.o.Lang.text().Words
	w := d.w
	w.WriteString("## " + h.Connection + " " + strconv.Itoa(c.ID) + ": `" + mdCode(c.Client) + "` → `" + mdCode(c.Server) + "`\n\n")
	w.WriteString("```mermaid\n")
	d.diagram(c, false)
	w.WriteString("```\n")
	if c.Elided > 0 {
		w.WriteString("\n" + mdEscape(elidedText(d.o.Lang, c)) + "\n")
	}
	if c.HasSummary {
		w.WriteString("\n**" + h.Summary + ":** " + mdEscape(string(AppendSummary(nil, d.o.Lang, &c.Summary))) + "\n")
	}
}

// header starts a document of several diagrams: the title, the caption.
func (d *mermaidDoc) header() {
	d.w.WriteString("# " + mdEscape(docTitle(d.o)) + "\n\n")
	if d.o.Caption != "" {
		d.w.WriteString(mdEscape(d.o.Caption) + "\n\n")
	}
}

// diagram writes one connection's sequenceDiagram; alone says it is the
// whole document (a .mmd file), which then carries the title and caption.
func (d *mermaidDoc) diagram(c *docConn, alone bool) {
	h := &d.o.Lang.text().Words
	lw := &d.o.Lang.text().Words
	w := d.w
	w.WriteString("%% connection " + strconv.Itoa(c.ID) + ": " + mmComment(c.Client) + " → " + mmComment(c.Server) + "\n")
	if c.HasSummary {
		w.WriteString("%% " + mmComment(string(AppendSummary(nil, d.o.Lang, &c.Summary))) + "\n")
	}
	w.WriteString("sequenceDiagram\n")
	title := h.Connection + " " + strconv.Itoa(c.ID)
	if alone && d.o.Title != "" {
		title = d.o.Title
	}
	if cap := connCaption(d.o.Lang, c); cap != "" {
		title += ": " + cap
	}
	w.WriteString("    title " + mmEscape(title) + "\n")
	w.WriteString("    participant C as " + mmEscape(c.Client+" ("+lw.Role[fsm.Client]+")") + "\n")
	w.WriteString("    participant S as " + mmEscape(c.Server+" ("+lw.Role[fsm.Server]+")") + "\n")
	w.WriteString("    autonumber\n")
	if alone && d.o.Caption != "" {
		w.WriteString("    Note over C,S: " + mmLines(d.o.Caption) + "\n")
	}
	if len(c.Rows) > 0 {
		// Where the endpoints stood before the first packet: CLOSED and
		// LISTEN before a handshake.
		r := &c.Rows[0]
		if st := d.states(r.Before, [2]fsm.State{}); st != "" {
			w.WriteString("    Note over C,S: " + st + "\n")
		}
	}
	timed, _ := timeScale(c.Rows)
	marks := markRows(c.Rows, timed)
	for i := range c.Rows {
		r := &c.Rows[i]
		if i > 0 && timed {
			if p := &c.Rows[i-1]; r.Micros-p.Micros >= mmIdleUs {
				w.WriteString("    Note over C,S: ⋯ " + string(d.o.Lang.text().dur(nil, r.Micros-p.Micros)) + " ⋯\n")
			}
		}
		// Two crossing segments one after the other are a par block:
		// they travel at the same time.
		k := marks[i].cross
		if k == i+1 {
			w.WriteString("    par " + mmEscape(lw.Marks.Legend[2]) + "\n")
		} else if k >= 0 && k == i-1 {
			w.WriteString("    and\n")
		}
		from, to := "C", "S"
		if r.From == fsm.Server {
			from, to = "S", "C"
		}
		// The states that changed go under the packet's label, as plain
		// text on the arrow: only the steps' explanations are notes.
		now := [2]fsm.State{r.Client, r.Server}
		if k == i+1 {
			// it arrives after the receiver's own crossing segment left:
			// the receiver's state is that segment's to show
			now[r.From.Other()] = r.Before[r.From.Other()]
		}
		label := mmEscape(rowLabel(r))
		if st := d.states(now, r.Before); st != "" {
			label += "<br/>" + st
		}
		w.WriteString("    " + from + mmArrow(r, marks[i].lost) + to + ": " + label + "\n")
		// One note per step: the marks, then the step's sentence.
		note := strings.Join(markPhrases(d.o.Lang, c.Rows, marks, i, true), lw.Sep)
		if r.KeyNote != "" {
			if note != "" {
				note += lw.Sep
			}
			note += r.KeyNote
		}
		if note != "" {
			w.WriteString("    Note over C,S: " + mmLines(note) + "\n")
		}
		if k >= 0 && k == i-1 {
			w.WriteString("    end\n")
		}
	}
	if c.Elided > 0 {
		w.WriteString("    Note over C,S: " + mmEscape(elidedText(d.o.Lang, c)) + "\n")
	}
}

// states words the states that changed from before (all of them when
// before is StateNone), client first: "client ESTABLISHED, server
// SYN_RCVD" (escaped); "" when none changed.
func (d *mermaidDoc) states(now, before [2]fsm.State) string {
	w := &d.o.Lang.text().Words
	var parts []string
	for _, role := range [2]fsm.Role{fsm.Client, fsm.Server} {
		if s := now[role]; s != before[role] && s != fsm.StateNone {
			parts = append(parts, w.Role[role]+" "+string(appendState(nil, w, s)))
		}
	}
	return mmEscape(strings.Join(parts, w.ListSep))
}

// mermaidDoc is a Mermaid document: a lone connection as a plain
// sequenceDiagram (a .mmd file), several as Markdown with a diagram each,
// written when each connection ends. The first connection to end waits
// until a second appears, or the input ends, to know which.
type mermaidDoc struct {
	collector
	pending *docConn
	multi   bool
}

func newMermaid(w *bufio.Writer, o Options) *mermaidDoc {
	return &mermaidDoc{collector: newCollector(w, o, docMaxHeld)}
}

// Record keeps a packet's row.
func (d *mermaidDoc) Record(rec *grammar.Record, r *fsm.Result) error {
	c, tagged, ok := d.lookup(rec, r)
	if !ok {
		return nil
	}
	if c == nil {
		c = d.open(r)
		if d.seen == 2 && d.pending != nil {
			d.multi = true
			d.section(d.pending)
			d.pending = nil
		}
	}
	d.add(c, rec, r, tagged)
	return nil
}

// Summary writes the connection that has ended, unless it is the only
// one so far, and forgets it.
func (d *mermaidDoc) Summary(s *fsm.Summary) error {
	c := d.end(s)
	if c == nil {
		return nil
	}
	d.forget(c)
	if !d.multi && d.seen == 1 {
		d.pending = c // the only connection so far: plain or not?
		return nil
	}
	d.section(c)
	return nil
}

// Close writes what is left: one connection as a plain diagram, or the
// remaining sections.
func (d *mermaidDoc) Close() error {
	rest := d.rest()
	if !d.multi && d.pending != nil && len(rest) == 0 {
		d.diagram(d.pending, true) // one connection: a plain diagram
		return nil
	}
	if d.pending != nil {
		d.multi = true
		d.section(d.pending)
	}
	if len(rest)+d.written > 1 {
		d.multi = true
	}
	for _, c := range rest {
		if !d.multi {
			d.diagram(c, true)
			continue
		}
		d.section(c)
	}
	return nil
}

// mmArrow is the arrow of a packet: -x (a cross at its end) for a
// segment that never arrived, -) (an open head) for a RST, dotted for a
// retransmission (--x, --)), solid otherwise.
func mmArrow(r *docRow, lost bool) string {
	line := "-"
	if retransmitted(r) {
		line = "--"
	}
	switch {
	case lost:
		return line + "x"
	case r.Bits&grammar.RST != 0 || r.Key == fsm.RSTRefused || r.Key == fsm.RSTAbort:
		return line + ")"
	}
	return line + ">>"
}

// mmEscape makes text safe in a Mermaid message, note, alias or title:
// the characters the grammar or HTML would read become entity codes, line
// breaks and control characters become spaces.
func mmEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case ';':
			b.WriteString("#59;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '%':
			b.WriteString("#37;")
		case unicode.ReplacementChar:
			b.WriteRune(r)
		default:
			if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// mmComment makes text safe in a %% comment line: one line, and no %%
// that Mermaid could take for a directive.
func mmComment(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	for strings.Contains(s, "%%") {
		s = strings.ReplaceAll(s, "%%", "%")
	}
	return s
}

// mdCode makes text safe in a one-line Markdown code span.
func mdCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '`' {
			return '\''
		}
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// mmLines wraps a note for Mermaid: escaped lines joined by <br/>.
func mmLines(s string) string {
	lines := wrapText(s, mmNoteWidth, mmNoteLines)
	for i := range lines {
		lines[i] = mmEscape(lines[i])
	}
	return strings.Join(lines, "<br/>")
}
