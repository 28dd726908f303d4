#!/usr/bin/env python3
"""What a Go wasm binary is made of: its sections, its code by package, its
largest functions (`go tool nm` reads no wasm). Build it with the names kept
(no -ldflags=-s), e.g.

    GOOS=js GOARCH=wasm go build -o /tmp/tcpnote.wasm ./cmd/tcpnote
    scripts/wasm-size.py /tmp/tcpnote.wasm

It reads the code section's function bodies and the name section's
function names; sizes are bytes of the uncompressed file."""
import sys, collections
b = open(sys.argv[1], 'rb').read()
def leb(i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
i = 8; secs = []
while i < len(b):
    sid = b[i]; size, j = leb(i + 1); secs.append((sid, j, size)); i = j + size
names = {}; nimports = 0; bodies = []; sectot = collections.Counter()
SN = {0:'custom',1:'type',2:'import',3:'function',5:'memory',6:'global',7:'export',9:'elem',10:'code',11:'data'}
for sid, j, size in secs:
    if sid == 0:
        nl, k = leb(j); nm = b[k:k+nl].decode(); sectot['custom:'+nm] += size
        if nm == 'name':
            k += nl; end = j + size
            while k < end:
                sub = b[k]; ss, k2 = leb(k + 1)
                if sub == 1:
                    cnt, p = leb(k2)
                    for _ in range(cnt):
                        idx, p = leb(p); l, p = leb(p); names[idx] = b[p:p+l].decode(errors='replace'); p += l
                k = k2 + ss
        continue
    sectot[SN.get(sid, str(sid))] += size
    if sid == 2:
        cnt, p = leb(j)
        for _ in range(cnt):
            l, p = leb(p); p += l; l, p = leb(p); p += l; kind = b[p]; p += 1
            if kind == 0: _, p = leb(p); nimports += 1
            elif kind == 1: p += 1; fl, p = leb(p); _, p = leb(p); p = leb(p)[1] if fl & 1 else p
            elif kind == 2: fl, p = leb(p); _, p = leb(p); p = leb(p)[1] if fl & 1 else p
            elif kind == 3: p += 2
    if sid == 10:
        cnt, p = leb(j)
        for n in range(cnt):
            sz, p = leb(p); bodies.append((nimports + n, sz)); p += sz
print('sections:'); [print(f'  {k:20s} {v:9d}') for k, v in sectot.most_common()]
pk = collections.Counter()
def pkg(n):
    # package path up to the last '/' then up to the first '.'
    for d in ('github.com_', 'golang.org_', 'gopkg.in_'):
        if n.startswith(d):
            return d + n[len(d):].split('.')[0]
    return n.split('.')[0]
for idx, sz in bodies: pk[pkg(names.get(idx, '?'))] += sz
print('code by package (top 25):'); [print(f'  {v:9d} {k}') for k, v in pk.most_common(25)]
print('largest functions:'); [print(f'  {sz:9d} {names.get(idx)}') for idx, sz in sorted(bodies, key=lambda x: -x[1])[:10]]
