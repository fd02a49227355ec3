#!/bin/sh
# Throughput of tyst-scan with the default rules on a generated corpus of
# about 100 MB (TYST_BENCH_MB to change), next to `wc -w` on the same file.
# The corpus is the transcripts of corpus-samples/ repeated, with the
# interview numbers varied so no two copies are the same bytes: dense in
# identifiers and digits, the hard case.  When the seed texts are there
# (../shared/seeds/*.txt beside the repository, or $TYST_SEEDS), a second
# line measures them repeated the same way: running Swedish prose with
# fewer identifiers per line, nearer what most transcripts are.
# Target: tyst-scan at least a third of wc -w (on the first corpus).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
scan=${TYST_BIN:-$here/bin}/tyst-scan
mb=${TYST_BENCH_MB:-100}
[ -x "$scan" ] || { echo "scan: build first (make)"; exit 1; }
ls "$here"/corpus-samples/intervju*.txt >/dev/null 2>&1 ||
	{ echo "scan: no corpus-samples/; skipped"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tyst-scan-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# make_corpus OUT FILE...: the files repeated to about $mb MB.
make_corpus() {
	out=$1
	shift
	cat "$@" >"$tmp/one.txt"
	one=$(wc -c <"$tmp/one.txt")
	n=$(( mb * 1024 * 1024 / one + 1 ))
	i=0
	while [ $i -lt "$n" ]; do
		echo "Intervju nr $i"
		cat "$tmp/one.txt"
		i=$((i + 1))
	done >"$out"
}

now() { date +%s.%N; }

# measure NAME FILE: one line of MB/s for wc -w and tyst-scan, and ratio.
measure() {
	size=$(wc -c <"$2")
	# Warm the page cache so both read from memory.
	cat "$2" >/dev/null
	t0=$(now); wc -w "$2" >/dev/null; t1=$(now)
	rc=0
	"$scan" "$2" >/dev/null || rc=$?
	t2=$(now)
	[ "$rc" -le 1 ] || { echo "scan: tyst-scan failed ($rc)"; exit 1; }
	awk -v name="$1" -v size="$size" -v a="$t0" -v b="$t1" -v c="$t2" \
	    'BEGIN {
		wc = size / 1048576 / (b - a); ts = size / 1048576 / (c - b);
		printf "%-9s %6.1f MB  wc -w %7.1f MB/s  tyst-scan %6.1f MB/s" \
		    "  ratio %5.2f\n", name, size / 1048576, wc, ts, ts / wc;
	}'
}

make_corpus "$tmp/big.txt" "$here"/corpus-samples/intervju*.txt
measure samples "$tmp/big.txt"
rm -f "$tmp/big.txt"

seeds=${TYST_SEEDS:-}
if [ -z "$seeds" ]; then
	common=$(git -C "$here" rev-parse --git-common-dir 2>/dev/null || true)
	for d in "$here/../shared/seeds" \
	    ${common:+"$(dirname "$common")/../shared/seeds"}; do
		[ -d "$d" ] && { seeds=$d; break; }
	done
fi
if [ -n "$seeds" ] && ls "$seeds"/*.txt >/dev/null 2>&1; then
	make_corpus "$tmp/big.txt" "$seeds"/*.txt
	measure seeds "$tmp/big.txt"
fi
echo "target: ratio >= 0.33 on samples"
