# After one request/reply the client closes with SO_LINGER {1, 0}: RST.
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    log("server got", c.recv(1000))
    c.sendall(b"world\n")
    try:
        log("server got", c.recv(1000))
    except ConnectionResetError as e:
        log("server:", e)
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"hello\n")
log("client got", c.recv(1000))
time.sleep(0.1)
linger0(c)
c.close()
log("client aborted")
t.join()
