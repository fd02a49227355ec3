# Checks for the end-to-end scripts in tests/cli/.  Source it, then:
#
#   run tyst-pnr -c FILE     runs a tool (under $TYST_WRAP, e.g. valgrind);
#                            sets $rc, and $T/out, $T/err hold its output
#   expect_rc 1 "what"       checks the exit status of the last run
#   expect_out 'regex' "what"    grep -E over stdout
#   expect_err 'regex' "what"    grep -E over stderr
#   expect_no_out 'regex' "what"
#   ok "what" / not_ok "what" for anything else
#
# Each check prints "ok - what" or "not ok - what", which tests/cli/run.sh
# counts.  A sanitizer report on stderr always fails the run's next check.

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; }
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }

run() {
	tool=$1
	shift
	$TYST_WRAP "$TYST_BIN/$tool" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	sanitizer_check
}

# Like run, with standard input from a file.
run_in() {
	input=$1
	tool=$2
	shift 2
	$TYST_WRAP "$TYST_BIN/$tool" "$@" <"$input" >"$T/out" 2>"$T/err"
	rc=$?
	sanitizer_check
}

sanitizer_check() {
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|Invalid read|Invalid write|definitely lost in' "$T/err"; then
		not_ok "no sanitizer or valgrind report from $tool"
		sed 's/^/    /' "$T/err" | head -30
	fi
}

expect_rc() {
	if [ "$rc" -eq "$1" ]; then ok "$2 (exit $1)"; else
		not_ok "$2: exit $rc, expected $1"
		sed 's/^/    stderr: /' "$T/err" | head -5
	fi
}

expect_out() {
	if grep -qE -- "$1" "$T/out"; then ok "$2"; else
		not_ok "$2: stdout lacks /$1/"
		sed 's/^/    stdout: /' "$T/out" | head -10
	fi
}

expect_no_out() {
	if grep -qE -- "$1" "$T/out"; then
		not_ok "$2: stdout has /$1/"
		grep -E -- "$1" "$T/out" | sed 's/^/    stdout: /' | head -5
	else ok "$2"; fi
}

expect_err() {
	if grep -qE -- "$1" "$T/err"; then ok "$2"; else
		not_ok "$2: stderr lacks /$1/"
		sed 's/^/    stderr: /' "$T/err" | head -10
	fi
}

expect_lines() {
	n=$(wc -l <"$T/out" | tr -d ' ')
	if [ "$n" -eq "$1" ]; then ok "$2 ($1 lines)"; else
		not_ok "$2: $n lines of output, expected $1"
	fi
}
