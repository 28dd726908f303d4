package fsm

import "github.com/tcpnote/tcpnote/grammar"

// Helpers of absolute (tracker.go), which undoes tcpdump's relative numbers.

// printedSmall reports whether a segment's printed numbers are all below
// 2^20 (2^24 when both are printed): tcpdump's raw numbers are random 32-bit
// values, relative ones count bytes of this connection.
func printedSmall(p *grammar.Packet) bool {
	switch {
	case p.HasSeq && p.HasAck:
		return p.Seq < 1<<24 && p.Ack < 1<<24
	case p.HasAck:
		return p.Ack < 1<<20
	}
	return false
}
