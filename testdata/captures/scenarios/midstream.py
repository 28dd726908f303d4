# A capture started after the connection is up and stopped before it
# closes: the client and server exchange messages; tcpdump starts only
# after the handshake and a first exchange, captures three more request /
# answer rounds and a one-way burst, and is stopped before either side
# closes. Called with the port and the pcap to write (make.sh ns_late).
import signal
import subprocess
from common import *

P = port()
PCAP = sys.argv[2]
srv = listener(P)


def server():
    c, _ = srv.accept()
    while True:
        b = c.recv(1000)
        if not b:
            break
        if b.startswith(b"burst"):
            continue
        c.sendall(b"answer to " + b)
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"before the capture\n")
c.recv(1000)

tcpdump = subprocess.Popen(["tcpdump", "-i", "lo", "--immediate-mode", "-B", "131072", "-w", PCAP,
                            "tcp port %d" % P], stderr=subprocess.PIPE)
for line in tcpdump.stderr:
    if b"listening on" in line:
        break
time.sleep(0.2)
for i in range(3):
    c.sendall(b"request %d\n" % i)
    log("client got", c.recv(1000))
    time.sleep(0.05)
c.sendall(b"burst of data the server does not answer\n")
time.sleep(0.2)
tcpdump.send_signal(signal.SIGINT)
err = tcpdump.communicate()[1]
log(err.decode().strip())
c.close()
t.join()
