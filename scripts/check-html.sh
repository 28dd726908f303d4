#!/usr/bin/env bash
# Check tcpnote's HTML pages in a real browser (headless Chromium).
#
#   scripts/check-html.sh              a few traces (seeds, some captures,
#                                      a generated 2,000-packet connection)
#   scripts/check-html.sh FILE...      these traces
#
# Per trace and language (en, zh) it renders --format html and loads the
# page in Chromium three ways: --dump-dom (after the page's script ran) to
# count the `.arrow` elements, which must equal the number of TCP packets
# tcpnote reports in --format json; a wrapper page that hovers the first
# arrow and checks that it and its table row light up, and checks the
# marks (issue 18): every arrow drawn lost (data-lost) has its × and no
# arrowhead, and its retransmission (data-resent) points back to it
# (data-orig) with a connector; crossing arrows (data-crosses) come in
# pairs whose y-ranges overlap; the loss captures (loss-sack, rto-backoff,
# syn-retry-*) have lost arrows linked to their retransmissions and the
# simultaneous-close/open captures crossing pairs; and a screenshot
# (kept in $HTML_OUT, default a temporary directory). Any console message
# (a script error, a blocked fetch) fails the check, and so does a page
# that names a URL to fetch.
#
# LADDER_PNG=docs/ladder.png scripts/check-html.sh also draws the README's
# picture: the ladder of testdata/captures/four-way-close/nn+S.txt alone,
# at 1.5 device pixels per CSS pixel.
#
# It installs nothing: it uses $CHROMIUM, else /usr/bin/chromium (CI gets it
# from `apt-get install -y chromium`); without a browser it says so and
# exits 0. Chromium runs with --no-sandbox (we are root here) and a fresh
# profile, without network features. Exit status: 0 when all checks pass.
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
[ -z "${LADDER_PNG:-}" ] || LADDER_PNG=$(abs "$LADDER_PNG")
[ -z "${HTML_OUT:-}" ] || HTML_OUT=$(abs "$HTML_OUT")
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
    echo "check-html: SKIP: no Chromium at $CHROMIUM (apt-get install -y chromium)"
    exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tcpnote-html.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT=${HTML_OUT:-$WORK/shots}
mkdir -p "$OUT"

cd "$ROOT"
go build -o "$WORK/tcpnote" ./cmd/tcpnote || exit 1

# big writes a 2,000-packet connection in tcpdump -S -nn form: handshake,
# 997 data segments each ACKed, the close.
big() {
    awk 'BEGIN {
        c = "10.0.0.1.40000"; s = "10.0.0.2.80"; t = 0
        cs = 1000; ss = 5000
        line(c, s, "S", "seq " cs ", win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0")
        line(s, c, "S.", "seq " ss ", ack " cs+1 ", win 65160, options [mss 1460,sackOK,TS val 1 ecr 1,nop,wscale 7], length 0")
        cs++; ss++
        line(c, s, ".", "ack " ss ", win 502, length 0")
        for (i = 0; i < 997; i++) {
            line(c, s, "P.", "seq " cs ":" cs+100 ", ack " ss ", win 502, length 100"); cs += 100
            line(s, c, ".", "ack " cs ", win 509, length 0")
        }
        line(c, s, "F.", "seq " cs ", ack " ss ", win 502, length 0")
        line(s, c, "F.", "seq " ss ", ack " cs+1 ", win 509, length 0")
        line(c, s, ".", "ack " ss+1 ", win 502, length 0")
    }
    function line(a, b, f, rest) {
        t += 0.000137
        printf "%02d:%02d:%09.6f IP %s > %s: Flags [%s], %s\n", 10, 0, t, a, b, f, rest
    }'
}

traces=()
if [ ${#args[@]} -gt 0 ]; then
    traces=("${args[@]}")
else
    shopt -s nullglob
    traces=(testdata/corpus/seeds/*.txt)
    for c in three-way-close four-way-close refused loss-sack rto-backoff syn-retry-exponential simultaneous-close simultaneous-open interleaved-200; do
        for r in nn+S nn default; do
            if [ -f "testdata/captures/$c/$r.txt" ]; then
                traces+=("testdata/captures/$c/$r.txt")
                break
            fi
        done
    done
    big >"$WORK/big-2000.txt"
    traces+=("$WORK/big-2000.txt")
fi

chrome() {
    # A fresh profile each time, nothing that talks to the network.
    local prof
    prof=$(mktemp -d "$WORK/profile.XXXXXX")
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --disable-default-apps --mute-audio --hide-scrollbars \
        --user-data-dir="$prof" --enable-logging=stderr --v=0 "$@"
    local rc=$?
    rm -rf "$prof"
    return $rc
}

fail=0
pages=0
arrows_total=0
marks_total=0
for t in "${traces[@]}"; do
    name=$(basename "$t" .txt)
    [ "$name" = nn+S ] || [ "$name" = nn ] || [ "$name" = default ] && name=$(basename "$(dirname "$t")")-$name
    for lang in en zh ja; do
        page=$WORK/$name.$lang.html
        "$WORK/tcpnote" --format html --lang "$lang" "$t" >"$page" || { echo "FAIL $name/$lang: tcpnote exited $?"; fail=1; continue; }
        want=$("$WORK/tcpnote" --format json "$t" | grep -c '"kind":"tcp"')
        pages=$((pages + 1))

        ok=1
        if grep -Eq '[[:space:]]src=|href="[a-zA-Z][a-zA-Z0-9+.-]*:|url\(|@import' "$page" ||
            grep -Eo 'https?://[^" <]+' "$page" | grep -vqx 'http://www.w3.org/2000/svg'; then
            echo "FAIL $name/$lang: the page names something to fetch"
            ok=0
        fi

        chrome --dump-dom "file://$page" >"$WORK/dom.html" 2>"$WORK/dom.log"
        got=$(grep -o '<g class="arrow[ "]' "$WORK/dom.html" | wc -l)
        if [ "$got" != "$want" ]; then
            echo "FAIL $name/$lang: $got .arrow elements in the DOM, $want packets"
            ok=0
        fi
        if grep -q ':CONSOLE' "$WORK/dom.log"; then
            echo "FAIL $name/$lang: console messages:"
            grep ':CONSOLE' "$WORK/dom.log" | sed 's/^/    /'
            ok=0
        fi

        # Hover the first arrow from a wrapper page; the page's own script
        # must light up the arrow and its table row.
        if [ "$want" -gt 0 ]; then
            cat >"$WORK/hover.html" <<EOF
<!DOCTYPE html><html><body><iframe id="f" width="1200" height="800" src="$(basename "$page")"></iframe><pre id="out">no load</pre><pre id="marks">none</pre>
<script>
document.getElementById('f').addEventListener('load', function () {
  var out = document.getElementById('out');
  try {
    var d = this.contentDocument, a = d.querySelector('g.arrow[data-n]');
    a.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    var tr = a.closest('section.conn').querySelector('tr[data-n="' + a.getAttribute('data-n') + '"]');
    out.textContent = 'linked=' + !!(tr && tr.classList.contains('hi') && a.classList.contains('hi'));
    // The marks (issue 18): every lost arrow has its × and links back
    // from its retransmission; crossing arrows' y-ranges overlap (each
    // leaves before the other arrives).
    var lost = 0, linked = 0, cross = 0, overlap = 0, bad = [];
    d.querySelectorAll('section.conn').forEach(function (sec) {
      function arrow(n) { return sec.querySelector('g.arrow[data-n="' + n + '"]'); }
      function span(g) {
        var l = g.querySelector('line');
        var p = g.querySelector('polygon'), y2 = +l.getAttribute('y2');
        if (p) y2 = +p.getAttribute('points').split(' ')[0].split(',')[1];
        return [+l.getAttribute('y1'), y2];
      }
      sec.querySelectorAll('g.arrow[data-lost]').forEach(function (g) {
        lost++;
        if (!g.querySelector('path.x') || g.querySelector('polygon')) bad.push(g.getAttribute('data-n') + ':no-x');
        var r = g.getAttribute('data-resent');
        if (r) {
          var o = arrow(r);
          if (o && o.getAttribute('data-orig') === g.getAttribute('data-n') &&
              sec.querySelector('path.link[data-a="' + g.getAttribute('data-n') + '"][data-b="' + r + '"]')) linked++;
          else bad.push(g.getAttribute('data-n') + ':no-link');
        }
      });
      sec.querySelectorAll('g.arrow[data-crosses]').forEach(function (g) {
        var o = arrow(g.getAttribute('data-crosses'));
        if (!o || o.getAttribute('data-crosses') !== g.getAttribute('data-n')) { bad.push(g.getAttribute('data-n') + ':cross-unpaired'); return; }
        cross++;
        var a = span(g), b = span(o);
        if (a[0] < b[1] && b[0] < a[1]) overlap++;
        else bad.push(g.getAttribute('data-n') + ':no-overlap');
      });
    });
    document.getElementById('marks').textContent = 'marks lost=' + lost + ' linked=' + linked + ' cross=' + cross + ' overlap=' + overlap + ' bad=' + bad.join(',');
  } catch (e) { out.textContent = 'error ' + e; }
});
</script></body></html>
EOF
            chrome --allow-file-access-from-files --dump-dom "file://$WORK/hover.html" >"$WORK/hover.out" 2>"$WORK/hover.log"
            if ! grep -q 'linked=true' "$WORK/hover.out"; then
                echo "FAIL $name/$lang: hovering an arrow did not light its row: $(grep -o '<pre id="out">[^<]*' "$WORK/hover.out")"
                grep ':CONSOLE' "$WORK/hover.log" | sed 's/^/    /'
                ok=0
            fi
            marks=$(grep -o 'marks lost=[^<]*' "$WORK/hover.out")
            read -r lost linked cross overlap bad <<<"$(echo "$marks" | sed 's/marks lost=\([0-9]*\) linked=\([0-9]*\) cross=\([0-9]*\) overlap=\([0-9]*\) bad=\(.*\)/\1 \2 \3 \4 \5/')"
            want_marks=""
            case $name in
            loss-sack-* | rto-backoff-* | syn-retry-*) want_marks=loss ;;
            simultaneous-close-* | simultaneous-open-*) want_marks=cross ;;
            esac
            if [ -z "$marks" ] || [ -n "${bad:-}" ]; then
                echo "FAIL $name/$lang: marks: ${marks:-not checked}"
                ok=0
            elif [ "$want_marks" = loss ] && { [ "$lost" -eq 0 ] || [ "$linked" -eq 0 ]; }; then
                echo "FAIL $name/$lang: a loss capture with $lost lost arrows, $linked linked to their retransmission"
                ok=0
            elif [ "$want_marks" = cross ] && { [ "$cross" -lt 2 ] || [ "$overlap" != "$cross" ]; }; then
                echo "FAIL $name/$lang: $cross crossing arrows, $overlap with overlapping y-ranges"
                ok=0
            fi
            marks_total=$((marks_total + lost))
        fi

        chrome --window-size=1280,900 --screenshot="$OUT/$name.$lang.png" "file://$page" >/dev/null 2>"$WORK/shot.log"
        if [ ! -s "$OUT/$name.$lang.png" ]; then
            echo "FAIL $name/$lang: no screenshot"
            ok=0
        fi
        if [ $ok = 1 ]; then
            echo "ok   $name/$lang: $got arrows = $want packets, hover linked, no console messages${lost:+, $lost lost ($linked linked), $cross crossing ($overlap overlapping)}"
        else
            fail=1
        fi
        arrows_total=$((arrows_total + got))
    done
done
if [ -n "${LADDER_PNG:-}" ]; then
    trace=testdata/captures/four-way-close/nn+S.txt
    "$WORK/tcpnote" --format html "$trace" >"$WORK/ladder-page.html"
    {
        echo '<!DOCTYPE html><html><head><meta charset="utf-8">'
        sed -n '/^<style>/,/^<\/style>/p' "$WORK/ladder-page.html"
        echo '<style>body { margin: 0; padding: 12px 16px; }</style></head><body>'
        sed -n '/^<svg class="ladder-svg/,/^<\/svg>/p' "$WORK/ladder-page.html"
        echo '</body></html>'
    } >"$WORK/ladder.html"
    size=$(grep -o '^<svg class="ladder-svg[^>]* width="[0-9]*" height="[0-9]*"' "$WORK/ladder.html" | head -1 |
        sed 's/.*width="\([0-9]*\)" height="\([0-9]*\)"/\1 \2/')
    read -r w h <<<"$size"
    mkdir -p "$(dirname "$LADDER_PNG")"
    chrome --force-device-scale-factor=1.5 --window-size=$((w + 32)),$((h + 24)) \
        --screenshot="$LADDER_PNG" "file://$WORK/ladder.html" >/dev/null 2>&1
    echo "check-html: drew $LADDER_PNG from $trace"
fi
echo "check-html: $pages pages, $arrows_total arrows, $marks_total lost segments checked; screenshots in $OUT"
[ -n "${HTML_OUT:-}" ] || echo "(set HTML_OUT=DIR to keep them)"
exit $fail
