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
