# A transcript on one line of megabytes (a file saved without line ends)
# is read in windows (text.h): every finding is reported once, those on a
# window's boundary too, with byte offsets and columns into the whole
# line; tyst-pseudo replaces each and --reverse restores the input.
. "$TYST_SRCDIR/tests/cli/lib.sh"

printf 'Erik\tsex=m\nMona\tsex=f\n' >"$T/first.tsv"
printf 'Berg\nHolm\n' >"$T/sur.tsv"
cat >"$T/study.yaml" <<'YAML'
name: long-line
categories:
  PNR: { builtin: pnr }
  PERSON:
    gazetteers:
      - { name: first-names, file: first.tsv, confidence: likely }
pseudonymise:
  first_names: first.tsv
  surnames: sur.tsv
  PERSON: { strategy: name }
  PNR: { strategy: redact, detail: sex-decade }
YAML
mkdir "$T/secret"
chmod 700 "$T/secret"
K="$T/secret/k.key"

# 47 bytes, 45 characters a piece, its number at byte 21, character 20;
# 50,000 pieces, 2.35 MB: two window boundaries (TYST_WINDOW, 1 MiB) fall
# somewhere in a piece.
piece='Så sa Erik att ring 19761224-1242 på fredag. '
n=50000
awk -v p="$piece" -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "%s", p;
    printf "\nMona.\n" }' >"$T/long.txt"
plen=$(printf '%s' "$piece" | wc -c)
pchars=$(printf '%s' "$piece" | LC_ALL=C.UTF-8 wc -m)
check '[ "$plen" -eq 47 ] && [ "$pchars" -eq 45 ]' "the piece is 47 bytes, 45 characters"

run tyst-pnr -f jsonl "$T/long.txt"
expect_rc 1 "tyst-pnr: numbers found on a long line"
check '[ "$(grep -c "\"line\":1," "$T/out")" -eq $n ]' \
    "tyst-pnr: each number once, none lost or doubled at a boundary"
# Piece k holds its number at byte 47k + 21, column 45k + 21.
check 'awk -F"[:,]" -v pl=$plen -v pc=$pchars "{
	for (i = 1; i < NF; i++) { if (\$i == \"\\\"col\\\"\") c = \$(i+1);
	    if (\$i == \"\\\"start\\\"\") s = \$(i+1) }
	if (s % pl != 21 || (c - 1) % pc != 20 || int(s / pl) != int((c - 1) / pc)) bad++
    } END { exit bad > 0 }" "$T/out"' \
    "tyst-pnr: offsets and columns of the whole line"

run tyst-scan -r "$T/study.yaml" -f jsonl "$T/long.txt"
expect_rc 1 "tyst-scan: findings on a long line"
check '[ "$(grep -c "\"category\":\"PNR\"" "$T/out")" -eq $n ]' \
    "tyst-scan: each personnummer once"
check '[ "$(grep -c "\"text\":\"Erik\"" "$T/out")" -eq $n ]' \
    "tyst-scan: each name once"
check '[ "$(grep -o "\"start\":[0-9]*" "$T/out" | sort -u | wc -l)" -eq $((2 * n + 1)) ]' \
    "tyst-scan: no finding reported twice"
expect_out '"line":2,"col":1,"start":2350001,' "the line after it: its own offsets"

run tyst-pseudo -r "$T/study.yaml" -k "$K" "$T/long.txt"
expect_rc 0 "tyst-pseudo on a long line"
cp "$T/out" "$T/long.pseudo"
check '! grep -q "19761224\|Erik" "$T/long.pseudo"' \
    "tyst-pseudo: every original replaced, at the boundaries too"
run tyst-pseudo --reverse -k "$K" "$T/long.pseudo"
expect_rc 0 "tyst-pseudo --reverse on a long line"
check 'cmp -s "$T/out" "$T/long.txt"' "--reverse restores the long line byte for byte"
