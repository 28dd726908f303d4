package grammar

import (
	"bytes"
	"errors"

	"github.com/alecthomas/participle/v2"
)

// Nothing is silently skipped: a line that looks like a TCP segment (an
// endpoint pair followed by TCP fields) but that neither the fast path nor
// the grammar reads is marked with the reason, the part of the line that
// defeated the reader and where it starts, so that tcpnote can say so
// instead of dropping the segment.

// UnreadField names the part of a segment line that could not be read.
type UnreadField uint8

// The parts of a segment line, in the order tcpdump prints them.
const (
	UnreadNone    UnreadField = iota
	UnreadPair                // the `src > dst:` pair: no colon ends it
	UnreadSrc                 // the source is not host.port
	UnreadDst                 // the destination is not host.port
	UnreadFlags               // the flags are not tcpdump's
	UnreadNumber              // a number does not fit 32 bits, or is not a number
	UnreadOptions             // the option list
	UnreadFields              // something else among the TCP fields
)

var unreadFieldNames = [...]string{"", "pair", "src", "dst", "flags", "number", "options", "fields"}

// String returns the field's name as used in JSON.
func (f UnreadField) String() string {
	if int(f) < len(unreadFieldNames) {
		return unreadFieldNames[f]
	}
	return ""
}

// Unread says why a line that looks like a TCP segment was not read.
type Unread struct {
	Field UnreadField
	// Col is the 1-based byte column where the unread part starts; Width
	// its length in bytes.
	Col, Width int
}

// Present reports whether u marks an unread segment.
func (u Unread) Present() bool { return u.Field != UnreadNone }

// Diagnose tells whether a line that was not read as a TCP segment looks
// like one and, if so, which part defeated the reader. It returns the zero
// Unread for a line that does not look like a segment (prose, hex dumps,
// UDP, a -v header alone).
func Diagnose(raw []byte) Unread {
	gt, w := findSeparator(raw)
	if gt < 0 || !tcpish(raw[gt:]) {
		return Unread{}
	}
	// the source: the word before the separator
	s0 := gt
	for s0 > 0 && !isBlank(raw[s0-1]) {
		s0--
	}
	if !endpointLike(raw[s0:gt]) {
		return unread(UnreadSrc, s0, gt)
	}
	d0 := gt + w
	colon := -1
	for i := d0; i < len(raw); i++ {
		if raw[i] == ':' && (i+1 == len(raw) || isBlank(raw[i+1])) {
			colon = i
			break
		}
		if isBlank(raw[i]) {
			break
		}
	}
	if colon < 0 {
		d1 := d0
		for d1 < len(raw) && !isBlank(raw[d1]) {
			d1++
		}
		return unread(UnreadPair, d0, d1)
	}
	if !endpointLike(raw[d0:colon]) {
		return unread(UnreadDst, d0, colon)
	}
	body := colon + 1
	for body < len(raw) && isBlank(raw[body]) {
		body++
	}
	if otherProtocol(raw[body:]) {
		return Unread{}
	}
	if u, ok := diagnoseFlags(raw, body); ok {
		return u
	}
	if u, ok := diagnoseNumbers(raw, body); ok {
		return u
	}
	// Let the grammar say where it stopped.
	if _, err := lineParser().ParseBytes("", raw); err != nil {
		var pe participle.Error
		if errors.As(err, &pe) {
			if off := pe.Position().Offset; off >= body && off < len(raw) {
				end := off
				for end < len(raw) && !isBlank(raw[end]) {
					end++
				}
				field := UnreadFields
				if i := bytes.LastIndex(raw[:off], []byte("options [")); i >= 0 && bytes.IndexByte(raw[i:off], ']') < 0 {
					field = UnreadOptions
				}
				return unread(field, off, end)
			}
		}
	}
	end := body
	for end < len(raw) && !isBlank(raw[end]) {
		end++
	}
	return unread(UnreadFields, body, end)
}

func unread(f UnreadField, start, end int) Unread {
	if end < start {
		end = start
	}
	return Unread{Field: f, Col: start + 1, Width: end - start}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// findSeparator finds the ` > ` (or ` &gt; `) of an endpoint pair and
// returns the offset of the space before it and the separator's width. A
// separator is followed by at least one more byte. It jumps from '>' to
// '>' (IndexByte) rather than testing every byte: every line that is not a
// segment comes here, and the hex lines of -x/-X hold few of them, so the
// byte loop it replaces was a fifth of a -X render's instructions.
func findSeparator(raw []byte) (int, int) {
	at, w := -1, 0
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '>')
		if j < 0 {
			break
		}
		j += i
		if j >= 1 && j+2 < len(raw) && raw[j-1] == ' ' && raw[j+1] == ' ' {
			at, w = j-1, 3
			break
		}
		i = j + 1
	}
	// ` &gt; ` (HTML-escaped text) counts only before any ` > `; it too
	// is found by its rare byte, '&' (bytes.Index would stop at every
	// space)
	limit := len(raw)
	if at >= 0 {
		limit = at
	}
	for i := 1; i < limit; {
		j := bytes.IndexByte(raw[i:limit], '&')
		if j < 0 {
			break
		}
		j += i
		if raw[j-1] == ' ' && bytes.HasPrefix(raw[j:], []byte("&gt; ")) {
			return j - 1, 6
		}
		i = j + 1
	}
	return at, w
}

// tcpish reports whether what follows an endpoint pair has the words of a
// TCP segment: `Flags [`, a classic range `S 1:1(0)`, or the seq, ack and
// win fields with a number.
func tcpish(rest []byte) bool {
	// (lower-case `flags [DF]` is the -v IP header's)
	if bytes.Contains(rest, []byte("Flags [")) || bytes.Contains(rest, []byte(": flags [")) {
		return true
	}
	if bytes.Contains(rest, []byte("UDP")) || bytes.Contains(rest, []byte("ICMP")) {
		return false
	}
	n := 0
	for _, w := range [...]string{" seq ", " ack ", " win "} {
		if i := bytes.Index(rest, []byte(w)); i >= 0 && i+len(w) < len(rest) && rest[i+len(w)] >= '0' && rest[i+len(w)] <= '9' {
			n++
		}
	}
	return n >= 2 || n == 1 && classicRange(rest)
}

// otherProtocol reports whether the text after an endpoint pair names
// another protocol, as tcpdump does for GRE, VXLAN, UDP …: a capitalised
// word and a comma (`GREv1, Flags [key present]`).
func otherProtocol(body []byte) bool {
	n := 0
	for n < len(body) && (body[n] >= 'A' && body[n] <= 'Z' || n > 0 && (body[n] >= '0' && body[n] <= '9' || body[n] == 'v')) {
		n++
	}
	return n >= 2 && n < len(body) && body[n] == ','
}

// classicRange reports whether text holds a classic `first:last(len)`.
func classicRange(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != ':' || i == 0 || b[i-1] < '0' || b[i-1] > '9' {
			continue
		}
		j := i + 1
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j > i+1 && j < len(b) && b[j] == '(' {
			return true
		}
	}
	return false
}

// endpointLike reports whether text is `host.port` as the grammar reads it.
func endpointLike(text []byte) bool {
	dot := bytes.LastIndexByte(text, '.')
	if dot <= 0 || dot == len(text)-1 {
		return false
	}
	for _, c := range text {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || bytes.IndexByte([]byte("_.:%-"), c) >= 0) {
			return false
		}
	}
	return true
}

// diagnoseFlags checks the flags after the pair: modern `Flags [..]` or
// the classic letters.
func diagnoseFlags(raw []byte, body int) (Unread, bool) {
	rest := raw[body:]
	if bytes.HasPrefix(rest, []byte("Flags [")) || bytes.HasPrefix(rest, []byte("flags [")) {
		open := body + len("Flags ")
		end := bytes.IndexByte(raw[open:], ']')
		if end < 0 {
			return unread(UnreadFlags, open, len(raw)), true
		}
		end += open + 1
		if _, ok := modernFlags(raw[open+1 : end-1]); !ok {
			return unread(UnreadFlags, open, end), true
		}
		return Unread{}, false
	}
	end := body
	for end < len(raw) && !isBlank(raw[end]) {
		end++
	}
	if _, ok := classicFlags(string(raw[body:end])); !ok && !bytes.HasPrefix(rest, []byte("tcp ")) {
		// a word that is no flag set: `[SYN]`, `SYN,ACK` …
		return unread(UnreadFlags, body, end), true
	}
	return Unread{}, false
}

// diagnoseNumbers finds a seq, ack, win or length whose value is no
// 32-bit number.
func diagnoseNumbers(raw []byte, body int) (Unread, bool) {
	for _, w := range [...]string{"seq ", "ack ", "win ", "length ", "urg "} {
		for i := body; ; {
			j := bytes.Index(raw[i:], []byte(w))
			if j < 0 {
				break
			}
			start := i + j + len(w)
			end := start
			for end < len(raw) && raw[end] != ',' && !isBlank(raw[end]) {
				end++
			}
			if start < end && raw[start] >= '0' && raw[start] <= '9' && bytes.IndexByte(raw[start:end], ':') < 0 {
				if _, ok := parseUint(raw[start:end]); !ok {
					return unread(UnreadNumber, start, end), true
				}
			}
			i = end
		}
	}
	return Unread{}, false
}
