/*
 * rules — a compiled rule set, as lib/detect/rules.c builds it and lib/detect/detect.c
 * reads it.  Tools see only the opaque struct tyst_rules of detect.h; this
 * header is for the detector, the tests and the review workflow.
 *
 * Every word list of a rule set (gazetteers, a study's own words, the
 * allowlist, the keep list) is merged into one hash index, so the detector
 * makes one lookup per capitalised word however many lists there are.  A
 * key leads to a chain of hits, one per list that holds it.
 */
#ifndef TYST_RULES_H
#define TYST_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/gazetteer.h"
#include "tyst/lexicon.h"
#include "tyst/rxsum.h"

enum tyst_src_kind {
	TYST_SRC_GAZETTEER,     /* a gazetteer file */
	TYST_SRC_WORDS,         /* words: a study's known names */
	TYST_SRC_ALLOW,         /* allowlist: never flagged */
	TYST_SRC_KEEP           /* keep: decided in review, never flagged */
};

struct tyst_rule_src {
	char *label;            /* "gazetteer first-names", "words PERSON" */
	int cat;                /* category index; -1 for allow and keep */
	enum tyst_confidence conf;
	enum tyst_src_kind kind;
};

struct tyst_rule_hit {
	uint32_t src;           /* index into srcs */
	uint32_t attrs;         /* offset into attrpool, or UINT32_MAX */
	uint32_t next;          /* next hit + 1 for the same key, 0 at the end */
};

#define TYST_LOWER_KEYS 3       /* keys of a lower-case word's filter */

/* What a line must contain before a pattern is worth running. */
enum tyst_need {
	TYST_NEED_NONE,
	TYST_NEED_DIGIT,        /* an ASCII digit */
	TYST_NEED_BYTE          /* the byte in need_byte */
};

struct tyst_rule_pattern {
	char *label;            /* "rule mobile" */
	int cat;
	enum tyst_confidence conf;
	void *code;             /* pcre2_code_8 * */
	uint32_t group;         /* the capture group that is the finding */
	enum tyst_need need;
	unsigned char need_byte;
	struct tyst_rxlit *lits;        /* one of these must be in the line
	                                 * (lower-cased), or NULL */
	long reach;             /* every match holds the need (a digit or
	                         * need_byte) with at most this many
	                         * non-blank characters before it
	                         * (rxsum.h), so the search need start no
	                         * farther back; -1 when unknown */
	long mlen;              /* the most non-blank characters of a match,
	                         * or -1 */
	long anchors;           /* the fewest needed bytes in a match */
	int solid_after;        /* a needed byte before a blank or the end
	                         * of the line is in no match (rxsum.h) */
	int jit;                /* code is JIT-compiled: pcre2_jit_match() */
	int has_first;          /* first holds the bytes a match can start
	                         * with (a bit each, from PCRE2's own start
	                         * analysis): no match starts elsewhere */
	uint8_t first[32];
};

/* The byte fold of the literal prefilter: ASCII to lower case, and the
 * second bytes 0x80-0x9e (not 0x97) to +0x20 whatever the first, which
 * for Latin-1 (0xc3 first) is tyst_lower(); the literals are folded the
 * same, so a line holding one, lower-cased, holds it folded. */
extern const unsigned char tyst_lit_fold[256];

/* The hash of a literal's first three bytes (b0 << 16 | b1 << 8 | b2):
 * 16 bits; its top bits pick a bucket. */
#define TYST_LIT_BUCKETS 1024
static inline uint32_t
tyst_lit_hash(uint32_t tri)
{
	return (tri * 2654435761u) >> 16;
}
#define TYST_LIT_BUCKET(h) ((h) >> 6)

/*
 * A decision for one occurrence, made in review: the bytes [start, end) of
 * the input whose SHA-256 is sha.  The hash anchors it, so an edited file
 * loses its occurrence decisions rather than applying them to other words.
 */
struct tyst_rule_occ {
	char sha[65];           /* hex */
	uint64_t start, end;
	int keep;               /* 1 keep here, 0 pseudonymise here */
	int cat;                /* category when pseudonymised, else -1 */
};

/* A pseudonym chosen in review for an original (names:). */
struct tyst_rule_name {
	char *original, *pseudonym;
};

/* Spellings of one person (same-person:): one pseudonym for all. */
struct tyst_rule_person {
	char **spellings;
	size_t n;
};

struct tyst_rules {
	char *name;
	char **cats;            /* category names, in order of first mention */
	size_t ncats;
	struct tyst_rule_src *srcs;
	size_t nsrcs;
	struct tyst_rule_pattern *pats;
	size_t npats;
	uint32_t max_groups;    /* the most capture groups of any pattern */
	int pnr_cat;            /* category of builtin: pnr, or -1 */
	char *pnr_label;
	struct tyst_strtab index;       /* key -> first hit + 1 */
	struct tyst_rule_hit *hits;
	size_t nhits, caphits;
	char *attrpool;
	size_t attrlen, attrcap;
	struct tyst_strtab multi;       /* first word of a multiword key ->
	                                 * its most words */
	/* Bit tyst_rules_key_bit() of every key of index and of multi: the
	 * detector asks about every capitalised word, and a clear bit
	 * answers no without a look into the large tables. */
	uint8_t index_bits[8192];
	uint8_t multi_bits[8192];
	int maxwords;
	int lower_words;        /* some word of a study's own list starts
	                         * lower-case, so every word must be looked
	                         * up, not only capitals */
	const struct tyst_lexicon *lex; /* NULL when no lexicon is installed */
	/* The literal prefilters of all patterns, for one pass over a line:
	 * entries grouped by a hash of their first three bytes, and a bitmap
	 * of that hash so most positions of a line are passed over at once. */
	struct tyst_rule_lit {
		const char *s;          /* lower-case and folded, NUL-
		                         * terminated, >= 3 bytes */
		uint32_t len;
		uint32_t pat;           /* index into pats */
		uint32_t same;          /* s is the one before's (another
		                         * pattern's same literal) */
	} *lits;
	size_t nlits;
	uint32_t lit_first[TYST_LIT_BUCKETS + 1];  /* entries in bucket b are
	                                 * lits[lit_first[b]..lit_first[b+1]) */
	uint8_t lit_bits[8192];         /* bit tyst_lit_hash(b0, b1, b2) */
	size_t nentries;        /* words listed, all lists together */
	uint8_t lower_bits[TYST_LOWER_KEYS][8192];
	                                /* bit tyst_rules_lower_key(.., j) in
	                                 * lower_bits[j] of every entry a
	                                 * lower-case word may be found as:
	                                 * with any bit clear it is none */
	struct tyst_rule_occ *occs;     /* sorted by sha, then start */
	size_t noccs;
	struct tyst_rule_name *names;
	size_t nnames;
	struct tyst_rule_person *persons;
	size_t npersons;
};

/* Category index by name, or -1. */
int tyst_rules_cat(const struct tyst_rules *r, const char *name);

/*
 * Refuses YAML nested deeper than a rules file ever is, as codebooks do:
 * a hostile file of 100 000 levels would otherwise take libyaml half a
 * minute and much memory.  Events only, so it stops at the level it
 * counts.  Syntax errors are left to the loader.
 */
#define TYST_YAML_MAX_DEPTH 64
int tyst_yaml_depth_check(const char *data, size_t len, const char *path,
    struct tyst_err *err);

/*
 * The hash of a lower-case word w[0..len) whose keys (tyst_rules_hash_key())
 * index the filters of lower-case words: a multiplicative hash of its
 * first and last four bytes (of its bytes when shorter) and its length.
 * The detector takes one of nearly every word, so it is one multiplication
 * and no loop: a loop over the bytes cost a mispredicted branch at each
 * word's end.  The keys only filter (a clear bit says a word is in no
 * list), so two long words that share both ends and the length cost a
 * lookup, never a wrong answer.
 */
static inline uint32_t
tyst_rules_lower_hash(const char *w, size_t len)
{
	uint32_t x = 0, y = 0;

	if (len >= 4) {
		memcpy(&x, w, 4);
		memcpy(&y, w + len - 4, 4);
	} else if (len > 0)
		x = (uint32_t)(unsigned char)w[0] |
		    (uint32_t)(unsigned char)w[len >> 1] << 8 |
		    (uint32_t)(unsigned char)w[len - 1] << 16;
	return (uint32_t)((((uint64_t)y << 32 | x) ^ len) *
	    0x9e3779b97f4a7c15ULL >> 32);
}

/* The bit of index_bits and multi_bits for key[0..len). */
static inline unsigned
tyst_rules_key_bit(const char *key, size_t len)
{
	return tyst_rules_lower_hash(key, len) & 0xffff;
}

static inline int
tyst_rules_bit_set(const uint8_t *bits, unsigned k)
{
	return (bits[k >> 3] >> (k & 7)) & 1;
}

/*
 * Key which (0, 1 or 2) of a word's hash: its low and high halves, and the
 * high half of it hashed again.  A word not in a list has all three bits
 * set by chance about one time in two hundred; with the first two only it
 * was one in thirty-five, and each such word cost a look that found
 * nothing.
 */
static inline unsigned
tyst_rules_hash_key(uint32_t h, int which)
{
	if (which == 0)
		return h & 0xffff;
	if (which == 1)
		return h >> 16;
	return (h * 0x85ebca6bu) >> 16;
}

static inline unsigned
tyst_rules_lower_key(const char *w, size_t len, int which)
{
	return tyst_rules_hash_key(tyst_rules_lower_hash(w, len), which);
}

/* The chain of hits for key, or NULL. */
const struct tyst_rule_hit *tyst_rules_lookup(const struct tyst_rules *r,
    const char *key, size_t len);
const struct tyst_rule_hit *tyst_rules_next(const struct tyst_rules *r,
    const struct tyst_rule_hit *h);
const char *tyst_rules_attrs(const struct tyst_rules *r,
    const struct tyst_rule_hit *h);

/*
 * The occurrence decisions for one input, by its SHA-256 (hex): *first and
 * the count, sorted by start; 0 when there are none.
 */
size_t tyst_rules_occs(const struct tyst_rules *r, const char *sha,
    const struct tyst_rule_occ **first);

/*
 * Applies the occurrence decisions of one input (from tyst_rules_occs) to
 * the findings of one line, v[0..n) in text order: a finding kept here is
 * removed, a span pseudonymised here is added (category from the decision,
 * confidence certain, source "review occurrence") unless a finding has
 * exactly that span already.  v must have room for n + the occurrences
 * that start in the line (tyst_occs_in_line).  Returns the new count, in
 * text order.
 */
size_t tyst_occs_in_line(const struct tyst_rule_occ *o, size_t no,
    const struct tyst_line *ln);
size_t tyst_occs_apply(const struct tyst_rules *r,
    const struct tyst_rule_occ *o, size_t no, const struct tyst_line *ln,
    struct tyst_finding *v, size_t n);

/* ---- review files ----------------------------------------------------------
 *
 * A review file is a rules fragment with a list of candidates, the
 * decisions for single occurrences, the missed text marked in review, the
 * pseudonyms chosen and the spellings of one person (man/tyst-rules.5):
 *
 *     candidates:
 *       - { word: Tindra, category: PERSON, decision: ask, count: 3,
 *           context: "…" }
 *     occurrences:
 *       - { file: SHA-256, start: 120, end: 125, word: Volvo,
 *           category: ORG, decision: pseudonymise, name: int01.txt }
 *     marked:
 *       - { word: lilla Ängby, category: PLACE }
 *     names: { Rosa: Emma }
 *     same-person: [[Jonatan, Johnatan]]
 *
 * decision pseudonymise adds the word to its category's words, keep to the
 * keep list; ask does nothing.  tyst-scan --review and tyst-review read one
 * back to keep the decisions made so far (lib/pseudo/revfile.c writes it).
 */
enum tyst_decision { TYST_ASK, TYST_PSEUDONYMISE, TYST_KEEP };

struct tyst_review_item {
	char *word;
	char *category;
	char *context;
	enum tyst_decision decision;
	unsigned long count;
	size_t line;            /* where it stands in the review file */
};

struct tyst_review_occ {
	char sha[65];
	uint64_t start, end;
	char *word;
	char *category;         /* may be NULL for keep */
	char *file;             /* the input's name when decided, or NULL */
	enum tyst_decision decision;
	size_t line;            /* where it stands in the review file */
};

struct tyst_review_mark {
	char *word;
	char *category;
};

struct tyst_review {
	char **includes;
	size_t nincludes;
	struct tyst_review_item *items;
	size_t nitems;
	struct tyst_review_occ *occs;
	size_t noccs;
	struct tyst_review_mark *marks;
	size_t nmarks;
	struct tyst_rule_name *names;
	size_t nnames;
	struct tyst_rule_person *persons;
	size_t npersons;
};

/* Reads a review file; a missing file gives an empty review (returns 0,
 * *exists 0). */
int tyst_review_load(struct tyst_review *rv, const char *path, int *exists,
    struct tyst_err *err);
void tyst_review_free(struct tyst_review *rv);
const char *tyst_decision_name(enum tyst_decision d);

#endif
