/*
 * tyst-code import: transcripts into the project, past the identifier gate.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/clock.h"
#include "tyst/gate.h"
#include "tyst/input.h"
#include "tyst/markup.h"
#include "tyst/sha256.h"

#include "code.h"

void
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

int
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

int
import_gate(const char *path, const struct loaded *d, const struct import_opts *o,
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

/* Did tyst-pseudo hand out text for this document (its manifest)? */
static int
handed_out(const struct tyst_import_check *c, const char *text)
{
	for (size_t i = 0; c->listed && i < c->m.npseudonyms; i++)
		if (strcmp(c->m.pseudonyms[i], text) == 0)
			return 1;
	return 0;
}

/* The document is named after its file: a name in it goes into the
 * project, and tyst-excerpt will stop at it.  A name tyst-pseudo gave the
 * output (its manifest lists it) is no original. */
static void
warn_name(const struct tyst_rules *rules, const char *path,
    const struct tyst_import_check *c, struct tyst_err *err)
{
	struct tyst_hits h = { NULL, 0, 0 };

	if (tyst_gate_file_name(rules, path, &h, err) == 0)
		for (size_t i = 0; i < h.n; i++)
			if (!handed_out(c, h.v[i].text))
				tyst_warn(path, 0, 0, "the file name holds %s "
				    "%s '%s', which becomes the document's "
				    "name (and the case's, without --case)",
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

/*
 * --attr sets attributes of the case, shared by its every document; a
 * value the case holds otherwise is refused, not overwritten, since a
 * second interview's occasion or date would silently replace the
 * first's.  Such attributes belong to the document (--doc-attr).
 */
static int
case_attrs(struct tyst_project *p, const char *path, const char *cname,
    int64_t case_id, const struct import_opts *o, struct tyst_err *err)
{
	for (size_t i = 0; i < o->nattrs; i++) {
		char *had;

		if (o->of_document[i])
			continue;
		had = tyst_project_case_attr(p, case_id, o->keys[i]);
		if (had != NULL && strcmp(had, o->values[i]) != 0) {
			tyst_err_set(err, path, 0, 0, "case '%s' has %s=%s "
			    "already, for all its documents: an attribute of "
			    "this document goes with --doc-attr %s=%s (tyst-code "
			    "case changes the case's)", cname, o->keys[i], had,
			    o->keys[i], o->values[i]);
			free(had);
			return -1;
		}
		free(had);
		if (tyst_project_set_case_attr(p, case_id, o->keys[i],
		    o->values[i], err) < 0)
			return -1;
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
	if (import_gate(path, &d, o, rules, &review, &c, err) < 0)
		goto out;
	warn_name(*rules, path, &c, err);
	cname = o->case_name != NULL ? o->case_name : d.name;
	if ((case_id = tyst_project_case(p, cname, 1, err)) < 0)
		goto out;
	if (case_attrs(p, path, cname, case_id, o, err) < 0)
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
	for (size_t i = 0; i < o->nattrs; i++)
		if (o->of_document[i] && tyst_project_set_document_attr(p, doc,
		    o->keys[i], o->values[i], err) < 0)
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

int
cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "case", required_argument, NULL, 'c' },
		{ "attr", required_argument, NULL, 'a' },
		{ "doc-attr", required_argument, NULL, 'D' },
		{ "markup", no_argument, NULL, 'm' },
		{ "coder", required_argument, NULL, 'k' },
		{ "rules", required_argument, NULL, 'r' },
		{ "i-have-reviewed", no_argument, NULL, 'R' },
		{ "confidence", required_argument, NULL, 'C' },
		{ "update", no_argument, NULL, 'U' },
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
		case 'D':
			if (parse_attr(&o, optarg) < 0) {
				free_attrs(&o);
				return bad_usage("--attr/--doc-attr '%s': write "
				    "KEY=VALUE", optarg);
			}
			o.of_document[o.nattrs - 1] = ch == 'D';
			break;
		case 'm': o.markup = 1; break;
		case 'k': o.coder = optarg; break;
		case 'r': o.rules_path = optarg; break;
		case 'R': o.reviewed = 1; break;
		case 'U': o.update = 1; break;
		default:
			free_attrs(&o);
			return bad_usage("import: unknown option%s", "");
		}
	}
	n = argc - optind - 1;
	if (n < 1 || ((o.markup || o.update) && o.coder == NULL)) {
		free_attrs(&o);
		return bad_usage("import needs PROJECT.db FILE...%s",
		    o.markup || o.update ? " and --coder NAME with --markup" :
		    "");
	}
	if (o.update && (!o.markup || o.case_name != NULL || o.nattrs > 0)) {
		free_attrs(&o);
		return bad_usage("import --update goes with --markup "
		    "--coder NAME only%s", "");
	}
	if (open_rw(&p, argv[optind], &err) < 0) {
		free_attrs(&o);
		return fail(&err);
	}
	if (o.coder != NULL &&
	    (coder = tyst_project_coder(p, o.coder, 1, &err)) < 0)
		rc = -1;
	for (int i = 0; rc == 0 && o.update && i < n; i++)
		rc = update_markup(p, argv[optind + 1 + i], coder, &err);
	for (int i = 0; rc == 0 && !o.update && i < n; i++) {
		tyst_progress("importing %d/%d", i + 1, n);
		rc = import_one(p, argv[optind + 1 + i], &o, &rules, coder,
		    &nseg, &err);
	}
	tyst_progress_done();
	tyst_rules_free(rules);
	free_attrs(&o);
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	if (o.update)
		return TYST_EXIT_OK;
	fprintf(stderr, "%s: imported %d document%s", argv[optind], n,
	    n == 1 ? "" : "s");
	if (o.markup)
		fprintf(stderr, " with %zu segment%s", nseg,
		    nseg == 1 ? "" : "s");
	fputc('\n', stderr);
	return TYST_EXIT_OK;
}
