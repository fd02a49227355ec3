/*
 * rxsum — see include/tyst/rxsum.h.
 *
 * The source is read once into a tree of nodes (a sequence, an
 * alternation, a repeat, a group, a character, a class …) that keeps what
 * each summary needs of the syntax: a character's code point and the bytes
 * it was written with, an escape's letter.  The three summaries are then
 * folds over the tree, each with its own idea of what it can follow: the
 * literals take \K as matching nothing (the line still holds the literal),
 * the bounds do not.  Anything the reader itself does not follow (a
 * conditional, extended syntax, a class not closed) leaves the whole
 * summary empty.
 */
#include "tyst/rxsum.h"

#include <stdlib.h>
#include <string.h>

#include "tyst/lexicon.h"
#include "tyst/text.h"

#define INF (1L << 40)

/* ---- the tree ------------------------------------------------------------ */

enum kind {
	K_EMPTY,        /* matches the empty string: ^ $ \b (?#...) (?i) */
	K_CHAR,         /* one character */
	K_RANGE,        /* in a class: cp-hi */
	K_ANY,          /* . */
	K_ESC,          /* a class escape: \d \w \s \h \v \R \p{..} \S … */
	K_POSIX,        /* in a class: [:alpha:] */
	K_CLASS,        /* [...]: its items are its kids */
	K_SEQ,
	K_ALT,          /* kids: K_SEQ each */
	K_GROUP,        /* (...), (?:...), (?<n>...), (?i:...) */
	K_LOOK,         /* a lookaround: matches the empty string */
	K_REPEAT,       /* its kid repeated min to max (INF) times */
	K_QUOTE,        /* \Q…\E: the bytes at..at+len */
	K_KEEP,         /* \K */
	K_VERB,         /* (*...) */
	K_OPAQUE        /* a backreference, a recursion, an odd escape */
};

struct node {
	enum kind kind;
	uint32_t cp, hi;        /* K_CHAR: the character; K_RANGE: cp-hi */
	char esc;               /* K_CHAR: the character after '\' when
	                         * escaped, else 0; K_ESC: its letter */
	int brace;              /* K_CHAR: a '{' that opens no quantifier */
	int neg;                /* K_CLASS: [^...] */
	size_t at, len;         /* the source bytes of a K_CHAR as written,
	                         * of K_QUOTE's text; K_ESC: at its '\' */
	long min, max;          /* K_REPEAT */
	int kid, next;          /* first kid, next sibling; -1 for none */
};

struct rd {
	const char *s;
	size_t i, n;
	struct node *v;
	int nv, cap;
	int bad;
};

static int p_alt(struct rd *x);

static int
node_add(struct rd *x, enum kind k)
{
	struct node *nd;

	if (x->nv == x->cap) {
		int nc = x->cap ? x->cap * 2 : 32;
		struct node *nv = realloc(x->v, (size_t)nc * sizeof(*nv));

		if (nv == NULL) {
			x->bad = -1;
			return -1;
		}
		x->v = nv;
		x->cap = nc;
	}
	nd = &x->v[x->nv];
	memset(nd, 0, sizeof(*nd));
	nd->kind = k;
	nd->kid = nd->next = -1;
	nd->at = x->i;
	return x->nv++;
}

/* Appends kid k to node p; *last is p's last kid so far (-1: none). */
static void
adopt(struct rd *x, int p, int *last, int k)
{
	if (*last < 0)
		x->v[p].kid = k;
	else
		x->v[*last].next = k;
	*last = k;
}

static void
fail(struct rd *x)
{
	if (x->bad == 0)
		x->bad = 1;
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

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* A literal character at x->i. */
static int
p_char(struct rd *x)
{
	int k = node_add(x, K_CHAR);
	size_t len;

	if (k < 0)
		return -1;
	len = tyst_utf8_decode(x->s + x->i, x->n - x->i, &x->v[k].cp);
	x->i += len ? len : 1;
	x->v[k].len = x->i - x->v[k].at;
	return k;
}

static int
esc_char(struct rd *x, int k, char c, uint32_t cp)
{
	x->v[k].kind = K_CHAR;
	x->v[k].esc = c;
	x->v[k].cp = cp;
	return k;
}

/* \x41 or \x{41}. */
static int
p_hex(struct rd *x, int k)
{
	uint32_t v = 0;
	int d = 0;

	if (x->i < x->n && x->s[x->i] == '{') {
		x->i++;
		while (x->i < x->n && hexval(x->s[x->i]) >= 0 && d < 8) {
			v = v * 16 + (uint32_t)hexval(x->s[x->i++]);
			d++;
		}
		if (x->i >= x->n || x->s[x->i] != '}' || d == 0) {
			fail(x);
			return k;
		}
		x->i++;
	} else
		while (x->i < x->n && hexval(x->s[x->i]) >= 0 && d < 2) {
			v = v * 16 + (uint32_t)hexval(x->s[x->i++]);
			d++;
		}
	return esc_char(x, k, 'x', v);
}

/* \Q…\E (outside a class). */
static int
p_quote(struct rd *x, int k)
{
	const char *q = strstr(x->s + x->i, "\\E");
	size_t end = q != NULL ? (size_t)(q - x->s) : x->n;

	x->v[k].kind = K_QUOTE;
	x->v[k].at = x->i;
	x->v[k].len = end - x->i;
	x->i = q != NULL ? end + 2 : x->n;
	return k;
}

/* An escape at the backslash x->i. */
static int
p_escape(struct rd *x, int in_class)
{
	int k = node_add(x, K_ESC);
	char c;

	if (k < 0)
		return -1;
	if (x->i + 1 >= x->n) {
		fail(x);
		return k;
	}
	c = x->s[x->i + 1];
	x->i += 2;
	x->v[k].esc = c;
	switch (c) {
	case 't': return esc_char(x, k, c, 9);
	case 'n': return esc_char(x, k, c, 10);
	case 'r': return esc_char(x, k, c, 13);
	case 'f': return esc_char(x, k, c, 12);
	case 'e': return esc_char(x, k, c, 27);
	case 'a': return esc_char(x, k, c, 7);
	case 'x': return p_hex(x, k);
	case 'p': case 'P':
		if (x->i < x->n && x->s[x->i] == '{') {
			const char *e = memchr(x->s + x->i, '}', x->n - x->i);

			if (e == NULL) {
				fail(x);
				return k;
			}
			x->i = (size_t)(e - x->s) + 1;
		} else if (x->i < x->n)
			x->i++;
		return k;
	case 'N':
		if (x->i < x->n && x->s[x->i] == '{')
			fail(x);
		return k;
	case 'd': case 'D': case 'w': case 'W': case 'S': case 'H': case 'V':
	case 's': case 'h': case 'v':
		return k;
	case 'R':
		if (in_class)
			fail(x);
		return k;
	case 'b':
		if (in_class)
			return esc_char(x, k, c, 8);
		x->v[k].kind = K_EMPTY;
		return k;
	case 'B': case 'A': case 'Z': case 'z': case 'G':
		if (in_class)
			fail(x);
		x->v[k].kind = K_EMPTY;
		return k;
	case 'K':
		if (in_class)
			fail(x);
		x->v[k].kind = K_KEEP;
		return k;
	case 'Q':
		if (in_class) {
			fail(x);
			return k;
		}
		return p_quote(x, k);
	}
	if (is_alnum(c) || (unsigned char)c >= 0x80) {
		/* Backreferences, \c, octal, \g, \k, …: not followed. */
		x->v[k].kind = K_OPAQUE;
		return k;
	}
	return esc_char(x, k, c, (unsigned char)c);
}

/* A class [...] at x->i. */
static int
p_class(struct rd *x)
{
	int k = node_add(x, K_CLASS), last = -1, first = 1;

	if (k < 0)
		return -1;
	x->i++;
	if (x->i < x->n && x->s[x->i] == '^') {
		x->v[k].neg = 1;
		x->i++;
	}
	for (;;) {
		int it;

		if (x->bad)
			return k;
		if (x->i >= x->n) {
			fail(x);
			return k;
		}
		if (x->s[x->i] == ']' && !first) {
			x->i++;
			return k;
		}
		first = 0;
		if (x->s[x->i] == '[' && x->i + 1 < x->n &&
		    (x->s[x->i + 1] == ':' || x->s[x->i + 1] == '.' ||
		    x->s[x->i + 1] == '=')) {
			const char *e = strstr(x->s + x->i + 2, ":]");

			if (x->s[x->i + 1] != ':' || e == NULL) {
				fail(x);
				return k;
			}
			if ((it = node_add(x, K_POSIX)) < 0)
				return -1;
			x->i = (size_t)(e - x->s) + 2;
			adopt(x, k, &last, it);
			continue;
		}
		it = x->s[x->i] == '\\' ? p_escape(x, 1) : p_char(x);
		if (it < 0)
			return -1;
		adopt(x, k, &last, it);
		if (x->bad || x->v[it].kind != K_CHAR || x->i + 1 >= x->n ||
		    x->s[x->i] != '-' || x->s[x->i + 1] == ']')
			continue;
		/* A range: its end must be a character too. */
		{
			int hi;

			x->i++;
			hi = x->s[x->i] == '\\' ? p_escape(x, 1) : p_char(x);
			if (hi < 0)
				return -1;
			if (x->bad || x->v[hi].kind != K_CHAR ||
			    x->v[hi].cp < x->v[it].cp) {
				fail(x);
				return k;
			}
			x->v[it].kind = K_RANGE;
			x->v[it].hi = x->v[hi].cp;
			x->nv--;        /* hi was the last node made */
		}
	}
}

/* A group after its '(' at x->i; the ')' is taken too. */
static int
p_group(struct rd *x)
{
	int k = node_add(x, K_GROUP), body;
	const char *r;
	size_t left;

	if (k < 0)
		return -1;
	x->i++;
	r = x->s + x->i;
	left = x->n - x->i;
	if (left >= 1 && (r[0] == '*' || (r[0] == '?' && left >= 2 &&
	    r[1] == '#'))) {
		const char *e = memchr(r, ')', left);

		if (e == NULL) {
			fail(x);
			return k;
		}
		x->v[k].kind = r[0] == '*' ? K_VERB : K_EMPTY;
		x->i = (size_t)(e - x->s) + 1;
		return k;
	}
	if (left >= 1 && r[0] == '?') {
		r++;
		left--;
		if (left >= 1 && (r[0] == ':' || r[0] == '>' || r[0] == '|'))
			x->i += 2;
		else if (left >= 1 && (r[0] == '=' || r[0] == '!')) {
			x->i += 2;
			x->v[k].kind = K_LOOK;
		} else if (left >= 2 && r[0] == '<' &&
		    (r[1] == '=' || r[1] == '!')) {
			x->i += 3;
			x->v[k].kind = K_LOOK;
		} else if ((left >= 1 && (r[0] == '<' || r[0] == '\'')) ||
		    (left >= 2 && r[0] == 'P' && r[1] == '<')) {
			char close = r[0] == '\'' ? '\'' : '>';
			const char *e = memchr(r + 1, close, left - 1);

			if (e == NULL) {
				fail(x);
				return k;
			}
			x->i = (size_t)(e - x->s) + 1;
		} else if (left >= 1 && strchr("imnsxJU-^", r[0]) != NULL &&
		    r[0] != '\0') {
			/* Options: (?i) or (?i:...); 'x' changes the syntax. */
			size_t j = 0;

			while (j < left && r[j] != '\0' &&
			    strchr("imnsxJU-^", r[j]) != NULL) {
				if (r[j] == 'x')
					fail(x);
				j++;
			}
			if (j == left || (r[j] != ')' && r[j] != ':'))
				fail(x);
			if (x->bad)
				return k;
			x->i += 1 + j + 1;
			if (r[j] == ')') {
				x->v[k].kind = K_EMPTY;
				return k;
			}
		} else if (left >= 1 && r[0] != '(') {
			/* (?R), (?1), (?&n), (?P=n), (?P>n), (?C): opaque. */
			const char *e = memchr(r, ')', left);

			if (e == NULL) {
				fail(x);
				return k;
			}
			x->v[k].kind = K_OPAQUE;
			x->i = (size_t)(e - x->s) + 1;
			return k;
		} else {
			fail(x);        /* a conditional */
			return k;
		}
	}
	if ((body = p_alt(x)) < 0)
		return -1;
	x->v[k].kid = body;
	if (x->bad || x->i >= x->n || x->s[x->i] != ')') {
		fail(x);
		return k;
	}
	x->i++;
	return k;
}

static int
number(const struct rd *x, size_t *j, long *out)
{
	long v = 0;
	size_t start = *j;

	while (*j < x->n && x->s[*j] >= '0' && x->s[*j] <= '9' && v < 100000)
		v = v * 10 + (x->s[(*j)++] - '0');
	*out = v;
	return *j > start;
}

/* Whether a quantifier {m}, {m,} or {m,n} starts at x->s[i]; its bounds
 * and its end. */
static int
brace_quant(const struct rd *x, size_t i, long *m, long *n, size_t *end)
{
	size_t j = i + 1;

	if (!number(x, &j, m))
		return 0;
	*n = *m;
	if (j < x->n && x->s[j] == ',') {
		j++;
		if (!number(x, &j, n))
			*n = INF;
	}
	if (j >= x->n || x->s[j] != '}')
		return 0;
	*end = j + 1;
	return 1;
}

/* A quantifier at x->i, if any: *m and *n (INF for none). */
static int
p_quant(struct rd *x, long *m, long *n)
{
	char c;
	size_t end;

	if (x->i >= x->n)
		return 0;
	c = x->s[x->i];
	if (c == '*' || c == '+' || c == '?') {
		*m = c == '+' ? 1 : 0;
		*n = c == '?' ? 1 : INF;
		x->i++;
	} else if (c == '{' && brace_quant(x, x->i, m, n, &end)) {
		if (*n < *m) {
			fail(x);
			return 0;
		}
		x->i = end;
	} else
		return 0;
	if (x->i < x->n && (x->s[x->i] == '?' || x->s[x->i] == '+'))
		x->i++;
	return 1;
}

static int
p_atom(struct rd *x)
{
	char c = x->s[x->i];
	long m, n;
	size_t end;
	int k;

	switch (c) {
	case '(':
		return p_group(x);
	case '[':
		return p_class(x);
	case '\\':
		return p_escape(x, 0);
	case '.': case '^': case '$':
		k = node_add(x, c == '.' ? K_ANY : K_EMPTY);
		x->i++;
		return k;
	case '*': case '+': case '?':
		fail(x);
		return node_add(x, K_EMPTY);
	case '{':
		if (brace_quant(x, x->i, &m, &n, &end)) {
			fail(x);
			return node_add(x, K_EMPTY);
		}
		if ((k = p_char(x)) >= 0)
			x->v[k].brace = 1;
		return k;
	}
	return p_char(x);
}

static int
p_seq(struct rd *x)
{
	int k = node_add(x, K_SEQ), last = -1;

	if (k < 0)
		return -1;
	while (x->i < x->n && !x->bad && x->s[x->i] != '|' &&
	    x->s[x->i] != ')') {
		int a = p_atom(x);
		long m, n;

		if (a < 0)
			return -1;
		if (!x->bad && p_quant(x, &m, &n)) {
			int r = node_add(x, K_REPEAT);

			if (r < 0)
				return -1;
			x->v[r].kid = a;
			x->v[r].min = m;
			x->v[r].max = n;
			a = r;
		}
		adopt(x, k, &last, a);
	}
	return k;
}

static int
p_alt(struct rd *x)
{
	int k = node_add(x, K_ALT), last = -1;

	if (k < 0)
		return -1;
	for (;;) {
		int s = p_seq(x);

		if (s < 0)
			return -1;
		adopt(x, k, &last, s);
		if (x->bad || x->i >= x->n || x->s[x->i] != '|')
			return k;
		x->i++;
	}
}

/* Reads re into x: the root node, or -1 when the reading failed (x->bad
 * is -1 when out of memory). */
static int
parse(struct rd *x, const char *re)
{
	int root;

	memset(x, 0, sizeof(*x));
	x->s = re;
	x->n = strlen(re);
	root = p_alt(x);
	if (root < 0 || x->bad || x->i != x->n)
		return -1;
	return root;
}

/* ---- needs: a digit, an '@' ---------------------------------------------
 *
 * A sequence needs what any of its parts needs, an alternation what all
 * its branches need, an optional part and an assertion need nothing.
 */

static unsigned
need_cp(uint32_t cp)
{
	if (cp >= '0' && cp <= '9')
		return TYST_RX_DIGIT;
	return cp == '@' ? TYST_RX_AT : 0;
}

static unsigned
need_class(const struct rd *x, const struct node *c)
{
	unsigned r = TYST_RX_DIGIT | TYST_RX_AT;

	if (c->neg)
		return 0;
	for (int i = c->kid; i >= 0; i = x->v[i].next) {
		const struct node *it = &x->v[i];

		if (it->kind == K_CHAR)
			r &= need_cp(it->cp);
		else if (it->kind == K_RANGE)
			r &= it->cp >= '0' && it->hi <= '9' ? TYST_RX_DIGIT : 0;
		else
			r = 0;
	}
	return r;
}

static unsigned
needs(const struct rd *x, int k)
{
	const struct node *nd = &x->v[k];
	unsigned r = 0;

	switch (nd->kind) {
	case K_CHAR:
		return need_cp(nd->cp);
	case K_QUOTE:
		for (size_t i = 0; i < nd->len; i++)
			r |= need_cp((unsigned char)x->s[nd->at + i]);
		return r;
	case K_CLASS:
		return need_class(x, nd);
	case K_GROUP:
		return needs(x, nd->kid);
	case K_REPEAT:
		return nd->min > 0 ? needs(x, nd->kid) : 0;
	case K_SEQ:
		for (int i = nd->kid; i >= 0; i = x->v[i].next)
			r |= needs(x, i);
		return r;
	case K_ALT:
		r = TYST_RX_DIGIT | TYST_RX_AT;
		for (int i = nd->kid; i >= 0; i = x->v[i].next)
			r &= needs(x, i);
		return r;
	default:
		return 0;
	}
}

/* ---- literals ------------------------------------------------------------
 *
 * Each piece of the regex is summed up by four sets of strings:
 *   exact  every string the piece can match (when that is a short list),
 *   pre    strings every match starts with,
 *   suf    strings every match ends with,
 *   need   strings every match contains one of.
 * A set that is unknown ("ok" 0) promises nothing.  Sequences join the
 * exact runs of their parts ("\.(?:se|com)" gives ".se", ".com"), an
 * alternation unites its branches, an optional part promises nothing, and
 * assertions match the empty string.
 */

struct lset {
	int ok;
	size_t n;
	char s[TYST_RXLIT_MAX][TYST_RXLIT_LEN];
};

struct lits {
	struct lset exact, pre, suf, need;
};

static void
set_none(struct lset *l)
{
	l->ok = 0;
	l->n = 0;
}

static void
set_empty_string(struct lset *l)
{
	l->ok = 1;
	l->n = 1;
	l->s[0][0] = '\0';
}

static int
set_has(const struct lset *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->s[i], s) == 0)
			return 1;
	return 0;
}

static void
set_add(struct lset *l, const char *s)
{
	if (!l->ok || set_has(l, s))
		return;
	if (l->n == TYST_RXLIT_MAX || strlen(s) >= TYST_RXLIT_LEN) {
		set_none(l);
		return;
	}
	strcpy(l->s[l->n++], s);
}

static void
set_union(struct lset *a, const struct lset *b)
{
	if (!a->ok || !b->ok) {
		set_none(a);
		return;
	}
	for (size_t i = 0; i < b->n && a->ok; i++)
		set_add(a, b->s[i]);
}

/* a := a × b; unknown when it grows past the limits. */
static void
set_cat(struct lset *a, const struct lset *b)
{
	struct lset r;

	if (!a->ok || !b->ok || a->n * b->n > TYST_RXLIT_MAX) {
		set_none(a);
		return;
	}
	r.ok = 1;
	r.n = 0;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			char buf[TYST_RXLIT_LEN * 2];

			if (strlen(a->s[i]) + strlen(b->s[j]) >= TYST_RXLIT_LEN) {
				set_none(a);
				return;
			}
			strcpy(buf, a->s[i]);
			strcat(buf, b->s[j]);
			set_add(&r, buf);
			if (!r.ok) {
				set_none(a);
				return;
			}
		}
	*a = r;
}

/* The shortest string's length, or -1 for an unknown or empty set. */
static long
score(const struct lset *l)
{
	long m = -1;

	if (!l->ok || l->n == 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		long len = (long)strlen(l->s[i]);

		if (m < 0 || len < m)
			m = len;
	}
	return m;
}

/* Keeps in best the more selective of best and cand. */
static void
pick(struct lset *best, const struct lset *cand)
{
	long a = score(best), b = score(cand);

	if (b > a || (b == a && b >= 0 && cand->n < best->n))
		*best = *cand;
}

static struct lits *
lits_unknown(void)
{
	return calloc(1, sizeof(struct lits));  /* every set unknown */
}

static struct lits *
lits_exact(const struct lset *e)
{
	struct lits *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->exact = *e;
	n->pre = *e;
	n->suf = *e;
	n->need = *e;
	return n;
}

static struct lits *
lits_empty(void)
{
	struct lset e;

	set_empty_string(&e);
	return lits_exact(&e);
}

/* One character c[0..len) as a lower-case literal. */
static struct lits *
lits_char(const char *c, size_t len)
{
	struct lset e;
	char buf[16];
	size_t n = tyst_lower(c, len, buf, sizeof(buf) - 1);

	if (n == 0)
		return lits_unknown();
	buf[n] = '\0';
	e.ok = 1;
	e.n = 0;
	set_add(&e, buf);
	return lits_exact(&e);
}

/* A character as written: itself, or an escaped sign (\. \- \@). */
static struct lits *
lits_of_char(const struct rd *x, const struct node *nd)
{
	if (nd->esc == 0)
		return lits_char(x->s + nd->at, nd->len);
	if (is_alnum(nd->esc))
		return lits_unknown();  /* \t, \x41: not followed */
	return lits_char(&nd->esc, 1);
}

/* [...]: exact when it lists a few single characters and nothing else. */
static struct lits *
lits_class(const struct rd *x, const struct node *c)
{
	struct lset e;

	e.ok = 1;
	e.n = 0;
	if (c->neg)
		return lits_unknown();
	for (int i = c->kid; i >= 0; i = x->v[i].next) {
		const struct node *it = &x->v[i];
		const char *p = it->esc ? &it->esc : x->s + it->at;
		size_t len = it->esc ? 1 : it->len, n;
		char buf[16];

		if (it->kind != K_CHAR || is_alnum(it->esc))
			return lits_unknown();
		n = tyst_lower(p, len, buf, sizeof(buf) - 1);
		if (n == 0)
			return lits_unknown();
		buf[n] = '\0';
		set_add(&e, buf);
		if (!e.ok)
			return lits_unknown();
	}
	if (e.n == 0 || e.n > 8)
		return lits_unknown();
	return lits_exact(&e);
}

/* Applies a quantifier to an atom's summary, in place. */
static void
quantify(struct lits *a, long min, long max)
{
	if (min == 1 && max == 1)
		return;
	if (min == 0) {
		if (max == 1 && a->exact.ok) {
			struct lset e;

			set_empty_string(&e);
			set_union(&a->exact, &e);
			a->pre = a->suf = a->exact;
		} else {
			set_none(&a->exact);
			set_none(&a->pre);
			set_none(&a->suf);
		}
		set_none(&a->need);
		return;
	}
	/* Repeated at least once: starts, ends and contains as one does. */
	set_none(&a->exact);
}

static struct lits *lits_of(const struct rd *x, int k);

static struct lits *
lits_seq(const struct rd *x, const struct node *nd)
{
	struct lits *r = calloc(1, sizeof(*r));
	struct lset run;        /* the exact run so far, as its ends */
	int leading = 1;        /* every part so far was exact */

	if (r == NULL)
		return NULL;
	set_empty_string(&r->exact);
	set_empty_string(&r->pre);
	set_empty_string(&run);
	for (int i = nd->kid; i >= 0; i = x->v[i].next) {
		struct lits *a = lits_of(x, i);

		if (a == NULL) {
			free(r);
			return NULL;
		}
		pick(&r->need, &a->need);
		if (a->exact.ok) {
			struct lset t = run;

			set_cat(&t, &a->exact);
			if (!t.ok) {
				pick(&r->need, &run);
				t = a->exact;
			}
			run = t;
			set_cat(&r->exact, &a->exact);
			if (leading)
				set_cat(&r->pre, &a->exact);
		} else {
			struct lset t = run;

			set_cat(&t, &a->pre);
			pick(&r->need, t.ok ? &t : &run);
			set_none(&r->exact);
			if (leading) {
				struct lset p = r->pre;

				set_cat(&p, &a->pre);
				if (p.ok)
					r->pre = p;
				leading = 0;
			}
			run = a->suf;
		}
		free(a);
	}
	pick(&r->need, &run);
	r->suf = run;
	return r;
}

static struct lits *
lits_alt(const struct rd *x, const struct node *nd)
{
	struct lits *r = NULL;

	for (int i = nd->kid; i >= 0; i = x->v[i].next) {
		struct lits *b = lits_of(x, i);

		if (b == NULL) {
			free(r);
			return NULL;
		}
		if (r == NULL) {
			r = b;
			continue;
		}
		set_union(&r->exact, &b->exact);
		set_union(&r->pre, &b->pre);
		set_union(&r->suf, &b->suf);
		set_union(&r->need, &b->need);
		free(b);
	}
	return r;
}

/* A node's sets; NULL when out of memory. */
static struct lits *
lits_of(const struct rd *x, int k)
{
	const struct node *nd = &x->v[k];
	struct lits *a;

	switch (nd->kind) {
	case K_CHAR:
		return lits_of_char(x, nd);
	case K_CLASS:
		return lits_class(x, nd);
	case K_GROUP:
		return lits_of(x, nd->kid);
	case K_REPEAT:
		if ((a = lits_of(x, nd->kid)) != NULL)
			quantify(a, nd->min, nd->max);
		return a;
	case K_SEQ:
		return lits_seq(x, nd);
	case K_ALT:
		return lits_alt(x, nd);
	case K_EMPTY: case K_LOOK: case K_KEEP: case K_VERB:
		/* \K and verbs change where a match starts or how it is
		 * found, not the text the line must hold. */
		return lits_empty();
	default:
		return lits_unknown();
	}
}

/* Fills s->lits and s->lit_min; -1 when out of memory. */
static int
sum_lits(const struct rd *x, int root, struct tyst_rxsum *s)
{
	struct lits *r;
	long sc;

	/* "(*UCP" changes what the case of a literal means here. */
	if (strstr(x->s, "(*UCP") != NULL)
		return 0;
	if ((r = lits_of(x, root)) == NULL)
		return -1;
	sc = score(&r->need);
	if (sc > 0) {
		s->lits.n = r->need.n;
		memcpy(s->lits.s, r->need.s, sizeof(s->lits.s));
		s->lit_min = (size_t)sc;
	}
	free(r);
	return 0;
}

/* ---- bounds --------------------------------------------------------------
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

struct val {
	long len, pre;
	int must;
	long cnt;               /* the fewest anchors a match holds */
	int nul, nbf, last, ok;
};

struct bx {
	const struct rd *x;
	int anchor;
	int bad;                /* something the bounds do not follow */
};

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

static int
is_anchor(const struct bx *b, uint32_t cp)
{
	if (b->anchor == TYST_ANCHOR_DIGIT)
		return cp >= '0' && cp <= '9';
	return cp == (uint32_t)b->anchor;
}

static struct val
v_char(const struct bx *b, uint32_t cp)
{
	int blank = tyst_cp_hv(cp), anchor = is_anchor(b, cp);

	return v_class(blank, anchor, blank, anchor);
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
anchor_in(const struct bx *b, uint32_t lo, uint32_t hi)
{
	if (b->anchor == TYST_ANCHOR_DIGIT)
		return lo <= '9' && hi >= '0';
	return lo <= (uint32_t)b->anchor && hi >= (uint32_t)b->anchor;
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

/* Whether an escape (K_ESC) matches white space only: \s \h \v \R. */
static int
esc_blank(const struct node *nd)
{
	return nd->esc == 's' || nd->esc == 'h' || nd->esc == 'v' ||
	    nd->esc == 'R';
}

/*
 * For a class escape (K_ESC, not esc_blank()): whether it might match a
 * blank, or the anchor (an ASCII digit or punctuation).  \p with a
 * general category of letters matches neither, of numbers, marks,
 * punctuation or symbols no blank; anything else (a script, \P, a
 * negation, \S, which takes U+180E that \h matches) might match both.
 */
static void
escape_class(const struct bx *b, const struct node *nd, int *blank,
    int *anchor)
{
	static const char *const letters[] = {
		"L", "Lu", "Ll", "Lt", "Lm", "Lo", "L&", NULL
	};
	static const char *const solid[] = {
		"N", "Nd", "Nl", "No", "M", "Mn", "Mc", "Me", "P", "Pc", "Pd",
		"Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", NULL
	};
	const struct rd *x = b->x;
	const char *n = x->s + nd->at + 2;
	size_t len = 1;
	int digit = b->anchor == TYST_ANCHOR_DIGIT;

	*blank = *anchor = 1;
	switch (nd->esc) {
	case 'd':
		*blank = 0;
		*anchor = digit;
		return;
	case 'D':
		*anchor = !digit;
		return;
	case 'w':
		*blank = 0;
		*anchor = digit || b->anchor == '_';
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

static struct val
b_class(struct bx *b, const struct node *c)
{
	const struct rd *x = b->x;
	int blank_only = 1, anchor_only = 1, may_blank = 0, may_anchor = 0;

	for (int i = c->kid; i >= 0; i = x->v[i].next) {
		const struct node *it = &x->v[i];
		uint32_t lo = it->cp, hi = it->kind == K_RANGE ? it->hi : it->cp;
		int bl, an;

		switch (it->kind) {
		case K_POSIX:
			blank_only = anchor_only = 0;
			may_blank = may_anchor = 1;
			continue;
		case K_ESC:
			if (esc_blank(it)) {
				anchor_only = 0;
				may_blank = 1;
				continue;
			}
			escape_class(b, it, &bl, &an);
			may_blank |= bl;
			may_anchor |= an;
			blank_only = anchor_only = 0;
			continue;
		case K_CHAR: case K_RANGE:
			break;
		default:
			b->bad = 1;
			return v_zero();
		}
		for (uint32_t ch = lo; ch <= hi && ch - lo < 64; ch++) {
			if (!tyst_cp_hv(ch))
				blank_only = 0;
			if (!is_anchor(b, ch))
				anchor_only = 0;
		}
		if (hi - lo >= 64)
			blank_only = anchor_only = 0;
		may_blank |= blank_in(lo, hi);
		may_anchor |= anchor_in(b, lo, hi);
	}
	if (c->neg)
		return v_class(0, 0, 1, 1);
	return v_class(blank_only, anchor_only && !blank_only, may_blank,
	    may_anchor);
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

static struct val b_of(struct bx *b, int k);

static struct val
b_seq(struct bx *b, const struct node *nd)
{
	struct val acc = v_zero();

	for (int i = nd->kid; i >= 0 && !b->bad; i = b->x->v[i].next) {
		struct val v = b_of(b, i);

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
b_alt(struct bx *b, const struct node *nd)
{
	struct val acc = b_of(b, nd->kid);

	for (int i = b->x->v[nd->kid].next; i >= 0 && !b->bad;
	    i = b->x->v[i].next) {
		struct val v = b_of(b, i);

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

static struct val
b_of(struct bx *b, int k)
{
	const struct node *nd = &b->x->v[k];
	struct val v;
	int bl, an;

	switch (nd->kind) {
	case K_CHAR:
		if (nd->brace) {
			b->bad = 1;     /* a literal '{': not followed */
			return v_zero();
		}
		return v_char(b, nd->cp);
	case K_ANY:
		return v_class(0, 0, 1, 1);
	case K_ESC:
		if (esc_blank(nd))
			return v_class(1, 0, 1, 0);
		escape_class(b, nd, &bl, &an);
		return v_class(0, 0, bl, an);
	case K_CLASS:
		return b_class(b, nd);
	case K_EMPTY:
		return v_zero();
	case K_GROUP:
		return b_of(b, nd->kid);
	case K_LOOK:
		/* Read for what it holds that is not followed. */
		b_of(b, nd->kid);
		return v_zero();
	case K_REPEAT:
		v = b_of(b, nd->kid);
		return repeat(v, nd->min, nd->max);
	case K_SEQ:
		return b_seq(b, nd);
	case K_ALT:
		return b_alt(b, nd);
	default:
		b->bad = 1;     /* \K, \Q…\E, verbs, backreferences */
		return v_zero();
	}
}

static int
anchor_valid(int anchor)
{
	if (anchor == TYST_ANCHOR_DIGIT)
		return 1;
	return anchor > 0 && anchor < 0x80 && !(anchor >= '0' &&
	    anchor <= '9') && !((anchor | 0x20) >= 'a' &&
	    (anchor | 0x20) <= 'z') && !tyst_cp_hv((uint32_t)anchor);
}

/* The bounds of the tree at root for anchor: 0, or -1 (b->reach -1). */
static int
sum_bounds(const struct rd *x, int root, int anchor,
    struct tyst_rx_bounds *out)
{
	struct bx b = { x, anchor, 0 };
	struct val v;

	out->reach = out->len = -1;
	out->anchors = 0;
	out->solid_after = 0;
	if (!anchor_valid(anchor))
		return -1;
	v = b_of(&b, root);
	if (b.bad || !v.must || v.pre >= INF)
		return -1;
	out->reach = v.pre;
	out->len = v.len < INF ? v.len : -1;
	out->anchors = v.cnt < INF ? v.cnt : 1;
	out->solid_after = v.ok && !v.last;
	return 0;
}

/* ---- the summary ---------------------------------------------------------- */

int
tyst_rxsum_read(const char *re, struct tyst_rxsum *s)
{
	struct rd x;
	int root, rc = 0;

	memset(s, 0, sizeof(*s));
	for (int c = 0; c < 128; c++)
		s->bounds[c].reach = s->bounds[c].len = -1;
	root = parse(&x, re);
	if (root < 0) {
		free(x.v);
		return x.bad < 0 ? -1 : 0;
	}
	s->needs = needs(&x, root);
	rc = sum_lits(&x, root, s);
	for (int c = 0; c < 128; c++)
		sum_bounds(&x, root, c == 0 ? TYST_ANCHOR_DIGIT : c,
		    &s->bounds[c]);
	free(x.v);
	return rc;
}

const struct tyst_rx_bounds *
tyst_rxsum_bounds(const struct tyst_rxsum *s, int anchor)
{
	const struct tyst_rx_bounds *b;

	if (anchor != TYST_ANCHOR_DIGIT && (anchor <= 0 || anchor >= 128))
		return NULL;
	b = &s->bounds[anchor == TYST_ANCHOR_DIGIT ? 0 : anchor];
	return b->reach < 0 ? NULL : b;
}

int
tyst_rx_bounds(const char *re, int anchor, struct tyst_rx_bounds *b)
{
	struct rd x;
	int root, rc = -1;

	b->reach = b->len = -1;
	b->anchors = 0;
	b->solid_after = 0;
	if (!anchor_valid(anchor))
		return -1;
	if ((root = parse(&x, re)) >= 0)
		rc = sum_bounds(&x, root, anchor, b);
	free(x.v);
	return rc;
}

long
tyst_rx_reach(const char *re, int anchor)
{
	struct tyst_rx_bounds b;

	return tyst_rx_bounds(re, anchor, &b) < 0 ? -1 : b.reach;
}
