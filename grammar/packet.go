// Package grammar reads the text tcpdump prints for a TCP segment, in every
// dialect from tcpdump 3.x to today, into a typed Packet, and recognises
// everything else (hex dumps, UDP, banners, prose) as text to pass through.
//
// Start with Reader, which groups input lines into records (a -v IPv4 header
// and its TCP line form one record), and Parser.Parse, which turns one record
// into a Packet. The participle grammar in grammar.go is the grammar of
// record: it covers every shape and is the place to learn the format. A
// hand-written scanner (fast.go) handles the dominant modern shapes first,
// without allocating, and hands anything it is unsure of to the grammar; a
// differential fuzz test keeps the two in agreement.
//
// A Packet refers to its record's bytes through Spans rather than holding
// strings, so parsing a line allocates nothing on the fast path. A Packet and
// its Raw bytes are valid until the next call that reuses them.
package grammar

// Dialect says which of tcpdump's TCP printers produced a line.
type Dialect uint8

const (
	// Modern is tcpdump 4.0 and later: `Flags [S.], seq 1, ack 2, …, length 0`.
	Modern Dialect = iota + 1
	// Classic is tcpdump 3.x and OpenBSD: `S 1:1(0) ack 2 win 512 <mss 1460>`.
	Classic
	// Quiet is -q output: `tcp 42`.
	Quiet
)

// String returns the dialect's name as used in JSON.
func (d Dialect) String() string {
	switch d {
	case Modern:
		return "modern"
	case Classic:
		return "classic"
	case Quiet:
		return "quiet"
	}
	return "unknown"
}

// Flags is a set of TCP header flags.
type Flags uint16

// The TCP flags, in header bit order.
const (
	FIN Flags = 1 << iota
	SYN
	RST
	PSH
	ACK
	URG
	ECE
	CWR
	AE
)

var flagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"}

// Has reports whether every flag in g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// NameOrder is the order flags are listed in by name (JSON's tcp_flags,
// docs/formats.md): SYN, ACK, FIN, RST, PSH, URG, ECE, CWR, AE.
var NameOrder = [...]Flags{SYN, ACK, FIN, RST, PSH, URG, ECE, CWR, AE}

// Names lists the set flags by name in NameOrder.
func (f Flags) Names() []string {
	var out []string
	for _, g := range NameOrder {
		if f&g != 0 {
			out = append(out, g.Name())
		}
	}
	return out
}

// Name is a single flag's name ("SYN"), or "" for none or several.
func (f Flags) Name() string {
	for i := range flagNames {
		if f == 1<<i {
			return flagNames[i]
		}
	}
	return ""
}

// Span is a byte range [Start, End) of a Packet's Raw text. The zero Span is
// empty and means "not printed".
type Span struct{ Start, End int32 }

// Empty reports whether the span covers no bytes.
func (s Span) Empty() bool { return s.End <= s.Start }

// TimeKind says which of tcpdump's timestamp forms a line carries.
type TimeKind uint8

const (
	// NoTime: -t, or no timestamp found.
	NoTime TimeKind = iota
	// ClockTime is the default time of day, 22:13:20.000250.
	ClockTime
	// EpochTime is -tt, 1700000000.000250.
	EpochTime
	// DeltaTime is -ttt: time since the previous packet.
	DeltaTime
	// DateTime is -tttt, 2023-11-14 22:13:20.000250 (or 3.7's 07/06/2005 …).
	DateTime
	// OffsetTime is -ttttt: time since the first packet of the capture.
	// It prints like -ttt (` 00:00:00.002751`), so a line alone cannot
	// tell them apart: Parse marks such a line DeltaTime, and a reader of
	// the whole trace (TimeReader) decides from the first lines which
	// reading holds and re-marks them OffsetTime.
	OffsetTime
)

// String returns the timestamp form's name as used in JSON.
func (k TimeKind) String() string {
	switch k {
	case ClockTime:
		return "clock"
	case EpochTime:
		return "epoch"
	case DeltaTime:
		return "delta"
	case DateTime:
		return "date"
	case OffsetTime:
		return "offset"
	}
	return "none"
}

// Endpoint is one side of a segment as printed: `127.0.0.1.80`,
// `localhost.http`, `::1.8080`. The port follows the last dot.
type Endpoint struct {
	Text Span // the whole `host.port`
	Host Span
	Port Span
	// PortNum is the numeric port, or -1 when tcpdump printed a service name.
	PortNum int32
}

// IPHeader holds the network-layer fields of a -v line (or of classic
// trailers such as `(DF)` and `(ttl 64, id 1, len 60)`).
type IPHeader struct {
	Present bool
	TOS     int32 // -1 when not printed
	TTL     int32 // hop limit for IPv6; -1 when not printed
	ID      int32 // -1 when not printed
	Length  int32 // IP total length (IPv6: payload length); -1 when not printed
	DF      bool
	// MF is IPv4's more-fragments flag, printed `flags [+]`.
	MF bool
	// Offset is IPv4's fragment offset in bytes (`offset 576`); -1 when
	// not printed.
	Offset int32
	Flags  Span // the text inside `flags [...]`
	Text   Span // the whole header as printed
}

// Fragment says that a packet is an IP fragment, as far as tcpdump's text
// shows it. The first fragment carries the TCP header, so tcpdump prints
// it as a segment, but its seq range and length count only the bytes of
// that fragment; the later fragments carry no ports (docs/tcpdump-formats.md §3.3, §3.4).
type Fragment struct {
	// Present is set when the text shows the packet is a fragment: an IPv6
	// fragment header (`frag (0|552)`), an IPv4 -v header with `flags [+]`
	// or a non-zero offset, or a later fragment's line.
	Present bool
	// Later is set for a fragment after the first: no TCP header, and no
	// ports (`ip-proto-6`, `frag (552|552)`). Src and Dst then hold the
	// addresses alone, with empty ports.
	Later bool
	// Offset is the fragment's offset in bytes; -1 when not printed.
	Offset int32
	// Len is the bytes of fragmented payload this fragment carries (the
	// TCP header included in the first); -1 when not printed.
	Len int32
	// More is 1 when more fragments follow, 0 for the last one, -1 when
	// the text does not say (IPv6's text never does).
	More int8
	// ID is the fragment identification (IPv4 -v `id`, IPv6 -v `frag
	// (0x…:`), -1 when not printed.
	ID int64
	// Text is tcpdump's note on the fragment: `frag (552|552)`, `ip-proto-6`.
	Text Span
}

// TunnelKind names the encapsulation a TCP segment arrived in.
type TunnelKind uint8

// The encapsulations tcpdump prints before an inner IP packet.
const (
	NoTunnel   TunnelKind = iota
	TunnelIPIP            // IPv4 in IPv4 (protocol 4)
	Tunnel6in4            // IPv6 in IPv4 (protocol 41, sit)
	TunnelIP6             // IPv4 or IPv6 in IPv6 (ip6tnl)
	TunnelGRE
	TunnelVXLAN
	TunnelGeneve
	TunnelMPLS
	TunnelPPPoE
)

var tunnelNames = [...]string{"", "ipip", "6in4", "ip6", "gre", "vxlan", "geneve", "mpls", "pppoe"}

// String returns the encapsulation's name as used in JSON.
func (k TunnelKind) String() string {
	if int(k) < len(tunnelNames) {
		return tunnelNames[k]
	}
	return ""
}

// Tunnel is the outer header of an encapsulated segment: the segment's
// fields are the inner packet's, the tunnel's are kept here.
type Tunnel struct {
	Kind TunnelKind
	// Src and Dst are the outer addresses, when printed (not for MPLS or
	// PPPoE, which have none).
	Src, Dst Span
	// IP is the outer -v IP header, when printed.
	IP IPHeader
	// Text is the encapsulation as printed, e.g. `GREv0, length 64`,
	// `MPLS (label 22, tc 0, [S], ttl 64)`, `PPPoE  [ses 0x22]`.
	Text Span
}

// OptionKind names a TCP option.
type OptionKind uint8

// The TCP options tcpdump prints.
const (
	OptUnknown OptionKind = iota
	OptMSS
	OptNOP
	OptEOL
	OptWScale
	OptSACKPermitted
	OptSACK
	OptTimestamps
	OptTFO
	OptMPTCP
	OptMD5
	OptUTO
	OptTCPAO
	OptExperimental
	OptTruncated // `[|tcp]` or `[bad opt]` inside the list
)

var optionKindNames = [...]string{"unknown", "mss", "nop", "eol", "wscale", "sackOK", "sack", "timestamps", "tfo", "mptcp", "md5", "uto", "tcp-ao", "experimental", "truncated"}

// String returns the option kind's name as used in JSON.
func (k OptionKind) String() string {
	if int(k) < len(optionKindNames) {
		return optionKindNames[k]
	}
	return "unknown"
}

// MaxSACKBlocks is the most SACK blocks a TCP header can carry.
const MaxSACKBlocks = 4

// Option is one TCP option as printed.
type Option struct {
	Kind OptionKind
	Text Span // the option as printed, e.g. `wscale 7`
	// Val and Val2 carry the numbers: MSS value, wscale shift, TS val and ecr.
	Val, Val2 uint32
	// Blocks holds SACK blocks (left, right), as printed; NBlocks says how many.
	Blocks  [MaxSACKBlocks][2]uint32
	NBlocks uint8
	// Cookie is set for a TFO option with a cookie, clear for a cookie request.
	Cookie bool
}

// Packet is one TCP segment as tcpdump printed it.
type Packet struct {
	// Raw is the record's exact text, lines joined by '\n', no final newline.
	Raw     []byte
	Dialect Dialect

	Number   int64 // -# packet number, 0 when absent
	Time     Span
	TimeKind TimeKind
	// Micros is the timestamp in microseconds: since midnight (ClockTime),
	// since the epoch (EpochTime, DateTime), or the delta (DeltaTime).
	Micros int64

	Iface     Span // -i any: `lo`
	Direction Span // -i any: `In`, `Out`
	IPVersion uint8
	IP        IPHeader
	// Ext is the IPv6 extension headers as printed between the addresses
	// and the ports: `DSTOPT (padn) `, `HBH DSTOPT `, `frag (0|552) `.
	Ext    Span
	Frag   Fragment
	Tunnel Tunnel

	Src, Dst Endpoint

	FlagText Span // as printed: `S.` inside `Flags [S.]`, or `S` in classic
	Flags    Flags

	HasSeq    bool
	Seq       uint32
	HasSeqEnd bool // `seq a:b` or classic `a:b(n)`
	SeqEnd    uint32
	HasAck    bool
	Ack       uint32
	HasWin    bool
	Win       uint32
	HasUrg    bool
	Urg       uint32
	// Len is the payload length; HasLen says whether tcpdump printed one
	// (`length N`, `(N)`, `tcp N`). Without it Len is 0 or the range's size.
	HasLen bool
	Len    uint32

	Options []Option
	// OptionsOpen is set when the option list has no closing bracket and
	// tcpdump did not mark the line cut: the rest is on the next line.
	OptionsOpen bool

	HasCksum bool
	CksumOK  bool
	Cksum    Span // the checksum text, e.g. `0x89e8 (correct)`

	Truncated bool // `[|tcp]`, `[bad opt]`, `[bad hdr length …]`: parsing stopped early
	Suffix    Span // what follows the TCP fields: `HTTP: GET / HTTP/1.1`, comments …
}

// Text returns the bytes a span covers.
func (p *Packet) Text(s Span) []byte {
	if s.Empty() || int(s.End) > len(p.Raw) {
		return nil
	}
	return p.Raw[s.Start:s.End]
}

// Str returns the text a span covers as a string (allocates).
func (p *Packet) Str(s Span) string { return string(p.Text(s)) }

// SeqRangeEnd returns the sequence number after this segment's payload and
// whether it is known: seq + len (a SYN or FIN is counted by the state
// machine, not here).
func (p *Packet) SeqRangeEnd() (uint32, bool) {
	if !p.HasSeq {
		return 0, false
	}
	if p.HasSeqEnd {
		return p.SeqEnd, true
	}
	return p.Seq + p.Len, true
}

// Option returns the first option of the given kind.
func (p *Packet) Option(k OptionKind) (Option, bool) {
	for _, o := range p.Options {
		if o.Kind == k {
			return o, true
		}
	}
	return Option{}, false
}

// reset clears p for reuse, keeping the Options backing array.
func (p *Packet) reset(raw []byte) {
	opts := p.Options[:0]
	// (zeroed in place: a literal with fields is built on the stack and
	// copied, two passes over 400 bytes for every line)
	*p = Packet{}
	p.Raw, p.Options = raw, opts
	p.IP.TOS, p.IP.TTL, p.IP.ID, p.IP.Length, p.IP.Offset = -1, -1, -1, -1, -1
	p.Frag.Offset, p.Frag.Len, p.Frag.More, p.Frag.ID = -1, -1, -1, -1
	p.Src.PortNum, p.Dst.PortNum = -1, -1
}
