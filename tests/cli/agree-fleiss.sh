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
