/*
 * rxlit — see include/tyst/rxlit.h.
 *
 * Each piece of the regex is summed up by four sets of strings:
 *   exact  every string the piece can match (when that is a short list),
 *   pre    strings every match starts with,
 *   suf    strings every match ends with,
 *   need   strings every match contains one of.
 * A set that is unknown ("ok" 0) promises nothing.  Sequences join the
 * exact runs of their parts ("\.(?:se|com)" gives ".se", ".com"), an
 * alternation unites its branches, an optional part promises nothing, and
 * assertions match the empty string.  Anything not understood is unknown,
 * so the result is never wrong, only sometimes absent.
 */
#include "tyst/rxlit.h"

#include <stdlib.h>
#include <string.h>

#include "tyst/lexicon.h"

struct lset {
	int ok;
	size_t n;
	char s[TYST_RXLIT_MAX][TYST_RXLIT_LEN];
};

struct node {
	struct lset exact, pre, suf, need;
};

struct rd {
	const char *s;
	size_t i, n;
	int bad;
};

static struct node *rd_alt(struct rd *x);

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

static struct node *
node_new(void)
{
	struct node *n = calloc(1, sizeof(*n));

	return n;
}

static struct node *
node_unknown(void)
{
	return node_new();      /* calloc: every set unknown */
}

static struct node *
node_exact(const struct lset *e)
{
	struct node *n = node_new();

	if (n == NULL)
		return NULL;
	n->exact = *e;
	n->pre = *e;
	n->suf = *e;
	n->need = *e;
	return n;
}

static struct node *
node_empty(void)
{
	struct lset e;

	set_empty_string(&e);
	return node_exact(&e);
}

/* One character c[0..len) as a lower-case literal. */
static struct node *
node_char(const char *c, size_t len)
{
	struct lset e;
	char buf[16];
	size_t n = tyst_lower(c, len, buf, sizeof(buf) - 1);

	if (n == 0)
		return node_unknown();
	buf[n] = '\0';
	e.ok = 1;
	e.n = 0;
	set_add(&e, buf);
	return node_exact(&e);
}

static size_t
char_len(const struct rd *x)
{
	size_t k = 1;

	while (x->i + k < x->n && ((unsigned char)x->s[x->i + k] & 0xc0) == 0x80)
		k++;
	return k;
}

/* An escaped character that stands for itself (\. \- \/ \@). */
static int
literal_escape(char e)
{
	return e != '\0' && !((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
	    (e >= '0' && e <= '9'));
}

static void
skip_braces(struct rd *x)
{
	if (x->i < x->n && x->s[x->i] == '{') {
		while (x->i < x->n && x->s[x->i] != '}')
			x->i++;
		x->i++;
	}
}

/* [...]: exact when it lists a few single characters and nothing else. */
static struct node *
rd_class(struct rd *x)
{
	struct lset e;
	int neg = 0, first = 1, simple = 1;

	e.ok = 1;
	e.n = 0;
	x->i++;
	if (x->i < x->n && x->s[x->i] == '^') {
		neg = 1;
		x->i++;
	}
	while (x->i < x->n) {
		char c = x->s[x->i];
		char buf[16];
		size_t k, n;

		if (c == ']' && !first) {
			x->i++;
			if (neg || !simple || e.n == 0 || e.n > 8)
				return node_unknown();
			return node_exact(&e);
		}
		first = 0;
		if (c == '[' && x->i + 1 < x->n && x->s[x->i + 1] == ':') {
			const char *end = strstr(x->s + x->i, ":]");

			if (end == NULL)
				break;
			x->i = (size_t)(end - x->s) + 2;
			simple = 0;
			continue;
		}
		if (c == '\\') {
			char esc = x->i + 1 < x->n ? x->s[x->i + 1] : '\0';

			x->i += 2;
			skip_braces(x);
			if (!literal_escape(esc)) {
				simple = 0;
				continue;
			}
			buf[0] = esc;
			buf[1] = '\0';
			set_add(&e, buf);
			continue;
		}
		if (c == '-' && e.n > 0 && x->i + 1 < x->n &&
		    x->s[x->i + 1] != ']') {
			simple = 0;     /* a range */
			x->i++;
			continue;
		}
		k = char_len(x);
		n = tyst_lower(x->s + x->i, k, buf, sizeof(buf) - 1);
		x->i += k;
		if (n == 0) {
			simple = 0;
			continue;
		}
		buf[n] = '\0';
		set_add(&e, buf);
		if (!e.ok)
			simple = 0, e.ok = 1, e.n = 0;
	}
	x->bad = 1;
	return node_unknown();
}

static struct node *
rd_atom(struct rd *x)
{
	char c = x->s[x->i];

	if (c == '(') {
		int assertion = 0;
		struct node *inner;

		x->i++;
		if (x->i < x->n && (x->s[x->i] == '*' || (x->s[x->i] == '?' &&
		    x->i + 1 < x->n && x->s[x->i + 1] == '#'))) {
			while (x->i < x->n && x->s[x->i] != ')')
				x->i++;
			x->i++;
			return node_empty();
		}
		if (x->i < x->n && x->s[x->i] == '?') {
			const char *g = x->s + x->i + 1;

			if (*g == '=' || *g == '!')
				assertion = 1, x->i += 2;
			else if (*g == '<' && (g[1] == '=' || g[1] == '!'))
				assertion = 1, x->i += 3;
			else if (*g == ':' || *g == '>' || *g == '|')
				x->i += 2;
			else if (*g == '<' || *g == '\'' ||
			    (*g == 'P' && g[1] == '<')) {
				char close = *g == '\'' ? '\'' : '>';

				x->i += 2;
				while (x->i < x->n && x->s[x->i] != close)
					x->i++;
				x->i++;
			} else {
				while (x->i < x->n && x->s[x->i] != ')' &&
				    x->s[x->i] != ':')
					x->i++;
				if (x->i < x->n && x->s[x->i] == ')') {
					x->i++;
					return node_empty();
				}
				x->i++;
			}
		}
		inner = rd_alt(x);
		if (inner == NULL)
			return NULL;
		if (x->i >= x->n || x->s[x->i] != ')') {
			x->bad = 1;
			return inner;
		}
		x->i++;
		if (assertion) {
			free(inner);
			return node_empty();
		}
		return inner;
	}
	if (c == '[')
		return rd_class(x);
	if (c == '\\') {
		char e = x->i + 1 < x->n ? x->s[x->i + 1] : '\0';

		x->i += 2;
		if (e == 'Q') {
			/* \Q…\E is rare in rules; not followed. */
			x->bad = 1;
			return node_unknown();
		}
		skip_braces(x);
		if (e == 'b' || e == 'B' || e == 'A' || e == 'z' || e == 'Z' ||
		    e == 'G' || e == 'K')
			return node_empty();
		if (literal_escape(e))
			return node_char(&e, 1);
		return node_unknown();
	}
	if (c == '^' || c == '$') {
		x->i++;
		return node_empty();
	}
	if (c == '.') {
		x->i++;
		return node_unknown();
	}
	{
		size_t k = char_len(x);
		const char *p = x->s + x->i;

		x->i += k;
		return node_char(p, k);
	}
}

/* Reads a quantifier; *min and *max (-1: unbounded), 1 and 1 when none. */
static void
rd_quant(struct rd *x, int *min, int *max)
{
	*min = *max = 1;
	if (x->i >= x->n)
		return;
	switch (x->s[x->i]) {
	case '*': *min = 0; *max = -1; x->i++; break;
	case '+': *min = 1; *max = -1; x->i++; break;
	case '?': *min = 0; *max = 1; x->i++; break;
	case '{': {
		size_t j = x->i + 1;
		int a = 0, b = -1, digits = 0;

		while (j < x->n && x->s[j] >= '0' && x->s[j] <= '9') {
			a = a * 10 + (x->s[j++] - '0');
			if (a > 1000)
				a = 1000;
			digits++;
		}
		if (!digits || j >= x->n || (x->s[j] != '}' && x->s[j] != ','))
			return;         /* a literal '{' */
		if (x->s[j] == ',') {
			j++;
			if (x->s[j] >= '0' && x->s[j] <= '9') {
				b = 0;
				while (j < x->n && x->s[j] >= '0' &&
				    x->s[j] <= '9')
					b = b * 10 + (x->s[j++] - '0');
			}
		} else
			b = a;
		if (j >= x->n || x->s[j] != '}')
			return;
		x->i = j + 1;
		*min = a;
		*max = b;
		break;
	}
	default:
		return;
	}
	if (x->i < x->n && (x->s[x->i] == '?' || x->s[x->i] == '+'))
		x->i++;
}

/* Applies a quantifier to an atom's summary, in place. */
static void
quantify(struct node *a, int min, int max)
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

static struct node *
rd_seq(struct rd *x)
{
	struct node *r = node_new();
	struct lset run;        /* the exact run so far, as its ends */
	int leading = 1;        /* every part so far was exact */

	if (r == NULL)
		return NULL;
	set_empty_string(&r->exact);
	set_empty_string(&r->pre);
	set_empty_string(&run);
	while (x->i < x->n && !x->bad && x->s[x->i] != '|' &&
	    x->s[x->i] != ')') {
		struct node *a = rd_atom(x);
		int min, max;

		if (a == NULL) {
			free(r);
			return NULL;
		}
		rd_quant(x, &min, &max);
		quantify(a, min, max);
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

static struct node *
rd_alt(struct rd *x)
{
	struct node *r = rd_seq(x);

	while (r != NULL && x->i < x->n && !x->bad && x->s[x->i] == '|') {
		struct node *b;

		x->i++;
		b = rd_seq(x);
		if (b == NULL) {
			free(r);
			return NULL;
		}
		set_union(&r->exact, &b->exact);
		set_union(&r->pre, &b->pre);
		set_union(&r->suf, &b->suf);
		set_union(&r->need, &b->need);
		free(b);
	}
	return r;
}

int
tyst_rxlit_find(const char *re, size_t min_len, struct tyst_rxlit *out)
{
	struct rd x = { re, 0, strlen(re), 0 };
	struct node *r;
	int ok;

	out->n = 0;
	/* Extended syntax puts blanks and comments among the literals. */
	if (strstr(re, "(?x") != NULL || strstr(re, "(*UCP") != NULL)
		return 0;
	r = rd_alt(&x);
	if (r == NULL)
		return 0;
	ok = !x.bad && x.i == x.n && score(&r->need) >= (long)min_len;
	if (ok) {
		out->n = r->need.n;
		memcpy(out->s, r->need.s, sizeof(out->s));
	}
	free(r);
	return ok;
}
