# tyst-excerpt's tables and Word file: the CSV's code path and attribute
# columns, the same table as .xlsx, the quotes as .docx; every new field
# through the export gate.
. "$TYST_SRCDIR/tests/cli/lib.sh"

P=$T/p.db
cat >"$T/rules.yaml" <<'X'
name: test
categories:
  PNR:
    builtin: pnr
  PERSON:
    words: [Leija]
X
R="--rules $T/rules.yaml --confidence likely"
cat >"$T/cb.yaml" <<'X'
title: Stöd i arbetet
version: "2"
codes:
  - id: forutsattningar
    label: Förutsättningar
    codable: false
    codes:
      - id: stod
        label: Stöd
        description: Stöd från handledare och kolleger.
  - id: hinder
    label: Hinder
X
cat >"$T/at2.txt" <<'X'
I: Hur fungerar det?
IP: {stod}Jag får hjälp av handledaren & kollegerna <varje> dag.{/stod}
I: Och annars?
IP: {hinder}=SUMMA(A1:A3) skrev jag i listan, och sedan
gick det inte längre.

Det var tungt.{/hinder}
X
cat >"$T/ms1.txt" <<'X'
I: Vad är svårt?
IP: {stod}+46 är inget nummer, sa hon. Vi stöttar varandra.{/stod}
X
code() { "$TYST_BIN/tyst-code" "$@" 2>/dev/null; }
code init "$P" --codebook "$T/cb.yaml"
code import "$P" $R --markup --coder anna --case at2 --attr roll=Arbetsterapeut \
    --attr kön=kvinna "$T/at2.txt"
code import "$P" $R --markup --coder erik --case ms1 --attr roll=Metodstödjare \
    --attr ålder=-45 "$T/ms1.txt"
check '[ "$(sqlite3 "$P" "SELECT count(*) FROM segments")" = 3 ]' "project set up"

# ---- CSV: code path and attribute columns ----
run tyst-excerpt "$P" $R -f csv
expect_rc 0 "csv"
expect_out '^segment,document,case,code,label,coder,speaker,start,end,line_start,line_end,text,attribution,memo,code_path,case:kön,case:roll,case:ålder[[:cntrl:]]$' \
    "the header: the fixed columns, the code path, then case attributes by name"
expect_out ',Förutsättningar/Stöd,kvinna,Arbetsterapeut,[[:cntrl:]]$' "the code path of a child code and its case's attributes"
expect_out ',Hinder,kvinna,Arbetsterapeut,[[:cntrl:]]$' "a top-level code's path is its label"
expect_out ",Förutsättningar/Stöd,,Metodstödjare,'-45[[:cntrl:]]$" \
    "an attribute the case lacks is empty; a formula-like value gets a '"
expect_out "\"'=SUMMA\(A1:A3\) skrev jag" "the formula-like excerpt too"
run tyst-excerpt "$P" $R -f csv --csv-raw
expect_out ',Metodstödjare,-45[[:cntrl:]]$' "--csv-raw: attribute values as stored"
cp "$T/out" "$T/raw.csv"

# ---- xlsx: the same table ----
run tyst-excerpt "$P" $R -f xlsx
xlsx=1
if [ "$rc" = 2 ] && grep -q "this build of tyst has no xlsx writer" "$T/err"; then
	ok "a build without libxlsxwriter says so"
	xlsx=""
else
	expect_rc 0 "xlsx to a pipe"
fi
if [ -n "$xlsx" ]; then
run tyst-excerpt "$P" $R -f xlsx -o "$T/x.xlsx"
expect_rc 0 "xlsx to a file"
check 'unzip -tq "$T/x.xlsx" >/dev/null' "a whole zip archive"
ok_xml=1
for part in $(unzip -Z1 "$T/x.xlsx" | grep '\.xml$\|\.rels$' | grep -v '^\['); do
	unzip -p "$T/x.xlsx" "$part" | xmllint --noout - 2>/dev/null || { ok_xml=0; echo "# bad part $part"; }
done
unzip -p "$T/x.xlsx" '\[Content_Types\].xml' | xmllint --noout - 2>/dev/null || ok_xml=0
check '[ $ok_xml = 1 ]' "every XML part is well-formed"
check '! unzip -p "$T/x.xlsx" docProps/core.xml | grep -q "<dc:creator>[^<]"' "no creator in the workbook's properties"
python3 - "$T/x.xlsx" "$T/raw.csv" >"$T/cmp" 2>&1 <<'PY'
import csv, re, sys, zipfile
import xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
shared = [''.join(t.text or '' for t in si.iter('{%s}t' % ns["m"]))
          for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
def colnum(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
rows, formulas = [], 0
for r in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}row" % ns["m"]):
    cells = {}
    for c in r.findall("m:c", ns):
        if c.find("m:f", ns) is not None:
            formulas += 1
        v = c.find("m:v", ns)
        t = c.get("t")
        val = shared[int(v.text)] if t == "s" else (v.text if v is not None else "")
        cells[colnum(c.get("r"))] = val
    rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
want = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
for w, g in zip(want, rows):
    g = g + [""] * (len(w) - len(g))
    if w != g:
        print("differ:", w, g)
if len(want) != len(rows):
    print("rows:", len(want), len(rows))
print("formulas", formulas)
print("ok" if len(want) == len(rows) else "bad")
PY
check 'grep -qx ok "$T/cmp" && ! grep -q differ "$T/cmp"' "every cell equals the raw CSV's"
check 'grep -qx "formulas 0" "$T/cmp"' "no cell is a formula"
check 'unzip -p "$T/x.xlsx" xl/sharedStrings.xml | grep -q "<t[^>]*>=SUMMA(A1:A3) skrev"' "the formula-like excerpt is a string"
check 'unzip -p "$T/x.xlsx" xl/sharedStrings.xml | grep -q ">case:ålder<"' "attribute columns present"
sed 's/^/# /' "$T/cmp" | grep -v '^# ok$' | head -5
fi
if [ -t 1 ]; then :; fi

# ---- docx: the quotes and their attributions ----
run tyst-excerpt "$P" $R -f docx -a '{roll} ({case})' -o "$T/x.docx"
expect_rc 0 "docx"
check '[ "$(unzip -Z1 "$T/x.docx" | sort | tr "\n" " ")" = "[Content_Types].xml _rels/.rels docProps/core.xml word/_rels/document.xml.rels word/document.xml word/styles.xml " ]' \
    "the parts of a minimal WordprocessingML package"
ok_xml=1
for part in _rels/.rels docProps/core.xml word/_rels/document.xml.rels word/document.xml word/styles.xml '\[Content_Types\].xml'; do
	unzip -p "$T/x.docx" "$part" | xmllint --noout - 2>/dev/null || { ok_xml=0; echo "# bad part $part"; }
done
check '[ $ok_xml = 1 ]' "every part is well-formed"
check 'unzip -p "$T/x.docx" word/styles.xml | grep -q "w:styleId=\"Quote\""' "a Quote style"
check '! unzip -p "$T/x.docx" docProps/core.xml | grep -Eq "creator|lastModifiedBy"' "no creator in the core properties"
# The quotes, one line per line of text, from the Word file and from the
# Markdown export (its escapes undone).
unzip -p "$T/x.docx" word/document.xml | perl -0777 -ne '
	for my $p (split m{</w:p>}) {
		next unless $p =~ /w:pStyle w:val="Quote"/;
		$p =~ s{<w:br/>}{\n}g; $p =~ s{<[^>]+>}{}g;
		$p =~ s/&lt;/</g; $p =~ s/&gt;/>/g; $p =~ s/&amp;/&/g;
		print "$p\n";
	}' >"$T/docx.txt"
run tyst-excerpt "$P" $R -f md -a '{roll} ({case})'
grep '^>' "$T/out" | sed 's/^> \{0,1\}//; s/\\$//; s/\\\(.\)/\1/g' | grep -v '^$' >"$T/md.txt"
check '[ -s "$T/md.txt" ] && cmp -s "$T/md.txt" "$T/docx.txt"' "the quotes equal the Markdown export's"
check 'unzip -p "$T/x.docx" word/document.xml | grep -q "&amp; kollegerna &lt;varje&gt; dag"' "text XML-escaped"
check 'unzip -p "$T/x.docx" word/document.xml | grep -q "Attribution\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Arbetsterapeut (at2)<"' \
    "each quote followed by its attribution"
if command -v soffice >/dev/null 2>&1; then
	(cd "$T" && soffice --headless --convert-to txt x.docx >/dev/null 2>&1)
	check 'grep -q "Det var tungt" "$T/x.txt"' "LibreOffice opens the .docx"
else
	echo "# soffice not installed: LibreOffice check skipped"
fi

# ---- the gate applies to every new field ----
sqlite3 "$P" "DELETE FROM allowed"
code case "$P" ms1 --attr kontakt="Leija"
run tyst-excerpt "$P" $R -f csv -o "$T/y.csv"
expect_rc 1 "a name in an attribute column stops the CSV"
expect_err "PERSON 'Leija' in the column case:kontakt of segment" "named by its column"
check '[ ! -e "$T/y.csv" ]' "nothing written"
if [ -n "$xlsx" ]; then
	run tyst-excerpt "$P" $R -f xlsx -o "$T/y.xlsx"
	expect_rc 1 "and the xlsx"
fi
run tyst-excerpt "$P" $R -f md
expect_rc 0 "Markdown has no attribute columns: not stopped"
sqlite3 "$P" "DELETE FROM allowed"
seg=$(sqlite3 "$P" "SELECT min(id) FROM segments")
code memo "$P" --segment "$seg" "Ringde Leija om det."
run tyst-excerpt "$P" $R -f docx -o "$T/y.docx"
expect_rc 1 "a name in a memo stops the docx"
expect_err "PERSON 'Leija' in the memo of segment $seg" "named as for the other formats"
check '[ ! -e "$T/y.docx" ]' "nothing written"
run tyst-excerpt "$P" $R -f docx -a '{kontakt}' --case ms1 -o "$T/y.docx"
expect_rc 1 "a name in an attribution stops the docx"
expect_err "PERSON 'Leija' in the attribution of segment" "named as for the other formats"
run tyst-excerpt "$P" $R -f docx --allow Leija -a '{kontakt}' --case ms1 -o "$T/y.docx"
expect_rc 0 "--allow lets it through"
run tyst-scan --rules "$T/rules.yaml" "$T/y.docx"
expect_out "PERSON .Leija" "tyst-scan reads the .docx and finds the attribution's name"

# ---- what cannot go out ----
run tyst-excerpt "$P" $R -f docx
expect_rc 0 "docx to a pipe"
run tyst-excerpt "$P" $R -f docx --code nosuch -o "$T/z.docx"
expect_rc 2 "an unknown code"
