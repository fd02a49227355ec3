#!/usr/bin/perl
# make-gold.pl - build the clean transcripts and gold.tsv from annotated/*.txt
#
# Usage:  perl corpus-samples/make-gold.pl      (from any directory)
#
# For every corpus-samples/annotated/intervjuNN.txt this script
#   * writes corpus-samples/intervjuNN.txt with the markup removed, and
#   * adds one line per identifier to corpus-samples/gold.tsv:
#       file <TAB> start <TAB> end <TAB> category <TAB> text
#     where start/end are BYTE offsets (end exclusive) into the clean file
#     exactly as stored on disk (a UTF-8 BOM counts 3 bytes, CRLF counts 2).
#
# Markup: ⟦CATEGORY|text⟧  (U+27E6 ... U+27E7).  The file is processed as raw
# bytes, so a BOM and CRLF line endings in the annotated source are preserved
# unchanged in the clean file.  gold.tsv is rewritten from scratch on every run
# (header first, then the files in name order), so the script is idempotent.
#
# Only core Perl is used.
use strict;
use warnings;
use FindBin qw($Bin);

my $OPEN  = "\xE2\x9F\xA6";    # ⟦ in UTF-8
my $CLOSE = "\xE2\x9F\xA7";    # ⟧ in UTF-8
my %CATEGORIES = map { $_ => 1 }
    qw(PERSON PLACE ORG PNR PHONE EMAIL ADDRESS POSTCODE PLATE DATE URL IP ORGNR);

my $dir = $Bin;
my $src = "$dir/annotated";
opendir(my $dh, $src) or die "cannot open $src: $!\n";
my @files = sort grep { /^intervju\d+\.txt\z/ } readdir $dh;
closedir $dh;
die "no annotated files in $src\n" unless @files;

my $gold_path = "$dir/gold.tsv";
open(my $gold, '>:raw', $gold_path) or die "cannot write $gold_path: $!\n";
print {$gold} "# file\tstart\tend\tcategory\ttext\n";

my %total;
my $nspans = 0;
for my $name (@files) {
    my $in_path = "$src/$name";
    open(my $in, '<:raw', $in_path) or die "cannot read $in_path: $!\n";
    my $data = do { local $/; <$in> };
    close $in;

    my $clean = '';
    my @spans;
    my $pos = 0;
    while (1) {
        my $o = index($data, $OPEN, $pos);
        my $c = index($data, $CLOSE, $pos);
        if ($o < 0) {
            die "$name: stray close bracket at byte $c\n" if $c >= 0;
            $clean .= substr($data, $pos);
            last;
        }
        die "$name: stray close bracket at byte $c\n" if $c >= 0 && $c < $o;
        $clean .= substr($data, $pos, $o - $pos);
        my $body_start = $o + length $OPEN;
        my $end = index($data, $CLOSE, $body_start);
        die "$name: unterminated span at byte $o\n" if $end < 0;
        my $body = substr($data, $body_start, $end - $body_start);
        die "$name: nested span at byte $o\n" if index($body, $OPEN) >= 0;
        my ($cat, $text) = $body =~ /\A([A-Z]+)\|(.+)\z/s
            or die "$name: malformed span at byte $o: '$body'\n";
        die "$name: unknown category '$cat' at byte $o\n" unless $CATEGORIES{$cat};
        die "$name: span text contains tab/newline at byte $o\n" if $text =~ /[\t\r\n]/;
        die "$name: span text has outer whitespace at byte $o: '$text'\n"
            if $text =~ /\A\s|\s\z/;
        my $start = length $clean;
        $clean .= $text;
        push @spans, [ $start, length $clean, $cat, $text ];
        $pos = $end + length $CLOSE;
    }

    my $out_path = "$dir/$name";
    open(my $out, '>:raw', $out_path) or die "cannot write $out_path: $!\n";
    print {$out} $clean;
    close $out or die "cannot close $out_path: $!\n";

    for my $s (@spans) {
        print {$gold} join("\t", $name, @$s), "\n";
        $total{ $s->[2] }++;
        $nspans++;
    }
    printf "%-16s %6d bytes %4d identifiers\n", $name, length $clean, scalar @spans;
}
close $gold or die "cannot close $gold_path: $!\n";

print "total: $nspans identifiers\n";
printf "  %-9s %4d\n", $_, $total{$_} for sort keys %total;
