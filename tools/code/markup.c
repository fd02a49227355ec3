/*
 * tyst-code export-markup, and import --markup --update: a coder's copy
 * of a transcript with the segments as inline markup, and the edited copy
 * applied back to the same document.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/markup.h"
#include "tyst/outfile.h"

#include "code.h"

/* The segments of one document by one coder (0: any), as marks. */
struct oldsegs {
	struct tyst_mark *k;
	int64_t *id;
	int64_t *coder;
	size_t n, cap;
};

static int
collect_cb(const struct tyst_psegment *s, void *arg)
{
	struct oldsegs *o = arg;

	if (o->n == o->cap) {
		size_t c = o->cap ? o->cap * 2 : 64;
		struct tyst_mark *k = realloc(o->k, c * sizeof(*k));
		int64_t *id, *coder;

		if (k == NULL)
			return -1;
		o->k = k;
		if ((id = realloc(o->id, c * sizeof(*id))) == NULL)
			return -1;
		o->id = id;
		if ((coder = realloc(o->coder, c * sizeof(*coder))) == NULL)
			return -1;
		o->coder = coder;
		o->cap = c;
	}
	memset(&o->k[o->n], 0, sizeof(o->k[o->n]));
	if ((o->k[o->n].code = strdup(s->code)) == NULL)
		return -1;
	o->k[o->n].start = (size_t)s->start;
	o->k[o->n].end = (size_t)s->end;
	o->id[o->n] = s->id;
	o->coder[o->n] = s->coder_id;
	o->n++;
	return 0;
}

static void
oldsegs_free(struct oldsegs *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->k[i].code);
	free(o->k);
	free(o->id);
	free(o->coder);
	memset(o, 0, sizeof(*o));
}

static int
doc_segments(struct tyst_project *p, int64_t doc, int64_t coder,
    struct oldsegs *o, struct tyst_err *err)
{
	struct tyst_segfilter f;
	int rc;

	memset(&f, 0, sizeof(f));
	memset(o, 0, sizeof(*o));
	f.document_id = doc;
	f.coder_id = coder;
	rc = tyst_project_segments(p, &f, collect_cb, o, err);
	if (rc > 0)
		rc = tyst_err_set(err, NULL, 0, 0, "out of memory");
	if (rc < 0)
		oldsegs_free(o);
	return rc < 0 ? -1 : 0;
}

/* The one coder of the segments, or -1 with err naming the choice. */
static int
one_coder(const struct oldsegs *o, const char *doc, struct tyst_err *err)
{
	for (size_t i = 1; i < o->n; i++)
		if (o->coder[i] != o->coder[0])
			return tyst_err_set(err, NULL, 0, 0, "document '%s' "
			    "has segments by more than one coder: choose "
			    "whose with --coder NAME (markup has no coder "
			    "names)", doc);
	return 0;
}

static int
export_doc(struct tyst_project *p, const char *docname, const char *cname,
    const char *out, struct tyst_err *err)
{
	struct tyst_pdoc_owned d;
	struct oldsegs o;
	struct tyst_outfile of;
	int64_t coder = 0;
	char *buf = NULL;
	size_t len;
	int rc;

	if ((rc = tyst_project_document(p, docname, &d, err)) <= 0)
		return rc < 0 ? -1 : tyst_err_set(err, NULL, 0, 0, "no "
		    "document '%s' in the project (tyst-code list "
		    "PROJECT.db documents)", docname);
	if (cname != NULL &&
	    (coder = tyst_project_coder(p, cname, 0, err)) <= 0) {
		tyst_pdoc_free(&d);
		return coder < 0 ? -1 : tyst_err_set(err, NULL, 0, 0,
		    "no coder '%s' in the project", cname);
	}
	if (doc_segments(p, d.d.id, coder, &o, err) < 0) {
		tyst_pdoc_free(&d);
		return -1;
	}
	rc = -1;
	if (cname == NULL && one_coder(&o, docname, err) < 0)
		goto out;
	if (tyst_markup_write(d.d.text, d.d.len, o.k, o.n, &buf, &len,
	    err) < 0)
		goto out;
	if (tyst_outfile_open(&of, out != NULL ? out : "/dev/stdout", 0666,
	    err) < 0)
		goto out;
	fwrite(buf, 1, len, of.fp);
	if (tyst_outfile_commit(&of, err) < 0)
		goto out;
	fprintf(stderr, "%s: document '%s': %zu segment%s written as "
	    "markup\n", tyst_project_path(p), docname, o.n,
	    o.n == 1 ? "" : "s");
	rc = 0;
out:
	free(buf);
	oldsegs_free(&o);
	tyst_pdoc_free(&d);
	return rc;
}

int
cmd_export_markup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "coder", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct tyst_project *p;
	struct tyst_err err;
	const char *coder = NULL, *out = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'k': coder = optarg; break;
		case 'o': out = optarg; break;
		default:
			return bad_usage("export-markup: unknown option%s", "");
		}
	}
	if (argc - optind != 2)
		return bad_usage("export-markup needs PROJECT.db DOC%s", "");
	tyst_outfile_protect(argv[optind]);
	if (tyst_project_open(&p, argv[optind], 1, &err) < 0)
		return fail(&err);
	rc = export_doc(p, argv[optind + 1], coder, out, &err);
	tyst_project_close(p);
	return rc < 0 ? fail(&err) : TYST_EXIT_OK;
}

/* ---- import --markup --update ------------------------------------------ */

/* The document the copy was made from: by name, else by its text. */
static int
find_doc(struct tyst_project *p, const char *path, const struct loaded *l,
    struct tyst_pdoc_owned *d, struct tyst_err *err)
{
	int64_t id;
	int rc;

	if ((rc = tyst_project_document(p, l->name, d, err)) != 0)
		return rc < 0 ? -1 : 0;
	if ((id = tyst_project_document_id_by_sha(p, l->sha, err)) < 0)
		return -1;
	if (id > 0 && (rc = tyst_project_document_by_id(p, id, d, err)) != 0)
		return rc < 0 ? -1 : 0;
	return tyst_err_set(err, path, 0, 0, "no document named '%s' nor one "
	    "with this text in the project: import it without --update "
	    "first", l->name);
}

/* Refuses a copy whose text is not the document's, naming where. */
static int
same_text(const char *path, const struct loaded *l,
    const struct tyst_pdoc *d, struct tyst_err *err)
{
	size_t k = 0, line, col;

	while (k < l->len && k < d->len && l->text[k] == d->text[k])
		k++;
	if (k == l->len && k == d->len)
		return 0;
	/* Point at the character, not into its middle. */
	while (k > 0 && ((unsigned char)l->text[k] & 0xc0) == 0x80)
		k--;
	if (tyst_markup_locate(l->raw, l->rawlen, k, &line, &col) < 0)
		line = col = 0;
	return tyst_err_set(err, path, line, col, "the text differs from "
	    "document '%s' here%s: with --update only tags may change (a "
	    "corrected text goes in with tyst-code update)", d->name,
	    k == l->len ? " (the copy ends early)" : "");
}

static int
apply_plan(struct tyst_project *p, const char *path, const struct loaded *l,
    int64_t doc, int64_t coder, const struct oldsegs *o,
    const struct tyst_markup_plan *pl, struct tyst_err *err)
{
	for (size_t i = 0; i < o->n; i++)
		if (pl->old_to[i] == TYST_MARK_NONE &&
		    tyst_project_rm_segment(p, o->id[i], err) < 0)
			return -1;
	for (size_t i = 0; i < o->n; i++) {
		const struct tyst_mark *k;

		if (pl->old_to[i] == TYST_MARK_NONE)
			continue;
		k = &l->m.marks[pl->old_to[i]];
		if ((k->start != o->k[i].start || k->end != o->k[i].end) &&
		    tyst_project_move_segment(p, o->id[i], k->start, k->end,
		    err) < 0)
			return -1;
	}
	for (size_t j = 0; j < l->m.nmarks; j++) {
		const struct tyst_mark *k = &l->m.marks[j];
		int64_t code;

		if (pl->new_from[j] != TYST_MARK_NONE)
			continue;
		if ((code = tyst_project_code_id(p, k->code, err)) < 0)
			return -1;
		if (code == 0)
			return tyst_err_set(err, path, k->line, k->col,
			    "unknown code '%s': not in the project's "
			    "codebook (tyst-code list PROJECT.db codes)",
			    k->code);
		if (tyst_project_add_segment(p, doc, code, coder, k->start,
		    k->end, NULL, NULL, err) < 0)
			return -1;
	}
	return 0;
}

int
update_markup(struct tyst_project *p, const char *path, int64_t coder,
    struct tyst_err *err)
{
	struct loaded l;
	struct tyst_pdoc_owned d;
	struct oldsegs o;
	struct tyst_markup_plan pl;
	int rc = -1;

	if (load_doc(path, 1, &l, err) < 0)
		return -1;
	memset(&d, 0, sizeof(d));
	memset(&o, 0, sizeof(o));
	memset(&pl, 0, sizeof(pl));
	if (find_doc(p, path, &l, &d, err) < 0 ||
	    same_text(path, &l, &d.d, err) < 0 ||
	    doc_segments(p, d.d.id, coder, &o, err) < 0 ||
	    tyst_markup_match(&l.m, o.k, o.n, &pl, err) < 0 ||
	    apply_plan(p, path, &l, d.d.id, coder, &o, &pl, err) < 0)
		goto out;
	fprintf(stderr, "%s: document '%s': %zu added, %zu removed, "
	    "%zu moved, %zu unchanged\n", path, d.d.name, pl.added, pl.removed,
	    pl.moved, pl.kept);
	rc = 0;
out:
	tyst_markup_plan_free(&pl);
	oldsegs_free(&o);
	tyst_pdoc_free(&d);
	loaded_free(&l);
	return rc;
}
