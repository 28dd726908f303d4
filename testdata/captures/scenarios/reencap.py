#!/usr/bin/python3
"""reencap.py MODE IN.pcap OUT.pcap -- rewrite a real capture's packets.

This kernel has no ipip, sit, gre or MPLS devices, so the tunnel scenarios
take a real loopback capture and wrap each of its IP packets, byte for byte
and with its capture timestamp, in the outer header a tunnel would add:

  ipip   IPv4 in IPv4 (protocol 4)   outer 10.22.0.1 <-> 10.22.0.2
  6in4   IPv6 in IPv4 (protocol 41)  outer 10.22.0.1 <-> 10.22.0.2
  gre    GRE (protocol 47), IPv4 inside
  mpls   one MPLS label (22), IPv4 inside
  pppoe  PPPoE session 0x22, PPP protocol IPv4
  frag6  no tunnel: every IPv6 TCP segment with payload longer than 512
         bytes is split into IPv6 fragments of at most 552 bytes (scapy's
         fragment6), as a sender with a 600-byte link MTU would; the
         fragments keep the segment's timestamp

The outer addresses belong to no real host: the client side (the one with
the ephemeral port) is 10.22.0.1.
"""
import sys

from scapy.all import (GRE, IP, TCP, IPv6, IPv6ExtHdrFragment, PPP, PPPoE, Ether,
                       fragment6, rdpcap, wrpcap)
from scapy.contrib.mpls import MPLS

mode, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
pkts = rdpcap(src)
out = []
for p in pkts:
    inner = p.payload  # the IP packet inside the loopback Ether header
    # on loopback both ends have the same address: the client is the side
    # with the ephemeral (higher) port
    fwd = inner[TCP].sport > inner[TCP].dport
    a, b = ("10.22.0.1", "10.22.0.2") if fwd else ("10.22.0.2", "10.22.0.1")
    eth = Ether(src=p.src, dst=p.dst)
    if mode == "ipip":
        q = eth / IP(src=a, dst=b, proto=4, ttl=64) / inner
    elif mode == "6in4":
        q = eth / IP(src=a, dst=b, proto=41, ttl=64) / inner
    elif mode == "gre":
        q = eth / IP(src=a, dst=b, ttl=64) / GRE(proto=0x0800) / inner
    elif mode == "mpls":
        q = Ether(src=p.src, dst=p.dst, type=0x8847) / MPLS(label=22, s=1, ttl=64) / inner
    elif mode == "pppoe":
        q = Ether(src=p.src, dst=p.dst, type=0x8864) / PPPoE(sessionid=0x22) / PPP(proto=0x0021) / inner
    elif mode == "frag6":
        if IPv6 in p and len(p[IPv6].payload) > 552:
            v6 = p[IPv6].copy()
            tcp = v6.payload
            v6.remove_payload()
            del v6.nh, v6.plen  # scapy links the fragment header
            frags = fragment6(v6 / IPv6ExtHdrFragment(id=0x2200 + len(out)) / tcp, 600)
            for f in frags:
                q = Ether(src=p.src, dst=p.dst) / f
                q.time = p.time
                out.append(q)
            continue
        q = p
    else:
        sys.exit("unknown mode " + mode)
    q = Ether(bytes(q))
    q.time = p.time
    out.append(q)
wrpcap(dst, out)
print(f"{mode}: {len(pkts)} packets in, {len(out)} out")
