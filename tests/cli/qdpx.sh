# REFI-QDA: tyst-excerpt --format qdpx and tyst-code import-qdpx.
. "$TYST_SRCDIR/tests/cli/lib.sh"
D=$TYST_SRCDIR/tests/data/agree
Q=$TYST_SRCDIR/tests/data/qdpx
R="--rules $D/rules-pnr.yaml"
# The schema is project-provided material beside the source tree (a
# worktree sits one level deeper).
XSD=$TYST_SRCDIR/../shared/refi-qda/Project.xsd
[ -f "$XSD" ] || XSD=$TYST_SRCDIR/../../shared/refi-qda/Project.xsd
code() { "$TYST_BIN/tyst-code" "$@" >>"$T/setup.log" 2>&1; }

code init "$T/p.db" --codebook "$D/book.yaml"
code import "$T/p.db" $R "$D/samtal.txt"
code add "$T/p.db" samtal --code arbete --coder anna --lines 2
code add "$T/p.db" samtal --code arbete --coder bo --match 'ringde arbetsgivare åt mig'
code add "$T/p.db" samtal --code stod --coder anna --lines 6 --memo 'stöd & "tillit"'
code memo "$T/p.db" --document samtal --coder anna "Lugn intervju."

run tyst-excerpt "$T/p.db" --format qdpx $R -o "$T/p.qdpx"
expect_rc 0 "export as qdpx"
check 'unzip -l "$T/p.qdpx" | grep -q " project\.qde$"' "the archive holds project.qde"
check 'unzip -l "$T/p.qdpx" | grep -qE " sources/[0-9A-F-]{36}\.txt$"' "the archive holds sources/<guid>.txt"
unzip -p "$T/p.qdpx" project.qde >"$T/project.qde"
if [ -f "$XSD" ]; then
	check 'xmllint --noout --schema "$XSD" "$T/project.qde" 2>"$T/xmllint.err"' "project.qde validates against Project.xsd"
	# The validation can fail: a GUID that is not one.
	sed 's/<User guid="[^"]*"/<User guid="not-a-guid"/' "$T/project.qde" >"$T/bad.qde"
	check '! xmllint --noout --schema "$XSD" "$T/bad.qde" 2>/dev/null' "a broken project.qde fails the schema"
else
	echo "# SKIP: $XSD not found; schema validation not run"
fi

# Positions count characters: bo's segment (turn 4) comes after "började"
# and "för", so bytes and characters differ before it.
sel=$(grep -o 'startPosition="[0-9]*" endPosition="[0-9]*" creatingUser="[^"]*"' "$T/project.qde" | sed -n 2p)
a=$(echo "$sel" | sed 's/.*startPosition="\([0-9]*\)".*/\1/')
b=$(echo "$sel" | sed 's/.*endPosition="\([0-9]*\)".*/\1/')
src=$(unzip -l "$T/p.qdpx" | grep -oE 'sources/[0-9A-F-]+\.txt')
unzip -p "$T/p.qdpx" "$src" >"$T/source.txt"
got=$(perl -CSD -e 'local $/; my $t = <STDIN>; print substr($t, $ARGV[0], $ARGV[1] - $ARGV[0])' "$a" "$b" <"$T/source.txt")
check '[ "$got" = "Coachen ringde arbetsgivare åt mig." ]' "character positions cut the segment's text ($a-$b: '$got')"
check 'cmp -s "$T/source.txt" "$D/samtal.txt"' "the source is the stored text"

run tyst-excerpt "$T/p.db" --format qdpx $R --code arbete -o "$T/x.qdpx"
expect_rc 2 "qdpx with a filter"
check '[ ! -e "$T/x.qdpx" ]' "nothing written with a filter"

# Back in: the same documents, codes, coders, segments and memos.
run tyst-code import-qdpx "$T/back.db" "$T/p.qdpx" $R
expect_rc 0 "import the export into a new project"
expect_err '1 document added .*2 codes, 2 new coders, 3 segments added .*1 memo' "import counts"
"$TYST_BIN/tyst-code" list "$T/p.db" segments | cut -f2- >"$T/a.seg"
"$TYST_BIN/tyst-code" list "$T/back.db" segments | cut -f2- >"$T/b.seg"
check 'cmp -s "$T/a.seg" "$T/b.seg"' "segments survive the round trip"
run tyst-code list "$T/back.db" codes
expect_out '^arbete	' "code ids survive the round trip"
run tyst-code list "$T/back.db" memos
expect_out 'Lugn intervju\.' "the document memo survives"
run tyst-code list "$T/back.db" segments --format jsonl
expect_out 'stöd & \\"tillit\\"' "the segment memo survives"
run tyst-code import-qdpx "$T/back.db" "$T/p.qdpx" $R
expect_rc 0 "importing again"
expect_err '0 documents added \(1 already there\).*0 segments added \(3 already there\)' "importing again adds nothing"

# The ATLAS.ti sample: two users, three codes (one with two children).
run tyst-code import-qdpx "$T/atlas.db" "$Q/sample-atlasti-project.qdpx" $R
expect_rc 0 "import the ATLAS.ti sample"
expect_err '0 documents added .*3 codes, 2 new coders' "ATLAS.ti sample: 3 codes, 2 coders"
run tyst-code list "$T/atlas.db" codes
expect_lines 3 "three codes"
expect_out '	commits	2022-02-11T10:39:25Z cdbfd92$' "a child code under its parent"
run tyst-code list "$T/atlas.db" coders
expect_out '^Enric Llagostera$' "the ATLAS.ti user"

# Bad archives: exit 2, and the project is not created half.
printf 'not a zip\n' >"$T/plain.qdpx"
run tyst-code import-qdpx "$T/p.db" "$T/plain.qdpx" $R
expect_rc 2 "a qdpx that is not a zip"
expect_err 'plain\.qdpx: not a zip archive' "says it is not a zip"

mkdir "$T/z" && (cd "$T/z" && unzip -q "$T/p.qdpx")
sed -i 's/<User guid="[^"]*"/<User guid="not-a-guid"/' "$T/z/project.qde"
(cd "$T/z" && zip -qr ../badguid.qdpx project.qde sources)
run tyst-code import-qdpx "$T/p.db" "$T/badguid.qdpx" $R
expect_rc 2 "a project.qde that fails the schema"
expect_err 'badguid\.qdpx: project\.qde:[0-9]+: <User guid="not-a-guid">: not a GUID' "names the line and the bad GUID"

printf '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>' >"$T/z/project.qde"
(cd "$T/z" && rm -f ../trunc.qdpx && zip -q ../trunc.qdpx project.qde)
run tyst-code import-qdpx "$T/p.db" "$T/trunc.qdpx" $R
expect_rc 2 "a project.qde that is not well-formed"
expect_err 'trunc\.qdpx: project\.qde:1: ' "names project.qde and the line"

sed 's/startPosition="[0-9]*"/startPosition="-4"/' "$T/project.qde" >"$T/z/project.qde"
(cd "$T/z" && rm -f ../neg.qdpx && zip -qr ../neg.qdpx project.qde sources)
run tyst-code import-qdpx "$T/p.db" "$T/neg.qdpx" $R
expect_rc 2 "a negative position"
expect_err 'startPosition="-4" is not a non-negative integer' "says what is wrong with the position"

(cd "$T/z" && rm -f ../empty.qdpx && echo x >x.txt && zip -q ../empty.qdpx x.txt)
run tyst-code import-qdpx "$T/p.db" "$T/empty.qdpx" $R
expect_rc 2 "an archive without project.qde"
expect_err 'no project\.qde' "says project.qde is missing"
run tyst-code list "$T/p.db" segments
expect_lines 3 "the project is unchanged after failed imports"
