# Data sent after the peer closed: the server answers one request and
# close()s its socket (FIN). The client reads the answer and the end of
# file, then sends one more message anyway. The server's application has
# gone, so its kernel answers that data with a RST.
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    log("server got", c.recv(1000))
    c.sendall(b"answer\n")
    c.close()
    log("server closed")


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"request\n")
log("client got", recv_until_eof(c))
time.sleep(0.1)
c.sendall(b"one more thing\n")
time.sleep(0.1)
try:
    c.sendall(b"and another\n")
except OSError as e:
    log("client:", e)
c.close()
t.join()
