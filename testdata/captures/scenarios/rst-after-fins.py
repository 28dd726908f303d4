# A RST after both FINs: the client sends a message and shuts down its
# direction (FIN). The server does not read the message; it shuts down its
# own direction (FIN) and, before the client's ACK of that FIN arrives
# (iptables in the namespace drops it, ns_drop_2nd_ack), close()s the
# socket with the message still unread: Linux then resets the connection
# (tcp_close: unread data), although both FINs have been sent.
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    time.sleep(0.2)  # the message and the client's FIN arrive, unread
    c.shutdown(socket.SHUT_WR)
    time.sleep(0.05)
    c.close()
    log("server closed with unread data")


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"a message nobody reads\n")
c.shutdown(socket.SHUT_WR)
log("client got", recv_until_eof(c))
time.sleep(0.3)
c.close()
t.join()
