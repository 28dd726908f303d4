# The server sends a banner and closes at once; the client reads the banner
# and EOF, then closes after 100 ms.
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    c.sendall(b"220 banner, bye\r\n")
    c.close()
    log("server closed")


t = in_thread(server)
c = socket.create_connection((HOST4, P))
log("client got", recv_until_eof(c))
time.sleep(0.1)
c.close()
log("client closed")
t.join()
