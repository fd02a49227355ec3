# tyst-code: the project, import and its ethics gate, coding by lines,
# patterns and markup, and the bad input that must leave the project as it
# was.
. "$TYST_SRCDIR/tests/cli/lib.sh"

cb=$TYST_SRCDIR/codebooks/ips-principer.yaml
P=$T/p.db
# A rule set of its own, so the test does not depend on the gazetteers.
cat >"$T/rules.yaml" <<'X'
name: test
categories:
  PNR:
    builtin: pnr
  PERSON:
    words: [Leija, Tindra]
X
R="--rules $T/rules.yaml --confidence likely"
dump() { sqlite3 "$P" .dump | md5sum; }
q() { sqlite3 "$P" "$1"; }

cat >"$T/intervju01.txt" <<'X'
Intervju 1
I: Hur började det?
IP: Jag ville bara jobba. Inte praktik först.
I: Mm.
IP: Sen fick jag ett riktigt jobb med lön. Det var bra.
X
printf 'I: Vem sa det?\nIP: Det sa Leija.\n' >"$T/namn.txt"

run tyst-code init "$P" --codebook "$cb"
expect_rc 0 "init with the shipped codebook"
check '[ "$(q "SELECT count(*) FROM codes")" = 8 ]' "init loads the eight codes"
check '[ "$(q "PRAGMA user_version")" = 3 ]' "schema version recorded"
check '[ "$(q "PRAGMA application_id")" = 1954116468 ]' "application id recorded"
run tyst-code init "$P" --codebook "$cb"
expect_rc 2 "init over an existing file"
expect_err 'already exists' "init names the existing file"
printf 'codes: [\n' >"$T/bad.yaml"
run tyst-code init "$T/q.db" --codebook "$T/bad.yaml"
expect_rc 2 "init with a broken codebook"
check '[ ! -e "$T/q.db" ]' "no project left behind by a failed init"

# ---- import and the gate ----
run tyst-code import "$P" $R "$T/intervju01.txt" --attr role=deltagare
expect_rc 0 "import a clean document"
check '[ "$(q "SELECT review FROM documents WHERE name = '\''intervju01'\''")" = clean ]' "recorded as clean"
check '[ "$(q "SELECT a.value FROM case_attributes a JOIN cases c ON c.id = a.case_id WHERE c.name = '\''intervju01'\'' AND a.key = '\''role'\''")" = deltagare ]' "case attribute stored"

before=$(dump)
run tyst-code import "$P" $R "$T/namn.txt"
expect_rc 2 "import refuses a document with a name in it"
expect_err 'namn.txt:2:12: .*PERSON .Leija' "the finding is located"
expect_err 'tyst-pseudo|--i-have-reviewed' "the message says what to do"
check '[ "$(dump)" = "$before" ]' "refused import leaves the project unchanged"

# One refused file in a batch keeps the others out too.
cp "$T/intervju01.txt" "$T/annan.txt"; echo "IP: Tack." >>"$T/annan.txt"
run tyst-code import "$P" $R "$T/annan.txt" "$T/namn.txt"
expect_rc 2 "batch with one refused file"
check '[ "$(dump)" = "$before" ]' "one transaction: nothing of the batch imported"

run tyst-code import "$P" $R --i-have-reviewed "$T/namn.txt"
expect_rc 0 "import on the researcher's review"
check '[ "$(q "SELECT review FROM documents WHERE name = '\''namn'\''")" = reviewed ]' "recorded as reviewed"

mkdir "$T/pseudo"
printf 'I: Vem?\nIP: Det var Tindra som ringde.\n' >"$T/pseudo/intervju07.txt"
sum=$(sha256sum "$T/pseudo/intervju07.txt" | cut -c1-64)
printf '{"file":"intervju07.txt","sha256":"%s","key_id":"k-42","time":"2026-11-25T10:00:00Z","confidence":"candidate","left":0,"left_at":[],"pseudonyms":["Tindra"]}\n' "$sum" \
    >"$T/pseudo/tyst-pseudo-manifest.jsonl"
printf 'I: Och?\nIP: Tindra igen.\n' >"$T/pseudo/intervju08.txt"
run tyst-code import "$P" $R "$T/pseudo/intervju07.txt"
expect_rc 0 "a document listed in the tyst-pseudo manifest passes"
check '[ "$(q "SELECT review || '\'' '\'' || key_id FROM documents WHERE name = '\''intervju07'\''")" = "tyst-pseudo k-42" ]' "recorded as tyst-pseudo with its key id"
run tyst-code import "$P" $R "$T/pseudo/intervju08.txt"
expect_rc 2 "a file beside the manifest but not in it is scanned"

before=$(dump)
run tyst-code import "$P" $R "$T/intervju01.txt"
expect_rc 2 "the same document twice"
expect_err "already in the project" "named as a duplicate"
cp "$T/intervju01.txt" "$T/kopia.txt"
run tyst-code import "$P" $R "$T/kopia.txt"
expect_rc 2 "the same text under another name"
expect_err "already imported.*sha256.*intervju01" "the duplicate is found by sha256"
check '[ "$(dump)" = "$before" ]' "duplicates leave the project unchanged"

printf '\357\273\277I: Hej.\r\nIP: Hej hej.\r\n' >"$T/crlf.txt"
run tyst-code import "$P" $R "$T/crlf.txt"
expect_rc 0 "BOM and CRLF accepted"
want=$(printf 'I: Hej.\nIP: Hej hej.\n' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
got=$(q "SELECT hex(text) FROM documents WHERE name = 'crlf'")
check '[ "$got" = "$want" ]' "stored without BOM and CRs"
printf 'I: Hej \201\n' >"$T/bad8.txt"
run tyst-code import "$P" $R "$T/bad8.txt"
expect_rc 2 "invalid UTF-8"
expect_err 'bad8.txt:1:' "invalid UTF-8 located"
: >"$T/empty.txt"
run tyst-code import "$P" $R "$T/empty.txt"
expect_rc 2 "empty file"
run tyst-code import "$P" $R "$T"
expect_rc 2 "a directory"

# ---- markup ----
cat >"$T/m02.txt" <<'X'
I: Och pengarna?
AS: {bidragsradgivning}Många är rädda att förlora {vanligt-arbete}sjukersättningen{/bidragsradgivning} om de jobbar{/vanligt-arbete}. En {{klammer}.
X
run tyst-code import "$P" $R --markup --coder anna --case Angelica --attr role=arbetsspecialist "$T/m02.txt"
expect_rc 0 "import with markup"
expect_err 'with 2 segments' "two segments from the markup"
check '[ "$(q "SELECT text FROM documents WHERE name = '\''m02'\''" | sed -n 2p)" = "AS: Många är rädda att förlora sjukersättningen om de jobbar. En {klammer}." ]' "clean text stored"
check '[ "$(q "SELECT substr(CAST(d.text AS BLOB), s.start_offset + 1, s.end_offset - s.start_offset) FROM segments s JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = s.code_id WHERE c.code = '\''vanligt-arbete'\''")" = "sjukersättningen om de jobbar" ]' "overlapping segment offsets"

before=$(dump)
printf 'I: Hej.\nIP: {arbete-forst}Jobb{/arbete-forst}\n' >"$T/m03.txt"
run tyst-code import "$P" $R --markup --coder anna "$T/m03.txt"
expect_rc 2 "markup with a code not in the codebook"
expect_err "m03.txt:2:5: unknown code 'arbete-forst'" "unknown code located"
printf 'I: Hej.\nIP: Jag {vanligt-arbete}ville jobba.\n' >"$T/m04.txt"
run tyst-code import "$P" $R --markup --coder anna "$T/m04.txt"
expect_rc 2 "markup that never closes"
expect_err "m04.txt:2:9: .*never closed" "unclosed tag located"
run tyst-code import "$P" $R --markup "$T/m04.txt"
expect_rc 2 "--markup without --coder"
check '[ "$(dump)" = "$before" ]' "bad markup leaves the project unchanged"

# ---- add ----
run tyst-code add "$P" intervju01 --lines 3-3 --code egna-preferenser --coder erik --memo "tydligt"
expect_rc 0 "add by lines"
expect_out '^[0-9]+	intervju01	3-3	' "prints the new segment"
seg=$(cut -f1 "$T/out")
check '[ "$(q "SELECT substr(CAST(d.text AS BLOB), s.start_offset + 1, s.end_offset - s.start_offset) FROM segments s JOIN documents d ON d.id = s.document_id WHERE s.id = $seg")" = "IP: Jag ville bara jobba. Inte praktik först." ]' "the segment is the line"
before=$(dump)
run tyst-code add "$P" intervju01 --lines 4-9 --code egna-preferenser --coder erik
expect_rc 2 "lines out of range"
expect_err 'out of range.*5 lines' "says how many lines there are"
run tyst-code add "$P" intervju01 --lines 2 --code arbete-forst --coder erik
expect_rc 2 "unknown code id"
expect_err "unknown code 'arbete-forst'" "names the unknown code"
run tyst-code add "$P" nosuch --lines 2 --code vanligt-arbete --coder erik
expect_rc 2 "unknown document"
run tyst-code add "$P" intervju01 --match 'ville (bara' --code vanligt-arbete --coder erik
expect_rc 2 "bad regular expression"
run tyst-code add "$P" intervju01 --match 'semester' --code vanligt-arbete --coder erik
expect_rc 1 "no match"
check '[ "$(dump)" = "$before" ]' "failed adds leave the project unchanged"

run tyst-code add "$P" intervju01 --match 'riktigt jobb' --unit sentence --code vanligt-arbete --coder erik
expect_rc 0 "add by match, unit sentence"
id=$(cut -f1 "$T/out")
check '[ "$(q "SELECT substr(CAST(d.text AS BLOB), s.start_offset + 1, s.end_offset - s.start_offset) FROM segments s JOIN documents d ON d.id = s.document_id WHERE s.id = $id")" = "Sen fick jag ett riktigt jobb med lön." ]' "the sentence holding the match"
run tyst-code add "$P" intervju01 --match 'jobb' --code vanligt-arbete --coder anna
expect_rc 0 "add by match, unit turn"
expect_lines 2 "one segment per turn holding a match"

printf 'intervju01\tvanligt-arbete\tbo\t2-3\tmemo här\nintervju01\tnollexkludering\tbo\t@4-31\n' >"$T/batch.tsv"
run tyst-code add "$P" --batch "$T/batch.tsv"
expect_rc 0 "add --batch"
check '[ "$(q "SELECT count(*) FROM segments s JOIN coders k ON k.id = s.coder_id WHERE k.name = '\''bo'\''")" = 2 ]' "batch added two segments"
printf 'intervju01\tvanligt-arbete\tbo\t2-3\nintervju01\tnope\tbo\t2-3\n' >"$T/batch2.tsv"
before=$(dump)
run tyst-code add "$P" --batch "$T/batch2.tsv"
expect_rc 2 "batch with an unknown code"
expect_err 'batch2.tsv:2: .*nope' "the batch line is named"
check '[ "$(dump)" = "$before" ]' "a failed batch adds nothing"

# ---- list, rm, memo, case, stats, cooccur ----
run tyst-code list "$P" --code egna-preferenser
expect_out "^$seg	intervju01	3-3	egna-preferenser	erik	IP	IP: Jag ville" "list shows the segment with its speaker"
run tyst-code list "$P" --format jsonl --coder anna
check 'perl -MJSON::PP -ne '\''decode_json($_)->{coder} eq "anna" or exit 1'\'' "$T/out"' "list jsonl parses"
run tyst-code rm "$P" 99999
expect_rc 2 "rm of a segment that does not exist"
run tyst-code rm "$P" "$id"
expect_rc 0 "rm"
check '[ "$(q "SELECT count(*) FROM segments WHERE id = $id")" = 0 ]' "segment removed"
run tyst-code memo "$P" --document intervju01 --coder erik "Kort intervju."
expect_rc 0 "memo on a document"
run tyst-code memo "$P" --code vanligt-arbete "Se även praktik."
expect_rc 0 "memo on a code"
run tyst-code list "$P" memos
expect_out 'intervju01	erik	Kort intervju\.' "memos listed"
run tyst-code memo "$P" --segment "$seg"
expect_out '^tydligt$' "segment memo"
run tyst-code case "$P" Angelica --attr nr=2
run tyst-code case "$P" Angelica
expect_out '^nr=2$' "case attribute set later"
run tyst-code stats "$P"
expect_rc 0 "stats"
expect_out '^egna-preferenser +1 +0 +0 +1$' "stats per code and coder"
expect_out '^m02 +2 +2 ' "stats per document"
run tyst-code cooccur "$P"
expect_out '^vanligt-arbete +[0-9]+ +[0-9]+ +0 +1 ' "overlapping codes co-occur"

# ---- codebook-sync ----
grep -v 'color' "$cb" | sed 's/label: Bidragsrådgivning/label: Ekonomisk rådgivning/' >"$T/cb2.yaml"
run tyst-code codebook-sync "$P" "$T/cb2.yaml"
expect_rc 0 "sync a changed codebook"
expect_err '1 changed|[0-9]+ changed' "reports the changes"
check '[ "$(q "SELECT label FROM codes WHERE code = '\''bidragsradgivning'\''")" = "Ekonomisk rådgivning" ]' "label updated"
check '[ "$(q "SELECT count(*) FROM segments s JOIN codes c ON c.id = s.code_id WHERE c.code = '\''bidragsradgivning'\''")" = 1 ]' "segments of a kept code kept"
perl -0pe 's/  - id: bidragsradgivning.*?(?=  - id: integrerat-team)//s; s/bidragsradgivning, //' "$cb" >"$T/cb3.yaml"
before=$(dump)
run tyst-code codebook-sync "$P" "$T/cb3.yaml"
expect_rc 2 "sync that would drop coded segments"
expect_err 'bidragsradgivning \(1 segment\)' "names the code and its segments"
check '[ "$(dump)" = "$before" ]' "refused sync leaves the project unchanged"
run tyst-code codebook-sync "$P" "$T/cb3.yaml" --prune
expect_rc 0 "sync --prune"
check '[ "$(q "SELECT count(*) FROM codes WHERE code = '\''bidragsradgivning'\''")" = 0 ]' "pruned code gone"
check '[ "$(q "SELECT count(*) FROM segments s JOIN documents d ON d.id = s.document_id WHERE d.name = '\''m02'\''")" = 1 ]' "only its segments went"

# ---- projects that cannot be used ----
cp "$P" "$T/new.db"
sqlite3 "$T/new.db" "PRAGMA user_version = 9"
run tyst-code list "$T/new.db"
expect_rc 2 "a project of a newer schema"
expect_err 'schema version 9, newer' "says the schema is newer"
sqlite3 "$T/other.db" "CREATE TABLE t(x)"
run tyst-code list "$T/other.db"
expect_rc 2 "an SQLite file of another program"
expect_err 'not a tyst project' "says it is not a project"
echo "hello" >"$T/text.db"
run tyst-code list "$T/text.db"
expect_rc 2 "a file that is no database"
run tyst-code list "$T/missing.db"
expect_rc 2 "a missing project"

before=$(dump)
(echo "BEGIN EXCLUSIVE; INSERT INTO meta VALUES ('lock', 'x');"; sleep 3; echo "ROLLBACK;") | sqlite3 "$P" &
lockpid=$!
sleep 1
TYST_BUSY_TIMEOUT=200 run tyst-code add "$P" intervju01 --lines 2 --code vanligt-arbete --coder erik
expect_rc 2 "a locked project"
expect_err 'locked' "says the project is locked"
wait $lockpid
check '[ "$(dump)" = "$before" ]' "the locked project is unchanged"

run tyst-code frobnicate "$P"
expect_rc 2 "unknown command"
run tyst-code --help
expect_rc 0 "--help"
expect_out 'tyst-code import' "--help shows the commands"

# ---- tyst-pseudo's pseudonyms are recorded, so the final scan knows them ----
check '[ "$(q "SELECT p.text FROM pseudonyms p JOIN documents d ON d.id = p.document_id WHERE d.name = '\''intervju07'\''")" = Tindra ]' "the pseudonyms tyst-pseudo's manifest names are recorded"
check '[ "$(q "SELECT count(*) FROM pseudonyms p JOIN documents d ON d.id = p.document_id WHERE d.name = '\''namn'\''")" = 0 ]' "a reviewed document's names are not"
