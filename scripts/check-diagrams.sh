#!/usr/bin/env bash
# Check that every Mermaid diagram tcpnote writes passes Mermaid's own parser.
#
#   scripts/check-diagrams.sh            seeds, captures, golden files
#   scripts/check-diagrams.sh --corpus   also every other render of the captures
#                                        and the whole tcpdump corpus
#                                        (testdata/corpus/rendered, tcpdump-tests)
#   scripts/check-diagrams.sh FILE...    only these traces
#
# It builds tcpnote, renders each trace with --format mermaid in English and
# in Chinese, and runs scripts/mermaid-check/check.mjs over the results
# together with the committed golden diagrams (testdata/golden/formats/*.mmd).
# The traces: testdata/corpus/seeds/*.txt and, per capture under
# testdata/captures/, the nn+S.txt, nn.txt and default.txt renders that
# exist. Needs go, node (>= 20.19) and npm; it runs `npm ci` in
# scripts/mermaid-check (mermaid and jsdom, pinned by package-lock.json), and
# fetches nothing else. Exit status: 0 when every diagram parses.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CHECK=$ROOT/scripts/mermaid-check
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tcpnote-diagrams.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

corpus=0
traces=()
for a in "$@"; do
    case $a in
    --corpus) corpus=1 ;;
    -h | --help)
        sed -n '2,17s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
    -*)
        echo "check-diagrams.sh: unknown option $a" >&2
        exit 2
        ;;
    *) traces+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")") ;;
    esac
done

cd "$ROOT"
go build -o "$WORK/tcpnote" ./cmd/tcpnote

if [ ! -f "$CHECK/node_modules/.package-lock.json" ] ||
    ! cmp -s "$CHECK/package-lock.json" "$CHECK/node_modules/.tcpnote-lock"; then
    (cd "$CHECK" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$CHECK/package-lock.json" "$CHECK/node_modules/.tcpnote-lock"
fi

if [ ${#traces[@]} -eq 0 ]; then
    shopt -s nullglob
    traces=(testdata/corpus/seeds/*.txt)
    for dir in testdata/captures/*/; do
        for r in nn+S nn default; do
            [ -f "$dir$r.txt" ] && traces+=("$dir$r.txt")
        done
    done
    if [ $corpus = 1 ]; then
        for f in testdata/captures/*/*.txt; do
            case ${f##*/} in nn+S.txt | nn.txt | default.txt) ;; *) traces+=("$f") ;; esac
        done
        traces+=(testdata/corpus/rendered/*.txt testdata/corpus/tcpdump-tests/*.out)
    fi
fi

mkdir -p "$WORK/out"
n=0
for t in "${traces[@]}"; do
    name=${t#"$ROOT"/}
    name=${name//\//__}
    for lang in en zh ja; do
        "$WORK/tcpnote" --format mermaid --lang "$lang" "$t" >"$WORK/out/$name.$lang.mmd"
    done
    n=$((n + 1))
done

files=("$WORK"/out/*.mmd)
shopt -s nullglob
golden=(testdata/golden/formats/*.mmd testdata/golden/formats/*.md)
empty=0
for f in "${files[@]}"; do [ -s "$f" ] || empty=$((empty + 1)); done

echo "check-diagrams: $n traces × 2 languages = ${#files[@]} renders ($empty without a TCP connection), ${#golden[@]} golden files"
set +e
node "$CHECK/check.mjs" -q "${files[@]}" "${golden[@]}" 2>&1 | sed "s|$WORK/out/||g"
exit "${PIPESTATUS[0]}"
