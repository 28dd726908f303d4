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

// markdownConn writes one connection of a handout: a heading, a table
// with one row per packet, what was left out, and the summary.
func (d *document) markdownConn(c *docConn) {
	h := mdHeadings[d.o.Lang]
	w := d.w
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
	if c.Elided > 0 {
		w.WriteString("\n" + mdEscape(elidedText(d.o.Lang, c)) + "\n")
	}
	if c.HasSummary {
		w.WriteString("\n**" + h.summary[0] + ":** " + mdEscape(string(AppendSummary(nil, d.o.Lang, &c.Summary))) + "\n")
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

// stateName returns a state's name, or "-" when unknown.
func stateName(s fsm.State) string {
	if s == fsm.StateNone {
		return "-"
	}
	return s.String()
}
