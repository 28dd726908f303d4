package grammar

import (
	"bytes"
	"strings"
)

// The shapes pasted and hand-written traces give a segment that tcpdump
// never prints: placeholder hosts, hosts in other scripts, hosts without a
// port, flags spelled as words. They are read here, apart from tcpdump's
// own shapes in build.go.

// loosePair splits a pasted pair at its ` > ` (a placeholder may itself
// hold `>`): each side is `host.port`, or a host alone.
func (b *builder) loosePair(start int, text string) bool {
	sep, width := -1, 0
	for _, s := range []string{" > ", "\u00a0>\u00a0", " > ", " &gt; "} {
		// the first separator after a leading placeholder
		from := 0
		if len(text) > 0 && (text[0] == '[' || text[0] == '<') {
			if c := strings.IndexAny(text, "]>"); c > 0 {
				from = c + 1
			}
		}
		if i := strings.Index(text[from:], s); i >= 0 && (sep < 0 || from+i < sep) {
			sep, width = from+i, len(s)
		}
	}
	colon := lastColon(text)
	if sep <= 0 || colon < sep+width {
		return false
	}
	return looseEndpoint(b.raw, start, start+sep, &b.p.Src) &&
		looseEndpoint(b.raw, start+sep+width, start+colon, &b.p.Dst)
}

// looseEndpoint fills e from raw[start:end]: `host.port`, or a host alone.
func looseEndpoint(raw []byte, start, end int, e *Endpoint) bool {
	if bytes.IndexByte(raw[start:end], '.') < 0 {
		if end <= start {
			return false
		}
		e.Text, e.Host, e.Port, e.PortNum = span(start, end), span(start, end), Span{}, -1
		return true
	}
	return splitEndpoint(raw, start, end, e)
}

// wordFlags maps flags spelled as words.
func wordFlags(words []string) Flags {
	var f Flags
	for _, w := range words {
		switch w {
		case "SYN":
			f |= SYN
		case "ACK":
			f |= ACK
		case "FIN":
			f |= FIN
		case "RST":
			f |= RST
		case "PSH":
			f |= PSH
		case "URG":
			f |= URG
		case "ECE":
			f |= ECE
		case "CWR":
			f |= CWR
		}
	}
	return f
}

// flagWords reports whether every word is a flag spelled out: `[ACK]`
// reaches the modern rule, which takes one word between brackets.
func flagWords(words []string) bool {
	for _, w := range words {
		if wordFlags([]string{w}) == 0 {
			return false
		}
	}
	return len(words) > 0
}

// words reads a segment whose flags are spelled as words.
func (b *builder) words(w *WordTCP) bool {
	p := b.p
	p.Dialect = Modern
	p.Flags = wordFlags(w.Flags)
	open := bytes.IndexByte(b.raw[w.Pos.Offset:], '[') + w.Pos.Offset
	end := bytes.IndexByte(b.raw[open:], ']') + open
	p.FlagText = span(open+1, end)
	b.fields(w.Fields, true)
	if p.HasSeqEnd && !p.HasLen {
		p.Len = p.SeqEnd - p.Seq
	}
	return true
}

// quotePrefix returns the length of the e-mail quote prefix that starts a
// line: `> `, `>> `, `> > `, 0 when there is none.
func quotePrefix(b []byte) int {
	i, n := 0, 0
	for i < len(b) && b[i] == '>' {
		i++
		n++
		for i < len(b) && b[i] == ' ' && (i+1 == len(b) || b[i+1] == '>') {
			i++
		}
	}
	if n == 0 {
		return 0
	}
	if i < len(b) && b[i] == ' ' {
		i++
	}
	return i
}

// softBreak reports whether a line ends in a quoted-printable soft break.
func softBreak(b []byte) bool { return len(b) > 0 && b[len(b)-1] == '=' }

// appendContinuation appends a continuation line to the text a join is
// parsed from: without its quote prefix when the record is quoted, and
// straight after a quoted-printable soft break (a line ending in `=`)
// instead of after a newline.
func appendContinuation(parse, next []byte, quoted int) []byte {
	if quoted > 0 {
		next = next[quotePrefix(next):]
	}
	if n := len(parse); n > 0 && parse[n-1] == '=' {
		return append(parse[:n-1], next...)
	}
	return append(append(parse, '\n'), next...)
}
