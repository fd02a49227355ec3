#!/bin/sh
# make demo: the tyst workflow on corpus-samples/.
#
#   scan the transcripts (and the files they come in) -> pseudonymise a
#   WebVTT and a Word file and reverse them -> pseudonymise the coded
#   copies with a demo key ->
#   scan the result -> check the codebook -> a coding project -> import the
#   marked-up copies -> stats -> Markdown excerpts.
#
# Everything is written to demo-out/ (ignored by git).  The demo key lies
# outside the pseudonymised output, readable by you alone, as a real key
# must.  Any failing step stops the demo with its message.
set -eu
cd "$(dirname "$0")/.."
export PATH="$PWD/bin:$PATH"
out=demo-out

step() { printf '\n== %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
umask 077

step "tyst-pnr: personnummer in corpus-samples (last four digits masked)"
tyst-pnr corpus-samples/*.txt || [ $? -eq 1 ] || die "tyst-pnr failed"

step "tyst-scan: identifiers in the original transcripts (summary)"
tyst-scan --summary corpus-samples/*.txt || [ $? -eq 1 ] || die "tyst-scan failed"

step "tyst-scan: the files transcripts come in (corpus-samples/formats: Word, OpenDocument, WebVTT, SRT, UTF-16, Windows-1252)"
f=corpus-samples/formats
tyst-scan --summary $f/intervju01.docx $f/intervju01.odt $f/intervju01.vtt \
	$f/intervju01.srt $f/intervju01-utf16.txt $f/intervju01-cp1252.txt ||
	[ $? -eq 1 ] || die "tyst-scan failed"
echo "in intervju01.docx: a name split across runs, the header, a comment, tracked changes, the authors:"
tyst-scan $f/intervju01.docx | grep -E 'Rolf Engström|:7[6-9]:|:8[0-5]:' | head -12 || true

step "tyst-pseudo: a Teams WebVTT transcript, written back as WebVTT (key $out/formats.key)"
mkdir -p "$out/formats"
tyst-pseudo -k "$out/formats.key" -o "$out/formats" $f/intervju01.vtt ||
	die "tyst-pseudo failed"
sed -n 1,11p "$out/formats/intervju01.vtt"
tyst-pseudo --reverse -k "$out/formats.key" "$out/formats/intervju01.vtt" |
	cmp -s - $f/intervju01.vtt || die "--reverse did not restore the WebVTT file"
echo "tyst-pseudo --reverse gives intervju01.vtt back byte for byte"

step "tyst-pseudo: a Word file, written back as Word (key $out/formats.key)"
tyst-pseudo -k "$out/formats.key" -o "$out/formats" $f/intervju01.docx ||
	die "tyst-pseudo failed"
# A paragraph with the name Word split into "Ro" (bold) + "lf", the comment
# and the document's people, before and after.
show() {
	unzip -p "$1" word/document.xml | xmllint --format - |
		grep -m1 -B1 -A6 '<w:b/>' | sed 's/^ *//' | tr -d '\n'
	echo
	unzip -p "$1" word/comments.xml | grep -o '<w:comment [^>]*>'
	echo "$(unzip -p "$1" docProps/core.xml | sed -n 2p)"
	unzip -l "$1" | awk 'NR > 3 && $4 != "" { print "  " $4 }' | tr '\n' ' '
	echo
}
echo "before ($f/intervju01.docx):"
show $f/intervju01.docx
echo "after ($out/formats/intervju01.docx):"
show "$out/formats/intervju01.docx"
mkdir -p "$out/formats-reversed" "$out/unzipped/in" "$out/unzipped/back"
tyst-pseudo --reverse -k "$out/formats.key" -o "$out/formats-reversed" \
	"$out/formats/intervju01.docx" || die "tyst-pseudo --reverse failed"
(cd "$out/unzipped/in" && unzip -qo ../../../$f/intervju01.docx)
(cd "$out/unzipped/back" && unzip -qo ../../formats-reversed/intervju01.docx)
diff -r "$out/unzipped/in" "$out/unzipped/back" >/dev/null ||
	die "--reverse did not restore every part of the Word file"
echo "tyst-pseudo --reverse gives every part of intervju01.docx back byte for byte"

step "tyst-pseudo: the marked-up copies in corpus-samples/coded, key $out/demo.key"
mkdir -p "$out/pseudo"
tyst-pseudo -k "$out/demo.key" -o "$out/pseudo" corpus-samples/coded/*.txt ||
	die "tyst-pseudo failed"
ls -l "$out/demo.key" | awk '{ print $1, $NF }'
ls "$out/pseudo"

step "tyst-scan: the pseudonymised copies, with the rules tyst-pseudo wrote beside them"
# tyst-pseudo-rules.yaml is the run's rules plus the fictitious names it
# handed out (they are names, so a plain scan would find them again).
if tyst-scan --summary -r "$out"/pseudo/tyst-pseudo-rules.yaml "$out"/pseudo/*.txt; then
	echo "clean: no identifier left"
else
	[ $? -eq 1 ] || die "tyst-scan failed"
	die "identifiers left in the pseudonymised copies"
fi

step "tyst-codebook check ips-principer"
tyst-codebook check ips-principer || die "the codebook does not check"

step "tyst-code init $out/projekt.db --codebook ips-principer"
tyst-code init "$out/projekt.db" --codebook ips-principer

step "tyst-code import --markup (the coding written in the copies)"
for f in "$out"/pseudo/*.txt; do
	case $(basename "$f" .txt) in
	intervju02) set -- --attr roll=Arbetsspecialist --attr nr=1 ;;
	intervju03) set -- --attr roll=Deltagare --attr nr=3 ;;
	intervju09) set -- --attr roll=Deltagare --attr nr=3 ;;
	intervju10) set -- --attr roll=Arbetsspecialist --attr nr=2 ;;
	*) set -- --attr roll=Intervjuperson --attr nr=0 ;;
	esac
	tyst-code import "$out/projekt.db" --markup --coder demo \
	    --attr "intervju=$(basename "$f" .txt | sed 's/intervju0*//')" "$@" "$f"
done
tyst-code list "$out/projekt.db" documents

step "tyst-code stats"
tyst-code stats "$out/projekt.db"

step "tyst-excerpt --format md (attribution '{roll} {nr}, intervju {intervju}')"
tyst-excerpt "$out/projekt.db" --format md \
    --attribution '{roll} {nr}, intervju {intervju}' -o "$out/utdrag.md" ||
	die "tyst-excerpt stopped (see above)"
cat "$out/utdrag.md"
tyst-excerpt "$out/projekt.db" --format html \
    --attribution '{roll} {nr}, intervju {intervju}' -o "$out/utdrag.html"
printf '\n(also written: %s, %s)\n' "$out/utdrag.md" "$out/utdrag.html"
