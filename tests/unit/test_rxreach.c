/*
 * Unit tests of lib/detect/rxsum.c (how far before its first digit or needed
 * byte a regex match can start) and of the windowed search it allows in
 * lib/detect/detect.c: the findings must be those of a whole-line search.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/detect.h"
#include "tyst/rules.h"
#include "tyst/rxreach.h"

#define D TYST_ANCHOR_DIGIT

static void
test_reach(void **state)
{
	(void)state;
	assert_int_equal(tyst_rx_reach("[0-9]{3}", D), 0);
	assert_int_equal(tyst_rx_reach("abc[0-9]", D), 3);
	/* Blanks cost nothing, however many. */
	assert_int_equal(tyst_rx_reach("\\h+abc\\h*[ \\x{A0}]+[0-9]", D), 3);
	assert_int_equal(tyst_rx_reach("(?:(?i:norra|s:t)\\h+)?"
	    "[\\p{L}\\-]{0,40}(?:gatan|väg)\\h+[1-9]", D), 5 + 40 + 5);
	assert_int_equal(tyst_rx_reach("0?[1-9]", D), 1);
	assert_int_equal(tyst_rx_reach("(?<![\\p{L}\\p{N}])(?!x)[0-9]", D), 0);
	assert_int_equal(tyst_rx_reach("(?<id>ab|abcd)[0-9]", D), 4);
	/* Unbounded before the digit, or a match without one: no bound. */
	assert_int_equal(tyst_rx_reach("[a-z]*[0-9]", D), -1);
	assert_int_equal(tyst_rx_reach("[a-z]+", D), -1);
	assert_int_equal(tyst_rx_reach("x|[0-9]", D), -1);
	assert_int_equal(tyst_rx_reach("(?=[0-9])a", D), -1);
	assert_int_equal(tyst_rx_reach("\\d", D), -1);
	/* Syntax the reading does not follow. */
	assert_int_equal(tyst_rx_reach("(a)\\1[0-9]", D), -1);
	assert_int_equal(tyst_rx_reach("(?x)a [0-9]", D), -1);
	assert_int_equal(tyst_rx_reach("\\Qa\\E[0-9]", D), -1);
	assert_int_equal(tyst_rx_reach("a{,3}[0-9]", D), -1);
	assert_int_equal(tyst_rx_reach("(?(1)a|b)[0-9]", D), -1);
	assert_int_equal(tyst_rx_reach("a\\K[0-9]", D), -1);
	assert_int_equal(tyst_rx_reach("[0-9", D), -1);
	/* Byte anchors; letters, digits and blanks cannot be one. */
	assert_int_equal(tyst_rx_reach("[a-z]{1,5}@x", '@'), 5);
	assert_int_equal(tyst_rx_reach("[a-z]{1,5}\\@x", '@'), 5);
	assert_int_equal(tyst_rx_reach("abc", 'a'), -1);
	assert_int_equal(tyst_rx_reach("1", '1'), -1);
	assert_int_equal(tyst_rx_reach(" ", ' '), -1);
}

static void
test_bounds(void **state)
{
	struct tyst_rx_bounds b;

	(void)state;
	assert_int_equal(tyst_rx_bounds("[0-9a-f]{1,4}:[0-9a-f]{1,4}:"
	    "(?:[0-9a-f]{1,4}:)?", ':', &b), 0);
	assert_int_equal(b.reach, 4);
	assert_int_equal(b.len, 4 + 1 + 4 + 1 + 5);
	assert_int_equal(b.anchors, 2);
	assert_int_equal(tyst_rx_bounds("[0-9]{4}-[0-9]{2}|[0-9]{3}", D, &b), 0);
	assert_int_equal(b.anchors, 3);
	assert_int_equal(b.len, 7);
	assert_int_equal(tyst_rx_bounds("a\\h+[0-9][^ ]*", D, &b), 0);
	assert_int_equal(b.reach, 1);
	assert_int_equal(b.len, -1);
	assert_int_equal(tyst_rx_bounds("[a-z]+", D, &b), -1);
	assert_int_equal(b.reach, -1);
}

/* solid_after: whether every anchor in a match is followed, inside it, by
 * a character that is not blank. */
static int
solid(const char *re, int anchor)
{
	struct tyst_rx_bounds b;

	assert_int_equal(tyst_rx_bounds(re, anchor, &b), 0);
	return b.solid_after;
}

static void
test_solid(void **state)
{
	(void)state;
	assert_true(solid("[a-z]{1,8}\\.[a-z]{2,}", '.'));
	assert_true(solid("[a-z]{1,8}\\.[\\p{L}\\p{N}]+", '.'));
	assert_true(solid("[a-z]{1,8}\\.\\p{Lu}", '.'));
	assert_true(solid("(?:[a-z]\\.)+[a-z]", '.'));
	assert_true(solid("a\\.(?=b)\\w", '.'));
	assert_true(solid("a@(?:b|cd)(?:\\.[a-z]+)*", '@'));
	/* The anchor may end the match. */
	assert_false(solid("[a-z]{1,8}\\.(?:[a-z]+)?", '.'));
	assert_false(solid("(?:[a-z]\\.){1,3}", '.'));
	assert_false(solid("a\\.(?=b)", '.'));
	assert_false(solid("[0-9]{1,3}\\.[0-9]+", D));
	/* Or stand before what might be blank. */
	assert_false(solid("[a-z]{1,8}\\.\\h?[a-z]+", '.'));
	assert_false(solid("[a-z]{1,8}\\.[^x]", '.'));
	assert_false(solid("[a-z]{1,8}\\.\\S", '.'));     /* U+180E is \\h */
	assert_false(solid("[a-z]{1,8}\\..", '.'));
	assert_false(solid("a\\.\\p{Mongolian}", '.'));
	assert_false(solid("a\\.[\\x{2000}-\\x{2010}]", '.'));
	/* An anchor inside the match may be followed by another one. */
	assert_true(solid("a\\.\\.b", '.'));
	assert_false(solid("a\\.[.\\x{A0}]b", '.'));
}

static void
test_blank(void **state)
{
	(void)state;
	assert_true(tyst_cp_hv(' '));
	assert_true(tyst_cp_hv('\t'));
	assert_true(tyst_cp_hv(0xa0));
	assert_true(tyst_cp_hv(0x2003));
	assert_true(tyst_cp_hv(0x202f));
	assert_false(tyst_cp_hv('a'));
	assert_false(tyst_cp_hv(0x2010));
	assert_false(tyst_cp_hv(0x200b));
}

struct found {
	char text[64][32];
	size_t n;
};

static int
collect(const struct tyst_finding *f, void *ctx)
{
	struct found *g = ctx;

	if (g->n < 64)
		snprintf(g->text[g->n++], sizeof(g->text[0]), "%.*s",
		    (int)(f->end - f->start), f->text);
	return 0;
}

static void
scan(const struct tyst_rules *r, const char *text, struct found *g)
{
	struct tyst_err err;

	memset(g, 0, sizeof(*g));
	assert_int_equal(tyst_detect_buffer(r, "t", text, strlen(text),
	    collect, g, &err), 0);
}

/* A match that starts as far before its digit as the regex allows, after
 * many blanks, or from the second of two colons, is found as a whole-line
 * search would find it. */
static void
test_windows(void **state)
{
	struct tyst_rules *r = NULL;
	struct tyst_err err;
	struct found g;
	char path[1024];
	const char *src = getenv("TYST_SRCDIR");

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/detect/window.yaml",
	    src ? src : ".");
	if (tyst_rules_load(&r, path, &err) < 0)
		fail_msg("%s: %s", err.file, err.msg);
	assert_int_equal(r->pats[0].reach, 6);
	assert_int_equal(r->pats[1].anchors, 2);
	scan(r, "xx abcdef \t \xc2\xa0  \xe2\x80\x83 42 yy\n", &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "abcdef \t \xc2\xa0  \xe2\x80\x83 42");
	/* Seven letters: none can start six before the digits. */
	scan(r, "abcdefg 42\n", &g);
	assert_int_equal(g.n, 0);
	scan(r, "one 1 two 22 three 333 fo 44, ab:c ab:cd:e x:y:z\n", &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.text[0], "two 22");
	assert_string_equal(g.text[1], "fo 44");
	assert_string_equal(g.text[2], "ab:cd:e");
	assert_string_equal(g.text[3], "x:y:z");
	/* A dot before a blank is in no match of dotted; the search still
	 * finds what follows it. */
	assert_int_equal(r->pats[2].solid_after, 1);
	scan(r, "Slut. Sen b.cd. Och e.fg\n", &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "b.cd");
	assert_string_equal(g.text[1], "e.fg");
	tyst_rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_solid),
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
