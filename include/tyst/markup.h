/*
 * markup — inline coding a coder writes into a copy of a transcript.
 *
 *     IP: {arbete-forst}Jag ville bara jobba{/arbete-forst}, asså.
 *
 * {ID} opens a segment of the code ID and {/ID} closes it.  Segments may
 * nest and overlap: a closing tag ends the most recently opened segment of
 * its code.  "{{" stands for a literal "{"; a "}" is always literal.  Any
 * other "{" is an error, so a mistyped tag is never taken for text.  An id
 * is ASCII letters, digits, '-', '_' and '.', starting with a letter or
 * digit (the codebook's ids).
 */
#ifndef TYST_MARKUP_H
#define TYST_MARKUP_H

#include <stddef.h>

#include "tyst/diag.h"

struct tyst_mark {
	char *code;               /* the id between the braces */
	size_t start, end;        /* byte offsets into the clean text */
	size_t line, col;         /* where the opening tag is in the input */
};

struct tyst_markup {
	char *text;               /* the input without markup, NUL-terminated */
	size_t len;
	struct tyst_mark *marks;  /* in order of their closing tags */
	size_t nmarks;
};

/*
 * Parses in[0..len) (valid UTF-8; name for messages).  Offsets in errors
 * are line:col of the input (col in characters, counted from base_col 1 at
 * each line start).  An unclosed or unopened tag, an empty segment or a
 * stray brace is an error.
 */
int tyst_markup_parse(struct tyst_markup *m, const char *name, const char *in,
    size_t len, struct tyst_err *err);
void tyst_markup_free(struct tyst_markup *m);

#endif
