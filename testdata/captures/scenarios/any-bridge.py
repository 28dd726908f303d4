# A short exchange across a bridge: the client in a namespace with a bridge
# (br13, 10.213.1.1) whose port is a veth into the server's namespace
# (10.213.1.2). Captured with -i any in the client's namespace, every
# segment shows twice: on br13 and on the veth.
#   any-bridge.py PORT server   (in the server's namespace)
#   any-bridge.py PORT          (in the client's namespace)
from common import *

P = port()
SERVER = "10.213.1.2"
if sys.argv[2:] == ["server"]:
    srv = listener(P, host=SERVER)
    c, _ = srv.accept()
    log("server got", c.recv(1000))
    c.sendall(b"world\n")
    recv_until_eof(c)
    c.close()
    sys.exit(0)
c = socket.create_connection((SERVER, P))
c.sendall(b"hello\n")
log("client got", c.recv(1000))
time.sleep(0.1)
c.close()
time.sleep(0.3)
