package fsm

// TCP options and ECN, explained.

import "github.com/tcpnote/tcpnote/grammar"

// options explains the TCP options of a segment, and the window scaling
// the first time a direction's window is scaled.
func (t *Tracker) options(s *segment) {
	c, from, p, res, f, syn := s.c, s.from, s.p, s.res, s.f, s.syn
	// most segments carry only NOPs and timestamps, of which nothing is
	// said past the SYN (segment.reset saw which)
	for i := 0; s.optSaid && i < len(p.Options); i++ {
		o := &p.Options[i]
		switch o.Kind {
		case grammar.OptMSS:
			if syn {
				f.mss = o.Val
			}
			e := t.emit(OptionMSS).set(KeyMSS, int64(o.Val))
			if p.IPVersion == 6 {
				e.set(KeyMTU, int64(o.Val)+60).set(KeyIPv6, 1) // 40 IPv6 + 20 TCP
			} else {
				e.set(KeyMTU, int64(o.Val)+40) // 20 IP + 20 TCP
			}
		case grammar.OptWScale:
			if syn {
				f.wscale = int8(min(o.Val, 14))
			}
			e := t.emit(OptionWScale).set(KeyWScale, int64(o.Val))
			if p.Flags.Has(grammar.ACK) && c.flows[from.Other()].wscale >= 0 {
				e.set(KeyBothOffered, 1) // scaling is on
			}
		case grammar.OptSACKPermitted:
			f.sackOK = true
			t.emit(OptionSACKPermitted)
		case grammar.OptTimestamps:
			if syn {
				t.emit(OptionTimestamps).set(KeyTSVal, int64(o.Val)).set(KeyTSEcr, int64(o.Val2))
			}
		case grammar.OptTFO:
			t.emit(OptionTFO).set(KeyCookie, b2i(o.Cookie))
		case grammar.OptSACK:
			e := t.emit(OptionSACK).set(KeyBlocks, int64(o.NBlocks))
			if o.NBlocks > 0 {
				l, r := o.Blocks[0][0], o.Blocks[0][1]
				if res.Relative {
					l += c.base[from.Other()]
					r += c.base[from.Other()]
				}
				e.set(KeyLeft, int64(l)).set(KeyRight, int64(r)).set(KeyAck, int64(res.Ack))
				if isDSACK(r, res.Ack, o) {
					e.set(KeyDSACK, 1)
				}
			}
		}
	}
	if syn && p.Flags.Has(grammar.ACK) && p.Flags.Has(grammar.ECE) && !p.Flags.Has(grammar.CWR) {
		t.emit(ECNSetup).set(KeyECNSide, int64(ECNSYNACK))
	}
	if !syn && p.HasWin && !f.scaleShown && !p.Flags.Has(grammar.RST) {
		if s := c.WScale(from); s > 0 {
			f.scaleShown = true
			t.emit(WindowScaled).set(KeyWin, int64(p.Win)).set(KeyWScale, int64(s)).set(KeyWinBytes, c.winBytes(from, p.Win))
		}
	}
}

// ecn explains the ECN signals of a synchronized connection (RFC 3168): a
// CE mark in the IP header (under -v, `tos 0x3,CE`), ECE echoing it back to
// the sender, CWR saying the sender reduced its congestion window. The
// setup on SYN and SYN-ACK is ECNSetup's.
func (t *Tracker) ecn(s *segment) {
	p := s.p
	if p.IP.Present && p.IP.TOS >= 0 && p.IP.TOS&3 == 3 {
		t.emit(ECNCongestion).set(KeyTOS, int64(p.IP.TOS))
	}
	if s.syn {
		return
	}
	if p.Flags.Has(grammar.ECE) {
		t.emit(ECNEcho)
	}
	if p.Flags.Has(grammar.CWR) {
		t.emit(ECNCWR)
	}
}

// optionOf returns the segment's first option of a kind, or nil: what
// grammar's Packet.Option finds, by pointer, where that copies each
// option it looks at (60 bytes, SACK blocks and all) on every packet.
func optionOf(p *grammar.Packet, k grammar.OptionKind) *grammar.Option {
	for i := range p.Options {
		if p.Options[i].Kind == k {
			return &p.Options[i]
		}
	}
	return nil
}
