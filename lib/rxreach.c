/*
 * rxreach — see include/tyst/rxreach.h.
 *
 * Each piece of the regex is summed up by three numbers:
 *   len   the most non-blank characters a match of it can hold,
 *   pre   the most non-blank characters before its first anchor (all of
 *         them when the match holds no anchor),
 *   must  whether every match of it holds an anchor.
 * A sequence AB has pre(A) when A must hold an anchor, else at most
 * len(A) + pre(B); an alternation takes the largest of its branches; a
 * repeat X{m,n} has at most (n - 1) * len(X) + pre(X).  Assertions match
 * the empty string.  INF stands for "no bound".
 *
 * Four flags more tell what follows an anchor in a match:
 *   nul   the piece can match the empty string,
 *   nbf   a non-empty match of it starts with a non-blank character,
 *   last  a match of it can end with an anchor,
 *   ok    an anchor it holds before another of its characters is always
 *         followed by a non-blank one.
 * A sequence AB is ok when both are and, if A can end with an anchor, B
 * starts non-blank; it can end with an anchor when B can, or B can be
 * empty and A can.  When the whole regex is ok and cannot end with an
 * anchor, an anchor followed by a blank, or by the end of the line, is in
 * no match.  A character class is taken to match a blank, or the anchor,
 * whenever it might.
 */
#include "tyst/rxreach.h"

#include <stdlib.h>
#include <string.h>

#include "tyst/text.h"

#define INF (1L << 40)

struct val {
	long len, pre;
	int must;
	long cnt;               /* the fewest anchors a match holds */
	int nul, nbf, last, ok;
};

struct rr {
	const char *s;
	size_t i, n;
	int anchor;
	int bad;
};

static struct val rr_alt(struct rr *x);

int
tyst_cp_hv(uint32_t cp)
{
	switch (cp) {
	case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x20:
	case 0x85: case 0xa0: case 0x1680: case 0x180e: case 0x2028:
	case 0x2029: case 0x202f: case 0x205f: case 0x3000:
		return 1;
	}
	return cp >= 0x2000 && cp <= 0x200a;
}

static long
add(long a, long b)
{
	return a >= INF || b >= INF || a + b >= INF ? INF : a + b;
}

static long
mul(long n, long a)
{
	if (a == 0 || n == 0)
		return 0;
	if (n >= INF || a >= INF || a > INF / n)
		return INF;
	return n * a;
}

static struct val
v_zero(void)
{
	struct val v = { 0, 0, 0, 0, 1, 1, 0, 1 };

	return v;
}

/*
 * One character that is blank, the anchor, or anything else; may_blank
 * and may_anchor when it might be a blank or the anchor (a class).
 */
static struct val
v_class(int blank, int anchor, int may_blank, int may_anchor)
{
	struct val v = { 0, 0, 0, 0, 0, 1, 0, 1 };

	v.nbf = !may_blank;
	v.last = may_anchor;
	if (blank)
		return v;
	v.len = 1;
	v.pre = anchor ? 0 : 1;
	v.must = anchor;
	v.cnt = anchor;
	return v;
}

static struct val
v_char(int blank, int anchor)
{
	return v_class(blank, anchor, blank, anchor);
}

static int
is_anchor(const struct rr *x, uint32_t cp)
{
	if (x->anchor == TYST_ANCHOR_DIGIT)
		return cp >= '0' && cp <= '9';
	return cp == (uint32_t)x->anchor;
}

/* Whether some character of [lo, hi] is blank. */
static int
blank_in(uint32_t lo, uint32_t hi)
{
	static const uint32_t blanks[][2] = {
		{ 0x09, 0x0d }, { 0x20, 0x20 }, { 0x85, 0x85 }, { 0xa0, 0xa0 },
		{ 0x1680, 0x1680 }, { 0x180e, 0x180e }, { 0x2000, 0x200a },
		{ 0x2028, 0x2029 }, { 0x202f, 0x202f }, { 0x205f, 0x205f },
		{ 0x3000, 0x3000 }
	};

	for (size_t i = 0; i < sizeof(blanks) / sizeof(blanks[0]); i++)
		if (lo <= blanks[i][1] && hi >= blanks[i][0])
			return 1;
	return 0;
}

/* Whether some character of [lo, hi] is the anchor. */
static int
anchor_in(const struct rr *x, uint32_t lo, uint32_t hi)
{
	if (x->anchor == TYST_ANCHOR_DIGIT)
		return lo <= '9' && hi >= '0';
	return lo <= (uint32_t)x->anchor && hi >= (uint32_t)x->anchor;
}

/* Whether the general category name n (of \p) is one in list. */
static int
category_in(const char *n, size_t len, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == len && memcmp(*list, n, len) == 0)
			return 1;
	return 0;
}

/*
 * For an escape of kind 'x' (a class) read from start: whether it might
 * match a blank, or the anchor (an ASCII digit or punctuation).  \p with a
 * general category of letters matches neither, of numbers, marks,
 * punctuation or symbols no blank; anything else (a script, \P, a
 * negation, \S, which takes U+180E that \h matches) might match both.
 */
static void
escape_class(const struct rr *x, size_t start, int *blank, int *anchor)
{
	static const char *const letters[] = {
		"L", "Lu", "Ll", "Lt", "Lm", "Lo", "L&", NULL
	};
	static const char *const solid[] = {
		"N", "Nd", "Nl", "No", "M", "Mn", "Mc", "Me", "P", "Pc", "Pd",
		"Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", NULL
	};
	const char *n = x->s + start + 2;
	size_t len = 1;
	int digit = x->anchor == TYST_ANCHOR_DIGIT;

	*blank = *anchor = 1;
	switch (x->s[start + 1]) {
	case 'd':
		*blank = 0;
		*anchor = digit;
		return;
	case 'D':
		*anchor = !digit;
		return;
	case 'w':
		*blank = 0;
		*anchor = digit || x->anchor == '_';
		return;
	case 'p':
		break;
	default:
		return;
	}
	if (*n == '{') {
		const char *e = memchr(n, '}', x->n - (size_t)(n - x->s));

		if (e == NULL)
			return;
		n++;
		len = (size_t)(e - n);
	}
	if (category_in(n, len, letters))
		*blank = *anchor = 0;
	else if (category_in(n, len, solid)) {
		/* Of ASCII, numbers hold the digits, punctuation and
		 * symbols the rest an anchor can be, marks nothing. */
		*blank = 0;
		*anchor = *n == 'N' ? digit : *n == 'M' ? 0 : !digit;
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/*
 * An escape after the backslash at x->i.  Sets *cp to the character it
 * stands for, or returns a kind: 'c' a character, 'b' blanks only (\h \v
 * \s \R), 'x' some class that may match other characters, 'z' zero width.
 * Marks the reading bad for what it does not follow.
 */
static int
escape(struct rr *x, int in_class, uint32_t *cp)
{
	char c;

	if (x->i + 1 >= x->n) {
		x->bad = 1;
		return 'z';
	}
	c = x->s[x->i + 1];
	x->i += 2;
	switch (c) {
	case 't': *cp = 9; return 'c';
	case 'n': *cp = 10; return 'c';
	case 'r': *cp = 13; return 'c';
	case 'f': *cp = 12; return 'c';
	case 'e': *cp = 27; return 'c';
	case 'a': *cp = 7; return 'c';
	case 'x': {
		uint32_t v = 0;
		int k = 0;

		if (x->i < x->n && x->s[x->i] == '{') {
			x->i++;
			while (x->i < x->n && hexval(x->s[x->i]) >= 0 && k < 8) {
				v = v * 16 + (uint32_t)hexval(x->s[x->i++]);
				k++;
			}
			if (x->i >= x->n || x->s[x->i] != '}' || k == 0) {
				x->bad = 1;
				return 'z';
			}
			x->i++;
		} else
			while (x->i < x->n && hexval(x->s[x->i]) >= 0 && k < 2) {
				v = v * 16 + (uint32_t)hexval(x->s[x->i++]);
				k++;
			}
		*cp = v;
		return 'c';
	}
	case 'p': case 'P':
		if (x->i < x->n && x->s[x->i] == '{') {
			const char *e = memchr(x->s + x->i, '}', x->n - x->i);

			if (e == NULL) {
				x->bad = 1;
				return 'z';
			}
			x->i = (size_t)(e - x->s) + 1;
		} else if (x->i < x->n)
			x->i++;
		return 'x';
	case 'd': case 'D': case 'w': case 'W': case 'S': case 'H': case 'V':
	case 'N':
		if (c == 'N' && x->i < x->n && x->s[x->i] == '{') {
			x->bad = 1;
			return 'z';
		}
		return 'x';
	case 's': case 'h': case 'v':
		return 'b';
	case 'R':
		if (in_class) {
			x->bad = 1;
			return 'z';
		}
		return 'b';
	case 'b':
		if (in_class) {
			*cp = 8;
			return 'c';
		}
		return 'z';
	case 'B': case 'A': case 'Z': case 'z': case 'G':
		if (in_class)
			x->bad = 1;
		return 'z';
	}
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (unsigned char)c >= 0x80) {
		/* Backreferences, \K, \Q, \c, octal, …: not followed. */
		x->bad = 1;
		return 'z';
	}
	*cp = (unsigned char)c;
	return 'c';
}

static uint32_t
literal(struct rr *x)
{
	uint32_t cp;
	size_t k = tyst_utf8_decode(x->s + x->i, x->n - x->i, &cp);

	x->i += k ? k : 1;
	return cp;
}

/* A class [...] starting at x->i. */
static struct val
rr_class(struct rr *x)
{
	int neg = 0, first = 1, blank_only = 1, anchor_only = 1;
	int may_blank = 0, may_anchor = 0;

	x->i++;
	if (x->i < x->n && x->s[x->i] == '^') {
		neg = 1;
		x->i++;
	}
	for (;;) {
		uint32_t lo, hi;
		int kind;

		if (x->i >= x->n) {
			x->bad = 1;
			return v_zero();
		}
		if (x->s[x->i] == ']' && !first) {
			x->i++;
			break;
		}
		first = 0;
		if (x->s[x->i] == '[' && x->i + 1 < x->n &&
		    (x->s[x->i + 1] == ':' || x->s[x->i + 1] == '.' ||
		    x->s[x->i + 1] == '=')) {
			const char *e = strstr(x->s + x->i + 2, ":]");

			if (x->s[x->i + 1] != ':' || e == NULL) {
				x->bad = 1;
				return v_zero();
			}
			x->i = (size_t)(e - x->s) + 2;
			blank_only = anchor_only = 0;
			may_blank = may_anchor = 1;
			continue;
		}
		if (x->s[x->i] == '\\') {
			size_t start = x->i;

			kind = escape(x, 1, &lo);
			if (x->bad)
				return v_zero();
			if (kind == 'b') {
				anchor_only = 0;
				may_blank = 1;
				continue;
			}
			if (kind != 'c') {
				int b, a;

				escape_class(x, start, &b, &a);
				may_blank |= b;
				may_anchor |= a;
				blank_only = anchor_only = 0;
				continue;
			}
		} else
			lo = literal(x);
		hi = lo;
		if (x->i + 1 < x->n && x->s[x->i] == '-' &&
		    x->s[x->i + 1] != ']') {
			x->i++;
			if (x->s[x->i] == '\\') {
				kind = escape(x, 1, &hi);
				if (x->bad || kind != 'c') {
					x->bad = 1;
					return v_zero();
				}
			} else
				hi = literal(x);
		}
		for (uint32_t c = lo; c <= hi && c - lo < 64; c++) {
			if (!tyst_cp_hv(c))
				blank_only = 0;
			if (!is_anchor(x, c))
				anchor_only = 0;
		}
		if (hi - lo >= 64)
			blank_only = anchor_only = 0;
		may_blank |= blank_in(lo, hi);
		may_anchor |= anchor_in(x, lo, hi);
	}
	if (neg)
		return v_class(0, 0, 1, 1);
	return v_class(blank_only, anchor_only && !blank_only, may_blank,
	    may_anchor);
}

/* A group after its '(' at x->i; the ')' is taken too. */
static struct val
rr_group(struct rr *x)
{
	struct val v;
	int zero = 0;

	x->i++;
	if (x->i < x->n && x->s[x->i] == '*') {
		x->bad = 1;             /* (*VERB) */
		return v_zero();
	}
	if (x->i < x->n && x->s[x->i] == '?') {
		const char *r = x->s + x->i + 1;
		size_t left = x->n - x->i - 1;

		if (left >= 1 && r[0] == '#') {
			const char *e = memchr(r, ')', left);

			if (e == NULL) {
				x->bad = 1;
				return v_zero();
			}
			x->i = (size_t)(e - x->s) + 1;
			return v_zero();
		}
		if (left >= 1 && (r[0] == ':' || r[0] == '>' || r[0] == '|'))
			x->i += 2;
		else if (left >= 1 && (r[0] == '=' || r[0] == '!')) {
			x->i += 2;
			zero = 1;
		} else if (left >= 2 && r[0] == '<' &&
		    (r[1] == '=' || r[1] == '!')) {
			x->i += 3;
			zero = 1;
		} else if ((left >= 1 && (r[0] == '<' || r[0] == '\'')) ||
		    (left >= 2 && r[0] == 'P' && r[1] == '<')) {
			char close = r[0] == '\'' ? '\'' : '>';
			const char *e = memchr(r, close, left);

			if (e == NULL) {
				x->bad = 1;
				return v_zero();
			}
			x->i = (size_t)(e - x->s) + 1;
		} else {
			/* Options: (?i) or (?i:...); (?x) changes the syntax. */
			size_t k = 0;

			while (k < left && strchr("imnsJU-^", r[k]) != NULL &&
			    r[k] != '\0')
				k++;
			if (k == left || (r[k] != ')' && r[k] != ':')) {
				x->bad = 1;
				return v_zero();
			}
			x->i += 1 + k + 1;
			if (r[k] == ')')
				return v_zero();
		}
	}
	v = rr_alt(x);
	if (x->bad || x->i >= x->n || x->s[x->i] != ')') {
		x->bad = 1;
		return v_zero();
	}
	x->i++;
	return zero ? v_zero() : v;
}

static int
number(struct rr *x, long *out)
{
	long v = 0;
	size_t start = x->i;

	while (x->i < x->n && x->s[x->i] >= '0' && x->s[x->i] <= '9' &&
	    v < 100000)
		v = v * 10 + (x->s[x->i++] - '0');
	*out = v;
	return x->i > start;
}

/* A quantifier at x->i, if any: *m and *n (INF for none). */
static int
quantifier(struct rr *x, long *m, long *n)
{
	char c;

	if (x->i >= x->n)
		return 0;
	c = x->s[x->i];
	if (c == '*' || c == '+' || c == '?') {
		*m = c == '+' ? 1 : 0;
		*n = c == '?' ? 1 : INF;
		x->i++;
	} else if (c == '{') {
		x->i++;
		if (!number(x, m)) {
			x->bad = 1;     /* a literal '{' or {,n}: not followed */
			return 0;
		}
		*n = *m;
		if (x->i < x->n && x->s[x->i] == ',') {
			x->i++;
			if (!number(x, n))
				*n = INF;
		}
		if (x->i >= x->n || x->s[x->i] != '}' || *n < *m) {
			x->bad = 1;
			return 0;
		}
		x->i++;
	} else
		return 0;
	if (x->i < x->n && (x->s[x->i] == '?' || x->s[x->i] == '+'))
		x->i++;
	return 1;
}

static struct val
repeat(struct val v, long m, long n)
{
	struct val r;

	if (n == 0)
		return v_zero();
	r.nul = m == 0 || v.nul;
	r.nbf = v.nbf;
	r.last = v.last;
	r.ok = v.ok && (n <= 1 || !v.last || v.nbf);
	r.must = v.must && m >= 1;
	r.len = mul(n, v.len);
	r.cnt = mul(m, v.cnt);
	if (r.must)
		r.pre = v.pre;
	else    /* n >= 1: n == 0 returned above */
		r.pre = add(mul(n >= INF ? INF : n - 1, v.len), v.pre);
	return r;
}

static struct val
rr_atom(struct rr *x)
{
	char c = x->s[x->i];
	uint32_t cp;

	switch (c) {
	case '(':
		return rr_group(x);
	case '[':
		return rr_class(x);
	case '.':
		x->i++;
		return v_class(0, 0, 1, 1);
	case '^': case '$':
		x->i++;
		return v_zero();
	case '\\': {
		size_t start = x->i;
		int kind = escape(x, 0, &cp), b, a;

		if (kind == 'c')
			return v_char(tyst_cp_hv(cp), is_anchor(x, cp));
		if (kind == 'b')
			return v_char(1, 0);
		if (kind == 'x') {
			escape_class(x, start, &b, &a);
			return v_class(0, 0, b, a);
		}
		return v_zero();
	}
	case '*': case '+': case '?': case '{': case ')': case '|':
		x->bad = 1;
		return v_zero();
	}
	cp = literal(x);
	return v_char(tyst_cp_hv(cp), is_anchor(x, cp));
}

static struct val
rr_seq(struct rr *x)
{
	struct val acc = v_zero();

	while (x->i < x->n && !x->bad && x->s[x->i] != '|' &&
	    x->s[x->i] != ')') {
		struct val v = rr_atom(x);
		long m, n;

		if (x->bad)
			break;
		if (quantifier(x, &m, &n))
			v = repeat(v, m, n);
		acc.ok = acc.ok && v.ok && (!acc.last || v.nbf);
		acc.last = v.last || (v.nul && acc.last);
		acc.nbf = acc.nbf && (!acc.nul || v.nbf);
		acc.nul = acc.nul && v.nul;
		acc.cnt = add(acc.cnt, v.cnt);
		if (acc.must)
			acc.len = add(acc.len, v.len);
		else {
			acc.pre = add(acc.len, v.pre);
			acc.len = add(acc.len, v.len);
			acc.must = v.must;
		}
	}
	return acc;
}

static struct val
rr_alt(struct rr *x)
{
	struct val acc = rr_seq(x);

	while (!x->bad && x->i < x->n && x->s[x->i] == '|') {
		struct val v;

		x->i++;
		v = rr_seq(x);
		if (v.len > acc.len)
			acc.len = v.len;
		if (v.pre > acc.pre)
			acc.pre = v.pre;
		acc.must = acc.must && v.must;
		if (v.cnt < acc.cnt)
			acc.cnt = v.cnt;
		acc.nul = acc.nul || v.nul;
		acc.nbf = acc.nbf && v.nbf;
		acc.last = acc.last || v.last;
		acc.ok = acc.ok && v.ok;
	}
	return acc;
}

int
tyst_rx_bounds(const char *re, int anchor, struct tyst_rx_bounds *b)
{
	struct rr x;
	struct val v;

	b->reach = b->len = -1;
	b->anchors = 0;
	b->solid_after = 0;
	if (anchor != TYST_ANCHOR_DIGIT && (anchor <= 0 || anchor >= 0x80 ||
	    (anchor >= '0' && anchor <= '9') ||
	    ((anchor | 0x20) >= 'a' && (anchor | 0x20) <= 'z') ||
	    tyst_cp_hv((uint32_t)anchor)))
		return -1;
	memset(&x, 0, sizeof(x));
	x.s = re;
	x.n = strlen(re);
	x.anchor = anchor;
	v = rr_alt(&x);
	if (x.bad || x.i != x.n || !v.must || v.pre >= INF)
		return -1;
	b->reach = v.pre;
	b->len = v.len < INF ? v.len : -1;
	b->anchors = v.cnt < INF ? v.cnt : 1;
	b->solid_after = v.ok && !v.last;
	return 0;
}

long
tyst_rx_reach(const char *re, int anchor)
{
	struct tyst_rx_bounds b;

	return tyst_rx_bounds(re, anchor, &b) < 0 ? -1 : b.reach;
}
