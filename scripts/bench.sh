#!/usr/bin/env bash
# bench.sh: how fast is tcpnote next to tcpdump, how much memory does it
# use, and how quickly does a note follow its packet through a pipe.
#
#   scripts/bench.sh                    # 2M packets, 3 runs each
#   PACKETS=100000 scripts/bench.sh     # a quick run
#
# Environment:
#   PACKETS    packets in the big capture (default 2000000)
#   SEED       generator seed (default 20251121)
#   RUNS       timed runs per command; best and median are reported (default 3)
#   HALFOPEN   half-open connections in the memory test (default 300000)
#   LAT_LINES  lines sent by the latency test (default 200)
#   TCPNOTE    a tcpnote binary to measure instead of building ./cmd/tcpnote
#   BENCH_DIR  where the generated captures and their renders are kept and
#              reused (default /tmp/tcpnote-bench); a file name carries the
#              packet count, the seed and a hash of the generator's source
#
# It uses only tcpnote's command line. It exits non-zero only when a command
# fails (a build, the generator, tcpdump, tcpnote, the latency tool), never
# because something was slow. See docs/benchmarks.md.
set -euo pipefail

cd "$(dirname "$0")/.."

PACKETS=${PACKETS:-2000000}
SEED=${SEED:-20251121}
RUNS=${RUNS:-3}
HALFOPEN=${HALFOPEN:-300000}
LAT_LINES=${LAT_LINES:-200}
BENCH_DIR=${BENCH_DIR:-/tmp/tcpnote-bench}
export TZ=UTC # tcpdump renders about twice as fast without zone lookups

die() { echo "bench.sh: $*" >&2; exit 1; }

for tool in go tcpdump; do
	command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y tcpdump; Go from go.dev)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install -y time)"
case "$PACKETS$HALFOPEN$RUNS$LAT_LINES" in *[!0-9]*) die "PACKETS, HALFOPEN, RUNS and LAT_LINES must be numbers" ;; esac
[ "$RUNS" -ge 1 ] || die "RUNS must be at least 1"

mkdir -p "$BENCH_DIR"
bin=$(mktemp -d "${TMPDIR:-/tmp}/tcpnote-bench-bin.XXXXXX")
trap 'rm -rf "$bin"' EXIT

echo "building ..." >&2
if [ -n "${TCPNOTE:-}" ]; then
	[ -x "$TCPNOTE" ] || die "TCPNOTE=$TCPNOTE is not an executable"
	tcpnote=$TCPNOTE
else
	go build -o "$bin/tcpnote" ./cmd/tcpnote
	tcpnote=$bin/tcpnote
fi
go build -o "$bin/genpcap" ./scripts/genpcap
go build -o "$bin/latency" ./scripts/latency

genhash=$(sha256sum <scripts/genpcap/main.go | cut -c1-10)

# capture NAME ARGS...: generate $BENCH_DIR/NAME.pcap and its render NAME.txt
# unless they are already there.
capture() {
	local name=$1; shift
	local pcap="$BENCH_DIR/$name.pcap" txt="$BENCH_DIR/$name.txt"
	if [ ! -s "$pcap" ]; then
		echo "generating $pcap ..." >&2
		"$bin/genpcap" -o "$pcap.tmp" "$@"
		mv "$pcap.tmp" "$pcap"
		rm -f "$txt"
	fi
	if [ ! -s "$txt" ]; then
		echo "rendering $txt ..." >&2
		tcpdump -nn -S -r "$pcap" >"$txt.tmp" 2>"$bin/render.err" || {
			cat "$bin/render.err" >&2; die "tcpdump failed on $pcap"; }
		mv "$txt.tmp" "$txt"
	fi
}

big=big-$PACKETS-$SEED-$genhash
syn=synonly-$HALFOPEN-$SEED-$genhash
capture "$big" --packets "$PACKETS" --seed "$SEED"
capture "$syn" --syn-only "$HALFOPEN" --seed "$SEED"
bigpcap=$BENCH_DIR/$big.pcap bigtxt=$BENCH_DIR/$big.txt
synpcap=$BENCH_DIR/$syn.pcap syntxt=$BENCH_DIR/$syn.txt

now_ns() { date +%s%N; }

# timed N LABEL INPUT CMD...: run CMD (stdin from INPUT, or none if INPUT
# is -; stdout to /dev/null) N times under /usr/bin/time -v. Sets TIMES (µs,
# one per run) and RSS (KiB, the largest peak over the runs).
timed() {
	local n=$1 label=$2 input=$3; shift 3
	local i t0 t1 rss in=/dev/null
	[ "$input" = - ] || in=$input
	TIMES=() RSS=0
	for ((i = 0; i < n; i++)); do
		echo "  $label: run $((i + 1))/$n" >&2
		t0=$(now_ns)
		if ! /usr/bin/time -v -o "$bin/time.out" "$@" <"$in" >/dev/null 2>"$bin/cmd.err"; then
			cat "$bin/cmd.err" >&2
			grep -E 'Command terminated|Exit status' "$bin/time.out" >&2 || true
			die "$label failed: $*"
		fi
		t1=$(now_ns)
		TIMES+=($(((t1 - t0) / 1000)))
		rss=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$bin/time.out")
		if [ "${rss:-0}" -gt "$RSS" ]; then RSS=$rss; fi
	done
}

best() { printf '%s\n' "$@" | sort -n | head -n 1; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
secs() { awk -v us="$1" 'BEGIN {printf "%.3f s", us / 1e6}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN {if (y > 0) printf "%.2f", x / y; else print "-"}'; }
rate() { awk -v n="$1" -v us="$2" 'BEGIN {if (us > 0) printf "%.0f", n * 1e6 / us; else print "-"}'; }
size() { stat -c %s "$1" | awk '{printf "%.1f MiB", $1 / 1048576}'; }

lines=$(wc -l <"$bigtxt")
synlines=$(wc -l <"$syntxt")

echo "timing ..." >&2
timed "$RUNS" "(a) tcpdump" - tcpdump -nn -S -r "$bigpcap"
a_best=$(best "${TIMES[@]}") a_med=$(median "${TIMES[@]}") a_rss=$RSS
timed "$RUNS" "(b) tcpnote" "$bigtxt" "$tcpnote"
b_best=$(best "${TIMES[@]}") b_med=$(median "${TIMES[@]}") b_rss=$RSS
timed "$RUNS" "(c) tcpnote --format json" "$bigtxt" "$tcpnote" --format json
c_best=$(best "${TIMES[@]}") c_med=$(median "${TIMES[@]}") c_rss=$RSS

echo "half-open test ..." >&2
timed 1 "(d) tcpnote, half-open" "$syntxt" "$tcpnote"
d_us=${TIMES[0]} d_rss=$RSS

echo "latency test ..." >&2
head -n "$LAT_LINES" "$bigtxt" >"$bin/lines.txt"
lat_rc=0
"$bin/latency" -n "$LAT_LINES" "$tcpnote" "$bin/lines.txt" >"$bin/latency.out" 2>&1 || lat_rc=$?

row() { printf '%-36s %10s %10s %12s %12s\n' "$@"; }
echo
echo "tcpnote benchmark: $(nproc) CPUs, $(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(tcpdump --version 2>&1 | head -n 1), $(go env GOVERSION)"
echo "big capture: $lines packets, $(size "$bigpcap") pcap, $(size "$bigtxt") text; $RUNS runs each"
echo
row "" "best" "median" "lines/s" "peak RSS"
row "(a) tcpdump -nn -S -r big.pcap" "$(secs "$a_best")" "$(secs "$a_med")" "$(rate "$lines" "$a_best")" "$(mib "$a_rss")"
row "(b) tcpnote < big.txt" "$(secs "$b_best")" "$(secs "$b_med")" "$(rate "$lines" "$b_best")" "$(mib "$b_rss")"
row "(c) tcpnote --format json < big.txt" "$(secs "$c_best")" "$(secs "$c_med")" "$(rate "$lines" "$c_best")" "$(mib "$c_rss")"
row "ratio b/a" "$(ratio "$b_best" "$a_best")" "$(ratio "$b_med" "$a_med")" "" ""
row "ratio c/a" "$(ratio "$c_best" "$a_best")" "$(ratio "$c_med" "$a_med")" "" ""
echo
echo "half-open: $HALFOPEN unanswered SYNs ($synlines lines, $(size "$syntxt") text), 1 run"
row "(d) tcpnote < synonly.txt" "$(secs "$d_us")" "" "$(rate "$synlines" "$d_us")" "$(mib "$d_rss")"
echo
cat "$bin/latency.out"
if [ "$lat_rc" -ne 0 ]; then
	echo "latency test FAILED (exit $lat_rc)"
	exit "$lat_rc"
fi
