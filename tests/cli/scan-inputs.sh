# Several inputs in one tyst-scan: the occurrence decisions of one file
# apply to that file only, and the next input, whatever its format, is
# read whole.  (A subtitle file after a text file with decisions once had
# its findings held for decisions that were not its own, and its last
# line's never reported.)
. "$TYST_SRCDIR/tests/cli/lib.sh"

printf 'Jag heter Anna.\nHon bor i Hudiksvall.\n' >"$T/a.txt"
cat >"$T/b.vtt" <<'EOF2'
WEBVTT

00:00:01.000 --> 00:00:02.000
Jag träffade Erik Johansson.

00:00:03.000 --> 00:00:04.000
Sen kom Maria Svensson.
EOF2
sha=$(sha256sum "$T/a.txt" | cut -d' ' -f1)
printf 'include: [default]\noccurrences:\n  - { file: %s, start: 10, end: 14, word: Anna, decision: keep }\n' \
    "$sha" >"$T/r.yaml"

run tyst-scan -r "$T/r.yaml" "$T/a.txt" "$T/b.vtt"
expect_rc 1 "two inputs scanned"
expect_no_out 'a\.txt:1:.*Anna' "the occurrence kept in a.txt is not reported"
expect_out 'a\.txt:2:11: PLACE "Hudiksvall"' "a.txt's other finding is"
expect_out 'b\.vtt:4:14: PERSON "Erik Johansson"' "b.vtt's first cue"
expect_out 'b\.vtt:7:9: PERSON "Maria Svensson"' "b.vtt's last line is reported too"

run tyst-scan -r "$T/r.yaml" "$T/b.vtt" "$T/a.txt" "$T/b.vtt"
expect_rc 1 "three inputs scanned"
check '[ "$(grep -c "Maria Svensson" "$T/out")" = 2 ]' \
    "the subtitle file's last line, before and after the text file"
expect_no_out 'Anna' "the decision still applies to a.txt between them"
