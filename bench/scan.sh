#!/bin/sh
# Throughput of tyst-scan with the default rules on a generated corpus of
# about 100 MB (TYST_BENCH_MB to change), next to `wc -w` on the same file.
# The corpus is the transcripts of corpus-samples/ repeated, with the
# interview numbers varied so no two copies are the same bytes.
# Target: tyst-scan at least a third of wc -w.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
scan=${TYST_BIN:-$here/bin}/tyst-scan
mb=${TYST_BENCH_MB:-100}
[ -x "$scan" ] || { echo "scan: build first (make)"; exit 1; }
ls "$here"/corpus-samples/intervju*.txt >/dev/null 2>&1 ||
	{ echo "scan: no corpus-samples/; skipped"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tyst-scan-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cat "$here"/corpus-samples/intervju*.txt >"$tmp/one.txt"
one=$(wc -c <"$tmp/one.txt")
n=$(( mb * 1024 * 1024 / one + 1 ))
i=0
while [ $i -lt "$n" ]; do
	echo "Intervju nr $i"
	cat "$tmp/one.txt"
	i=$((i + 1))
done >"$tmp/big.txt"
size=$(wc -c <"$tmp/big.txt")

now() { date +%s.%N; }
# Warm the page cache so both read from memory.
cat "$tmp/big.txt" >/dev/null

t0=$(now); wc -w "$tmp/big.txt" >/dev/null; t1=$(now)
rc=0
"$scan" "$tmp/big.txt" >/dev/null || rc=$?
t2=$(now)
[ "$rc" -le 1 ] || { echo "scan: tyst-scan failed ($rc)"; exit 1; }

awk -v size="$size" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	wc = size / 1048576 / (b - a); ts = size / 1048576 / (c - b);
	printf "corpus %.1f MB\n", size / 1048576;
	printf "wc -w      %8.1f MB/s\n", wc;
	printf "tyst-scan  %8.1f MB/s\n", ts;
	printf "ratio      %8.2f (target >= 0.33)\n", ts / wc;
}'
