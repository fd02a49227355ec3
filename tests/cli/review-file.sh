# The review file: decisions on single occurrences (anchored by the file's
# SHA-256 and byte span), marked text, names and spellings kept through
# rewrites; secret (0600, mode kept, never in an output directory); and
# tyst-pseudo refusing undecided words.
. "$TYST_SRCDIR/tests/cli/lib.sh"

mkdir -p "$T/t" "$T/s" "$T/o"
printf 'I: Jag frågar om Volvo till jobbet.\nR: Jag jobbar på Volvo sedan i fjol, med Tindra.\n' >"$T/t/int01.txt"
R=$T/s/review.yaml
sha=$(sha256sum "$T/t/int01.txt" | cut -d' ' -f1)

run tyst-scan -r "$R" --review "$R" "$T/t/int01.txt"
expect_rc 1 "review run finds candidates"
check '[ "$(stat -c %a "$R")" = 600 ]' "a new review file is created 0600"
check 'grep -q "word: \"Volvo\"" "$R" && grep -q "count: 2" "$R"' "Volvo listed with its count"
expect_no_out '.' "a review run prints no findings"

# tyst-pseudo refuses while words are undecided, naming how many and where.
run tyst-pseudo -r "$R" -k "$T/s/key.db" "$T/t/int01.txt"
expect_rc 2 "undecided words stop tyst-pseudo"
expect_err "review.yaml:[0-9]+: undecided: Volvo \\(ORG\\)" "names the undecided word and its line"
expect_err '2 undecided candidates' "says how many"
check '[ ! -e "$T/s/key.db" ]' "no key made when refused"
run tyst-pseudo -r "$R" -k "$T/s/key.db" --undecided=keep "$T/t/int01.txt"
expect_rc 0 "--undecided=keep runs"
expect_out 'på Volvo sedan i fjol, med Tindra' "undecided words kept as they are"
run tyst-pseudo -r "$R" -k "$T/s/key.db" --undecided=maybe "$T/t/int01.txt"
expect_rc 2 "--undecided takes pseudonymise or keep"

# Decide: Volvo kept for the corpus but pseudonymised in its second
# occurrence (the employer); Tindra pseudonymised; "jobbet" marked.
sed -e '/word: "Volvo"/,/decision/s/decision: ask/decision: keep/' \
    -e '/word: "Tindra"/,/decision/s/decision: ask/decision: pseudonymise/' \
    "$R" >"$R.new" && cat "$R.new" >"$R" && rm "$R.new"
cat >>"$R" <<EOF2
occurrences:
  - { file: $sha, start: 55, end: 60, word: Volvo, category: ORG, decision: pseudonymise, name: int01.txt }
  - { file: $sha, start: 79, end: 85, word: Tindra, decision: keep }
  - { file: 0000000000000000000000000000000000000000000000000000000000000000, start: 18, end: 23, word: Volvo, category: ORG, decision: pseudonymise }
marked:
  - { word: jobbet, category: PLACE }
names: { Tindra: Emma }
same-person: [[Tindra, Tintin]]
EOF2
run tyst-scan -r "$R" "$T/t/int01.txt"
expect_rc 1 "scan with the decisions"
expect_out ':2:18: ORG "Volvo" \(review occurrence\)' "occurrence pseudonymised here is reported"
expect_no_out ':1:18: ' "Volvo kept for the corpus; another file's occurrence does not apply"
expect_no_out 'Tindra' "occurrence kept here is not reported"
expect_out ':1:29: PLACE "jobbet" \(words PLACE\)' "marked text is a rule of the study"

run tyst-pseudo -r "$R" -k "$T/s/key.db" "$T/t/int01.txt"
expect_rc 0 "decided: tyst-pseudo runs"
expect_out '^I: Jag frågar om Volvo till ' "Volvo the car kept"
expect_no_out 'på Volvo' "Volvo the employer replaced"
expect_out 'med Tindra\.$' "Tindra kept in the one occurrence kept"

# An edited file loses its occurrence decisions: the hash no longer fits.
printf 'R: Jag jobbar på Volvo sedan i fjol, med Tindra.\n' >"$T/t/int02.txt"
run tyst-scan -r "$R" "$T/t/int02.txt"
expect_out 'PERSON "Tindra" \(words PERSON\)' "another file: the corpus decision"
expect_no_out 'Volvo' "another file: Volvo kept"

# Rewrites keep everything, and the file's mode.
chmod 640 "$R"
run tyst-scan -r "$R" --review "$R" "$T/t/int01.txt" "$T/t/int02.txt"
check '[ "$(stat -c %a "$R")" = 640 ]' "the mode is kept on rewrite"
expect_err 'others may read the review file' "warns when others may read it"
check 'grep -q "start: 55" "$R" && grep -q "name: \"int01.txt\"" "$R"' "occurrences kept"
check 'grep -q "word: \"jobbet\"" "$R"' "marked text kept"
check 'grep -q "\"Tindra\": \"Emma\"" "$R"' "names kept"
check 'grep -q "\\[\"Tindra\", \"Tintin\"\\]" "$R"' "same-person kept"
check 'grep -A2 "word: \"Volvo\"" "$R" | grep -q "decision: keep"' "word decisions kept"
chmod 600 "$R"

# Bad entries name their place.
printf 'occurrences:\n  - { file: abc, start: 1, end: 2, decision: keep }\n' >"$T/s/bad1.yaml"
run tyst-scan -r "$T/s/bad1.yaml" "$T/t/int01.txt"
expect_rc 2 "a short hash is refused"
expect_err 'bad1.yaml:2:[0-9]+: occurrence: file is the SHA-256' "names the occurrence"
printf 'include: [default]\noccurrences:\n  - { file: %s, start: 9, end: 9, decision: keep }\n' "$sha" >"$T/s/bad2.yaml"
run tyst-scan -r "$T/s/bad2.yaml" "$T/t/int01.txt"
expect_rc 2 "an empty span is refused"
expect_err 'bad2.yaml:3:[0-9]+: occurrence: start and end' "names the span"
printf 'include: [default]\nsame-person: [[Bo]]\n' >"$T/s/bad3.yaml"
run tyst-scan -r "$T/s/bad3.yaml" "$T/t/int01.txt"
expect_rc 2 "a link of one spelling is refused"
printf 'include: [default]\nnames: [Rosa]\n' >"$T/s/bad4.yaml"
run tyst-scan -r "$T/s/bad4.yaml" "$T/t/int01.txt"
expect_rc 2 "names must be a mapping"

# The secret stays apart from what is shared.
run tyst-pseudo -r "$R" -k "$T/s/key.db" -o "$T/o" "$T/t/int01.txt"
expect_rc 0 "pseudonymise into a directory"
check '! grep -q "undecided" "$T/o/tyst-pseudo-manifest.jsonl"' "no undecided choice, none recorded"
check 'grep -q "^  - \"default\"$" "$T/o/tyst-pseudo-rules.yaml"' "rescan rules include the default set"
check '! grep -v "^#" "$T/o/tyst-pseudo-rules.yaml" | grep -q "/"' "rescan rules hold no path"
check '! grep -v "^#" "$T/o/tyst-pseudo-rules.yaml" | grep -qE "Tindra|jobbet|review"' "rescan rules hold no replaced original"
check 'grep -q "^  - \"Volvo\"$" "$T/o/tyst-pseudo-rules.yaml"' "rescan rules keep the word the review kept"
run tyst-scan -r "$T/o/tyst-pseudo-rules.yaml" "$T/o/int01.txt"
check '[ $rc -le 1 ]' "rescan rules load on their own"
cp "$R" "$T/o/review.yaml"
run tyst-pseudo -r "$T/o/review.yaml" -k "$T/s/key.db" -o "$T/o" "$T/t/int01.txt"
expect_rc 2 "a review file inside the output directory is refused"
expect_err 'inside the output directory' "says why"
mkdir -p "$T/o/sub"
run tyst-scan --review "$T/o/sub/r.yaml" "$T/t/int01.txt"
expect_rc 2 "tyst-scan refuses a review file below an output directory"
check '[ ! -e "$T/o/sub/r.yaml" ]' "and writes nothing there"
run tyst-scan --review "$T/t/r.yaml" "$T/t/int01.txt"
expect_err 'warning: the review file lies beside the transcripts' "warns beside the transcripts"
run tyst-pseudo -r "$T/t/r.yaml" -k "$T/s/key.db" --undecided=pseudonymise -o "$T/o" "$T/t/int01.txt"
expect_rc 0 "--undecided=pseudonymise runs"
check 'grep -q "\"undecided\":\"pseudonymise\"" "$T/o/tyst-pseudo-manifest.jsonl"' "the choice is recorded in the manifest"

# Saves take turns: a lock file beside the review file, 0600.
check '[ "$(stat -c %a "$R.lock")" = 600 ]' "the lock file is private"
