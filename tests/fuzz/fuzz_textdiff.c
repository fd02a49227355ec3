/*
 * libFuzzer harness for lib/coding/textdiff.c.  The input is two texts
 * split at the first NUL byte.  Besides not crashing it checks what the
 * runs promise: each is text the two share, in order, never overlapping,
 * on character boundaries; a span the diff calls unchanged has the same
 * text at its new place; every mapped span lies inside the new text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/text.h"
#include "tyst/textdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
boundary(const char *s, size_t len, size_t i)
{
	return i == len || ((unsigned char)s[i] & 0xc0) != 0x80;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *sep = memchr(in, '\0', size);
	const char *a, *b;
	size_t alen, blen, bad;
	struct tyst_diff d;
	struct tyst_err err;
	int nul;

	if (sep == NULL)
		return 0;
	a = in;
	alen = (size_t)(sep - in);
	b = sep + 1;
	blen = size - alen - 1;
	if (tyst_utf8_check(a, alen, &bad, &nul) < 0 ||
	    tyst_utf8_check(b, blen, &bad, &nul) < 0)
		return 0;
	if (tyst_diff_texts(a, alen, b, blen, &d, &err) < 0)
		abort();
	for (size_t i = 0; i < d.n; i++) {
		const struct tyst_diff_run *r = &d.v[i];

		if (r->len == 0 || r->a + r->len > alen ||
		    r->b + r->len > blen ||
		    memcmp(a + r->a, b + r->b, r->len) != 0 ||
		    !boundary(a, alen, r->a) || !boundary(b, blen, r->b) ||
		    !boundary(a, alen, r->a + r->len))
			abort();
		if (i > 0 && (d.v[i - 1].a + d.v[i - 1].len > r->a ||
		    d.v[i - 1].b + d.v[i - 1].len > r->b))
			abort();
	}
	/* Every span of a few characters. */
	for (size_t s = 0; s < alen; s += 1 + s % 7) {
		for (size_t e = s + 1; e <= alen && e < s + 40; e += 3) {
			size_t ns, ne;

			if (!boundary(a, alen, s) || !boundary(a, alen, e))
				continue;
			if (tyst_diff_map(&d, s, e, &ns, &ne) == 1) {
				if (ne - ns != e - s || ne > blen ||
				    memcmp(b + ns, a + s, e - s) != 0)
					abort();
			} else if (ns > ne || ne > blen)
				abort();
		}
	}
	tyst_diff_free(&d);
	return 0;
}
