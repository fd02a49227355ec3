# A document tyst-pseudo wrote, or that tyst-excerpt exported from a tyst
# project, comes (back) in without --rules: the project records the
# pseudonyms tyst-pseudo's manifest names, and they pass the gate of
# import and of import-qdpx.  Where nothing vouches for them, the refusal
# says how to go on.
. "$TYST_SRCDIR/tests/cli/lib.sh"

cb=$TYST_SRCDIR/codebooks/ips-principer.yaml
P=$T/p.db
q() { sqlite3 "$1" "$2"; }
mkdir -p "$T/in" "$T/pseudo" "$T/x"
printf 'I: Vem hjälpte dig?\nIP: Det var Leija Andersson på kontoret i Skövde. Hon ringde.\nI: Mm.\n' >"$T/in/at01.txt"

run tyst-pseudo -k "$T/key.db" -o "$T/pseudo" "$T/in/at01.txt"
expect_rc 0 "tyst-pseudo -o writes a copy and a manifest"
check '! grep -q Leija "$T/pseudo/at01.txt"' "the name is replaced"

"$TYST_BIN/tyst-code" init "$P" --codebook "$cb" 2>/dev/null
run tyst-code import "$P" "$T/pseudo/at01.txt"
expect_rc 0 "tyst-pseudo's copy comes in without --rules"
check '[ "$(q "$P" "SELECT review FROM documents")" = tyst-pseudo ]' "recognised as tyst-pseudo's"
run tyst-code add "$P" at01 --code vanligt-arbete --coder k1 --lines 2
expect_rc 0 "coded"

# tyst-excerpt's REFI-QDA export of the project.
run tyst-excerpt "$P" -f qdpx -o "$T/p.qdpx"
expect_rc 0 "tyst-excerpt exports the project as .qdpx"

# Back into the same project, unchanged: matched by its text.
cp "$P" "$T/same.db"
run tyst-code import-qdpx "$T/same.db" "$T/p.qdpx"
expect_rc 0 "the export comes back into its project without a flag"
expect_err '0 documents added \(1 already there\).*0 segments added \(1 already there\)' "matched, nothing doubled"

# Back after a round trip that changed the text (a line added in another
# program): a new document, and the project's pseudonyms let it in.
(cd "$T/x" && unzip -q "$T/p.qdpx" &&
    for f in sources/*.txt; do printf 'I: Tack.\n' >>"$f"; done &&
    zip -q -r "$T/rt.qdpx" project.qde sources)
check '[ -s "$T/rt.qdpx" ]' "a changed round trip made"
cp "$P" "$T/rt.db"
run tyst-code import-qdpx "$T/rt.db" "$T/rt.qdpx"
expect_rc 0 "a changed round trip comes into the project without a flag"
expect_err '1 document added' "as a document of its own"
check '[ "$(q "$T/rt.db" "SELECT review FROM documents WHERE name <> '\''at01'\''")" = tyst-pseudo ]' "recorded as passing on tyst-pseudo's pseudonyms"

# Into a project that does not know the pseudonyms: refused, saying how on.
"$TYST_BIN/tyst-code" init "$T/new.db" --codebook "$cb" 2>/dev/null
run tyst-code import-qdpx "$T/new.db" "$T/rt.qdpx"
expect_rc 2 "a fresh project does not know the pseudonyms"
expect_err "import the copy it wrote with -o DIR into this project first" "the refusal names the manifest route"
expect_err "pass --rules with the tyst-pseudo-rules.yaml" "and the --rules route"
check '[ "$(q "$T/new.db" "SELECT count(*) FROM documents")" = 0 ]' "nothing imported"
run tyst-code import-qdpx "$T/new.db" "$T/rt.qdpx" --rules "$T/pseudo/tyst-pseudo-rules.yaml"
expect_rc 0 "--rules with the rules tyst-pseudo wrote lets it in"

# tyst-pseudo to standard output: no manifest; the refusal says how on.
"$TYST_BIN/tyst-pseudo" -k "$T/key.db" "$T/in/at01.txt" >"$T/at01b.txt" 2>/dev/null
"$TYST_BIN/tyst-code" init "$T/new2.db" --codebook "$cb" 2>/dev/null
run tyst-code import "$T/new2.db" "$T/at01b.txt"
expect_rc 2 "tyst-pseudo's standard output is not recognised"
expect_err "tyst-pseudo's standard output has no manifest: run it again with -o DIR, or pass --rules" "the refusal says how to go on"
