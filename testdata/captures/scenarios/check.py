"""check.py NAME capture.pcap -- does the capture show what NAME is about?

Exit 0 if yes, 1 if no (make.sh then retries or reports). Prints a short
summary (packet count, and for the SYN retry scenarios the measured gaps).
"""
import subprocess
import sys

FIELDS = ["frame.time_epoch", "tcp.srcport", "tcp.dstport", "tcp.flags",
          "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.window_size_value",
          "tcp.options.sack_le", "tcp.analysis.retransmission",
          "tcp.analysis.fast_retransmission", "tcp.analysis.keep_alive"]


def packets(pcap):
    cmd = ["tshark", "-r", pcap, "-T", "fields", "-E", "separator=\t"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    pkts = []
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        v["t"] = float(v["frame.time_epoch"])
        v["sport"], v["dport"] = int(v["tcp.srcport"]), int(v["tcp.dstport"])
        v["flags"] = int(v["tcp.flags"], 16)
        v["seq"], v["ack"] = int(v["tcp.seq_raw"]), int(v["tcp.ack_raw"] or 0)
        v["len"] = int(v["tcp.len"])
        v["win"] = int(v["tcp.window_size_value"])
        pkts.append(v)
    return pkts


FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 1, 2, 4, 8, 16, 32, 64, 128


def only(p, *flags):
    return p["flags"] & 0x3F == sum(flags) or p["flags"] & 0xFF == sum(flags)


def main():
    name, pcap = sys.argv[1], sys.argv[2]
    pk = packets(pcap)
    print(f"{name}: {len(pk)} packets")
    syns = [p for p in pk if p["flags"] & 0x13 == SYN]
    synacks = [p for p in pk if p["flags"] & 0x13 == SYN | ACK]
    fins = [p for p in pk if p["flags"] & FIN]
    rsts = [p for p in pk if p["flags"] & RST]
    ok = len(pk) > 0
    if name.startswith("syn-retry"):
        gaps = [round(b["t"] - a["t"], 3) for a, b in zip(syns, syns[1:])]
        print(f"  {len(syns)} SYNs, gaps between them: {gaps}")
        ok = len(syns) >= 4 and not synacks
    elif name == "synack-retry":
        gaps = [round(b["t"] - a["t"], 3) for a, b in zip(synacks, synacks[1:])]
        print(f"  {len(synacks)} SYN-ACKs, gaps: {gaps}")
        ok = len(synacks) >= 2
    elif name == "refused":
        ok = len(syns) == 1 and len(rsts) == 1
    elif name == "simultaneous-close":
        ok = len(fins) == 2 and fins[0]["sport"] != fins[1]["sport"]
        if ok:
            a, b = fins
            # each FIN's ack must not cover the other FIN (seq + len + 1)
            ok = (a["ack"] != (b["seq"] + b["len"] + 1) % 2**32 and
                  b["ack"] != (a["seq"] + a["len"] + 1) % 2**32)
    elif name == "simultaneous-open":
        ok = (len(syns) == 2 and len(synacks) == 2 and
              syns[0]["sport"] != syns[1]["sport"] and not rsts)
    elif name == "zero-window":
        ok = any(p["win"] == 0 and not p["flags"] & RST for p in pk)
    elif name == "loss-sack":
        ok = (any(p["tcp.options.sack_le"] for p in pk) and
              any(p["tcp.analysis.retransmission"] or
                  p["tcp.analysis.fast_retransmission"] for p in pk))
    elif name == "tfo":
        ok = len(syns) == 2 and syns[1]["len"] > 0
    elif name == "port-reuse":
        ok = (len(syns) == 2 and syns[0]["sport"] == syns[1]["sport"]
              and syns[0]["seq"] != syns[1]["seq"])
    elif name == "interleaved-200":
        ok = len(syns) == 200 and len(synacks) == 200 and not rsts
    elif name in ("abort-linger0", "rst-by-server", "rst-unread-data"):
        ok = len(rsts) >= 1
    elif name == "ecn":
        ok = bool(syns) and syns[0]["flags"] & (ECE | CWR) == ECE | CWR
    elif name == "urgent":
        ok = any(p["flags"] & URG for p in pk)
    elif name == "keepalive":
        ka = [p for p in pk if p["tcp.analysis.keep_alive"]]
        print(f"  {len(ka)} keep-alives")
        ok = len(ka) >= 2
    print("  check:", "ok" if ok else "FAILED")
    sys.exit(0 if ok else 1)


main()
