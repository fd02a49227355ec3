# The whole flow over every transcript of corpus-samples/ with the default
# rules: pseudonymise, scan the output again (none of the originals the key
# holds is found), reverse (the very bytes of each input).
. "$TYST_SRCDIR/tests/cli/lib.sh"

S="$TYST_SRCDIR/corpus-samples"
if [ ! -e "$TYST_SRCDIR/rules/sv/first-names.tsv" ]; then
	echo "ok - # SKIP the default name lists are not installed"
	exit 0
fi
mkdir "$T/pseudo" "$T/secret"
chmod 700 "$T/secret"
K="$T/secret/ips.key"

run tyst-pseudo -k "$K" -o "$T/pseudo" "$S"/intervju*.txt
expect_rc 0 "every corpus sample"
n=$(ls "$S"/intervju*.txt | wc -l)
check '[ "$(ls "$T"/pseudo/intervju*.txt | wc -l)" -eq "$n" ]' "one output per sample ($n)"
check '[ "$(wc -l <"$T/pseudo/tyst-pseudo-manifest.jsonl")" -eq "$n" ]' "each in the manifest"

# Scan again: no finding may be an original of the key.
# (A country the level keeps, "[Eritrea]", is no original left behind.)
sqlite3 "$K" "select category || '	' || original from entries where pseudonym <> '[' || original || ']'" |
	sort -u >"$T/originals"
check '[ -s "$T/originals" ]' "the key holds the originals ($(wc -l <"$T/originals"))"
"$TYST_BIN/tyst-scan" -f jsonl "$T"/pseudo/intervju*.txt >"$T/rescan.jsonl" 2>"$T/err"
check '[ $? -le 1 ]' "tyst-scan reads every output"
perl -ne 'print "$1\t$2\n" if /"category":"([^"]*)","text":"((?:[^"\\]|\\.)*)"/' \
	"$T/rescan.jsonl" | sort -u >"$T/found"
for cat in PERSON PNR PHONE EMAIL ADDRESS PLATE POSTCODE PLACE ORG; do
	leaked=$(grep "^$cat	" "$T/found" | grep -Fxf - "$T/originals" |
		cut -f2 | head -3 | tr '\n' ' ')
	check '[ -z "$leaked" ]' "no $cat original found again $leaked"
done
# With the names the key handed out kept, the scan finds nothing at all.
run tyst-scan -r "$T/pseudo/tyst-pseudo-rules.yaml" "$T"/pseudo/intervju*.txt
expect_rc 0 "scanning again with tyst-pseudo-rules.yaml: clean"
check '! grep -q "Tindra\|Leija" "$T/pseudo/tyst-pseudo-rules.yaml"' "the rescan rules hold no original"
# Nor may a structured identifier of the inputs survive anywhere.
check '! grep -qE "[0-9]{6}[-+][0-9]{4}|@[a-z]+\.(se|com)" "$T"/pseudo/intervju*.txt' "no personnummer or e-mail address left"

ok=1
for f in "$S"/intervju*.txt; do
	b=$(basename "$f")
	"$TYST_BIN/tyst-pseudo" --reverse -k "$K" "$T/pseudo/$b" >"$T/back" 2>>"$T/err" &&
		cmp -s "$T/back" "$f" || { ok=0; echo "    $b does not round-trip"; }
done
check '[ $ok = 1 ]' "--reverse restores every sample byte for byte (CRLF and BOM ones too)"

# A second run with the same key changes nothing.
mkdir "$T/again"
"$TYST_BIN/tyst-pseudo" -k "$K" -o "$T/again" "$S"/intervju*.txt 2>>"$T/err"
same=1
for f in "$T"/pseudo/intervju*.txt; do
	cmp -s "$f" "$T/again/$(basename "$f")" || same=0
done
check '[ $same = 1 ]' "the same key gives the same outputs again"

# A large input (about 1 MB: the samples sixteen times, so detection runs
# in several blocks on two threads and the output stage hands on several
# buffers): the manifest's hash is the output's, the output is the same
# with one thread, and it reverses byte for byte.
i=0
while [ $i -lt 16 ]; do cat "$S"/intervju*.txt; i=$((i + 1)); done >"$T/big.txt"
mkdir "$T/big1" "$T/big2"
run tyst-pseudo -k "$K" -o "$T/big1" "$T/big.txt"
expect_rc 0 "a 1 MB input"
run tyst-pseudo -j 1 -k "$K" -o "$T/big2" "$T/big.txt"
expect_rc 0 "the same with one thread"
check 'cmp -s "$T/big1/big.txt" "$T/big2/big.txt"' "one thread or two: the same output"
sum=$(sha256sum "$T/big1/big.txt" | cut -d" " -f1)
check 'grep -q "\"sha256\":\"$sum\"" "$T/big1/tyst-pseudo-manifest.jsonl"' "the manifest holds the output's sha256"
"$TYST_BIN/tyst-pseudo" --reverse -k "$K" "$T/big1/big.txt" >"$T/big.back" 2>>"$T/err"
check 'cmp -s "$T/big.back" "$T/big.txt"' "--reverse restores the 1 MB input byte for byte"
run tyst-pseudo -j 0 -k "$K" -o "$T/big2" "$T/big.txt"
expect_rc 2 "--jobs 0 is refused"
expect_err "jobs" "and says why"
