/*
 * excerpt — see include/tyst/excerpt.h.
 *
 * What tyst-excerpt does between parsing its options and printing: the
 * selection of segments, the attribute columns, and the gate.  Only the
 * project's API is used here; the SQL stays in lib/coding/project.c.
 */
#include "tyst/excerpt.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { ATTR_CASE, ATTR_DOC };

struct attr {
	int kind;                    /* ATTR_* */
	int64_t owner;               /* the case's or the document's id */
	char *key, *value;
};

/* The attribute cells of one document, shared by its excerpts. */
struct row {
	int64_t doc;
	const char **cells;
};

struct pname {
	int64_t doc;
	char *text;
};

/* A growing list of owned strings: allow lists handed to the gate. */
struct words {
	const char **v;
	size_t n, cap;
};

struct tyst_xrun {
	struct tyst_project *p;
	const char *path;
	const char *rules_path;
	struct tyst_rules *rules;    /* loaded on first use, once */
	enum tyst_confidence min;
	const char *const *cl_allow; /* this run's --allow */
	size_t ncl_allow;
	struct words allow;          /* --allow, then the project's stored */
	int allow_loaded;
	struct pname *pn;            /* tyst-pseudo's pseudonyms, by document */
	size_t npn, cappn;
	int pn_loaded;
	struct tyst_docs docs;
	struct tyst_export x;
	size_t cap;
	char **parents;              /* of x.codes[i]: the parent's code */
	const char *tmpl;
	struct attr *attrs;
	size_t nattrs, capattrs;
	int64_t cur_case, cur_doc;   /* of the excerpt being attributed */
	struct row *rows;            /* attribute cells, by document id */
	size_t nrows, caprows;
	struct tyst_err *err;
	int failed;
};

#define OOM(err) tyst_err_set((err), NULL, 0, 0, "out of memory")

static int
add_word(int64_t doc, const char *text, void *arg)
{
	struct words *w = arg;
	const char **v;

	(void)doc;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;

		if ((v = realloc(w->v, cap * sizeof(*v))) == NULL)
			return 1;
		w->v = v;
		w->cap = cap;
	}
	if ((w->v[w->n] = strdup(text)) == NULL)
		return 1;
	w->n++;
	return 0;
}

static void
words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free((char *)w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

int
tyst_xrun_open(struct tyst_xrun **out, const char *project,
    const char *rules_path, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_err *err)
{
	struct tyst_xrun *r;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return OOM(err);
	r->path = project;
	r->rules_path = rules_path;
	r->min = min;
	r->cl_allow = allow;
	r->ncl_allow = nallow;
	r->tmpl = "({case})";
	if (tyst_project_open(&r->p, project, 1, err) < 0) {
		free(r);
		return -1;
	}
	tyst_docs_init(&r->docs, r->p);
	*out = r;
	return 0;
}

void
tyst_xrun_close(struct tyst_xrun *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->x.n; i++) {
		free((char *)r->x.v[i].coder);
		free((char *)r->x.v[i].memo);
		free(r->x.v[i].speaker);
		free(r->x.v[i].attribution);
	}
	free(r->x.v);
	for (size_t i = 0; i < r->x.ncodes; i++) {
		free(r->x.codes[i].code);
		free(r->x.codes[i].label);
		free(r->x.codes[i].description);
		free(r->x.codes[i].color);
		free(r->x.codes[i].path);
		free(r->parents[i]);
	}
	free(r->x.codes);
	free(r->parents);
	for (size_t i = 0; i < r->x.ncols; i++)
		free(r->x.cols[i]);
	free(r->x.cols);
	for (size_t i = 0; i < r->nrows; i++)
		free(r->rows[i].cells);
	free(r->rows);
	for (size_t i = 0; i < r->nattrs; i++) {
		free(r->attrs[i].key);
		free(r->attrs[i].value);
	}
	free(r->attrs);
	for (size_t i = 0; i < r->npn; i++)
		free(r->pn[i].text);
	free(r->pn);
	words_free(&r->allow);
	free((char *)r->x.title);
	free((char *)r->x.version);
	tyst_docs_free(&r->docs);
	tyst_rules_free(r->rules);
	tyst_project_close(r->p);
	free(r);
}

struct tyst_export *
tyst_xrun_export(struct tyst_xrun *r)
{
	return &r->x;
}

/* ---- loading ------------------------------------------------------------ */

static int
load_code(const struct tyst_pcode *c, void *arg)
{
	struct tyst_xrun *r = arg;
	struct tyst_xcode *v, *k;
	char **pv;

	if ((v = realloc(r->x.codes, (r->x.ncodes + 1) * sizeof(*v))) == NULL)
		return 1;
	r->x.codes = v;
	if ((pv = realloc(r->parents, (r->x.ncodes + 1) * sizeof(*pv))) ==
	    NULL)
		return 1;
	r->parents = pv;
	k = &v[r->x.ncodes];
	memset(k, 0, sizeof(*k));
	pv[r->x.ncodes] = c->parent ? strdup(c->parent) : NULL;
	r->x.ncodes++;
	k->code = strdup(c->code);
	k->label = strdup(c->label);
	k->description = c->description ? strdup(c->description) : NULL;
	k->color = c->color ? strdup(c->color) : NULL;
	return k->code == NULL || k->label == NULL ||
	    (c->parent != NULL && pv[r->x.ncodes - 1] == NULL);
}

static long
code_index(const struct tyst_xrun *r, const char *code)
{
	for (size_t i = 0; i < r->x.ncodes; i++)
		if (strcmp(r->x.codes[i].code, code) == 0)
			return (long)i;
	return -1;
}

/*
 * "Förutsättningar/Stöd": the labels from the top of the code tree down,
 * as MAXQDA and NVivo name a code in their tables.  A parent that is not
 * in the project, or a loop, ends the walk.
 */
static int
code_paths(struct tyst_xrun *r)
{
	for (size_t i = 0; i < r->x.ncodes; i++) {
		size_t chain[64], n = 0, len = 0;
		long k = (long)i;
		char *s;

		while (k >= 0 && n < sizeof(chain) / sizeof(chain[0])) {
			chain[n++] = (size_t)k;
			len += strlen(r->x.codes[k].label) + 1;
			k = r->parents[k] != NULL ?
			    code_index(r, r->parents[k]) : -1;
			for (size_t j = 0; k >= 0 && j < n; j++)
				if (chain[j] == (size_t)k)
					k = -1;
		}
		if ((s = malloc(len)) == NULL)
			return -1;
		s[0] = '\0';
		while (n-- > 0) {
			strcat(s, r->x.codes[chain[n]].label);
			if (n > 0)
				strcat(s, "/");
		}
		r->x.codes[i].path = s;
	}
	return 0;
}

static int
add_attr(struct tyst_xrun *r, int kind, int64_t owner, const char *key,
    const char *value)
{
	struct attr *a;

	if (r->nattrs == r->capattrs) {
		size_t cap = r->capattrs ? r->capattrs * 2 : 64;

		if ((a = realloc(r->attrs, cap * sizeof(*a))) == NULL)
			return 1;
		r->attrs = a;
		r->capattrs = cap;
	}
	a = &r->attrs[r->nattrs];
	a->kind = kind;
	a->owner = owner;
	a->key = strdup(key);
	a->value = strdup(value);
	if (a->key == NULL || a->value == NULL) {
		free(a->key);
		free(a->value);
		return 1;
	}
	r->nattrs++;
	return 0;
}

static int
add_case_attr(int64_t case_id, const char *key, const char *value, void *arg)
{
	return add_attr(arg, ATTR_CASE, case_id, key, value);
}

static int
add_doc_attr(int64_t doc_id, const char *key, const char *value, void *arg)
{
	return add_attr(arg, ATTR_DOC, doc_id, key, value);
}

/* The attributes of documents (the interview occasion, a date), kept apart
 * from those of their case. */
static int
load_doc_attrs(struct tyst_xrun *r, struct tyst_err *err)
{
	return tyst_project_document_attrs(r->p, 0, add_doc_attr, r, err) < 0 ?
	    -1 : 0;
}

/* An attribution's {key}: the document's own attribute (its occasion, its
 * date) before its case's, as filters read them. */
static const char *
attr_of(const char *key, void *arg)
{
	struct tyst_xrun *r = arg;
	const char *cas = NULL;

	for (size_t i = 0; i < r->nattrs; i++) {
		const struct attr *a = &r->attrs[i];

		if (strcmp(a->key, key) != 0)
			continue;
		if (a->kind == ATTR_DOC && a->owner == r->cur_doc)
			return a->value;
		if (a->kind == ATTR_CASE && a->owner == r->cur_case)
			cas = a->value;
	}
	return cas;
}

static int
by_column(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One column per attribute name, "case:" ones before "doc:" ones, each
 * kind sorted by name, so the table's shape does not depend on the order
 * the attributes were set in. */
static int
make_columns(struct tyst_xrun *r)
{
	for (size_t i = 0; i < r->nattrs; i++) {
		const struct attr *a = &r->attrs[i];
		size_t n = strlen(a->key) + 6;
		char *h = malloc(n), **v;
		int dup = 0;

		if (h == NULL)
			return -1;
		snprintf(h, n, "%s:%s", a->kind == ATTR_CASE ? "case" : "doc",
		    a->key);
		for (size_t k = 0; k < r->x.ncols && !dup; k++)
			dup = strcmp(r->x.cols[k], h) == 0;
		if (dup) {
			free(h);
			continue;
		}
		if ((v = realloc(r->x.cols, (r->x.ncols + 1) *
		    sizeof(*v))) == NULL) {
			free(h);
			return -1;
		}
		r->x.cols = v;
		v[r->x.ncols++] = h;
	}
	/* "case:" sorts before "doc:" by itself. */
	if (r->x.ncols > 1)
		qsort(r->x.cols, r->x.ncols, sizeof(*r->x.cols), by_column);
	return 0;
}

/* The attribute cells of a document, made once and shared by its
 * excerpts: ncols values, NULL where it has none.  The rows are kept in
 * order of document id, found by bisection. */
static const char *const *
doc_cells(struct tyst_xrun *r, int64_t doc, int64_t case_id)
{
	size_t lo = 0, hi = r->nrows, nc = r->x.ncols;
	const char **cells;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->rows[mid].doc == doc)
			return r->rows[mid].cells;
		if (r->rows[mid].doc < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (r->nrows == r->caprows) {
		size_t cap = r->caprows ? r->caprows * 2 : 64;
		struct row *v = realloc(r->rows, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		r->rows = v;
		r->caprows = cap;
	}
	if ((cells = calloc(nc, sizeof(*cells))) == NULL)
		return NULL;
	for (size_t k = 0; k < nc; k++) {
		const char *col = r->x.cols[k];
		int kind = col[0] == 'c' ? ATTR_CASE : ATTR_DOC;
		int64_t owner = kind == ATTR_CASE ? case_id : doc;
		const char *key = strchr(col, ':') + 1;

		for (size_t i = 0; i < r->nattrs && cells[k] == NULL; i++)
			if (r->attrs[i].kind == kind &&
			    r->attrs[i].owner == owner &&
			    strcmp(r->attrs[i].key, key) == 0)
				cells[k] = r->attrs[i].value;
	}
	memmove(r->rows + lo + 1, r->rows + lo, (r->nrows - lo) *
	    sizeof(*r->rows));
	r->rows[lo].doc = doc;
	r->rows[lo].cells = cells;
	r->nrows++;
	return cells;
}

static int
add_excerpt(const struct tyst_psegment *s, void *arg)
{
	struct tyst_xrun *r = arg;
	const struct tyst_doc *d = tyst_docs_get(&r->docs, s->document_id,
	    r->err);
	struct tyst_excerpt *e;
	const struct tyst_xcode *c;
	const char *sp;
	size_t spn, col;
	long k;

	if (d == NULL || (k = code_index(r, s->code)) < 0 ||
	    s->end > d->o.d.len) {
		if (d != NULL)
			tyst_err_set(r->err, tyst_project_path(r->p), 0, 0,
			    "segment %" PRId64 " lies outside its document",
			    s->id);
		r->failed = 1;
		return 1;
	}
	if (r->x.n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;

		if ((e = realloc(r->x.v, cap * sizeof(*e))) == NULL) {
			OOM(r->err);
			r->failed = 1;
			return 1;
		}
		r->x.v = e;
		r->cap = cap;
	}
	e = &r->x.v[r->x.n];
	memset(e, 0, sizeof(*e));
	c = &r->x.codes[k];
	e->segment = s->id;
	e->code = (size_t)k;
	e->document = d->o.d.name;
	e->document_id = s->document_id;
	e->case_name = d->o.d.case_name;
	/* The strings of s live only during the callback. */
	e->coder = strdup(s->coder);
	e->memo = s->memo ? strdup(s->memo) : NULL;
	e->text = d->o.d.text + s->start;
	e->len = (size_t)(s->end - s->start);
	e->start = s->start;
	e->end = s->end;
	tyst_doc_linecol(d, s->start, &e->line_start, &col);
	tyst_doc_linecol(d, s->end - 1, &e->line_end, &col);
	tyst_doc_cuts(d, s->start, s->end, &e->cut_before, &e->cut_after);
	if ((spn = tyst_doc_speaker(d, s->start, &sp)) > 0)
		e->speaker = strndup(sp, spn);
	r->x.n++;
	if (e->coder == NULL || (r->x.ncols > 0 && (e->cells =
	    doc_cells(r, s->document_id, d->o.d.case_id)) == NULL)) {
		OOM(r->err);
		r->failed = 1;
		return 1;
	}
	r->cur_case = d->o.d.case_id;
	r->cur_doc = s->document_id;
	e->attribution = tyst_attribution(r->tmpl, e, c->code, c->label,
	    attr_of, r, r->err);
	if (e->attribution == NULL) {
		r->failed = 1;
		return 1;
	}
	return 0;
}

static void
load_title(struct tyst_xrun *r)
{
	char *v;

	r->x.title = tyst_project_meta(r->p, "codebook_title");
	if ((v = tyst_project_meta(r->p, "codebook_version")) != NULL) {
		size_t n = strlen(v) + 16;
		char *s = malloc(n);

		if (s != NULL)
			snprintf(s, n, "version %s", v);
		free(v);
		r->x.version = s;
	}
}

int
tyst_xrun_load(struct tyst_xrun *r, const struct tyst_segfilter *f,
    const char *tmpl, int columns, struct tyst_err *err)
{
	if (tmpl != NULL)
		r->tmpl = tmpl;
	r->err = err;
	if (tyst_project_codes(r->p, load_code, r, err) != 0 ||
	    tyst_project_case_attrs(r->p, 0, add_case_attr, r, err) != 0)
		return err->msg[0] ? -1 : OOM(err);
	if (load_doc_attrs(r, err) < 0)
		return -1;
	if (columns && (code_paths(r) < 0 || make_columns(r) < 0))
		return OOM(err);
	for (size_t i = 0; f != NULL && i < f->ncodes; i++)
		if (code_index(r, f->codes[i]) < 0)
			return tyst_err_set(err, r->path, 0, 0, "unknown code "
			    "'%s': not in the project's codebook", f->codes[i]);
	load_title(r);
	if (tyst_project_segments(r->p, f, add_excerpt, r, err) < 0 ||
	    r->failed)
		return -1;
	return 0;
}

/* ---- the gate ----------------------------------------------------------- */

static int
need_rules(struct tyst_xrun *r, struct tyst_err *err)
{
	if (r->rules != NULL)
		return 0;
	return tyst_rules_load(&r->rules, r->rules_path, err);
}

/* The texts the researcher let through before (stored in the project),
 * after those of this run's --allow. */
static int
need_allowed(struct tyst_xrun *r, struct tyst_err *err)
{
	if (r->allow_loaded)
		return 0;
	for (size_t i = 0; i < r->ncl_allow; i++)
		if (add_word(0, r->cl_allow[i], &r->allow) != 0)
			return OOM(err);
	if (tyst_project_allowed(r->p, add_word, &r->allow, err) != 0)
		return err->msg[0] ? -1 : OOM(err);
	r->allow_loaded = 1;
	return 0;
}

static int
add_pname(int64_t doc, const char *text, void *arg)
{
	struct tyst_xrun *r = arg;
	struct pname *v;

	if (r->npn == r->cappn) {
		size_t cap = r->cappn ? r->cappn * 2 : 64;

		if ((v = realloc(r->pn, cap * sizeof(*v))) == NULL)
			return 1;
		r->pn = v;
		r->cappn = cap;
	}
	if ((r->pn[r->npn].text = strdup(text)) == NULL)
		return 1;
	r->pn[r->npn++].doc = doc;
	return 0;
}

static int
need_pseudonyms(struct tyst_xrun *r, struct tyst_err *err)
{
	if (r->pn_loaded)
		return 0;
	if (tyst_project_pseudonyms(r->p, 0, add_pname, r, err) != 0)
		return err->msg[0] ? -1 : OOM(err);
	r->pn_loaded = 1;
	return 0;
}

/* The allowed texts and the pseudonyms of document doc (every
 * document's when doc is 0) into out, which holds room for them all. */
static size_t
allow_for(const struct tyst_xrun *r, int64_t doc, int all, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < r->allow.n; i++)
		out[n++] = r->allow.v[i];
	for (size_t i = 0; i < r->npn; i++)
		if (all || r->pn[i].doc == doc)
			out[n++] = r->pn[i].text;
	return n;
}

static int
need_all(struct tyst_xrun *r, const char ***words, struct tyst_err *err)
{
	if (need_allowed(r, err) < 0 || need_pseudonyms(r, err) < 0 ||
	    need_rules(r, err) < 0)
		return -1;
	if ((*words = malloc((r->allow.n + r->npn + 1) * sizeof(**words))) ==
	    NULL)
		return OOM(err);
	return 0;
}

static int
by_place(const void *a, const void *b)
{
	const struct tyst_excerpt *x = *(struct tyst_excerpt *const *)a;
	const struct tyst_excerpt *y = *(struct tyst_excerpt *const *)b;

	if (x->document_id != y->document_id)
		return x->document_id < y->document_id ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Names a segment whose excerpt holds the finding [hs, he). */
static void
found_in(struct tyst_xrun *r, struct tyst_excerpt **v, size_t n, size_t hs,
    size_t he, const struct tyst_hit *h, tyst_xfinding_fn fn, void *ctx)
{
	const struct tyst_excerpt *e = v[0];
	const struct tyst_doc *d;
	struct tyst_xfinding f;
	char where[160];
	size_t line = e->line_start, col = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i]->start < he && hs < v[i]->end) {
			e = v[i];
			break;
		}
	if ((d = tyst_docs_get(&r->docs, e->document_id, NULL)) != NULL)
		tyst_doc_linecol(d, hs, &line, &col);
	snprintf(where, sizeof(where), "the excerpt of segment %" PRId64
	    " (%s)", e->segment, r->x.codes[e->code].code);
	f.file = e->document;
	f.line = line;
	f.col = col;
	f.hit = h;
	f.where = where;
	fn(&f, ctx);
}

/*
 * Excerpts that overlap are scanned as one stretch of text, so a passage
 * coded with several codes or by several coders is read once.
 */
long
tyst_xrun_gate_excerpts(struct tyst_xrun *r, tyst_xfinding_fn fn, void *ctx,
    struct tyst_err *err)
{
	struct tyst_detector *d;
	struct tyst_hits h = { NULL, 0, 0 };
	struct tyst_excerpt **v;
	const char **words;
	long found = 0;
	size_t i = 0;

	if (r->x.n == 0)
		return 0;
	if (need_all(r, &words, err) < 0)
		return -1;
	if ((v = malloc(r->x.n * sizeof(*v))) == NULL) {
		free(words);
		return OOM(err);
	}
	for (size_t k = 0; k < r->x.n; k++)
		v[k] = &r->x.v[k];
	qsort(v, r->x.n, sizeof(*v), by_place);
	if ((d = tyst_detector_new(r->rules)) == NULL) {
		free(v);
		free(words);
		return OOM(err);
	}
	while (i < r->x.n) {
		size_t j = i + 1, rs = (size_t)v[i]->start;
		size_t re = (size_t)v[i]->end;
		const char *text = v[i]->text - v[i]->start;

		while (j < r->x.n && v[j]->document_id == v[i]->document_id &&
		    v[j]->start <= re) {
			if (v[j]->end > re)
				re = (size_t)v[j]->end;
			j++;
		}
		h.n = 0;
		if (tyst_gate_scan_with(d, v[i]->document, text + rs, re - rs,
		    r->min, words, allow_for(r, v[i]->document_id, 0, words),
		    &h, err) < 0) {
			found = -1;
			break;
		}
		for (size_t k = 0; k < h.n; k++, found++)
			found_in(r, v + i, j - i, rs + h.v[k].start,
			    rs + h.v[k].end, &h.v[k], fn, ctx);
		i = j;
	}
	tyst_hits_free(&h);
	tyst_detector_free(d);
	free(v);
	free(words);
	return found;
}

/* Scans fields (of x or of q) with the allowed texts and every pseudonym
 * of the project; fn gets each finding, named by the project. */
static long
gate_fields(struct tyst_xrun *r, const struct tyst_export *x,
    const struct tyst_qdpx *q, tyst_xfinding_fn fn, void *ctx,
    struct tyst_err *err)
{
	struct tyst_field_check c;
	const char **words;
	long n;
	int rc;

	if (need_all(r, &words, err) < 0)
		return -1;
	if (tyst_field_check_init(&c, r->rules, r->min, words,
	    allow_for(r, 0, 1, words), err) < 0) {
		free(words);
		return -1;
	}
	rc = x != NULL ? tyst_export_fields(x, tyst_field_check_fn, &c) :
	    tyst_qdpx_fields(q, tyst_field_check_fn, &c);
	if (rc != 0) {
		tyst_field_check_free(&c);
		free(words);
		return -1;
	}
	for (size_t i = 0; i < c.n; i++) {
		struct tyst_xfinding f = { r->path, 0, 0, &c.v[i].h,
		    c.v[i].what };

		fn(&f, ctx);
	}
	n = (long)c.n;
	tyst_field_check_free(&c);
	free(words);
	return n;
}

long
tyst_xrun_gate_fields(struct tyst_xrun *r, tyst_xfinding_fn fn, void *ctx,
    struct tyst_err *err)
{
	return gate_fields(r, &r->x, NULL, fn, ctx, err);
}

long
tyst_xrun_gate_qdpx_fields(struct tyst_xrun *r, const struct tyst_qdpx *q,
    tyst_xfinding_fn fn, void *ctx, struct tyst_err *err)
{
	return gate_fields(r, NULL, q, fn, ctx, err);
}

int
tyst_xrun_qdpx(struct tyst_xrun *r, struct tyst_qdpx *q,
    struct tyst_err *err)
{
	return tyst_qdpx_from_project(r->p, q, err);
}

/* The row id of the document called name, 0 when there is none. */
static int64_t
doc_id(struct tyst_xrun *r, const char *name, struct tyst_err *err)
{
	struct tyst_pdoc_owned o;
	int64_t id;
	int rc;

	if ((rc = tyst_project_document(r->p, name, &o, err)) <= 0)
		return rc;
	id = o.d.id;
	tyst_pdoc_free(&o);
	return id;
}

/*
 * The documents go out whole, so the fresh scan covers them whole, each
 * with the allowed texts and, as for the excerpts, the pseudonyms
 * tyst-pseudo put into it: a pseudonymised project must not be stopped by
 * its own pseudonyms.
 */
long
tyst_xrun_gate_sources(struct tyst_xrun *r, const struct tyst_qdpx *q,
    tyst_xfinding_fn fn, void *ctx, struct tyst_err *err)
{
	struct tyst_hits h = { NULL, 0, 0 };
	const char **words;
	long found = -1;

	if (need_all(r, &words, err) < 0)
		return -1;
	for (size_t i = 0; i < q->nsources; i++) {
		size_t from = h.n;
		int64_t id = doc_id(r, q->sources[i].name, err);

		if (id < 0 || tyst_gate_scan(r->rules, q->sources[i].name,
		    q->sources[i].text, q->sources[i].len, r->min, words,
		    allow_for(r, id, 0, words), &h, err) < 0)
			goto out;
		for (size_t k = from; k < h.n; k++) {
			struct tyst_xfinding f = { q->sources[i].name,
			    h.v[k].line, h.v[k].col, &h.v[k], "the document" };

			fn(&f, ctx);
		}
	}
	found = (long)h.n;
out:
	tyst_hits_free(&h);
	free(words);
	return found;
}

int
tyst_xrun_remember(const char *project, const char *const *allow,
    size_t nallow, struct tyst_err *err)
{
	struct tyst_project *p;

	if (nallow == 0)
		return 0;
	if (tyst_project_open(&p, project, 0, err) < 0)
		return -1;
	if (tyst_project_begin(p, err) < 0) {
		tyst_project_close(p);
		return -1;
	}
	for (size_t i = 0; i < nallow; i++)
		if (tyst_project_allow(p, allow[i], err) < 0) {
			tyst_project_rollback(p);
			tyst_project_close(p);
			return -1;
		}
	if (tyst_project_commit(p, err) < 0) {
		tyst_project_close(p);
		return -1;
	}
	tyst_project_close(p);
	return 0;
}
