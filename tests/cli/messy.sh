# Detection on messy transcripts with the default rules: each phenomenon is
# pseudonymised, and nothing of the original survives in the output, while
# the ordinary words around it do.
. "$TYST_SRCDIR/tests/cli/lib.sh"

if [ ! -e "$TYST_SRCDIR/rules/sv/first-names.tsv" ]; then
	echo "ok - # SKIP the default name lists are not installed"
	exit 0
fi
mkdir "$T/o" "$T/secret"
chmod 700 "$T/secret"
n=0

# phen WHAT TEXT GONE KEPT: TEXT pseudonymised; each word of GONE ('|'
# between) is no longer in the output, each word of KEPT still is.
phen() {
	n=$((n + 1))
	printf '%s\n' "$2" >"$T/p$n.txt"
	"$TYST_BIN/tyst-pseudo" -k "$T/secret/p$n.key" -o "$T/o" "$T/p$n.txt" \
	    >"$T/out" 2>"$T/err"
	rc=$?
	sanitizer_check
	if [ "$rc" -ne 0 ]; then
		not_ok "$1: tyst-pseudo exit $rc"
		sed 's/^/    stderr: /' "$T/err" | head -3
		return
	fi
	left=
	if [ -n "$3" ]; then
		left=$(printf '%s\n' "$3" | tr '|' '\n' |
		    while IFS= read -r w; do
			grep -qw -- "$w" "$T/o/p$n.txt" && printf '%s ' "$w"
		    done)
	fi
	lost=
	if [ -n "$4" ]; then
		lost=$(printf '%s\n' "$4" | tr '|' '\n' |
		    while IFS= read -r w; do
			grep -qw -- "$w" "$T/o/p$n.txt" || printf '%s ' "$w"
		    done)
	fi
	if [ -z "$left" ] && [ -z "$lost" ]; then ok "$1"; else
		not_ok "$1: left [$left] lost [$lost]"
		sed 's/^/    output: /' "$T/o/p$n.txt" | head -3
	fi
}

# Item 4: lower-case names.
phen "a listed name in lower case" \
    "det var min handläggare kicki som ringde, och eva-lena sa ja." \
    "kicki|eva-lena" "handläggare|ringde"
phen "a listed first name and surname in lower case" \
    "chefen där var lasse kjellberg, han var snäll." "lasse|kjellberg" "chefen|snäll"
phen "a name shown capitalised is found in lower case on the same line" \
    "Jag träffade Mona. mona var bra." "Mona|mona" "träffade"
phen "a study-free name in lower case after its capitalised use" \
    "Vi pratade med Tuulikki om jobbet.
sen ringde tuulikki igen." "Tuulikki|tuulikki" "pratade|jobbet"
phen "a transcript with no capitals at all" \
    "jag heter ahmed och bor i skärholmen, innan dess bodde vi i borlänge med samira." \
    "ahmed|skärholmen|borlänge|samira" "heter|bodde"
phen "a capitalised name does not make an ordinary lower-case word a name" \
    "Värnpliktiga Olle kom. Och värnpliktiga killar fanns." "" "värnpliktiga|killar"
# Issue 13: a name in its apostrophe genitives and in lower case.
phen "apostrophe genitives and lower case of a name" \
    "Det var Leija's mamma och Leija’s pappa, och leija själv." \
    "Leija|leija" "mamma|pappa|själv"

# Item 5: initials and short forms.
phen "initials with a hyphen and with full stops" \
    "Jag har pratat med K-G och M.H. om det, och A. från psykiatrin." \
    "K-G|M\\.H\\.|A\\." "pratat|psykiatrin"
phen "an initial before a surname" \
    "Jag mejlade J. Lindholm i går." "Lindholm" "mejlade"
phen "initials as a speaker label" \
    "KS: Jag har ringt.
TB: Bra." "KS|TB" "ringt|Bra"
phen "a title and a surname" "Vad sa doktor Ek om det?" "Ek" "doktor"

# Item 6: names from context.
phen "names no list holds, from the words around them" \
    "Det var en som hette Dragomirka. Zbyszko heter han. Min kollega Wojtek ringde. Ring Ilkka i morgon." \
    "Dragomirka|Zbyszko|Wojtek|Ilkka" "kollega|morgon"
phen "a speaker label repeated" \
    "Oskarsdotter: Hur länge stannade du?
Jaswinder: Ett år.
Oskarsdotter: Och sen?" "Oskarsdotter|Jaswinder" "stannade"

# Item 7: homonyms decided by context.
phen "ordinary words that are names too, opening sentences" \
    "Per dag sökte vi tre jobb. Per timme var det lite. Bo i Gottsunda var svårt. Rosa hår hade jag. Stig på! Dag efter dag. Mark och skog. Vara hemma är tråkigt. Hans kusin kom." \
    "Gottsunda" "Per|Bo|Rosa|Stig|Dag|Mark|Vara|Hans|dag|timme"
phen "the same words as names" \
    "Per Holm kom. Sol fick jobba extra. Björn Ek ringde. En handläggare som hette Björn hjälpte oss." \
    "Per|Holm|Sol|Björn|Ek" "handläggare|jobba"

phen "a place's genitive opening a sentence, the place named earlier on the line" \
    "Vi åkte till Mora. Moras kyrka var stängd." "Mora|Moras" "kyrka|stängd"
phen "a word of a name of several words stays a word on its line" \
    "Per Holm kom. Per dag jobbar han." "Holm" "dag|jobbar"

# Item 8: fillers, foreign words, abbreviations.
phen "fillers, interjections, foreign words and abbreviations" \
    "Ehh. Näe. Aa. Jaa. Mm. Yalla. Inshallah. Whatever. Train then place. Jag har ett Dnr från LSS och BUP, AF och FK har mitt CV." \
    "" "Ehh|Näe|Aa|Jaa|Mm|Yalla|Inshallah|Whatever|Train|Dnr|LSS|BUP|AF|FK|CV"
phen "the Teams guest label" \
    "[00:00:03] Karin Sjöberg (Extern): Hej allihop." "Karin|Sjöberg" "Extern|allihop"

# Item 9: line starts, compounds, pronouns, acronyms.
phen "headings, list items and cues whose line has no full stop" \
    "Bakgrund
Deltagarna beskriver sina erfarenheter
- Utbildningstiden var kort
- Tunnelborrmaskinen syntes
- Familjebehandlaren kom hem" "" "Bakgrund|Deltagarna|Utbildningstiden|Tunnelborrmaskinen|Familjebehandlaren"
phen "a noun's definite and plural forms the lexicon lists by their stem" \
    "IP: Mobilen är avstängd. Jobbet ringde. Bilarna stod kvar. Metodstödjaren Bosse kom." \
    "Bosse" "Mobilen|Jobbet|Bilarna|Metodstödjaren"
phen "a name seen capitalised, a common word in lower case, opening a turn" \
    "I: Berätta om Linnea.
IP: linnea är äldst. Vi plockade en linnea i skogen." \
    "Linnea" "skogen"
phen "capitals after a quote, a dash, a bracket" \
    "Hon sa: \"Vara hemma är värst\" – Hans kusin höll med (Per definition)." \
    "" "Vara|Hans|Per"
phen "polite pronouns and acronyms that are no names" \
    "Ni får gärna titta. Du och Dina kollegor har KPI och SOU, BB och ATP." \
    "" "Ni|Du|Dina|KPI|SOU|BB|ATP"

# Item 10: categories.
phen "waters, mountains and islands are places" \
    "Vi bor vid Ljusnan, innan dess på Tjörn och vid Storsjön nära Åreskutan." \
    "Ljusnan|Tjörn|Storsjön|Åreskutan" "bor"
phen "a brand as a thing, as a workplace" \
    "Vi har en gammal Volvo och en soffa från Mio. Han kör Toyota. Jag jobbar på Volvo." \
    "" "soffa|Mio|Toyota|gammal"
phen "national authorities are no findings" \
    "Skatteverket, Polisen och Försäkringskassan skrev till oss." \
    "" "Skatteverket|Polisen|Försäkringskassan"

# The category of a river: PLACE, not a workplace.
printf 'Vi badade i Ljusnan.\n' >"$T/river.txt"
run tyst-scan "$T/river.txt"
expect_out 'PLACE "Ljusnan"' "Ljusnan is a PLACE"
expect_out 'gazetteer orter' "from the place list"
printf 'Jag jobbar på Volvo.\n' >"$T/volvo.txt"
run tyst-scan "$T/volvo.txt"
expect_out 'ORG "Volvo"' "a workplace stays an ORG"

# A listed name that is also a word, opening a turn with an adverb after
# it, stays the name; and so does a study's own word opening a sentence.
phen "a name that is also a verb, before an adverb" \
    "I: Och?
IP: Tindra igen. Björn också." "Tindra|Björn" "igen|också"

# A study's own name in lower case mid-sentence and in both apostrophe
# genitives, though "tindra" is a Swedish verb too.
cat >"$T/study.yaml" <<'X'
name: study
categories:
  PERSON:
    words: [Tindra]
X
printf 'sen kom tindra hem, och Tindra'"'"'s mamma och Tindra\342\200\231s pappa.\n' >"$T/study.txt"
run tyst-scan -r "$T/study.yaml" "$T/study.txt"
expect_out ':9: PERSON "tindra"' "a study's name in lower case"
expect_out 'PERSON "Tindra'"'"'s"' "with an apostrophe genitive"
expect_out 'PERSON "Tindra’s"' "with a typographic apostrophe genitive"
run tyst-scan -f jsonl -r "$T/study.yaml" "$T/study.txt"
check '[ "$(perl -ne '"'"'print "ok\n" if /"start":(\d+),"end":\d+,"base_end":(\d+)/ && $2 - $1 == 6'"'"' "$T/out" | wc -l)" -eq 3 ]' \
    "each is the name 'Tindra' as its base, for one pseudonym"

# In lower case, a listed name that is also a word is the name after a cue.
phen "a name that is also a word, in lower case after a cue" \
    "det var en som hette björn. björnen sov." "björn" "björnen|sov"
phen "a first name that is also a preposition, after a cue" \
    "min kollega per kom sen." "per" "kollega|kom"

# A Swedish number with its country code read aloud, after "plus" or "+".
phen "a mobile number after 'plus fyrtiosex', read aloud" \
    "Ring mig på plus fyrtiosex sju noll, fem ett två, noll åtta trettiotre i morgon." \
    "plus|fyrtiosex|sju|noll|fem|ett|två|åtta|trettiotre" "Ring|morgon"
phen "a number with an area code after '+46', read aloud" \
    "Växeln har +46 åtta, sju sex fem, fyrtiotre tjugoett och svarar snabbt." \
    "46|åtta|sju|sex|fem|fyrtiotre|tjugoett" "Växeln|svarar"
phen "a mobile number after 'plus', digit by digit" \
    "Det är plus fyra sex sju tre fyra fem sex sju åtta nio noll, tror jag." \
    "plus|fyra|sex|sju|tre|fem|åtta|nio|noll" "tror"
printf 'Det blev plus fyrtiosex grader i bilen, sju noll procent av oss svettades.\n' >"$T/plusdeg.txt"
run tyst-scan "$T/plusdeg.txt"
check '! grep -q PHONE "$T/out"' "'plus fyrtiosex grader' is no telephone number"

# Teams transcripts copied as plain text: the speaker alone on a line, as
# "Given Surname", "Given Surname (Extern)" or "Surname, Given", its time
# on the next line.  The surname is found though it is a word too ("Gran",
# "Sten"); "(Extern)" and a greeting before a name ("Tack, Anna") never.
phen "Teams speaker lines, names alone on their lines" \
    "Gran, Linnea
0:03
Då kör vi.
Maksymilian Oduya (Extern)
0:09
Ja.
Sten, Vera (Extern)
1:02:20
Okej." "Gran|Linnea|Maksymilian|Oduya|Sten|Vera" "Extern|kör|Okej"
phen "Teams labels in brackets and with an initial" \
    "[Gran, Linnea] 1:50
Då säger vi så.
Ask, T.
2:01
Hej då." "Gran|Linnea|Ask|T" "säger|Hej"
printf 'Tack, Anna\n0:03\nHej, Anna (Extern)\nMen, Anna 0:04\n' >"$T/greet.txt"
run tyst-scan "$T/greet.txt"
check '[ "$(grep -c PERSON "$T/out")" -eq 3 ] && ! grep -q "Tack\|Hej\|Men\|Extern" "$T/out"' \
    "a greeting before a name on a label's line is no name"

# Homonyms by the lexicon's word classes (hunspell-sv's affix flags): a
# name that is also a word is the name before a verb in the present or
# past tense ("skrattade" of the verb "skratta"), the word before a noun
# or a passive ("Rosa tröjor", "Mark saknas").
if [ -r /usr/share/hunspell/sv_SE.dic ]; then
	phen "a name that is also a word, before a verb the lexicon knows" \
	    "Rosa skrattade åt det. Vera ropar fortfarande. Ebba grät." \
	    "Rosa|Vera|Ebba" "skrattade|ropar|grät"
	phen "the word, before a noun or a passive" \
	    "Rosa tröjor säljer bra. Mark saknas för bygget. Per vecka blir det tre." \
	    "" "Rosa|tröjor|Mark|saknas|Per|vecka"
fi
