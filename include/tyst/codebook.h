/*
 * codebook — the YAML codebook format (man/tyst-codebook.5).
 *
 * CONTRACT (the coding project builds on this header).  Extend it; do not
 * change what is here.
 */
#ifndef TYST_CODEBOOK_H
#define TYST_CODEBOOK_H

#include <stddef.h>

#include "tyst/diag.h"

struct tyst_code {
	char *id;            /* stable ASCII id, unique in the book */
	char *label;         /* Swedish label as the study uses it */
	char *description;   /* may be NULL */
	char *inclusion;     /* may be NULL */
	char *exclusion;     /* may be NULL */
	char *color;         /* "#rrggbb" or NULL */
	char **examples;     /* example quotes */
	size_t nexamples;
	long parent;         /* index into codes[], -1 at the top */
	size_t line, col;    /* where it is defined in the YAML */
};

struct tyst_codeset {
	char *id;
	char *label;
	size_t *members;     /* indexes into codes[] */
	size_t nmembers;
};

struct tyst_codebook {
	char *path;
	char *title, *source, *language, *version;   /* may be NULL */
	struct tyst_code *codes;   /* parents before their children */
	size_t ncodes;
	struct tyst_codeset *sets;
	size_t nsets;
};

/* Loads and checks a codebook.  On error returns -1 with err naming
 * file:line:col.  Warnings (unknown keys) are printed through tyst_warn
 * unless quiet. */
int tyst_codebook_load(struct tyst_codebook *cb, const char *path, int quiet,
    struct tyst_err *err);
void tyst_codebook_free(struct tyst_codebook *cb);
/* Index of the code with this id, or -1. */
long tyst_codebook_find(const struct tyst_codebook *cb, const char *id);

#endif
