#!/bin/sh
# Detection quality of tyst-scan on a Swedish NER corpus (token per line,
# "token TAB tag" with tags PER, LOC, ORG, MISC or 0, a blank line between
# sentences).  The corpus is turned back into running text, one sentence a
# line with its tokens joined by spaces, scanned with the default rules, and
# every finding mapped back onto the tokens it overlaps.
#
# Prints token recall of PER and LOC (any category counts: a flagged name is
# a name that will not slip through; the category-exact figure follows) and
# precision: the share of flagged tokens that are PER, LOC, ORG or MISC.
#
#   sh bench/ner.sh [-v]      -v also lists the missed and the false tokens
#
# The corpus is found at $TYST_NER_CORPUS, or ../shared/testdata/ner-sv/
# train_corpus.txt relative to the repository; the script skips politely
# when it is absent.  It is an evaluation corpus: never copy its names into
# the gazetteers.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${TYST_NER_CORPUS:-$here/../shared/testdata/ner-sv/train_corpus.txt}
# A git worktree lives elsewhere: look beside the main checkout too.
if [ -z "${TYST_NER_CORPUS:-}" ] && [ ! -r "$corpus" ]; then
	common=$(git -C "$here" rev-parse --git-common-dir 2>/dev/null || true)
	case $common in
	/*) alt=$(dirname "$common")/../shared/testdata/ner-sv/train_corpus.txt
	    [ -r "$alt" ] && corpus=$alt ;;
	esac
fi
verbose=${1:-}
scan=${TYST_BIN:-$here/bin}/tyst-scan

if [ ! -r "$corpus" ]; then
	echo "ner: no corpus at $corpus (set TYST_NER_CORPUS); skipped"
	exit 0
fi
[ -x "$scan" ] || { echo "ner: build first (make)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tyst-ner.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Running text and a token table: start end tag token.
perl -CSD -e '
	use strict; use warnings;
	my ($text, $tab) = @ARGV;
	open(my $t, ">:raw", $text) or die;
	open(my $k, ">:utf8", $tab) or die;
	my $off = 0; my @sent;
	sub flush {
		return unless @sent;
		my $first = 1;
		for my $w (@sent) {
			unless ($first) { print $t " "; $off += 1; }
			my $b = $w->[0]; utf8::encode($b);
			print $t $b;
			print $k join("\t", $off, $off + length($b), $w->[1], $w->[0]), "\n";
			$off += length($b); $first = 0;
		}
		print $t "\n"; $off += 1; @sent = ();
	}
	open(my $in, "<:utf8", "/dev/stdin") or die;
	while (<$in>) {
		s/\s+$//;
		if ($_ eq "") { flush(); next; }
		my @f = split /\s+/;
		next if @f < 2;
		push @sent, [$f[0], $f[-1]];
	}
	flush();
' "$tmp/text.txt" "$tmp/tokens.tsv" <"$corpus"

start=$(date +%s.%N)
rc=0
TYST_TODAY=${TYST_TODAY:-2026-11-25} "$scan" --format jsonl "$tmp/text.txt" \
    >"$tmp/found.jsonl" || rc=$?
end=$(date +%s.%N)
[ "$rc" -le 1 ] || { echo "ner: tyst-scan failed ($rc)"; exit 1; }

perl -CSD -e '
	use strict; use warnings;
	my ($tab, $found, $verbose) = @ARGV;
	my @tok;
	open(my $k, "<:utf8", $tab) or die;
	while (<$k>) { chomp; my @f = split /\t/, $_, 4; push @tok, [@f, "", ""]; }
	my %catmap = (PERSON => "PER", PLACE => "LOC", ORG => "ORG");
	open(my $f, "<", $found) or die;
	my @fs;
	while (<$f>) {
		my ($s) = /"start":(\d+)/; my ($e) = /"end":(\d+)/;
		my ($c) = /"category":"([^"]*)"/;
		push @fs, [$s, $e, $c];
	}
	@fs = sort { $a->[0] <=> $b->[0] } @fs;
	# Both lists are in text order: walk them together.
	my $j = 0;
	for my $t (@tok) {
		$j++ while $j < @fs && $fs[$j][1] <= $t->[0];
		my $i = $j;
		while ($i < @fs && $fs[$i][0] < $t->[1]) {
			if ($fs[$i][1] > $t->[0]) { $t->[4] = $fs[$i][2]; last; }
			$i++;
		}
	}
	my (%gold, %hit, %exact, $flag, $good);
	my (%miss, %false);
	for my $t (@tok) {
		my ($tag, $c) = ($t->[2], $t->[4]);
		$gold{$tag}++;
		if ($c ne "") {
			$hit{$tag}++;
			$exact{$tag}++ if ($catmap{$c} // "") eq $tag;
			$flag++;
			if ($tag ne "0") { $good++ } else { $false{$t->[3]}++ }
		} elsif ($tag eq "PER" || $tag eq "LOC") {
			$miss{"$tag $t->[3]"}++;
		}
	}
	my $r = sub { my $g = $gold{$_[0]} || 1; sprintf "%.4f", ($_[1]{$_[0]} // 0) / $g };
	printf "tokens %d, sentences scanned as running text, findings %d\n", scalar(@tok), scalar(@fs);
	printf "PER recall %s (%d/%d), category-exact %s\n", $r->("PER", \%hit), $hit{PER} // 0, $gold{PER} // 0, $r->("PER", \%exact);
	printf "LOC recall %s (%d/%d), category-exact %s\n", $r->("LOC", \%hit), $hit{LOC} // 0, $gold{LOC} // 0, $r->("LOC", \%exact);
	printf "ORG recall %s, MISC recall %s (not targets)\n", $r->("ORG", \%hit), $r->("MISC", \%hit);
	printf "precision %.4f (%d of %d flagged tokens are PER/LOC/ORG/MISC)\n", ($good // 0) / ($flag || 1), $good // 0, $flag // 0;
	if ($verbose) {
		print "missed:\n";
		print "  $_ x$miss{$_}\n" for sort { $miss{$b} <=> $miss{$a} || $a cmp $b } keys %miss;
		print "false:\n";
		print "  $_ x$false{$_}\n" for sort { $false{$b} <=> $false{$a} || $a cmp $b } keys %false;
	}
' "$tmp/tokens.tsv" "$tmp/found.jsonl" "$verbose"
echo "scan time $(echo "$end - $start" | bc 2>/dev/null || echo '?') s"
