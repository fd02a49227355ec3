# tyst — Makefile
#
# Everything is found by name, so adding a module or a tool needs no edit here:
#   lib/*/*.c          -> libtyst.a (base, formats, detect, pseudo, coding, refi)
#   tools/tyst-*.c     -> bin/tyst-*
#   tools/code/*.c     -> the subcommands of bin/tyst-code
#   tests/unit/test_*.c -> one cmocka runner each
#   tests/cli/*.sh     -> end-to-end scripts, run against the built tools
#   tests/fuzz/fuzz_*.c -> libFuzzer harnesses
#
# Two builds live side by side: the release build (build/rel, bin/) and the
# sanitizer build that `make check` uses (build/san, with ASan and UBSan).

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
LIBDIR    = $(PREFIX)/lib
INCDIR    = $(PREFIX)/include
MANDIR    = $(PREFIX)/share/man
DATADIR   = $(PREFIX)/share/tyst

CC       ?= cc
FUZZCC   ?= clang
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
STD       = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
DEFS      = -DTYST_VERSION='"$(VERSION)"' -DTYST_DATADIR='"$(DATADIR)"'
OPT      ?= -O2 -g
SANFLAGS  = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

# Regenerated (and the needed Debian packages installed) when missing.
-include build/config.mk

BASE_CFLAGS = $(STD) $(WARN) $(DEFS) -pthread -Iinclude $(DEP_CFLAGS)

LIB_SRC   = $(sort $(wildcard lib/*.c lib/*/*.c))
TOOL_SRC  = $(sort $(wildcard tools/tyst-*.c))
# tyst-code is one file per subcommand, linked into one program.
CODE_SRC  = $(sort $(wildcard tools/code/*.c))
UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC  = $(sort $(wildcard tests/fuzz/fuzz_*.c))
CLI_TESTS = $(sort $(wildcard tests/cli/*.sh))
HEADERS   = $(wildcard include/tyst/*.h)

TOOLS     = $(patsubst tools/%.c,bin/%,$(TOOL_SRC))
REL_OBJ   = $(patsubst lib/%.c,build/rel/lib/%.o,$(LIB_SRC))
SAN_OBJ   = $(patsubst lib/%.c,build/san/lib/%.o,$(LIB_SRC))
SAN_TOOLS = $(patsubst tools/%.c,build/san/bin/%,$(TOOL_SRC))
SAN_UNITS = $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRC))
REL_UNITS = $(patsubst tests/unit/%.c,build/rel/tests/%,$(UNIT_SRC))
FUZZ_BINS = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))

.PHONY: all check unit cli demo install uninstall bench fuzz valgrind clean lint screenshot
.DELETE_ON_ERROR:

all: $(TOOLS) build/rel/libtyst.a build/tyst.pc

build/config.mk: scripts/configure.sh
	@sh scripts/configure.sh $@

# ---- release build --------------------------------------------------------

build/rel/lib/%.o: lib/%.c $(HEADERS) build/config.mk
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) -c -o $@ $<

build/rel/libtyst.a: $(REL_OBJ)
	@rm -f $@
	ar rcs $@ $^

bin/%: tools/%.c build/rel/libtyst.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) -o $@ $< build/rel/libtyst.a $(DEP_LIBS) -lm $(LDFLAGS)

bin/tyst-code: tools/tyst-code.c $(CODE_SRC) tools/code/code.h build/rel/libtyst.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) -o $@ tools/tyst-code.c $(CODE_SRC) build/rel/libtyst.a $(DEP_LIBS) -lm $(LDFLAGS)

# tyst-review alone links libmicrohttpd: the library stays free of it.
bin/tyst-review: tools/tyst-review.c build/rel/libtyst.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(MHD_CFLAGS) $(OPT) $(CFLAGS) -o $@ $< build/rel/libtyst.a $(DEP_LIBS) $(MHD_LIBS) -lm $(LDFLAGS)

build/rel/tests/%: tests/unit/%.c build/rel/libtyst.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CMOCKA_CFLAGS) $(OPT) -o $@ $< build/rel/libtyst.a $(DEP_LIBS) $(CMOCKA_LIBS) -lm

# ---- sanitizer build (make check) -------------------------------------------

build/san/lib/%.o: lib/%.c $(HEADERS) build/config.mk
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SANFLAGS) -c -o $@ $<

build/san/libtyst.a: $(SAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/san/bin/%: tools/%.c build/san/libtyst.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SANFLAGS) -o $@ $< build/san/libtyst.a $(DEP_LIBS) -lm

build/san/bin/tyst-code: tools/tyst-code.c $(CODE_SRC) tools/code/code.h build/san/libtyst.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SANFLAGS) -o $@ tools/tyst-code.c $(CODE_SRC) build/san/libtyst.a $(DEP_LIBS) -lm

build/san/bin/tyst-review: tools/tyst-review.c build/san/libtyst.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(MHD_CFLAGS) $(SANFLAGS) -o $@ $< build/san/libtyst.a $(DEP_LIBS) $(MHD_LIBS) -lm

build/san/tests/%: tests/unit/%.c build/san/libtyst.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CMOCKA_CFLAGS) $(SANFLAGS) -o $@ $< build/san/libtyst.a $(DEP_LIBS) $(CMOCKA_LIBS) -lm

# ASan's leak checker needs ptrace, which some sandboxes forbid; UBSan
# findings always abort (see -fno-sanitize-recover above).
SAN_ENV = ASAN_OPTIONS=abort_on_error=0:detect_leaks=1:strict_string_checks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

check: all $(SAN_UNITS) $(SAN_TOOLS)
	@$(MAKE) --no-print-directory unit UNITS="$(SAN_UNITS)"
	@$(MAKE) --no-print-directory cli TYST_BIN=$(CURDIR)/build/san/bin

unit:
	@fail=0; pass=0; \
	for t in $(UNITS); do \
		if $(SAN_ENV) TYST_SRCDIR=$(CURDIR) $$t; then pass=$$((pass+1)); \
		else fail=$$((fail+1)); echo "FAILED: $$t"; fi; \
	done; \
	echo "unit: $$pass passed, $$fail failed"; \
	test $$fail = 0

cli:
	@$(SAN_ENV) TYST_BIN=$(TYST_BIN) TYST_SRCDIR=$(CURDIR) sh tests/cli/run.sh $(CLI_TESTS)

# ---- everything else ------------------------------------------------------

demo: all
	@sh scripts/demo.sh

build/tyst.pc: Makefile build/config.mk
	@mkdir -p $(@D)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: tyst' 'Description: pseudonymisation and coding of Swedish interview transcripts' \
	  'Version: $(VERSION)' 'Requires.private: $(DEP_MODS)' \
	  'Libs: -L$${libdir} -ltyst' 'Libs.private: -lm' 'Cflags: -I$${includedir}' >$@

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/tyst \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	install -m 644 build/rel/libtyst.a $(DESTDIR)$(LIBDIR)/
	install -m 644 build/tyst.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 $(HEADERS) $(DESTDIR)$(INCDIR)/tyst/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1/
	if ls man/*.5 >/dev/null 2>&1; then install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/; fi
	cp -R rules $(DESTDIR)$(DATADIR)/
	if [ -d codebooks ]; then cp -R codebooks $(DESTDIR)$(DATADIR)/; fi

uninstall:
	rm -f $(patsubst bin/%,$(DESTDIR)$(BINDIR)/%,$(TOOLS)) $(DESTDIR)$(LIBDIR)/libtyst.a \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/tyst.pc
	rm -rf $(DESTDIR)$(INCDIR)/tyst $(DESTDIR)$(DATADIR)

bench: all
	@for b in bench/*.sh; do echo "== $$b"; sh $$b || exit 1; done

# libFuzzer harnesses, built with clang against the library sources, each run
# for a bounded time (FUZZ_TIME seconds) from its seed corpus.
FUZZ_TIME ?= 20
FUZZ_FLAGS = $(STD) $(DEFS) -pthread -Iinclude $(DEP_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(HEADERS) build/config.mk
	@sh scripts/need.sh clang:clang /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev
	@mkdir -p $(@D)
	$(FUZZCC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(DEP_LIBS) -lm

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); mkdir -p build/fuzz/corpus-$$n; \
		echo "== $$n ($(FUZZ_TIME)s)"; \
		TYST_SRCDIR=$(CURDIR) $$f -max_total_time=$(FUZZ_TIME) -max_len=65536 -print_final_stats=1 \
		  build/fuzz/corpus-$$n tests/fuzz/corpus/$$n 2>build/fuzz/$$n.log \
		  || { tail -40 build/fuzz/$$n.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units' build/fuzz/$$n.log; \
	done

# The unit tests and the CLI tests of the release build, under valgrind.
# tests/valgrind.supp: PCRE2's JIT reads past subjects on purpose.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--suppressions=$(CURDIR)/tests/valgrind.supp
valgrind: all $(REL_UNITS)
	@sh scripts/need.sh valgrind:valgrind
	@fail=0; for t in $(REL_UNITS); do \
		TYST_SRCDIR=$(CURDIR) $(VALGRIND) $$t || { fail=1; echo "FAILED: $$t"; }; done; test $$fail = 0
	@TYST_BIN=$(CURDIR)/bin TYST_SRCDIR=$(CURDIR) TYST_WRAP="$(VALGRIND)" TYST_SLOW=1 sh tests/cli/run.sh $(CLI_TESTS)

# The README's picture of tyst-review, taken by the browser test (not part
# of make check).
screenshot: all
	@mkdir -p doc
	@TYST_BIN=$(CURDIR)/bin TYST_SRCDIR=$(CURDIR) TYST_SCREENSHOT=$(CURDIR)/doc/tyst-review.png \
	  sh tests/cli/run.sh tests/cli/review-web.sh
	@ls -l doc/tyst-review.png

lint: build/config.mk
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 -Iinclude lib tools

clean:
	rm -rf build bin
