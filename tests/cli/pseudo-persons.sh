# tyst-pseudo: one person, one pseudonym (case, genitives, nicknames, double
# names, same-person:), the study's own pseudonyms (names:), the spellings
# proposed for review, names that keep origin, sex and generation, and
# places that stay distinct, on the shipped Swedish lists.
. "$TYST_SRCDIR/tests/cli/lib.sh"

G="$TYST_SRCDIR/rules/sv"
mkdir "$T/in" "$T/o" "$T/secret"
chmod 700 "$T/secret"
K="$T/secret/study.key"
cat >"$T/study.yaml" <<'YAML'
include: default
names: {Rosa: Emma, "Björn Ek": "Jonas Lind"}
same-person: [[Jonatan, Johnatan], [Mona, mona]]
YAML
cat >"$T/in/a.txt" <<'TXT'
I: Berätta om din familj.
IP: Min syster Mona bor nära. Jag pratar med mona varje dag. Monas barn heter Jonatan.
IP: Lars-Göran är min pappa, alla säger Lasse. Lars jobbar fortfarande.
IP: Bo kallas Bosse. Per heter Pelle hemma. Kristina kallas Kicki.
IP: Johnatan var där också. Leija och Leija's hund, Leija’s katt.
IP: Rosa och Björn Ek kom, och Anna Ek.
IP: Min chef Mohammed Yilmaz och hans kollega Gunilla Andersson.
IP: Jag bor i Mora nu men jag växte upp i Falun.
TXT

run tyst-pseudo -k "$K" -r "$T/study.yaml" -o "$T/o" "$T/in/a.txt"
expect_rc 0 "a transcript with every kind of variant"
o="$T/o/a.txt"
check '! grep -qwE "Mona|mona|Lars|Lasse|Bosse|Pelle|Kicki|Jonatan|Johnatan|Leija|Rosa|Björn|Ek|Mohammed|Yilmaz|Gunilla|Andersson" "$o"' \
	"no original is left"
line() { sed -n "$1p" "$o"; }
mona=$(line 2 | sed 's/^IP: Min syster \([^ ]*\) bor nära\..*/\1/')
check '[ -n "$mona" ] && line 2 | grep -q "pratar med $mona varje dag"' \
	"Mona and mona are one person ($mona)"
check 'grep -q "^$mona	sex=f" "$G/first-names.tsv"' "a woman's name for a woman's"
check 'line 2 | grep -qE "\. ${mona%s}s? barn"' "Monas is the genitive of the same pseudonym"
lg=$(line 3 | sed 's/^IP: \([^ ]*\) är min pappa.*/\1/')
first=${lg%%-*}
check 'line 3 | grep -q "alla säger $first\. $first jobbar"' \
	"Lars-Göran, Lasse and Lars share the pseudonym's first part ($lg)"
bo=$(line 4 | sed 's/^IP: \([^ ]*\) kallas \([^.]*\)\..*/\1 \2/')
check '[ "${bo% *}" = "${bo#* }" ]' "Bo and Bosse are one person ($bo)"
check 'line 4 | grep -qE "^IP: [^ ]+ kallas [^ ]+\. ([^ ]+) heter \1 hemma\. ([^ ]+) kallas \2\.$"' \
	"Per/Pelle and Kristina/Kicki are one person each"
jon=$(line 2 | sed 's/.*barn heter \([^.]*\)\..*/\1/')
check 'line 5 | grep -q "^IP: $jon var där också"' "same-person: Jonatan and Johnatan ($jon)"
check 'line 5 | grep -qE "^IP: .* ([^ ]+) och \1s? hund, \1s? katt\.$"' \
	"Leija's and Leija’s are the genitive of Leija's pseudonym"
check 'line 6 | grep -qE "^IP: Emma och Jonas Lind kom, och [^ ]+ Lind\.$"' \
	"names: honoured; Björn Ek's surname stays with Anna Ek"
# Origin, sex and generation, as the lists say.
attrs() { grep -P "^$2\t" "$G/$1" | head -1; }
shares() {  # shares KEY LIST1 LIST2: the two attribute values share an item
	a=$(printf '%s\n' "$2" | tr '\t' '\n' | sed -n "s/^$1=//p" | tr , '\n')
	b=$(printf '%s\n' "$3" | tr '\t' '\n' | sed -n "s/^$1=//p" | tr , '\n')
	[ -n "$a" ] && [ -n "$b" ] && printf '%s\n' "$a" | grep -qxF "$b"
}
l7=$(line 7)
n1=$(echo "$l7" | sed 's/^IP: Min chef \([^ ]*\) .*/\1/')
n2=$(echo "$l7" | sed 's/^IP: Min chef [^ ]* \([^ ]*\) och.*/\1/')
n3=$(echo "$l7" | sed 's/.*kollega \([^ ]*\) .*/\1/')
n4=$(echo "$l7" | sed 's/.*kollega [^ ]* \([^.]*\)\.$/\1/')
check 'shares origin "$(attrs first-names.tsv Mohammed)" "$(attrs first-names.tsv "$n1")"' \
	"Mohammed gets a first name of the same origin ($n1)"
check 'grep -qP "^$n1\tsex=m" "$G/first-names.tsv"' "… and sex"
check 'shares origin "$(attrs surnames.tsv Yilmaz)" "$(attrs surnames.tsv "$n2")"' \
	"Yilmaz gets a surname of the same origin ($n2)"
check 'shares dec "$(attrs first-names.tsv Gunilla)" "$(attrs first-names.tsv "$n3")"' \
	"Gunilla gets a name of her generation ($n3)"
check 'grep -qP "^$n3\tsex=f" "$G/first-names.tsv"' "… and sex"
check 'shares origin "$(attrs surnames.tsv Andersson)" "$(attrs surnames.tsv "$n4")"' \
	"Andersson gets a surname of the same origin ($n4)"

check 'line 8 | grep -qE "^IP: Jag bor i \[kommun A i Dalarnas län\] nu men jag växte upp i \[kommun B i Dalarnas län\]\.$"' \
	"two places of one län stay two"

run tyst-pseudo --reverse -k "$K" "$o"
check 'cmp -s "$T/out" "$T/in/a.txt"' "--reverse restores every variant byte for byte"
run tyst-pseudo -k "$K" -r "$T/study.yaml" "$T/in/a.txt"
check 'cmp -s "$T/out" "$o"' "the same choices in a second run"

# Spellings one letter apart are proposed, not merged.
printf 'IP: Erik kom först. Sen kom Eric.\n' >"$T/in/b.txt"
run tyst-pseudo -k "$K" -r "$T/study.yaml" "$T/in/b.txt"
expect_rc 0 "variants one letter apart"
expect_err "b.txt: warning: 'Erik' and 'Eric' may be one person: if so, add same-person: \[\[Erik, Eric\]\]" \
	"Erik/Eric proposed for review"
e1=$(sed -n 's/^IP: \([^ ]*\) kom först\. Sen kom \([^.]*\)\.$/\1/p' "$T/out")
e2=$(sed -n 's/^IP: \([^ ]*\) kom först\. Sen kom \([^.]*\)\.$/\2/p' "$T/out")
check '[ -n "$e1" ] && [ -n "$e2" ] && [ "$e1" != "$e2" ]' \
	"not merged without the user ($e1, $e2)"

# A chosen pseudonym that is a real name of the corpus is refused.
printf 'names: {Rosa: Anna}\ninclude: default\n' >"$T/bad.yaml"
run tyst-pseudo -k "$T/secret/bad.key" -r "$T/bad.yaml" "$T/in/a.txt"
expect_rc 2 "names: a pseudonym that is a name of the corpus"
expect_err "a.txt:6:[0-9]+: names: the pseudonym 'Anna' is a real name in this corpus" \
	"refused with the place"
expect_no_out . "nothing written"

# tyst-scan accepts both keys and finds the names they list.
printf 'names: {Zlatka: Emma}\nsame-person: [[Qwiline, qwiline]]\ninclude: default\n' >"$T/scan.yaml"
printf 'Zlatka och qwiline.\n' >"$T/c.txt"
run tyst-scan -r "$T/scan.yaml" "$T/c.txt"
expect_rc 1 "tyst-scan with names: and same-person:"
expect_out 'Zlatka' "an original of names: is found"
expect_out 'qwiline' "a spelling of same-person: is found"

# Dates at the level the study chooses.
printf 'include: default\npseudonymise:\n  DATE: { strategy: redact, detail: season }\n' >"$T/dates.yaml"
printf 'IP: Jag började den 3 oktober 2017 och slutade 2018-03-05.\n' >"$T/d.txt"
run tyst-pseudo -k "$T/secret/d.key" -r "$T/dates.yaml" "$T/d.txt"
expect_rc 0 "dates at the level season"
expect_out '^IP: Jag började den \[hösten 2017\] och slutade \[våren 2018\]\.$' \
	"a date becomes its season and year"

# Organisations by kind, the context word taken into the replacement.
printf 'include: default\ncategories:\n  ORG: { words: [Solrosen, Lärkan] }\n' >"$T/org.yaml"
printf 'IP: Hon går på förskolan Solrosen, sen skolan Lärkan. Solrosen är bra.\n' >"$T/org.txt"
run tyst-pseudo -k "$T/secret/org.key" -r "$T/org.yaml" "$T/org.txt"
expect_rc 0 "organisations by kind"
expect_out '^IP: Hon går på \[förskola 1\], sen \[skola 1\]\. \[Förskola 1\] är bra\.$' \
	"förskolan Solrosen -> [förskola 1], not förskolan [förskola 1]"
cp "$T/out" "$T/org.pseudo"
run tyst-pseudo --reverse -k "$T/secret/org.key" "$T/org.pseudo"
check 'cmp -s "$T/out" "$T/org.txt"' "--reverse gives the context word back"
