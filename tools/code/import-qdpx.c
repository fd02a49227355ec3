/*
 * tyst-code import-qdpx: a REFI-QDA project into a tyst project.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "tyst/gate.h"
#include "tyst/qdpx.h"

#include "code.h"

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

/* What the file held that the project does not take, by kind: nothing
 * is left out without a count. */
static void
print_lost(const char *file, const struct tyst_qdpx_import *r)
{
	char buf[2048];
	size_t n = 0;

	buf[0] = '\0';
	for (int k = 0; k < TYST_QDPX_NLOST; k++) {
		if (r->lost[k] == 0)
			continue;
		n += (size_t)snprintf(buf + n, n < sizeof(buf) ?
		    sizeof(buf) - n : 0, "%s%zu %s", n > 0 ? ", " : "",
		    r->lost[k], tyst_qdpx_loss_name(k, r->lost[k]));
		if (n >= sizeof(buf))
			break;
	}
	tyst_warn(file, 0, 0, "%zu item%s left out: %s", r->skipped,
	    r->skipped == 1 ? "" : "s", buf);
}

int
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
	if (r.cases_added + r.attrs_set > 0)
		fprintf(stderr, "%s: from %s: %zu case%s added, %zu case "
		    "attribute%s set\n", argv[optind], g.file, r.cases_added,
		    r.cases_added == 1 ? "" : "s", r.attrs_set,
		    r.attrs_set == 1 ? "" : "s");
	if (r.doc_attrs_set + r.annotations_added + r.journals_added > 0)
		fprintf(stderr, "%s: from %s: %zu document attribute%s set, "
		    "%zu annotation%s, %zu journal%s\n", argv[optind], g.file,
		    r.doc_attrs_set, r.doc_attrs_set == 1 ? "" : "s",
		    r.annotations_added, r.annotations_added == 1 ? "" : "s",
		    r.journals_added, r.journals_added == 1 ? "" : "s");
	if (r.doc_attrs_differ > 0)
		tyst_warn(g.file, 0, 0, "%zu document attribute%s differ%s "
		    "from the project's, which %s kept", r.doc_attrs_differ,
		    r.doc_attrs_differ == 1 ? "" : "s",
		    r.doc_attrs_differ == 1 ? "s" : "", r.doc_attrs_differ ==
		    1 ? "is" : "are");
	if (r.attrs_differ > 0)
		tyst_warn(g.file, 0, 0, "%zu case attribute%s differ%s from "
		    "the project's, which %s kept", r.attrs_differ,
		    r.attrs_differ == 1 ? "" : "s",
		    r.attrs_differ == 1 ? "s" : "", r.attrs_differ == 1 ?
		    "is" : "are");
	if (r.lineends[0] > 0)
		tyst_warn(g.file, 0, 0, "the positions in %zu source%s count "
		    "each line break as two characters (\"MAXQDA line "
		    "endings\"); corrected", r.lineends[0],
		    r.lineends[0] == 1 ? "" : "s");
	if (r.lineends[1] > 0)
		tyst_warn(g.file, 0, 0, "the positions in %zu source%s count "
		    "a CRLF as one character (as ATLAS.ti does); corrected",
		    r.lineends[1], r.lineends[1] == 1 ? "" : "s");
	if (r.skipped > 0)
		print_lost(g.file, &r);
	return TYST_EXIT_OK;
}
