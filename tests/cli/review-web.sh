# tyst-review in a real browser: headless Chromium driven by Selenium
# (tests/browser/review.py) decides by keyboard and by click, marks a
# missed word, links two spellings and reloads; refused requests are
# checked there too.  Then the review file and the pseudonymised output.
# Every step is bounded in time; a missing browser is a failure, not a skip.
. "$TYST_SRCDIR/tests/cli/lib.sh"

mkdir -p "$T/t" "$T/s" "$T/home"
printf 'I: Jag frågar om Volvo till jobbet.\nR: Jag jobbar på Volvo sedan i fjol, med Tindra.\n' >"$T/t/int01.txt"
printf 'I: Hej Johnatan, berätta om Jonatan.\nIP: Jonatan bor i Lund med tuss.\n' >"$T/t/int02.txt"
R=$T/s/review.yaml

run tyst-review --help
expect_rc 0 "--help"
expect_out '^usage: tyst-review' "--help prints the usage"
run tyst-review -r "$R"
expect_rc 2 "no transcripts: an error"

check '[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && /usr/bin/python3 -c "import selenium"' \
    "chromium, chromedriver and python3-selenium are installed (scripts/configure.sh)"

# The server runs at most 170 s, the browser test at most 150 s.
(cd "$T" && HOME=$T/home exec timeout 170 "$TYST_BIN/tyst-review" --no-open \
    -r s/review.yaml t/int01.txt t/int02.txt >"$T/url" 2>"$T/server.err") &
server=$!
i=0
while [ ! -s "$T/url" ] && [ $i -lt 100 ] && kill -0 $server 2>/dev/null; do
	sleep 0.2
	i=$((i + 1))
done
url=$(head -1 "$T/url")
check 'printf "%s\n" "$url" | grep -qE "^http://127\.0\.0\.1:[0-9]+/\?token=[0-9a-f]{64}$"' "prints a 127.0.0.1 link with a token"
check '[ "$(stat -c %a "$R")" = 600 ]' "the review file is created 0600"
port=$(printf '%s' "$url" | sed 's#^http://127.0.0.1:\([0-9]*\)/.*#\1#')
# /proc/net/tcp: local address 0100007F (127.0.0.1) and the port in hex,
# state 0A (listening); nothing on 00000000 or in tcp6.
hport=$(printf '%04X' "$port")
check 'grep -q " 0100007F:$hport 00000000:0000 0A " /proc/net/tcp && ! grep -q " 00000000:$hport " /proc/net/tcp && ! grep -q ":$hport 00000000000000000000000000000000:0000 0A" /proc/net/tcp6 2>/dev/null' "listens on 127.0.0.1 only"

HOME=$T/home timeout 150 /usr/bin/python3 "$TYST_SRCDIR/tests/browser/review.py" \
    "$url" ${TYST_SCREENSHOT:+--screenshot "$TYST_SCREENSHOT"} >"$T/browser.out" 2>"$T/browser.err"
brc=$?
cat "$T/browser.out"
if [ $brc -ne 0 ]; then
	not_ok "the browser test passed (exit $brc)"
	sed 's/^/    /' "$T/browser.err" | tail -15
fi

kill -INT $server 2>/dev/null
wait $server
src=$?
check '[ $src -eq 0 ]' "tyst-review stops cleanly on Ctrl-C"
check 'grep -q "3 of 5 undecided" "$T/server.err"' "and says what is left"
if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/server.err"; then
	not_ok "no sanitizer report from tyst-review"
	head -30 "$T/server.err"
fi

# The review file holds the decisions the page made.
check 'grep -A1 "word: \"Tindra\"" "$R" | grep -q PERSON && grep -A2 "word: \"Tindra\"" "$R" | grep -q "decision: pseudonymise"' "Tindra pseudonymised in the file"
check 'grep -A2 "word: \"Lund\"" "$R" | grep -q "decision: keep"' "Lund kept in the file"
check 'grep -q "start: 18" "$R" && grep -q "start: 55" "$R"' "the two Volvo occurrences in the file"
check 'grep -q "{ word: \"tuss\", category: \"PERSON\" }" "$R"' "the marked word in the file"
check 'grep -q "\[\"Jonatan\", \"Johnatan\"\]" "$R"' "the link in the file"
check 'grep -q "\"Jonatan\": \"Emil\"" "$R"' "the chosen pseudonym in the file"
check '[ "$(stat -c %a "$R")" = 600 ]' "still 0600"

# tyst-scan --review and tyst-review take turns on the file.
run tyst-scan -r "$R" --review "$R" "$T/t/int01.txt" "$T/t/int02.txt"
check 'grep -q "{ word: \"tuss\"" "$R" && grep -q "start: 55" "$R"' "tyst-scan --review keeps what the page decided"

# The pseudonymised output follows the decisions.
run tyst-pseudo -r "$R" -k "$T/s/key.db" --undecided=keep "$T/t/int01.txt"
expect_rc 0 "tyst-pseudo with the decisions"
expect_out '^I: Jag frågar om Volvo till jobbet\.$' "Volvo the car kept"
expect_no_out 'på Volvo|Tindra' "Volvo the employer and Tindra replaced"
run tyst-pseudo -r "$R" -k "$T/s/key.db" --undecided=keep "$T/t/int02.txt"
expect_no_out 'tuss' "the marked word replaced"
expect_out 'bor i Lund med' "Lund kept"
