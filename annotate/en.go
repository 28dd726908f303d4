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
	states: stateWords{
		unknown: "?", self: "socket", inferred: " (inferred: ", because: " (", close: ")",
		correction: "correction: ", not: ", not ",
		why: [...]string{
			fsm.WhyAnswersSYN:       "its SYN-ACK shows it was listening",
			fsm.WhyRefuses:          "its RST answering the SYN shows nothing listened",
			fsm.WhySendsSYNACK:      "it sends a SYN-ACK",
			fsm.WhyAcksSYNACK:       "it acknowledges the SYN-ACK, so it had sent the SYN",
			fsm.WhyDataBothWays:     "data and ACKs flow both ways",
			fsm.WhyAcksFIN:          "it acknowledges the peer's FIN and still sends data",
			fsm.WhyFINAfterPeers:    "its FIN acknowledges the peer's FIN",
			fsm.WhyFINPeerOpen:      "it closes while the peer is still open",
			fsm.WhySendsRST:         "it sent a RST",
			fsm.WhySendsSYN:         "it sends a SYN of its own",
			fsm.WhyFINNotAccepted:   "the FIN is sent again and was never acknowledged: it was not accepted",
			fsm.WhyFINCrossed:       "its FIN does not acknowledge the peer's FIN, so it had not received it",
			fsm.WhyRSTIgnored:       "it keeps sending after the RST: the RST was not accepted",
			fsm.WhySYNACKLost:       "it sends its SYN again: the SYN-ACK never arrived",
			fsm.WhyHandshakeAckLost: "it sends its SYN-ACK again: the 3rd handshake was not accepted",
			fsm.WhyFINHeld:          "it SACKs the FIN but its ack stays below it: the FIN waits behind a hole",
			fsm.WhyNoConnection:     "its RST answers a segment it had no connection for",
		},
	},
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
				b = append(b, "; the trace has no answer: the earlier SYN or its answer was lost, or nothing answers at all; the server's state is unknown"...)
			}
			return b
		},
		fsm.HandshakeSYNACK: func(b []byte, x ctx, e *fsm.Event) []byte {
			if x.r.Conn != nil && x.r.Conn.Self {
				b = append(b, "SYN-ACK of a self-connect: the socket acknowledges its own SYN: ack "...)
				b = num(b, arg(e, fsm.KeyAck))
				b = append(b, " = its ISN "...)
				b = num(b, arg(e, fsm.KeyPeerISN))
				return append(b, " + 1, and receives this SYN-ACK itself"...)
			}
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
				b = append(b, " (seq "...)
				b = num(b, s)
				b = append(b, '-')
				b = num(b, arg(e, fsm.KeySeqEnd))
				b = append(b, ')')
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
			b = num(b, arg(e, fsm.KeyAck))
			if d, ok := e.Get(fsm.KeyGapUs); ok {
				b = append(b, "; sent "...)
				b = dur(b, d)
				b = append(b, " after that data: a delayed ACK (the receiver waited for more data to acknowledge at once; Linux waits at least 40 ms)"...)
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
			b = append(b, "retransmission: bytes "...)
			b = num(b, arg(e, fsm.KeySeq))
			b = append(b, '-')
			b = num(b, arg(e, fsm.KeySeq)+arg(e, fsm.KeyLen))
			b = append(b, " were sent before"...)
			if us, ok := e.Get(fsm.KeySinceUs); ok {
				b = append(b, " ("...)
				b = dur(b, us)
				b = append(b, " after the original)"...)
			}
			return b
		},
		fsm.FastRetransmission: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "fast retransmission: after "...)
			b = num(b, arg(e, fsm.KeyDupAcks))
			b = append(b, " duplicate ACKs the sender resends seq "...)
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, " without waiting for its timer"...)
		},
		fsm.SpuriousRetransmission: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "spurious retransmission: the "...)
			b = append(b, x.to()...)
			b = append(b, " had already acknowledged these bytes (ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			return append(b, ")"...)
		},
		fsm.OutOfOrder: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "out of order: these bytes (seq "...)
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, ") were never seen before and arrive after later ones"...)
		},
		fsm.LostSegment: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "previous segment not in this trace: "...)
			b = num(b, arg(e, fsm.KeyMissing))
			b = append(b, " bytes (seq "...)
			b = num(b, arg(e, fsm.KeyExpected))
			b = append(b, '-')
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, ") are missing: lost before the capture point, or not captured"...)
		},
		fsm.AckedUnseen: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "acknowledges "...)
			b = num(b, arg(e, fsm.KeyMissing))
			b = append(b, " bytes not in this trace (ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, ", but the trace shows the "...)
			b = append(b, x.to()...)
			b = append(b, " only up to "...)
			b = num(b, arg(e, fsm.KeyExpected))
			return append(b, ")"...)
		},
		fsm.DupAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "duplicate ACK #"...)
			b = num(b, arg(e, fsm.KeyCount))
			b = append(b, ": the "...)
			b = append(b, x.from()...)
			b = append(b, " still waits for seq "...)
			b = num(b, arg(e, fsm.KeyAck))
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
			return append(b, " asks whether the window has opened (Linux probes with an ACK for old data, seq = next − 1, so it looks like a keep-alive; the zero window says it is a probe)"...)
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
			return append(b, " sends an ACK for old data (seq = next − 1) to ask whether the peer is still there"...)
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
			if arg(e, fsm.KeySimultaneous) == 1 {
				b = append(b, "ACK of the "...)
				b = append(b, x.to()...)
				b = append(b, "'s crossing FIN (simultaneous close): ack "...)
			} else {
				b = append(b, "2nd wave (ACK of the FIN): ack "...)
			}
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
				b = num(b, arg(e, fsm.KeyLeft))
				b = append(b, '-')
				b = num(b, arg(e, fsm.KeyRight))
				return append(b, " arrived twice (a duplicate, RFC 2883)"...)
			}
			b = append(b, "SACK: the "...)
			b = append(b, x.from()...)
			b = append(b, " already holds seq "...)
			b = num(b, arg(e, fsm.KeyLeft))
			b = append(b, '-')
			b = num(b, arg(e, fsm.KeyRight))
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
			return num(b, arg(e, fsm.KeyAck))
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
		fsm.HandshakeSelfConnect: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "self-connect: a socket connected to its own address and port "...)
			b = num(b, arg(e, fsm.KeyPort))
			b = append(b, ", so its SYN (ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			return append(b, ") comes back to it: a simultaneous open of one socket, SYN_SENT then SYN_RCVD, with no listener anywhere"...)
		},
		fsm.HandshakeSYNACKUnsolicited: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "a SYN-ACK (ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, ", ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, ") that answers no SYN in this trace: the SYN came before the capture started, or there was none; a host that holds no such connection answers it with a RST"...)
			return b
		},
		fsm.HandshakeSYNACKNewISN: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "a second SYN-ACK for the same SYN with another ISN ("...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, ", the first had "...)
			b = num(b, arg(e, fsm.KeyExpected))
			return append(b, "): not a retransmission (that would repeat the ISN); the client, synchronized to the first, finds it outside its window and can only answer with an ACK"...)
		},
		fsm.HandshakeACKDropped: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "the 3rd-handshake ACK is in the trace, yet the listener sends its SYN-ACK again: it did not take the ACK (a full accept queue drops it, so does a firewall on the listener's host)"...)
		},
		fsm.SegmentNoFlags: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "a segment with no flags at all: no SYN, no ACK, so every receiver drops it (RFC 9293: a segment without ACK is dropped) and no state changes"...)
		},
		fsm.RSTAfterClose: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "RST after both FINs: the "...)
			b = append(b, x.from()...)
			return append(b, " resets a connection that had already closed both ways, cutting the last wait short; the close itself was clean"...)
		},
		fsm.RSTDataAfterClose: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "RST: the "...)
			b = append(b, x.from()...)
			b = append(b, "'s application has closed (its FIN is in the trace), and the kernel resets data that arrives afterwards: the "...)
			b = append(b, x.to()...)
			return append(b, "'s data will never be read"...)
		},
		fsm.RSTIgnored: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "the "...)
			b = append(b, x.from()...)
			b = append(b, " keeps sending after the RST (seq "...)
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, "): the RST was not accepted (outside the window, or it never arrived), and the connection goes on"...)
		},
		fsm.TraceAfterReset: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "a segment on addresses and ports that a RST closed (connection #"...)
			b = num(b, arg(e, fsm.KeyOldConn))
			return append(b, "): a new connection record, seen without its handshake"...)
		},
		fsm.RSTNoConnection: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "RST: the "...)
			b = append(b, x.from()...)
			b = append(b, " has no such connection and answers the "...)
			b = append(b, x.to()...)
			return append(b, "'s segment with a RST (RFC 9293: a segment to a closed port is answered with a RST, seq = its ack if it had one); it was CLOSED throughout"...)
		},
		fsm.TraceQuiet: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "tcpdump -q prints no flags and no sequence numbers: the handshake, the close and both endpoints' states cannot be seen in this render, only who sends how many bytes"...)
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
	if s.ConnState != "" {
		b = append(b, "; conn_state "...)
		b = append(b, s.ConnState...)
		b = append(b, ", history "...)
		b = append(b, s.History...)
	}
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
	if s.Quiet {
		return append(b, "tcpdump -q shows no flags: its opening, its close and its Zeek state cannot be seen"...)
	}
	switch s.ConnState {
	case "S0":
		return append(b, "no answer to the SYN"...)
	case "S1":
		return append(b, "established, not closed in this trace"...)
	}
	return append(b, "not closed in this trace"...)
}
