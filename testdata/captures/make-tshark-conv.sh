#!/usr/bin/env bash
# Write tshark's conversation table next to every capture, for the test that
# compares tcpnote --stats with it (cmd/tcpnote/stats_tshark_test.go):
#
#   tshark-conv.conv tshark -q -z conv,tcp: frames each way per conversation
#                    (its bytes are whole frames, rounded to kB: not compared)
#   tshark-conv.tsv  per TCP frame: tcp.stream, the innermost source and
#                    destination address and port, tcp.len (the payload),
#                    so payload bytes each way can be summed per stream
#
# (not .txt: the grammar and fsm tests read every *.txt there as a tcpdump
# render)
#
#   ./make-tshark-conv.sh            every capture
#   ./make-tshark-conv.sh NAME...    only these
#
# Needs tshark (apt-get install -y tshark); reads the pcaps, writes nothing
# else. The tshark version is written at the top of each .txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for p in */capture.pcap; do names+=("$(dirname "$p")"); done
fi
for n in "${names[@]}"; do
    pcap=$n/capture.pcap
    [ -f "$pcap" ] || { echo "no $pcap" >&2; exit 1; }
    {
        echo "# $(tshark --version 2>/dev/null | head -1)"
        echo "# tshark -q -z conv,tcp -r capture.pcap"
        tshark -q -z conv,tcp -r "$pcap" 2>/dev/null
    } > "$n/tshark-conv.conv"
    # -E occurrence=l: the innermost header of a tunnel (IPIP, GRE, 6in4)
    tshark -r "$pcap" -Y tcp -T fields -E header=y -E separator=/t -E occurrence=l \
        -e frame.number -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport \
        -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.len 2>/dev/null > "$n/tshark-conv.tsv"
done
