# ECN negotiation (namespace with net.ipv4.tcp_ecn=1): the SYN carries ECE+CWR,
# the SYN-ACK ECE; data packets are then sent ECT(0). Normal close.
from common import *

P = port()
srv = listener(P)
t = in_thread(simple_server, srv, b"world\n", 0.0)
c = socket.create_connection((HOST4, P))
c.sendall(b"hello\n")
log("client got", c.recv(1000))
c.close()
t.join()
