# A client sends N bytes (argv[3], default 4000) in one send() to HOST
# (argv[2]: an address), the server answers 100 bytes after reading them
# all, the client closes first. Used behind a small-MTU router (IPv4
# fragments) and on ::1 for the IPv6 fragments made by reencap.py.
from common import *

P = port()
HOST = sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
fam = socket.AF_INET6 if ":" in HOST else socket.AF_INET
BIND = sys.argv[4] if len(sys.argv) > 4 else HOST


def serve(srv):
    c, _ = srv.accept()
    got = 0
    while got < N:
        b = c.recv(65536)
        if not b:
            break
        got += len(b)
    log("server got", got)
    c.sendall(b"r" * 100)
    rest = recv_until_eof(c)
    log("server got EOF", len(rest))
    c.close()


if sys.argv[-1] == "server":
    srv = listener(P, BIND)
    serve(srv)
    sys.exit(0)
if sys.argv[-1] == "client":
    time.sleep(0.3)
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.connect((HOST, P))
    c.sendall(b"x" * N)
    log("client got", len(c.recv(1000)))
    c.close()
    log("client closed")
    sys.exit(0)
srv = listener(P, HOST)
t = in_thread(serve, srv)
c = socket.socket(fam, socket.SOCK_STREAM)
c.connect((HOST, P))
c.sendall(b"x" * N)
log("client got", len(c.recv(1000)))
c.close()
log("client closed")
t.join()
