# Client sends a request, server replies; client closes, server closes at once.
from common import *

P = port()
srv = listener(P)
t = in_thread(simple_server, srv, b"world\n", 0.0)
c = socket.create_connection((HOST4, P))
c.sendall(b"hello\n")
log("client got", c.recv(1000))
c.close()
log("client closed")
t.join()
