package annotate

import (
	"strconv"
	"strings"

	"github.com/tcpnote/tcpnote/fsm"
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
	d.markdownEnd()
}

// noSegments says, in a document, that the input had no TCP segment.
var noSegments = [...]string{
	English: "No TCP segment in this input: nothing to explain.",
	Chinese: "输入中没有 TCP 报文段，没有可解释的内容。",
}

// markdownEnd writes what follows the connections: the count of lines
// that could not be read, and, when there was no connection at all, a
// document that says so (an empty file is no handout).
func (d *document) markdownEnd() {
	w := d.w
	if len(d.conns) == 0 {
		w.WriteString("# tcpnote\n\n" + noSegments[d.o.Lang] + "\n")
	}
	if d.unread.n > 0 {
		w.WriteString("\n**" + mdEscape(string(d.unread.appendTally(nil, d.o.Lang))) + "**\n")
	}
}

// stateName returns a state's name, or "-" when unknown.
func stateName(s fsm.State) string {
	if s == fsm.StateNone {
		return "-"
	}
	return s.String()
}
