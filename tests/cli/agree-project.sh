# tyst-agree PROJECT --coders: figures worked out by hand, the report,
# merge of two coders' projects, and bad input.
. "$TYST_SRCDIR/tests/cli/lib.sh"
D=$TYST_SRCDIR/tests/data/agree
R="--rules $D/rules-pnr.yaml"
code() { "$TYST_BIN/tyst-code" "$@" >>"$T/setup.log" 2>&1; }

# anna's copy: arbete on turns 2 and 4, stod on turn 6.
code init "$T/anna.db" --codebook "$D/book.yaml"
code import "$T/anna.db" $R "$D/samtal.txt"
cp "$T/anna.db" "$T/bo.db"
code add "$T/anna.db" samtal --code arbete --coder anna --lines 2
code add "$T/anna.db" samtal --code arbete --coder anna --lines 4
code add "$T/anna.db" samtal --code stod --coder anna --lines 6
# bo's copy: arbete on turn 2, stod on turn 6.
code add "$T/bo.db" samtal --code arbete --coder bo --lines 2
code add "$T/bo.db" samtal --code stod --coder bo --lines 6 --memo "stöd från coachen"
check '[ -s "$T/anna.db" ] && [ -s "$T/bo.db" ]' "two coders' projects set up"

# ---- merge ------------------------------------------------------------
cp "$T/anna.db" "$T/team.db"
run tyst-code merge "$T/team.db" "$T/bo.db"
expect_rc 0 "merge bo into the team project"
expect_err 'merged .*bo\.db: 1 document matched, 2 segments added \(0 already there\), 0 memos added, 1 new coder' "merge counts"
run tyst-code merge "$T/team.db" "$T/bo.db"
expect_rc 0 "merging again"
expect_err '0 segments added \(2 already there\)' "merging again adds nothing"
run tyst-code list "$T/team.db" segments
expect_lines 5 "five segments after two merges"
expect_out 'stod	bo' "bo's segment is there"

# ---- the figures (turns) --------------------------------------------------
# arbete: anna T2 T4, bo T2, of 6 turns: 5/6 agree; kappa (5/6 - 22/36) /
# (14/36) = 0.571; alpha 1 - 11 * 2 / (144 - 90) = 0.593.  stod: perfect.
# Overall, 12 pooled units: 11/12, kappa 0.750, alpha 1 - 23 * 2 / 190.
run tyst-agree "$T/team.db" --coders anna,bo --unit turn
expect_rc 0 "agreement by turn"
expect_out '^code +units +pairable +agreement +kappa +alpha$' "table header"
expect_out '^arbete +6 +6 +0\.833 +0\.571 +0\.593$' "arbete: 0.833, kappa 0.571, alpha 0.593"
expect_out '^stod +6 +6 +1\.000 +1\.000 +1\.000$' "stod: full agreement"
expect_out '^overall +12 +12 +0\.917 +0\.750 +0\.758$' "overall: 0.917, kappa 0.750, alpha 0.758"

# u-alpha, on the 154 characters of the transcript: arbete's units are
# anna's lines 2 and 4 (characters 28-61 and 74-113) and bo's line 2.
# D_o: line 2 is the same unit for both (0); anna's line 4 (39
# characters) lies in bo's gap 61-154: 39^2 from each side, so
# D_o = 2 * 1521 / (2 * 1 * 154^2) = 0.0641339.  D_e (N = 3, gaps of
# anna 28, 13, 41 and of bo 28, 93, by include/tyst/ualpha.h) =
# 0.0582909, u-alpha = 1 - 1.1002 = -0.100: a whole passage one coder
# left out weighs as its length squared.
expect_out '^unitized: .*154 characters of the 1 document every coder coded$' "u-alpha over the document's characters"
expect_out '^arbete +3 +-0\.100$' "u-alpha of arbete: three segments, -0.100"
expect_out '^stod +2 +1\.000$' "u-alpha of stod: the same segment, 1"

run tyst-agree "$T/team.db" --coders anna,bo --unit turn --code arbete --format tsv
expect_out '^arbete	6	6	0\.833	0\.571	0\.593	-0\.100$' "--code and tsv, u-alpha the last column"
expect_no_out '^stod' "--code leaves the other codes out"

# Characters: every character but line ends is a unit.
chars=$(tr -d '\n' <"$D/samtal.txt" | wc -m | tr -d ' ')
run tyst-agree "$T/team.db" --coders anna,bo --unit char
expect_rc 0 "agreement by character"
expect_out "^arbete +$chars +$chars " "char units: the $chars characters of the transcript"

run tyst-agree "$T/team.db" --coders anna,bo --unit sentence
expect_rc 0 "agreement by sentence"

# ---- the report -------------------------------------------------------------
run tyst-agree "$T/team.db" --coders anna,bo --unit turn --report "$T/report.md"
expect_rc 0 "--report"
check 'grep -q "^## Disagreements (1)$" "$T/report.md"' "report: one disagreement"
check 'grep -qE "^\| 4 \| IP \| arbete \| anna \| bo \| Coachen ringde arbetsgivare åt mig\. \|$" "$T/report.md"' "report row: line 4, IP, arbete, anna not bo, the text"
check 'grep -qE "^\| arbete \| Arbete \| 6 \| 0\.833 \| 0\.571 \| 0\.593 \| -0\.100 \|$" "$T/report.md"' "report: the figures, u-alpha with them"
run tyst-agree "$T/team.db" --coders anna,bo --unit turn --format md
expect_out '^### samtal$' "--format md prints the report"

# ---- bad input ----------------------------------------------------------------
code memo "$T/team.db" --document samtal --coder cia "läste bara"
run tyst-agree "$T/team.db" --coders anna,cia
expect_rc 2 "a coder with no segments"
expect_err "coder 'cia' has no segments" "names the coder without segments"
run tyst-agree "$T/team.db" --coders anna,eva
expect_rc 2 "an unknown coder"
expect_err "no coder 'eva'" "names the unknown coder"
run tyst-agree "$T/team.db" --coders anna,bo --code finns-inte
expect_rc 2 "an unknown code"
expect_err "unknown code 'finns-inte'" "names the unknown code"
run tyst-agree "$T/team.db" --coders anna
expect_rc 2 "one coder"
run tyst-agree "$T/team.db" --coders anna,bo --unit word
expect_rc 2 "an unknown unit"
run tyst-agree "$T/missing.db" --coders anna,bo
expect_rc 2 "a missing project"
run tyst-agree "$D/samtal.txt" --coders anna,bo
expect_rc 2 "not a project"

# ---- merge conflicts ------------------------------------------------------------
n_before=$("$TYST_BIN/tyst-code" list "$T/team.db" segments | wc -l)
code init "$T/other.db" --codebook "$D/book-other.yaml"
code import "$T/other.db" $R "$D/samtal.txt"
code add "$T/other.db" samtal --code annat --coder dan --lines 1
code add "$T/other.db" samtal --code arbete --coder dan --lines 1
run tyst-code merge "$T/team.db" "$T/other.db"
expect_rc 2 "mismatched codebooks"
expect_err "code 'annat' .* is not in .*team\.db's codebook" "names the code the target lacks"
expect_err "nothing was merged" "says nothing was merged"
check '[ "$("$TYST_BIN/tyst-code" list "$T/team.db" segments | wc -l)" -eq "$n_before" ]' "target unchanged after a conflict"

printf 'I: En annan text.\nIP: Helt annan.\n' >"$T/annan.txt"
code init "$T/third.db" --codebook "$D/book.yaml"
code import "$T/third.db" $R "$T/annan.txt"
code add "$T/third.db" annan --code arbete --coder anna --lines 2
run tyst-code merge "$T/team.db" "$T/third.db"
expect_rc 2 "a document missing in the target"
expect_err "document 'annan' \(sha256 [0-9a-f]{12}\) is not in" "names the missing document"

# bo went on coding in his copy while the team copy got a segment of his.
cp "$T/bo.db" "$T/bo2.db"
code add "$T/bo2.db" samtal --code arbete --coder bo --lines 4
code add "$T/team.db" samtal --code stod --coder bo --lines 2
run tyst-code merge "$T/team.db" "$T/bo2.db"
expect_rc 0 "a diverged coder still merges"
expect_err 'note: .*coder bo has segments in both projects' "reports the diverged coder"
run tyst-code list "$T/team.db" segments --coder bo
expect_lines 4 "the union of bo's segments"

run tyst-code merge "$T/team.db" "$T/team.db"
expect_rc 2 "merging a project into itself"
run tyst-code merge "$T/team.db" "$D/samtal.txt"
expect_rc 2 "merging something that is not a project"
