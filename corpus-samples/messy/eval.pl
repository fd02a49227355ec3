#!/usr/bin/perl
# eval.pl - recall and precision of tyst-scan on corpus-samples/messy/.
#
# Usage:  perl corpus-samples/messy/eval.pl [-v] [TYST-SCAN]
#
# Each gold span of gold.tsv counts as found when a finding overlaps it
# (a finding of the right category is counted too).  A finding is correct
# when it overlaps a gold span.  Words outside every gold span are the
# ordinary words; the share of them inside some finding is printed last.
use strict;
use warnings;
use FindBin qw($Bin);

my $verbose = @ARGV && $ARGV[0] eq '-v' ? shift : 0;
my $scan = shift // "$Bin/../../bin/tyst-scan";
my (%gold, %files);
open(my $g, '<:raw', "$Bin/gold.tsv") or die "gold.tsv: $!\n";
while (my $l = <$g>) {
    next if $l =~ /^#/;
    chomp $l;
    my ($f, $s, $e, $cat, $text) = split /\t/, $l, -1;
    push @{$gold{$f}}, [$s, $e, $cat, $text];
}
close($g);
opendir(my $dh, $Bin) or die;
$files{$_} = 1 for grep { /\.txt$/ } readdir($dh);
closedir($dh);

my (%n, %hit, %exact, $nf, $okf, $words, $flagged);
$nf = $okf = $words = $flagged = 0;
for my $f (sort keys %files) {
    open(my $in, '<:raw', "$Bin/$f") or die;
    my $text = do { local $/; <$in> };
    close($in);
    my @found;
    open(my $p, '-|', $scan, '-f', 'jsonl', "$Bin/$f") or die;
    while (my $l = <$p>) {
        my ($s) = $l =~ /"start":(\d+)/;
        my ($e) = $l =~ /"end":(\d+)/;
        my ($c) = $l =~ /"category":"([^"]+)"/;
        push @found, [$s, $e, $c];
    }
    close($p);
    my @gs = @{$gold{$f} // []};
    for my $gd (@gs) {
        my ($s, $e, $cat, $t) = @$gd;
        $n{$cat}++;
        my @o = grep { $_->[0] < $e && $_->[1] > $s } @found;
        if (@o) {
            $hit{$cat}++;
            $exact{$cat}++ if grep { $_->[2] eq $cat } @o;
            print "wrong-cat $f $cat \"$t\" as $o[0][2]\n"
                if $verbose && !grep { $_->[2] eq $cat } @o;
        } else {
            print "missed $f $cat \"$t\"\n" if $verbose;
        }
    }
    for my $fd (@found) {
        $nf++;
        my @o = grep { $_->[0] < $fd->[1] && $_->[1] > $fd->[0] } @gs;
        if (@o) { $okf++; next }
        print "false $f $fd->[2] \"", substr($text, $fd->[0],
            $fd->[1] - $fd->[0]), "\"\n" if $verbose;
    }
    while ($text =~ /([\p{L}\w][\w\-\x80-\xff]*)/g) {
        my ($s, $e) = ($-[1], $+[1]);
        next if grep { $_->[0] < $e && $_->[1] > $s } @gs;
        next if substr($text, $s, $e - $s) =~ /^\d+$/;
        $words++;
        $flagged++ if grep { $_->[0] < $e && $_->[1] > $s } @found;
    }
}
for my $cat (sort keys %n) {
    printf "%-8s recall %.3f (%d/%d), right category %.3f\n", $cat,
        ($hit{$cat} // 0) / $n{$cat}, $hit{$cat} // 0, $n{$cat},
        ($exact{$cat} // 0) / $n{$cat};
}
printf "findings precision %.3f (%d/%d)\n", $nf ? $okf / $nf : 1, $okf, $nf;
printf "ordinary words flagged %.4f (%d/%d)\n", $words ? $flagged / $words : 0,
    $flagged, $words;
