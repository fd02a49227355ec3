#!/usr/bin/perl
# make-gold.pl - build corpus-samples/messy/names-*.txt and their rows of
# messy/gold.tsv from messy/annotated/names-*.txt (markup as in
# ../make-gold.pl: ⟦CATEGORY|text⟧).  Rows of other files in gold.tsv are
# kept; all rows are written sorted by file, then start.
use strict;
use warnings;
use FindBin qw($Bin);

my $OPEN  = "\xE2\x9F\xA6";
my $CLOSE = "\xE2\x9F\xA7";
my $dir = $Bin;
my (@rows, %mine);

opendir(my $dh, "$dir/annotated") or die "cannot open annotated: $!\n";
my @files = sort grep { /^names-.*\.txt$/ } readdir($dh);
closedir($dh);
for my $f (@files) {
    open(my $in, '<:raw', "$dir/annotated/$f") or die "$f: $!\n";
    local $/;
    my $src = <$in>;
    close($in);
    my ($out, $pos) = ('', 0);
    while ($src =~ /\G(.*?)\Q$OPEN\E([A-Z]+)\|(.*?)\Q$CLOSE\E/gs) {
        my ($pre, $cat, $text) = ($1, $2, $3);
        $out .= $pre;
        my $s = length($out);
        $out .= $text;
        push @rows, [$f, $s, length($out), $cat, $text];
        $pos = pos($src);
    }
    $out .= substr($src, $pos);
    open(my $o, '>:raw', "$dir/$f") or die "$f: $!\n";
    print $o $out;
    close($o);
    $mine{$f} = 1;
}
if (open(my $g, '<:raw', "$dir/gold.tsv")) {
    while (my $l = <$g>) {
        next if $l =~ /^#/;
        chomp $l;
        my @c = split /\t/, $l, -1;
        push @rows, \@c unless $mine{$c[0]};
    }
    close($g);
}
@rows = sort { $a->[0] cmp $b->[0] || $a->[1] <=> $b->[1] } @rows;
open(my $g, '>:raw', "$dir/gold.tsv") or die "gold.tsv: $!\n";
print $g "# file\tstart\tend\tcategory\ttext\n";
print $g join("\t", @$_), "\n" for @rows;
close($g);
