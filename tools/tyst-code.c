/*
 * tyst-code — a coding project: import pseudonymised transcripts, code
 * segments by lines, by a pattern or by inline markup, and look at them.
 *
 * Each command runs in one transaction (BEGIN IMMEDIATE): it changes the
 * project whole or, on any error, not at all.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sqlite3.h>

#include "tyst/clock.h"
#include "tyst/codebook.h"
#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/input.h"
#include "tyst/export.h"
#include "tyst/gate.h"
#include "tyst/json.h"
#include "tyst/markup.h"
#include "tyst/merge.h"
#include "tyst/outfile.h"
#include "tyst/project.h"
#include "tyst/qdpx.h"
#include "tyst/sha256.h"
#include "tyst/text.h"
#include "tyst/turns.h"

#define MAX_ATTRS 64
#define SHOW_HITS 10

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-code init PROJECT.db --codebook FILE.yaml\n"
"       tyst-code codebook-sync PROJECT.db FILE.yaml [--prune]\n"
"       tyst-code import PROJECT.db [--case NAME] [--attr K=V]...\n"
"                 [--markup --coder NAME] [--i-have-reviewed] [--rules FILE]\n"
"                 [--confidence certain|likely|candidate] FILE...\n"
"       tyst-code add PROJECT.db DOC --code ID --coder NAME [--memo TEXT]\n"
"                 (--lines A-B | --match REGEX [--unit turn|sentence|paragraph] [-i])\n"
"       tyst-code add PROJECT.db --batch FILE\n"
"       tyst-code list PROJECT.db [segments|documents|codes|coders|cases|memos]\n"
"                 [--code ID] [--document DOC] [--coder NAME] [--format text|jsonl]\n"
"       tyst-code rm PROJECT.db SEGMENT-ID...\n"
"       tyst-code memo PROJECT.db (--document DOC | --code ID | --segment N)\n"
"                 [--coder NAME] [TEXT]\n"
"       tyst-code case PROJECT.db NAME [--attr K=V]...\n"
"       tyst-code stats PROJECT.db [--coder NAME]\n"
"       tyst-code cooccur PROJECT.db [--coder NAME] [--by segment|document]\n"
"       tyst-code merge TARGET.db OTHER.db...\n"
"       tyst-code import-qdpx PROJECT.db FILE.qdpx [--i-have-reviewed]\n"
"\n"
"Keeps a qualitative coding project in one SQLite file (man tyst-code).\n"
"A document is named by its file name without extension.  Import refuses a\n"
"document in which the identifier scan finds something, unless tyst-pseudo\n"
"wrote it (its manifest lists the file) or --i-have-reviewed is given.\n"
"Markup: {code-id}…{/code-id} around a passage, nesting and overlap\n"
"allowed, {{ for a literal brace.\n"
"\n"
"Exit status: 0 success, 1 nothing matched (add --match), 2 error (the\n"
"project is then unchanged).\n", f);
}

static int
fail(const struct tyst_err *err)
{
	tyst_diag_err(err);
	return TYST_EXIT_ERROR;
}

static int
bad_usage(const char *fmt, const char *arg)
{
	tyst_diag(NULL, 0, 0, fmt, arg);
	fprintf(stderr, "Try 'tyst-code --help'.\n");
	return TYST_EXIT_ERROR;
}

/* Opens the project and starts the command's transaction. */
static int
open_rw(struct tyst_project **p, const char *path, struct tyst_err *err)
{
	if (tyst_project_open(p, path, 0, err) < 0)
		return -1;
	if (tyst_project_begin(*p, err) < 0) {
		tyst_project_close(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

/* Commits, or rolls back when rc says the command failed. */
static int
finish(struct tyst_project *p, int rc, struct tyst_err *err)
{
	if (rc == 0 && tyst_project_commit(p, err) < 0)
		rc = -1;
	if (rc != 0)
		tyst_project_rollback(p);
	tyst_project_close(p);
	return rc;
}

static int
parse_range(const char *s, uint64_t *a, uint64_t *b)
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

/* ---- init, codebook-sync -------------------------------------------------- */

static int
load_codebook(struct tyst_codebook *cb, const char *name, struct tyst_err *err)
{
	char path[4096];

	if (tyst_codebook_path(name, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "%s", name);
	return tyst_codebook_load(cb, path, 0, err);
}

static void
print_sync(const char *project, const struct tyst_sync_report *r)
{
	fprintf(stderr, "%s: codebook: %zu added, %zu changed, %zu unchanged, "
	    "%zu removed", project, r->added, r->changed, r->kept, r->removed);
	if (r->segments_dropped > 0)
		fprintf(stderr, " with %zu segment%s", r->segments_dropped,
		    r->segments_dropped == 1 ? "" : "s");
	fputc('\n', stderr);
}

static int
sync_codebook(struct tyst_project *p, const char *file, int prune,
    struct tyst_err *err)
{
	struct tyst_codebook cb;
	struct tyst_sync_report r;
	int rc;

	memset(&cb, 0, sizeof(cb));
	if (load_codebook(&cb, file, err) < 0)
		return -1;
	rc = tyst_project_sync_codebook(p, &cb, prune, &r, err);
	if (rc == 0)
		print_sync(tyst_project_path(p), &r);
	for (size_t i = 0; rc < 0 && i < r.nblocked; i++)
		tyst_diag(cb.path, 0, 0, "code %s is no longer in the codebook",
		    r.blocked[i]);
	tyst_sync_report_free(&r);
	tyst_codebook_free(&cb);
	return rc;
}

static int
cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "codebook", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct tyst_project *p;
	struct tyst_err err;
	const char *codebook = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (ch != 'c')
			return bad_usage("init: unknown option%s", "");
		codebook = optarg;
	}
	if (argc - optind != 1 || codebook == NULL)
		return bad_usage("init needs PROJECT.db and --codebook FILE%s",
		    "");
	if (tyst_project_create(&p, argv[optind], &err) < 0)
		return fail(&err);
	if (tyst_project_begin(p, &err) < 0 ||
	    finish(p, sync_codebook(p, codebook, 0, &err), &err) < 0) {
		/* A project without its codebook is no use; start over. */
		remove(argv[optind]);
		return fail(&err);
	}
	return TYST_EXIT_OK;
}

static int
cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "prune", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct tyst_project *p;
	struct tyst_err err;
	int ch, prune = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'p')
			return bad_usage("codebook-sync: unknown option%s", "");
		prune = 1;
	}
	if (argc - optind != 2)
		return bad_usage("codebook-sync needs PROJECT.db FILE.yaml%s",
		    "");
	if (open_rw(&p, argv[optind], &err) < 0)
		return fail(&err);
	if (finish(p, sync_codebook(p, argv[optind + 1], prune, &err),
	    &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

/* ---- import ------------------------------------------------------------- */

struct import_opts {
	const char *case_name;
	const char *keys[MAX_ATTRS], *values[MAX_ATTRS];
	size_t nattrs;
	const char *coder;
	const char *rules_path;
	enum tyst_confidence min;
	int markup;
	int reviewed;
};

struct loaded {
	char *raw;               /* the file without BOM and CRs: owned */
	size_t rawlen;
	struct tyst_markup m;    /* when --markup */
	const char *text;        /* what is stored */
	size_t len;
	char sha[65], file_sha[65];
	char name[256];
};

static void
loaded_free(struct loaded *d)
{
	free(d->raw);
	tyst_markup_free(&d->m);
	memset(d, 0, sizeof(*d));
}

/* The file name without directory and extension. */
static int
doc_name(const char *path, char *out, size_t n)
{
	const char *b = strrchr(path, '/'), *dot;

	b = b != NULL ? b + 1 : path;
	dot = strrchr(b, '.');
	if (dot == NULL || dot == b)
		dot = b + strlen(b);
	if (dot == b || (size_t)(dot - b) >= n)
		return -1;
	memcpy(out, b, (size_t)(dot - b));
	out[dot - b] = '\0';
	return 0;
}

/* Loads a file as the project stores it: UTF-8 checked, no BOM, LF line
 * ends, and without markup when asked. */
static int
load_doc(const char *path, int markup, struct loaded *d, struct tyst_err *err)
{
	struct tyst_text t;
	size_t n = 0;

	memset(d, 0, sizeof(*d));
	if (doc_name(path, d->name, sizeof(d->name)) < 0)
		return tyst_err_set(err, path, 0, 0, "cannot name a document "
		    "after this file name");
	if (tyst_input_text_load(&t, path, TYST_IN_TIMES, d->file_sha, err) < 0)
		return -1;
	if ((d->raw = malloc(t.len + 1)) == NULL) {
		tyst_text_free(&t);
		return tyst_err_set(err, path, 0, 0, "out of memory");
	}
	for (size_t i = t.start; i < t.len; i++) {
		if (t.data[i] == '\r' && i + 1 < t.len && t.data[i + 1] == '\n')
			continue;
		d->raw[n++] = t.data[i];
	}
	d->raw[n] = '\0';
	d->rawlen = n;
	tyst_text_free(&t);
	if (n == 0) {
		loaded_free(d);
		return tyst_err_set(err, path, 0, 0, "empty file: nothing to "
		    "import");
	}
	d->text = d->raw;
	d->len = n;
	if (markup) {
		if (tyst_markup_parse(&d->m, path, d->raw, n, err) < 0) {
			loaded_free(d);
			return -1;
		}
		d->text = d->m.text;
		d->len = d->m.len;
	}
	tyst_sha256_hex(d->text, d->len, d->sha);
	return 0;
}

/* Prints the findings that keep a document out, and says what to do. */
static int
refuse(const char *path, const struct loaded *d,
    const struct tyst_import_check *c, int markup, struct tyst_err *err)
{
	const struct tyst_hits *h = &c->hits;
	char why[512];

	for (size_t i = 0; i < h->n && i < SHOW_HITS; i++)
		tyst_diag(path, h->v[i].line, h->v[i].col, "%s %s '%s'%s",
		    tyst_confidence_name(h->v[i].confidence),
		    h->v[i].category,
		    strcmp(h->v[i].category, "PNR") == 0 ? "…" : h->v[i].text,
		    markup ? " (column in the text without markup)" : "");
	if (h->n > SHOW_HITS)
		tyst_diag(path, 0, 0, "… and %zu more", h->n - SHOW_HITS);
	tyst_gate_advice(c, why, sizeof(why));
	return tyst_err_set(err, path, 0, 0, "not imported: the scan finds "
	    "%zu identifier%s in '%s'%s", h->n, h->n == 1 ? "" : "s",
	    d->name, why);
}

/* Decides how the document gets in: review is set, or -1.  c keeps the
 * manifest's pseudonyms for the caller to record. */
static int
gate(const char *path, const struct loaded *d, const struct import_opts *o,
    struct tyst_rules **rules, const char **review,
    struct tyst_import_check *c, struct tyst_err *err)
{
	if (*rules == NULL && tyst_rules_load(rules, o->rules_path, err) < 0)
		return -1;
	if (tyst_gate_import(*rules, path, d->file_sha, d->text, d->len,
	    o->min, c, err) < 0)
		return -1;
	if (c->hits.n == 0) {
		*review = c->listed ? TYST_REVIEW_PSEUDO : TYST_REVIEW_CLEAN;
		return 0;
	}
	if (o->reviewed) {
		*review = TYST_REVIEW_REVIEWED;
		return 0;
	}
	return refuse(path, d, c, o->markup, err);
}

/* The document is named after its file: a name in it goes into the
 * project, and tyst-excerpt will stop at it. */
static void
warn_name(const struct tyst_rules *rules, const char *path,
    struct tyst_err *err)
{
	struct tyst_hits h = { NULL, 0, 0 };

	if (tyst_gate_file_name(rules, path, &h, err) == 0)
		for (size_t i = 0; i < h.n; i++)
			tyst_warn(path, 0, 0, "the file name holds %s %s "
			    "'%s', which becomes the document's name (and "
			    "the case's, without --case)",
			    tyst_confidence_name(h.v[i].confidence),
			    h.v[i].category, h.v[i].text);
	tyst_hits_free(&h);
}

static int
import_marks(struct tyst_project *p, const char *path, const struct loaded *d,
    int64_t doc, int64_t coder, size_t *nseg, struct tyst_err *err)
{
	for (size_t i = 0; i < d->m.nmarks; i++) {
		const struct tyst_mark *k = &d->m.marks[i];
		int64_t code = tyst_project_code_id(p, k->code, err);
		int rc;

		if (code < 0)
			return -1;
		if (code == 0)
			return tyst_err_set(err, path, k->line, k->col,
			    "unknown code '%s': not in the project's "
			    "codebook (tyst-code list PROJECT.db codes)",
			    k->code);
		rc = tyst_project_add_segment(p, doc, code, coder, k->start,
		    k->end, NULL, NULL, err);
		if (rc < 0)
			return -1;
		*nseg += (size_t)rc;
	}
	return 0;
}

static int
import_one(struct tyst_project *p, const char *path,
    const struct import_opts *o, struct tyst_rules **rules, int64_t coder,
    size_t *nseg, struct tyst_err *err)
{
	struct loaded d;
	struct tyst_import_check c;
	struct tyst_pdoc pd;
	const char *review = NULL, *cname;
	char now[32];
	int64_t case_id, doc;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	if (load_doc(path, o->markup, &d, err) < 0)
		return -1;
	if (tyst_project_check_new(p, d.name, d.sha, path, err) < 0)
		goto out;
	if (gate(path, &d, o, rules, &review, &c, err) < 0)
		goto out;
	warn_name(*rules, path, err);
	cname = o->case_name != NULL ? o->case_name : d.name;
	if ((case_id = tyst_project_case(p, cname, 1, err)) < 0)
		goto out;
	for (size_t i = 0; i < o->nattrs; i++)
		if (tyst_project_set_case_attr(p, case_id, o->keys[i],
		    o->values[i], err) < 0)
			goto out;
	memset(&pd, 0, sizeof(pd));
	tyst_now_iso(now);
	pd.name = d.name;
	pd.text = d.text;
	pd.len = d.len;
	pd.sha256 = d.sha;
	pd.file_sha256 = d.file_sha;
	pd.source = path;
	pd.imported = now;
	pd.review = review;
	pd.key_id = c.listed && c.m.key_id[0] != '\0' ? c.m.key_id : NULL;
	pd.case_id = case_id;
	if (tyst_project_add_document(p, &pd, &doc, err) < 0)
		goto out;
	if (o->markup && import_marks(p, path, &d, doc, coder, nseg, err) < 0)
		goto out;
	for (size_t i = 0; i < c.m.npseudonyms; i++)
		if (tyst_project_add_pseudonym(p, doc, c.m.pseudonyms[i],
		    "tyst-pseudo", err) < 0)
			goto out;
	if (strcmp(review, TYST_REVIEW_REVIEWED) == 0)
		tyst_warn(path, 0, 0, "imported with identifiers the scan "
		    "found, on your review (recorded in the project)");
	rc = 0;
out:
	tyst_import_check_free(&c);
	loaded_free(&d);
	return rc;
}

static int
parse_attr(struct import_opts *o, const char *s)
{
	const char *eq = strchr(s, '=');

	if (eq == NULL || eq == s || o->nattrs == MAX_ATTRS)
		return -1;
	o->keys[o->nattrs] = strndup(s, (size_t)(eq - s));
	o->values[o->nattrs] = eq + 1;
	if (o->keys[o->nattrs] == NULL)
		return -1;
	o->nattrs++;
	return 0;
}

static void
free_attrs(struct import_opts *o)
{
	for (size_t i = 0; i < o->nattrs; i++)
		free((char *)o->keys[i]);
}

static int
cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "case", required_argument, NULL, 'c' },
		{ "attr", required_argument, NULL, 'a' },
		{ "markup", no_argument, NULL, 'm' },
		{ "coder", required_argument, NULL, 'k' },
		{ "rules", required_argument, NULL, 'r' },
		{ "i-have-reviewed", no_argument, NULL, 'R' },
		{ "confidence", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_opts o;
	struct tyst_project *p = NULL;
	struct tyst_rules *rules = NULL;
	struct tyst_err err;
	int64_t coder = 0;
	size_t nseg = 0;
	int ch, rc = 0, n;

	memset(&o, 0, sizeof(o));
	o.min = TYST_CANDIDATE;
	while ((ch = getopt_long(argc, argv, "c:a:mk:r:", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			if ((int)(o.min = tyst_confidence_parse(optarg)) < 0) {
				free_attrs(&o);
				return bad_usage("--confidence '%s': certain, "
				    "likely or candidate", optarg);
			}
			break;
		case 'c': o.case_name = optarg; break;
		case 'a':
			if (parse_attr(&o, optarg) < 0) {
				free_attrs(&o);
				return bad_usage("--attr '%s': write KEY=VALUE",
				    optarg);
			}
			break;
		case 'm': o.markup = 1; break;
		case 'k': o.coder = optarg; break;
		case 'r': o.rules_path = optarg; break;
		case 'R': o.reviewed = 1; break;
		default:
			free_attrs(&o);
			return bad_usage("import: unknown option%s", "");
		}
	}
	n = argc - optind - 1;
	if (n < 1 || (o.markup && o.coder == NULL)) {
		free_attrs(&o);
		return bad_usage("import needs PROJECT.db FILE...%s",
		    o.markup ? " and --coder NAME with --markup" : "");
	}
	if (open_rw(&p, argv[optind], &err) < 0) {
		free_attrs(&o);
		return fail(&err);
	}
	if (o.coder != NULL &&
	    (coder = tyst_project_coder(p, o.coder, 1, &err)) < 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < n; i++) {
		tyst_progress("importing %d/%d", i + 1, n);
		rc = import_one(p, argv[optind + 1 + i], &o, &rules, coder,
		    &nseg, &err);
	}
	tyst_progress_done();
	tyst_rules_free(rules);
	free_attrs(&o);
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	fprintf(stderr, "%s: imported %d document%s", argv[optind], n,
	    n == 1 ? "" : "s");
	if (o.markup)
		fprintf(stderr, " with %zu segment%s", nseg,
		    nseg == 1 ? "" : "s");
	fputc('\n', stderr);
	return TYST_EXIT_OK;
}

/* ---- add ---------------------------------------------------------------- */

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

static int
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
		{ NULL, 0, NULL, 0 }
	};
	const char *lines = NULL, *match = NULL, *code = NULL, *coder = NULL,
	    *memo = NULL, *batch = NULL;
	struct tyst_project *p;
	struct tyst_docs docs;
	struct add_ctx c;
	struct tyst_err err;
	int ch, unit = TYST_UNIT_TURN, icase = 0, rc;

	while ((ch = getopt_long(argc, argv, "l:m:u:ic:k:M:b:", opts, NULL)) !=
	    -1) {
		switch (ch) {
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
		default: return bad_usage("add: unknown option%s", "");
		}
	}
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

/* ---- rm, memo, case ----------------------------------------------------- */

static int
cmd_rm(int argc, char **argv)
{
	struct tyst_project *p;
	struct tyst_err err;
	int rc = 0;

	if (argc < 3)
		return bad_usage("rm needs PROJECT.db SEGMENT-ID...%s", "");
	if (open_rw(&p, argv[1], &err) < 0)
		return fail(&err);
	for (int i = 2; rc == 0 && i < argc; i++) {
		char *end;
		long long id = strtoll(argv[i], &end, 10);

		if (end == argv[i] || *end != '\0' || id <= 0)
			rc = tyst_err_set(&err, NULL, 0, 0, "'%s' is not a "
			    "segment id", argv[i]);
		else if ((rc = tyst_project_rm_segment(p, id, &err)) == 0)
			rc = tyst_err_set(&err, argv[1], 0, 0, "no segment "
			    "%lld; nothing removed", id);
		else if (rc == 1)
			rc = 0;
	}
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

static int
print_memo(const struct tyst_pmemo *m, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%s\t%s\n", m->created,
	    m->document ? m->document : m->code,
	    m->coder ? m->coder : "-", m->text);
	return 0;
}

static int
cmd_memo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "document", required_argument, NULL, 'd' },
		{ "code", required_argument, NULL, 'c' },
		{ "segment", required_argument, NULL, 's' },
		{ "coder", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *doc = NULL, *code = NULL, *seg = NULL, *coder = NULL,
	    *text;
	struct tyst_project *p;
	struct tyst_pdoc_owned o;
	struct tyst_err err;
	int64_t docid = 0, codeid = 0, coderid = 0;
	int ch, rc = 0;

	while ((ch = getopt_long(argc, argv, "d:c:s:k:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': doc = optarg; break;
		case 'c': code = optarg; break;
		case 's': seg = optarg; break;
		case 'k': coder = optarg; break;
		default: return bad_usage("memo: unknown option%s", "");
		}
	}
	if (argc - optind < 1 || argc - optind > 2 ||
	    (doc != NULL) + (code != NULL) + (seg != NULL) != 1)
		return bad_usage("memo needs PROJECT.db, one of --document, "
		    "--code or --segment, and the TEXT to add%s", "");
	text = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (open_rw(&p, argv[optind], &err) < 0)
		return fail(&err);
	if (doc != NULL) {
		if ((rc = tyst_project_document(p, doc, &o, &err)) == 0)
			rc = tyst_err_set(&err, argv[optind], 0, 0, "no "
			    "document '%s'", doc);
		if (rc > 0) {
			docid = o.d.id;
			tyst_pdoc_free(&o);
			rc = 0;
		}
	} else if (code != NULL) {
		if ((codeid = tyst_project_code_id(p, code, &err)) <= 0)
			rc = codeid < 0 ? -1 : tyst_err_set(&err, argv[optind],
			    0, 0, "unknown code '%s': not in the project's "
			    "codebook", code);
	}
	if (rc == 0 && coder != NULL &&
	    (coderid = tyst_project_coder(p, coder, 1, &err)) < 0)
		rc = -1;
	if (rc == 0 && seg != NULL) {
		long long id = strtoll(seg, NULL, 10);

		if (text == NULL) {
			sqlite3_stmt *s = NULL;

			sqlite3_prepare_v2(tyst_project_db(p), "SELECT memo FROM"
			    " segments WHERE id = ?", -1, &s, NULL);
			sqlite3_bind_int64(s, 1, id);
			if (sqlite3_step(s) == SQLITE_ROW)
				printf("%s\n", sqlite3_column_text(s, 0) ?
				    (const char *)sqlite3_column_text(s, 0) :
				    "");
			else
				rc = tyst_err_set(&err, argv[optind], 0, 0,
				    "no segment %s", seg);
			sqlite3_finalize(s);
		} else if ((rc = tyst_project_segment_memo(p, id, text,
		    &err)) == 0)
			rc = tyst_err_set(&err, argv[optind], 0, 0, "no segment "
			    "%s", seg);
		else if (rc == 1)
			rc = 0;
	} else if (rc == 0 && text != NULL)
		rc = tyst_project_add_memo(p, docid, codeid, coderid, text,
		    &err);
	else if (rc == 0)
		rc = tyst_project_memos(p, docid, codeid, print_memo, NULL,
		    &err) < 0 ? -1 : 0;
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

static int
cmd_case(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "attr", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_opts o;
	struct tyst_project *p;
	struct tyst_err err;
	int64_t id;
	int ch, rc = 0;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (ch != 'a' || parse_attr(&o, optarg) < 0) {
			free_attrs(&o);
			return bad_usage("case: write --attr KEY=VALUE%s", "");
		}
	}
	if (argc - optind != 2) {
		free_attrs(&o);
		return bad_usage("case needs PROJECT.db NAME%s", "");
	}
	if (open_rw(&p, argv[optind], &err) < 0) {
		free_attrs(&o);
		return fail(&err);
	}
	if ((id = tyst_project_case(p, argv[optind + 1], o.nattrs > 0,
	    &err)) <= 0)
		rc = id < 0 ? -1 : tyst_err_set(&err, argv[optind], 0, 0,
		    "no case '%s'", argv[optind + 1]);
	for (size_t i = 0; rc == 0 && i < o.nattrs; i++)
		rc = tyst_project_set_case_attr(p, id, o.keys[i], o.values[i],
		    &err);
	if (rc == 0 && o.nattrs == 0) {
		sqlite3_stmt *s = NULL;

		sqlite3_prepare_v2(tyst_project_db(p), "SELECT key, value FROM"
		    " case_attributes WHERE case_id = ? ORDER BY key", -1, &s,
		    NULL);
		sqlite3_bind_int64(s, 1, id);
		while (sqlite3_step(s) == SQLITE_ROW)
			printf("%s=%s\n", sqlite3_column_text(s, 0),
			    sqlite3_column_text(s, 1));
		sqlite3_finalize(s);
	}
	free_attrs(&o);
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

/* ---- list --------------------------------------------------------------- */

struct list_ctx {
	struct tyst_docs docs;
	int json;
	struct tyst_err *err;
	int failed;
};

static void
preview(const char *p, size_t n)
{
	size_t shown = 0, i = 0;

	while (i < n && shown < 60) {
		uint32_t cp;
		size_t k = tyst_utf8_decode(p + i, n - i, &cp);

		if (p[i] == '\n' || p[i] == '\t')
			fputc(' ', stdout);
		else
			fwrite(p + i, 1, k, stdout);
		i += k;
		shown++;
	}
	if (i < n)
		fputs("…", stdout);
}

static int
list_segment(const struct tyst_psegment *s, void *arg)
{
	struct list_ctx *c = arg;
	const struct tyst_doc *d = tyst_docs_get(&c->docs, s->document_id,
	    c->err);
	size_t l1, l2, col;
	const char *sp;
	size_t spn;

	if (d == NULL) {
		c->failed = 1;
		return 1;
	}
	tyst_doc_linecol(d, s->start, &l1, &col);
	tyst_doc_linecol(d, s->end - 1, &l2, &col);
	spn = tyst_doc_speaker(d, s->start, &sp);
	if (c->json) {
		printf("{\"id\":%" PRId64 ",\"document\":", s->id);
		tyst_json_cstr(stdout, s->document);
		fputs(",\"code\":", stdout);
		tyst_json_cstr(stdout, s->code);
		fputs(",\"coder\":", stdout);
		tyst_json_cstr(stdout, s->coder);
		fputs(",\"speaker\":", stdout);
		if (spn > 0)
			tyst_json_str(stdout, sp, spn);
		else
			fputs("null", stdout);
		printf(",\"start\":%" PRIu64 ",\"end\":%" PRIu64 ",\"line_start\":"
		    "%zu,\"line_end\":%zu,\"memo\":", s->start, s->end, l1, l2);
		tyst_json_cstr(stdout, s->memo);
		fputs(",\"created\":", stdout);
		tyst_json_cstr(stdout, s->created);
		fputs(",\"text\":", stdout);
		tyst_json_str(stdout, d->o.d.text + s->start,
		    (size_t)(s->end - s->start));
		fputs("}\n", stdout);
		return 0;
	}
	printf("%" PRId64 "\t%s\t%zu-%zu\t%s\t%s\t%.*s\t", s->id, s->document,
	    l1, l2, s->code, s->coder, (int)spn, spn > 0 ? sp : "");
	preview(d->o.d.text + s->start, (size_t)(s->end - s->start));
	fputc('\n', stdout);
	return 0;
}

static int
list_doc(const struct tyst_pdoc *d, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%s\t%zu\t%s\t%.12s\n", d->name,
	    d->case_name ? d->case_name : "-", d->review, d->len, d->imported,
	    d->sha256);
	return 0;
}

static int
list_code(const struct tyst_pcode *c, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%s\n", c->code, c->parent ? c->parent : "-", c->label);
	return 0;
}

static int
list_name(int64_t id, const char *name, void *ctx)
{
	(void)id;
	(void)ctx;
	printf("%s\n", name);
	return 0;
}

static int
list_cases(struct tyst_project *p, struct tyst_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(tyst_project_db(p), "SELECT c.name,"
	    " group_concat(a.key || '=' || a.value, ' ') FROM cases c LEFT"
	    " JOIN case_attributes a ON a.case_id = c.id GROUP BY c.id"
	    " ORDER BY c.name", -1, &s, NULL) != SQLITE_OK)
		return tyst_err_set(err, tyst_project_path(p), 0, 0, "%s",
		    sqlite3_errmsg(tyst_project_db(p)));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		printf("%s\t%s\n", sqlite3_column_text(s, 0),
		    sqlite3_column_text(s, 1) ?
		    (const char *)sqlite3_column_text(s, 1) : "");
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : tyst_err_set(err, tyst_project_path(p),
	    0, 0, "%s", sqlite3_errmsg(tyst_project_db(p)));
}

/*
 * The filters of list, stats and cooccur name things that exist: a typing
 * error in a code or coder would otherwise give an empty answer that reads
 * like "nothing coded".
 */
static int
check_filter(struct tyst_project *p, const char *where,
    const struct tyst_segfilter *f, struct tyst_err *err)
{
	struct tyst_pdoc_owned o;
	int64_t id;
	int rc;

	for (size_t i = 0; i < f->ncodes; i++) {
		if ((id = tyst_project_code_id(p, f->codes[i], err)) < 0)
			return -1;
		if (id == 0)
			return tyst_err_set(err, where, 0, 0, "unknown code "
			    "'%s': not in the project's codebook", f->codes[i]);
	}
	if (f->document != NULL) {
		if ((rc = tyst_project_document(p, f->document, &o, err)) < 0)
			return -1;
		if (rc == 0)
			return tyst_err_set(err, where, 0, 0, "no document "
			    "'%s' in the project", f->document);
		tyst_pdoc_free(&o);
	}
	if (f->coder != NULL) {
		if ((id = tyst_project_coder(p, f->coder, 0, err)) < 0)
			return -1;
		if (id == 0)
			return tyst_err_set(err, where, 0, 0, "no coder '%s' "
			    "in the project", f->coder);
	}
	return 0;
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 'c' },
		{ "document", required_argument, NULL, 'd' },
		{ "coder", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *codes[64], *what = "segments";
	struct tyst_segfilter f;
	struct tyst_project *p;
	struct list_ctx c;
	struct tyst_err err;
	int ch, rc;

	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	f.codes = codes;
	while ((ch = getopt_long(argc, argv, "c:d:k:f:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (f.ncodes == 64)
				return bad_usage("too many --code%s", "");
			codes[f.ncodes++] = optarg;
			break;
		case 'd': f.document = optarg; break;
		case 'k': f.coder = optarg; break;
		case 'f':
			if (strcmp(optarg, "jsonl") == 0)
				c.json = 1;
			else if (strcmp(optarg, "text") != 0)
				return bad_usage("--format '%s': text or jsonl",
				    optarg);
			break;
		default: return bad_usage("list: unknown option%s", "");
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return bad_usage("list needs PROJECT.db [WHAT]%s", "");
	if (argc - optind == 2)
		what = argv[optind + 1];
	if (tyst_project_open(&p, argv[optind], 1, &err) < 0)
		return fail(&err);
	if (check_filter(p, argv[optind], &f, &err) < 0) {
		tyst_project_close(p);
		return fail(&err);
	}
	c.err = &err;
	tyst_docs_init(&c.docs, p);
	if (strcmp(what, "segments") == 0)
		rc = tyst_project_segments(p, &f, list_segment, &c, &err);
	else if (strcmp(what, "documents") == 0)
		rc = tyst_project_documents(p, 0, list_doc, NULL, &err);
	else if (strcmp(what, "codes") == 0)
		rc = tyst_project_codes(p, list_code, NULL, &err);
	else if (strcmp(what, "coders") == 0)
		rc = tyst_project_coders(p, list_name, NULL, &err);
	else if (strcmp(what, "cases") == 0)
		rc = list_cases(p, &err);
	else if (strcmp(what, "memos") == 0)
		rc = tyst_project_memos(p, 0, 0, print_memo, NULL, &err);
	else
		rc = tyst_err_set(&err, NULL, 0, 0, "list what? '%s' (segments, "
		    "documents, codes, coders, cases, memos)", what);
	tyst_docs_free(&c.docs);
	tyst_project_close(p);
	if (rc < 0 || c.failed)
		return fail(&err);
	if (tyst_flush_stdout(&err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

/* ---- stats, cooccur ----------------------------------------------------- */

struct table {
	char **rows, **cols;
	size_t nrows, ncols;
	long *cell;            /* nrows x ncols */
};

static int
add_name(char ***v, size_t *n, const char *s)
{
	char **w = realloc(*v, (*n + 1) * sizeof(*w));

	if (w == NULL)
		return -1;
	*v = w;
	if ((w[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static long
find_name(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return (long)i;
	return -1;
}

static void
table_free(struct table *t)
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

/* Runs sql (rows: row name, column name, count) into t, whose rows and
 * columns are from rows_sql and cols_sql (one name each). */
static int
table_fill(sqlite3 *db, struct table *t, const char *rows_sql,
    const char *cols_sql, const char *sql, const char *coder,
    struct tyst_err *err)
{
	sqlite3_stmt *s = NULL;
	const char *q[3] = { rows_sql, cols_sql, sql };

	memset(t, 0, sizeof(*t));
	for (int k = 0; k < 3; k++) {
		if (sqlite3_prepare_v2(db, q[k], -1, &s, NULL) != SQLITE_OK)
			return tyst_err_set(err, NULL, 0, 0, "%s",
			    sqlite3_errmsg(db));
		if (sqlite3_bind_parameter_count(s) > 0)
			sqlite3_bind_text(s, 1, coder, -1, SQLITE_STATIC);
		if (k == 2 && (t->cell = calloc(t->nrows * t->ncols + 1,
		    sizeof(long))) == NULL) {
			sqlite3_finalize(s);
			return tyst_err_set(err, NULL, 0, 0, "out of memory");
		}
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *a = (const char *)sqlite3_column_text(s, 0);
			long r, c;

			if (a == NULL)
				continue;
			if (k == 0 && add_name(&t->rows, &t->nrows, a) < 0)
				break;
			if (k == 1 && add_name(&t->cols, &t->ncols, a) < 0)
				break;
			if (k != 2)
				continue;
			r = find_name(t->rows, t->nrows, a);
			c = find_name(t->cols, t->ncols,
			    (const char *)sqlite3_column_text(s, 1));
			if (r >= 0 && c >= 0)
				t->cell[(size_t)r * t->ncols + (size_t)c] +=
				    sqlite3_column_int64(s, 2);
		}
		sqlite3_finalize(s);
	}
	return 0;
}

static size_t
width(const char *s)
{
	return tyst_utf8_count(s, strlen(s));
}

static void
pad(const char *s, size_t w, int right)
{
	size_t n = width(s);

	if (right)
		for (; n < w; n++)
			fputc(' ', stdout);
	fputs(s, stdout);
	if (!right)
		for (; n < w; n++)
			fputc(' ', stdout);
}

/* Prints t with a total column and, when totals is set, a total row. */
static void
table_print(const struct table *t, const char *corner, int total_col,
    int totals)
{
	size_t w0 = width(corner), *w = calloc(t->ncols + 1, sizeof(*w));
	char num[32];

	if (w == NULL)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		if (width(t->rows[r]) > w0)
			w0 = width(t->rows[r]);
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = width(t->cols[c]) > 5 ? width(t->cols[c]) : 5;
	w[t->ncols] = 5;
	pad(corner, w0, 0);
	if (total_col) {
		fputs("  ", stdout);
		pad("total", w[t->ncols], 1);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		fputs("  ", stdout);
		pad(t->cols[c], w[c], 1);
	}
	fputc('\n', stdout);
	for (size_t r = 0; r <= t->nrows; r++) {
		long sum = 0;

		if (r == t->nrows && !totals)
			break;
		for (size_t c = 0; c < t->ncols; c++) {
			if (r < t->nrows)
				sum += t->cell[r * t->ncols + c];
			else
				for (size_t k = 0; k < t->nrows; k++)
					sum += t->cell[k * t->ncols + c];
		}
		pad(r < t->nrows ? t->rows[r] : "(all)", w0, 0);
		if (total_col) {
			snprintf(num, sizeof(num), "%ld", sum);
			fputs("  ", stdout);
			pad(num, w[t->ncols], 1);
		}
		for (size_t c = 0; c < t->ncols; c++) {
			long v = 0;

			if (r < t->nrows)
				v = t->cell[r * t->ncols + c];
			else
				for (size_t k = 0; k < t->nrows; k++)
					v += t->cell[k * t->ncols + c];
			snprintf(num, sizeof(num), "%ld", v);
			fputs("  ", stdout);
			pad(num, w[c], 1);
		}
		fputc('\n', stdout);
	}
	free(w);
}

static int
cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "coder", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *coder = NULL;
	struct tyst_segfilter f;
	struct tyst_project *p;
	struct tyst_err err;
	struct table t;
	sqlite3 *db;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (ch != 'k')
			return bad_usage("stats: unknown option%s", "");
		coder = optarg;
	}
	if (argc - optind != 1)
		return bad_usage("stats needs PROJECT.db%s", "");
	if (tyst_project_open(&p, argv[optind], 1, &err) < 0)
		return fail(&err);
	memset(&f, 0, sizeof(f));
	f.coder = coder;
	if (check_filter(p, argv[optind], &f, &err) < 0) {
		tyst_project_close(p);
		return fail(&err);
	}
	db = tyst_project_db(p);
#define CODERS "SELECT name FROM coders WHERE ?1 IS NULL OR name = ?1" \
	" ORDER BY name"
	rc = table_fill(db, &t, "SELECT code FROM codes ORDER BY position",
	    CODERS, "SELECT c.code, k.name, count(*) FROM segments s JOIN"
	    " codes c ON c.id = s.code_id JOIN coders k ON k.id = s.coder_id"
	    " GROUP BY s.code_id, s.coder_id", coder, &err);
	if (rc == 0) {
		printf("segments per code and coder\n");
		table_print(&t, "code", 1, 1);
	}
	table_free(&t);
	if (rc == 0)
		rc = table_fill(db, &t, "SELECT name FROM documents ORDER BY"
		    " name", CODERS, "SELECT d.name, k.name, count(*) FROM"
		    " segments s JOIN documents d ON d.id = s.document_id JOIN"
		    " coders k ON k.id = s.coder_id GROUP BY s.document_id,"
		    " s.coder_id", coder, &err);
	if (rc == 0) {
		printf("\nsegments per document and coder\n");
		table_print(&t, "document", 1, 1);
	}
	table_free(&t);
	tyst_project_close(p);
	if (rc < 0 || tyst_flush_stdout(&err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

static int
cmd_cooccur(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "coder", required_argument, NULL, 'k' },
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	const char *coder = NULL, *sql;
	struct tyst_segfilter f;
	struct tyst_project *p;
	struct tyst_err err;
	struct table t;
	int ch, rc, bydoc = 0;

	while ((ch = getopt_long(argc, argv, "k:b:", opts, NULL)) != -1) {
		if (ch == 'k')
			coder = optarg;
		else if (ch == 'b' && strcmp(optarg, "document") == 0)
			bydoc = 1;
		else if (ch != 'b' || strcmp(optarg, "segment") != 0)
			return bad_usage("cooccur: --coder NAME, --by segment|"
			    "document%s", "");
	}
	if (argc - optind != 1)
		return bad_usage("cooccur needs PROJECT.db%s", "");
	if (tyst_project_open(&p, argv[optind], 1, &err) < 0)
		return fail(&err);
	memset(&f, 0, sizeof(f));
	f.coder = coder;
	if (check_filter(p, argv[optind], &f, &err) < 0) {
		tyst_project_close(p);
		return fail(&err);
	}
	/* By segment: pairs of overlapping segments of one coder; the
	 * diagonal counts the segments.  By document: documents in which
	 * both codes occur. */
	sql = bydoc ?
	    "SELECT ca.code, cb.code, count(DISTINCT a.document_id) FROM"
	    " segments a JOIN segments b ON a.document_id = b.document_id"
	    " JOIN codes ca ON ca.id = a.code_id JOIN codes cb ON"
	    " cb.id = b.code_id JOIN coders k ON k.id = a.coder_id"
	    " JOIN coders kb ON kb.id = b.coder_id"
	    " WHERE (?1 IS NULL OR (k.name = ?1 AND kb.name = ?1))"
	    " GROUP BY a.code_id, b.code_id" :
	    "SELECT ca.code, cb.code, count(*) FROM segments a JOIN segments b"
	    " ON a.document_id = b.document_id AND a.coder_id = b.coder_id"
	    " AND a.start_offset < b.end_offset AND b.start_offset <"
	    " a.end_offset AND (a.code_id <> b.code_id OR a.id = b.id)"
	    " JOIN codes ca ON ca.id = a.code_id JOIN codes cb ON"
	    " cb.id = b.code_id JOIN coders k ON k.id = a.coder_id"
	    " WHERE ?1 IS NULL OR k.name = ?1 GROUP BY a.code_id, b.code_id";
	rc = table_fill(tyst_project_db(p), &t,
	    "SELECT code FROM codes ORDER BY position",
	    "SELECT code FROM codes ORDER BY position", sql, coder, &err);
	if (rc == 0)
		table_print(&t, "code", 0, 0);
	table_free(&t);
	tyst_project_close(p);
	if (rc < 0 || tyst_flush_stdout(&err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

/* ---- merge, import-qdpx (lib/merge.c, lib/qdpx.c) ------------------------ */

static int
cmd_merge(int argc, char **argv)
{
	struct tyst_project *p;
	struct tyst_merge_report r;
	struct tyst_err err;
	int rc = 0;

	if (argc < 3)
		return bad_usage("merge needs TARGET.db OTHER.db...%s", "");
	if (open_rw(&p, argv[1], &err) < 0)
		return fail(&err);
	for (int i = 2; rc == 0 && i < argc; i++) {
		rc = tyst_project_merge(p, argv[i], &r, &err);
		for (size_t k = 0; k < r.nconflicts; k++)
			fprintf(stderr, "%s: %s%s\n", tyst_progname(),
			    r.failed ? "" : "note: ", r.conflicts[k]);
		if (rc == 0)
			fprintf(stderr, "%s: merged %s: %zu document%s matched, "
			    "%zu segment%s added (%zu already there), %zu memo%s "
			    "added, %zu new coder%s\n", argv[1], argv[i],
			    r.documents, r.documents == 1 ? "" : "s",
			    r.segments_added, r.segments_added == 1 ? "" : "s",
			    r.segments_present, r.memos_added,
			    r.memos_added == 1 ? "" : "s", r.coders_added,
			    r.coders_added == 1 ? "" : "s");
		tyst_merge_report_free(&r);
	}
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

struct qgate {
	struct tyst_rules *rules;
	const char *rules_path;
	const char *file;
	int reviewed;
};

static int
qdpx_gate(const char *name, const char *text, size_t len, const char **review,
    void *arg, struct tyst_err *err)
{
	struct qgate *g = arg;
	struct tyst_hits h = { NULL, 0, 0 };
	char where[1024];

	if (g->rules == NULL && tyst_rules_load(&g->rules, g->rules_path,
	    err) < 0)
		return -1;
	snprintf(where, sizeof(where), "%s: %s", g->file, name);
	if (tyst_gate_scan(g->rules, where, text, len, TYST_CANDIDATE, NULL,
	    0, &h, err) < 0) {
		tyst_hits_free(&h);
		return -1;
	}
	*review = h.n == 0 ? TYST_REVIEW_CLEAN : TYST_REVIEW_REVIEWED;
	if (h.n > 0 && !g->reviewed) {
		for (size_t i = 0; i < h.n && i < SHOW_HITS; i++)
			tyst_diag(where, h.v[i].line, h.v[i].col, "%s %s",
			    tyst_confidence_name(h.v[i].confidence),
			    h.v[i].category);
		tyst_err_set(err, g->file, 0, 0, "not imported: the scan finds "
		    "%zu identifier%s in '%s'; review it and pass "
		    "--i-have-reviewed", h.n, h.n == 1 ? "" : "s", name);
		tyst_hits_free(&h);
		return -1;
	}
	tyst_hits_free(&h);
	return 0;
}

static int
cmd_import_qdpx(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "i-have-reviewed", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	struct qgate g = { NULL, NULL, NULL, 0 };
	struct tyst_qdpx_import r;
	struct tyst_project *p;
	struct tyst_err err;
	int ch, rc, created = 0;

	while ((ch = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': g.rules_path = optarg; break;
		case 'R': g.reviewed = 1; break;
		default: return bad_usage("import-qdpx: unknown option%s", "");
		}
	}
	if (argc - optind != 2)
		return bad_usage("import-qdpx needs PROJECT.db FILE.qdpx%s", "");
	g.file = argv[optind + 1];
	if (access(argv[optind], F_OK) != 0) {
		if (tyst_project_create(&p, argv[optind], &err) < 0)
			return fail(&err);
		tyst_project_close(p);
		created = 1;
	}
	/* A project made for this import goes again when it fails. */
	if (open_rw(&p, argv[optind], &err) < 0) {
		if (created)
			tyst_project_remove(argv[optind]);
		return fail(&err);
	}
	rc = tyst_qdpx_into_project(p, g.file, qdpx_gate, &g, &r, &err);
	tyst_rules_free(g.rules);
	if (finish(p, rc, &err) < 0) {
		if (created)
			tyst_project_remove(argv[optind]);
		return fail(&err);
	}
	fprintf(stderr, "%s: from %s: %zu document%s added (%zu already "
	    "there), %zu code%s, %zu new coder%s, %zu segment%s added (%zu "
	    "already there), %zu memo%s\n", argv[optind], g.file,
	    r.documents_added, r.documents_added == 1 ? "" : "s",
	    r.documents_present, r.codes_added, r.codes_added == 1 ? "" : "s",
	    r.coders_added, r.coders_added == 1 ? "" : "s", r.segments_added,
	    r.segments_added == 1 ? "" : "s", r.segments_present,
	    r.memos_added, r.memos_added == 1 ? "" : "s");
	if (r.skipped > 0)
		tyst_warn(g.file, 0, 0, "%zu item%s left out (not text sources, "
		    "or selections without a code)", r.skipped,
		    r.skipped == 1 ? "" : "s");
	return TYST_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "init", cmd_init },
		{ "codebook-sync", cmd_sync },
		{ "import", cmd_import },
		{ "add", cmd_add },
		{ "list", cmd_list },
		{ "rm", cmd_rm },
		{ "memo", cmd_memo },
		{ "case", cmd_case },
		{ "stats", cmd_stats },
		{ "cooccur", cmd_cooccur },
		{ "merge", cmd_merge },
		{ "import-qdpx", cmd_import_qdpx },
	};

	tyst_diag_init(argv[0]);
	if (argc < 2) {
		usage(stderr);
		return TYST_EXIT_ERROR;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return TYST_EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("tyst-code %s\n", TYST_VERSION);
		return TYST_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) != 0)
			continue;
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
		    strcmp(argv[2], "-h") == 0)) {
			usage(stdout);
			return TYST_EXIT_OK;
		}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	return bad_usage("unknown command '%s'", argv[1]);
}
