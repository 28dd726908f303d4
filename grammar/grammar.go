package grammar

import (
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
// before the general ones (a number, a word).
var tcpLexer = lexer.MustSimple([]lexer.SimpleRule{
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
	{Name: "Tunnel", Pattern: `[0-9A-Za-z_.:%\-]+ > [0-9A-Za-z_.:%\-]+: (?:Geneve|VXLAN|GREv\d|GRE|MPLS)[^:]*: `},
	// After IPv6 extension headers tcpdump prints the addresses, the
	// headers, then the ports alone: `2001:db8::1 > 2001:db8::2: DSTOPT
	// (padn) 50001 > 443:`.
	{Name: "ExtPair", Pattern: `[0-9A-Fa-f:.]+ > [0-9A-Fa-f:.]+: [A-Z]+(?: \([^)]*\))? *\d+ > \d+:(?:[ \t]|$)`},
	// A web page may have escaped the `>` as `&gt;`.
	{Name: "Pair", Pattern: `[0-9A-Za-z_.:%\-]+\.[0-9A-Za-z_\-]+[ \x{00A0}](?:>|&gt;)[ \x{00A0}][0-9A-Za-z_.:%\-]+?\.[0-9A-Za-z_\-]+:(?:[ \t\x{00A0}]|$)`},
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
})

// Line is one TCP segment's record.
type Line struct {
	Prefix []*PrefixItem `parser:"@@*"`
	Pair   Pair          `parser:"@@"`
	Body   Body          `parser:"@@"`
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
	Word   string `parser:"| @(Ident | MAC | Hex | Punct | Other | Tunnel | Entity)"`
	EndPos lexer.Position
}

// Pair is `src.port > dst.port:`, lexed as one token because host names,
// IPv4 and IPv6 addresses and service names all use dots and colons.
type Pair struct {
	Pos  lexer.Position
	Text string `parser:"@(Pair | ExtPair)"`
}

// Body is the TCP part in one of tcpdump's three dialects.
type Body struct {
	Modern  *ModernTCP  `parser:"  @@"`
	Quiet   *QuietTCP   `parser:"| @@"`
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
	Any     string    `parser:"| @(Ident | Number | Hex | Time | Epoch | MAC | Pair | Punct | Other | Entity | Tunnel | ExtPair)"`
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
	Tok   string `parser:"| @(Ident | Number | Hex | Time | Epoch | MAC | Pair | \":\" | \".\" | \"-\" | \"+\" | \"'\" | \"/\" | \"=\" | \"|\" | \"!\" | \"(\" | \")\" | Other)"`
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

// lineParser is built once; participle parsers are safe for concurrent use.
var lineParser = participle.MustBuild[Line](
	participle.Lexer(linear(tcpLexer)), // lexer.go: the same rules, linear
	participle.Elide("Space"),
	participle.UseLookahead(6),
)
