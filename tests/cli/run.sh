#!/bin/sh
# Runs end-to-end test scripts against the built tools and prints one
# summary line "cli: N passed, N failed".
#
# Each script sources tests/cli/lib.sh and uses its checks; it is run with
# TYST_BIN (the directory of the tools under test), TYST_SRCDIR (the source
# tree) and T (a fresh temporary directory) in the environment.
: "${TYST_BIN:?TYST_BIN must name the directory of the tools}"
: "${TYST_SRCDIR:=$(pwd)}"
export TYST_BIN TYST_SRCDIR
# A fixed today pins the century of short personnummer forms in tests.
export TYST_TODAY=2026-11-25
export NO_COLOR=1
export LC_ALL=C.UTF-8

pass=0
fail=0
for script in "$@"; do
	case $(basename "$script") in run.sh|lib.sh) continue ;; esac
	T=$(mktemp -d "${TMPDIR:-/tmp}/tyst-cli.XXXXXX")
	export T
	out=$(sh "$script" 2>&1)
	status=$?
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ $status -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		out="$out
not ok - $script exited $status"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		printf '%s\n' "== $script" "$out" | grep -v '^ok '
	else
		printf '%s: %d ok\n' "$script" "$p"
	fi
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
