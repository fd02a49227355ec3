/*
 * agreereport — intercoder agreement written out: the table of figures
 * (text or TSV) and the Markdown report for the consensus meeting, with
 * every place the coders differ.
 */
#ifndef TYST_AGREEREPORT_H
#define TYST_AGREEREPORT_H

#include <stdio.h>

#include "tyst/agree.h"

/* The figures of reliability data (tyst-agree --matrix). */
void tyst_agree_write_matrix(FILE *f, const struct tyst_rdata *d,
    const struct tyst_agreement *a, int tsv);

/*
 * The figures of a project per code and overall: units, pairable units,
 * percent agreement, Cohen's kappa (two coders) or Fleiss' kappa (three or
 * more: the column is then headed "fleiss"), alpha; then u-alpha per code
 * (as a second table in text, as a last column in TSV).
 */
void tyst_agree_write_table(FILE *f, const struct tyst_agree_result *r,
    int tsv);

/* The Markdown report: the figures and every disagreement, by document. */
void tyst_agree_write_md(FILE *f, const char *project,
    const struct tyst_agree_result *r, const struct tyst_agree_opts *o,
    const struct tyst_agree_speakers *sp);

#endif
