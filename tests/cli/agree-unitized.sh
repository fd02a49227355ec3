# tyst-agree: u-alpha (Krippendorff's alpha for unitizing) beside the
# per-unit figures, Fleiss' kappa for three coders in a project, and the
# speaker filter on both.  The coders' segments come in as markup copies
# of one transcript (import --markup, then import --markup --update).
. "$TYST_SRCDIR/tests/cli/lib.sh"
D=$TYST_SRCDIR/tests/data/agree
P=$T/p.db
code() { "$TYST_BIN/tyst-code" "$@" >>"$T/setup.log" 2>&1; }

# 62 characters, line ends included.
printf 'IP: {arbete}Jag ville jobba{/arbete} nu, ja.\nI: Mm.\nIP: Sen {arbete}fick jag jobb{/arbete} där.\n' >"$T/t.txt"
code init "$P" --codebook "$D/book.yaml"
code import "$P" --markup --coder anna "$T/t.txt"
# bo: the first passage a character longer, the second the same.
printf 'IP: {arbete}Jag ville jobba {/arbete}nu, ja.\nI: Mm.\nIP: Sen {arbete}fick jag jobb{/arbete} där.\n' >"$T/t.txt"
code import "$P" --markup --update --coder bo "$T/t.txt"
# cia: as anna, and the interviewer's "Mm." too.
printf 'IP: {arbete}Jag ville jobba{/arbete} nu, ja.\nI: {arbete}Mm.{/arbete}\nIP: Sen {arbete}fick jag jobb{/arbete} där.\n' >"$T/t.txt"
code import "$P" --markup --update --coder cia "$T/t.txt"
check '[ "$(sqlite3 "$P" "SELECT count(*) FROM segments")" = 7 ]' "seven segments of three coders"

run tyst-agree "$P" --coders anna,bo
expect_rc 0 "two coders"
expect_out '^code +units +pairable +agreement +kappa +alpha$' "two coders: Cohen's kappa"
expect_out '^unitized: .* 62 characters of the 1 document every coder coded$' "u-alpha over all 62 characters"
# anna [4,19) [43,56), bo [4,20) [43,56): only an end one character off.
# D_o = 2 * (0^2 + 1^2) / (2 * 1 * 62^2) = 0.00026015.  D_e: N = 4,
# units 15, 13, 16, 13; gaps anna 4, 24, 6, bo 4, 23, 6; by the formulas
# of include/tyst/ualpha.h D_e = 0.0839979, u-alpha = 1 - 0.0030971 =
# 0.997 (the per-character alpha above: 0.966).
expect_out '^arbete +4 +0\.997$' "a boundary one character off costs little: 0.997"

run tyst-agree "$P" --coders anna,bo,cia
expect_rc 0 "three coders"
expect_out '^code +units +pairable +agreement +fleiss +alpha$' "three coders: Fleiss' kappa in the kappa column"
expect_out '^arbete +[0-9]+ +[0-9]+ +[01]\.[0-9]{3} +[0-9.-]+ +[0-9.-]+$' "a Fleiss' kappa figure, not a dash"
all=$(sed -n 's/^arbete  *7  *//p' "$T/out")
check '[ -n "$all" ]' "u-alpha of seven segments of three coders"

run tyst-agree "$P" --coders anna,bo,cia --speaker IP
expect_rc 0 "three coders, IP's turns only"
expect_out '^unitized: .* 53 characters' "the continuum is IP's two turns: 53 of the 62 characters"
ip=$(sed -n 's/^arbete  *6  *//p' "$T/out")
check '[ -n "$ip" ] && awk "BEGIN { exit !($ip > $all) }"' "leaving out the interviewer's 'Mm.' raises u-alpha ($all -> $ip)"

run tyst-agree "$P" --coders anna,bo --format md
expect_out '^\| Code \| Label \| Units \| Agreement \| Kappa \| Alpha \| u-alpha \|$' "the report has a u-alpha column"
expect_out '^u-alpha \(Krippendorff.s alpha for unitizing\)' "and says what it is"
run tyst-agree "$P" --coders anna,bo,cia --format md
expect_out "\| Fleiss' kappa \|" "with three coders the report shows Fleiss' kappa"
