/*
 * rxlit — the literal strings a regex cannot match without.
 *
 * A prefilter for the detector: most patterns of a rule set need a word
 * such as "gatan" or "vägen", or a dot and a top-level domain, somewhere in
 * every match.  Reading the regex source, this module finds a small set of
 * lower-case strings of which every match must contain one, so a line
 * holding none of them is not worth running the pattern on.
 */
#ifndef TYST_RXLIT_H
#define TYST_RXLIT_H

#include <stddef.h>

#define TYST_RXLIT_MAX 48       /* strings in a set at most */
#define TYST_RXLIT_LEN 32       /* bytes of a string at most, with its NUL */

struct tyst_rxlit {
	size_t n;
	char s[TYST_RXLIT_MAX][TYST_RXLIT_LEN];  /* lower-case, NUL-ended */
};

/*
 * Fills out with the strings, lower-cased (compare them with a lower-cased
 * line: case-insensitive groups are then covered too).  Returns 1 when a
 * set with strings of at least min_len bytes was found, 0 when the regex
 * gives none (or uses syntax this reading does not follow): then every line
 * must be tried.
 */
int tyst_rxlit_find(const char *re, size_t min_len, struct tyst_rxlit *out);

#endif
