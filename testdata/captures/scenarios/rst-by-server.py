# The server reads a request, sends part of an answer, then aborts with
# SO_LINGER {1, 0}: a RST from the server in the middle of the conversation.
# The client, still expecting more, gets ECONNRESET.
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    log("server got", c.recv(1000))
    c.sendall(b"partial answer...\n")
    time.sleep(0.1)
    linger0(c)
    c.close()
    log("server aborted")


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"request 1\n")
try:
    while True:
        b = c.recv(1000)
        log("client got", b)
        if not b:
            break
except ConnectionResetError as e:
    log("client:", e)
c.close()
t.join()
