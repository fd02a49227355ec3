# tyst-pseudo end to end: replacing, the key, reversal, the manifest, bad
# input and failures that must leave everything as it was.
. "$TYST_SRCDIR/tests/cli/lib.sh"

# A small study of its own: its name lists, detection and strategies.
printf 'Erik\tsex=m\nMona\tsex=f\nJonas\tsex=m\nLars\tsex=m\nPer\tsex=m\nOla\tsex=m\nEva\tsex=f\nSara\tsex=f\nAnna\tsex=f\nLena\tsex=f\n' >"$T/first.tsv"
printf 'Berg\nHolm\nLind\nEngström\nNyberg\n' >"$T/sur.tsv"
printf 'Hudiksvall\tlan=Gävleborgs län\tlandsdel=Norrland\nGävle\tlan=Gävleborgs län\tlandsdel=Norrland\n' >"$T/kommuner.tsv"
cat >"$T/study.yaml" <<'EOF'
name: test-study
categories:
  PNR: { builtin: pnr }
  PERSON:
    gazetteers:
      - { name: first-names, file: first.tsv, confidence: likely }
      - { name: surnames, file: sur.tsv, confidence: likely }
  PLACE:
    gazetteers:
      - { name: kommuner, file: kommuner.tsv, confidence: likely }
pseudonymise:
  first_names: first.tsv
  surnames: sur.tsv
  PERSON: { strategy: name }
  PLACE: { strategy: generalise, level: lan }
  PNR: { strategy: redact, detail: sex-decade }
EOF
mkdir "$T/in" "$T/o" "$T/secret"
chmod 700 "$T/secret"
K="$T/secret/study.key"
printf 'I: Hej Erik.\nIP: Jag bor i Hudiksvall. Eriks bil är röd, sa Mona.\nMitt nummer: 19761224-1242.\n' >"$T/in/a.txt"
# CRLF line ends and a byte order mark survive.
printf '\357\273\277Mona ringde.\r\nErik kom sen.\r\n' >"$T/in/b.txt"
printf 'Inga namn här.\n' >"$T/in/c.txt"

run tyst-pseudo --help
expect_rc 0 "--help"
expect_out 'usage: tyst-pseudo' "--help prints the usage"
run tyst-pseudo --version
expect_out '^tyst-pseudo [0-9]' "--version"
run tyst-pseudo "$T/in/a.txt"
expect_rc 2 "no key"
expect_err 'give -k KEY' "no key: says how"

run tyst-pseudo -k "$K" -r "$T/study.yaml" "$T/in/a.txt"
expect_rc 0 "one file to standard output"
expect_no_out 'Erik|Mona|Hudiksvall|19761224' "no original is left"
expect_out '^I: Hej [A-Z][a-z]+\.$' "the greeting keeps its form"
expect_out 'bor i \[kommun A i Gävleborgs län\]\.' "a kommun becomes its län, with a letter of its own"
expect_out '\[kvinna, född på 1970-talet\]' "a personnummer: sex and decade"
erik=$(sed -n 's/^I: Hej \([A-Za-z]*\)\.$/\1/p' "$T/out")
check 'grep -q "^IP: .*\. ${erik%s}s\{0,1\} bil" "$T/out"' "the genitive stays a genitive, the same name"
check 'printf %s "Jonas Lars Per Ola" | grep -qw "$erik"' "a man's name for a man's ($erik)"
cp "$T/out" "$T/a.pseudo"
check '[ "$(stat -c %a "$K")" = 600 ]' "the key is created 0600"

run tyst-pseudo -k "$K" -r "$T/study.yaml" "$T/in/a.txt"
check 'cmp -s "$T/out" "$T/a.pseudo"' "the same input gives the same output in a second run"
run tyst-pseudo --reverse -k "$K" "$T/a.pseudo"
expect_rc 0 "--reverse"
check 'cmp -s "$T/out" "$T/in/a.txt"' "--reverse restores the input byte for byte"

run_in "$T/in/b.txt" tyst-pseudo -k "$K" -r "$T/study.yaml"
expect_rc 0 "standard input"
check 'od -An -c "$T/out" | head -1 | grep -q "357 273 277"' "the byte order mark is kept"
check '[ "$(tr -cd "\r" <"$T/out" | wc -c)" -eq 2 ]' "CRLF line ends are kept"
check 'grep -q "^$erik kom sen" "$T/out"' "Erik is the same person in every file"
cp "$T/out" "$T/b.pseudo"
run_in "$T/b.pseudo" tyst-pseudo --reverse -k "$K"
check 'cmp -s "$T/out" "$T/in/b.txt"' "round trip of a BOM and CRLF file"

# Several files into a directory, with the manifest and a report.
run tyst-pseudo -k "$K" -r "$T/study.yaml" -o "$T/o" --report "$T/rep.jsonl" \
	"$T/in/a.txt" "$T/in/b.txt" "$T/in/c.txt"
expect_rc 0 "-o with several files"
check 'cmp -s "$T/o/a.txt" "$T/a.pseudo"' "the output in OUTDIR is the same as on stdout"
check 'cmp -s "$T/o/c.txt" "$T/in/c.txt"' "a file without identifiers is copied unchanged"
m="$T/o/tyst-pseudo-manifest.jsonl"
check '[ "$(wc -l <"$m")" -eq 3 ]' "the manifest lists each output"
sum=$(sha256sum "$T/o/a.txt" | cut -d" " -f1)
check 'grep -q "{\"file\":\"a.txt\",\"sha256\":\"$sum\",\"key_id\":\"[0-9a-f-]\{36\}\",\"time\":\"[0-9T:-]*Z\",\"confidence\":\"candidate\",\"left\":0,\"left_at\":\[\],\"pseudonyms\":\[" "$m"' "the manifest line has the output's sha256"
check '! grep -qE "Erik|Mona|Hudiksvall" "$m" "$T/rep.jsonl"' "neither manifest nor report holds an original"
check 'grep -q "^{\"file\":\"a.txt\",\"start\":[0-9]*,\"end\":[0-9]*,\"category\":\"PERSON\",\"key_id\":[0-9]*}$" "$T/rep.jsonl"' "the report has file, offsets, category, key_id"
s=$(sed -n 's/^{"file":"a.txt","start":\([0-9]*\),"end":\([0-9]*\),"category":"PNR".*/\1 \2/p' "$T/rep.jsonl")
check '[ "$(tail -c +$((${s% *} + 1)) "$T/in/a.txt" | head -c $((${s#* } - ${s% *})))" = 19761224-1242 ]' "report offsets are input byte offsets"
run tyst-pseudo -k "$K" -r "$T/study.yaml" -o "$T/o" "$T/in/a.txt"
check '[ "$(wc -l <"$m")" -eq 3 ]' "a re-run replaces its manifest line"

n0=$(sqlite3 "$K" 'select count(*) from entries')
printf 'Lena och Ola.\n' >"$T/in/d.txt"
run tyst-pseudo -n -k "$K" -r "$T/study.yaml" "$T/in/d.txt"
expect_rc 0 "--dry-run"
expect_out 'd.txt:1:1: PERSON "Lena" -> "[A-Z][a-z]+"' "--dry-run shows each change"
check '[ "$(sqlite3 "$K" "select count(*) from entries")" -eq "$n0" ]' "--dry-run leaves the key alone"

# The key's place and kind.
run tyst-pseudo -k "$T/o/k.key" -r "$T/study.yaml" -o "$T/o" "$T/in/a.txt"
expect_rc 2 "a key inside the output directory"
expect_err 'inside the output directory' "says why"
check '[ ! -e "$T/o/k.key" ]' "and creates no key there"
chmod 644 "$K"
run tyst-pseudo -k "$K" -r "$T/study.yaml" "$T/in/a.txt"
expect_rc 2 "a key others can read"
expect_err 'accessible to others \(mode 0644\)' "names the mode"
chmod 600 "$K"
printf 'Erik = Jonas\n' >"$T/secret/notakey"
chmod 600 "$T/secret/notakey"
run tyst-pseudo -k "$T/secret/notakey" -r "$T/study.yaml" "$T/in/a.txt"
expect_rc 2 "a file that is not a key"
expect_err 'not a tyst key' "says so"
cp "$K" "$T/secret/new.key"
sqlite3 "$T/secret/new.key" 'pragma user_version = 7'
run tyst-pseudo -k "$T/secret/new.key" -r "$T/study.yaml" "$T/in/a.txt"
expect_rc 2 "a key of a newer schema"
expect_err 'schema version 7, newer' "says so"
# The holder keeps the lock until $T/hold goes, however slow the run is
# (valgrind), and says when it has it.
touch "$T/hold"
sqlite3 "$K" 'begin immediate; select 1 from entries limit 1;' \
	".shell touch '$T/locked'; while [ -e '$T/hold' ]; do sleep 0.1; done" \
	'commit;' >/dev/null 2>&1 &
holder=$!
i=0
while [ ! -e "$T/locked" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
run tyst-pseudo --timeout 1 -k "$K" -r "$T/study.yaml" "$T/in/a.txt"
expect_rc 2 "a key another process is writing"
expect_err 'locked by another process' "says so"
expect_no_out '.' "and writes nothing"
rm -f "$T/hold"
wait $holder

# Bad input and bad use.
printf 'Erik \201\n' >"$T/in/bad.txt"
run tyst-pseudo -k "$K" -r "$T/study.yaml" -o "$T/o" "$T/in/bad.txt" "$T/in/c.txt"
expect_rc 2 "invalid UTF-8"
expect_err 'bad.txt:1:6' "names the place"
check '[ ! -e "$T/o/bad.txt" ]' "no output for the bad file"
check '! ls "$T/o" | grep -q tmp' "no temporary file left"
run tyst-pseudo -k "$K" -r "$T/study.yaml" "$T/in"
expect_rc 2 "a directory as input"
run tyst-pseudo -k "$K" -r "$T/study.yaml" "$T/in/a.txt" "$T/in/b.txt"
expect_rc 2 "several files need -o"
: >"$T/in/empty.txt"
run tyst-pseudo -k "$K" -r "$T/study.yaml" "$T/in/empty.txt"
expect_rc 0 "an empty file"
check '[ ! -s "$T/out" ]' "gives an empty output"
printf 'pseudonymise:\n  PERSON: { strategy: scramble }\n' >"$T/bad.yaml"
run tyst-pseudo -k "$K" -r "$T/bad.yaml" "$T/in/a.txt"
expect_rc 2 "an unknown strategy"
expect_err 'bad.yaml:2:[0-9]+: unknown strategy' "names file:line:col"
printf 'x' >>"$T/a.pseudo"
run tyst-pseudo --reverse -k "$K" "$T/a.pseudo"
expect_rc 2 "--reverse of a changed file"
expect_err 'no record of this file' "says so"

# A disk that fills: nothing half-written, the key as it was.  About
# 420 KB, more than one buffer of the output stage, so the write that fails
# is the stage thread's.
i=0
while [ $i -lt 6000 ]; do
	echo "Rad $i: Erik och Mona åkte till Gävle med Lars och Per, sa Anna."
	i=$((i + 1))
done >"$T/in/big.txt"
printf 'Sara Nyberg ringde.\n' >>"$T/in/big.txt"
n0=$(sqlite3 "$K" 'select count(*) from entries')
rm -f "$T/o/big.txt"
(ulimit -f 64; "$TYST_BIN/tyst-pseudo" -k "$K" -r "$T/study.yaml" -o "$T/o" "$T/in/big.txt" >"$T/out.txt" 2>"$T/err")
rc=$?
expect_rc 2 "a full disk (ulimit -f)"
expect_err 'big.txt.*(File too large|write failed)' "says what failed"
check '[ ! -e "$T/o/big.txt" ] && ! ls "$T/o" | grep -q "tmp\|tyst-old"' "no output, no temporary file"
check '[ "$(sqlite3 "$K" "select count(*) from entries")" -eq "$n0" ]' "the key is as it was"
check '[ "$(wc -l <"$m")" -eq 3 ]' "the manifest is as it was"

# Read-only output directory.  Permission bits do not stop root; an
# immutable directory (chattr +i) does.
mkdir "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
	chmod 555 "$T/ro"
	ro=1
elif chattr +i "$T/ro" 2>/dev/null; then
	ro=1
else
	ro=0
	ok "skipped: read-only output directory (root, and no chattr +i here)"
fi
if [ $ro = 1 ]; then
	n0=$(sqlite3 "$K" 'select count(*) from entries')
	printf 'Sara Nyberg ringde.\n' >"$T/in/ro.txt"
	run tyst-pseudo -k "$K" -r "$T/study.yaml" -o "$T/ro" "$T/in/a.txt" "$T/in/ro.txt"
	expect_rc 2 "a read-only output directory"
	expect_err 'ro/a.txt: cannot create: (Permission denied|Operation not permitted)' "says so"
	check '[ -z "$(ls -A "$T/ro")" ]' "nothing is written there"
	check '[ "$(sqlite3 "$K" "select count(*) from entries")" -eq "$n0" ]' "the key is as it was"
	chattr -i "$T/ro" 2>/dev/null
	chmod 755 "$T/ro"
fi

# Processes sharing one key stay consistent.
mkdir "$T/par" "$T/parout"
for i in 1 2 3 4 5 6 7 8; do
	printf 'Dag %s: Erik, Mona, Eva och Lars.\n' $i >"$T/par/p$i.txt"
done
K2="$T/secret/par.key"
ls "$T"/par/*.txt | xargs -P 4 -n 2 "$TYST_BIN/tyst-pseudo" -k "$K2" -r "$T/study.yaml" -o "$T/parout" 2>"$T/err"
check '[ $? -eq 0 ]' "four processes on one key"
check '[ "$(sed "s/^Dag [0-9]*//" "$T"/parout/p*.txt | sort -u | wc -l)" -eq 1 ]' "all give every person the same pseudonym"
check '[ "$(sqlite3 "$K2" "select count(*) from entries where category = '"'"'PERSON'"'"'")" -eq 4 ]' "one entry per person"
check '[ "$(sqlite3 "$K2" "select count(distinct pseudonym) from entries where category = '"'"'PERSON'"'"'")" -eq 4 ]' "never a shared pseudonym"
check '[ -z "$(sqlite3 "$K2" "select 1 from entries a join entries b on a.pseudonym = b.original")" ]' "no pseudonym is any original"
ok=1
for i in 1 2 3 4 5 6 7 8; do
	"$TYST_BIN/tyst-pseudo" --reverse -k "$K2" "$T/parout/p$i.txt" | cmp -s - "$T/par/p$i.txt" || ok=0
done
check '[ $ok = 1 ]' "each of them reverses exactly"
