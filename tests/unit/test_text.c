/*
 * Unit tests of lib/base/text.c: UTF-8 checking, the streaming reader and
 * whole-file loading, with BOM, CRLF and byte offsets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyst/sha256.h"
#include "tyst/text.h"

static char *
write_tmp(const char *data, size_t len)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/tyst-test-text.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static void
test_utf8_check(void **state)
{
	size_t bad;
	int nul;

	(void)state;
	assert_int_equal(tyst_utf8_check("Hälsingland åäö ÅÄÖ é €", 29, &bad, &nul), 0);
	/* A Latin-1 ä: the commonest bad input from old word processors. */
	assert_int_equal(tyst_utf8_check("h\xe4r", 3, &bad, &nul), -1);
	assert_int_equal(bad, 1);
	assert_int_equal(nul, 0);
	/* Overlong, surrogate, past U+10FFFF, truncated. */
	assert_int_equal(tyst_utf8_check("a\xc0\xafz", 4, &bad, &nul), -1);
	assert_int_equal(tyst_utf8_check("\xed\xa0\x80", 3, &bad, &nul), -1);
	assert_int_equal(tyst_utf8_check("\xf4\x90\x80\x80", 4, &bad, &nul), -1);
	assert_int_equal(tyst_utf8_check("ab\xe2\x82", 4, &bad, &nul), -1);
	assert_int_equal(bad, 2);
	assert_int_equal(tyst_utf8_check("ab\0c", 4, &bad, &nul), -1);
	assert_int_equal(nul, 1);
	assert_int_equal(bad, 2);
	assert_int_equal(tyst_utf8_count("åäö", 6), 3);
}

static void
test_reader_bom_crlf(void **state)
{
	const char data[] = "\xef\xbb\xbfI: Hej\r\nIP: Hallå där\r\n\r\nsist";
	char *path = write_tmp(data, sizeof(data) - 1);
	struct tyst_reader r;
	struct tyst_line ln;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_reader_open(&r, path, &err), 0);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 1);
	assert_int_equal(ln.off, 3);
	assert_int_equal(ln.len, 6);
	assert_int_equal(ln.eol, 2);
	assert_memory_equal(ln.p, "I: Hej", 6);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 1);
	assert_int_equal(ln.off, 11);
	assert_int_equal(ln.lineno, 2);
	assert_memory_equal(data + ln.off, "IP: Hall", 8);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 1);
	assert_int_equal(ln.len, 0);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 1);
	assert_int_equal(ln.len, 4);
	assert_int_equal(ln.eol, 0);
	assert_memory_equal(data + ln.off, "sist", 4);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 0);
	assert_true(r.had_bom);
	assert_true(r.crlf);
	tyst_reader_close(&r);
	unlink(path);
}

static void
test_reader_bad_byte(void **state)
{
	const char data[] = "rad ett\nrad två \xe4r fel\n";
	char *path = write_tmp(data, sizeof(data) - 1);
	struct tyst_reader r;
	struct tyst_line ln;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_reader_open(&r, path, &err), 0);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 1);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 9);
	assert_non_null(strstr(err.msg, "invalid UTF-8 at byte offset 17"));
	tyst_reader_close(&r);
	unlink(path);
}

/* A line far longer than the read buffer arrives whole, offsets right. */
static void
test_reader_huge_line(void **state)
{
	size_t n = 3 * 1024 * 1024;
	char *data = malloc(n + 16);
	char *path;
	struct tyst_reader r;
	struct tyst_line ln;
	struct tyst_err err;

	(void)state;
	memcpy(data, "kort\n", 5);
	memset(data + 5, 'x', n);
	memcpy(data + 5 + n, "\nslut\n", 6);
	path = write_tmp(data, n + 11);
	assert_int_equal(tyst_reader_open(&r, path, &err), 0);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 1);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 1);
	assert_int_equal(ln.len, n);
	assert_int_equal(ln.off, 5);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 1);
	assert_int_equal(ln.off, n + 6);
	assert_memory_equal(ln.p, "slut", 4);
	assert_int_equal(tyst_reader_next(&r, &ln, &err), 0);
	tyst_reader_close(&r);
	unlink(path);
	free(data);
}

static void
test_reader_errors(void **state)
{
	struct tyst_reader r;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_reader_open(&r, "/nonexistent/x.txt", &err), -1);
	assert_non_null(strstr(err.msg, "No such file"));
	assert_int_equal(tyst_reader_open(&r, "/tmp", &err), -1);
	assert_string_equal(err.msg, "is a directory");
}

static void
test_text_linecol(void **state)
{
	const char data[] = "\xef\xbb\xbfÅsa: hej\r\nI: vad?\nsista";
	struct tyst_text t;
	struct tyst_err err;
	size_t line, col, s, e;

	(void)state;
	assert_int_equal(tyst_text_from_mem(&t, "x", data, sizeof(data) - 1,
	    &err), 0);
	assert_int_equal(t.start, 3);
	assert_int_equal(t.nlines, 3);
	assert_true(t.crlf);
	tyst_text_linecol(&t, 3, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	/* "hej" starts after "Åsa: " (Å is two bytes). */
	tyst_text_linecol(&t, 9, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 6);
	assert_int_equal(tyst_text_offset(&t, 1, 6), 9);
	assert_int_equal(tyst_text_offset(&t, 2, 1), 14);
	assert_int_equal(tyst_text_offset(&t, 3, 6), (long long)sizeof(data) - 1);
	assert_int_equal(tyst_text_offset(&t, 4, 1), -1);
	assert_int_equal(tyst_text_offset(&t, 2, 99), -1);
	assert_int_equal(tyst_text_line(&t, 1, &s, &e), 0);
	assert_int_equal(e - s, 9);
	/* Every offset maps to a place that maps back to it. */
	for (size_t off = 3; off < sizeof(data) - 1; off++) {
		if (((unsigned char)data[off] & 0xc0) == 0x80 ||
		    data[off] == '\n' || data[off] == '\r')
			continue;
		tyst_text_linecol(&t, off, &line, &col);
		assert_int_equal(tyst_text_offset(&t, line, col), off);
	}
	tyst_text_free(&t);
}

static void
test_text_empty_and_nul(void **state)
{
	struct tyst_text t;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_text_from_mem(&t, "tom", "", 0, &err), 0);
	assert_int_equal(t.len, 0);
	assert_int_equal(t.nlines, 1);
	tyst_text_free(&t);
	assert_int_equal(tyst_text_from_mem(&t, "bin", "ab\ncd\0e", 7, &err), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 3);
	assert_non_null(strstr(err.msg, "NUL byte"));
}

static void
test_sha256(void **state)
{
	char hex[65];

	(void)state;
	tyst_sha256_hex("", 0, hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	tyst_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	tyst_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, hex);
	assert_string_equal(hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_check),
		cmocka_unit_test(test_reader_bom_crlf),
		cmocka_unit_test(test_reader_bad_byte),
		cmocka_unit_test(test_reader_huge_line),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_text_linecol),
		cmocka_unit_test(test_text_empty_and_nul),
		cmocka_unit_test(test_sha256),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
