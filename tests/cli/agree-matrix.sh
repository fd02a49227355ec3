# tyst-agree --matrix: published figures and bad reliability data.
. "$TYST_SRCDIR/tests/cli/lib.sh"
D=$TYST_SRCDIR/tests/data/agree

run tyst-agree --matrix "$D/krippendorff-2011-4coders.tsv"
expect_rc 0 "Krippendorff's four-coder example"
expect_out "^Krippendorff's alpha: 0\.743$" "nominal alpha 0.743 (Krippendorff 2011)"
expect_out '^units: +12 \(pairable: 11, values: 40\)$' "12 units, 11 pairable, 40 values"
expect_out "^Cohen's kappa: +- +\(two coders only\)" "no kappa for four coders"

run tyst-agree --matrix "$D/krippendorff-2011-binary.tsv"
expect_out "^Krippendorff's alpha: 0\.095$" "binary two-coder alpha 0.095 (Krippendorff 2011)"

run tyst-agree --matrix "$D/cohen-50-yes-no.tsv" --format tsv
expect_rc 0 "tsv output"
expect_out '^coders	units	pairable	values	agreement	kappa	alpha$' "tsv header"
expect_out '^2	50	50	100	0\.700	0\.400	0\.400$' "50-item yes/no example: kappa 0.400"

run tyst-agree -m "$D/fleiss-3-diagnoses.tsv"
expect_out "^Cohen's kappa: +0\.676$" "three diagnostic categories: kappa 0.676"
expect_out '^coders: +psychiatrist 1, psychiatrist 2$' "coder names with spaces"

# Standard input, CRLF line ends and a BOM give the same figures.
printf '\357\273\277' >"$T/crlf.tsv"
sed 's/$/\r/' "$D/krippendorff-2011-4coders.tsv" >>"$T/crlf.tsv"
run_in "$T/crlf.tsv" tyst-agree --matrix -
expect_rc 0 "BOM and CRLF from standard input"
expect_out "^Krippendorff's alpha: 0\.743$" "same alpha through BOM and CRLF"

# One unit, all agree: alpha and kappa are 0/0 and said to be undefined.
printf 'A\tB\nja\tja\n' >"$T/one.tsv"
run tyst-agree --matrix "$T/one.tsv"
expect_rc 0 "one unit, all agree"
expect_out '^percent agreement: +1\.000$' "one unit: percent agreement 1.000"
expect_out "^Krippendorff's alpha: undefined$" "one unit: alpha undefined, not 1"
expect_out "^Cohen's kappa: +undefined$" "one unit: kappa undefined"

# Bad input: clear errors, exit 2, naming file:line:col.
printf 'A\n1\n2\n' >"$T/onecoder.tsv"
run tyst-agree --matrix "$T/onecoder.tsv"
expect_rc 2 "one coder"
expect_err 'onecoder\.tsv:1:1: .*at least two coders' "one coder: says two are needed"

printf 'A\tB\tC\n1\t1\t1\n1\t2\n' >"$T/short.tsv"
run tyst-agree --matrix "$T/short.tsv"
expect_rc 2 "a short row"
expect_err 'short\.tsv:3:1: row has 2 cells, but line 1 names 3 coders' "short row: line and count"

printf 'A\tB\n1\t1\t1\n' >"$T/long.tsv"
run tyst-agree --matrix "$T/long.tsv"
expect_rc 2 "a long row"
expect_err 'long\.tsv:2:5: row has 3 cells' "long row: column of the extra cell"

printf 'A\tBö\tC\n1\t\t1\n2\t\t1\n' >"$T/nobody.tsv"
run tyst-agree --matrix "$T/nobody.tsv"
expect_rc 2 "a coder with no values"
expect_err "nobody\.tsv:1:3: coder 'Bö' has no values" "coder without values named at file:1:col"

printf 'A\t\tC\n1\t1\t1\n' >"$T/noname.tsv"
run tyst-agree --matrix "$T/noname.tsv"
expect_rc 2 "a coder without a name"
expect_err 'noname\.tsv:1:3: coder 2 has no name' "nameless coder"

printf 'A\tB\tA\n1\t1\t1\n' >"$T/twice.tsv"
run tyst-agree --matrix "$T/twice.tsv"
expect_rc 2 "a coder named twice"
expect_err "twice\.tsv:1:5: coder 'A' is named twice" "repeated coder"

: >"$T/empty.tsv"
run tyst-agree --matrix "$T/empty.tsv"
expect_rc 2 "an empty file"
expect_err 'empty\.tsv: empty' "empty file"

printf 'A\tB\n\377\t1\n' >"$T/latin1.tsv"
run tyst-agree --matrix "$T/latin1.tsv"
expect_rc 2 "invalid UTF-8"
expect_err 'latin1\.tsv:2:' "invalid UTF-8 named by line"

run tyst-agree --matrix "$T"
expect_rc 2 "a directory"
run tyst-agree --matrix "$T/missing.tsv"
expect_rc 2 "a missing file"
expect_err 'missing\.tsv' "missing file named"

run tyst-agree --matrix "$D/cohen-50-yes-no.tsv" --format xml
expect_rc 2 "unknown format"
run tyst-agree
expect_rc 2 "no input"
run tyst-agree --help
expect_rc 0 "--help"
expect_out 'usage: tyst-agree' "--help prints usage"
