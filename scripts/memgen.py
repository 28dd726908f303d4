#!/usr/bin/python3
"""memgen.py SHAPE [N]: writes to stdout one input of scripts/mem.sh.

Shapes (N is the count where there is one):
  line N        one text line of N bytes of words ("ab " repeated)
  nest N        one line of N '['
  closed N S    N refused connections (SYN, RST-ACK), one per ms, from S
                seconds after midnight in the default HH:MM:SS clock
                (testdata/repro/gen_closed.py)
  reuse N       a SYN, the same 4-tuple with a new ISN (port reuse), then N
                SYNs on distinct 4-tuples
  flood N       N SYNs on distinct 4-tuples
  conns N       N packets in connections of 20 (handshake, 14 data, close)
"""
import sys

w = sys.stdout.write
shape = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 0


def clock(us):
    us %= 86400 * 10**6
    s, f = divmod(us, 10**6)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return '%02d:%02d:%02d.%06d' % (h, m, s, f)


def src(i):
    a = i // 60000
    return '10.%d.%d.%d.%d' % ((a >> 16) & 255, (a >> 8) & 255, a & 255, 1024 + i % 60000)


buf = []


def out(s):
    buf.append(s)
    if len(buf) > 20000:
        w(''.join(buf))
        buf.clear()


if shape == 'line':
    w(('ab ' * (n // 3 + 1))[:n] + '\n')
elif shape == 'nest':
    w('[' * n + '\n')
elif shape == 'closed':
    start = float(sys.argv[3])
    for i in range(n):
        t = clock(int(start * 1e6) + i * 1000)
        out('%s IP %s > 10.0.0.1.80: Flags [S], seq %d, win 64240, length 0\n' % (t, src(i), (i * 7919) % 2**32))
        out('%s IP 10.0.0.1.80 > %s: Flags [R.], seq 0, ack %d, win 0, length 0\n' % (t, src(i), (i * 7919 + 1) % 2**32))
elif shape in ('reuse', 'flood'):
    if shape == 'reuse':
        out('10:00:00.000000 IP 10.255.0.1.1000 > 10.0.0.1.80: Flags [S], seq 100, win 64240, length 0\n')
        out('10:00:00.000001 IP 10.255.0.1.1000 > 10.0.0.1.80: Flags [S], seq 5000, win 64240, length 0\n')
    for i in range(n):
        out('%s IP %s > 10.0.0.1.80: Flags [S], seq %d, win 64240, length 0\n' % (clock(36000 * 10**6 + i * 100), src(i), i))
elif shape == 'conns':
    for k in range(n // 20):
        c, s, t0 = src(k), '10.0.0.1.80', 36000 * 10**6 + k * 1000
        t = lambda j: clock(t0 + j)
        out('%s IP %s > %s: Flags [S], seq 100, win 64240, length 0\n' % (t(0), c, s))
        out('%s IP %s > %s: Flags [S.], seq 500, ack 101, win 65160, length 0\n' % (t(1), s, c))
        out('%s IP %s > %s: Flags [.], ack 501, win 502, length 0\n' % (t(2), c, s))
        seq = 101
        for j in range(14):
            out('%s IP %s > %s: Flags [P.], seq %d:%d, ack 501, win 502, length 100\n' % (t(3 + j), c, s, seq, seq + 100))
            seq += 100
        out('%s IP %s > %s: Flags [F.], seq %d, ack 501, win 502, length 0\n' % (t(17), c, s, seq))
        out('%s IP %s > %s: Flags [F.], seq 501, ack %d, win 509, length 0\n' % (t(18), s, c, seq + 1))
        out('%s IP %s > %s: Flags [.], ack 502, win 502, length 0\n' % (t(19), c, s))
else:
    sys.exit('memgen.py: unknown shape ' + shape)
w(''.join(buf))
