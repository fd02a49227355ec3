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

#include <stdint.h>
#include <string.h>

enum ptype { P_UNIT, P_TEEN, P_TENS, P_HUNDRA, P_TUSEN };

struct piece {
	const char *s;
	unsigned char len;
	unsigned char type;
	short val;
};

/*
 * The bytes that begin the pieces (their first three), each with a code
 * from 1 up, both cases of a letter the same; every other byte is 0, which
 * begins no piece.  Codes fit in five bits, so a pair of them indexes
 * leads[] and open3[].
 */
enum {
	C_A = 1, C_E, C_F, C_H, C_I, C_J, C_L, C_M, C_N, C_O, C_R, C_S, C_T,
	C_U, C_V, C_X, C_Y, C_C3, C_A5, C_85
};

static const unsigned char opencode[256] = {
	['a'] = C_A, ['A'] = C_A, ['e'] = C_E, ['E'] = C_E,
	['f'] = C_F, ['F'] = C_F, ['h'] = C_H, ['H'] = C_H,
	['i'] = C_I, ['I'] = C_I, ['j'] = C_J, ['J'] = C_J,
	['l'] = C_L, ['L'] = C_L, ['m'] = C_M, ['M'] = C_M,
	['n'] = C_N, ['N'] = C_N, ['o'] = C_O, ['O'] = C_O,
	['r'] = C_R, ['R'] = C_R, ['s'] = C_S, ['S'] = C_S,
	['t'] = C_T, ['T'] = C_T, ['u'] = C_U, ['U'] = C_U,
	['v'] = C_V, ['V'] = C_V, ['x'] = C_X, ['X'] = C_X,
	['y'] = C_Y, ['Y'] = C_Y,
	[0xc3] = C_C3, [0xa5] = C_A5, [0x85] = C_85,
};

/*
 * The pieces by their first two bytes, longer pieces first where one
 * begins another (sexton before sex): piece_at() takes the first that
 * matches.  A word meets only the few pieces that begin as it does, where
 * a scan of all of them cost a mispredicted branch per piece passed.
 */
static const struct piece p_ar[] = {
	{ "arton", 5, P_TEEN, 18 },
};
static const struct piece p_el[] = {
	{ "elva", 4, P_TEEN, 11 },
};
static const struct piece p_et[] = {
	{ "ett", 3, P_UNIT, 1 },
};
static const struct piece p_en[] = {
	{ "en", 2, P_UNIT, 1 },
};
static const struct piece p_fj[] = {
	{ "fjorton", 7, P_TEEN, 14 },
};
static const struct piece p_fe[] = {
	{ "femtio", 6, P_TENS, 50 }, { "femton", 6, P_TEEN, 15 },
	{ "femti", 5, P_TENS, 50 }, { "fem", 3, P_UNIT, 5 },
};
static const struct piece p_fy[] = {
	{ "fyrtio", 6, P_TENS, 40 }, { "fyrti", 5, P_TENS, 40 },
	{ "fyra", 4, P_UNIT, 4 },
};
static const struct piece p_hu[] = {
	{ "hundra", 6, P_HUNDRA, 100 },
};
static const struct piece p_ni[] = {
	{ "nittio", 6, P_TENS, 90 }, { "nitton", 6, P_TEEN, 19 },
	{ "nitti", 5, P_TENS, 90 }, { "nio", 3, P_UNIT, 9 },
};
static const struct piece p_no[] = {
	{ "noll", 4, P_UNIT, 0 },
};
static const struct piece p_sj[] = {
	{ "sjuttio", 7, P_TENS, 70 }, { "sjutton", 7, P_TEEN, 17 },
	{ "sjutti", 6, P_TENS, 70 }, { "sju", 3, P_UNIT, 7 },
};
static const struct piece p_se[] = {
	{ "sextio", 6, P_TENS, 60 }, { "sexton", 6, P_TEEN, 16 },
	{ "sexti", 5, P_TENS, 60 }, { "sex", 3, P_UNIT, 6 },
};
static const struct piece p_tr[] = {
	{ "trettio", 7, P_TENS, 30 }, { "tretton", 7, P_TEEN, 13 },
	{ "tretti", 6, P_TENS, 30 }, { "tre", 3, P_UNIT, 3 },
};
static const struct piece p_tj[] = {
	{ "tjugo", 5, P_TENS, 20 }, { "tjugi", 5, P_TENS, 20 },
};
static const struct piece p_tu[] = {
	{ "tusen", 5, P_TUSEN, 1000 },
};
static const struct piece p_to[] = {
	{ "tolv", 4, P_TEEN, 12 },
};
static const struct piece p_tv[] = {
	{ "tv\xc3\xa5", 4, P_UNIT, 2 },
};
static const struct piece p_ti[] = {
	{ "tio", 3, P_TEEN, 10 },
};
static const struct piece p_aa[] = {
	{ "\xc3\xa5ttio", 6, P_TENS, 80 }, { "\xc3\xa5tta", 5, P_UNIT, 8 },
	{ "\xc3\xa5tti", 5, P_TENS, 80 },
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

struct lead {
	const struct piece *p;
	unsigned char n;
};

/* By the codes of the first two bytes; å and Å lead to the same. */
static const struct lead leads[32 * 32] = {
	[C_A << 5 | C_R] = { p_ar, nitems(p_ar) },
	[C_E << 5 | C_L] = { p_el, nitems(p_el) },
	[C_E << 5 | C_T] = { p_et, nitems(p_et) },
	[C_E << 5 | C_N] = { p_en, nitems(p_en) },
	[C_F << 5 | C_J] = { p_fj, nitems(p_fj) },
	[C_F << 5 | C_E] = { p_fe, nitems(p_fe) },
	[C_F << 5 | C_Y] = { p_fy, nitems(p_fy) },
	[C_H << 5 | C_U] = { p_hu, nitems(p_hu) },
	[C_N << 5 | C_I] = { p_ni, nitems(p_ni) },
	[C_N << 5 | C_O] = { p_no, nitems(p_no) },
	[C_S << 5 | C_J] = { p_sj, nitems(p_sj) },
	[C_S << 5 | C_E] = { p_se, nitems(p_se) },
	[C_T << 5 | C_R] = { p_tr, nitems(p_tr) },
	[C_T << 5 | C_J] = { p_tj, nitems(p_tj) },
	[C_T << 5 | C_U] = { p_tu, nitems(p_tu) },
	[C_T << 5 | C_O] = { p_to, nitems(p_to) },
	[C_T << 5 | C_V] = { p_tv, nitems(p_tv) },
	[C_T << 5 | C_I] = { p_ti, nitems(p_ti) },
	[C_C3 << 5 | C_A5] = { p_aa, nitems(p_aa) },
	[C_C3 << 5 | C_85] = { p_aa, nitems(p_aa) },
};

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

/* Member by member: the run is filled by read_run(), not read before. */
static void
reader_init(struct reader *r, const unsigned char *t, size_t len,
    struct tyst_num_run *out)
{
	memset(r, 0, sizeof(*r));
	r->t = t;
	r->len = len;
	r->out = out;
}

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

/* The piece at t[i..e), compared case-blind, or NULL. */
static const struct piece *
piece_at(const unsigned char *t, size_t i, size_t e)
{
	const struct lead *l;

	if (e - i < 2)
		return NULL;
	/* Its first two bytes are the lead's, Å or å as they may be. */
	l = &leads[opencode[t[i]] << 5 | opencode[t[i + 1]]];
	for (size_t k = 0; k < l->n; k++) {
		const struct piece *pc = &l->p[k];
		size_t j = 2;

		if (pc->len > e - i)
			continue;
		for (; j < pc->len; j++) {
			unsigned char c = t[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			else if (c == 0x85 && t[i + j - 1] == 0xc3)
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

/*
 * Writes v in decimal at the end of buf[0..size) and returns where it
 * starts.  snprintf() cost more than the rest of reading a run.  A number
 * read is never negative: no piece is.
 */
static char *
decimal(char *buf, size_t size, unsigned long v)
{
	char *p = buf + size;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return p;
}

static int
flush(struct reader *r)
{
	char buf[24], *p;

	if (!r->x.on)
		return 0;
	r->x.on = 0;
	p = decimal(buf, sizeof(buf),
	    (unsigned long)(r->x.big + r->x.part));
	return add_group(r, r->x.s, r->x.e, p,
	    (size_t)(buf + sizeof(buf) - p), 1, r->x.brk);
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

/*
 * Reads the word t[s..e) if it is wholly pieces: 1, or 0 when it is not
 * (then nothing is read) or there is no room.  Most number words are one
 * piece, which need not be split twice.
 */
static int
read_word(struct reader *r, size_t s, size_t e)
{
	const struct piece *pc = piece_at(r->t, s, e);

	if (pc == NULL)
		return 0;
	if (pc->len == e - s)
		return take_piece(r, pc, s, e) == 0;
	return all_pieces(r->t, s, e) && take_word(r, s, e) == 0;
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

	/* Not the whole of *o: most runs tried are a word or two. */
	o->start = o->end = 0;
	o->ndigits = o->ngroups = o->nwords = 0;
	o->digits[0] = '\0';
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
			if (!read_word(r, i, e))
				break;
		}
		i = skip_seps(r, e);
	}
	if (!r->full)
		flush(r);
	return o->nwords > 0;
}

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/*
 * The openings of the pieces other than "en" and "ett", which open no run:
 * bit c of open3[a << 5 | b] is set when the bytes coded a, b, c open
 * one.  A look-up, where a switch on the first byte cost a mispredicted
 * indirect jump on most words.
 */
static const uint32_t open3[32 * 32] = {
	[C_N << 5 | C_O] = 1u << C_L,                   /* noll */
	[C_N << 5 | C_I] = 1u << C_O | 1u << C_T,       /* nio nitton nittio */
	[C_T << 5 | C_R] = 1u << C_E,                   /* tre */
	[C_T << 5 | C_V] = 1u << C_C3,                  /* två */
	[C_T << 5 | C_I] = 1u << C_O,                   /* tio */
	[C_T << 5 | C_J] = 1u << C_U | 1u << C_I,       /* tjugo tjugi */
	[C_T << 5 | C_O] = 1u << C_L,                   /* tolv */
	[C_T << 5 | C_U] = 1u << C_S,                   /* tusen */
	[C_F << 5 | C_Y] = 1u << C_R,                   /* fyra */
	[C_F << 5 | C_E] = 1u << C_M,                   /* fem */
	[C_F << 5 | C_J] = 1u << C_O,                   /* fjorton */
	[C_S << 5 | C_E] = 1u << C_X,                   /* sex */
	[C_S << 5 | C_J] = 1u << C_U,                   /* sju */
	[C_E << 5 | C_L] = 1u << C_V,                   /* elva */
	[C_A << 5 | C_R] = 1u << C_T,                   /* arton */
	[C_H << 5 | C_U] = 1u << C_N,                   /* hundra */
	[C_C3 << 5 | C_A5] = 1u << C_T,                 /* åtta åttio */
	[C_C3 << 5 | C_85] = 1u << C_T,                 /* Åtta Åttio */
};

/*
 * Whether the word at t[i] may open a run, by its first three bytes.
 * Most words of a line fail here, before any piece is compared.
 */
static inline int
may_open(const unsigned char *t, size_t len, size_t i)
{
	unsigned a, b;

	if (i + 2 >= len)
		return 0;
	a = opencode[t[i]];
	b = opencode[t[i + 1]];
	if ((open3[a << 5 | b] >> opencode[t[i + 2]] & 1) == 0)
		return 0;
	/* "sju" opens a run, "sjuk" (sick) and its compounds do not. */
	if (a == C_S && b == C_J)
		return i + 3 >= len || fold(t[i + 3]) != 'k';
	return 1;
}

/* Bytes of words: ASCII letters and digits, and all of UTF-8. */
static const unsigned char wordbyte[256] = {
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2,
	['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1, ['_'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	[0x80] = 1, [0x81] = 1, [0x82] = 1, [0x83] = 1, [0x84] = 1, [0x85] = 1,
	[0x86] = 1, [0x87] = 1, [0x88] = 1, [0x89] = 1, [0x8a] = 1, [0x8b] = 1,
	[0x8c] = 1, [0x8d] = 1, [0x8e] = 1, [0x8f] = 1, [0x90] = 1, [0x91] = 1,
	[0x92] = 1, [0x93] = 1, [0x94] = 1, [0x95] = 1, [0x96] = 1, [0x97] = 1,
	[0x98] = 1, [0x99] = 1, [0x9a] = 1, [0x9b] = 1, [0x9c] = 1, [0x9d] = 1,
	[0x9e] = 1, [0x9f] = 1, [0xa0] = 1, [0xa1] = 1, [0xa2] = 1, [0xa3] = 1,
	[0xa4] = 1, [0xa5] = 1, [0xa6] = 1, [0xa7] = 1, [0xa8] = 1, [0xa9] = 1,
	[0xaa] = 1, [0xab] = 1, [0xac] = 1, [0xad] = 1, [0xae] = 1, [0xaf] = 1,
	[0xb0] = 1, [0xb1] = 1, [0xb2] = 1, [0xb3] = 1, [0xb4] = 1, [0xb5] = 1,
	[0xb6] = 1, [0xb7] = 1, [0xb8] = 1, [0xb9] = 1, [0xba] = 1, [0xbb] = 1,
	[0xbc] = 1, [0xbd] = 1, [0xbe] = 1, [0xbf] = 1, [0xc0] = 1, [0xc1] = 1,
	[0xc2] = 1, [0xc3] = 1, [0xc4] = 1, [0xc5] = 1, [0xc6] = 1, [0xc7] = 1,
	[0xc8] = 1, [0xc9] = 1, [0xca] = 1, [0xcb] = 1, [0xcc] = 1, [0xcd] = 1,
	[0xce] = 1, [0xcf] = 1, [0xd0] = 1, [0xd1] = 1, [0xd2] = 1, [0xd3] = 1,
	[0xd4] = 1, [0xd5] = 1, [0xd6] = 1, [0xd7] = 1, [0xd8] = 1, [0xd9] = 1,
	[0xda] = 1, [0xdb] = 1, [0xdc] = 1, [0xdd] = 1, [0xde] = 1, [0xdf] = 1,
	[0xe0] = 1, [0xe1] = 1, [0xe2] = 1, [0xe3] = 1, [0xe4] = 1, [0xe5] = 1,
	[0xe6] = 1, [0xe7] = 1, [0xe8] = 1, [0xe9] = 1, [0xea] = 1, [0xeb] = 1,
	[0xec] = 1, [0xed] = 1, [0xee] = 1, [0xef] = 1, [0xf0] = 1, [0xf1] = 1,
	[0xf2] = 1, [0xf3] = 1, [0xf4] = 1, [0xf5] = 1, [0xf6] = 1, [0xf7] = 1,
	[0xf8] = 1, [0xf9] = 1, [0xfa] = 1, [0xfb] = 1, [0xfc] = 1, [0xfd] = 1,
	[0xfe] = 1, [0xff] = 1,
};

int
tyst_num_may_pair(unsigned char b0, unsigned char b1)
{
	/* The first two bytes of an opening may_open() takes. */
	return open3[opencode[b0] << 5 | opencode[b1]] != 0;
}

int
tyst_num_may_open(const char *s, size_t len)
{
	return may_open((const unsigned char *)s, len, 0);
}

int
tyst_num_at(const char *text, size_t len, size_t at,
    struct tyst_num_run *out)
{
	const unsigned char *t = (const unsigned char *)text;
	struct reader r;

	/* The tests before the reader, the cheapest first: most words
	 * asked about fail may_open(). */
	if (at >= len)
		return 0;
	if (!is_digit(t[at]) && !may_open(t, len, at))
		return 0;
	if (word_before(t, at))
		return 0;
	/* read_run() tells whether the first word is all pieces: splitting
	 * it here as well read it twice. */
	reader_init(&r, t, len, out);
	return read_run(&r, at, 0);
}

/*
 * Walks the words of the line: a word is looked at only where it starts,
 * and only by its first two letters (may_open) unless it is digits.
 */
int
tyst_num_next(const char *text, size_t len, size_t from,
    struct tyst_num_run *out)
{
	return tyst_num_next_before(text, len, from, len, out);
}

int
tyst_num_next_before(const char *text, size_t len, size_t from, size_t stop,
    struct tyst_num_run *out)
{
	const unsigned char *t = (const unsigned char *)text;
	struct reader r;
	size_t i = from;
	int inword = word_before(t, from);

	reader_init(&r, t, len, out);
	if (stop > len)
		stop = len;

	while (i < stop) {
		unsigned char w = wordbyte[t[i]];

		if (w == 0 || inword) {
			inword = w != 0;
			i++;
			continue;
		}
		inword = 1;
		if (word_before(t, i)) {
			i++;
			continue;
		}
		if (w == 2) {
			/* Digits open a run only when a number word follows
			 * them, which read_run() finds out. */
			if (read_run(&r, i, 0))
				return 1;
			while (i < len && is_digit(t[i]))
				i++;
			continue;
		}
		if (may_open(t, len, i)) {
			size_t e = word_end(t, len, i);

			if (e > i && piece_at(t, i, e) != NULL &&
			    read_run(&r, i, 0))
				return 1;
		}
		i++;
	}
	return 0;
}

int
tyst_num_parse(const char *s, size_t len, struct tyst_num_run *out)
{
	const unsigned char *t = (const unsigned char *)s;
	struct reader r;
	size_t b = 0, e = len, n;

	reader_init(&r, t, len, out);

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
