/*
 * textdiff — what two versions of a text have in common, so that offsets
 * into the old text (coded segments) can be moved into the new one.
 *
 * The texts are compared line by line (Myers' O(ND) difference algorithm),
 * and the lines that differ are compared again character by character
 * (UTF-8 code points), so a name replaced in the middle of a long turn
 * shifts only what follows it and leaves the rest of the line in common.
 * The result is the list of runs the two texts share, in order.
 */
#ifndef TYST_TEXTDIFF_H
#define TYST_TEXTDIFF_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"

/* old[a .. a+len) is new[b .. b+len). */
struct tyst_diff_run {
	size_t a, b, len;
};

struct tyst_diff {
	struct tyst_diff_run *v;  /* by a (and so by b); adjacent runs merged */
	size_t n, cap;
	size_t alen, blen;
	/* Set when a stretch differed so much that the search gave up on
	 * it (more than TYST_DIFF_MAX_EDITS edits, or lines that differ
	 * over more than TYST_DIFF_MAX_GAP bytes of the two texts): it
	 * counts as replaced whole. */
	int coarse;
};

#define TYST_DIFF_MAX_EDITS 2000
#define TYST_DIFF_MAX_GAP   (64 * 1024)

/* Compares old a[0..alen) with new b[0..blen) (both valid UTF-8). */
int tyst_diff_texts(const char *a, size_t alen, const char *b, size_t blen,
    struct tyst_diff *d, struct tyst_err *err);
void tyst_diff_free(struct tyst_diff *d);

/*
 * Where the span [s, e) of the old text is in the new one.  Returns 1 when
 * its text is unchanged (a run holds it whole: *ns, *ne its new place),
 * 0 when something in it was deleted, replaced or inserted (*ns, *ne then
 * the span from its start to its end carried over, holding what replaced
 * it; *ns == *ne when it was deleted whole).
 */
int tyst_diff_map(const struct tyst_diff *d, size_t s, size_t e, size_t *ns,
    size_t *ne);

/* A coded segment to be carried from the old text to the new. */
struct tyst_diff_span {
	int64_t code, coder;      /* in: two segments with the same code,
	                           * coder and span are one */
	size_t start, end;        /* in: in the old text */
	size_t nstart, nend;      /* out: in the new text */
	int changed;              /* out: its own text changed */
	int drop;                 /* out: nothing left of it (deleted whole)
	                           * or the same as an earlier one */
};

/* Maps every span; drop is set for a changed span that would be empty
 * or the same segment as an earlier span (so keeping the changed spans
 * never makes two of one). */
void tyst_diff_spans(const struct tyst_diff *d, struct tyst_diff_span *v,
    size_t n);

#endif
