#!/usr/bin/env bash
# Makes wrap.pcap: a connection whose sequence numbers wrap past 2^32 in
# mid-transfer. Linux picks ISNs at random, so a real connection with an
# ISN this close to 2^32 cannot be asked for; scripts/genpcap writes one
# (2% of its connections start within 5000 of 2^32), on 127.0.0.0/8, and
# tcpdump renders it. Run from the repository root.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./scripts/genpcap -loopback -packets 20000 -o "$tmp/all.pcap"
# the first connection whose data range wraps and that closes with FINs
(TZ=UTC tcpdump -nn -S -r "$tmp/all.pcap" 2>/dev/null || true) | awk '
	/Flags/ { for (i = 1; i <= NF; i++) if ($i == "seq") { split($(i+1), a, /[:,]/); if (a[2] != "" && a[2] + 0 < a[1] + 0) { sub(/:$/, "", $5); print $3, $5 } } }' >"$tmp/wrapping"
while read -r a b; do
	filter="host ${a%.*} and port ${a##*.} and host ${b%.*} and port ${b##*.}"
	tcpdump -r "$tmp/all.pcap" -w testdata/wrap/wrap.pcap "$filter" 2>/dev/null
	if TZ=UTC tcpdump -nn -r testdata/wrap/wrap.pcap 2>/dev/null | grep -q 'Flags \[F'; then
		break
	fi
done <"$tmp/wrapping"
for f in "-nn -S:nn+S" "-nn:nn" "-nn -S -v:nn+S+v"; do
	TZ=UTC tcpdump ${f%%:*} -r testdata/wrap/wrap.pcap 2>/dev/null > "testdata/wrap/${f##*:}.txt"
done
wc -l testdata/wrap/*.txt
