#!/bin/sh
# bench/pnr.sh — tyst-pnr against grep -P -c with an equivalent pattern on
# a generated ~100 MB transcript corpus.  Prints both times and the ratio;
# tyst-pnr should not be slower than grep.  BENCH_MB sets the size.
set -eu
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
mb=${BENCH_MB:-100}
mkdir -p build/bench
corpus=build/bench/corpus-${mb}mb.txt
sh bench/gen-corpus.sh "$corpus" "$mb"

# Every written form with the same boundaries tyst-pnr uses.  grep cannot
# check dates or check digits, so it does strictly less work.
pat='(?<![\w])(?<![\d][-+/.,:])(?:(?:18|19|20)?\d{6}(?:[-+ ]|\x{2013}|\x{00a0})\d{4}|(?:18|19|20)?\d{10})(?![\w])(?![-+/.,:]\d)'

now() { date +%s.%N; }
# Best of three runs each: the machine may be busy with other work.  The
# output goes to a file: GNU grep stops at the first match when it sees
# /dev/null.
best() {
	b=""
	for _ in 1 2 3; do
		t0=$(now); "$@" >build/bench/out || true; t1=$(now)
		b=$(awk -v a="$t0" -v c="$t1" -v b="$b" 'BEGIN { t = c - a; if (b == "" || t < b) b = t; print b }')
	done
	echo "$b"
}
n1=$(bin/tyst-pnr -c "$corpus" || true)
n2=$(grep -P -c "$pat" "$corpus" || true)
tp=$(best bin/tyst-pnr -c "$corpus")
tg=$(best grep -P -c "$pat" "$corpus")
awk -v tp="$tp" -v tg="$tg" -v n1="$n1" -v n2="$n2" -v mb="$mb" 'BEGIN {
	printf "corpus: %d MB (best of 3 runs)\n", mb;
	printf "tyst-pnr -c: %.3f s (%.0f MB/s), %s numbers (dates and check digits verified)\n", tp, mb / tp, n1;
	printf "grep -P -c : %.3f s (%.0f MB/s), %s matching lines (no date or check digit test)\n", tg, mb / tg, n2;
	printf "ratio tyst-pnr/grep speed: %.2f (>= 1 means not slower)\n", tg / tp;
}'
