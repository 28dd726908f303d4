# TCP Fast Open (namespace with net.ipv4.tcp_fastopen=3). The client makes
# two connections with sendto(MSG_FASTOPEN). The first has no cookie yet: its
# SYN carries a cookie request and the data follows the handshake; the server's
# SYN-ACK carries a cookie. The second SYN carries the cookie and the data.
from common import *

P = port()
srv = listener(P, before_listen=lambda s: s.setsockopt(
    socket.IPPROTO_TCP, TCP_FASTOPEN, 16))


def server():
    for i in range(2):
        c, _ = srv.accept()
        log("server got", c.recv(1000))
        c.sendall(b"reply %d\n" % i)
        recv_until_eof(c)
        c.close()


t = in_thread(server)
for i in range(2):
    c = socket.socket()
    c.sendto(b"request %d\n" % i, MSG_FASTOPEN, (HOST4, P))
    log("client got", c.recv(1000))
    c.close()
    time.sleep(0.2)
t.join()
