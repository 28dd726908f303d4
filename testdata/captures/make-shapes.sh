#!/usr/bin/env bash
# Re-create the captures of the less common line shapes (issue 22): IPv6
# extension headers, IP fragments, tunnels, ECN marks, a SYN with data (run
# as root).
#
#   ./make-shapes.sh            all of them
#   ./make-shapes.sh NAME...    only these
#
# Like make.sh, every scenario runs in network namespaces of its own
# (tn-t22-*), deleted afterwards with their iptables rules and sysctls; the
# connections are real. This kernel has no ipip, sit, gre or MPLS devices:
# the tunnel scenarios capture a real loopback connection and wrap its
# packets with scenarios/reencap.py (scapy), keeping their timestamps; the
# IPv6 fragments are made the same way (Linux does not fragment its own
# TCP over IPv6). truth.md is written by hand and never touched.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SC=$HERE/scenarios
WORK=$(mktemp -d /tmp/tn-t22-captures.XXXXXX)
CREATED_NS=()
TCPDUMP_PID=
SCAPY=/usr/bin/python3   # Debian's python3 with python3-scapy

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

newns() { # name: a namespace with lo up
    ip netns del "$1" 2>/dev/null || true
    ip netns add "$1"
    CREATED_NS+=("$1")
    ip -n "$1" link set lo up
}

startdump() { # ns iface filter pcap
    ip netns exec "$1" tcpdump -i "$2" --immediate-mode -B 131072 -w "$4" "$3" 2>"$WORK/tcpdump.err" &
    TCPDUMP_PID=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$WORK/tcpdump.err" && break
        sleep 0.05
    done
    sleep 0.2
}

stopdump() {
    sleep 0.5
    kill -INT "$TCPDUMP_PID"
    wait "$TCPDUMP_PID" || true
    TCPDUMP_PID=
    grep -E "captured|dropped" "$WORK/tcpdump.err" | sed "s/^/    tcpdump: /"
    grep -q '^0 packets dropped by kernel' "$WORK/tcpdump.err"
}

# ---- scenarios: each writes $WORK/capture.pcap ------------------------------
lo_capture() { # ns-setup-fn port filter script args...
    local setup=$1 port=$2 filter=$3 ns=tn-t22-cap
    shift 3
    newns $ns
    [ "$setup" = - ] || "$setup" $ns
    startdump $ns lo "$filter" "$WORK/capture.pcap"
    ip netns exec $ns "$@" >"$WORK/log" 2>&1 || { cat "$WORK/log"; return 1; }
    sed "s/^/    /" "$WORK/log"
    stopdump
    ip netns del $ns
}
mtu1500() { ip -n "$1" link set lo mtu 1500; ip -n "$1" link set lo gso_max_segs 1; }
ecn_ce() {
    ip netns exec "$1" sysctl -q -w net.ipv4.tcp_ecn=1
    # a congested router's CE mark on the client's data (ECT(0) -> CE)
    ip netns exec "$1" iptables -t mangle -A OUTPUT -p tcp --dport 6860 -m length --length 100:65535 \
        -m ecn --ecn-ip-ect 2 -j TOS --set-tos 0x03/0x03
}

reencap() { # mode
    $SCAPY "$SC/reencap.py" "$1" "$WORK/capture.pcap" "$WORK/re.pcap"
    mv "$WORK/re.pcap" "$WORK/capture.pcap"
}

s_ipv6_dstopt()     { lo_capture - 6851 ip6 python3 "$SC/ext-headers.py" 6851; }
s_ipv6_hbh_dstopt() { lo_capture - 6852 ip6 python3 "$SC/ext-headers.py" 6852 hbh; }
s_ipv6_frag()       { lo_capture mtu1500 6854 ip6 python3 "$SC/bulk.py" 6854 ::1 3000 && reencap frag6; }
s_ipip_4in4()       { lo_capture - 6855 tcp python3 "$SC/hello.py" 6855 127.0.0.1 && reencap ipip; }
s_ipip_6in4()       { lo_capture - 6856 tcp python3 "$SC/hello.py" 6856 ::1 && reencap 6in4; }
s_gre()             { lo_capture - 6857 tcp python3 "$SC/hello.py" 6857 127.0.0.1 && reencap gre; }
s_mpls()            { lo_capture - 6858 tcp python3 "$SC/hello.py" 6858 127.0.0.1 && reencap mpls; }
s_pppoe()           { lo_capture - 6859 tcp python3 "$SC/hello.py" 6859 127.0.0.1 && reencap pppoe; }
s_ecn_ce()          { lo_capture ecn_ce 6860 tcp python3 "$SC/ecn-ce.py" 6860; }
s_syn_data()        { lo_capture - 6861 tcp $SCAPY "$SC/syn-data.py" 6861; }

# IPv4 fragments, for real: client (tn-t22-fa, 10.22.1.1, DF off with
# ip_no_pmtu_disc) -> router (tn-t22-fr) -> server (tn-t22-fb, 10.22.2.2).
# The router's link toward the server has mtu 600, the server's own side
# 1500 (so it announces mss 1460): the router fragments the client's
# 1448-byte segments. Captured on the server's interface.
s_ipv4_frag() {
    local a=tn-t22-fa r=tn-t22-fr b=tn-t22-fb
    newns $a; newns $r; newns $b
    ip link add t22fa0 netns $a type veth peer name t22fr0 netns $r
    ip link add t22fr1 netns $r type veth peer name t22fb0 netns $b
    ip -n $a addr add 10.22.1.1/24 dev t22fa0; ip -n $a link set t22fa0 up
    ip -n $a link set t22fa0 gso_max_segs 1
    ip -n $a route add default via 10.22.1.254
    ip -n $r addr add 10.22.1.254/24 dev t22fr0; ip -n $r link set t22fr0 up
    ip -n $r addr add 10.22.2.254/24 dev t22fr1; ip -n $r link set t22fr1 mtu 600 up
    ip -n $b addr add 10.22.2.2/24 dev t22fb0; ip -n $b link set t22fb0 up
    ip -n $b route add default via 10.22.2.254
    ip netns exec $r sysctl -q -w net.ipv4.ip_forward=1
    ip netns exec $a sysctl -q -w net.ipv4.ip_no_pmtu_disc=1
    ip netns exec $b ethtool -K t22fb0 gro off >/dev/null 2>&1 || true
    startdump $b t22fb0 ip "$WORK/capture.pcap"
    ip netns exec $b python3 "$SC/bulk.py" 6853 10.22.2.2 4000 10.22.2.2 server >"$WORK/log.s" 2>&1 &
    local spid=$!
    ip netns exec $a python3 "$SC/bulk.py" 6853 10.22.2.2 4000 10.22.2.2 client >"$WORK/log" 2>&1 || { cat "$WORK/log"; return 1; }
    wait $spid
    sed "s/^/    /" "$WORK/log" "$WORK/log.s"
    stopdump
    ip netns del $a; ip netns del $r; ip netns del $b
}

SCENARIOS="ipv6-dstopt ipv6-hbh-dstopt ipv4-frag ipv6-frag ipip-4in4 ipip-6in4 gre mpls pppoe ecn-ce syn-data"

# ---- renders ------------------------------------------------------------------
# make.sh's full set, and -e -v, -ttttt, -# -ttt, -tt (issue 22)
FLAGS=("-nn -S" "-nn" "" "-nn -S -v" "-nn -v" "-nn -S -vv" "-nn -S -e"
       "-nn -S -tttt" "-nn -S -ttt" "-nn -S -x" "-nn -S -X" "-nn -S -A"
       "-nn -q" "-nn -S -#" "-nn -S -e -v" "-nn -S -ttttt" "-nn -S -# -ttt"
       "-nn -S -tt")

flagname() { # "-nn -S -#" -> nn+S+number ; "" -> default
    local f=$1
    [ -z "$f" ] && { echo default; return; }
    f=${f//-#/-number}
    f=${f//-/}
    echo "${f// /+}"
}

render() { # dir
    local dir=$1 flags
    rm -f "$dir"/*.txt
    for flags in "${FLAGS[@]}"; do
        # shellcheck disable=SC2086
        TZ=UTC tcpdump -r "$dir/capture.pcap" $flags >"$dir/$(flagname "$flags").txt" 2>/dev/null
    done
    tshark -r "$dir/capture.pcap" -o tcp.relative_sequence_numbers:FALSE \
        -T fields -E header=y -E separator=/t \
        -e frame.number -e frame.time_epoch -e ip.src -e ipv6.src -e tcp.srcport \
        -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.flags.str \
        -e tcp.seq_raw -e tcp.ack_raw -e tcp.len -e tcp.window_size_value \
        -e tcp.analysis.flags -e _ws.expert.message \
        -e ip.id -e ip.flags.mf -e ip.frag_offset -e ipv6.fraghdr.offset -e ipv6.fraghdr.more \
        -e ip.dsfield.ecn -e ip.proto \
        >"$dir/tshark.tsv" 2>/dev/null
}

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || read -r -a wanted <<<"$SCENARIOS"
for name in "${wanted[@]}"; do
    echo "== $name"
    "s_${name//-/_}"
    mkdir -p "$HERE/$name"
    cp "$WORK/capture.pcap" "$HERE/$name/capture.pcap"
    render "$HERE/$name"
done
echo "all done"
