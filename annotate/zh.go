package annotate

import (
	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// zh is the Chinese wording, in the words of the books and posts Chinese
// readers learn TCP from: 三次握手, 四次挥手, 初始序列号 ISN, 确认号 …
var zh = wording{
	role:     [2]string{"客户端", "服务器"},
	arrow:    " → ",
	sep:      "；",
	stateSep: " · ",
	listSep:  "，",
	summary:  zhSummary,
	states: stateWords{
		unknown: "?", self: "套接字", inferred: "（推断：", because: "（", close: "）",
		correction: "更正：", not: "，而非 ",
		why: [...]string{
			fsm.WhyAnswersSYN:       "它回了 SYN-ACK，说明它在监听",
			fsm.WhyRefuses:          "它用 RST 回应 SYN，说明没有进程在监听",
			fsm.WhySendsSYNACK:      "它发出了 SYN-ACK",
			fsm.WhyAcksSYNACK:       "它确认了 SYN-ACK，说明 SYN 是它发的",
			fsm.WhyDataBothWays:     "双向都有数据和 ACK",
			fsm.WhyAcksFIN:          "它确认了对方的 FIN，且仍在发送数据",
			fsm.WhyFINAfterPeers:    "它的 FIN 确认了对方的 FIN",
			fsm.WhyFINPeerOpen:      "它关闭时对方仍在发送",
			fsm.WhySendsRST:         "它发出了 RST",
			fsm.WhySendsSYN:         "它发出了自己的 SYN",
			fsm.WhyFINNotAccepted:   "FIN 被重传且从未被确认：对方没有接受它",
			fsm.WhyFINCrossed:       "它的 FIN 没有确认对方的 FIN，说明发送时还没收到",
			fsm.WhyRSTIgnored:       "RST 之后它仍在发送：RST 没有被接受",
			fsm.WhySYNACKLost:       "它重传了 SYN：SYN-ACK 没有到达",
			fsm.WhyHandshakeAckLost: "它重传了 SYN-ACK：第三次握手没有被接受",
			fsm.WhyFINHeld:          "它用 SACK 确认了 FIN，但确认号仍停在 FIN 之前：FIN 排在空洞之后",
			fsm.WhyNoConnection:     "它用 RST 回应了一个它并没有连接的报文段",
		},
	},
	ev: [fsm.NumCodes]sentence{
		fsm.HandshakeSYN: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "第一次握手 (SYN)：客户端发起连接，初始序列号 ISN = "...)
			return num(b, arg(e, fsm.KeyISN))
		},
		fsm.HandshakeSYNRetransmit: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "SYN 超时重传"...)
			if g, ok := e.Get(fsm.KeyGapUs); ok {
				b = append(b, "，距上一次 "...)
				b = dur(b, g)
				if prev, ok := e.Get(fsm.KeyPrevGapUs); ok {
					if arg(e, fsm.KeyDoubled) == 1 {
						b = append(b, "：超时时间翻倍（指数退避）"...)
					} else if g*10 < prev*13 && g*10 > prev*7 {
						b = append(b, "：与上次间隔相同，没有翻倍（Linux ≥ 6.5 前几次 SYN 重传按 1 秒线性间隔）"...)
					} else {
						b = append(b, "（上一次间隔 "...)
						b = dur(b, prev)
						b = append(b, "）"...)
					}
				} else {
					b = append(b, "：初始超时时间内没有收到 SYN-ACK"...)
				}
			}
			b = append(b, "；ISN 仍为 "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, "，是同一次连接尝试的重传，不是新连接"...)
			switch {
			case arg(e, fsm.KeyLost) == 1:
				b = append(b, "；服务器的 SYN-ACK 没有到达客户端，客户端仍处于 SYN_SENT"...)
			case arg(e, fsm.KeyUnanswered) == 1:
				b = append(b, "；trace 中没有任何回应：之前的 SYN 或它的回应丢失了，或者根本没有回应；服务器的状态未知"...)
			}
			return b
		},
		fsm.HandshakeSYNACK: func(b []byte, x ctx, e *fsm.Event) []byte {
			if x.r.Conn != nil && x.r.Conn.Self {
				b = append(b, "自连接的 SYN-ACK：套接字确认自己的 SYN：确认号 ack "...)
				b = num(b, arg(e, fsm.KeyAck))
				b = append(b, " = 它的 ISN "...)
				b = num(b, arg(e, fsm.KeyPeerISN))
				return append(b, " + 1，这个 SYN-ACK 也由它自己收到"...)
			}
			if arg(e, fsm.KeySimultaneous) == 1 {
				b = append(b, "同时打开的 SYN-ACK："...)
				b = append(b, x.from()...)
				b = append(b, "（ISN "...)
				b = num(b, arg(e, fsm.KeyISN))
				b = append(b, "）确认"...)
				b = append(b, x.to()...)
				b = append(b, "的 SYN：ack "...)
				b = num(b, arg(e, fsm.KeyAck))
				b = append(b, " = ISN "...)
				b = num(b, arg(e, fsm.KeyPeerISN))
				return append(b, " + 1"...)
			}
			b = append(b, "第二次握手 (SYN-ACK)：服务器初始序列号 ISN = "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, "；确认号 ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			peer, ok := e.Get(fsm.KeyPeerISN)
			switch {
			case !ok:
			case e.Has(fsm.KeyTFOBytes):
				b = append(b, " = 客户端 ISN "...)
				b = num(b, peer)
				b = append(b, " + 1 + SYN 携带的 "...)
				b = num(b, arg(e, fsm.KeyTFOBytes))
				b = append(b, " 字节数据：服务器接受了 Fast Open 数据"...)
			case e.Has(fsm.KeyExpected):
				b = append(b, "，但客户端 ISN "...)
				b = num(b, peer)
				b = append(b, " + 1 = "...)
				b = num(b, arg(e, fsm.KeyExpected))
				b = append(b, "：这个 SYN-ACK 并不是对那个 SYN 的回应"...)
			default:
				b = append(b, " = 客户端 ISN "...)
				b = num(b, peer)
				b = append(b, " + 1（SYN 占用一个序列号）"...)
			}
			return b
		},
		fsm.HandshakeSYNACKRetransmit: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "SYN-ACK 超时重传"...)
			if g, ok := e.Get(fsm.KeyGapUs); ok {
				b = append(b, "，距上一次 "...)
				b = dur(b, g)
				if arg(e, fsm.KeyDoubled) == 1 {
					b = append(b, "（超时时间翻倍）"...)
				}
			}
			b = append(b, "；ISN 仍为 "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, "：服务器没有收到第三次握手"...)
			if arg(e, fsm.KeyLost) == 1 {
				b = append(b, "，客户端的 ACK 丢失了，服务器仍处于 SYN_RCVD"...)
			}
			return b
		},
		fsm.HandshakeACK: func(b []byte, x ctx, e *fsm.Event) []byte {
			if n := arg(e, fsm.KeyCount); n > 1 {
				b = append(b, "再次发送第三次握手（回应重传的 SYN-ACK）：确认号 ack "...)
			} else {
				b = append(b, "第三次握手 (ACK)：确认号 ack "...)
			}
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " = 服务器 ISN "...)
			b = num(b, arg(e, fsm.KeyPeerISN))
			b = append(b, " + 1；连接建立"...)
			if us, ok := e.Get(fsm.KeyIRTTUs); ok {
				b = append(b, "（握手往返时间 "...)
				b = dur(b, us)
				b = append(b, "）"...)
			}
			return b
		},
		fsm.HandshakeSimultaneousOpen: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "同时打开：这个 SYN（ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, "）与对方的 SYN（ISN "...)
			b = num(b, arg(e, fsm.KeyPeerISN))
			b = append(b, "）交叉；没有监听方，双方各自用 SYN-ACK 回应对方的 SYN"...)
			return b
		},
		fsm.Data: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "数据 "...)
			b = num(b, arg(e, fsm.KeyLen))
			b = append(b, " 字节"...)
			if s, ok := e.Get(fsm.KeySeq); ok {
				b = append(b, "（序列号 "...)
				b = num(b, s)
				b = append(b, '-')
				b = num(b, arg(e, fsm.KeySeqEnd))
				b = append(b, "）"...)
			}
			if e.Has(fsm.KeyTFOData) {
				b = append(b, "，随 SYN 发送 (TCP Fast Open)"...)
			}
			if s, ok := e.Get(fsm.KeySeq); ok && arg(e, fsm.KeySeqEnd) < s {
				b = append(b, "，序列号越过 2^32 回绕：4294967296 = 0（序列号按 2^32 取模）"...)
			}
			if x.p.Flags.Has(grammar.URG) && x.p.HasUrg {
				b = append(b, "；URG 紧急数据，紧急指针 "...)
				b = num(b, int64(x.p.Urg))
			}
			return b
		},
		fsm.Ack: func(b []byte, x ctx, e *fsm.Event) []byte {
			n, ok := e.Get(fsm.KeyAcked)
			if ok && n == 0 {
				b = append(b, "确认 ack "...)
				b = num(b, arg(e, fsm.KeyAck))
				return append(b, "：没有确认新数据"...)
			}
			b = append(b, "确认 (ACK)："...)
			if ok {
				b = append(b, "确认了 "...)
				b = num(b, n)
				b = append(b, " 字节，"...)
			}
			b = append(b, "序列号 "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " 之前的数据全部收到"...)
			if d, ok := e.Get(fsm.KeyGapUs); ok {
				b = append(b, "；在数据到达 "...)
				b = dur(b, d)
				b = append(b, " 后才发送：延迟确认（接收方等待更多数据以便一并确认；Linux 至少等 40 毫秒）"...)
			}
			return b
		},
		fsm.AckPiggyback: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "同时捎带确认"...)
			b = append(b, x.to()...)
			b = append(b, "的 "...)
			b = num(b, arg(e, fsm.KeyAcked))
			b = append(b, " 字节数据（ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			return append(b, "）"...)
		},
		fsm.Retransmission: func(b []byte, x ctx, e *fsm.Event) []byte {
			if arg(e, fsm.KeyLen) == 0 {
				return append(b, "重传：这个 FIN 之前已发送过"...)
			}
			b = append(b, "重传：序列号 "...)
			b = num(b, arg(e, fsm.KeySeq))
			b = append(b, '-')
			b = num(b, arg(e, fsm.KeySeq)+arg(e, fsm.KeyLen))
			b = append(b, " 的数据之前已发送过"...)
			if us, ok := e.Get(fsm.KeySinceUs); ok {
				b = append(b, "（"...)
				b = dur(b, us)
				b = append(b, " 之后）"...)
			}
			return b
		},
		fsm.FastRetransmission: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "快速重传：收到 "...)
			b = num(b, arg(e, fsm.KeyDupAcks))
			b = append(b, " 个重复确认后，发送方不等定时器超时就重发序列号 "...)
			return num(b, arg(e, fsm.KeySeq))
		},
		fsm.SpuriousRetransmission: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "虚假重传："...)
			b = append(b, x.to()...)
			b = append(b, "已经确认过这些数据（ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			return append(b, "）"...)
		},
		fsm.OutOfOrder: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "乱序：这些数据（序列号 "...)
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, "）此前从未出现，却在后面的数据之后到达"...)
		},
		fsm.LostSegment: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "前一个报文段不在本 trace 中：缺少 "...)
			b = num(b, arg(e, fsm.KeyMissing))
			b = append(b, " 字节（序列号 "...)
			b = num(b, arg(e, fsm.KeyExpected))
			b = append(b, '-')
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, "），在抓包点之前丢失，或没有被抓到"...)
		},
		fsm.AckedUnseen: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "确认了本 trace 中没有出现的 "...)
			b = num(b, arg(e, fsm.KeyMissing))
			b = append(b, " 字节（ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, "，而 trace 中"...)
			b = append(b, x.to()...)
			b = append(b, "只发到 "...)
			b = num(b, arg(e, fsm.KeyExpected))
			return append(b, "）"...)
		},
		fsm.DupAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "重复确认 #"...)
			b = num(b, arg(e, fsm.KeyCount))
			b = append(b, "："...)
			b = append(b, x.from()...)
			b = append(b, "仍在等待序列号 "...)
			b = num(b, arg(e, fsm.KeyAck))
			if arg(e, fsm.KeyCount) == 3 {
				b = append(b, "；三个重复确认会触发快速重传"...)
			}
			return b
		},
		fsm.WindowZero: func(b []byte, x ctx, e *fsm.Event) []byte {
			if arg(e, fsm.KeyStill) == 1 {
				return append(b, "窗口仍为零：接收缓冲区仍然是满的"...)
			}
			b = append(b, "零窗口："...)
			b = append(b, x.from()...)
			return append(b, "的接收缓冲区已满，对方必须暂停发送"...)
		},
		fsm.WindowProbe: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "零窗口探测："...)
			b = append(b, x.from()...)
			return append(b, "询问窗口是否已打开（Linux 用确认旧数据的 ACK 探测，seq = 下一个序列号 − 1，看起来像保活报文；对方的零窗口说明这是窗口探测）"...)
		},
		fsm.WindowUpdate: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "窗口更新：窗口重新打开，win "...)
			b = num(b, arg(e, fsm.KeyWin))
			if wb := arg(e, fsm.KeyWinBytes); wb != arg(e, fsm.KeyWin) {
				b = append(b, " = "...)
				b = num(b, wb)
				b = append(b, " 字节"...)
			}
			return b
		},
		fsm.WindowFull: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "窗口已满：这个报文段填满了"...)
			b = append(b, x.to()...)
			b = append(b, "通告的窗口（"...)
			b = num(b, arg(e, fsm.KeyWinBytes))
			return append(b, " 字节），发送方必须等待确认"...)
		},
		fsm.Keepalive: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "保活 (keep-alive) 探测：连接空闲一段时间后，"...)
			b = append(b, x.from()...)
			return append(b, "发送一个确认旧数据的 ACK（seq = 下一个序列号 − 1），询问对方是否还在"...)
		},
		fsm.KeepaliveAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "保活应答："...)
			b = append(b, x.from()...)
			return append(b, "仍然存活，重新确认已收到的数据"...)
		},
		fsm.CloseFIN: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "第一次挥手 (FIN)："...)
			b = append(b, x.from()...)
			b = append(b, "主动关闭自己的发送方向，FIN 序列号 "...)
			return num(b, arg(e, fsm.KeySeq))
		},
		fsm.CloseFINAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			if arg(e, fsm.KeySimultaneous) == 1 {
				b = append(b, "确认"...)
				b = append(b, x.to()...)
				b = append(b, "交叉的 FIN（同时关闭）：确认号 ack "...)
			} else {
				b = append(b, "第二次挥手（确认 FIN）：确认号 ack "...)
			}
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " = FIN 序列号 "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			return append(b, " + 1（FIN 占用一个序列号）"...)
		},
		fsm.ClosePassiveFIN: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "第三次挥手 (FIN)："...)
			b = append(b, x.from()...)
			b = append(b, "被动关闭，FIN 序列号 "...)
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, "：四次挥手"...)
		},
		fsm.CloseFINMerged: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, x.from()...)
			b = append(b, "也关闭，它的 FIN 捎带了对"...)
			b = append(b, x.to()...)
			b = append(b, " FIN 的确认（ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " = FIN "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			return append(b, " + 1）：FIN 与 ACK 合并，三次挥手"...)
		},
		fsm.CloseFinalAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "最后一次挥手 (ACK)：确认号 ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " = FIN "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			b = append(b, " + 1；"...)
			b = append(b, x.to()...)
			b = append(b, "关闭 (CLOSED)，"...)
			b = append(b, x.from()...)
			return append(b, "进入 TIME_WAIT，等待 2MSL（Linux 为 60 秒），以防这个 ACK 丢失"...)
		},
		fsm.CloseSimultaneous: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "同时关闭：这个 FIN 与"...)
			b = append(b, x.to()...)
			b = append(b, "的 FIN（序列号 "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			return append(b, "）交叉；双方都进入 CLOSING，各自的 FIN 被确认后都进入 TIME_WAIT"...)
		},
		fsm.CloseHalf: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "半关闭："...)
			b = append(b, x.to()...)
			b = append(b, "已发送 FIN，但仍在接收数据："...)
			b = append(b, x.from()...)
			return append(b, "的发送方向仍然打开"...)
		},
		fsm.RSTRefused: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "复位 (RST) 回应 SYN："...)
			b = append(b, x.r.Conn.Server...)
			return append(b, " 上没有进程监听（连接被拒绝）"...)
		},
		fsm.RSTAbort: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "复位 (RST)："...)
			b = append(b, x.from()...)
			return append(b, "异常终止连接（不经过挥手，没有 TIME_WAIT；尚未读取的数据被丢弃）"...)
		},
		fsm.OptionMSS: func(b []byte, x ctx, e *fsm.Event) []byte {
			m := arg(e, fsm.KeyMSS)
			b = append(b, "最大报文段长度 MSS = "...)
			b = num(b, m)
			b = append(b, "："...)
			b = append(b, x.from()...)
			b = append(b, "能接收的最大报文段"...)
			if x.p.IPVersion == 4 {
				b = append(b, "（MTU "...)
				b = num(b, m+40)
				b = append(b, " − 20 IP 首部 − 20 TCP 首部）"...)
			} else {
				b = append(b, "（MTU "...)
				b = num(b, m+60)
				b = append(b, " − 40 IPv6 首部 − 20 TCP 首部）"...)
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
				b = append(b, "（握手时协商的窗口扩大因子 wscale "...)
				b = num(b, s)
				b = append(b, "）= "...)
				b = num(b, arg(e, fsm.KeyWinBytes))
				return append(b, " 字节"...)
			}
			b = append(b, "窗口扩大因子 wscale "...)
			b = num(b, s)
			b = append(b, "："...)
			b = append(b, x.from()...)
			b = append(b, "之后通告的窗口以 2^"...)
			b = num(b, s)
			b = append(b, " 字节为单位"...)
			if arg(e, fsm.KeyBothOffered) == 1 {
				b = append(b, "（双方都提供了该选项，窗口扩大生效；SYN 中的窗口从不扩大）"...)
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
				b = append(b, "（握手时协商的窗口扩大因子 wscale "...)
				b = num(b, s)
				b = append(b, "）= "...)
				b = num(b, arg(e, fsm.KeyWinBytes))
				return append(b, " 字节"...)
			}
			b = append(b, "窗口扩大因子 wscale "...)
			b = num(b, s)
			b = append(b, "："...)
			b = append(b, x.from()...)
			b = append(b, "之后通告的窗口以 2^"...)
			b = num(b, s)
			b = append(b, " 字节为单位"...)
			if arg(e, fsm.KeyBothOffered) == 1 {
				b = append(b, "（双方都提供了该选项，窗口扩大生效；SYN 中的窗口从不扩大）"...)
			}
			return b
		},
		fsm.OptionSACKPermitted: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "允许选择确认 (sackOK)："...)
			b = append(b, x.from()...)
			return append(b, "可以报告乱序收到的数据块"...)
		},
		fsm.OptionSACK: func(b []byte, x ctx, e *fsm.Event) []byte {
			if dsack(e) {
				b = append(b, "D-SACK："...)
				b = append(b, x.from()...)
				b = append(b, "报告序列号 "...)
				b = num(b, arg(e, fsm.KeyLeft))
				b = append(b, '-')
				b = num(b, arg(e, fsm.KeyRight))
				return append(b, " 收到了两次（重复数据，RFC 2883）"...)
			}
			b = append(b, "选择确认 SACK："...)
			b = append(b, x.from()...)
			b = append(b, "已收到序列号 "...)
			b = num(b, arg(e, fsm.KeyLeft))
			b = append(b, '-')
			b = num(b, arg(e, fsm.KeyRight))
			if n := arg(e, fsm.KeyBlocks); n > 1 {
				b = append(b, "（另有 "...)
				b = num(b, n-1)
				b = append(b, " 个数据块）"...)
			}
			b = append(b, "，但仍缺少 "...)
			return num(b, arg(e, fsm.KeyAck))
		},
		fsm.OptionTimestamps: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "时间戳 TSval "...)
			b = num(b, arg(e, fsm.KeyTSVal))
			b = append(b, " TSecr "...)
			b = num(b, arg(e, fsm.KeyTSEcr))
			return append(b, "：用于测量往返时间和防止序列号回绕 (PAWS)"...)
		},
		fsm.OptionTFO: func(b []byte, x ctx, e *fsm.Event) []byte {
			if arg(e, fsm.KeyCookie) == 1 {
				return append(b, "TCP Fast Open cookie：凭此 cookie，以后的 SYN 可以直接携带数据"...)
			}
			return append(b, "TCP Fast Open cookie 请求：客户端请求一个 cookie，以便将来在 SYN 中携带数据"...)
		},
		fsm.IPHeader: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "IP 首部："...)
			if v, ok := e.Get(fsm.KeyTTL); ok {
				b = append(b, "TTL "...)
				b = num(b, v)
				b = append(b, "（剩余跳数）"...)
			}
			if v, ok := e.Get(fsm.KeyID); ok {
				b = append(b, "，标识 id "...)
				b = num(b, v)
			}
			if arg(e, fsm.KeyDF) == 1 {
				b = append(b, "，DF 不分片（路径 MTU 发现）"...)
			}
			if v, ok := e.Get(fsm.KeyTOS); ok && v != 0 {
				b = append(b, "，tos 0x"...)
				b = appendHex(b, v)
			}
			if v, ok := e.Get(fsm.KeyIPLen); ok {
				b = append(b, "，总长度 "...)
				b = num(b, v)
			}
			return b
		},
		fsm.ChecksumOffload: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "校验和显示 incorrect：发送方把校验和交给网卡计算（校验和卸载），tcpdump 抓到包时还没有填入；不是数据损坏"...)
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
					b = append(b, "，"...)
				}
				b = append(b, "ack "...)
				b = num(b, v)
			}
			b = append(b, " 是相对序列号：tcpdump 默认从连接的第一个序列号算起（加 -S 显示绝对序列号）；绝对序列号"...)
			if v, ok := e.Get(fsm.KeySeq); ok && e.Has(fsm.KeyRelSeq) {
				b = append(b, " seq = "...)
				b = num(b, v)
			}
			if v, ok := e.Get(fsm.KeyAck); ok && e.Has(fsm.KeyRelAck) {
				if e.Has(fsm.KeyRelSeq) {
					b = append(b, "，"...)
				}
				b = append(b, " ack = "...)
				b = num(b, v)
			}
			return b
		},
		fsm.TraceTimeBackwards: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "时间比上一行倒退了 "...)
			b = dur(b, arg(e, fsm.KeyBackUs))
			return append(b, "：行的顺序被打乱（经过编辑或拼贴？）"...)
		},
		fsm.TraceMidstream: func(b []byte, x ctx, e *fsm.Event) []byte {
			if v, ok := e.Get(fsm.KeyPeerISN); ok {
				b = append(b, "客户端的 SYN 不在本 trace 中：它的 ISN 是 "...)
				b = num(b, v)
				return append(b, "（本包 ack − 1）"...)
			}
			return append(b, "trace 从连接中途开始：没有握手过程，角色和状态是推断的"...)
		},
		fsm.HandshakeSelfConnect: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "自连接：套接字连到了自己的地址和端口 "...)
			b = num(b, arg(e, fsm.KeyPort))
			b = append(b, "，它的 SYN（ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			return append(b, "）回到了它自己：一个套接字的同时打开，先 SYN_SENT 后 SYN_RCVD，并没有任何监听方"...)
		},
		fsm.HandshakeSYNACKUnsolicited: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "这个 SYN-ACK（ISN "...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, "，确认号 ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			return append(b, "）在本 trace 中没有对应的 SYN：SYN 在抓包开始之前，或者根本没有发过；没有这条连接的主机会用 RST 回应它"...)
		},
		fsm.HandshakeSYNACKNewISN: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "同一个 SYN 的第二个 SYN-ACK，ISN 却不同（"...)
			b = num(b, arg(e, fsm.KeyISN))
			b = append(b, "，第一个是 "...)
			b = num(b, arg(e, fsm.KeyExpected))
			return append(b, "）：不是重传（重传会重复 ISN）；客户端已按第一个 ISN 同步，这个报文段落在窗口之外，它只能回一个 ACK"...)
		},
		fsm.HandshakeACKDropped: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "第三次握手的 ACK 在 trace 中，监听方却再次发送 SYN-ACK：它没有接收这个 ACK（全连接队列满时会丢弃它，监听方主机上的防火墙也会）"...)
		},
		fsm.SegmentNoFlags: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "一个没有任何标志位的报文段：没有 SYN，也没有 ACK，任何接收方都会丢弃它（RFC 9293：没有 ACK 的报文段被丢弃），状态不变"...)
		},
		fsm.RSTAfterClose: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "双方的 FIN 之后的复位 (RST)："...)
			b = append(b, x.from()...)
			return append(b, "复位了一个两个方向都已关闭的连接，只是提前结束了最后的等待；关闭本身是正常的"...)
		},
		fsm.RSTDataAfterClose: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "复位 (RST)："...)
			b = append(b, x.from()...)
			b = append(b, "的应用程序已经关闭（它的 FIN 在 trace 中），之后到达的数据被内核复位："...)
			b = append(b, x.to()...)
			return append(b, "的数据永远不会被读取"...)
		},
		fsm.RSTIgnored: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, x.from()...)
			b = append(b, "在 RST（序列号 "...)
			b = num(b, arg(e, fsm.KeySeq))
			return append(b, "）之后仍在发送：RST 没有被接受（不在窗口内，或者没有到达），连接继续"...)
		},
		fsm.TraceAfterReset: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "被 RST 关闭的地址和端口上又出现报文段（连接 #"...)
			b = num(b, arg(e, fsm.KeyOldConn))
			return append(b, "）：这是一条新的连接记录，看不到它的握手"...)
		},
		fsm.RSTNoConnection: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "复位 (RST)："...)
			b = append(b, x.from()...)
			b = append(b, "没有这条连接，用 RST 回应"...)
			b = append(b, x.to()...)
			return append(b, "的报文段（RFC 9293：发往关闭端口的报文段以 RST 回应，有 ACK 时 RST 的序列号取其确认号）；它始终处于 CLOSED"...)
		},
		fsm.TraceQuiet: func(b []byte, x ctx, e *fsm.Event) []byte {
			return append(b, "tcpdump -q 不打印标志位和序列号：这种输出看不出握手、挥手和两端的状态，只能看出谁发了多少字节"...)
		},
		fsm.TracePortsReused: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "相同地址和端口上的新连接（新的 ISN，端口复用）；这组端口上的连接 #"...)
			b = num(b, arg(e, fsm.KeyOldConn))
			if arg(e, fsm.KeyOldClosed) == 1 {
				return append(b, " 已经结束"...)
			}
			return append(b, " 在本 trace 中尚未关闭完毕"...)
		},
		fsm.TraceEvicted: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "连接表已满（"...)
			b = num(b, arg(e, fsm.KeyConns))
			return append(b, " 个连接）：最久未见的连接被遗忘"...)
		},
		fsm.LintSYNACKAck: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "不可能：SYN-ACK 的确认号必须是客户端 ISN + 1 = "...)
			b = num(b, arg(e, fsm.KeyExpected))
			b = append(b, "，这里却是 ack "...)
			return num(b, arg(e, fsm.KeyAck))
		},
		fsm.LintAckUnsent: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "不可能：ack "...)
			b = num(b, arg(e, fsm.KeyAck))
			b = append(b, " 确认了"...)
			b = append(b, x.to()...)
			b = append(b, "从未发送的数据（它只发到 "...)
			b = num(b, arg(e, fsm.KeyExpected))
			return append(b, "）"...)
		},
		fsm.LintFINSeq: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "不可能：FIN 占用一个序列号，FIN 序列号 "...)
			b = num(b, arg(e, fsm.KeyFINSeq))
			b = append(b, " 之后的下一个序列号是 "...)
			b = num(b, arg(e, fsm.KeyExpected))
			if v, ok := e.Get(fsm.KeyAck); ok {
				b = append(b, "，而不是 ack "...)
				return num(b, v)
			}
			b = append(b, "，而不是 seq "...)
			return num(b, arg(e, fsm.KeySeq))
		},
		fsm.LintSeqLength: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "不可能：序列号 "...)
			b = num(b, arg(e, fsm.KeySeq))
			b = append(b, ":"...)
			b = num(b, arg(e, fsm.KeySeqEnd))
			b = append(b, " 覆盖 "...)
			b = num(b, arg(e, fsm.KeySeqEnd)-arg(e, fsm.KeySeq))
			b = append(b, " 字节，长度却是 "...)
			return num(b, arg(e, fsm.KeyLen))
		},
		fsm.LintRetransLength: func(b []byte, x ctx, e *fsm.Event) []byte {
			b = append(b, "可疑：序列号 "...)
			b = num(b, arg(e, fsm.KeySeq))
			b = append(b, " 的重传携带 "...)
			b = num(b, arg(e, fsm.KeyLen))
			b = append(b, " 字节，原报文段携带 "...)
			b = num(b, arg(e, fsm.KeyExpected))
			return append(b, " 字节（协议栈可能重新分段，但手工编辑的 trace 常有此错）"...)
		},
		fsm.ECNSetup: func(b []byte, x ctx, e *fsm.Event) []byte {
			if x.p.Flags.Has(grammar.CWR) {
				return append(b, "ECN：SYN 带 ECE 和 CWR，请求使用显式拥塞通知"...)
			}
			return append(b, "ECN：SYN-ACK 带 ECE，同意使用显式拥塞通知"...)
		},
	},
}

// zhSummary words a connection summary in Chinese.
func zhSummary(b []byte, s *fsm.Summary) []byte {
	c := s.Conn
	b = append(b, "连接 #"...)
	b = num(b, int64(c.ID))
	b = append(b, ' ')
	b = append(b, c.Client...)
	b = append(b, " → "...)
	b = append(b, c.Server...)
	b = append(b, "："...)
	by := [2]string{"客户端", "服务器"}[s.Closer]
	switch s.Close {
	case "three_packet":
		b = append(b, "三次挥手，"...)
		b = append(b, by...)
		b = append(b, "先关闭"...)
	case "four_packet":
		b = append(b, "四次挥手，"...)
		b = append(b, by...)
		b = append(b, "先关闭"...)
	case "simultaneous":
		b = append(b, "同时关闭"...)
	case "refused":
		b = append(b, "连接被拒绝"...)
	case "reset":
		b = append(b, by...)
		b = append(b, "发送 RST 复位（共 "...)
		b = num(b, int64(s.Segments[0]+s.Segments[1]))
		b = append(b, " 个报文段之后）"...)
	default:
		switch {
		case s.Quiet:
			b = append(b, "tcpdump -q 不显示标志位：看不出它的建立、关闭和 Zeek 状态"...)
		case s.ConnState == "S0":
			b = append(b, "SYN 没有得到回应"...)
		case s.ConnState == "S1":
			b = append(b, "已建立，本 trace 中没有关闭"...)
		default:
			b = append(b, "本 trace 中没有关闭"...)
		}
	}
	if s.ConnState != "" {
		b = append(b, "；conn_state "...)
		b = append(b, s.ConnState...)
		b = append(b, "，history "...)
		b = append(b, s.History...)
	}
	b = append(b, "；客户端→服务器 "...)
	b = num(b, int64(s.Bytes[fsm.Client]))
	b = append(b, " 字节，服务器→客户端 "...)
	b = num(b, int64(s.Bytes[fsm.Server]))
	b = append(b, " 字节"...)
	if n := s.Retrans[0] + s.Retrans[1]; n > 0 {
		b = append(b, "，重传 "...)
		b = num(b, int64(n))
		b = append(b, " 次"...)
	}
	if s.HasIRTT {
		b = append(b, "；握手往返时间 "...)
		b = dur(b, s.IRTTUs)
	}
	return b
}
