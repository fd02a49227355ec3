# REFI-QDA with other programs: what a tyst export carries to QualCoder and
# NVivo, and what the files they write bring into a project (nothing left
# out without a count).  The client files are real exports (see
# tests/data/qdpx/README.md).
. "$TYST_SRCDIR/tests/cli/lib.sh"
Q=$TYST_SRCDIR/tests/data/qdpx
D=$TYST_SRCDIR/tests/data/agree
R="--rules $D/rules-pnr.yaml"
XSD=$TYST_SRCDIR/../shared/refi-qda/Project.xsd
[ -f "$XSD" ] || XSD=$TYST_SRCDIR/../../shared/refi-qda/Project.xsd
code() { "$TYST_BIN/tyst-code" "$@" >>"$T/setup.log" 2>&1; }
q() { sqlite3 "$1" "$2"; }

cat >"$T/book.yaml" <<'X'
title: klienter
codes:
  - id: hinder
    label: Hinder
    codable: false
    description: En rubrik.
    codes:
      - id: osakerhet
        label: Osäkerhet
        description: Tvivel.
        inclusion: Tvivel på sig själv.
        exclusion: Svårt att välja.
  - id: stod
    label: Stöd
X
code init "$T/p.db" --codebook "$T/book.yaml"
code import "$T/p.db" $R "$D/samtal.txt"
code add "$T/p.db" samtal --code osakerhet --coder anna --lines 2
code add "$T/p.db" samtal --code stod --coder bo --lines 6
code case "$T/p.db" samtal --attr roll=IP --attr 'ort=Hudiksvall & <x>'
code case "$T/p.db" AT02 --attr roll=I
code memo "$T/p.db" --document samtal --coder anna "Lugn intervju & <bra>."
code memo "$T/p.db" --code stod --coder bo "Stöd betyder
mer än pengar."

run tyst-excerpt "$T/p.db" --format qdpx $R -o "$T/p.qdpx"
expect_rc 0 "export"
unzip -p "$T/p.qdpx" project.qde >"$T/p.qde"
if [ -f "$XSD" ]; then
	check 'xmllint --noout --schema "$XSD" "$T/p.qde" 2>"$T/xsd.err"' "the export validates against Project.xsd"
fi
# 1. A heading stays a heading.
check 'grep -q "name=\"Hinder\" isCodable=\"false\"" "$T/p.qde"' "isCodable=false for a heading (codable: false)"
check 'grep -q "name=\"Stöd\" isCodable=\"true\"" "$T/p.qde"' "isCodable=true for a code"
# 2. Inclusion and exclusion travel in the code's description.
check 'grep -q "^inclusion: Tvivel på sig själv\.$" "$T/p.qde"' "inclusion in the description"
# 4. Memos where QualCoder reads them, and no phantom "default" coder.
check 'grep -q "<TextSource [^>]*creatingUser=\"[0-9A-F-]*\"" "$T/p.qde"' "the source has a creatingUser"
check 'grep -q "<Description>Lugn intervju &amp; &lt;bra&gt;\.</Description>" "$T/p.qde"' "the document memo as the source's Description"
check 'grep -q "memo: Stöd betyder$" "$T/p.qde" && grep -q "^  mer än pengar\.$" "$T/p.qde"' "the code memo in the code's Description"

# 3. Cases and their variables.
check 'grep -q "<Variable guid=\"[0-9A-F-]*\" name=\"roll\" typeOfVariable=\"Text\"/>" "$T/p.qde"' "a case attribute as a variable"
check 'grep -q "<TextValue>Hudiksvall &amp; &lt;x&gt;</TextValue>" "$T/p.qde"' "its value in the case"
check 'grep -A14 "<Case [^>]*name=\"samtal\"" "$T/p.qde" | grep -q "<SourceRef"' "the case names its document"

# Back into tyst: everything equal, nothing twice.
run tyst-code import-qdpx "$T/b.db" "$T/p.qdpx" $R
expect_rc 0 "re-import"
expect_err '2 memos' "two memos, not four"
check '[ "$(q "$T/b.db" "SELECT codable FROM codes WHERE code = '"'hinder'"'")" = 0 ]' "the heading is still not codable"
check '[ "$(q "$T/b.db" "SELECT inclusion || '"'|'"' || exclusion FROM codes WHERE code = '"'osakerhet'"'")" = "Tvivel på sig själv.|Svårt att välja." ]' "inclusion and exclusion survive"
s="SELECT code, label, coalesce(description, ''), coalesce(inclusion, ''), coalesce(exclusion, ''), codable FROM codes ORDER BY position"
check '[ "$(q "$T/p.db" "$s")" = "$(q "$T/b.db" "$s")" ]' "every code attribute equal after the round trip"
m="SELECT coalesce(d.name, ''), coalesce(c.code, ''), m.text FROM memos m LEFT JOIN documents d ON d.id = m.document_id LEFT JOIN codes c ON c.id = m.code_id ORDER BY m.text"
check '[ "$(q "$T/p.db" "$m")" = "$(q "$T/b.db" "$m")" ]' "every memo equal after the round trip"
c="SELECT c.name, coalesce(group_concat(a.key || '=' || a.value, ';'), '') FROM cases c LEFT JOIN case_attributes a ON a.case_id = c.id GROUP BY c.id ORDER BY c.name"
check '[ "$(q "$T/p.db" "$c")" = "$(q "$T/b.db" "$c")" ]' "every case and variable equal after the round trip"
check '[ "$(q "$T/b.db" "SELECT c.name FROM documents d JOIN cases c ON c.id = d.case_id")" = samtal ]' "the document is in its case"
run tyst-code import-qdpx "$T/b.db" "$T/p.qdpx" $R
expect_err '0 memos' "a second import adds no memo"
# An attribute the project holds otherwise is kept, and said.
code case "$T/b.db" AT02 --attr roll=Deltagare
run tyst-code import-qdpx "$T/b.db" "$T/p.qdpx" $R
expect_rc 0 "import over a changed attribute"
expect_err '1 case attribute differs from the project.s, which is kept' "the difference is reported"
check '[ "$(q "$T/b.db" "SELECT value FROM case_attributes a JOIN cases c ON c.id = a.case_id WHERE c.name = '"'AT02'"'")" = Deltagare ]' "the project's value stays"

# 6. NVivo's Sources/ folder.
mkdir -p "$T/nv" && (cd "$T/nv" && unzip -q "$T/p.qdpx" && mv sources Sources && zip -qr ../nvivo.qdpx project.qde Sources)
run tyst-code import-qdpx "$T/nv.db" "$T/nvivo.qdpx" $R
expect_rc 0 "a .qdpx with Sources/ (NVivo)"
expect_err '1 document added' "its source is read"

# 5. QualCoder's richer file: what is taken, and a count for the rest.
run tyst-code import-qdpx "$T/rich.db" "$Q/qualcoder-rich.qdpx" --i-have-reviewed
expect_rc 0 "import QualCoder's rich project"
expect_err '7 segments added' "its seven codings"
cp "$T/err" "$T/err.rich"
expect_err '1 annotation, 1 journal' "the annotation and the journal are taken"
check '! grep -q "left out" "$T/err"' "nothing of QualCoder's rich file is left out"
check '[ "$(q "$T/rich.db" "SELECT value FROM meta WHERE key = '"'description'"'")" = "Projektmemo i QualCoder" ]' "the project memo is kept"
check '[ "$(q "$T/rich.db" "SELECT description FROM cases")" = "Fallmemo" ]' "the case memo is kept"
run tyst-code list "$T/rich.db" cases
expect_out '^Fall A	roll=Deltagare$' "QualCoder's case with its variable"
check '[ "$(q "$T/rich.db" "SELECT c.name FROM documents d JOIN cases c ON c.id = d.case_id")" = "Fall A" ]' "the document in QualCoder's case (named by its text file)"
run tyst-code list "$T/rich.db" memos
expect_out 'Dokumentmemo i QualCoder' "the source's Description becomes a document memo"
run tyst-code list "$T/rich.db" annotations
expect_out '	samtal	11-32	qc-kodare	Annotering i QualCoder$' "the annotation on its span (characters 10-30)"
run tyst-code list "$T/rich.db" journals
expect_out '	Forskningsdagbok	qc-kodare	Första anteckningen i journalen\.' "the journal, its text read from the archive"
check '[ "$(q "$T/rich.db" "SELECT codable FROM codes WHERE label = '"'Kategori från QualCoder'"'")" = 0 ]' "QualCoder's category stays a heading"
run tyst-code import-qdpx "$T/demo.db" "$Q/qualcoder-demo.qdpx" --i-have-reviewed
expect_rc 0 "import QualCoder's demo project"
expect_err '4 documents added .*25 segments added' "its 4 documents and 25 codings"
check '! grep -q "left out" "$T/err"' "nothing left out of the demo"

# 7. Line breaks counted otherwise: QualCoder's "MAXQDA line endings" (two
# positions per LF) and ATLAS.ti (one per CRLF) are recognised by the
# selections' names, corrected, and said.
"$TYST_BIN/tyst-code" list "$T/rich.db" segments | cut -f2- >"$T/rich.seg"
mkdir -p "$T/le" && (cd "$T/le" && unzip -q "$Q/qualcoder-rich.qdpx")
src=$(cd "$T/le" && ls sources/e4c825c7*.txt)
# Two positions per LF: each position moves by the line breaks before it.
perl -CSD -e '
	open(my $t, "<:encoding(UTF-8)", $ARGV[0]) or die; local $/; my $s = <$t>; $s =~ s/^\x{feff}//;
	my @lf = (0); my $n = 0; for my $c (split //, $s) { $n++ if $c eq "\n"; push @lf, $n; }
	open(my $q, "<:encoding(UTF-8)", $ARGV[1]) or die; my $x = <$q>;
	$x =~ s/(startPosition|endPosition)="(\d+)"/"$1=\"" . ($2 + $lf[$2]) . "\""/ge;
	print $x;' "$T/le/$src" "$T/le/project.qde" >"$T/le/p2.qde"
mv "$T/le/p2.qde" "$T/le/project.qde"
(cd "$T/le" && zip -qr ../maxqda.qdpx project.qde sources)
run tyst-code import-qdpx "$T/mx.db" "$T/maxqda.qdpx" --i-have-reviewed
expect_rc 0 "import positions that count a line break as two"
expect_err 'positions in 1 source count each line break as two characters.*corrected' "the convention is said"
"$TYST_BIN/tyst-code" list "$T/mx.db" segments | cut -f2- >"$T/mx.seg"
check 'cmp -s "$T/rich.seg" "$T/mx.seg"' "the segments are where QualCoder put them"
# One position per CRLF: the source with CRLF, the positions unchanged.
(cd "$T/le" && unzip -qo "$Q/qualcoder-rich.qdpx" && perl -pi -e 's/\n/\r\n/' "$src" && rm -f ../atlas.qdpx && zip -qr ../atlas.qdpx project.qde sources)
run tyst-code import-qdpx "$T/at.db" "$T/atlas.qdpx" --i-have-reviewed
expect_rc 0 "import positions that count a CRLF as one"
expect_err 'count a CRLF as one character.*corrected' "that convention is said too"
"$TYST_BIN/tyst-code" list "$T/at.db" segments | cut -f2- >"$T/at.seg"
check 'cmp -s "$T/rich.seg" "$T/at.seg"' "and its segments are right"
check '! grep -q "line break\|CRLF" "$T/err.rich"' "a standard file gets no such warning"

# --line-endings crlf1: CRLF sources for ATLAS.ti, positions unchanged.
run tyst-excerpt "$T/p.db" --format qdpx $R --line-endings crlf1 -o "$T/crlf.qdpx"
expect_rc 0 "export with --line-endings crlf1"
s1=$(unzip -l "$T/crlf.qdpx" | grep -oE 'sources/[0-9A-F-]+\.txt')
check 'unzip -p "$T/crlf.qdpx" "$s1" | grep -q "$(printf "\r")$"' "the source has CRLF"
check '[ "$(unzip -p "$T/crlf.qdpx" project.qde | grep -o "startPosition=\"[0-9]*\"" | md5sum)" = "$(unzip -p "$T/p.qdpx" project.qde | grep -o "startPosition=\"[0-9]*\"" | md5sum)" ]' "the positions are those of the LF text"
run tyst-code import-qdpx "$T/crlf.db" "$T/crlf.qdpx" $R
expect_rc 0 "and it reads back"
expect_err 'count a CRLF as one character' "recognised by the selections' names"
"$TYST_BIN/tyst-code" list "$T/p.db" segments | cut -f2- >"$T/p.seg"
"$TYST_BIN/tyst-code" list "$T/crlf.db" segments | cut -f2- >"$T/crlf.seg"
check 'cmp -s "$T/p.seg" "$T/crlf.seg"' "with every segment in place"
