# Simultaneous close: after connecting, client and server (two processes)
# both shutdown(SHUT_WR) at the same CLOCK_MONOTONIC deadline, so their FINs
# cross. make.sh retries until the capture shows crossed FINs.
from common import *

P = port()
srv = listener(P)
pid = os.fork()
if pid == 0:  # child: server
    c, _ = srv.accept()
    srv.close()
    deadline = float(c.recv(100).split()[1])
    wait_until(deadline)
    c.shutdown(socket.SHUT_WR)
    log("server got EOF", recv_until_eof(c))
    c.close()
    os._exit(0)

srv.close()
c = socket.create_connection((HOST4, P))
deadline = time.clock_gettime(time.CLOCK_MONOTONIC) + 0.3
c.sendall(b"DEADLINE %.6f\n" % deadline)
wait_until(deadline)
c.shutdown(socket.SHUT_WR)
log("client got EOF", recv_until_eof(c))
c.close()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
