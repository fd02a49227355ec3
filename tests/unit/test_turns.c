/* Unit tests of lib/detect/turns.c: speaker turns, paragraphs, sentences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tyst/turns.h"

static const char doc[] =
    "Intervju 9\n"
    "Datum: 2023-04-18\n"
    "\n"
    "I: Hur började det?\n"
    "Deltagare 10: Det var svårt. Jag visste inte… Sen kom Leija.\n"
    "Och då ändrades allt.\n"
    "\n"
    "Andra stycket här.\n"
    "[00:02:31]\n"
    "[00:02:40] I: Mm.\n"
    "Deltagare 10: Ja.\n"
    "[PERSON 3]: Hej.\n"
    "[PERSON 3]: Hej igen.\n";

static size_t
at(const char *needle)
{
	const char *p = strstr(doc, needle);

	assert_non_null(p);
	return (size_t)(p - doc);
}

static void
span_is(enum tyst_unit u, const char *where, const char *want)
{
	struct tyst_turns t;
	struct tyst_err err;
	size_t s, e;

	assert_int_equal(tyst_turns_split(&t, doc, strlen(doc), &err), 0);
	assert_int_equal(tyst_unit_span(doc, strlen(doc), &t, u, at(where),
	    &s, &e), 0);
	assert_int_equal(e - s, strlen(want));
	assert_memory_equal(doc + s, want, e - s);
	tyst_turns_free(&t);
}

static void
test_turns(void **state)
{
	struct tyst_turns t;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_turns_split(&t, doc, strlen(doc), &err), 0);
	/* "Datum:" occurs once and is no abbreviation: not a speaker. */
	assert_int_equal(t.n, 6);
	assert_memory_equal(doc + t.v[4].label, "[PERSON 3]", 10);
	assert_int_equal(t.v[4].label_end - t.v[4].label, 10);
	assert_memory_equal(doc + t.v[1].label, "Deltagare 10", 12);
	assert_int_equal(t.v[1].label_end - t.v[1].label, 12);
	assert_memory_equal(doc + t.v[2].label, "I", 1);
	assert_int_equal(t.v[2].start, at("[00:02:40]"));
	assert_int_equal(tyst_turns_find(&t, at("Datum")), -1);
	assert_int_equal(tyst_turns_find(&t, at("Andra")), 1);
	/* The time code alone on a line ends the turn. */
	assert_int_equal(tyst_turns_find(&t, at("[00:02:31]")), -1);
	tyst_turns_free(&t);
}

static void
test_units(void **state)
{
	(void)state;
	span_is(TYST_UNIT_TURN, "visste", "Det var svårt. Jag visste inte… "
	    "Sen kom Leija.\nOch då ändrades allt.\n\nAndra stycket här.");
	span_is(TYST_UNIT_PARAGRAPH, "visste", "Det var svårt. Jag visste "
	    "inte… Sen kom Leija.\nOch då ändrades allt.");
	span_is(TYST_UNIT_PARAGRAPH, "stycket", "Andra stycket här.");
	span_is(TYST_UNIT_SENTENCE, "visste", "Jag visste inte…");
	span_is(TYST_UNIT_SENTENCE, "svårt", "Det var svårt.");
	span_is(TYST_UNIT_SENTENCE, "Leija", "Sen kom Leija.");
	span_is(TYST_UNIT_SENTENCE, "ändrades", "Och då ändrades allt.");
	span_is(TYST_UNIT_TURN, "Mm.", "Mm.");
	assert_int_equal(tyst_unit_parse("sentence"), TYST_UNIT_SENTENCE);
	assert_int_equal(tyst_unit_parse("word"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turns),
		cmocka_unit_test(test_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
