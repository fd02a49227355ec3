# tyst-pseudo writes Word and OpenDocument files: the corpus interviews as
# .docx (a name split across runs, a comment by a named author, the
# interviewee's name in the header, tracked changes, Word's metadata about
# people) and as .odt.  No original may remain in any part of the zip;
# every XML part stays well-formed; --reverse restores every part byte for
# byte; a .docm (macros) is refused.
. "$TYST_SRCDIR/tests/cli/lib.sh"

F="$TYST_SRCDIR/corpus-samples/formats"
K="$T/secret/k.key"
mkdir -p "$T/secret" "$T/o" "$T/r"
chmod 700 "$T/secret"

# Unzips $1 into a fresh directory $2.
unpack() {
	rm -rf "$2"
	mkdir -p "$2"
	(cd "$2" && unzip -qo "$1")
}

# Whether every XML part under $1 is well-formed.
all_xml_ok() {
	find "$1" -type f \( -name '*.xml' -o -name '*.rels' \) | while read -r f; do
		xmllint --noout "$f" 2>/dev/null || echo "$f"
	done | grep -q . && return 1
	return 0
}

# Whether any part under $1 holds $2 as a whole word.
holds() {
	grep -rqw -F -- "$2" "$1"
}

run tyst-pseudo -k "$K" -o "$T/o" "$F/intervju01.docx" "$F/intervju02.docx" \
    "$F/intervju03.docx" "$F/intervju01.odt"
expect_rc 0 "tyst-pseudo writes .docx and .odt"
check '[ -s "$T/o/intervju01.docx" ] && [ -s "$T/o/intervju01.odt" ]' \
    "the outputs are there, named as the inputs"
unpack "$T/o/intervju01.docx" "$T/u1"
unpack "$T/o/intervju02.docx" "$T/u2"
unpack "$T/o/intervju01.odt" "$T/u3"
for u in u1 u2 u3; do
	check 'all_xml_ok "$T/$u"' "$u: every XML part is well-formed (xmllint)"
done

# Every person, place and address the key replaced, in no part at all.
sqlite3 "$K" "select original from entries where category in
    ('PERSON', 'ADDRESS', 'PHONE', 'EMAIL', 'PNR') and length(original) > 2" \
    >"$T/originals"
check '[ "$(wc -l <"$T/originals")" -gt 10 ]' "the key has the originals"
left=""
while IFS= read -r o; do
	for u in u1 u2 u3; do
		holds "$T/$u" "$o" && left="$left $u:$o"
	done
done <"$T/originals"
check '[ -z "$left" ]' "no original in any part of any output ($left)"
# What Word and LibreOffice keep about people, named by no finding.
for s in "Maria Hedlund" Hedlund mahe01 maria.hedlund "Hedlunds Transkribering" \
    "Tindra Ek" Tindra MH; do
	for u in u1 u2 u3; do
		holds "$T/$u" "$s" && left="$left $u:$s"
	done
done
check '[ -z "$left" ]' "no author, account, company or template path ($left)"
check '[ ! -e "$T/u1/docProps/thumbnail.jpeg" ] && [ ! -e "$T/u1/docProps/custom.xml" ]' \
    ".docx: thumbnail and custom properties dropped"
check '! grep -q "thumbnail\|custom" "$T/u1/[Content_Types].xml" "$T/u1/_rels/.rels"' \
    ".docx: their content types and relationships too"
check '! grep -q attachedTemplate "$T/u1/word/settings.xml" "$T/u1/word/_rels/settings.xml.rels"' \
    ".docx: the template and its path are gone"
check 'grep -q "w:author=\"Författare 1\" w:initials=\"F1\"" "$T/u1/word/comments.xml"' \
    ".docx: the comment's author is Författare 1"
check 'grep -q "w:author=\"Författare 1\"" "$T/u1/word/document.xml"' \
    ".docx: so is the revision author (the same person)"
check '! grep -q "<dc:creator>\|lastModifiedBy" "$T/u1/docProps/core.xml"' \
    ".docx: core.xml has no creator, no last editor"
check '[ ! -e "$T/u3/Thumbnails/thumbnail.png" ] && ! grep -q Thumbnails "$T/u3/META-INF/manifest.xml"' \
    ".odt: the thumbnail and its manifest entry are gone"
check '! grep -q "initial-creator\|printed-by\|user-defined" "$T/u3/meta.xml"' \
    ".odt: meta.xml has no creator, printer or user field"
check '[ "$(cat "$T/u3/mimetype")" = "application/vnd.oasis.opendocument.text" ]' \
    ".odt: the mimetype entry is as it was"
# The split name takes the bold of its first run; the second run empties.
check 'grep -q "<w:b/></w:rPr><w:t xml:space=\"preserve\">[A-ZÅÄÖ][a-zåäö]*</w:t></w:r><w:r><w:t xml:space=\"preserve\"/></w:r>" "$T/u1/word/document.xml"' \
    ".docx: a name split across runs is replaced in its first run"
check 'grep -q "<w:t xml:space=\"preserve\">Intervju med [A-ZÅÄÖ]" "$T/u1/word/header1.xml"' \
    ".docx: the header's name is replaced"
check 'grep -q "<w:ins [^>]*><w:r><w:t>\[kommun A i Gävleborgs län\]</w:t>" "$T/u1/word/document.xml"' \
    ".docx: a tracked insertion is pseudonymised in its insertion"
check 'grep -q "<w:delText xml:space=\"preserve\"> och \[kommun B i Gävleborgs län\]</w:delText>" "$T/u1/word/document.xml"' \
    ".docx: deleted text (w:delText) is pseudonymised in its deletion"
# Paragraphs and the table as they were.
unpack "$F/intervju01.docx" "$T/i1"
check '[ "$(grep -o "<w:p>" "$T/u1/word/document.xml" | wc -l)" -eq "$(grep -o "<w:p>" "$T/i1/word/document.xml" | wc -l)" ]' \
    ".docx: as many paragraphs as the input"
check 'grep -q "<w:tbl><w:tr><w:tc>" "$T/u1/word/document.xml"' ".docx: the table is there"
check 'grep -q "Target=\"https://example.invalid/\" TargetMode=\"External\"" "$T/u1/word/_rels/document.xml.rels"' \
    ".docx: the mailto: link Word made of the e-mail address is scrubbed"
unpack "$T/o/intervju03.docx" "$T/u4"
unpack "$F/intervju03.docx" "$T/i4"
check 'cmp -s "$T/u4/word/_rels/document.xml.rels" "$T/i4/word/_rels/document.xml.rels"' \
    ".docx: a part with no people in it is copied byte for byte"
# The output reads as text with the names replaced.
run tyst-scan "$T/o/intervju01.docx"
expect_no_out 'Tindra|Rolf|Hedlund' "tyst-scan of the output finds no original"

if command -v soffice >/dev/null 2>&1; then
	(cd "$T" && soffice --headless --convert-to txt --outdir "$T/txt" \
	    "$T/o/intervju01.docx" >/dev/null 2>&1)
	check 'grep -q "Intervjuperson" "$T/txt/intervju01.txt"' \
	    "LibreOffice opens the .docx and reads its text"
else
	ok "soffice is not installed: the LibreOffice check is skipped"
fi

# --reverse: every part back byte for byte (the zip container itself is new).
run tyst-pseudo --reverse -k "$K" -o "$T/r" "$T/o/intervju01.docx" \
    "$T/o/intervju02.docx" "$T/o/intervju01.odt"
expect_rc 0 "--reverse restores .docx and .odt"
for n in intervju01.docx intervju02.docx intervju01.odt; do
	unpack "$T/r/$n" "$T/rev"
	unpack "$F/$n" "$T/orig"
	check 'diff -r "$T/orig" "$T/rev" >/dev/null' \
	    "--reverse $n: every part as it was, byte for byte"
done
# An output edited outside the text (a part the key holds changed):
# the text is still restored, the edit kept.
unpack "$T/o/intervju01.docx" "$T/ed"
sed 's/<w:zoom w:percent="100"\/>/<w:zoom w:percent="120"\/>/' \
    "$T/ed/word/settings.xml" >"$T/ed/s" && mv "$T/ed/s" "$T/ed/word/settings.xml"
(cd "$T/ed" && zip -qr "$T/edited.docx" .)
mkdir -p "$T/r2"
run tyst-pseudo --reverse -k "$K" -o "$T/r2" "$T/edited.docx"
expect_rc 0 "--reverse of an output whose settings were edited"
unpack "$T/r2/edited.docx" "$T/rev2"
check 'cmp -s "$T/rev2/word/document.xml" "$T/i1/word/document.xml"' \
    "the text's part comes back exactly"
check 'grep -q "w:percent=\"120\"" "$T/rev2/word/settings.xml"' \
    "the edit is kept"

# A .docm holds macros: scanned, never written.
unpack "$F/intervju01.docx" "$T/m"
printf 'macro' >"$T/m/word/vbaProject.bin"
(cd "$T/m" && zip -qr "$T/makro.docm" .)
run tyst-scan "$T/makro.docm"
expect_rc 1 "tyst-scan reads a .docm"
mkdir -p "$T/om"
run tyst-pseudo -k "$K" -o "$T/om" "$T/makro.docm"
expect_rc 2 "tyst-pseudo refuses to write a .docm"
check '[ "$(wc -l <"$T/err")" -eq 1 ]' "one line"
expect_err 'makro.docm: .*macros.*\.docx' "it says why and what to do"
check '[ ! -e "$T/om/makro.docm" ]' "nothing written"

# A .docx with nothing to scrub: the split name's runs still come back.
mkdir -p "$T/plain/word" "$T/plain/_rels" "$T/op" "$T/rp"
W='xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
printf '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>' \
    >"$T/plain/[Content_Types].xml"
printf '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>' \
    >"$T/plain/_rels/.rels"
printf '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body><w:p><w:r><w:t xml:space="preserve">IP: Jag bor med </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Ro</w:t></w:r><w:r><w:t xml:space="preserve">lf Engström i Hudiksvall.</w:t></w:r></w:p></w:body></w:document>' \
    "$W" >"$T/plain/word/document.xml"
(cd "$T/plain" && zip -qr "$T/plain.docx" .)
run tyst-pseudo -k "$K" -o "$T/op" "$T/plain.docx"
expect_rc 0 "a .docx with no metadata"
unpack "$T/op/plain.docx" "$T/up"
check '! holds "$T/up" Engström' "its name is replaced"
run tyst-pseudo --reverse -k "$K" -o "$T/rp" "$T/op/plain.docx"
expect_rc 0 "and reversed"
unpack "$T/rp/plain.docx" "$T/rvp"
check 'diff -r "$T/plain" "$T/rvp" >/dev/null' \
    "every part byte for byte, the runs of the split name too"
