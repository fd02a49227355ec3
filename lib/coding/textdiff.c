/*
 * textdiff — see include/tyst/textdiff.h.
 *
 * Myers' greedy algorithm ("An O(ND) Difference Algorithm and Its
 * Variations", 1986) over tokens: lines first, then the code points of the
 * lines between two matched ones.  The trace of every step is kept to walk
 * back the path, which costs O(D^2) memory; D is capped, and a stretch
 * beyond the cap counts as replaced whole (coarse), which can only make a
 * segment count as changed, never move one wrongly.  Common prefix and
 * suffix are cut off first, so a correction in a long transcript costs
 * little.
 */
#include "tyst/textdiff.h"

#include <stdlib.h>
#include <string.h>

struct tok {
	size_t off, len;
	uint64_t hash;
};

struct seq {
	const char *s;
	struct tok *t;
	size_t n;
};

static uint64_t
fnv(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int
same(const struct seq *x, size_t i, const struct seq *y, size_t j)
{
	const struct tok *a = &x->t[i], *b = &y->t[j];

	return a->hash == b->hash && a->len == b->len &&
	    memcmp(x->s + a->off, y->s + b->off, a->len) == 0;
}

/* Lines (each with its '\n') or code points of s[from..to). */
static int
tokens(struct seq *q, const char *s, size_t from, size_t to, int lines)
{
	size_t cap = 0;

	q->s = s;
	q->t = NULL;
	q->n = 0;
	for (size_t i = from; i < to;) {
		size_t j = i + 1;

		if (lines) {
			const char *nl = memchr(s + i, '\n', to - i);

			j = nl != NULL ? (size_t)(nl - s) + 1 : to;
		} else
			while (j < to && ((unsigned char)s[j] & 0xc0) == 0x80)
				j++;
		if (q->n == cap) {
			struct tok *t;

			cap = cap ? cap * 2 : 256;
			if ((t = realloc(q->t, cap * sizeof(*t))) == NULL)
				return -1;
			q->t = t;
		}
		q->t[q->n].off = i;
		q->t[q->n].len = j - i;
		q->t[q->n].hash = fnv(s + i, j - i);
		q->n++;
		i = j;
	}
	return 0;
}

static int
add_run(struct tyst_diff *d, size_t a, size_t b, size_t len)
{
	struct tyst_diff_run *r;

	if (len == 0)
		return 0;
	if (d->n > 0) {
		r = &d->v[d->n - 1];
		if (r->a + r->len == a && r->b + r->len == b) {
			r->len += len;
			return 0;
		}
	}
	if (d->n == d->cap) {
		size_t c = d->cap ? d->cap * 2 : 64;

		if ((r = realloc(d->v, c * sizeof(*r))) == NULL)
			return -1;
		d->v = r;
		d->cap = c;
	}
	d->v[d->n].a = a;
	d->v[d->n].b = b;
	d->v[d->n].len = len;
	d->n++;
	return 0;
}

/* A matched pair of tokens, x of the old sequence and y of the new. */
struct pair {
	size_t x, y;
};

struct pairs {
	struct pair *v;
	size_t n, cap;
};

static int
add_pair(struct pairs *p, size_t x, size_t y)
{
	if (p->n == p->cap) {
		size_t c = p->cap ? p->cap * 2 : 256;
		struct pair *v = realloc(p->v, c * sizeof(*v));

		if (v == NULL)
			return -1;
		p->v = v;
		p->cap = c;
	}
	p->v[p->n].x = x;
	p->v[p->n].y = y;
	p->n++;
	return 0;
}

/*
 * The matched tokens of A[lo_a..hi_a) and B[lo_b..hi_b) in order, into
 * out.  Returns 1 when the stretch is too different (nothing matched), 0
 * done, -1 out of memory.
 */
static int
myers(const struct seq *A, size_t lo_a, size_t hi_a, const struct seq *B,
    size_t lo_b, size_t hi_b, struct pairs *out)
{
	long n = (long)(hi_a - lo_a), m = (long)(hi_b - lo_b), D = -1;
	long **trace;
	long maxd = n + m < TYST_DIFF_MAX_EDITS ? n + m : TYST_DIFF_MAX_EDITS;
	size_t first = out->n;
	int rc = -1;

	if ((trace = calloc((size_t)maxd + 1, sizeof(*trace))) == NULL)
		return -1;
	for (long d = 0; d <= maxd && D < 0; d++) {
		long *row = malloc((size_t)(2 * d + 1) * sizeof(*row));
		long *prev = d > 0 ? trace[d - 1] : NULL;

		if (row == NULL)
			goto out;
		trace[d] = row;
		for (long k = -d; k <= d; k += 2) {
			long x, y;

			if (d == 0)
				x = 0;
			else if (k == -d || (k != d &&
			    prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
				x = prev[k + 1 + d - 1];
			else if ((x = prev[k - 1 + d - 1]) >= 0)
				x++;
			y = x - k;
			/* A point off the grid is no path (-1), so that no
			 * path is taken through one. */
			if (x < 0 || x > n || y > m) {
				row[k + d] = -1;
				continue;
			}
			while (x < n && y < m && same(A, lo_a + (size_t)x, B,
			    lo_b + (size_t)y)) {
				x++;
				y++;
			}
			row[k + d] = x;
			if (x >= n && y >= m) {
				D = d;
				break;
			}
		}
	}
	if (D < 0) {
		rc = 1;
		goto out;
	}
	/* Walk back from (n, m), collecting the diagonals in reverse. */
	{
		long x = n, y = m;

		for (long d = D; d >= 0; d--) {
			long k = x - y, px, py, mx, my;

			if (d == 0) {
				px = py = mx = my = 0;
			} else {
				long *prev = trace[d - 1];
				long pk;

				if (k == -d || (k != d &&
				    prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
					pk = k + 1;
				else
					pk = k - 1;
				px = prev[pk + d - 1];
				py = px - pk;
				mx = pk == k + 1 ? px : px + 1;
				my = mx - k;
			}
			while (x > mx && y > my) {
				x--;
				y--;
				if (add_pair(out, lo_a + (size_t)x,
				    lo_b + (size_t)y) < 0)
					goto out;
			}
			x = px;
			y = py;
		}
	}
	/* Forward order. */
	for (size_t i = first, j = out->n; i + 1 < j; i++, j--) {
		struct pair t = out->v[i];

		out->v[i] = out->v[j - 1];
		out->v[j - 1] = t;
	}
	rc = 0;
out:
	for (long d = 0; d <= maxd; d++)
		free(trace[d]);
	free(trace);
	return rc;
}

/* Matches of A[lo_a..hi_a) and B[lo_b..hi_b): common ends cut off, the
 * middle by myers(). */
static int
match(const struct seq *A, size_t lo_a, size_t hi_a, const struct seq *B,
    size_t lo_b, size_t hi_b, struct pairs *out, int *coarse)
{
	size_t ea = hi_a, eb = hi_b, k;
	int rc;

	while (lo_a < hi_a && lo_b < hi_b && same(A, lo_a, B, lo_b)) {
		if (add_pair(out, lo_a++, lo_b++) < 0)
			return -1;
	}
	while (ea > lo_a && eb > lo_b && same(A, ea - 1, B, eb - 1)) {
		ea--;
		eb--;
	}
	if (ea > lo_a && eb > lo_b) {
		if ((rc = myers(A, lo_a, ea, B, lo_b, eb, out)) < 0)
			return -1;
		if (rc > 0)
			*coarse = 1;
	}
	for (k = 0; ea + k < hi_a; k++)
		if (add_pair(out, ea + k, eb + k) < 0)
			return -1;
	return 0;
}

/* The runs of the lines between two matched lines, by characters. */
static int
diff_gap(struct tyst_diff *d, const struct seq *la, size_t ia0, size_t ia1,
    const struct seq *lb, size_t ib0, size_t ib1)
{
	struct seq ca, cb;
	struct pairs p = { NULL, 0, 0 };
	size_t a0, a1, b0, b1;
	int rc = -1;

	if (ia0 == ia1 || ib0 == ib1)
		return 0;
	a0 = la->t[ia0].off;
	a1 = la->t[ia1 - 1].off + la->t[ia1 - 1].len;
	b0 = lb->t[ib0].off;
	b1 = lb->t[ib1 - 1].off + lb->t[ib1 - 1].len;
	/* Lines that differ are a name or a word replaced here and there;
	 * a long stretch of them is another text, not worth the time of a
	 * character search. */
	if ((a1 - a0) + (b1 - b0) > TYST_DIFF_MAX_GAP) {
		d->coarse = 1;
		return 0;
	}
	ca.t = cb.t = NULL;
	if (tokens(&ca, la->s, a0, a1, 0) < 0 ||
	    tokens(&cb, lb->s, b0, b1, 0) < 0 ||
	    match(&ca, 0, ca.n, &cb, 0, cb.n, &p, &d->coarse) < 0)
		goto out;
	for (size_t i = 0; i < p.n; i++)
		if (add_run(d, ca.t[p.v[i].x].off, cb.t[p.v[i].y].off,
		    ca.t[p.v[i].x].len) < 0)
			goto out;
	rc = 0;
out:
	free(ca.t);
	free(cb.t);
	free(p.v);
	return rc;
}

int
tyst_diff_texts(const char *a, size_t alen, const char *b, size_t blen,
    struct tyst_diff *d, struct tyst_err *err)
{
	struct seq la, lb;
	struct pairs p = { NULL, 0, 0 };
	size_t ia = 0, ib = 0;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	d->alen = alen;
	d->blen = blen;
	la.t = lb.t = NULL;
	if (tokens(&la, a, 0, alen, 1) < 0 || tokens(&lb, b, 0, blen, 1) < 0 ||
	    match(&la, 0, la.n, &lb, 0, lb.n, &p, &d->coarse) < 0)
		goto out;
	for (size_t i = 0; i <= p.n; i++) {
		size_t x = i < p.n ? p.v[i].x : la.n;
		size_t y = i < p.n ? p.v[i].y : lb.n;

		if (diff_gap(d, &la, ia, x, &lb, ib, y) < 0)
			goto out;
		if (i < p.n && add_run(d, la.t[x].off, lb.t[y].off,
		    la.t[x].len) < 0)
			goto out;
		ia = x + 1;
		ib = y + 1;
	}
	rc = 0;
out:
	free(la.t);
	free(lb.t);
	free(p.v);
	if (rc < 0) {
		tyst_diff_free(d);
		tyst_err_set(err, NULL, 0, 0, "out of memory");
	}
	return rc;
}

void
tyst_diff_free(struct tyst_diff *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* The first run that ends after x (a + len > x), or d->n. */
static size_t
run_after(const struct tyst_diff *d, size_t x)
{
	size_t lo = 0, hi = d->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->v[mid].a + d->v[mid].len > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int
tyst_diff_map(const struct tyst_diff *d, size_t s, size_t e, size_t *ns,
    size_t *ne)
{
	size_t i = run_after(d, s), j;
	const struct tyst_diff_run *r;

	if (i < d->n && d->v[i].a <= s && e <= d->v[i].a + d->v[i].len) {
		*ns = d->v[i].b + (s - d->v[i].a);
		*ne = *ns + (e - s);
		return 1;
	}
	/* The start: its place when it survived, else after the last
	 * text in common before it. */
	if (i < d->n && d->v[i].a <= s)
		*ns = d->v[i].b + (s - d->v[i].a);
	else if (i > 0)
		*ns = d->v[i - 1].b + d->v[i - 1].len;
	else
		*ns = 0;
	/* The end: its place when the character before it survived, else
	 * before the next text in common. */
	j = e > 0 ? run_after(d, e - 1) : 0;
	r = j < d->n ? &d->v[j] : NULL;
	if (r != NULL && r->a < e)
		*ne = r->b + (e - r->a);
	else if (r != NULL)
		*ne = r->b;
	else
		*ne = d->blen;
	if (*ne < *ns)
		*ne = *ns;
	return 0;
}

void
tyst_diff_spans(const struct tyst_diff *d, struct tyst_diff_span *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		v[i].changed = !tyst_diff_map(d, v[i].start, v[i].end,
		    &v[i].nstart, &v[i].nend);
		v[i].drop = v[i].nstart >= v[i].nend;
	}
	/* Unchanged spans never coincide (they were distinct and moved
	 * alike); a changed one may land on another. */
	for (size_t i = 0; i < n; i++) {
		if (!v[i].changed || v[i].drop)
			continue;
		for (size_t j = 0; j < n; j++)
			if (j != i && !v[j].drop && (j < i || !v[j].changed) &&
			    v[j].code == v[i].code &&
			    v[j].coder == v[i].coder &&
			    v[j].nstart == v[i].nstart &&
			    v[j].nend == v[i].nend) {
				v[i].drop = 1;
				break;
			}
	}
}
