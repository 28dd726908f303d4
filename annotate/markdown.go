package annotate

import (
	"strconv"
	"strings"
)

// mdCell escapes what Markdown would read inside a table cell.
var mdCell = strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`")

// mdEscape makes text safe inside a Markdown table cell.
func mdEscape(s string) string { return mdCell.Replace(s) }

var mdHeadings = [...]struct{ title, cols, summary, dir [2]string }{
	English: {
		title:   [2]string{"Connection", ""},
		cols:    [2]string{"| # | time | direction | flags | seq | ack | len | explanation | client | server |", "|---:|---|---|---|---|---|---:|---|---|---|"},
		summary: [2]string{"Summary", ""},
		dir:     [2]string{"client → server", "server → client"},
	},
	Chinese: {
		title:   [2]string{"连接", ""},
		cols:    [2]string{"| # | 时间 | 方向 | 标志 | seq | ack | 长度 | 解释 | 客户端 | 服务器 |", "|---:|---|---|---|---|---|---:|---|---|---|"},
		summary: [2]string{"小结", ""},
		dir:     [2]string{"客户端 → 服务器", "服务器 → 客户端"},
	},
}

// markdown writes a handout: per connection a heading, a table with one
// row per packet, and the connection summary.
func (d *document) markdown() {
	h := mdHeadings[d.o.Lang]
	w := d.w
	for i, c := range d.conns {
		if i > 0 {
			w.WriteString("\n")
		}
		w.WriteString("## " + h.title[0] + " " + strconv.Itoa(c.ID) + ": `" + c.Client + "` → `" + c.Server + "`\n\n")
		w.WriteString(h.cols[0] + "\n" + h.cols[1] + "\n")
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
					note += languages[d.o.Lang].stateSep
				}
				note += r.States
			}
			w.WriteString("| " + strconv.Itoa(r.N) + " | " + mdEscape(r.Time) + " | " + h.dir[r.From] + " | `" + strings.ReplaceAll(r.Flags, "`", "") + "` | " +
				mdEscape(seq) + " | " + mdEscape(ack) + " | " + strconv.FormatUint(uint64(r.Len), 10) + " | " + mdEscape(note) + " | " +
				r.Client.String() + " | " + r.Server.String() + " |\n")
		}
		if c.HasSummary {
			w.WriteString("\n**" + h.summary[0] + ":** " + mdEscape(string(AppendSummary(nil, d.o.Lang, &c.Summary))) + "\n")
		}
	}
}
