/*
 * rxsum — what a regex's matches must hold, read from its source once.
 *
 * The detector runs every pattern of a rule set on every line, and most
 * lines cannot hold a match: an e-mail address needs an '@', a phone
 * number digits, a street address a word such as "gatan".  This module
 * reads the PCRE2 pattern source into a syntax tree once and sums it up
 * for the three prefilters built on it:
 *
 *   needs   a byte every match holds: an ASCII digit or an '@';
 *   lits    a small set of lower-case strings of which every match holds
 *           one ("gatan", "vägen", ".se");
 *   bounds  for an anchor (an ASCII digit, or one ASCII byte) every match
 *           holds, the most characters other than white space before the
 *           first anchor, and more (struct tyst_rx_bounds): a street name
 *           of up to 41 letters comes before the house number, so the
 *           search starts only that far before each digit of a line.
 *
 * "White space" is what \h and \v match.  Whatever the reading does not
 * follow gives no summary (needs 0, no literals, no bounds), so a summary
 * is never wrong, only sometimes absent: backreferences, recursion,
 * conditionals and extended syntax ((?x)) for all three; \K, \Q…\E,
 * verbs ((*UTF)) and an unbounded repeat of something that can match
 * other than white space for the bounds.
 */
#ifndef TYST_RXSUM_H
#define TYST_RXSUM_H

#include <stddef.h>
#include <stdint.h>

#define TYST_RX_DIGIT 1         /* needs: every match holds a digit 0-9 */
#define TYST_RX_AT 2            /* needs: every match holds an '@' */

#define TYST_RXLIT_MAX 48       /* strings in a set at most */
#define TYST_RXLIT_LEN 32       /* bytes of a string at most, with its NUL */

struct tyst_rxlit {
	size_t n;
	char s[TYST_RXLIT_MAX][TYST_RXLIT_LEN];  /* lower-case, NUL-ended */
};

#define TYST_ANCHOR_DIGIT (-1)  /* anchor: an ASCII digit 0-9 */

struct tyst_rx_bounds {
	long reach;             /* the most characters other than white space
	                         * before the first anchor in a match; -1
	                         * when not every match holds the anchor or
	                         * there is no bound */
	long len;               /* the most non-blank characters a match
	                         * holds, or -1 for no bound */
	long anchors;           /* the fewest anchors a match holds (>= 1) */
	int solid_after;        /* every anchor in a match is followed, in
	                         * the match, by a character not blank: an
	                         * anchor before a blank or the end of the
	                         * line is in no match */
};

struct tyst_rxsum {
	unsigned needs;         /* TYST_RX_DIGIT | TYST_RX_AT */
	/* Lower-cased (compare them with a lower-cased line: case-insensitive
	 * groups are then covered too); n is 0 when the regex gives none. */
	struct tyst_rxlit lits;
	size_t lit_min;         /* bytes of the shortest of lits */
	/* [0] for TYST_ANCHOR_DIGIT, [c] for the ASCII byte c; reach -1 when
	 * there is none (always so for letters, digits and blanks). */
	struct tyst_rx_bounds bounds[128];
};

/* Reads re and fills s; -1 only when out of memory. */
int tyst_rxsum_read(const char *re, struct tyst_rxsum *s);

/* The bounds of s for anchor TYST_ANCHOR_DIGIT or an ASCII byte, or NULL
 * when there are none. */
const struct tyst_rx_bounds *tyst_rxsum_bounds(const struct tyst_rxsum *s,
    int anchor);

/*
 * The bounds alone, for one anchor (TYST_ANCHOR_DIGIT or an ASCII byte
 * that is not a letter, a digit or white space): fills b and returns 0
 * when every match of re must hold the anchor and reach is bounded; else
 * -1 (b->reach -1).
 */
int tyst_rx_bounds(const char *re, int anchor, struct tyst_rx_bounds *b);

/* tyst_rx_bounds()'s reach, or -1. */
long tyst_rx_reach(const char *re, int anchor);

/* Whether code point cp is one that \h or \v matches. */
int tyst_cp_hv(uint32_t cp);

#endif
