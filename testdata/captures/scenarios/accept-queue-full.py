# A listener with a full accept queue. listen(fd, 0): Linux holds one
# connection in the accept queue. Client B connects first; its 3rd-handshake
# ACK is dropped by iptables (ns_drop_first_ack), so B stays a request in
# SYN_RCVD at the server. Client A connects 0.2 s later and fills the
# accept queue. When B answers the server's retransmitted SYN-ACK, the
# queue is full: Linux drops that ACK (ListenOverflows), and B's data too,
# and retransmits its SYN-ACK again. The server accepts only after 4 s; the
# clients send their line only after 5 s, since a data segment (it carries
# the ACK) would complete the handshake as well.
from common import *

P = port()
srv = listener(P, backlog=0)
out = {}


def client(name):
    try:
        c = socket.create_connection((HOST4, P), timeout=30)
        time.sleep(5)  # data would complete the handshake: send it late
        c.sendall(b"client %s\n" % name.encode())
        c.recv(100)
        c.close()
        out[name] = "ok"
    except OSError as e:
        out[name] = str(e)


b = in_thread(client, "B")
time.sleep(0.2)
a = in_thread(client, "A")
time.sleep(4)
srv.settimeout(20)
for _ in range(2):
    c, _ = srv.accept()
    log("accepted, got", c.recv(100))
    c.sendall(b"bye\n")
    c.close()
a.join()
b.join()
log(out)
