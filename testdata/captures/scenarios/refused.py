# Nothing listens on the port: the SYN is answered with RST-ACK.
from common import *

P = port()
c = socket.socket()
try:
    c.connect((HOST4, P))
    log("unexpected: connected")
    sys.exit(1)
except ConnectionRefusedError as e:
    log("client:", e)
c.close()
