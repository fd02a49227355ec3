/*
 * codebook — the YAML codebook format (man/tyst-codebook.5).
 *
 * CONTRACT (the coding project builds on this header).  Extend it; do not
 * change what is here.
 */
#ifndef TYST_CODEBOOK_H
#define TYST_CODEBOOK_H

#include <stddef.h>
#include <stdio.h>

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
	/* Additions to the contract. */
	size_t depth;        /* 0 at the top */
	int uncodable;       /* "codable: false": a heading, not applied */
};

struct tyst_codeset {
	char *id;
	char *label;
	size_t *members;     /* indexes into codes[] */
	size_t nmembers;
	/* Additions to the contract. */
	char *description;   /* may be NULL */
	size_t line, col;
};

struct tyst_codebook {
	char *path;
	char *title, *source, *language, *version;   /* may be NULL */
	struct tyst_code *codes;   /* parents before their children */
	size_t ncodes;
	struct tyst_codeset *sets;
	size_t nsets;
	/* Additions to the contract. */
	size_t *byid;        /* codes[] indexes sorted by id, for _find; may be
	                      * NULL (then _find searches linearly) */
};

/* Loads and checks a codebook.  On error returns -1 with err naming
 * file:line:col.  Warnings (unknown keys) are printed through tyst_warn
 * unless quiet. */
int tyst_codebook_load(struct tyst_codebook *cb, const char *path, int quiet,
    struct tyst_err *err);
void tyst_codebook_free(struct tyst_codebook *cb);
/* Index of the code with this id, or -1. */
long tyst_codebook_find(const struct tyst_codebook *cb, const char *id);

/* ---- additions to the contract ------------------------------------------ */

/* Longest id accepted. */
#define TYST_CODE_ID_MAX 64

/* The same from a buffer in memory; name is used in messages. */
int tyst_codebook_load_mem(struct tyst_codebook *cb, const char *name,
    const char *buf, size_t len, int quiet, struct tyst_err *err);

/*
 * Like tyst_codebook_load(), but keeps going after an error in the content
 * (not after a YAML syntax error) and returns up to max errors in errs[],
 * their number in *nerrs.  Returns 0 when there were none.
 */
int tyst_codebook_load_all(struct tyst_codebook *cb, const char *path,
    int quiet, struct tyst_err *errs, size_t max, size_t *nerrs);
int tyst_codebook_load_all_mem(struct tyst_codebook *cb, const char *name,
    const char *buf, size_t len, int quiet, struct tyst_err *errs,
    size_t max, size_t *nerrs);

/*
 * 1 when s is a valid id: [a-z0-9][a-z0-9._-]*, at most TYST_CODE_ID_MAX
 * bytes.  Ids are safe inside inline markup such as {id}…{/id}.
 */
int tyst_code_id_valid(const char *s, size_t len);

/*
 * An id made from a label: å ä à á â → a, ö ø ó ò ô → o, é è ê ë → e and
 * so on, lowercase, every other run of characters → '-', cut to 48
 * bytes; "code" when nothing is left.  out holds TYST_CODE_ID_MAX + 1.
 */
void tyst_code_id_from_label(const char *label, char *out);

/* Index of the set with this id, or -1. */
long tyst_codebook_find_set(const struct tyst_codebook *cb, const char *id);

/*
 * Where a codebook named on the command line is: the name itself when it
 * exists, otherwise a codebook shipped in tyst_datadir()/codebooks/ as
 * NAME or NAME.yaml (only for names without a '/').  Writes the path into
 * buf and returns 0, or -1 when there is none (buf then holds name).
 */
int tyst_codebook_path(const char *name, char *buf, size_t size);

/*
 * Writes the codebook as YAML in the format tyst_codebook_load() reads
 * (strings quoted where YAML needs it), so a codebook built in memory,
 * e.g. by an import, loads back the same.
 */
int tyst_codebook_write_yaml(const struct tyst_codebook *cb, FILE *f,
    struct tyst_err *err);

#endif
