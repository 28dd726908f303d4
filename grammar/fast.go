package grammar

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// The fast path: a hand-written scanner for the line shapes modern tcpdump
// prints most (docs/tcpdump-formats.md §1, §3, §4, §6):
//
//	[   N  ] [time ] [iface dir ] IP|IP6 src.port > dst.port: Flags [..], [cksum …, ][seq A[:B], ][ack N, ][win W, ][urg U, ][options [...], ]length L[suffix]
//	[   N  ] [time ] [iface dir ] IP|IP6 src.port > dst.port: tcp L
//
// with time one of `HH:MM:SS.ffffff` (also -ttt's leading space and --nano),
// `-tt`'s `1700000000.000000` and `-tttt`'s `2023-11-14 HH:MM:SS.ffffff`;
// for IPv4 and IPv6, tcpdump 4.x's -v network header before the endpoints
// (on the same line or, for IPv4, on the line before); and options mss,
// nop, eol, wscale, sackOK, TS, sack with up to four blocks, tfo, and any
// other option spelled in words, numbers and hex (exp-…, uto, mptcp without
// its braces, tcp-ao, unknown-N …).
//
// fastParse fills a Packet exactly as the grammar of record does (build.go),
// field for field and span for span, and allocates nothing once p.Options
// has grown. It takes a line only when it is sure of every byte: whatever it
// does not fully recognise — another option, a note in brackets, odd spacing,
// a tab or a CR inside the fields, a number that does not fit, text after the
// length that the grammar's lexer could read as an endpoint pair — makes it
// return false, and Parser.Parse asks the grammar instead. A false result
// decides nothing: it does not mean "not TCP".
//
// Agreement with the grammar rests on the lexer's first-match rules
// (grammar.go): at every token boundary the scanner checks that no earlier
// rule (Time, Tunnel, ExtPair, Pair, Epoch, MAC, Hex) could take the bytes it
// reads as a Number or a word. fast_test.go proves the agreement on the whole
// corpus and by differential fuzzing.

// fastParse parses raw into p when raw has one of the shapes above and
// reports whether it did; false means "ask the grammar".
func fastParse(raw []byte, p *Packet) (ok bool) {
	ok, _ = fastParseAt(raw, 0, p)
	return ok
}

// fastParseHead is fastParse; when raw is a -v header line alone (which
// fastParse declines) it returns hdr = len(raw), with p holding what
// fastParse read of raw, for fastAfterHeader. Otherwise hdr is 0.
func fastParseHead(raw []byte, p *Packet) (ok bool, hdr int) {
	return fastParseAt(raw, 0, p)
}

// fastAfterHeader is fastParse for a -v packet's joined text, raw: its
// header line, raw[:hdr], was read by fastParseHead into p (which returned
// hdr), and raw goes on after it. It fills p as fastParse(raw, p) would
// and gives the same result, without reading the header line again: the
// header's reading never looks past its `)` (hdr), so it is the same on
// the line alone and in the join.
func fastAfterHeader(raw []byte, hdr int, p *Packet) bool {
	ok, _ := fastParseAt(raw, hdr, p)
	return ok
}

// fastParseAt is fastParseHead for hdr = 0, and fastAfterHeader for a
// header line raw[:hdr] already read: one function, with a jump past the
// header, as a call from one half to the other cost the lines that are
// not -v packets 20 instructions each.
func fastParseAt(raw []byte, hdr int, p *Packet) (ok bool, end int) {
	if len(raw) > MaxHead {
		return false, 0 // long lines go to the grammar's limits (limits.go)
	}
	n := len(raw)
	var i int
	if hdr > 0 {
		// (fastParse's test for a ` > ` after the header is not
		// needed: without one in raw[hdr:], fastPair, which needs one
		// there, fails)
		if !(hdr+5 <= n && raw[hdr] == '\n' && string(raw[hdr+1:hdr+5]) == "    ") {
			return false, 0
		}
		p.Raw = raw
		i = hdr + 5
		goto pair
	}
	p.reset(raw)
	i = skipSp(raw, 0)

	// -# packet number: digits, then spaces. (A digit run followed by
	// anything else is a time or not ours.)
	if i < n && isDigit(raw[i]) {
		j := digitsEnd(raw, i)
		if j < n && raw[j] == ' ' {
			if j-i > 18 {
				return false, 0
			}
			var v int64
			for _, c := range raw[i:j] {
				v = v*10 + int64(c-'0')
			}
			p.Number = v
			i = skipSp(raw, j)
		}
	}

	// Timestamp.
	if i < n && isDigit(raw[i]) {
		// (No time: a numeric address, on the TCP line of a -v packet
		// read alone; fastPair declines what the lexer reads as a time.)
		if end, kind, us, ok := fastTime(raw, i); ok {
			// -ttt's delta: its leading space and an hour of 00 (isDelta)
			if kind == ClockTime && raw[i] == '0' && raw[i+1] == '0' && raw[i+2] == ':' && deltaSpace(raw, i) {
				kind = DeltaTime
			}
			p.Time, p.TimeKind, p.Micros = span(i, end), kind, us
			i = skipSp(raw, end)
		}
	}

	// What comes between the time and the endpoints: the protocol tag,
	// -i any's interface and direction, -e's link-layer header, or, on the
	// second line of a -v packet that stands alone, nothing.
	i, ok = fastLinkAndTag(raw, i, p)
	if !ok {
		return false, 0
	}

	// -v network header: `(tos 0x0, …, length 60)` then a space, or for
	// IPv4 a newline and four spaces.
	if i < n && raw[i] == '(' {
		end, ok := fastIPHeader(raw, i, p)
		if !ok {
			return false, 0
		}
		if end == n {
			// The header line of a -v packet read alone: it is the
			// grammar's (or no one's), and the Scanner goes on from
			// here when it joins the line with its TCP line
			// (fastAfterHeader).
			return false, n
		}
		switch {
		case end < n && raw[end] == ' ':
			i = end + 1
		case end+5 <= n && raw[end] == '\n' && string(raw[end+1:end+5]) == "    ":
			i = end + 5
		default:
			return false, 0
		}
	}

pair:
	// `src.port > dst.port: `
	i, ok = fastPair(raw, i, p)
	if !ok {
		return false, 0
	}
	if p.IPVersion == 0 {
		// No tag (-e, or a lone second line): the grammar goes by the
		// source address.
		p.IPVersion = 4
		if bytes.IndexByte(p.Text(p.Src.Host), ':') >= 0 {
			p.IPVersion = 6
		}
	}

	// The TCP part.
	if hasPrefix(raw, i, "tcp ") {
		return fastQuiet(raw, i+4, p), 0
	}
	if hasPrefix(raw, i, "Flags [") {
		return fastModern(raw, i+len("Flags ["), p), 0
	}
	return fastClassic(raw, i, p), 0
}

// fastClassic reads tcpdump 3.x's TCP part at raw[i] up to the end of the
// line (docs/tcpdump-formats.md §5):
//
//	FLAGS[, cksum 0xH (correct),] [first:last(len)] [ack N] win W [urg U] [<options>] [(DF)]
//
// with FLAGS the letters S F R P W E or `.`, 3.9's -v checksum (also
// `(incorrect (-> 0xH)`), and options as in the modern list (3.x's
// `timestamp A B` too). Anything else after the fields — 3.7's `[tos …]`
// and `(ttl …)` trailers, `[tcp sum ok]`, an application's text — is left
// to the grammar.
func fastClassic(raw []byte, i int, p *Packet) bool {
	n := len(raw)
	j := i
	for j < n && (raw[j] == 'S' || raw[j] == 'F' || raw[j] == 'R' || raw[j] == 'P' || raw[j] == 'W' || raw[j] == 'E') {
		j++
	}
	if j == i {
		if i >= n || raw[i] != '.' {
			return false
		}
		j = i + 1
	}
	// The letters must be the whole Ident token; `.` is a Punct.
	if j >= n || raw[j] != ' ' && raw[j] != ',' {
		return false
	}
	f, _ := classicFlags(string(raw[i:j])) // the letters were checked above
	p.Dialect, p.Flags, p.FlagText = Classic, f, span(i, j)
	i = j
	switch {
	case hasPrefix(raw, i, " [tcp sum ok]"):
		// 3.6–3.8 -v
		p.HasCksum, p.CksumOK, p.Cksum = true, true, span(i+2, i+len(" [tcp sum ok]")-1)
		i += len(" [tcp sum ok]")
	case hasPrefix(raw, i, " [bad tcp cksum "):
		// `[bad tcp cksum a7c3!]`, 3.8's `[bad tcp cksum 209c (->e443)!]`
		h := lowerHexEnd(raw, i+len(" [bad tcp cksum "))
		if h == i+len(" [bad tcp cksum ") {
			return false
		}
		if hasPrefix(raw, h, " (->") {
			e := lowerHexEnd(raw, h+len(" (->"))
			if e == h+len(" (->") || e >= n || raw[e] != ')' {
				return false
			}
			h = e + 1
		}
		if !hasPrefix(raw, h, "!]") {
			return false
		}
		p.HasCksum, p.Cksum = true, span(i+2, h+1)
		i = h + 2
	}
	if hasPrefix(raw, i, ", cksum 0x") {
		// 3.9 -v: `SWE, cksum 0x209c (incorrect (-> 0xe443), `
		c := i + len(", ")
		h, ok := fastCksum(raw, c, " (incorrect (-> 0x", p)
		if !ok || !hasPrefix(raw, h, ", ") {
			return false
		}
		p.HasCksum, p.Cksum = true, span(c+len("cksum "), h)
		i = h + 1
	}
	// first:last(len)
	if i+1 < n && raw[i] == ' ' && isDigit(raw[i+1]) {
		a, k, ok := fastNum(raw, i+1)
		if !ok || k >= n || raw[k] != ':' {
			return false
		}
		b, k, ok := fastNum(raw, k+1)
		if !ok || k >= n || raw[k] != '(' {
			return false
		}
		l, k, ok := fastNum(raw, k+1)
		if !ok || k >= n || raw[k] != ')' {
			return false
		}
		p.HasSeq, p.Seq, p.HasSeqEnd, p.SeqEnd, p.HasLen, p.Len = true, a, true, b, true, l
		i = k + 1
	}
	for _, fld := range [...]struct {
		key      string
		has      *bool
		val      *uint32
		required bool
	}{{" ack ", &p.HasAck, &p.Ack, false}, {" win ", &p.HasWin, &p.Win, true}, {" urg ", &p.HasUrg, &p.Urg, false}} {
		if !hasPrefix(raw, i, fld.key) {
			if fld.required {
				return false
			}
			continue
		}
		v, k, ok := fastNum(raw, i+len(fld.key))
		if !ok || k < n && raw[k] != ' ' && !isSpace(raw[k]) {
			return false
		}
		*fld.has, *fld.val, i = true, v, k
	}
	if p.HasAck {
		p.Flags |= ACK
	}
	if p.HasUrg {
		p.Flags |= URG
	}
	if hasPrefix(raw, i, " <") {
		k, ok := fastOptions(raw, i+2, '>', p)
		if !ok {
			return false
		}
		i = k
	}
	i, ok := classicTrailers(raw, i, p)
	return ok && skipLexSpace(raw, i) == n
}

// classicTrailers reads what 3.x prints of the IP header after the TCP
// fields, in this order, each optional: `(DF)`, -v's `[tos 0x10]` (also
// with `,ECT(0)`, `,ECT(1)`, `,CE`) and `(ttl 64, id 0, len 60)`. build.go
// reads each as an IP header group: the first gives IP.Text, each its
// values. A trailer after a -v header before the endpoints is left to the
// grammar.
func classicTrailers(raw []byte, i int, p *Packet) (int, bool) {
	n := len(raw)
	ip := &p.IP
	if (hasPrefix(raw, i, " (DF)") || hasPrefix(raw, i, " [tos 0x") || hasPrefix(raw, i, " (ttl ")) && ip.Present {
		return 0, false
	}
	text := func(start, end int) {
		if !ip.Present {
			ip.Present, ip.Text = true, span(start, end)
		}
	}
	if hasPrefix(raw, i, " (DF)") {
		text(i+1, i+len(" (DF)"))
		ip.DF = true
		i += len(" (DF)")
	}
	if hasPrefix(raw, i, " [tos 0x") {
		h := hexEnd(raw, i+len(" [tos 0x"))
		if h == i+len(" [tos 0x") || h-(i+len(" [tos 0x")) > 7 {
			return 0, false
		}
		tos := int32(hexVal(raw[i+len(" [tos 0x") : h]))
		switch {
		case hasPrefix(raw, h, ",ECT(0)"), hasPrefix(raw, h, ",ECT(1)"):
			h += len(",ECT(0)")
		case hasPrefix(raw, h, ",CE"):
			h += len(",CE")
		}
		if h >= n || raw[h] != ']' {
			return 0, false
		}
		text(i+1, h+1)
		ip.TOS = tos
		i = h + 1
	}
	if hasPrefix(raw, i, " (ttl ") {
		ttl, j, ok := fastNum(raw, i+len(" (ttl "))
		if !ok || ttl > 1<<31-1 || !hasPrefix(raw, j, ", id ") {
			return 0, false
		}
		id, j, ok := fastNum(raw, j+len(", id "))
		if !ok || id > 1<<31-1 || !hasPrefix(raw, j, ", len ") {
			return 0, false
		}
		l, j, ok := fastNum(raw, j+len(", len "))
		if !ok || l > 1<<31-1 || j >= n || raw[j] != ')' {
			return 0, false
		}
		text(i+1, j+1)
		ip.TTL, ip.ID, ip.Length = int32(ttl), int32(id), int32(l)
		i = j + 1
	}
	return i, true
}

// fastLinkAndTag reads what tcpdump prints between the time and the -v
// header or the endpoints, and returns the offset after it:
//
//	IP  /  IP6                                 the protocol tag
//	lo    Out IP                               -i any: interface, direction, tag
//	MAC > MAC, ethertype IPv4 (0x0800), length N:         -e on Ethernet
//	MAC > MAC, ethertype 802.1Q (0x8100), length N: vlan V, p P, ethertype IPv4 (0x0800),
//	MAC > MAC, IPv4, length N:  /  … 802.1Q, length N: vlan V, p P, IPv4,   -e -q
//	Out MAC [ethertype IPv4 (0x0800), length N:]          -e on Linux cooked v1
//	lo    Out ifindex 1 MAC [ethertype …, length N:]      -e on Linux cooked v2
//	(nothing)                                  the TCP line of a -v packet read alone
//
// It sets Iface, Direction and IPVersion as build.go's prefix does: a
// direction counts only after an interface word (cooked v1's lone `Out`
// sets nothing), and without a tag IPVersion stays 0 for the caller to
// decide by the address. The link-layer words carry no meaning for the
// grammar once a time is set; without a time it would read a MAC's first
// digits as the time, so those lines are left to it.
func fastLinkAndTag(raw []byte, i int, p *Packet) (int, bool) {
	// the tag alone, most lines: what the checks below find for it, at
	// a quarter of their cost (no MAC starts with `I`)
	if hasPrefix(raw, i, "IP ") {
		p.IPVersion = 4
		return i + len("IP "), true
	}
	if hasPrefix(raw, i, "IP6 ") {
		p.IPVersion = 6
		return i + len("IP6 "), true
	}
	n := len(raw)
	timed := p.TimeKind != NoTime
	if m := macEnd(raw, i); m > i {
		// Ethernet: `MAC > MAC, ` and the ethertype.
		if !timed || !hasPrefix(raw, m, " > ") {
			return 0, false
		}
		m2 := macEnd(raw, m+3)
		if m2 == m+3 || !hasPrefix(raw, m2, ", ") {
			return 0, false
		}
		return fastEtherType(raw, m2+2, true)
	}
	w := identEnd(raw, i)
	if w == i || w >= n || raw[w] != ' ' {
		return i, true // the endpoints, or nothing the fast path takes
	}
	if isTag(raw[i:w]) {
		p.IPVersion = uint8(4 + 2*(w-i-2))
		return w + 1, true
	}
	if isDirectionBytes(raw[i:w]) {
		// Linux cooked v1 under -e: `Out MAC `.
		m := macEnd(raw, skipSp(raw, w))
		if !timed || m == skipSp(raw, w) || m >= n || raw[m] != ' ' {
			return 0, false
		}
		return fastEtherType(raw, m+1, false)
	}
	d := skipSp(raw, w)
	de := identEnd(raw, d)
	if de >= n || raw[de] != ' ' || !isDirectionBytes(raw[d:de]) {
		return 0, false
	}
	p.Iface, p.Direction = span(i, w), span(d, de)
	i = skipSp(raw, de)
	w = identEnd(raw, i)
	if w < n && raw[w] == ' ' && isTag(raw[i:w]) {
		p.IPVersion = uint8(4 + 2*(w-i-2))
		return w + 1, true
	}
	// Linux cooked v2 under -e: `ifindex N MAC `.
	if !timed || !hasPrefix(raw, i, "ifindex ") {
		return 0, false
	}
	_, j, ok := fastNum(raw, i+len("ifindex "))
	if !ok || j >= n || raw[j] != ' ' {
		return 0, false
	}
	m := macEnd(raw, j+1)
	if m == j+1 || m >= n || raw[m] != ' ' {
		return 0, false
	}
	return fastEtherType(raw, m+1, false)
}

// fastEtherType reads -e's ethertype and frame length at raw[i], with one
// 802.1Q tag between them on Ethernet, and returns the offset after them.
// On Ethernet (ether) they are required; a cooked header may go straight
// on to the endpoints (-q).
func fastEtherType(raw []byte, i int, ether bool) (int, bool) {
	j, vlan, ok := etherType(raw, i, true)
	if !ok {
		if ether {
			return 0, false
		}
		return i, true
	}
	if !hasPrefix(raw, j, ", length ") {
		return 0, false
	}
	_, j, ok = fastNum(raw, j+len(", length "))
	if !ok || !hasPrefix(raw, j, ": ") {
		return 0, false
	}
	j += 2
	if !vlan {
		return j, true
	}
	if !ether || !hasPrefix(raw, j, "vlan ") {
		return 0, false
	}
	if _, j, ok = fastNum(raw, j+len("vlan ")); !ok || !hasPrefix(raw, j, ", p ") {
		return 0, false
	}
	if _, j, ok = fastNum(raw, j+len(", p ")); !ok || !hasPrefix(raw, j, ", ") {
		return 0, false
	}
	if j, vlan, ok = etherType(raw, j+2, false); !ok || vlan || !hasPrefix(raw, j, ", ") {
		return 0, false
	}
	return j + 2, true
}

// etherType reads `ethertype IPv4 (0x0800)`, `ethertype IPv6 (0x86dd)`,
// `ethertype 802.1Q (0x8100)` or -q's `IPv4`, `IPv6`, `802.1Q` at raw[i],
// and says whether it is the VLAN tag (only when vlanOK).
func etherType(raw []byte, i int, vlanOK bool) (end int, vlan, ok bool) {
	for _, t := range [...]struct {
		s    string
		vlan bool
	}{
		{"ethertype IPv4 (0x0800)", false}, {"ethertype IPv6 (0x86dd)", false},
		{"IPv4", false}, {"IPv6", false},
		{"ethertype 802.1Q (0x8100)", true}, {"802.1Q", true},
	} {
		if (vlanOK || !t.vlan) && hasPrefix(raw, i, t.s) {
			return i + len(t.s), t.vlan, true
		}
	}
	return 0, false, false
}

// macEnd returns the end of a MAC address as tcpdump prints it (six
// lowercase two-digit hex groups) at raw[i], or i when there is none.
func macEnd(raw []byte, i int) int {
	if i+17 > len(raw) {
		return i
	}
	// (the colons first, which turn away everything but a MAC at once,
	// then each group's two digits with one lookup apiece: a loop over
	// the 17 bytes took twenty instructions a byte, two MACs a -e line)
	m := raw[i : i+17]
	if m[2] != ':' || m[5] != ':' || m[8] != ':' || m[11] != ':' || m[14] != ':' {
		return i
	}
	for k := 0; k < 17; k += 3 {
		if charClass[m[k]]&charClass[m[k+1]]&cLowerHex == 0 {
			return i
		}
	}
	if i+17 < len(raw) && raw[i+17] != ' ' && raw[i+17] != ',' {
		return i
	}
	return i + 17
}

// noPair reports whether raw holds nothing the lexer could read as an
// endpoint pair. Line needs one (grammar.go: the Pair or ExtPair token),
// and both rules need `>` or `&gt;` with a space or a no-break space
// (U+00A0, bytes c2 a0) on either side, then a run of the Pair rule's
// host characters [0-9A-Za-z_.:%-] (or, for the pasted pairs, a
// placeholder in brackets and any non-ASCII byte) that ends in a colon followed by white
// space or the end of the line (ExtPair's host class is narrower, and its
// colon is followed by a space). Without such a place the grammar cannot
// take the line, so Parser.Parse does not ask it. That is every hex and
// ASCII dump line of -x/-X/-A, the first line of a -v packet (with -e
// too: `MAC > MAC, ethertype …` has no colon after the second MAC), and
// most text that is not TCP, each of which would otherwise cost a full
// participle parse only to fail.
func noPair(raw []byte) bool { return noPairBefore(raw, len(raw)) }

var entityGT = []byte("&gt;")

// noPairBefore is noPair looking only at the candidates in raw[:from]:
// for a -v header line alone that fastParseHead read, whose header starts
// at raw[from], the header's text, as fastIPHeader takes it, has no '&'
// and no '>' after a blank (only the `->` of a bad checksum). The
// candidates are found with IndexByte (vector code): most lines that
// reach here are -v header and dump lines of 60–130 bytes.
func noPairBefore(raw []byte, from int) bool {
	head := raw[:from]
	for i := 0; ; {
		k := bytes.IndexByte(head[i:], '>')
		if k < 0 {
			break
		}
		if pairAt(raw, i+k, 1) {
			return false
		}
		i += k + 1
	}
	if bytes.IndexByte(head, '&') < 0 {
		return true
	}
	// (an `&gt;` cannot run on into the header's `(`)
	for i := 0; ; {
		k := bytes.Index(head[i:], entityGT)
		if k < 0 {
			return true
		}
		if pairAt(raw, i+k, len(entityGT)) {
			return false
		}
		i += k + 1
	}
}

// pairAt reports whether the `>` (w = 1) or `&gt;` (w = 4) at raw[i] could
// be the separator of an endpoint pair, as noPair describes.
func pairAt(raw []byte, i, w int) bool {
	n := len(raw)
	if i == 0 || raw[i-1] != ' ' && raw[i-1] != 0xa0 {
		return false
	}
	j := i + w
	switch {
	case j < n && raw[j] == ' ':
		j++
	case j+1 < n && raw[j] == 0xc2 && raw[j+1] == 0xa0:
		j += 2
	default:
		return false
	}
	e := placeholderEnd(raw, j)
	// the pasted pairs (LoosePair, BarePair) also take names in other
	// scripts: any byte of a multi-byte character may be part of the run
	// (but for the no-break space, c2 a0, which ends it)
	for e < n && (isPairChar(raw[e]) || raw[e] >= 0x80 && !(raw[e] == 0xc2 && e+1 < n && raw[e+1] == 0xa0)) {
		e++
	}
	return e > j && raw[e-1] == ':' && (e == n || raw[e] == ' ' || raw[e] == '\t' || raw[e] == 0xc2)
}

// placeholderEnd returns the end of a pasted placeholder host, `[client
// ip]` or `<server ip>` (LoosePair: at most 40 bytes inside), at raw[j], or
// j when there is none.
func placeholderEnd(raw []byte, j int) int {
	if j >= len(raw) || raw[j] != '[' && raw[j] != '<' {
		return j
	}
	closer := byte(']')
	if raw[j] == '<' {
		closer = '>'
	}
	rest := raw[j+1 : min(len(raw), j+42)]
	if k := bytes.IndexByte(rest, closer); k > 0 {
		return j + 1 + k + 1
	}
	return j
}

// fastTime reads a timestamp at raw[i] (a digit) that the lexer reads as
// one Time or Epoch token followed by a space.
func fastTime(raw []byte, i int) (end int, kind TimeKind, us int64, ok bool) {
	n := len(raw)
	// the default clock first: one or two digits and a colon
	if j := i + 1; j < n && (raw[j] == ':' || isDigit(raw[j]) && j+1 < n && raw[j+1] == ':') {
		end, us, ok = fastClock(raw, i)
		return end, ClockTime, us, ok
	}
	j := digitsEnd(raw, i)
	switch {
	case j-i == 4 && j < n && raw[j] == '-':
		// -tttt: YYYY-MM-DD HH:MM:SS.ffffff
		if i+11 > n || !isDigit(raw[i+5]) || !isDigit(raw[i+6]) || raw[i+7] != '-' ||
			!isDigit(raw[i+8]) || !isDigit(raw[i+9]) || raw[i+10] != ' ' {
			return 0, 0, 0, false
		}
		end, us, ok = fastClock(raw, i+11)
		if !ok {
			return 0, 0, 0, false
		}
		y := int(dec(raw[i : i+4]))
		m := int(dec(raw[i+5 : i+7]))
		d := int(dec(raw[i+8 : i+10]))
		return end, DateTime, daysFromCivil(y, m, d)*86_400_000_000 + us, true
	case j-i <= 2 && j < n && raw[j] == ':':
		end, us, ok = fastClock(raw, i)
		return end, ClockTime, us, ok
	case j-i >= 9 && j-i <= 11 && j < n && raw[j] == '.':
		// -tt: seconds since the epoch, 6 to 9 fractional digits.
		f := digitsEnd(raw, j+1)
		if f-(j+1) < 6 || f-(j+1) > 9 || f >= n || raw[f] != ' ' {
			return 0, 0, 0, false
		}
		return f, EpochTime, dec(raw[i:j])*1_000_000 + dec(raw[j+1:j+7]), true
	}
	return 0, 0, 0, false
}

// fastClock reads H[H]:MM:SS[.f{1,9}] followed by a space, and returns the
// microseconds since midnight as clockMicros computes them.
func fastClock(raw []byte, i int) (end int, us int64, ok bool) {
	n := len(raw)
	if i+16 <= n {
		// The common form, HH:MM:SS.ffffff and a space, as two words
		// (SWAR, as in digits8): each byte XOR what it should be
		// is a digit's value below 10, or 0 for the punctuation. The
		// bytes by themselves took 250 instructions a line.
		x := binary.LittleEndian.Uint64(raw[i:]) ^ 0x30303a30303a3030   // HH:MM:SS
		y := binary.LittleEndian.Uint64(raw[i+8:]) ^ 0x203030303030302e // .ffffff and a space
		m := (x|(x+0x0606060606060606))&0xf0f0f0f0f0f0f0f0 | x&0x0000ff0000ff0000 |
			(y|(y+0x0606060606060606))&0xf0f0f0f0f0f0f0f0 | y&0xff000000000000ff
		if m == 0 {
			hh := int64(x&0xff*10 + x>>8&0xff)
			mm := int64(x>>24&0xff*10 + x>>32&0xff)
			ss := int64(x>>48&0xff*10 + x>>56)
			// the six digits of the fraction, two zeros before them
			return i + 15, ((hh*60+mm)*60+ss)*1_000_000 + int64(eightDigits(y<<8)), true
		}
	}
	if i >= n || !isDigit(raw[i]) {
		return 0, 0, false
	}
	hh := int64(raw[i] - '0')
	h := i + 1
	if h < n && isDigit(raw[h]) {
		hh = hh*10 + int64(raw[h]-'0')
		h++
	}
	if h+6 > n || raw[h] != ':' || !isDigit(raw[h+1]) || !isDigit(raw[h+2]) ||
		raw[h+3] != ':' || !isDigit(raw[h+4]) || !isDigit(raw[h+5]) {
		return 0, 0, false // (a third digit of the hour fails here too)
	}
	mm := int64(raw[h+1]-'0')*10 + int64(raw[h+2]-'0')
	ss := int64(raw[h+4]-'0')*10 + int64(raw[h+5]-'0')
	end = h + 6
	us = ((hh*60+mm)*60 + ss) * 1_000_000
	if end < n && raw[end] == '.' {
		var frac int64
		f := end + 1
		if v, k, ok := digits8(raw, f); ok {
			frac, f = int64(v), f+k
		}
		for ; f < n && f < end+10 && isDigit(raw[f]); f++ {
			frac = frac*10 + int64(raw[f]-'0')
		}
		nd := f - (end + 1)
		if nd < 1 || f < n && isDigit(raw[f]) {
			return 0, 0, false // none, or more than nine
		}
		// to microseconds (dividing once by 10^k is dividing k times by 10)
		if nd < 6 {
			frac *= pow10[6-nd]
		} else {
			frac /= pow10[nd-6]
		}
		us += frac
		end = f
	}
	if end >= n || raw[end] != ' ' {
		return 0, 0, false
	}
	return end, us, true
}

var pow10 = [...]int64{1, 10, 100, 1000, 10000, 100000}

// fastPair reads `src.port > dst.port: ` at raw[i], the grammar's Pair
// token, and returns the offset after it.
func fastPair(raw []byte, i int, p *Packet) (int, bool) {
	n := len(raw)
	// The lexer tries Time before Pair: `1:22:33…` is a time.
	if looksLikeTime(raw, i) {
		return 0, false
	}
	j := pairRunEnd(raw, i)
	if j+3 > n || raw[j] != ' ' || raw[j+1] != '>' || raw[j+2] != ' ' {
		return 0, false
	}
	k := j + 3
	m := pairRunEnd(raw, k)
	// the dst run ends with the colon, followed by a space
	if m >= n || raw[m] != ' ' || m-1 <= k || raw[m-1] != ':' {
		return 0, false
	}
	if !fastEndpoint(raw, i, j, &p.Src) || !fastEndpoint(raw, k, m-1, &p.Dst) {
		return 0, false
	}
	return m + 1, true
}

// fastEndpoint fills e from raw[start:end], `host.port`, as splitEndpoint
// does, after checking that the Pair rule accepts it: a host of at least one
// character, a dot, and a port of letters, digits, `_` and `-`.
func fastEndpoint(raw []byte, start, end int, e *Endpoint) bool {
	// the last dot, then the port after it: its digits eight bytes at
	// once (digits8) when they fit, and only what is not a digit byte by
	// byte (the port is most often all digits, and the check done)
	dot := start + bytes.LastIndexByte(raw[start:end], '.')
	if dot <= start || dot+1 >= end {
		return false
	}
	port := raw[dot+1 : end]
	num := int32(-1)
	if v, k, ok := digits8(raw, dot+1); ok && k < 8 && k <= len(port) {
		if k < len(port) {
			if !portChars(port[k:]) {
				return false
			}
		} else if v <= 65535 {
			num = int32(v)
		}
	} else {
		if !portChars(port) {
			return false
		}
		if v, ok := parseUint(port); ok && v <= 65535 {
			num = int32(v)
		}
	}
	e.Text = span(start, end)
	e.Host = span(start, dot)
	e.Port = span(dot+1, end)
	e.PortNum = num
	return true
}

// portChars reports whether every byte of b is in the Pair rule's port
// class.
func portChars(b []byte) bool {
	for _, c := range b {
		if !isPortChar(c) {
			return false
		}
	}
	return true
}

// pairRunEnd returns the end of the run of the Pair rule's host class
// [0-9A-Za-z_.:%-] at raw[i], four bytes a step (one test of their
// classes together), then the rest one at a time: most of an address,
// `192.168.0.1.5000`, which the loop alone read at seven instructions a
// byte.
func pairRunEnd(raw []byte, i int) int {
	for i+4 <= len(raw) {
		w := raw[i : i+4 : i+4]
		if charClass[w[0]]&charClass[w[1]]&charClass[w[2]]&charClass[w[3]]&cPair == 0 {
			break
		}
		i += 4
	}
	for i < len(raw) && isPairChar(raw[i]) {
		i++
	}
	return i
}

// fastQuiet reads -q's `tcp L` at raw[i] (after `tcp `) up to the end of
// the line.
func fastQuiet(raw []byte, i int, p *Packet) bool {
	v, j, ok := fastNum(raw, i)
	if !ok || skipLexSpace(raw, j) != len(raw) {
		return false
	}
	p.Dialect = Quiet
	p.Len, p.HasLen = v, true
	return true
}

// The modern fields in the order tcpdump prints them.
const (
	stFlags = iota
	stCksum
	stSeq
	stAck
	stWin
	stUrg
	stOptions
)

// fastModern reads the modern TCP part from raw[i], just after `Flags [`.
func fastModern(raw []byte, i int, p *Packet) bool {
	n := len(raw)
	p.Dialect = Modern
	var f Flags
	j := i
	switch {
	case hasPrefix(raw, i, ".], "):
		// most segments: an ACK, or a PSH and an ACK (modernFlags's
		// reading, without the loop and the call)
		f, j = ACK, i+1
	case hasPrefix(raw, i, "P.], "):
		f, j = PSH|ACK, i+2
	default:
		for j < n && raw[j] != ']' {
			j++
		}
		if j >= n {
			return false
		}
		var ok bool
		if f, ok = modernFlags(raw[i:j]); !ok {
			return false
		}
	}
	p.Flags, p.FlagText = f, span(i, j)
	i = j + 1

	st := stFlags
	for {
		if !hasPrefix(raw, i, ", ") {
			return false
		}
		i += 2
		if i >= n {
			return false
		}
		// (a switch on the field's first byte: a jump, where a chain of
		// cases tested each field's letter in turn)
		switch raw[i] {
		case 'c':
			if st >= stCksum || !hasPrefix(raw, i, "cksum 0x") {
				return false
			}
			// `cksum 0x89e8 (correct)`, `cksum 0x4626 (incorrect -> 0x5412)`
			h, ok := fastCksum(raw, i, " (incorrect -> 0x", p)
			if !ok {
				return false
			}
			p.HasCksum = true
			p.Cksum = span(i+len("cksum "), h)
			i, st = h, stCksum
		case 's':
			if st >= stSeq || !hasPrefix(raw, i, "seq ") {
				return false
			}
			v, j, ok := fastNum(raw, i+4)
			if !ok {
				return false
			}
			p.HasSeq, p.Seq = true, v
			if j < n && raw[j] == ':' {
				v, j, ok = fastNum(raw, j+1)
				if !ok {
					return false
				}
				p.HasSeqEnd, p.SeqEnd = true, v
			}
			i, st = j, stSeq
		case 'a':
			if st >= stAck || !hasPrefix(raw, i, "ack ") {
				return false
			}
			v, j, ok := fastNum(raw, i+4)
			if !ok {
				return false
			}
			p.HasAck, p.Ack = true, v
			i, st = j, stAck
		case 'w':
			if st >= stWin || !hasPrefix(raw, i, "win ") {
				return false
			}
			v, j, ok := fastNum(raw, i+4)
			if !ok {
				return false
			}
			p.HasWin, p.Win = true, v
			i, st = j, stWin
		case 'u':
			if st >= stUrg || !hasPrefix(raw, i, "urg ") {
				return false
			}
			v, j, ok := fastNum(raw, i+4)
			if !ok {
				return false
			}
			p.HasUrg, p.Urg = true, v
			i, st = j, stUrg
		case 'o':
			if st >= stOptions || !hasPrefix(raw, i, "options [") {
				return false
			}
			j, ok := fastOptions(raw, i+len("options ["), ']', p)
			if !ok {
				return false
			}
			i, st = j, stOptions
		case 'l':
			if !hasPrefix(raw, i, "length ") {
				return false
			}
			v, j, ok := fastNum(raw, i+7)
			if !ok {
				return false
			}
			p.HasLen, p.Len = true, v
			return fastSuffix(raw, j, p)
		default:
			return false
		}
		// Every field but the length is followed by `, ` (the loop's
		// first test): the number just read ends at the comma, where
		// no lexer rule can go on.
	}
}

// fastSuffix takes what follows `length L` (raw[j] is just after L's
// digits) as the grammar does: the Suffix starts at the next token and ends
// before trailing white space.
func fastSuffix(raw []byte, j int, p *Packet) bool {
	n := len(raw)
	// L must be a whole Number token: a following letter (MAC `5a:…`,
	// Hex `0x…`), `.` (Epoch), `-` or `/` (a date), or `:` and a hex digit
	// (a time or MAC) would make the lexer read it otherwise.
	if j < n {
		switch c := raw[j]; {
		case isLetter(c), c == '.', c == '-', c == '/', c == '_', c == '%':
			return false
		case c == ':' && j+1 < n && isHex(raw[j+1]):
			return false
		}
	}
	if j == n {
		return true // no suffix: the common case, which the checks below pass
	}
	// Any text may follow, as long as the grammar's Fields take all of it:
	// they take every token but Tunnel and ExtPair, and both need a ` > `.
	// (`&gt;` too is left to the grammar, which reads it as `>` in places.)
	if bytes.IndexByte(raw[j:], '>') >= 0 || bytes.Contains(raw[j:], []byte("&gt;")) {
		return false
	}
	// Only the suffix may nest deeper than the grammar reads (limits.go).
	if bytes.Count(raw[j:], []byte("["))+bytes.Count(raw[j:], []byte("(")) > MaxNesting {
		return false
	}
	s := skipLexSpace(raw, j)
	if s == n {
		return true
	}
	e := n
	for e > s && isSpace(raw[e-1]) {
		e--
	}
	p.Suffix = span(s, e)
	return true
}

// fastOptions reads the option list from raw[i], just after `options [`
// (or classic `<`), through its closing byte (`]` or `>`), and returns the
// offset after it.
func fastOptions(raw []byte, i int, closer byte, p *Packet) (int, bool) {
	n := len(raw)
	for {
		start := i
		p.Options = append(p.Options, Option{})
		o := &p.Options[len(p.Options)-1]
		// nop and TS, most of the options, are known by their bytes,
		// without identEnd and the switch (a word is a whole Ident:
		// no word byte after it)
		var w int
		switch {
		case hasWord(raw, i, "nop"):
			o.Kind, w = OptNOP, i+len("nop")
			goto next
		case hasWord(raw, i, "TS"):
			w = i + len("TS")
			goto ts
		}
		w = identEnd(raw, i)
		if w == i {
			return 0, false
		}
		switch string(raw[i:w]) {
		case "nop":
			o.Kind = OptNOP
		case "eol":
			o.Kind = OptEOL
		case "sackOK":
			o.Kind = OptSACKPermitted
		case "mss", "wscale":
			o.Kind = OptMSS
			if w-i == 6 {
				o.Kind = OptWScale
			}
			if w >= n || raw[w] != ' ' {
				return 0, false
			}
			v, j, ok := fastNum(raw, w+1)
			if !ok {
				return 0, false
			}
			o.Val, w = v, j
		case "timestamp":
			// 3.x: `timestamp 112147477 0`
			if w >= n || raw[w] != ' ' {
				return 0, false
			}
			v, j, ok := fastNum(raw, w+1)
			if !ok || j >= n || raw[j] != ' ' {
				return 0, false
			}
			v2, j, ok := fastNum(raw, j+1)
			if !ok {
				return 0, false
			}
			o.Kind, o.Val, o.Val2, w = OptTimestamps, v, v2, j
		case "TS":
			goto ts
		case "sack":
			// `sack 2 {a:b}{c:d}`: the count, then 1 to 4 blocks.
			if w >= n || raw[w] != ' ' {
				return 0, false
			}
			_, j, ok := fastNum(raw, w+1)
			if !ok || !hasPrefix(raw, j, " {") {
				return 0, false
			}
			j++
			o.Kind = OptSACK
			for j < n && raw[j] == '{' {
				if o.NBlocks == MaxSACKBlocks {
					return 0, false
				}
				l, k, ok := fastNum(raw, j+1)
				if !ok || k >= n || raw[k] != ':' {
					return 0, false
				}
				r, k, ok := fastNum(raw, k+1)
				if !ok || k >= n || raw[k] != '}' {
					return 0, false
				}
				o.Blocks[o.NBlocks] = [2]uint32{l, r}
				o.NBlocks++
				j = k + 1
			}
			w = j
		case "tfo", "exp-tfo":
			// `tfo  cookiereq`, `tfo  cookie 0123abcd` (two spaces in
			// 4.8+), `exp-tfo cookie …`
			o.Kind = OptTFO
			j := skipSp(raw, w)
			if j == w || j-w > 2 {
				return 0, false
			}
			switch c := identEnd(raw, j); {
			case hasPrefix(raw, j, "cookiereq") && c == j+len("cookiereq"):
				w = c
			case hasPrefix(raw, j, "cookie ") && c == j+len("cookie"):
				h := hexEnd(raw, c+1)
				if h == c+1 {
					return 0, false
				}
				o.Cookie, w = true, h
			default:
				return 0, false
			}
		default:
			// Any other option whose text is words, numbers and hex
			// (`exp-acc0`, `uto 0x258 300`, `mptcp 8 dss ack 297698`,
			// `tcp-ao keyid 1 rnextkeyid 2 mac 0xaabbccdd`): the lexer
			// reads such text as Ident, Number, Hex and `-` tokens, all
			// parts of one option, and build.go gives it a kind by its
			// first word alone.
			k, ok := wordOptionKind(raw[i:w])
			if !ok {
				return 0, false
			}
			o.Kind = k
			for w < n && raw[w] == ' ' {
				e := w + 1
				for e < n && (isLetter(raw[e]) || isDigit(raw[e]) || raw[e] == '-') {
					e++
				}
				if e == w+1 {
					return 0, false
				}
				w = e
			}
		}
		goto next
	ts:
		{
			if !hasPrefix(raw, w, " val ") {
				return 0, false
			}
			v, j, ok := fastNum(raw, w+5)
			if !ok || !hasPrefix(raw, j, " ecr ") {
				return 0, false
			}
			v2, j, ok := fastNum(raw, j+5)
			if !ok {
				return 0, false
			}
			o.Kind, o.Val, o.Val2, w = OptTimestamps, v, v2, j
		}
	next:
		if w >= n {
			return 0, false
		}
		o.Text = span(start, w)
		switch raw[w] {
		case ',':
			i = w + 1
		case closer:
			return w + 1, true
		default:
			return 0, false
		}
	}
}

// hasWord reports whether the Ident token at raw[i] is w: w, then no byte
// that the token could go on with.
func hasWord(raw []byte, i int, w string) bool {
	return hasPrefix(raw, i, w) && (i+len(w) == len(raw) || charClass[raw[i+len(w)]]&cWord == 0)
}

// wordOptionKind gives an option the kind build.go's option gives it by
// its first word, for the words whose option carries no value the Packet
// keeps. It declines the words with values (mss, wscale, TS, sack, tfo),
// the bare ones handled before it, and the legacy spellings (`opt-34`,
// `Unknown Option …`) build.go decodes further.
func wordOptionKind(w []byte) (OptionKind, bool) {
	switch string(w) {
	case "mss", "nop", "eol", "wscale", "sackOK", "sack", "TS", "timestamp", "tfo", "exp-tfo", "Unknown":
		return 0, false
	case "mptcp":
		return OptMPTCP, true
	case "md5", "tcpmd5":
		return OptMD5, true
	case "uto":
		return OptUTO, true
	case "tcp-ao":
		return OptTCPAO, true
	}
	switch {
	case len(w) >= 4 && string(w[:4]) == "opt-":
		return 0, false
	case len(w) > 4 && string(w[:4]) == "exp-":
		return OptExperimental, true
	case len(w) > 3 && string(w[:3]) == "md5":
		return OptMD5, true
	case len(w) > 3 && string(w[:3]) == "uto":
		return OptUTO, true
	}
	return OptUnknown, true
}

// fastIPHeader reads tcpdump 4.x's -v network header at raw[i] (its `(`)
// and returns the offset after its `)`:
//
//	(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)
//	(flowlabel 0x12345, hlim 64, next-header TCP (6) payload length: 40)
//
// The values are those ipHeader gives; anything unusual (ECN after the tos,
// IP options, a bad checksum, TSO notes) is left to the grammar.
func fastIPHeader(raw []byte, i int, p *Packet) (int, bool) {
	n := len(raw)
	ip := &p.IP
	start := i
	i++
	var ok bool
	var v uint32
	if hasPrefix(raw, i, "tos 0x") {
		// IPv4: tos, ttl, id, offset, flags, proto, length.
		h := hexEnd(raw, i+6)
		if h == i+6 || h-(i+6) > 7 {
			return 0, false
		}
		ip.TOS = int32(hexVal(raw[i+6 : h]))
		// the ECN codepoint after the tos: `0x2,ECT(0)`, `0x3,CE`
		switch {
		case hasPrefix(raw, h, ",ECT(0)"), hasPrefix(raw, h, ",ECT(1)"):
			h += len(",ECT(0)")
		case hasPrefix(raw, h, ",CE"):
			h += len(",CE")
		}
		if !hasPrefix(raw, h, ", ttl ") {
			return 0, false
		}
		// 3.8–3.9 pad the ttl to three columns: `ttl  64`
		if v, i, ok = fastNum(raw, skipSp(raw, h+len(", ttl "))); !ok || v > 1<<31-1 || !hasPrefix(raw, i, ", id ") {
			return 0, false
		}
		ip.TTL = int32(v)
		if v, i, ok = fastNum(raw, i+len(", id ")); !ok || v > 1<<31-1 || !hasPrefix(raw, i, ", offset ") {
			return 0, false
		}
		ip.ID = int32(v)
		// a fragment (a non-zero offset, `flags [+]`) is the grammar's
		if v, i, ok = fastNum(raw, i+len(", offset ")); !ok || v != 0 || !hasPrefix(raw, i, ", flags [") {
			return 0, false
		}
		ip.Offset = 0
		i += len(", flags [")
		f := i
		for i < n && (isLetter(raw[i]) || raw[i] == '+') {
			i++
		}
		switch string(raw[f:i]) {
		case "DF":
			ip.DF = true
		case "none":
		default:
			return 0, false
		}
		ip.Flags = span(f, i)
		// 4.x, 3.9 (`proto: TCP (6), length: 60`), 3.8 (`length: 60`)
		switch {
		case hasPrefix(raw, i, "], proto TCP (6), length "):
			i += len("], proto TCP (6), length ")
		case hasPrefix(raw, i, "], proto: TCP (6), length: "):
			i += len("], proto: TCP (6), length: ")
		case hasPrefix(raw, i, "], length: "):
			i += len("], length: ")
		default:
			return 0, false
		}
	} else if hasPrefix(raw, i, "class 0x") || hasPrefix(raw, i, "flowlabel 0x") || hasPrefix(raw, i, "hlim ") {
		// IPv6 (3.9.8–4.99.5): the traffic class (not kept: build.go
		// reads no tos there) and the flow label when not zero, the hop
		// limit as ttl.
		h := i
		for _, k := range [...]string{"class 0x", "flowlabel 0x"} {
			if hasPrefix(raw, h, k) {
				e := hexEnd(raw, h+len(k))
				if e == h+len(k) || !hasPrefix(raw, e, ", ") {
					return 0, false
				}
				h = e + 2
			}
		}
		if !hasPrefix(raw, h, "hlim ") {
			return 0, false
		}
		if v, i, ok = fastNum(raw, h+len("hlim ")); !ok || v > 1<<31-1 ||
			!hasPrefix(raw, i, ", next-header TCP (6) payload length: ") {
			return 0, false
		}
		ip.TTL = int32(v)
		i += len(", next-header TCP (6) payload length: ")
	} else {
		return 0, false
	}
	if v, i, ok = fastNum(raw, i); !ok || v > 1<<31-1 {
		return 0, false
	}
	if hasPrefix(raw, i, ", bad cksum ") {
		// 4.x -v on a wrong IPv4 header checksum: `, bad cksum 0
		// (->29b)!`, lowercase hex without 0x. build.go keeps nothing
		// of it but the header's text.
		h := lowerHexEnd(raw, i+len(", bad cksum "))
		if h == i+len(", bad cksum ") || !hasPrefix(raw, h, " (->") {
			return 0, false
		}
		e := lowerHexEnd(raw, h+len(" (->"))
		if e == h+len(" (->") || !hasPrefix(raw, e, ")!") {
			return 0, false
		}
		i = e + 2
	}
	if i >= n || raw[i] != ')' {
		return 0, false
	}
	ip.Length = int32(v)
	ip.Present = true
	ip.Text = span(start, i+1)
	return i + 1, true
}

// fastNum reads a decimal number at raw[i] that parseUint accepts (at most
// 10 digits, at most 2^32-1) in one pass; the caller checks that the lexer
// ends the Number token where the digits end.
func fastNum(raw []byte, i int) (uint32, int, bool) {
	if i+8 <= len(raw) {
		// eight bytes at once, as digits8 (here written out: a call
		// costs more than the reading)
		x := binary.LittleEndian.Uint64(raw[i:]) ^ 0x3030303030303030
		m := (x | (x + 0x0606060606060606)) & 0xf0f0f0f0f0f0f0f0
		k := bits.TrailingZeros64(m) >> 3
		if k == 0 {
			return 0, 0, false
		}
		v := uint64(eightDigits(x << (64 - 8*k)))
		j := i + k
		if k < 8 {
			return uint32(v), j, true
		}
		// the ninth and tenth digits; an eleventh is too many
		if j < len(raw) && isDigit(raw[j]) {
			v = v*10 + uint64(raw[j]-'0')
			j++
			if j < len(raw) && isDigit(raw[j]) {
				v = v*10 + uint64(raw[j]-'0')
				j++
				if v > 1<<32-1 || j < len(raw) && isDigit(raw[j]) {
					return 0, 0, false
				}
			}
		}
		return uint32(v), j, true
	}
	// the last bytes of the line, one at a time (fewer than eight remain:
	// the number fits)
	var v uint32
	j := i
	for ; j < len(raw) && isDigit(raw[j]); j++ {
		v = v*10 + uint32(raw[j]-'0')
	}
	if j == i {
		return 0, 0, false
	}
	return v, j, true
}

// digits8 reads the digits at raw[i], at most eight, eight bytes at once
// (SWAR): most numbers on a line are sequence numbers and timestamps of
// ten digits, which a loop took at seven instructions a digit. It returns
// their value and count; ok is false when fewer than eight bytes remain.
func digits8(raw []byte, i int) (v uint32, k int, ok bool) {
	if i < 0 || i+8 > len(raw) {
		return 0, 0, false
	}
	x := binary.LittleEndian.Uint64(raw[i:]) ^ 0x3030303030303030
	// a byte of x is a digit's value iff it is below 10: its high nibble
	// is 0 before and after adding 6. (A carry out of a byte that is not
	// a digit may spoil the bytes after it, never the digits before it,
	// and only the first non-digit counts.)
	m := (x | (x + 0x0606060606060606)) & 0xf0f0f0f0f0f0f0f0
	k = bits.TrailingZeros64(m) >> 3
	if k == 0 {
		return 0, 0, true
	}
	return eightDigits(x << (64 - 8*k)), k, true // zero digits in front
}

// eightDigits returns the number whose eight decimal digits are the bytes
// of x, the first digit in the lowest byte, each byte the digit's value:
// pairs, then fours, then the whole, by multiplication (the method of
// fast_float's parse_eight_digits_unrolled).
func eightDigits(x uint64) uint32 {
	x = x*10 + x>>8 // byte 2k holds digits 2k and 2k+1 as a number
	const mask = 0x000000ff000000ff
	x = ((x&mask)*(100+1000000<<32) + (x>>16&mask)*(1+10000<<32)) >> 32
	return uint32(x)
}

// looksLikeTime reports whether the lexer's Time rule, -?\d{1,2}:\d{2}:\d{2},
// matches at raw[i].
func looksLikeTime(raw []byte, i int) bool {
	n := len(raw)
	// most calls are at an address: no colon one or two bytes on
	if i+2 < n && raw[i] != '-' && raw[i+1] != ':' && raw[i+2] != ':' {
		return false
	}
	if i < n && raw[i] == '-' {
		i++
	}
	j := i
	for j < n && j < i+2 && isDigit(raw[j]) {
		j++
	}
	for h := i + 1; h <= j; h++ { // one or two digits for the hour
		if h+6 <= n && raw[h] == ':' && isDigit(raw[h+1]) && isDigit(raw[h+2]) &&
			raw[h+3] == ':' && isDigit(raw[h+4]) && isDigit(raw[h+5]) {
			return true
		}
	}
	return false
}

func isTag(w []byte) bool {
	return len(w) == 2 && w[0] == 'I' && w[1] == 'P' ||
		len(w) == 3 && w[0] == 'I' && w[1] == 'P' && w[2] == '6'
}

func isDirectionBytes(w []byte) bool {
	switch string(w) {
	case "In", "Out", "B", "M", "P":
		return true
	}
	return false
}

func hasPrefix(raw []byte, i int, s string) bool {
	return i+len(s) <= len(raw) && string(raw[i:i+len(s)]) == s
}

func skipSp(raw []byte, i int) int {
	for i < len(raw) && raw[i] == ' ' {
		i++
	}
	return i
}

// skipLexSpace skips what the lexer's Space rule takes: ASCII white space,
// no-break spaces (U+00A0) and ideographic spaces (U+3000).
func skipLexSpace(raw []byte, i int) int {
	for i < len(raw) {
		switch {
		case isSpace(raw[i]):
			i++
		case raw[i] == 0xc2 && i+1 < len(raw) && raw[i+1] == 0xa0:
			i += 2
		case raw[i] == 0xe3 && i+2 < len(raw) && raw[i+1] == 0x80 && raw[i+2] == 0x80:
			i += 3
		default:
			return i
		}
	}
	return i
}

func digitsEnd(raw []byte, i int) int {
	for i < len(raw) && isDigit(raw[i]) {
		i++
	}
	return i
}

// lowerHexEnd returns the end of a run of digits and a-f at raw[i].
func lowerHexEnd(raw []byte, i int) int {
	for i < len(raw) && (isDigit(raw[i]) || raw[i] >= 'a' && raw[i] <= 'f') {
		i++
	}
	return i
}

func hexEnd(raw []byte, i int) int {
	for i < len(raw) && isHex(raw[i]) {
		i++
	}
	return i
}

// identEnd returns the end of the Ident token [A-Za-z][A-Za-z0-9_-]* at
// raw[i], or i when there is none.
func identEnd(raw []byte, i int) int {
	if i >= len(raw) || !isLetter(raw[i]) {
		return i
	}
	i++
	for i < len(raw) && charClass[raw[i]]&cWord != 0 {
		i++
	}
	return i
}

func dec(s []byte) int64 {
	var v int64
	for _, c := range s {
		v = v*10 + int64(c-'0')
	}
	return v
}

func hexVal(s []byte) int64 {
	var v int64
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			v = v*16 + int64(c-'0')
		case c >= 'a' && c <= 'f':
			v = v*16 + int64(c-'a'+10)
		default:
			v = v*16 + int64(c-'A'+10)
		}
	}
	return v
}

// The byte classes the scanner tests, one bit each in charClass: a lookup
// and a test per byte, where the chains of comparisons they replace cost
// up to fourteen (the scanner's loops were a fifth of its time).
const (
	cLetter   = 1 << iota // [A-Za-z]
	cHex                  // [0-9A-Fa-f]
	cWord                 // [0-9A-Za-z_-]: Ident's continuation, the Pair rule's port class
	cPair                 // [0-9A-Za-z_.:%-]: the Pair rule's host class
	cLowerHex             // [0-9a-f]: a MAC's digits
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		letter := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
		digit := b >= '0' && b <= '9'
		if letter {
			t[c] |= cLetter
		}
		if digit || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' {
			t[c] |= cHex
		}
		if digit || b >= 'a' && b <= 'f' {
			t[c] |= cLowerHex
		}
		if letter || digit || b == '_' || b == '-' {
			t[c] |= cWord
		}
		if letter || digit || b == '_' || b == '.' || b == ':' || b == '%' || b == '-' {
			t[c] |= cPair
		}
	}
	return t
}()

func isDigit(c byte) bool  { return c-'0' < 10 }
func isLetter(c byte) bool { return charClass[c]&cLetter != 0 }
func isHex(c byte) bool    { return charClass[c]&cHex != 0 }

// isPairChar is the Pair rule's host class [0-9A-Za-z_.:%-].
func isPairChar(c byte) bool { return charClass[c]&cPair != 0 }

// isPortChar is the Pair rule's port class [0-9A-Za-z_-].
func isPortChar(c byte) bool { return charClass[c]&cWord != 0 }

// fastCksum reads `cksum 0xHHHH (correct)` or `cksum 0xHHHH` + incorrect +
// `HHHH)` starting at i, the incorrect form being the modern ` (incorrect
// -> 0x` or 3.9's ` (incorrect (-> 0x`. It sets CksumOK and returns the end.
func fastCksum(raw []byte, i int, incorrect string, p *Packet) (int, bool) {
	h := hexEnd(raw, i+len("cksum 0x"))
	if h == i+len("cksum 0x") {
		return 0, false
	}
	switch {
	case hasPrefix(raw, h, " (correct)"):
		p.CksumOK = true
		return h + len(" (correct)"), true
	case hasPrefix(raw, h, incorrect):
		x := h + len(incorrect)
		h = hexEnd(raw, x)
		if h == x || h >= len(raw) || raw[h] != ')' {
			return 0, false
		}
		return h + 1, true
	}
	return 0, false
}
