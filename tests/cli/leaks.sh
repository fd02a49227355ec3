# Every route by which an identity could reach a shared file: what
# tyst-pseudo left, what import and export trust, the fields beside the
# excerpts, and the messages that name a personnummer.
. "$TYST_SRCDIR/tests/cli/lib.sh"

q() { sqlite3 "$1" "$2"; }
K=$T/secret/key.db
mkdir -p "$T/secret" "$T/in" "$T/part" "$T/full"
cat >"$T/in/intervju01.txt" <<'E'
I: Vem ringde?
IP: Det var Erik Svensson och Leija, och sen Tindra från Hudiksvall.
E

# ---- 1. a partial pseudonymisation is not trusted as complete ----
run tyst-pseudo -k "$K" -c certain -o "$T/part" "$T/in/intervju01.txt"
expect_rc 0 "tyst-pseudo -c certain"
m=$T/part/tyst-pseudo-manifest.jsonl
check 'grep -q "\"confidence\":\"certain\"" "$m"' "the manifest records the threshold"
check 'grep -q "\"left\":[1-9]" "$m"' "and how many findings were left"
check 'grep -q "\"left_at\":\[{\"start\":[0-9]*,\"end\":[0-9]*,\"category\":\"PERSON\",\"why\":\"confidence\"}" "$m"' "with offsets, category and why"
check '! grep -qE "Leija|Tindra|Erik|Hudiksvall" "$m"' "never their text"
P=$T/p.db
"$TYST_BIN/tyst-code" init "$P" --codebook "$TYST_SRCDIR/codebooks/ips-principer.yaml" 2>/dev/null
run tyst-code import "$P" "$T/part/intervju01.txt"
expect_rc 2 "import refuses what the partial run left"
expect_err "PERSON 'Leija'" "naming the name left"
expect_err "manifest lists it, but that run replaced only findings at least 'certain' and left [1-9]" "and why the manifest is not enough"
check '[ "$(q "$P" "SELECT count(*) FROM documents")" = 0 ]' "nothing imported"

run tyst-pseudo -k "$K" -o "$T/full" "$T/in/intervju01.txt"
expect_rc 0 "tyst-pseudo at every confidence"
check 'grep -q "\"left\":0" "$T/full/tyst-pseudo-manifest.jsonl"' "nothing left"
run tyst-code import "$P" "$T/full/intervju01.txt"
expect_rc 0 "import takes a whole pseudonymisation"
check '[ "$(q "$P" "SELECT review FROM documents")" = tyst-pseudo ]' "recorded as tyst-pseudo's"
ps=$(q "$P" "SELECT text FROM pseudonyms ORDER BY text")
check '[ -n "$ps" ]' "the handed-out pseudonyms are recorded"
check '! printf "%s\n" "$ps" | grep -qE "Leija|Tindra|Erik|Svensson|Hudiksvall"' "and no original"
for w in $(q "$P" "SELECT text FROM pseudonyms WHERE text NOT LIKE '% %'"); do
	check 'grep -q "$w" "$T/full/intervju01.txt"' "pseudonym $w is in the output"
done

# A manifest written by hand that lists a file with its names in it.
mkdir "$T/forged"
cp "$T/in/intervju01.txt" "$T/forged/intervju02.txt"
printf '{"file":"intervju02.txt","sha256":"%s","key_id":"k","time":"t","confidence":"candidate","left":0,"left_at":[],"pseudonyms":["Leija"]}\n' \
    "$(sha256sum "$T/forged/intervju02.txt" | cut -c1-64)" >"$T/forged/tyst-pseudo-manifest.jsonl"
run tyst-code import "$P" "$T/forged/intervju02.txt"
expect_rc 2 "a listed file is scanned: only its own pseudonyms pass"
expect_err "PERSON 'Tindra'" "Tindra stops it"
expect_no_out . "nothing on stdout"
# A file name in the manifest cannot pass for a field.
printf '{"file":"x\\",\\"sha256\\":\\"%s","sha256":"0","pseudonyms":["Tindra"]}\n' \
    "$(sha256sum "$T/forged/intervju02.txt" | cut -c1-64)" >"$T/forged/tyst-pseudo-manifest.jsonl"
run tyst-code import "$P" "$T/forged/intervju02.txt"
expect_rc 2 "a sha256 inside a file name is not the file's"
expect_err "pseudonymise it with tyst-pseudo -o DIR" "treated as not listed"
# An older tyst-pseudo's line says nothing of what it handed out.
printf '{"file":"intervju02.txt","sha256":"%s","key_id":"k","time":"t"}\n' \
    "$(sha256sum "$T/forged/intervju02.txt" | cut -c1-64)" >"$T/forged/tyst-pseudo-manifest.jsonl"
run tyst-code import "$P" "$T/forged/intervju02.txt"
expect_rc 2 "an old manifest line is no licence"
expect_err "does not say which pseudonyms were handed out" "says so"

# tyst-pseudo to standard output: no manifest, and the refusal says how on.
sed 's/Vem ringde/Vem kom/' "$T/in/intervju01.txt" >"$T/in/intervju03.txt"
"$TYST_BIN/tyst-pseudo" -k "$K" "$T/in/intervju03.txt" >"$T/intervju03.txt" 2>/dev/null
run tyst-code import "$P" "$T/intervju03.txt"
expect_rc 2 "stdout output has no manifest"
expect_err "run it again with -o DIR, or pass --rules" "the refusal says how to go on"
run tyst-code import "$P" --rules "$T/full/tyst-pseudo-rules.yaml" "$T/intervju03.txt"
expect_rc 0 "--rules with a keep list of the key's pseudonyms lets it in"

# ---- the excerpt gate trusts only handed-out pseudonyms ----
P2=$T/p2.db
"$TYST_BIN/tyst-code" init "$P2" --codebook "$TYST_SRCDIR/codebooks/ips-principer.yaml" 2>/dev/null
printf 'I: Vem?\nIP: {vanligt-arbete}Det var Leija som frågade.{/vanligt-arbete}\n' >"$T/forged/ps1.txt"
printf '{"file":"ps1.txt","sha256":"%s","key_id":"k","time":"t","confidence":"candidate","left":0,"left_at":[],"pseudonyms":["Leija"]}\n' \
    "$(sha256sum "$T/forged/ps1.txt" | cut -c1-64)" >"$T/forged/tyst-pseudo-manifest.jsonl"
run tyst-code import "$P2" --markup --coder "kodare" "$T/forged/ps1.txt"
expect_rc 0 "a document with only its pseudonym"
run tyst-excerpt "$P2" --code vanligt-arbete --format jsonl
expect_rc 0 "its pseudonym passes the excerpt gate"
# What a scan once found (schema 1) is no pseudonym.
q "$P2" "UPDATE pseudonyms SET origin = 'scan'"
run tyst-excerpt "$P2" --code vanligt-arbete --format jsonl
expect_rc 1 "a name the scan found is not taken for a pseudonym"

# ---- a project of schema 1 is read as it is and upgraded by a writer ----
P1=$T/old.db
cp "$P2" "$P1"
sqlite3 "$P1" <"$TYST_SRCDIR/tests/data/project/undo-schema-3.sql"
q "$P1" "ALTER TABLE pseudonyms DROP COLUMN origin; DROP TABLE allowed; PRAGMA user_version = 1"
run tyst-excerpt "$P1" --code vanligt-arbete --format jsonl
expect_rc 1 "schema 1 read-only: its scan-found pseudonyms let nothing through"
check '[ "$(q "$P1" "PRAGMA user_version")" = 1 ]' "a reader does not change the file"
run tyst-code list "$P1" documents
expect_rc 0 "a schema 1 project is listed"
run tyst-code memo "$P1" --document ps1 "Ett memo."
expect_rc 0 "a writer opens it"
check '[ "$(q "$P1" "PRAGMA user_version")" = 3 ]' "and upgrades it to schema 3"
check '[ "$(q "$P1" "SELECT origin FROM pseudonyms")" = scan ]' "its old pseudonyms marked as found by a scan"
check '[ "$(q "$P1" "SELECT count(*) FROM allowed")" = 0 ]' "with an empty allowed table"

# ---- 2. every field that leaves the project is scanned ----
P3=$T/p3.db
"$TYST_BIN/tyst-code" init "$P3" --codebook "$TYST_SRCDIR/codebooks/ips-principer.yaml" 2>/dev/null
printf 'I: Hur går det?\nIP: {vanligt-arbete}Det går bra med jobbet nu.{/vanligt-arbete}\n' >"$T/intervju_Mona_Andersson.txt"
run tyst-code import "$P3" --markup --coder kodare --case "Mona Andersson" \
    --attr ort=Hudiksvall "$T/intervju_Mona_Andersson.txt"
expect_rc 0 "a clean text in a document named after a person"
seg=$(q "$P3" "SELECT id FROM segments")
run tyst-code memo "$P3" --segment "$seg" "Ringde Erik Svensson, 19761224-1242, Storgatan 12, 824 30 Hudiksvall."
expect_rc 0 "a memo with a name, a personnummer and an address"
for f in md csv jsonl html; do
	run tyst-excerpt "$P3" -f "$f" -a '{case}, {ort}' -o "$T/x.$f"
	expect_rc 1 "-f $f stops at the fields"
	check '[ ! -e "$T/x.$f" ]' "-f $f: nothing written"
done
expect_err "PERSON 'Erik Svensson' in the memo of segment $seg" "the memo's name"
expect_err "PNR '19761224-\*\*\*\*' in the memo of segment $seg" "the memo's personnummer, masked"
expect_err "in the case name of segment $seg" "the case name"
expect_err "in the document name of segment $seg" "the document name"
expect_err "PLACE 'Hudiksvall' in the attribution of segment $seg" "a case attribute the attribution shows"
check '! grep -q 1242 "$T/err"' "no message holds the whole personnummer"
run tyst-excerpt "$P3" --show
expect_err "PNR '19761224-1242' in the memo" "--show prints it whole"
run tyst-excerpt "$P3" -f qdpx -o "$T/x.qdpx"
expect_rc 1 "-f qdpx stops at the fields too"
expect_err "in a coding memo in intervju_Mona_Andersson" "the memo, in the qdpx"
expect_err "in the name of document intervju_Mona_Andersson" "the document name, in the qdpx"
expect_err "in the name of case Mona Andersson" "the case name, in the qdpx"
expect_err "PLACE 'Hudiksvall' in attribute ort of case Mona Andersson" "a case attribute, in the qdpx"
check '[ ! -e "$T/x.qdpx" ]' "no qdpx written"

# Allowed once, remembered: the coder's and the case's names.
run tyst-code memo "$P3" --segment "$seg" ""
run tyst-excerpt "$P3" -f jsonl --allow Hudiksvall --allow "Mona Andersson" --allow Mona --allow Andersson
expect_rc 0 "--allow lets the names through"
check '[ "$(q "$P3" "SELECT count(*) FROM allowed")" -ge 2 ]' "and the project remembers them"
run tyst-excerpt "$P3" -f jsonl
expect_rc 0 "the next export does not ask again"

# ---- 3. a name only the gazetteer holds, in lower case mid-sentence ----
# No study list, and the file never capitalises them: a first name that is
# no ordinary Swedish word is a name in any case.
printf 'I: Vem var med?\nIP: jo, det var mona och sune, och sen kom kicki också.\nIP: vi pratade med hjalmar om det, men birgitta sa inget.\n' >"$T/lc3.txt"
run tyst-scan "$T/lc3.txt"
expect_rc 1 "tyst-scan finds lower-case names"
for w in mona sune kicki hjalmar birgitta; do
	expect_out "PERSON \"$w\" \(gazetteer first-names\)" "'$w' in lower case mid-sentence"
done
expect_no_out '"(var|och|kom|pratade|inget)"' "and no ordinary word beside them"
run tyst-pseudo -k "$T/secret/k3.db" "$T/lc3.txt"
expect_rc 0 "tyst-pseudo replaces them"
check '! grep -qwE "mona|sune|kicki|hjalmar|birgitta" "$T/out"' "none is left in the output"

# ---- 4. personnummer in messages are masked ----
printf 'Hon heter 19761224-1242.\n' >"$T/pnr.txt"
run tyst-pseudo -n -k "$T/secret/k3.db" "$T/pnr.txt"
expect_out '"19761224-\*\*\*\*" -> ' "tyst-pseudo -n masks a personnummer"
expect_no_out 1242 "and never prints it whole"
run tyst-pseudo -n --show -k "$T/secret/k3.db" "$T/pnr.txt"
expect_out '"19761224-1242" -> ' "--show prints it whole"
printf 'I: Nummer?\nIP: {vanligt-arbete}Det är 19761224-1242.{/vanligt-arbete}\n' >"$T/pnrdoc.txt"
"$TYST_BIN/tyst-code" import "$P3" --markup --coder kodare --i-have-reviewed "$T/pnrdoc.txt" 2>/dev/null
run tyst-excerpt "$P3" -f jsonl
expect_rc 1 "a personnummer in an excerpt stops the export"
expect_err "PNR '19761224-\*\*\*\*' in the excerpt" "named masked"
check '! grep -q 1242 "$T/err"' "never whole"
run tyst-excerpt "$P3" -f jsonl --show
expect_err "PNR '19761224-1242' in the excerpt" "whole with --show"

# ---- 5. rewriting an output keeps its mode; files with originals are 0600 ----
mode() { stat -c %a "$1"; }
umask 022
run tyst-scan --review "$T/review.yaml" "$T/in/intervju01.txt"
check '[ "$(mode "$T/review.yaml")" = 600 ]' "a new review file is 0600"
run tyst-scan -r "$T/review.yaml" --review "$T/review.yaml" "$T/in/intervju01.txt"
check '[ "$(mode "$T/review.yaml")" = 600 ]' "and stays 0600 when rewritten"
chmod 640 "$T/review.yaml"
run tyst-scan -r "$T/review.yaml" --review "$T/review.yaml" "$T/in/intervju01.txt"
check '[ "$(mode "$T/review.yaml")" = 640 ]' "a mode the user gave is kept"
run tyst-pseudo -k "$K" --report "$T/rep.jsonl" "$T/in/intervju01.txt"
check '[ "$(mode "$T/rep.jsonl")" = 600 ]' "a new --report is 0600"
run tyst-codebook export -f qdc -o "$T/cb.qdc" "$TYST_SRCDIR/codebooks/ips-principer.yaml"
check '[ "$(mode "$T/cb.qdc")" = 644 ]' "a new plain output follows the umask"
chmod 600 "$T/cb.qdc"
run tyst-codebook export -f qdc -o "$T/cb.qdc" "$TYST_SRCDIR/codebooks/ips-principer.yaml"
expect_rc 0 "the output rewritten"
check '[ "$(mode "$T/cb.qdc")" = 600 ]' "keeps the 0600 the user gave it"

# ---- 6. two inputs of one name into one -o directory ----
mkdir -p "$T/a" "$T/b" "$T/dup"
printf 'Hej Erik.\n' >"$T/a/intervju01.txt"
printf 'Hej Mona.\n' >"$T/b/intervju01.txt"
run tyst-pseudo -k "$K" -o "$T/dup" "$T/a/intervju01.txt" "$T/b/intervju01.txt"
expect_rc 2 "two inputs of one name are refused"
expect_err "b/intervju01.txt: has the same name as .*a/intervju01.txt" "naming both"
check '[ -z "$(ls "$T/dup")" ]' "before anything is written"

# ---- 12. CSV formula injection ----
P4=$T/p4.db
"$TYST_BIN/tyst-code" init "$P4" --codebook "$TYST_SRCDIR/codebooks/ips-principer.yaml" 2>/dev/null
printf 'I: Hur?\nIP: {vanligt-arbete}-1+1 sa hon, och =summa.{/vanligt-arbete}\nIP: {vanligt-arbete}– Det går bra.{/vanligt-arbete}\n' >"$T/formel.txt"
"$TYST_BIN/tyst-code" import "$P4" --markup --coder kodare "$T/formel.txt" 2>/dev/null
seg=$(q "$P4" "SELECT min(id) FROM segments")
"$TYST_BIN/tyst-code" memo "$P4" --segment "$seg" '=1+2, "ja"' 2>/dev/null
run tyst-excerpt "$P4" -f csv
expect_rc 0 "CSV export"
expect_out "^$seg,.*,\"'-1\+1 sa hon, och =summa\.\"," "a cell starting with - gets a leading '"
expect_out ",\"'=1\+2, \"\"ja\"\"\"" "a quoted cell too, the ' inside the quotes"
expect_out ',– Det går bra\.,' "an en dash is left alone"
run tyst-excerpt "$P4" -f csv --csv-raw
expect_out "^$seg,.*,\"-1\+1 sa hon, och =summa\.\"," "--csv-raw writes the stored text"
expect_out ',"=1\+2' "the memo too"

# ---- 14. command-line values ----
P5=$T/p5.db
"$TYST_BIN/tyst-code" init "$P5" --codebook "$TYST_SRCDIR/codebooks/ips-principer.yaml" 2>/dev/null
printf 'I: Hej.\nIP: Det går bra.\n' >"$T/d1.txt"
"$TYST_BIN/tyst-code" import "$P5" "$T/d1.txt" 2>/dev/null
run tyst-code add "$P5" d1 --code vanligt-arbete --coder '' --lines 1-2
expect_rc 2 "--coder ''"
expect_err "a coder's name may not be empty" "says the name is empty"
expect_no_out . "nothing on stdout"
run tyst-code add "$P5" d1 --code vanligt-arbete --coder "$(printf 'a\tb')" --lines 1-2
expect_rc 2 "a coder's name with a tab"
expect_err "may not hold a tab, a line break" "says why"
printf 'I: Hej.\nIP: Det går också bra.\n' >"$T/d2.txt"
run tyst-code import "$P5" --case "$(printf 'x\ny')" "$T/d2.txt"
expect_rc 2 "a case name with a line break"
expect_err "a case's name may not hold a tab, a line break" "says why"
check '[ "$(q "$P5" "SELECT count(*) FROM segments") $(q "$P5" "SELECT count(*) FROM documents")" = "0 1" ]' "nothing was added"
run tyst-code add "$P5" d1 --code vanligt-arbete --coder anna --lines -1
expect_rc 2 "--lines -1"
expect_err "--lines '-1': write A-B" "is a bad range, not line 18446744073709551615"
expect_no_out 18446744073709551615 "never that number"
run tyst-code add "$P5" d1 --code vanligt-arbete --coder anna --lines 1--2
expect_rc 2 "--lines 1--2"
run tyst-scan -j 99 "$T/d1.txt"
expect_rc 2 "-j 99 is refused like -j 0"
expect_err "--jobs wants 1 or 2, not '99'" "says what it wants"
run tyst-pseudo -j 3 -k "$T/secret/k5.db" "$T/d1.txt"
expect_rc 2 "tyst-pseudo -j 3 too"
for tool in tyst-scan tyst-pnr tyst-code; do
	case $tool in
	tyst-code) set -- import "$P5" /dev/zero ;;
	*) set -- /dev/zero ;;
	esac
	run $tool "$@"
	expect_rc 2 "$tool: /dev/zero stops at its first NUL"
	expect_err "/dev/zero:1:1: NUL byte at byte offset 0" "$tool: says so"
done
run_in /dev/zero tyst-scan
expect_rc 2 "tyst-scan < /dev/zero"
run_in /dev/zero tyst-pseudo -k "$T/secret/k5.db"
expect_rc 2 "tyst-pseudo < /dev/zero (spooled to disk until the first NUL)"
expect_err "<stdin>(:[0-9]+:[0-9]+)?: NUL byte at byte offset 0" "says so"
run tyst-codebook check /dev/zero
expect_rc 2 "tyst-codebook check /dev/zero"

# ---- 9. PCRE2's match limit is an error with its line, not "no match" ----
{ echo 'I: Hej.'; printf 'IP: %s!\n' "$(printf 'a%.0s' $(seq 1 30))"; echo 'IP: Det går bra.'; } >"$T/m.txt"
"$TYST_BIN/tyst-code" import "$P5" "$T/m.txt" 2>/dev/null
run tyst-code add "$P5" m --code vanligt-arbete --coder anna --match '(a+)+b|bra'
expect_rc 2 "a match limit hit is an error"
expect_err "^tyst-code: m:2: --match gave up on this line: match limit exceeded" "naming the line"
check '[ "$(q "$P5" "SELECT count(*) FROM segments")" = 0 ]' "nothing added, though line 3 matches"

# ---- 13. deeply nested YAML in rules files ----
nest() { awk -v n="$1" -v o="$2" -v c="$3" 'BEGIN { for (i = 0; i < n; i++) printf "%s", o; printf "%s", c; for (i = 0; i < n; i++) printf "%s", (o == "[" ? "]" : "}"); print "" }'; }
{ printf 'name: x\ncategories:\n  A:\n    words: '; nest 100000 '[' ''; } >"$T/deep.yaml"
run tyst-scan -r "$T/deep.yaml" "$T/d1.txt"
expect_rc 2 "a rules file nested 100 000 deep"
expect_err "deep.yaml:4:[0-9]+: YAML nested more than 64 levels deep" "is refused at the level that is too deep"
{ printf 'name: x\npseudonymise:\n  PERSON: '; nest 100000 '{a: ' ''; } >"$T/deep2.yaml"
run tyst-pseudo -n -k "$T/secret/k6.db" -r "$T/deep2.yaml" "$T/d1.txt"
expect_rc 2 "so is a pseudonymise: section"
expect_err "deep2.yaml:3:[0-9]+: YAML nested more than 64 levels deep" "with its place"
{ printf 'name: x\ncategories:\n  A:\n    words: '; nest 60 '[' Ab; } >"$T/deep3.yaml"
run tyst-scan -r "$T/deep3.yaml" "$T/d1.txt"
check '! grep -q "nested more than" "$T/err"' "60 levels are not refused for depth"

# ---- 7. failure leaves nothing new behind ----
mkdir -p "$T/o7"
run tyst-pseudo -k "$T/secret/k7.db" -o "$T/o7" "$T/in/intervju01.txt"
expect_rc 0 "a good run writes the rescan rules"
ino=$(stat -c %i "$T/o7/tyst-pseudo-rules.yaml")
printf 'Hej\000Erik\n' >"$T/nul.txt"
run tyst-pseudo -k "$T/secret/k7.db" -o "$T/o7" "$T/nul.txt"
expect_rc 2 "a failed run"
check '[ "$(stat -c %i "$T/o7/tyst-pseudo-rules.yaml")" = "$ino" ]' "does not replace the rescan rules"
check '[ ! -e "$T/o7/nul.txt" ]' "nor write an output"
printf 'not a zip' >"$T/bad.qdpx"
run tyst-code import-qdpx "$T/new7.db" "$T/bad.qdpx"
expect_rc 2 "a failed import-qdpx into a new project"
check '[ ! -e "$T/new7.db" ] && [ -z "$(ls "$T" | grep new7)" ]' "leaves no project file behind"
# A run killed while it writes leaves its temporary (named with its
# process id, locked while it lives); the next run into the directory
# removes it, but never one whose writer lives or whose lock is held.
yes 'IP: Det var Erik Svensson och Leija som ringde från Hudiksvall igår, sa hon.' |
    head -c 6000000 >"$T/big7.txt"
mkdir -p "$T/o7k"
"$TYST_BIN/tyst-pseudo" -k "$T/secret/k7k.db" -o "$T/o7k" "$T/big7.txt" 2>/dev/null &
pk=$!
i=0
while [ -z "$(ls "$T/o7k" | grep '^big7\.txt\.tmp-tyst-')" ] && [ $i -lt 3000 ]; do
	sleep 0.01
	i=$((i + 1))
done
kill -9 $pk 2>/dev/null
wait $pk 2>/dev/null
left=$(ls "$T/o7k" | grep "^big7\.txt\.tmp-tyst-$pk-")
check '[ -n "$left" ]' "kill -9 mid-write leaves a temporary named with the writer's pid"
check '[ ! -e "$T/o7k/big7.txt" ]' "and no output"
dead=$(sh -c 'echo $$')
: >"$T/o7k/old.txt.tmp-tyst-$dead-Ab3dEf"
: >"$T/o7k/held.txt.tmp-tyst-$dead-Gh5jKl"
: >"$T/o7k/live.txt.tmp-tyst-$$-Mn7pQr"
: >"$T/o7k/notes.tmp-tyst-draft"
flock "$T/o7k/held.txt.tmp-tyst-$dead-Gh5jKl" sleep 60 &
fl=$!
i=0
until ! flock -n "$T/o7k/held.txt.tmp-tyst-$dead-Gh5jKl" true 2>/dev/null || [ $i -ge 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
run tyst-pseudo -k "$T/secret/k7k.db" -o "$T/o7k" "$T/in/intervju01.txt"
expect_rc 0 "the next run into the directory"
check '[ -z "$(ls "$T/o7k" | grep "^big7\.txt\.tmp-tyst-")" ]' "removes the killed run's temporary"
check '[ ! -e "$T/o7k/old.txt.tmp-tyst-$dead-Ab3dEf" ]' "and one of another process that is gone"
check '[ -e "$T/o7k/held.txt.tmp-tyst-$dead-Gh5jKl" ]' "but not one whose lock another process holds"
check '[ -e "$T/o7k/live.txt.tmp-tyst-$$-Mn7pQr" ]' "nor one whose writer lives (a parallel run)"
check '[ -e "$T/o7k/notes.tmp-tyst-draft" ]' "nor a file that only looks like one"
kill $fl 2>/dev/null
wait $fl 2>/dev/null
# A dry run without a key works on a throwaway key, which holds the
# originals it saw: one left by a killed dry run is removed by the next.
mkdir -p "$T/tmpd/tyst-pseudo-dry.$dead.Ab3dEf" "$T/tmpd/tyst-pseudo-dry.$$.Cd4eFg"
printf 'Erik Svensson\n' >"$T/tmpd/tyst-pseudo-dry.$dead.Ab3dEf/dry-run.key"
printf 'x\n' >"$T/tmpd/tyst-pseudo-dry.$$.Cd4eFg/dry-run.key"
TMPDIR="$T/tmpd" "$TYST_BIN/tyst-pseudo" -n -k "$T/secret/none7.key" "$T/in/intervju01.txt" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0 "a dry run without a key"
check '[ ! -e "$T/tmpd/tyst-pseudo-dry.$dead.Ab3dEf" ]' "removes the throwaway key a killed dry run left"
check '[ -e "$T/tmpd/tyst-pseudo-dry.$$.Cd4eFg/dry-run.key" ]' "but not a live one's"
check '[ "$(ls "$T/tmpd" | wc -l)" = 1 ] && [ ! -e "$T/secret/none7.key" ]' "and leaves none of its own"
# Parallel runs into one directory (xargs -P) lose no output.
mkdir -p "$T/o7p"
for i in 1 2 3 4 5 6; do cp "$T/in/intervju01.txt" "$T/p7_$i.txt"; done
ls "$T"/p7_*.txt | xargs -P 3 -n 1 "$TYST_BIN/tyst-pseudo" -k "$T/secret/k7p.db" -o "$T/o7p" 2>"$T/err"
xrc=$?
check '[ $xrc = 0 ] && [ "$(ls "$T/o7p" | grep -c "^p7_.*\.txt$")" = 6 ]' "parallel runs into one directory write every output"
check '[ -z "$(ls -a "$T/o7p" | grep "\.tmp")" ]' "and leave no temporary"
check '[ "$(wc -l <"$T/o7p/tyst-pseudo-manifest.jsonl")" = 6 ]' "and the manifest lists all six"

# ---- 16. a name in a transcript's file name ----
# With -o the output's name is pseudonymised as the text is (the same
# person, the same pseudonym); the original name stays in the key only.
mkdir -p "$T/o16" "$T/r16"
{ cat "$T/in/intervju01.txt"; printf 'IP: Mona Andersson ringde mig, och Mona sa att hon kommer.\n'; } >"$T/intervju_Mona_Andersson.txt"
cp "$T/in/intervju01.txt" "$T/samtal_Sune.txt"
cp "$T/in/intervju01.txt" "$T/intervju16.txt"
run tyst-pseudo -k "$T/secret/k16.db" -o "$T/o16" "$T/intervju_Mona_Andersson.txt" "$T/samtal_Sune.txt" "$T/intervju16.txt"
expect_rc 0 "tyst-pseudo runs"
check '[ "$(ls "$T/o16" | grep -c -e Mona -e Andersson -e Sune)" = 0 ]' "no output is named after a person"
check 'ls "$T/o16" | grep -q "^intervju16\.txt$"' "a name without a name stays as it is"
check '! grep -q -e Mona -e Andersson -e Sune "$T/o16/tyst-pseudo-manifest.jsonl"' "the manifest holds no original name"
o16=$(ls "$T/o16" | grep '^intervju_.*_.*\.txt$')
first=$(printf '%s' "$o16" | sed 's/^intervju_\([^_]*\)_.*/\1/')
check '[ -n "$o16" ] && grep -q "IP: $first .* ringde mig, och $first sa" "$T/o16/$o16"' "the file name's person has the text's pseudonym"
check 'ls "$T/o16" | grep -q "^samtal_[^_]*\.txt$"' "a name only the file name holds is replaced too"
run tyst-pseudo --reverse -k "$T/secret/k16.db" -o "$T/r16" "$T/o16/$o16" "$T/o16"/samtal_*.txt "$T/o16/intervju16.txt"
expect_rc 0 "--reverse"
check 'cmp -s "$T/r16/intervju_Mona_Andersson.txt" "$T/intervju_Mona_Andersson.txt" && cmp -s "$T/r16/samtal_Sune.txt" "$T/samtal_Sune.txt" && cmp -s "$T/r16/intervju16.txt" "$T/intervju16.txt"' "--reverse gives back each original name and text"
# Two inputs whose names differ only in the name's case become one output
# name: the second is refused, never written over the first.
mkdir -p "$T/o16b"
cp "$T/in/intervju01.txt" "$T/samtal_sune.txt"
run tyst-pseudo -k "$T/secret/k16.db" -o "$T/o16b" "$T/samtal_Sune.txt" "$T/samtal_sune.txt"
expect_rc 2 "two inputs for one pseudonymised name"
expect_err "samtal_sune.txt: its output's name samtal_.* is that of an earlier input's output" "the second is refused"
check '[ "$(ls "$T/o16b" | grep -c "^samtal_")" = 1 ]' "the first output stands"
run tyst-code import "$P5" "$T/o16/$o16"
expect_rc 0 "tyst-code import takes the output"
check '! grep -q "file name holds" "$T/err"' "and finds no name in its name"
# Written to standard output the text has no name: tyst-pseudo says so.
run tyst-pseudo -k "$T/secret/k16.db" "$T/intervju_Mona_Andersson.txt"
expect_err "intervju_Mona_Andersson.txt: warning: the file name holds likely PERSON 'Mona Andersson'" "without -o it warns of the name in the file name"

# ---- 8. a hot journal (a write that did not finish) and read-only commands ----
P8=$T/hot.db
cp "$P5" "$P8"
mkfifo "$T/fifo"
sqlite3 "$P8" <"$T/fifo" >"$T/sq.out" 2>&1 &
sq=$!
exec 3>"$T/fifo"
printf 'PRAGMA cache_size = 1;\nBEGIN;\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO meta SELECT printf(%s, i), printf(%s, i) FROM n;\nSELECT %s;\n' "'k%d'" "'%0500d'" "'ready'" >&3
i=0
while ! grep -q ready "$T/sq.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $sq
wait $sq 2>/dev/null
exec 3>&-
check '[ -s "$P8-journal" ]' "a write killed in the middle leaves a hot journal"
run tyst-code list "$P8" documents
expect_rc 0 "tyst-code list rolls it back and reads"
expect_out '^d1	' "listing the documents"
n=$(q "$P8" "SELECT count(*) FROM meta WHERE key LIKE 'k%'")
check '[ "$n" = 0 ]' "the unfinished write is gone"

# ---- 10. --reverse with the key where it cannot be written ----
mkdir -p "$T/k10" "$T/o10"
K10=$T/k10/key.db
printf 'IP: Jag heter Mona Andersson och bor i Umeå.\n' >"$T/a10.txt"
printf 'IP: Sen kom Tindra Lund från Hudiksvall.\n' >"$T/b10.txt"
run tyst-pseudo -k "$K10" -o "$T/o10" "$T/a10.txt"
expect_rc 0 "a run writes a key"
# Another process has the key open while a run commits: only the last to
# close used to fold the -wal file into the key.
mkfifo "$T/fifo10"
sqlite3 "$K10" <"$T/fifo10" >"$T/sq10.out" 2>&1 &
sq10=$!
exec 4>"$T/fifo10"
printf 'SELECT count(*) FROM entries;\nSELECT %s;\n' "'ready'" >&4
i=0
while ! grep -q ready "$T/sq10.out" && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
run tyst-pseudo -k "$K10" -o "$T/o10" "$T/b10.txt"
expect_rc 0 "a run while another process holds the key open"
mkdir -p "$T/k10c"
cp "$K10" "$T/k10c/key.db"
chmod 600 "$T/k10c/key.db"
exec 4>&-
wait $sq10 2>/dev/null
run tyst-pseudo --reverse -k "$T/k10c/key.db" "$T/o10/b10.txt"
expect_rc 0 "the key file alone (no -wal) holds the run's entries: checkpointed at close"
expect_out "Tindra Lund" "and reverses the later output"
# The key on a read-only file system (root ignores file modes, so a
# read-only bind mount in a private namespace when it can be had; as
# another user, modes are enough).
ro_reverse() {
	if [ "$(id -u)" != 0 ]; then
		chmod 400 "$K10"
		chmod 500 "$T/k10"
		"$TYST_BIN/tyst-pseudo" "$@" >"$T/out" 2>"$T/err"
		rc=$?
		chmod 700 "$T/k10"
		chmod 600 "$K10"
		return 0
	fi
	unshare -rm true 2>/dev/null || return 1
	unshare -rm sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
	    ! touch "$1/x" 2>/dev/null && shift && exec "$@"' sh "$T/k10" \
	    "$TYST_BIN/tyst-pseudo" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	return 0
}
if ro_reverse --reverse -k "$K10" "$T/o10/a10.txt"; then
	expect_rc 0 "--reverse with the key on a read-only file system"
	expect_out "Mona Andersson" "restores the originals"
	check '[ ! -e "$K10-wal" ] && [ ! -e "$K10-shm" ]' "and leaves nothing beside the key"
	mkdir -p "$T/o10r"
	ro_reverse --reverse -k "$K10" -o "$T/o10r" "$T/o10/b10.txt"
	expect_rc 0 "and into a directory"
	check 'grep -q "Tindra Lund" "$T/o10r/b10.txt"' "with the originals"
else
	ok "--reverse on a read-only file system (skipped: no private mount namespace here)"
fi

# ---- 11. XML entity expansion and zip bombs: refused fast, saying which limit ----
B=$TYST_SRCDIR/tests/data/bombs
run tyst-codebook import "$B/entity-bomb.qdc"
expect_rc 2 "a .qdc that declares entities"
expect_err "entity-bomb.qdc: the XML declares entities .* refused \(limit: no entity declarations\)" "names the limit"
run tyst-code import-qdpx "$T/bomb.db" "$B/entity-bomb.qdpx"
expect_rc 2 "a .qdpx whose project.qde declares entities"
expect_err "project.qde declares XML entities .*limit: no entity declarations" "names the limit"
check '[ ! -e "$T/bomb.db" ]' "and leaves no project"
run tyst-code import-qdpx "$T/bomb.db" "$B/zip-bomb.qdpx"
expect_rc 2 "a zip bomb (3 KB packing 3 MB)"
expect_err "project.qde: packed 1025 to 1, over the limit of 200 to 1" "names the limit"
run tyst-codebook import "$B/zip-bomb.qdpx"
expect_rc 2 "tyst-codebook import refuses it too"
expect_err "packed more than 200 to 1, over the limit" "naming the limit"
