# REFI-QDA round trips of what schema 3 of the project holds: the whole
# codebook (examples, codable, sets), attributes of documents apart from
# those of cases, memos of the project and of cases, annotations,
# journals, and the GUIDs of a file made elsewhere (the ATLAS.ti sample).
. "$TYST_SRCDIR/tests/cli/lib.sh"
Q=$TYST_SRCDIR/tests/data/qdpx
D=$TYST_SRCDIR/tests/data/agree
R="--rules $D/rules-pnr.yaml"
XSD=$TYST_SRCDIR/../shared/refi-qda/Project.xsd
[ -f "$XSD" ] || XSD=$TYST_SRCDIR/../../shared/refi-qda/Project.xsd
code() { "$TYST_BIN/tyst-code" "$@" >>"$T/setup.log" 2>&1; }
q() { sqlite3 "$1" "$2"; }
valid() {
	if [ -f "$XSD" ]; then
		unzip -p "$1" project.qde >"$T/valid.qde"
		check 'xmllint --noout --schema "$XSD" "$T/valid.qde" 2>"$T/xsd.err"' "$2 validates against Project.xsd"
	else
		echo "# SKIP: $XSD not found; schema validation not run"
	fi
}
export TYST_NOW=2026-12-01T10:00:00Z

cat >"$T/book.yaml" <<'X'
title: rundresa
codes:
  - id: hinder
    label: Hinder
    codable: false
    description: En rubrik, inte en kod.
    codes:
      - id: osakerhet
        label: Osäkerhet
        description: |-
          Tvivel.
          På två rader.
        inclusion: Tvivel på sig själv.
        exclusion: Svårt att välja.
        color: "#aa3300"
        examples:
          - "Jag vet inte om jag klarar det."
          - "Kanske, om det går: & <så>."
  - id: stod
    label: Stöd & "hjälp"
    examples:
      - Hon ringde åt mig.
sets:
  - id: kansla
    label: Känslor
    description: Det som rör känslor.
    codes: [stod, osakerhet]
  - id: tom
    label: Tom mängd
    codes: []
X

# ---- item 2: YAML -> project -> .qdpx -> YAML gives the same codebook ----
code init "$T/p.db" --codebook "$T/book.yaml"
check '[ "$(q "$T/p.db" "SELECT count(*) FROM code_examples")" = 3 ]' "the project holds the examples"
check '[ "$(q "$T/p.db" "SELECT s.code, c.code FROM code_sets s JOIN code_set_members m ON m.set_id = s.id JOIN codes c ON c.id = m.code_id ORDER BY s.position, m.position" | paste -sd" " -)" = "kansla|stod kansla|osakerhet" ]' "and the sets, members in order"
run tyst-excerpt "$T/p.db" --format qdpx $R -o "$T/book.qdpx"
expect_rc 0 "export a project with only a codebook"
valid "$T/book.qdpx" "the codebook's .qdpx"
unzip -p "$T/book.qdpx" project.qde >"$T/book.qde"
check 'grep -q "<MemberCode targetGUID=" "$T/book.qde"' "sets as <Sets> with <MemberCode>"
check 'grep -q "^example: Jag vet inte om jag klarar det\.$" "$T/book.qde"' "examples in the code's description"
run tyst-codebook import "$T/book.qdpx" -o "$T/back.yaml"
expect_rc 0 "tyst-codebook reads the .qdpx"
"$TYST_BIN/tyst-codebook" export -f yaml "$T/book.yaml" | grep -v '^title:' >"$T/a.yaml"
"$TYST_BIN/tyst-codebook" export -f yaml "$T/back.yaml" | grep -v '^title:' >"$T/b.yaml"
check 'cmp -s "$T/a.yaml" "$T/b.yaml"' "the normalised codebook is the same (codes, examples, inclusion, exclusion, codable, sets)"
check '[ -s "$T/a.yaml" ] && grep -q "codable: false" "$T/a.yaml" && grep -q "^sets:" "$T/a.yaml"' "and the comparison compares something"
# A sync that changes only an example counts the code as changed.
sed 's/Hon ringde åt mig\./Hon ringde åt mig, två gånger./' "$T/book.yaml" >"$T/book2.yaml"
run tyst-code codebook-sync "$T/p.db" "$T/book2.yaml"
expect_err '0 added, 1 changed' "a changed example is a change"
check '[ "$(q "$T/p.db" "SELECT text FROM code_examples e JOIN codes c ON c.id = e.code_id WHERE c.code = '"'stod'"'")" = "Hon ringde åt mig, två gånger." ]' "and is stored"
code codebook-sync "$T/p.db" "$T/book.yaml"

# ---- item 3: a document's attributes apart from its case's (AT02) ----
printf 'I: Hur gick det sen?\nIP: Bättre, jag har ett jobb nu.\n' >"$T/samtal2.txt"
printf 'I: Och nu?\nIP: Jag är kvar.\n' >"$T/samtal3.txt"
run tyst-code import "$T/p.db" $R --case AT02 --attr roll=IP --doc-attr intervjutillfälle=1 --doc-attr datum=2026-03-01 "$D/samtal.txt"
expect_rc 0 "import the first interview of AT02"
run tyst-code import "$T/p.db" $R --case AT02 --attr roll=IP --doc-attr intervjutillfälle=2 --doc-attr datum=2026-09-01 "$T/samtal2.txt"
expect_rc 0 "import the second interview of AT02"
run tyst-code document "$T/p.db" samtal
expect_out '^intervjutillfälle=1$' "the first interview keeps occasion 1"
run tyst-code document "$T/p.db" samtal2
expect_out '^intervjutillfälle=2$' "the second has occasion 2"
run tyst-code case "$T/p.db" AT02
expect_out '^roll=IP$' "the case has its role"
expect_no_out 'intervjutillfälle' "and no occasion of its own"
# The old way, an occasion given as a case attribute, no longer overwrites.
code import "$T/p.db" $R --case AT03 --attr intervjutillfälle=1 "$D/../qdpx/README.md" 2>/dev/null
run tyst-code import "$T/p.db" $R --case AT02 --attr roll=Deltagare "$T/samtal3.txt"
expect_rc 2 "a second import with another value of a case attribute is refused"
expect_err "case 'AT02' has roll=IP already.*--doc-attr roll=Deltagare" "saying where such a value belongs"
check '[ "$(q "$T/p.db" "SELECT count(*) FROM documents WHERE name = '"'samtal3'"'")" = 0 ]' "and the project is unchanged"
check '[ "$(q "$T/p.db" "SELECT value FROM case_attributes a JOIN cases c ON c.id = a.case_id WHERE c.name = '"'AT02'"'")" = IP ]' "the case's value stays"
run tyst-code document "$T/p.db" samtal2 --attr plats=Umeå
expect_rc 0 "tyst-code document sets an attribute"
run tyst-code document "$T/p.db" nosuch
expect_rc 2 "an unknown document"
code add "$T/p.db" samtal --code osakerhet --coder anna --lines 2
code add "$T/p.db" samtal2 --code stod --coder bo --lines 2 --memo 'bo & "memo"'
run tyst-code list "$T/p.db" segments
expect_lines 2 "two segments"
run tyst-excerpt "$T/p.db" --attr intervjutillfälle=2 --format jsonl $R
expect_rc 0 "an excerpt filtered by a document attribute"
expect_out 'Bättre, jag har ett jobb nu' "gives the second interview's segment"
expect_no_out 'Jag ville jobba' "and not the first's"
run tyst-excerpt "$T/p.db" --attr roll=IP --format jsonl $R
expect_lines 2 "a case attribute still selects the case's every document"

# ---- item 5: memos, annotations and journals; the schema 2 upgrade ----
code memo "$T/p.db" --document samtal --coder anna "Lugn intervju."
code memo "$T/p.db" --code stod --coder bo "Stöd betyder mer."
q "$T/p.db" "INSERT INTO meta VALUES ('description', 'Projektets memo: två rader
och tecken & <x>.');
UPDATE cases SET description = 'Fallets memo.' WHERE name = 'AT02';
INSERT INTO annotations (document_id, coder_id, start_offset, end_offset, text, created) SELECT d.id, k.id, 4, 11, 'En annotering.', '2026-11-02T10:00:00Z' FROM documents d, coders k WHERE d.name = 'samtal' AND k.name = 'anna';
INSERT INTO journals (name, text, created) VALUES ('Dagbok', 'Rad ett.
Rad två.', '2026-11-03T10:00:00Z');"

# ---- done when: export -> import -> export gives the same file ----
run tyst-excerpt "$T/p.db" --format qdpx $R -o "$T/x.qdpx"
expect_rc 1 "attribute values go through the export gate"
expect_err "'Umeå' in attribute plats of document samtal2" "a document's attribute, named"
check '[ ! -e "$T/x.qdpx" ]' "nothing written"
run tyst-excerpt "$T/p.db" --format qdpx $R --allow IP --allow Umeå -o "$T/one.qdpx"
expect_rc 0 "export the whole project"
valid "$T/one.qdpx" "the whole project's .qdpx"
unzip -p "$T/one.qdpx" project.qde >"$T/one.qde"
check 'sed -n "/<TextSource [^>]*name=\"samtal2\"/,/<\/TextSource>/p" "$T/one.qde" | grep -q "<TextValue>2</TextValue>"' "the document's occasion as the source's VariableValue"
check 'grep -A8 "<Case [^>]*name=\"AT02\"" "$T/one.qde" | grep -q "<Description>Fallets memo.</Description>"' "the case memo as the case's Description"
check 'grep -q "<PlainTextContent>En annotering.</PlainTextContent>" "$T/one.qde" && grep -q "startPosition=\"4\" endPosition=\"10\"/>" "$T/one.qde"' "the annotation as a note with its span (in characters)"
check 'grep -q "<Note [^>]*name=\"Dagbok\" plainTextPath=\"internal://" "$T/one.qde"' "the journal as a named note with its text in the archive"
check 'grep -q "^och tecken &amp; &lt;x&gt;.</Description>" "$T/one.qde"' "the project memo as the project's Description"
run tyst-code import-qdpx "$T/two.db" "$T/one.qdpx" $R
expect_rc 0 "import the export into a new project"
check '! grep -q "left out" "$T/err"' "nothing left out"
expect_err '5 document attributes set, 1 annotation, 1 journal' "attributes, annotation and journal counted"
for t in "SELECT code, label, coalesce(description, ''), coalesce(inclusion, ''), coalesce(exclusion, ''), coalesce(color, ''), codable, position, coalesce((SELECT code FROM codes p WHERE p.id = c.parent_id), '') FROM codes c ORDER BY position" \
    "SELECT c.code, e.position, e.text FROM code_examples e JOIN codes c ON c.id = e.code_id ORDER BY 1, 2" \
    "SELECT s.code, s.label, coalesce(s.description, ''), s.position, coalesce(group_concat(c.code, ','), '') FROM code_sets s LEFT JOIN code_set_members m ON m.set_id = s.id LEFT JOIN codes c ON c.id = m.code_id GROUP BY s.id ORDER BY s.position" \
    "SELECT c.name, coalesce(c.description, ''), a.key, a.value FROM cases c LEFT JOIN case_attributes a ON a.case_id = c.id ORDER BY 1, 3" \
    "SELECT d.name, coalesce(c.name, ''), a.key, a.value FROM documents d LEFT JOIN cases c ON c.id = d.case_id LEFT JOIN document_attributes a ON a.document_id = d.id ORDER BY 1, 3" \
    "SELECT coalesce(d.name, ''), coalesce(c.code, ''), coalesce(k.name, ''), m.text, m.created FROM memos m LEFT JOIN documents d ON d.id = m.document_id LEFT JOIN codes c ON c.id = m.code_id LEFT JOIN coders k ON k.id = m.coder_id ORDER BY 4" \
    "SELECT d.name, c.code, k.name, s.start_offset, s.end_offset, coalesce(s.memo, ''), s.created FROM segments s JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = s.code_id JOIN coders k ON k.id = s.coder_id ORDER BY 1, 4, 2" \
    "SELECT d.name, coalesce(k.name, ''), a.start_offset, a.end_offset, a.text, a.created FROM annotations a JOIN documents d ON d.id = a.document_id LEFT JOIN coders k ON k.id = a.coder_id" \
    "SELECT name, text, created FROM journals" \
    "SELECT value FROM meta WHERE key = 'description'"; do
	what=$(echo "$t" | sed 's/.* FROM \([a-z_]*\).*/\1/')
	check '[ "$(q "$T/p.db" "$t")" = "$(q "$T/two.db" "$t")" ]' "equal after the round trip: $what"
done
check '[ "$(q "$T/two.db" "SELECT value FROM meta WHERE key = '"'title'"'")" = p.db ]' "the project's name for other programs is kept"
run tyst-excerpt "$T/two.db" --format qdpx $R --allow IP --allow Umeå -o "$T/three.qdpx"
expect_rc 0 "export the re-imported project"
check 'cmp -s "$T/one.qdpx" "$T/three.qdpx"' "export -> import -> export gives the same file, byte for byte"
run tyst-code import-qdpx "$T/two.db" "$T/one.qdpx" $R
expect_err '0 segments added .*0 memos' "a second import adds nothing"
check '! grep -q "annotation\|journal" "$T/err"' "no annotation or journal twice"

# A project of schema 2 (before these tables) is read as it is and
# brought up to schema 3 by the first writer, its data intact.
"$TYST_BIN/tyst-code" init "$T/old.db" --codebook "$T/book.yaml" >/dev/null 2>&1
"$TYST_BIN/tyst-code" import "$T/old.db" $R --case AT02 --attr roll=deltagare "$D/samtal.txt" >/dev/null 2>&1
"$TYST_BIN/tyst-code" add "$T/old.db" samtal --code stod --coder anna --lines 2 >/dev/null 2>&1
sqlite3 "$T/old.db" <"$TYST_SRCDIR/tests/data/project/undo-schema-3.sql"
check '[ "$(q "$T/old.db" "PRAGMA user_version")" = 2 ]' "a schema 2 project"
run tyst-code list "$T/old.db" annotations
expect_rc 0 "a reader lists what schema 2 lacks (nothing)"
run tyst-excerpt "$T/old.db" --format qdpx $R -o "$T/old.qdpx"
expect_rc 0 "a schema 2 project exports"
check '[ "$(q "$T/old.db" "PRAGMA user_version")" = 2 ]' "readers leave it at schema 2"
run tyst-code document "$T/old.db" samtal --attr intervjutillfälle=1
expect_rc 0 "a writer opens it"
check '[ "$(q "$T/old.db" "PRAGMA user_version")" = 3 ]' "and brings it to schema 3"
check '[ "$(q "$T/old.db" "SELECT count(*) FROM segments") $(q "$T/old.db" "SELECT value FROM case_attributes")" = "1 deltagare" ]' "its segments and case attributes intact"
run tyst-code codebook-sync "$T/old.db" "$T/book.yaml"
expect_rc 0 "the upgraded project syncs its codebook"
check '[ "$(q "$T/old.db" "SELECT count(*) FROM code_examples") $(q "$T/old.db" "SELECT count(*) FROM code_sets")" = "3 2" ]' "and then holds its examples and sets"
q "$T/new.db" "" 2>/dev/null; rm -f "$T/new.db"
"$TYST_BIN/tyst-code" init "$T/new.db" --codebook "$T/book.yaml" >/dev/null 2>&1
check '[ "$(q "$T/new.db" .schema)" = "$(q "$T/old.db" .schema)" ]' "an upgraded project has the schema of a new one"

# ---- item 9: a file made elsewhere keeps its GUIDs, name and users ----
run tyst-code import-qdpx "$T/atlas.db" "$Q/sample-atlasti-project.qdpx" --i-have-reviewed
expect_rc 0 "import the ATLAS.ti sample"
run tyst-excerpt "$T/atlas.db" --format qdpx $R --allow 'Enric Llagostera' -o "$T/atlas.qdpx"
expect_rc 0 "export it again"
valid "$T/atlas.qdpx" "the ATLAS.ti round trip"
unzip -p "$Q/sample-atlasti-project.qdpx" project.qde >"$T/atlas-in.qde"
unzip -p "$T/atlas.qdpx" project.qde >"$T/atlas-out.qde"
guids() { grep -oE '<(User|Code) guid="[0-9A-Fa-f-]+" name="[^"]*"' "$1" | sort; }
check '[ "$(guids "$T/atlas-in.qde")" = "$(guids "$T/atlas-out.qde")" ] && [ -n "$(guids "$T/atlas-in.qde")" ]' "every user and code keeps its GUID and name"
check 'grep -q "<Project [^>]*name=\"target-atlas-project\"" "$T/atlas-out.qde"' "the project keeps its name"
check 'grep -q "creatingUserGUID=\"088B08AC-D5CD-4ADB-8B71-B4F3459C177F\" creationDateTime=\"2023-08-16T15:49:36Z\"" "$T/atlas-out.qde"' "and who made it when"
check 'grep -A3 "name=\"Commits\"" "$T/atlas-out.qde" | grep -q "name=\"2022-05-10T02:05:59Z 19e4dce\""' "the code tree stays"
# QualCoder's rich file: sources and cases keep their GUIDs.
run tyst-code import-qdpx "$T/rich.db" "$Q/qualcoder-rich.qdpx" --i-have-reviewed
run tyst-excerpt "$T/rich.db" --format qdpx $R --allow Det --allow QualCoder --allow Fallmemo --allow Forskningsdagbok -o "$T/rich.qdpx"
expect_rc 0 "export QualCoder's rich project"
valid "$T/rich.qdpx" "QualCoder's project through tyst"
unzip -p "$T/rich.qdpx" project.qde >"$T/rich.qde"
check 'grep -q "<TextSource guid=\"8D32A2E9-C4B6-4E9B-AD78-4C0CE5053BD1\" name=\"samtal\"" "$T/rich.qde"' "the source keeps its GUID"
check 'grep -q "<Case guid=\"48A0AA27-8868-465E-A6CB-6D8B997DADC5\" name=\"Fall A\"" "$T/rich.qde"' "the case keeps its GUID"
check 'grep -q "<Note guid=\"C24A7B73-3EEF-43EA-8365-B7B178A02636\"" "$T/rich.qde" && grep -q "startPosition=\"10\" endPosition=\"30\"/>" "$T/rich.qde"' "the annotation keeps its GUID and span"

# An attribution names a document's attribute before its case's.
run tyst-excerpt "$T/p.db" --format jsonl $R --allow IP --attribution '{roll}, intervju {intervjutillfälle}'
expect_rc 0 "an attribution with a case and a document attribute"
expect_out '"attribution":"IP, intervju 1"' "the first interview's"
expect_out '"attribution":"IP, intervju 2"' "the second interview's"
# The quote table has a column per case and per document attribute.
run tyst-excerpt "$T/p.db" --format csv $R --allow IP --allow Umeå
expect_rc 0 "a csv of a project with document attributes"
expect_out '^segment,.*,case:roll,doc:datum,doc:intervjutillfälle,doc:plats' "case: columns before doc: columns, each sorted"
expect_out ',IP,2026-09-01,2,Umeå' "the second interview's row holds its own document's values"
# tyst-code add --attr selects by a document's attribute too.
run tyst-code add "$T/p.db" --attr intervjutillfälle=2 --code stod --coder cecilia --match 'jobb'
expect_rc 0 "add --match over the documents of one occasion"
expect_err 'samtal2' "the second interview"
check '! grep -q "samtal[^2]" "$T/err"' "and not the first"

# tyst-code merge brings a coder's annotations, journals and document
# attributes too, and keeps the target's value where they differ.
cp "$T/two.db" "$T/m.db"
q "$T/m.db" "DELETE FROM annotations; DELETE FROM journals; DELETE FROM document_attributes WHERE key = 'datum'; UPDATE document_attributes SET value = '9' WHERE key = 'intervjutillfälle' AND document_id = (SELECT id FROM documents WHERE name = 'samtal')"
run tyst-code merge "$T/m.db" "$T/two.db"
expect_rc 0 "merge a copy into a target that lacks its annotation and journal"
expect_err '1 annotation, 1 journal, 2 document attributes' "they are merged and counted"
expect_err "intervjutillfälle=1 differs from the target's, which is kept" "a differing document attribute is said"
check '[ "$(q "$T/m.db" "SELECT count(*) FROM annotations") $(q "$T/m.db" "SELECT count(*) FROM journals")" = "1 1" ]' "the annotation and the journal are there once"
