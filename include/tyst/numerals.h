/*
 * numerals — Swedish numbers read aloud, as verbatim transcripts write them.
 *
 * A personnummer or a telephone number said aloud is written in words:
 * "åttiofem noll tre tolv, nittioåtta sjuttionio", "nittonhundrasextiosju
 * elva noll fyra", "noll sju tre, sex fyra sju, tjugotvå nittioett".  This
 * module turns such a run of number words (mixed with digits, with commas,
 * dashes and "och" between the groups) into the digits that were meant,
 * and keeps for every group the bytes of the text it was read from, so a
 * pattern can report exactly the words that make up a number.
 *
 * It reads numbers, not meanings: "tjugotvå år" gives the run "22"; what
 * shape makes a run a personnummer or a telephone number is for the caller
 * (lib/detect/pnr.c, lib/detect/detect.c) to decide.
 */
#ifndef TYST_NUMERALS_H
#define TYST_NUMERALS_H

#include <stddef.h>

#define TYST_NUM_MAXGROUPS 32
#define TYST_NUM_MAXDIGITS 48

/* One number as said: a word ("tolv"), a part of a compound word
 * ("tjugo" and "tjugotvå" in "tjugotjugotvå"), words that make one number
 * ("nittio åtta", "nitton hundra sextiosju") or digits as written ("85"). */
struct tyst_num_group {
	size_t start, end;      /* its bytes in the text */
	unsigned dstart, ndig;  /* its digits: digits[dstart .. dstart+ndig) */
	unsigned brk;           /* a comma, dash or "och" stands before it */
	unsigned word;          /* read from words (0: digits as written) */
};

struct tyst_num_run {
	size_t start, end;      /* bytes of the whole run */
	char digits[TYST_NUM_MAXDIGITS + 1];    /* NUL-terminated */
	unsigned ndigits;
	struct tyst_num_group g[TYST_NUM_MAXGROUPS];
	unsigned ngroups;
	unsigned nwords;        /* groups read from words */
};

/*
 * Finds the next run in text[from..len) that holds at least one number
 * word, and reads it.  A run starts at a number word other than "en" and
 * "ett" (articles far more often than numbers), or at digits just before
 * one.  Returns 1 and fills out, or 0 when the text holds no more.  Resume
 * from out->end.  Lines without a word that starts like a number word are
 * passed over at the cost of a table look-up per word.
 */
int tyst_num_next(const char *text, size_t len, size_t from,
    struct tyst_num_run *out);

/*
 * The same, but only a run that starts before text[stop] is read (it may
 * end after it).  A caller that already knows a later finding asks no
 * further: searching to the line's end on every call made a long line
 * with many findings quadratic.
 */
int tyst_num_next_before(const char *text, size_t len, size_t from,
    size_t stop, struct tyst_num_run *out);

/*
 * Whether the word at s may open a run, by its first three bytes: a cheap
 * test for a caller that has the words of a line already.
 */
int tyst_num_may_open(const char *s, size_t len);

/*
 * Whether a word whose first two bytes are b0 b1 may open a run: a
 * coarser test than tyst_num_may_open(), for a caller that makes a table
 * of it once.
 */
int tyst_num_may_pair(unsigned char b0, unsigned char b1);

/* The run that starts at text[at] (a word's start), as tyst_num_next()
 * would read it: 1 and fills out, or 0 when none starts there. */
int tyst_num_at(const char *text, size_t len, size_t at,
    struct tyst_num_run *out);

/*
 * Reads s[0..len) as one run, trimmed of blanks: 1 when the whole of it is
 * one (then out is filled), else 0.
 */
int tyst_num_parse(const char *s, size_t len, struct tyst_num_run *out);

#endif
