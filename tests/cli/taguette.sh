# Taguette: codebooks as its CSV (the only codebook format it imports) and
# its .qdc, with dotted tag names for levels.
. "$TYST_SRCDIR/tests/cli/lib.sh"
Q=$TYST_SRCDIR/tests/data/qdpx

run tyst-codebook export -f csv hudiksvall-deltagare
expect_rc 0 "export as Taguette CSV"
expect_out '^tag,description$' "Taguette's header"
expect_out '^Hinder och svårigheter\.Osäkerhet,Osäkerhet om' "a level as a dotted name"
expect_out '^Hinder och svårigheter\.Svårt att ta beslut,"Svårigheter att bestämma sig och att hålla fast vid ett spår; många idéer, täta' "a description with commas quoted"
check '! grep -q "^Hinder och svårigheter," "$T/out"' "a heading is not a tag of its own"
cp "$T/out" "$T/h.csv"
run tyst-codebook import "$T/h.csv" -o "$T/h.yaml"
expect_rc 0 "import our own CSV"
tyst() { "$TYST_BIN/tyst-codebook" "$@"; }
check '[ "$(tyst list -f tsv "$T/h.yaml" | cut -f3 | sort)" = "$(tyst list -f tsv hudiksvall-deltagare | cut -f3 | sort)" ]' "the same labels come back"
run tyst-codebook list -f tsv "$T/h.yaml"
expect_out '^osakerhet	hinder-och-svarigheter	' "the hierarchy comes back"

run tyst-codebook import "$Q/taguette-codebook.csv"
expect_rc 0 "import Taguette's CSV"
expect_out '^  - id: vanligt-jobb$' "arbete.vanligt-jobb under arbete"
expect_out 'description: Riktigt jobb med lön, å ä ö' "a quoted description"
expect_out '^- id: stod-pengar$' "an id from a name with &"
run tyst-codebook import "$Q/taguette-codebook.qdc"
expect_rc 0 "import Taguette's .qdc (an empty <Sets/> and all)"
expect_out '^  - id: vanligt-jobb$' "its dotted names are levels too"

printf 'name,description\nx,y\n' >"$T/nottag.csv"
run tyst-codebook import "$T/nottag.csv"
expect_rc 2 "a CSV without a tag column"
expect_err 'nottag\.csv:1: no "tag" column' "names the file and the line"
printf 'tag,description\nx,"open\n' >"$T/open.csv"
run tyst-codebook import "$T/open.csv"
expect_rc 2 "an unclosed quote"
expect_err 'open\.csv:2: a quoted field is not closed' "names the line where it opens"
