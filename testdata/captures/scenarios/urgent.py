# Urgent data: the client sends "abc", then one byte with MSG_OOB (the URG
# flag and urgent pointer), then "def". The server reads inline (SO_OOBINLINE).
from common import *

P = port()
srv = listener(P, before_listen=lambda s: s.setsockopt(
    socket.SOL_SOCKET, socket.SO_OOBINLINE, 1))


def server():
    c, _ = srv.accept()
    log("server got", recv_until_eof(c))
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"abc")
time.sleep(0.05)
c.send(b"!", socket.MSG_OOB)
time.sleep(0.05)
c.sendall(b"def")
time.sleep(0.05)
c.close()
t.join()
