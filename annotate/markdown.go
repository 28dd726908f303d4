package annotate

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// markdownDoc is a Markdown handout: each connection a heading, a table of
// its packets and its summary, written when the connection ends.
type markdownDoc struct {
	collector
	headed bool // the title and legend are written
}

func newMarkdown(w *bufio.Writer, o Options) *markdownDoc {
	return &markdownDoc{collector: newCollector(w, o, docMaxHeld)}
}

// Record keeps a packet's row.
func (d *markdownDoc) Record(rec *grammar.Record, r *fsm.Result) error {
	c, tagged, ok := d.lookup(rec, r)
	if !ok {
		return nil
	}
	if c == nil {
		c = d.open(r)
	}
	d.add(c, rec, r, tagged)
	return nil
}

// Summary writes the connection that has ended and forgets it.
func (d *markdownDoc) Summary(s *fsm.Summary) error {
	if c := d.collector.end(s); c != nil {
		d.forget(c)
		d.header()
		d.section()
		d.conn(c)
	}
	return nil
}

// Close writes the connections whose summary never came, then the end.
func (d *markdownDoc) Close() error {
	for _, c := range d.rest() {
		d.header()
		d.section()
		d.conn(c)
	}
	d.end()
	return nil
}

// mdCell escapes what Markdown would read inside a table cell.
var mdCell = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`")

// mdEscape makes text safe inside a Markdown table cell.
func mdEscape(s string) string { return mdCell.Replace(s) }

// conn writes one connection of a handout: a heading, its caption, a
// table with one row per packet (number, time, the packet as printed with
// its direction, the explanation with its marks, what changed in the
// states), what was left out, and the summary.
func (d *markdownDoc) conn(c *docConn) {
	h := &d.o.Lang.text().Words
	w := d.w
	w.WriteString("## " + h.Connection + " " + strconv.Itoa(c.ID) + ": `" + mdCode(c.Client) + "` → `" + mdCode(c.Server) + "`\n\n")
	if cap := connCaption(d.o.Lang, c); cap != "" {
		w.WriteString("*" + mdEscape(cap) + "*\n\n")
	}
	w.WriteString(h.Columns[0] + "\n" + h.Columns[1] + "\n")
	timed, _ := timeScale(c.Rows)
	marks := markRows(c.Rows, timed)
	for i := range c.Rows {
		r := &c.Rows[i]
		dir := dirArrow(r)
		note := strings.Join(markPhrases(d.o.Lang, c.Rows, marks, i, false), h.Sep)
		if r.Note != "" {
			if note != "" {
				note += h.Sep
			}
			note += r.Note
		}
		w.WriteString("| " + strconv.Itoa(r.N) + " | " + mdEscape(r.Time) + " | " + dir + " `" + mdLabel.Replace(rowLabel(r)) + "` | " +
			mdEscape(note) + " | " + mdEscape(r.States) + " |\n")
	}
	if c.Elided > 0 {
		w.WriteString("\n" + mdEscape(elidedText(d.o.Lang, c)) + "\n")
	}
	if c.HasSummary {
		w.WriteString("\n**" + h.Summary + ":** " + mdEscape(string(AppendSummary(nil, d.o.Lang, &c.Summary))) + "\n")
		// Zeek's codes in words: a handout's reader should not need Zeek's docs
		if s := &c.Summary; s.ConnState != "" {
			w.WriteString("\n- `conn_state " + s.ConnState + "`: " + mdEscape(string(AppendConnState(nil, d.o.Lang, s.ConnState))) + "\n")
			if s.History != "" {
				w.WriteString("- `history " + mdLabel.Replace(s.History) + "`: " + mdEscape(string(AppendHistory(nil, d.o.Lang, s.History))) + "\n")
			}
		}
	}
}

// mdLabel makes a packet's label safe in a code span inside a table cell.
var mdLabel = strings.NewReplacer("`", "", "|", `\|`, "\n", " ")

// header starts the handout: its title, the caption, the legend of the
// marks. Written once, before the first connection (or the note that
// there is none), so an empty input still gives a document.
func (d *markdownDoc) header() {
	if d.headed {
		return
	}
	d.headed = true
	mw := &d.o.Lang.text().Words.Marks
	w := d.w
	w.WriteString("# " + mdEscape(docTitle(d.o)) + "\n\n")
	if d.o.Caption != "" {
		w.WriteString(mdEscape(d.o.Caption) + "\n\n")
	}
	if d.seen == 0 {
		return // no packets: no marks to explain
	}
	w.WriteString("**" + mdEscape(mw.MarksHead) + "** " + mdEscape(mw.DirLegend) + d.o.Lang.text().Words.Sep +
		mdEscape(strings.Join(mw.Legend[:3], d.o.Lang.text().Words.Sep)) + "\n\n")
}

// elidedText says which packets of a connection a document left out.
func elidedText(lang Lang, c *docConn) string {
	return fmt.Sprintf(lang.text().Words.Elided, c.Elided, c.ElidedFrom, c.ElidedTo, c.ID)
}

// end writes what follows the connections: the count of lines
// that could not be read, and, when there was no connection at all, a
// document that says so (an empty file is no handout).
func (d *markdownDoc) end() {
	w := d.w
	if d.seen == 0 {
		d.header()
		w.WriteString(d.o.Lang.text().Words.None + "\n")
	}
	if d.unread.n > 0 {
		w.WriteString("\n**" + mdEscape(string(d.unread.appendTally(nil, d.o.Lang))) + "**\n")
	}
}
