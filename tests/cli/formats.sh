# The files transcripts come in: UTF-16, Windows-1252, WebVTT and SRT give
# the findings of the same text as plain UTF-8, tyst-pseudo writes them back
# in their own format and --reverse restores them byte for byte; formats
# tyst does not read are refused in one line.
. "$TYST_SRCDIR/tests/cli/lib.sh"

F="$TYST_SRCDIR/corpus-samples/formats"
C="$TYST_SRCDIR/corpus-samples"
mkdir "$T/o" "$T/rev" "$T/secret" "$T/bad"
chmod 700 "$T/secret"
K="$T/secret/f.key"

# scan_same NAME FILE PLAIN CUT: the findings of FILE and PLAIN, each line
# cut by the sed expression CUT (what differs by design: the file name, and
# for subtitles the line and column).
scan_same() {
	run tyst-scan "$2"
	sed "$4" "$T/out" >"$T/a"
	cnt=$(wc -l <"$T/a" | tr -d ' ')
	run tyst-scan "$3"
	sed "$4" "$T/out" >"$T/b"
	if [ "$cnt" -gt 0 ] && cmp -s "$T/a" "$T/b"; then
		ok "$1: the findings of the same text as plain UTF-8 ($cnt)"
	else
		not_ok "$1: findings differ from the plain UTF-8 text ($cnt)"
		diff "$T/a" "$T/b" | head -5 | sed 's/^/    /'
	fi
}

# ---- reading -----------------------------------------------------------------

for n in 01 09; do
	scan_same "intervju$n.vtt" "$F/intervju$n.vtt" "$F/intervju$n-vtt.txt" \
	    's/^[^ ]* //'
	scan_same "intervju$n.srt" "$F/intervju$n.srt" "$F/intervju$n-srt.txt" \
	    's/^[^ ]* //'
	scan_same "intervju$n-utf16.txt" "$F/intervju$n-utf16.txt" \
	    "$C/intervju$n.txt" 's/^[^:]*://'
	scan_same "intervju$n-cp1252.txt" "$F/intervju$n-cp1252.txt" \
	    "$C/intervju$n.txt" 's/^[^:]*://'
done
for n in 01 03; do
	scan_same "intervju$n.docx" "$F/intervju$n.docx" "$F/intervju$n-docx.txt" \
	    's/^[^ ]* //'
	scan_same "intervju$n.odt" "$F/intervju$n.odt" "$F/intervju$n-odt.txt" \
	    's/^[^ ]* //'
done
run tyst-scan "$F/intervju01.docx"
expect_out 'PERSON "Rolf Engström"' ".docx: a name split across runs is found"
expect_out 'intervju01.docx:[0-9]+:14: PERSON "Tindra Ek"' ".docx: the header's name is found"
expect_out 'PERSON "Jonas Berg"' ".docx: a comment's text is scanned"
expect_out 'PLACE "Gävle"' ".docx: deleted text (w:delText) is scanned"
check '[ "$(grep -c "PERSON \"Maria Hedlund\"" "$T/out")" -ge 4 ]' \
    ".docx: comment, revision and document authors are found"
run tyst-scan -f jsonl "$F/intervju01.docx"
expect_out '"text":"Rolf Engström".*"part":"word/document.xml","para":[0-9]+' \
    ".docx JSON Lines: the part and the paragraph"
expect_out '"part":"word/header1.xml","para":1' ".docx JSON Lines: a header's part"
run tyst-pnr "$F/intervju01.docx"
expect_rc 1 "tyst-pnr reads a .docx"
run tyst-pseudo -k "$T/secret/d.key" -o "$T/o" "$F/intervju01.docx"
expect_rc 0 "tyst-pseudo writes a .docx (tests/cli/docx-write.sh checks what)"
check 'unzip -p "$T/o/intervju01.docx" word/document.xml | grep -q "<w:body>"' \
    "a .docx it is"
sum=$(sha256sum "$T/o/intervju01.docx" | cut -d' ' -f1)
check 'grep -q "\"file\":\"intervju01.docx\",\"sha256\":\"$sum\"" "$T/o/tyst-pseudo-manifest.jsonl"' \
    ".docx: the manifest holds the sha256 of the file written"
run tyst-code init "$T/d.db" --codebook ips-principer
run tyst-code import "$T/d.db" "$F/intervju01.odt"
expect_rc 2 "tyst-code import: an .odt with names is stopped by the gate"

# Hostile archives: one line, exit 2, nothing read whole.
H="$TYST_SRCDIR/tests/data/formats"
for f in bomb manyparts entities broken notxml; do
	run tyst-scan "$H/$f.docx"
	expect_rc 2 "hostile $f.docx"
	check '[ "$(wc -l <"$T/err")" -eq 1 ]' "$f.docx: one line"
done
run tyst-scan "$H/bomb.docx"
expect_err 'zip bomb' "a zip bomb is called one"
run tyst-scan "$H/entities.docx"
expect_err 'DOCTYPE' "entities are refused with their DOCTYPE"
expect_no_out 'root' "no external entity is read"

scan_same "intervju07-utf16.txt" "$F/intervju07-utf16.txt" \
    "$C/intervju07.txt" 's/^[^:]*://'

run tyst-scan "$F/intervju01.vtt"
expect_no_out 'WEBVTT|captions|-->|"v"|SPEAKER' "WebVTT: header, timings and tags are not text"
expect_out 'intervju01\.vtt:[0-9]+:1: PERSON "Karin Holm"' "WebVTT: a voice tag's name is a speaker label"
run tyst-scan "$F/intervju01.srt"
expect_no_out '"SPEAKER|-->' "SRT: speaker labels and timings are not findings"

# start and end are byte offsets into the file as read.
# at FILE START END: the bytes [START, END) of FILE.
at() { tail -c +"$(($2 + 1))" "$1" | head -c "$(($3 - $2))"; }
for f in intervju01.vtt intervju01-cp1252.txt intervju01-utf16.txt; do
	run tyst-scan -f jsonl "$F/$f"
	line=$(grep '"text":"Rolf Engström"' "$T/out" | head -1)
	s=$(printf '%s\n' "$line" | sed 's/.*"start":\([0-9]*\).*/\1/')
	e=$(printf '%s\n' "$line" | sed 's/.*"end":\([0-9]*\).*/\1/')
	case $f in
	*cp1252*) got=$(at "$F/$f" "$s" "$e" | iconv -f WINDOWS-1252 -t UTF-8) ;;
	*utf16*) got=$(at "$F/$f" "$s" "$e" | iconv -f UTF-16LE -t UTF-8) ;;
	*) got=$(at "$F/$f" "$s" "$e") ;;
	esac
	check '[ "$got" = "Rolf Engström" ]' "$f: JSON Lines offsets cut the finding from the file"
done

# Forced formats.
printf 'Jag heter Mona Lind och bor i G\344vle.\n' >"$T/latin.txt"
run tyst-scan -F cp1252 "$T/latin.txt"
expect_out 'PERSON "Mona' "-F cp1252 reads the text"
run tyst-scan --input-format srt "$F/intervju01-vtt.txt"
expect_rc 1 "-F srt over a text without cues still scans all of it"
run tyst-scan --input-format vtt "$F/intervju01-vtt.txt"
expect_rc 2 "-F vtt over a text without the WEBVTT line"
expect_err 'not WebVTT' "says it is not WebVTT"
printf 'WEBVTT Intervju med Mona Lind\nTitle: Mona Lind\n\n00:01.000 --> 00:02.000\nHej.\n' >"$T/title.vtt"
run tyst-scan "$T/title.vtt"
expect_out 'title.vtt:1:[0-9]+: PERSON "Mona' "WebVTT: a name on the WEBVTT line is found"
expect_out 'title.vtt:2:[0-9]+: PERSON "Mona' "WebVTT: a name in a header value is found"
expect_no_out '"(WEBVTT|Title)"' "WebVTT: the keywords are not"
run tyst-scan -F rtf "$T/latin.txt"
expect_rc 2 "an unknown input format"
expect_err 'unknown input format' "names the problem"

# ---- writing and reversing -----------------------------------------------------

# Each its own key: a pseudonym a UTF-8 file got need not fit Windows-1252.
for f in intervju01.vtt intervju09.srt intervju01-cp1252.txt intervju07-utf16.txt; do
	K="$T/secret/$f.key"
	run tyst-pseudo -k "$K" -o "$T/o" "$F/$f"
	expect_rc 0 "tyst-pseudo $f"
	check '! cmp -s "$F/$f" "$T/o/$f"' "$f: the output differs from the input"
	run tyst-pseudo --reverse -k "$K" -o "$T/rev" "$T/o/$f"
	expect_rc 0 "tyst-pseudo --reverse $f"
	check 'cmp -s "$F/$f" "$T/rev/$f"' "$f: --reverse restores it byte for byte"
	sum=$(sha256sum "$T/o/$f" | cut -d' ' -f1)
	check 'grep -q "\"file\":\"$f\",\"sha256\":\"$sum\"" "$T/o/tyst-pseudo-manifest.jsonl"' \
	    "$f: the manifest holds the sha256 of the file written"
done
# Structure kept byte for byte.
grep -e '-->' -e '^WEBVTT' -e '^[0-9]*$' "$F/intervju01.vtt" >"$T/a"
grep -e '-->' -e '^WEBVTT' -e '^[0-9]*$' "$T/o/intervju01.vtt" >"$T/b"
check 'cmp -s "$T/a" "$T/b"' "WebVTT: header, cue ids and timings as they were"
check '[ "$(grep -c "^<v " "$T/o/intervju01.vtt")" = "$(grep -c "^<v " "$F/intervju01.vtt")" ]' \
    "WebVTT: every voice tag kept"
check '! grep -q "Karin Holm\|Tindra Ek\|Rolf Engström\|Hudiksvall" "$T/o/intervju01.vtt"' \
    "WebVTT: the speakers' and others' names are gone"
check '[ "$(head -c 2 "$T/o/intervju07-utf16.txt" | od -An -tx1 | tr -d " ")" = fffe ]' \
    "UTF-16 in, UTF-16 out (with its BOM)"
check 'iconv -f UTF-16 -t UTF-8 "$T/o/intervju07-utf16.txt" | grep -q "$(printf "\r")"' \
    "UTF-16: CRLF line ends kept"
check '! LC_ALL=C grep -q "$(printf "\303")" "$T/o/intervju01-cp1252.txt"' \
    "Windows-1252 in, Windows-1252 out (no UTF-8)"
check 'iconv -f WINDOWS-1252 -t UTF-8 "$T/o/intervju01-cp1252.txt" | grep -q "Ljudfil"' \
    "Windows-1252 output reads as Windows-1252"
run tyst-scan -r "$T/o/tyst-pseudo-rules.yaml" -c likely "$T/o/intervju01-cp1252.txt"
expect_no_out 'Rolf|Tindra|Hudiksvall' "Windows-1252 output: the originals are gone"

# A pseudonym the key gave a UTF-8 file that Windows-1252 cannot hold.
printf 'I: Hej Tindra.\n' >"$T/u8.txt"
printf 'I: Hej Tindra.\r\nOch G\344vle.\r\n' >"$T/w.txt"
printf 'Tindra\tsex=f\n' >"$T/orig.tsv"
printf 'Bar\304\261\305\237\tsex=f\n' >"$T/pool.tsv"
cat >"$T/r.yaml" <<'EOF'
name: narrow
categories:
  PERSON:
    gazetteers:
      - { name: first-names, file: orig.tsv, confidence: likely }
pseudonymise:
  first_names: pool.tsv
  PERSON: { strategy: name }
EOF
run tyst-pseudo -k "$T/secret/n.key" -r "$T/r.yaml" "$T/u8.txt"
expect_out 'Barış' "a UTF-8 file may get a pseudonym Windows-1252 lacks"
run tyst-pseudo -k "$T/secret/n.key" -r "$T/r.yaml" -o "$T/o" "$T/w.txt"
expect_rc 2 "the same original in a Windows-1252 file"
expect_err 'cannot be written in Windows-1252.*iconv -f WINDOWS-1252' \
    "says so, and how to go on"
check '[ ! -e "$T/o/w.txt" ]' "and writes nothing"
K="$T/secret/f.key"

# Standard input to standard output, and the report's offsets.
run_in "$F/intervju01-cp1252.txt" tyst-pseudo -k "$T/secret/intervju01-cp1252.txt.key" --report "$T/rep.jsonl"
expect_rc 0 "tyst-pseudo reads Windows-1252 from standard input"
check 'cmp -s "$T/out" "$T/o/intervju01-cp1252.txt"' "the same output as through -o"
line=$(head -1 "$T/rep.jsonl")
s=$(printf '%s\n' "$line" | sed 's/.*"start":\([0-9]*\).*/\1/')
e=$(printf '%s\n' "$line" | sed 's/.*"end":\([0-9]*\).*/\1/')
run tyst-scan -f jsonl "$F/intervju01-cp1252.txt"
check 'grep -q "\"start\":$s,\"end\":$e," "$T/out"' "--report gives offsets into the file as read"

# A Windows-1252 file gets only names Windows-1252 can hold.
awk 'NR % 7 == 0 && !/^#/ { print "I: Jag pratade med " $1 " i g\344r.\r" }' \
    "$TYST_SRCDIR/rules/sv/first-names.tsv" | LC_ALL=C tr -d '\303' >"$T/many.txt"
iconv -f WINDOWS-1252 -t UTF-8 "$T/many.txt" >/dev/null 2>&1 || printf 'I: Hej Erik.\r\n' >"$T/many.txt"
run tyst-pseudo -k "$K" -F cp1252 -o "$T/o" "$T/many.txt"
expect_rc 0 "hundreds of names pseudonymised in Windows-1252"
run tyst-pseudo --reverse -k "$K" -F cp1252 -o "$T/rev" "$T/o/many.txt"
check 'cmp -s "$T/many.txt" "$T/rev/many.txt"' "and restored"

# tyst-code import keeps the cue times.
run tyst-code init "$T/p.db" --codebook ips-principer
run tyst-code import "$T/p.db" "$T/o/intervju01.vtt"
expect_rc 0 "tyst-code import of a pseudonymised WebVTT file"
check 'sqlite3 "$T/p.db" "select text from documents" 2>/dev/null | grep -q "^\[00:00:04\] " || ! command -v sqlite3 >/dev/null' \
    "tyst-code import keeps a cue's start as a time code"

# ---- refused -------------------------------------------------------------------------

printf '\320\317\021\340\241\261\032\341rest' >"$T/bad/old.doc"
printf '{\\rtf1\\ansi Hej}' >"$T/bad/a.rtf"
printf '%%PDF-1.4\n' >"$T/bad/a.pdf"
printf 'PK\003\004xxxxxxxxxxxxxxxxxxxxxxxxxxword/document.xml' >"$T/bad/a.docx"
printf 'PK\003\004xxxxxxxxxxxxxxxxxxxxxxxxxxIndex/Document.iwa' >"$T/bad/a.pages"
printf 'Hej \201 d\345\n' >"$T/bad/neither.txt"
printf 'H\000e\000j\000\n\000' >"$T/bad/u16.txt"
printf '\377\376H\000e' >"$T/bad/odd.txt"
printf 'G\303\244vle och G\344vle\n' >"$T/bad/mixed.txt"
for tool in tyst-scan tyst-pnr; do
	run $tool "$T/bad/old.doc"
	expect_rc 2 "$tool: a .doc"
	expect_err "^$tool: [^ ]*old.doc: an old Word document.*soffice --headless --convert-to" \
	    "$tool: names the conversion"
	check '[ "$(wc -l <"$T/err")" -eq 1 ]' "$tool: in one line"
done
for f in a.rtf a.pdf a.docx a.pages neither.txt u16.txt odd.txt mixed.txt; do
	run tyst-scan "$T/bad/$f"
	expect_rc 2 "tyst-scan: $f"
	check '[ "$(wc -l <"$T/err")" -eq 1 ]' "$f: one line"
	run tyst-pseudo -k "$K" -o "$T/o" "$T/bad/$f"
	expect_rc 2 "tyst-pseudo: $f"
	check '[ ! -e "$T/o/$f" ]' "$f: nothing written"
done
run tyst-scan "$T/bad/neither.txt"
expect_err 'byte 0x81 at byte offset 4 is neither UTF-8 nor Windows-1252.*iconv -f' \
    "neither UTF-8 nor Windows-1252: the byte, the offset and iconv"
run tyst-scan "$T/bad/u16.txt"
expect_err 'UTF-16LE text without a byte order mark.*iconv -f UTF-16LE -t UTF-8' \
    "UTF-16 without a BOM: the right iconv command"
run tyst-scan "$T/bad/a.pdf"
expect_err 'pdftotext' "a PDF: pdftotext"
