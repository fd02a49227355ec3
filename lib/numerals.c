/*
 * numerals — see include/tyst/numerals.h.
 *
 * A number word is split into pieces ("nittonhundrasextiosju" is nitton,
 * hundra, sextio, sju), longest piece first, and the pieces are folded into
 * numbers left to right by how Swedish builds them: a ten takes a unit
 * after it (sextio sju = 67), a unit or a teen takes "hundra" (nitton hundra
 * = 1900), and so on.  A piece that cannot join the number before it starts
 * a new one, which is how "tjugotjugotvå" becomes 20 and 22, and "åttiofem
 * noll tre" 85, 0 and 3.  The same rules join words across a blank, since
 * transcribers split numbers anywhere ("nittio åtta", "nitton hundra").
 */
#include "tyst/numerals.h"

#include <stdio.h>
#include <string.h>

enum ptype { P_UNIT, P_TEEN, P_TENS, P_HUNDRA, P_TUSEN };

struct piece {
	const char *s;
	unsigned char len;
	unsigned char type;
	short val;
};

/* Longer pieces first where one begins another (sexton before sex). */
static const struct piece pieces[] = {
	{ "trettio", 7, P_TENS, 30 }, { "sjuttio", 7, P_TENS, 70 },
	{ "tretton", 7, P_TEEN, 13 }, { "fjorton", 7, P_TEEN, 14 },
	{ "sjutton", 7, P_TEEN, 17 }, { "nittio", 6, P_TENS, 90 },
	{ "nitton", 6, P_TEEN, 19 }, { "femtio", 6, P_TENS, 50 },
	{ "femton", 6, P_TEEN, 15 }, { "sextio", 6, P_TENS, 60 },
	{ "sexton", 6, P_TEEN, 16 }, { "fyrtio", 6, P_TENS, 40 },
	{ "hundra", 6, P_HUNDRA, 100 }, { "\xc3\xa5ttio", 6, P_TENS, 80 },
	{ "tretti", 6, P_TENS, 30 }, { "sjutti", 6, P_TENS, 70 },
	{ "\xc3\xa5tta", 5, P_UNIT, 8 }, { "\xc3\xa5tti", 5, P_TENS, 80 },
	{ "nitti", 5, P_TENS, 90 }, { "femti", 5, P_TENS, 50 },
	{ "sexti", 5, P_TENS, 60 }, { "fyrti", 5, P_TENS, 40 },
	{ "tjugo", 5, P_TENS, 20 }, { "tusen", 5, P_TUSEN, 1000 },
	{ "arton", 5, P_TEEN, 18 }, { "tjugi", 5, P_TENS, 20 },
	{ "noll", 4, P_UNIT, 0 }, { "fyra", 4, P_UNIT, 4 },
	{ "elva", 4, P_TEEN, 11 }, { "tolv", 4, P_TEEN, 12 },
	{ "tv\xc3\xa5", 4, P_UNIT, 2 }, { "ett", 3, P_UNIT, 1 },
	{ "tre", 3, P_UNIT, 3 }, { "fem", 3, P_UNIT, 5 },
	{ "sex", 3, P_UNIT, 6 }, { "sju", 3, P_UNIT, 7 },
	{ "nio", 3, P_UNIT, 9 }, { "tio", 3, P_TEEN, 10 },
	{ "en", 2, P_UNIT, 1 },
};

#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

/* The number being read: big (thousands, already multiplied) + part. */
struct expr {
	int on;
	int last;               /* ptype of the last piece, or -1 after a ten
	                         * and its unit (nothing more joins) */
	int hundred;            /* part has taken "hundra" */
	long big, part;
	size_t s, e;
	int brk;
};

struct reader {
	const unsigned char *t;
	size_t len;
	struct tyst_num_run *out;
	struct expr x;
	int brk;                /* a break seen since the last group */
	int full;               /* no room for another group */
};

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Bytes of a blank at p (space, tab, no-break or thin space), or 0. */
static size_t
blank_len(const unsigned char *p, size_t n)
{
	if (n >= 1 && (p[0] == ' ' || p[0] == '\t'))
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0x87 || p[2] == 0x89 || p[2] == 0x8a || p[2] == 0xaf))
		return 3;
	return 0;
}

/* Bytes of a dash at p ('-', U+2010-U+2014, U+2212), or 0. */
static size_t
dash_len(const unsigned char *p, size_t n)
{
	if (n >= 1 && p[0] == '-')
		return 1;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x90 &&
	    p[2] <= 0x94)
		return 3;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x88 && p[2] == 0x92)
		return 3;
	return 0;
}

/* Whether the byte before i belongs to a word (a letter or a digit). */
static int
word_before(const unsigned char *t, size_t i)
{
	if (i == 0)
		return 0;
	if (is_alpha(t[i - 1]) || is_digit(t[i - 1]) || t[i - 1] == '_')
		return 1;
	if (t[i - 1] < 0x80)
		return 0;
	/* A no-break space, thin space or dash ends no word. */
	if (i >= 2 && t[i - 2] == 0xc2 && t[i - 1] == 0xa0)
		return 0;
	if (i >= 3 && t[i - 3] == 0xe2 && (t[i - 2] == 0x80 || t[i - 2] == 0x88))
		return 0;
	return 1;
}

/* The end of the word of letters at i (ASCII, or any multibyte character
 * other than the blanks and dashes above). */
static size_t
word_end(const unsigned char *t, size_t len, size_t i)
{
	while (i < len) {
		if (is_alpha(t[i])) {
			i++;
			continue;
		}
		if (t[i] < 0x80 || blank_len(t + i, len - i) != 0 ||
		    dash_len(t + i, len - i) != 0)
			break;
		if (t[i] == 0xe2 && i + 1 < len && t[i + 1] == 0x80)
			break;  /* quotes, ellipsis */
		i++;
		while (i < len && (t[i] & 0xc0) == 0x80)
			i++;
	}
	return i;
}

/* Length of the piece at t[i..e) compared case-blind, or 0. */
static const struct piece *
piece_at(const unsigned char *t, size_t i, size_t e)
{
	for (size_t k = 0; k < NPIECES; k++) {
		const struct piece *pc = &pieces[k];
		size_t j = 0;

		if (pc->len > e - i)
			continue;
		for (; j < pc->len; j++) {
			unsigned char c = t[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			else if (c == 0x85 && j > 0 && t[i + j - 1] == 0xc3)
				c = 0xa5;       /* Å */
			if (c != (unsigned char)pc->s[j])
				break;
		}
		if (j == pc->len)
			return pc;
	}
	return NULL;
}

/* Whether the letters t[s..e) are wholly number pieces. */
static int
all_pieces(const unsigned char *t, size_t s, size_t e)
{
	while (s < e) {
		const struct piece *pc = piece_at(t, s, e);

		if (pc == NULL)
			return 0;
		s += pc->len;
	}
	return 1;
}

static int
add_group(struct reader *r, size_t s, size_t e, const char *dig, size_t n,
    int word, int brk)
{
	struct tyst_num_run *o = r->out;
	struct tyst_num_group *g;

	if (o->ngroups >= TYST_NUM_MAXGROUPS ||
	    o->ndigits + n > TYST_NUM_MAXDIGITS) {
		r->full = 1;
		return -1;
	}
	g = &o->g[o->ngroups++];
	g->start = s;
	g->end = e;
	g->dstart = o->ndigits;
	g->ndig = (unsigned)n;
	g->brk = (unsigned)brk;
	g->word = (unsigned)word;
	memcpy(o->digits + o->ndigits, dig, n);
	o->ndigits += (unsigned)n;
	o->digits[o->ndigits] = '\0';
	if (word)
		o->nwords++;
	if (o->ngroups == 1)
		o->start = s;
	o->end = e;
	return 0;
}

static int
flush(struct reader *r)
{
	char buf[24];
	int n;

	if (!r->x.on)
		return 0;
	r->x.on = 0;
	n = snprintf(buf, sizeof(buf), "%ld", r->x.big + r->x.part);
	return add_group(r, r->x.s, r->x.e, buf, (size_t)n, 1, r->x.brk);
}

/* Whether piece pc joins the number being read. */
static int
joins(const struct expr *x, const struct piece *pc)
{
	if (!x->on)
		return 0;
	switch (pc->type) {
	case P_UNIT:
		return pc->val > 0 && (x->last == P_TENS ||
		    x->last == P_HUNDRA || x->last == P_TUSEN);
	case P_TEEN:
	case P_TENS:
		return x->last == P_HUNDRA || x->last == P_TUSEN;
	case P_HUNDRA:
		return !x->hundred && x->part >= 1 && x->part <= 99 &&
		    (x->last == P_UNIT || x->last == P_TEEN);
	case P_TUSEN:
		return x->big == 0 && x->part >= 1 && x->part <= 999;
	}
	return 0;
}

static int
take_piece(struct reader *r, const struct piece *pc, size_t s, size_t e)
{
	struct expr *x = &r->x;

	if (joins(x, pc)) {
		if (pc->type == P_HUNDRA) {
			x->part *= 100;
			x->hundred = 1;
		} else if (pc->type == P_TUSEN) {
			x->big = x->part * 1000;
			x->part = 0;
			x->hundred = 0;
		} else
			x->part += pc->val;
		/* A ten and its unit are a whole pair: nothing joins it. */
		x->last = pc->type == P_UNIT && x->last == P_TENS ? -1 :
		    pc->type;
		x->e = e;
		return 0;
	}
	if (flush(r) < 0)
		return -1;
	x->on = 1;
	x->last = pc->type;
	x->hundred = pc->type == P_HUNDRA;
	x->big = 0;
	x->part = pc->val;
	x->s = s;
	x->e = e;
	x->brk = r->brk;
	r->brk = 0;
	return 0;
}

/* Reads the number word t[s..e), known to be all pieces. */
static int
take_word(struct reader *r, size_t s, size_t e)
{
	while (s < e) {
		const struct piece *pc = piece_at(r->t, s, e);

		if (take_piece(r, pc, s, s + pc->len) < 0)
			return -1;
		s += pc->len;
	}
	return 0;
}

/* Skips blanks, commas, dashes and pauses between groups; notes a
 * break. */
static size_t
skip_seps(struct reader *r, size_t i)
{
	const unsigned char *t = r->t;

	for (;;) {
		size_t n;

		if ((n = blank_len(t + i, r->len - i)) != 0) {
			i += n;
			continue;
		}
		if ((n = dash_len(t + i, r->len - i)) != 0 || (i < r->len &&
		    (t[i] == ',' || t[i] == ';'))) {
			i += n ? n : 1;
			r->brk = 1;
			continue;
		}
		/* A pause ("...", "…") goes on; a full stop ends the run. */
		if (i + 1 < r->len && t[i] == '.' && t[i + 1] == '.') {
			while (i < r->len && t[i] == '.')
				i++;
			r->brk = 1;
			continue;
		}
		if (i + 2 < r->len && t[i] == 0xe2 && t[i + 1] == 0x80 &&
		    t[i + 2] == 0xa6) {
			i += 3;
			r->brk = 1;
			continue;
		}
		return i;
	}
}

static int
is_word(const unsigned char *t, size_t s, size_t e, const char *w)
{
	size_t n = strlen(w);

	if (e - s != n)
		return 0;
	for (size_t j = 0; j < n; j++)
		if ((t[s + j] | 0x20) != (unsigned char)w[j])
			return 0;
	return 1;
}

/*
 * Reads the run at i into r->out.  articles: whether "en" and "ett" may
 * open it.  Returns 1 when a run with a number word was read.
 */
static int
read_run(struct reader *r, size_t i, int articles)
{
	const unsigned char *t = r->t;
	struct tyst_num_run *o = r->out;

	memset(o, 0, sizeof(*o));
	memset(&r->x, 0, sizeof(r->x));
	r->brk = 0;
	r->full = 0;
	while (i < r->len && !r->full) {
		size_t e;

		if (is_digit(t[i])) {
			e = i;
			while (e < r->len && is_digit(t[e]))
				e++;
			if (e < r->len && is_alpha(t[e]))
				break;
			if (flush(r) < 0 || add_group(r, i, e,
			    (const char *)t + i, e - i, 0, r->brk) < 0)
				break;
			r->brk = 0;
		} else {
			e = word_end(t, r->len, i);
			if (e == i)
				break;
			if (o->ngroups > 0 || r->x.on) {
				if (is_word(t, i, e, "och")) {
					r->brk = 1;
					i = skip_seps(r, e);
					continue;
				}
			} else if (!articles && (is_word(t, i, e, "en") ||
			    is_word(t, i, e, "ett")))
				break;
			if (!all_pieces(t, i, e) || take_word(r, i, e) < 0)
				break;
		}
		i = skip_seps(r, e);
	}
	if (!r->full)
		flush(r);
	return o->nwords > 0;
}

/* Bytes that may open a run: digits and the first letters of pieces. */
static const unsigned char opener[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['e'] = 1, ['f'] = 1, ['h'] = 1, ['n'] = 1, ['s'] = 1,
	['t'] = 1, ['A'] = 1, ['E'] = 1, ['F'] = 1, ['H'] = 1, ['N'] = 1,
	['S'] = 1, ['T'] = 1, [0xc3] = 1,
};

int
tyst_num_next(const char *text, size_t len, size_t from,
    struct tyst_num_run *out)
{
	const unsigned char *t = (const unsigned char *)text;
	struct reader r = { t, len, out, { 0 }, 0, 0 };
	size_t i = from;

	while (i < len) {
		size_t e;

		if (!opener[t[i]] || word_before(t, i)) {
			i++;
			continue;
		}
		if (is_digit(t[i])) {
			/* Digits open a run only when a number word follows
			 * them, which read_run() finds out. */
			if (read_run(&r, i, 0))
				return 1;
			while (i < len && is_digit(t[i]))
				i++;
			continue;
		}
		e = word_end(t, len, i);
		if (e > i && piece_at(t, i, e) != NULL && read_run(&r, i, 0))
			return 1;
		i = e > i ? e : i + 1;
	}
	return 0;
}

int
tyst_num_parse(const char *s, size_t len, struct tyst_num_run *out)
{
	const unsigned char *t = (const unsigned char *)s;
	struct reader r = { t, len, out, { 0 }, 0, 0 };
	size_t b = 0, e = len, n;

	while (b < e && (n = blank_len(t + b, e - b)) != 0)
		b += n;
	while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	if (b == e)
		return 0;
	r.len = e;
	if (!read_run(&r, b, 1))
		return 0;
	return out->start == b && out->end == e;
}
