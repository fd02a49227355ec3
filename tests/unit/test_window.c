/*
 * Unit tests of long lines read in windows (tyst_reader_windows() in
 * lib/base/text.c, the parts' findings in lib/detect/detect.c): the parts' own bytes
 * are the line, each once, with byte offsets and columns of the whole
 * line; and a line read in small windows gives the findings of the line
 * read whole, those on a window's boundary neither lost nor doubled.
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
#include "tyst/text.h"

static struct tyst_rules *rules;
static char path[256];

/* Writes s to a new temporary file named in path. */
static void
write_file(const char *s, size_t len)
{
	int fd;

	snprintf(path, sizeof(path), "%s/tyst-window-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, len), (ssize_t)len);
	close(fd);
}

/* A long line of findings for rules/window.yaml: a code ("ab 12"), a pair
 * of colons, a dotted word, with 'å' (two bytes, one column) among them,
 * the pieces of varying length so the findings fall on every offset of a
 * window. */
static char *
long_line(size_t n)
{
	static const char *const pieces[] = {
		"åå ", "abc 12 ", "x:yz:w ", "qq.se ", "ö ", "lorem ",
		"kod 77 ", "ab:c:d ", "å.ån ", "zz 5 ", "ett.tv "
	};
	char *s = malloc(n + 16);
	size_t len = 0, k = 0;

	assert_non_null(s);
	while (len < n) {
		/* Each piece after each other, in changing order. */
		const char *p = pieces[(k * 7 + k / 11) % 11];

		k++;
		memcpy(s + len, p, strlen(p));
		len += strlen(p);
	}
	s[len] = '\0';
	return s;
}

static void
test_parts(void **state)
{
	char *line = long_line(5000), *file, *back;
	size_t llen = strlen(line), flen, blen = 0, parts = 0;
	struct tyst_reader rd;
	struct tyst_line ln;
	struct tyst_err err;
	int rc;

	(void)state;
	/* A long line, a short one (CRLF), a long one without a line end. */
	flen = 2 * llen + 16;
	file = malloc(flen + 1);
	back = malloc(flen + 1);
	assert_non_null(file);
	assert_non_null(back);
	flen = (size_t)snprintf(file, flen + 1, "%s\nkort\r\n%s", line, line);
	write_file(file, flen);
	assert_int_equal(tyst_reader_open(&rd, path, &err), 0);
	tyst_reader_windows(&rd, 100, 30);
	while ((rc = tyst_reader_next(&rd, &ln, &err)) > 0) {
		size_t ls = ln.lineno == 1 ? 0 : ln.lineno == 2 ? llen + 1 :
		    llen + 7;
		size_t at = (size_t)ln.off - ls;        /* p[0] in the line */

		const struct tyst_part *pt = &rd.part;

		/* Each part begins where the one before ended. */
		assert_int_equal(ln.off + pt->lead, blen);
		assert_memory_equal(ln.p, file + ln.off, ln.len);
		assert_true(pt->lead <= 30);
		assert_true(ln.len - pt->lead - pt->own <= 30);
		/* The last part of a line takes up to a window and more. */
		assert_true(pt->own <= 100 || (ln.len == pt->lead + pt->own &&
		    pt->own <= 100 + 30 + 4));
		assert_int_equal(pt->col0, tyst_utf8_count(file + ls, at));
		assert_int_equal(pt->no == 0, at == 0);
		if (pt->lead + pt->own < ln.len)
			assert_int_equal(ln.eol, 0);
		memcpy(back + blen, ln.p + pt->lead, pt->own + ln.eol);
		blen += pt->own + ln.eol;
		parts++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rd.lineno, 3);
	assert_int_equal(blen, flen);
	assert_memory_equal(back, file, flen);
	assert_true(parts > 2 * llen / 100);
	tyst_reader_close(&rd);
	unlink(path);
	free(line);
	free(file);
	free(back);
}

struct found {
	struct tyst_finding *v;
	size_t n, cap;
	char *bytes;            /* what the line hook saw, in order */
	size_t nbytes;
};

/* The line hook: each byte of the input once. */
static int
on_line(const struct tyst_line *ln, int had_bom, void *ctx)
{
	struct found *fd = ctx;

	(void)had_bom;
	assert_int_equal(ln->off, fd->nbytes);
	fd->bytes = realloc(fd->bytes, fd->nbytes + ln->len + ln->eol);
	assert_non_null(fd->bytes);
	memcpy(fd->bytes + fd->nbytes, ln->p, ln->len + ln->eol);
	fd->nbytes += ln->len + ln->eol;
	return 0;
}

static int
on_finding(const struct tyst_finding *f, void *ctx)
{
	struct found *fd = ctx;

	if (fd->n == fd->cap) {
		fd->cap = fd->cap ? 2 * fd->cap : 64;
		fd->v = realloc(fd->v, fd->cap * sizeof(*fd->v));
		assert_non_null(fd->v);
	}
	fd->v[fd->n] = *f;
	fd->v[fd->n].text = NULL;       /* points into the reader's buffer */
	fd->n++;
	return 0;
}

/* The findings of the file at path in windows of win (0: whole lines). */
static void
scan(struct found *fd, size_t win, size_t overlap, int threads)
{
	struct tyst_reader rd;
	struct tyst_detector *d = tyst_detector_new(rules);
	struct tyst_stream_fns fns = { on_line, on_finding, fd };
	struct tyst_err err;

	assert_non_null(d);
	memset(fd, 0, sizeof(*fd));
	assert_int_equal(tyst_reader_open(&rd, path, &err), 0);
	tyst_reader_windows(&rd, win ? win : (size_t)1 << 30, overlap);
	assert_int_equal(tyst_detect_stream(d, &rd, &fns, threads, &err), 0);
	tyst_detector_free(d);
	tyst_reader_close(&rd);
}

static void
test_boundaries(void **state)
{
	char *line = long_line(3000);
	struct found whole, parts;

	(void)state;
	write_file(line, strlen(line));
	scan(&whole, 0, 0, 1);
	assert_true(whole.n > 200);
	/* Every window size from 40 to 72 bytes puts some finding across a
	 * boundary; the longest finding is shorter than the overlap. */
	for (size_t win = 40; win <= 72; win++) {
		scan(&parts, win, 24, win % 2 ? 2 : 1);
		assert_int_equal(parts.nbytes, strlen(line));
		assert_memory_equal(parts.bytes, line, parts.nbytes);
		free(parts.bytes);
		assert_int_equal(parts.n, whole.n);
		for (size_t i = 0; i < whole.n; i++) {
			assert_int_equal(parts.v[i].start, whole.v[i].start);
			assert_int_equal(parts.v[i].end, whole.v[i].end);
			assert_int_equal(parts.v[i].line, 1);
			assert_int_equal(parts.v[i].col, whole.v[i].col);
			assert_string_equal(parts.v[i].category,
			    whole.v[i].category);
		}
		free(parts.v);
	}
	free(whole.v);
	free(whole.bytes);
	unlink(path);
	free(line);
}

static int
setup(void **state)
{
	const char *src = getenv("TYST_SRCDIR");
	char rpath[1024];
	struct tyst_err err;

	(void)state;
	snprintf(rpath, sizeof(rpath), "%s/tests/data/detect/window.yaml",
	    src ? src : ".");
	if (tyst_rules_load(&rules, rpath, &err) < 0) {
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
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_boundaries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
