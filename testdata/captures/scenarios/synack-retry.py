# Server-speaks-first protocol (like SMTP). make.sh makes iptables drop the
# first two pure ACKs to the server port, so the client's third-handshake ACK
# (and its ACK to the first retransmitted SYN-ACK) are lost, and the server
# retransmits its SYN-ACK. The client waits for the banner, which the server
# can only send once its side of the handshake is complete.
from common import *

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    log("server: accept() returned")
    c.sendall(b"220 hello\r\n")
    log("server got", c.recv(1000))
    c.sendall(b"221 bye\r\n")
    recv_until_eof(c)
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
log("client: connect() returned")
log("client got", c.recv(1000))
c.sendall(b"QUIT\r\n")
log("client got", c.recv(1000))
c.close()
t.join()
