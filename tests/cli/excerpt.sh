# tyst-excerpt: the formats, attribution templates, filters, and the final
# identifier scan that stops an export.
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
cat >"$T/at2.txt" <<'X'
I: Hur fungerar teamet?
AT: {integrerat-team}IPS här tycker jag ju blir väldigt, jag tycker det förenklar arbetet mycket. Man vet vilka alla är.{/integrerat-team}
I: Och ekonomin?
AT: Det är så att {bidragsradgivning}många är rädda, "för att förlora" ersättningen{/bidragsradgivning} om de jobbar.
X
cat >"$T/ms1.txt" <<'X'
I: Vad är svårt?
MS: {vanligt-arbete}Vi behöver jobba med att tänka framåt. Vad ska det här leda till då?{/vanligt-arbete}
MS: {vanligt-arbete}Leija sa det också.{/vanligt-arbete}
X
code() { "$TYST_BIN/tyst-code" "$@" 2>/dev/null; }
code init "$P" --codebook "$TYST_SRCDIR/codebooks/ips-principer.yaml"
code import "$P" $R --markup --coder anna --case at2 --attr role=Arbetsterapeut \
    --attr nr=2 --attr tillfalle=1 "$T/at2.txt"
code import "$P" $R --markup --coder erik --case Angelica --attr role=Metodstödjare \
    --i-have-reviewed "$T/ms1.txt"
check '[ "$(sqlite3 "$P" "SELECT count(*) FROM segments")" = 4 ]' "project set up"

# ---- the identifier scan ----
run tyst-excerpt "$P" $R
expect_rc 1 "a name in an excerpt stops the export"
expect_err 'ms1:3:5: .*PERSON .Leija.* segment [0-9]+ \(vanligt-arbete\)' "located in the document"
check '[ ! -s "$T/out" ]' "nothing written"
run tyst-excerpt "$P" $R -o "$T/x.md"
expect_rc 1 "stopped with --output too"
check '[ ! -e "$T/x.md" ]' "no output file"
run tyst-excerpt "$P" $R --allow Leija
expect_rc 0 "--allow names the finding"

# ---- Markdown ----
run tyst-excerpt "$P" $R --allow Leija --code integrerat-team --code bidragsradgivning \
    --attribution '{role} {nr}, Intervjutillfälle {tillfalle}'
expect_rc 0 "markdown"
expect_out '^title: "IPS – de åtta principerna"$' "pandoc title block"
expect_out '^## IPS är en integrerad del i det psykiatriska teamet \{#integrerat-team\}$' "a section per code, labelled"
expect_out '^\*Arbetsrehabiliteringen integreras' "the code's description"
expect_out '^> IPS här tycker jag ju blir väldigt, jag tycker det förenklar arbetet mycket\. Man vet vilka alla är\.$' "a block quote"
expect_out '^Arbetsterapeut 2, Intervjutillfälle 1$' "attribution from case attributes"
expect_out '^> \[…\] många är rädda, "för att förlora" ersättningen \[…\]$' "[…] where the excerpt is cut"
expect_no_out 'Vanligt arbete' "--code selects"
run tyst-excerpt "$P" $R --allow Leija --coder erik
expect_out '^\(Angelica\)$' "default attribution (case)"
expect_no_out 'integrerat' "--coder selects"
run tyst-excerpt "$P" $R --allow Leija --attr role=Arbetsterapeut --format jsonl
expect_lines 2 "--attr selects cases"
run tyst-excerpt "$P" $R --allow Leija --case Angelica --format jsonl
expect_lines 2 "--case selects"
run tyst-excerpt "$P" $R --allow Leija --attribution '{nr}'
expect_rc 2 "a template key a case lacks"
expect_err "no attribute 'nr'" "names the missing attribute"
run tyst-excerpt "$P" $R --code nosuch
expect_rc 2 "unknown code"
run tyst-excerpt "$P" $R --format pdf
expect_rc 2 "unknown format"

# ---- JSON Lines: the text is exactly the stored text ----
run tyst-excerpt "$P" $R --allow Leija --format jsonl --attribution '{speaker}: {case}'
expect_rc 0 "jsonl"
expect_lines 4 "one object per excerpt"
sqlite3 -separator '|' "$P" "SELECT s.id, hex(substr(CAST(d.text AS BLOB), s.start_offset + 1, s.end_offset - s.start_offset)) FROM segments s JOIN documents d ON d.id = s.document_id ORDER BY s.id" >"$T/want"
perl -MJSON::PP -ne 'BEGIN { binmode STDOUT } my $o = decode_json($_);
    for my $k (qw(document code coder start end text attribution speaker)) { exists $o->{$k} or die "no $k" }
    utf8::encode(my $t = $o->{text}); print "$o->{segment}|", uc unpack("H*", $t), "\n"' "$T/out" | sort -n >"$T/got"
check 'cmp -s "$T/want" "$T/got"' "every excerpt's text is its segment's stored bytes"
expect_out '"attribution":"MS: Angelica"' "speaker in the attribution"

# ---- CSV ----
run tyst-excerpt "$P" $R --allow Leija --format csv
expect_rc 0 "csv"
check 'head -1 "$T/out" | grep -q "^segment,document,case,code,label,coder,speaker,start,end,line_start,line_end,text,attribution,memo"' "csv header"
check 'grep -q "\"många är rädda, \"\"för att förlora\"\" ersättningen\"" "$T/out"' "RFC 4180 quoting"
check '[ "$(tr -cd "\r" <"$T/out" | wc -c)" = 5 ]' "CRLF record ends"

# ---- HTML ----
run tyst-excerpt "$P" $R --allow Leija --format html -o "$T/x.html"
expect_rc 0 "html to a file"
check 'grep -q "<!DOCTYPE html>" "$T/x.html" && grep -q "<blockquote>" "$T/x.html"' "an HTML page"
check '! grep -Eq "(src|href)=" "$T/x.html"' "self-contained"
check 'grep -q "&quot;för att förlora&quot;" "$T/x.html"' "text escaped"
if command -v xmllint >/dev/null; then
	check 'xmllint --html --noout "$T/x.html" 2>/dev/null' "the page parses"
fi

run tyst-excerpt "$T/missing.db"
expect_rc 2 "missing project"
run tyst-excerpt --help
expect_rc 0 "--help"

# ---- a tyst-pseudo document: its pseudonyms do not stop the export ----
mkdir "$T/ps"
printf 'I: Vem?\nIP: {egna-preferenser}Det var Leija som frågade vad jag ville.{/egna-preferenser}\n' >"$T/ps/ps9.txt"
printf '{"file":"ps9.txt","sha256":"%s","key_id":"k","time":"t","confidence":"candidate","left":0,"pseudonyms":["Leija"]}\n' \
    "$(sha256sum "$T/ps/ps9.txt" | cut -c1-64)" >"$T/ps/tyst-pseudo-manifest.jsonl"
code import "$P" $R --markup --coder erik "$T/ps/ps9.txt"
run tyst-excerpt "$P" $R --code egna-preferenser --format jsonl
expect_rc 0 "a pseudonym in a tyst-pseudo document passes the final scan"
expect_out '"text":"Det var Leija som frågade vad jag ville\."' "and is exported"
# --allow Leija above is remembered in the project; forget it here.
sqlite3 "$P" "DELETE FROM allowed"
run tyst-excerpt "$P" $R --code vanligt-arbete --format jsonl
expect_rc 1 "the same name in a reviewed document still stops it"
