/*
 * libFuzzer harness: the personnummer finder and the text module over
 * arbitrary bytes.  Besides not crashing, it checks what must always hold:
 * findings lie inside the input, in order, and parse back on their own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/pnr.h"
#include "tyst/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct tyst_text t;
	struct tyst_err err;
	struct tyst_pnr p, q;
	size_t at = 0, last = 0;

	while (tyst_pnr_find(s, size, at, 20261125, &p)) {
		if (p.start < last || p.end > size || p.start >= p.end ||
		    p.dig_start < p.start || p.dig_start >= p.end)
			abort();
		if (!tyst_pnr_parse(s + p.start, p.end - p.start, 20261125, &q) ||
		    q.valid != p.valid || strcmp(q.digits, p.digits) != 0)
			abort();
		last = at = p.end;
	}
	tyst_pnr_parse(s, size, 20261125, &q);

	if (tyst_text_from_mem(&t, "fuzz", s, size, &err) == 0) {
		for (size_t off = t.start; off < t.len; off += 1 + off % 7) {
			size_t line, col;

			if ((data[off] & 0xc0) == 0x80 || data[off] == '\n' ||
			    data[off] == '\r')
				continue;
			tyst_text_linecol(&t, off, &line, &col);
			if (tyst_text_offset(&t, line, col) != (long long)off)
				abort();
		}
		tyst_text_free(&t);
	}
	return 0;
}
