"""Small helpers shared by the tcpnote capture scenarios.

Every scenario script takes the server port as its first argument and runs
both the client and the server (threads, or processes where timing matters).
Only loopback addresses are ever used.
"""
import os
import socket
import struct
import sys
import threading
import time

HOST4 = "127.0.0.1"
HOST6 = "::1"
TCP_FASTOPEN = getattr(socket, "TCP_FASTOPEN", 23)
TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", 12)
MSG_FASTOPEN = getattr(socket, "MSG_FASTOPEN", 0x20000000)


def port():
    return int(sys.argv[1])


def log(*args):
    print(f"[{time.monotonic():10.3f} {os.getpid()}]", *args, flush=True)


def listener(port, host=HOST4, backlog=16, before_listen=None):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if before_listen:
        before_listen(s)
    s.bind((host, port))
    s.listen(backlog)
    return s


def in_thread(fn, *args):
    t = threading.Thread(target=fn, args=args, daemon=True)
    t.start()
    return t


def recv_until_eof(s, bufsize=65536):
    chunks = []
    while True:
        b = s.recv(bufsize)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def linger0(s):
    """SO_LINGER {on, 0 s}: close() aborts the connection with a RST."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def wait_until(deadline):
    """Sleep, then spin, until CLOCK_MONOTONIC reaches deadline."""
    while True:
        left = deadline - time.clock_gettime(time.CLOCK_MONOTONIC)
        if left <= 0:
            return
        if left > 0.005:
            time.sleep(left - 0.004)


def simple_server(srv, reply=b"world\n", close_delay=0.0):
    """Accept one connection, read one request, reply, wait for the
    client's FIN, optionally sleep, close."""
    c, _ = srv.accept()
    req = c.recv(1000)
    log("server got", req)
    c.sendall(reply)
    rest = recv_until_eof(c)
    log("server got EOF", rest)
    if close_delay:
        time.sleep(close_delay)
    c.close()
    log("server closed")
