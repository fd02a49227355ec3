/*
 * libFuzzer harness: the soundness of lib/detect/rxsum.c.  The input is a
 * regex, a NUL, and a subject.  Every match of the regex, at every start
 * in the subject, must hold what the summary says it needs (a digit, an
 * '@') and, lower-cased, one of its literals.  When the reading gives
 * bounds for the
 * digit anchor (or for '@' or ':'), every match of the regex, at every
 * start in the subject, must keep them: an anchor in it, at most reach
 * non-blank characters before the first, at least `anchors` anchors, at
 * most len non-blank characters in all, and, when solid_after is given,
 * a character not blank after each anchor within the match.  The
 * detector's windowed search is exact only if these hold.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/lexicon.h"
#include "tyst/rxsum.h"
#include "tyst/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether p[0..n) holds an ASCII digit. */
static int
strpbrk_n(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] >= '0' && p[i] <= '9')
			return 1;
	return 0;
}

/* Checks the match [s, e) of the subject p against b; aborts on a bound
 * broken. */
static void
check(const char *p, size_t s, size_t e, int anchor,
    const struct tyst_rx_bounds *b)
{
	long before = 0, all = 0, n = 0;
	int seen = 0;
	size_t i = s;

	while (i < e) {
		uint32_t cp;
		size_t k = tyst_utf8_decode(p + i, e - i, &cp);
		int is = anchor == TYST_ANCHOR_DIGIT ? cp >= '0' && cp <= '9' :
		    cp == (uint32_t)anchor;

		if (k == 0)
			k = 1;
		if (is) {
			uint32_t next;

			seen = 1;
			n++;
			if (b->solid_after && (i + k >= e ||
			    (tyst_utf8_decode(p + i + k, e - i - k, &next),
			    tyst_cp_hv(next))))
				abort();
		}
		if (!tyst_cp_hv(cp)) {
			all++;
			if (!seen)
				before++;
		}
		i += k;
	}
	if (!seen || before > b->reach || n < b->anchors ||
	    (b->len >= 0 && all > b->len))
		abort();
}

/* Checks a match within [s, e) of p against the needs and literals of
 * sum. */
static void
check_sum(const char *p, size_t s, size_t e, const struct tyst_rxsum *sum)
{
	char low[4 * 4096 + 1];
	size_t n;
	int found = sum->lits.n == 0;

	if ((sum->needs & TYST_RX_DIGIT) && strpbrk_n(p + s, e - s) == 0)
		abort();
	if ((sum->needs & TYST_RX_AT) && memchr(p + s, '@', e - s) == NULL)
		abort();
	n = tyst_lower(p + s, e - s, low, sizeof(low) - 1);
	if (n == 0 && e > s)
		return;         /* not lowered here: nothing to compare */
	low[n] = '\0';
	for (size_t i = 0; i < sum->lits.n && !found; i++)
		found = strstr(low, sum->lits.s[i]) != NULL;
	if (!found)
		abort();
}

static void
check_all(const char *re, size_t rl, const char *subj, size_t sl)
{
	static struct tyst_rxsum sum;
	pcre2_code *code;
	pcre2_match_data *md;
	int ec;
	PCRE2_SIZE eo;

	if (tyst_rxsum_read(re, &sum) < 0)
		return;
	code = pcre2_compile((PCRE2_SPTR)re, rl, PCRE2_UTF | PCRE2_UCP, &ec,
	    &eo, NULL);
	if (code == NULL)
		return;
	md = pcre2_match_data_create_from_pattern(code, NULL);
	for (size_t s = 0; s <= sl && md != NULL; s++) {
		PCRE2_SIZE *ov;

		if (s < sl && ((unsigned char)subj[s] & 0xc0) == 0x80)
			continue;
		if (pcre2_match(code, (PCRE2_SPTR)subj, sl, s, 0, md, NULL) < 0)
			continue;
		ov = pcre2_get_ovector_pointer(md);
		/* From where the search started: \K may move a match's start
		 * past what it read, and the line holds that too. */
		if (ov[1] >= s)
			check_sum(subj, s, ov[1], &sum);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(code);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int anchors[] = { TYST_ANCHOR_DIGIT, '@', ':', '.' };
	const uint8_t *nul = memchr(data, 0, size);
	char *re;
	const char *subj;
	size_t rl, sl, bad;
	int nulbyte;

	if (nul == NULL || size > 4096)
		return 0;
	rl = (size_t)(nul - data);
	subj = (const char *)nul + 1;
	sl = size - rl - 1;
	if (tyst_utf8_check(subj, sl, &bad, &nulbyte) < 0)
		return 0;
	re = malloc(rl + 1);
	if (re == NULL)
		return 0;
	memcpy(re, data, rl);
	re[rl] = '\0';
	if (strlen(re) == rl)
		check_all(re, rl, subj, sl);
	for (size_t a = 0; a < sizeof(anchors) / sizeof(anchors[0]); a++) {
		struct tyst_rx_bounds b;
		pcre2_code *code;
		pcre2_match_data *md;
		int ec;
		PCRE2_SIZE eo;

		if (tyst_rx_bounds(re, anchors[a], &b) < 0)
			continue;
		code = pcre2_compile((PCRE2_SPTR)re, rl, PCRE2_UTF | PCRE2_UCP,
		    &ec, &eo, NULL);
		if (code == NULL)
			continue;
		md = pcre2_match_data_create_from_pattern(code, NULL);
		/* Each start on its own, anchored, as a search may find. */
		for (size_t s = 0; s <= sl && md != NULL; s++) {
			PCRE2_SIZE *ov;

			if (s < sl && ((unsigned char)subj[s] & 0xc0) == 0x80)
				continue;
			if (pcre2_match(code, (PCRE2_SPTR)subj, sl, s,
			    PCRE2_ANCHORED, md, NULL) < 0)
				continue;
			ov = pcre2_get_ovector_pointer(md);
			if (ov[0] == s && ov[1] >= ov[0])
				check(subj, ov[0], ov[1], anchors[a], &b);
		}
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
	free(re);
	return 0;
}
