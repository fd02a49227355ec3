#!/usr/bin/perl
# check-gold.pl - sanity checks for corpus-samples/gold.tsv
#
# Usage:  perl corpus-samples/check-gold.pl [--lint]
#
#  1. For every gold line, the bytes [start,end) of the clean file must equal
#     the text column; spans must not overlap; no markup may remain in the
#     clean files.  Any failure => exit status 1.
#  2. Prints every PNR with its Luhn check result (10-digit form YYMMDDNNNC).
#  3. With --lint: lists places in the clean files where a string that is
#     annotated somewhere in the corpus (PERSON/PLACE/ORG) occurs as a whole
#     word but is NOT covered by a gold span.  These are warnings only: some
#     are intentional (e.g. "saga" the common noun).
use strict;
use warnings;
use FindBin qw($Bin);
use Encode qw(decode encode);

my $lint = grep { $_ eq '--lint' } @ARGV;
my $dir  = $Bin;
open(my $g, '<:raw', "$dir/gold.tsv") or die "cannot read gold.tsv: $!\n";
my (%clean, %spans, @pnr, $errors, $n);
$errors = 0;
while (my $line = <$g>) {
    next if $line =~ /^#/;
    chomp $line;
    my ($file, $start, $end, $cat, $text) = split /\t/, $line, -1;
    unless (defined $text) { print "BAD LINE: $line\n"; $errors++; next }
    unless (exists $clean{$file}) {
        open(my $f, '<:raw', "$dir/$file") or die "cannot read $file: $!\n";
        $clean{$file} = do { local $/; <$f> };
    }
    my $got = substr($clean{$file}, $start, $end - $start);
    $n++;
    if ($got ne $text) {
        print "MISMATCH $file [$start,$end) $cat: gold '$text' file '$got'\n";
        $errors++;
    }
    push @{ $spans{$file} }, [ $start, $end, $cat, $text ];
    push @pnr, [ $file, $text ] if $cat eq 'PNR';
}
close $g;

for my $file (sort keys %spans) {
    my @s = sort { $a->[0] <=> $b->[0] } @{ $spans{$file} };
    for my $i (1 .. $#s) {
        if ($s[$i][0] < $s[$i - 1][1]) {
            print "OVERLAP $file: '$s[$i-1][3]' / '$s[$i][3]'\n";
            $errors++;
        }
    }
    if ($clean{$file} =~ /\xE2\x9F[\xA6\xA7]/) {
        print "MARKUP LEFT in $file\n";
        $errors++;
    }
}
printf "offset check: %d gold spans in %d files, %d error(s)\n",
    $n, scalar(keys %clean), $errors;

sub luhn_ok {
    my @d = split //, shift;
    my $sum = 0;
    for my $i (0 .. 8) {
        my $p = $d[$i] * ($i % 2 ? 1 : 2);
        $sum += $p > 9 ? $p - 9 : $p;
    }
    return ((10 - $sum % 10) % 10) == $d[9];
}

print "\nPNR check digits (Luhn over YYMMDDNNNC):\n";
for my $p (@pnr) {
    my ($file, $text) = @$p;
    (my $digits = $text) =~ s/\D//g;
    $digits = substr($digits, 2) if length $digits == 12;
    my $dd   = substr($digits, 4, 2);
    my $kind = $dd > 60 ? 'samordningsnummer' : 'personnummer';
    my $ser  = substr($digits, 6, 3);
    printf "  %-16s %-15s %-8s %-17s serial %s%s\n", $file, $text,
        (luhn_ok($digits) ? 'valid' : 'INVALID'), $kind, $ser,
        ($ser >= 980 ? ' (test series 980-999)' : '');
}

if ($lint) {
    print "\nLint: annotated strings occurring uncovered:\n";
    my %known;
    for my $file (keys %spans) {
        for my $s (@{ $spans{$file} }) {
            next unless $s->[2] =~ /^(PERSON|PLACE|ORG)$/;
            $known{ decode('UTF-8', $s->[3]) } = $s->[2];
        }
    }
    for my $file (sort keys %spans) {
        my $text = decode('UTF-8', $clean{$file});
        my @cov = map { [ $_->[0], $_->[1] ] } @{ $spans{$file} };
        for my $w (sort keys %known) {
            while ($text =~ /(?<!\w)\Q$w\E(?!\w)/gi) {
                my $cs = length encode('UTF-8', substr($text, 0, $-[0]));
                my $ce = $cs + length encode('UTF-8', $w);
                next if grep { $_->[0] <= $cs && $ce <= $_->[1] } @cov;
                my $ctx = substr($text, ($-[0] > 30 ? $-[0] - 30 : 0), 70);
                $ctx =~ s/[\r\n]+/ /g;
                print encode('UTF-8', "  $file\@$cs $known{$w} '$w': ...$ctx...\n");
            }
        }
    }
}
exit($errors ? 1 : 0);
