# End-to-end tests of tyst-pnr.
. "$TYST_SRCDIR/tests/cli/lib.sh"

# The slice [start, end) of a file, for checking reported byte offsets.
slice() { dd if="$1" bs=1 skip="$2" count=$(($3 - $2)) 2>/dev/null; }

printf 'I: Vad är ditt personnummer?\nIP: Det är 811218-9876, eller (19811218-9876).\n' >"$T/a.txt"
run tyst-pnr "$T/a.txt"
expect_rc 1 "finds numbers"
expect_out "^$T/a.txt:2:12: personnummer 811218-\*\*\*\* valid$" "compiler-style line, last four masked"
expect_out ":2:32: personnummer 19811218-\*\*\*\* valid$" "12-digit form in brackets"
expect_no_out "9876" "the last four digits never shown by default"

run tyst-pnr --show "$T/a.txt"
expect_out "811218-9876 valid" "--show prints the whole number"

run tyst-pnr -f jsonl "$T/a.txt"
expect_out '^\{"file":".*a.txt","line":2,"col":12,"start":42,"end":53,"category":"PNR","kind":"personnummer","valid":true,"sex":"male","birth_year":1981,"text":"811218-\*\*\*\*"\}$' "jsonl object"
check '[ "$(slice "$T/a.txt" 42 53)" = "811218-9876" ]' "jsonl offsets cut the number out of the file"

# CRLF and a BOM: offsets still point into the file as read.
printf '\357\273\277I: Hej\r\nIP: 811218-9876\r\n' >"$T/crlf.txt"
run tyst-pnr -f jsonl --show "$T/crlf.txt"
expect_rc 1 "CRLF and BOM input scanned"
expect_out '"line":2,"col":5,"start":15,"end":26' "offsets count the BOM and the CR"
check '[ "$(slice "$T/crlf.txt" 15 26)" = "811218-9876" ]' "CRLF offsets cut the number out"

# Mistyped numbers are reported as invalid, unless --valid-only.
printf 'fel: 811218-9875\nsamordning: 811278-9873\n' >"$T/b.txt"
run tyst-pnr "$T/b.txt"
expect_out "personnummer 811218-\*\*\*\* invalid" "wrong check digit reported as invalid"
expect_out "samordningsnummer 811278-\*\*\*\*" "samordningsnummer named"
run tyst-pnr --valid-only "$T/b.txt"
expect_no_out "811218" "--valid-only drops the invalid one"

# Things that are not personnummer.
cat >"$T/not.txt" <<'TXT'
Dnr 2023-00347-01 gäller perioden 20240312-20240315.
Ring 070-123 45 67 eller 0701234567, kl. 14.30.
Order 12811218-9876-01, belopp 4 500 kr, 75 %, åren 2019-2021.
Organisationsnummer 556677-8899.
TXT
run tyst-pnr "$T/not.txt"
expect_rc 0 "no false hits on diary numbers, ranges, phones, amounts"

run tyst-pnr --count "$T/a.txt"
expect_out '^2$' "--count"
run tyst-pnr --count "$T/a.txt" "$T/b.txt"
expect_out "a.txt:2$" "--count per file"

run tyst-pnr --check 19811218-9876
expect_rc 0 "--check valid"
expect_out "personnummer, valid, man, born 1981-12-18" "--check tells sex and birth date"
run tyst-pnr --check 811218-9875
expect_rc 1 "--check invalid check digit"
run tyst-pnr --check hej
expect_rc 1 "--check not a number"

# Standard input.
run_in "$T/a.txt" tyst-pnr
expect_out '^<stdin>:2:12:' "reads standard input"

# Bad input.
printf 'rad ett\nrad tv\344 811218-9876\n' >"$T/latin1.txt"
run tyst-pnr "$T/latin1.txt"
expect_rc 1 "Latin-1 (Windows-1252) text is read"
expect_out "latin1.txt:2:9: personnummer" "its line and column"
printf 'rad ett\nrad tv\201 811218-9876\n' >"$T/neither.txt"
run tyst-pnr "$T/neither.txt"
expect_rc 2 "neither UTF-8 nor Windows-1252 is an error"
expect_err "neither.txt:2:7: byte 0x81 at byte offset 14" "names line, column and byte offset"

printf 'abc\000def\n' >"$T/bin.dat"
run tyst-pnr "$T/bin.dat"
expect_rc 2 "NUL bytes refused"
expect_err "bin.dat:1:4: NUL byte at byte offset 3: binary file" "binary file named"

: >"$T/empty.txt"
run tyst-pnr "$T/empty.txt"
expect_rc 0 "empty input"

run tyst-pnr "$T"
expect_rc 2 "a directory"
expect_err "$T: is a directory" "directory named"

run tyst-pnr "$T/a.txt" "$T/missing.txt" "$T/b.txt"
expect_rc 2 "a missing file among several"
expect_err "missing.txt: No such file" "missing file named"
expect_out "b.txt:1:6:" "the files after it are still scanned"

# An unreadable file: root reads anything, so use a file that fails on read.
if [ "$(id -u)" = 0 ]; then
	run tyst-pnr /proc/self/mem
	expect_rc 2 "an unreadable file"
	expect_err "/proc/self/mem:.*read" "read error named"
else
	printf 'x\n' >"$T/secret.txt"
	chmod 000 "$T/secret.txt"
	run tyst-pnr "$T/secret.txt"
	expect_rc 2 "an unreadable file"
	expect_err "secret.txt: Permission denied" "permission error named"
fi

# One 10 MB line with a number at its end.
if [ -z "$TYST_SLOW" ]; then
	awk 'BEGIN { s = "ord "; while (length(s) < 10485760) s = s s; printf "%s 811218-9876\n", substr(s, 1, 10485760) }' >"$T/long.txt"
	run tyst-pnr -f jsonl "$T/long.txt"
	expect_rc 1 "a 10 MB line"
	expect_out '"start":10485761,"end":10485772' "offset at the end of a 10 MB line"
fi

# Every personnummer in the gold annotations of corpus-samples is found.
gold="$TYST_SRCDIR/corpus-samples/gold.tsv"
missed=0
for f in "$TYST_SRCDIR"/corpus-samples/*.txt; do
	run tyst-pnr -f jsonl "$f"
	b=$(basename "$f")
	awk -F'\t' -v f="$b" '$1 == f && $4 == "PNR" { print $2 " " $3 }' "$gold" >"$T/want"
	while read -r s e; do
		grep -q "\"start\":$s,\"end\":$e," "$T/out" || { missed=$((missed + 1)); echo "    missed $b $s $e"; }
	done <"$T/want"
done
check '[ $missed -eq 0 ]' "every gold personnummer in corpus-samples found"

run tyst-pnr --help
expect_out "usage: tyst-pnr" "--help"
run tyst-pnr --version
expect_out "^tyst-pnr [0-9]" "--version"
run tyst-pnr --format xml
expect_rc 2 "an unknown format is an error"
