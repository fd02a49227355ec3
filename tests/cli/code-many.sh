# tyst-code add --match over many documents: all of them, a case's, or
# those of cases with an attribute; what was added, per document.
. "$TYST_SRCDIR/tests/cli/lib.sh"
D=$TYST_SRCDIR/tests/data/agree
R="--rules $D/rules-pnr.yaml"
code() { "$TYST_BIN/tyst-code" "$@" >>"$T/setup.log" 2>&1; }
q() { sqlite3 "$T/p.db" "$1"; }

printf 'I: Hur gick det?\nIP: Jag fick jobb.\n' >"$T/a1.txt"
printf 'I: Och sen?\nIP: Inget jobb, bara praktik.\n' >"$T/a2.txt"
printf 'I: Berätta.\nIP: Praktik på ett lager.\n' >"$T/b1.txt"
code init "$T/p.db" --codebook "$D/book.yaml"
code import "$T/p.db" $R --case AT01 --attr roll=deltagare "$T/a1.txt" "$T/a2.txt"
code import "$T/p.db" $R --case AT02 --attr roll=handledare "$T/b1.txt"

run tyst-code add "$T/p.db" --all --code arbete --coder anna --match 'jobb'
expect_rc 0 "add --match over all documents"
expect_err '^a1: 1 segment added, 0 already there$' "a1 said"
expect_err '^a2: 1 segment added, 0 already there$' "a2 said"
check '! grep -q "^b1:" "$T/err"' "a document without a match is not listed"
expect_lines 2 "the two segments listed on stdout"
run tyst-code add "$T/p.db" --case AT02 --code stod --coder anna --match 'Praktik'
expect_rc 0 "add --match over a case's documents"
expect_err '^b1: 1 segment added' "b1 is AT02's"
check '[ "$(q "SELECT count(*) FROM segments s JOIN documents d ON d.id = s.document_id WHERE d.name = '"'a2'"' AND s.code_id = (SELECT id FROM codes WHERE code = '"'stod'"')")" = 0 ]' "a2 (AT01) untouched"
run tyst-code add "$T/p.db" --attr roll=deltagare --code stod --coder bo --match 'praktik' -i
expect_rc 0 "add --match over the documents of cases with an attribute"
expect_err '^a2: 1 segment added' "a2 has roll=deltagare"
check '! grep -q "^b1:" "$T/err"' "b1 (roll=handledare) is not"
run tyst-code add "$T/p.db" --all --code arbete --coder anna --match 'jobb'
expect_rc 0 "again"
expect_err '^a1: 0 segments added, 1 already there$' "nothing twice"
n=$(q "SELECT count(*) FROM segments")
run tyst-code add "$T/p.db" --all --code arbete --coder anna --match 'cykel'
expect_rc 1 "no match anywhere: exit 1"
expect_err 'no match for .cykel. in any of the documents' "says so"
check '[ "$(q "SELECT count(*) FROM segments")" = "$n" ]' "nothing added"
run tyst-code add "$T/p.db" --case AT09 --code arbete --coder anna --match 'jobb'
expect_rc 2 "a case with no documents"
expect_err 'no document in the project is in that selection' "says so"
run tyst-code add "$T/p.db" a1 --all --code arbete --coder anna --match 'jobb'
expect_rc 2 "--all with a DOC too"
