/*
 * libFuzzer harness for the codebook loader, the YAML writer and the
 * REFI-QDA reader.  Whatever loads must write YAML that loads again, and
 * a .qdc that reads back with the same ids.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/codebook.h"
#include "tyst/qdc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
write_to_mem(const struct tyst_codebook *cb, int qdc, size_t *len)
{
	struct tyst_err err;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int rc;

	if (f == NULL)
		abort();
	rc = qdc ? tyst_qdc_write(cb, f, 0, &err) :
	    tyst_codebook_write_yaml(cb, f, &err);
	fclose(f);
	if (rc < 0)
		abort();
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tyst_codebook cb, back;
	struct tyst_err err;
	char *out;
	size_t len;

	if (tyst_codebook_load_mem(&cb, "fuzz", (const char *)data, size, 1,
	    &err) == 0) {
		out = write_to_mem(&cb, 0, &len);
		if (tyst_codebook_load_mem(&back, "again", out, len, 1,
		    &err) < 0)
			abort();
		if (back.ncodes != cb.ncodes)
			abort();
		tyst_codebook_free(&back);
		free(out);
		out = write_to_mem(&cb, 1, &len);
		if (tyst_qdc_read_mem(&back, "qdc", out, len, 1, &err) < 0)
			abort();
		for (size_t i = 0; i < cb.ncodes; i++)
			if (strcmp(cb.codes[i].id, back.codes[i].id) != 0)
				abort();
		tyst_codebook_free(&back);
		free(out);
		tyst_codebook_free(&cb);
	}
	/* The same bytes as REFI-QDA XML. */
	if (tyst_qdc_read_mem(&cb, "fuzz.qdc", (const char *)data, size, 1,
	    &err) == 0)
		tyst_codebook_free(&cb);
	return 0;
}
