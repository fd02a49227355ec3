/*
 * cbconv — a codebook converted, whole, into the forms other programs and
 * people read, and back into tyst's YAML.
 *
 * Out: a Markdown table, REFI-QDA .qdc (MAXQDA, NVivo, ATLAS.ti,
 * QualCoder), Taguette's CSV, or YAML.  In: a .qdc, a project.qde or a
 * .qdpx, or Taguette's CSV, written as YAML that is loaded back before it
 * is handed over: a conversion whose result tyst itself cannot read is an
 * error here, not a surprise for the next command.
 */
#ifndef TYST_CBCONV_H
#define TYST_CBCONV_H

#include <stddef.h>
#include <stdio.h>

#include "tyst/codebook.h"
#include "tyst/diag.h"

enum tyst_cbform { TYST_CB_MD, TYST_CB_QDC, TYST_CB_CSV, TYST_CB_YAML };

/* Writes cb to f in form.  Returns 0, or -1 with err set. */
int tyst_codebook_export(const struct tyst_codebook *cb,
    enum tyst_cbform form, FILE *f, struct tyst_err *err);

/*
 * Reads the codebook at path (NULL or "-": standard input) as Taguette's
 * CSV when csv is set, else as REFI-QDA, and makes YAML of it (headed by
 * a comment naming where it came from) in *buf, *len (malloc'd).  quiet
 * drops the reader's warnings.  Returns 0; -1 with err set when the input
 * cannot be read; -2 with err set to the loader's complaint when the YAML
 * made does not load (a fault of tyst's, not of the input).
 */
int tyst_codebook_import(const char *path, int csv, int quiet, char **buf,
    size_t *len, struct tyst_err *err);

#endif
