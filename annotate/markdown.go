package annotate

import (
	"strconv"
	"strings"
)

// mdCell escapes what Markdown would read inside a table cell.
var mdCell = strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`")

// mdEscape makes text safe inside a Markdown table cell.
func mdEscape(s string) string { return mdCell.Replace(s) }

// markdownConn writes one connection of a handout: a heading, a table
// with one row per packet, what was left out, and the summary.
func (d *document) markdownConn(c *docConn) {
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
	n, from, to, id := strconv.Itoa(c.Elided), strconv.Itoa(c.ElidedFrom), strconv.Itoa(c.ElidedTo), strconv.Itoa(c.ID)
	if lang == Chinese {
		return "另有 " + n + " 个报文未列出（输入第 " + from + "–" + to + " 行）：tcpnote --conn " + id + " 可完整画出这个连接"
	}
	return n + " more packets are not shown (input lines " + from + "–" + to + "): tcpnote --conn " + id + " draws this connection whole"
}

// markdownEnd writes what follows the connections: the count of lines
// that could not be read, and, when there was no connection at all, a
// document that says so (an empty file is no handout).
func (d *document) markdownEnd() {
	w := d.w
	if d.seen == 0 {
		w.WriteString("# tcpnote\n\n" + d.o.Lang.text().Words.None + "\n")
	}
	if d.unread.n > 0 {
		w.WriteString("\n**" + mdEscape(string(d.unread.appendTally(nil, d.o.Lang))) + "**\n")
	}
}
