# tyst-code export-markup and import --markup --update: a document's
# segments written as inline markup, edited by a coder and applied back;
# segments added, removed and moved, a changed text refused, nothing
# changed on a refusal.
. "$TYST_SRCDIR/tests/cli/lib.sh"

cb=$TYST_SRCDIR/codebooks/ips-principer.yaml
P=$T/p.db
cat >"$T/rules.yaml" <<'X'
name: test
categories:
  PERSON:
    words: [Leija]
X
R="--rules $T/rules.yaml --confidence likely"
q() { sqlite3 "$P" "$1"; }
dump() { sqlite3 "$P" .dump | md5sum; }
segs() { q "SELECT c.code || ' ' || s.start_offset || '-' || s.end_offset FROM segments s JOIN codes c ON c.id = s.code_id JOIN coders k ON k.id = s.coder_id WHERE k.name = '$1' ORDER BY 1"; }

# Overlap of two codes, nesting and crossing within one code, a brace.
cat >"$T/m.txt" <<'X'
I: Hur {började} det?
IP: {vanligt-arbete}Jag ville {egna-preferenser}bara jobba{/vanligt-arbete}. Inte praktik{/egna-preferenser} först.
IP: {snabbt-jobbsokande~1}Sen fick jag {snabbt-jobbsokande~2}ett riktigt{/snabbt-jobbsokande~1} jobb{/snabbt-jobbsokande~2} med lön.
X
# the brace in line 1 must be written {{ in markup
sed -i 's/Hur {började}/Hur {{började}/' "$T/m.txt"

run tyst-code init "$P" --codebook "$cb"
expect_rc 0 "init"
run tyst-code import "$P" $R --markup --coder anna "$T/m.txt"
expect_rc 0 "import a marked-up document"
expect_err 'with 4 segments' "four segments, two of one code crossing"
run tyst-code add "$P" m --code tidsobegransat-stod --coder bo --lines 3-3
expect_rc 0 "a second coder's segment"

before=$(segs anna)
bo=$(segs bo)
run tyst-code export-markup "$P" m
expect_rc 2 "export-markup of a document two coders coded, without --coder"
expect_err 'more than one coder.*--coder' "the message names the choice"

run tyst-code export-markup "$P" m --coder anna -o "$T/anna.txt"
expect_rc 0 "export-markup --coder anna"
expect_err "4 segments written" "says how many segments it wrote"
check 'cmp -s "$T/anna.txt" "$T/m.txt"' "the export is the markup imported (labels, braces, overlap)"
check '! grep -q tidsobegransat-stod "$T/anna.txt"' "only anna's segments"

# The export imports into a fresh project with the same segments.
run tyst-code init "$T/q.db" --codebook "$cb"
run tyst-code import "$T/q.db" $R --markup --coder anna "$T/anna.txt"
expect_rc 0 "the export imports as markup"
check '[ "$(sqlite3 "$T/q.db" "SELECT count(*) FROM segments")" = 4 ]' "with its four segments"

# Unchanged copy: nothing changes.
d0=$(dump)
cp "$T/anna.txt" "$T/m.txt"
run tyst-code import "$P" --markup --update --coder anna "$T/m.txt"
expect_rc 0 "update with an unchanged copy"
expect_err '0 added, 0 removed, 0 moved, 4 unchanged' "counts: four unchanged"
check '[ "$(segs anna)" = "$before" ]' "anna's segments as they were"

# Edit: remove egna-preferenser, widen vanligt-arbete to the full stop,
# add arbetsgivarkontakter on line 1.
cat >"$T/m.txt" <<'X'
I: {arbetsgivarkontakter}Hur {{började} det?{/arbetsgivarkontakter}
IP: {vanligt-arbete}Jag ville bara jobba.{/vanligt-arbete} Inte praktik först.
IP: {snabbt-jobbsokande~1}Sen fick jag {snabbt-jobbsokande~2}ett riktigt{/snabbt-jobbsokande~1} jobb{/snabbt-jobbsokande~2} med lön.
X
memo_id=$(q "SELECT s.id FROM segments s JOIN codes c ON c.id = s.code_id WHERE c.code = 'vanligt-arbete'")
run tyst-code memo "$P" --segment "$memo_id" "bra exempel"
run tyst-code import "$P" --markup --update --coder anna "$T/m.txt"
expect_rc 0 "update with an edited copy"
expect_err '1 added, 1 removed, 1 moved, 2 unchanged' "counts per kind"
check '[ "$(q "SELECT start_offset || '\''-'\'' || end_offset FROM segments WHERE id = $memo_id")" = "27-48" ]' "the moved segment keeps its id, at its new offsets"
check '[ "$(q "SELECT memo FROM segments WHERE id = $memo_id")" = "bra exempel" ]' "and its memo"
check '[ -z "$(segs anna | grep egna)" ]' "the removed segment is gone"
check '[ -n "$(segs anna | grep "arbetsgivarkontakter 3-22")" ]' "the added segment is there"
check '[ "$(segs bo)" = "$bo" ]' "the other coder's segment is untouched"

# A changed text outside the tags is refused, where it is.
d1=$(dump)
sed 's/riktigt/riktig/' "$T/m.txt" >"$T/m2.txt"
mv "$T/m2.txt" "$T/m.txt"
run tyst-code import "$P" --markup --update --coder anna "$T/m.txt"
expect_rc 2 "a changed text is refused"
expect_err 'm.txt:3:72: the text differs' "refused with file:line:col of the change"
check '[ "$(dump)" = "$d1" ]' "a refused update changes nothing"

# One transaction over several files: a bad second file keeps the first
# file's changes out as well.
cp "$T/anna.txt" "$T/m.txt"
printf 'x\n' >"$T/other.txt"
run tyst-code import "$P" --markup --update --coder anna "$T/m.txt" "$T/other.txt"
expect_rc 2 "update with a second file the project does not have"
expect_err "no document named 'other'" "says which document is missing"
check '[ "$(dump)" = "$d1" ]' "nothing of the batch applied"

# An unknown code in the edited copy is refused at its tag.
sed 's/{vanligt-arbete}Jag/{okand}Jag/; s/{\/vanligt-arbete}\./{\/okand}./' "$T/anna.txt" >"$T/m.txt"
run tyst-code import "$P" --markup --update --coder anna "$T/m.txt"
expect_rc 2 "an unknown code is refused"
expect_err "m.txt:2:5: unknown code 'okand'" "at its tag"
check '[ "$(dump)" = "$d1" ]' "and nothing changes"
check '[ "$(segs bo)" = "$bo" ]' "bo's segment stays"

run tyst-code import "$P" --update --coder anna "$T/m.txt"
expect_rc 2 "--update without --markup is a usage error"
run tyst-code export-markup "$P" nosuch
expect_rc 2 "export-markup of a document that does not exist"
expect_err "no document 'nosuch'" "names it"
