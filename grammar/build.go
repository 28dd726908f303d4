package grammar

import (
	"bytes"
	"strconv"
	"strings"
)

// fromGrammar parses raw with the participle grammar and fills p. It reports
// false when raw is not a TCP segment line.
func fromGrammar(raw []byte, p *Packet) bool {
	head, ok := grammarHead(raw) // limits.go
	if !ok {
		return false
	}
	line, err := lineParser().ParseBytes("", head)
	if err != nil {
		return false
	}
	p.reset(raw)
	b := builder{p: p, raw: raw} // the Suffix runs to the end of raw
	if !b.line(line) {
		return false
	}
	if len(head) < len(raw) {
		// Beyond the head there may only be the Suffix, and it is the
		// Suffix for certain only after a modern segment's `length N`.
		if p.Dialect != Modern || !p.HasLen || p.OptionsOpen {
			return false
		}
		if p.Suffix.Empty() {
			b.suffix(skipLexSpace(raw, len(head)))
		}
	}
	return true
}

type builder struct {
	p   *Packet
	raw []byte
	bad bool // a number did not fit its field
}

func span(start, end int) Span { return Span{int32(start), int32(end)} }

func (b *builder) line(l *Line) bool {
	p := b.p
	b.prefix(l.Prefix)
	if l.Frag != nil {
		return b.laterFragment(l.Frag)
	}
	if !b.pair(l.Pair) {
		return false
	}
	if p.IPVersion == 0 {
		p.IPVersion = 4
		if bytes.IndexByte(p.Text(p.Src.Host), ':') >= 0 {
			p.IPVersion = 6
		}
	}
	b.ipFragment()
	if p.Tunnel.Kind == TunnelIPIP && p.IPVersion == 6 {
		p.Tunnel.Kind = Tunnel6in4
	}
	var ok bool
	switch {
	case l.Body.Modern != nil:
		ok = b.modern(l.Body.Modern)
	case l.Body.Quiet != nil:
		ok = b.quiet(l.Body.Quiet)
	case l.Body.Words != nil:
		ok = b.words(l.Body.Words)
	case l.Body.Classic != nil:
		ok = b.classic(l.Body.Classic)
	case l.Body.Cut != nil:
		p.Dialect, p.Truncated, ok = Modern, true, true
		b.fields(l.Body.Cut.Fields, false)
	}
	if p.Truncated {
		p.OptionsOpen = false // tcpdump cut it: nothing follows
	}
	return ok && !b.bad
}

// prefix gives meaning to what precedes the endpoint pair.
func (b *builder) prefix(items []*PrefixItem) {
	p := b.p
	for i, it := range items {
		switch {
		case it.Time != "" && p.TimeKind == NoTime:
			p.Time = span(it.Pos.Offset, it.EndPos.Offset)
			p.TimeKind, p.Micros = clockMicros(it.Time)
			if isDelta(b.raw, it.Pos.Offset, it.Time) {
				p.TimeKind = DeltaTime
			}
		case it.Epoch != "" && p.TimeKind == NoTime:
			p.Time = span(it.Pos.Offset, it.EndPos.Offset)
			p.TimeKind, p.Micros = EpochTime, epochMicros(it.Epoch)
		case it.Number != "" && p.TimeKind == NoTime && p.Number == 0:
			// `-#` prints the number, then the time. A pasted line number
			// is followed by `.` or `:` and is not tcpdump's.
			if i+1 < len(items) && (items[i+1].Word == "." || items[i+1].Word == ":") {
				continue
			}
			if n, err := strconv.ParseInt(it.Number, 10, 64); err == nil {
				p.Number = n
			}
		case it.Outer != "":
			b.outer(it)
		case it.Word != "" && b.tunnelWord(it, items[i+1:]):
		case it.Word == "IP":
			p.IPVersion = 4
		case it.Word == "IP6":
			p.IPVersion = 6
		case isDirection(it.Word) && i > 0 && items[i-1].Word != "" && p.Iface.Empty() && isIdentStart(items[i-1].Word):
			p.Iface = span(items[i-1].Pos.Offset, items[i-1].EndPos.Offset)
			p.Direction = span(it.Pos.Offset, it.EndPos.Offset)
		case it.Group != nil && it.Group.Open == "(" && !p.IP.Present:
			b.ipHeader(it.Group)
		}
	}
}

// outer reads a tunnel's outer addresses, `10.0.0.1 > 10.0.0.2: `, before
// an inner IP packet (IPIP, 6in4): what came before them was the outer
// packet's, what follows is the segment's.
func (b *builder) outer(it *PrefixItem) {
	p := b.p
	start, text := it.Pos.Offset, it.Outer
	gt := indexString(text, " > ")
	colon := lastColon(text)
	if gt < 0 || colon < gt {
		return
	}
	// IPIP for now; line() tells 6in4 and IPv6 tunnels apart once the
	// inner packet's version is known
	kind := TunnelIPIP
	if p.IPVersion == 6 || bytes.IndexByte([]byte(text[:gt]), ':') >= 0 {
		kind = TunnelIP6
	}
	b.enterTunnel(kind, span(start, start+colon))
	p.Tunnel.Src = span(start, start+gt)
	p.Tunnel.Dst = span(start+gt+3, start+colon)
}

// tunnelWord reads an encapsulation tcpdump names in words before the
// inner packet: GRE, VXLAN and Geneve (the Tunnel token, which holds the
// outer addresses too), MPLS's `MPLS (label …)` and PPPoE's `PPPoE  [ses
// 0x22]`. It reports whether the word was one.
func (b *builder) tunnelWord(it *PrefixItem, rest []*PrefixItem) bool {
	p := b.p
	w := it.Word
	start := it.Pos.Offset
	switch {
	case w == "MPLS" || w == "PPPoE":
		// `MPLS (label 22, …)`, `PPPoE  [ses 0x22]`; -e's `ethertype MPLS
		// unicast` and `ethertype PPPoE S` are not the header
		if len(rest) == 0 || rest[0].Group == nil || len(rest[0].Group.Items) == 0 {
			return false
		}
		kind, first := TunnelMPLS, rest[0].Group.Items[0].Tok
		if w == "PPPoE" {
			kind = TunnelPPPoE
		}
		if kind == TunnelMPLS && first != "label" || kind == TunnelPPPoE && first != "ses" {
			return false
		}
		b.enterTunnel(kind, span(start, rest[0].EndPos.Offset))
		return true
	case len(w) > 4 && indexString(w, " > ") > 0:
		gt := indexString(w, " > ")
		colon := indexString(w[gt:], ": ") + gt
		if colon < gt {
			return false
		}
		kind := TunnelGRE
		switch {
		case hasPrefixStr(w[colon+2:], "VXLAN"):
			kind = TunnelVXLAN
		case hasPrefixStr(w[colon+2:], "Geneve"):
			kind = TunnelGeneve
		case hasPrefixStr(w[colon+2:], "MPLS"):
			kind = TunnelMPLS
		}
		tail := len(w)
		for tail > colon+2 && (w[tail-1] == ' ' || w[tail-1] == '\n' || w[tail-1] == ':') {
			tail--
		}
		b.enterTunnel(kind, span(start+colon+2, start+tail))
		p.Tunnel.Src = span(start, start+gt)
		p.Tunnel.Dst = span(start+gt+3, start+colon)
		return true
	}
	return false
}

func hasPrefixStr(s, pre string) bool { return len(s) >= len(pre) && s[:len(pre)] == pre }

// enterTunnel starts the inner packet: the IP header read so far was an
// outer one. Of nested encapsulations the Tunnel keeps the outermost; the
// segment's IP header is always the innermost.
func (b *builder) enterTunnel(kind TunnelKind, text Span) {
	p := b.p
	if p.Tunnel.Kind == NoTunnel {
		p.Tunnel.Kind, p.Tunnel.Text = kind, text
		p.Tunnel.IP = p.IP
	}
	p.IP = IPHeader{TOS: -1, TTL: -1, ID: -1, Length: -1, Offset: -1}
	p.IPVersion = 0
}

// isDelta reports whether a time is -ttt's delta from the previous packet
// (or -ttttt's offset from the first, which prints alike): tcpdump 4.8 and
// later print it with one leading space (` 00:00:00.000250`), at the start
// of the line or after -#'s number and its two spaces (`    1   00:00:…`),
// and a delta is taken to be under an hour.
func isDelta(raw []byte, off int, t string) bool {
	return len(t) >= 8 && t[0] == '0' && t[1] == '0' && t[2] == ':' && deltaSpace(raw, off)
}

// deltaSpace reports whether the time at raw[off] has -ttt's leading space:
// it starts the line after one space, or follows a -# number and three.
func deltaSpace(raw []byte, off int) bool {
	if off == 1 {
		return raw[0] == ' '
	}
	return off >= 4 && raw[off-1] == ' ' && raw[off-2] == ' ' && raw[off-3] == ' ' && isDigit(raw[off-4])
}

func isDirection(w string) bool {
	switch w {
	case "In", "Out", "B", "M", "P":
		return true
	}
	return false
}

func isIdentStart(w string) bool {
	c := w[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// ipHeader reads a -v network header: `(tos 0x0, ttl 64, id 1, offset 0,
// flags [DF], proto TCP (6), length 60)` or IPv6's `(flowlabel 0x1, hlim 64,
// next-header TCP (6) payload length: 40)`, and 3.7's trailers `(DF)` and
// `(ttl 64, id 1, len 60)`.
func (b *builder) ipHeader(g *Group) {
	toks := g.Items
	first := ""
	if len(toks) > 0 {
		first = toks[0].Tok
	}
	switch first {
	case "tos", "ttl", "flowlabel", "class", "hlim", "DF", "len", "id":
	default:
		return
	}
	ip := &b.p.IP
	ip.Present = true
	if ip.Text.Empty() {
		ip.Text = span(g.Pos.Offset, g.EndPos.Offset)
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		next := func() string {
			// the value after a key, skipping a colon (`length: 60`)
			for j := i + 1; j < len(toks); j++ {
				if toks[j].Tok == ":" {
					continue
				}
				return toks[j].Tok
			}
			return ""
		}
		switch t.Tok {
		case "tos":
			if v, err := strconv.ParseInt(trimHex(next()), 16, 32); err == nil {
				ip.TOS = int32(v)
			}
		case "ttl", "hlim":
			ip.TTL = atoi32(next(), ip.TTL)
		case "id":
			ip.ID = atoi32(next(), ip.ID)
		case "length", "len":
			ip.Length = atoi32(next(), ip.Length)
		case "offset":
			ip.Offset = atoi32(next(), ip.Offset)
		case "DF":
			ip.DF = true
		case "flags":
			if i+1 < len(toks) && toks[i+1].Group != nil {
				fg := toks[i+1].Group
				ip.Flags = span(fg.Pos.Offset+1, fg.EndPos.Offset-1)
				for _, ft := range fg.Items {
					switch ft.Tok {
					case "DF":
						ip.DF = true
					case "+":
						ip.MF = true
					}
				}
			}
		}
	}
}

func trimHex(s string) string {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return s[2:]
	}
	return s
}

func atoi32(s string, def int32) int32 {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return def
	}
	return int32(v)
}

// pair splits `src.port > dst.port:` into endpoints: the port follows the
// last dot of each side.
func (b *builder) pair(pr *Pair) bool {
	start := pr.Pos.Offset
	text := pr.Text
	if pr.Loose != "" {
		return b.loosePair(start, pr.Loose)
	}
	gt, width := pairSeparator(text)
	colon := lastColon(text)
	if gt < 0 || colon < gt {
		return false
	}
	// `a1 > a2: EXT … p1 > p2:` (the ExtPair token) has a second ` > `
	// after the addresses' colon.
	if colon2 := indexString(text, ": "); colon2 >= 0 && colon2 < colon && indexString(text[colon2:], " > ") > 0 {
		return b.extPair(start, text, gt, colon2, colon)
	}
	return splitEndpoint(b.raw, start, start+gt, &b.p.Src) &&
		splitEndpoint(b.raw, start+gt+width, start+colon, &b.p.Dst)
}

// pairSeparator finds ` > ` between the endpoints, also as `&gt;` and
// with no-break spaces around it, and returns its offset and width.
func pairSeparator(text string) (int, int) {
	i := indexString(text, ">")
	w := 1
	if j := indexString(text, "&gt;"); j >= 0 && (i < 0 || j < i) {
		i, w = j, 4
	}
	if i <= 0 {
		return -1, 0
	}
	start, end := i, i+w
	for _, sp := range []string{" ", "\u00a0"} {
		if start >= len(sp) && text[start-len(sp):start] == sp {
			start -= len(sp)
			break
		}
	}
	for _, sp := range []string{" ", "\u00a0"} {
		if end+len(sp) <= len(text) && text[end:end+len(sp)] == sp {
			end += len(sp)
			break
		}
	}
	return start, end - start
}

// extPair reads `a1 > a2: EXT … p1 > p2:`: addresses and ports apart.
func (b *builder) extPair(start int, text string, gt, colon1, colon int) bool {
	p := b.p
	p.Src.Host = span(start, start+gt)
	p.Dst.Host = span(start+gt+3, start+colon1)
	rest := text[colon1:colon]
	gt2 := indexString(rest, " > ")
	i := gt2
	for i > 0 && isPortChar(rest[i-1]) {
		i--
	}
	if i <= 2 || gt2 <= i {
		return false
	}
	p.Src.Port = span(start+colon1+i, start+colon1+gt2)
	p.Dst.Port = span(start+colon1+gt2+3, start+colon)
	for _, e := range []*Endpoint{&p.Src, &p.Dst} {
		e.Text = e.Host
		if n, ok := parseUint(b.raw[e.Port.Start:e.Port.End]); ok && n <= 65535 {
			e.PortNum = int32(n)
		}
	}
	p.Ext = span(start+colon1+2, start+colon1+i)
	b.ext6Fragment(text[colon1+2 : colon1+i])
	p.IPVersion = 6
	return true
}

// ext6Fragment reads the first fragment's IPv6 fragment header among the
// extension headers: `frag (0|552)`, under -v `frag (0x00002203:0|552)`.
func (b *builder) ext6Fragment(ext string) {
	i := indexString(ext, "frag (")
	if i < 0 {
		return
	}
	f := &b.p.Frag
	f.Present = true
	start := b.p.Ext.Start + int32(i)
	end := indexString(ext[i:], ")") + i + 1
	f.Text = Span{start, b.p.Ext.Start + int32(end)}
	b.fragNumbers(ext[i+len("frag (") : end-1])
}

// fragNumbers reads `off|len` or `0xID:off|len`, IPv6's fragment note.
func (b *builder) fragNumbers(s string) {
	f := &b.p.Frag
	if c := indexString(s, ":"); c >= 0 {
		if id, err := strconv.ParseInt(trimHex(s[:c]), 16, 64); err == nil {
			f.ID = id
		}
		s = s[c+1:]
	}
	bar := indexString(s, "|")
	if bar < 0 {
		return
	}
	f.Offset = atoi32(s[:bar], -1)
	f.Len = atoi32(s[bar+1:], -1)
}

// laterFragment reads a fragment after the first (the FragPair token):
// addresses without ports, and IPv6's `frag (off|len)` or IPv4's -v
// header (offset, length, `flags [+]`). It carries no TCP fields.
func (b *builder) laterFragment(l *FragLine) bool {
	p := b.p
	start, text := l.Pos.Offset, l.Text
	gt := indexString(text, " > ")
	colon := indexString(text[gt+3:], ": ") + gt + 3
	if gt <= 0 || colon < gt+3 {
		return false
	}
	p.Src = Endpoint{Text: span(start, start+gt), Host: span(start, start+gt), PortNum: -1}
	p.Dst = Endpoint{Text: span(start+gt+3, start+colon), Host: span(start+gt+3, start+colon), PortNum: -1}
	note := text[colon+2:]
	for len(note) > 0 && (note[len(note)-1] == ' ' || note[len(note)-1] == '\t') {
		note = note[:len(note)-1]
	}
	f := &p.Frag
	f.Present, f.Later = true, true
	f.Text = span(start+colon+2, start+colon+2+len(note))
	switch {
	case hasPrefixStr(note, "frag ("):
		p.IPVersion = 6
		b.fragNumbers(note[len("frag (") : len(note)-1])
	case hasPrefixStr(note, "tcp (frag "):
		// ≤3.7: `tcp (frag 777:28@32)`, id:len@offset, `+` for more
		s := note[len("tcp (frag ") : len(note)-1]
		if s != "" && s[len(s)-1] == '+' {
			f.More, s = 1, s[:len(s)-1]
		} else {
			f.More = 0
		}
		c, at := indexString(s, ":"), indexString(s, "@")
		if c > 0 && at > c {
			f.ID = int64(atoi32(s[:c], -1))
			f.Len = atoi32(s[c+1:at], -1)
			f.Offset = atoi32(s[at+1:], -1)
		}
	}
	if p.IPVersion == 0 {
		p.IPVersion = 4
		if bytes.IndexByte(p.Text(p.Src.Host), ':') >= 0 {
			p.IPVersion = 6
		}
	}
	b.ipFragment()
	return true
}

// ipFragment reads an IPv4 fragment's -v header: `offset 576, flags [+]`,
// its length and id.
func (b *builder) ipFragment() {
	p := b.p
	ip := &p.IP
	if !ip.Present || p.IPVersion != 4 || !ip.MF && ip.Offset <= 0 {
		return
	}
	f := &p.Frag
	f.Present = true
	f.Offset = ip.Offset
	f.More = 0
	if ip.MF {
		f.More = 1
	}
	if ip.ID >= 0 {
		f.ID = int64(ip.ID)
	}
	if ip.Length >= 20 {
		f.Len = ip.Length - 20 // tcpdump prints no header length: options are rare
	}
}

func indexString(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// lastColon finds the colon that ends the pair (the token may end in a
// space or tab after it).
func lastColon(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}

// splitEndpoint fills e from raw[start:end], `host.port`.
func splitEndpoint(raw []byte, start, end int, e *Endpoint) bool {
	dot := bytes.LastIndexByte(raw[start:end], '.')
	if dot <= 0 || start+dot+1 >= end {
		return false
	}
	e.Text = span(start, end)
	e.Host = span(start, start+dot)
	e.Port = span(start+dot+1, end)
	e.PortNum = -1
	if n, ok := parseUint(raw[start+dot+1 : end]); ok && n <= 65535 {
		e.PortNum = int32(n)
	}
	return true
}

// parseUint parses decimal digits; it fails on anything else or on a value
// above 2^32-1, which tcpdump never prints for a TCP field.
func parseUint(s []byte) (uint32, bool) {
	if len(s) == 0 || len(s) > 10 {
		return 0, false
	}
	var n uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 1<<32-1 {
		return 0, false
	}
	return uint32(n), true
}

func (b *builder) num(s string) uint32 {
	n, ok := parseUint([]byte(s))
	if !ok {
		b.bad = true
	}
	return n
}

// modernFlags maps the characters of `Flags [...]` (docs/tcpdump-formats.md §4.1).
// The fast path calls it too, on the bytes of the line (no allocation).
func modernFlags(s []byte) (Flags, bool) {
	// `none`; 4.0–4.1 print `[]`, and under -v the IP header's `[DF]`,
	// for a segment with no flags.
	switch string(s) {
	case "", "none", "DF":
		return 0, true
	}
	var f Flags
	for _, c := range s {
		switch c {
		case 'F':
			f |= FIN
		case 'S':
			f |= SYN
		case 'R':
			f |= RST
		case 'P':
			f |= PSH
		case '.':
			f |= ACK
		case 'U':
			f |= URG
		case 'E':
			f |= ECE
		case 'W':
			f |= CWR
		case 'e':
			f |= AE
		default:
			return 0, false
		}
	}
	return f, true
}

// classicFlags maps 3.x flag letters (docs/tcpdump-formats.md §5): `.` means none of
// S F R P W E; ACK and URG are known only from `ack N` and `urg N`.
func classicFlags(s string) (Flags, bool) {
	if s == "." {
		return 0, true
	}
	var f Flags
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'S':
			f |= SYN
		case 'F':
			f |= FIN
		case 'R':
			f |= RST
		case 'P':
			f |= PSH
		case 'W':
			f |= CWR
		case 'E':
			f |= ECE
		default:
			return 0, false
		}
	}
	return f, true
}

func (b *builder) modern(m *ModernTCP) bool {
	p := b.p
	p.Dialect = Modern
	var text string
	for _, s := range m.Flags {
		text += s
	}
	f, ok := modernFlags([]byte(text))
	if !ok {
		if !flagWords(m.Flags) {
			return false
		}
		f = wordFlags(m.Flags) // `Flags [ACK]`, spelled by hand (paste.go)
	}
	p.Flags = f
	open := bytes.IndexByte(b.raw[m.Pos.Offset:], '[') + m.Pos.Offset
	end := bytes.IndexByte(b.raw[open:], ']') + open
	p.FlagText = span(open+1, end)
	b.fields(m.Fields, true)
	if p.HasSeqEnd && !p.HasLen {
		p.Len = p.SeqEnd - p.Seq
	}
	return true
}

func (b *builder) quiet(q *QuietTCP) bool {
	p := b.p
	p.Dialect = Quiet
	if q.Length[0] == '-' {
		// 3.9–4.9 print a negative length for a header longer than the
		// segment: there is no payload to speak of.
		p.Truncated = true
	} else {
		p.Len, p.HasLen = b.num(q.Length), true
	}
	b.fields(q.Fields, false)
	if p.Truncated {
		// `tcp 4294967256 [bad hdr length 60 - too long, > 20]`: the length
		// is tcpdump's wrap-around, not a payload.
		p.Len, p.HasLen = 0, false
	}
	return true
}

func (b *builder) classic(c *ClassicTCP) bool {
	p := b.p
	p.Dialect = Classic
	f, ok := classicFlags(c.Flags)
	if !ok {
		return false
	}
	p.Flags = f
	p.FlagText = span(c.Pos.Offset, c.Pos.Offset+len(c.Flags))
	b.fields(c.Fields, false)
	if p.HasAck {
		p.Flags |= ACK
	}
	if p.HasUrg {
		p.Flags |= URG
	}
	// A classic TCP line always has a window, unless the capture was cut.
	return p.HasWin || (p.Truncated && c.Flags != ".")
}

// fields reads the TCP fields in order. In the modern dialect the fields end
// at `length N`; in every dialect the first word that is no field starts the
// suffix (an application decoder's text, a paste's comment).
func (b *builder) fields(fs []*Field, modern bool) {
	p := b.p
	for i, f := range fs {
		if !p.Suffix.Empty() {
			break
		}
		switch {
		case f.Comma:
		case f.Cksum != nil:
			p.HasCksum = true
			p.CksumOK = f.Cksum.Correct
			p.Cksum = span(f.Pos.Offset+len("cksum "), f.EndPos.Offset)
		case f.Seq != nil:
			p.HasSeq, p.Seq = true, b.num(f.Seq.First)
			if f.Seq.Last != "" {
				p.HasSeqEnd, p.SeqEnd = true, b.num(f.Seq.Last)
			}
		case f.Range != nil:
			p.HasSeq, p.Seq = true, b.num(f.Range.First)
			p.HasSeqEnd, p.SeqEnd = true, b.num(f.Range.Last)
			p.HasLen, p.Len = true, b.num(f.Range.Len)
		case f.Ack != "":
			p.HasAck, p.Ack = true, b.num(f.Ack)
		case f.Win != "":
			p.HasWin, p.Win = true, b.num(f.Win)
		case f.Urg != "":
			p.HasUrg, p.Urg = true, b.num(f.Urg)
		case f.Length != "":
			p.HasLen, p.Len = true, b.num(f.Length)
			if modern && i+1 < len(fs) {
				b.suffix(fs[i+1].Pos.Offset)
			}
		case f.Options != nil:
			b.options(f.Options)
		case f.Classic != nil:
			if modern || isBreakTag(f.Classic) {
				// `<br>` from a web page, not a classic option list
				b.suffix(f.Pos.Offset)
				continue
			}
			b.options(f.Classic)
		case f.Group != nil:
			if !b.group(f.Group) {
				b.suffix(f.Pos.Offset)
			}
		default:
			b.suffix(f.Pos.Offset)
		}
	}
}

func (b *builder) suffix(start int) {
	end := len(b.raw)
	for end > start && isSpace(b.raw[end-1]) {
		end--
	}
	if end > start {
		b.p.Suffix = span(start, end)
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// group interprets a bracketed note inside the TCP part and reports whether
// it is one tcpdump prints there.
func (b *builder) group(g *Group) bool {
	p := b.p
	var first, second string
	if len(g.Items) > 0 {
		first = g.Items[0].Tok
	}
	if len(g.Items) > 1 {
		second = g.Items[1].Tok
	}
	switch {
	case first == "|": // [|tcp]: the capture was cut here
		p.Truncated = true
	case first == "bad" && second == "hdr":
		p.Truncated = true
	case first == "bad" && second == "opt":
		p.Truncated = true
	case first == "tcp" && second == "sum": // 3.6–3.8 [tcp sum ok]
		p.HasCksum, p.CksumOK = true, true
		p.Cksum = span(g.Pos.Offset+1, g.EndPos.Offset-1)
	case first == "bad" && second == "tcp": // [bad tcp cksum fef2 (->c376)!]
		p.HasCksum, p.CksumOK = false, false
		p.HasCksum = true
		p.Cksum = span(g.Pos.Offset+1, g.EndPos.Offset-1)
	case first == "ack" || first == "urg": // 4.99.6 [ack N != 0 while ACK flag not set]
	case first == "remaining": // [remaining caplen(N) < header length(M)]
		p.Truncated = true
	case first == "RST" || first == "RST+":
	case g.Open == "(":
		b.ipHeader(g)
		return p.IP.Present
	case first == "tos" || first == "ttl": // 3.7 [tos 0x10] [ttl 1]
		b.ipHeader(g)
	default:
		return false
	}
	return true
}

// isBreakTag reports whether a `<…>` group is an HTML line break.
func isBreakTag(o *Options) bool {
	if len(o.Items) != 1 || len(o.Items[0].Parts) == 0 {
		return false
	}
	w := o.Items[0].Parts[0].Tok
	return w == "br" || w == "BR"
}

// options reads the option list.
func (b *builder) options(o *Options) {
	if o.Close == "" {
		b.p.OptionsOpen = true
	}
	for i := 0; i < len(o.Items); i++ {
		it := o.Items[i]
		if len(it.Parts) == 0 {
			continue
		}
		opt := Option{Text: span(it.Pos.Offset, it.EndPos.Offset)}
		b.option(it, &opt)
		if opt.Kind == OptMD5 && i+1 < len(o.Items) && isMD5Tail(o.Items[i+1]) {
			// `md5 shared secret not supplied with -M, can't check - 0001…`:
			// one option whose text has a comma
			i++
			opt.Text.End = int32(o.Items[i].EndPos.Offset)
		}
		b.p.Options = append(b.p.Options, opt)
	}
}

// isMD5Tail reports whether an option item is the `can't check - …` that
// tcpdump prints after the comma of an MD5 signature option.
func isMD5Tail(it *OptItem) bool {
	ps := it.Parts
	return len(ps) >= 3 && ps[0].Tok == "can" && ps[1].Tok == "'" && ps[2].Tok == "t"
}

func (b *builder) option(it *OptItem, o *Option) {
	parts := it.Parts
	word := parts[0].Tok
	nums := func() []uint32 {
		var out []uint32
		for _, pt := range parts[1:] {
			if n, ok := parseUint([]byte(pt.Tok)); ok {
				out = append(out, n)
			}
		}
		return out
	}
	if parts[0].Group != nil {
		o.Kind = OptTruncated
		b.p.Truncated = true
		return
	}
	for _, pt := range parts {
		if pt.Group != nil {
			// `TS [|tcp]`, `mss 1460[len 6]`, `dss[bad opt]`
			if g := pt.Group; len(g.Items) > 0 && (g.Items[0].Tok == "|" || g.Items[0].Tok == "bad") {
				b.p.Truncated = true
			}
		}
	}
	switch word {
	case "mss":
		o.Kind = OptMSS
		if n := nums(); len(n) > 0 {
			o.Val = n[0]
		}
	case "nop":
		o.Kind = OptNOP
	case "eol":
		o.Kind = OptEOL
	case "wscale":
		o.Kind = OptWScale
		if n := nums(); len(n) > 0 {
			o.Val = n[0]
		}
	case "sackOK":
		o.Kind = OptSACKPermitted
	case "sack":
		o.Kind = OptSACK
		for _, pt := range parts {
			if t := pt.Brace; t != nil && o.NBlocks < MaxSACKBlocks && len(t.Toks) == 3 && t.Toks[1] == ":" {
				o.Blocks[o.NBlocks] = [2]uint32{b.num(t.Toks[0]), b.num(t.Toks[2])}
				o.NBlocks++
			}
		}
	case "TS", "timestamp":
		o.Kind = OptTimestamps
		if n := nums(); len(n) >= 2 {
			o.Val, o.Val2 = n[0], n[1]
		} else if len(n) == 1 {
			o.Val = n[0]
		}
	case "tfo", "exp-tfo":
		o.Kind = OptTFO
		for _, pt := range parts[1:] {
			if pt.Tok == "cookie" {
				o.Cookie = true
			}
		}
	case "mptcp":
		o.Kind = OptMPTCP
	case "md5", "tcpmd5":
		o.Kind = OptMD5
	case "uto":
		o.Kind = OptUTO
	case "tcp-ao":
		o.Kind = OptTCPAO
	default:
		if k, cookie, ok := legacyOption(b.raw[o.Text.Start:o.Text.End]); ok {
			o.Kind, o.Cookie = k, cookie
			return
		}
		switch {
		case len(word) > 4 && word[:4] == "exp-":
			o.Kind = OptExperimental
		case len(word) > 5 && word[:5] == "md5sh", len(word) > 3 && word[:3] == "md5":
			o.Kind = OptMD5
		case len(word) > 3 && word[:3] == "uto":
			o.Kind = OptUTO
		default:
			o.Kind = OptUnknown
		}
	}
}

// legacyOption reads how old releases print options they have no name
// for: 3.x `opt-34:0102…` and `opt-254:f989`, 4.0–4.4 `Unknown Option
// 254f989`. Kind 34, and the experimental kind 254 with magic f989, are TCP
// Fast Open (RFC 7413); a cookie follows the magic when there is one.
func legacyOption(text []byte) (kind OptionKind, cookie bool, ok bool) {
	s := string(text)
	var num, data string
	switch {
	case strings.HasPrefix(s, "opt-"):
		num = s[4:]
		if i := strings.IndexByte(num, ':'); i >= 0 {
			num, data = num[:i], num[i+1:]
		}
	case strings.HasPrefix(s, "Unknown Option "):
		rest := s[len("Unknown Option "):]
		switch {
		case strings.HasPrefix(rest, "254f989") || strings.HasPrefix(rest, "253f989"):
			num, data = rest[:3], rest[3:]
		case strings.HasPrefix(rest, "34"):
			num, data = "34", rest[2:]
		default:
			return 0, false, false
		}
	default:
		return 0, false, false
	}
	switch num {
	case "34":
		return OptTFO, len(data) > 0, true
	case "253", "254":
		if strings.HasPrefix(data, "f989") {
			return OptTFO, len(data) > 4, true
		}
		return OptExperimental, false, true
	case "19":
		return OptMD5, false, true
	case "28":
		return OptUTO, false, true
	case "29":
		return OptTCPAO, false, true
	case "30":
		return OptMPTCP, false, true
	}
	return OptUnknown, false, true
}

// clockMicros reads a time of day (or a -tttt date and time) as
// microseconds: since midnight for a bare time, since the epoch for a date.
func clockMicros(s string) (TimeKind, int64) {
	kind := ClockTime
	var days int64
	if len(s) > 11 && s[4] == '-' { // 2023-11-14 22:13:20.000000
		y, _ := strconv.Atoi(s[0:4])
		m, _ := strconv.Atoi(s[5:7])
		d, _ := strconv.Atoi(s[8:10])
		days = daysFromCivil(y, m, d)
		s = s[11:]
		kind = DateTime
	} else if len(s) > 11 && s[2] == '/' { // 3.7: 07/06/2005 03:57:35.938066
		m, _ := strconv.Atoi(s[0:2])
		d, _ := strconv.Atoi(s[3:5])
		y, _ := strconv.Atoi(s[6:10])
		days = daysFromCivil(y, m, d)
		s = s[11:]
		kind = DateTime
	}
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	var h, mi, sec, frac, scale int64
	i := 0
	read := func() int64 {
		var n int64
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			n = n*10 + int64(s[i]-'0')
			i++
		}
		return n
	}
	h = read()
	i++
	mi = read()
	i++
	sec = read()
	scale = 1
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		frac = read()
		for d := i - start; d < 6; d++ {
			frac *= 10
		}
		for d := i - start; d > 6; d-- {
			scale *= 10
		}
	}
	us := ((h*60+mi)*60+sec)*1_000_000 + frac/scale
	if neg {
		us = -us
	}
	return kind, days*86_400_000_000 + us
}

func epochMicros(s string) int64 {
	dot := indexString(s, ".")
	secs, _ := strconv.ParseInt(s[:dot], 10, 64)
	frac := s[dot+1:]
	var f int64
	for i := 0; i < 6; i++ {
		f *= 10
		if i < len(frac) {
			f += int64(frac[i] - '0')
		}
	}
	return secs*1_000_000 + f
}

// daysFromCivil returns days since 1970-01-01 (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097 + doe - 719468)
}
