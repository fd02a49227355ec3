/*
 * finding — a finding written out, as tyst-scan prints it.
 *
 * Three forms: a compiler-style line (FILE:LINE:COL: CATEGORY "TEXT"
 * (SOURCE)) that editors jump to, the same in colour for a terminal, and
 * one JSON object a line for programs.  Kept out of the tool so that every
 * program that reports findings says them the same way, and so that the
 * last four digits of a personnummer are masked in one place: a scan
 * report should not spread what it warns about.
 */
#ifndef TYST_FINDING_H
#define TYST_FINDING_H

#include <stdio.h>

#include "tyst/detect.h"

struct tyst_input;

enum tyst_finding_form {
	TYST_FINDING_TEXT,      /* FILE:LINE:COL: CATEGORY "TEXT" (SOURCE) */
	TYST_FINDING_COLOR,     /* the same with terminal colours */
	TYST_FINDING_JSONL      /* one JSON object and a newline */
};

/*
 * Writes f, found in the input called name, to out.  doc is the input when
 * it went through the format layer (not plain UTF-8 text), else NULL:
 * JSON offsets are then mapped back into the file as read, and a word
 * processor's part and paragraph are given.  show prints a personnummer
 * whole; otherwise its last four digits are masked.
 */
void tyst_finding_write(FILE *out, enum tyst_finding_form form, int show,
    const char *name, const struct tyst_input *doc,
    const struct tyst_finding *f);

#endif
