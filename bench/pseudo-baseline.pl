#!/usr/bin/perl
# The baseline tyst-pseudo is measured against (bench/pseudo.sh): the same
# job done the obvious way in Perl.  Loads the name and place gazetteers of
# rules/sv/, replaces personnummer, phone numbers and e-mail addresses with
# regexes, and every capitalised word found in a gazetteer with a consistent
# pseudonym from the same list.  No key file, no reversal, no morphology.
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));

my $dir = shift @ARGV or die "usage: pseudo-baseline.pl RULESDIR [FILE...]\n";
my (%cat, @pool);
for my $list (qw(first-names surnames kommuner orter stadsdelar)) {
	open(my $fh, '<', "$dir/$list.tsv") or next;
	while (<$fh>) {
		next if /^#/;
		my ($w) = split /\t/;
		chomp $w;
		next if $w eq '';
		$cat{$w} = $list =~ /names/ ? 'PERSON' : 'PLACE';
		push @pool, $w if $list eq 'first-names';
	}
}
my (%map, $next);
$next = 0;
sub pseudo {
	my ($w) = @_;
	return $w unless exists $cat{$w};
	return $map{$w} //= $cat{$w} eq 'PLACE' ? '[ort]' :
	    $pool[$next++ % @pool];
}
while (<>) {
	s/\b(?:19|20)?\d{6}[-+ ]?\d{4}\b/[personnummer]/g;
	s/\b0\d{1,3}[- ]?\d{2,3}[ ]?\d{2}[ ]?\d{2}\b/[telefonnummer]/g;
	s/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/[e-post]/g;
	s/\b(\p{Lu}\p{Ll}+)\b/pseudo($1)/ge;
	print;
}
