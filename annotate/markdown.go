package annotate

import (
	"strconv"
	"strings"
)

// mdCell escapes what Markdown would read inside a table cell.
var mdCell = strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`")

// mdEscape makes text safe inside a Markdown table cell.
func mdEscape(s string) string { return mdCell.Replace(s) }

// markdown writes a handout: per connection a heading, a table with one
// row per packet, and the connection summary.
func (d *document) markdown() {
	h := &d.o.Lang.text().Words
	w := d.w
	for i, c := range d.conns {
		if i > 0 {
			w.WriteString("\n")
		}
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
		if c.HasSummary {
			w.WriteString("\n**" + h.Summary + ":** " + mdEscape(string(AppendSummary(nil, d.o.Lang, &c.Summary))) + "\n")
		}
	}
}
