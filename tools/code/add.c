/*
 * tyst-code add: segments by lines, by a pattern, or from a batch file.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "tyst/export.h"

#include "code.h"

struct add_ctx {
	struct tyst_project *p;
	int64_t doc, code, coder;
	const struct tyst_doc *d;
	size_t added, existed;
	char last_code[128], last_coder[128];
};

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

static int
add_span(struct add_ctx *c, size_t s, size_t e, const char *memo,
    struct tyst_err *err)
{
	int64_t id;
	int rc;

	if (e > c->d->o.d.len || s >= e)
		return tyst_err_set(err, c->d->o.d.name, 0, 0, "segment %zu-%zu "
		    "is empty or past the end (%zu bytes)", s, e,
		    c->d->o.d.len);
	/* Offsets must fall on character boundaries. */
	if (((unsigned char)c->d->o.d.text[s] & 0xc0) == 0x80 ||
	    (e < c->d->o.d.len &&
	    ((unsigned char)c->d->o.d.text[e] & 0xc0) == 0x80))
		return tyst_err_set(err, c->d->o.d.name, 0, 0, "segment %zu-%zu "
		    "cuts a UTF-8 character in half", s, e);
	rc = tyst_project_add_segment(c->p, c->doc, c->code, c->coder, s, e,
	    memo, &id, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		c->existed++;
		return 0;
	}
	c->added++;
	{
		size_t l1, l2, col;

		tyst_doc_linecol(c->d, s, &l1, &col);
		tyst_doc_linecol(c->d, e > s ? e - 1 : e, &l2, &col);
		printf("%" PRId64 "\t%s\t%zu-%zu\t%zu-%zu\n", id,
		    c->d->o.d.name, l1, l2, s, e);
	}
	return 0;
}

/*
 * PCRE2 gave up (its match limit) in a search from off.  The search spans
 * the rest of the text, so each line is tried alone to name the one where
 * the expression runs away.
 */
static int
match_failed(struct add_ctx *c, pcre2_code *re, pcre2_match_data *md,
    size_t off, int code, struct tyst_err *err)
{
	const char *t = c->d->o.d.text;
	size_t len = c->d->o.d.len, line, col, at = off;
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
	tyst_doc_linecol(c->d, off, &line, &col);
	return tyst_err_set(err, c->d->o.d.name, line, 0, "--match gave up "
	    "on this line: %s; nothing was added (simplify the expression, "
	    "e.g. without nested repeats)", (char *)msg);
}

static int
add_matches(struct add_ctx *c, const char *pattern, int unit, int icase,
    const char *memo, struct tyst_err *err)
{
	const char *t = c->d->o.d.text;
	size_t len = c->d->o.d.len, off = 0, last_s = (size_t)-1, last_e = 0;
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
		if (tyst_unit_span(t, len, &c->d->turns, unit, ov[0], &s,
		    &e) == 0 && (s != last_s || e != last_e)) {
			rc = add_span(c, s, e, memo, err);
			last_s = s;
			last_e = e;
		}
		off = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
		while (off < len && ((unsigned char)t[off] & 0xc0) == 0x80)
			off++;
	}
	/* A limit hit is no "no match": later lines may well match. */
	if (rc == 0 && mrc < 0 && mrc != PCRE2_ERROR_NOMATCH && off <= len)
		rc = match_failed(c, re, md, off, mrc, err);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	if (rc < 0)
		return -1;
	return matches > 0 ? 0 : 1;
}

static int
setup_add(struct add_ctx *c, struct tyst_docs *docs, const char *doc,
    const char *code, const char *coder, const char *where,
    struct tyst_err *err)
{
	struct tyst_pdoc_owned o;
	int rc;

	/* A batch names the same document, code and coder line after line. */
	if (c->d == NULL || strcmp(c->d->o.d.name, doc) != 0) {
		if ((rc = tyst_project_document(c->p, doc, &o, err)) <= 0)
			return rc < 0 ? -1 : tyst_err_set(err, where, 0, 0,
			    "no document '%s' in the project", doc);
		c->doc = o.d.id;
		tyst_pdoc_free(&o);
		if ((c->d = tyst_docs_get(docs, c->doc, err)) == NULL)
			return -1;
	}
	if (strcmp(c->last_code, code) != 0) {
		if ((c->code = tyst_project_code_id(c->p, code, err)) <= 0) {
			c->last_code[0] = '\0';
			return c->code < 0 ? -1 : tyst_err_set(err, where, 0,
			    0, "unknown code '%s': not in the project's "
			    "codebook", code);
		}
		snprintf(c->last_code, sizeof(c->last_code), "%s", code);
	}
	if (c->coder == 0 || strcmp(c->last_coder, coder) != 0) {
		if ((c->coder = tyst_project_coder(c->p, coder, 1, err)) < 0) {
			c->last_coder[0] = '\0';
			return -1;
		}
		snprintf(c->last_coder, sizeof(c->last_coder), "%s", coder);
	}
	return 0;
}

/*
 * --batch: one segment a line, tab-separated
 *     DOCUMENT CODE CODER RANGE [MEMO]
 * where RANGE is lines "12-18" or byte offsets "@120-340".
 */
static int
add_batch(struct tyst_project *p, const char *path, struct tyst_err *err)
{
	struct tyst_reader r;
	struct tyst_line ln;
	struct tyst_docs docs;
	struct add_ctx c;
	int rc = 0, got;

	if (tyst_reader_open(&r, path, err) < 0)
		return -1;
	tyst_docs_init(&docs, p);
	memset(&c, 0, sizeof(c));
	c.p = p;
	while (rc == 0 && (got = tyst_reader_next(&r, &ln, err)) == 1) {
		char *line = malloc(ln.len + 1), *f[5] = { 0 }, *q;
		int nf = 0;
		uint64_t a, b;
		size_t s = 0, e = 0;

		/* ln.p is not NUL-terminated: copy, do not strndup. */
		if (line != NULL) {
			memcpy(line, ln.p, ln.len);
			line[ln.len] = '\0';
		}
		if (line == NULL) {
			rc = tyst_err_set(err, r.name, ln.lineno, 0,
			    "out of memory");
			break;
		}
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
		rc = setup_add(&c, &docs, f[0], f[1], f[2], r.name, err);
		if (rc == 0 && parse_range(f[3][0] == '@' ? f[3] + 1 : f[3],
		    &a, &b) < 0)
			rc = tyst_err_set(err, r.name, ln.lineno, 0, "bad range "
			    "'%s' (lines 12-18 or offsets @120-340)", f[3]);
		if (rc == 0 && f[3][0] == '@') {
			s = (size_t)a;
			e = (size_t)b;
		} else if (rc == 0)
			rc = line_span(c.d, a, b, &s, &e, err);
		if (rc == 0)
			rc = add_span(&c, s, e, f[4], err);
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
	tyst_docs_free(&docs);
	if (rc == 0)
		fprintf(stderr, "%s: %zu segment%s added, %zu already there\n",
		    tyst_project_path(p), c.added, c.added == 1 ? "" : "s",
		    c.existed);
	return rc;
}

/* Which documents a --match over many goes through. */
struct many {
	int all;
	const char *case_name;
	struct import_opts attrs;
	char **names;
	size_t n;
	struct tyst_project *p;
	int failed;
};

static int
pick_doc(const struct tyst_pdoc *d, void *arg)
{
	struct many *m = arg;
	char **v;

	if (m->case_name != NULL && (d->case_name == NULL ||
	    strcmp(d->case_name, m->case_name) != 0))
		return 0;
	for (size_t i = 0; i < m->attrs.nattrs; i++) {
		char *val = d->case_id > 0 ? tyst_project_case_attr(m->p,
		    d->case_id, m->attrs.keys[i]) : NULL;
		int same = val != NULL && strcmp(val, m->attrs.values[i]) == 0;

		free(val);
		/* Or the document's own (its occasion, its date). */
		if (!same && (val = tyst_project_document_attr(m->p, d->id,
		    m->attrs.keys[i])) != NULL) {
			same = strcmp(val, m->attrs.values[i]) == 0;
			free(val);
		}
		if (!same)
			return 0;
	}
	if ((v = realloc(m->names, (m->n + 1) * sizeof(*v))) == NULL ||
	    (v[m->n] = strdup(d->name)) == NULL) {
		if (v != NULL)
			m->names = v;
		return m->failed = 1;
	}
	m->names = v;
	m->n++;
	return 0;
}

/*
 * --match over every document (--all), a case's, or those of cases with
 * some attributes: what was added is said per document; no match at all
 * is exit 1 with nothing added.
 */
static int
add_many(struct tyst_project *p, struct many *m, const char *code,
    const char *coder, const char *match, int unit, int icase,
    const char *memo, struct tyst_err *err)
{
	struct tyst_docs docs;
	struct add_ctx c;
	size_t hit = 0;
	int rc = 0;

	m->p = p;
	if (tyst_project_documents(p, 0, pick_doc, m, err) < 0)
		return -1;
	if (m->failed)
		return tyst_err_set(err, tyst_project_path(p), 0, 0,
		    "out of memory");
	if (m->n == 0)
		return tyst_err_set(err, tyst_project_path(p), 0, 0, "no "
		    "document in the project is in that selection");
	tyst_docs_init(&docs, p);
	memset(&c, 0, sizeof(c));
	c.p = p;
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		size_t before = c.added, had = c.existed;

		rc = setup_add(&c, &docs, m->names[i], code, coder,
		    tyst_project_path(p), err);
		if (rc == 0)
			rc = add_matches(&c, match, unit, icase, memo, err);
		if (rc == 1) {
			rc = 0;
			continue;
		}
		hit++;
		if (rc == 0)
			fprintf(stderr, "%s: %zu segment%s added, %zu already "
			    "there\n", m->names[i], c.added - before,
			    c.added - before == 1 ? "" : "s", c.existed - had);
	}
	tyst_docs_free(&docs);
	if (rc == 0 && hit == 0)
		return 1;
	return rc;
}

static void
many_free(struct many *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->names[i]);
	free(m->names);
	free_attrs(&m->attrs);
}

static int
cmd_add_many(int argc, char **argv, struct many *m, const char *code,
    const char *coder, const char *match, int unit, int icase,
    const char *memo)
{
	struct tyst_project *p;
	struct tyst_err err;
	int rc;

	if (argc - optind != 1 || code == NULL || coder == NULL ||
	    match == NULL) {
		many_free(m);
		return bad_usage("add --all, --case or --attr needs PROJECT.db "
		    "--code ID --coder NAME --match REGEX (no DOC)%s", "");
	}
	if (open_rw(&p, argv[optind], &err) < 0) {
		many_free(m);
		return fail(&err);
	}
	rc = add_many(p, m, code, coder, match, unit, icase, memo, &err);
	many_free(m);
	if (rc == 1) {
		finish(p, -1, &err);
		tyst_diag(argv[optind], 0, 0, "no match for '%s' in any of "
		    "the documents; nothing added", match);
		return TYST_EXIT_FOUND;
	}
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

int
cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lines", required_argument, NULL, 'l' },
		{ "match", required_argument, NULL, 'm' },
		{ "unit", required_argument, NULL, 'u' },
		{ "ignore-case", no_argument, NULL, 'i' },
		{ "code", required_argument, NULL, 'c' },
		{ "coder", required_argument, NULL, 'k' },
		{ "memo", required_argument, NULL, 'M' },
		{ "batch", required_argument, NULL, 'b' },
		{ "all", no_argument, NULL, 'A' },
		{ "case", required_argument, NULL, 'C' },
		{ "attr", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct many m;
	const char *lines = NULL, *match = NULL, *code = NULL, *coder = NULL,
	    *memo = NULL, *batch = NULL;
	struct tyst_project *p;
	struct tyst_docs docs;
	struct add_ctx c;
	struct tyst_err err;
	int ch, unit = TYST_UNIT_TURN, icase = 0, rc;

	memset(&m, 0, sizeof(m));
	while ((ch = getopt_long(argc, argv, "l:m:u:ic:k:M:b:", opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'A': m.all = 1; break;
		case 'C': m.case_name = optarg; break;
		case 'a':
			if (parse_attr(&m.attrs, optarg) < 0) {
				many_free(&m);
				return bad_usage("add: write --attr KEY=VALUE%s",
				    "");
			}
			break;
		case 'l': lines = optarg; break;
		case 'm': match = optarg; break;
		case 'u':
			if ((unit = tyst_unit_parse(optarg)) < 0)
				return bad_usage("--unit '%s': turn, sentence "
				    "or paragraph", optarg);
			break;
		case 'i': icase = 1; break;
		case 'c': code = optarg; break;
		case 'k': coder = optarg; break;
		case 'M': memo = optarg; break;
		case 'b': batch = optarg; break;
		default:
			many_free(&m);
			return bad_usage("add: unknown option%s", "");
		}
	}
	if (m.all || m.case_name != NULL || m.attrs.nattrs > 0)
		return cmd_add_many(argc, argv, &m, code, coder, match, unit,
		    icase, memo);
	if (batch != NULL) {
		if (argc - optind != 1)
			return bad_usage("add --batch needs PROJECT.db%s", "");
		if (open_rw(&p, argv[optind], &err) < 0 ||
		    finish(p, add_batch(p, batch, &err), &err) < 0)
			return fail(&err);
		return TYST_EXIT_OK;
	}
	if (argc - optind != 2 || code == NULL || coder == NULL ||
	    (lines == NULL) == (match == NULL))
		return bad_usage("add needs PROJECT.db DOC --code ID --coder "
		    "NAME and one of --lines or --match%s", "");
	if (open_rw(&p, argv[optind], &err) < 0)
		return fail(&err);
	tyst_docs_init(&docs, p);
	memset(&c, 0, sizeof(c));
	c.p = p;
	rc = setup_add(&c, &docs, argv[optind + 1], code, coder, argv[optind],
	    &err);
	if (rc == 0 && lines != NULL) {
		uint64_t a, b;
		size_t s, e;

		if (parse_range(lines, &a, &b) < 0)
			rc = tyst_err_set(&err, NULL, 0, 0, "--lines '%s': "
			    "write A-B, e.g. 12-18", lines);
		else if ((rc = line_span(c.d, a, b, &s, &e, &err)) == 0)
			rc = add_span(&c, s, e, memo, &err);
	} else if (rc == 0)
		rc = add_matches(&c, match, unit, icase, memo, &err);
	tyst_docs_free(&docs);
	if (rc == 1) {
		finish(p, -1, &err);
		tyst_diag(argv[optind + 1], 0, 0, "no match for '%s'; nothing "
		    "added", match);
		return TYST_EXIT_FOUND;
	}
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	if (c.existed > 0)
		tyst_warn(argv[optind + 1], 0, 0, "%zu segment%s already "
		    "there", c.existed, c.existed == 1 ? " was" : "s were");
	return TYST_EXIT_OK;
}
