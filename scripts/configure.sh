#!/bin/sh
# Writes build/config.mk for the Makefile: the compiler and linker flags of
# every library tyst needs, as pkg-config reports them.  Missing Debian
# packages are installed first (scripts/need.sh), or the exact apt-get
# command is printed.  The Makefile includes build/config.mk, so this runs
# once per clean tree.
set -eu

out=${1:-build/config.mk}
here=$(dirname "$0")

# libzip: REFI-QDA project files are zip archives; libxml2 reads the
# REFI-QDA XML that other programs write.  wswedish and hunspell-sv:
# the Swedish lexicon the detector uses to tell a common word from a name at
# the start of a sentence.  xmllint, sqlite3, unzip: used by the tests.
# pcre2grep: scripts/check-patterns.sh proves rules/sv/patterns.yaml.
# libmicrohttpd: tyst-review's local web server (only tyst-review links
# it).  chromium, chromedriver, python3-selenium: the test that drives the
# review page in a real browser.
sh "$here/need.sh" \
	cc:gcc make:make pkg-config:pkg-config \
	pc:libpcre2-8:libpcre2-dev pc:sqlite3:libsqlite3-dev pc:yaml-0.1:libyaml-dev \
	pc:cmocka:libcmocka-dev pc:libzip:libzip-dev pc:libxml-2.0:libxml2-dev \
	/usr/share/dict/swedish:wswedish /usr/share/hunspell/sv_SE.dic:hunspell-sv \
	xmllint:libxml2-utils sqlite3:sqlite3 unzip:unzip zip:zip perl:perl \
	pcre2grep:pcre2-utils pc:libmicrohttpd:libmicrohttpd-dev \
	chromium:chromium chromedriver:chromium-driver \
	/usr/lib/python3/dist-packages/selenium:python3-selenium curl:curl

# libxlsxwriter: tyst-excerpt -f xlsx.  Optional: without it everything
# else builds, and -f xlsx says that this build lacks it.
sh "$here/need.sh" pc:xlsxwriter:libxlsxwriter-dev ||
	echo "tyst: building without -f xlsx (no libxlsxwriter)" >&2

mods="libpcre2-8 sqlite3 yaml-0.1 libzip libxml-2.0"
xlsx=""
if pkg-config --exists xlsxwriter 2>/dev/null; then
	mods="$mods xlsxwriter"
	xlsx="-DTYST_HAVE_XLSX"
fi
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
{
	echo "# written by scripts/configure.sh; delete to regenerate"
	echo "DEP_MODS := $mods"
	echo "DEP_CFLAGS := $xlsx $(pkg-config --cflags $mods)"
	echo "DEP_LIBS := $(pkg-config --libs $mods)"
	echo "CMOCKA_CFLAGS := $(pkg-config --cflags cmocka)"
	echo "CMOCKA_LIBS := $(pkg-config --libs cmocka)"
	echo "MHD_CFLAGS := $(pkg-config --cflags libmicrohttpd)"
	echo "MHD_LIBS := $(pkg-config --libs libmicrohttpd)"
} >"$tmp"
mv "$tmp" "$out"
