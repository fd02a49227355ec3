/*
 * Unit tests of tyst_detect_stream (lib/detect/detect.c): on one thread and on
 * two it reports exactly what feeding the input line by line reports, in
 * the same order, across many blocks; it stops when a hook says so; and a
 * bad line deep in the input ends it with the findings before that line
 * reported and the error naming the line.
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

#include "tyst/detect.h"
#include "tyst/sha256.h"
#include "tyst/text.h"

static struct tyst_rules *rules;
static char path[256];

/* A digest of everything a caller sees: lines and findings, in order. */
struct seen {
	struct tyst_sha256 sha;
	unsigned long lines, findings;
	unsigned long stop_after;       /* findings; 0: never stop */
	size_t last_line;
};

static void
mix(struct seen *s, const void *p, size_t n)
{
	tyst_sha256_update(&s->sha, p, n);
}

static int
on_line(const struct tyst_line *ln, int had_bom, void *ctx)
{
	struct seen *s = ctx;

	s->lines++;
	s->last_line = ln->lineno;
	mix(s, &ln->lineno, sizeof(ln->lineno));
	mix(s, &ln->off, sizeof(ln->off));
	mix(s, &had_bom, sizeof(had_bom));
	mix(s, ln->p, ln->len + ln->eol);
	return 0;
}

static int
on_finding(const struct tyst_finding *f, void *ctx)
{
	struct seen *s = ctx;

	s->findings++;
	mix(s, &f->start, sizeof(f->start));
	mix(s, &f->end, sizeof(f->end));
	mix(s, &f->base_end, sizeof(f->base_end));
	mix(s, &f->line, sizeof(f->line));
	mix(s, &f->col, sizeof(f->col));
	mix(s, &f->confidence, sizeof(f->confidence));
	mix(s, f->category, strlen(f->category) + 1);
	mix(s, f->source, strlen(f->source) + 1);
	mix(s, f->text, (size_t)(f->end - f->start));
	return s->stop_after != 0 && s->findings >= s->stop_after;
}

/* The corpus samples, n times over, with a line numbering each copy, and
 * bad (NULL: none) after the copy at the middle. */
static void
make_input(int n, const char *bad)
{
	const char *src = getenv("TYST_SRCDIR");
	char cmd[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tyst-stream-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_true(mkstemp(path) >= 0);
	f = fopen(path, "a");     /* cat appends between our writes */
	assert_non_null(f);
	for (int i = 0; i < n; i++) {
		fprintf(f, "Intervju %d med Erik Lindqvist i Hudiksvall.\n", i);
		fflush(f);
		snprintf(cmd, sizeof(cmd), "cat '%s'/corpus-samples/intervju*.txt"
		    " >> '%s'", src ? src : ".", path);
		assert_int_equal(system(cmd), 0);
		if (bad != NULL && i == n / 2)
			fputs(bad, f);
	}
	fclose(f);
}

/* Line by line through tyst_detector_line, as the tools once did. */
static int
by_lines(struct seen *s, struct tyst_err *err)
{
	struct tyst_reader rd;
	struct tyst_line ln;
	struct tyst_detector *d = tyst_detector_new(rules);
	int rc;

	assert_non_null(d);
	assert_int_equal(tyst_reader_open(&rd, path, err), 0);
	tyst_sha256_init(&s->sha);
	while ((rc = tyst_reader_next(&rd, &ln, err)) > 0) {
		on_line(&ln, rd.had_bom, s);
		if ((rc = tyst_detector_line(d, &ln, on_finding, s, err)) != 0)
			break;
	}
	tyst_detector_free(d);
	tyst_reader_close(&rd);
	return rc;
}

static int
by_stream(struct seen *s, int threads, struct tyst_err *err)
{
	struct tyst_reader rd;
	struct tyst_detector *d = tyst_detector_new(rules);
	struct tyst_stream_fns fns = { on_line, on_finding, s };
	int rc;

	assert_non_null(d);
	assert_int_equal(tyst_reader_open(&rd, path, err), 0);
	tyst_sha256_init(&s->sha);
	rc = tyst_detect_stream(d, &rd, &fns, threads, err);
	tyst_detector_free(d);
	tyst_reader_close(&rd);
	return rc;
}

static void
digest(struct seen *s, unsigned char out[32])
{
	tyst_sha256_final(&s->sha, out);
}

static void
test_same_findings(void **state)
{
	struct seen a = { 0 }, b = { 0 }, c = { 0 };
	struct tyst_err err;
	unsigned char da[32], db[32], dc[32];

	(void)state;
	make_input(16, NULL);           /* about 1 MB: four blocks */
	assert_int_equal(by_lines(&a, &err), 0);
	assert_int_equal(by_stream(&b, 1, &err), 0);
	assert_int_equal(by_stream(&c, 2, &err), 0);
	assert_true(a.findings > 1000);
	assert_int_equal(a.lines, b.lines);
	assert_int_equal(a.lines, c.lines);
	assert_int_equal(a.findings, b.findings);
	assert_int_equal(a.findings, c.findings);
	digest(&a, da);
	digest(&b, db);
	digest(&c, dc);
	assert_memory_equal(da, db, 32);
	assert_memory_equal(da, dc, 32);
	unlink(path);
}

/* A callback's stop ends the stream there, on two threads and on one
 * (which reads, matches and reports a line at a time). */
static void
test_stop(void **state)
{
	struct tyst_err err;

	(void)state;
	make_input(8, NULL);
	for (int threads = 1; threads <= 2; threads++) {
		struct seen s = { 0 };

		s.stop_after = 1500;    /* in the third block or so */
		assert_int_equal(by_stream(&s, threads, &err), 1);
		assert_int_equal(s.findings, 1500);
	}
	unlink(path);
}

static void
test_bad_line(void **state)
{
	struct seen a = { 0 };
	struct tyst_err err;
	unsigned char da[32];

	(void)state;
	make_input(8, "Här är ett trasigt tecken: \xff.\n");
	assert_int_equal(by_lines(&a, &err), -1);
	digest(&a, da);
	for (int threads = 1; threads <= 2; threads++) {
		struct seen b = { 0 };
		struct tyst_err err2;
		unsigned char db[32];

		assert_int_equal(by_stream(&b, threads, &err2), -1);
		assert_non_null(strstr(err2.msg, "UTF-8"));
		assert_string_equal(err.msg, err2.msg);
		assert_int_equal(err.line, err2.line);
		assert_true(err2.line > 1000);
		assert_string_equal(err2.file, path);
		/* Everything before the bad line was reported, nothing
		 * after. */
		assert_int_equal(a.findings, b.findings);
		assert_int_equal(b.last_line, err2.line - 1);
		digest(&b, db);
		assert_memory_equal(da, db, 32);
	}
	unlink(path);
}

static int
setup(void **state)
{
	struct tyst_err err;

	(void)state;
	if (tyst_rules_load(&rules, NULL, &err) < 0) {
		fprintf(stderr, "%s:%zu: %s\n", err.file, err.line, err.msg);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tyst_rules_free(rules);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_findings),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_bad_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
