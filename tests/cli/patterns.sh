# The patterns of rules/sv/patterns.yaml against their example data
# (tests/data/patterns), through scripts/check-patterns.sh and pcre2grep;
# then the checker itself is shown to catch a pattern that finds too much,
# one that finds too little, a regex that does not compile and a malformed
# example.
. "$TYST_SRCDIR/tests/cli/lib.sh"

checker=$TYST_SRCDIR/scripts/check-patterns.sh
rules=$TYST_SRCDIR/rules/sv/patterns.yaml
data=$TYST_SRCDIR/tests/data/patterns

if ! command -v pcre2grep >/dev/null 2>&1; then
	not_ok "pcre2grep is installed (Debian package pcre2-utils; scripts/configure.sh installs it)"
	exit 0
fi

sh "$checker" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0 "every pattern proved on its examples and silent on negative.txt"
if [ "$rc" -ne 0 ]; then
	grep -v '^  ' "$T/out" | sed 's/^/    /' | head -20
	sed 's/^/    stderr: /' "$T/err" | head -5
fi
expect_out '^patterns: [0-9]+ passed, 0 failed$' "checker closing line"

# One check per category: its lines all pass, there are at least 15 of
# them, and the category has patterns in the rule file.
for cat in PHONE EMAIL ADDRESS POSTCODE PLATE DATE URL IP ORGNR; do
	line=$(grep -E "^  $cat: " "$T/out")
	n=$(printf '%s\n' "$line" | sed -n 's/^  [A-Z]*: \([0-9]*\) of \([0-9]*\) lines ok.*/\1 \2/p')
	set -- $n
	if [ $# -eq 2 ] && [ "$1" -eq "$2" ] && [ "$2" -ge 15 ]; then
		ok "$cat: $1 of $2 examples found exactly"
	else
		not_ok "$cat: ${line:-no line in the checker output} (want all, and at least 15)"
	fi
done
n=$(grep -c . "$data/negative.txt")
check '[ "$n" -ge 60 ]' "negative.txt has at least 60 lines ($n)"
expect_out '^  negative: ([0-9]+) of \1 lines ok$' "nothing found in negative.txt"

# A pattern that finds every number must be caught on the negative lines.
awk '{ print } /^  IP:$/ { cat = 1 } cat && /^    patterns:$/ { cat = 0; print "      - name: any-number"; print "        regex: '\''[0-9]+'\''"; print "        confidence: candidate" }' \
    "$rules" >"$T/greedy.yaml"
sh "$checker" -r "$T/greedy.yaml" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1 "checker fails a pattern that finds too much"
expect_out 'negative\.txt:[0-9]+: must find nothing: IP/any-number finds' "and names the negative line"

# A pattern narrowed so it misses examples: box numbers of one digit only.
sed 's/(?:Box|BOX)\\h+\[1-9\]\[0-9\]{0,5}/(?:Box|BOX)\\h+[1-9]/' "$rules" >"$T/narrow.yaml"
check '! cmp -s "$rules" "$T/narrow.yaml"' "narrowed copy of the rule file differs"
sh "$checker" -r "$T/narrow.yaml" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1 "checker fails a pattern that finds too little"
expect_out 'no ADDRESS pattern finds exactly "Box 123"' "and names the example it missed"
expect_out 'ADDRESS/box is proved by no positive line' "and the pattern no example proves"

# A regex that does not compile is named by file and line.
sed 's/^\(        regex: .\)(?<!\[\\p{L}\\p{N}\])(?:Box/\1(?:Box(/' "$rules" >"$T/broken.yaml"
sh "$checker" -r "$T/broken.yaml" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1 "checker fails a regex that does not compile"
expect_out 'broken\.yaml:[0-9]+: ADDRESS/box: pcre2grep failed: offset [0-9]+' "and says where"

# A file that is not YAML is refused.
sed 's/^    patterns:$/      patterns:/' "$rules" >"$T/indent.yaml"
sh "$checker" -r "$T/indent.yaml" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 2 "checker refuses a rule file that is not YAML"
expect_err 'indent\.yaml' "and names it"

# A regex that is not one single-quoted line is refused, not skipped.
sed 's/^\(        regex: \)'\''\(.*Box.*\)'\''$/\1"\2"/' "$rules" >"$T/dq.yaml"
sh "$checker" -r "$T/dq.yaml" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 2 "checker refuses a regex it cannot read"
expect_err 'dq\.yaml:[0-9]+: cannot read this line' "and names the line"

# Examples with a wrong mark fail; one without a mark is malformed.
mkdir -p "$T/data/positive"
cp "$data/negative.txt" "$T/data/"
cp "$data/positive/"*.txt "$T/data/positive/"
sed '1s/⟦070-123 45 67⟧/⟦070-123 45⟧ 67/' "$data/positive/PHONE.txt" >"$T/data/positive/PHONE.txt"
printf 'Ingen markering alls på den här raden.\n' >>"$T/data/positive/EMAIL.txt"
sh "$checker" -d "$T/data" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1 "checker fails wrongly marked examples"
expect_out 'PHONE\.txt:1: no PHONE pattern finds exactly "070-123 45"' "a mark that is too short"
expect_out 'EMAIL\.txt:[0-9]+: not exactly one' "a line without a mark"

# A pattern that rescans the rest of the line from every word start is
# caught on the long pathological lines (a match limit, not a timer).
awk '{ print } /^  ADDRESS:$/ { cat = 1 } cat && /^    patterns:$/ { cat = 0; print "      - name: rescanning"; print "        regex: '\''(?<![\\p{L}])\\p{L}[\\p{L}\\-]*(?:gatan|väg)\\h+[0-9]+'\''"; print "        confidence: candidate" }' \
    "$rules" >"$T/slow.yaml"
sh "$checker" -r "$T/slow.yaml" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1 "checker fails a pattern that backtracks over long lines"
expect_out 'slow\.yaml:[0-9]+: ADDRESS/rescanning: fails on a long line' "and names it"

# The same examples through the detector, once tyst-scan is built: each
# marked identifier is one finding of its category with exactly its bytes,
# no other finding overlaps it, and negative.txt yields none of these
# categories.
if [ ! -x "$TYST_BIN/tyst-scan" ]; then
	echo "# tyst-scan not built: detector pass over the examples skipped"
	exit 0
fi
cats='PHONE EMAIL ADDRESS POSTCODE PLATE DATE URL IP ORGNR'
for f in "$data"/positive/*.txt; do
	cat=$(basename "$f" .txt)
	sed 's/⟦//; s/⟧//' "$f" >"$T/$cat.txt"
	run tyst-scan -f jsonl "$T/$cat.txt"
	perl -e '
		my ($marked, $found, $cat) = @ARGV;
		my ($O, $C) = ("\xe2\x9f\xa6", "\xe2\x9f\xa7");
		open(my $fh, "<", $found) or die "$found: $!";
		my @f;
		while (<$fh>) {
			my ($s) = /"start":(\d+)/; my ($e) = /"end":(\d+)/;
			my ($c) = /"category":"([^"]*)"/;
			push @f, [$s, $e, $c] if defined $s && defined $e && defined $c;
		}
		open($fh, "<", $marked) or die "$marked: $!";
		my ($off, $bad, $n) = (0, 0, 0);
		while (my $l = <$fh>) {
			chomp $l;
			my $s = $off + index($l, $O);
			my $e = $off + index($l, $C) - length $O;
			$off += length($l) - 2 * length($O) + 1;
			$n++;
			my $exact = grep { $_->[2] eq $cat && $_->[0] == $s && $_->[1] == $e } @f;
			my @over = grep { $_->[0] < $e && $_->[1] > $s &&
			    !($_->[2] eq $cat && $_->[0] == $s && $_->[1] == $e) } @f;
			next if $exact && !@over;
			$bad++;
			print "    $marked:$.: ", ($exact ? "" : "no exact $cat finding; "),
			    join(" ", map { "$_->[2] at $_->[0]-$_->[1]" } @over), "\n";
		}
		print $bad ? "not ok - tyst-scan: $bad of $n $cat examples not found exactly\n"
		    : "ok - tyst-scan finds all $n $cat examples exactly\n";
	' "$f" "$T/out" "$cat"
done
run tyst-scan -f jsonl "$data/negative.txt"
expect_rc 1 "tyst-scan runs over negative.txt (it finds names there)"
re=$(printf '"category":"(%s)"' "$(echo $cats | tr ' ' '|')")
expect_no_out "$re" "tyst-scan finds no structured identifier in negative.txt"
