# Client with SO_KEEPALIVE, TCP_KEEPIDLE=1, TCP_KEEPINTVL=1 stays idle for
# 3.5 s after one exchange: keep-alive probes and their ACKs; then it closes.
from common import *

P = port()
srv = listener(P)
t = in_thread(simple_server, srv, b"world\n", 0.0)
c = socket.create_connection((HOST4, P))
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
c.sendall(b"hello\n")
log("client got", c.recv(1000))
time.sleep(3.5)
c.close()
log("client closed")
t.join()
