#!/usr/bin/env bash
# Captures for issue 13 (timers, numbers and gaps), run as root:
#
#   ./make-t13.sh [NAME...]   rto-backoff keepalive-unanswered persist-backoff delay numbering any-bridge
#
# "numbering" needs no namespace: it cuts packets out of delay-at-sender's
# pcap with editcap and renders what is left, as a capture that missed them
# would be.
#
# Like make.sh, each scenario runs in namespaces of its own (tn-t13-*),
# deleted on exit with everything set inside them. "delay" builds a path
# client ns —veth— relay ns —veth— server ns, where scenarios/delay-relay.py
# forwards every frame 50 ms late (no netem in this kernel), and captures
# the same connection at both ends: delay-at-sender (the client's veth) and
# delay-at-receiver (the server's veth).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SC=$HERE/scenarios
WORK=$(mktemp -d /tmp/tn-t13-captures.XXXXXX)
NSS=()
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
    sleep 0.3
    for ns in "${NSS[@]}"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

FULL_FLAGS=("-nn -S" "-nn" "" "-nn -S -v" "-nn -v" "-nn -S -vv" "-nn -S -e"
            "-nn -S -tttt" "-nn -S -ttt" "-nn -S -x" "-nn -S -X" "-nn -S -A"
            "-nn -q" "-nn -S -#")

flagname() {
    local f=$1
    [ -z "$f" ] && { echo default; return; }
    f=${f//-#/-number}
    f=${f//-/}
    echo "${f// /+}"
}

render() { # dir
    local dir=$1 flags
    rm -f "$dir"/*.txt
    for flags in "${FULL_FLAGS[@]}"; do
        # shellcheck disable=SC2086
        TZ=UTC ${RENDER_NS:+ip netns exec $RENDER_NS} tcpdump -r "$dir/capture.pcap" $flags >"$dir/$(flagname "$flags").txt" 2>/dev/null
    done
    tshark -r "$dir/capture.pcap" -o tcp.relative_sequence_numbers:FALSE \
        -T fields -E header=y -E separator=/t \
        -e frame.number -e frame.time_epoch -e ip.src -e ipv6.src -e tcp.srcport \
        -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.flags.str \
        -e tcp.seq_raw -e tcp.ack_raw -e tcp.len -e tcp.window_size_value \
        -e tcp.analysis.flags -e _ws.expert.message \
        >"$dir/tshark.tsv" 2>/dev/null
}

newns() { ip netns del "$1" 2>/dev/null || true; ip netns add "$1"; NSS+=("$1"); ip -n "$1" link set lo up; }

start_dump() { # ns iface pcap port errfile
    ip netns exec "$1" tcpdump -i "$2" --immediate-mode -B 131072 -w "$3" "tcp port $4" 2>"$5" &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q 'listening on' "$5" && break; sleep 0.05; done
}

stop_dumps() {
    sleep 0.5
    for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; wait "$p" || true; done
    PIDS=()
}

keep() { # name pcap errfile
    grep -q '^0 packets dropped by kernel' "$3" || { echo "$1: tcpdump dropped packets" >&2; return 1; }
    mkdir -p "$HERE/$1"
    cp "$2" "$HERE/$1/capture.pcap"
    render "$HERE/$1"
    echo "$1: $(grep captured "$3")"
}

loopback() { # name port script mtu1500?
    local name=$1 port=$2 script=$3 ns=tn-t13-$1
    newns "$ns"
    if [ "${4:-}" = mtu1500 ]; then
        ip -n "$ns" link set lo mtu 1500
        ip -n "$ns" link set lo gso_max_segs 1
    fi
    start_dump "$ns" lo "$WORK/$name.pcap" "$port" "$WORK/$name.err"
    sleep 0.2
    ip netns exec "$ns" python3 "$SC/$script" "$port" 2>&1 | sed "s/^/    /"
    stop_dumps
    ip netns del "$ns"
    keep "$name" "$WORK/$name.pcap" "$WORK/$name.err"
}

delay() {
    local port=61305 c=tn-t13-cli r=tn-t13-rly s=tn-t13-srv
    newns $c; newns $r; newns $s
    ip link add t13c type veth peer name t13ra
    ip link add t13s type veth peer name t13rb
    ip link set t13c netns $c; ip link set t13ra netns $r
    ip link set t13s netns $s; ip link set t13rb netns $r
    ip netns exec $r sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
    for i in t13ra t13rb; do ip -n $r link set $i up; done
    ip -n $c addr add 10.213.0.1/24 dev t13c; ip -n $c link set t13c gso_max_segs 1; ip -n $c link set t13c up
    ip -n $s addr add 10.213.0.2/24 dev t13s; ip -n $s link set t13s gso_max_segs 1; ip -n $s link set t13s up
    ip netns exec $r /usr/bin/python3 "$SC/delay-relay.py" t13ra t13rb 50 &
    sleep 1
    start_dump $c t13c "$WORK/sender.pcap" $port "$WORK/sender.err"
    start_dump $s t13s "$WORK/receiver.pcap" $port "$WORK/receiver.err"
    sleep 0.2
    (cd "$SC" && ip netns exec $s python3 delay-path.py $port server) 2>&1 | sed "s/^/    srv /" &
    local sp=$!
    sleep 0.3
    (cd "$SC" && ip netns exec $c python3 delay-path.py $port) 2>&1 | sed "s/^/    cli /"
    wait $sp || true
    stop_dumps
    keep delay-at-sender "$WORK/sender.pcap" "$WORK/sender.err"
    keep delay-at-receiver "$WORK/receiver.pcap" "$WORK/receiver.err"
}

anybridge() { # tcpdump -i any on a host with a bridge and a veth
    local port=61306 h=tn-t13-host s=tn-t13-peer
    newns $h; newns $s
    ip -n $h link add br13 type bridge
    ip link add v13h type veth peer name v13p
    ip link set v13h netns $h; ip link set v13p netns $s
    ip -n $h link set v13h master br13
    ip -n $h addr add 10.213.1.1/24 dev br13
    ip -n $s addr add 10.213.1.2/24 dev v13p
    for i in br13 v13h; do ip -n $h link set $i up; done
    ip -n $s link set v13p up
    sleep 1.5 # the bridge port leaves the listening state
    start_dump $h any "$WORK/any.pcap" $port "$WORK/any.err"
    sleep 0.2
    (cd "$SC" && ip netns exec $s python3 any-bridge.py $port server) 2>&1 | sed "s/^/    srv /" &
    local sp=$!
    sleep 0.3
    (cd "$SC" && ip netns exec $h python3 any-bridge.py $port) 2>&1 | sed "s/^/    cli /"
    wait $sp || true
    stop_dumps
    # rendered in the capture's namespace: a -i any pcap names interfaces
    # by index, which only this namespace maps to br13 and v13h
    RENDER_NS=$h keep any-bridge "$WORK/any.pcap" "$WORK/any.err"
}

derive() { # name source-capture editcap-args...: a capture with packets left out
    local name=$1 src=$2 opt=$3 frames=$4
    mkdir -p "$HERE/$name"
    # shellcheck disable=SC2086
    editcap $opt "$HERE/$src/capture.pcap" "$HERE/$name/capture.pcap" $frames
    render "$HERE/$name"
    echo "$name: from $src, editcap $opt … $frames"
}

numbering() { # tcpdump's relative numbers when the trace misses packets
    derive numbering-no-synack delay-at-sender "" 2           # SYN seen, SYN-ACK not
    derive numbering-midstream-data delay-at-sender -r 4-14   # starts with data: raw, then relative
    derive numbering-midstream-ack delay-at-sender -r 5-14    # starts with the server's pure ACK: its base is not in the trace
}

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
want=("${@:-rto-backoff keepalive-unanswered persist-backoff delay numbering any-bridge}")
for n in ${want[*]}; do
    case $n in
    rto-backoff) loopback rto-backoff 61301 rto-backoff.py ;;
    keepalive-unanswered) loopback keepalive-unanswered 61302 keepalive-unanswered.py ;;
    persist-backoff) loopback persist-backoff 61303 persist-backoff.py mtu1500 ;;
    delay) delay ;;
    numbering) numbering ;;
    any-bridge) anybridge ;;
    *) echo "no such scenario: $n" >&2; exit 1 ;;
    esac
done
