/*
 * turns — speaker turns, paragraphs and sentences of a transcript.
 *
 * A turn starts at a line that opens with a speaker label and a colon
 * ("I:", "IP:", "Erik:", "Deltagare 10:", optionally after a time code
 * "[00:02:31] I:") and runs until the next turn, a time code alone on a
 * line, or the end.  A label counts as a speaker when it opens at least two
 * lines of the document, or is a short upper-case abbreviation (I, IP, AS):
 * so header lines such as "Datum: 2023-04-18" are not turns.
 */
#ifndef TYST_TURNS_H
#define TYST_TURNS_H

#include <stddef.h>

#include "tyst/diag.h"

struct tyst_turn {
	size_t start;             /* the line start (time code included) */
	size_t label, label_end;  /* the speaker label, without the colon */
	size_t body;              /* first byte of speech after "Label: " */
	size_t end;               /* end of speech, trailing space trimmed */
};

struct tyst_turns {
	struct tyst_turn *v;
	size_t n;
};

enum tyst_unit {
	TYST_UNIT_TURN,
	TYST_UNIT_SENTENCE,
	TYST_UNIT_PARAGRAPH
};

/* Finds the turns of text[0..len) (LF line ends). */
int tyst_turns_split(struct tyst_turns *t, const char *text, size_t len,
    struct tyst_err *err);
void tyst_turns_free(struct tyst_turns *t);
/* The index of the turn whose [start, end] holds off, or -1. */
long tyst_turns_find(const struct tyst_turns *t, size_t off);
/* Parses a unit name: "turn", "sentence", "paragraph"; -1 when unknown. */
int tyst_unit_parse(const char *s);

/*
 * The unit of kind u that holds off: a turn's speech; a paragraph (a run
 * of non-blank lines within one turn); a sentence (within a paragraph,
 * ending at . ! ? or … followed by a space and an upper-case letter or a
 * quote, or at the paragraph's end).  Leading and trailing white space is
 * not part of a unit.  For TYST_UNIT_TURN outside any turn, the paragraph.
 * Returns 0, or -1 when off lies in white space between units.
 */
int tyst_unit_span(const char *text, size_t len, const struct tyst_turns *t,
    enum tyst_unit u, size_t off, size_t *start, size_t *end);

#endif
