# Run in the client's namespace of a path with 50 ms each way (the relay of
# delay-relay.py between two namespaces): a request answered at once, a
# message the server's kernel ACKs at once (quick-ACK mode), and one it
# ACKs with its delayed-ACK timer (TCP_QUICKACK 0), then a normal close.
# The server half runs in the server's namespace: delay-path.py PORT server.
from common import *

P = port()
SERVER = "10.213.0.2"
if sys.argv[2:] == ["server"]:
    srv = listener(P, host=SERVER)
    c, _ = srv.accept()
    log("server got", c.recv(1000))
    c.sendall(b"world\n")
    log("server got", c.recv(1000))      # ACKed at once (quick-ACK)
    c.setsockopt(socket.IPPROTO_TCP, TCP_QUICKACK, 0)
    log("server got", c.recv(1000))      # ACKed by the delayed-ACK timer
    recv_until_eof(c)
    c.close()
    sys.exit(0)
c = socket.create_connection((SERVER, P))
c.sendall(b"hello\n")
log("client got", c.recv(1000))
time.sleep(0.5)
c.sendall(b"quick\n")
time.sleep(0.5)
c.sendall(b"slow\n")
time.sleep(0.5)
c.close()
time.sleep(0.5)
