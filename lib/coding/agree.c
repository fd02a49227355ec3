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

#include "tyst/project.h"
#include "tyst/text.h"
#include "tyst/turns.h"

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

/*
 * Fleiss' kappa (Fleiss 1971) over the units all coders coded: the mean
 * agreement within a unit, P, against the agreement expected from the
 * labels' overall shares, Pe: (P - Pe) / (1 - Pe).
 */
static int
fleiss(const struct tyst_rdata *d, struct tyst_agreement *a)
{
	double *share = calloc(d->nlabels + 1, sizeof(*share));
	double m = (double)d->ncoders, p = 0, pe = 0, n = 0;
	size_t *cnt = calloc(d->nlabels + 1, sizeof(*cnt));

	if (share == NULL || cnt == NULL) {
		free(share);
		free(cnt);
		return -1;
	}
	for (size_t u = 0; u < d->nunits; u++) {
		const int *v = d->val + u * d->ncoders;
		double w = (double)d->weight[u], sq = 0;
		size_t i;

		for (i = 0; i < d->ncoders && v[i] >= 0; i++)
			;
		if (i < d->ncoders)
			continue;
		memset(cnt, 0, (d->nlabels + 1) * sizeof(*cnt));
		for (i = 0; i < d->ncoders; i++)
			cnt[v[i]]++;
		for (size_t c = 0; c < d->nlabels; c++) {
			sq += (double)cnt[c] * (double)cnt[c];
			share[c] += w * (double)cnt[c];
		}
		p += w * (sq - m) / (m * (m - 1));
		n += w;
		a->complete += d->weight[u];
	}
	for (size_t c = 0; n > 0 && c < d->nlabels; c++)
		pe += (share[c] / (n * m)) * (share[c] / (n * m));
	if (n > 0 && pe < 1)
		a->fleiss = (p / n - pe) / (1 - pe);
	free(share);
	free(cnt);
	return 0;
}

int
tyst_agree_compute(const struct tyst_rdata *d, struct tyst_agreement *a,
    struct tyst_err *err)
{
	double *nc, *pa = NULL, *pb = NULL;
	double n = 0, dis = 0, pct = 0, sumsq = 0;

	memset(a, 0, sizeof(*a));
	a->percent = a->kappa = a->alpha = a->fleiss = NAN;
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
	if (d->ncoders >= 3 && fleiss(d, a) < 0)
		return tyst_err_set(err, "", 0, 0, "out of memory");
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

/* ---- agreement in a coding project ------------------------------------- */

struct seg {
	int64_t doc;
	size_t code, coder;
	size_t start, end;
};

/* The continuum for u-alpha: the documents every coder coded, end to
 * end, in characters; the units of each code on it. */
struct ucont {
	struct tyst_uunit **v;     /* per code */
	size_t *n, *cap;
	uint64_t len;
	size_t docs;
};

struct pctx {
	struct tyst_agree_result *r;
	const struct tyst_agree_opts *o;
	const struct tyst_agree_speakers *sp;   /* or NULL */
	struct tyst_err *err;
	struct seg *segs;
	size_t nsegs, cap;
	size_t coder;
	size_t coder_total;        /* segments of the coder, any code */
	int64_t *doc_ids;
	size_t ndoc_ids;
	struct ucont uc;
	int oom;
};

/* Per-document state while its units are walked. */
struct pdoc {
	const char *text;
	size_t len;
	size_t didx;
	struct tyst_turns turns;
	size_t *lines;             /* byte offset of each line start */
	size_t nlines;
	size_t (*units)[2];        /* report units (and comparison units) */
	size_t nunits;
	size_t **pre;              /* per coder: covered bytes before i */
	int *diff;
	uint32_t valued;
	char *keep;                /* per byte: in a kept speaker's turn;
	                            * NULL: everything is kept */
};

static int
kept(const struct pdoc *d, size_t off)
{
	return d->keep == NULL || d->keep[off];
}

/* Marks the bytes of the turns whose speaker is one of sp's. */
static int
keep_speakers(struct pdoc *d, const struct tyst_agree_speakers *sp)
{
	if (sp == NULL || sp->n == 0)
		return 0;
	if ((d->keep = calloc(d->len + 1, 1)) == NULL)
		return -1;
	for (size_t t = 0; t < d->turns.n; t++) {
		const struct tyst_turn *tn = &d->turns.v[t];
		size_t n = tn->label_end - tn->label;

		for (size_t k = 0; k < sp->n; k++)
			if (strlen(sp->v[k]) == n && memcmp(d->text +
			    tn->label, sp->v[k], n) == 0)
				memset(d->keep + tn->start, 1,
				    tn->end - tn->start);
	}
	return 0;
}

#define ABSENT 0
#define PRESENT 1

static int
code_cb(const struct tyst_pcode *c, void *arg)
{
	struct pctx *x = arg;
	struct tyst_agree_result *r = x->r;
	struct tyst_agree_code *nc;

	if (x->o->ncodes > 0) {
		size_t i;

		for (i = 0; i < x->o->ncodes; i++)
			if (strcmp(x->o->codes[i], c->code) == 0)
				break;
		if (i == x->o->ncodes)
			return 0;
	}
	nc = realloc(r->codes, (r->ncodes + 1) * sizeof(*nc));
	if (nc == NULL)
		return x->oom = 1;
	r->codes = nc;
	memset(&nc[r->ncodes], 0, sizeof(*nc));
	nc[r->ncodes].code = strdup(c->code);
	nc[r->ncodes].label = strdup(c->label ? c->label : "");
	r->ncodes++;
	if (nc[r->ncodes - 1].code == NULL || nc[r->ncodes - 1].label == NULL)
		return x->oom = 1;
	return 0;
}

static int
seg_cb(const struct tyst_psegment *s, void *arg)
{
	struct pctx *x = arg;
	size_t k;

	x->coder_total++;
	for (k = 0; k < x->r->ncodes; k++)
		if (strcmp(x->r->codes[k].code, s->code) == 0)
			break;
	if (k == x->r->ncodes)
		return 0;
	if (x->nsegs == x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 256;
		struct seg *ns = realloc(x->segs, ncap * sizeof(*ns));

		if (ns == NULL)
			return x->oom = 1;
		x->segs = ns;
		x->cap = ncap;
	}
	x->segs[x->nsegs++] = (struct seg){ s->document_id, k, x->coder,
	    (size_t)s->start, (size_t)s->end };
	x->r->codes[k].used = 1;
	return 0;
}

/* Every document, and also the documents some coder touched. */
static int
doc_cb(const struct tyst_pdoc *d, void *arg)
{
	struct pctx *x = arg;
	struct tyst_agree_result *r = x->r;
	char **nd;
	int64_t *ni;

	nd = realloc(r->docs, (r->ndocs + 1) * sizeof(*nd));
	if (nd == NULL)
		return x->oom = 1;
	r->docs = nd;
	ni = realloc(x->doc_ids, (x->ndoc_ids + 1) * sizeof(*ni));
	if (ni == NULL)
		return x->oom = 1;
	x->doc_ids = ni;
	if ((r->docs[r->ndocs] = strdup(d->name)) == NULL)
		return x->oom = 1;
	r->ndocs++;
	x->doc_ids[x->ndoc_ids++] = d->id;
	return 0;
}

static int
seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	if (x->coder != y->coder)
		return x->coder < y->coder ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int
diff_cmp(const void *a, const void *b)
{
	const struct tyst_agree_diff *x = a, *y = b;

	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->code < y->code ? -1 : x->code > y->code;
}

static int
add_units(struct pdoc *d, enum tyst_agree_unit unit)
{
	enum tyst_unit u = unit == TYST_AGREE_SENTENCE ? TYST_UNIT_SENTENCE :
	    TYST_UNIT_TURN;
	size_t off = 0, cap = 0;

	while (off < d->len) {
		size_t s, e;
		uint32_t cp;

		if (tyst_unit_span(d->text, d->len, &d->turns, u, off, &s,
		    &e) == 0 && e > off) {
			if (d->nunits == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				void *nu = realloc(d->units,
				    ncap * sizeof(*d->units));

				if (nu == NULL)
					return -1;
				d->units = nu;
				cap = ncap;
			}
			d->units[d->nunits][0] = s < off ? off : s;
			d->units[d->nunits][1] = e;
			d->nunits++;
			off = e;
			continue;
		}
		off += tyst_utf8_decode(d->text + off, d->len - off, &cp);
	}
	return 0;
}

static size_t
line_of(const struct pdoc *d, size_t off)
{
	size_t lo = 0, hi = d->nlines;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->lines[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The unit's text on one line, cut short after 100 characters. */
static char *
excerpt(const char *p, size_t n)
{
	char *out = malloc(n + 4), *o = out;
	size_t chars = 0, i = 0;
	int space = 0;

	if (out == NULL)
		return NULL;
	while (i < n) {
		uint32_t cp;
		size_t l = tyst_utf8_decode(p + i, n - i, &cp);

		if (cp == '\n' || cp == '\t' || cp == '\r' || cp == ' ') {
			space = 1;
			i += l;
			continue;
		}
		if (chars >= 100) {
			memcpy(o, "\xe2\x80\xa6", 3);
			o += 3;
			break;
		}
		if (space && o > out) {
			*o++ = ' ';
			chars++;
		}
		space = 0;
		memcpy(o, p + i, l);
		o += l;
		i += l;
		chars++;
	}
	*o = '\0';
	return out;
}

static int
covered(const struct pdoc *d, size_t c, size_t s, size_t e)
{
	return d->pre[c][e] - d->pre[c][s] > 0;
}

static int
add_diff(struct tyst_agree_result *r, const struct pdoc *d, size_t code,
    size_t u, uint32_t applied, int extent)
{
	struct tyst_agree_diff *nd, *x;
	size_t s = d->units[u][0], e = d->units[u][1];
	long t;

	nd = realloc(r->diffs, (r->ndiffs + 1) * sizeof(*nd));
	if (nd == NULL)
		return -1;
	r->diffs = nd;
	x = &nd[r->ndiffs];
	memset(x, 0, sizeof(*x));
	x->doc = d->didx;
	x->code = code;
	x->start = s;
	x->end = e;
	x->line1 = line_of(d, s);
	x->line2 = line_of(d, e > s ? e - 1 : s);
	x->applied = applied;
	x->valued = d->valued;
	x->extent = extent;
	if ((t = tyst_turns_find(&d->turns, s)) >= 0) {
		const struct tyst_turn *tn = &d->turns.v[t];

		x->speaker = malloc(tn->label_end - tn->label + 1);
		if (x->speaker == NULL)
			return -1;
		memcpy(x->speaker, d->text + tn->label, tn->label_end -
		    tn->label);
		x->speaker[tn->label_end - tn->label] = '\0';
	}
	r->ndiffs++;
	if ((x->excerpt = excerpt(d->text + s, e - s)) == NULL)
		return -1;
	return 0;
}

/* Fills pre[c] for the coders' segments of one code in one document. */
static void
coverage(struct pdoc *d, size_t ncoders, const struct seg *v, size_t n)
{
	for (size_t c = 0; c < ncoders; c++) {
		int cur = 0;

		memset(d->diff, 0, (d->len + 1) * sizeof(*d->diff));
		for (size_t i = 0; i < n; i++) {
			size_t s = v[i].start, e = v[i].end;

			if (v[i].coder != c)
				continue;
			if (e > d->len)
				e = d->len;
			if (s >= e)
				continue;
			d->diff[s]++;
			d->diff[e]--;
		}
		d->pre[c][0] = 0;
		for (size_t i = 0; i < d->len; i++) {
			cur += d->diff[i];
			d->pre[c][i + 1] = d->pre[c][i] + (cur > 0);
		}
	}
}

static int
unanimous(const int *vals, size_t n)
{
	int first = TYST_AGREE_MISSING;

	for (size_t i = 0; i < n; i++) {
		if (vals[i] == TYST_AGREE_MISSING)
			continue;
		if (first == TYST_AGREE_MISSING)
			first = vals[i];
		else if (vals[i] != first)
			return 0;
	}
	return 1;
}

static int
add_both(struct tyst_rdata *rd, struct tyst_rdata *all, int used,
    const int *vals, uint64_t w, struct tyst_err *err)
{
	if (w == 0)
		return 0;
	if (tyst_rdata_add(rd, vals, w, err) < 0)
		return -1;
	if (used && tyst_rdata_add(all, vals, w, err) < 0)
		return -1;
	return 0;
}

/* The character units of one code in one document: runs of characters
 * the coders treated alike become one weighted unit. */
static int
walk_chars(struct tyst_agree_result *r, struct pdoc *d, size_t k, int any,
    struct tyst_rdata *rd, struct tyst_rdata *all, int *vals, int *prev,
    struct tyst_err *err)
{
	size_t nc = r->ncoders, i = 0, u = 0;
	uint64_t run = 0;
	char *flag = NULL;

	if (any && (flag = calloc(d->nunits + 1, 1)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	for (size_t c = 0; c < nc; c++)
		prev[c] = d->valued & (1u << c) ? ABSENT : TYST_AGREE_MISSING;
	while (i < d->len) {
		uint32_t cp;
		size_t l = tyst_utf8_decode(d->text + i, d->len - i, &cp);

		if (cp == '\n' || !any || !kept(d, i)) {
			run += cp != '\n' && !any && kept(d, i);
			i += l;
			continue;
		}
		for (size_t c = 0; c < nc; c++)
			vals[c] = !(d->valued & (1u << c)) ?
			    TYST_AGREE_MISSING : covered(d, c, i, i + l) ?
			    PRESENT : ABSENT;
		if (memcmp(vals, prev, nc * sizeof(*vals)) != 0) {
			if (add_both(rd, all, r->codes[k].used, prev, run,
			    err) < 0)
				goto fail;
			memcpy(prev, vals, nc * sizeof(*vals));
			run = 0;
		}
		run++;
		if (!unanimous(vals, nc)) {
			while (u < d->nunits && d->units[u][1] <= i)
				u++;
			if (u < d->nunits && d->units[u][0] <= i)
				flag[u] = 1;
		}
		i += l;
	}
	if (add_both(rd, all, r->codes[k].used, prev, run, err) < 0)
		goto fail;
	for (u = 0; any && u < d->nunits; u++) {
		uint32_t applied = 0;

		if (!flag[u])
			continue;
		for (size_t c = 0; c < nc; c++)
			if ((d->valued & (1u << c)) && covered(d, c,
			    d->units[u][0], d->units[u][1]))
				applied |= 1u << c;
		if (add_diff(r, d, k, u, applied, applied == d->valued) < 0) {
			tyst_err_set(err, "", 0, 0, "out of memory");
			goto fail;
		}
	}
	free(flag);
	return 0;
fail:
	free(flag);
	return -1;
}

static int
walk_units(struct tyst_agree_result *r, struct pdoc *d, size_t k, int any,
    struct tyst_rdata *rd, struct tyst_rdata *all, int *vals,
    struct tyst_err *err)
{
	size_t nc = r->ncoders;

	if (!any) {
		size_t n = 0;

		for (size_t c = 0; c < nc; c++)
			vals[c] = d->valued & (1u << c) ? ABSENT :
			    TYST_AGREE_MISSING;
		for (size_t u = 0; u < d->nunits; u++)
			n += kept(d, d->units[u][0]);
		return add_both(rd, all, r->codes[k].used, vals, n, err);
	}
	for (size_t u = 0; u < d->nunits; u++) {
		uint32_t applied = 0;

		if (!kept(d, d->units[u][0]))
			continue;

		for (size_t c = 0; c < nc; c++) {
			if (!(d->valued & (1u << c))) {
				vals[c] = TYST_AGREE_MISSING;
				continue;
			}
			vals[c] = covered(d, c, d->units[u][0],
			    d->units[u][1]) ? PRESENT : ABSENT;
			if (vals[c] == PRESENT)
				applied |= 1u << c;
		}
		if (add_both(rd, all, r->codes[k].used, vals, 1, err) < 0)
			return -1;
		if (!unanimous(vals, nc) && add_diff(r, d, k, u, applied,
		    0) < 0)
			return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	return 0;
}

static int
add_uunit(struct ucont *uc, size_t code, size_t coder, uint64_t s,
    uint64_t e)
{
	if (uc->n[code] == uc->cap[code]) {
		size_t c = uc->cap[code] ? uc->cap[code] * 2 : 64;
		struct tyst_uunit *nv = realloc(uc->v[code], c * sizeof(*nv));

		if (nv == NULL)
			return -1;
		uc->v[code] = nv;
		uc->cap[code] = c;
	}
	uc->v[code][uc->n[code]++] = (struct tyst_uunit){ coder, s, e };
	return 0;
}

/*
 * Lays a document every coder coded onto the u-alpha continuum: offsets
 * become counts of the kept characters before them, so the text of
 * speakers left out is not there at all and a segment across it is
 * shorter by it.
 */
static int
add_continuum(struct ucont *uc, const struct pdoc *d, size_t ncoders,
    const struct seg *v, size_t n)
{
	uint64_t *cmap, base = uc->len;

	if (d->valued != (ncoders == 32 ? 0xffffffffu :
	    (1u << ncoders) - 1))
		return 0;
	if ((cmap = malloc((d->len + 1) * sizeof(*cmap))) == NULL)
		return -1;
	cmap[0] = 0;
	for (size_t i = 0; i < d->len; i++)
		cmap[i + 1] = cmap[i] + (((unsigned char)d->text[i] & 0xc0) !=
		    0x80 && kept(d, i));
	for (size_t i = 0; i < n; i++) {
		size_t s = v[i].start < d->len ? v[i].start : d->len;
		size_t e = v[i].end < d->len ? v[i].end : d->len;

		if (cmap[e] > cmap[s] && add_uunit(uc, v[i].code, v[i].coder,
		    base + cmap[s], base + cmap[e]) < 0) {
			free(cmap);
			return -1;
		}
	}
	uc->len += cmap[d->len];
	uc->docs++;
	free(cmap);
	return 0;
}

static int
one_doc(struct tyst_agree_result *r, const struct tyst_agree_opts *o,
    const struct tyst_agree_speakers *sp, struct pdoc *d,
    const struct seg *v, size_t n, struct tyst_rdata *rd,
    struct tyst_rdata *all, struct ucont *uc, struct tyst_err *err)
{
	size_t nc = r->ncoders, j = 0;
	int vals[TYST_AGREE_MAX_CODERS], prev[TYST_AGREE_MAX_CODERS];

	if (tyst_turns_split(&d->turns, d->text, d->len, err) < 0)
		return -1;
	d->lines = malloc((d->len + 2) * sizeof(*d->lines));
	d->diff = malloc((d->len + 1) * sizeof(*d->diff));
	d->pre = calloc(nc, sizeof(*d->pre));
	if (d->lines == NULL || d->diff == NULL || d->pre == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	for (size_t c = 0; c < nc; c++)
		if ((d->pre[c] = malloc((d->len + 1) *
		    sizeof(**d->pre))) == NULL)
			return tyst_err_set(err, "", 0, 0, "out of memory");
	d->lines[d->nlines++] = 0;
	for (size_t i = 0; i < d->len; i++)
		if (d->text[i] == '\n')
			d->lines[d->nlines++] = i + 1;
	if (add_units(d, o->unit) < 0 || keep_speakers(d, sp) < 0 ||
	    add_continuum(uc, d, nc, v, n) < 0)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	for (size_t k = 0; k < r->ncodes; k++) {
		size_t first = j;
		int rc;

		while (j < n && v[j].code == k)
			j++;
		if (j > first)
			coverage(d, nc, v + first, j - first);
		if (o->unit == TYST_AGREE_CHAR)
			rc = walk_chars(r, d, k, j > first, &rd[k], all, vals,
			    prev, err);
		else
			rc = walk_units(r, d, k, j > first, &rd[k], all, vals,
			    err);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void
pdoc_free(struct pdoc *d, size_t ncoders)
{
	tyst_turns_free(&d->turns);
	free(d->keep);
	for (size_t c = 0; d->pre != NULL && c < ncoders; c++)
		free(d->pre[c]);
	free(d->pre);
	free(d->lines);
	free(d->units);
	free(d->diff);
}

static int
load_project(struct tyst_project *p, const struct tyst_agree_opts *o,
    struct pctx *x, struct tyst_err *err)
{
	struct tyst_agree_result *r = x->r;
	const char *path = tyst_project_path(p);

	if (tyst_project_codes(p, code_cb, x, err) < 0)
		return -1;
	if (x->oom)
		return tyst_err_set(err, path, 0, 0, "out of memory");
	for (size_t i = 0; i < o->ncodes; i++) {
		size_t k;

		for (k = 0; k < r->ncodes; k++)
			if (strcmp(r->codes[k].code, o->codes[i]) == 0)
				break;
		if (k == r->ncodes)
			return tyst_err_set(err, path, 0, 0, "unknown code '%s': "
			    "not in the project's codebook", o->codes[i]);
	}
	if (r->ncodes == 0)
		return tyst_err_set(err, path, 0, 0, "the project has no "
		    "codes");
	for (size_t c = 0; c < o->ncoders; c++) {
		struct tyst_segfilter f;
		int64_t id = tyst_project_coder(p, o->coders[c], 0, err);

		if (id < 0)
			return -1;
		if (id == 0)
			return tyst_err_set(err, path, 0, 0, "no coder '%s' "
			    "in the project", o->coders[c]);
		memset(&f, 0, sizeof(f));
		f.coder = o->coders[c];
		x->coder = c;
		x->coder_total = 0;
		if (tyst_project_segments(p, &f, seg_cb, x, err) < 0)
			return -1;
		if (x->oom)
			return tyst_err_set(err, path, 0, 0, "out of memory");
		if (x->coder_total == 0)
			return tyst_err_set(err, path, 0, 0, "coder '%s' has "
			    "no segments: nothing to compare", o->coders[c]);
	}
	if (tyst_project_documents(p, 0, doc_cb, x, err) < 0)
		return -1;
	if (x->oom)
		return tyst_err_set(err, path, 0, 0, "out of memory");
	qsort(x->segs, x->nsegs, sizeof(*x->segs), seg_cmp);
	return 0;
}

static int
compare_docs(struct tyst_project *p, const struct tyst_agree_opts *o,
    struct pctx *x, struct tyst_rdata *rd, struct tyst_rdata *all,
    struct tyst_err *err)
{
	struct tyst_agree_result *r = x->r;
	size_t j = 0;

	for (size_t di = 0; di < x->ndoc_ids; di++) {
		struct tyst_pdoc_owned od;
		struct pdoc d;
		size_t first, last;
		int rc;

		while (j < x->nsegs && x->segs[j].doc < x->doc_ids[di])
			j++;
		first = j;
		while (j < x->nsegs && x->segs[j].doc == x->doc_ids[di])
			j++;
		last = j;
		/* No chosen coder touched it: every value would be missing. */
		if (first == last)
			continue;
		rc = tyst_project_document_by_id(p, x->doc_ids[di], &od, err);
		if (rc <= 0)
			return rc < 0 ? -1 : tyst_err_set(err, "", 0, 0,
			    "document %s vanished", r->docs[di]);
		memset(&d, 0, sizeof(d));
		d.text = od.d.text;
		d.len = od.d.len;
		d.didx = di;
		for (size_t i = first; i < last; i++)
			d.valued |= 1u << x->segs[i].coder;
		rc = one_doc(r, o, x->sp, &d, x->segs + first, last - first,
		    rd, all, &x->uc, err);
		pdoc_free(&d, r->ncoders);
		tyst_pdoc_free(&od);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* u-alpha per code on the continuum, and pooled. */
static int
unitized(struct tyst_agree_result *r, struct ucont *uc, struct tyst_err *err)
{
	double dobs = 0, dexp = 0;

	r->ulength = uc->len;
	r->udocs = uc->docs;
	memset(&r->uoverall, 0, sizeof(r->uoverall));
	for (size_t k = 0; k < r->ncodes; k++) {
		struct tyst_ualpha *u = &r->codes[k].u;

		if (tyst_ualpha(uc->v[k], uc->n[k], r->ncoders, uc->len, u,
		    err) < 0)
			return -1;
		dobs += u->dobs;
		dexp += u->dexp;
		r->uoverall.units += u->units;
	}
	r->uoverall.dobs = dobs;
	r->uoverall.dexp = dexp;
	r->uoverall.alpha = dexp > 0 ? 1 - dobs / dexp : NAN;
	return 0;
}

int
tyst_agree_project(struct tyst_project *p, const struct tyst_agree_opts *o,
    struct tyst_agree_result *r, struct tyst_err *err)
{
	return tyst_agree_project_speakers(p, o, NULL, r, err);
}

int
tyst_agree_project_speakers(struct tyst_project *p,
    const struct tyst_agree_opts *o, const struct tyst_agree_speakers *sp,
    struct tyst_agree_result *r, struct tyst_err *err)
{
	struct pctx x = { .r = r, .o = o, .sp = sp, .err = err };
	struct tyst_rdata *rd = NULL, all;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	memset(&all, 0, sizeof(all));
	if (o->ncoders > TYST_AGREE_MAX_CODERS)
		return tyst_err_set(err, "", 0, 0, "at most %d coders",
		    TYST_AGREE_MAX_CODERS);
	if (tyst_rdata_init(&all, o->ncoders, o->coders, err) < 0)
		return -1;
	if (tyst_rdata_label(&all, "absent", 6) != ABSENT ||
	    tyst_rdata_label(&all, "present", 7) != PRESENT) {
		tyst_err_set(err, "", 0, 0, "out of memory");
		goto out;
	}
	r->ncoders = o->ncoders;
	if ((r->coders = calloc(o->ncoders, sizeof(*r->coders))) == NULL) {
		tyst_err_set(err, "", 0, 0, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < o->ncoders; c++)
		if ((r->coders[c] = strdup(o->coders[c])) == NULL) {
			tyst_err_set(err, "", 0, 0, "out of memory");
			goto out;
		}
	if (load_project(p, o, &x, err) < 0)
		goto out;
	if ((rd = calloc(r->ncodes, sizeof(*rd))) == NULL) {
		tyst_err_set(err, "", 0, 0, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < r->ncodes; k++) {
		if (tyst_rdata_init(&rd[k], o->ncoders, o->coders, err) < 0)
			goto out;
		tyst_rdata_label(&rd[k], "absent", 6);
		if (tyst_rdata_label(&rd[k], "present", 7) != PRESENT) {
			tyst_err_set(err, "", 0, 0, "out of memory");
			goto out;
		}
	}
	x.uc.v = calloc(r->ncodes, sizeof(*x.uc.v));
	x.uc.n = calloc(r->ncodes, sizeof(*x.uc.n));
	x.uc.cap = calloc(r->ncodes, sizeof(*x.uc.cap));
	if (x.uc.v == NULL || x.uc.n == NULL || x.uc.cap == NULL) {
		tyst_err_set(err, "", 0, 0, "out of memory");
		goto out;
	}
	if (compare_docs(p, o, &x, rd, &all, err) < 0 ||
	    unitized(r, &x.uc, err) < 0)
		goto out;
	for (size_t k = 0; k < r->ncodes; k++)
		if (tyst_agree_compute(&rd[k], &r->codes[k].a, err) < 0)
			goto out;
	if (tyst_agree_compute(&all, &r->overall, err) < 0)
		goto out;
	if (r->ndiffs > 1)
		qsort(r->diffs, r->ndiffs, sizeof(*r->diffs), diff_cmp);
	rc = 0;
out:
	for (size_t k = 0; rd != NULL && k < r->ncodes; k++)
		tyst_rdata_free(&rd[k]);
	free(rd);
	tyst_rdata_free(&all);
	free(x.segs);
	free(x.doc_ids);
	for (size_t k = 0; x.uc.v != NULL && k < r->ncodes; k++)
		free(x.uc.v[k]);
	free(x.uc.v);
	free(x.uc.n);
	free(x.uc.cap);
	if (rc < 0)
		tyst_agree_result_free(r);
	return rc;
}

void
tyst_agree_result_free(struct tyst_agree_result *r)
{
	for (size_t i = 0; i < r->ncoders && r->coders != NULL; i++)
		free(r->coders[i]);
	for (size_t i = 0; i < r->ndocs; i++)
		free(r->docs[i]);
	for (size_t i = 0; i < r->ncodes; i++) {
		free(r->codes[i].code);
		free(r->codes[i].label);
	}
	for (size_t i = 0; i < r->ndiffs; i++) {
		free(r->diffs[i].speaker);
		free(r->diffs[i].excerpt);
	}
	free(r->coders);
	free(r->docs);
	free(r->codes);
	free(r->diffs);
	memset(r, 0, sizeof(*r));
}
