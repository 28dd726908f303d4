#!/usr/bin/env bash
# tshark-rtt.sh — Wireshark's ACK RTT and bytes in flight for every capture,
# the ground truth fsm's TestAckRTTMatchesTshark compares tcpnote with.
#
#   ./tshark-rtt.sh            # every directory with a capture.pcap
#   ./tshark-rtt.sh loss-sack  # only these
#
# Writes <capture>/tshark-rtt.tsv: one row per frame, a header line naming
# the columns. The analysis preferences are spelled out (they are
# tshark's defaults) so a changed ~/.config/wireshark cannot change the
# truth: sequence analysis on, bytes in flight on, the payload-based
# (historical) bytes-in-flight method. tcp.analysis.ack_rtt is in seconds
# (nine decimals), tcp.analysis.acks_frame the frame it acknowledges,
# tcp.analysis.bytes_in_flight in bytes; empty where Wireshark has none.
# tcp.stream, the raw numbers, length and flags are there to read a
# disagreement without opening the pcap.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 0 ]; then names=("$@"); else
    names=()
    for d in "$HERE"/*/capture.pcap; do names+=("$(basename "$(dirname "$d")")"); done
fi
for name in "${names[@]}"; do
    dir=$HERE/$name
    tshark -r "$dir/capture.pcap" \
        -o tcp.analyze_sequence_numbers:TRUE \
        -o tcp.track_bytes_in_flight:TRUE \
        -o tcp.bif_seq_based:FALSE \
        -o tcp.relative_sequence_numbers:FALSE \
        -T fields -E header=y -E separator=/t \
        -e frame.number -e tcp.stream -e tcp.flags.str \
        -e tcp.seq_raw -e tcp.ack_raw -e tcp.len \
        -e tcp.analysis.ack_rtt -e tcp.analysis.acks_frame \
        -e tcp.analysis.bytes_in_flight \
        >"$dir/tshark-rtt.tsv" 2>/dev/null
    echo "$name: $(($(wc -l <"$dir/tshark-rtt.tsv") - 1)) frames"
done
