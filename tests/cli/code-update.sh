# tyst-code update: a leak found after coding.  The corrected text replaces
# the document's, past the same gate as import; segments move with their
# text; a segment whose own text changed stops the update unless told what
# to do with it; one transaction.
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
# The text of every segment, by code.
texts() { q "SELECT c.code || ': ' || CAST(substr(CAST(d.text AS BLOB), s.start_offset + 1, s.end_offset - s.start_offset) AS TEXT) FROM segments s JOIN codes c ON c.id = s.code_id JOIN documents d ON d.id = s.document_id ORDER BY c.code"; }

cat >"$T/at01.txt" <<'X'
I: Vem hjälpte dig?
IP: Det var Leija på arbetsförmedlingen. Hon ringde arbetsgivaren åt mig.
I: Och sen?
IP: Sen fick jag jobb, {ett riktigt} jobb.
X
run tyst-code init "$P" --codebook "$cb"
run tyst-code import "$P" $R --i-have-reviewed "$T/at01.txt"
expect_rc 0 "import (the name slipped through a review)"
run tyst-code add "$P" at01 --code arbetsgivarkontakter --coder anna --match "Hon ringde" --unit sentence
expect_rc 0 "a segment after the name, on its line"
run tyst-code add "$P" at01 --code vanligt-arbete --coder anna --lines 4-4
run tyst-code add "$P" at01 --code integrerat-team --coder bo --match "Det var" --unit sentence
expect_rc 0 "a segment holding the name"
before=$(texts)

# The corrected copy: the name replaced, a line added at the top.
{ echo "Intervju AT01"; sed 's/Leija/Kim/' "$T/at01.txt"; } >"$T/at01-ny.txt"

d0=$(dump)
run tyst-code update "$P" at01 "$T/at01-ny.txt" $R
expect_rc 2 "a segment whose text changed stops the update"
expect_err "segment [0-9]+ \(integrerat-team by bo, line 2 of the old text\) 'Det var Leija" "the segment is listed with its text"
expect_err '1 segment of .at01. covers text that changed; --drop-changed' "the message says what to do"
check '[ "$(dump)" = "$d0" ]' "a refused update changes nothing"

# The new text goes through the gate as an import does.
sed 's/Kim/Kim och Leija/' "$T/at01-ny.txt" >"$T/leak.txt"
run tyst-code update "$P" at01 "$T/leak.txt" $R --drop-changed
expect_rc 2 "a new text with an identifier is refused"
expect_err "leak.txt:3:.*PERSON 'Leija'" "the finding is located"
check '[ "$(dump)" = "$d0" ]' "and nothing changes"

run tyst-code update "$P" at01 "$T/at01-ny.txt" $R --drop-changed
expect_rc 0 "update --drop-changed"
expect_err "text replaced; 2 segments moved, 0 in place, 1 removed, 0 kept" "counts"
check '[ "$(texts)" = "$(echo "$before" | grep -v integrerat-team)" ]' "the other segments cover the same text at their new offsets"
check '[ "$(q "SELECT count(*) FROM documents WHERE text LIKE '\''%Leija%'\''")" = 0 ]' "the name is gone from the project"
check '[ "$(q "SELECT sha256 FROM documents")" = "$(sha256sum <"$T/at01-ny.txt" | cut -c1-64)" ]' "the document's sha256 is the new text's"
check '[ "$(q "SELECT source FROM documents")" = "$T/at01-ny.txt" ]' "its source is the corrected file"

run tyst-code update "$P" at01 "$T/at01-ny.txt" $R
expect_rc 0 "the same text again"
expect_err "nothing to update" "says so"

# --keep-changed keeps the segment over the new text.
rm -f "$P"
run tyst-code init "$P" --codebook "$cb"
run tyst-code import "$P" $R --i-have-reviewed "$T/at01.txt"
run tyst-code add "$P" at01 --code integrerat-team --coder bo --match "Det var" --unit sentence
run tyst-code add "$P" at01 --code vanligt-arbete --coder anna --lines 4-4
run tyst-code update "$P" at01 "$T/at01-ny.txt" $R --keep-changed
expect_rc 0 "update --keep-changed"
expect_err "1 kept over changed text" "counted"
check '[ "$(texts | grep integrerat)" = "integrerat-team: Det var Kim på arbetsförmedlingen." ]' "the kept segment covers the new name"
check '[ "$(texts | grep vanligt)" = "vanligt-arbete: IP: Sen fick jag jobb, {ett riktigt} jobb." ]' "the other moved a line down"

run tyst-code update "$P" nosuch "$T/at01-ny.txt"
expect_rc 2 "update of a document that is not there"
expect_err "no document 'nosuch'" "names it"
run tyst-code update "$P" at01
expect_rc 2 "update without FILE is a usage error"
run tyst-code update "$P" at01 "$T/at01.txt" --drop-changed --keep-changed
expect_rc 2 "--drop-changed and --keep-changed together are a usage error"
