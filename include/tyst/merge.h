/*
 * merge — bringing coders' projects together.
 *
 * Each coder often codes in a copy of the team's project.  Merging brings
 * another project's segments, memos, annotations, journals and document
 * attributes into a target: documents are
 * matched by the SHA-256 of their stored text (names may differ), codes by
 * their codebook id, coders by name (created when new).  What is already
 * there is not added twice.
 *
 * Conflicts that would lose work are errors, all of them listed, and
 * nothing is merged: a document of the other project that the target does
 * not hold, a code id the target's codebook lacks.  Conflicts that lose
 * nothing are reported and merged: a coder whose segments differ both ways
 * (each project has segments of that coder the other lacks: the copies
 * diverged; the union is kept), the same segment with different memos
 * (both texts are kept).
 *
 * The caller brackets the merge in one transaction
 * (tyst_project_begin/commit), so an error leaves the target unchanged.
 */
#ifndef TYST_MERGE_H
#define TYST_MERGE_H

#include <stddef.h>

#include "tyst/diag.h"

struct tyst_project;

struct tyst_merge_report {
	size_t documents;          /* documents of the other project matched */
	size_t segments_added;
	size_t segments_present;   /* already in the target */
	size_t memos_added;
	size_t memos_present;
	size_t coders_added;
	size_t annotations_added, journals_added;
	size_t doc_attrs_set;      /* document attributes the target lacked;
	                            * one it holds otherwise is a note */
	char **conflicts;          /* one line each, errors or notes */
	size_t nconflicts;
	int failed;                /* the conflicts are errors */
};

/* Merges the project at other_path into target.  On a conflict that
 * would lose work returns -1 with r->failed set and r->conflicts listing
 * every one; err then sums them up. */
int tyst_project_merge(struct tyst_project *target, const char *other_path,
    struct tyst_merge_report *r, struct tyst_err *err);
void tyst_merge_report_free(struct tyst_merge_report *r);

#endif
