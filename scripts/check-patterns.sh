#!/bin/sh
# check-patterns.sh [-r RULES] [-d DATADIR] [-v]
#
# Proves the regular expressions of a pattern file (rules/sv/patterns.yaml)
# against example data, with pcre2grep (Debian package pcre2-utils), so the
# patterns are tested on the same PCRE2 library the detector links.
#
# DATADIR (tests/data/patterns) holds positive/CATEGORY.txt, one sentence a
# line with exactly one identifier of CATEGORY marked as ⟦…⟧, and
# negative.txt, lines in which nothing may be found.  A positive line passes
# when a pattern of its category finds exactly the marked text, no pattern
# of the category finds anything else on the line, and no pattern of
# another category finds text overlapping the mark.  Every pattern must
# pass on at least one positive line, so none goes untested.
#
# Each pattern must also finish on long pathological lines within PCRE2's
# match and depth limits, per start position (deterministic, not timed): a
# regex that backtracks over the rest of a line, or recurses once per
# repeated group, would stall the detector or fail on a real transcript.
#
# The finding of a pattern is its whole match, or its group (?<id>…).  Each
# regex is run with (*UCP) in UTF mode, as the detector compiles it
# (PCRE2_UTF | PCRE2_UCP).
#
# Prints one line per category and a closing "patterns: N passed, N failed";
# exits 0 when nothing failed, 1 when something did, 2 on a usage or setup
# error.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
rules=$root/rules/sv/patterns.yaml
data=$root/tests/data/patterns
verbose=0
while getopts r:d:v opt; do
	case $opt in
	r) rules=$OPTARG ;;
	d) data=$OPTARG ;;
	v) verbose=1 ;;
	*) echo "usage: check-patterns.sh [-r rules.yaml] [-d datadir] [-v]" >&2; exit 2 ;;
	esac
done

for prog in pcre2grep perl; do
	if ! command -v $prog >/dev/null 2>&1; then
		echo "check-patterns: $prog not found (pcre2grep: Debian package pcre2-utils)" >&2
		exit 2
	fi
done
[ -r "$rules" ] || { echo "check-patterns: $rules: cannot read" >&2; exit 2; }
[ -d "$data/positive" ] || { echo "check-patterns: $data/positive: no such directory" >&2; exit 2; }
[ -r "$data/negative.txt" ] || { echo "check-patterns: $data/negative.txt: cannot read" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/check-patterns.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# The script is read from standard input, so it can use any quote.
perl - "$rules" "$data" "$work" "$verbose" <<'PERL'
use strict;
use warnings;
# Bytes throughout: pcre2grep reports byte offsets.

my ($rules, $data, $work, $verbose) = @ARGV;
my $OPEN = "\xe2\x9f\xa6";	# ⟦ U+27E6
my $CLOSE = "\xe2\x9f\xa7";	# ⟧ U+27E7

sub fail_setup { print STDERR "check-patterns: @_\n"; exit 2; }

# ---- the pattern file -----------------------------------------------------
# Only the subset of YAML the pattern files use: categories -> CATEGORY ->
# patterns -> list of {name, regex, confidence}, each regex on one line in
# single quotes.  Anything else is an error naming the line, so a regex
# the detector would load can never be skipped here.
my (@pats, %cats, @catorder);
{
	open(my $fh, '<', $rules) or fail_setup("$rules: $!");
	my ($cat, $cur, $seen_top) = (undef, undef, 0);
	while (my $l = <$fh>) {
		chomp $l;
		$l =~ s/\r$//;
		next if $l =~ /^\s*(#.*)?$/;
		my $where = "$rules:$.";
		if ($l =~ /^categories:\s*$/) { $seen_top = 1; next; }
		fail_setup("$where: expected 'categories:' first") unless $seen_top;
		if ($l =~ /^  ([A-Z][A-Z0-9_]*):\s*$/) {
			$cat = $1;
			fail_setup("$where: category $cat twice") if $cats{$cat};
			$cats{$cat} = [];
			push @catorder, $cat;
			$cur = undef;
		} elsif ($l =~ /^    patterns:\s*$/) {
			fail_setup("$where: 'patterns:' outside a category") unless defined $cat;
		} elsif ($l =~ /^      - name:\s*([A-Za-z0-9_.-]+)\s*$/) {
			fail_setup("$where: pattern outside a category") unless defined $cat;
			my $name = $1;
			fail_setup("$where: $cat/$name twice")
			    if grep { $_->{name} eq $name } @{$cats{$cat}};
			$cur = { cat => $cat, name => $name, line => $. };
			push @pats, $cur;
			push @{$cats{$cat}}, $cur;
		} elsif ($l =~ /^        regex:\s*'((?:[^']|'')*)'\s*$/) {
			fail_setup("$where: regex outside a pattern") unless $cur;
			fail_setup("$where: second regex for $cur->{name}") if defined $cur->{re};
			(my $re = $1) =~ s/''/'/g;
			$cur->{re} = $re;
		} elsif ($l =~ /^        confidence:\s*(certain|likely|candidate)\s*$/) {
			fail_setup("$where: confidence outside a pattern") unless $cur;
			$cur->{conf} = $1;
		} else {
			fail_setup("$where: cannot read this line (one-line single-quoted regex expected)");
		}
	}
	close $fh;
	for my $p (@pats) {
		fail_setup("$rules:$p->{line}: $p->{cat}/$p->{name} has no regex")
		    unless defined $p->{re};
	}
	fail_setup("$rules: no patterns") unless @pats;
}

# A real YAML parser must read the same strings, or the detector (libyaml)
# would compile something other than what is checked here.
{
	require CPAN::Meta::YAML;
	open(my $fh, '<', $rules) or fail_setup("$rules: $!");
	my $text = do { local $/; <$fh> };
	close $fh;
	my $y = eval { CPAN::Meta::YAML->read_string($text) };
	if (!$y) {
		(my $why = $@ || CPAN::Meta::YAML->errstr || 'unreadable') =~ s/ at - line \d+\.?\s*$//;
		fail_setup("$rules: not YAML: $why");
	}
	my $c = ref $y->[0] eq 'HASH' ? $y->[0]{categories} : undef;
	fail_setup("$rules: no 'categories' mapping") unless ref $c eq 'HASH';
	for my $p (@pats) {
		my $list = $c->{$p->{cat}}{patterns};
		my ($q) = grep { $_->{name} eq $p->{name} } @{ref $list eq 'ARRAY' ? $list : []};
		fail_setup("$rules:$p->{line}: a YAML parser does not see $p->{cat}/$p->{name}")
		    unless $q;
		fail_setup("$rules:$p->{line}: a YAML parser reads another regex for $p->{cat}/$p->{name}")
		    unless defined $q->{regex} && $q->{regex} eq $p->{re};
	}
}

# The number of the capturing group named id, or 0.  Counts opening
# brackets outside character classes and escapes.
sub id_group {
	my ($re) = @_;
	my ($n, $i, $len) = (0, 0, length $re);
	while ($i < $len) {
		my $c = substr($re, $i, 1);
		if ($c eq '\\') {
			if (substr($re, $i + 1, 1) eq 'Q') {
				my $e = index($re, '\\E', $i + 2);
				$i = $e < 0 ? $len : $e + 2;
				next;
			}
			$i += 2;
			next;
		}
		if ($c eq '[') {
			$i++;
			$i++ if substr($re, $i, 1) eq '^';
			$i++ if substr($re, $i, 1) eq ']';
			while ($i < $len && substr($re, $i, 1) ne ']') {
				if (substr($re, $i, 1) eq '\\') { $i += 2; next; }
				if (substr($re, $i, 2) eq '[:') {
					my $e = index($re, ':]', $i + 2);
					$i = $e < 0 ? $i + 1 : $e + 2;
					next;
				}
				$i++;
			}
			$i++;
			next;
		}
		if ($c eq '(') {
			my $rest = substr($re, $i + 1);
			if ($rest =~ /^\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']/) {
				$n++;
				return $n if $1 eq 'id';
			} elsif ($rest !~ /^[?*]/) {
				$n++;
			}
		}
		$i++;
	}
	return 0;
}

# ---- the data ----------------------------------------------------------------
# All lines go into one input file; @lines[n] describes line n (1-based).
my @lines = (undef);
my %poscount;
my $bad = 0;	# malformed data lines, each a failure
my @report;
open(my $all, '>', "$work/input.txt") or fail_setup("$work/input.txt: $!");
opendir(my $dh, "$data/positive") or fail_setup("$data/positive: $!");
my @files = sort grep { /^[A-Z][A-Z0-9_]*\.txt$/ } readdir $dh;
closedir $dh;
for my $f (@files) {
	(my $cat = $f) =~ s/\.txt$//;
	my $path = "$data/positive/$f";
	open(my $fh, '<', $path) or fail_setup("$path: $!");
	while (my $l = <$fh>) {
		chomp $l;
		next if $l eq '';
		my $s = index($l, $OPEN);
		my $e = index($l, $CLOSE);
		if ($s < 0 || $e < $s || index($l, $OPEN, $s + 1) >= 0 ||
		    index($l, $CLOSE, $e + 1) >= 0 || $l =~ /\r/) {
			push @report, "$path:$.: not exactly one $OPEN$CLOSE pair";
			$poscount{$cat}{fail}++;
			$bad++;
			next;
		}
		my $text = $l;
		substr($text, $e, length $CLOSE) = '';
		substr($text, $s, length $OPEN) = '';
		my $end = $e - length $OPEN;
		if ($end == $s) {
			push @report, "$path:$.: empty mark";
			$poscount{$cat}{fail}++;
			$bad++;
			next;
		}
		print $all "$text\n";
		push @lines, { kind => 'pos', cat => $cat, where => "$path:$.",
		    text => $text, s => $s, e => $end, hits => [] };
	}
	close $fh;
}
{
	my $path = "$data/negative.txt";
	open(my $fh, '<', $path) or fail_setup("$path: $!");
	while (my $l = <$fh>) {
		chomp $l;
		next if $l eq '';
		print $all "$l\n";
		push @lines, { kind => 'neg', where => "$path:$.", text => $l,
		    hits => [] };
	}
	close $fh;
}
close $all;

# ---- matching --------------------------------------------------------------
my $broken = 0;
for my $p (@pats) {
	open(my $pf, '>', "$work/pat") or fail_setup("$work/pat: $!");
	print $pf "(*UCP)$p->{re}\n";
	close $pf;
	my $cmd = "pcre2grep -u --line-offsets -f '$work/pat' '$work/input.txt' 2>'$work/err'";
	my @offs = `$cmd`;
	my $rc = $? >> 8;
	if ($rc > 1) {
		open(my $eh, '<', "$work/err");
		my $msg = join '', <$eh>;
		$msg =~ s/\s+$//;
		# Name the offset in the regex as written, without "(*UCP)".
		$msg =~ s/^pcre2grep: Error in regex in line 1 of \S+ at offset (\d+)/"offset " . ($1 - 6)/e;
		push @report, "$rules:$p->{line}: $p->{cat}/$p->{name}: pcre2grep failed: $msg";
		$broken++;
		$p->{broken} = 1;
		next;
	}
	my $g = id_group($p->{re});
	my @ids;
	if ($g) {
		@ids = `pcre2grep -u -n -O '\${$g}' -f '$work/pat' '$work/input.txt' 2>/dev/null`;
		if (@ids != @offs) {
			push @report, "$rules:$p->{line}: $p->{cat}/$p->{name}: id group output does not line up";
			$broken++;
			$p->{broken} = 1;
			next;
		}
	}
	for my $k (0 .. $#offs) {
		my ($ln, $off, $len) = $offs[$k] =~ /^(\d+):(\d+),(\d+)$/
		    or fail_setup("unexpected pcre2grep output: $offs[$k]");
		my $L = $lines[$ln];
		my ($s, $e) = ($off, $off + $len);
		if ($g) {
			my ($iln, $itext) = $ids[$k] =~ /^(\d+):(.*)$/s;
			chomp $itext;
			my $whole = substr($L->{text}, $off, $len);
			my $at = index($whole, $itext);
			if ($iln != $ln || $itext eq '' || $at < 0) {
				push @report, "$L->{where}: $p->{cat}/$p->{name}: group id is empty or outside the match";
				$broken++;
				next;
			}
			($s, $e) = ($off + $at, $off + $at + length $itext);
		}
		push @{$L->{hits}}, { p => $p, s => $s, e => $e };
	}
}

# ---- pathological lines --------------------------------------------------------
# Long runs of the pieces the patterns are built from, matched without JIT
# under a match limit (backtracking steps from one start position) and a
# depth limit (nested backtracking frames).  A bounded pattern needs a few
# hundred steps per start; one that rescans the rest of the line, or
# repeats a group without bound, needs thousands and fails here.  Found or
# not does not matter, only that matching ends within the limits.
{
	my @units = ('1 ', 'a.', 'Ab ', 'a punkt ', '1:', '070 ', 'Storgatan ',
	    "f\xc3\xb6dd ", 'a@', 'www.', 'AB CD ', '12 34 ', 'x-', 'Aa-', '1.2.',
	    'abc:', 'Box ', '1/', 'S:t ', '08-1 ', '::', "\xc3\xa4", 'a [at] ',
	    'http://a', '16', 'lgh 1 ', '3 mars ', 'Drottning ', 'gatan-',
	    "v\xc3\xa4gen.", 'Plan-', 'se.', 'punkt ', '0');
	open(my $fh, '>', "$work/stress.txt") or fail_setup("$work/stress.txt: $!");
	print $fh $_ x int(20000 / length $_), "\n" for @units;
	close $fh;
	for my $p (@pats) {
		next if $p->{broken};
		open(my $pf, '>', "$work/pat") or fail_setup("$work/pat: $!");
		print $pf "(*UCP)$p->{re}\n";
		close $pf;
		system("pcre2grep -u -c --no-jit --match-limit=10000 --depth-limit=1000 -f '$work/pat' '$work/stress.txt' >/dev/null 2>'$work/err'");
		my $rc = $? >> 8;
		next if $rc <= 1 && -z "$work/err";
		open(my $eh, '<', "$work/err");
		my ($msg) = <$eh>;
		$msg //= "exit $rc";
		$msg =~ s/\s+$//;
		push @report, "$rules:$p->{line}: $p->{cat}/$p->{name}: fails on a long line: $msg";
		$broken++;
	}
}

# ---- judging -----------------------------------------------------------------
sub show { my ($L, $s, $e) = @_; return substr($L->{text}, $s, $e - $s); }

my (%proved, $negpass, $negfail);
($negpass, $negfail) = (0, 0);
for my $i (1 .. $#lines) {
	my $L = $lines[$i];
	my @why;
	if ($L->{kind} eq 'neg') {
		for my $h (@{$L->{hits}}) {
			push @why, "$h->{p}{cat}/$h->{p}{name} finds \"" . show($L, $h->{s}, $h->{e}) . "\"";
		}
		if (@why) {
			$negfail++;
			push @report, "$L->{where}: must find nothing: " . join('; ', @why);
		} else {
			$negpass++;
		}
		next;
	}
	my ($cat, $s, $e) = @$L{qw(cat s e)};
	my $exact = 0;
	for my $h (@{$L->{hits}}) {
		my $hc = $h->{p}{cat};
		if ($hc eq $cat) {
			if ($h->{s} == $s && $h->{e} == $e) {
				$exact = 1;
				$proved{$hc}{$h->{p}{name}}++;
			} elsif ($h->{s} < $s || $h->{e} > $e) {
				push @why, "$hc/$h->{p}{name} finds \"" . show($L, $h->{s}, $h->{e}) . "\"";
			}
		} elsif ($h->{s} < $e && $h->{e} > $s) {
			push @why, "$hc/$h->{p}{name} also finds \"" . show($L, $h->{s}, $h->{e}) . "\"";
		}
	}
	unshift @why, "no $cat pattern finds exactly \"" . show($L, $s, $e) . "\"" unless $exact;
	if (!$cats{$cat}) {
		@why = ("no category $cat in $rules");
	}
	if (@why) {
		$poscount{$cat}{fail}++;
		push @report, "$L->{where}: " . join('; ', @why);
	} else {
		$poscount{$cat}{pass}++;
	}
}

# Every category has examples and every pattern is proved by one.
my $unproved = 0;
for my $c (@catorder) {
	if (!$poscount{$c}) {
		push @report, "$rules: category $c has no positive/$c.txt";
		$unproved++;
		next;
	}
	for my $p (@{$cats{$c}}) {
		next if $p->{broken} || $proved{$c}{$p->{name}};
		push @report, "$rules:$p->{line}: $c/$p->{name} is proved by no positive line";
		$unproved++;
	}
}

print "$_\n" for @report;
if ($verbose) {
	for my $i (1 .. $#lines) {
		my $L = $lines[$i];
		for my $h (@{$L->{hits}}) {
			print "$L->{where}: $h->{p}{cat}/$h->{p}{name}: \"" .
			    show($L, $h->{s}, $h->{e}) . "\"\n";
		}
	}
}
my ($pass, $fail) = (0, 0);
for my $c (sort keys %poscount) {
	my ($cp, $cf) = ($poscount{$c}{pass} // 0, $poscount{$c}{fail} // 0);
	my $np = scalar @{$cats{$c} // []};
	printf "  %s: %d of %d lines ok, %d patterns\n", $c, $cp, $cp + $cf, $np;
	$pass += $cp;
	$fail += $cf;
}
printf "  negative: %d of %d lines ok\n", $negpass, $negpass + $negfail;
$pass += $negpass;
$fail += $negfail + $broken + $unproved;
print "patterns: $pass passed, $fail failed\n";
exit($fail ? 1 : 0);
PERL
