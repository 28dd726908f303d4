# Simultaneous open: two sockets bound to fixed ports P and P+1 connect()
# (non-blocking) to each other at the same CLOCK_MONOTONIC deadline, from two
# processes. Exit 0 only if both connects succeeded (the SYNs crossed);
# exit 2 otherwise, and make.sh retries.
import select
from common import *

P = port()
A, B = P, P + 1
deadline = time.clock_gettime(time.CLOCK_MONOTONIC) + 0.3


def side(me, peer):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST4, me))
    s.setblocking(False)
    wait_until(deadline)
    err = s.connect_ex((HOST4, peer))
    select.select([], [s], [], 3.0)
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        log(me, "connect failed:", os.strerror(err))
        s.close()
        return None
    s.setblocking(True)
    s.settimeout(3.0)
    log(me, "connected")
    return s


pid = os.fork()
if pid == 0:  # child: port B answers A's greeting, then closes after A
    s = side(B, A)
    if s is None:
        os._exit(2)
    try:
        log(B, "got", s.recv(100))
        s.sendall(b"hello from %d\n" % B)
        recv_until_eof(s)
        s.close()
    except OSError as e:
        log(B, e)
        os._exit(2)
    os._exit(0)

s = side(A, B)
ok = s is not None
if ok:
    try:
        s.sendall(b"hello from %d\n" % A)
        log(A, "got", s.recv(100))
        s.close()
    except OSError as e:
        log(A, e)
        ok = False
_, status = os.waitpid(pid, 0)
sys.exit(0 if ok and os.waitstatus_to_exitcode(status) == 0 else 2)
