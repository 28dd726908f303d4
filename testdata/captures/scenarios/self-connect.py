# A socket connected to itself: bind 127.0.0.1:P, connect to 127.0.0.1:P.
# With no listener on P, the SYN comes back to the socket that sent it, as
# in a simultaneous open, and the connection is established with itself.
# It then sends itself a message, reads it back, and closes.
from common import *

P = port()
for attempt in range(20):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST4, P))
    try:
        s.connect((HOST4, P))
        break
    except OSError as e:
        log("attempt", attempt, e)
        s.close()
        time.sleep(0.1)
else:
    sys.exit(2)
log("connected to itself:", s.getsockname(), s.getpeername())
s.sendall(b"hello me\n")
log("got", s.recv(100))
s.close()
