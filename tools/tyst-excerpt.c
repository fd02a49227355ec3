/*
 * tyst-excerpt — export coded excerpts from a coding project as Markdown,
 * CSV, JSON Lines or one HTML page.
 *
 * Every excerpt is scanned for identifiers again before anything is
 * written: what leaves the project is what gets quoted in a thesis.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "tyst/clock.h"
#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/export.h"
#include "tyst/gate.h"
#include "tyst/outfile.h"
#include "tyst/project.h"
#include "tyst/qdpx.h"

#define MAX_LIST 256
#define SHOW_HITS 20

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-excerpt PROJECT.db [--code ID]... [--case NAME] [--attr K=V]...\n"
"                    [--coder NAME] [--document DOC] [-f md|csv|jsonl|html]\n"
"                    [--attribution TEMPLATE] [--allow TEXT]... [--rules FILE]\n"
"                    [--confidence LVL] [--line-endings lf|crlf1] [-o FILE]\n"
"\n"
"Writes the coded excerpts of a tyst-code project, grouped by code in\n"
"codebook order.  An excerpt is exactly the stored text of its segment.\n"
"\n"
"  -c, --code ID          only this code (repeatable)\n"
"      --case NAME        only documents of this case\n"
"      --attr K=V         only documents with this attribute, of their own\n"
"                         or of their case (repeatable)\n"
"  -k, --coder NAME       only this coder's segments\n"
"  -d, --document DOC     only this document\n"
"  -f, --format FMT       md (default; pandoc-ready), csv (RFC 4180),\n"
"                         jsonl (one object per excerpt), html (one page),\n"
"                         qdpx (the whole project for other QDA programs,\n"
"                         REFI-QDA; no filters)\n"
"      --line-endings E   qdpx: lf (default, the standard) or crlf1 (CRLF\n"
"                         in the sources, each counted as one position,\n"
"                         as ATLAS.ti counts them)\n"
"  -a, --attribution T    the line under a quote; {case}, {document},\n"
"                         {speaker}, {coder}, {code}, {label} or any\n"
"                         attribute of the document or its case, e.g.\n"
"                         '{role} {nr}, Intervjutillfälle\n"
"                         {tillfalle}'; default '({case})'\n"
"      --allow TEXT       a scan finding that is not an identifier\n"
"                         (repeatable; remembered in the project)\n"
"      --show             print a personnummer whole in messages\n"
"      --csv-raw          CSV cells exactly as stored; by default a cell\n"
"                         starting with = + - @, tab or CR gets a leading '\n"
"                         so a spreadsheet does not run it as a formula\n"
"      --rules FILE       detection rules (default: the Swedish set)\n"
"      --confidence LVL   stop only at findings this sure: certain, likely\n"
"                         or candidate (default, as tyst-scan)\n"
"  -o, --output FILE      write FILE (whole or not at all), not stdout\n"
"  -h, --help, -V, --version\n"
"\n"
"Every field that leaves the project is scanned as the excerpts are: the\n"
"title, codes, document and case names, coders, speakers, attributions\n"
"and memos.\n"
"\n"
"Exit status: 0 written, 1 the scan found an identifier in an excerpt or\n"
"a field (nothing written; the places are listed), 2 error.\n", f);
}

struct attr {
	int64_t case_id;
	int64_t doc_id;              /* a document's attribute; 0: the case's */
	char *key, *value;
};

struct pname {
	int64_t doc;
	char *text;
};

struct state {
	struct tyst_project *p;
	struct pname *pn;            /* tyst-pseudo's pseudonyms, by document */
	size_t npn, cappn;
	struct tyst_docs docs;
	struct tyst_export x;
	size_t cap;
	const char *tmpl;
	struct attr *attrs;
	size_t nattrs;
	int64_t cur_case, cur_doc;
	struct tyst_err *err;
	int failed;
	int show;                    /* --show */
};

static int
fail(const struct tyst_err *err)
{
	tyst_diag_err(err);
	return TYST_EXIT_ERROR;
}

static int
load_code(const struct tyst_pcode *c, void *arg)
{
	struct state *st = arg;
	struct tyst_xcode *v = realloc(st->x.codes, (st->x.ncodes + 1) *
	    sizeof(*v)), *k;

	if (v == NULL)
		return 1;
	st->x.codes = v;
	k = &v[st->x.ncodes];
	memset(k, 0, sizeof(*k));
	st->x.ncodes++;
	k->code = strdup(c->code);
	k->label = strdup(c->label);
	k->description = c->description ? strdup(c->description) : NULL;
	k->color = c->color ? strdup(c->color) : NULL;
	return k->code == NULL || k->label == NULL;
}

static long
code_index(const struct state *st, const char *code)
{
	for (size_t i = 0; i < st->x.ncodes; i++)
		if (strcmp(st->x.codes[i].code, code) == 0)
			return (long)i;
	return -1;
}

struct attr_load {
	struct state *st;
	size_t cap;
	int docs;                    /* loading documents' attributes */
};

static int
add_attr(int64_t case_id, const char *key, const char *value, void *arg)
{
	struct attr_load *l = arg;
	struct state *st = l->st;
	struct attr *a;

	if (st->nattrs == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((a = realloc(st->attrs, l->cap * sizeof(*a))) == NULL)
			return 1;
		st->attrs = a;
	}
	a = &st->attrs[st->nattrs++];
	a->case_id = l->docs ? 0 : case_id;
	a->doc_id = l->docs ? case_id : 0;
	a->key = strdup(key);
	a->value = strdup(value);
	return 0;
}

static int
load_attrs(struct state *st, struct tyst_err *err)
{
	struct attr_load l = { st, 0, 0 };

	if (tyst_project_case_attrs(st->p, 0, add_attr, &l, err) < 0)
		return -1;
	l.docs = 1;
	return tyst_project_document_attrs(st->p, 0, add_attr, &l, err) < 0 ?
	    -1 : 0;
}

static const char *
attr_of(const char *key, void *arg)
{
	struct state *st = arg;

	/* The document's own (its occasion, date) before its case's. */
	for (size_t i = 0; i < st->nattrs; i++)
		if (st->attrs[i].doc_id != 0 &&
		    st->attrs[i].doc_id == st->cur_doc &&
		    st->attrs[i].key != NULL &&
		    strcmp(st->attrs[i].key, key) == 0)
			return st->attrs[i].value;
	for (size_t i = 0; i < st->nattrs; i++)
		if (st->attrs[i].doc_id == 0 &&
		    st->attrs[i].case_id == st->cur_case &&
		    st->attrs[i].key != NULL &&
		    strcmp(st->attrs[i].key, key) == 0)
			return st->attrs[i].value;
	return NULL;
}

static int
add_excerpt(const struct tyst_psegment *s, void *arg)
{
	struct state *st = arg;
	const struct tyst_doc *d = tyst_docs_get(&st->docs, s->document_id,
	    st->err);
	struct tyst_excerpt *e;
	const struct tyst_xcode *c;
	const char *sp;
	size_t spn, col;
	long k;

	if (d == NULL || (k = code_index(st, s->code)) < 0 ||
	    s->end > d->o.d.len) {
		if (d != NULL)
			tyst_err_set(st->err, tyst_project_path(st->p), 0, 0,
			    "segment %" PRId64 " lies outside its document",
			    s->id);
		st->failed = 1;
		return 1;
	}
	if (st->x.n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 256;

		if ((e = realloc(st->x.v, cap * sizeof(*e))) == NULL) {
			tyst_err_set(st->err, NULL, 0, 0, "out of memory");
			st->failed = 1;
			return 1;
		}
		st->x.v = e;
		st->cap = cap;
	}
	e = &st->x.v[st->x.n];
	memset(e, 0, sizeof(*e));
	c = &st->x.codes[k];
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
	st->x.n++;
	if (e->coder == NULL) {
		tyst_err_set(st->err, NULL, 0, 0, "out of memory");
		st->failed = 1;
		return 1;
	}
	st->cur_case = d->o.d.case_id;
	st->cur_doc = s->document_id;
	e->attribution = tyst_attribution(st->tmpl, e, c->code, c->label,
	    attr_of, st, st->err);
	if (e->attribution == NULL) {
		st->failed = 1;
		return 1;
	}
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

static void
report(struct state *st, struct tyst_excerpt **v, size_t n, size_t hs,
    size_t he, const struct tyst_hit *h)
{
	const struct tyst_excerpt *e = v[0];
	const struct tyst_doc *d;
	size_t line = e->line_start, col = 0;
	char buf[sizeof(h->text)];
	const char *t = tyst_hit_shown(h, st->show, buf, sizeof(buf));

	/* Name a segment whose excerpt holds the finding. */
	for (size_t i = 0; i < n; i++)
		if (v[i]->start < he && hs < v[i]->end) {
			e = v[i];
			break;
		}
	if ((d = tyst_docs_get(&st->docs, e->document_id, NULL)) != NULL)
		tyst_doc_linecol(d, hs, &line, &col);
	tyst_diag(e->document, line, col, "%s %s '%s' in the excerpt of "
	    "segment %" PRId64 " (%s); export stopped (--allow '%s' if it is "
	    "no identifier)", tyst_confidence_name(h->confidence),
	    h->category, t, e->segment, st->x.codes[e->code].code, t);
}

static int
add_pname(int64_t doc, const char *text, void *arg)
{
	struct state *st = arg;
	struct pname *v;

	if (st->npn == st->cappn) {
		size_t cap = st->cappn ? st->cappn * 2 : 64;

		if ((v = realloc(st->pn, cap * sizeof(*v))) == NULL)
			return 1;
		st->pn = v;
		st->cappn = cap;
	}
	if ((st->pn[st->npn].text = strdup(text)) == NULL)
		return 1;
	st->pn[st->npn++].doc = doc;
	return 0;
}

/* The user's --allow words and the pseudonyms of document doc. */
static size_t
allow_for(const struct state *st, int64_t doc, const char *const *allow,
    size_t nallow, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < nallow; i++)
		out[n++] = allow[i];
	for (size_t i = 0; i < st->npn; i++)
		if (st->pn[i].doc == doc)
			out[n++] = st->pn[i].text;
	return n;
}

/*
 * Scans the excerpts again and prints what it finds; returns the count or
 * -1.  Excerpts that overlap are scanned as one stretch of text, so a
 * passage coded with several codes or by several coders is read once.
 */
static long
rescan(struct state *st, const char *rules_path, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_err *err)
{
	struct tyst_rules *rules = NULL;
	struct tyst_detector *d;
	struct tyst_hits h = { NULL, 0, 0 };
	struct tyst_excerpt **v;
	const char **words;
	long found = 0;
	size_t i = 0;

	if (st->x.n == 0)
		return 0;
	if (tyst_project_pseudonyms(st->p, 0, add_pname, st, err) != 0)
		return -1;
	if ((v = malloc(st->x.n * sizeof(*v))) == NULL ||
	    (words = malloc((nallow + st->npn + 1) * sizeof(*words))) ==
	    NULL) {
		free(v);
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	}
	for (size_t k = 0; k < st->x.n; k++)
		v[k] = &st->x.v[k];
	qsort(v, st->x.n, sizeof(*v), by_place);
	if (tyst_rules_load(&rules, rules_path, err) < 0) {
		free(v);
		free(words);
		return -1;
	}
	if ((d = tyst_detector_new(rules)) == NULL) {
		tyst_rules_free(rules);
		free(v);
		free(words);
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	}
	while (i < st->x.n) {
		size_t j = i + 1, rs = (size_t)v[i]->start, re = (size_t)v[i]->end;
		const char *text = v[i]->text - v[i]->start;

		while (j < st->x.n && v[j]->document_id == v[i]->document_id &&
		    v[j]->start <= re) {
			if (v[j]->end > re)
				re = (size_t)v[j]->end;
			j++;
		}
		h.n = 0;
		if (tyst_gate_scan_with(d, v[i]->document, text + rs, re - rs,
		    min, words, allow_for(st, v[i]->document_id, allow, nallow,
		    words), &h, err) < 0) {
			found = -1;
			break;
		}
		for (size_t k = 0; k < h.n; k++, found++)
			if (found < SHOW_HITS)
				report(st, v + i, j - i, rs + h.v[k].start,
				    rs + h.v[k].end, &h.v[k]);
		i = j;
	}
	if (found > SHOW_HITS)
		tyst_diag(NULL, 0, 0, "… and %ld more", found - SHOW_HITS);
	tyst_hits_free(&h);
	tyst_detector_free(d);
	tyst_rules_free(rules);
	free(v);
	free(words);
	return found;
}

static void
state_free(struct state *st)
{
	for (size_t i = 0; i < st->x.n; i++) {
		free((char *)st->x.v[i].coder);
		free((char *)st->x.v[i].memo);
		free(st->x.v[i].speaker);
		free(st->x.v[i].attribution);
	}
	free(st->x.v);
	for (size_t i = 0; i < st->x.ncodes; i++) {
		free(st->x.codes[i].code);
		free(st->x.codes[i].label);
		free(st->x.codes[i].description);
		free(st->x.codes[i].color);
	}
	free(st->x.codes);
	for (size_t i = 0; i < st->nattrs; i++) {
		free(st->attrs[i].key);
		free(st->attrs[i].value);
	}
	free(st->attrs);
	for (size_t i = 0; i < st->npn; i++)
		free(st->pn[i].text);
	free(st->pn);
	free((char *)st->x.title);
	free((char *)st->x.version);
	tyst_docs_free(&st->docs);
}

static int
write_out(const struct state *st, int fmt, const char *out,
    struct tyst_err *err)
{
	struct tyst_outfile of;

	if (out == NULL) {
		if (tyst_export_write(stdout, fmt, &st->x, err) < 0)
			return -1;
		return tyst_flush_stdout(err);
	}
	if (tyst_outfile_open(&of, out, 0666, err) < 0)
		return -1;
	if (tyst_export_write(of.fp, fmt, &st->x, err) < 0) {
		tyst_outfile_abort(&of);
		return -1;
	}
	return tyst_outfile_commit(&of, err);
}

/* The pseudonyms of one document, gathered for the qdpx scan. */
struct words {
	const char **v;
	size_t n, cap;
};

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
words_clear(struct words *w, size_t keep)
{
	for (size_t i = keep; i < w->n; i++)
		free((char *)w->v[i]);
	w->n = keep;
}

/*
 * The --allow words and, as for the other formats, the pseudonyms
 * tyst-pseudo put into the document: a pseudonymised project must not be
 * stopped by its own pseudonyms.
 */
static int
qdpx_allow(struct tyst_project *p, const char *doc, const char *const *allow,
    size_t nallow, struct words *w, struct tyst_err *err)
{
	struct tyst_pdoc_owned o;
	int rc;

	words_clear(w, 0);
	for (size_t i = 0; i < nallow; i++)
		if (add_word(0, allow[i], w) != 0)
			return tyst_err_set(err, doc, 0, 0, "out of memory");
	if ((rc = tyst_project_document(p, doc, &o, err)) <= 0)
		return rc;
	rc = tyst_project_pseudonyms(p, o.d.id, add_word, w, err);
	tyst_pdoc_free(&o);
	if (rc > 0)
		return tyst_err_set(err, doc, 0, 0, "out of memory");
	return rc < 0 ? -1 : 0;
}

/*
 * Every field that leaves the project besides the excerpts, scanned with
 * the same allow list plus every pseudonym of the project.  Prints what it
 * finds; returns the count or -1.
 */
static long
check_fields(const char *project, const struct tyst_rules *rules,
    enum tyst_confidence min, const struct words *allow, int show,
    const struct state *st, const struct tyst_qdpx *q, struct tyst_err *err)
{
	struct tyst_field_check c;
	int rc;

	if (tyst_field_check_init(&c, rules, min, allow->v, allow->n, err) < 0)
		return -1;
	rc = st != NULL ? tyst_export_fields(&st->x, tyst_field_check_fn, &c) :
	    tyst_qdpx_fields(q, tyst_field_check_fn, &c);	if (rc != 0) {
		tyst_field_check_free(&c);
		return -1;
	}
	for (size_t i = 0; i < c.n && i < SHOW_HITS; i++) {
		char buf[sizeof(c.v[i].h.text)];
		const char *t = tyst_hit_shown(&c.v[i].h, show, buf,
		    sizeof(buf));

		tyst_diag(project, 0, 0, "%s %s '%s' in %s; export stopped "
		    "(--allow '%s' if it is no identifier)",
		    tyst_confidence_name(c.v[i].h.confidence),
		    c.v[i].h.category, t, c.v[i].what, t);
	}
	if (c.n > SHOW_HITS)
		tyst_diag(NULL, 0, 0, "… and %zu more", c.n - SHOW_HITS);
	rc = (int)c.n;
	tyst_field_check_free(&c);
	return rc;
}

/* The fields of an excerpt export: the allow list and every pseudonym of
 * the project (rescan loaded them into st->pn). */
static long
scan_fields(struct state *st, const char *project, const char *rules_path,
    enum tyst_confidence min, const struct words *all, struct tyst_err *err)
{
	struct tyst_rules *rules = NULL;
	struct words w = { NULL, 0, 0 };
	long n = -1;

	if (st->npn == 0 && st->x.n == 0 &&
	    tyst_project_pseudonyms(st->p, 0, add_pname, st, err) != 0)
		return err->msg[0] ? -1 : tyst_err_set(err, NULL, 0, 0,
		    "out of memory");
	for (size_t i = 0; i < all->n; i++)
		if (add_word(0, all->v[i], &w) != 0)
			goto oom;
	for (size_t i = 0; i < st->npn; i++)
		if (add_word(0, st->pn[i].text, &w) != 0)
			goto oom;
	if (tyst_rules_load(&rules, rules_path, err) == 0)
		n = check_fields(project, rules, min, &w, st->show, st, NULL,
		    err);
	tyst_rules_free(rules);
	words_clear(&w, 0);
	free(w.v);
	return n;
oom:
	words_clear(&w, 0);
	free(w.v);
	return tyst_err_set(err, NULL, 0, 0, "out of memory");
}

/* The texts the researcher let through before (stored in the project),
 * after those of this run's --allow. */
static int
load_allowed(struct tyst_project *p, const char *const *allow, size_t nallow,
    struct words *w, struct tyst_err *err)
{
	for (size_t i = 0; i < nallow; i++)
		if (add_word(0, allow[i], w) != 0)
			return tyst_err_set(err, NULL, 0, 0, "out of memory");
	if (tyst_project_allowed(p, add_word, w, err) != 0)
		return err->msg[0] ? -1 : tyst_err_set(err, NULL, 0, 0,
		    "out of memory");
	return 0;
}

/* An export that went out with --allow remembers it, so the next one
 * does not ask again.  The export stands even when this fails. */
static void
remember_allowed(const char *path, const char *const *allow, size_t nallow)
{
	struct tyst_project *p;
	struct tyst_err err;

	if (nallow == 0)
		return;
	if (tyst_project_open(&p, path, 0, &err) < 0 ||
	    tyst_project_begin(p, &err) < 0) {
		tyst_warn(path, 0, 0, "--allow not remembered: %s", err.msg);
		tyst_project_close(p);
		return;
	}
	for (size_t i = 0; i < nallow; i++)
		if (tyst_project_allow(p, allow[i], &err) < 0) {
			tyst_project_rollback(p);
			tyst_warn(path, 0, 0, "--allow not remembered: %s",
			    err.msg);
			tyst_project_close(p);
			return;
		}
	if (tyst_project_commit(p, &err) < 0)
		tyst_warn(path, 0, 0, "--allow not remembered: %s", err.msg);
	tyst_project_close(p);
}

/*
 * --format qdpx: the whole project as a REFI-QDA file (lib/refi/qdpx.c).  The
 * documents go out whole, so the fresh scan covers them whole.
 */
static int
export_qdpx(const char *path, const char *out, const char *rules_path,
    enum tyst_confidence min, const char *const *cl_allow, size_t ncl_allow,
    int show, int crlf1)
{
	struct tyst_project *p = NULL;
	struct tyst_rules *rules = NULL;
	struct tyst_hits h = { NULL, 0, 0 };
	struct tyst_qdpx q;
	struct words w = { NULL, 0, 0 }, all = { NULL, 0, 0 };
	const char *const *allow;
	size_t nallow;
	long nf;
	struct tyst_outfile of;
	struct tyst_err err;
	char now[32];
	int rc = TYST_EXIT_ERROR;

	memset(&q, 0, sizeof(q));
	if (out == NULL && isatty(STDOUT_FILENO)) {
		tyst_diag(NULL, 0, 0, "a .qdpx file is a zip archive: use -o "
		    "FILE.qdpx or redirect standard output");
		return TYST_EXIT_ERROR;
	}
	if (tyst_project_open(&p, path, 1, &err) < 0 ||
	    tyst_qdpx_from_project(p, &q, &err) < 0 ||
	    tyst_rules_load(&rules, rules_path, &err) < 0 ||
	    load_allowed(p, cl_allow, ncl_allow, &all, &err) < 0)
		goto fail;
	q.crlf1 = crlf1;
	allow = all.v;
	nallow = all.n;
	for (size_t i = 0; i < q.nsources; i++) {
		size_t from = h.n;

		if (qdpx_allow(p, q.sources[i].name, allow, nallow, &w,
		    &err) < 0)
			goto fail;
		if (tyst_gate_scan(rules, q.sources[i].name, q.sources[i].text,
		    q.sources[i].len, min, w.v, w.n, &h, &err) < 0)
			goto fail;
		/* Named as the md export names them: the document, its
		 * line:col, and how to let a false alarm through. */
		for (size_t k = from; k < h.n && k < SHOW_HITS; k++) {
			char buf[sizeof(h.v[k].text)];
			const char *t = tyst_hit_shown(&h.v[k], show, buf,
			    sizeof(buf));

			tyst_diag(q.sources[i].name, h.v[k].line, h.v[k].col,
			    "%s %s '%s' in the document; export stopped "
			    "(--allow '%s' if it is no identifier)",
			    tyst_confidence_name(h.v[k].confidence),
			    h.v[k].category, t, t);
		}
	}
	/* The fields, with every document's pseudonyms. */
	words_clear(&w, 0);
	for (size_t i = 0; i < all.n; i++)
		if (add_word(0, all.v[i], &w) != 0)
			goto oom;
	if ((nf = tyst_project_pseudonyms(p, 0, add_word, &w, &err)) < 0)
		goto fail;
	if (nf > 0)
		goto oom;
	if ((nf = check_fields(path, rules, min, &w, show, NULL, &q, &err)) < 0)
		goto fail;
	if (nf > 0) {
		tyst_diag(path, 0, 0, "%ld possible identifier%s in the "
		    "project's fields; nothing written", nf, nf == 1 ? "" : "s");
		rc = TYST_EXIT_FOUND;
		goto out;
	}
	if (h.n > 0) {
		if (h.n > SHOW_HITS)
			tyst_diag(NULL, 0, 0, "… and %zu more",
			    h.n - SHOW_HITS);
		tyst_diag(path, 0, 0, "%zu possible identifier%s in the "
		    "documents; nothing written", h.n, h.n == 1 ? "" : "s");
		rc = TYST_EXIT_FOUND;
		goto out;
	}
	tyst_now_iso(now);
	if (out != NULL) {
		if (tyst_outfile_open(&of, out, 0666, &err) < 0)
			goto fail;
		if (tyst_qdpx_write(&q, of.fp, now, &err) < 0) {
			tyst_outfile_abort(&of);
			if (err.file[0] == '\0')
				snprintf(err.file, sizeof(err.file), "%s", out);
			goto fail;
		}
		if (tyst_outfile_commit(&of, &err) < 0)
			goto fail;
	} else if (tyst_qdpx_write(&q, stdout, now, &err) < 0 ||
	    tyst_flush_stdout(&err) < 0) {
		if (err.file[0] == '\0')
			snprintf(err.file, sizeof(err.file), "<stdout>");
		goto fail;
	}
	rc = TYST_EXIT_OK;
	goto out;
oom:
	tyst_err_set(&err, path, 0, 0, "out of memory");
fail:
	tyst_diag_err(&err);
out:
	words_clear(&w, 0);
	free(w.v);
	words_clear(&all, 0);
	free(all.v);
	tyst_hits_free(&h);
	tyst_rules_free(rules);
	tyst_qdpx_free(&q);
	tyst_project_close(p);
	if (rc == TYST_EXIT_OK)
		remember_allowed(path, cl_allow, ncl_allow);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 'c' },
		{ "case", required_argument, NULL, 'C' },
		{ "attr", required_argument, NULL, 'A' },
		{ "coder", required_argument, NULL, 'k' },
		{ "document", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "attribution", required_argument, NULL, 'a' },
		{ "allow", required_argument, NULL, 'w' },
		{ "rules", required_argument, NULL, 'r' },
		{ "confidence", required_argument, NULL, 'L' },
		{ "show", no_argument, NULL, 'S' },
		{ "csv-raw", no_argument, NULL, 'X' },
		{ "output", required_argument, NULL, 'o' },
		{ "line-endings", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *codes[MAX_LIST], *allow[MAX_LIST], *keys[MAX_LIST],
	    *values[MAX_LIST], *rules = NULL, *out = NULL;
	char *keybuf[MAX_LIST];
	struct tyst_segfilter f;
	struct state st;
	struct tyst_err err;
	size_t nallow = 0;
	int ch, fmt = TYST_FMT_MD, rc = TYST_EXIT_ERROR, qdpx = 0, crlf1 = 0;
	struct words all = { NULL, 0, 0 };
	long found, nf = 0;
	int min = TYST_CANDIDATE;
	char *v;

	tyst_diag_init(argv[0]);
	memset(&f, 0, sizeof(f));
	memset(&st, 0, sizeof(st));
	f.codes = codes;
	f.attr_keys = keys;
	f.attr_values = values;
	st.tmpl = "({case})";
	while ((ch = getopt_long(argc, argv, "c:k:d:f:a:o:hV", opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c':
			if (f.ncodes < MAX_LIST)
				codes[f.ncodes++] = optarg;
			break;
		case 'C': f.case_name = optarg; break;
		case 'A': {
			const char *eq = strchr(optarg, '=');

			if (eq == NULL || eq == optarg || f.nattrs == MAX_LIST) {
				tyst_diag(NULL, 0, 0, "--attr '%s': write "
				    "KEY=VALUE", optarg);
				goto out;
			}
			keybuf[f.nattrs] = strndup(optarg,
			    (size_t)(eq - optarg));
			keys[f.nattrs] = keybuf[f.nattrs];
			values[f.nattrs++] = eq + 1;
			break;
		}
		case 'k': f.coder = optarg; break;
		case 'd': f.document = optarg; break;
		case 'f':
			if (strcmp(optarg, "qdpx") == 0) {
				qdpx = 1;
				break;
			}
			if ((fmt = tyst_format_parse(optarg)) < 0) {
				tyst_diag(NULL, 0, 0, "--format '%s': md, csv, "
				    "jsonl or html", optarg);
				goto out;
			}
			break;
		case 'a': st.tmpl = optarg; break;
		case 'w':
			if (nallow < MAX_LIST)
				allow[nallow++] = optarg;
			break;
		case 'r': rules = optarg; break;
		case 'L':
			if ((min = tyst_confidence_parse(optarg)) < 0) {
				tyst_diag(NULL, 0, 0, "--confidence '%s': "
				    "certain, likely or candidate", optarg);
				goto out;
			}
			break;
		case 'o': out = optarg; break;
		case 'E':
			if (strcmp(optarg, "crlf1") != 0 &&
			    strcmp(optarg, "lf") != 0) {
				tyst_diag(NULL, 0, 0, "--line-endings '%s': lf "
				    "or crlf1", optarg);
				goto out;
			}
			crlf1 = strcmp(optarg, "crlf1") == 0;
			break;
		case 'S': st.show = 1; break;
		case 'X': st.x.csv_raw = 1; break;
		case 'h': usage(stdout); rc = TYST_EXIT_OK; goto out;
		case 'V':
			printf("tyst-excerpt %s\n", TYST_VERSION);
			rc = TYST_EXIT_OK;
			goto out;
		default: usage(stderr); goto out;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		goto out;
	}
	tyst_outfile_protect(argv[optind]);     /* the project */
	tyst_outfile_protect(rules);
	if (qdpx) {
		if (f.ncodes || f.case_name || f.nattrs || f.coder ||
		    f.document) {
			tyst_diag(NULL, 0, 0, "--format qdpx exports the whole "
			    "project; --code, --case, --attr, --coder and "
			    "--document do not apply");
			goto out;
		}
		rc = export_qdpx(argv[optind], out, rules,
		    (enum tyst_confidence)min, allow, nallow, st.show, crlf1);
		goto out;
	}
	if (tyst_project_open(&st.p, argv[optind], 1, &err) < 0) {
		rc = fail(&err);
		goto out;
	}
	st.err = &err;
	tyst_docs_init(&st.docs, st.p);
	if (tyst_project_codes(st.p, load_code, &st, &err) != 0 ||
	    load_attrs(&st, &err) < 0) {
		rc = fail(&err);
		goto out;
	}
	for (size_t i = 0; i < f.ncodes; i++) {
		if (code_index(&st, codes[i]) < 0) {
			tyst_err_set(&err, argv[optind], 0, 0, "unknown code "
			    "'%s': not in the project's codebook", codes[i]);
			rc = fail(&err);
			goto out;
		}
	}
	v = tyst_project_meta(st.p, "codebook_title");
	st.x.title = v;
	if ((v = tyst_project_meta(st.p, "codebook_version")) != NULL) {
		size_t n = strlen(v) + 16;
		char *s = malloc(n);

		if (s != NULL)
			snprintf(s, n, "version %s", v);
		free(v);
		st.x.version = s;
	}
	if (tyst_project_segments(st.p, &f, add_excerpt, &st, &err) < 0 ||
	    st.failed) {
		rc = fail(&err);
		goto out;
	}
	if (load_allowed(st.p, allow, nallow, &all, &err) < 0) {
		rc = fail(&err);
		goto out;
	}
	found = rescan(&st, rules, min, all.v, all.n, &err);
	if (found >= 0)
		nf = scan_fields(&st, argv[optind], rules, min, &all, &err);
	if (found < 0 || nf < 0) {
		rc = fail(&err);
		goto out;
	}
	if (nf > 0) {
		tyst_diag(argv[optind], 0, 0, "%ld possible identifier%s in "
		    "the exported fields; nothing written", nf,
		    nf == 1 ? "" : "s");
		rc = TYST_EXIT_FOUND;
		goto out;
	}
	if (found > 0) {
		tyst_diag(argv[optind], 0, 0, "%ld possible identifier%s in "
		    "the excerpts; nothing written", found,
		    found == 1 ? "" : "s");
		rc = TYST_EXIT_FOUND;
		goto out;
	}
	if (write_out(&st, fmt, out, &err) < 0) {
		rc = fail(&err);
		goto out;
	}
	if (st.x.n == 0)
		tyst_warn(argv[optind], 0, 0, "no segments match; the export "
		    "is empty");
	rc = TYST_EXIT_OK;
	tyst_project_close(st.p);
	st.p = NULL;
	remember_allowed(argv[optind], allow, nallow);
out:
	words_clear(&all, 0);
	free(all.v);
	for (size_t i = 0; i < f.nattrs; i++)
		free(keybuf[i]);
	state_free(&st);
	tyst_project_close(st.p);
	return rc;
}
