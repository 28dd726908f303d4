# Crafted packets (scapy) against the real Linux stack of this namespace;
# see crafted/truth.md. scapy plays a peer on port P (make.sh ns_crafted
# drops the kernel's RSTs from P, so the kernel does not answer for it).
import struct
import subprocess
from common import *

sys.path.insert(0, "/usr/lib/python3/dist-packages")
from scapy.all import IP, TCP, Raw, AsyncSniffer, conf, send, L3RawSocket  # noqa: E402

conf.L3socket = L3RawSocket
conf.verb = 0
P = port()
LISTEN2, CLOSED = P + 1, P + 2


def inject(pkt):
    send(IP(src=HOST4, dst=HOST4) / pkt)


# 1. a second SYN-ACK with a new ISN for the same SYN
sn = AsyncSniffer(iface="lo", filter="tcp dst port %d and tcp[tcpflags] == tcp-syn" % P, count=1)
sn.start()
time.sleep(0.3)
c = socket.socket()
c.setblocking(False)
c.connect_ex((HOST4, P))
sn.join(timeout=3)
syn = sn.results[0][TCP]
A, B = 1000000000, 3000000000
inject(TCP(sport=P, dport=syn.sport, flags="SA", seq=A, ack=syn.seq + 1, window=65535))
time.sleep(0.2)
inject(TCP(sport=P, dport=syn.sport, flags="SA", seq=B, ack=syn.seq + 1, window=65535))
time.sleep(0.2)
linger0(c)
c.close()
time.sleep(0.2)

# 2. an unsolicited SYN-ACK to a closed port
inject(TCP(sport=P, dport=CLOSED, flags="SA", seq=123456789, ack=987654321, window=65535))
time.sleep(0.2)

# 3. flagless segments: to a listener, and to a closed port
l2 = listener(LISTEN2)
inject(TCP(sport=P, dport=LISTEN2, flags=0, seq=555555, window=1024))
time.sleep(0.2)
inject(TCP(sport=P, dport=CLOSED, flags=0, seq=666666, window=1024) / Raw(b"x"))
time.sleep(0.2)
l2.close()

# 4. a RST the peer ignores
srv = listener(P)


def server():
    s, _ = srv.accept()
    while True:
        b = s.recv(1000)
        if not b:
            break
        s.sendall(b"ok " + b)
    s.close()


t = in_thread(server)
sn = AsyncSniffer(iface="lo", filter="tcp dst port %d and tcp[tcpflags] == tcp-syn" % P, count=1)
sn.start()
time.sleep(0.3)
c = socket.create_connection((HOST4, P))
sn.join(timeout=3)
syn = sn.results[0][TCP]
c.sendall(b"before the RST\n")
log("client got", c.recv(100))
time.sleep(0.1)
# a RST "from the client", far outside the server's receive window
inject(TCP(sport=syn.sport, dport=P, flags="R", seq=(syn.seq + 1 + 2**31) % 2**32, window=0))
time.sleep(0.3)
for i in range(3):
    c.sendall(b"after the RST %d\n" % i)
    log("client got", c.recv(100))
    time.sleep(0.3)
c.close()
t.join()
