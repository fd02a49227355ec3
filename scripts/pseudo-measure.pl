#!/usr/bin/perl
# pseudo-measure.pl - what the pseudonyms of a corpus kept, measured by the
# name lists: how many first names kept sex, origin and generation, how
# many surnames kept origin, and how many persons were written several ways
# and got one pseudonym.
#
#   perl scripts/pseudo-measure.pl [-r RULES] FILE...
#
# Pseudonymises the files with a fresh key in a temporary directory (the
# key never leaves it), then reads the key with sqlite3.  Run from the
# source tree after make; TYST_BIN names another bin directory.
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));
use File::Temp qw(tempdir);
use Getopt::Long;

my $rules;
GetOptions('r=s' => \$rules) or die "usage: $0 [-r RULES] FILE...\n";
@ARGV or die "usage: $0 [-r RULES] FILE...\n";
my $bin = $ENV{TYST_BIN} // 'bin';
my $sv = 'rules/sv';

sub attrs {
	my ($file) = @_;
	my %a;
	open my $f, '<', $file or die "$file: $!\n";
	while (<$f>) {
		chomp;
		next if /^#/ || $_ eq '';
		my ($n, @kv) = split /\t/;
		$a{$n} = { map { split /=/, $_, 2 } @kv };
	}
	return \%a;
}
my $first = attrs("$sv/first-names.tsv");
my $sur = attrs("$sv/surnames.tsv");

my $dir = tempdir(CLEANUP => 1);
chmod 0700, $dir;
mkdir "$dir/o";
my @cmd = ("$bin/tyst-pseudo", '-k', "$dir/k.key", '-o', "$dir/o",
    ($rules ? ('-r', $rules) : ()), @ARGV);
system(@cmd) == 0 or die "tyst-pseudo failed\n";
open my $q, '-|', 'sqlite3', '-separator', "\t", "$dir/k.key",
    "SELECT original, pseudonym, distinct_p FROM entries " .
    "WHERE category = 'PERSON' AND strategy IN ('name', 'names') " .
    "ORDER BY id" or die "sqlite3: $!\n";
my (@pairs, %by_rep);
while (<$q>) {
	chomp;
	my ($o, $p, $d) = split /\t/;
	push @pairs, [ $o, $p, $d ];
}
close $q;

sub share {
	my ($a, $b, $near) = @_;
	return 0 unless defined $a && defined $b;
	for my $x (split /,/, $a) {
		for my $y (split /,/, $b) {
			return 1 if $x eq $y || ($near && abs($x - $y) == 10);
		}
	}
	return 0;
}

my %n = map { $_ => 0 } qw(first sex sex_known origin origin_known gen
    gen_near gen_known sur sur_origin sur_known);
for my $e (grep { $_->[2] } @pairs) {
	my ($o, $p) = @$e;
	# A double name's pseudonym is its parts': the first part's
	# attributes stand for it.
	(my $p1 = $p) =~ s/-.*//;
	$p = $p1 if !$first->{$p} && !$sur->{$p};
	# A name in a surname's place got a surname.
	my $as_sur = $sur->{$o} && $sur->{$p} && !$first->{$p};
	if (!$as_sur && (my $fa = $first->{$o})) {
		my $pa = $first->{$p} // {};
		$n{first}++;
		if (($fa->{sex} // 'u') ne 'u') {
			$n{sex_known}++;
			$n{sex}++ if ($pa->{sex} // '') eq $fa->{sex};
		}
		if ($fa->{origin}) {
			$n{origin_known}++;
			$n{origin}++ if share($fa->{origin}, $pa->{origin}, 0);
		}
		if ($fa->{dec}) {
			$n{gen_known}++;
			$n{gen}++ if share($fa->{dec}, $pa->{dec}, 0);
			$n{gen_near}++ if share($fa->{dec}, $pa->{dec}, 1);
		}
	} elsif (my $sa = $sur->{$o}) {
		my $pa = $sur->{$p} // {};
		$n{sur}++;
		if ($sa->{origin}) {
			$n{sur_known}++;
			$n{sur_origin}++ if share($sa->{origin}, $pa->{origin}, 0);
		}
	}
}

# Persons written several ways, grouped here independently of tyst:
# lower-cased, without a genitive ending, short forms by nicknames.tsv.
my %nick;
if (open my $f, '<', "$sv/nicknames.tsv") {
	while (<$f>) {
		next if /^#/;
		$nick{lc $1} = lc $2 if /^([^\t]+)\tname=(.+)$/;
	}
}
my %orig = map { $_->[0] => $_->[1] } @pairs;
for my $e (@pairs) {
	my $k = lc $e->[0];
	$k =~ s/(?:'s|\x{2019}s|'|\x{2019})$//;
	$k =~ s/s$// if $k ne lc $e->[0] || (exists $orig{ucfirst substr($k, 0, -1)} && !$first->{$e->[0]} && !$sur->{$e->[0]});
	$k = $nick{$k} // $k;
	push @{$by_rep{$k}}, $e;
}
my ($variants, $one) = (0, 0);
for my $k (sort keys %by_rep) {
	my %spell = map { $_->[0] => 1 } @{$by_rep{$k}};
	next if keys %spell < 2;
	$variants++;
	my %ps = map { (my $p = $_->[1]) =~ s/s$//; $p => 1 } @{$by_rep{$k}};
	$one++ if keys %ps == 1;
}

printf "first names replaced      %d\n", $n{first};
printf "  kept sex                %d of %d with a known sex\n", $n{sex}, $n{sex_known};
printf "  kept origin             %d of %d with a known origin\n", $n{origin}, $n{origin_known};
printf "  kept generation         %d of %d with known decades (%d within ten years)\n", $n{gen}, $n{gen_known}, $n{gen_near};
printf "surnames replaced         %d\n", $n{sur};
printf "  kept origin             %d of %d with a known origin\n", $n{sur_origin}, $n{sur_known};
printf "persons with variants     %d\n", $variants;
printf "  with one pseudonym      %d\n", $one;
