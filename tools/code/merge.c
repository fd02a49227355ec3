/*
 * tyst-code merge: the coding of other projects into one.
 */
#include <stdio.h>

#include "tyst/merge.h"

#include "code.h"

int
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
		if (rc == 0 && r.annotations_added + r.journals_added +
		    r.doc_attrs_set > 0)
			fprintf(stderr, "%s: merged %s: %zu annotation%s, %zu "
			    "journal%s, %zu document attribute%s\n", argv[1],
			    argv[i], r.annotations_added,
			    r.annotations_added == 1 ? "" : "s",
			    r.journals_added, r.journals_added == 1 ? "" : "s",
			    r.doc_attrs_set, r.doc_attrs_set == 1 ? "" : "s");
		tyst_merge_report_free(&r);
	}
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
