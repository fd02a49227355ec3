#!/bin/sh
# Coding at scale: import 1,000 transcripts, add 100,000 segments, export
# them all.  Targets: import < 10 s, export < 1 s.  Prints the times.
#
# The transcripts are synthetic and hold no names, so the identifier scan
# runs in full on each (nothing short-cuts the gate).
set -eu
cd "$(dirname "$0")/.."
bin=${TYST_BIN:-$PWD/bin}
ndocs=${NDOCS:-1000}
nseg=${NSEG:-100000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tyst-bench.XXXXXX")
if [ -n "${KEEP:-}" ]; then echo "kept: $dir" >&2; else trap 'rm -rf "$dir"' EXIT INT TERM; fi

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

mkdir "$dir/docs"
# 1,000 transcripts of 60 turns each (about 5 kB).
awk -v n="$ndocs" -v d="$dir/docs" 'BEGIN {
	for (i = 1; i <= n; i++) {
		f = sprintf("%s/intervju%04d.txt", d, i)
		print "Intervju " i > f
		for (t = 1; t <= 30; t++) {
			print "I: Hur gick det med jobbet den veckan, och vad hände sen?" > f
			print "IP: Det gick bra. Jag började tidigt varje dag och fick mer ansvar. Sen pratade vi om lönen och om hur många timmar jag ska jobba i vår." > f
		}
		close(f)
	}
}'
# 100 segments per document, one line each, spread over codes and coders.
awk -v n="$ndocs" -v s="$nseg" 'BEGIN {
	split("vanligt-arbete nollexkludering egna-preferenser bidragsradgivning integrerat-team snabbt-jobbsokande arbetsgivarkontakter tidsobegransat-stod", c, " ")
	per = int(s / n)
	for (i = 1; i <= n; i++)
		for (k = 0; k < per; k++)
			printf "intervju%04d\t%s\t%s\t%d-%d\n", i, c[k % 8 + 1], (k % 2 ? "anna" : "erik"), (k % 60) + 2, (k % 60) + 2
}' >"$dir/batch.tsv"

"$bin/tyst-code" init "$dir/p.db" --codebook codebooks/ips-principer.yaml 2>/dev/null

t0=$(now)
"$bin/tyst-code" import "$dir/p.db" "$dir"/docs/*.txt 2>/dev/null
t1=$(now)
"$bin/tyst-code" add "$dir/p.db" --batch "$dir/batch.tsv" >/dev/null 2>&1
t2=$(now)
# The coders' names are fields the export gate reads; they are allowed
# once, as a team does (remembered in the project).
"$bin/tyst-excerpt" "$dir/p.db" --allow anna --allow erik --format jsonl -o "$dir/all.jsonl"
t3=$(now)
"$bin/tyst-excerpt" "$dir/p.db" --format md -o "$dir/all.md"
t4=$(now)

n=$(wc -l <"$dir/all.jsonl" | tr -d ' ')
printf 'import %d transcripts:   %6.2f s  (target < 10 s)\n' "$ndocs" "$(elapsed "$t0" "$t1")"
printf 'add %d segments:     %6.2f s\n' "$nseg" "$(elapsed "$t1" "$t2")"
printf 'export %d excerpts jsonl: %5.2f s  (target < 1 s)\n' "$n" "$(elapsed "$t2" "$t3")"
printf 'export %d excerpts md:    %5.2f s\n' "$n" "$(elapsed "$t3" "$t4")"
printf 'project size: %s\n' "$(du -h "$dir/p.db" | cut -f1)"
