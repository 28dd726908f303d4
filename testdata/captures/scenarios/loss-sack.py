# Bulk transfer of 100 KB client -> server. make.sh's namespace has mtu 1500,
# gso_max_segs 1, and an iptables rule dropping every 20th data segment toward
# the server, so the trace shows SACKs and retransmissions.
from common import *

P = port()
SIZE = 100 * 1024
srv = listener(P)


def server():
    c, _ = srv.accept()
    n = len(recv_until_eof(c))
    log("server got", n, "bytes and EOF")
    c.sendall(b"got %d\n" % n)
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(bytes(i % 251 for i in range(SIZE)))
c.shutdown(socket.SHUT_WR)
log("client got", recv_until_eof(c))
c.close()
t.join()
