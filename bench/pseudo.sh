#!/bin/sh
# Throughput and memory of tyst-pseudo with the default rules on a generated
# corpus of about 100 MB (TYST_BENCH_MB to change), next to
#   - `wc -w` on the same file (target: tyst-pseudo at least a third of it),
#   - bench/pseudo-baseline.pl, the same gazetteer + regex job in Perl
#     (target: tyst-pseudo at least 5 times faster),
#   - the npm package redact-pii on 10 MB, when npm can install it
#     (skipped otherwise),
# and the peak memory (max RSS) of tyst-pseudo on 10 MB and on 100 MB, which
# should stay flat as the input grows.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
pseudo=${TYST_BIN:-$here/bin}/tyst-pseudo
mb=${TYST_BENCH_MB:-100}
[ -x "$pseudo" ] || { echo "pseudo: build first (make)"; exit 1; }
ls "$here"/corpus-samples/intervju*.txt >/dev/null 2>&1 ||
	{ echo "pseudo: no corpus-samples/; skipped"; exit 0; }
[ -x /usr/bin/time ] || { echo "pseudo: needs /usr/bin/time (apt-get install time)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tyst-pseudo-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
sh "$here/bench/gen-corpus.sh" "$tmp/big.txt" "$mb"
sh "$here/bench/gen-corpus.sh" "$tmp/small.txt" 10
size=$(wc -c <"$tmp/big.txt")
small=$(wc -c <"$tmp/small.txt")
cat "$tmp/big.txt" >/dev/null           # the page cache, for everyone

now() { date +%s.%N; }
mbs() { awk -v s="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", s / 1048576 / (b - a) }'; }
# Runs "$@" under /usr/bin/time; prints the seconds and max RSS (kB).
timed() {
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" || return 1
	cat "$tmp/time"
}

t0=$(now); wc -w "$tmp/big.txt" >/dev/null; t1=$(now)
wc_mbs=$(mbs "$size" "$t0" "$t1")

mkdir "$tmp/key" "$tmp/o1" "$tmp/o2"
timed "$pseudo" -k "$tmp/key/k1" -o "$tmp/o1" "$tmp/small.txt" >"$tmp/t1" 2>"$tmp/err" ||
	{ cat "$tmp/err"; exit 1; }
read -r secs rss_small _ <"$tmp/t1"
t0=$(now)
timed "$pseudo" -k "$tmp/key/k2" -o "$tmp/o2" "$tmp/big.txt" >"$tmp/t2" 2>"$tmp/err" ||
	{ cat "$tmp/err"; exit 1; }
t1=$(now)
read -r secs rss_big ucpu scpu <"$tmp/t2"
ps_mbs=$(mbs "$size" "$t0" "$t1")

t0=$(now)
perl "$here/bench/pseudo-baseline.pl" "$here/rules/sv" "$tmp/big.txt" >"$tmp/perl.out"
t1=$(now)
pl_mbs=$(mbs "$size" "$t0" "$t1")

printf 'corpus        %8.1f MB\n' "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')"
printf 'wc -w         %8s MB/s\n' "$wc_mbs"
printf 'tyst-pseudo   %8s MB/s   ratio to wc -w %.2f (target >= 0.33); cpu %.2f s\n' \
	"$ps_mbs" "$(awk -v a="$ps_mbs" -v b="$wc_mbs" 'BEGIN { print a / b }')" \
	"$(awk -v u="$ucpu" -v s="$scpu" 'BEGIN { print u + s }')"
printf 'perl baseline %8s MB/s   tyst-pseudo is %.1fx (target >= 5)\n' "$pl_mbs" \
	"$(awk -v a="$ps_mbs" -v b="$pl_mbs" 'BEGIN { print a / b }')"

# redact-pii (English-centred PII redaction for Node), where it installs.
npmdir=${XDG_CACHE_HOME:-$HOME/.cache}/tyst-bench/npm
if command -v node >/dev/null && command -v npm >/dev/null &&
    { [ -d "$npmdir/node_modules/redact-pii" ] ||
      npm install --prefix "$npmdir" redact-pii --no-audit --no-fund >/dev/null 2>&1; }; then
	cat >"$tmp/redact.js" <<'JS'
const { SyncRedactor } = require(process.argv[2] + '/node_modules/redact-pii');
const fs = require('fs');
const r = new SyncRedactor();
const out = fs.openSync(process.argv[4], 'w');
for (const line of fs.readFileSync(process.argv[3], 'utf8').split('\n'))
	fs.writeSync(out, r.redact(line) + '\n');
JS
	t0=$(now)
	if node "$tmp/redact.js" "$npmdir" "$tmp/small.txt" "$tmp/redact.out" 2>"$tmp/err"; then
		t1=$(now)
		rp_mbs=$(mbs "$small" "$t0" "$t1")
		printf 'redact-pii    %8s MB/s   (10 MB) tyst-pseudo is %.1fx\n' "$rp_mbs" \
			"$(awk -v a="$ps_mbs" -v b="$rp_mbs" 'BEGIN { print a / b }')"
	else
		echo "redact-pii    failed; skipped"
	fi
else
	echo "redact-pii    not installable here; skipped"
fi
printf 'max RSS       %8s kB on 10 MB, %s kB on %d MB (flat: %s)\n' "$rss_small" \
	"$rss_big" "$mb" "$(awk -v a="$rss_small" -v b="$rss_big" 'BEGIN { print (b < 1.5 * a + 8192) ? "yes" : "no" }')"
