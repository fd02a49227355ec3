/*
 * agree — see include/tyst/agree.h.
 *
 * Nominal alpha needs no coincidence matrix in memory: the row sums of the
 * matrix are simply how often each label was used in pairable units (n_c),
 * and the off-diagonal total is the within-unit disagreement.  So
 *
 *     alpha = 1 - (n - 1) * D / (n^2 - sum_c n_c^2)
 *
 * where D is the sum over pairable units of (ordered disagreeing pairs) /
 * (m_u - 1).  That is the coincidence-matrix formula with the matrix
 * summed out, and keeps memory linear in the number of labels.
 */
#include "tyst/agree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/text.h"

static char *
dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
tyst_rdata_init(struct tyst_rdata *d, size_t ncoders,
    const char *const *coders, struct tyst_err *err)
{
	memset(d, 0, sizeof(*d));
	if (ncoders < 2)
		return tyst_err_set(err, "", 0, 0, "agreement needs at least "
		    "two coders, got %zu", ncoders);
	for (size_t i = 0; i < ncoders; i++) {
		if (coders[i] == NULL || coders[i][0] == '\0')
			return tyst_err_set(err, "", 0, 0, "coder %zu has "
			    "no name", i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(coders[i], coders[j]) == 0)
				return tyst_err_set(err, "", 0, 0, "coder '%s' "
				    "is named twice", coders[i]);
	}
	d->coders = calloc(ncoders, sizeof(*d->coders));
	d->coder_col = calloc(ncoders, sizeof(*d->coder_col));
	if (d->coders == NULL || d->coder_col == NULL)
		goto nomem;
	d->ncoders = ncoders;
	for (size_t i = 0; i < ncoders; i++)
		if ((d->coders[i] = strdup(coders[i])) == NULL)
			goto nomem;
	return 0;
nomem:
	tyst_rdata_free(d);
	return tyst_err_set(err, "", 0, 0, "out of memory");
}

void
tyst_rdata_free(struct tyst_rdata *d)
{
	for (size_t i = 0; i < d->ncoders && d->coders != NULL; i++)
		free(d->coders[i]);
	for (size_t i = 0; i < d->nlabels; i++)
		free(d->labels[i]);
	free(d->coders);
	free(d->coder_col);
	free(d->labels);
	free(d->val);
	free(d->weight);
	free(d->name);
	memset(d, 0, sizeof(*d));
}

/*
 * Labels are few in practice (a code's present/absent, a handful of
 * categories), so a linear search is the simplest thing that is fast.
 */
int
tyst_rdata_label(struct tyst_rdata *d, const char *label, size_t len)
{
	char **nl, *s;

	for (size_t i = 0; i < d->nlabels; i++)
		if (strlen(d->labels[i]) == len &&
		    memcmp(d->labels[i], label, len) == 0)
			return (int)i;
	if (d->nlabels >= (size_t)INT32_MAX)
		return -1;
	if ((s = dupn(label, len)) == NULL)
		return -1;
	nl = realloc(d->labels, (d->nlabels + 1) * sizeof(*nl));
	if (nl == NULL) {
		free(s);
		return -1;
	}
	d->labels = nl;
	d->labels[d->nlabels] = s;
	return (int)d->nlabels++;
}

int
tyst_rdata_add(struct tyst_rdata *d, const int *vals, uint64_t weight,
    struct tyst_err *err)
{
	if (d->nunits == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 64;
		int *nv;
		uint64_t *nw;

		if (ncap > SIZE_MAX / sizeof(int) / d->ncoders)
			return tyst_err_set(err, "", 0, 0, "out of memory");
		nv = realloc(d->val, ncap * d->ncoders * sizeof(*nv));
		if (nv == NULL)
			return tyst_err_set(err, "", 0, 0, "out of memory");
		d->val = nv;
		nw = realloc(d->weight, ncap * sizeof(*nw));
		if (nw == NULL)
			return tyst_err_set(err, "", 0, 0, "out of memory");
		d->weight = nw;
		d->cap = ncap;
	}
	memcpy(d->val + d->nunits * d->ncoders, vals,
	    d->ncoders * sizeof(*vals));
	d->weight[d->nunits++] = weight;
	return 0;
}

/* ---- reading a matrix ---------------------------------------------------- */

struct cell {
	const char *p;
	size_t len;
	size_t col;          /* 1-based, in characters */
};

/* Splits a line at tabs into cells trimmed of spaces.  Returns the number
 * of cells, or -1 when out of memory. */
static long
split(const char *p, size_t len, struct cell **cells, size_t *cap)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && p[i] != '\t')
			continue;
		if (n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			struct cell *nc = realloc(*cells, ncap * sizeof(*nc));

			if (nc == NULL)
				return -1;
			*cells = nc;
			*cap = ncap;
		}
		size_t s = start, e = i;
		while (s < e && p[s] == ' ')
			s++;
		while (e > s && p[e - 1] == ' ')
			e--;
		(*cells)[n].p = p + s;
		(*cells)[n].len = e - s;
		(*cells)[n].col = tyst_utf8_count(p, s) + 1;
		n++;
		start = i + 1;
	}
	return (long)n;
}

static int
read_header(struct tyst_rdata *d, const char *name, const struct tyst_line *ln,
    struct cell *cells, long n, struct tyst_err *err)
{
	char **names;
	int rc;

	if (n < 2)
		return tyst_err_set(err, name, ln->lineno, 1, "the first row "
		    "must name at least two coders, separated by tabs "
		    "(found %ld)", n);
	for (long i = 0; i < n; i++) {
		if (cells[i].len == 0)
			return tyst_err_set(err, name, ln->lineno, cells[i].col,
			    "coder %ld has no name in the first row", i + 1);
		for (long j = 0; j < i; j++)
			if (cells[j].len == cells[i].len && memcmp(cells[j].p,
			    cells[i].p, cells[i].len) == 0)
				return tyst_err_set(err, name, ln->lineno,
				    cells[i].col, "coder '%.*s' is named "
				    "twice (also column %zu)", (int)cells[i].len,
				    cells[i].p, cells[j].col);
	}
	names = calloc((size_t)n, sizeof(*names));
	if (names == NULL)
		return tyst_err_set(err, name, 0, 0, "out of memory");
	for (long i = 0; i < n; i++)
		if ((names[i] = dupn(cells[i].p, cells[i].len)) == NULL) {
			rc = tyst_err_set(err, name, 0, 0, "out of memory");
			goto out;
		}
	rc = tyst_rdata_init(d, (size_t)n, (const char *const *)names, err);
	if (rc == 0)
		for (long i = 0; i < n; i++)
			d->coder_col[i] = cells[i].col;
out:
	for (long i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int
load(struct tyst_rdata *d, struct tyst_reader *r, struct tyst_err *err)
{
	struct tyst_line ln;
	struct cell *cells = NULL;
	size_t cap = 0, header_line = 0;
	int *vals = NULL, rc = -1, more;
	size_t *seen = NULL;

	while ((more = tyst_reader_next(r, &ln, err)) > 0) {
		long n;

		if (ln.len == 0)
			continue;
		if ((n = split(ln.p, ln.len, &cells, &cap)) < 0) {
			tyst_err_set(err, r->name, ln.lineno, 0,
			    "out of memory");
			goto out;
		}
		if (header_line == 0) {
			if (read_header(d, r->name, &ln, cells, n, err) < 0)
				goto out;
			header_line = ln.lineno;
			vals = calloc(d->ncoders, sizeof(*vals));
			seen = calloc(d->ncoders, sizeof(*seen));
			if (vals == NULL || seen == NULL) {
				tyst_err_set(err, r->name, 0, 0,
				    "out of memory");
				goto out;
			}
			continue;
		}
		if ((size_t)n != d->ncoders) {
			tyst_err_set(err, r->name, ln.lineno, (size_t)n >
			    d->ncoders ? cells[d->ncoders].col : 1,
			    "row has %ld cells, but line %zu names %zu coders "
			    "(an empty cell is a missing value, but its tab "
			    "must be there)", n, header_line, d->ncoders);
			goto out;
		}
		for (size_t i = 0; i < d->ncoders; i++) {
			if (cells[i].len == 0) {
				vals[i] = TYST_AGREE_MISSING;
				continue;
			}
			vals[i] = tyst_rdata_label(d, cells[i].p, cells[i].len);
			if (vals[i] < 0) {
				tyst_err_set(err, r->name, ln.lineno,
				    cells[i].col, "out of memory");
				goto out;
			}
			seen[i]++;
		}
		if (tyst_rdata_add(d, vals, 1, err) < 0)
			goto out;
	}
	if (more < 0)
		goto out;
	if (header_line == 0) {
		tyst_err_set(err, r->name, 0, 0, "empty: expected a first row "
		    "naming the coders, then one row per unit");
		goto out;
	}
	for (size_t i = 0; i < d->ncoders; i++)
		if (seen[i] == 0) {
			tyst_err_set(err, r->name, header_line, d->coder_col[i],
			    "coder '%s' has no values", d->coders[i]);
			goto out;
		}
	rc = 0;
out:
	free(cells);
	free(vals);
	free(seen);
	return rc;
}

int
tyst_rdata_load_tsv(struct tyst_rdata *d, const char *path,
    struct tyst_err *err)
{
	struct tyst_reader r;
	int rc;

	memset(d, 0, sizeof(*d));
	if (tyst_reader_open(&r, path, err) < 0)
		return -1;
	rc = load(d, &r, err);
	if (rc == 0 && (d->name = strdup(r.name)) == NULL)
		rc = tyst_err_set(err, r.name, 0, 0, "out of memory");
	tyst_reader_close(&r);
	if (rc < 0)
		tyst_rdata_free(d);
	return rc;
}

/* ---- the figures --------------------------------------------------------- */

/* Cohen's kappa over the units both coders valued. */
static double
kappa(const struct tyst_rdata *d, double *pa, double *pb)
{
	double total = 0, agree = 0, pe = 0;

	memset(pa, 0, d->nlabels * sizeof(*pa));
	memset(pb, 0, d->nlabels * sizeof(*pb));
	for (size_t u = 0; u < d->nunits; u++) {
		const int *v = d->val + u * 2;
		double w = (double)d->weight[u];

		if (v[0] < 0 || v[1] < 0)
			continue;
		total += w;
		if (v[0] == v[1])
			agree += w;
		pa[v[0]] += w;
		pb[v[1]] += w;
	}
	if (total == 0)
		return NAN;
	for (size_t c = 0; c < d->nlabels; c++)
		pe += (pa[c] / total) * (pb[c] / total);
	/* Chance agreement is total: both coders used one and the same
	 * label throughout, and kappa is 0/0. */
	if (pe >= 1.0 - 1e-12)
		return NAN;
	return (agree / total - pe) / (1.0 - pe);
}

int
tyst_agree_compute(const struct tyst_rdata *d, struct tyst_agreement *a,
    struct tyst_err *err)
{
	double *nc, *pa = NULL, *pb = NULL;
	double n = 0, dis = 0, pct = 0, sumsq = 0;

	memset(a, 0, sizeof(*a));
	a->percent = a->kappa = a->alpha = NAN;
	nc = calloc(d->nlabels + 1, sizeof(*nc));
	if (nc == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	for (size_t u = 0; u < d->nunits; u++) {
		const int *v = d->val + u * d->ncoders;
		uint64_t w = d->weight[u];
		size_t m = 0, agree = 0, pairs;

		a->units += w;
		for (size_t i = 0; i < d->ncoders; i++) {
			if (v[i] < 0)
				continue;
			m++;
			for (size_t j = 0; j < i; j++)
				if (v[j] == v[i])
					agree++;
		}
		if (m < 2)
			continue;
		/* agree counts unordered pairs; ordered ones are twice. */
		pairs = m * (m - 1) / 2;
		a->pairable += w;
		a->values += w * m;
		pct += (double)w * (double)agree / (double)pairs;
		dis += (double)w * (double)(2 * (pairs - agree)) /
		    (double)(m - 1);
		for (size_t i = 0; i < d->ncoders; i++)
			if (v[i] >= 0)
				nc[v[i]] += (double)w;
	}
	n = (double)a->values;
	for (size_t c = 0; c < d->nlabels; c++)
		sumsq += nc[c] * nc[c];
	if (a->pairable > 0)
		a->percent = pct / (double)a->pairable;
	if (n > 1 && n * n - sumsq > 0)
		a->alpha = 1.0 - (n - 1.0) * dis / (n * n - sumsq);
	free(nc);
	if (d->ncoders != 2)
		return 0;
	pa = calloc(d->nlabels + 1, sizeof(*pa));
	pb = calloc(d->nlabels + 1, sizeof(*pb));
	if (pa == NULL || pb == NULL) {
		free(pa);
		free(pb);
		return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	a->kappa = kappa(d, pa, pb);
	free(pa);
	free(pb);
	return 0;
}
