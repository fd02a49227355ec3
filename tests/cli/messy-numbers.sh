# Numbers as transcripts really hold them (corpus-samples/messy/numbers-*):
# personnummer grouped and read aloud, telephone numbers, spoken e-mail and
# dates, lower-case plates, whole addresses.  Each is found whole, replaced
# by tyst-pseudo, and nothing of it survives: not its text, not its digits,
# and a scan of the output finds no structured identifier again.
. "$TYST_SRCDIR/tests/cli/lib.sh"

M="$TYST_SRCDIR/corpus-samples/messy"
export TYST_TODAY=2026-11-25

# Recall on the development set: every gold span covered whole.
TYST_BIN=$TYST_BIN sh "$TYST_SRCDIR/bench/messy.sh" 'numbers-*' >"$T/recall" 2>&1
check '[ $? -eq 0 ]' "no personnummer or telephone number missed"
check 'grep -q "^messy: recall 1.000" "$T/recall"' "every numbers-* gold span found whole: $(tail -1 "$T/recall")"

# The whole identifier, never a part.
printf 'nr 93 08 30 98 98 och 8609 20-98 49.\n' >"$T/whole.txt"
run tyst-scan --show -f jsonl "$T/whole.txt"
expect_out '"text":"93 08 30 98 98"' "grouped personnummer found whole"
expect_out '"text":"8609 20-98 49"' "split inside the date, found whole"
expect_no_out '"text":"08 30 98 98"' "not its tail as a telephone number"

# tyst-pnr finds the same forms (and masks the spoken last four too).
run tyst-pnr "$M/numbers-01.txt" "$M/numbers-02.txt"
expect_rc 1 "tyst-pnr finds them"
n=$(grep -c . "$T/out")
g=$(grep -cE '^numbers-0[12]\.txt.*	PNR	' "$M/gold.tsv")
check '[ "$n" -eq "$g" ]' "tyst-pnr finds every personnummer of the gold ($n of $g)"
expect_out ':10:17: personnummer 93 08 30 \*\*\*\* valid' "grouped, masked"
expect_out 'personnummer 93 08 30 \*\*\*\* invalid' "a wrong check digit in a spaced form: reported invalid"
expect_out 'personnummer åttiofem noll tre tolv, \*\*\*\* valid' "spoken, the last four masked"
expect_no_out 'nittioåtta sjuttionio|98 79' "the last four never shown"
run tyst-scan "$M/numbers-02.txt"
expect_no_out 'nittioåtta sjuttionio' "tyst-scan masks the spoken last four as well"

# Never findings: diary numbers, short numbers, sums, times, counts, years.
run tyst-scan -f jsonl "$M/numbers-04.txt"
expect_no_out '"category":"(PNR|PHONE|DATE|PLATE|ADDRESS|POSTCODE|ORGNR)"' "no structured finding in numbers-04 (hard negatives)"
cat >"$T/neg.txt" <<'TXT'
hon var tjugotvå år och hade fem barn, tre hundar och tjugo höns
vi kom dit nittonhundranittiofem och stannade tolv år till tvåtusensju
det var tio elva tolv tretton fjorton personer, sen femtio sextio
tjugotjugo, tjugotjugoett och tjugotjugotvå var tuffa år
noll komma fem procent, noll noll sju är en film
Dnr 2023-00347-01, SN 2023/0412, 1177, 112, 113 13, 114 14
det kostade 1 200 000 kr, 450 000 300 000 i två omgångar, kl. 14.30
åren 2019-2021 och 2019 2020 2021 2022, poängen 10 12 14 16 18
och 300 personer, med 200, typ 150, riksväg 90 och genväg 3, rad 100, kap 112
andra mars var det möte och tredje mars också
TXT
run tyst-scan -f jsonl "$T/neg.txt"
expect_no_out '"category":"(PNR|PHONE|DATE|PLATE|ADDRESS|POSTCODE|ORGNR)"' "hard negatives: no structured finding"
run tyst-pnr "$T/neg.txt"
expect_rc 0 "hard negatives: no personnummer for tyst-pnr"

# Pseudonymise each file; nothing of an original survives.
mkdir "$T/p" "$T/secret"
chmod 700 "$T/secret"
run tyst-pseudo -k "$T/secret/k.key" -o "$T/p" "$M"/numbers-0[123].txt
expect_rc 0 "tyst-pseudo over numbers-01..03"
grep -E '^numbers-0[123]\.txt	' "$M/gold.tsv" | cut -f1,5 >"$T/gold"
left=
while IFS='	' read -r f text; do
	grep -qF -- "$text" "$T/p/$f" && left="$left [$text]"
	digits=$(printf '%s' "$text" | tr -cd 0-9)
	if [ ${#digits} -ge 6 ] &&
	    tr -cd '0-9\n' <"$T/p/$f" | grep -qF -- "$digits"; then
		left="$left [$digits]"
	fi
done <"$T/gold"
check '[ -z "$left" ]' "no gold text, and no run of its digits, left in the outputs$left"
run tyst-scan -f jsonl "$T"/p/numbers-0*.txt
expect_no_out '"category":"(PNR|PHONE|EMAIL|DATE|PLATE|ADDRESS)"' "the gate's scan of the outputs finds none again"
run tyst-pnr "$T"/p/numbers-0*.txt
expect_rc 0 "tyst-pnr finds none in the outputs"

# Reversal gives the very bytes back.
for f in numbers-01.txt numbers-02.txt numbers-03.txt; do
	"$TYST_BIN/tyst-pseudo" -k "$T/secret/k.key" --reverse "$T/p/$f" >"$T/back" 2>"$T/err"
	check 'cmp -s "$T/back" "$M/$f"' "reversed $f is the original"
done
