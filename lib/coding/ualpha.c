/*
 * ualpha — see include/tyst/ualpha.h.
 *
 * Each coder's units are joined where they overlap and laid out with the
 * gaps between them as one row of sections; D_o walks two rows at once
 * (only sections that intersect can disagree), D_e sums over the units
 * with the gaps sorted by length, so a unit's gaps at least as long are a
 * binary search and a prefix sum away.  Sums are long double: lengths
 * cubed of a long continuum exceed what a double holds exactly.
 */
#include "tyst/ualpha.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct section {
	uint64_t b, l;
	int unit;
};

struct row {
	struct section *s;
	size_t n;
};

static int
unit_cmp(const void *a, const void *b)
{
	const struct tyst_uunit *x = a, *y = b;

	if (x->coder != y->coder)
		return x->coder < y->coder ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static int
u64_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x > y ? -1 : x < y;
}

static void
push(struct row *r, uint64_t b, uint64_t e, int unit)
{
	if (e > b) {
		r->s[r->n].b = b;
		r->s[r->n].l = e - b;
		r->s[r->n].unit = unit;
		r->n++;
	}
}

/* The rows of sections, from the sorted units; *nunits counts the joined
 * units. */
static void
build_rows(const struct tyst_uunit *v, size_t n, size_t ncoders,
    uint64_t len, struct row *rows, size_t *nunits)
{
	size_t i = 0;

	*nunits = 0;
	for (size_t c = 0; c < ncoders; c++) {
		uint64_t at = 0;

		while (i < n && v[i].coder < c)
			i++;
		while (i < n && v[i].coder == c) {
			uint64_t b = v[i].start, e = v[i].end;

			if (e > len)
				e = len;
			for (i++; i < n && v[i].coder == c &&
			    v[i].start < e; i++)
				if (v[i].end > e)
					e = v[i].end > len ? len : v[i].end;
			if (b < at)
				b = at;
			if (e <= b)
				continue;
			push(&rows[c], at, b, 0);
			push(&rows[c], b, e, 1);
			(*nunits)++;
			at = e;
		}
		push(&rows[c], at, len, 0);
	}
}

static long double
sq(long double x)
{
	return x * x;
}

/* d2 of two sections that intersect. */
static long double
delta2(const struct section *g, const struct section *h)
{
	long double db = (long double)g->b - (long double)h->b;
	long double de = (long double)(g->b + g->l) - (long double)(h->b + h->l);

	if (g->unit && h->unit)
		return sq(db) + sq(de);
	if (g->unit && !h->unit && h->b <= g->b && g->b + g->l <= h->b + h->l)
		return sq((long double)g->l);
	if (!g->unit && h->unit && g->b <= h->b && h->b + h->l <= g->b + g->l)
		return sq((long double)h->l);
	return 0;
}

/* The sum of d2 over the intersecting sections of two rows. */
static long double
pair_sum(const struct row *x, const struct row *y)
{
	size_t i = 0, j = 0;
	long double sum = 0;

	while (i < x->n && j < y->n) {
		const struct section *g = &x->s[i], *h = &y->s[j];

		sum += delta2(g, h);
		if (g->b + g->l < h->b + h->l)
			i++;
		else if (h->b + h->l < g->b + g->l)
			j++;
		else {
			i++;
			j++;
		}
	}
	return sum;
}

static long double
expected(const struct row *rows, size_t ncoders, uint64_t len, size_t nunits,
    uint64_t *gaps, long double *pre)
{
	long double m = (long double)ncoders, L = (long double)len;
	long double sum = 0, denom = m * L * (m * L - 1);
	size_t ng = 0;

	for (size_t c = 0; c < ncoders; c++)
		for (size_t i = 0; i < rows[c].n; i++)
			if (!rows[c].s[i].unit)
				gaps[ng++] = rows[c].s[i].l;
	qsort(gaps, ng, sizeof(*gaps), u64_desc);
	pre[0] = 0;
	for (size_t i = 0; i < ng; i++)
		pre[i + 1] = pre[i] + (long double)gaps[i];
	for (size_t c = 0; c < ncoders; c++)
		for (size_t i = 0; i < rows[c].n; i++) {
			long double l = (long double)rows[c].s[i].l;
			size_t lo = 0, hi = ng;

			if (!rows[c].s[i].unit)
				continue;
			/* gaps[0..lo) are the gaps at least l long */
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;

				if (gaps[mid] >= rows[c].s[i].l)
					lo = mid + 1;
				else
					hi = mid;
			}
			sum += ((long double)nunits - 1) / 3 *
			    (2 * l * l * l - 3 * l * l + l);
			sum += l * l * (pre[lo] - (long double)lo * (l - 1));
			denom -= l * (l - 1);
		}
	if (denom <= 0 || len == 0)
		return 0;
	return 2 / L * sum / denom;
}

int
tyst_ualpha(struct tyst_uunit *v, size_t n, size_t ncoders, uint64_t len,
    struct tyst_ualpha *out, struct tyst_err *err)
{
	struct row *rows;
	struct section *all;
	uint64_t *gaps;
	long double *pre, dobs = 0, dexp;
	size_t cap = 2 * n + ncoders;

	memset(out, 0, sizeof(*out));
	out->alpha = NAN;
	if (ncoders < 2 || len == 0)
		return 0;
	if (n > 0)
		qsort(v, n, sizeof(*v), unit_cmp);
	rows = calloc(ncoders, sizeof(*rows));
	all = malloc(cap * sizeof(*all));
	gaps = malloc(cap * sizeof(*gaps));
	pre = malloc((cap + 1) * sizeof(*pre));
	if (rows == NULL || all == NULL || gaps == NULL || pre == NULL) {
		free(rows);
		free(all);
		free(gaps);
		free(pre);
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	}
	/* Each coder's row gets room for all its units and gaps. */
	{
		size_t at = 0, i = 0;

		for (size_t c = 0; c < ncoders; c++) {
			size_t k = 0;

			while (i < n && v[i].coder == c) {
				i++;
				k++;
			}
			rows[c].s = all + at;
			at += 2 * k + 1;
		}
	}
	build_rows(v, n, ncoders, len, rows, &out->units);
	for (size_t i = 0; i < ncoders; i++)
		for (size_t j = i + 1; j < ncoders; j++)
			dobs += pair_sum(&rows[i], &rows[j]);
	dobs = 2 * dobs / ((long double)ncoders * (long double)(ncoders - 1) *
	    sq((long double)len));
	dexp = expected(rows, ncoders, len, out->units, gaps, pre);
	out->dobs = (double)dobs;
	out->dexp = (double)dexp;
	if (dexp > 0)
		out->alpha = (double)(1 - dobs / dexp);
	free(rows);
	free(all);
	free(gaps);
	free(pre);
	return 0;
}
