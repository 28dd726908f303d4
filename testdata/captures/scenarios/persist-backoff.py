# Like zero-window, but the receiver sleeps 7 s and the sender pushes
# 16 KB: the persist timer's probes back off 0.2, 0.4, 0.8, 1.6, 3.2 s.
from common import *

P = port()
SIZE = 16 * 1024
srv = listener(P, before_listen=lambda s: s.setsockopt(
    socket.SOL_SOCKET, socket.SO_RCVBUF, 4096))


def server():
    c, _ = srv.accept()
    time.sleep(7.0)
    log("server starts reading")
    n = len(recv_until_eof(c))
    log("server got", n, "bytes and EOF")
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"x" * SIZE)
c.shutdown(socket.SHUT_WR)
recv_until_eof(c)
c.close()
t.join()
