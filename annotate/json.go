package annotate

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// jsonFormatter writes JSON Lines: one object per record, in input order
// (docs/formats.md, "JSON Lines"). It is written by hand, appending to one
// buffer, because encoding/json would allocate per record.
//
// JSON strings are UTF-8. A record whose bytes are not valid UTF-8 keeps
// `raw` readable (each invalid byte becomes U+FFFD) and adds `raw_base64`,
// the exact bytes: decoding raw_base64 where present, else raw, and joining
// the records with newlines gives back the input. A line longer than the
// Scanner holds (grammar.MaxLineBytes) comes as several records; each but
// the last has `"continues":true`, and no newline joins it to the next.
type jsonFormatter struct {
	w   *bufio.Writer
	o   Options
	buf []byte
	// wordsPlain is set when the language's words that sentences
	// substitute (roles, units, the parentheses of absolute numbers) need
	// no escaping: then only a piece marked quotes makes a sentence need it.
	wordsPlain bool
	// flags gather what the sentence being worded was made of (a field:
	// a local whose address is taken would escape to the heap)
	flags sayFlags
	// escaped holds, for each event code, the last sentence of it that
	// needed escaping, as worded and as escaped: most such sentences are
	// one quoting phrase said again and again (-v's checksum offload, on
	// every packet), and comparing is a fraction of escaping.
	escaped [fsm.NumCodes]struct{ raw, out []byte }
}

func newJSON(w *bufio.Writer, o Options) *jsonFormatter {
	jsonTablesOnce.Do(buildJSONTables)
	return &jsonFormatter{w: w, o: o, buf: make([]byte, 0, 2048), wordsPlain: wordsPlainJSON(o.Lang)}
}

// wordsPlainJSON reports whether the words a sentence's placeholders write
// in a language need no escaping in a JSON string.
func wordsPlainJSON(lang Lang) bool {
	w := &lang.text().Words
	for _, s := range [...]string{w.Role[0], w.Role[1], w.Units[0], w.Units[1], w.Units[2], w.Units[3], w.Abs[0], w.Abs[1]} {
		if !plainJSON([]byte(s)) {
			return false
		}
	}
	return true
}

// jsonSafe marks the ASCII bytes that stand in a JSON string as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// The SWAR constants: a byte's value repeated in each of a word's 8 bytes.
const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainWord reports whether the 8 bytes of x stand in a JSON string as
// they are (jsonSafe): none is a control byte (< 0x20 or DEL), '"', '\\'
// or non-ASCII. It lets the writer step over the plain runs of a 1–2 KB
// record 8 bytes at a time.
func plainWord(x uint64) bool { return escapeBits(x) == 0 }

// escapeBits is zero exactly when every byte of x stands in a JSON string
// as it is. A byte c with its high bit set is non-ASCII and shows in x
// itself; below 0x80, the additions reach no neighbour and set the high
// bit where c+1 ≥ 0x80 (DEL), and leave it clear where c+0x60 < 0x80
// (c < 0x20) and where c^'"'+0x7f < 0x80 (c = '"'; '\\' alike). The carry
// out of a non-ASCII byte may spoil the bytes above it, but the word is
// refused already.
func escapeBits(x uint64) uint64 {
	ok := (x + 0x60*lows) & ((x ^ '"'*lows) + 0x7f*lows) & ((x ^ '\\'*lows) + 0x7f*lows)
	return (x | (x + lows) | ^ok) & highs
}

// appendString appends s as a JSON string. Runs of plain bytes are copied
// at once; bytes that are not UTF-8 become U+FFFD.
func appendString(b []byte, s []byte) []byte {
	b, _ = appendStringValid(b, s)
	return b
}

// appendStringValid is appendString that also reports whether s was valid
// UTF-8, which saves the record's raw text a second pass.
func appendStringValid(b []byte, s []byte) (_ []byte, valid bool) {
	b, valid, _ = appendStringPlain(b, s)
	return b, valid
}

// appendStringPlain is appendStringValid that also reports which stretch
// of s needed a look: outside d, every byte is printable ASCII that
// stands as it is (jsonSafe). The record's fields are parts of its raw
// line, and one outside d is copied without a look (appendText): the
// newline of a -v record's two lines spoils none of the fields.
func appendStringPlain(b []byte, s []byte) (_ []byte, valid bool, d dirty) {
	b = append(b, '"')
	k := plainRun(s)
	b = append(b, s[:k]...)
	if k == len(s) { // nearly every record: copied at once, no second look
		return append(b, '"'), true, dirty{}
	}
	b, valid, d = appendEscaped(b, s[k:])
	d.lo += int32(k)
	d.hi += int32(k)
	return append(b, '"'), valid, d
}

// dirty is the stretch [lo, hi) of a record's raw line outside which every
// byte stands in a JSON string as it is; the zero value is a plain line.
type dirty struct{ lo, hi int32 }

// allDirty says that no part of the line is known plain.
var allDirty = dirty{0, math.MaxInt32}

// plain reports whether the bytes of a span of the line need no escaping.
func (d dirty) plain(s grammar.Span) bool { return s.End <= d.lo || s.Start >= d.hi }

// appendEscaped appends s escaped for a JSON string, without the quotes.
// Bytes that are not UTF-8 become U+FFFD. It steps from one byte that
// needs a look to the next a word at a time: the lowest byte escapeBits
// marks is exactly the first (a carry only spoils the bytes above it).
func appendEscaped(b []byte, s []byte) (_ []byte, valid bool, d dirty) {
	const hex = "0123456789abcdef"
	valid = true
	first, last := -1, 0
	start := 0 // s[start:i] is still to be copied
	for i := 0; ; {
		i += plainRun(s[i:])
		if i >= len(s) {
			break
		}
		if first < 0 {
			first = i
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start, last = i, i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if size == 1 {
				valid = false
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&15])
			}
			start = i + size
		}
		i += size
		last = i
	}
	b = append(b, s[start:]...)
	if first < 0 {
		return b, valid, dirty{}
	}
	return b, valid, dirty{int32(first), int32(last)}
}

// plainRun is the number of bytes at the start of t that stand in a JSON
// string as they are (jsonSafe), 16 bytes a step, the last word read
// overlapping the one before it rather than padded. The lowest byte
// escapeBits marks is exactly the first that does not: a carry only
// spoils the bytes above it. It keeps to registers on its own, which
// inside appendStringPlain's loop the compiler did not.
func plainRun(t []byte) int {
	s := t // t's bytes not yet looked at: advanced, not indexed, which
	// saves the bounds checks
	// 32 bytes a step while they last: the masks are made once for four
	// words, not once for two
	for ; len(s) >= 32; s = s[32:] {
		w0, w1 := binary.LittleEndian.Uint64(s), binary.LittleEndian.Uint64(s[8:])
		w2, w3 := binary.LittleEndian.Uint64(s[16:]), binary.LittleEndian.Uint64(s[24:])
		if escape2(w0, w1)|escape2(w2, w3) != 0 {
			break // the 16-byte step below finds which byte
		}
	}
	for ; len(s) >= 16; s = s[16:] {
		x, y := binary.LittleEndian.Uint64(s), binary.LittleEndian.Uint64(s[8:])
		if escape2(x, y) != 0 {
			n := len(t) - len(s)
			if e := escapeBits(x); e != 0 {
				return n + bits.TrailingZeros64(e)>>3
			}
			return n + 8 + bits.TrailingZeros64(escapeBits(y))>>3
		}
	}
	if len(s) == 0 {
		return len(t)
	}
	if len(t) >= 8 {
		// the last 1–15 bytes: the one or two words that end at len(t),
		// reaching back into bytes found plain, whose first marked byte
		// is therefore the first not plain
		k := len(t) - 8
		if len(s) > 8 {
			if e := escapeBits(binary.LittleEndian.Uint64(s)); e != 0 {
				return len(t) - len(s) + bits.TrailingZeros64(e)>>3
			}
		}
		if e := escapeBits(binary.LittleEndian.Uint64(t[k:])); e != 0 {
			return k + bits.TrailingZeros64(e)>>3
		}
		return len(t)
	}
	w := [8]byte{' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}
	copy(w[:], t)
	if e := escapeBits(binary.LittleEndian.Uint64(w[:])); e != 0 {
		return bits.TrailingZeros64(e) >> 3
	}
	return len(t)
}

// plainLine reports whether every byte of s stands in a JSON string as it
// is (jsonSafe).
func plainLine(s []byte) bool { return plainRun(s) == len(s) }

// escape2 is escapeBits(x)|escapeBits(y), with one mask for both.
func escape2(x, y uint64) uint64 {
	okx := (x + 0x60*lows) & ((x ^ '"'*lows) + 0x7f*lows) & ((x ^ '\\'*lows) + 0x7f*lows)
	oky := (y + 0x60*lows) & ((y ^ '"'*lows) + 0x7f*lows) & ((y ^ '\\'*lows) + 0x7f*lows)
	return (x | (x + lows) | ^okx | y | (y + lows) | ^oky) & highs
}

// appendText appends a part of a record's raw line as a JSON string: as it
// is when the part is plain (dirty.plain), else escaped.
func appendText(b []byte, s []byte, plain bool) []byte {
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return appendString(b, s)
}

// plainJSON reports whether s needs no escaping inside a JSON string.
func plainJSON(s []byte) bool {
	// Non-ASCII bytes are plain here (the sentences are tcpnote's own
	// UTF-8), so a word that plainWord refuses is looked at byte by byte.
	for len(s) >= 8 {
		if !plainWord(binary.LittleEndian.Uint64(s)) {
			for _, c := range s[:8] {
				if c < 0x20 || c == '"' || c == '\\' {
					return false
				}
			}
		}
		s = s[8:]
	}
	for _, c := range s {
		if c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func appendStr(b []byte, s string) []byte { return appendString(b, []byte(s)) }

// enumJSON holds, for each value of a uint8 enum, the JSON text written
// for it. The names are constants, so each is quoted once here rather than
// scanned for every record (a record has 15–25 of them).
type enumJSON [256]string

func quoteEnum(name func(v int) string) *enumJSON {
	var t enumJSON
	for v := range t {
		t[v] = string(appendStr(nil, name(v)))
	}
	return &t
}

// The enum tables, made by buildJSONTables with the rest (json_tables.go):
// at package init every format paid for them, 2.9 M instructions, 1.5% of
// a 20,000-line text run.
var (
	codeJSON, stateJSON, roleJSON, howJSON, whyJSON, kindJSON, dialectJSON *enumJSON
	// argKeyJSON is an event argument's key with its comma and colon.
	argKeyJSON *enumJSON
)

// buildEnumJSON makes the enum tables.
func buildEnumJSON() {
	codeJSON = quoteEnum(func(v int) string { return fsm.Code(v).String() })
	stateJSON = quoteEnum(func(v int) string { return fsm.State(v).String() })
	roleJSON = quoteEnum(func(v int) string { return fsm.Role(v).String() })
	howJSON = quoteEnum(func(v int) string { return fsm.How(v).String() })
	whyJSON = quoteEnum(func(v int) string { return fsm.Why(v).String() })
	kindJSON = quoteEnum(func(v int) string { return grammar.OptionKind(v).String() })
	dialectJSON = quoteEnum(func(v int) string { return grammar.Dialect(v).String() })
	argKeyJSON = new(enumJSON)
	for v := range argKeyJSON {
		argKeyJSON[v] = string(key(nil, fsm.Key(v).String()))
	}
	for _, k := range fsm.Keys() {
		for v := int64(0); v < 256 && !enumKey[k]; v++ {
			enumKey[k] = fsm.EnumName(k, v) != ""
		}
	}
	optionJSON = new(enumJSON)
	for v := range optionJSON {
		optionJSON[v] = `{"kind":` + kindJSON[v] + `,"text":`
	}
	for f := range flagNamesJSON {
		flagNamesJSON[f] = string(appendFlagList(nil, grammar.Flags(f)))
	}
}

func key(b []byte, k string) []byte {
	b = append(b, ',', '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

func (j *jsonFormatter) Record(rec *grammar.Record, r *fsm.Result) error {
	b := j.buf[:0]
	b = append(b, `{"line":`...)
	b = appendInt(b, int64(rec.Line))
	if rec.Parts > 0 { // one of the segments of a flattened line
		b = append(b, `,"part":`...)
		b = appendInt(b, int64(rec.Part))
		if rec.Unpaired {
			b = append(b, `,"unpaired":true`...)
		}
	}
	b = append(b, `,"raw":`...)
	b, valid, d := appendStringPlain(b, rec.Raw)
	if !valid {
		b = key(b, "raw_base64")
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, rec.Raw)
		b = append(b, '"')
	}
	if r == nil {
		if rec.Continues {
			// a piece of a line longer than the Scanner holds: the
			// next record's raw follows it with no newline between
			b = append(b, `,"continues":true`...)
		}
		b = append(b, `,"kind":"other"`...)
		if rec.Unread.Present() {
			b = appendUnreadJSON(b, j.o.Lang, rec)
		}
		b = append(b, '}', '\n')
		j.buf = b
		_, err := j.w.Write(b)
		return err
	}
	p := &rec.Packet
	// the packet's fields are parts of p.Raw: plain outside d if it is
	// the line looked at
	if len(p.Raw) != len(rec.Raw) || len(p.Raw) > 0 && &p.Raw[0] != &rec.Raw[0] {
		d = allDirty
	}
	b = append(b, `,"kind":"tcp","packet":`...)
	b = appendPacket(b, p, r, d)
	b = append(b, `,"conn":`...)
	b = appendInt(b, int64(r.Conn.ID))
	b = append(b, jt.from[r.From]...)
	for i := range r.Events {
		e := &r.Events[i]
		if i > 0 {
			b = append(b, ',')
		}
		// The sentence is written in place; it is tcpnote's own UTF-8
		// text, so it needs escaping only where it quotes something: a
		// piece marked quotes (template.go) is looked at again.
		b = append(b, jt.eventHead[e.Code]...)
		mark := len(b)
		j.flags = 0
		b = appendEventFlags(b, j.o.Lang, p, r, e, &j.flags)
		if j.wordsPlain && j.flags&sayQuotes == 0 {
			b = append(b, '"')
		} else {
			b = j.sentence(b, mark, e.Code)
		}
		b = appendArgsJSON(b, e)
		b = append(b, '}')
	}
	b = appendStatesJSON(b, &r.After)
	b = appendChanges(b, r)
	b = appendAckRTTJSON(b, r)
	b = append(b, '}', '\n')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

// sentence ends the sentence worded at b[mark:] as a JSON string's text:
// as it is when it needs no escaping, else escaped.
func (j *jsonFormatter) sentence(b []byte, mark int, code fsm.Code) []byte {
	said := &j.escaped[code]
	if said.out != nil && bytes.Equal(b[mark:], said.raw) {
		return append(b[:mark], said.out...)
	}
	if plainJSON(b[mark:]) {
		return append(b, '"')
	}
	// escaped from the first byte that needs a look: the bytes before it
	// stay where they are
	said.raw = append(said.raw[:0], b[mark:]...)
	k := plainRun(said.raw)
	b, _, _ = appendEscaped(b[:mark+k], said.raw[k:])
	b = append(b, '"')
	said.out = append(said.out[:0], b[mark:]...)
	return b
}

// appendArgsJSON appends an event's arguments, `,"key":value` each, in the
// order the vocabulary declares (the JSON contract), enumerations by name.
// fsm sets an event's arguments nearly always in that order: then the
// event's own list is written as it stands, which costs a step per
// argument it has, not one (and a search of the list) per argument its
// code declares; a code declares up to 12 and an event has a few.
func appendArgsJSON(b []byte, e *fsm.Event) []byte {
	args := e.Args[:e.N]
	if e.Code < fsm.NumCodes && inRank(&jt.argRank[e.Code], args) {
		for _, a := range args {
			b = append(b, argKeyJSON[a.Key]...)
			if enumKey[a.Key] {
				if name := fsm.EnumName(a.Key, a.Val); name != "" {
					b = appendStr(b, name)
					continue
				}
			}
			b = appendInt(b, a.Val)
		}
		return b
	}
	next := 0
	for _, k := range e.Code.Spec().Args {
		var v int64
		if next < len(args) && args[next].Key == k {
			v = args[next].Val
			next++
		} else if x, ok := e.Get(k); ok {
			v = x
		} else {
			continue
		}
		b = append(b, argKeyJSON[k]...)
		if enumKey[k] {
			if name := fsm.EnumName(k, v); name != "" {
				b = appendStr(b, name)
				continue
			}
		}
		b = appendInt(b, v)
	}
	return b
}

// inRank reports whether args are in the order their code declares them
// (rank, jt.argRank), each declared and none twice: then they are the
// code's declared arguments that are present, in the JSON contract's
// order, as the declared-order walk would write them.
func inRank(rank *[256]uint8, args []fsm.Arg) bool {
	prev := uint8(0)
	for _, a := range args {
		r := rank[a.Key]
		if r <= prev { // undeclared (0), repeated or out of order
			return false
		}
		prev = r
	}
	return true
}

// enumKey marks the arguments whose values are enumerations (fsm.EnumName
// names some value of theirs): the others are numbers, and need not ask.
// (buildEnumJSON)
var enumKey [256]bool

// appendPacket appends the packet object: the fields as tcpdump printed
// them, plus the absolute numbers when known.
// d is the stretch of p.Raw that needs escaping (appendStringPlain).
func appendPacket(b []byte, p *grammar.Packet, r *fsm.Result, d dirty) []byte {
	b = append(b, `{"time":`...)
	b = appendText(b, p.Text(p.Time), d.plain(p.Time))
	b = append(b, `,"src":`...)
	b = appendEndpoint(b, p, &p.Src, d)
	b = append(b, `,"dst":`...)
	b = appendEndpoint(b, p, &p.Dst, d)
	b = append(b, `,"flags":`...)
	b = appendText(b, p.Text(p.FlagText), d.plain(p.FlagText))
	b = appendFlagsDialect(b, p.Flags, p.Dialect)
	// where the absolute numbers are the printed ones (-S), their digits
	// are copied from the printed ones' rather than made again
	var seqAt, seqEnd, ackAt, ackEnd int
	if p.HasSeq {
		b = append(b, `,"seq":`...)
		seqAt = len(b)
		b = appendUint(b, uint64(p.Seq))
		seqEnd = len(b)
	}
	if p.HasSeqEnd {
		b = append(b, `,"seq_end":`...)
		b = appendUint(b, uint64(p.SeqEnd))
	}
	if p.HasAck {
		b = append(b, `,"ack":`...)
		ackAt = len(b)
		b = appendUint(b, uint64(p.Ack))
		ackEnd = len(b)
	}
	if p.HasWin {
		b = append(b, `,"win":`...)
		b = appendUint(b, uint64(p.Win))
	}
	if p.HasUrg {
		b = append(b, `,"urg":`...)
		b = appendUint(b, uint64(p.Urg))
	}
	b = append(b, `,"len":`...)
	b = appendUint(b, uint64(p.Len))
	if r != nil && r.HasSeq && p.HasSeq {
		b = append(b, `,"seq_abs":`...)
		if r.Seq == p.Seq {
			b = append(b, b[seqAt:seqEnd]...)
		} else {
			b = appendUint(b, uint64(r.Seq))
		}
	}
	if r != nil && r.HasAck {
		b = append(b, `,"ack_abs":`...)
		if p.HasAck && r.Ack == p.Ack {
			b = append(b, b[ackAt:ackEnd]...)
		} else {
			b = appendUint(b, uint64(r.Ack))
		}
	}
	if len(p.Options) > 0 {
		b = append(b, `,"options":`...)
		b = append(b, '[')
		for i := range p.Options {
			o := &p.Options[i]
			if i > 0 {
				b = append(b, ',')
			}
			if t := p.Text(o.Text); o.Kind == grammar.OptNOP && string(t) == "nop" {
				b = append(b, jt.nopOpt...)
				continue
			} else if o.Kind == grammar.OptSACKPermitted && string(t) == "sackOK" {
				b = append(b, jt.sackOKOpt...)
				continue
			}
			b = append(b, optionJSON[o.Kind]...)
			b = appendText(b, p.Text(o.Text), d.plain(o.Text))
			switch o.Kind {
			case grammar.OptMSS, grammar.OptWScale:
				b = append(b, `,"value":`...)
				b = appendUint(b, uint64(o.Val))
			case grammar.OptTimestamps:
				b = append(b, `,"val":`...)
				b = appendUint(b, uint64(o.Val))
				b = append(b, `,"ecr":`...)
				b = appendUint(b, uint64(o.Val2))
			case grammar.OptSACK:
				b = append(b, `,"blocks":`...)
				b = append(b, '[')
				for k := 0; k < int(o.NBlocks); k++ {
					if k > 0 {
						b = append(b, ',')
					}
					b = append(b, '[')
					b = appendUint(b, uint64(o.Blocks[k][0]))
					b = append(b, ',')
					b = appendUint(b, uint64(o.Blocks[k][1]))
					b = append(b, ']')
				}
				b = append(b, ']')
			case grammar.OptTFO:
				b = append(b, `,"cookie":`...)
				b = strconv.AppendBool(b, o.Cookie)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if p.IP.Present || !p.Ext.Empty() || p.Frag.Present {
		b = append(b, `,"ip":`...)
		b = appendIP(b, p.IPVersion, &p.IP)
		b = b[:len(b)-1] // reopen the object for what only the segment's header has
		if !p.Ext.Empty() {
			b = append(b, `,"ext":`...)
			b = appendText(b, bytes.TrimRight(p.Text(p.Ext), " "), d.plain(p.Ext))
		}
		if f := &p.Frag; f.Present {
			b = append(b, `,"fragment":`...)
			b = append(b, `{"later":`...)
			b = strconv.AppendBool(b, f.Later)
			for _, x := range [...]struct {
				k string
				v int64
			}{{"offset", int64(f.Offset)}, {"len", int64(f.Len)}, {"id", f.ID}} {
				if x.v >= 0 {
					b = key(b, x.k)
					b = appendInt(b, x.v)
				}
			}
			if f.More >= 0 {
				b = append(b, `,"more":`...)
				b = strconv.AppendBool(b, f.More == 1)
			}
			if !f.Text.Empty() {
				b = append(b, `,"text":`...)
				b = appendText(b, p.Text(f.Text), d.plain(f.Text))
			}
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	if tu := &p.Tunnel; tu.Kind != grammar.NoTunnel {
		b = append(b, `,"tunnel":`...)
		b = append(b, `{"kind":`...)
		b = appendStr(b, tu.Kind.String())
		if !tu.Src.Empty() {
			b = append(b, `,"src":`...)
			b = appendText(b, p.Text(tu.Src), d.plain(tu.Src))
			b = append(b, `,"dst":`...)
			b = appendText(b, p.Text(tu.Dst), d.plain(tu.Dst))
		}
		b = append(b, `,"text":`...)
		b = appendText(b, p.Text(tu.Text), d.plain(tu.Text))
		if tu.IP.Present {
			v := 4
			if tu.Kind == grammar.TunnelIP6 {
				v = 6
			}
			b = append(b, `,"ip":`...)
			b = appendIP(b, uint8(v), &tu.IP)
		}
		b = append(b, '}')
	}
	if p.HasCksum {
		b = append(b, `,"cksum_ok":`...)
		b = strconv.AppendBool(b, p.CksumOK)
	}
	if p.Truncated {
		b = append(b, `,"truncated":`...)
		b = append(b, "true"...)
	}
	return append(b, '}')
}

// appendIP appends the fields of a -v IP header as an object.
func appendIP(b []byte, version uint8, ip *grammar.IPHeader) []byte {
	b = append(b, `{"version":`...)
	b = appendInt(b, int64(version))
	for _, f := range [...]struct {
		k string // with its comma and colon: key() is three appends
		v int32
	}{{`,"tos":`, ip.TOS}, {`,"ttl":`, ip.TTL}, {`,"id":`, ip.ID}, {`,"length":`, ip.Length}} {
		if f.v >= 0 && ip.Present {
			b = append(b, f.k...)
			b = appendInt(b, int64(f.v))
		}
	}
	if ip.Present {
		b = append(b, `,"df":`...)
		b = strconv.AppendBool(b, ip.DF)
		if ip.MF || ip.Offset > 0 { // a fragment
			b = append(b, `,"offset":`...)
			b = appendInt(b, int64(ip.Offset))
			b = append(b, `,"mf":`...)
			b = strconv.AppendBool(b, ip.MF)
		}
	}
	return append(b, '}')
}

// optionJSON is an option object's start up to its text: `{"kind":"mss","text":`.
// (buildEnumJSON)
var optionJSON *enumJSON

// flagNamesJSON is the tcp_flags list of every combination of the nine
// flags, made once (buildEnumJSON).
var flagNamesJSON [1 << len(grammar.NameOrder)]string

// appendFlagNames appends the normalized flag list without allocating.
func appendFlagNames(b []byte, f grammar.Flags) []byte {
	if int(f) < len(flagNamesJSON) {
		return append(b, flagNamesJSON[f]...)
	}
	return appendFlagList(b, f)
}

// appendFlagList writes the list of appendFlagNames.
func appendFlagList(b []byte, f grammar.Flags) []byte {
	b = append(b, '[')
	first := true
	for _, g := range grammar.NameOrder {
		if f&g == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, g.Name()...)
		b = append(b, '"')
	}
	return append(b, ']')
}

// appendEndpoint appends `host.port` as printed (or composed, after IPv6
// extension headers, where tcpdump prints the ports apart).
func appendEndpoint(b []byte, p *grammar.Packet, e *grammar.Endpoint, d dirty) []byte {
	if e.Text == e.Host && !e.Port.Empty() { // addresses and ports apart (IPv6 extension headers)
		if d.plain(e.Host) && d.plain(e.Port) {
			b = append(b, '"')
			b = append(b, p.Text(e.Host)...)
			b = append(b, '.')
			b = append(b, p.Text(e.Port)...)
			return append(b, '"')
		}
		// "host" then ".port" inside the same quotes, without a copy
		b = appendString(b, p.Text(e.Host))
		b = append(b[:len(b)-1], '.')
		m := len(b)
		b = appendString(b, p.Text(e.Port))
		copy(b[m:], b[m+1:]) // drop the port's opening quote
		return b[:len(b)-1]
	}
	return appendText(b, p.Text(e.Text), d.plain(e.Text))
}

func (j *jsonFormatter) Summary(s *fsm.Summary) error {
	j.buf = appendSummaryJSON(j.buf[:0], j.o.Lang, s)
	j.buf = append(j.buf, '\n')
	_, err := j.w.Write(j.buf)
	return err
}

// appendSummaryJSON appends a summary record (kind "summary").
func appendSummaryJSON(b []byte, lang Lang, s *fsm.Summary) []byte {
	c := s.Conn
	b = append(b, `{"kind":"summary","conn":`...)
	b = appendInt(b, int64(c.ID))
	b = append(b, `,"client":`...)
	b = appendStr(b, c.Client)
	b = append(b, `,"server":`...)
	b = appendStr(b, c.Server)
	b = append(b, `,"conn_state":`...)
	b = appendStr(b, s.ConnState)
	b = append(b, `,"history":`...)
	b = appendStr(b, s.History)
	b = append(b, `,"bytes":`...)
	b = append(b, `{"client":`...)
	b = appendUint(b, s.Bytes[fsm.Client])
	b = append(b, `,"server":`...)
	b = appendUint(b, s.Bytes[fsm.Server])
	b = append(b, '}')
	b = append(b, `,"segments":`...)
	b = append(b, `{"client":`...)
	b = appendUint(b, s.Segments[fsm.Client])
	b = append(b, `,"server":`...)
	b = appendUint(b, s.Segments[fsm.Server])
	b = append(b, '}')
	b = append(b, `,"retransmissions":`...)
	b = appendUint(b, s.Retrans[0]+s.Retrans[1])
	if s.HasClientISN || s.HasServerISN {
		b = append(b, `,"isn":`...)
		b = append(b, '{')
		if s.HasClientISN {
			b = append(b, `"client":`...)
			b = appendUint(b, uint64(s.ClientISN))
		}
		if s.HasServerISN {
			if s.HasClientISN {
				b = append(b, ',')
			}
			b = append(b, `"server":`...)
			b = appendUint(b, uint64(s.ServerISN))
		}
		b = append(b, '}')
	}
	if s.HasIRTT {
		b = append(b, `,"irtt":`...)
		b = strconv.AppendFloat(b, float64(s.IRTTUs)/1e6, 'f', 6, 64)
	}
	b = append(b, `,"close":`...)
	b = appendStr(b, s.Close)
	if s.HasClose {
		b = append(b, `,"closed_by":`...)
		b = appendStr(b, s.Closer.String())
	}
	b = append(b, `,"duration":`...)
	b = strconv.AppendFloat(b, float64(s.DurationUs)/1e6, 'f', 6, 64)
	if s.Conn.Simultaneous {
		b = append(b, `,"simultaneous_open":`...)
		b = append(b, "true"...)
	}
	if s.Evicted {
		b = append(b, `,"evicted":`...)
		b = append(b, "true"...)
	}
	b = appendAckRTTSummaryJSON(b, s)
	b = append(b, `,"text":`...)
	b = appendString(b, AppendSummary(nil, lang, s))
	return append(b, '}')
}

func (j *jsonFormatter) Close() error { return nil }

// appendChanges appends the state changes of a packet, when it has any:
// "changes":[{"role":"server","to":"LISTEN","how":"inferred","why":
// "answers_syn"},{"role":"server","to":"SYN_RCVD","how":"edge"}], sender
// first; how is edge, inferred or corrected (docs/formats.md).
func appendChanges(b []byte, r *fsm.Result) []byte {
	n := 0
	for _, role := range [2]fsm.Role{r.From, r.From.Other()} {
		if role == fsm.Server && r.Conn != nil && r.Conn.Self {
			continue
		}
		p := &r.Path[role]
		for i := 0; i < int(p.N); i++ {
			st := p.Steps[i]
			if n == 0 {
				b = append(b, `,"changes":[`...)
			} else {
				b = append(b, ',')
			}
			n++
			b = appendStep(b, role, st)
		}
	}
	if n > 0 {
		b = append(b, ']')
	}
	return b
}

// Issue 17: ACK RTT and bytes in flight (fsm/ackrtt.go), as Wireshark's
// tcp.analysis.ack_rtt, acks_frame and bytes_in_flight.

// appendAckRTTJSON appends a record's `,"ack_rtt_us":N,"acked_line":L` (when
// the packet acknowledges a listed segment and the trace has times) and
// `,"bytes_in_flight":N` (when it carries data), whenever known.
func appendAckRTTJSON(b []byte, r *fsm.Result) []byte {
	// the keys as constants: key() is three appends
	if r.HasAckRTT {
		b = append(b, `,"ack_rtt_us":`...)
		b = appendInt(b, r.AckRTTUs)
		b = append(b, `,"acked_line":`...)
		b = appendInt(b, int64(r.AckedLine))
	}
	if r.HasInFlight {
		b = append(b, `,"bytes_in_flight":`...)
		b = appendInt(b, r.InFlight)
	}
	return b
}

// appendAckRTTSummaryJSON appends the summary's `,"ack_rtt":{"client":
// {"n":N,"min_us":…,"median_us":…,"max_us":…},"server":{…}}`, keyed by the
// role whose segments were acknowledged, each only when it has samples.
func appendAckRTTSummaryJSON(b []byte, s *fsm.Summary) []byte {
	if s.AckRTT[fsm.Client].N == 0 && s.AckRTT[fsm.Server].N == 0 {
		return b
	}
	b = key(b, "ack_rtt")
	b = append(b, '{')
	first := true
	for r := fsm.Client; r <= fsm.Server; r++ {
		st := &s.AckRTT[r]
		if st.N == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, roleJSON[r]...)
		b = append(b, `:{"n":`...)
		b = appendInt(b, int64(st.N))
		b = append(b, `,"min_us":`...)
		b = appendInt(b, st.MinUs)
		b = append(b, `,"median_us":`...)
		b = appendInt(b, st.MedianUs)
		b = append(b, `,"max_us":`...)
		b = appendInt(b, st.MaxUs)
		b = append(b, '}')
	}
	return append(b, '}')
}
