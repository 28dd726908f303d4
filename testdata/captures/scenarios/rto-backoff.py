# After one exchange, iptables in this namespace drops everything arriving
# at the server's port (a blackholed peer: tcpdump on lo still sees each
# segment leave). The client sends a message: its retransmission timer
# fires, doubling 0.2, 0.4, 0.8 … s, until TCP_USER_TIMEOUT (5 s) ends it.
from common import *
import subprocess

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    log("server got", c.recv(1000))
    c.sendall(b"world\n")
    time.sleep(8)


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 5000)
c.sendall(b"hello\n")
log("client got", c.recv(1000))
time.sleep(0.3)
subprocess.run(["iptables", "-A", "INPUT", "-p", "tcp", "--dport", str(P), "-j", "DROP"], check=True)
c.sendall(b"are you there?\n")
try:
    c.recv(1000)
except OSError as e:
    log("client:", e)
c.close()
