#!/bin/sh
# gen-corpus.sh OUT MB — writes about MB megabytes of transcript-like text:
# the synthetic interviews of corpus-samples/ repeated, which keeps the mix
# of names, numbers and spoken Swedish that the tools really see.
set -eu
out=$1
mb=${2:-100}
src=$(dirname "$0")/../corpus-samples
[ -s "$out" ] && [ "$(($(wc -c <"$out") / 1048576))" -ge "$((mb - 1))" ] && exit 0
tmp="$out.chunk"
: >"$tmp"
# ~1 MB chunk (BOMs stripped so the chunks can be concatenated).
while [ "$(wc -c <"$tmp")" -lt 1048576 ]; do
	for f in "$src"/intervju*.txt; do
		sed '1s/^\xef\xbb\xbf//' "$f" | tr -d '\r' >>"$tmp"
	done
done
: >"$out.tmp"
i=0
while [ $i -lt "$mb" ]; do cat "$tmp"; i=$((i + 1)); done >>"$out.tmp"
mv "$out.tmp" "$out"
rm -f "$tmp"
