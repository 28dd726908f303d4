# 200 concurrent short connections to one server: each client thread sends a
# small request, reads the reply, and closes; the server (selectors) replies
# and closes when it reads EOF.
import selectors
from common import *

P = port()
N = 200
srv = listener(P, backlog=512)
srv.setblocking(False)
sel = selectors.DefaultSelector()
sel.register(srv, selectors.EVENT_READ)


def server():
    done = 0
    while done < N:
        for key, _ in sel.select():
            s = key.fileobj
            if s is srv:
                try:
                    c, _ = srv.accept()
                except BlockingIOError:
                    continue
                c.setblocking(False)
                sel.register(c, selectors.EVENT_READ)
                continue
            try:
                data = s.recv(1000)
            except BlockingIOError:
                continue
            if data:
                s.send(b"reply to " + data)
            else:
                sel.unregister(s)
                s.close()
                done += 1


barrier = threading.Barrier(N)
errors = []


def client(i):
    try:
        barrier.wait()
        c = socket.create_connection((HOST4, P), timeout=10)
        c.sendall(b"request %d\n" % i)
        c.recv(1000)
        c.close()
    except Exception as e:
        errors.append((i, e))


t = in_thread(server)
threads = [in_thread(client, i) for i in range(N)]
for th in threads:
    th.join()
t.join(15)
log("clients done, errors:", errors)
sys.exit(1 if errors else 0)
