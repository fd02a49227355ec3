/*
 * cbview — a codebook as people and programs read it: an indented tree,
 * TSV, JSON Lines, everything about one code, or a Markdown table for a
 * thesis appendix.
 *
 * The YAML file is what a study keeps; these are its views.  They live in
 * the library so that every tool (and a library user) shows a codebook
 * the same way, and so that the escaping each form needs (tabs in TSV,
 * pipes and angle brackets in Markdown) is written once.
 */
#ifndef TYST_CBVIEW_H
#define TYST_CBVIEW_H

#include <stddef.h>
#include <stdio.h>

#include "tyst/codebook.h"

/* id and label, indented two spaces a level, labels in one column. */
void tyst_cbview_tree(FILE *f, const struct tyst_codebook *cb);
/* A header line, then id, parent, depth, label, color, description a
 * code; tabs, newlines and backslashes escaped. */
void tyst_cbview_tsv(FILE *f, const struct tyst_codebook *cb);
/* One JSON object a code, with its sets and where it is defined. */
void tyst_cbview_jsonl(FILE *f, const struct tyst_codebook *cb);
/* Everything about code i, a "key: value" line each, for a person. */
void tyst_cbview_code(FILE *f, const struct tyst_codebook *cb, size_t i);
/* A Markdown table (Swedish headings when the codebook's language is sv),
 * numbered by level, then the sets. */
void tyst_cbview_md(FILE *f, const struct tyst_codebook *cb);

#endif
