# The server reads only the first 6 bytes of what the client sent, then calls
# a plain close() with unread data in its receive buffer: Linux answers with a
# RST instead of a FIN (RFC 2525, "data loss").
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    time.sleep(0.1)
    log("server read", c.recv(6))
    c.close()
    log("server closed with unread data")


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"hello\nand some more data the server never reads\n")
try:
    log("client got", c.recv(1000))
except ConnectionResetError as e:
    log("client:", e)
c.close()
t.join()
