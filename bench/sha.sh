#!/bin/sh
# bench/sha.sh — lib/sha256.c against coreutils sha256sum on a generated
# ~200 MB transcript corpus (BENCH_MB to change).  Prints MB/s of
#   - the library fed in 64 KiB pieces (the block function chosen for this
#     CPU: SHA instructions where present),
#   - the same, forced onto the portable C block function,
#   - the library fed one line at a time, as tyst-pseudo feeds it,
#   - sha256sum on the same file,
# and checks that every digest equals sha256sum's.
set -eu
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
mb=${BENCH_MB:-200}
[ -f build/rel/libtyst.a ] || { echo "sha: build first (make)"; exit 1; }
mkdir -p build/bench
corpus=build/bench/corpus-${mb}mb.txt
sh bench/gen-corpus.sh "$corpus" "$mb"
drv=build/bench/sha-drv
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Iinclude -o "$drv" \
	bench/sha-drv.c build/rel/libtyst.a
size=$(wc -c <"$corpus")
cat "$corpus" >/dev/null                # the page cache, for everyone

now() { date +%s.%N; }
# Best of three runs: the machine may be busy with other work.
best() {
	b=""
	for _ in 1 2 3; do
		t0=$(now); "$@" >build/bench/sha.out; t1=$(now)
		b=$(awk -v a="$t0" -v c="$t1" -v b="$b" 'BEGIN { t = c - a; if (b == "" || t < b) b = t; print b }')
	done
	echo "$b"
}
want=$("sha256sum" "$corpus" | cut -d' ' -f1)
row() {
	what=$1; shift
	t=$(best "$@")
	got=$(cut -d' ' -f1 build/bench/sha.out)
	[ "$got" = "$want" ] || { echo "sha: $what: digest $got, sha256sum says $want"; exit 1; }
	awk -v s="$size" -v t="$t" -v w="$what" 'BEGIN { printf "%-32s %6.3f s %7.0f MB/s\n", w, t, s / 1e6 / t }'
	echo "$t" >build/bench/sha.t
}
if grep -qw sha_ni /proc/cpuinfo 2>/dev/null; then cpu="CPU has SHA instructions"; else cpu="no SHA instructions"; fi
echo "file: $size bytes, best of 3 runs; $cpu"
row "tyst sha256 (64 KiB updates)" "$drv" "$corpus"; t_lib=$(cat build/bench/sha.t)
row "tyst sha256, portable C" "$drv" -p "$corpus"
row "tyst sha256, per-line updates" "$drv" -l "$corpus"
row "sha256sum (coreutils)" sha256sum "$corpus"; t_sum=$(cat build/bench/sha.t)
awk -v a="$t_lib" -v b="$t_sum" 'BEGIN { printf "ratio tyst/sha256sum speed: %.2f (>= 1 means not slower)\n", b / a }'
