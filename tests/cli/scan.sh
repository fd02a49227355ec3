# tyst-scan end to end: output formats, exit status, the review workflow,
# bad input, and the corpus-samples gold spans.
. "$TYST_SRCDIR/tests/cli/lib.sh"

S=$TYST_SRCDIR/corpus-samples
D=$TYST_SRCDIR/tests/data/detect

printf 'Hon träffade Erik i Hudiksvall.\n' >"$T/a.txt"
run tyst-scan -r "$D/rules.yaml" "$T/a.txt"
expect_rc 1 "findings give exit 1"
expect_out "^$T/a.txt:1:14: PERSON \"Erik\" \\(gazetteer first-names\\)\$" "compiler-style line"
expect_out ':1:21: PLACE "Hudiksvall" \(gazetteer places.tsv\)' "place"
expect_lines 2 "nothing else on stdout"

printf 'Det var en bra dag.\n' >"$T/clean.txt"
run tyst-scan -r "$D/rules.yaml" "$T/clean.txt"
expect_rc 0 "no findings give exit 0"
expect_lines 0 "clean text, no output"

run tyst-scan -r "$D/rules.yaml" --format jsonl "$T/a.txt"
expect_out '^\{"file":"[^"]*a.txt","line":1,"col":14,"start":14,"end":18,"base_end":18,"category":"PERSON","text":"Erik","source":"gazetteer first-names","confidence":"likely","attrs":\{"sex":"m"\}\}$' "jsonl object"

run tyst-scan -r "$D/rules.yaml" --summary "$T/a.txt"
expect_out '^PERSON +1$' "summary per category"
expect_out '^total +2$' "summary total"

# Standard input, and personnummer masked unless --show.
printf 'pnr 961208-9939\n' >"$T/p.txt"
run_in "$T/p.txt" tyst-scan -r "$D/rules.yaml"
expect_out '<stdin>:1:5: PNR "961208-\*\*\*\*" \(pnr\)' "pnr masked"
run_in "$T/p.txt" tyst-scan -r "$D/rules.yaml" --show
expect_out 'PNR "961208-9939"' "pnr shown with --show"

# The review workflow: candidates listed, decisions kept and obeyed.
printf 'Vi ringde Zlatko och Vintergatan, sen Gunvor.\n' >"$T/r.txt"
printf 'include: ["%s"]\n' "$D/rules.yaml" >"$T/study.yaml"
run tyst-scan -r "$T/study.yaml" --review "$T/review.yaml" "$T/r.txt"
expect_rc 1 "review run finds candidates"
check 'grep -q "word: \"Zlatko\"" "$T/review.yaml"' "candidate listed"
check 'grep -q "decision: ask" "$T/review.yaml"' "undecided candidates marked ask"
check '! grep -q "word: \"Vintergatan\"" "$T/review.yaml"' "kept word not listed"
sed -e '/word: "Zlatko"/,/decision/s/decision: ask/decision: keep/' \
    -e '/word: "Gunvor"/,/decision/s/decision: ask/decision: pseudonymise/' \
    "$T/review.yaml" >"$T/review2.yaml" && mv "$T/review2.yaml" "$T/review.yaml"
run tyst-scan -r "$T/review.yaml" "$T/r.txt"
expect_no_out 'Zlatko' "kept word never flagged"
expect_out 'PERSON "Gunvor" \(words PERSON\)' "pseudonymised word is certain"
printf 'Sen kom Zlatko och Ingvor.\n' >>"$T/r.txt"
run tyst-scan -r "$T/review.yaml" --review "$T/review.yaml" "$T/r.txt"
check 'grep -A2 "word: \"Zlatko\"" "$T/review.yaml" | grep -q "decision: keep"' "decision kept on update"
check 'grep -q "word: \"Ingvor\"" "$T/review.yaml"' "new candidate added on update"
check '[ "$(grep -c "word: \"Zlatko\"" "$T/review.yaml")" -eq 1 ] ' "no duplicate entries"

# Bad input: every kind gives a message naming the place, exit 2.
run tyst-scan -r "$D/self.yaml" "$T/a.txt"
expect_rc 2 "self-including rules"
expect_err 'self.yaml:1:[0-9]+: .*includes itself' "names the include"
run tyst-scan -r "$D/badregex.yaml" "$T/a.txt"
expect_rc 2 "bad regex"
expect_err 'badregex.yaml:6:[0-9]+: pattern broken of PHONE: bad regex' "names file:line:col and rule"
run tyst-scan -r "$D/missing.yaml" "$T/a.txt"
expect_rc 2 "missing gazetteer"
expect_err 'missing.yaml:4:[0-9]+: .*no-such-file.tsv' "names the gazetteer"
run tyst-scan -r "$D/latin1.yaml" "$T/a.txt"
expect_rc 2 "non-UTF-8 gazetteer"
expect_err 'latin1.tsv:2:2: invalid UTF-8' "names the gazetteer line"
run tyst-scan -r "$D/norules.yaml" "$T/a.txt"
expect_rc 2 "empty rule set"
expect_err 'empty rule set' "says so"
run tyst-scan -j two "$T/a.txt"
expect_rc 2 "--jobs that is no number"
expect_err '--jobs wants 1 or 2' "says what it wants"
run tyst-scan -r "$D/badyaml.yaml" "$T/a.txt"
expect_rc 2 "bad YAML"
expect_err 'badyaml.yaml:[0-9]+:[0-9]+: YAML' "names the place"
printf 'Hej \201 Erik\n' >"$T/bad.txt"
run tyst-scan "$T/bad.txt"
expect_rc 2 "input neither UTF-8 nor Windows-1252"
expect_err 'bad.txt:1:5: byte 0x81 .*neither UTF-8 nor Windows-1252' "names the place"
printf 'a\0b\n' >"$T/nul.txt"
run tyst-scan "$T/nul.txt"
expect_rc 2 "NUL byte"
run tyst-scan "$T"
expect_rc 2 "a directory"
expect_err 'is a directory' "says so"
run tyst-scan "$T/no-such-file.txt"
expect_rc 2 "missing input"
: >"$T/empty.txt"
run tyst-scan "$T/empty.txt"
expect_rc 0 "empty file is clean"
printf 'Hej Erik.\r\nDet var Mona.\r\n' >"$T/crlf.txt"
run tyst-scan -r "$D/rules.yaml" --format jsonl "$T/crlf.txt"
expect_out '"line":2,"col":9,"start":19,"end":23' "CRLF offsets are bytes as read"
run tyst-scan --format xml "$T/a.txt"
expect_rc 2 "unknown format"
run tyst-scan --help
expect_rc 0 "--help"
expect_out 'usage: tyst-scan' "usage"

# The default rules over corpus-samples: every gold span is covered by a
# finding; with the category of the gold when the shipped name lists are
# installed (without them, names are found by the capitalisation rule,
# whose category is a guess).
run tyst-scan --format jsonl "$S"/intervju*.txt
expect_rc 1 "corpus-samples have findings"
strict=0
[ -f "$TYST_SRCDIR/rules/sv/first-names.tsv" ] && [ -f "$TYST_SRCDIR/rules/sv/kommuner.tsv" ] && strict=1
perl -e '
	my ($found, $gold, $strict) = @ARGV;
	my %f;
	open(my $fh, "<", $found) or die;
	while (<$fh>) {
		my ($file) = /"file":"(?:[^"]*\/)?([^"\/]+)"/;
		my ($s) = /"start":(\d+)/; my ($e) = /"end":(\d+)/;
		my ($c) = /"category":"([^"]+)"/;
		push @{$f{$file}}, [$s, $e, $c];
	}
	open(my $g, "<", $gold) or die;
	my ($n, $miss) = (0, 0);
	while (<$g>) {
		next if /^#/; chomp;
		my ($file, $s, $e, $cat, $t) = split /\t/;
		$n++;
		my $ok = 0;
		for my $x (@{$f{$file}}) {
			$ok = 1 if $x->[0] <= $s && $x->[1] >= $e &&
			    (!$strict || $x->[2] eq $cat);
		}
		next if $ok;
		$miss++;
		print "    missed: $file $s-$e $cat \"$t\"\n";
	}
	print "    gold spans $n, missed $miss", ($strict ? " (categories checked)" : " (any category)"), "\n";
	exit($miss ? 1 : 0);
' "$T/out" "$S/gold.tsv" "$strict" >"$T/gold.out"
if [ $? -eq 0 ]; then ok "every gold span of corpus-samples found"; else
	not_ok "every gold span of corpus-samples found"; cat "$T/gold.out"; fi

# A rule that overlaps a list: a street name without a number (a weak
# pattern) that a gazetteer lists as a district is the gazetteer's; with a
# number it is an address; a street no list holds stays the pattern's.
cat >"$T/streets.yaml" <<'YAML'
include: [default]
categories:
  ADDRESS:
    patterns:
      - name: street-name
        regex: '(?<![\p{L}\p{N}])\p{Lu}\p{Ll}[\p{L}\-]{0,40}(?:gatan|vägen|stigen|backen)(?![\p{L}\p{N}\-])(?!\h+[0-9])'
        confidence: candidate
YAML
run tyst-scan -r "$T/streets.yaml" --format jsonl "$S/intervju06.txt"
expect_out '"start":1107,"end":1119,"base_end":1119,"category":"PLACE","text":"Brickebacken","source":"gazetteer stadsdelar"' \
    "a district in the gazetteer wins over a number-less street pattern"
printf 'Hon bor i Brickebacken, på Hvitfeldtsgatan. Sen Brickebacken 5.\n' >"$T/st.txt"
run tyst-scan -r "$T/streets.yaml" "$T/st.txt"
expect_out ':1:11: PLACE "Brickebacken" \(gazetteer stadsdelar\)' "same span: the gazetteer's category"
expect_out ':1:28: ADDRESS "Hvitfeldtsgatan" \(rule street-name\)' "a street no list holds stays an address"
expect_out ':1:49: ADDRESS "Brickebacken 5" \(rule street\)' "with a number it is an address"

# Coding markup ({code}…{/code}, tyst-code(1)) is transparent: the marked-up
# copies in corpus-samples/coded give the same findings as the same text
# without the markup, no finding holds a tag, and none starts right after a
# tag that opens a sentence unless the plain text has it too.
for f in "$S"/coded/*.txt; do
	perl -pe 's/\{\{|\{\/?[a-z0-9][a-z0-9._-]*\}/$& eq "{{" ? "{" : ""/ge' \
	    "$f" >"$T/plain-$(basename "$f")"
done
run tyst-scan --format jsonl "$S"/coded/*.txt
cp "$T/out" "$T/coded.jsonl"
run tyst-scan --format jsonl "$T"/plain-*.txt
cp "$T/out" "$T/plain.jsonl"
words() {
	perl -ne 'my ($f) = /"file":"(?:[^"]*\/)?(?:plain-)?([^"\/]+)"/;
	    my ($l) = /"line":(\d+)/; my ($c) = /"category":"([^"]+)"/;
	    my ($t) = /"text":"((?:[^"\\]|\\.)*)"/;
	    print "$f\t$l\t$c\t$t\n"' "$1" | sort
}
words "$T/coded.jsonl" >"$T/coded.words"
words "$T/plain.jsonl" >"$T/plain.words"
check '[ "$(wc -l <"$T/plain.words")" -gt 100 ]' "the coded copies hold names"
if cmp -s "$T/coded.words" "$T/plain.words"; then
	ok "markup changes no finding in corpus-samples/coded"
else
	not_ok "markup changes no finding in corpus-samples/coded"
	diff "$T/plain.words" "$T/coded.words" | sed 's/^/    /' | head -20
fi
check '! cut -f4 "$T/coded.words" | grep -q "[{}]"' "no finding holds a tag"
perl -e '
	my %plain;
	open(my $p, "<", $ARGV[1]) or die;
	while (<$p>) { $plain{$_} = 1; }
	open(my $fh, "<", $ARGV[0]) or die;
	my ($bad, %text) = (0);
	while (<$fh>) {
		my ($path) = /"file":"([^"]+)"/; my ($s) = /"start":(\d+)/;
		my ($f) = $path =~ m{([^/]+)$};
		my ($l) = /"line":(\d+)/; my ($c) = /"category":"([^"]+)"/;
		my ($t) = /"text":"((?:[^"\\]|\\.)*)"/;
		unless (defined $text{$path}) {
			open(my $in, "<", $path) or die; local $/; $text{$path} = <$in>;
		}
		my $before = substr($text{$path}, 0, $s);
		$before =~ s/.*\n//s;
		next unless $before =~ /(?:^|^[^ ]+: |[.!?:] ?)(?:\{\/?[a-z0-9][a-z0-9._-]*\})+$/;
		next if $plain{"$f\t$l\t$c\t$t\n"};
		print "    after a tag at a sentence start: $f:$l \"$t\"\n";
		$bad++;
	}
	exit($bad ? 1 : 0);
' "$T/coded.jsonl" "$T/plain.words" >"$T/tags.out"
if [ $? -eq 0 ]; then ok "no common word after a tag at a sentence start is flagged"; else
	not_ok "no common word after a tag at a sentence start is flagged"; cat "$T/tags.out"; fi
