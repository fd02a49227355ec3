# tyst-codebook end to end: the shipped codebooks, REFI-QDA both ways, and
# broken codebooks of every kind.
. "$TYST_SRCDIR/tests/cli/lib.sh"

D=$TYST_SRCDIR/tests/data/codebook
XSD=$TYST_SRCDIR/../shared/refi-qda/Codebook.xsd
[ -f "$XSD" ] || XSD=/work/shared/refi-qda/Codebook.xsd

validate() {
	if [ ! -f "$XSD" ] || ! command -v xmllint >/dev/null 2>&1; then
		ok "skipped: $2 (no Codebook.xsd or xmllint)"
		return
	fi
	if xmllint --noout --schema "$XSD" "$1" 2>"$T/xmllint"; then
		ok "$2"
	else
		not_ok "$2"
		sed 's/^/    /' "$T/xmllint" | head -5
	fi
}

# ---- the shipped codebooks -------------------------------------------------
n=0
for cb in "$TYST_SRCDIR"/codebooks/*.yaml; do
	b=$(basename "$cb" .yaml)
	n=$((n + 1))
	run tyst-codebook check "$cb"
	expect_rc 0 "$b checks clean"
	check '[ ! -s "$T/err" ]' "$b: no warnings"
	run tyst-codebook export --format qdc -o "$T/$b.qdc" "$cb"
	expect_rc 0 "$b exports to .qdc"
	validate "$T/$b.qdc" "$b.qdc validates against Codebook.xsd"
	run tyst-codebook import -o "$T/$b.yaml" "$T/$b.qdc"
	expect_rc 0 "$b.qdc imports"
	run tyst-codebook check "$T/$b.yaml"
	expect_rc 0 "$b: the imported YAML checks clean"
	run tyst-codebook export -f qdc "$T/$b.yaml"
	check 'cmp -s "$T/out" "$T/$b.qdc"' "$b: YAML → qdc → YAML → qdc gives the same qdc"
	run tyst-codebook list -f tsv "$cb"
	cut -f1,2,4,5 "$T/out" >"$T/a.tsv"
	run tyst-codebook list -f tsv "$T/$b.yaml"
	cut -f1,2,4,5 "$T/out" >"$T/b.tsv"
	check 'cmp -s "$T/a.tsv" "$T/b.tsv"' "$b: ids, parents, labels and colours survive the round trip"
	run tyst-codebook list -f jsonl "$cb"
	grep -c . "$T/out" >"$T/n1"
	run tyst-codebook list -f tsv "$cb"
	check '[ $(cat "$T/n1") -eq $(($(grep -c . "$T/out") - 1)) ]' "$b: jsonl has one line per code"
done
check '[ $n -eq 6 ]' "six codebooks are shipped ($n)"

# Exporting twice gives the same bytes: GUIDs come from the ids.
run tyst-codebook export -f qdc ips-principer
cp "$T/out" "$T/one.qdc"
run tyst-codebook export -f qdc ips-principer
check 'cmp -s "$T/out" "$T/one.qdc"' "re-exports are identical"
expect_out '<Code guid="2bdcb20c-2354-5f21-b3de-bd9cecd065ed" name="Vanligt arbete är målet" isCodable="true" color="#1F77B4">' "the GUID of vanligt-arbete is its UUIDv5"
expect_out '^id: vanligt-arbete</Description>' "the id is kept in the Description"

# ---- list, show, export md ----------------------------------------------------
run tyst-codebook list ips-principer
expect_rc 0 "a shipped codebook is found by name"
expect_out '^vanligt-arbete +Vanligt arbete är målet$' "tree lists id and label"
run tyst-codebook list -f jsonl ips-programtrohet
expect_out '^\{"id":"antal-deltagare","label":"Antal deltagare per arbetsspecialist","parent":"personal",' "jsonl has id, label, parent"
expect_out '^\{"id":"personal","label":"Personal","parent":null,"depth":0,"codable":false' "a heading has no parent and is not codable"
expect_lines 28 "the fidelity scale: 3 groups, 25 items"
run tyst-codebook list --format tsv witte-brauer-2026
expect_out '^id	parent	depth	label	color	description$' "tsv has a header"
expect_out '^ersattningssystem	deltagare	1	Ersättningssystem som påskyndande och bromsande faktor	#8c564b	' "tsv row"
run tyst-codebook list -f tree "$TYST_SRCDIR/codebooks/witte-brauer-2026.yaml"
expect_out '^  implementering-framat +Implementering framåt$' "tree indents children"
run tyst-codebook show ips-principer tidsobegransat-stod
expect_rc 0 "show a code"
expect_out '^label: +Individuellt anpassat stöd utan tidsbegränsning$' "show: label"
expect_out '^sets: +organisation$' "show: its sets"
expect_out '^defined: +.*ips-principer.yaml:[0-9]+:5$' "show: where it is defined"
run tyst-codebook show ips-principer finns-inte
expect_rc 2 "show an unknown id"
expect_err "unknown code 'finns-inte'" "names the missing id"
run tyst-codebook export --format md palmgren-nilsson-2024
expect_rc 0 "export md"
expect_out '^\| Nr \| Kod \| Beskrivning \| Inkludera \| Exkludera \| Exempel \|$' "md: Swedish table header"
expect_out '^\| 4 \| Arbete först<br>`arbete-forst` \| ' "md: a numbered row"
run tyst-codebook export -f md socialstyrelsen-2014
expect_out '^\| 1\.7 \| Coachernas tillgänglighet<br>`tillganglighet` ' "md: nested numbering"
run tyst-codebook export palmgren-nilsson-2024
expect_rc 2 "export without a format"
run tyst-codebook list -f qdc ips-principer
expect_rc 2 "list refuses an export format"

# ---- import from other programs ----------------------------------------------
run tyst-codebook import "$D/atlasti.qdc"
expect_rc 0 "import the ATLAS.ti codebook"
expect_out '^- id: commits$' "an id made from the name"
expect_out '^  - id: 2022-05-10t02-05-59z-19e4dce$' "child ids made from names"
run tyst-codebook import "$D/nvivo-like.qdc"
expect_rc 0 "import a codebook in another program's style"
expect_out '^- id: aterhamtning-arbete$' "å and ä transliterated, & dropped"
expect_out '^  - id: sjalvkansla-2$' "a repeated name gets -2"
expect_out '^  color: "#00aa88"$' "a short colour is widened"
expect_out '^  codable: false$' "isCodable=false is kept"
expect_out '^  codes: \[sjalvkansla\]$' "set members by GUID, braces and case ignored"
expect_err 'nvivo-like.qdc:9: warning: code "Självkänsla": colour "not a colour"' "a bad colour warns with its line"
expect_err 'nvivo-like.qdc:20: warning: set "Hälsa" names a code that is not' "a dangling member warns"
cp "$T/out" "$T/nv.yaml"
run tyst-codebook check "$T/nv.yaml"
expect_rc 0 "the imported YAML loads"
qdpx=$TYST_SRCDIR/../shared/refi-qda/sample-atlasti-project.qdpx
[ -f "$qdpx" ] || qdpx=/work/shared/refi-qda/sample-atlasti-project.qdpx
if [ -f "$qdpx" ]; then
	run tyst-codebook import "$qdpx"
	expect_rc 0 "import straight from a .qdpx project"
	expect_out '^- id: commits$' "the .qdpx codebook"
else
	ok "skipped: import from .qdpx (no sample project)"
fi
printf '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n<Codes>\n<Code name="a">\n</Codes>\n' >"$T/broken.qdc"
run tyst-codebook import -o "$T/never.yaml" "$T/broken.qdc"
expect_rc 2 "import broken XML"
expect_err 'broken.qdc:4:[0-9]+: XML: ' "the XML error has a line"
check '[ ! -e "$T/never.yaml" ]' "no output file after an error"
run tyst-codebook import "$TYST_SRCDIR/codebooks/ips-principer.yaml"
expect_rc 2 "import refuses YAML"
run_in "$T/ips-principer.qdc" tyst-codebook import
expect_rc 0 "import from standard input"
expect_out '^- id: vanligt-arbete$' "stdin import keeps ids"

# ---- broken codebooks ------------------------------------------------------------
bad() {
	run tyst-codebook check "$D/$1"
	expect_rc 2 "$1"
	expect_err "^tyst-codebook: .*$1:$2: $3" "$1: $3"
}
bad bad-syntax.yaml 5:1 'YAML: found unexpected end of stream'
bad bad-dup-id.yaml 7:9 "duplicate id 'arbete' \(first defined at 2:5\)"
bad bad-no-id.yaml 4:5 'a code without an id'
bad bad-no-label.yaml 2:5 "code 'arbete' has no label"
bad bad-color.yaml 4:12 "bad colour 'red': write it as \"#rrggbb\""
bad bad-color-comment.yaml 4:11 'empty colour: quote it'
bad bad-set-ref.yaml 7:21 "set 'grupp' names 'finns-inte', which is not a code"
bad bad-id-case.yaml 2:9 "bad id 'Arbete': ids are lowercase"
bad bad-not-mapping.yaml 1:1 'a codebook is a mapping'
bad bad-no-codes.yaml 1:1 "the codebook has no 'codes:'"
bad bad-no-code.yaml 1:8 'the codebook has no codes'
bad bad-empty.yaml 1:1 'empty codebook'
bad bad-alias.yaml 5:5 'YAML aliases \(\*a\) are not allowed'
bad bad-dup-key.yaml 4:5 "key 'label' given twice \(first at 3:5\)"
bad bad-label-lines.yaml 3:12 "'label' must be one line"
bad bad-codable.yaml 4:14 "'codable' must be true or false"
bad bad-two-docs.yaml 4:1 'a second YAML document'
bad bad-examples.yaml 5:7 "'examples' must be a list"
bad bad-dup-set.yaml 8:5 "duplicate set id 'g'"
bad bad-control.yaml 3:12 "'label' holds the control character U\+0001"

run tyst-codebook check "$D/bad-many.yaml"
expect_rc 2 "several errors"
check '[ $(grep -c "bad-many.yaml:" "$T/err") -eq 4 ]' "every error is reported"
check 'head -1 "$T/err" | grep -q "bad-many.yaml:2:9:"' "errors in file order"
run tyst-codebook check "$D/warn-unknown.yaml"
expect_rc 0 "unknown keys are only warnings"
expect_err "warn-unknown.yaml:4:5: warning: unknown key 'colour' in a code \(did you mean 'color'\?\)" "a hint for a near miss"
expect_err "warn-unknown.yaml:5:5: warning: unknown key 'foo'" "an unknown key warns"
run tyst-codebook check -q "$D/warn-unknown.yaml"
check '[ ! -s "$T/err" ] && [ ! -s "$T/out" ]' "check -q is silent"
printf 'codes:\n  - id: a\n    label: "\377"\n' >"$T/utf8.yaml"
run tyst-codebook check "$T/utf8.yaml"
expect_rc 2 "invalid UTF-8"
expect_err 'utf8.yaml:3:[0-9]+: .*UTF-8' "invalid UTF-8 with its place"
run tyst-codebook check "$T"
expect_rc 2 "a directory"
expect_err 'is a directory' "says it is a directory"
run tyst-codebook check "$T/finns-inte.yaml"
expect_rc 2 "a missing file"
run_in "$D/bad-dup-id.yaml" tyst-codebook check
expect_rc 2 "standard input"
expect_err '<stdin>:7:9: duplicate id' "stdin errors name <stdin>"
run tyst-codebook check "$TYST_SRCDIR/codebooks/ips-principer.yaml" "$D/bad-color.yaml"
expect_rc 2 "one bad file of two"
expect_out 'ips-principer.yaml: ok: 8 codes in 1 level, 2 sets' "the good one is still checked"
run tyst-codebook frobnicate
expect_rc 2 "unknown command"
run tyst-codebook --help
expect_rc 0 "--help"
expect_out 'tyst-codebook import' "--help lists the commands"
run tyst-codebook --version
expect_out '^tyst-codebook [0-9]' "--version"
