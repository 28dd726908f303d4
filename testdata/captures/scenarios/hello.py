# hello/world over HOST (argv[2], default 127.0.0.1), the client closes
# first; then a connection to a closed port (RST). The packets are real;
# reencap.py may wrap them in a tunnel header afterwards.
from common import *

P = port()
HOST = sys.argv[2] if len(sys.argv) > 2 else HOST4
srv = listener(P, HOST)
t = in_thread(simple_server, srv, b"world\n", 0.0)
c = socket.create_connection((HOST, P))
c.sendall(b"hello\n")
log("client got", c.recv(1000))
c.close()
t.join()
time.sleep(0.1)
try:
    socket.create_connection((HOST, P + 100))
except ConnectionRefusedError:
    log("refused, as expected")
