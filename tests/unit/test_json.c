/*
 * Unit tests of lib/base/json.c: strings escaped as RFC 8259 asks, numbers in
 * decimal at their limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/json.h"

static char *buf;
static size_t len;

static FILE *
open_buf(void)
{
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	return f;
}

static void
expect_buf(FILE *f, const char *want)
{
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, want);
	free(buf);
	buf = NULL;
}

static void
test_strings(void **state)
{
	FILE *f = open_buf();
	const char *s = "Åsa \"sa\"\\\n\t\x01 ok";

	(void)state;
	tyst_json_str(f, s, strlen(s));
	expect_buf(f, "\"Åsa \\\"sa\\\"\\\\\\n\\t\\u0001 ok\"");
	f = open_buf();
	tyst_json_cstr(f, NULL);
	fputc(' ', f);
	tyst_json_cstr(f, "");
	expect_buf(f, "null \"\"");
}

static void
test_numbers(void **state)
{
	FILE *f = open_buf();

	(void)state;
	tyst_put_u64(f, 0);
	fputc(' ', f);
	tyst_put_u64(f, UINT64_MAX);
	fputc(' ', f);
	tyst_put_i64(f, -1);
	fputc(' ', f);
	tyst_put_i64(f, INT64_MIN);
	fputc(' ', f);
	tyst_put_i64(f, 1234567890);
	expect_buf(f, "0 18446744073709551615 -1 -9223372036854775808 "
	    "1234567890");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
