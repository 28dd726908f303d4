package annotate

import (
	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// How an event is worded, once for every language: a composer per code
// chooses which phrases to say, by the event's arguments (fsm has made every
// judgement; a composer only chooses words). Each language gives every
// phrase as a template (lang_*.go), so a new language is text only.

// phrase names one piece of wording.
type phrase uint16

// The phrases, in the order of the composers that say them.
const (
	phNone phrase = iota
	phSYN
	phSYNRetrans
	phRetryGap
	phSYNDoubled
	phSYNLinear
	phGapBefore
	phSYNFirstGap
	phSYNSameISN
	phSYNACKLost
	phSYNUnanswered
	phSYNACKSimultaneous
	phSYNACK
	phSYNACKTFO
	phSYNACKWrongAck
	phSYNACKArith
	phSYNACKRetrans
	phSYNACKDoubled
	phSYNACKSameISN
	phSYNACKAckLost
	phHandshakeACK
	phHandshakeACKAgain
	phHandshakeACKArith
	phIRTT
	phSimultaneousOpen
	phData1
	phDataN
	phUrgentData1
	phUrgentDataN
	phDataRange
	phDataTFO
	phDataWrap
	phDataUrgentPointer
	phAckNothing
	phAck
	phAckAcked
	phAckBefore
	phAckDelayed
	phAckPiggyback
	phRetransFIN
	phRetrans
	phSinceOriginal
	phFastRetrans
	phSpuriousRetrans
	phOutOfOrder
	phLostSegment
	phAckedUnseen
	phDupAck
	phDupAckThird
	phWindowStillZero
	phWindowZero
	phWindowProbe
	phWindowUpdate
	phWindowUpdateBytes
	phWindowFull
	phKeepalive
	phKeepaliveAck
	phCloseFIN
	phCloseFINAck
	phClosePassiveFIN
	phCloseFINMerged
	phCloseFinalAck
	phCloseSimultaneous
	phCloseHalf
	phRSTRefused
	phRSTAbort
	phMSS
	phMSSIPv4
	phMSSIPv6
	phWScale
	phWScaleBoth
	phWindowScaled
	phSACKPermitted
	phDSACK
	phSACK
	phSACKMore1
	phSACKMoreN
	phSACKMisses
	phTimestamps
	phTFOCookie
	phTFORequest
	phIPHeader
	phIPSep
	phIPTTL
	phIPID
	phIPDF
	phIPTOS
	phIPLength
	phChecksumOffload
	phRelSeq
	phRelComma
	phRelAck
	phRelExplain
	phRelAbsSeq
	phRelAbsComma
	phRelAbsAck
	phTimeBackwards
	phMidstreamISN
	phMidstream
	phPortsReused
	phPortsReusedClosed
	phPortsReusedOpen
	phEvicted
	phLintSYNACKAck
	phLintAckUnsent
	phLintFINSeq
	phLintFINSeqAck
	phLintFINSeqSeq
	phLintSeqLength
	phLintRetransLength
	phECNSYN
	phECNSYNACK
	phNewDay
	phSYNACKSelf
	phCloseFINAckCrossing
	phSelfConnect
	phSYNACKUnsolicited
	phSYNACKNewISN
	phACKDropped
	phNoFlags
	phRSTAfterClose
	phRSTDataAfterClose
	phRSTIgnored
	phAfterReset
	phQuiet
	phRSTNoConnection
	// issue 13: ACK gaps against the round trip, retransmissions by their
	// evidence, retry and keep-alive series, the line's own numbers
	phAckGap
	phAckRoundTrip
	phAckRoundTripEnd
	phAckDelayedEnd
	phAckUnexplained
	phAckUnexplainedEnd
	phAckNoRTT
	phRTTHandshake
	phRTTTSEcho
	phRTTDataAck
	phRetransTimer
	phRetransRange
	phRetransLine
	phRetransTimerFirst
	phRetransTimerAgain
	phRetransNoCause
	phFastRetransSACK
	phFastSACKOne
	phFastSACKMany
	phFastSACKEnd
	phFastSince
	phFastEnd
	phSeriesProbeFirst
	phSeriesN
	phSeriesDoubled
	phSeriesLinear
	phSeriesGapBefore
	phSeriesCapped
	phKeepaliveFirstGap
	phKeepaliveN
	phKeepaliveLinear
	phKeepaliveIntervals
	phRelUnknown
	phRelUnknownSeq
	phRelUnknownAck
	phRelUnknownExplain
	phWindowProbeFirst
	phKeepaliveFirst
	phTraceCut
	phTraceCopy
	phUnreadable
	phUnreadNone
	phUnreadPair
	phUnreadSrc
	phUnreadDst
	phUnreadFlags
	phUnreadNumber
	phUnreadOptions
	phUnreadFields
	phUnreadQuote
	phUnreadColumn
	// issue 22: SYN data that is not Fast Open, IP fragments, ECN
	// signals, the -ttt/-ttttt reading
	phSYNACKDataNotTaken
	phSYNData
	phFragFirst
	phFragLater
	phFragOffset
	phFragOffsetLen
	phFragNoPorts
	phFragReassembled
	phFragSoFar
	phFragUnknown
	phAckFragmented
	phECNCE
	phECNEcho
	phECNCWR
	phTimeOffsets
	phTimeDeltas
	// issue 17: ACK RTT spikes, bytes in flight reaching the window
	phAckRTTSpike
	phInFlightFull
	// summaries
	phSummaryHead
	phCloseThree
	phCloseFour
	phCloseSimultaneousSummary
	phCloseRefused
	phCloseReset
	phNoAnswer
	phEstablishedOpen
	phNotClosed
	phQuietSummary
	phSummaryZeek
	phSummaryBytes
	phSummaryRetrans
	phSummaryIRTT
	// issue 17: the brief forms, said once a kind of note has been
	// explained in full in its connection (brief.go, briefComposers)
	phBriefData1
	phBriefDataN
	phBriefAck
	phBriefAckTo
	phBriefAckGap
	phBriefAckRoundTrip
	phBriefAckDelayed
	phBriefAckUnexplained
	phBriefAckNoRTT
	phBriefPiggyback
	phBriefDupAck
	phBriefSACK
	phBriefRel
	phBriefRelUnknown
	phBriefScaled
	phBriefMSS
	phBriefWScale
	phBriefWScaleOn
	phBriefSACKOK
	phBriefTimestamps
	phBriefIPTTL
	phBriefIPDF
	phBriefChecksum
	// issue 17: explained once in the trace: the brief forms of the steps
	phBriefSYN
	phBriefSYNACKArith
	phBriefHandshakeACKArith
	phBriefCloseFIN
	phBriefFINAck
	phBriefFINAckCrossing
	phBriefFINMerged
	phBriefFinalAck
	phBriefSimClose
	phBriefHalfClose
	phBriefRSTAfterClose
	phBriefRSTNoConn
	phBriefKeepalive
	phBriefKeepaliveAck
	phBriefECNSYN
	phBriefECNSYNACK
	numPhrases
)

// composer words one event by saying phrases.
type composer func(v view, b []byte) []byte

// ipFieldPhrases are the fields the ip.header sentence may show, in its
// order: ttl, id, DF, a tos that is not 0, length.
var ipFieldPhrases = [...]phrase{phIPTTL, phIPID, phIPDF, phIPTOS, phIPLength}

// joinPieces appends the pieces of a phrase to those of the sentence
// before it, merging the first literal into a last piece that has no
// placeholder: rendering the result writes what rendering both does.
func joinPieces(ps, next []piece) []piece {
	for _, p := range next {
		if k := len(ps) - 1; k >= 0 && ps[k].key == fsm.KeyNone && ps[k].sp == spNone {
			ps[k].lit += p.lit
			ps[k].key, ps[k].sp = p.key, p.sp
			ps[k].marks |= p.marks
			continue
		}
		ps = append(ps, p)
	}
	return ps
}

// has reports whether the event being worded carries an argument.
func (v *view) has(k fsm.Key) bool { return v.e.Has(k) }

// is reports whether an argument is present and equal to x.
func (v *view) is(k fsm.Key, x int64) bool {
	y, ok := v.e.Get(k)
	return ok && y == x
}

// self reports whether the packet is of a socket connected to itself.
func (v *view) self() bool {
	return v.r != nil && v.r.Conn != nil && v.r.Conn.Self
}

// sayIf says a phrase when a condition holds.
func (v *view) sayIf(b []byte, ok bool, ph phrase) []byte {
	if ok {
		return v.say(b, ph)
	}
	return b
}

// one says a phrase alone: for codes with a single sentence.
func one(ph phrase) composer { return func(v view, b []byte) []byte { return v.say(b, ph) } }

// either says the first phrase when the argument is 1, else the second.
func either(k fsm.Key, yes, no phrase) composer {
	return func(v view, b []byte) []byte {
		if v.is(k, 1) {
			return v.say(b, yes)
		}
		return v.say(b, no)
	}
}

var composers = [fsm.NumCodes]composer{
	fsm.HandshakeSYN: one(phSYN),
	fsm.HandshakeSYNRetransmit: func(v view, b []byte) []byte {
		b = v.say(b, phSYNRetrans)
		if v.has(fsm.KeyGapUs) {
			b = v.say(b, phRetryGap)
			switch fsm.Backoff(arg(v.e, fsm.KeyBackoff)) {
			case fsm.BackoffDoubled:
				b = v.say(b, phSYNDoubled)
			case fsm.BackoffLinear:
				b = v.say(b, phSYNLinear)
			case fsm.BackoffIrregular:
				b = v.say(b, phGapBefore)
			default:
				b = v.say(b, phSYNFirstGap)
			}
		}
		b = v.say(b, phSYNSameISN)
		switch {
		case v.is(fsm.KeyLost, 1):
			b = v.say(b, phSYNACKLost)
		case v.is(fsm.KeyUnanswered, 1):
			b = v.say(b, phSYNUnanswered)
		}
		return b
	},
	fsm.HandshakeSYNACK: func(v view, b []byte) []byte {
		if v.self() {
			return v.say(b, phSYNACKSelf)
		}
		if v.is(fsm.KeySimultaneous, 1) {
			return v.say(b, phSYNACKSimultaneous)
		}
		b = v.say(b, phSYNACK)
		switch {
		case !v.has(fsm.KeyPeerISN):
		case v.has(fsm.KeyTFOBytes):
			b = v.say(b, phSYNACKTFO)
		case v.has(fsm.KeyExpected):
			b = v.say(b, phSYNACKWrongAck)
		default:
			b = v.say(b, phSYNACKArith)
			b = v.sayIf(b, v.has(fsm.KeyMissing), phSYNACKDataNotTaken)
		}
		return b
	},
	fsm.HandshakeSYNACKRetransmit: func(v view, b []byte) []byte {
		b = v.say(b, phSYNACKRetrans)
		if v.has(fsm.KeyGapUs) {
			b = v.say(b, phRetryGap)
			b = v.sayIf(b, fsm.Backoff(arg(v.e, fsm.KeyBackoff)) == fsm.BackoffDoubled, phSYNACKDoubled)
		}
		b = v.say(b, phSYNACKSameISN)
		return v.sayIf(b, v.is(fsm.KeyLost, 1), phSYNACKAckLost)
	},
	fsm.HandshakeACK: func(v view, b []byte) []byte {
		if arg(v.e, fsm.KeyCount) > 1 {
			b = v.say(b, phHandshakeACKAgain)
		} else {
			b = v.say(b, phHandshakeACK)
		}
		b = v.say(b, phHandshakeACKArith)
		return v.sayIf(b, v.has(fsm.KeyIRTTUs), phIRTT)
	},
	fsm.HandshakeSimultaneousOpen: one(phSimultaneousOpen),
	fsm.Data: func(v view, b []byte) []byte {
		urgent, single := v.has(fsm.KeyUrgent), arg(v.e, fsm.KeyLen) == 1
		switch {
		case urgent && single:
			b = v.say(b, phUrgentData1)
		case urgent:
			b = v.say(b, phUrgentDataN)
		case single:
			b = v.say(b, phData1)
		default:
			b = v.say(b, phDataN)
		}
		b = v.sayIf(b, v.has(fsm.KeySeq), phDataRange)
		b = v.sayIf(b, v.has(fsm.KeyTFOData), phDataTFO)
		b = v.sayIf(b, v.is(fsm.KeyWrap, 1), phDataWrap)
		return v.sayIf(b, urgent, phDataUrgentPointer)
	},
	fsm.Ack: func(v view, b []byte) []byte {
		if v.is(fsm.KeyAcked, 0) {
			return v.say(b, phAckNothing)
		}
		b = v.say(b, phAck)
		b = v.sayIf(b, v.has(fsm.KeyAcked), phAckAcked)
		b = v.say(b, phAckBefore)
		if !v.has(fsm.KeyGapUs) {
			return b
		}
		b = v.say(b, phAckGap)
		var end phrase
		switch fsm.AckGap(arg(v.e, fsm.KeyAckGap)) {
		case fsm.AckRoundTrip:
			b, end = v.say(b, phAckRoundTrip), phAckRoundTripEnd
		case fsm.AckDelayed:
			b, end = v.say(b, phAckDelayed), phAckDelayedEnd
		case fsm.AckUnexplained:
			b, end = v.say(b, phAckUnexplained), phAckUnexplainedEnd
		default:
			return v.say(b, phAckNoRTT)
		}
		b = v.rttSource(b)
		return v.say(b, end)
	},
	fsm.AckPiggyback: one(phAckPiggyback),
	fsm.Retransmission: func(v view, b []byte) []byte {
		if v.is(fsm.KeyFIN, 1) {
			return v.say(b, phRetransFIN)
		}
		timer := fsm.RetransBy(arg(v.e, fsm.KeyBy)) == fsm.ByTimer
		if timer {
			b = v.say(b, phRetransTimer)
		} else {
			b = v.say(b, phRetrans)
		}
		b = v.say(b, phRetransRange)
		b = v.sayIf(b, v.has(fsm.KeyOrigLine), phRetransLine)
		b = v.sayIf(b, v.has(fsm.KeySinceUs), phSinceOriginal)
		switch {
		case timer && arg(v.e, fsm.KeyCount) <= 1:
			b = v.say(b, phRetransTimerFirst)
		case timer:
			b = v.say(b, phRetransTimerAgain)
		case v.has(fsm.KeySinceUs):
			b = v.say(b, phRetransNoCause)
		}
		return v.retrySeries(b)
	},
	fsm.FastRetransmission: func(v view, b []byte) []byte {
		if fsm.RetransBy(arg(v.e, fsm.KeyBy)) == fsm.BySACK {
			b = v.say(b, phFastRetransSACK)
			if v.is(fsm.KeyDupAcks, 1) {
				b = v.say(b, phFastSACKOne)
			} else {
				b = v.say(b, phFastSACKMany)
			}
			b = v.say(b, phFastSACKEnd)
		} else {
			b = v.say(b, phFastRetrans)
		}
		b = v.sayIf(b, v.has(fsm.KeySinceUs), phFastSince)
		return v.say(b, phFastEnd)
	},
	fsm.SpuriousRetransmission: one(phSpuriousRetrans),
	fsm.OutOfOrder:             one(phOutOfOrder),
	fsm.LostSegment:            one(phLostSegment),
	fsm.AckedUnseen:            one(phAckedUnseen),
	fsm.DupAck: func(v view, b []byte) []byte {
		b = v.say(b, phDupAck)
		return v.sayIf(b, v.is(fsm.KeyCount, 3), phDupAckThird)
	},
	fsm.WindowZero: either(fsm.KeyStill, phWindowStillZero, phWindowZero),
	fsm.WindowProbe: func(v view, b []byte) []byte {
		return v.retrySeries(v.say(b, phWindowProbe))
	},
	fsm.WindowUpdate: func(v view, b []byte) []byte {
		b = v.say(b, phWindowUpdate)
		return v.sayIf(b, arg(v.e, fsm.KeyWinBytes) != arg(v.e, fsm.KeyWin), phWindowUpdateBytes)
	},
	fsm.WindowFull: one(phWindowFull),
	fsm.Keepalive: func(v view, b []byte) []byte {
		return v.keepaliveSeries(v.say(b, phKeepalive))
	},
	fsm.KeepaliveAck:      one(phKeepaliveAck),
	fsm.CloseFIN:          one(phCloseFIN),
	fsm.CloseFINAck:       either(fsm.KeySimultaneous, phCloseFINAckCrossing, phCloseFINAck),
	fsm.ClosePassiveFIN:   one(phClosePassiveFIN),
	fsm.CloseFINMerged:    one(phCloseFINMerged),
	fsm.CloseFinalAck:     one(phCloseFinalAck),
	fsm.CloseSimultaneous: one(phCloseSimultaneous),
	fsm.CloseHalf:         one(phCloseHalf),
	fsm.RSTRefused:        one(phRSTRefused),
	fsm.RSTAbort:          one(phRSTAbort),
	fsm.OptionMSS: func(v view, b []byte) []byte {
		b = v.say(b, phMSS)
		if v.is(fsm.KeyIPv6, 1) {
			return v.say(b, phMSSIPv6)
		}
		return v.say(b, phMSSIPv4)
	},
	fsm.OptionWScale: func(v view, b []byte) []byte {
		b = v.say(b, phWScale)
		return v.sayIf(b, v.is(fsm.KeyBothOffered, 1), phWScaleBoth)
	},
	fsm.WindowScaled:        one(phWindowScaled),
	fsm.OptionSACKPermitted: one(phSACKPermitted),
	fsm.OptionSACK: func(v view, b []byte) []byte {
		if v.is(fsm.KeyDSACK, 1) {
			return v.say(b, phDSACK)
		}
		b = v.say(b, phSACK)
		switch n := arg(v.e, fsm.KeyBlocks); {
		case n == 2:
			b = v.say(b, phSACKMore1)
		case n > 2:
			b = v.say(b, phSACKMoreN)
		}
		return v.say(b, phSACKMisses)
	},
	fsm.OptionTimestamps: one(phTimestamps),
	fsm.OptionTFO:        either(fsm.KeyCookie, phTFOCookie, phTFORequest),
	fsm.IPHeader: func(v view, b []byte) []byte {
		// the fields it shows, joined by the language's separator
		shown := [...]bool{v.has(fsm.KeyTTL), v.has(fsm.KeyID), v.is(fsm.KeyDF, 1),
			arg(v.e, fsm.KeyTOS) != 0, v.has(fsm.KeyIPLen)}
		if v.said == nil { // the phrases joined once (Language.ipHeader)
			l := v.lang
			if !l.compiled.Load() {
				l.once.Do(l.compile)
			}
			l.ipOnce.Do(l.joinIPHeader)
			m := 0
			for i, ok := range shown {
				if ok {
					m |= 1 << i
				}
			}
			return v.render(b, l.ipHeader[m])
		}
		b = v.say(b, phIPHeader)
		n := 0
		for i, ok := range shown {
			if ok {
				b = v.sayIf(b, n > 0, phIPSep)
				b = v.say(b, ipFieldPhrases[i])
				n++
			}
		}
		return b
	},
	fsm.ChecksumOffload: one(phChecksumOffload),
	fsm.TraceRelativeSeq: func(v view, b []byte) []byte {
		return composeRelative(v, b, phRelExplain, phRelUnknownExplain)
	},
	fsm.TraceTimeBackwards: one(phTimeBackwards),
	fsm.TraceMidstream: func(v view, b []byte) []byte {
		if v.has(fsm.KeyPeerISN) {
			return v.say(b, phMidstreamISN)
		}
		return v.say(b, phMidstream)
	},
	fsm.TracePortsReused: func(v view, b []byte) []byte {
		b = v.say(b, phPortsReused)
		if v.is(fsm.KeyOldClosed, 1) {
			return v.say(b, phPortsReusedClosed)
		}
		return v.say(b, phPortsReusedOpen)
	},
	fsm.TraceEvicted:  one(phEvicted),
	fsm.LintSYNACKAck: one(phLintSYNACKAck),
	fsm.LintAckUnsent: one(phLintAckUnsent),
	fsm.LintFINSeq: func(v view, b []byte) []byte {
		b = v.say(b, phLintFINSeq)
		if v.has(fsm.KeyAck) {
			return v.say(b, phLintFINSeqAck)
		}
		return v.say(b, phLintFINSeqSeq)
	},
	fsm.LintSeqLength:     one(phLintSeqLength),
	fsm.LintRetransLength: one(phLintRetransLength),
	fsm.ECNSetup: func(v view, b []byte) []byte {
		if fsm.ECNSide(arg(v.e, fsm.KeyECNSide)) == fsm.ECNSYN {
			return v.say(b, phECNSYN)
		}
		return v.say(b, phECNSYNACK)
	},
	fsm.TraceNewDay:                one(phNewDay),
	fsm.HandshakeSelfConnect:       one(phSelfConnect),
	fsm.HandshakeSYNACKUnsolicited: one(phSYNACKUnsolicited),
	fsm.HandshakeSYNACKNewISN:      one(phSYNACKNewISN),
	fsm.HandshakeACKDropped:        one(phACKDropped),
	fsm.SegmentNoFlags:             one(phNoFlags),
	fsm.RSTAfterClose:              one(phRSTAfterClose),
	fsm.RSTDataAfterClose:          one(phRSTDataAfterClose),
	fsm.RSTIgnored:                 one(phRSTIgnored),
	fsm.TraceAfterReset:            one(phAfterReset),
	fsm.TraceQuiet:                 one(phQuiet),
	fsm.RSTNoConnection:            one(phRSTNoConnection),
	fsm.WindowProbeFirst:           one(phWindowProbeFirst),
	fsm.KeepaliveFirst:             one(phKeepaliveFirst),
	fsm.TraceCut:                   one(phTraceCut),
	fsm.TraceCopy:                  one(phTraceCopy),
	fsm.TraceUnreadable: func(v view, b []byte) []byte {
		b = v.say(b, phUnreadable)
		f := grammar.UnreadField(arg(v.e, fsm.KeyField))
		if f > grammar.UnreadFields {
			f = grammar.UnreadNone
		}
		b = v.say(b, phUnreadNone+phrase(f))
		b = v.sayIf(b, unreadText(v.p, v.e) != nil, phUnreadQuote)
		return v.say(b, phUnreadColumn)
	},
	fsm.SYNData:          one(phSYNData),
	fsm.IPFragment:       composeFragment,
	fsm.AckFragmented:    one(phAckFragmented),
	fsm.ECNCongestion:    one(phECNCE),
	fsm.ECNEcho:          one(phECNEcho),
	fsm.ECNCWR:           one(phECNCWR),
	fsm.TraceTimeReading: either(fsm.KeyOffsets, phTimeOffsets, phTimeDeltas),
	// issue 17
	fsm.AckRTTSpike:        one(phAckRTTSpike),
	fsm.WindowInFlightFull: one(phInFlightFull),
}

// composeFragment words an IP fragment: the first says that tcpdump's
// numbers count its bytes only; a later one which segment it belongs to,
// where it lies, and how far the segment is known to reach.
func composeFragment(v view, b []byte) []byte {
	if v.is(fsm.KeyCount, 1) {
		return v.say(b, phFragFirst)
	}
	b = v.say(b, phFragLater)
	if v.has(fsm.KeyFragOffset) {
		if v.has(fsm.KeyLen) {
			b = v.say(b, phFragOffsetLen)
		} else {
			b = v.say(b, phFragOffset)
		}
	}
	b = v.say(b, phFragNoPorts)
	switch {
	case v.is(fsm.KeyReassembled, 1):
		return v.say(b, phFragReassembled)
	case v.has(fsm.KeyReassembled):
		return v.say(b, phFragSoFar)
	}
	return v.say(b, phFragUnknown)
}

// keepaliveSeries says a keep-alive's place in its series: its number,
// the idle time or the interval since the one before.
func (v *view) keepaliveSeries(b []byte) []byte {
	if !v.has(fsm.KeyCount) || !v.has(fsm.KeyGapUs) {
		return b
	}
	if v.is(fsm.KeyCount, 1) {
		return v.say(b, phKeepaliveFirstGap)
	}
	b = v.say(b, phKeepaliveN)
	if fsm.Backoff(arg(v.e, fsm.KeyBackoff)) == fsm.BackoffLinear {
		return v.say(b, phKeepaliveLinear)
	}
	return v.say(b, phKeepaliveIntervals)
}

// rttSource says what a round trip was measured on.
func (v *view) rttSource(b []byte) []byte {
	switch fsm.RTTSource(arg(v.e, fsm.KeyRTTSource)) {
	case fsm.RTTHandshake:
		return v.say(b, phRTTHandshake)
	case fsm.RTTTSEcho:
		return v.say(b, phRTTTSEcho)
	}
	return v.say(b, phRTTDataAck)
}

// retrySeries says a retry's place in its series: its number, the interval
// since the one before, and whether it doubled (backoff) or reached the
// 120 s cap. A first retransmission's age was said already; a first probe's
// interval counts from the window closing.
func (v *view) retrySeries(b []byte) []byte {
	n, ok := v.e.Get(fsm.KeyCount)
	if !ok || !v.has(fsm.KeyGapUs) || n == 1 && v.has(fsm.KeySinceUs) {
		return b
	}
	if n == 1 && v.e.Code == fsm.WindowProbe {
		return v.say(b, phSeriesProbeFirst)
	}
	b = v.say(b, phSeriesN)
	switch fsm.Backoff(arg(v.e, fsm.KeyBackoff)) {
	case fsm.BackoffDoubled:
		b = v.say(b, phSeriesDoubled)
	case fsm.BackoffLinear:
		b = v.say(b, phSeriesLinear)
	case fsm.BackoffIrregular:
		b = v.sayIf(b, v.has(fsm.KeyPrevGapUs), phSeriesGapBefore)
	}
	return v.sayIf(b, v.is(fsm.KeyCapped, 1), phSeriesCapped)
}

// composeRelative words tcpdump's relative numbers on a line: which fields
// are relative, then why (explain, or explainUnknown when the base is not
// in the trace: full or brief) and the absolute numbers.
func composeRelative(v view, b []byte, explain, explainUnknown phrase) []byte {
	seq, ack := v.has(fsm.KeyRelSeq), v.has(fsm.KeyRelAck)
	b = v.sayIf(b, seq, phRelSeq)
	b = v.sayIf(b, seq && ack, phRelComma)
	b = v.sayIf(b, ack, phRelAck)
	if v.is(fsm.KeyBaseUnknown, 1) {
		b = v.say(b, phRelUnknown)
		// a side whose base is unknown has no absolute number
		b = v.sayIf(b, seq && v.has(fsm.KeySeq), phRelUnknownSeq)
		b = v.sayIf(b, ack && v.has(fsm.KeyAck), phRelUnknownAck)
		return v.say(b, explainUnknown)
	}
	b = v.say(b, explain)
	b = v.sayIf(b, seq, phRelAbsSeq)
	b = v.sayIf(b, seq && ack, phRelAbsComma)
	return v.sayIf(b, ack, phRelAbsAck)
}

// composeClose words how a connection closed: its close pattern, or that
// it did not close in the trace (nothing for a -q render, which shows no
// flags). The summary and the documents' captions say it alike.
func composeClose(v *view, b []byte) []byte {
	switch v.s.Close {
	case "three_packet":
		return v.say(b, phCloseThree)
	case "four_packet":
		return v.say(b, phCloseFour)
	case "simultaneous":
		return v.say(b, phCloseSimultaneousSummary)
	case "refused":
		return v.say(b, phCloseRefused)
	case "reset":
		return v.say(b, phCloseReset)
	}
	if v.s.Quiet {
		return b
	}
	return v.sayNotClosed(b)
}

// composeSummary words a connection summary.
func composeSummary(v *view, b []byte) []byte {
	s := v.s
	b = v.say(b, phSummaryHead)
	if s.Quiet && s.Close == "" {
		b = v.say(b, phQuietSummary)
	} else {
		b = composeClose(v, b)
	}
	// a -q render shows no flags: no conn_state, no history
	b = v.sayIf(b, s.ConnState != "", phSummaryZeek)
	b = v.say(b, phSummaryBytes)
	b = v.sayIf(b, s.Retrans[0]+s.Retrans[1] > 0, phSummaryRetrans)
	return v.sayIf(b, s.HasIRTT, phSummaryIRTT)
}

// sayNotClosed words a connection the trace does not see close, by its
// Zeek state.
func (v *view) sayNotClosed(b []byte) []byte {
	switch v.s.ConnState {
	case "S0":
		return v.say(b, phNoAnswer)
	case "S1":
		return v.say(b, phEstablishedOpen)
	}
	return v.say(b, phNotClosed)
}

// issue 17: explain once, then be brief. briefComposers word the codes
// that have a brief form, for a note of a kind and shape the trace has
// already had in full (brief.go decides which); the step's name, the
// numbers and their arithmetic stay, the explanation goes. A code without
// one is always said in full.
var briefComposers = [fsm.NumCodes]composer{
	fsm.Data: func(v view, b []byte) []byte {
		if arg(v.e, fsm.KeyLen) == 1 {
			return v.say(b, phBriefData1)
		}
		return v.say(b, phBriefDataN)
	},
	fsm.Ack: func(v view, b []byte) []byte {
		if v.has(fsm.KeyAcked) {
			b = v.say(b, phBriefAck)
		} else {
			b = v.say(b, phBriefAckTo)
		}
		if !v.has(fsm.KeyGapUs) {
			return b
		}
		b = v.say(b, phBriefAckGap)
		switch fsm.AckGap(arg(v.e, fsm.KeyAckGap)) {
		case fsm.AckRoundTrip:
			return v.say(b, phBriefAckRoundTrip)
		case fsm.AckDelayed:
			return v.say(b, phBriefAckDelayed)
		case fsm.AckUnexplained:
			return v.say(b, phBriefAckUnexplained)
		}
		return v.say(b, phBriefAckNoRTT)
	},
	fsm.AckPiggyback: one(phBriefPiggyback),
	fsm.DupAck: func(v view, b []byte) []byte {
		b = v.say(b, phBriefDupAck)
		return v.sayIf(b, v.is(fsm.KeyCount, 3), phDupAckThird)
	},
	fsm.OptionSACK: func(v view, b []byte) []byte {
		b = v.say(b, phBriefSACK)
		switch n := arg(v.e, fsm.KeyBlocks); {
		case n == 2:
			b = v.say(b, phSACKMore1)
		case n > 2:
			b = v.say(b, phSACKMoreN)
		}
		return v.say(b, phSACKMisses)
	},
	fsm.TraceRelativeSeq: func(v view, b []byte) []byte {
		return composeRelative(v, b, phBriefRel, phBriefRelUnknown)
	},
	fsm.WindowScaled: one(phBriefScaled),
	fsm.OptionMSS:    one(phBriefMSS),
	fsm.OptionWScale: func(v view, b []byte) []byte {
		b = v.say(b, phBriefWScale)
		return v.sayIf(b, v.is(fsm.KeyBothOffered, 1), phBriefWScaleOn)
	},
	fsm.OptionSACKPermitted: one(phBriefSACKOK),
	fsm.OptionTimestamps:    one(phBriefTimestamps),
	fsm.IPHeader: func(v view, b []byte) []byte {
		// the fields that say something of the path; id and length change
		// with every packet and are on the line
		b = v.say(b, phIPHeader)
		n := 0
		for _, f := range [...]struct {
			ok bool
			ph phrase
		}{
			{v.has(fsm.KeyTTL), phBriefIPTTL}, {v.is(fsm.KeyDF, 1), phBriefIPDF}, {arg(v.e, fsm.KeyTOS) != 0, phIPTOS},
		} {
			if f.ok {
				b = v.sayIf(b, n > 0, phIPSep)
				b = v.say(b, f.ph)
				n++
			}
		}
		return b
	},
	fsm.ChecksumOffload: one(phBriefChecksum),
	// the steps, once the trace has explained them (stepShape)
	fsm.HandshakeSYN: one(phBriefSYN),
	fsm.HandshakeSYNACK: func(v view, b []byte) []byte {
		return v.say(v.say(b, phSYNACK), phBriefSYNACKArith)
	},
	fsm.HandshakeACK: func(v view, b []byte) []byte {
		if arg(v.e, fsm.KeyCount) > 1 {
			b = v.say(b, phHandshakeACKAgain)
		} else {
			b = v.say(b, phHandshakeACK)
		}
		b = v.say(b, phBriefHandshakeACKArith)
		return v.sayIf(b, v.has(fsm.KeyIRTTUs), phIRTT)
	},
	fsm.CloseFIN:          one(phBriefCloseFIN),
	fsm.CloseFINAck:       either(fsm.KeySimultaneous, phBriefFINAckCrossing, phBriefFINAck),
	fsm.CloseFINMerged:    one(phBriefFINMerged),
	fsm.CloseFinalAck:     one(phBriefFinalAck),
	fsm.CloseSimultaneous: one(phBriefSimClose),
	fsm.CloseHalf:         one(phBriefHalfClose),
	fsm.RSTAfterClose:     one(phBriefRSTAfterClose),
	fsm.RSTNoConnection:   one(phBriefRSTNoConn),
	fsm.Keepalive: func(v view, b []byte) []byte {
		return v.keepaliveSeries(v.say(b, phBriefKeepalive))
	},
	fsm.KeepaliveAck: one(phBriefKeepaliveAck),
	fsm.ECNSetup: func(v view, b []byte) []byte {
		if fsm.ECNSide(arg(v.e, fsm.KeyECNSide)) == fsm.ECNSYN {
			return v.say(b, phBriefECNSYN)
		}
		return v.say(b, phBriefECNSYNACK)
	},
}
