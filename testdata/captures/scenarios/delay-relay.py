# A user-space Ethernet relay with a fixed one-way delay, for paths with a
# round trip but no netem (this kernel has none). It runs in a namespace of
# its own between two veth ends that have no address: every frame that
# arrives on one end is sent out of the other DELAY seconds later. TCP
# checksums are recomputed, because veth leaves them to "hardware" (the
# frame as read here carries only the pseudo-header sum).
#
#   delay-relay.py IF_A IF_B DELAY_MS
import heapq
import socket
import struct
import sys
import threading
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
ifa, ifb, delay = sys.argv[1], sys.argv[2], float(sys.argv[3]) / 1000


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def fix(frame):
    """Recompute the TCP checksum of an IPv4 frame."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return frame
    ihl = (frame[14] & 15) * 4
    tot = struct.unpack("!H", frame[16:18])[0]
    ip = frame[14:14 + tot]
    seg = bytearray(ip[ihl:])
    seg[16:18] = b"\0\0"
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(seg))
    struct.pack_into("!H", seg, 16, csum(pseudo + bytes(seg)))
    return frame[:14] + ip[:ihl] + bytes(seg)


def sock(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    return s


sa, sb = sock(ifa), sock(ifb)
queue, cv = [], threading.Condition()


def reader(src, dst):
    while True:
        try:
            frame, addr = src.recvfrom(65535)
        except OSError:  # the link is still coming up
            time.sleep(0.05)
            continue
        if addr[2] == PACKET_OUTGOING:
            continue
        with cv:
            heapq.heappush(queue, (time.monotonic() + delay, id(frame), fix(frame), dst))
            cv.notify()


def writer():
    while True:
        with cv:
            while not queue or queue[0][0] > time.monotonic():
                cv.wait(None if not queue else queue[0][0] - time.monotonic())
            _, _, frame, dst = heapq.heappop(queue)
        dst.send(frame)


threading.Thread(target=reader, args=(sa, sb), daemon=True).start()
threading.Thread(target=reader, args=(sb, sa), daemon=True).start()
print("relay up", flush=True)
writer()
