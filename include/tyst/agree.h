/*
 * agree — intercoder agreement over reliability data.
 *
 * Reliability data, in Krippendorff's sense, is a table of units (rows)
 * by coders (columns); each cell holds the label a coder gave a unit, or
 * nothing when that coder did not judge it.  Labels are nominal: only
 * "same" or "different" counts.  A unit may stand for many identical units
 * (its weight), so a run of characters that every coder treated alike is
 * one row, not thousands.
 *
 * Three figures come out of it:
 *
 *   - percent agreement: the share of agreeing pairs of values within a
 *     unit, averaged over the pairable units (units with two or more
 *     values); for two coders simply the share of units both coded alike;
 *   - Cohen's kappa, for exactly two coders, over the units both coded;
 *   - Krippendorff's alpha (nominal), for any number of coders and
 *     missing values, by the coincidence-matrix method (Krippendorff 2011,
 *     "Computing Krippendorff's Alpha-Reliability").
 *
 * When the data show no variation (every pairable value the same) kappa's
 * and alpha's expected disagreement is zero and both are undefined; they
 * are then NaN, not 1: such data cannot tell reliable coders from coders
 * who always say the same thing.
 */
#ifndef TYST_AGREE_H
#define TYST_AGREE_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"

#define TYST_AGREE_MISSING (-1)

struct tyst_rdata {
	size_t ncoders;
	char **coders;
	size_t nlabels;
	char **labels;
	size_t nunits;
	size_t cap;
	int *val;            /* nunits * ncoders label indexes, or MISSING */
	uint64_t *weight;    /* how many units each row stands for */
	/* Where each coder is named when the data came from a file (1-based
	 * column in characters), for messages; 0 otherwise. */
	size_t *coder_col;
	char *name;          /* the file read, for messages; may be NULL */
};

/* An empty table for these coders (at least two, distinct, non-empty). */
int tyst_rdata_init(struct tyst_rdata *d, size_t ncoders,
    const char *const *coders, struct tyst_err *err);
void tyst_rdata_free(struct tyst_rdata *d);
/* The index of a label, added when new; -1 when out of memory. */
int tyst_rdata_label(struct tyst_rdata *d, const char *label, size_t len);
/* Appends a unit: vals[ncoders] label indexes or TYST_AGREE_MISSING. */
int tyst_rdata_add(struct tyst_rdata *d, const int *vals, uint64_t weight,
    struct tyst_err *err);

/*
 * Reads reliability data from a tab-separated file (path "-" or NULL:
 * standard input): the first row names the coders, then one row per unit
 * with one cell per coder; an empty cell is a missing value.  Cells are
 * trimmed of spaces.  Blank lines are skipped.  A UTF-8 BOM and CRLF line
 * ends are accepted.  Fewer than two coders, an empty or repeated coder
 * name, a row with more or fewer cells than the header, and a coder with
 * no value at all are errors naming file:line:col.
 */
int tyst_rdata_load_tsv(struct tyst_rdata *d, const char *path,
    struct tyst_err *err);

struct tyst_agreement {
	uint64_t units;      /* all units (weighted) */
	uint64_t pairable;   /* units with at least two values */
	uint64_t values;     /* values in pairable units: alpha's n */
	double percent;      /* NaN when nothing is pairable */
	double kappa;        /* NaN unless two coders and defined */
	double alpha;        /* NaN when undefined */
};

/* Computes the three figures.  Fails only when out of memory. */
int tyst_agree_compute(const struct tyst_rdata *d, struct tyst_agreement *a,
    struct tyst_err *err);

#endif
