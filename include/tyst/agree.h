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
#include "tyst/ualpha.h"

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
	/* Fleiss' kappa, for three or more coders, over the units every
	 * coder coded (complete of them); NaN otherwise or undefined. */
	double fleiss;
	uint64_t complete;
};

/* Computes the three figures.  Fails only when out of memory. */
int tyst_agree_compute(const struct tyst_rdata *d, struct tyst_agreement *a,
    struct tyst_err *err);

/* ---- agreement in a coding project ------------------------------------- */

struct tyst_project;

/* The units coders' segments are compared on. */
enum tyst_agree_unit {
	TYST_AGREE_CHAR,       /* every character but line ends, weighted */
	TYST_AGREE_SENTENCE,   /* include/tyst/turns.h's sentences */
	TYST_AGREE_TURN        /* speaker turns (paragraphs outside turns) */
};

#define TYST_AGREE_MAX_CODERS 32

struct tyst_agree_opts {
	const char *const *coders;   /* at least two, at most MAX_CODERS */
	size_t ncoders;
	const char *const *codes;    /* codebook ids; none: every code */
	size_t ncodes;
	enum tyst_agree_unit unit;
};

/* Only the text of these speakers' turns (labels as written, "IP") is
 * compared: leaves out, say, the interviewer's "Mm." */
struct tyst_agree_speakers {
	const char *const *v;
	size_t n;
};

struct tyst_agree_code {
	char *code;
	char *label;
	int used;                    /* some coder applied it */
	struct tyst_agreement a;
	struct tyst_ualpha u;        /* u-alpha of its segments */
};

/* A place where the coders differ, for the consensus meeting: a sentence
 * in sentence mode, a turn otherwise. */
struct tyst_agree_diff {
	size_t doc;                  /* index into docs */
	size_t code;                 /* index into codes */
	size_t start, end;           /* byte offsets of the unit */
	size_t line1, line2;         /* its first and last line */
	char *speaker;               /* or NULL */
	char *excerpt;               /* the unit's text, cut short */
	uint32_t applied;            /* bit i: coder i applied the code */
	uint32_t valued;             /* bit i: coder i coded this document */
	int extent;                  /* all applied it, over differing spans */
};

struct tyst_agree_result {
	char **coders;
	size_t ncoders;
	char **docs;                 /* names of the documents compared */
	size_t ndocs;
	struct tyst_agree_code *codes;
	size_t ncodes;
	struct tyst_agreement overall;   /* the used codes pooled */
	struct tyst_agree_diff *diffs;
	size_t ndiffs;
	/* u-alpha (include/tyst/ualpha.h) over the characters of the
	 * documents every coder coded (udocs of them, ulength characters,
	 * only the kept speakers' turns with a speaker filter, line ends
	 * included), the segments of each code as its units; uoverall pools
	 * the codes (1 - sum D_o / sum D_e). */
	struct tyst_ualpha uoverall;
	uint64_t ulength;
	size_t udocs;
};

/*
 * Agreement of coders in a project, per code and overall.  For each code
 * every unit is a binary value per coder: present when one of the coder's
 * segments of that code overlaps the unit, absent otherwise.  A coder who
 * has no segment at all in a document has no values there (missing), so
 * documents split between coders are compared only where they overlap.
 * The overall figure pools the (code, unit) pairs of every code some coder
 * used.  A coder unknown to the project or without any segment, an unknown
 * code, fewer than two coders: errors.
 */
int tyst_agree_project(struct tyst_project *p, const struct tyst_agree_opts *o,
    struct tyst_agree_result *r, struct tyst_err *err);
/* The same over the turns of some speakers only (sp NULL or empty: all
 * text). */
int tyst_agree_project_speakers(struct tyst_project *p,
    const struct tyst_agree_opts *o, const struct tyst_agree_speakers *sp,
    struct tyst_agree_result *r, struct tyst_err *err);
void tyst_agree_result_free(struct tyst_agree_result *r);

#endif
