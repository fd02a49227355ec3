#!/bin/sh
# Recall and precision of tyst-scan on the messy development set,
# corpus-samples/messy/ (transcripts as they are really typed and as speech
# recognition writes them, with gold spans in messy/gold.tsv, the form of
# corpus-samples/gold.tsv).
#
# A gold span counts as found when one finding covers the whole of it (a
# part, "08 30 98 98" of "93 08 30 98 98", is a miss: the rest slips
# through); the category-exact figure follows.  A finding that overlaps no
# gold span is a false one.  Prints one line per category, then
#   messy: recall R (N/M), whole-and-right-category C, precision P
# and with -v the missed spans and the false findings.
#
#   sh bench/messy.sh [-v] [GLOB]    GLOB: which files, e.g. 'numbers-*'
#
# Exits 0, or 1 when a personnummer or telephone number is missed (the
# targets for those are 1.00), 2 on a setup error.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
dir=$here/corpus-samples/messy
scan=${TYST_BIN:-$here/bin}/tyst-scan
verbose=0
if [ "${1:-}" = -v ]; then verbose=1; shift; fi
glob=${1:-*}

[ -x "$scan" ] || { echo "messy: build first (make)" >&2; exit 2; }
[ -r "$dir/gold.tsv" ] || { echo "messy: $dir/gold.tsv: cannot read" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tyst-messy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

: >"$tmp/found.jsonl"
n=0
for f in "$dir"/$glob.txt; do
	[ -r "$f" ] || continue
	rc=0
	TYST_TODAY=${TYST_TODAY:-2026-11-25} "$scan" --format jsonl "$f" \
	    >>"$tmp/found.jsonl" || rc=$?
	[ "$rc" -le 1 ] || { echo "messy: tyst-scan failed on $f ($rc)" >&2; exit 2; }
	basename "$f" >>"$tmp/files"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "messy: no files match $glob" >&2; exit 2; }

perl -e '
	use strict; use warnings;
	my ($gold, $found, $files, $verbose) = @ARGV;
	my %use;
	open(my $l, "<", $files) or die;
	while (<$l>) { chomp; $use{$_} = 1; }
	my (@g, %f);
	open(my $gh, "<", $gold) or die;
	while (<$gh>) {
		next if /^#/;
		chomp;
		my ($file, $s, $e, $cat, $text) = split /\t/;
		push @g, [$file, $s, $e, $cat, $text] if $use{$file};
	}
	open(my $fh, "<", $found) or die;
	while (<$fh>) {
		my ($file) = /"file":"(?:[^"]*\/)?([^"\/]+)"/;
		my ($s) = /"start":(\d+)/; my ($e) = /"end":(\d+)/;
		my ($cat) = /"category":"([^"]+)"/; my ($t) = /"text":"((?:[^"\\]|\\.)*)"/;
		push @{ $f{$file} }, [$s, $e, $cat, $t, 0];
	}
	my (%n, %hit, %exact, $miss_key);
	$miss_key = 0;
	for my $x (@g) {
		my ($file, $s, $e, $cat, $text) = @$x;
		$n{$cat}++;
		my ($whole, $right) = (0, 0);
		for my $y (@{ $f{$file} || [] }) {
			$y->[4] = 1 if $y->[0] < $e && $y->[1] > $s;
			next unless $y->[0] <= $s && $y->[1] >= $e;
			$whole = 1;
			$right = 1 if $y->[2] eq $cat;
		}
		$hit{$cat} += $whole;
		$exact{$cat} += $right;
		$miss_key++ if !$whole && ($cat eq "PNR" || $cat eq "PHONE");
		print "missed\t$file\t$s\t$e\t$cat\t$text\n" if $verbose && !$whole;
	}
	my ($nf, $false) = (0, 0);
	for my $file (sort keys %f) {
		for my $y (@{ $f{$file} }) {
			$nf++;
			next if $y->[4];
			$false++;
			print "false\t$file\t$y->[0]\t$y->[1]\t$y->[2]\t$y->[3]\n"
			    if $verbose;
		}
	}
	my ($tn, $th, $te) = (0, 0, 0);
	for my $c (sort keys %n) {
		printf "  %-8s recall %.3f (%d/%d), right category %.3f\n", $c,
		    $hit{$c} / $n{$c}, $hit{$c}, $n{$c}, $exact{$c} / $n{$c};
		$tn += $n{$c}; $th += $hit{$c}; $te += $exact{$c};
	}
	printf "messy: recall %.3f (%d/%d), whole-and-right-category %.3f, " .
	    "precision %.3f (%d false of %d findings)\n",
	    $tn ? $th / $tn : 1, $th, $tn, $tn ? $te / $tn : 1,
	    $nf ? ($nf - $false) / $nf : 1, $false, $nf;
	exit($miss_key ? 1 : 0);
' "$dir/gold.tsv" "$tmp/found.jsonl" "$tmp/files" "$verbose"
