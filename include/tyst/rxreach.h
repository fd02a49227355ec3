/*
 * rxreach — how far before its anchor a regex match can start.
 *
 * A pattern that needs a digit (a phone number, a street address with its
 * number) is tried only on lines with a digit, but on such a line PCRE2
 * still tries it at every position, and a transcript's paragraphs are long
 * while their digits are few.  Reading the regex source, this module bounds
 * the characters other than white space that any match can hold before its
 * first anchor (an ASCII digit, or one given ASCII byte): a street name of
 * up to 41 letters and a direction word come before the house number, and
 * however many blanks stand between them, they cost nothing.  The detector
 * then starts the search only that far before each anchor of the line.
 *
 * "White space" is what \h and \v match.  Anything the reading does not
 * follow (backreferences, recursion, conditionals, \K, \Q…\E, (?x), an
 * unbounded repeat of something that can match other than white space)
 * gives no bound, so the result is never too small, only sometimes absent.
 */
#ifndef TYST_RXREACH_H
#define TYST_RXREACH_H

#include <stdint.h>

#define TYST_ANCHOR_DIGIT (-1)  /* anchor: an ASCII digit 0-9 */

/*
 * For anchor TYST_ANCHOR_DIGIT or an ASCII byte (not a letter, a digit,
 * white space or a regex metacharacter that would need care: '@', ':',
 * '.', '/' and the like are fine): when every match of re must contain the
 * anchor, returns the most characters other than white space that can
 * precede the first anchor in a match; otherwise -1.
 */
long tyst_rx_reach(const char *re, int anchor);

/* The same reading, with what else it learns about the matches. */
struct tyst_rx_bounds {
	long reach;             /* as tyst_rx_reach() */
	long len;               /* the most non-blank characters a match
	                         * holds, or -1 for no bound */
	long anchors;           /* the fewest anchors a match holds (>= 1) */
	int solid_after;        /* every anchor in a match is followed, in
	                         * the match, by a character not blank: an
	                         * anchor before a blank or the end of the
	                         * line is in no match */
};

/* Fills b and returns 0 when every match must hold the anchor and reach
 * is bounded; else -1 (b->reach -1). */
int tyst_rx_bounds(const char *re, int anchor, struct tyst_rx_bounds *b);

/* Whether code point cp is one that \h or \v matches. */
int tyst_cp_hv(uint32_t cp);

#endif
