/*
 * stats — count tables over a coding project: segments per code or
 * document and coder, and which codes occur together.  The tool prints
 * them; the counting is here so a library user gets the same numbers.
 */
#ifndef TYST_STATS_H
#define TYST_STATS_H

#include <stddef.h>

#include "tyst/diag.h"
#include "tyst/project.h"

struct tyst_table {
	char **rows, **cols;
	size_t nrows, ncols;
	long *cell;            /* nrows x ncols */
};

enum tyst_stats_by {
	TYST_STATS_CODE,        /* rows: codes in codebook order */
	TYST_STATS_DOCUMENT     /* rows: documents by name */
};

/* Segments per code (or document) and coder; coder (may be NULL) keeps
 * only that coder's column. */
int tyst_stats_segments(struct tyst_project *p, enum tyst_stats_by by,
    const char *coder, struct tyst_table *t, struct tyst_err *err);

/*
 * Code co-occurrence, codes by codes.  By segment (bydoc 0): pairs of
 * overlapping segments of one coder, the diagonal counting the segments.
 * By document: documents in which both codes occur.  coder (may be NULL)
 * keeps only that coder's segments.
 */
int tyst_stats_cooccur(struct tyst_project *p, int bydoc, const char *coder,
    struct tyst_table *t, struct tyst_err *err);

void tyst_table_free(struct tyst_table *t);

#endif
