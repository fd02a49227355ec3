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
 *
 * Two segments of one code that cross ({a}…{a}…{/a}…{/a}, where the first
 * closing tag should end the first segment) need a label: {a~1}…{a~2}…
 * {/a~1}…{/a~2}.  A labelled closing tag pairs with the open tag of its
 * code and label; tyst_markup_write() labels only such segments.
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

/*
 * Writes text[0..len) with the segments k[0..n) as markup into *out
 * (caller frees; *outlen its length): '{' doubled, tags where segments
 * begin and end (codes and offsets are read; line and col are not), labels
 * where segments of one code cross.  tyst_markup_parse() of the result
 * gives back the text and the same segments.
 */
int tyst_markup_write(const char *text, size_t len, const struct tyst_mark *k,
    size_t n, char **out, size_t *outlen, struct tyst_err *err);

/* The line and column (as in parse errors) in the marked-up input
 * in[0..len) of the character at offset off of its clean text; -1 when
 * off is past its end. */
int tyst_markup_locate(const char *in, size_t len, size_t off, size_t *line,
    size_t *col);

/*
 * How an edited copy's segments relate to the segments it was written
 * from (old, by one coder): kept (same code, same span), moved (same
 * code over a span that overlaps the old one: its boundaries changed; the
 * largest overlaps pair first), removed, added.  old_to[i] is the mark
 * old[i] became, new_from[j] the old segment mark j comes from: an index,
 * TYST_MARK_NONE, or for new_from TYST_MARK_DUP (the copy has the same
 * segment twice; it is one).
 */
#define TYST_MARK_NONE ((size_t)-1)
#define TYST_MARK_DUP  ((size_t)-2)

struct tyst_markup_plan {
	size_t *old_to;
	size_t *new_from;
	size_t kept, moved, removed, added;
};

int tyst_markup_match(const struct tyst_markup *m, const struct tyst_mark *old,
    size_t nold, struct tyst_markup_plan *pl, struct tyst_err *err);
void tyst_markup_plan_free(struct tyst_markup_plan *pl);

#endif
