// Command relink rewrites an Ethernet IPv4 pcap (linktype 1, as genpcap
// writes it) so that scripts/bench.sh can time tcpdump's renders of other
// link and network layers on the same packets:
//
//	relink -to sll2 < ether.pcap > any.pcap   # Linux cooked v2, as -i any captures
//	relink -to ipv6 < ether.pcap > ipv6.pcap  # the same segments over IPv6
//	relink -to vlan < ether.pcap > vlan.pcap  # the same frames with an 802.1Q tag
//
// sll2: each frame's 14-byte Ethernet header becomes a 20-byte SLL2 header:
// the ethertype, interface index 1 (`lo` on Linux), ARPHRD_ETHER, the
// source MAC, and the packet type: outgoing when the source MAC's last
// byte is even, incoming otherwise (genpcap's clients and servers differ
// there), so both directions appear.
//
// ipv6: each IPv4 header (20 bytes; genpcap writes no IP options) becomes
// a 40-byte IPv6 header from 2001:db8::a.b.c.d to 2001:db8::e.f.g.h, hop
// limit = TTL, no flow label, ethertype 0x86dd. Checksums stay as they
// were (genpcap leaves them 0; tcpdump -v calls them incorrect).
//
// vlan: an 802.1Q tag (TPID 0x8100, VLAN 100, priority 0) between the
// MAC addresses and the ethertype, as tcpdump -e shows a tagged link.
//
// Only classic microsecond or nanosecond pcap files in either byte order
// are read.
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	to := flag.String("to", "sll2", "what to write: `sll2`, ipv6 or vlan")
	flag.Parse()
	if *to != "sll2" && *to != "ipv6" && *to != "vlan" {
		fmt.Fprintln(os.Stderr, "relink: -to sll2, -to ipv6 or -to vlan")
		os.Exit(2)
	}
	if err := convert(bufio.NewReaderSize(os.Stdin, 1<<20), os.Stdout, *to); err != nil {
		fmt.Fprintln(os.Stderr, "relink:", err)
		os.Exit(1)
	}
}

// convert copies a pcap from r to out, rewriting every frame: to IPv6,
// with a VLAN tag, or to Linux cooked v2 (to: ipv6, vlan, sll2).
func convert(r io.Reader, out io.Writer, to string) error {
	ipv6, vlan := to == "ipv6", to == "vlan"
	w := bufio.NewWriterSize(out, 1<<20)
	var hdr [24]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return fmt.Errorf("reading the file header: %w", err)
	}
	var bo binary.ByteOrder
	switch binary.LittleEndian.Uint32(hdr[:4]) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		bo = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		bo = binary.BigEndian
	default:
		return errors.New("not a classic pcap file")
	}
	if lt := bo.Uint32(hdr[20:]); lt != 1 {
		return fmt.Errorf("link type %d, want 1 (Ethernet)", lt)
	}
	grow := uint32(6) // the SLL2 header is 6 bytes longer than Ethernet's
	switch {
	case ipv6:
		grow = 20
	case vlan:
		grow = 4 // the tag
	default:
		bo.PutUint32(hdr[20:], 276)
	}
	bo.PutUint32(hdr[16:], bo.Uint32(hdr[16:])+grow) // snaplen
	w.Write(hdr[:])
	var rec [16]byte
	buf := make([]byte, 0, 1<<16)
	for {
		if _, err := io.ReadFull(r, rec[:]); err != nil {
			if err == io.EOF {
				return w.Flush()
			}
			return err
		}
		incl, orig := bo.Uint32(rec[8:]), bo.Uint32(rec[12:])
		if incl > 1<<26 {
			return fmt.Errorf("a record of %d bytes", incl)
		}
		buf = buf[:incl]
		if _, err := io.ReadFull(r, buf); err != nil {
			return err
		}
		if incl < 34 || buf[12] != 0x08 || buf[13] != 0x00 || buf[14] != 0x45 {
			return errors.New("a frame that is not Ethernet and IPv4 without options")
		}
		bo.PutUint32(rec[8:], incl+grow)
		bo.PutUint32(rec[12:], orig+grow)
		w.Write(rec[:])
		if ipv6 {
			writeIPv6(w, buf)
			continue
		}
		if vlan {
			w.Write(buf[:12])                      // the MAC addresses
			w.Write([]byte{0x81, 0x00, 0x00, 100}) // TPID, priority 0, VLAN 100
			w.Write(buf[12:])
			continue
		}
		var sll [20]byte
		copy(sll[0:2], buf[12:14])             // protocol: the ethertype
		binary.BigEndian.PutUint32(sll[4:], 1) // interface index
		binary.BigEndian.PutUint16(sll[8:], 1) // ARPHRD_ETHER
		if buf[11]%2 == 1 {
			sll[10] = 0 // PACKET_HOST: In
		} else {
			sll[10] = 4 // PACKET_OUTGOING: Out
		}
		sll[11] = 6
		copy(sll[12:18], buf[6:12]) // the source MAC
		w.Write(sll[:])
		w.Write(buf[14:])
	}
}

// writeIPv6 writes an Ethernet IPv4 frame as the same frame over IPv6.
func writeIPv6(w *bufio.Writer, frame []byte) {
	eth, ip := frame[:14], frame[14:34]
	w.Write(eth[:12])
	w.Write([]byte{0x86, 0xdd})
	var h [40]byte
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], binary.BigEndian.Uint16(ip[2:])-20) // payload length
	h[6], h[7] = 6, ip[8]                                                 // TCP, hop limit = TTL
	for k, a := range [2][]byte{ip[12:16], ip[16:20]} {
		o := 8 + 16*k
		h[o], h[o+1], h[o+2], h[o+3] = 0x20, 0x01, 0x0d, 0xb8
		copy(h[o+12:o+16], a)
	}
	w.Write(h[:])
	w.Write(frame[34:])
}
