/*
 * libFuzzer harness for Taguette's codebook CSV (lib/refi/tagcsv.c).  Whatever
 * reads must make a codebook, unless a tag is too deep or the loader
 * refuses a label; a codebook made must write CSV that reads back as the
 * same number of codable codes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/codebook.h"
#include "tyst/tagcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
codable(const struct tyst_codebook *cb)
{
	size_t n = 0;

	for (size_t i = 0; i < cb->ncodes; i++)
		n += !cb->codes[i].uncodable;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tyst_codebook cb, back;
	struct tyst_tag *tags, *tags2;
	struct tyst_err err;
	size_t n, n2, len = 0;
	char *out = NULL;
	FILE *f;

	if (tyst_tags_read_csv("fuzz", (const char *)data, size, &tags, &n,
	    &err) < 0)
		return 0;
	if (tyst_codebook_from_tags(&cb, "fuzz", tags, n, &err) < 0) {
		tyst_tags_free(tags, n);
		return 0;
	}
	tyst_tags_free(tags, n);
	if ((f = open_memstream(&out, &len)) == NULL)
		abort();
	if (tyst_codebook_write_csv(&cb, f, &err) < 0)
		abort();
	fclose(f);
	/* Labels with dots of their own split on the way back; only a book
	 * without them must come back whole. */
	int dots = 0;

	for (size_t i = 0; i < cb.ncodes; i++)
		dots |= strchr(cb.codes[i].label, '.') != NULL;
	if (!dots && codable(&cb) > 0) {
		if (tyst_tags_read_csv("again", out, len, &tags2, &n2,
		    &err) < 0)
			abort();
		if (tyst_codebook_from_tags(&back, "again", tags2, n2,
		    &err) < 0)
			abort();
		if (codable(&back) != codable(&cb))
			abort();
		tyst_codebook_free(&back);
		tyst_tags_free(tags2, n2);
	}
	free(out);
	tyst_codebook_free(&cb);
	return 0;
}
