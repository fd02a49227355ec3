/*
 * libFuzzer harness: the reader of Swedish number words over arbitrary
 * bytes.  Besides not crashing, it checks what must always hold: runs and
 * their groups lie inside the input and in order, the groups' digits make
 * the run's, and a run read again on its own, or from where it starts,
 * gives the same digits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/numerals.h"
#include "tyst/pnr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_run(const char *s, size_t size, size_t from,
    const struct tyst_num_run *r)
{
	struct tyst_num_run again;
	unsigned nd = 0, words = 0;
	size_t last;

	if (r->start < from || r->end > size || r->start >= r->end ||
	    r->ngroups == 0 || r->ngroups > TYST_NUM_MAXGROUPS ||
	    r->ndigits > TYST_NUM_MAXDIGITS || r->nwords == 0 ||
	    strlen(r->digits) != r->ndigits)
		abort();
	last = r->start;
	for (unsigned k = 0; k < r->ngroups; k++) {
		const struct tyst_num_group *g = &r->g[k];

		if (g->start < last || g->end <= g->start || g->end > r->end ||
		    g->dstart != nd || g->ndig == 0)
			abort();
		nd += g->ndig;
		words += g->word;
		last = g->end;
	}
	if (nd != r->ndigits || words != r->nwords || last != r->end)
		abort();
	if (!tyst_num_parse(s + r->start, r->end - r->start, &again) ||
	    strcmp(again.digits, r->digits) != 0)
		abort();
	/* Read from where it starts, the run is the same. */
	if (!tyst_num_at(s, size, r->start, &again) || again.end != r->end ||
	    strcmp(again.digits, r->digits) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct tyst_num_run r;
	size_t at = 0;

	while (tyst_num_next(s, size, at, &r)) {
		unsigned g = 0;
		struct tyst_pnr p, q;

		check_run(s, size, at, &r);
		while (tyst_pnr_from_run(s, size, &r, &g, 20261125, &p)) {
			if (p.start < r.start || p.end > r.end ||
			    p.dig_start < p.start || p.dig_start >= p.end)
				abort();
			if (!tyst_pnr_parse(s + p.start, p.end - p.start,
			    20261125, &q) || strcmp(q.digits, p.digits) != 0)
				abort();
		}
		at = r.end;
	}
	tyst_num_parse(s, size, &r);
	return 0;
}
