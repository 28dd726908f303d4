package grammar

// Parser turns one record's text into a Packet. The zero Parser is ready to
// use; a Parser is not safe for concurrent use.
type Parser struct{}

// Parse fills p from raw and reports whether raw is a TCP segment. p.Raw
// aliases raw. A false result leaves p unspecified.
//
// The hand-written fast path (fast.go) takes the common modern shapes
// without allocating; whatever it is unsure of goes to the grammar of
// record, which decides, unless the line has nothing it could read as the
// endpoint pair it needs (noPair).
func (ps *Parser) Parse(raw []byte, p *Packet) bool {
	if fastParse(raw, p) {
		return true
	}
	if noPair(raw) {
		return false
	}
	return fromGrammar(raw, p)
}

// parseHead is Parse for the Scanner, which may join a -v header line with
// the TCP line after it: for a header line alone it returns hdr > 0, with p
// holding the header's reading for fastAfterHeader (the grammar, which
// would overwrite it, is not asked: noPair). Otherwise hdr is 0.
func (ps *Parser) parseHead(raw []byte, p *Packet) (ok bool, hdr int) {
	ok, hdr = fastParseAt(raw, 0, p)
	if ok {
		return true, 0
	}
	if hdr > 0 {
		if noPairBefore(raw, int(p.IP.Text.Start)) {
			return false, hdr
		}
		return fromGrammar(raw, p), 0
	}
	if noPair(raw) {
		return false, 0
	}
	return fromGrammar(raw, p), 0
}

// parseJoin is Parse for a join whose first line, raw[:hdr], parseHead
// read into p with that hdr (> 0): the same result, with the header line
// not read again.
func (ps *Parser) parseJoin(raw []byte, hdr int, p *Packet) bool {
	if ok, _ := fastParseAt(raw, hdr, p); ok {
		return true
	}
	if noPair(raw) {
		return false
	}
	return fromGrammar(raw, p)
}
