/*
 * occhold — a line's findings held back until the review's occurrence
 * decisions for that line are applied.
 *
 * A review file may decide single occurrences ("this 'Rosa' here is a
 * colour"): a finding kept there is dropped, a span marked there is added.
 * The detector reports findings one by one, so a reader that honours such
 * decisions holds a line's findings (and a copy of the line, which the
 * stream's buffer does not keep) until the next line begins, then hands
 * them on in text order with the decisions applied.
 */
#ifndef TYST_OCCHOLD_H
#define TYST_OCCHOLD_H

#include <stddef.h>

#include "tyst/detect.h"
#include "tyst/rules.h"
#include "tyst/text.h"

struct tyst_occhold {
	const struct tyst_rule_occ *occs;   /* of this input (tyst_rules_occs) */
	size_t noccs;
	struct tyst_line line;      /* the line held: a copy, in lbuf */
	struct tyst_finding *held;
	size_t nheld, capheld;
	char *lbuf;
	size_t lcap;
	int holding;
};

/* Sets occs for the next input and forgets anything held. */
void tyst_occhold_start(struct tyst_occhold *h,
    const struct tyst_rule_occ *occs, size_t noccs);
/* A new line: what was held goes to fn first (tyst_occhold_flush), then
 * ln is copied and held.  Returns 0, or -1 out of memory. */
int tyst_occhold_line(struct tyst_occhold *h, const struct tyst_rules *r,
    const struct tyst_line *ln, tyst_finding_fn fn, void *ctx);
/* Holds a finding of the held line (its text pointed into the copy).
 * Returns 0, or -1 out of memory. */
int tyst_occhold_add(struct tyst_occhold *h, const struct tyst_finding *f);
/* The held line's findings, decisions applied, to fn in text order.
 * Returns 0, or -1 out of memory. */
int tyst_occhold_flush(struct tyst_occhold *h, const struct tyst_rules *r,
    tyst_finding_fn fn, void *ctx);
void tyst_occhold_free(struct tyst_occhold *h);

#endif
