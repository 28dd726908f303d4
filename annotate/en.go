package annotate

import (
	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// en is the English wording: what a TCP teacher would say at each packet,
// with the arithmetic spelled out in numbers.
var en = wording{
	role:     [2]string{"client", "server"},
	arrow:    " → ",
	sep:      "; ",
	stateSep: " · ",
	listSep:  ", ",
	summary:  enSummary,
	ev: [fsm.NumCodes]sentence{
		fsm.HandshakeSYN: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "1st handshake (SYN): the client opens the connection, ISN "...)
			return num(b, arg(e, fsm.KeyISN))
		},
		fsm.HandshakeSYNRetransmit: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "SYN retransmitted"...)
			if g, ok := e.Get(fsm.KeyGapUs); ok {
				b = append(b, ' ')
				b = dur(b, g)
				b = append(b, " after the previous one"...)
				if prev, ok := e.Get(fsm.KeyPrevGapUs); ok {
					if arg(e, fsm.KeyDoubled) == 1 {
						b = append(b, ": the timeout doubled (exponential backoff)"...)
					} else if g*10 < prev*13 && g*10 > prev*7 {
						b = append(b, ": the same gap as before, not doubled (Linux ≥ 6.5 retries the first SYNs linearly, 1 s apart)"...)
					} else {
						b = append(b, " (the gap before was "...)
						b = dur(b, prev)
						b = append(b, ')')
					}
				} else {
					b = append(b, ": no SYN-ACK came within the initial timeout"...)
				}
			}
			b = append(b, "; same ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, ", so the same attempt, not a new connection"...)
			switch {
			case arg(e, fsm.KeyLost) == 1:
				b = append(b, "; the server's SYN-ACK never reached the client, which is still in SYN_SENT"...)
			case arg(e, fsm.KeyUnanswered) == 1:
				b = append(b, "; with no answer in the trace, the earlier SYN never reached a listener: the server is back in LISTEN"...)
			}
			return b
		},
		fsm.HandshakeSYNACK: func(b []byte, x ctx, e *fsm.Event) []byte {
			if arg(e, fsm.KeySimultaneous) == 1 {
				b = append(b, "SYN-ACK of a simultaneous open: the "...)
				b = append(b, x.from()...)
				b = append(b, " (ISN "...)
				b = num(b, arg(e, fsm.KeyISN))
				b = append(b, ") acknowledges the "...)
				b = append(b, x.to()...)
				b = append(b, "'s SYN: ack "...)
				b = num(b, arg(e, fsm.KeyAck))
				b = append(b, " = ISN "...)
				b = num(b, arg(e, fsm.KeyPeerISN))
				return append(b, " + 1"...)
			}
			b = append(b, "2nd handshake (SYN-ACK): server ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, "; ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			peer, ok := e.Get(fsm.KeyPeerISN)
			switch {
			case !ok:
			case e.Has(fsm.KeyTFOBytes):
				b = append(b, " = client ISN "...)
				b = num(b, peer)
				b = append(b, " + 1 + "...)
				b = num(b, arg(e, fsm.KeyTFOBytes))
				b = append(b, " bytes of SYN data: the server accepted the Fast Open data"...)
			case e.Has(fsm.KeyExpected):
				b = append(b, ", but client ISN "...)
				b = num(b, peer)
				b = append(b, " + 1 = "...)
				b = num(b, arg(e, fsm.KeyExpected))
				b = append(b, ": this SYN-ACK does not answer that SYN"...)
			default:
				b = append(b, " = client ISN "...)
				b = num(b, peer)
				b = append(b, " + 1 (a SYN uses one sequence number)"...)
			}
			return b
		},
		fsm.HandshakeSYNACKRetransmit: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "SYN-ACK retransmitted"...)
			if g, ok := e.Get(fsm.KeyGapUs); ok {
				b = append(b, ' ')
				b = dur(b, g)
				b = append(b, " after the previous one"...)
				if arg(e, fsm.KeyDoubled) == 1 {
					b = append(b, " (the timeout doubled)"...)
				}
			}
			b = append(b, "; same ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, ": the server has not received the 3rd handshake"...)
			if arg(e, fsm.KeyLost) == 1 {
				b = append(b, ", so the client's ACK was lost and the server is still in SYN_RCVD"...)
			}
			return b
		},
		fsm.HandshakeACK: func(b []byte, x ctx, e *fsm.Event) []byte {
			if n := arg(e, fsm.KeyCount); n > 1 {
				b = append(b, "3rd handshake again (answering the retransmitted SYN-ACK): ack "...)
			} else {
				b = append(b, "3rd handshake (ACK): ack "...)
			}
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " = server ISN "...)
			b = num(b, arg(e, fsm.KeyPeerISN))
			b = append(b, " + 1; the connection is established"...)
			if us, ok := e.Get(fsm.KeyIRTTUs); ok {
				b = append(b, " (handshake round trip "...)
				b = dur(b, us)
				b = append(b, ')')
			}
			return b
		},
		fsm.HandshakeSimultaneousOpen: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "simultaneous open: this SYN (ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, ") crosses the other side's SYN (ISN "...)
			b = num(b, arg(e, fsm.KeyPeerISN))
			b = append(b, "); there is no listener: each side answers the other's SYN with a SYN-ACK"...)
			return b
		},
		fsm.Data: func(b []byte, x ctx, e *fsm.Event) []byte {
			n := arg(e, fsm.KeyLen)
			b = num(b, n)
			if n == 1 {
				b = append(b, " byte of "...)
			} else {
				b = append(b, " bytes of "...)
			}
			if x.p.Flags.Has(grammar.URG) {
				b = append(b, "urgent "...)
			}
			b = append(b, "data"...)
			if s, ok := e.Get(fsm.KeySeq); ok {
				b = append(b, ", "...)
				b = seqRange(b, x, s, arg(e, fsm.KeySeqEnd))
			}
			if e.Has(fsm.KeyTFOData) {
				b = append(b, " on the SYN (TCP Fast Open)"...)
			}
			if s, ok := e.Get(fsm.KeySeq); ok && arg(e, fsm.KeySeqEnd) < s {
				b = append(b, ", across the wrap of the sequence space: 4294967296 = 0 (numbers are modulo 2^32)"...)
			}
			if x.p.Flags.Has(grammar.URG) && x.p.HasUrg {
				b = append(b, "; URG with urgent pointer "...)
				b = num(b, int64(x.p.Urg))
				b = append(b, ": the receiver is told to read this out of band"...)
			}
			return b
		},
		fsm.Ack: func(b []byte, x ctx, e *fsm.Event) []byte {
			n, ok := e.Get(fsm.KeyAcked)
			if ok && n == 0 {
				b = append(b, "ACK "...)
				b = num(b, arg(e, fsm.KeyAck))
				return append(b, ": acknowledges nothing new"...)
			}
			b = append(b, "ACK: "...)
			if ok {
				b = append(b, "acknowledges "...)
				b = num(b, n)
				b = append(b, " bytes, "...)
			}
			b = append(b, "all bytes before seq "...)
			b = ackOf(b, x, arg(e, fsm.KeyAck))
			if d, ok := e.Get(fsm.KeyGapUs); ok {
				b = append(b, "; sent "...)
				b = dur(b, d)
				b = append(b, " after the data it acknowledges (line "...)
				b = num(b, arg(e, fsm.KeyAckedLine))
				b = append(b, ")"...)
				rtt := arg(e, fsm.KeyRTTUs)
				switch fsm.AckGap(arg(e, fsm.KeyAckGap)) {
				case fsm.AckRoundTrip:
					b = append(b, ": one round trip between the capture point and the "...)
					b = append(b, x.from()...)
					b = append(b, " ("...)
					b = dur(b, rtt)
					b = append(b, " on "...)
					b = rttSource(b, false, e)
					b = append(b, "), so the "...)
					b = append(b, x.from()...)
					b = append(b, " answered at once; not a delayed ACK"...)
				case fsm.AckDelayed:
					b = append(b, ", "...)
					b = dur(b, d-rtt)
					b = append(b, " more than the round trip to the "...)
					b = append(b, x.from()...)
					b = append(b, " ("...)
					b = dur(b, rtt)
					b = append(b, " on "...)
					b = rttSource(b, false, e)
					b = append(b, ") and for one segment: the "...)
					b = append(b, x.from()...)
					b = append(b, " held it back, a delayed ACK (Linux waits 40–200 ms, RFC 1122 at most 500 ms)"...)
				case fsm.AckUnexplained:
					b = append(b, ": more than the round trip to the "...)
					b = append(b, x.from()...)
					b = append(b, " ("...)
					b = dur(b, rtt)
					b = append(b, " on "...)
					b = rttSource(b, false, e)
					b = append(b, ") and a delayed-ACK timer for one segment explain; the trace does not say why"...)
				default:
					b = append(b, "; the trace shows no round trip to compare it with, so it cannot tell a delayed ACK from the path's delay"...)
				}
			}
			return b
		},
		fsm.AckPiggyback: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "and acknowledges "...)
			b = num(b, arg(e, fsm.KeyAcked))
			b = append(b, " bytes of the "...)
			b = append(b, x.to()...)
			b = append(b, "'s data (ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			return append(b, ") on the same segment: a piggybacked ACK"...)
		},
		fsm.Retransmission: func(b []byte, x ctx, e *fsm.Event) []byte {
			if arg(e, fsm.KeyLen) == 0 {
				return append(b, "retransmission: this FIN was sent before"...)
			}
			if fsm.RetransBy(arg(e, fsm.KeyBy)) == fsm.ByTimer {
				b = append(b, "retransmission by the timer: "...)
			} else {
				b = append(b, "retransmission: "...)
			}
			b = seqRange(b, x, arg(e, fsm.KeySeq), arg(e, fsm.KeySeq)+arg(e, fsm.KeyLen))
			b = append(b, " ("...)
			b = num(b, arg(e, fsm.KeyLen))
			b = append(b, " bytes) was sent before"...)
			if l, ok := e.Get(fsm.KeyOrigLine); ok {
				b = append(b, " on line "...)
				b = num(b, l)
			}
			if us, ok := e.Get(fsm.KeySinceUs); ok {
				b = append(b, ", "...)
				b = dur(b, us)
				b = append(b, " ago"...)
			}
			if fsm.RetransBy(arg(e, fsm.KeyBy)) == fsm.ByTimer {
				b = append(b, "; no duplicate ACK or SACK came, and the "...)
				b = append(b, x.to()...)
				if arg(e, fsm.KeyCount) <= 1 {
					b = append(b, " was silent for longer than the least retransmission timeout (200 ms): a timer sent it, the RTO or, for a first copy, Linux's tail-loss probe"...)
				} else {
					b = append(b, " was silent for longer than the least retransmission timeout (200 ms): the timer (RTO) fired again"...)
				}
			} else if e.Has(fsm.KeySinceUs) {
				b = append(b, "; the trace shows neither three duplicate ACKs nor SACK blocks, nor a wait as long as the least RTO (200 ms): it does not say what sent it"...)
			}
			b = retrySeries(b, e, false)
			return b
		},
		fsm.FastRetransmission: func(b []byte, x ctx, e *fsm.Event) []byte {
			seq := arg(e, fsm.KeySeq)
			if fsm.RetransBy(arg(e, fsm.KeyBy)) == fsm.BySACK {
				b = append(b, "fast retransmission: the "...)
				b = append(b, x.to()...)
				b = append(b, "'s SACK blocks show bytes after seq "...)
				b = seqOf(b, x, seq)
				b = append(b, " arrived ("...)
				b = num(b, arg(e, fsm.KeyDupAcks))
				if arg(e, fsm.KeyDupAcks) == 1 {
					b = append(b, " duplicate ACK), so the sender resends "...)
				} else {
					b = append(b, " duplicate ACKs), so the sender resends "...)
				}
				b = seqRange(b, x, seq, arg(e, fsm.KeySeqEnd))
				b = append(b, " at once (SACK/RACK loss recovery, RFC 6675, RFC 8985)"...)
			} else {
				b = append(b, "fast retransmission: after "...)
				b = num(b, arg(e, fsm.KeyDupAcks))
				b = append(b, " duplicate ACKs (three are the signal, RFC 5681) the sender resends "...)
				b = seqRange(b, x, seq, arg(e, fsm.KeySeqEnd))
				b = append(b, " at once"...)
			}
			if us, ok := e.Get(fsm.KeySinceUs); ok {
				b = append(b, ", "...)
				b = dur(b, us)
				b = append(b, " after the original"...)
			}
			return append(b, ", without waiting for its timer"...)
		},
		fsm.SpuriousRetransmission: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "spurious retransmission: the "...)
			b = append(b, x.to()...)
			b = append(b, " had already acknowledged these bytes (ack "...)
			b = ackOf(b, x, arg(e, fsm.KeyAck))
			return append(b, ")"...)
		},
		fsm.OutOfOrder: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "out of order: these bytes (seq "...)
			b = seqOf(b, x, arg(e, fsm.KeySeq))
			return append(b, ") were never seen before and arrive after later ones"...)
		},
		fsm.LostSegment: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "previous segment not in this trace: "...)
			b = num(b, arg(e, fsm.KeyMissing))
			b = append(b, " bytes (seq "...)
			b = seqOf(b, x, arg(e, fsm.KeyExpected))
			b = append(b, ':')
			b = seqOf(b, x, arg(e, fsm.KeySeq))
			return append(b, ") are missing: lost before the capture point, or not captured"...)
		},
		fsm.AckedUnseen: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "acknowledges "...)
			b = num(b, arg(e, fsm.KeyMissing))
			b = append(b, " bytes not in this trace (ack "...)
			b = ackOf(b, x, arg(e, fsm.KeyAck))
			b = append(b, ", but the trace shows the "...)
			b = append(b, x.to()...)
			b = append(b, " only up to "...)
			b = ackOf(b, x, arg(e, fsm.KeyExpected))
			return append(b, ")"...)
		},
		fsm.DupAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "duplicate ACK #"...)
			b = num(b, arg(e, fsm.KeyCount))
			b = append(b, ": the "...)
			b = append(b, x.from()...)
			b = append(b, " still waits for seq "...)
			b = ackOf(b, x, arg(e, fsm.KeyAck))
			if arg(e, fsm.KeyCount) == 3 {
				b = append(b, "; three duplicates trigger a fast retransmission"...)
			}
			return b
		},
		fsm.WindowZero: func(b []byte, x ctx, e *fsm.Event) []byte {
			if arg(e, fsm.KeyStill) == 1 {
				return append(b, "window still zero: the receive buffer is still full"...)
			}
			b = append(b, "zero window: the "...)
			b = append(b, x.from()...)
			return append(b, "'s receive buffer is full, the other side must stop sending"...)
		},
		fsm.WindowProbe: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "zero-window probe: the "...)
			b = append(b, x.from()...)
			b = append(b, " asks whether the window has opened (Linux probes with an ACK for old data, seq = next − 1, so it looks like a keep-alive; the zero window says it is a probe)"...)
			return retrySeries(b, e, false)
		},
		fsm.WindowUpdate: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "window update: the window opens again, win "...)
			b = num(b, arg(e, fsm.KeyWin))
			if wb := arg(e, fsm.KeyWinBytes); wb != arg(e, fsm.KeyWin) {
				b = append(b, " = "...)
				b = num(b, wb)
				b = append(b, " bytes"...)
			}
			return b
		},
		fsm.WindowFull: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "window full: this segment fills the "...)
			b = append(b, x.to()...)
			b = append(b, "'s advertised window ("...)
			b = num(b, arg(e, fsm.KeyWinBytes))
			return append(b, " bytes); the sender must wait for an ACK"...)
		},
		fsm.Keepalive: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "keep-alive: after the connection sat idle, the "...)
			b = append(b, x.from()...)
			b = append(b, " sends an ACK for old data (seq = next − 1) to ask whether the peer is still there"...)
			return keepaliveSeries(b, e, false)
		},
		fsm.KeepaliveAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "answer to the keep-alive: the "...)
			b = append(b, x.from()...)
			return append(b, " is alive and re-acknowledges what it has"...)
		},
		fsm.CloseFIN: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "1st wave (FIN): the "...)
			b = append(b, x.from()...)
			b = append(b, " closes its direction (active close), FIN seq "...)
			return num(b, arg(e, fsm.KeySeq))
		},
		fsm.CloseFINAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "2nd wave (ACK of the FIN): ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " = FIN seq "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			return append(b, " + 1 (a FIN uses one sequence number)"...)
		},
		fsm.ClosePassiveFIN: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "3rd wave (FIN): the "...)
			b = append(b, x.from()...)
			b = append(b, " closes too (passive close), FIN seq "...)
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, ": a four-packet close"...)
		},
		fsm.CloseFINMerged: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "the "...)
			b = append(b, x.from()...)
			b = append(b, " closes too, and its FIN carries the ACK of the "...)
			b = append(b, x.to()...)
			b = append(b, "'s FIN (ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " = FIN "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			return append(b, " + 1): FIN and ACK merged, a three-packet close"...)
		},
		fsm.CloseFinalAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "last ACK: ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " = FIN "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			b = append(b, " + 1; the "...)
			b = append(b, x.to()...)
			b = append(b, " is closed, the "...)
			b = append(b, x.from()...)
			return append(b, " waits in TIME_WAIT for 2MSL (60 s on Linux) in case this ACK is lost"...)
		},
		fsm.CloseSimultaneous: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "simultaneous close: this FIN crosses the "...)
			b = append(b, x.to()...)
			b = append(b, "'s FIN (seq "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			return append(b, "); both sides are in CLOSING, and each goes to TIME_WAIT when its own FIN is acknowledged"...)
		},
		fsm.CloseHalf: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "half-close: the "...)
			b = append(b, x.to()...)
			b = append(b, " has sent its FIN but still receives: the "...)
			b = append(b, x.from()...)
			return append(b, "'s direction stays open"...)
		},
		fsm.RSTRefused: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "RST answering a SYN: nothing listens on "...)
			b = append(b, x.r.Conn.Server...)
			return append(b, " (connection refused)"...)
		},
		fsm.RSTAbort: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "RST: the "...)
			b = append(b, x.from()...)
			return append(b, " aborts the connection (no FIN exchange, no TIME_WAIT; data not yet read is discarded)"...)
		},
		fsm.OptionMSS: func(b []byte, x ctx, e *fsm.Event) []byte {
			m := arg(e, fsm.KeyMSS)
			b = append(b, "MSS "...)
			b = num(b, m)
			b = append(b, ": the largest segment the "...)
			b = append(b, x.from()...)
			b = append(b, " accepts"...)
			if x.p.IPVersion == 4 {
				b = append(b, " (MTU "...)
				b = num(b, m+40)
				b = append(b, " − 20 IP − 20 TCP)"...)
			} else {
				b = append(b, " (MTU "...)
				b = num(b, m+60)
				b = append(b, " − 40 IPv6 − 20 TCP)"...)
			}
			return b
		},
		fsm.OptionWScale: func(b []byte, x ctx, e *fsm.Event) []byte {
			s := arg(e, fsm.KeyWScale)
			if w, ok := e.Get(fsm.KeyWin); ok {
				b = append(b, "win "...)
				b = num(b, w)
				b = append(b, " × 2^"...)
				b = num(b, s)
				b = append(b, " (wscale "...)
				b = num(b, s)
				b = append(b, " from the handshake) = "...)
				b = num(b, arg(e, fsm.KeyWinBytes))
				return append(b, " bytes"...)
			}
			b = append(b, "window scale "...)
			b = num(b, s)
			b = append(b, ": the "...)
			b = append(b, x.from()...)
			b = append(b, "'s later windows count in units of 2^"...)
			b = num(b, s)
			b = append(b, " bytes"...)
			if arg(e, fsm.KeyBothOffered) == 1 {
				b = append(b, " (both sides offered it, so scaling is on; SYN windows are never scaled)"...)
			}
			return b
		},
		fsm.WindowScaled: func(b []byte, x ctx, e *fsm.Event) []byte {
			s := arg(e, fsm.KeyWScale)
			if w, ok := e.Get(fsm.KeyWin); ok {
				b = append(b, "win "...)
				b = num(b, w)
				b = append(b, " × 2^"...)
				b = num(b, s)
				b = append(b, " (wscale "...)
				b = num(b, s)
				b = append(b, " from the handshake) = "...)
				b = num(b, arg(e, fsm.KeyWinBytes))
				return append(b, " bytes"...)
			}
			b = append(b, "window scale "...)
			b = num(b, s)
			b = append(b, ": the "...)
			b = append(b, x.from()...)
			b = append(b, "'s later windows count in units of 2^"...)
			b = num(b, s)
			b = append(b, " bytes"...)
			if arg(e, fsm.KeyBothOffered) == 1 {
				b = append(b, " (both sides offered it, so scaling is on; SYN windows are never scaled)"...)
			}
			return b
		},
		fsm.OptionSACKPermitted: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "sackOK: the "...)
			b = append(b, x.from()...)
			return append(b, " can report blocks received out of order (selective acknowledgment)"...)
		},
		fsm.OptionSACK: func(b []byte, x ctx, e *fsm.Event) []byte {
			if dsack(e) {
				b = append(b, "D-SACK: the "...)
				b = append(b, x.from()...)
				b = append(b, " reports seq "...)
				b = ackRange(b, x, arg(e, fsm.KeyLeft), arg(e, fsm.KeyRight))
				return append(b, " arrived twice (a duplicate, RFC 2883)"...)
			}
			b = append(b, "SACK: the "...)
			b = append(b, x.from()...)
			b = append(b, " already holds seq "...)
			b = ackRange(b, x, arg(e, fsm.KeyLeft), arg(e, fsm.KeyRight))
			if n := arg(e, fsm.KeyBlocks); n > 1 {
				b = append(b, " (and "...)
				b = num(b, n-1)
				b = append(b, " more block"...)
				if n > 2 {
					b = append(b, 's')
				}
				b = append(b, ')')
			}
			b = append(b, " but still misses "...)
			return ackOf(b, x, arg(e, fsm.KeyAck))
		},
		fsm.OptionTimestamps: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "timestamps TSval "...)
			b = num(b, arg(e, fsm.KeyTSVal))
			b = append(b, " TSecr "...)
			b = num(b, arg(e, fsm.KeyTSEcr))
			return append(b, ": for round-trip measurement and protection against wrapped sequence numbers (PAWS)"...)
		},
		fsm.OptionTFO: func(b []byte, x ctx, e *fsm.Event) []byte {
			if arg(e, fsm.KeyCookie) == 1 {
				return append(b, "TCP Fast Open cookie: proof that lets a later SYN carry data"...)
			}
			return append(b, "TCP Fast Open cookie request: the client asks for a cookie to send data on future SYNs"...)
		},
		fsm.IPHeader: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "IP header:"...)
			if v, ok := e.Get(fsm.KeyTTL); ok {
				b = append(b, " TTL "...)
				b = num(b, v)
				b = append(b, " (hops left)"...)
			}
			if v, ok := e.Get(fsm.KeyID); ok {
				b = append(b, ", id "...)
				b = num(b, v)
			}
			if arg(e, fsm.KeyDF) == 1 {
				b = append(b, ", DF (do not fragment: path MTU discovery)"...)
			}
			if v, ok := e.Get(fsm.KeyTOS); ok && v != 0 {
				b = append(b, ", tos 0x"...)
				b = appendHex(b, v)
			}
			if v, ok := e.Get(fsm.KeyIPLen); ok {
				b = append(b, ", length "...)
				b = num(b, v)
			}
			return b
		},
		fsm.ChecksumOffload: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "checksum \"incorrect\": the sending host leaves the checksum to the network card (checksum offload) and tcpdump saw the packet before it was filled in; not corruption"...)
		},
		fsm.TraceRelativeSeq: func(b []byte, x ctx, e *fsm.Event) []byte {
			first := true
			if v, ok := e.Get(fsm.KeyRelSeq); ok {
				b = append(b, "seq "...)
				b = num(b, v)
				first = false
			}
			if v, ok := e.Get(fsm.KeyRelAck); ok {
				if !first {
					b = append(b, ", "...)
				}
				b = append(b, "ack "...)
				b = num(b, v)
			}
			if arg(e, fsm.KeyBaseUnknown) == 1 {
				b = append(b, " relative"...)
				if v, ok := e.Get(fsm.KeySeq); ok && e.Has(fsm.KeyRelSeq) {
					b = append(b, "; absolute seq = "...)
					b = num(b, v)
				}
				if v, ok := e.Get(fsm.KeyAck); ok && e.Has(fsm.KeyRelAck) {
					b = append(b, "; absolute ack = "...)
					b = num(b, v)
				}
				return append(b, "; the other counts from a number before this trace (tcpdump's base is the first segment with ACK it saw of this connection, which is not here): its absolute value is unknown"...)
			}
			b = append(b, " relative: tcpdump counts from the connection's first numbers unless given -S; absolute"...)
			if v, ok := e.Get(fsm.KeySeq); ok && e.Has(fsm.KeyRelSeq) {
				b = append(b, " seq = "...)
				b = num(b, v)
			}
			if v, ok := e.Get(fsm.KeyAck); ok && e.Has(fsm.KeyRelAck) {
				if e.Has(fsm.KeyRelSeq) {
					b = append(b, ',')
				}
				b = append(b, " ack = "...)
				b = num(b, v)
			}
			return b
		},
		fsm.TraceTimeBackwards: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "the time goes back "...)
			b = dur(b, arg(e, fsm.KeyBackUs))
			return append(b, " from the line before: lines out of order (edited or pasted?)"...)
		},
		fsm.TraceMidstream: func(b []byte, x ctx, e *fsm.Event) []byte {
			if v, ok := e.Get(fsm.KeyPeerISN); ok {
				b = append(b, "the client's SYN is not in this trace: its ISN was "...)
				b = num(b, v)
				return append(b, " (this ack − 1)"...)
			}
			return append(b, "the trace starts in the middle of this connection: its handshake is not here, so roles and states are inferred"...)
		},
		fsm.TracePortsReused: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "a new connection on the same addresses and ports (a new ISN); connection #"...)
			b = num(b, arg(e, fsm.KeyOldConn))
			if arg(e, fsm.KeyOldClosed) == 1 {
				return append(b, " on them is over"...)
			}
			return append(b, " on them had not finished closing in this trace"...)
		},
		fsm.TraceEvicted: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "connection table full ("...)
			b = num(b, arg(e, fsm.KeyConns))
			return append(b, " connections): the least recently seen one was forgotten"...)
		},
		fsm.WindowProbeFirst: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "the ACK on line "...)
			b = num(b, arg(e, fsm.KeyFirstLine))
			return append(b, " was the first zero-window probe: this zero window answers it"...)
		},
		fsm.KeepaliveFirst: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "the ACK on line "...)
			b = num(b, arg(e, fsm.KeyFirstLine))
			return append(b, " was the first keep-alive of this trace: this one repeats it"...)
		},
		fsm.TraceCut: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "this line stops before its fields do (cut when pasted, or [|tcp]): what it does not print has no value here, so nothing is said of an ack or a length it does not show"...)
		},
		fsm.TraceCopy: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "the same segment as line "...)
			b = num(b, arg(e, fsm.KeyOrigLine))
			b = append(b, ", seen again on "...)
			b = append(b, x.p.Text(x.p.Iface)...)
			b = append(b, " (tcpdump -i any sees it pass two interfaces, such as a bridge and a veth): a copy, not a retransmission, and not counted"...)
			return b
		},
		fsm.LintSYNACKAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "impossible: a SYN-ACK must acknowledge client ISN + 1 = "...)
			b = num(b, arg(e, fsm.KeyExpected))
			b = append(b, ", but this one says ack "...)
			return num(b, arg(e, fsm.KeyAck))
		},
		fsm.LintAckUnsent: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "impossible: ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " acknowledges bytes the "...)
			b = append(b, x.to()...)
			b = append(b, " never sent (it had sent up to "...)
			b = num(b, arg(e, fsm.KeyExpected))
			return append(b, ")"...)
		},
		fsm.LintFINSeq: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "impossible: a FIN uses one sequence number, so after FIN seq "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			b = append(b, " the next number is "...)
			b = num(b, arg(e, fsm.KeyExpected))
			if v, ok := e.Get(fsm.KeyAck); ok {
				b = append(b, ", not ack "...)
				return num(b, v)
			}
			b = append(b, ", not seq "...)
			return num(b, arg(e, fsm.KeySeq))
		},
		fsm.LintSeqLength: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "impossible: seq "...)
			b = num(b, arg(e, fsm.KeySeq))
			b = append(b, ":"...)
			b = num(b, arg(e, fsm.KeySeqEnd))
			b = append(b, " covers "...)
			b = num(b, arg(e, fsm.KeySeqEnd)-arg(e, fsm.KeySeq))
			b = append(b, " bytes but the length says "...)
			return num(b, arg(e, fsm.KeyLen))
		},
		fsm.LintRetransLength: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "suspicious: this retransmission of seq "...)
			b = num(b, arg(e, fsm.KeySeq))
			b = append(b, " carries "...)
			b = num(b, arg(e, fsm.KeyLen))
			b = append(b, " bytes, the original carried "...)
			b = num(b, arg(e, fsm.KeyExpected))
			return append(b, " (stacks may repacketize, but a hand-edited trace often shows this)"...)
		},
		fsm.ECNSetup: func(b []byte, x ctx, e *fsm.Event) []byte {
			if x.p.Flags.Has(grammar.CWR) { // the SYN
				return append(b, "ECN: the SYN carries ECE and CWR, asking to use explicit congestion notification"...)
			}
			return append(b, "ECN: the SYN-ACK carries ECE, agreeing to use explicit congestion notification"...)
		},
	},
}

func appendHex(b []byte, v int64) []byte {
	const digits = "0123456789abcdef"
	if v >= 16 {
		b = appendHex(b, v/16)
	}
	return append(b, digits[v%16])
}

// enSummary words a connection summary in English.
func enSummary(b []byte, s *fsm.Summary) []byte {
	c := s.Conn
	b = append(b, "connection #"...)
	b = num(b, int64(c.ID))
	b = append(b, ' ')
	b = append(b, c.Client...)
	b = append(b, " → "...)
	b = append(b, c.Server...)
	b = append(b, ": "...)
	b = enClose(b, s)
	b = append(b, "; conn_state "...)
	b = append(b, s.ConnState...)
	b = append(b, ", history "...)
	b = append(b, s.History...)
	b = append(b, "; "...)
	b = num(b, int64(s.Bytes[fsm.Client]))
	b = append(b, " bytes client→server, "...)
	b = num(b, int64(s.Bytes[fsm.Server]))
	b = append(b, " bytes server→client"...)
	if s.Retrans[0]+s.Retrans[1] > 0 {
		b = append(b, ", "...)
		b = num(b, int64(s.Retrans[0]+s.Retrans[1]))
		b = append(b, " retransmissions"...)
	}
	if s.HasIRTT {
		b = append(b, "; handshake RTT "...)
		b = dur(b, s.IRTTUs)
	}
	return b
}

func enClose(b []byte, s *fsm.Summary) []byte {
	by := [2]string{"client", "server"}[s.Closer]
	switch s.Close {
	case "three_packet":
		b = append(b, "three-packet close, "...)
		b = append(b, by...)
		return append(b, " closed first"...)
	case "four_packet":
		b = append(b, "four-packet close, "...)
		b = append(b, by...)
		return append(b, " closed first"...)
	case "simultaneous":
		return append(b, "simultaneous close"...)
	case "refused":
		return append(b, "refused"...)
	case "reset":
		b = append(b, "reset by "...)
		b = append(b, by...)
		b = append(b, " after "...)
		b = num(b, int64(s.Segments[0]+s.Segments[1]))
		return append(b, " segments"...)
	}
	switch s.ConnState {
	case "S0":
		return append(b, "no answer to the SYN"...)
	case "S1":
		return append(b, "established, not closed in this trace"...)
	}
	return append(b, "not closed in this trace"...)
}

// retrySeries appends a retry's place in its series: its number, the
// interval since the one before, and whether it doubled (backoff) or
// reached the 120 s cap.
func retrySeries(b []byte, e *fsm.Event, zh bool) []byte {
	n, ok := e.Get(fsm.KeyCount)
	gap, hasGap := e.Get(fsm.KeyGapUs)
	if !ok || !hasGap {
		return b
	}
	prev, hasPrev := e.Get(fsm.KeyPrevGapUs)
	if n == 1 && e.Has(fsm.KeySinceUs) {
		return b // the first copy: "ago" said it
	}
	if n == 1 && e.Code == fsm.WindowProbe {
		// the persist timer starts when the window closes
		if zh {
			b = append(b, "；第 1 次，窗口关闭后 "...)
			b = dur(b, gap)
			return append(b, "（持续定时器从 RTO 开始）"...)
		}
		b = append(b, "; #1, "...)
		b = dur(b, gap)
		return append(b, " after the window closed (the persist timer starts at the RTO)"...)
	}
	if zh {
		b = append(b, "；第 "...)
		b = num(b, n)
		b = append(b, " 次，距上一次 "...)
		b = dur(b, gap)
		switch fsm.Backoff(arg(e, fsm.KeyBackoff)) {
		case fsm.BackoffDoubled:
			b = append(b, "，间隔翻倍（"...)
			b = dur(b, prev)
			b = append(b, " → "...)
			b = dur(b, gap)
			b = append(b, "）：指数退避"...)
		case fsm.BackoffLinear:
			b = append(b, "，与上一次间隔相同（"...)
			b = dur(b, prev)
			b = append(b, "）"...)
		case fsm.BackoffIrregular:
			if hasPrev {
				b = append(b, "（上一次间隔 "...)
				b = dur(b, prev)
				b = append(b, "）"...)
			}
		}
		if arg(e, fsm.KeyCapped) == 1 {
			b = append(b, "；间隔已达 Linux 的上限 120 秒"...)
		}
		return b
	}
	b = append(b, "; #"...)
	b = num(b, n)
	b = append(b, ", "...)
	b = dur(b, gap)
	b = append(b, " after the one before"...)
	switch fsm.Backoff(arg(e, fsm.KeyBackoff)) {
	case fsm.BackoffDoubled:
		b = append(b, ": the interval doubled ("...)
		b = dur(b, prev)
		b = append(b, " → "...)
		b = dur(b, gap)
		b = append(b, "), exponential backoff"...)
	case fsm.BackoffLinear:
		b = append(b, ": the same interval as before ("...)
		b = dur(b, prev)
		b = append(b, ")"...)
	case fsm.BackoffIrregular:
		if hasPrev {
			b = append(b, " (the interval before was "...)
			b = dur(b, prev)
			b = append(b, ")"...)
		}
	}
	if arg(e, fsm.KeyCapped) == 1 {
		b = append(b, "; the interval has reached Linux's cap of 120 s"...)
	}
	return b
}

// keepaliveSeries appends a keep-alive's place in its series: the idle
// time before the first, the interval of the next ones.
func keepaliveSeries(b []byte, e *fsm.Event, zh bool) []byte {
	n, ok := e.Get(fsm.KeyCount)
	gap, hasGap := e.Get(fsm.KeyGapUs)
	if !ok || !hasGap {
		return b
	}
	if zh {
		b = append(b, "；第 "...)
		b = num(b, n)
		if n == 1 {
			b = append(b, " 次，空闲 "...)
			b = dur(b, gap)
			return append(b, " 之后（TCP_KEEPIDLE）"...)
		}
		b = append(b, " 次，距上一次 "...)
		b = dur(b, gap)
		if fsm.Backoff(arg(e, fsm.KeyBackoff)) == fsm.BackoffLinear {
			return append(b, "，间隔不变：保活探测不退避"...)
		}
		return append(b, "（TCP_KEEPINTVL 或 TCP_KEEPIDLE）"...)
	}
	b = append(b, "; #"...)
	b = num(b, n)
	if n == 1 {
		b = append(b, ", after "...)
		b = dur(b, gap)
		return append(b, " idle (TCP_KEEPIDLE)"...)
	}
	b = append(b, ", "...)
	b = dur(b, gap)
	b = append(b, " after the one before"...)
	if fsm.Backoff(arg(e, fsm.KeyBackoff)) == fsm.BackoffLinear {
		return append(b, ": the same interval, keep-alives do not back off"...)
	}
	return append(b, " (TCP_KEEPINTVL while unanswered, TCP_KEEPIDLE when answered)"...)
}
