#!/usr/bin/env bash
# Redraw the classroom screenshots in docs/ (issue 18): the HTML page of
# the loss, simultaneous-close and refused captures, in English and
# Chinese, each at a step that shows the panel and the state diagram
# (headless Chromium, 1400×900 CSS pixels at 1.25; fonts-noto-cjk for the
# Chinese glyphs). Uses scripts/check-ladder.mjs's --shots; installs
# nothing ($CHROMIUM, else /usr/bin/chromium).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tcpnote-shots.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
go build -o "$WORK/tcpnote" ./cmd/tcpnote
c=testdata/captures
shots=""
for lang in en zh; do
    shots+="classroom-loss.$lang=$c/loss-sack/nn+S.txt#c1-p47@$lang,"
    shots+="classroom-simultaneous-close.$lang=$c/simultaneous-close/nn+S.txt#c1-p7@$lang,"
    shots+="classroom-refused.$lang=$c/refused/nn+S.txt#c1-p2@$lang,"
done
node scripts/check-ladder.mjs --chromium "$CHROMIUM" --tcpnote "$WORK/tcpnote" --work "$WORK/w" \
    --shots docs --shot "${shots%,}"
