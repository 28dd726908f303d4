package main

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/tcpnote/tcpnote/annotate"
	"github.com/tcpnote/tcpnote/grammar"
)

// An input with no TCP segment at all is not an error (exit 0), but it is
// never silent either: stderr says so once, with the likeliest reason, so
// that a user who piped the wrong thing learns why nothing was explained.

// inputKinds tallies what the lines were while no TCP segment has been
// seen, to name the likeliest reason at the end.
type inputKinds struct {
	tcp, quiet, lines, unread, binary, wireshark, other int
}

// see classifies one record.
func (k *inputKinds) see(rec *grammar.Record) {
	if rec.Kind == grammar.TCP {
		k.tcp++
		if rec.Packet.Dialect == grammar.Quiet {
			k.quiet++
		}
		return
	}
	if k.tcp > 0 {
		return
	}
	k.lines++
	raw := rec.Raw
	switch {
	case rec.Unread.Present():
		k.unread++
	case bytes.IndexByte(raw, 0) >= 0 || !utf8.Valid(raw):
		k.binary++
	case bytes.Contains(raw, []byte("→")) && (bytes.Contains(raw, []byte("Seq=")) || bytes.Contains(raw, []byte("Len=")) || bytes.Contains(raw, []byte("[SYN"))):
		k.wireshark++
	case bytes.Contains(raw, []byte(" > ")) && (bytes.Contains(raw, []byte("UDP")) || bytes.Contains(raw, []byte("ICMP")) || bytes.Contains(raw, []byte("ARP"))):
		k.other++
	}
}

// reason words, for stderr, why there was no TCP segment to explain; ""
// when there was one. Segments printed by tcpdump -q (`tcp 0`) count as none: they
// carry no flags and no numbers. A language without the sentence falls
// back to the English here.
func (k *inputKinds) reason(h *annotate.Help) string {
	w := &h.NoSegment
	switch {
	case k.tcp > 0 && k.quiet == k.tcp:
		return or(w.Quiet, "nothing to explain: every segment is tcpdump -q's (`tcp N`), without flags or numbers to explain; capture without -q: tcpdump -nn -S")
	case k.tcp > 0:
		return ""
	case k.lines == 0:
		return or(w.Empty, "no TCP segment in the input: the input is empty")
	case k.unread == 1:
		return or(w.OneUnread, "no TCP segment in the input: 1 line looks like a TCP segment but could not be read (see its note, or tcpnote --lint)")
	case k.unread > 0:
		return fmt.Sprintf(or(w.Unread, "no TCP segment in the input: %d lines look like TCP segments but none could be read (see the notes, or tcpnote --lint)"), k.unread)
	case k.binary*2 > k.lines:
		return or(w.Binary, "no TCP segment in the input: the input is binary; if it is a capture, render it first: tcpdump -nn -S -r FILE | tcpnote")
	case k.wireshark > 0:
		return or(w.Wireshark, "no TCP segment in the input: this looks like Wireshark's or tshark's output, not tcpdump's; render the capture with: tcpdump -nn -S -r FILE | tcpnote")
	case k.other > 0:
		return or(w.NotTCP, "no TCP segment in the input: the packets in it are not TCP (UDP, ICMP, ARP …)")
	}
	return or(w.Nothing, "no TCP segment in the input: nothing in it looks like tcpdump's text for a TCP segment, e.g. 12:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1, win 64240, length 0")
}
