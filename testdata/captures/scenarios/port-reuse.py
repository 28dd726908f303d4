# Two consecutive connections on the same 4-tuple: the client binds source
# port P+100 both times. The server closes first each time, so its side
# holds the tuple in TIME_WAIT; the second SYN (new, higher ISN and
# timestamp) reuses the tuple anyway.
from common import *

P = port()
CPORT = P + 100
srv = listener(P)


def server():
    for i in range(2):
        c, _ = srv.accept()
        log("server got", c.recv(1000))
        c.sendall(b"reply %d\n" % i)
        c.close()


t = in_thread(server)
for i in range(2):
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((HOST4, CPORT))
    c.connect((HOST4, P))
    c.sendall(b"request %d\n" % i)
    log("client got", recv_until_eof(c))
    c.close()
    time.sleep(0.3)
t.join()
