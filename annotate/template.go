package annotate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// A template is one phrase of one language: literal text with
// placeholders in braces, "ISN {isn}". A placeholder names an argument of
// the event (its JSON name, fsm/vocab.go) or one of the specials below.
// Templates are compiled once, at start, into pieces; rendering appends
// them, so wording an event allocates nothing.

// special is a placeholder that is not an event argument.
type special uint8

const (
	spNone        special = iota
	spFrom                // the sender's role: "client"
	spTo                  // the receiver's role
	spClient              // the client's address.port
	spServer              // the server's address.port
	spCloser              // the role that closed first (summaries)
	spBlocksMore          // SACK blocks after the first
	spSeqSpan             // seq_end − seq
	spID                  // the connection number (summaries)
	spConnState           // Zeek's conn_state (summaries)
	spHistory             // Zeek's history (summaries)
	spBytesClient         // payload bytes client → server (summaries)
	spBytesServer         // payload bytes server → client (summaries)
	spRetrans             // retransmissions both ways (summaries)
	spSegments            // segments both ways (summaries)
	spIRTT                // the handshake round trip (summaries)
	// The line's own numbers (numbers.go): what tcpdump printed, with the
	// absolute value after it when the line is relative.
	spSeqRange    // seq:seq_end, the sender's bytes as tcpdump writes a range
	spSeqLine     // seq
	spExpectedSeq // expected, a number of the sender's
	spAckLine     // ack
	spExpectedAck // expected, a number of the receiver's (what it sent up to)
	spSACKRange   // left:right, a SACK block
	spOverRTT     // gap_us − rtt_us: what the round trip leaves unexplained
	spIface       // the interface the line names (-i any)
	spUnreadText  // the part of a line that could not be read, quoted (trace.unreadable)
)

var specialNames = map[string]special{
	"from": spFrom, "to": spTo, "client": spClient, "server": spServer, "closer": spCloser,
	"blocks_more": spBlocksMore, "seq_span": spSeqSpan, "conn_id": spID, "conn_state": spConnState,
	"history": spHistory, "bytes_client": spBytesClient, "bytes_server": spBytesServer,
	"retrans": spRetrans, "segments": spSegments, "irtt": spIRTT,
	"seq_range": spSeqRange, "seq_line": spSeqLine, "expected_seq": spExpectedSeq,
	"ack_line": spAckLine, "expected_ack": spExpectedAck, "sack_range": spSACKRange,
	"over_rtt": spOverRTT, "iface": spIface, "unread_text": spUnreadText,
}

// piece is a literal followed by at most one placeholder.
type piece struct {
	lit string
	key fsm.Key // an event argument, or
	sp  special // a special
	// marks has sayQuotes when the piece may write a byte a JSON string
	// must escape: its literal has one, or its special is text from the
	// trace (an address, an interface, an unread part of a line).
	// Numbers, durations and the language's words cannot (jsonFormatter
	// checks the words once), so a sentence of other pieces needs no
	// second look.
	marks sayFlags
}

// tracedText marks the specials whose value is text from the trace.
var tracedText = [...]bool{spClient: true, spServer: true, spIface: true, spUnreadText: true,
	spConnState: true, spHistory: true}

// compile parses a template into pieces. It fails on an unclosed brace or
// a name that is neither an argument nor a special.
func compile(t string) ([]piece, error) {
	var out []piece
	for t != "" {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			out = append(out, piece{lit: t, marks: pieceMarks(t, spNone)})
			break
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed { in %q", t)
		}
		name := t[i+1 : i+j]
		p := piece{lit: t[:i]}
		if k, ok := fsm.KeyByName(name); ok {
			p.key = k
		} else if s, ok := specialNames[name]; ok {
			p.sp = s
		} else {
			return nil, fmt.Errorf("unknown placeholder {%s}", name)
		}
		p.marks = pieceMarks(p.lit, p.sp)
		out = append(out, p)
		t = t[i+j+1:]
	}
	return out, nil
}

// pieceMarks are the sayFlags a piece sets when rendered.
func pieceMarks(lit string, sp special) sayFlags {
	var f sayFlags
	if !plainJSON([]byte(lit)) || int(sp) < len(tracedText) && tracedText[sp] {
		f |= sayQuotes
	}
	return f
}

// view is what a template may refer to while one event (or one summary)
// is worded.
type view struct {
	lang *Language
	e    *fsm.Event
	p    *grammar.Packet
	r    *fsm.Result
	s    *fsm.Summary
	// said records the phrases said, when not nil: tests use it to check
	// each phrase's placeholders against the arguments its code declares.
	said *[]phrase
	// flags, when not nil, gather what the writers need to know of the
	// sentence being worded (sayFlags).
	flags *sayFlags
}

// sayFlags say what a sentence was made of.
type sayFlags uint8

const (
	// sayQuotes is set when a piece that may need JSON escaping was
	// rendered (piece.marks): the JSON writer then escapes the sentence,
	// and otherwise copies it as it is.
	sayQuotes sayFlags = 1 << iota
)

// render appends the pieces with their values.
func (v *view) render(b []byte, ps []piece) []byte {
	for i := range ps {
		p := &ps[i]
		if v.flags != nil {
			*v.flags |= p.marks
		}
		b = append(b, p.lit...)
		switch {
		case p.key != fsm.KeyNone:
			b = v.value(b, p.key)
		case p.sp != spNone:
			b = v.special(b, p.sp)
		}
	}
	return b
}

// value appends an event argument the way its unit is written.
func (v *view) value(b []byte, k fsm.Key) []byte {
	var x int64
	if v.e != nil {
		x, _ = v.e.Get(k)
	}
	switch k.Spec().Unit {
	case fsm.UnitMicros:
		return v.lang.dur(b, x)
	case fsm.UnitHex:
		return appendHex(b, x)
	}
	return appendInt(b, x)
}

func (v *view) special(b []byte, s special) []byte {
	w := &v.lang.Words
	switch s {
	case spFrom:
		return append(b, w.Role[v.r.From]...)
	case spTo:
		return append(b, w.Role[v.r.From.Other()]...)
	case spClient:
		return append(b, v.conn().Client...)
	case spServer:
		return append(b, v.conn().Server...)
	case spBlocksMore:
		return appendInt(b, arg(v.e, fsm.KeyBlocks)-1)
	case spSeqSpan:
		return appendInt(b, arg(v.e, fsm.KeySeqEnd)-arg(v.e, fsm.KeySeq))
	case spSeqRange:
		return v.lineRange(b, v.seqBase, fsm.KeySeq, fsm.KeySeqEnd)
	case spSeqLine:
		return v.lineNumber(b, v.seqBase, fsm.KeySeq)
	case spExpectedSeq:
		return v.lineNumber(b, v.seqBase, fsm.KeyExpected)
	case spAckLine:
		return v.lineNumber(b, v.ackBase, fsm.KeyAck)
	case spExpectedAck:
		return v.lineNumber(b, v.ackBase, fsm.KeyExpected)
	case spSACKRange:
		return v.lineRange(b, v.ackBase, fsm.KeyLeft, fsm.KeyRight)
	case spOverRTT:
		return v.lang.dur(b, arg(v.e, fsm.KeyGapUs)-arg(v.e, fsm.KeyRTTUs))
	case spIface:
		if v.p == nil {
			return b
		}
		return append(b, v.p.Text(v.p.Iface)...)
	case spUnreadText:
		return append(b, unreadText(v.p, v.e)...)
	}
	if v.s == nil {
		return b
	}
	switch s {
	case spCloser:
		return append(b, w.Role[v.s.Closer]...)
	case spID:
		return appendInt(b, int64(v.s.Conn.ID))
	case spConnState:
		return append(b, v.s.ConnState...)
	case spHistory:
		return append(b, v.s.History...)
	case spBytesClient:
		return appendUint(b, v.s.Bytes[fsm.Client])
	case spBytesServer:
		return appendUint(b, v.s.Bytes[fsm.Server])
	case spRetrans:
		return appendInt(b, int64(v.s.Retrans[0]+v.s.Retrans[1]))
	case spSegments:
		return appendInt(b, int64(v.s.Segments[0]+v.s.Segments[1]))
	case spIRTT:
		return v.lang.dur(b, v.s.IRTTUs)
	}
	return b
}

func (v *view) conn() *fsm.Conn {
	if v.s != nil {
		return v.s.Conn
	}
	return v.r.Conn
}

// say appends one phrase of the view's language.
func (v *view) say(b []byte, ph phrase) []byte {
	if v.said != nil {
		*v.said = append(*v.said, ph)
	}
	l := v.lang
	if !l.compiled.Load() { // say is the one reader of phrases
		l.once.Do(l.compile)
	}
	return v.render(b, l.phrases[ph])
}

// arg returns an event argument, or 0.
func arg(e *fsm.Event, k fsm.Key) int64 {
	if e == nil {
		return 0
	}
	x, _ := e.Get(k)
	return x
}

func appendHex(b []byte, v int64) []byte {
	return strconv.AppendInt(b, v, 16)
}

// dur appends a duration given in µs the way people say it, 40 ms, 1.0 s,
// in the language's units.
func (l *Language) dur(b []byte, us int64) []byte {
	u := &l.Words.Units
	switch {
	case us < 0:
		b = append(b, '-')
		return l.dur(b, -us)
	case us < 1000:
		b = appendInt(b, us)
		return append(b, u[0]...)
	case us < 10_000:
		b = strconv.AppendFloat(b, float64(us)/1000, 'f', 2, 64)
		return append(b, u[1]...)
	case us < 1_000_000:
		b = strconv.AppendFloat(b, float64(us)/1000, 'f', 1, 64)
		return append(b, u[1]...)
	case us < 3600_000_000:
		b = strconv.AppendFloat(b, float64(us)/1e6, 'f', 1, 64)
		return append(b, u[2]...)
	}
	b = strconv.AppendFloat(b, float64(us)/3600e6, 'f', 1, 64)
	return append(b, u[3]...)
}
