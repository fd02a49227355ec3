/*
 * occhold — holding a line's findings for the occurrence decisions
 * (include/tyst/occhold.h).  The decisions themselves are applied by
 * lib/detect/rules.c (tyst_occs_apply); this is only the holding.
 */
#include <stdlib.h>
#include <string.h>

#include "tyst/occhold.h"

static int
hold(struct tyst_occhold *h, size_t need)
{
	void *p;
	size_t nc;

	if (need <= h->capheld)
		return 0;
	nc = need < 16 ? 16 : need * 2;
	if ((p = realloc(h->held, nc * sizeof(*h->held))) == NULL)
		return -1;
	h->held = p;
	h->capheld = nc;
	return 0;
}

void
tyst_occhold_start(struct tyst_occhold *h, const struct tyst_rule_occ *occs,
    size_t noccs)
{
	h->occs = occs;
	h->noccs = noccs;
	h->nheld = 0;
	h->holding = 0;
}

int
tyst_occhold_flush(struct tyst_occhold *h, const struct tyst_rules *r,
    tyst_finding_fn fn, void *ctx)
{
	size_t n;

	if (!h->holding)
		return 0;
	h->holding = 0;
	if (hold(h, h->nheld + tyst_occs_in_line(h->occs, h->noccs,
	    &h->line)) < 0)
		return -1;
	n = tyst_occs_apply(r, h->occs, h->noccs, &h->line, h->held,
	    h->nheld);
	for (size_t i = 0; i < n; i++)
		fn(&h->held[i], ctx);
	h->nheld = 0;
	return 0;
}

int
tyst_occhold_line(struct tyst_occhold *h, const struct tyst_rules *r,
    const struct tyst_line *ln, tyst_finding_fn fn, void *ctx)
{
	if (tyst_occhold_flush(h, r, fn, ctx) < 0)
		return -1;
	if (ln->len + 1 > h->lcap) {
		char *p = realloc(h->lbuf, ln->len + 1);

		if (p == NULL)
			return -1;
		h->lbuf = p;
		h->lcap = ln->len + 1;
	}
	memcpy(h->lbuf, ln->p, ln->len);
	h->line = *ln;
	h->line.p = h->lbuf;
	h->holding = 1;
	return 0;
}

int
tyst_occhold_add(struct tyst_occhold *h, const struct tyst_finding *f)
{
	struct tyst_finding *g;

	if (hold(h, h->nheld + 1) < 0)
		return -1;
	g = &h->held[h->nheld++];
	*g = *f;
	g->text = h->line.p + (f->start - h->line.off);
	return 0;
}

void
tyst_occhold_free(struct tyst_occhold *h)
{
	free(h->held);
	free(h->lbuf);
	memset(h, 0, sizeof(*h));
}
