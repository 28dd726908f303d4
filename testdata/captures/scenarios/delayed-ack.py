# After a first request/reply, the server sets TCP_QUICKACK=0 (delayed-ACK
# mode). The client then sends a message the server answers only after
# 300 ms, so the server's kernel sends a delayed ACK (~40 ms) first.
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    log("server got", c.recv(1000))
    c.sendall(b"reply 1\n")
    c.setsockopt(socket.IPPROTO_TCP, TCP_QUICKACK, 0)
    log("server got", c.recv(1000))
    time.sleep(0.3)
    c.sendall(b"reply 2\n")
    recv_until_eof(c)
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"request 1\n")
log("client got", c.recv(1000))
time.sleep(0.1)
c.sendall(b"request 2\n")
log("client got", c.recv(1000))
c.close()
t.join()
