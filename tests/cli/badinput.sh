# Bad input of every kind, across every tool: the same exit status (2), the
# same message form (tyst-x: file[:line[:col]]: message), no sanitizer
# report, no temporary file left behind, and the inputs as they were.
# The per-tool scripts test each tool's own behaviour; this one tests that
# the tools behave alike.
. "$TYST_SRCDIR/tests/cli/lib.sh"

# Detection is not under test here: a one-word lexicon instead of the
# Swedish word lists makes each of the few hundred runs quick.
printf 'och\n' >"$T/lexicon.txt"
TYST_LEXICON="$T/lexicon.txt"
export TYST_LEXICON

I="$T/in"        # inputs: never changed by any run below
O="$T/o"         # outputs
mkdir "$I" "$O" "$I/dir"
chmod 700 "$T"

# ---- helpers ---------------------------------------------------------------

# bad RC WHERE MSG WHAT TOOL ARGS...: runs the tool, checks its exit status
# and that the first line of stderr is "TOOL: WHERE: MSG" (both EREs;
# WHERE may end in :line or :line:col).
bad() {
	want=$1 where=$2 msg=$3 what=$4
	shift 4
	run "$@"
	verdict "$want" "$where" "$msg" "$1 $what"
}

# The same with standard input from a file.
bad_in() {
	input=$1 want=$2 where=$3 msg=$4 what=$5
	shift 5
	run_in "$input" "$@"
	verdict "$want" "$where" "$msg" "$1 $what"
}

verdict() {
	expect_rc "$1" "$4"
	if head -1 "$T/err" | grep -qE -- "^$tool: $2: $3"; then
		ok "$4: names the place"
	else
		not_ok "$4: stderr is not '$tool: $2: $3…'"
		sed 's/^/    stderr: /' "$T/err" | head -3
	fi
}

# No temporary file of the outfile module (NAME.tmpXXXXXX) is left in DIR.
no_tmp() {
	if ls -a "$1" | grep -q '\.tmp'; then
		not_ok "$2: temporary files left in $1"
		ls -a "$1" | sed 's/^/    /'
	else ok "$2: no temporary file left"; fi
}

# Every input's sha256, taken after each section's inputs are made and
# checked at the end: whatever ran after, each file is as it was made.
snap() { (cd "$I" && find . -type f -perm -u+r -exec sha256sum {} +) >>"$T/sums"; }
same_as() { if [ "$(sha256sum <"$1")" = "$2" ]; then ok "$3"; else not_ok "$3"; fi; }

# ---- inputs ----------------------------------------------------------------

# A BOM, CRLF, a two-byte character, then an invalid byte: the byte offset
# counts the BOM and the CR (22), the column counts characters (7).
# (The tab makes the first line a header of two coders for tyst-agree.)
printf '\357\273\277# Hej\tdå.\r\n# Åsa \377\n' >"$I/badutf.txt"
printf '# Hej\tx\r\nda\000g\n' >"$I/nul.txt"
: >"$I/empty.txt"
printf 'Det var en bra dag på jobbet.\n' >"$I/clean.txt"
if [ "$(id -u)" = 0 ]; then
	# Root reads anything; this file opens and then fails on read.
	UNREAD=/proc/self/mem
	UNREAD_MSG='(read: )?(Input/output error|.*disk I/O error)'
else
	printf 'x\n' >"$I/unreadable.txt"
	chmod 000 "$I/unreadable.txt"
	UNREAD="$I/unreadable.txt"
	UNREAD_MSG='(cannot open: )?(Permission denied|unable to open)'
fi
printf 'categories:\n  PERSON: [x\n' >"$I/badyaml.yaml"
printf 'categories:\n  PHONE:\n    patterns:\n      - { name: x, regex: '"'"'(abc'"'"' }\n' >"$I/badrx.yaml"
printf 'codes:\n  - id: a\n    label: [x\n' >"$I/badcb.yaml"

# A project with two coders, a key, a copy of the project of a newer
# schema, files that are not projects.
P="$T/db/p.db"
mkdir "$T/db" "$T/secret"
chmod 700 "$T/secret"
K="$T/secret/k.key"
i=0
while [ $i -lt 60 ]; do
	echo "IP: Jag tyckte att jobbet på lagret var bra, rad $i, och handledaren hjälpte mig mycket."
	i=$((i + 1))
done >"$I/samtal.txt"
"$TYST_BIN/tyst-code" init "$P" --codebook ips-principer >/dev/null 2>&1
"$TYST_BIN/tyst-code" import "$P" "$I/samtal.txt" >/dev/null 2>&1
"$TYST_BIN/tyst-code" add "$P" samtal --code vanligt-arbete --coder anna --lines 1-60 >/dev/null
"$TYST_BIN/tyst-code" add "$P" samtal --code vanligt-arbete --coder bo --lines 1-30 >/dev/null
"$TYST_BIN/tyst-code" add "$P" samtal --code nollexkludering --coder bo --lines 31-40 >/dev/null
check '[ "$("$TYST_BIN/tyst-code" list "$P" segments | wc -l)" -eq 3 ]' "fixture: a project with segments"
printf 'Mona ringde.\n' | "$TYST_BIN/tyst-pseudo" -k "$K" >/dev/null 2>&1
check '[ -s "$K" ]' "fixture: a key"
cp "$P" "$T/db/newer.db"
sqlite3 "$T/db/newer.db" 'PRAGMA user_version = 99'
cp "$K" "$T/secret/newer.key"
sqlite3 "$T/secret/newer.key" 'PRAGMA user_version = 99'
printf 'not a database\n' >"$T/db/text.db"
printf 'Erik ringde.\n' >"$T/secret/text.key"
chmod 600 "$T/secret/text.key" "$T/secret/newer.key"
cp "$P" "$T/db/p.orig"

snap

# ---- options ---------------------------------------------------------------

for t in tyst-pnr tyst-scan tyst-pseudo tyst-codebook tyst-code tyst-excerpt tyst-agree; do
	run $t --help
	expect_rc 0 "$t --help"
	expect_out "^usage: $t" "$t --help: the usage on stdout"
	run $t --version
	expect_out "^$t [0-9]+\.[0-9]+" "$t --version"
	run $t --no-such-option
	expect_rc 2 "$t: an unknown option"
	check '[ ! -s "$T/out" ]' "$t: an unknown option: nothing on stdout"
done

# ---- files that are not text -----------------------------------------------

# Every way in for a transcript, a rule set, a codebook, a matrix or a
# batch; @ stands for the bad file.
readers='tyst-pnr @
tyst-scan @
tyst-scan -r @ CLEAN
tyst-pseudo -k KEY @
tyst-pseudo -k KEY -r @ CLEAN
tyst-code import PROJ --i-have-reviewed @
tyst-code import PROJ --rules @ CLEAN
tyst-code add PROJ --batch @
tyst-code init NEWPROJ --codebook @
tyst-code codebook-sync PROJ @
tyst-codebook check @
tyst-codebook export -f md @
tyst-excerpt PROJ --rules @
tyst-agree --matrix @'

each_reader() {
	printf '%s\n' "$readers" | sed "s|@|$1|; s|CLEAN|$I/clean.txt|;
	    s|NEWPROJ|$T/db/new.db|; s|PROJ|$P|; s|KEY|$K|"
}

for kind in badutf nul dir missing unreadable; do
	case $kind in
	badutf) f="$I/badutf.txt"; where="$f:2:7"
		msg='invalid UTF-8 at byte offset 22 \(byte 0xff\)' ;;
	nul) f="$I/nul.txt"; where="$f:2:3"; msg='NUL byte at byte offset 11' ;;
	dir) f="$I/dir"; where="$f"; msg='is a directory' ;;
	missing) f="$I/missing.txt"; where="$f"; msg='No such file or directory' ;;
	unreadable) f="$UNREAD"; where="$f(:1)?"; msg="$UNREAD_MSG" ;;
	esac
	each_reader "$f" >"$T/cmds"
	while read -r cmd; do
		# shellcheck disable=SC2086
		bad 2 "$where" "$msg" "$kind (${cmd#* })" $cmd
	done <"$T/cmds"
done
# /dev/zero: refused at its first byte, as a file holding a NUL is, not
# read until memory runs out.
each_reader /dev/zero >"$T/cmds"
while read -r cmd; do
	# shellcheck disable=SC2086
	bad 2 '/dev/zero(:1:1)?' 'NUL byte at byte offset 0' \
	    "/dev/zero (${cmd#* })" $cmd
done <"$T/cmds"
for cmd in "tyst-pnr" "tyst-scan" "tyst-pseudo -k $K"; do
	# shellcheck disable=SC2086
	bad_in /dev/zero 2 '<stdin>:1:1' 'NUL byte at byte offset 0' \
	    "/dev/zero on stdin" $cmd
done
check '[ ! -e "$T/db/new.db" ]' "no project was created from a bad codebook"
check 'cmp -s "$P" "$T/db/p.orig"' "the project is as it was after every refusal"

# The same on standard input.
for cmd in "tyst-pnr" "tyst-scan" "tyst-pseudo -k $K" "tyst-codebook check" \
    "tyst-agree --matrix -" "tyst-code import $P -" "tyst-code add $P --batch -"; do
	# shellcheck disable=SC2086
	bad_in "$I/badutf.txt" 2 '<stdin>:2:7' 'invalid UTF-8 at byte offset 22' \
	    "invalid UTF-8 on stdin" $cmd
	# shellcheck disable=SC2086
	bad_in "$I/dir" 2 '<stdin>' 'is a directory' "a directory on stdin" $cmd
done

# Files that are not REFI-QDA.
for f in "$I/dir" "$I/missing.qdpx" "$I/empty.txt" "$I/nul.txt" "$UNREAD"; do
	bad 2 "$f(:1:1)?" '.' "not a .qdc/.qdpx: ${f##*/}" tyst-codebook import "$f"
	bad 2 "$f" '.' "not a .qdpx: ${f##*/}" tyst-code import-qdpx "$P" "$f"
done

# An empty file: nothing to find in a transcript; a rule set, a codebook,
# a matrix or a document to import cannot be empty.
E="$I/empty.txt"
for cmd in "tyst-pnr $E" "tyst-scan $E" "tyst-pseudo -k $K $E"; do
	# shellcheck disable=SC2086
	run $cmd
	expect_rc 0 "${cmd%% *}: an empty transcript"
	check '[ ! -s "$T/out" ]' "${cmd%% *}: an empty transcript gives no output"
done
bad 2 "$E(:1:1)?" 'empty' "an empty rule set" tyst-scan -r "$E" "$I/clean.txt"
bad 2 "$E(:1:1)?" 'empty' "an empty rule set" tyst-pseudo -k "$K" -r "$E" "$I/clean.txt"
bad 2 "$E(:1:1)?" 'empty' "an empty codebook" tyst-codebook check "$E"
bad 2 "$E(:1:1)?" 'empty' "an empty codebook" tyst-code init "$T/db/new.db" --codebook "$E"
bad 2 "$E(:1:1)?" 'empty' "an empty matrix" tyst-agree --matrix "$E"
bad 2 "$E(:1:1)?" 'empty' "an empty document" tyst-code import "$P" "$E"

# ---- BOM and CRLF: accepted, offsets into the file as read -----------------

printf '\357\273\277I: Hej.\r\nIP: Jag heter Mona och bor i Gävle.\r\n' >"$I/bom.txt"
run tyst-scan -f jsonl "$I/bom.txt"
s=$(sed -n 's/.*"line":2,"col":15,"start":\([0-9]*\),"end":\([0-9]*\).*"text":"Mona".*/\1 \2/p' "$T/out")
check '[ "$s" = "26 30" ]' "tyst-scan: BOM and CRLF counted in byte offsets, not in columns"
run tyst-pseudo -k "$K" --report "$O/rep.jsonl" "$I/bom.txt"
expect_rc 0 "tyst-pseudo: a BOM and CRLF file"
check 'grep -q "\"start\":26,\"end\":30,\"category\":\"PERSON\"" "$O/rep.jsonl"' "tyst-pseudo: report offsets into the file as read"
check '[ "$(head -c 3 "$T/out" | od -An -tx1 | tr -d " ")" = efbbbf ] && [ "$(tr -cd "\r" <"$T/out" | wc -c)" -eq 2 ]' "tyst-pseudo: BOM and CRLF kept"

printf '\357\273\277anna\tbo\r\nja\tja\r\nnej\tja\r\nja\tja\r\n' >"$I/crlf.tsv"
printf 'anna\tbo\nja\tja\nnej\tja\nja\tja\n' >"$I/lf.tsv"
run tyst-agree --matrix "$I/lf.tsv" -f tsv
cp "$T/out" "$O/lf.out"
run tyst-agree --matrix "$I/crlf.tsv" -f tsv
check 'cmp -s "$T/out" "$O/lf.out"' "tyst-agree: a BOM and CRLF matrix gives the same figures"

printf 'codes:\n  - id: a\n    label: A\n  - id: a\n    label: B\n' >"$I/dup.yaml"
sed 's/$/\r/' "$I/dup.yaml" | { printf '\357\273\277'; cat; } >"$I/dupcrlf.yaml"
bad 2 "$I/dup.yaml:4:5" "duplicate id 'a'" "a codebook error" tyst-codebook check "$I/dup.yaml"
bad 2 "$I/dupcrlf.yaml:4:5" "duplicate id 'a'" "the same error with BOM and CRLF, same place" tyst-codebook check "$I/dupcrlf.yaml"
sed 's/$/\r/' "$I/badrx.yaml" | { printf '\357\273\277'; cat; } >"$I/badrxcrlf.yaml"
bad 2 "$I/badrxcrlf.yaml:4:27" 'pattern x of PHONE: bad regex' "a rules error with BOM and CRLF" tyst-scan -r "$I/badrxcrlf.yaml" "$I/clean.txt"

cp "$P" "$T/db/bom.db"
run tyst-code import "$T/db/bom.db" --i-have-reviewed "$I/bom.txt"
expect_rc 0 "tyst-code: a BOM and CRLF document"
printf '\357\273\277bom\tvanligt-arbete\tanna\t2-2\r\n' >"$I/batch.tsv"
run tyst-code add "$T/db/bom.db" --batch "$I/batch.tsv"
expect_rc 0 "tyst-code: a BOM and CRLF batch"
run tyst-excerpt "$T/db/bom.db" --document bom -f jsonl --allow Mona --allow Gävle
check 'grep -q "\"text\":\"IP: Jag heter Mona och bor i Gävle.\"" "$T/out"' "tyst-excerpt: the excerpt is line 2, without BOM or CR"

snap

# ---- bad rules, bad regex, bad YAML: the same words everywhere -------------

for r in badyaml badrx badcb; do
	case $r in
	badyaml) where="$I/badyaml.yaml:3:1"; msg='YAML: ' ;;
	badrx) where="$I/badrx.yaml:4:27"; msg='pattern x of PHONE: bad regex at character 5' ;;
	badcb) where="$I/badcb.yaml:4:1"; msg='YAML: ' ;;
	esac
	if [ $r = badcb ]; then
		bad 2 "$where" "$msg" "bad codebook YAML" tyst-codebook check "$I/$r.yaml"
		bad 2 "$where" "$msg" "bad codebook YAML" tyst-code init "$T/db/new.db" --codebook "$I/$r.yaml"
		bad 2 "$where" "$msg" "bad codebook YAML" tyst-code codebook-sync "$P" "$I/$r.yaml"
		continue
	fi
	bad 2 "$where" "$msg" "$r" tyst-scan -r "$I/$r.yaml" "$I/clean.txt"
	bad 2 "$where" "$msg" "$r" tyst-pseudo -k "$K" -r "$I/$r.yaml" "$I/clean.txt"
	bad 2 "$where" "$msg" "$r" tyst-code import "$P" --rules "$I/$r.yaml" "$I/clean.txt"
	bad 2 "$where" "$msg" "$r" tyst-excerpt "$P" --rules "$I/$r.yaml"
done
bad 2 '--match:1:5' 'bad regular expression' "a bad --match" \
	tyst-code add "$P" samtal --code vanligt-arbete --coder anna --match '(abc'

snap

# ---- unknown codes ---------------------------------------------------------

uc="unknown code 'finns-inte'"
bad 2 "$P" "$uc" "add" tyst-code add "$P" samtal --code finns-inte --coder anna --lines 1
bad 2 "$P" "$uc" "list --code" tyst-code list "$P" segments --code finns-inte
bad 2 "$P" "$uc" "memo --code" tyst-code memo "$P" --code finns-inte "en tanke"
bad 2 "$P" "$uc" "--code" tyst-excerpt "$P" --code finns-inte
bad 2 "$P" "$uc" "--code" tyst-agree "$P" --coders anna,bo --code finns-inte
bad 2 '.*ips-principer.yaml' "$uc" "show" tyst-codebook show ips-principer finns-inte
printf 'samtal\tfinns-inte\tanna\t1-2\n' >"$I/badcode.tsv"
bad 2 "$I/badcode.tsv:1(:[0-9]+)?" "$uc" "a batch line" tyst-code add "$P" --batch "$I/badcode.tsv"
bad 2 "$P" "no coder 'eva'" "list --coder" tyst-code list "$P" segments --coder eva
bad 2 "$P" "no coder 'eva'" "--coders" tyst-agree "$P" --coders anna,eva
check 'cmp -s "$P" "$T/db/p.orig"' "the project is as it was"

snap

# ---- projects and keys that are not what they should be -------------------

projects='tyst-code list @ segments
tyst-code stats @
tyst-code add @ samtal --code vanligt-arbete --coder anna --lines 2
tyst-code import @ --i-have-reviewed CLEAN
tyst-code merge PROJ @
tyst-excerpt @
tyst-agree @ --coders anna,bo'
each_project() {
	printf '%s\n' "$projects" | while read -r line; do
		printf '%s\n' "$line" | sed "s|@|$1|; s|CLEAN|$I/clean.txt|; s|PROJ|$T/db/bom.db|"
	done
}
for kind in dir missing text newer unreadable; do
	case $kind in
	dir) db="$I/dir"; msg='is a directory, not a project' ;;
	missing) db="$T/db/missing.db"; msg='No such file or directory' ;;
	text) db="$T/db/text.db"; msg='not a tyst project' ;;
	newer) db="$T/db/newer.db"; msg='the project has schema version 99, newer than this tyst' ;;
	unreadable) db="$UNREAD"; msg="(cannot open: )?.*(I/O error|Permission denied|unable to open)" ;;
	esac
	[ -f "$db" ] && [ "$kind" != unreadable ] && sum=$(sha256sum <"$db")
	each_project "$db" >"$T/cmds"
	while read -r cmd; do
		# shellcheck disable=SC2086
		bad 2 "$db" "$msg" "project: $kind (${cmd#* })" $cmd
	done <"$T/cmds"
	[ -f "$db" ] && [ "$kind" != unreadable ] && same_as "$db" "$sum" "project: $kind: the file is as it was"
	check '[ ! -e "$T/db/missing.db" ]' "project: $kind: nothing created"
done

# A project another program is writing: a clear message after the busy
# timeout, not a hang and not a crash.
cp "$P" "$T/db/locked.db"
sum=$(sha256sum <"$T/db/locked.db")
# The holder keeps its lock until $T/hold goes, however slow the runs
# (valgrind); $T/locked says it has the lock.
touch "$T/hold"
sqlite3 "$T/db/locked.db" 'BEGIN EXCLUSIVE; SELECT count(*) FROM meta;' \
	".shell touch '$T/locked'; while [ -e '$T/hold' ]; do sleep 0.1; done" \
	'COMMIT;' >/dev/null 2>&1 &
holder=$!
i=0
while [ ! -e "$T/locked" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
export TYST_BUSY_TIMEOUT=200
each_project "$T/db/locked.db" | grep -v merge >"$T/cmds"
while read -r cmd; do
	# shellcheck disable=SC2086
	bad 2 "$T/db/locked.db" 'the project is locked by another program' "project: locked (${cmd#* })" $cmd
done <"$T/cmds"
unset TYST_BUSY_TIMEOUT
rm -f "$T/hold"
wait $holder
same_as "$T/db/locked.db" "$sum" "project: locked: the file is as it was"

for kind in dir text newer; do
	case $kind in
	dir) key="$T/secret"; msg='is a directory' ;;
	text) key="$T/secret/text.key"; msg='not a tyst key' ;;
	newer) key="$T/secret/newer.key"; msg='.*schema version 99, newer' ;;
	esac
	bad 2 "$key" "$msg" "key: $kind" tyst-pseudo -k "$key" "$I/clean.txt"
	bad 2 "$key" "$msg" "key: $kind, --reverse" tyst-pseudo --reverse -k "$key" "$I/clean.txt"
done

# ---- standard output that cannot be written --------------------------------

printf 'Mitt nummer är 19761224-1242.\n' >"$I/pnr.txt"
if [ -w /dev/full ]; then
	for cmd in "tyst-pnr $I/pnr.txt" "tyst-scan $I/bom.txt" \
	    "tyst-pseudo -k $K $I/samtal.txt" "tyst-codebook list ips-principer" \
	    "tyst-codebook export -f qdc ips-principer" "tyst-code list $P segments" \
	    "tyst-code stats $P" "tyst-excerpt $P" "tyst-excerpt $P -f qdpx" \
	    "tyst-agree $P --coders anna,bo" "tyst-agree --matrix $I/lf.tsv"; do
		# shellcheck disable=SC2086
		$TYST_WRAP "$TYST_BIN/"$cmd >/dev/full 2>"$T/err" </dev/null
		rc=$?
		tool=${cmd%% *}
		sanitizer_check
		verdict 2 '<stdout>' 'write failed' "$cmd >/dev/full"
	done
else
	ok "skipped: standard output to /dev/full (no /dev/full)"
fi

snap

# ---- output files: a directory that cannot be written ----------------------

# Permission bits do not stop root; an immutable directory does.  As a
# user, a directory without write permission.
RO="$T/ro"
mkdir "$RO"
if [ "$(id -u)" = 0 ] && chattr +i "$RO" 2>/dev/null; then
	ro_how="immutable (chattr +i)"
elif [ "$(id -u)" != 0 ] && chmod 555 "$RO"; then
	ro_how="mode 555"
else
	ro_how=
fi
if [ -n "$ro_how" ]; then
	trap 'chattr -i "$RO" 2>/dev/null' EXIT
	cw='cannot create: (Operation not permitted|Permission denied|Read-only file system)'
	bad 2 "$RO/samtal.txt" "$cw" "-o into a read-only directory" \
		tyst-pseudo -k "$K" -o "$RO" "$I/samtal.txt"
	bad 2 "$RO/rep.jsonl" "$cw" "--report into a read-only directory" \
		tyst-pseudo -k "$K" --report "$RO/rep.jsonl" "$I/samtal.txt"
	bad 2 "$RO/cb.md" "$cw" "export -o into a read-only directory" \
		tyst-codebook export -f md -o "$RO/cb.md" ips-principer
	"$TYST_BIN/tyst-codebook" export -f qdc -o "$O/cb.qdc" ips-principer
	bad 2 "$RO/cb.yaml" "$cw" "import -o into a read-only directory" \
		tyst-codebook import -o "$RO/cb.yaml" "$O/cb.qdc"
	bad 2 "$RO/e.md" "$cw" "-o into a read-only directory" \
		tyst-excerpt "$P" -o "$RO/e.md"
	bad 2 "$RO/e.qdpx" "$cw" "-f qdpx -o into a read-only directory" \
		tyst-excerpt "$P" -f qdpx -o "$RO/e.qdpx"
	bad 2 "$RO/r.md" "$cw" "--report into a read-only directory" \
		tyst-agree "$P" --coders anna,bo --report "$RO/r.md"
	bad 2 "$RO/review.yaml" "$cw" "--review into a read-only directory" \
		tyst-scan --review "$RO/review.yaml" "$I/bom.txt"
	bad 2 "$RO/n.db" 'cannot create' "init in a read-only directory" \
		tyst-code init "$RO/n.db" --codebook ips-principer
	check '[ -z "$(ls -A "$RO")" ]' "read-only directory ($ro_how): nothing written there"
	chattr -i "$RO" 2>/dev/null
	chmod 755 "$RO"
	trap - EXIT
else
	ok "skipped: read-only output directory (root, and chattr +i is not supported here)"
fi

# ---- output files that are not plain files ---------------------------------

# A directory as the target; a symlink stays a symlink; a device stays a
# device (a temporary file renamed over /dev/null would replace it, as
# root).
bad 2 "$O" 'is a directory' "-o a directory" tyst-codebook export -f md -o "$O" ips-principer
echo old >"$O/real.md"
ln -s real.md "$O/link.md"
run tyst-codebook export -f md -o "$O/link.md" ips-principer
expect_rc 0 "tyst-codebook: -o a symlink"
check '[ -L "$O/link.md" ] && grep -q "^| Nr |" "$O/real.md"' "tyst-codebook: the symlink is kept, its file written"
run tyst-agree "$P" --coders anna,bo --report /dev/null
expect_rc 0 "tyst-agree: --report /dev/null"
check '[ -c /dev/null ] && ! ls /dev | grep -q "^null\.tmp"' "/dev/null is still a device"
mkfifo "$O/fifo"
cat "$O/fifo" >"$O/from-fifo" &
reader=$!
run tyst-codebook export -f md -o "$O/fifo" ips-principer
wait $reader
check '[ -p "$O/fifo" ] && grep -q "^| Nr |" "$O/from-fifo"' "tyst-codebook: -o a fifo writes into it"
rm -f "$O/fifo" "$O/from-fifo" "$O/link.md" "$O/real.md"

# ---- output files: a disk that fills (ulimit -f) ---------------------------

# Each target exists with old content; a write past the limit must leave
# it as it was, with no temporary file beside it.  ulimit -f counts blocks
# of 512 bytes (dash) or 1024 (bash): 2 blocks is at most 2 KB.
filled() {
	target=$1 what=$2
	shift 2
	echo "old content" >"$target"
	old=$(sha256sum <"$target")
	(ulimit -f 2; run "$@"; echo "$rc" >"$T/rc"; cp "$T/err" "$T/err.keep")
	rc=$(cat "$T/rc")
	cp "$T/err.keep" "$T/err"
	tool=$1
	sanitizer_check
	verdict 2 "$target" 'write failed: File too large' "$1 $what past ulimit -f"
	same_as "$target" "$old" "$1 $what past ulimit -f: the target is as it was"
	no_tmp "$(dirname "$target")" "$1 $what past ulimit -f"
}
filled "$O/cb.md" "export -o" tyst-codebook export -f md -o "$O/cb.md" ips-principer
filled "$O/cb.qdc" "export -f qdc -o" tyst-codebook export -f qdc -o "$O/cb.qdc" ips-principer
"$TYST_BIN/tyst-codebook" export -f qdc -o "$O/ips.qdc" ips-principer
filled "$O/cb.yaml" "import -o" tyst-codebook import -o "$O/cb.yaml" "$O/ips.qdc"
filled "$O/e.md" "-o" tyst-excerpt "$P" -o "$O/e.md"
filled "$O/e.qdpx" "-f qdpx -o" tyst-excerpt "$P" -f qdpx -o "$O/e.qdpx"
filled "$O/r.md" "--report" tyst-agree "$P" --coders anna,bo --report "$O/r.md"

# A project that cannot grow: the import fails whole.
cp "$P" "$O/grow.db"
sum=$(sha256sum <"$O/grow.db")
i=0
while [ $i -lt 200 ]; do
	echo "IP: Sedan började jag på ett nytt jobb där allt var annorlunda, rad $i."
	i=$((i + 1))
done >"$I/lang.txt"
(ulimit -f 170; run tyst-code import "$O/grow.db" "$I/lang.txt"; echo "$rc" >"$T/rc"; cp "$T/err" "$T/err.keep")
rc=$(cat "$T/rc")
cp "$T/err.keep" "$T/err"
tool=tyst-code
verdict 2 "$O/grow.db" '.*(disk I/O error|full|too large)' "an import into a project that cannot grow"
run tyst-code list "$O/grow.db" documents
check '! grep -q "^lang" "$T/out"' "tyst-code: the document is not half-imported"

snap

# ---- one line of 10 MB ------------------------------------------------------

if [ -z "$TYST_SLOW" ]; then
	yes 'jag tyckte att det var bra på jobbet och' | tr '\n' ' ' | head -c 10485760 >"$I/huge.txt"
	printf '. Mona ringde.\n' >>"$I/huge.txt"
	run tyst-scan -f jsonl "$I/huge.txt"
	expect_rc 1 "tyst-scan: a 10 MB line"
	expect_out '"line":1,"col":[0-9]+,"start":10485762,"end":10485766,.*"text":"Mona"' "tyst-scan: finds the name at its end"
	run tyst-pseudo -k "$K" "$I/huge.txt"
	expect_rc 0 "tyst-pseudo: a 10 MB line"
	check '[ "$(wc -c <"$T/out")" -ge 10485760 ] && ! grep -q Mona "$T/out"' "tyst-pseudo: all of it, the name replaced"
	cp "$P" "$O/huge.db"
	run tyst-code import "$O/huge.db" --i-have-reviewed "$I/huge.txt"
	expect_rc 0 "tyst-code: imports a 10 MB line"
	{ printf 'anna\tbo\n'; head -c 10485760 "$I/huge.txt"; printf '\tja\nja\tja\n'; } >"$I/huge.tsv"
	run tyst-agree --matrix "$I/huge.tsv"
	expect_rc 0 "tyst-agree: a 10 MB cell"
	{ printf 'codes:\n  - id: a\n    label: '; head -c 10485760 "$I/huge.txt"; printf '\n'; } >"$I/huge.yaml"
	run tyst-codebook check "$I/huge.yaml"
	expect_rc 0 "tyst-codebook: a 10 MB label"
else
	ok "skipped: 10 MB lines (TYST_SLOW)"
fi

# ---- an output that is an input --------------------------------------------

# A slip of the shell must not replace the project, the key or a
# transcript with an export.
cp "$P" "$T/db/self.db"
sum=$(sha256sum <"$T/db/self.db")
io='is an input of this command and would be overwritten'
bad 2 "$T/db/self.db" "$io" "-o the project" tyst-excerpt "$T/db/self.db" -o "$T/db/self.db"
bad 2 "$T/db/self.db" "$io" "-f qdpx -o the project" tyst-excerpt "$T/db/self.db" -f qdpx -o "$T/db/self.db"
bad 2 "$T/db/self.db" "$io" "--report the project" tyst-agree "$T/db/self.db" --coders anna,bo --report "$T/db/self.db"
same_as "$T/db/self.db" "$sum" "the project is as it was"
cp "$K" "$T/secret/self.key"
sum=$(sha256sum <"$T/secret/self.key")
bad 2 "$T/secret/self.key" "$io" "--report the key" tyst-pseudo -k "$T/secret/self.key" --report "$T/secret/self.key" "$I/clean.txt"
same_as "$T/secret/self.key" "$sum" "the key is as it was"
bad 2 "$I/clean.txt" "$io" "--report a transcript" tyst-pseudo -k "$K" --report "$I/clean.txt" "$I/clean.txt"
printf 'I: Hej.\nIP: Det var bra.\n' >"$I/iv.txt"
snap
bad 2 "$I/iv.txt" "$io" "--review a transcript" tyst-scan --review "$I/iv.txt" "$I/iv.txt"
printf 'codes:\n  - id: a\n    label: A\n' >"$O/own.yaml"
sum=$(sha256sum <"$O/own.yaml")
bad 2 "$O/own.yaml" "$io" "export -f md over its codebook" tyst-codebook export -f md -o "$O/own.yaml" "$O/own.yaml"
same_as "$O/own.yaml" "$sum" "the codebook is as it was"
run tyst-codebook export -f yaml -o "$O/own.yaml" "$O/own.yaml"
expect_rc 0 "tyst-codebook: export -f yaml in place is allowed"

snap

# ---- nothing was changed ---------------------------------------------------

no_tmp "$O" "all runs"
no_tmp "$T/db" "all runs"
no_tmp "$T/secret" "all runs"
snap
if (cd "$I" && sha256sum -c --quiet "$T/sums") >"$T/sumcheck" 2>&1; then
	ok "no input file was changed"
else
	not_ok "no input file was changed"
	sed 's/^/    /' "$T/sumcheck"
fi
