# The receiver (server) has a small SO_RCVBUF and does not read for 3 s, so
# its window closes; the sender (client) keeps sending 64 KB and its kernel
# sends zero-window probes. Then the receiver reads everything (window
# update), and both sides close normally.
from common import *

P = port()
SIZE = 64 * 1024
srv = listener(P, before_listen=lambda s: s.setsockopt(
    socket.SOL_SOCKET, socket.SO_RCVBUF, 4096))


def server():
    c, _ = srv.accept()
    log("server: rcvbuf", c.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
    time.sleep(3.0)
    log("server starts reading")
    n = len(recv_until_eof(c))
    log("server got", n, "bytes and EOF")
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"x" * SIZE)
log("client: all data queued")
c.shutdown(socket.SHUT_WR)
recv_until_eof(c)
c.close()
t.join()
