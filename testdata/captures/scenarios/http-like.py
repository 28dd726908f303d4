# An HTTP/1.1-looking exchange on port 8080: GET / and a ~20 KB response in
# several segments (namespace mtu 1500, gso_max_segs 1). The server sends
# "Connection: close" and closes first, as HTTP servers do.
from common import *

P = port()
BODY = b"".join(b"line %05d of the body...............................\n" % i
                for i in range(370))[:20000]
srv = listener(P)


def server():
    c, _ = srv.accept()
    req = b""
    while b"\r\n\r\n" not in req:
        req += c.recv(1000)
    log("server got", req)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
              b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(BODY) + BODY)
    c.close()


t = in_thread(server)
c = socket.create_connection((HOST4, P))
c.sendall(b"GET / HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: tcpnote-test\r\n"
          b"Accept: */*\r\nConnection: close\r\n\r\n")
log("client got", len(recv_until_eof(c)), "bytes")
c.close()
t.join()
