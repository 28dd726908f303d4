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
type markdownDoc struct{ collector }

func newMarkdown(w *bufio.Writer, o Options) *markdownDoc {
	return &markdownDoc{newCollector(w, o, docMaxHeld)}
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
		d.section()
		d.conn(c)
	}
	return nil
}

// Close writes the connections whose summary never came, then the end.
func (d *markdownDoc) Close() error {
	for _, c := range d.rest() {
		d.section()
		d.conn(c)
	}
	d.end()
	return nil
}

// mdCell escapes what Markdown would read inside a table cell.
var mdCell = strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`")

// mdEscape makes text safe inside a Markdown table cell.
func mdEscape(s string) string { return mdCell.Replace(s) }

// conn writes one connection of a handout: a heading, a table
// with one row per packet, what was left out, and the summary.
func (d *markdownDoc) conn(c *docConn) {
	h := &d.o.Lang.text().Words
	w := d.w
	w.WriteString("## " + h.Connection + " " + strconv.Itoa(c.ID) + ": `" + c.Client + "` → `" + c.Server + "`\n\n")
	w.WriteString(h.Columns[0] + "\n" + h.Columns[1] + "\n")
	for _, r := range c.Rows {
		seq, ack := r.Seq, r.Ack
		if r.SeqAbs != "" {
			seq += " (" + r.SeqAbs + ")"
		}
		if r.AckAbs != "" {
			ack += " (" + r.AckAbs + ")"
		}
		note := r.Note
		if r.States != "" {
			if note != "" {
				note += d.o.Lang.text().Words.StateSep
			}
			note += r.States
		}
		w.WriteString("| " + strconv.Itoa(r.N) + " | " + mdEscape(r.Time) + " | " + h.Direction[r.From] + " | `" + strings.ReplaceAll(r.Flags, "`", "") + "` | " +
			mdEscape(seq) + " | " + mdEscape(ack) + " | " + strconv.FormatUint(uint64(r.Len), 10) + " | " + mdEscape(note) + " | " +
			r.Client.String() + " | " + r.Server.String() + " |\n")
	}
	if c.Elided > 0 {
		w.WriteString("\n" + mdEscape(elidedText(d.o.Lang, c)) + "\n")
	}
	if c.HasSummary {
		w.WriteString("\n**" + h.Summary + ":** " + mdEscape(string(AppendSummary(nil, d.o.Lang, &c.Summary))) + "\n")
	}
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
		w.WriteString("# tcpnote\n\n" + d.o.Lang.text().Words.None + "\n")
	}
	if d.unread.n > 0 {
		w.WriteString("\n**" + mdEscape(string(d.unread.appendTally(nil, d.o.Lang))) + "**\n")
	}
}
