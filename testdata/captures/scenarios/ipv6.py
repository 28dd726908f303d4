# A normal request/reply over ::1, client closes first, server closes at once.
from common import *

P = port()
srv = listener(P, host=HOST6)
t = in_thread(simple_server, srv, b"world6\n", 0.0)
c = socket.create_connection((HOST6, P))
c.sendall(b"hello6\n")
log("client got", c.recv(1000))
c.close()
log("client closed")
t.join()
