#!/bin/sh
# need.sh WHAT:PACKAGE ...
# Makes sure each WHAT is present, installing the Debian PACKAGE that brings
# it when it is not: as root directly, otherwise through a password-less sudo.
# When neither is possible it stops with the exact command to run.
# WHAT is a program name, an absolute path, or pc:MODULE for pkg-config.
set -eu

missing=""
for pair in "$@"; do
	what=${pair%:*}
	pkg=${pair##*:}
	case $what in
	pc:*)
		if command -v pkg-config >/dev/null 2>&1 &&
		    pkg-config --exists "${what#pc:}"; then continue; fi ;;
	/*)
		[ -e "$what" ] && continue ;;
	*)
		command -v "$what" >/dev/null 2>&1 && continue ;;
	esac
	case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done
[ -z "$missing" ] && exit 0

echo "tyst: missing packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "tyst: please run:  sudo apt-get install -y$missing" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "tyst: no apt-get on this machine; install the equivalents of:$missing" >&2
	exit 1
fi
echo "tyst: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2 || true
# shellcheck disable=SC2086
if ! $sudo apt-get install -y -qq $missing >&2; then
	echo "tyst: apt-get failed; please run:  sudo apt-get install -y$missing" >&2
	exit 1
fi
