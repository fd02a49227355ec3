/*
 * Unit tests of the modules that came out of tyst-scan and tyst-code add:
 * lib/detect/finding.c (a finding written, a personnummer masked),
 * lib/pseudo/revcand.c (candidates counted once, with context),
 * lib/coding/addseg.c's range parser and lib/base/strv.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/addseg.h"
#include "tyst/finding.h"
#include "tyst/revcand.h"
#include "tyst/strv.h"

static struct tyst_finding
finding(const char *text, const char *cat, const char *src,
    enum tyst_confidence conf)
{
	struct tyst_finding f;

	memset(&f, 0, sizeof(f));
	f.start = 10;
	f.end = f.base_end = 10 + strlen(text);
	f.line = 3;
	f.col = 7;
	f.category = cat;
	f.source = src;
	f.confidence = conf;
	f.text = text;
	return f;
}

static char *
written(enum tyst_finding_form form, int show, const struct tyst_finding *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	tyst_finding_write(out, form, show, "int.txt", NULL, f);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static void
test_plain_and_jsonl(void **state)
{
	struct tyst_finding f = finding("Erik", "PERSON",
	    "gazetteer first-names", TYST_LIKELY);
	char *s;

	(void)state;
	s = written(TYST_FINDING_TEXT, 0, &f);
	assert_string_equal(s,
	    "int.txt:3:7: PERSON \"Erik\" (gazetteer first-names)\n");
	free(s);
	f.attrs = "sex=m";
	s = written(TYST_FINDING_JSONL, 0, &f);
	assert_string_equal(s, "{\"file\":\"int.txt\",\"line\":3,\"col\":7,"
	    "\"start\":10,\"end\":14,\"base_end\":14,\"category\":\"PERSON\","
	    "\"text\":\"Erik\",\"source\":\"gazetteer first-names\","
	    "\"confidence\":\"likely\",\"attrs\":{\"sex\":\"m\"}}\n");
	free(s);
}

static void
test_pnr_masked(void **state)
{
	struct tyst_finding f = finding("19811218-9876", "PNR", "pnr",
	    TYST_CERTAIN);
	char *s;

	(void)state;
	s = written(TYST_FINDING_TEXT, 0, &f);
	assert_non_null(strstr(s, "\"19811218-****\""));
	free(s);
	s = written(TYST_FINDING_TEXT, 1, &f);
	assert_non_null(strstr(s, "\"19811218-9876\""));
	free(s);
}

static void
test_revcands(void **state)
{
	const char *text = "Vi mötte Tindra\tigen, och Tindra log.";
	struct tyst_line ln = { text, strlen(text), 1, 0, 1 };
	struct tyst_revcands c;
	struct tyst_finding f = finding("Tindra", "PERSON",
	    "heuristic capitalised", TYST_CANDIDATE);

	(void)state;
	tyst_revcands_init(&c);
	f.start = 10;
	f.end = f.base_end = 16;
	assert_int_equal(tyst_revcands_note(&c, &f, &ln), 0);
	f.start = 27;
	f.end = f.base_end = 33;
	assert_int_equal(tyst_revcands_note(&c, &f, &ln), 0);
	f.confidence = TYST_CERTAIN;
	assert_int_equal(tyst_revcands_note(&c, &f, &ln), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].word, "Tindra");
	assert_int_equal(c.v[0].count, 2);
	/* The context is one line, its tabs spaces. */
	assert_string_equal(c.v[0].context,
	    "Vi mötte Tindra igen, och Tindra log.");
	tyst_revcands_free(&c);
}

static void
test_range(void **state)
{
	uint64_t a, b;

	(void)state;
	assert_int_equal(tyst_range_parse("12-18", &a, &b), 0);
	assert_true(a == 12 && b == 18);
	assert_int_equal(tyst_range_parse("7", &a, &b), 0);
	assert_true(a == 7 && b == 7);
	assert_int_equal(tyst_range_parse("3:4", &a, &b), 0);
	assert_int_equal(tyst_range_parse("18-12", &a, &b), -1);
	assert_int_equal(tyst_range_parse("-1", &a, &b), -1);
	assert_int_equal(tyst_range_parse("1--2", &a, &b), -1);
	assert_int_equal(tyst_range_parse("1-2x", &a, &b), -1);
	assert_int_equal(tyst_range_parse("", &a, &b), -1);
}

static void
test_strv(void **state)
{
	char **v = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(tyst_strv_add(&v, &n, "Jonatan"), 0);
	assert_int_equal(tyst_strv_add(&v, &n, "Johnatan"), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[1], "Johnatan");
	tyst_strv_free(v, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_jsonl),
		cmocka_unit_test(test_pnr_masked),
		cmocka_unit_test(test_revcands),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_strv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
