# ECN with congestion marks: the namespace has net.ipv4.tcp_ecn=1 and an
# iptables mangle rule that rewrites the IP ECN field of the client's data
# packets from ECT(0) to CE (what a congested router does). The client
# sends three 200-byte messages 50 ms apart; the server echoes ECE until it
# sees CWR; the server answers 6 bytes after the third; the client closes.
from common import *

P = port()


def serve(srv):
    c, _ = srv.accept()
    got = 0
    while got < 600:
        b = c.recv(65536)
        if not b:
            break
        got += len(b)
    c.sendall(b"world\n")
    recv_until_eof(c)
    c.close()


srv = listener(P)
t = in_thread(serve, srv)
c = socket.create_connection((HOST4, P))
for _ in range(3):
    c.sendall(b"m" * 200)
    time.sleep(0.05)
log("client got", c.recv(1000))
c.close()
t.join()
