#!/usr/bin/env bash
# Re-create the tcpnote test captures (run as root).
#
#   ./make.sh            all scenarios
#   ./make.sh NAME...    only these scenarios
#
# Every scenario runs in a network namespace of its own (tcpnote-NAME) on its
# loopback only (127.0.0.1 / ::1). iptables rules and sysctls are set inside
# that namespace only, so deleting the namespace undoes them; a trap deletes
# every namespace this script created, even on failure.
#
# Per scenario directory it writes capture.pcap, the tcpdump renders
# (<flags>.txt) and tshark.tsv. truth.md is written by hand and never touched.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SC=$HERE/scenarios
WORK=$(mktemp -d /tmp/tcpnote-captures.XXXXXX)
CREATED_NS=()
TCPDUMP_PID=

cleanup() {
    if [ -n "$TCPDUMP_PID" ]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; fi
    for ns in "${CREATED_NS[@]}"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# name | port | script | namespace setup function | renders | attempts
SCENARIOS="
three-way-close       6801 three-way-close.py       -               full  1
four-way-close        6802 four-way-close.py        -               full  1
refused               6803 refused.py               -               full  1
syn-retry-linear      6804 syn-retry.py             ns_drop_syn     full  1
syn-retry-exponential 6805 syn-retry.py             ns_drop_syn_exp full  1
synack-retry          6806 synack-retry.py          ns_drop_acks    full  1
abort-linger0         6807 abort-linger0.py         -               full  1
half-close            6808 half-close.py            -               full  1
simultaneous-close    6809 simultaneous-close.py    -               full  40
simultaneous-open     6810 simultaneous-open.py     -               full  60
zero-window           6812 zero-window.py           ns_mtu1500      small 1
loss-sack             6813 loss-sack.py             ns_loss         small 1
ipv6                  6814 ipv6.py                  -               full  1
keepalive             6815 keepalive.py             -               full  1
server-closes-first   6816 server-closes-first.py   -               full  1
tfo                   6817 tfo.py                   ns_tfo          full  1
interleaved-200       6818 interleaved-200.py       -               small 1
rst-by-server         6819 rst-by-server.py         -               full  1
port-reuse            6820 port-reuse.py            -               full  1
delayed-ack           6821 delayed-ack.py           -               full  1
http-like             8080 http-like.py             ns_mtu1500      full  1
urgent                6822 urgent.py                -               full  1
ecn                   6823 ecn.py                   ns_ecn          full  1
rst-unread-data       6824 rst-unread-data.py       -               full  1
midstream             6825 midstream.py             ns_late         full  1
self-connect          6826 self-connect.py          -               full  1
data-after-close      6827 data-after-close.py      -               full  1
rst-after-fins        6828 rst-after-fins.py        ns_drop_2nd_ack full  1
accept-queue-full     6829 accept-queue-full.py     ns_drop_first_ack full  1
crafted               6830 crafted.py               ns_crafted      full  1
"

# ---- namespace setup functions: $1 = namespace, $2 = port -----------------
nsx() { ip netns exec "$@"; }

ns_mtu1500() {   # MSS-sized segments on the wire: no GSO super-segments
    ip -n "$1" link set lo mtu 1500
    ip -n "$1" link set lo gso_max_segs 1
}
ns_drop_syn() {  # drop every incoming SYN to the port
    nsx "$1" iptables -A INPUT -p tcp --dport "$2" --tcp-flags SYN,ACK,RST,FIN SYN -j DROP
}
ns_drop_syn_exp() {
    nsx "$1" sysctl -q -w net.ipv4.tcp_syn_linear_timeouts=0
    ns_drop_syn "$1" "$2"
}
ns_drop_acks() { # drop the first two pure ACKs (52 bytes each) to the server
    nsx "$1" iptables -A INPUT -p tcp --dport "$2" --tcp-flags ALL ACK \
        -m length --length 52 -m quota --quota 104 -j DROP
}
ns_loss() {      # drop every 20th data segment toward the receiver
    ns_mtu1500 "$1"
    nsx "$1" iptables -A INPUT -p tcp --dport "$2" -m length --length 1000:65535 \
        -m statistic --mode nth --every 20 --packet 19 -j DROP
}
ns_late() {      # the scenario starts and stops tcpdump itself (midstream)
    LATE=1
}
ns_drop_2nd_ack() { # drop the second pure ACK (52 bytes) to the server
    nsx "$1" iptables -A INPUT -p tcp --dport "$2" --tcp-flags ALL ACK \
        -m length --length 52 -m statistic --mode nth --every 1000 --packet 1 -j DROP
}
ns_drop_first_ack() { # drop the first pure ACK (52 bytes) to the server
    nsx "$1" iptables -A INPUT -p tcp --dport "$2" --tcp-flags ALL ACK \
        -m length --length 52 -m quota --quota 52 -j DROP
}
ns_crafted() {   # scapy plays a peer on the port: the kernel must not answer for it
    nsx "$1" iptables -A OUTPUT -p tcp --sport "$2" --tcp-flags RST RST -j DROP
}
ns_tfo() { nsx "$1" sysctl -q -w net.ipv4.tcp_fastopen=3; }
ns_ecn() { nsx "$1" sysctl -q -w net.ipv4.tcp_ecn=1; }

# ---- one capture attempt --------------------------------------------------
capture() { # name port script setup pcap
    local name=$1 port=$2 script=$3 setup=$4 pcap=$5 ns=${NS_PREFIX:-tcpnote}-$1 rc=0
    LATE=
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    CREATED_NS+=("$ns")
    ip -n "$ns" link set lo up
    [ "$setup" = - ] || "$setup" "$ns" "$port"

    rm -f "$pcap"
    if [ -n "$LATE" ]; then
        # the script captures only the middle of its connection itself
        ip netns exec "$ns" python3 "$SC/$script" "$port" "$pcap" >"$WORK/$name.log" 2>&1 &
        wait $! || rc=$?
        sed "s/^/    /" "$WORK/$name.log"
        ip netns del "$ns"
        return $rc
    fi
    # not through a shell function: $! must be tcpdump itself (ip netns exec
    # execs it), since background subshells ignore SIGINT
    ip netns exec "$ns" tcpdump -i lo --immediate-mode -B 131072 -w "$pcap" "tcp port $port" \
        2>"$WORK/tcpdump.err" &
    TCPDUMP_PID=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$WORK/tcpdump.err" && break
        sleep 0.05
    done
    sleep 0.2
    # in the background + wait, so that a signal runs the trap at once
    ip netns exec "$ns" python3 "$SC/$script" "$port" >"$WORK/$name.log" 2>&1 &
    wait $! || rc=$?
    sleep 0.5
    kill -INT "$TCPDUMP_PID"
    wait "$TCPDUMP_PID" || true
    TCPDUMP_PID=
    sed "s/^/    /" "$WORK/$name.log"; grep -E "captured|received|dropped" "$WORK/tcpdump.err" | sed "s/^/    tcpdump: /"
    ip netns del "$ns"
    if ! grep -q '^0 packets dropped by kernel' "$WORK/tcpdump.err"; then
        echo "    tcpdump lost packets: attempt rejected"
        rc=3
    fi
    return $rc
}

# ---- renders ----------------------------------------------------------------
FULL_FLAGS=("-nn -S" "-nn" "" "-nn -S -v" "-nn -v" "-nn -S -vv" "-nn -S -e"
            "-nn -S -tttt" "-nn -S -ttt" "-nn -S -x" "-nn -S -X" "-nn -S -A"
            "-nn -q" "-nn -S -#")
SMALL_FLAGS=("-nn -S" "-nn" "" "-nn -S -v" "-nn -S -vv" "-nn -q")

flagname() { # "-nn -S -#" -> nn+S+number ; "" -> default
    local f=$1
    [ -z "$f" ] && { echo default; return; }
    f=${f//-#/-number}
    f=${f//-/}
    echo "${f// /+}"
}

render() { # dir full|small
    local dir=$1 flags
    local -a set
    if [ "$2" = full ]; then set=("${FULL_FLAGS[@]}"); else set=("${SMALL_FLAGS[@]}"); fi
    rm -f "$dir"/*.txt
    for flags in "${set[@]}"; do
        # shellcheck disable=SC2086
        TZ=UTC tcpdump -r "$dir/capture.pcap" $flags >"$dir/$(flagname "$flags").txt" 2>/dev/null
    done
    tshark -r "$dir/capture.pcap" -o tcp.relative_sequence_numbers:FALSE \
        -T fields -E header=y -E separator=/t \
        -e frame.number -e frame.time_epoch -e ip.src -e ipv6.src -e tcp.srcport \
        -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.flags.str \
        -e tcp.seq_raw -e tcp.ack_raw -e tcp.len -e tcp.window_size_value \
        -e tcp.analysis.flags -e _ws.expert.message \
        >"$dir/tshark.tsv" 2>/dev/null
}

run_scenario() { # name port script setup renders attempts
    local name=$1 port=$2 script=$3 setup=$4 renders=$5 attempts=$6
    local dir=$HERE/$name i
    mkdir -p "$dir"
    echo "== $name (port $port)"
    for ((i = 1; i <= attempts; i++)); do
        if capture "$name" "$port" "$script" "$setup" "$WORK/capture.pcap" &&
           python3 "$SC/check.py" "$name" "$WORK/capture.pcap"; then
            cp "$WORK/capture.pcap" "$dir/capture.pcap"
            render "$dir" "$renders"
            echo "   ok after $i attempt(s)"
            return 0
        fi
        echo "   attempt $i did not show $name"
    done
    cp "$WORK/capture.pcap" "/tmp/tcpnote-failed-$name.pcap" 2>/dev/null &&
        echo "   last attempt kept in /tmp/tcpnote-failed-$name.pcap"
    echo "   FAILED: $name"
    return 1
}

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
failed=()
wanted=("$@")
found=0
while read -r name port script setup renders attempts; do
    [ -n "$name" ] || continue
    if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $name " ]]; then continue; fi
    found=$((found + 1))
    run_scenario "$name" "$port" "$script" "$setup" "$renders" "$attempts" || failed+=("$name")
done <<<"$SCENARIOS"

[ "$found" -gt 0 ] || { echo "no such scenario: $*" >&2; exit 1; }
if [ ${#failed[@]} -gt 0 ]; then echo "failed: ${failed[*]}"; exit 1; fi
echo "all done"
