/* Unit tests of lib/coding/markup.c: inline coding markup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tyst/markup.h"

static int
parse(struct tyst_markup *m, const char *s, struct tyst_err *err)
{
	return tyst_markup_parse(m, "t.txt", s, strlen(s), err);
}

static const struct tyst_mark *
mark(const struct tyst_markup *m, const char *code, size_t nth)
{
	for (size_t i = 0; i < m->nmarks; i++)
		if (strcmp(m->marks[i].code, code) == 0 && nth-- == 0)
			return &m->marks[i];
	return NULL;
}

static void
test_simple(void **state)
{
	struct tyst_markup m;
	struct tyst_err err;
	const struct tyst_mark *k;

	(void)state;
	assert_int_equal(parse(&m, "IP: {arbete-forst}Jag ville jobba"
	    "{/arbete-forst}, asså.\n", &err), 0);
	assert_string_equal(m.text, "IP: Jag ville jobba, asså.\n");
	assert_int_equal(m.nmarks, 1);
	k = mark(&m, "arbete-forst", 0);
	assert_non_null(k);
	assert_int_equal(k->start, 4);
	assert_int_equal(k->end, 19);
	assert_int_equal(k->line, 1);
	assert_int_equal(k->col, 5);
	tyst_markup_free(&m);
}

static void
test_overlap_and_nesting(void **state)
{
	struct tyst_markup m;
	struct tyst_err err;
	const struct tyst_mark *a, *b, *a2;

	(void)state;
	/* a overlaps b; a nests inside another a. */
	assert_int_equal(parse(&m, "x{a}one {b}two{/a} three{/b}"
	    " {a}four {a}five{/a}{/a}", &err), 0);
	assert_string_equal(m.text, "xone two three four five");
	assert_int_equal(m.nmarks, 4);
	a = mark(&m, "a", 0);
	b = mark(&m, "b", 0);
	assert_int_equal(a->start, 1);
	assert_int_equal(a->end, 8);
	assert_int_equal(b->start, 5);
	assert_int_equal(b->end, 14);
	/* The inner {a} closes first. */
	a2 = mark(&m, "a", 1);
	assert_memory_equal(m.text + a2->start, "five", 4);
	assert_int_equal(a2->end - a2->start, 4);
	a2 = mark(&m, "a", 2);
	assert_memory_equal(m.text + a2->start, "four five", 9);
	assert_int_equal(a2->end - a2->start, 9);
	tyst_markup_free(&m);
}

static void
test_escape(void **state)
{
	struct tyst_markup m;
	struct tyst_err err;

	(void)state;
	assert_int_equal(parse(&m, "a {{b} c}", &err), 0);
	assert_string_equal(m.text, "a {b} c}");
	assert_int_equal(m.nmarks, 0);
	tyst_markup_free(&m);
}

static void
test_errors(void **state)
{
	struct tyst_markup m;
	struct tyst_err err;

	(void)state;
	assert_int_equal(parse(&m, "rad ett\nåå {a}aldrig stängd\n", &err),
	    -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 4);
	assert_non_null(strstr(err.msg, "never closed"));
	assert_null(m.text);

	assert_int_equal(parse(&m, "text{/a}", &err), -1);
	assert_int_equal(err.col, 5);
	assert_non_null(strstr(err.msg, "never opened"));

	assert_int_equal(parse(&m, "a { b", &err), -1);
	assert_int_equal(err.col, 3);

	assert_int_equal(parse(&m, "{arbete forst}x{/arbete forst}", &err),
	    -1);
	assert_int_equal(parse(&m, "{a}{/a}", &err), -1);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(parse(&m, "{a}x{/b}{/a}", &err), -1);
	assert_int_equal(parse(&m, "x{", &err), -1);
}

/* Writes text with segments k, parses the result, and checks that the
 * text and every segment come back (as a set). */
static void
round_trip(const char *text, const struct tyst_mark *k, size_t n)
{
	struct tyst_markup m;
	struct tyst_err err;
	char *out;
	size_t outlen;

	assert_int_equal(tyst_markup_write(text, strlen(text), k, n, &out,
	    &outlen, &err), 0);
	assert_int_equal(strlen(out), outlen);
	assert_int_equal(tyst_markup_parse(&m, "rt", out, outlen, &err), 0);
	assert_string_equal(m.text, text);
	assert_int_equal(m.nmarks, n);
	for (size_t i = 0; i < n; i++) {
		size_t found = 0;

		for (size_t j = 0; j < m.nmarks; j++)
			found += m.marks[j].start == k[i].start &&
			    m.marks[j].end == k[i].end &&
			    strcmp(m.marks[j].code, k[i].code) == 0;
		assert_int_equal(found, 1);
	}
	tyst_markup_free(&m);
	free(out);
}

static void
test_write(void **state)
{
	/* Nesting, overlap of two codes, touching segments of one code,
	 * a brace in the text. */
	static struct tyst_mark k[] = {
		{ "a", 0, 10, 0, 0 }, { "a", 2, 5, 0, 0 }, { "b", 3, 12, 0, 0 },
		{ "a", 10, 14, 0, 0 }, { "c", 0, 10, 0, 0 },
	};
	/* Segments of one code that cross need labels. */
	static struct tyst_mark x[] = {
		{ "a", 0, 6, 0, 0 }, { "a", 3, 9, 0, 0 }, { "a", 1, 4, 0, 0 },
		{ "a", 7, 12, 0, 0 }, { "a", 2, 3, 0, 0 },
	};
	static struct tyst_mark one = { "a", 2, 4, 0, 0 };
	struct tyst_err err;
	char *out;
	size_t outlen;

	(void)state;
	round_trip("Jag {ville} bara jobba.", k, 5);
	round_trip("Jag ville bara jobba.", x, 5);
	assert_int_equal(tyst_markup_write("ab{c", 4, k + 1, 0, &out, &outlen,
	    &err), 0);
	assert_string_equal(out, "ab{{c");
	free(out);
	assert_int_equal(tyst_markup_write("abc", 3, k, 1, &out, &outlen,
	    &err), -1);
	assert_int_equal(tyst_markup_write("åäö och", 10, &one, 1, &out,
	    &outlen, &err), 0);
	assert_string_equal(out, "å{a}ä{/a}ö och");
	free(out);
}

/* Many random segments of three codes over a short text. */
static void
test_write_random(void **state)
{
	const char *text = "IP: Jag {ville} bara jobba, inte praktik först.";
	size_t len = strlen(text);
	struct tyst_mark k[24];
	static const char *codes[] = { "a", "b-1", "c.d" };
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 200; round++) {
		size_t n = 0;

		for (size_t i = 0; i < 24; i++) {
			size_t s, e, dup = 0;

			seed = seed * 1103515245u + 12345u;
			s = (seed >> 8) % len;
			seed = seed * 1103515245u + 12345u;
			e = s + 1 + (seed >> 8) % (len - s);
			k[n].code = (char *)codes[(seed >> 20) % 3];
			k[n].start = s;
			k[n].end = e;
			for (size_t j = 0; j < n; j++)
				dup += k[j].start == s && k[j].end == e &&
				    strcmp(k[j].code, k[n].code) == 0;
			if (!dup)
				n++;
		}
		round_trip(text, k, n);
	}
}

static void
test_locate(void **state)
{
	const char *in;
	size_t line, col;

	(void)state;
	in = "ab\n{x}c{{d{/x}e";
	assert_int_equal(tyst_markup_locate(in, strlen(in), 3, &line, &col),
	    0);
	/* "c" after "{x}" is placed at the tag. */
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	assert_int_equal(tyst_markup_locate(in, strlen(in), 5, &line, &col),
	    0);
	assert_int_equal(col, 7);
	assert_int_equal(tyst_markup_locate(in, strlen(in), 6, &line, &col),
	    0);
	assert_int_equal(col, 8);
	assert_int_equal(tyst_markup_locate(in, strlen(in), 9, &line, &col),
	    -1);
}

static void
test_match(void **state)
{
	static const struct tyst_mark old[] = {
		{ "a", 0, 5, 0, 0 },   /* kept */
		{ "a", 10, 20, 0, 0 }, /* moved to 12-22 */
		{ "b", 10, 20, 0, 0 }, /* removed (new b does not overlap) */
		{ "c", 0, 3, 0, 0 },   /* removed */
	};
	struct tyst_markup m;
	struct tyst_markup_plan pl;
	struct tyst_err err;

	(void)state;
	assert_int_equal(parse(&m, "{a}01234{/a}56789{b}0{/b}1{a}234567890"
	    "1{/a}{b}2{/b}{a}{a}3{/a}{/a}", &err), 0);
	/* marks in closing order: a 0-5, b 10-11, a 12-22, b 22-23,
	 * a 23-24 twice (one is a duplicate). */
	assert_int_equal(m.nmarks, 6);
	assert_int_equal(tyst_markup_match(&m, old, 4, &pl, &err), 0);
	assert_int_equal(pl.kept, 1);
	assert_int_equal(pl.moved, 2);   /* a 10-20 → 12-22, b 10-20 → 10-11 */
	assert_int_equal(pl.removed, 1);
	assert_int_equal(pl.added, 2);   /* b 22-23, a 23-24 */
	assert_int_equal(pl.old_to[0], 0);
	assert_int_equal(pl.old_to[1], 2);
	assert_int_equal(pl.old_to[2], 1);
	assert_true(pl.old_to[3] == TYST_MARK_NONE);
	assert_true(pl.new_from[5] == TYST_MARK_DUP);
	tyst_markup_plan_free(&pl);
	tyst_markup_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_overlap_and_nesting),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_random),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
