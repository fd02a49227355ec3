/*
 * libFuzzer harness: the detector over arbitrary text with the default
 * rules.  The input is written to a file and read three ways: line by
 * line through tyst_detector_line(), and through tyst_detect_stream() on
 * one thread (a line at a time) and on two (in blocks).  All three must
 * report the same findings, each inside the text, in order, with its
 * base inside it; and a bad line must stop all three at the same line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyst/detect.h"
#include "tyst/sha256.h"
#include "tyst/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	struct tyst_sha256 sha;
	size_t findings;
	uint64_t last, size;
};

static void
mix(struct seen *s, const void *p, size_t n)
{
	tyst_sha256_update(&s->sha, p, n);
}

static int
on_finding(const struct tyst_finding *f, void *ctx)
{
	struct seen *s = ctx;

	if (f->start < s->last || f->start >= f->end || f->end > s->size ||
	    f->base_end <= f->start || f->base_end > f->end)
		abort();
	s->last = f->start;
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
	return 0;
}

static int
by_lines(const struct tyst_rules *r, const char *path, struct seen *s,
    struct tyst_err *err)
{
	struct tyst_reader rd;
	struct tyst_line ln;
	struct tyst_detector *d = tyst_detector_new(r);
	int rc;

	if (d == NULL || tyst_reader_open(&rd, path, err) < 0)
		abort();
	while ((rc = tyst_reader_next(&rd, &ln, err)) > 0)
		if ((rc = tyst_detector_line(d, &ln, on_finding, s, err)) != 0)
			break;
	tyst_detector_free(d);
	tyst_reader_close(&rd);
	return rc;
}

static int
by_stream(const struct tyst_rules *r, const char *path, int threads,
    struct seen *s, struct tyst_err *err)
{
	struct tyst_reader rd;
	struct tyst_detector *d = tyst_detector_new(r);
	struct tyst_stream_fns fns = { NULL, on_finding, s };
	int rc;

	if (d == NULL || tyst_reader_open(&rd, path, err) < 0)
		abort();
	rc = tyst_detect_stream(d, &rd, &fns, threads, err);
	tyst_detector_free(d);
	tyst_reader_close(&rd);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tyst_rules *rules;
	char path[] = "/tmp/tyst-fuzz-detect.XXXXXX";
	struct seen s[3];
	struct tyst_err err[3];
	unsigned char dg[3][32];
	int rc[3], fd;

	if (rules == NULL && tyst_rules_load(&rules, NULL, &err[0]) < 0)
		abort();        /* the default rules must load */
	if ((fd = mkstemp(path)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	for (int i = 0; i < 3; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		memset(&err[i], 0, sizeof(err[i]));
		s[i].size = size;
		tyst_sha256_init(&s[i].sha);
	}
	rc[0] = by_lines(rules, path, &s[0], &err[0]);
	rc[1] = by_stream(rules, path, 1, &s[1], &err[1]);
	rc[2] = by_stream(rules, path, 2, &s[2], &err[2]);
	unlink(path);
	for (int i = 0; i < 3; i++)
		tyst_sha256_final(&s[i].sha, dg[i]);
	for (int i = 1; i < 3; i++) {
		if ((rc[i] < 0) != (rc[0] < 0) || s[i].findings != s[0].findings ||
		    memcmp(dg[i], dg[0], 32) != 0)
			abort();
		if (rc[0] < 0 && (err[i].line != err[0].line ||
		    strcmp(err[i].msg, err[0].msg) != 0))
			abort();
	}
	return 0;
}
