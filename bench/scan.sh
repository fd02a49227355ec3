#!/bin/sh
# Throughput of tyst-scan with the default rules on a generated corpus of
# about 100 MB (TYST_BENCH_MB to change), next to `wc -w` on the same file.
# The corpus is the transcripts of corpus-samples/ repeated, with the
# interview numbers varied so no two copies are the same bytes: dense in
# identifiers and digits, the hard case.  When the seed texts are there
# (../shared/seeds/*.txt beside the repository, or $TYST_SEEDS), a second
# line measures them repeated the same way: running Swedish prose with
# fewer identifiers per line, nearer what most transcripts are.
# Target: tyst-scan at least a third of wc -w (on the first corpus).  By
# default tyst-scan uses two threads on a machine with two CPUs; the -j1
# line shows one, and each line the CPU time next to the wall time.
#
# Each line is the best of TYST_BENCH_RUNS runs (3).
#
# TYST_BASE=COMMIT (any commit of this repository) builds tyst-scan as it
# was there, in a temporary directory, and measures it with one thread on
# the same corpora right after this one ("base" lines), so a change is
# judged against its baseline on the same machine in the same run:
#   TYST_BASE=82dabb6 sh bench/scan.sh
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

# measure NAME FILE [OPTION...]: one line of MB/s for wc -w and tyst-scan,
# and their ratio; then the CPU seconds tyst-scan used (with two threads
# more than the wall time).  Each is the best of TYST_BENCH_RUNS runs (3),
# as the same command varies by a tenth from run to run on a shared
# machine.
measure() {
	name=$1
	file=$2
	shift 2
	size=$(wc -c <"$file")
	# Warm the page cache so both read from memory.
	cat "$file" >/dev/null
	best=
	r=0
	while [ $r -lt "${TYST_BENCH_RUNS:-3}" ]; do
		t0=$(now); wc -w "$file" >/dev/null; t1=$(now)
		rc=0
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%U %S' -o "$tmp/cpu" "$scan" "$@" \
			    "$file" >/dev/null || rc=$?
		else
			"$scan" "$@" "$file" >/dev/null || rc=$?
			echo "? ?" >"$tmp/cpu"
		fi
		t2=$(now)
		[ "$rc" -le 1 ] ||
		    { echo "scan: tyst-scan failed ($rc)"; exit 1; }
		read -r u s <<EOF
$(tail -n 1 "$tmp/cpu")
EOF
		best=$(awk -v best="$best" -v a="$t0" -v b="$t1" -v c="$t2" \
		    -v u="$u" -v s="$s" 'BEGIN {
			cpu = (u == "?" ? "?" : u + s);
			if (best == "") { print b - a, c - b, cpu; exit }
			split(best, m, " ");
			print (b - a < m[1] ? b - a : m[1]),
			    (c - b < m[2] ? c - b : m[2]),
			    (cpu == "?" ? "?" : (cpu < m[3] ? cpu : m[3]));
		}')
		r=$((r + 1))
	done
	awk -v name="$name" -v size="$size" -v best="$best" -v opt="$*" \
	    'BEGIN {
		split(best, m, " ");
		wc = size / 1048576 / m[1]; ts = size / 1048576 / m[2];
		printf "%-12s %6.1f MB  wc -w %7.1f MB/s  tyst-scan %-5s %6.1f MB/s" \
		    "  ratio %5.2f  (cpu %s s, wall %.2f s)\n", name,
		    size / 1048576, wc, opt, ts, ts / wc,
		    (m[3] == "?" ? "?" : sprintf("%.2f", m[3])), m[2];
	}'
}

base=
if [ -n "${TYST_BASE:-}" ]; then
	mkdir "$tmp/base"
	git -C "$here" archive "$TYST_BASE" | tar -x -C "$tmp/base"
	make -C "$tmp/base" -j2 bin/tyst-scan >"$tmp/base.log" 2>&1 ||
	    { tail -5 "$tmp/base.log"; echo "scan: $TYST_BASE: build failed"; exit 1; }
	base=$tmp/base/bin/tyst-scan
fi

# measure_base NAME FILE: the baseline with one thread, when there is one.
measure_base() {
	[ -n "$base" ] || return 0
	own=$scan
	scan=$base
	measure "$1 base" "$2" -j1
	scan=$own
}

make_corpus "$tmp/big.txt" "$here"/corpus-samples/intervju*.txt
measure samples "$tmp/big.txt"
measure samples "$tmp/big.txt" -j1
measure_base samples "$tmp/big.txt"
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
	measure seeds "$tmp/big.txt" -j1
	measure_base seeds "$tmp/big.txt"
fi
echo "target: ratio >= 0.33 on samples"
