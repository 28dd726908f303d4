#!/usr/bin/env bash
# Check tcpnote's browser page (web/) in a real browser (headless Chromium).
#
#   scripts/check-web.sh                 every capture's nn.txt and the seeds
#   scripts/check-web.sh FILE...         these traces
#   WEB_PNG=docs/web.png scripts/check-web.sh
#                                        also redraw the README's screenshot
#
# It builds the page (scripts/build-web.sh), prints the wasm's size raw,
# gzip and brotli, and fails when the compressed wasm is over the budget
# (WASM_BUDGET bytes of gzip -9, default 4 MiB). Then scripts/check-web.mjs
# opens file://…/web/index.html with each trace in the URL fragment, in
# each language the page offers; the annotated text must equal `tcpnote
# --color never --lang L` on the same trace and the ladder must have one
# arrow per packet; it pastes testdata/captures/interleaved-200/nn.txt (2,000
# lines) with an input event and prints how long it took; it loads the page
# once over http from 127.0.0.1. Any console message fails the check.
#
# It installs nothing: it uses $CHROMIUM, else /usr/bin/chromium, and node
# (CI gets both from apt-get); without them it says so and exits 0. Chromium
# runs with --no-sandbox (we are root here) and a fresh profile, without
# network features. Exit status: 0 when all checks pass.
set -uo pipefail

case ${1:-} in -h | --help)
    sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//p}' "$0"
    exit 0
    ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
args=()
for a in "$@"; do args+=("$(abs "$a")"); done
[ -z "${WEB_PNG:-}" ] || WEB_PNG=$(abs "$WEB_PNG")
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
BUDGET=${WASM_BUDGET:-4194304}
if [ ! -x "$CHROMIUM" ] || ! command -v node >/dev/null; then
    echo "check-web: SKIP: needs Chromium at $CHROMIUM and node (apt-get install -y chromium nodejs)"
    exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tcpnote-web.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
GOOS=js GOARCH=wasm go vet ./cmd/tcpnote || exit 1 # CI's go vet sees only the native files
scripts/build-web.sh >/dev/null || exit 1
go build -o "$WORK/tcpnote" ./cmd/tcpnote || exit 1

fail=0
for f in web/tcpnote.wasm web/tcpnote-bundle.js; do
    read -r raw gz br < <(node -e '
        const z = require("zlib"), b = require("fs").readFileSync(process.argv[1]);
        console.log(b.length, z.gzipSync(b, { level: 9 }).length,
            z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length);' "$f")
    verdict="within the budget of $BUDGET gzip bytes"
    if [ "$gz" -gt "$BUDGET" ]; then
        verdict="OVER the budget of $BUDGET gzip bytes"
        fail=1
    fi
    printf 'check-web: %-22s %9d bytes raw, %8d gzip -9, %8d brotli -11: %s\n' "$f" "$raw" "$gz" "$br" "$verdict"
done

traces=()
if [ ${#args[@]} -gt 0 ]; then
    traces=("${args[@]}")
else
    shopt -s nullglob
    traces=(testdata/captures/*/nn.txt testdata/corpus/seeds/*.txt)
fi
shot=()
[ -z "${WEB_PNG:-}" ] || shot=(--screenshot "$WEB_PNG" --screenshot-trace testdata/corpus/seeds/telnet-close-blocks.txt)
mkdir -p "$WORK/profile"
timeout 1800 node scripts/check-web.mjs --chromium "$CHROMIUM" --tcpnote "$WORK/tcpnote" --web "$ROOT/web" \
    --big testdata/captures/interleaved-200/nn.txt --profile "$WORK/profile" "${shot[@]}" "${traces[@]}" || fail=1
echo "check-web: ${#traces[@]} traces; $([ $fail = 0 ] && echo 'all passed' || echo 'FAILED')"
exit $fail
