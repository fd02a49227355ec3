# Fleiss' kappa for three or more coders, on the worked example of 10
# subjects, 14 raters and 5 categories (Fleiss 1971 as commonly taught:
# P = 0.378, Pe = 0.213, kappa = 0.210).
. "$TYST_SRCDIR/tests/cli/lib.sh"
D=$TYST_SRCDIR/tests/data/agree

run tyst-agree -m "$D/fleiss-14-raters.tsv"
expect_rc 0 "fourteen raters"
expect_out "^Fleiss' kappa: +0\.210  \(10 units all coded\)$" "Fleiss' kappa 0.210"
expect_out "^percent agreement: +0\.378$" "mean agreement P = 0.378"
run tyst-agree -m "$D/krippendorff-2011-4coders.tsv"
expect_out "^Fleiss' kappa: +0\.641  \(8 units all coded\)$" "only the units every coder coded"
run tyst-agree -m "$D/cohen-50-yes-no.tsv"
expect_out "^Fleiss' kappa: +- +\(three or more coders\)$" "not for two coders"

# --speaker: only the participant's turns.  anna and bo code the same
# participant turns; anna also codes the interviewer's "Mm.", which
# otherwise drags the figures down.
R="--rules $D/rules-pnr.yaml"
code() { "$TYST_BIN/tyst-code" "$@" >>"$T/setup.log" 2>&1; }
printf 'I: Hur började det?\nIP: Jag fick jobb på ett lager.\nI: Mm.\nIP: Sen blev det mer.\nI: Mm.\n' >"$T/mm.txt"
code init "$T/p.db" --codebook "$D/book.yaml"
code import "$T/p.db" $R "$T/mm.txt"
for k in anna bo; do
	code add "$T/p.db" mm --code arbete --coder $k --lines 2
	code add "$T/p.db" mm --code arbete --coder $k --lines 4
done
code add "$T/p.db" mm --code arbete --coder anna --lines 3
code add "$T/p.db" mm --code arbete --coder anna --lines 5
run tyst-agree "$T/p.db" --coders anna,bo --unit turn
expect_rc 0 "all turns"
expect_out '^arbete +5 +5 +0\.600 ' "the interviewer's turns count: 3 of 5 alike"
run tyst-agree "$T/p.db" --coders anna,bo --unit turn --speaker IP
expect_rc 0 "only IP's turns"
expect_out '^arbete +2 +2 +1\.000 ' "the participant's two turns, both alike"
run tyst-agree "$T/p.db" --coders anna,bo --speaker IP
expect_out '^arbete +[0-9]+ +[0-9]+ +1\.000 ' "by character too"
run tyst-agree "$T/p.db" --coders anna,bo --unit turn --speaker IP -f md
expect_out 'unit: turn, only the turns of IP\.' "the report says which turns"
run tyst-agree "$T/p.db" --coders anna,bo --unit turn --speaker Intervjuare
expect_out '^arbete +0 ' "a speaker with no turns: no units"
