/*
 * tyst-code update: a corrected text for a document (a leak found after
 * coding, pseudonymised again), its segments moved to where their text is
 * now (lib/coding/textdiff.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/clock.h"
#include "tyst/gate.h"
#include "tyst/textdiff.h"

#include "code.h"

enum changed_policy { REFUSE, DROP, KEEP };

struct segs {
	struct tyst_diff_span *v;
	int64_t *id;
	char **what;                 /* "code by coder", for messages */
	size_t n, cap;
};

static int
seg_cb(const struct tyst_psegment *s, void *arg)
{
	struct segs *g = arg;
	char buf[512];

	if (g->n == g->cap) {
		size_t c = g->cap ? g->cap * 2 : 64;
		struct tyst_diff_span *v = realloc(g->v, c * sizeof(*v));
		int64_t *id;
		char **what;

		if (v == NULL)
			return -1;
		g->v = v;
		if ((id = realloc(g->id, c * sizeof(*id))) == NULL)
			return -1;
		g->id = id;
		if ((what = realloc(g->what, c * sizeof(*what))) == NULL)
			return -1;
		g->what = what;
		g->cap = c;
	}
	snprintf(buf, sizeof(buf), "%s by %s", s->code, s->coder);
	memset(&g->v[g->n], 0, sizeof(g->v[g->n]));
	g->v[g->n].code = s->code_id;
	g->v[g->n].coder = s->coder_id;
	g->v[g->n].start = (size_t)s->start;
	g->v[g->n].end = (size_t)s->end;
	g->id[g->n] = s->id;
	if ((g->what[g->n] = strdup(buf)) == NULL)
		return -1;
	g->n++;
	return 0;
}

static void
segs_free(struct segs *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->what[i]);
	free(g->v);
	free(g->id);
	free(g->what);
	memset(g, 0, sizeof(*g));
}

static size_t
line_of(const char *text, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

static void
say_changed(const char *path, int64_t id, const char *what, size_t line,
    const char *text, size_t len, const char *how)
{
	size_t n = len < 60 ? len : 60;
	const char *nl = memchr(text, '\n', n);

	if (nl != NULL)
		n = (size_t)(nl - text);
	while (n > 0 && n < len && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	tyst_diag(path, 0, 0, "segment %lld (%s, line %zu of the old text) "
	    "'%.*s%s': %s", (long long)id, what, line, (int)n, text,
	    n < len ? "…" : "", how);
}

/* Lists the segments whose own text changed; -1 when they keep the new
 * text out. */
static int
check_changed(const char *path, const struct tyst_pdoc *d, struct segs *g,
    enum changed_policy pol, struct tyst_err *err)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++) {
		struct tyst_diff_span *s = &g->v[i];

		if (!s->changed)
			continue;
		n++;
		if (pol == DROP)
			s->drop = 1;
		if (pol == KEEP && !s->drop)
			continue;
		say_changed(path, g->id[i], g->what[i],
		    line_of(d->text, s->start), d->text + s->start,
		    s->end - s->start, pol == REFUSE ? "its text changed" :
		    "its text changed: removed");
	}
	if (n == 0 || pol != REFUSE)
		return 0;
	return tyst_err_set(err, path, 0, 0, "not updated: %zu segment%s of "
	    "'%s' cover%s text that changed; --drop-changed removes them, "
	    "--keep-changed keeps them over the new text", n,
	    n == 1 ? "" : "s", d->name, n == 1 ? "s" : "");
}

/*
 * Moves the segments in two steps, first all out of the way (past any
 * offset of either text), then into place, so that a segment never lands
 * on one that has not moved yet.
 */
static int
move_all(struct tyst_project *p, const struct segs *g, size_t *moved,
    size_t *dropped, struct tyst_err *err)
{
	const uint64_t away = (uint64_t)1 << 40;

	for (size_t i = 0; i < g->n; i++) {
		const struct tyst_diff_span *s = &g->v[i];

		if (s->drop) {
			if (tyst_project_rm_segment(p, g->id[i], err) < 0)
				return -1;
			(*dropped)++;
		} else if (s->nstart != s->start || s->nend != s->end) {
			if (tyst_project_move_segment(p, g->id[i],
			    away + s->start, away + s->end, err) < 0)
				return -1;
			(*moved)++;
		}
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct tyst_diff_span *s = &g->v[i];

		if (!s->drop && (s->nstart != s->start || s->nend != s->end) &&
		    tyst_project_move_segment(p, g->id[i], s->nstart,
		    s->nend, err) < 0)
			return -1;
	}
	return 0;
}

struct update {
	const char *docname, *path;
	enum changed_policy pol;
	struct import_opts o;
	struct tyst_rules *rules;
};

static int
store(struct tyst_project *p, const struct update *u, int64_t doc,
    const struct loaded *l, const char *review,
    const struct tyst_import_check *c, struct tyst_err *err)
{
	struct tyst_pdoc nd;
	char now[32];

	memset(&nd, 0, sizeof(nd));
	tyst_now_iso(now);
	nd.name = u->docname;
	nd.text = l->text;
	nd.len = l->len;
	nd.sha256 = l->sha;
	nd.file_sha256 = l->file_sha;
	nd.source = u->path;
	nd.imported = now;
	nd.review = review;
	nd.key_id = c->listed && c->m.key_id[0] != '\0' ? c->m.key_id : NULL;
	if (tyst_project_replace_text(p, doc, &nd, err) < 0)
		return -1;
	for (size_t i = 0; i < c->m.npseudonyms; i++)
		if (tyst_project_add_pseudonym(p, doc, c->m.pseudonyms[i],
		    "tyst-pseudo", err) < 0)
			return -1;
	return 0;
}

static int
update_doc(struct tyst_project *p, struct update *u, struct tyst_err *err)
{
	struct tyst_pdoc_owned d;
	struct loaded l;
	struct tyst_import_check c;
	struct tyst_diff df;
	struct tyst_segfilter f;
	struct segs g;
	const char *review = NULL;
	size_t moved = 0, dropped = 0, changed = 0;
	int rc;

	if ((rc = tyst_project_document(p, u->docname, &d, err)) <= 0)
		return rc < 0 ? -1 : tyst_err_set(err, NULL, 0, 0, "no "
		    "document '%s' in the project (tyst-code list "
		    "PROJECT.db documents)", u->docname);
	memset(&c, 0, sizeof(c));
	memset(&df, 0, sizeof(df));
	memset(&g, 0, sizeof(g));
	memset(&f, 0, sizeof(f));
	rc = -1;
	if (load_doc(u->path, 0, &l, err) < 0)
		goto out_doc;
	if (l.len == d.d.len && memcmp(l.text, d.d.text, l.len) == 0) {
		fprintf(stderr, "%s: document '%s' has this text already: "
		    "nothing to update\n", u->path, u->docname);
		rc = 0;
		goto out;
	}
	if (import_gate(u->path, &l, &u->o, &u->rules, &review, &c, err) < 0)
		goto out;
	f.document_id = d.d.id;
	if ((rc = tyst_project_segments(p, &f, seg_cb, &g, err)) != 0) {
		if (rc > 0)
			tyst_err_set(err, NULL, 0, 0, "out of memory");
		rc = -1;
		goto out;
	}
	rc = -1;
	if (tyst_diff_texts(d.d.text, d.d.len, l.text, l.len, &df, err) < 0)
		goto out;
	tyst_diff_spans(&df, g.v, g.n);
	if (check_changed(u->path, &d.d, &g, u->pol, err) < 0)
		goto out;
	if (store(p, u, d.d.id, &l, review, &c, err) < 0 ||
	    move_all(p, &g, &moved, &dropped, err) < 0)
		goto out;
	for (size_t i = 0; i < g.n; i++)
		changed += g.v[i].changed && !g.v[i].drop;
	fprintf(stderr, "%s: document '%s': text replaced; %zu segment%s "
	    "moved, %zu in place, %zu removed, %zu kept over changed text\n",
	    u->path, u->docname, moved, moved == 1 ? "" : "s",
	    g.n - moved - dropped, dropped, changed);
	if (df.coarse)
		tyst_warn(u->path, 0, 0, "the texts differ so much in places "
		    "that those places were compared as wholes");
	rc = 0;
out:
	tyst_diff_free(&df);
	segs_free(&g);
	tyst_import_check_free(&c);
	loaded_free(&l);
out_doc:
	tyst_pdoc_free(&d);
	return rc;
}

int
cmd_update(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "drop-changed", no_argument, NULL, 'D' },
		{ "keep-changed", no_argument, NULL, 'K' },
		{ "rules", required_argument, NULL, 'r' },
		{ "i-have-reviewed", no_argument, NULL, 'R' },
		{ "confidence", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct tyst_project *p;
	struct tyst_err err;
	struct update u;
	int ch, rc;

	memset(&u, 0, sizeof(u));
	u.o.min = TYST_CANDIDATE;
	while ((ch = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		switch (ch) {
		case 'D':
		case 'K':
			if (u.pol != REFUSE)
				return bad_usage("update: --drop-changed or "
				    "--keep-changed, not both%s", "");
			u.pol = ch == 'D' ? DROP : KEEP;
			break;
		case 'r': u.o.rules_path = optarg; break;
		case 'R': u.o.reviewed = 1; break;
		case 'C':
			if ((int)(u.o.min = tyst_confidence_parse(optarg)) < 0)
				return bad_usage("--confidence '%s': certain, "
				    "likely or candidate", optarg);
			break;
		default:
			return bad_usage("update: unknown option%s", "");
		}
	}
	if (argc - optind != 3)
		return bad_usage("update needs PROJECT.db DOC FILE%s", "");
	u.docname = argv[optind + 1];
	u.path = argv[optind + 2];
	if (open_rw(&p, argv[optind], &err) < 0)
		return fail(&err);
	rc = update_doc(p, &u, &err);
	tyst_rules_free(u.rules);
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
