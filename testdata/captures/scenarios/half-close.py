# Client sends its request and shutdown(SHUT_WR)s (FIN); the server still
# sends five chunks after seeing the FIN, then closes.
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    req = recv_until_eof(c)
    log("server got request and EOF", req)
    for i in range(5):
        c.sendall(b"chunk %d of the answer\n" % i)
        time.sleep(0.05)
    c.close()
    log("server closed")


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"send me everything\n")
c.shutdown(socket.SHUT_WR)
log("client half-closed")
log("client got", recv_until_eof(c))
c.close()
t.join()
