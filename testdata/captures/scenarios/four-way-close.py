# Like three-way-close, but the server waits 200 ms before closing, so the
# ACK of the client's FIN (delayed ACK, ~40 ms) goes out before the server's FIN.
from common import *

P = port()
srv = listener(P)
t = in_thread(simple_server, srv, b"world\n", 0.2)
c = socket.create_connection((HOST4, P))
c.sendall(b"hello\n")
log("client got", c.recv(1000))
c.close()
log("client closed")
t.join()
