/*
 * merge — see include/tyst/merge.h.
 *
 * Two passes over the other project: the first finds every conflict that
 * would lose work without touching the target, the second writes.  So the
 * user sees all such conflicts at once, not the first of them.
 */
#include "tyst/merge.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "tyst/project.h"

struct mdoc {
	char *name;              /* in the other project */
	char *sha256;
	int64_t target;          /* 0: not in the target */
	int64_t id;              /* in the other project */
};

struct mseg {
	size_t doc;              /* index into docs */
	char *code, *coder, *memo, *created, *modified;
	uint64_t start, end;
};

struct mmemo {
	char *document, *code, *coder, *text, *created;
};

struct mctx {
	struct tyst_project *target, *other;
	const char *other_path;
	struct tyst_merge_report *r;
	struct mdoc *docs;
	size_t ndocs;
	struct mseg *segs;
	size_t nsegs;
	struct mmemo *memos;
	size_t nmemos;
	int oom;
};

static int
note(struct tyst_merge_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
note(struct tyst_merge_report *r, const char *fmt, ...)
{
	char buf[1024], **nc;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < r->nconflicts; i++)
		if (strcmp(r->conflicts[i], buf) == 0)
			return 0;
	nc = realloc(r->conflicts, (r->nconflicts + 1) * sizeof(*nc));
	if (nc == NULL)
		return -1;
	r->conflicts = nc;
	if ((nc[r->nconflicts] = strdup(buf)) == NULL)
		return -1;
	r->nconflicts++;
	return 0;
}

static char *
sdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static int
grow(void **v, size_t n, size_t size)
{
	if (n != 0 && (n & (n - 1)) != 0)
		return 0;
	void *nv = realloc(*v, (n ? n * 2 : 16) * size);

	if (nv == NULL)
		return -1;
	*v = nv;
	return 0;
}

static int
doc_cb(const struct tyst_pdoc *d, void *arg)
{
	struct mctx *x = arg;
	struct mdoc *m;

	if (grow((void **)&x->docs, x->ndocs, sizeof(*m)) < 0)
		return x->oom = 1;
	m = &x->docs[x->ndocs++];
	m->name = sdup(d->name);
	m->sha256 = sdup(d->sha256);
	m->target = 0;
	m->id = d->id;
	if (m->name == NULL || m->sha256 == NULL)
		return x->oom = 1;
	return 0;
}

static long
doc_index(const struct mctx *x, const char *name)
{
	for (size_t i = 0; i < x->ndocs; i++)
		if (strcmp(x->docs[i].name, name) == 0)
			return (long)i;
	return -1;
}

static int
seg_cb(const struct tyst_psegment *s, void *arg)
{
	struct mctx *x = arg;
	struct mseg *m;
	long d = doc_index(x, s->document);

	if (d < 0)
		return 0;
	if (grow((void **)&x->segs, x->nsegs, sizeof(*m)) < 0)
		return x->oom = 1;
	m = &x->segs[x->nsegs++];
	memset(m, 0, sizeof(*m));
	m->doc = (size_t)d;
	m->start = s->start;
	m->end = s->end;
	m->code = sdup(s->code);
	m->coder = sdup(s->coder);
	m->memo = sdup(s->memo);
	m->created = sdup(s->created);
	m->modified = sdup(s->modified);
	if (!m->code || !m->coder || (s->memo && !m->memo) ||
	    (s->created && !m->created) || (s->modified && !m->modified))
		return x->oom = 1;
	return 0;
}

static int
memo_cb(const struct tyst_pmemo *p, void *arg)
{
	struct mctx *x = arg;
	struct mmemo *m;

	if (grow((void **)&x->memos, x->nmemos, sizeof(*m)) < 0)
		return x->oom = 1;
	m = &x->memos[x->nmemos++];
	m->document = sdup(p->document);
	m->code = sdup(p->code);
	m->coder = sdup(p->coder);
	m->text = sdup(p->text);
	m->created = sdup(p->created);
	if (!m->text || (p->document && !m->document) ||
	    (p->code && !m->code) || (p->coder && !m->coder))
		return x->oom = 1;
	return 0;
}

static int64_t
target_doc(struct mctx *x, const char *sha, struct tyst_err *err)
{
	return tyst_project_document_id_by_sha(x->target, sha, err);
}

/* First pass: everything the target must have before anything is added. */
static int
check(struct mctx *x, struct tyst_err *err)
{
	struct tyst_merge_report *r = x->r;
	const char *tp = tyst_project_path(x->target);

	for (size_t i = 0; i < x->ndocs; i++) {
		int64_t id = target_doc(x, x->docs[i].sha256, err);

		if (id < 0)
			return -1;
		x->docs[i].target = id;
		if (id > 0)
			r->documents++;
	}
	for (size_t i = 0; i < x->nsegs; i++) {
		const struct mseg *s = &x->segs[i];
		const struct mdoc *d = &x->docs[s->doc];
		int64_t c;

		if (d->target == 0 && note(r, "%s: document '%s' (sha256 "
		    "%.12s) is not in %s; import the same text there first",
		    x->other_path, d->name, d->sha256, tp) < 0)
			return -1;
		if ((c = tyst_project_code_id(x->target, s->code, err)) < 0)
			return -1;
		if (c == 0 && note(r, "%s: code '%s' (used by %s in '%s') is "
		    "not in %s's codebook; add it there first", x->other_path,
		    s->code, s->coder, d->name, tp) < 0)
			return -1;
	}
	for (size_t i = 0; i < x->nmemos; i++) {
		const struct mmemo *m = &x->memos[i];
		int64_t c;

		if (m->document != NULL) {
			long d = doc_index(x, m->document);

			if (d >= 0 && x->docs[d].target == 0 &&
			    note(r, "%s: document '%s' (sha256 %.12s, with a "
			    "memo) is not in %s", x->other_path, m->document,
			    x->docs[d].sha256, tp) < 0)
				return -1;
		}
		if (m->code == NULL)
			continue;
		if ((c = tyst_project_code_id(x->target, m->code, err)) < 0)
			return -1;
		if (c == 0 && note(r, "%s: code '%s' (with a memo) is not in "
		    "%s's codebook", x->other_path, m->code, tp) < 0)
			return -1;
	}
	if (r->nconflicts > 0) {
		r->failed = 1;
		return tyst_err_set(err, x->other_path, 0, 0, "%zu conflict%s; "
		    "nothing was merged", r->nconflicts, r->nconflicts == 1 ?
		    "" : "s");
	}
	return 0;
}

/* Keeps the times the coder worked, not the time of the merge. */
static int
set_times(struct mctx *x, int64_t id, const struct mseg *s,
    struct tyst_err *err)
{
	return tyst_project_segment_times(x->target, id, s->created,
	    s->modified, err);
}

/* The same segment was there: its memo may still differ. */
static int
same_segment(struct mctx *x, int64_t doc, int64_t code, int64_t coder,
    const struct mseg *s, struct tyst_err *err)
{
	char *memo = NULL, *joined = NULL;
	int64_t id;
	int rc;

	x->r->segments_present++;
	if (s->memo == NULL)
		return 0;
	rc = tyst_project_find_segment(x->target, doc, code, coder, s->start,
	    s->end, &id, &memo, err);
	if (rc <= 0)
		return rc < 0 ? -1 : tyst_err_set(err,
		    tyst_project_path(x->target), 0, 0, "a segment vanished "
		    "during the merge");
	if (memo != NULL && (strcmp(memo, s->memo) == 0 ||
	    strstr(memo, s->memo) != NULL)) {
		free(memo);
		return 0;
	}
	if (memo != NULL) {
		size_t n = strlen(memo) + strlen(s->memo) + 8;

		if ((joined = malloc(n)) == NULL) {
			free(memo);
			return tyst_err_set(err, "", 0, 0, "out of memory");
		}
		snprintf(joined, n, "%s\n---\n%s", memo, s->memo);
		free(memo);
		if (note(x->r, "%s: %s's memo on %s in '%s' differs; both "
		    "texts are kept", x->other_path, s->coder, s->code,
		    x->docs[s->doc].name) < 0) {
			free(joined);
			return tyst_err_set(err, "", 0, 0, "out of memory");
		}
	}
	rc = tyst_project_segment_memo(x->target, id, joined ? joined :
	    s->memo, err);
	free(joined);
	return rc < 0 ? -1 : 0;
}

/* Segments of this coder in the target's copies of the shared documents
 * that the other project lacks: the two copies diverged. */
struct only_target {
	const struct mctx *x;
	size_t doc;
	const char *coder;
	size_t n;
};

/* Counts a target segment the other project lacks. */
static int
count_only_target(const struct tyst_psegment *g, void *arg)
{
	struct only_target *o = arg;
	const struct mctx *x = o->x;

	for (size_t j = 0; j < x->nsegs; j++) {
		const struct mseg *s = &x->segs[j];

		if (s->doc == o->doc && s->start == g->start &&
		    s->end == g->end && strcmp(s->coder, o->coder) == 0 &&
		    strcmp(s->code, g->code) == 0)
			return 0;
	}
	o->n++;
	return 0;
}

static int
diverged(struct mctx *x, int64_t coder, const char *name,
    struct tyst_err *err)
{
	struct only_target o = { x, 0, name, 0 };
	size_t only_other = 0;

	for (size_t i = 0; i < x->ndocs; i++) {
		struct tyst_segfilter f;

		if (x->docs[i].target == 0)
			continue;
		memset(&f, 0, sizeof(f));
		f.document_id = x->docs[i].target;
		f.coder_id = coder;
		o.doc = i;
		if (tyst_project_segments(x->target, &f, count_only_target, &o,
		    err) < 0)
			return -1;
	}
	for (size_t j = 0; j < x->nsegs && o.n > 0; j++) {
		const struct mseg *s = &x->segs[j];
		int64_t code, id;
		int rc;

		if (strcmp(s->coder, name) != 0)
			continue;
		if ((code = tyst_project_code_id(x->target, s->code, err)) < 0)
			return -1;
		rc = code == 0 ? 0 : tyst_project_find_segment(x->target,
		    x->docs[s->doc].target, code, coder, s->start, s->end,
		    &id, NULL, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			only_other++;
	}
	return o.n > 0 ? (int)(only_other > 0) : 0;
}

static int
add_segments(struct mctx *x, struct tyst_err *err)
{
	char **checked = NULL;
	size_t nchecked = 0;
	int rc = -1;

	for (size_t i = 0; i < x->nsegs; i++) {
		const struct mseg *s = &x->segs[i];
		int64_t doc = x->docs[s->doc].target, code, coder, id;
		int added, known;
		size_t k;

		code = tyst_project_code_id(x->target, s->code, err);
		known = (int)tyst_project_coder(x->target, s->coder, 0, err);
		if (code <= 0 || known < 0)
			goto out;
		for (k = 0; k < nchecked; k++)
			if (strcmp(checked[k], s->coder) == 0)
				break;
		if (k == nchecked) {
			char **nc = realloc(checked, (nchecked + 1) *
			    sizeof(*nc));

			if (nc == NULL)
				goto oom;
			checked = nc;
			checked[nchecked++] = s->coder;
			if (known == 0)
				x->r->coders_added++;
		}
		if ((coder = tyst_project_coder(x->target, s->coder, 1,
		    err)) <= 0)
			goto out;
		if (k == nchecked - 1 && known > 0) {
			int d = diverged(x, coder, s->coder, err);

			if (d < 0)
				goto out;
			if (d > 0 && note(x->r, "%s: coder %s has segments "
			    "in both projects that the other lacks (the copies "
			    "diverged); the union is kept", x->other_path,
			    s->coder) < 0)
				goto oom;
		}
		added = tyst_project_add_segment(x->target, doc, code, coder,
		    s->start, s->end, s->memo, &id, err);
		if (added < 0)
			goto out;
		if (added == 0) {
			if (same_segment(x, doc, code, coder, s, err) < 0)
				goto out;
			continue;
		}
		x->r->segments_added++;
		if (set_times(x, id, s, err) < 0)
			goto out;
	}
	rc = 0;
	goto out;
oom:
	tyst_err_set(err, "", 0, 0, "out of memory");
out:
	free(checked);
	return rc;
}

static int
add_memos(struct mctx *x, struct tyst_err *err)
{
	for (size_t i = 0; i < x->nmemos; i++) {
		const struct mmemo *m = &x->memos[i];
		int64_t doc = 0, code = 0, coder = 0;
		int rc;

		if (m->document != NULL) {
			long d = doc_index(x, m->document);

			if (d < 0)
				continue;
			doc = x->docs[d].target;
		}
		if (m->code != NULL &&
		    (code = tyst_project_code_id(x->target, m->code, err)) <= 0)
			return -1;
		if (m->coder != NULL && (coder = tyst_project_coder(x->target,
		    m->coder, 1, err)) <= 0)
			return -1;
		if ((rc = tyst_project_memo_exists(x->target, doc, code, coder,
		    m->text, err)) < 0)
			return -1;
		if (rc > 0) {
			x->r->memos_present++;
			continue;
		}
		if (tyst_project_add_memo_at(x->target, doc, code, coder,
		    m->text, m->created, err) < 0)
			return -1;
		x->r->memos_added++;
	}
	return 0;
}

/* What schema 3 holds besides segments and memos, written into the
 * target as the other project is read. */
struct xadd {
	struct mctx *x;
	struct tyst_err *err;
	int failed;
};

static int64_t
mapped_doc(const struct mctx *x, const char *name, int64_t id)
{
	for (size_t i = 0; i < x->ndocs; i++)
		if ((name != NULL && strcmp(x->docs[i].name, name) == 0) ||
		    (name == NULL && x->docs[i].id == id))
			return x->docs[i].target;
	return 0;
}

static int
annotation_cb(const struct tyst_pannotation *a, void *arg)
{
	struct xadd *c = arg;
	int64_t doc = mapped_doc(c->x, a->document, 0), coder = 0;
	int rc;

	if (doc == 0)
		return 0;
	if (a->coder != NULL && (coder = tyst_project_coder(c->x->target,
	    a->coder, 1, c->err)) <= 0)
		return c->failed = 1;
	if ((rc = tyst_project_add_annotation(c->x->target, doc, coder,
	    a->start, a->end, a->text, a->created, a->guid, c->err)) < 0)
		return c->failed = 1;
	c->x->r->annotations_added += (size_t)rc;
	return 0;
}

static int
journal_cb(const struct tyst_pjournal *j, void *arg)
{
	struct xadd *c = arg;
	int64_t coder = 0;
	int rc;

	if (j->coder != NULL && (coder = tyst_project_coder(c->x->target,
	    j->coder, 1, c->err)) <= 0)
		return c->failed = 1;
	if ((rc = tyst_project_add_journal(c->x->target, j->name, j->text,
	    coder, j->created, j->guid, c->err)) < 0)
		return c->failed = 1;
	c->x->r->journals_added += (size_t)rc;
	return 0;
}

static int
docattr_cb(int64_t id, const char *key, const char *value, void *arg)
{
	struct xadd *c = arg;
	int64_t doc = mapped_doc(c->x, NULL, id);
	char *had;

	if (doc == 0)
		return 0;
	if ((had = tyst_project_document_attr(c->x->target, doc, key)) !=
	    NULL) {
		int differ = strcmp(had, value) != 0;

		free(had);
		if (differ && note(c->x->r, "%s: a document's %s=%s differs "
		    "from the target's, which is kept", c->x->other_path, key,
		    value) < 0)
			return c->failed = 1;
		return 0;
	}
	if (tyst_project_set_document_attr(c->x->target, doc, key, value,
	    c->err) < 0)
		return c->failed = 1;
	c->x->r->doc_attrs_set++;
	return 0;
}

static int
add_extras(struct mctx *x, struct tyst_err *err)
{
	struct xadd c = { x, err, 0 };

	if (tyst_project_annotations(x->other, 0, annotation_cb, &c, err) < 0
	    || c.failed)
		return -1;
	if (tyst_project_journals(x->other, journal_cb, &c, err) < 0 ||
	    c.failed)
		return -1;
	if (tyst_project_document_attrs(x->other, 0, docattr_cb, &c, err) < 0
	    || c.failed)
		return -1;
	return 0;
}

static void
ctx_free(struct mctx *x)
{
	for (size_t i = 0; i < x->ndocs; i++) {
		free(x->docs[i].name);
		free(x->docs[i].sha256);
	}
	for (size_t i = 0; i < x->nsegs; i++) {
		free(x->segs[i].code);
		free(x->segs[i].coder);
		free(x->segs[i].memo);
		free(x->segs[i].created);
		free(x->segs[i].modified);
	}
	for (size_t i = 0; i < x->nmemos; i++) {
		free(x->memos[i].document);
		free(x->memos[i].code);
		free(x->memos[i].coder);
		free(x->memos[i].text);
		free(x->memos[i].created);
	}
	free(x->docs);
	free(x->segs);
	free(x->memos);
}

int
tyst_project_merge(struct tyst_project *target, const char *other_path,
    struct tyst_merge_report *r, struct tyst_err *err)
{
	struct mctx x = { .target = target, .other_path = other_path, .r = r };
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (tyst_project_open(&x.other, other_path, 1, err) < 0)
		return -1;
	if (strcmp(tyst_project_path(target), other_path) == 0) {
		tyst_err_set(err, other_path, 0, 0, "cannot merge a project "
		    "into itself");
		goto out;
	}
	if (tyst_project_documents(x.other, 0, doc_cb, &x, err) < 0 ||
	    tyst_project_segments(x.other, NULL, seg_cb, &x, err) < 0 ||
	    tyst_project_memos(x.other, 0, 0, memo_cb, &x, err) < 0)
		goto out;
	if (x.oom) {
		tyst_err_set(err, other_path, 0, 0, "out of memory");
		goto out;
	}
	if (check(&x, err) < 0)
		goto out;
	if (add_segments(&x, err) < 0 || add_memos(&x, err) < 0 ||
	    add_extras(&x, err) < 0)
		goto out;
	rc = 0;
out:
	tyst_project_close(x.other);
	ctx_free(&x);
	return rc;
}

void
tyst_merge_report_free(struct tyst_merge_report *r)
{
	for (size_t i = 0; i < r->nconflicts; i++)
		free(r->conflicts[i]);
	free(r->conflicts);
	memset(r, 0, sizeof(*r));
}
