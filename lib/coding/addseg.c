/*
 * addseg — adding coded segments (include/tyst/addseg.h).
 *
 * A batch names the same document, code and coder line after line, so
 * tyst_adder_select looks each up only when it changes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "tyst/addseg.h"
#include "tyst/strv.h"
#include "tyst/text.h"
#include "tyst/turns.h"

void
tyst_adder_init(struct tyst_adder *a, struct tyst_project *p,
    tyst_added_fn fn, void *ctx)
{
	memset(a, 0, sizeof(*a));
	a->p = p;
	a->added_fn = fn;
	a->ctx = ctx;
	tyst_docs_init(&a->docs, p);
}

void
tyst_adder_free(struct tyst_adder *a)
{
	tyst_docs_free(&a->docs);
}

int
tyst_range_parse(const char *s, uint64_t *a, uint64_t *b)
{
	char *end;

	/* strtoull takes "-1" for the largest number. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*a = strtoull(s, &end, 10);
	if (end == s || errno != 0)
		return -1;
	if (*end == '\0') {
		*b = *a;
		return 0;
	}
	if (*end != '-' && *end != ':')
		return -1;
	s = end + 1;
	if (*s < '0' || *s > '9')
		return -1;
	*b = strtoull(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || *b < *a)
		return -1;
	return 0;
}

/* The byte range of lines a..b of the stored text, line ends excluded. */
static int
line_span(const struct tyst_doc *d, uint64_t a, uint64_t b, size_t *s,
    size_t *e, struct tyst_err *err)
{
	size_t n = d->nlines;

	/* A final line end does not start another line. */
	if (n > 1 && d->lines[n - 1] == d->o.d.len)
		n--;
	if (a < 1 || b > n || a > b)
		return tyst_err_set(err, d->o.d.name, 0, 0, "lines %" PRIu64
		    "-%" PRIu64 " out of range: the document has %zu line%s",
		    a, b, n, n == 1 ? "" : "s");
	*s = d->lines[a - 1];
	*e = b < d->nlines ? d->lines[b] - 1 : d->o.d.len;
	if (*e < *s)
		*e = *s;
	return 0;
}

int
tyst_adder_span(struct tyst_adder *a, size_t s, size_t e, const char *memo,
    struct tyst_err *err)
{
	const struct tyst_doc *d = a->d;
	size_t l1, l2, col;
	int64_t id;
	int rc;

	if (e > d->o.d.len || s >= e)
		return tyst_err_set(err, d->o.d.name, 0, 0, "segment %zu-%zu "
		    "is empty or past the end (%zu bytes)", s, e, d->o.d.len);
	/* Offsets must fall on character boundaries. */
	if (((unsigned char)d->o.d.text[s] & 0xc0) == 0x80 ||
	    (e < d->o.d.len && ((unsigned char)d->o.d.text[e] & 0xc0) == 0x80))
		return tyst_err_set(err, d->o.d.name, 0, 0, "segment %zu-%zu "
		    "cuts a UTF-8 character in half", s, e);
	rc = tyst_project_add_segment(a->p, a->doc, a->code, a->coder, s, e,
	    memo, &id, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		a->existed++;
		return 0;
	}
	a->added++;
	if (a->added_fn == NULL)
		return 0;
	tyst_doc_linecol(d, s, &l1, &col);
	tyst_doc_linecol(d, e > s ? e - 1 : e, &l2, &col);
	a->added_fn(id, d->o.d.name, l1, l2, s, e, a->ctx);
	return 0;
}

int
tyst_adder_lines(struct tyst_adder *a, uint64_t from, uint64_t to,
    const char *memo, struct tyst_err *err)
{
	size_t s = 0, e = 0;

	if (line_span(a->d, from, to, &s, &e, err) < 0)
		return -1;
	return tyst_adder_span(a, s, e, memo, err);
}

/*
 * PCRE2 gave up (its match limit) in a search from off.  The search spans
 * the rest of the text, so each line is tried alone to name the one where
 * the expression runs away.
 */
static int
match_failed(struct tyst_adder *a, pcre2_code *re, pcre2_match_data *md,
    size_t off, int code, struct tyst_err *err)
{
	const char *t = a->d->o.d.text;
	size_t len = a->d->o.d.len, line, col, at = off;
	PCRE2_UCHAR msg[256];

	while (at < len) {
		const char *nl = memchr(t + at, '\n', len - at);
		size_t end = nl != NULL ? (size_t)(nl - t) : len;
		int rc = pcre2_match(re, (PCRE2_SPTR)t, end, at,
		    PCRE2_NO_UTF_CHECK, md, NULL);

		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
			code = rc;
			off = at;
			break;
		}
		at = end + 1;
	}
	pcre2_get_error_message(code, msg, sizeof(msg));
	tyst_doc_linecol(a->d, off, &line, &col);
	return tyst_err_set(err, a->d->o.d.name, line, 0, "--match gave up "
	    "on this line: %s; nothing was added (simplify the expression, "
	    "e.g. without nested repeats)", (char *)msg);
}

int
tyst_adder_match(struct tyst_adder *a, const char *pattern, int unit,
    int icase, const char *memo, struct tyst_err *err)
{
	const char *t = a->d->o.d.text;
	size_t len = a->d->o.d.len, off = 0, last_s = (size_t)-1, last_e = 0;
	pcre2_match_data *md;
	pcre2_code *re;
	PCRE2_SIZE eoff;
	int ecode, rc = 0, mrc = 0;
	size_t matches = 0;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | (icase ? PCRE2_CASELESS : 0), &ecode,
	    &eoff, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ecode, msg, sizeof(msg));
		return tyst_err_set(err, "--match", 1, (size_t)eoff + 1,
		    "bad regular expression: %s", (char *)msg);
	}
	md = pcre2_match_data_create_from_pattern(re, NULL);
	while (rc == 0 && off <= len && (mrc = pcre2_match(re, (PCRE2_SPTR)t,
	    len, off, off > 0 ? PCRE2_NO_UTF_CHECK : 0, md, NULL)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		size_t s, e;

		matches++;
		if (tyst_unit_span(t, len, &a->d->turns, unit, ov[0], &s,
		    &e) == 0 && (s != last_s || e != last_e)) {
			rc = tyst_adder_span(a, s, e, memo, err);
			last_s = s;
			last_e = e;
		}
		off = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
		while (off < len && ((unsigned char)t[off] & 0xc0) == 0x80)
			off++;
	}
	/* A limit hit is no "no match": later lines may well match. */
	if (rc == 0 && mrc < 0 && mrc != PCRE2_ERROR_NOMATCH && off <= len)
		rc = match_failed(a, re, md, off, mrc, err);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	if (rc < 0)
		return -1;
	return matches > 0 ? 0 : 1;
}

int
tyst_adder_select(struct tyst_adder *a, const char *doc, const char *code,
    const char *coder, const char *where, struct tyst_err *err)
{
	struct tyst_pdoc_owned o;
	int rc;

	if (a->d == NULL || strcmp(a->d->o.d.name, doc) != 0) {
		if ((rc = tyst_project_document(a->p, doc, &o, err)) <= 0)
			return rc < 0 ? -1 : tyst_err_set(err, where, 0, 0,
			    "no document '%s' in the project", doc);
		a->doc = o.d.id;
		tyst_pdoc_free(&o);
		if ((a->d = tyst_docs_get(&a->docs, a->doc, err)) == NULL)
			return -1;
	}
	if (strcmp(a->last_code, code) != 0) {
		if ((a->code = tyst_project_code_id(a->p, code, err)) <= 0) {
			a->last_code[0] = '\0';
			return a->code < 0 ? -1 : tyst_err_set(err, where, 0,
			    0, "unknown code '%s': not in the project's "
			    "codebook", code);
		}
		snprintf(a->last_code, sizeof(a->last_code), "%s", code);
	}
	if (a->coder == 0 || strcmp(a->last_coder, coder) != 0) {
		if ((a->coder = tyst_project_coder(a->p, coder, 1, err)) < 0) {
			a->last_coder[0] = '\0';
			return -1;
		}
		snprintf(a->last_coder, sizeof(a->last_coder), "%s", coder);
	}
	return 0;
}

/* One line of a batch, f[0..nf) its fields. */
static int
batch_line(struct tyst_adder *a, const char *name, char **f,
    struct tyst_err *err)
{
	uint64_t from, to;

	if (tyst_adder_select(a, f[0], f[1], f[2], name, err) < 0)
		return -1;
	if (tyst_range_parse(f[3][0] == '@' ? f[3] + 1 : f[3], &from,
	    &to) < 0)
		return tyst_err_set(err, name, 0, 0, "bad range '%s' (lines "
		    "12-18 or offsets @120-340)", f[3]);
	if (f[3][0] == '@')
		return tyst_adder_span(a, (size_t)from, (size_t)to, f[4], err);
	return tyst_adder_lines(a, from, to, f[4], err);
}

int
tyst_adder_batch(struct tyst_adder *a, const char *path,
    struct tyst_err *err)
{
	struct tyst_reader r;
	struct tyst_line ln;
	int rc = 0, got;

	if (tyst_reader_open(&r, path, err) < 0)
		return -1;
	while (rc == 0 && (got = tyst_reader_next(&r, &ln, err)) == 1) {
		char *line = malloc(ln.len + 1), *f[5] = { 0 }, *q;
		int nf = 0;

		/* ln.p is not NUL-terminated: copy, do not strndup. */
		if (line == NULL) {
			rc = tyst_err_set(err, r.name, ln.lineno, 0,
			    "out of memory");
			break;
		}
		memcpy(line, ln.p, ln.len);
		line[ln.len] = '\0';
		/* Four tab-separated fields; the memo is the rest. */
		for (q = line; q != NULL && nf < 5; nf++) {
			f[nf] = q;
			if (nf < 4 && (q = strchr(q, '\t')) != NULL)
				*q++ = '\0';
			else
				q = NULL;
		}
		if (ln.len == 0 || line[0] == '#') {
			free(line);
			continue;
		}
		if (nf < 4) {
			free(line);
			rc = tyst_err_set(err, r.name, ln.lineno, 1, "expected "
			    "DOCUMENT<TAB>CODE<TAB>CODER<TAB>RANGE[<TAB>MEMO]");
			break;
		}
		rc = batch_line(a, r.name, f, err);
		if (rc < 0 && err->line == 0) {
			/* Say which line of the batch it was. */
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			tyst_err_set(err, r.name, ln.lineno, 0, "%s", msg);
		}
		free(line);
	}
	if (rc == 0 && got < 0)
		rc = -1;
	tyst_reader_close(&r);
	return rc;
}

struct pick {
	struct tyst_project *p;
	const char *case_name;
	const char *const *keys, *const *values;
	size_t nattrs;
	char **names;
	size_t n;
	int failed;
};

static int
pick_doc(const struct tyst_pdoc *d, void *arg)
{
	struct pick *m = arg;

	if (m->case_name != NULL && (d->case_name == NULL ||
	    strcmp(d->case_name, m->case_name) != 0))
		return 0;
	for (size_t i = 0; i < m->nattrs; i++) {
		char *val = d->case_id > 0 ? tyst_project_case_attr(m->p,
		    d->case_id, m->keys[i]) : NULL;
		int same = val != NULL && strcmp(val, m->values[i]) == 0;

		free(val);
		/* Or the document's own (its occasion, its date). */
		if (!same && (val = tyst_project_document_attr(m->p, d->id,
		    m->keys[i])) != NULL) {
			same = strcmp(val, m->values[i]) == 0;
			free(val);
		}
		if (!same)
			return 0;
	}
	if (tyst_strv_add(&m->names, &m->n, d->name) < 0)
		return m->failed = 1;
	return 0;
}

int
tyst_adder_pick(struct tyst_project *p, const char *case_name,
    const char *const *keys, const char *const *values, size_t nattrs,
    char ***names, size_t *n, struct tyst_err *err)
{
	struct pick m;

	memset(&m, 0, sizeof(m));
	m.p = p;
	m.case_name = case_name;
	m.keys = keys;
	m.values = values;
	m.nattrs = nattrs;
	*names = NULL;
	*n = 0;
	if (tyst_project_documents(p, 0, pick_doc, &m, err) < 0) {
		tyst_strv_free(m.names, m.n);
		return -1;
	}
	if (m.failed) {
		tyst_strv_free(m.names, m.n);
		return tyst_err_set(err, tyst_project_path(p), 0, 0,
		    "out of memory");
	}
	*names = m.names;
	*n = m.n;
	return 0;
}
