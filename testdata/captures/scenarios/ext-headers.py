# IPv6 extension headers on a real TCP connection over ::1: both sockets set
# IPV6_DSTOPTS (a Destination Options header, PadN only); with "hbh" as the
# second argument they also set IPV6_HOPOPTS (a Hop-by-Hop Options header).
# The listener's options are inherited by the accepted socket (and used on
# its SYN-ACK). Exchange hello/world; the client closes first.
from common import *

IPV6_HOPOPTS = getattr(socket, "IPV6_HOPOPTS", 54)
IPV6_DSTOPTS = getattr(socket, "IPV6_DSTOPTS", 59)
# next header (filled in by the kernel), length 0 (8 bytes), PadN of 4 zeros
PADN8 = bytes([0, 0, 1, 4, 0, 0, 0, 0])

P = port()
HBH = len(sys.argv) > 2 and sys.argv[2] == "hbh"


def ext(s):
    if HBH:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_HOPOPTS, PADN8)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_DSTOPTS, PADN8)


srv = listener(P, HOST6, before_listen=ext)
t = in_thread(simple_server, srv, b"world\n", 0.0)
c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
ext(c)
c.connect((HOST6, P))
c.sendall(b"hello\n")
log("client got", c.recv(1000))
c.close()
log("client closed")
t.join()
