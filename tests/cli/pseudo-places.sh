# tyst-pseudo: places abroad by country or world region, organisations by
# the list's kind=, whole addresses, and distinct places that stay distinct
# and stable per key, on the shipped Swedish lists.
. "$TYST_SRCDIR/tests/cli/lib.sh"

mkdir "$T/in" "$T/o" "$T/secret"
chmod 700 "$T/secret"
cat >"$T/in/a.txt" <<'TXT'
IP: Vi flydde från Mosul till Bagdad, sen via Istanbul hit. Pappa är kvar i mosul.
IP: Mamma kommer från Mogadishu i Somalia, Iraks grannar vet inget om det.
IP: Jag bor på Östra Vägen 57 B, lgh 1102 nu, förut på Storgatan 3.
IP: Jag jobbade på Willys och sen på Sahlgrenska, barnen gick på Pysslingen Förskolor.
IP: Efter Willys blev det Södersjukhuset.
TXT

K="$T/secret/a.key"
run tyst-pseudo -k "$K" -o "$T/o" "$T/in/a.txt"
expect_rc 0 "a transcript with places abroad, an address and organisations"
o="$T/o/a.txt"
line() { sed -n "$1p" "$o"; }
check 'line 1 | grep -qxF "IP: Vi flydde från [ort A i Irak] till [ort B i Irak], sen via [ort A i Turkiet] hit. Pappa är kvar i [ort A i Irak]."' \
	"a city abroad becomes a place in its country, lettered, mosul and Mosul one"
check 'line 2 | grep -qxF "IP: Mamma kommer från [ort A i Somalia] i [Somalia], [Irak]:s grannar vet inget om det."' \
	"a country is kept at the level land"
check 'line 3 | grep -qxF "IP: Jag bor på [adress] nu, förut på [adress]."' \
	"an address with its number, letter and lgh is one replacement"
check 'line 4 | grep -qxF "IP: Jag jobbade på [företag 1] och sen på [vårdenhet 1], barnen gick på [förskola 1]."' \
	"organisations numbered by the list's kind"
check 'line 5 | grep -qxF "IP: Efter [företag 1] blev det [vårdenhet 2]."' \
	"… the same organisation keeps its number, another of the kind the next"
check '! grep -qE "Mosul|mosul|Bagdad|Istanbul|Mogadishu|Östra Vägen|Willys|Sahlgrenska" "$o"' \
	"no original left"
check 'grep -qx "  - \"Irak\"" "$T/o/tyst-pseudo-rules.yaml" && grep -qx "  - \"Somalia\"" "$T/o/tyst-pseudo-rules.yaml"' \
	"the rescan rules keep the countries the output names"
run tyst-scan -r "$T/o/tyst-pseudo-rules.yaml" "$o"
expect_rc 0 "the output scans clean with the rescan rules"
run tyst-pseudo --reverse -k "$K" "$o"
check 'cmp -s "$T/out" "$T/in/a.txt"' "--reverse restores the input byte for byte"

# The level region, and abroad: overriding the level.
printf 'include: default\npseudonymise:\n  PLACE: { strategy: generalise, level: landsdel }\n' >"$T/region.yaml"
run tyst-pseudo -k "$T/secret/r.key" -r "$T/region.yaml" "$T/in/a.txt"
expect_rc 0 "level landsdel"
expect_out '^IP: Vi flydde från \[ort A i Mellanöstern\] till \[ort B i Mellanöstern\], sen via \[ort C i Mellanöstern\] hit\.' \
	"at the level landsdel a city abroad keeps its world region"
expect_out '^IP: Mamma kommer från \[ort A i Östafrika\] i \[land A i Östafrika\], \[land A i Mellanöstern\]:s' \
	"… and a country becomes a country of its region"
printf 'include: default\npseudonymise:\n  PLACE: { strategy: generalise, level: kommun, abroad: region }\n' >"$T/ab.yaml"
run tyst-pseudo -k "$T/secret/ab.key" -r "$T/ab.yaml" "$T/in/a.txt"
expect_out '^IP: Mamma kommer från \[ort A i Östafrika\]' "abroad: region with level kommun"
printf 'include: default\npseudonymise:\n  PLACE: { strategy: generalise, abroad: världen }\n' >"$T/bad.yaml"
run tyst-pseudo -k "$T/secret/bad.key" -r "$T/bad.yaml" "$T/in/a.txt"
expect_rc 2 "an unknown abroad: value"
expect_err "bad.yaml:3:[0-9]+: unknown abroad 'världen' \(land, region\)" "named with its place"

# Distinct places stay distinct and keep their letters per key: a second
# corpus on the same key, and on a copy of it elsewhere (another machine),
# gives the places of the first their letters and new places the next.
printf 'IP: Jag bor i Mora nu men jag växte upp i Falun.\n' >"$T/in/k1.txt"
printf 'IP: Sen Leksand, Falun och Mora igen, och Bagdad.\n' >"$T/in/k2.txt"
K2="$T/secret/k.key"
run tyst-pseudo -k "$K2" "$T/in/k1.txt"
expect_out '^IP: Jag bor i \[kommun A i Dalarnas län\] nu men jag växte upp i \[kommun B i Dalarnas län\]\.$' \
	"two kommuner of one län, two letters"
mkdir "$T/elsewhere"
chmod 700 "$T/elsewhere"
cp "$K2" "$T/elsewhere/k.key"
run tyst-pseudo -k "$K2" "$T/in/k2.txt"
expect_out '^IP: Sen \[kommun C i Dalarnas län\], \[kommun B i Dalarnas län\] och \[kommun A i Dalarnas län\] igen, och \[ort A i Irak\]\.$' \
	"a second corpus on the key: old places keep their letters, a new one the next"
cp "$T/out" "$T/k2.here"
run tyst-pseudo -k "$T/elsewhere/k.key" "$T/in/k2.txt"
check 'cmp -s "$T/out" "$T/k2.here"' "the same on a copy of the key elsewhere"
mkdir "$T/o3"
run tyst-pseudo -k "$K2" -o "$T/o3" "$T/in/k2.txt" "$T/in/k1.txt"
check 'cmp -s "$T/o3/k2.txt" "$T/k2.here" && grep -qF "bor i [kommun A i Dalarnas län] nu men jag växte upp i [kommun B i Dalarnas län]" "$T/o3/k1.txt"' \
	"and in a third run in another order"
check '[ "$(sqlite3 "$K2" "select count(*) from entries where pseudonym like '"'"'[kommun _ i Dalarnas län]'"'"'")" -eq 3 ]' \
	"the key holds one lettered pseudonym per place"
check '! sqlite3 "$K2" "insert into entries(category, strategy, original, pseudonym, distinct_p, created) values ('"'"'PLACE'"'"', '"'"'generalise'"'"', '"'"'Rättvik'"'"', '"'"'[kommun A i Dalarnas län]'"'"', 1, '"'"'x'"'"')" 2>/dev/null' \
	"the key refuses a second original for a lettered pseudonym"

# Fictitious place names (PLACE: { strategy: name }): of the kind and
# landsdel of the original, stable per key, never a real place of the
# lists or an original of the corpus.
cat >"$T/names.yaml" <<'YAML'
include: default
pseudonymise:
  PLACE: { strategy: name }
YAML
printf 'IP: Jag bor i Mora nu men jag växte upp i Falun, nära Siljan.\nIP: Sen Rosengård i Malmö, och Kiruna. Vid Moras torg. Mamma kom från Mosul.\n' >"$T/in/n.txt"
printf 'IP: Inget.\n' >"$T/in/empty.txt"
run tyst-pseudo -k "$T/secret/n.key" -r "$T/names.yaml" "$T/in/empty.txt"
cp "$T/secret/n.key" "$T/secret/n2.key"
run tyst-pseudo -k "$T/secret/n.key" -r "$T/names.yaml" "$T/in/n.txt"
expect_rc 0 "fictitious place names"
cp "$T/out" "$T/n.pseudo"
w() { sed -n "$1p" "$T/n.pseudo" | sed "s/$2/\\1/"; }
mora=$(w 1 '^IP: Jag bor i \([^ ]*\) nu.*')
falun=$(w 1 '.*växte upp i \([^,]*\),.*')
siljan=$(w 1 '.*nära \([^.]*\)\.$')
roseng=$(w 2 '^IP: Sen \([^ ]*\) i .*')
malmo=$(w 2 '^IP: Sen [^ ]* i \([^,]*\),.*')
kiruna=$(w 2 '.*, och \([^.]*\)\. .*')
check 'echo "$mora" | grep -qE "^[A-ZÅÄÖ][a-zåäö]+(köping|tuna|sta|hamn|vik|holm)$"' \
	"Mora, a town of Svealand, becomes one ($mora)"
check 'echo "$falun" | grep -qE "(köping|tuna|sta|hamn|vik|holm)$" && [ "$falun" != "$mora" ]' \
	"Falun another ($falun)"
check 'echo "$siljan" | grep -qE "sjön$"' "a lake a lake ($siljan)"
check 'echo "$roseng" | grep -qE "(gården|höjden|dalen|backen|parken|hagen|lunden|ängen)$"' \
	"a stadsdel a district ($roseng)"
check 'echo "$malmo" | grep -qE "(köping|stad|hamn|by|sund|holm)$"' "Malmö a town of Götaland ($malmo)"
check 'echo "$kiruna" | grep -qE "(vik|sund|å|forsen|hamn|sele)$"' "Kiruna a town of Norrland ($kiruna)"
check 'sed -n 2p "$T/n.pseudo" | grep -qF "Vid ${mora}s torg. Mamma kom från [ort A i Irak]."' \
	"the genitive follows; a place abroad is generalised"
G="$TYST_SRCDIR/rules/sv"
for n in "$mora" "$falun" "$siljan" "$roseng" "$malmo" "$kiruna"; do
	cut -f1 "$G/kommuner.tsv" "$G/orter.tsv" "$G/stadsdelar.tsv" | grep -qxF "$n" && echo "$n" >>"$T/real"
done
check '[ ! -s "$T/real" ]' "no fictitious name is a place of the lists"
run tyst-pseudo -k "$T/secret/n.key" -r "$T/names.yaml" "$T/in/n.txt"
check 'cmp -s "$T/out" "$T/n.pseudo"' "the same names in a second run on the key"
run tyst-pseudo --reverse -k "$T/secret/n.key" "$T/n.pseudo"
check 'cmp -s "$T/out" "$T/in/n.txt"' "--reverse restores the places byte for byte"
# On a copy of the key made before, a corpus that names the drawn town as
# a real place of its own: Mora must get another name.
cat >"$T/names2.yaml" <<YAML
include: default
categories:
  PLACE: { words: [$mora] }
pseudonymise:
  PLACE: { strategy: name }
YAML
printf 'IP: Jag bor i Mora, inte i %s.\n' "$mora" >"$T/in/n2.txt"
run tyst-pseudo -k "$T/secret/n2.key" -r "$T/names2.yaml" "$T/in/n2.txt"
expect_rc 0 "a corpus that names the drawn town"
mora2=$(sed -n 's/^IP: Jag bor i \([^,]*\), inte i .*/\1/p' "$T/out")
check '[ -n "$mora2" ] && [ "$mora2" != "$mora" ] && ! grep -qF "$mora" "$T/out"' \
	"a real place of the corpus is never a pseudonym ($mora2, not $mora)"

# A place's genitive opening a sentence, the place named on a line before.
printf 'IP: Jag bor i Mora.\nIP: Ja. Moras torg är fint.\n' >"$T/in/g.txt"
run tyst-scan "$T/in/g.txt"
expect_out ':2:9: PLACE "Moras"' "the genitive of a place seen before is found at a sentence's start"

# tyst-code import lets the countries and regions of generalisations
# through (the manifest lists them), as it does a län.
mkdir "$T/imp" "$T/proj"
run tyst-pseudo -k "$K" -o "$T/imp" "$T/in/a.txt"
expect_rc 0 "pseudonymised into a directory"
check 'grep -q "\"Irak\"" "$T/imp/tyst-pseudo-manifest.jsonl" && grep -q "\"Somalia\"" "$T/imp/tyst-pseudo-manifest.jsonl"' \
	"the manifest lists the countries the output shows"
run tyst-code init "$T/proj/p.db" --codebook ips-principer
run tyst-code import "$T/proj/p.db" "$T/imp/a.txt"
expect_rc 0 "tyst-code import of an output naming countries"
