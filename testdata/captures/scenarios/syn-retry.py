# A listener exists, but iptables (set up by make.sh in the namespace) drops
# every incoming SYN to it. The client tries to connect for 8 s.
from common import *

P = port()
srv = listener(P)
c = socket.socket()
c.settimeout(8.0)
t0 = time.monotonic()
try:
    c.connect((HOST4, P))
    log("unexpected: connected")
    sys.exit(1)
except (socket.timeout, TimeoutError) as e:
    log(f"client gave up after {time.monotonic() - t0:.2f} s:", e)
c.close()
srv.close()
