// Command genpcap writes a deterministic, synthetic, realistic pcap for
// benchmarking tcpnote: many interleaved Ethernet/IPv4/TCP connections as a
// busy Linux server would see them.
//
//	genpcap [-o FILE] [--packets N] [--seed S]
//	genpcap [-o FILE] [--seed S] --syn-only N
//
// It is a Go port of the ideas in gen_big_pcap.py (the project's shared
// tools), with a few additions. It depends only on the standard library and
// on nothing inside tcpnote.
//
// Normal mode generates connections until at least N packets (default
// 2,000,000) have been generated; every connection is complete, so the file
// holds a few more than N packets. Connections arrive as a Poisson process,
// mean 150 µs apart, so about 1,000–2,000 of them are open at any moment.
// Each connection:
//
//   - 3-way handshake; SYN and SYN-ACK carry the options in Linux order
//     (mss 1460,sackOK,TS,nop,wscale 7). 4 % are refused instead: SYN, then
//     RST+ACK (win 0, no options, seq 0, ack ISN+1).
//   - 1–3 request/response exchanges: a client [P.] request (40–400 bytes);
//     the server ACKs it separately (40 %) or piggybacks the ACK on its first
//     response segment; the response has 1–4 segments (≤ 1448 bytes, the
//     last one [P.]); the client ACKs every second segment and the last one.
//   - close: 45 % client-initiated 3-packet close (F. / F. / .), 22 %
//     client-initiated 4-packet close (F. / . / F. / .), 15 % server-initiated
//     (half 3-, half 4-packet), 14 % client abort (one [R.]).
//   - 2 % of ISNs (each side drawn separately) lie within 5000 of 2^32, so
//     sequence numbers wrap.
//   - ~1 % retransmit their SYN once (same ISN, 1 s later, as Linux does;
//     the first SYN was lost after the capture point).
//   - ~1 % retransmit one data segment once, an RTO (RTT + 200 ms) later:
//     either a request (the server answers only the retransmission) or the
//     last segment of a response (tail loss; the client ACKs only the
//     retransmission). The original is in the capture, so there is never a
//     gap ("previous segment not captured"), only a retransmission.
//
// --syn-only N writes N half-open connections instead: one SYN each, from
// N distinct client tuples, never answered.
//
// Addressing (the "spread" scheme of gen_big_pcap.py): connection i's client
// is o1.o2.(i>>8 & 255).(i & 255) with o1 (11..210, never 127) and o2 taken
// from a multiplicative hash of i; servers are 192.168.0.1–4 on ports
// 5000–5009; client ports are 32768–60999. tcpdump has no application
// decoder on those ports, so every packet renders as a plain TCP line. The
// hash matters: tcpdump caches address strings in a 4096-bucket table indexed
// by the raw network-order address's low 12 bits (on little-endian hosts the
// first octet and the low nibble of the second). Clients that differ only in
// their last octets (10.x.y.z) all land in ~2 buckets and make tcpdump -nn
// quadratic; this scheme spreads them over ~3,200 buckets.
//
// Lengths are exact (IP total length; caplen == wire length; full
// payloads); IP and TCP checksums are 0. Timestamps (microseconds) never
// decrease. The same flags and seed give identical bytes. A summary goes to
// stderr.
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"sort"
	"strings"
)

const (
	snaplen   = 262144
	startUsec = int64(1_700_000_000) * 1_000_000 // 2023-11-14T22:13:20Z
	meanGapUs = 65.0                             // mean connection inter-arrival time (µs)

	flagFIN = 0x01
	flagSYN = 0x02
	flagRST = 0x04
	flagPSH = 0x08
	flagACK = 0x10

	optNone = 0 // no TCP options
	optSYN  = 1 // mss 1460,sackOK,TS val ecr,nop,wscale 7 (20 bytes)
	optTS   = 2 // nop,nop,TS val ecr (12 bytes)

	poolNone = 0
	poolText = 1
	poolBin  = 2
)

var (
	macClient = [6]byte{0x02, 0, 0, 0, 0, 0x02}
	macServer = [6]byte{0x02, 0, 0, 0, 0, 0x01}
)

// Connection kinds, in the order the summary prints them.
var kindNames = []string{
	"refused",
	"client-3way-close",
	"client-4way-close",
	"server-3way-close",
	"server-4way-close",
	"client-rst",
}

const (
	kindRefused = iota
	kindClient3
	kindClient4
	kindServer3
	kindServer4
	kindClientRST
)

// config is what the command line chooses.
type config struct {
	packets int
	seed    uint64
	synOnly int // > 0: write this many unanswered SYNs instead
}

// stats is what the summary reports.
type stats struct {
	packets      int64
	conns        int64
	kinds        [6]int64
	synRetx      int64
	reqRetx      int64
	respRetx     int64
	wrappedISNs  int64 // connections with at least one ISN within 5000 of 2^32
	payloadBytes int64
	fileBytes    int64
	maxOpen      int
	sumOpen      int64 // sum over connection starts of the connections then open
	firstUs      int64
	lastUs       int64
}

func main() {
	fs := flag.NewFlagSet("genpcap", flag.ContinueOnError)
	out := fs.String("o", "-", "output `file` (- for stdout)")
	packets := fs.Int("packets", 2_000_000, "generate connections until at least `N` packets")
	seed := fs.Uint64("seed", 20251121, "random `seed`; the same flags and seed give the same bytes")
	synOnly := fs.Int("syn-only", 0, "instead, write `N` half-open connections (one unanswered SYN each)")
	fs.BoolVar(&loopback, "loopback", false, "put every address in 127.0.0.0/8 (for small fixtures)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: genpcap [-o FILE] [--packets N] [--seed S] [--syn-only N]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	if fs.NArg() > 0 || *packets < 0 || *synOnly < 0 {
		fmt.Fprintln(os.Stderr, "genpcap: usage: genpcap [-o FILE] [--packets N] [--seed S] [--syn-only N]")
		os.Exit(2)
	}
	cfg := config{packets: *packets, seed: *seed, synOnly: *synOnly}

	var w io.Writer = os.Stdout
	var f *os.File
	if *out != "-" {
		var err error
		f, err = os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genpcap:", err)
			os.Exit(1)
		}
		w = f
	}
	st, err := generate(w, cfg)
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genpcap:", err)
		os.Exit(1)
	}
	printSummary(os.Stderr, *out, cfg, st)
}

func printSummary(w io.Writer, out string, cfg config, st stats) {
	if out == "-" {
		out = "stdout"
	}
	span := float64(st.lastUs-st.firstUs) / 1e6
	fmt.Fprintf(w, "wrote %s: %d packets, %d connections, %d payload bytes, %d file bytes, %.1f s of capture time\n",
		out, st.packets, st.conns, st.payloadBytes, st.fileBytes, span)
	if cfg.synOnly > 0 {
		fmt.Fprintf(w, "  %-20s %d\n", "half-open (SYN only)", st.conns)
		return
	}
	for k, name := range kindNames {
		fmt.Fprintf(w, "  %-20s %d\n", name, st.kinds[k])
	}
	fmt.Fprintf(w, "  %-20s %d\n", "SYN retransmitted", st.synRetx)
	fmt.Fprintf(w, "  %-20s %d (%d requests, %d response tails)\n", "data retransmitted", st.reqRetx+st.respRetx, st.reqRetx, st.respRetx)
	fmt.Fprintf(w, "  %-20s %d\n", "ISN near 2^32", st.wrappedISNs)
	mean := 0.0
	if st.conns > 0 {
		mean = float64(st.sumOpen) / float64(st.conns)
	}
	fmt.Fprintf(w, "  %-20s mean %.0f, max %d\n", "open at once", mean, st.maxOpen)
}

// ---------------------------------------------------------------------------
// Random numbers: xoshiro256** seeded by splitmix64, so the output does not
// depend on the standard library's generators staying the same.

type rng struct{ s [4]uint64 }

func newRNG(seed uint64) *rng {
	r := &rng{}
	x := seed
	for i := range r.s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
	return r
}

func (r *rng) next() uint64 {
	s := &r.s
	result := bits.RotateLeft64(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = bits.RotateLeft64(s[3], 45)
	return result
}

// float returns a uniform float64 in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a uniform int in [0, n).
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// between returns a uniform int in [lo, hi], both included.
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

func (r *rng) u32() uint32 { return uint32(r.next() >> 32) }

// exp returns an exponentially distributed value with the given mean.
func (r *rng) exp(mean float64) float64 { return -math.Log(1-r.float()) * mean }

// isn returns an initial sequence number; 2 % lie within 5000 of 2^32.
func (r *rng) isn() (uint32, bool) {
	if r.float() < 0.02 {
		return uint32((1 << 32) - r.between(1, 5000)), true
	}
	return r.u32(), false
}

// ---------------------------------------------------------------------------
// Addressing.

// loopback puts every address in 127.0.0.0/8 (-loopback): for small
// fixtures, where tcpdump's address cache does not matter.
var loopback bool

// clientIP is the "spread" scheme of gen_big_pcap.py (see the package doc).
func clientIP(i uint32) [4]byte {
	h := i * 2654435761
	if loopback {
		return [4]byte{127, byte(1 + (h>>16)%250), byte(i >> 8), byte(i)}
	}
	o1 := 11 + (h>>24)%200
	if o1 == 127 {
		o1 = 128
	}
	return [4]byte{byte(o1), byte(h >> 16), byte(i >> 8), byte(i)}
}

func serverIP(i uint32) [4]byte {
	if loopback {
		return [4]byte{127, 0, 0, byte(1 + i%4)}
	}
	return [4]byte{192, 168, 0, byte(1 + i%4)}
}
func clientPort(i uint32) uint16    { return uint16(32768 + (uint64(i)*7919)%28232) }
func serverPort(i uint32) uint16    { return uint16(5000 + i%10) }
func rttChoice(r *rng) int64        { return rtts[r.intn(len(rtts))] }
func seqAdd(s uint32, n int) uint32 { return s + uint32(n) }

var rtts = []int64{40, 60, 100, 250, 1000, 5000, 20000, 80000} // microseconds

// ---------------------------------------------------------------------------
// Packets.

// pkt is one packet waiting in the time-ordered queue; the frame is built
// only when it is written.
type pkt struct {
	ts         int64
	order      uint64 // tie-break: generation order
	conn       uint32
	seq, ack   uint32
	tsval, ecr uint32
	plOff      uint32
	plLen      uint16
	win        uint16
	ipid       uint16
	flags      uint8
	opt        uint8
	pool       uint8
	fromClient bool
}

func (a *pkt) less(b *pkt) bool {
	if a.ts != b.ts {
		return a.ts < b.ts
	}
	return a.order < b.order
}

// pktHeap is a min-heap of packets by (ts, order).
type pktHeap []pkt

func (h *pktHeap) push(p pkt) {
	*h = append(*h, p)
	s := *h
	i := len(s) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !s[i].less(&s[parent]) {
			break
		}
		s[i], s[parent] = s[parent], s[i]
		i = parent
	}
}

func (h *pktHeap) pop() pkt {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && s[r].less(&s[l]) {
			m = r
		}
		if !s[m].less(&s[i]) {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// int64Heap is a min-heap of connection end times, to count open connections.
type int64Heap []int64

func (h *int64Heap) push(v int64) {
	*h = append(*h, v)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p] <= s[i] {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *int64Heap) pop() int64 {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && s[r] < s[l] {
			m = r
		}
		if s[i] <= s[m] {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// seg is one segment of a connection before its TS values and IP ids are
// known (they depend on the time order of the whole connection).
type seg struct {
	ts         int64
	fromClient bool
	flags      uint8
	seq, ack   uint32
	win        uint16
	opt        uint8
	pool       uint8
	plOff      int
	plLen      int
}

// writer serializes packets into the pcap stream.
type writer struct {
	w       *bufio.Writer
	buf     [16 + 14 + 20 + 20 + 20]byte
	text    []byte
	bin     []byte
	packets int64
	bytes   int64
	err     error
}

func (wr *writer) header() {
	var h [24]byte
	binary.LittleEndian.PutUint32(h[0:], 0xA1B2C3D4)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	// thiszone, sigfigs: 0
	binary.LittleEndian.PutUint32(h[16:], snaplen)
	binary.LittleEndian.PutUint32(h[20:], 1) // LINKTYPE_ETHERNET
	wr.write(h[:])
}

func (wr *writer) write(b []byte) {
	if wr.err != nil {
		return
	}
	n, err := wr.w.Write(b)
	wr.bytes += int64(n)
	wr.err = err
}

func (wr *writer) packet(p *pkt) {
	var optLen int
	switch p.opt {
	case optSYN:
		optLen = 20
	case optTS:
		optLen = 12
	}
	frameLen := 14 + 20 + 20 + optLen + int(p.plLen)
	b := wr.buf[:16+14+20+20+optLen]
	le, be := binary.LittleEndian, binary.BigEndian
	le.PutUint32(b[0:], uint32(p.ts/1_000_000))
	le.PutUint32(b[4:], uint32(p.ts%1_000_000))
	le.PutUint32(b[8:], uint32(frameLen))
	le.PutUint32(b[12:], uint32(frameLen))

	cip, sip := clientIP(p.conn), serverIP(p.conn)
	cport, sport := clientPort(p.conn), serverPort(p.conn)
	e := b[16:]
	src, dst := cip, sip
	sp, dp := cport, sport
	if p.fromClient {
		copy(e[0:6], macServer[:])
		copy(e[6:12], macClient[:])
	} else {
		copy(e[0:6], macClient[:])
		copy(e[6:12], macServer[:])
		src, dst = sip, cip
		sp, dp = sport, cport
	}
	e[12], e[13] = 0x08, 0x00

	ip := e[14:]
	ip[0] = 0x45
	ip[1] = 0
	be.PutUint16(ip[2:], uint16(frameLen-14))
	be.PutUint16(ip[4:], p.ipid)
	be.PutUint16(ip[6:], 0x4000) // DF
	ip[8] = 64                   // TTL
	ip[9] = 6                    // TCP
	ip[10], ip[11] = 0, 0        // checksum left 0
	copy(ip[12:16], src[:])
	copy(ip[16:20], dst[:])

	tcp := ip[20:]
	be.PutUint16(tcp[0:], sp)
	be.PutUint16(tcp[2:], dp)
	be.PutUint32(tcp[4:], p.seq)
	be.PutUint32(tcp[8:], p.ack)
	tcp[12] = byte((20+optLen)/4) << 4
	tcp[13] = p.flags
	be.PutUint16(tcp[14:], p.win)
	tcp[16], tcp[17], tcp[18], tcp[19] = 0, 0, 0, 0 // checksum 0, urgent 0
	o := tcp[20:]
	switch p.opt {
	case optSYN:
		o[0], o[1] = 2, 4 // mss
		be.PutUint16(o[2:], 1460)
		o[4], o[5] = 4, 2 // sackOK
		o[6], o[7] = 8, 10
		be.PutUint32(o[8:], p.tsval)
		be.PutUint32(o[12:], p.ecr)
		o[16] = 1                     // nop
		o[17], o[18], o[19] = 3, 3, 7 // wscale 7
	case optTS:
		o[0], o[1] = 1, 1
		o[2], o[3] = 8, 10
		be.PutUint32(o[4:], p.tsval)
		be.PutUint32(o[8:], p.ecr)
	}
	wr.write(b)
	switch p.pool {
	case poolText:
		wr.write(wr.text[p.plOff : p.plOff+uint32(p.plLen)])
	case poolBin:
		wr.write(wr.bin[p.plOff : p.plOff+uint32(p.plLen)])
	}
	wr.packets++
}

// generate writes the whole pcap to w.
func generate(w io.Writer, cfg config) (stats, error) {
	var st stats
	r := newRNG(cfg.seed)
	wr := &writer{w: bufio.NewWriterSize(w, 4<<20)}

	// 64 KiB of noise, twice, so any 1448-byte slice from the first half fits.
	wr.bin = make([]byte, 2<<16)
	for i := 0; i < 1<<16; i += 8 {
		binary.LittleEndian.PutUint64(wr.bin[i:], r.next())
	}
	copy(wr.bin[1<<16:], wr.bin[:1<<16])
	var sb strings.Builder
	for i := 1; i <= 64; i++ {
		fmt.Fprintf(&sb, "GET /api/v1/items?page=%d HTTP/1.1\r\nHost: bench.example\r\nUser-Agent: bench\r\n\r\n", i)
	}
	wr.text = []byte(sb.String())

	wr.header()
	st.firstUs = startUsec

	if cfg.synOnly > 0 {
		t := startUsec
		for i := 0; i < cfg.synOnly; i++ {
			t += int64(r.exp(meanGapUs)) + 1
			isn, _ := r.isn()
			p := pkt{ts: t, conn: uint32(i), seq: isn, tsval: r.u32(), ipid: uint16(r.u32()),
				win: 64240, flags: flagSYN, opt: optSYN, fromClient: true}
			wr.packet(&p)
		}
		st.conns = int64(cfg.synOnly)
		st.lastUs = t
	} else {
		generateConns(r, wr, cfg, &st)
	}
	if wr.err == nil {
		wr.err = wr.w.Flush()
	}
	st.packets = wr.packets
	st.fileBytes = wr.bytes
	return st, wr.err
}

func generateConns(r *rng, wr *writer, cfg config, st *stats) {
	var queue pktHeap
	var open int64Heap
	var order uint64
	var generated int
	segs := make([]seg, 0, 64)
	t := startUsec
	textLen, binHalf := len(wr.text), 1<<16

	flushUntil := func(limit int64) {
		for len(queue) > 0 && queue[0].ts <= limit && wr.err == nil {
			p := queue.pop()
			wr.packet(&p)
			st.lastUs = p.ts
		}
	}

	for generated < cfg.packets && wr.err == nil {
		t += int64(r.exp(meanGapUs)) + 1
		flushUntil(t)
		i := uint32(st.conns)
		st.conns++

		rtt := rttChoice(r)
		half := rtt/2 + 5
		cISN, w1 := r.isn()
		sISN, w2 := r.isn()
		if w1 || w2 {
			st.wrappedISNs++
		}
		cTS, sTS := r.u32(), r.u32()
		cID := uint16(r.u32())
		start := t

		var kind int
		switch x := r.float(); {
		case x < 0.04:
			kind = kindRefused
		case x < 0.49:
			kind = kindClient3
		case x < 0.71:
			kind = kindClient4
		case x < 0.785:
			kind = kindServer3
		case x < 0.86:
			kind = kindServer4
		default:
			kind = kindClientRST
		}
		st.kinds[kind]++
		synRetx := kind != kindRefused && r.float() < 0.01
		dataRetx := kind != kindRefused && r.float() < 0.01
		rto := rtt + 200_000

		segs = segs[:0]
		emit := func(ts int64, fc bool, flags uint8, seq, ack uint32, win uint16, opt uint8, pool uint8, off, n int) {
			segs = append(segs, seg{ts: ts, fromClient: fc, flags: flags, seq: seq, ack: ack,
				win: win, opt: opt, pool: pool, plOff: off, plLen: n})
		}

		tt := start
		cs, ss := cISN, sISN
		emit(tt, true, flagSYN, cs, 0, 64240, optSYN, poolNone, 0, 0)
		if synRetx {
			st.synRetx++
			tt += 1_000_000
			emit(tt, true, flagSYN, cs, 0, 64240, optSYN, poolNone, 0, 0)
		}
		tt += half
		if kind == kindRefused {
			emit(tt, false, flagRST|flagACK, 0, cs+1, 0, optNone, poolNone, 0, 0)
		} else {
			emit(tt, false, flagSYN|flagACK, ss, cs+1, 65160, optSYN, poolNone, 0, 0)
			tt += half
			cs++
			ss++
			emit(tt, true, flagACK, cs, ss, 502, optTS, poolNone, 0, 0)

			nex := r.between(1, 3)
			retxAt, retxResp := -1, false
			if dataRetx {
				retxAt = r.intn(nex)
				retxResp = r.float() < 0.5
			}
			for x := 0; x < nex; x++ {
				tt += int64(r.between(10, 2000))
				qlen := r.between(40, 400)
				qoff := r.intn(textLen - qlen)
				emit(tt, true, flagPSH|flagACK, cs, ss, 502, optTS, poolText, qoff, qlen)
				if x == retxAt && !retxResp {
					st.reqRetx++
					tt += rto
					emit(tt, true, flagPSH|flagACK, cs, ss, 502, optTS, poolText, qoff, qlen)
				}
				cs = seqAdd(cs, qlen)
				tt += half
				if r.float() < 0.4 {
					emit(tt, false, flagACK, ss, cs, 509, optTS, poolNone, 0, 0)
					tt += int64(r.between(5, 500))
				} else {
					tt += int64(r.between(5, 200))
				}
				nseg := r.between(1, 4)
				for k := 0; k < nseg; k++ {
					last := k == nseg-1
					ln := 1448
					if last && r.float() >= 0.3 {
						ln = r.between(1, 1448)
					}
					off := r.intn(binHalf)
					fl := uint8(flagACK)
					if last {
						fl |= flagPSH
					}
					emit(tt, false, fl, ss, cs, 509, optTS, poolBin, off, ln)
					if last && x == retxAt && retxResp {
						// Tail loss: the last segment is lost after the
						// capture point and sent again an RTO later.
						st.respRetx++
						tt += rto
						emit(tt, false, fl, ss, cs, 509, optTS, poolBin, off, ln)
					}
					ss = seqAdd(ss, ln)
					if k%2 == 1 || last {
						emit(tt+half, true, flagACK, cs, ss, uint16(502+r.between(0, 40)), optTS, poolNone, 0, 0)
					}
					tt += int64(r.between(2, 30))
				}
				tt += half
			}
			tt += int64(r.between(10, 3000))
			switch kind {
			case kindClientRST:
				emit(tt, true, flagRST|flagACK, cs, ss, 502, optTS, poolNone, 0, 0)
			case kindClient3, kindClient4:
				emit(tt, true, flagFIN|flagACK, cs, ss, 502, optTS, poolNone, 0, 0)
				cs++
				tt += half
				if kind == kindClient3 {
					emit(tt, false, flagFIN|flagACK, ss, cs, 509, optTS, poolNone, 0, 0)
				} else {
					emit(tt, false, flagACK, ss, cs, 509, optTS, poolNone, 0, 0)
					tt += int64(r.between(40000, 200000)) // the server app closes later
					emit(tt, false, flagFIN|flagACK, ss, cs, 509, optTS, poolNone, 0, 0)
				}
				ss++
				tt += half
				emit(tt, true, flagACK, cs, ss, 502, optTS, poolNone, 0, 0)
			default: // server-initiated
				emit(tt, false, flagFIN|flagACK, ss, cs, 509, optTS, poolNone, 0, 0)
				ss++
				tt += half
				if kind == kindServer3 {
					emit(tt, true, flagFIN|flagACK, cs, ss, 502, optTS, poolNone, 0, 0)
				} else {
					emit(tt, true, flagACK, cs, ss, 502, optTS, poolNone, 0, 0)
					tt += int64(r.between(40000, 200000))
					emit(tt, true, flagFIN|flagACK, cs, ss, 502, optTS, poolNone, 0, 0)
				}
				cs++
				tt += half
				emit(tt, false, flagACK, ss, cs, 509, optTS, poolNone, 0, 0)
			}
		}

		// Time order (stable), so every TS ecr echoes an earlier TS val.
		sort.SliceStable(segs, func(a, b int) bool { return segs[a].ts < segs[b].ts })
		var cEcr, sEcr uint32
		end := start
		for _, s := range segs {
			ms := uint32((s.ts - start) / 1000) // TS val ticks once per millisecond
			p := pkt{ts: s.ts, order: order, conn: i, seq: s.seq, ack: s.ack, win: s.win,
				flags: s.flags, opt: s.opt, pool: s.pool, plOff: uint32(s.plOff), plLen: uint16(s.plLen),
				fromClient: s.fromClient}
			order++
			if s.fromClient {
				p.tsval = cTS + ms
				p.ecr = cEcr
				p.ipid = cID
				cID++
				sEcr = p.tsval
			} else {
				p.tsval = sTS + ms
				p.ecr = sEcr
				cEcr = p.tsval
			}
			if p.opt == optSYN && p.flags&flagACK == 0 {
				p.ecr = 0
			}
			st.payloadBytes += int64(s.plLen)
			queue.push(p)
			end = max(end, s.ts)
		}
		generated += len(segs)

		for len(open) > 0 && open[0] < start {
			open.pop()
		}
		open.push(end)
		st.sumOpen += int64(len(open))
		st.maxOpen = max(st.maxOpen, len(open))
	}
	flushUntil(math.MaxInt64)
}
