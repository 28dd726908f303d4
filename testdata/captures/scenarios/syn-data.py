#!/usr/bin/python3
# A SYN that carries data but no Fast Open option, sent by scapy to a real
# Linux listener on 127.0.0.1 (tcp_fastopen at its default, 1: client
# only). Linux answers with a SYN-ACK that acknowledges only the SYN (ack =
# ISN + 1): the data is not accepted. No socket owns scapy's port, so the
# kernel answers the SYN-ACK with a RST. Run with /usr/bin/python3 (scapy).
import socket
import sys
import time

from scapy.all import IP, TCP, Raw, conf, send
from scapy.supersocket import L3RawSocket

P = int(sys.argv[1])
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", P))
srv.listen(4)
conf.L3socket = L3RawSocket  # through the IP stack: AF_PACKET on lo is not looped back
syn = IP(src="127.0.0.1", dst="127.0.0.1") / TCP(sport=P + 1000, dport=P, flags="S", seq=2200000000,
                                                  window=65495, options=[("MSS", 65495), ("SAckOK", b""), ("WScale", 7)]) / Raw(b"GET / HTTP/1.0\r\n\r\n")
send(syn, verbose=False)
time.sleep(0.3)
srv.close()
