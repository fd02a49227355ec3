/*
 * stats — see include/tyst/stats.h.
 *
 * The tables are counted from the project's segments in memory rather
 * than in SQL, so that the project stays the only module that knows its
 * schema.
 */
#include "tyst/stats.h"
#include "tyst/strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct seg {
	int64_t doc, coder;
	long code;              /* index into the table's codes */
	uint64_t start, end;
	int64_t id;
};

struct fill {
	struct tyst_table *t;
	enum tyst_stats_by by;
	const char *coder;       /* filter, or NULL */
	struct seg *v;           /* cooccur: the segments */
	size_t n, cap;
	int oom;
};

static long
find_name(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return (long)i;
	return -1;
}

void
tyst_table_free(struct tyst_table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->rows);
	free(t->cols);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

static int
code_row(const struct tyst_pcode *c, void *arg)
{
	struct fill *f = arg;

	if (tyst_strv_add(&f->t->rows, &f->t->nrows, c->code) < 0)
		return f->oom = 1;
	return 0;
}

static int
doc_row(const struct tyst_pdoc *d, void *arg)
{
	struct fill *f = arg;

	if (tyst_strv_add(&f->t->rows, &f->t->nrows, d->name) < 0)
		return f->oom = 1;
	return 0;
}

static int
coder_col(int64_t id, const char *name, void *arg)
{
	struct fill *f = arg;

	(void)id;
	if (f->coder != NULL && strcmp(f->coder, name) != 0)
		return 0;
	if (tyst_strv_add(&f->t->cols, &f->t->ncols, name) < 0)
		return f->oom = 1;
	return 0;
}

static int
count_segment(const struct tyst_psegment *s, void *arg)
{
	struct fill *f = arg;
	struct tyst_table *t = f->t;
	long r = find_name(t->rows, t->nrows, f->by == TYST_STATS_CODE ?
	    s->code : s->document);
	long c = find_name(t->cols, t->ncols, s->coder);

	if (r >= 0 && c >= 0)
		t->cell[(size_t)r * t->ncols + (size_t)c]++;
	return 0;
}

static int
oom(struct tyst_project *p, struct tyst_table *t, struct tyst_err *err)
{
	tyst_table_free(t);
	return tyst_err_set(err, tyst_project_path(p), 0, 0, "out of memory");
}

/* The rows, the columns and a zeroed cell array; rc of a step that failed
 * is passed on. */
static int
alloc_cells(struct tyst_project *p, struct fill *f, int rc,
    struct tyst_err *err)
{
	struct tyst_table *t = f->t;

	if (f->oom)
		return oom(p, t, err);
	if (rc < 0) {
		tyst_table_free(t);
		return -1;
	}
	if ((t->cell = calloc(t->nrows * t->ncols + 1, sizeof(long))) == NULL)
		return oom(p, t, err);
	return 0;
}

int
tyst_stats_segments(struct tyst_project *p, enum tyst_stats_by by,
    const char *coder, struct tyst_table *t, struct tyst_err *err)
{
	struct fill f;
	int rc;

	memset(t, 0, sizeof(*t));
	memset(&f, 0, sizeof(f));
	f.t = t;
	f.by = by;
	f.coder = coder;
	rc = by == TYST_STATS_CODE ? tyst_project_codes(p, code_row, &f, err) :
	    tyst_project_documents(p, 0, doc_row, &f, err);
	if (rc >= 0 && !f.oom)
		rc = tyst_project_coders(p, coder_col, &f, err);
	if (alloc_cells(p, &f, rc, err) < 0)
		return -1;
	if (tyst_project_segments(p, NULL, count_segment, &f, err) < 0) {
		tyst_table_free(t);
		return -1;
	}
	return 0;
}

static int
keep_segment(const struct tyst_psegment *s, void *arg)
{
	struct fill *f = arg;
	struct seg *g;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;

		if ((g = realloc(f->v, cap * sizeof(*g))) == NULL)
			return f->oom = 1;
		f->v = g;
		f->cap = cap;
	}
	g = &f->v[f->n];
	g->code = find_name(f->t->rows, f->t->nrows, s->code);
	if (g->code < 0)
		return 0;
	g->doc = s->document_id;
	g->coder = s->coder_id;
	g->start = s->start;
	g->end = s->end;
	g->id = s->id;
	f->n++;
	return 0;
}

static int
seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	if (x->coder != y->coder)
		return x->coder < y->coder ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/* Ordered pairs of overlapping segments of one coder in one document,
 * each segment paired with itself too (the diagonal). */
static void
by_segment(struct tyst_table *t, const struct seg *v, size_t n)
{
	size_t g0 = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].doc != v[g0].doc || v[i].coder != v[g0].coder)
			g0 = i;
		for (size_t j = g0; j < n; j++) {
			if (v[j].doc != v[i].doc || v[j].coder != v[i].coder ||
			    v[j].start >= v[i].end)
				break;
			if (v[i].start >= v[j].end)
				continue;
			if (v[i].code == v[j].code && i != j)
				continue;
			t->cell[(size_t)v[i].code * t->ncols +
			    (size_t)v[j].code]++;
		}
	}
}

/* Documents in which both codes occur, by any coder kept. */
static int
by_document(struct tyst_table *t, const struct seg *v, size_t n)
{
	unsigned char *has = calloc(t->nrows + 1, 1);
	size_t d0 = 0;

	if (has == NULL)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && v[i].doc == v[d0].doc) {
			has[v[i].code] = 1;
			continue;
		}
		for (size_t a = 0; a < t->nrows; a++) {
			if (!has[a])
				continue;
			for (size_t b = 0; b < t->nrows; b++)
				if (has[b])
					t->cell[a * t->ncols + b]++;
		}
		memset(has, 0, t->nrows);
		d0 = i;
		if (i < n)
			has[v[i].code] = 1;
	}
	free(has);
	return 0;
}

int
tyst_stats_cooccur(struct tyst_project *p, int bydoc, const char *coder,
    struct tyst_table *t, struct tyst_err *err)
{
	struct tyst_segfilter sf;
	struct fill f;
	int rc;

	memset(t, 0, sizeof(*t));
	memset(&f, 0, sizeof(f));
	memset(&sf, 0, sizeof(sf));
	f.t = t;
	rc = tyst_project_codes(p, code_row, &f, err);
	for (size_t i = 0; rc >= 0 && !f.oom && i < t->nrows; i++)
		if (tyst_strv_add(&t->cols, &t->ncols, t->rows[i]) < 0)
			f.oom = 1;
	if (alloc_cells(p, &f, rc, err) < 0)
		return -1;
	sf.coder = coder;
	rc = tyst_project_segments(p, &sf, keep_segment, &f, err);
	if (rc < 0 || f.oom) {
		free(f.v);
		return f.oom ? oom(p, t, err) : (tyst_table_free(t), -1);
	}
	qsort(f.v, f.n, sizeof(*f.v), seg_cmp);
	if (bydoc)
		rc = by_document(t, f.v, f.n);
	else
		by_segment(t, f.v, f.n);
	free(f.v);
	if (rc < 0)
		return oom(p, t, err);
	return 0;
}
