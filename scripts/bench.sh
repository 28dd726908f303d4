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
#   RENDER_PACKETS  packets in the capture of the render table (default 200000)
#   DUMP_PACKETS    packets for the -x/-X/-A rows, whose text is ~30 lines a
#              packet (default RENDER_PACKETS/10)
#   RENDERS    a space-separated list of render names to time, or "none"
#              (default: all; see render_table below)
#   COUNT      "instructions": the render table counts instructions under
#              valgrind's callgrind instead of timing (deterministic on a
#              shared machine; all of tcpnote's goroutines are counted,
#              under GOMAXPROCS=1, so it is its CPU work, not a pipe's
#              throughput); use a
#              small RENDER_PACKETS (callgrind runs ~50x slower)
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
RENDER_PACKETS=${RENDER_PACKETS:-200000}
DUMP_PACKETS=${DUMP_PACKETS:-$((RENDER_PACKETS / 10))}
RENDERS=${RENDERS:-all}
COUNT=${COUNT:-}
BENCH_DIR=${BENCH_DIR:-/tmp/tcpnote-bench}
export TZ=UTC # tcpdump renders about twice as fast without zone lookups

die() { echo "bench.sh: $*" >&2; exit 1; }

for tool in go tcpdump; do
	command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y tcpdump; Go from go.dev)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install -y time)"
case "$PACKETS$HALFOPEN$RUNS$LAT_LINES$RENDER_PACKETS$DUMP_PACKETS" in *[!0-9]*) die "PACKETS, HALFOPEN, RUNS, LAT_LINES, RENDER_PACKETS and DUMP_PACKETS must be numbers" ;; esac
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
go build -o "$bin/relink" ./scripts/relink

genhash=$(cat scripts/genpcap/main.go scripts/relink/main.go | sha256sum | cut -c1-10)

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
# is -; stdout to /dev/null) N times under /usr/bin/time -v. Sets TIMES
# (wall-clock µs, one per run), CPUS (user + system CPU µs, one per run) and
# RSS (KiB, the largest peak over the runs).
timed() {
	local n=$1 label=$2 input=$3; shift 3
	local i t0 t1 rss in=/dev/null
	[ "$input" = - ] || in=$input
	TIMES=() CPUS=() RSS=0
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
		CPUS+=($(awk -F': *' '/User time|System time/ {s += $2} END {printf "%d", s * 1e6}' "$bin/time.out"))
		rss=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$bin/time.out")
		if [ "${rss:-0}" -gt "$RSS" ]; then RSS=$rss; fi
	done
}

best() { printf '%s\n' "$@" | sort -n | head -n 1; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
secs() { awk -v us="$1" 'BEGIN {printf "%.3f s", us / 1e6}'; }
s3() { awk -v us="$1" 'BEGIN {printf "%.3f", us / 1e6}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN {if (y > 0) printf "%.2f", x / y; else print "-"}'; }
rate() { awk -v n="$1" -v us="$2" 'BEGIN {if (us > 0) printf "%.0f", n * 1e6 / us; else print "-"}'; }
size() { stat -c %s "$1" | awk '{printf "%.1f MiB", $1 / 1048576}'; }

# ---- every render, side by side with tcpdump ----
#
# Each row is one way of running tcpdump on a capture; its text is what
# tcpnote reads. The ratios divide tcpnote's time by tcpdump's own time to
# render the same capture the same way (best by best), in the same run, so
# load from other users of the machine affects both alike.
#
#   name       capture  tcpdump flags      text tcpnote reads
renders="
nn         render   -nn
nn-S       render   -nn_-S
n          render   -n
names      render   -n                 host names put in by sed (tcpdump would spend the time on DNS)
t          render   -nn_-t
tt         render   -nn_-tt
ttt        render   -nn_-ttt
tttt       render   -nn_-tttt
ttttt      render   -nn_-ttttt
nano       render   -nn_--nano
number     render   -nn_-#
q          render   -nn_-q
v          render   -nn_-v
vv         render   -nn_-vv
vvv        render   -nn_-vvv
e          render   -nn_-e
e-v        render   -nn_-e_-v
vlan-e     vlan     -nn_-e             802.1Q-tagged frames (relink -to vlan): vlan 100, p 0, ethertype IPv4
vlan-e-v   vlan     -nn_-e_-v
ipv6       ipv6     -nn
ipv6-v     ipv6     -nn_-v
ipv6-e     ipv6     -nn_-e
any        any      -nn
any-e      any      -nn_-e
any-v      any      -nn_-v
x          dump     -nn_-x
X          dump     -nn_-X
XX         dump     -nn_-XX
A          dump     -nn_-A
classic    render   -nn_-S             3.x classic lines made by awk from -nn -S (no tcpdump 3.x here)
"

# to_names: -n output with every IPv4 address replaced by a host name.
to_names() {
	sed -E 's/(^|[ ])([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\./\1host-\2-\3-\4-\5.example.net./g'
}

# to_classic: tcpdump 4.x -nn -S lines rewritten as tcpdump 3.9 prints them:
# `S 1:1(0) ack 2 win 3 <mss 1460,timestamp 1 2>`.
to_classic() {
	awk '{
		i = index($0, ": Flags [")
		if (i == 0) { print; next }
		out = substr($0, 1, i + 1); rest = substr($0, i + 9)
		j = index(rest, "]"); fl = substr(rest, 1, j - 1); rest = substr(rest, j + 3)
		if (fl != ".") gsub(/\./, "", fl)
		seq = ""; ack = ""; win = ""; opts = ""; len = 0
		o = index(rest, "options [")
		if (o > 0) {
			e = index(substr(rest, o), "]")
			opts = substr(rest, o + 9, e - 10)
			rest = substr(rest, 1, o - 1) substr(rest, o + e + 1)
		}
		n = split(rest, f, ", ")
		for (k = 1; k <= n; k++) {
			if (f[k] ~ /^seq /) seq = substr(f[k], 5)
			else if (f[k] ~ /^ack /) ack = substr(f[k], 5)
			else if (f[k] ~ /^win /) win = substr(f[k], 5)
			else if (f[k] ~ /^length /) len = substr(f[k], 8)
		}
		out = out fl
		if (seq != "") { if (index(seq, ":") == 0) seq = seq ":" seq; out = out " " seq "(" len ")" }
		if (ack != "") out = out " ack " ack
		out = out " win " win
		if (opts != "") { gsub(/TS val /, "timestamp ", opts); gsub(/ ecr /, " ", opts); out = out " <" opts ">" }
		print out
	}'
}

# render_input NAME CAPTURE FLAGS NOTE: make sure $BENCH_DIR has the text
# tcpnote reads for a row; sets RTXT.
render_input() {
	local name=$1 cap=$2 flags=${3//_/ } note=$4
	RTXT=$BENCH_DIR/$(basename "${rpcap[$cap]}" .pcap).$name.txt
	[ -s "$RTXT" ] && return
	echo "rendering $RTXT ..." >&2
	# shellcheck disable=SC2086
	tcpdump $flags -r "${rpcap[$cap]}" 2>"$bin/render.err" >"$RTXT.tmp" || {
		cat "$bin/render.err" >&2; die "tcpdump $flags failed on ${rpcap[$cap]}"; }
	case $name in
	names) to_names <"$RTXT.tmp" >"$RTXT.tmp2" && mv "$RTXT.tmp2" "$RTXT.tmp" ;;
	classic) to_classic <"$RTXT.tmp" >"$RTXT.tmp2" && mv "$RTXT.tmp2" "$RTXT.tmp" ;;
	esac
	mv "$RTXT.tmp" "$RTXT"
}

render_table() {
	[ "$RENDERS" = none ] && return
	declare -gA rpcap
	local base=$BENCH_DIR/render-$RENDER_PACKETS-$SEED-$genhash dump=$BENCH_DIR/render-$DUMP_PACKETS-$SEED-$genhash
	local f n
	for n in "$RENDER_PACKETS" "$DUMP_PACKETS"; do
		f=$BENCH_DIR/render-$n-$SEED-$genhash
		if [ ! -s "$f.pcap" ]; then
			echo "generating $f.pcap ..." >&2
			"$bin/genpcap" -o "$f.pcap.tmp" --packets "$n" --seed "$SEED" 2>/dev/null
			mv "$f.pcap.tmp" "$f.pcap"
		fi
	done
	rpcap[render]=$base.pcap rpcap[dump]=$dump.pcap
	for to in sll2 ipv6 vlan; do
		local key=$to; [ "$to" = sll2 ] && key=any
		rpcap[$key]=$base.$to.pcap
		if [ ! -s "$base.$to.pcap" ]; then
			"$bin/relink" -to "$to" <"$base.pcap" >"$base.$to.pcap.tmp"
			mv "$base.$to.pcap.tmp" "$base.$to.pcap"
		fi
	done
	if [ "$COUNT" = instructions ]; then
		render_counts
		return
	fi
	local out=$bin/renders.out
	{
		echo "renders: $RENDER_PACKETS packets ($DUMP_PACKETS for x, X, XX, A); best of $RUNS runs; wall = wall-clock, cpu = user + system"
		printf '%-8s %9s %9s %9s %9s %9s %9s %11s %11s %9s\n' render lines "tcpdump s" "text s" "json s" "text/td" "json/td" "cpu text/td" "cpu json/td" "RSS json"
	} >"$out"
	local name cap flags note
	while read -r name cap flags note; do
		[ -n "$name" ] || continue
		case " $RENDERS " in " all "|*" $name "*) ;; *) continue ;; esac
		render_input "$name" "$cap" "$flags" "$note"
		local n; n=$(wc -l <"$RTXT")
		# shellcheck disable=SC2086
		timed "$RUNS" "render $name: tcpdump" - tcpdump ${flags//_/ } -r "${rpcap[$cap]}"
		local a=$(best "${TIMES[@]}") ac=$(best "${CPUS[@]}")
		timed "$RUNS" "render $name: tcpnote" "$RTXT" "$tcpnote"
		local b=$(best "${TIMES[@]}") bc=$(best "${CPUS[@]}")
		timed "$RUNS" "render $name: tcpnote --format json" "$RTXT" "$tcpnote" --format json
		local c=$(best "${TIMES[@]}") cc=$(best "${CPUS[@]}") crss=$RSS
		printf '%-8s %9s %9s %9s %9s %9s %9s %11s %11s %9s\n' "$name" "$n" "$(s3 "$a")" "$(s3 "$b")" "$(s3 "$c")" \
			"$(ratio "$b" "$a")" "$(ratio "$c" "$a")" "$(ratio "$bc" "$ac")" "$(ratio "$cc" "$ac")" "$(mib "$crss")" >>"$out"
	done <<<"$renders"
	echo
	cat "$out"
}

# icount INPUT CMD...: run CMD under callgrind (stdin from INPUT, or none
# if INPUT is -); sets IR to the instructions it executed.
icount() {
	local input=$1 in=/dev/null; shift
	[ "$input" = - ] || in=$input
	# GOMAXPROCS=1: valgrind runs one thread at a time, and the Go
	# runtime's idle threads spinning for work then count too (the same
	# binary on the same input measured up to 75% more in one run)
	GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" <"$in" >/dev/null 2>"$bin/vg.err" || {
		cat "$bin/vg.err" >&2; die "valgrind failed: $*"; }
	IR=$(awk '/Collected :/ {print $NF}' "$bin/vg.err")
}

# render_counts: the render table in instructions (COUNT=instructions).
render_counts() {
	command -v valgrind >/dev/null || die "valgrind not found (apt-get install -y valgrind)"
	local out=$bin/renders.out name cap flags note n a b c
	{
		echo "renders: $RENDER_PACKETS packets ($DUMP_PACKETS for x, X, XX, A); instructions (callgrind Ir), 1 run each"
		printf '%-8s %9s %14s %14s %14s %9s %9s\n' render lines "tcpdump Ir" "text Ir" "json Ir" "text/td" "json/td"
	} >"$out"
	while read -r name cap flags note; do
		[ -n "$name" ] || continue
		case " $RENDERS " in " all "|*" $name "*) ;; *) continue ;; esac
		render_input "$name" "$cap" "$flags" "$note"
		n=$(wc -l <"$RTXT")
		echo "  render $name: counting" >&2
		# shellcheck disable=SC2086
		icount - tcpdump ${flags//_/ } -r "${rpcap[$cap]}"
		a=$IR
		icount "$RTXT" "$tcpnote"
		b=$IR
		icount "$RTXT" "$tcpnote" --format json
		c=$IR
		printf '%-8s %9s %14s %14s %14s %9s %9s\n' "$name" "$n" "$a" "$b" "$c" "$(ratio "$b" "$a")" "$(ratio "$c" "$a")" >>"$out"
	done <<<"$renders"
	echo
	cat "$out"
}

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

render_table

if [ "$lat_rc" -ne 0 ]; then
	echo "latency test FAILED (exit $lat_rc)"
	exit "$lat_rc"
fi
