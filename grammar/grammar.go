package grammar

import (
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// This file is the grammar of record for a tcpdump TCP line. It is written
// for a reader: each type below is one piece of the line, in the order
// tcpdump prints them (docs/tcpdump-formats.md §1):
//
//	[number] [time] [iface dir] [link header] [IP|IP6] [(ip header)] src > dst: TCP-part [suffix]
//
// The TCP part comes in three dialects (docs/tcpdump-formats.md §4 modern,
// §5 classic, §6 quiet).
// Everything before the endpoint pair is read as a sequence of prefix items,
// because tcpdump's link-layer and network-layer prefixes are many and
// pastes put their own text there (line numbers, prompts); build.go gives
// the items their meaning. After the TCP fields anything may follow
// (application decoders, comments of a paste): that is the Suffix.

// tcpLexer splits a line into tokens. Rules are tried in order and the first
// that matches wins, so the specific shapes (a time, an endpoint pair) come
// before the general ones (a number, a word). It is built on first use,
// like lineParser: the fast path takes every TCP line of the renders
// tcpdump prints, and building both (their regular expressions) is 13 M
// instructions, 5% of reading 20,000 packets.
var tcpLexer = sync.OnceValue(func() *lexer.StatefulDefinition { return lexer.MustSimple(tcpRules) })

// tcpRules are tcpLexer's rules, the lexical grammar of record.
var tcpRules = []lexer.SimpleRule{
	// Pasted text brings no-break spaces (U+00A0) and ideographic spaces.
	{Name: "Space", Pattern: `[ \t\r\n\x{00A0}\x{3000}]+`},
	// -tttt (and 3.7's month/day/year) date before a time of day; -ttt's
	// negative deltas; an optional fraction of 1 to 9 digits (--nano).
	{Name: "Time", Pattern: `(?:\d{4}-\d{2}-\d{2} |\d{2}/\d{2}/\d{4} )?-?\d{1,2}:\d{2}:\d{2}(?:\.\d{1,9})?`},
	// The endpoint pair `src.port > dst.port:`. A host may be an IPv4 or
	// IPv6 address or a name; the port follows the last dot.
	// An encapsulating header before an inner packet, e.g. Geneve:
	// `20.0.0.2.43443 > 20.0.0.1.6081: Geneve, Flags [none], vni 0xb: IP …`.
	// It is part of the prefix; the inner pair is the segment's.
	// Under -v the header ends its line (`GREv0, Flags [none], length 64`),
	// and the inner packet's -v header follows on the next.
	{Name: "Tunnel", Pattern: `[0-9A-Za-z_.:%\-]+ > [0-9A-Za-z_.:%\-]+: (?:Geneve|VXLAN|GREv\d|GRE|MPLS)[^:\n]*(?:: |\n)`},
	// A later IP fragment: no TCP header, so no ports, and nothing of TCP
	// (docs/tcpdump-formats.md §3.4): IPv4 `10.0.0.1 > 10.0.0.2: ip-proto-6` (`tcp`
	// without -n; ≤3.7 `tcp (frag 777:28@32)`), IPv6 `::1 > ::1: frag
	// (552|552)` (-v: `frag (0x00002203:552|552)`). The token runs to the
	// end of the record.
	{Name: "FragPair", Pattern: `[0-9A-Za-z_.:%\-]+ > [0-9A-Za-z_.:%\-]+: (?:frag \([0-9a-fx:|]*\)|ip-proto-6|tcp(?: \(frag [0-9:@+]*\))?)[ \t]*$`},
	// After IPv6 extension headers tcpdump prints the addresses, the
	// headers, then the ports alone: `2001:db8::1 > 2001:db8::2: DSTOPT
	// (padn) 50001 > 443:`, `::1 > ::1: HBH DSTOPT 47130 > 7001:`, `HBH
	// (jumbo: 80040)  41851 > 43913:`, and the first fragment's `frag
	// (0|552) 55984 > 7006:`. 3.9.8 runs a header's note into the port:
	// `DSTOPT (padn)50001 > 443:`. Without -n the ports may be names.
	{Name: "ExtPair", Pattern: `[0-9A-Za-z_.:%\-]+ > [0-9A-Za-z_.:%\-]+: (?:(?:[A-Z]+|frag)(?: ?\([^)]*\))* *)+[0-9A-Za-z_\-]+ > [0-9A-Za-z_\-]+:(?:[ \t]|$)`},
	// A web page may have escaped the `>` as `&gt;`.
	{Name: "Pair", Pattern: `[0-9A-Za-z_.:%\-]+\.[0-9A-Za-z_\-]+[ \x{00A0}](?:>|&gt;)[ \x{00A0}][0-9A-Za-z_.:%\-]+?\.[0-9A-Za-z_\-]+:(?:[ \t\x{00A0}]|$)`},
	// Pasted traces hide hosts behind placeholders (`[client ip].51022`,
	// `<server ip>.443`) or name them in other scripts (`服务器.443`); a
	// hand-written trace may give hosts without a port (`hostA > hostB:`).
	// Tried only where Pair does not match. (paste.go reads them.) Any
	// non-ASCII character but the no-break and ideographic spaces may be
	// part of a name: a range, where \p{L} would cost the lexer's start-up.
	// (LooseHolder is the placeholder form, LoosePair the named one: a rule
	// that begins with a run of name characters lets the lexer measure the
	// run once, lexer.go.)
	{Name: "LooseHolder", Pattern: `(?:\[[^\]\n\x00]{1,40}\]|<[^<>\n\x00]{1,40}>)\.[0-9A-Za-z_\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]+[ \x{00A0}](?:>|&gt;)[ \x{00A0}](?:\[[^\]\n\x00]{1,40}\]|<[^<>\n\x00]{1,40}>|[0-9A-Za-z_.:%\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]+?)\.[0-9A-Za-z_\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]+:(?:[ \t\x{00A0}]|$)`},
	{Name: "LoosePair", Pattern: `[0-9A-Za-z_.:%\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]+\.[0-9A-Za-z_\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]+[ \x{00A0}](?:>|&gt;)[ \x{00A0}](?:\[[^\]\n\x00]{1,40}\]|<[^<>\n\x00]{1,40}>|[0-9A-Za-z_.:%\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]+?)\.[0-9A-Za-z_\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]+:(?:[ \t\x{00A0}]|$)`},
	{Name: "BarePair", Pattern: `[A-Za-z_\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}][0-9A-Za-z_\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]*[ \x{00A0}](?:>|&gt;)[ \x{00A0}][A-Za-z_\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}][0-9A-Za-z_\-\x{80}-\x{9F}\x{A1}-\x{2FFF}\x{3001}-\x{10FFFF}]*:(?:[ \t\x{00A0}]|$)`},
	// -tt: seconds since the epoch with a fraction.
	{Name: "Epoch", Pattern: `\d{9,11}\.\d{6,9}`},
	{Name: "MAC", Pattern: `[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}`},
	{Name: "Hex", Pattern: `0x[0-9a-fA-F]+`},
	{Name: "Number", Pattern: `\d+`},
	{Name: "Ident", Pattern: `[A-Za-z][A-Za-z0-9_\-]*`},
	// Web pages escape `<` and `>`: `&lt;mss 1460&gt;`.
	{Name: "Entity", Pattern: `&(?:lt|gt|amp|quot|nbsp|#\d{1,5});`},
	{Name: "Punct", Pattern: `[\[\](){}<>,.:;|!+=/\\'"#*?&@$%^~\-]`},
	{Name: "Other", Pattern: `[^ \t\r\n]`},
}

// Line is one TCP segment's record, or a later IP fragment of one.
type Line struct {
	Prefix []*PrefixItem `parser:"@@*"`
	Frag   *FragLine     `parser:"( @@"`
	Pair   *Pair         `parser:"| @@"`
	Body   *Body         `parser:"  @@ )"`
}

// FragLine is a later fragment of a TCP segment: addresses without ports
// and what tcpdump says of the fragment (the FragPair token).
type FragLine struct {
	Pos  lexer.Position
	Text string `parser:"@FragPair"`
}

// PrefixItem is one piece of what precedes the endpoint pair: a packet
// number, a timestamp, an interface name and direction, a link-layer header,
// the IP or IP6 tag, or the parenthesised -v network header.
type PrefixItem struct {
	Pos    lexer.Position
	Time   string `parser:"  @Time"`
	Epoch  string `parser:"| @Epoch"`
	Group  *Group `parser:"| @@"`
	Number string `parser:"| @Number"`
	// Outer is a tunnel's outer addresses before the inner packet: IPIP
	// and 6in4 `10.0.0.1 > 10.0.0.2: IP 127.0.0.1.1 > …`, and under -v or
	// -e the inner -v header right after them (`: IP (tos …`, `: (tos …`),
	// or with -e the inner endpoints at once (`: 127.0.0.1.1 > …`).
	Outer  string `parser:"| @Pair (?= (\"IP\" | \"IP6\" | \"(\" | Pair | ExtPair))"`
	Word   string `parser:"| @(Ident | MAC | Hex | Punct | Other | Tunnel | Entity)"`
	EndPos lexer.Position
}

// Pair is `src.port > dst.port:`, lexed as one token because host names,
// IPv4 and IPv6 addresses and service names all use dots and colons.
type Pair struct {
	Pos  lexer.Position
	Text string `parser:"  @(Pair | ExtPair)"`
	// Loose is a pasted pair: placeholder hosts, hosts without a port.
	Loose string `parser:"| @(LooseHolder | LoosePair | BarePair)"`
}

// Body is the TCP part in one of tcpdump's three dialects.
type Body struct {
	Modern  *ModernTCP  `parser:"  @@"`
	Quiet   *QuietTCP   `parser:"| @@"`
	Words   *WordTCP    `parser:"| @@"`
	Classic *ClassicTCP `parser:"| @@"`
	// Cut is a segment whose capture ends right after the ports: `[|tcp]`.
	Cut *CutTCP `parser:"| @@"`
}

// CutTCP is a segment cut right after the ports, `[|tcp]`, with 3.7's
// trailers after it.
type CutTCP struct {
	Fields []*Field `parser:"\"[\" \"|\" \"tcp\" \"]\" @@*"`
}

// ModernTCP is tcpdump 4.x: `Flags [S.], cksum …, seq A:B, ack N, win W,
// urg U, options [...], length L` followed by any suffix.
type ModernTCP struct {
	Pos    lexer.Position // of the word Flags
	Flags  []string       `parser:"(\"Flags\" | \"flags\") \"[\" @(Ident | \".\")* \"]\""`
	Fields []*Field       `parser:"@@*"`
}

// WordTCP is a segment whose flags are spelled as words, by hand or after
// Wireshark's Info column: `[SYN]`, `[SYN, ACK]`, `Flags [PSH, ACK]`,
// followed by the modern fields.
type WordTCP struct {
	Pos    lexer.Position // of the opening bracket
	Flags  []string       `parser:"(\"Flags\" | \"flags\")? \"[\" @(\"SYN\" | \"ACK\" | \"FIN\" | \"RST\" | \"PSH\" | \"URG\" | \"ECE\" | \"CWR\") (\",\" @(\"SYN\" | \"ACK\" | \"FIN\" | \"RST\" | \"PSH\" | \"URG\" | \"ECE\" | \"CWR\"))* \"]\""`
	Fields []*Field       `parser:"\",\"? @@*"`
}

// ClassicTCP is tcpdump 3.x: `S 1:1(0) ack 2 win 512 <mss 1460>`, flags as
// letters in the order S F R P W E, or `.` when none of them is set.
type ClassicTCP struct {
	Pos    lexer.Position // of the flag letters
	Flags  string         `parser:"@(Ident | \".\")"`
	Fields []*Field       `parser:"@@*"`
}

// QuietTCP is -q output: `tcp 42`.
type QuietTCP struct {
	Length string   `parser:"\"tcp\" @\"-\"? @Number"`
	Fields []*Field `parser:"@@*"`
}

// Field is one element of the TCP part. Both dialects share the vocabulary;
// which fields a line may carry, and in which order, build.go checks.
type Field struct {
	Pos     lexer.Position
	Comma   bool      `parser:"  @\",\""`
	Cksum   *Cksum    `parser:"| @@"`
	Seq     *SeqField `parser:"| @@"`
	Range   *Range    `parser:"| @@"`
	Ack     string    `parser:"| \"ack\" @Number"`
	Win     string    `parser:"| \"win\" @Number"`
	Urg     string    `parser:"| \"urg\" @Number"`
	Length  string    `parser:"| \"length\" @Number"`
	Options *Options  `parser:"| (\"options\" | \"opts\") \"[\" @@"`
	Classic *Options  `parser:"| (\"<\" | \"&lt;\") \";\"? @@"`
	Group   *Group    `parser:"| @@"`
	Any     string    `parser:"| @(Ident | Number | Hex | Time | Epoch | MAC | Pair | Punct | Other | Entity | Tunnel | ExtPair | LooseHolder | LoosePair | BarePair | FragPair)"`
	EndPos  lexer.Position
}

// Cksum is the checksum verdict of -v: `cksum 0x89e8 (correct)`,
// `cksum 0x4626 (incorrect -> 0x5412)`, and 3.9's unbalanced
// `cksum 0xfef2 (incorrect (-> 0xc376)`.
type Cksum struct {
	Value     string `parser:"\"cksum\" @Hex \"(\""`
	Correct   bool   `parser:"( @\"correct\""`
	Incorrect bool   `parser:"| @\"incorrect\" \"(\"? \"-\" (\">\" | \"&gt;\") Hex ) \")\"?"`
}

// SeqField is the modern `seq A` or `seq A:B`.
type SeqField struct {
	First string `parser:"\"seq\" \",\"? @Number"`
	Last  string `parser:"(\":\" @Number)?"`
}

// Range is the classic `first:last(len)`.
type Range struct {
	First string `parser:"@Number \":\""`
	Last  string `parser:"@Number \"(\""`
	Len   string `parser:"@Number \")\""`
}

// Options is the option list: modern `options [mss 1460,nop,…]` (`opts [` in
// the man page's hand-edited example), or classic `<mss 1460,nop,…>`. A
// truncated capture may leave it unclosed or close `[` with `>`.
type Options struct {
	Pos   lexer.Position
	Items []*OptItem `parser:"@@ (\",\" @@)*"`
	Close string     `parser:"@(\"]\" | \">\" | \"&gt;\")?"`
}

// OptItem is one option: its words, numbers and nested groups up to the
// next comma, e.g. `TS val 1 ecr 0`, `sack 2 {144:244}{344:444}`.
type OptItem struct {
	Pos    lexer.Position
	Parts  []*OptPart `parser:"@@*"`
	EndPos lexer.Position
}

// OptPart is a word, a number, or a bracketed group inside one option.
type OptPart struct {
	Group *Group `parser:"  @@"`
	Brace *Brace `parser:"| @@"`
	Tok   string `parser:"| @(Ident | Number | Hex | Time | Epoch | MAC | Pair | FragPair | \":\" | \".\" | \"-\" | \"+\" | \"'\" | \"/\" | \"=\" | \"|\" | \"!\" | \"(\" | \")\" | Other)"`
}

// Brace is a SACK block `{144:244}`, or another braced value.
type Brace struct {
	// Toks are the tokens inside: `144`, `:`, `244` for a SACK block;
	// MPTCP prints keys there too (`{0x1fdb5df328bc3def,0x29a6…}`).
	Toks []string `parser:"\"{\" @(!\"}\")* \"}\"?"`
}

// Group is a bracketed or parenthesised group: `[DF]`, `[|tcp]`,
// `(tos 0x0, ttl 64, …)`, `[bad hdr length 16 - too short, < 20]`. Groups
// nest; an unclosed group ends at the end of the line.
type Group struct {
	Pos    lexer.Position
	Open   string       `parser:"@(\"[\" | \"(\")"`
	Items  []*GroupItem `parser:"@@*"`
	Close  string       `parser:"@(\"]\" | \")\")?"`
	EndPos lexer.Position
}

// GroupItem is one token, or a nested group, inside a Group.
type GroupItem struct {
	Group *Group `parser:"  @@"`
	Tok   string `parser:"| @(Ident | Number | Hex | Time | Epoch | MAC | \",\" | \":\" | \".\" | \"-\" | \"+\" | \"<\" | \">\" | \"{\" | \"}\" | \"'\" | \"/\" | \"=\" | \"|\" | \"!\" | \"#\" | \"&\" | \";\" | \"*\" | \"?\" | \"@\" | \"$\" | \"%\" | \"^\" | \"~\" | \"\\\\\" | \"\\\"\" | Other | Entity)"`
}

// lineParser is built once, on first use; participle parsers are safe for
// concurrent use.
var lineParser = sync.OnceValue(func() *participle.Parser[Line] {
	return participle.MustBuild[Line](
		participle.Lexer(linear(tcpLexer())), // lexer.go: the same rules, linear
		participle.Elide("Space"),
		participle.UseLookahead(6),
	)
})
