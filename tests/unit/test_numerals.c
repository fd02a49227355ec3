/*
 * Unit tests of lib/detect/numerals.c: number words read into digits, with the
 * bytes of each group, and what does not make a run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tyst/numerals.h"

/* The digits of the first run in s, or NULL when there is none. */
static const char *
first_run(const char *s, struct tyst_num_run *r)
{
	if (!tyst_num_next(s, strlen(s), 0, r))
		return NULL;
	return r->digits;
}

static void
test_words(void **state)
{
	static const struct {
		const char *text, *digits;
	} cases[] = {
		{ "åttiofem noll tre tolv, nittioåtta sjuttionio", "8503129879" },
		{ "nittonhundrasextiosju elva noll fyra, nittioåtta åttionio",
		    "196711049889" },
		{ "nittiotvå noll fyra tjugotre, tjugoett åttiosex",
		    "9204232186" },
		{ "åtta fem noll tre ett två nio åtta sju nio", "8503129879" },
		{ "tjugotjugotvå", "2022" },
		{ "tvåtusentjugotre", "2023" },
		{ "nitton hundra åttiofem", "1985" },
		{ "nittio åtta", "98" },
		{ "Åttiofem", "85" },
		{ "tretti fyrti", "3040" },
		{ "sexhundra", "600" },
		{ "tolv och tretton", "1213" },
		{ "85 noll tre tolv 98 79", "8503129879" },
		{ "noll sju tre, sex fyra sju, tjugotvå nittioett", "0736472291" },
		{ "noll-sju-noll", "070" },
		{ "tolv ... tretton \xe2\x80\xa6 fjorton", "121314" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tyst_num_run r;
		const char *d = first_run(cases[i].text, &r);

		if (d == NULL || strcmp(d, cases[i].digits) != 0)
			fail_msg("'%s': got %s, expected %s", cases[i].text,
			    d ? d : "nothing", cases[i].digits);
	}
}

static void
test_spans(void **state)
{
	const char *s = "född åttiofem noll tre tjugotjugotvå.";
	struct tyst_num_run r;

	(void)state;
	assert_non_null(first_run(s, &r));
	assert_string_equal(r.digits, "85032022");
	assert_int_equal(r.ngroups, 5);
	assert_int_equal(r.start, 6);
	assert_int_equal(r.end, strlen(s) - 1);
	/* åttiofem: bytes 6..15 ("å" is two) */
	assert_int_equal(r.g[0].start, 6);
	assert_int_equal(r.g[0].end, 15);
	/* tjugo and tjugotvå are two groups inside one word */
	assert_int_equal(r.g[3].end - r.g[3].start, 5);
	assert_int_equal(r.g[4].start, r.g[3].end);
	assert_int_equal(r.g[4].ndig, 2);
	assert_int_equal(r.nwords, 5);
}

static void
test_breaks_and_ends(void **state)
{
	struct tyst_num_run r;

	(void)state;
	/* A comma and "och" break groups but not the run. */
	assert_non_null(first_run("tolv, tretton och fjorton", &r));
	assert_int_equal(r.ngroups, 3);
	assert_true(r.g[1].brk && r.g[2].brk);
	/* "och" not followed by a number is not part of it. */
	assert_non_null(first_run("tjugotvå och sen", &r));
	assert_int_equal(r.end, strlen("tjugotvå"));
	/* A sentence's full stop ends it. */
	assert_non_null(first_run("fem. sex", &r));
	assert_string_equal(r.digits, "5");
	/* Articles do not open a run; they may continue one. */
	assert_null(first_run("en bil och ett hus", &r));
	assert_non_null(first_run("noll ett", &r));
	assert_string_equal(r.digits, "01");
	/* Words that only begin like numbers. */
	assert_null(first_run("tretal sexig femma nollan tiotals", &r));
	assert_null(first_run("tre" "\xc3\xa4" "d", &r));
	/* Digits alone are no run of words. */
	assert_null(first_run("ring 070 123 45 67", &r));
	/* Inside a word, no. */
	assert_null(first_run("Bertil", &r));
}

static void
test_parse(void **state)
{
	struct tyst_num_run r;
	const char *s = "  tolv tretton ";

	(void)state;
	assert_int_equal(tyst_num_parse(s, strlen(s), &r), 1);
	assert_string_equal(r.digits, "1213");
	assert_int_equal(tyst_num_parse("tolv katter", 11, &r), 0);
	assert_int_equal(tyst_num_parse("ett två", 8, &r), 1);
	assert_int_equal(tyst_num_parse("", 0, &r), 0);
}

static void
test_limits(void **state)
{
	char buf[4096];
	struct tyst_num_run r;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "tolv ");
	assert_non_null(first_run(buf, &r));
	assert_true(r.ndigits <= TYST_NUM_MAXDIGITS);
	assert_true(r.ngroups <= TYST_NUM_MAXGROUPS);
	assert_true(r.end < n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_breaks_and_ends),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("numerals", tests, NULL, NULL);
}
