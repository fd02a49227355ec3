/* Unit tests of lib/coding/markup.c: inline coding markup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_overlap_and_nesting),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
