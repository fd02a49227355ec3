/*
 * tagcsv — codebooks as Taguette keeps them: flat tags whose dotted names
 * ("arbete.lon") stand for a hierarchy, exchanged as CSV (Taguette imports
 * codebooks only as CSV, with the columns tag and description).
 */
#ifndef TYST_TAGCSV_H
#define TYST_TAGCSV_H

#include <stddef.h>
#include <stdio.h>

#include "tyst/codebook.h"
#include "tyst/diag.h"

struct tyst_tag {
	char *name;            /* dotted: "arbete.lon" */
	char *description;     /* may be NULL */
};

/*
 * A codebook from tags: each dot a level of the hierarchy, the last part
 * the label.  A level that is not a tag of its own becomes a heading
 * (codable: false).  Ids are made from the labels, unique in the book.
 */
int tyst_codebook_from_tags(struct tyst_codebook *cb, const char *path,
    const struct tyst_tag *tags, size_t n, struct tyst_err *err);

/*
 * Reads CSV with a header row holding a "tag" column and, optionally, a
 * "description" column (others, such as Taguette's counts, are ignored).
 * RFC 4180 quoting, CRLF or LF, a BOM skipped.  Errors name the line.
 */
int tyst_tags_read_csv(const char *name, const char *buf, size_t len,
    struct tyst_tag **tags, size_t *n, struct tyst_err *err);
void tyst_tags_free(struct tyst_tag *tags, size_t n);

/* A codebook from a Taguette CSV file (path "-" or NULL: standard
 * input). */
int tyst_codebook_read_csv(struct tyst_codebook *cb, const char *path,
    struct tyst_err *err);

/* Writes the codable codes of cb as CSV: tag (the labels from the top,
 * joined by dots) and description. */
int tyst_codebook_write_csv(const struct tyst_codebook *cb, FILE *f,
    struct tyst_err *err);

#endif
