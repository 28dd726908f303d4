# Keep-alive with TCP_KEEPIDLE=2, TCP_KEEPINTVL=1, TCP_KEEPCNT=3: after one
# exchange iptables drops everything arriving at the server's port, so no
# probe is answered: probes 1 s apart after 2 s idle, then the client
# gives up and resets the connection.
from common import *
import subprocess

P = port()
srv = listener(P)


def server():
    c, _ = srv.accept()
    log("server got", c.recv(1000))
    c.sendall(b"world\n")
    time.sleep(10)


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 2)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
c.sendall(b"hello\n")
log("client got", c.recv(1000))
time.sleep(0.2)
subprocess.run(["iptables", "-A", "INPUT", "-p", "tcp", "--dport", str(P), "-j", "DROP"], check=True)
try:
    log("client got", c.recv(1000))
except OSError as e:
    log("client:", e)
c.close()
