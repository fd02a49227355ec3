/*
 * libFuzzer harness for the format layer (lib/input*.c): encodings,
 * WebVTT and SRT.  The first byte picks the format to force (or sniffing);
 * the rest is the file.  Besides not crashing it checks what must hold:
 * a refused file has a message; the view is UTF-8 without NUL bytes, with
 * as many lines as the line starts say; every view offset maps into the
 * file; and writing the view back unchanged gives the file byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const forced[] = {
	"auto", "text", "utf-8", "utf-16le", "utf-16be", "cp1252", "vtt", "srt"
};

/*
 * Every third letter run replaced, as tyst-pseudo replaces names: the
 * writer either writes a file whose view is the changed one (it checks
 * that itself) or says why not.
 */
static void
changed(const struct tyst_input *d)
{
	struct tyst_err err;
	char *nv = malloc(d->vlen * 2 + 16), *out;
	size_t n = 0, outlen, k = 0;

	if (nv == NULL)
		abort();
	for (size_t i = 0; i < d->vlen;) {
		size_t j = i;

		while (j < d->vlen && ((d->view[j] >= 'A' && d->view[j] <= 'Z') ||
		    (d->view[j] >= 'a' && d->view[j] <= 'z')))
			j++;
		if (j > i && k++ % 3 == 0) {
			memcpy(nv + n, j - i > 3 ? "Xyz" : "Kvarnb", j - i > 3 ? 3 : 6);
			n += j - i > 3 ? 3 : 6;
			i = j;
			continue;
		}
		if (j == i)
			j++;
		memcpy(nv + n, d->view + i, j - i);
		n += j - i;
		i = j;
	}
	err.msg[0] = '\0';
	if (tyst_input_write(d, nv, n, &out, &outlen, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
	} else
		free(out);
	free(nv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum tyst_input_format fmt;
	enum tyst_input_enc enc;
	struct tyst_input d;
	struct tyst_err err;
	char *out;
	size_t outlen, bad;
	int nul;

	if (size < 1)
		return 0;
	if (tyst_input_parse_format(forced[data[0] % 8], &fmt, &enc) < 0)
		abort();
	err.msg[0] = '\0';
	if (tyst_input_from_mem(&d, "fuzz", (const char *)data + 1, size - 1,
	    fmt, enc, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (tyst_utf8_check(d.view, d.vlen, &bad, &nul) < 0)
		abort();
	if (d.nvlines == 0 || d.vlines[0] != 0)
		abort();
	for (size_t i = 0; i < d.vlen; i++) {
		uint64_t s = tyst_input_src(&d, i), e = tyst_input_src_end(&d,
		    i + 1);

		if (s > d.rawlen || e > d.rawlen)
			abort();
	}
	if (tyst_input_write(&d, d.view, d.vlen, &out, &outlen, &err) < 0) {
		/* Reading a view back may fail only where the file is not
		 * what its view says (text forced on something else). */
		if (err.msg[0] == '\0')
			abort();
		tyst_input_free(&d);
		return 0;
	}
	if (outlen != d.rawlen || memcmp(out, d.raw, outlen) != 0)
		abort();
	free(out);
	changed(&d);
	tyst_input_free(&d);
	return 0;
}
