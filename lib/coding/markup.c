/*
 * markup — see include/tyst/markup.h.
 *
 * One pass over the input copies the text and remembers open tags; a
 * closing tag pairs with the latest open tag of its code that is still
 * open, which is what lets segments of different codes overlap freely.
 */
#include "tyst/markup.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ID 128

struct open {
	char *code;
	unsigned long label;     /* {code~N}: N; 0 for a plain tag */
	size_t start, line, col;
	int closed;
};

struct state {
	const char *name;
	struct open *open;
	size_t nopen, capopen;
	struct tyst_markup *m;
	size_t capmarks;
};

static int
id_char(unsigned char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return !first && (c == '-' || c == '_' || c == '.');
}

/* Length of a tag "{id}", "{/id}", "{id~N}" or "{/id~N}" at p (p[0] ==
 * '{'), 0 when it is not one.  *close is set for a closing tag; the id is
 * p[*ids .. *ids+*idn); *label is N, 0 without one. */
static size_t
tag_len(const char *p, size_t n, int *close, size_t *ids, size_t *idn,
    unsigned long *label)
{
	size_t i = 1, d;

	*close = 0;
	*label = 0;
	if (i < n && p[i] == '/') {
		*close = 1;
		i++;
	}
	*ids = i;
	while (i < n && id_char((unsigned char)p[i], i == *ids) &&
	    i - *ids < MAX_ID)
		i++;
	*idn = i - *ids;
	if (i < n && p[i] == '~') {
		for (d = ++i; i < n && p[i] >= '0' && p[i] <= '9' &&
		    i - d < 9; i++)
			*label = *label * 10 + (unsigned long)(p[i] - '0');
		if (i == d || *label == 0)
			return 0;
	}
	if (*idn == 0 || i >= n || p[i] != '}')
		return 0;
	return i + 1;
}

static int
push_open(struct state *st, const char *id, size_t idn, unsigned long label,
    size_t start, size_t line, size_t col)
{
	struct open *o;

	if (st->nopen == st->capopen) {
		size_t c = st->capopen ? st->capopen * 2 : 16;

		if ((o = realloc(st->open, c * sizeof(*o))) == NULL)
			return -1;
		st->open = o;
		st->capopen = c;
	}
	o = &st->open[st->nopen];
	if ((o->code = strndup(id, idn)) == NULL)
		return -1;
	o->label = label;
	o->start = start;
	o->line = line;
	o->col = col;
	o->closed = 0;
	st->nopen++;
	return 0;
}

static int
add_mark(struct state *st, struct open *o, size_t end)
{
	struct tyst_markup *m = st->m;
	struct tyst_mark *k;

	if (m->nmarks == st->capmarks) {
		size_t c = st->capmarks ? st->capmarks * 2 : 16;

		if ((k = realloc(m->marks, c * sizeof(*k))) == NULL)
			return -1;
		m->marks = k;
		st->capmarks = c;
	}
	k = &m->marks[m->nmarks++];
	k->code = o->code;
	o->code = NULL;
	k->start = o->start;
	k->end = end;
	k->line = o->line;
	k->col = o->col;
	o->closed = 1;
	return 0;
}

static int
close_tag(struct state *st, const char *id, size_t idn, unsigned long label,
    size_t line, size_t col, struct tyst_err *err)
{
	for (size_t i = st->nopen; i-- > 0;) {
		struct open *o = &st->open[i];

		if (o->closed || o->label != label ||
		    strlen(o->code) != idn || memcmp(o->code, id, idn) != 0)
			continue;
		if (o->start == st->m->len)
			return tyst_err_set(err, st->name, o->line, o->col,
			    "empty segment {%s}{/%s}", o->code, o->code);
		if (add_mark(st, o, st->m->len) < 0)
			return tyst_err_set(err, st->name, line, col,
			    "out of memory");
		/* Drop closed tags from the top so the list stays short. */
		while (st->nopen > 0 && st->open[st->nopen - 1].closed)
			st->nopen--;
		return 0;
	}
	if (label != 0)
		return tyst_err_set(err, st->name, line, col, "{/%.*s~%lu} "
		    "closes a segment that was never opened", (int)idn, id,
		    label);
	return tyst_err_set(err, st->name, line, col,
	    "{/%.*s} closes a segment that was never opened", (int)idn, id);
}

static void
state_free(struct state *st)
{
	for (size_t i = 0; i < st->nopen; i++)
		free(st->open[i].code);
	free(st->open);
}

int
tyst_markup_parse(struct tyst_markup *m, const char *name, const char *in,
    size_t len, struct tyst_err *err)
{
	struct state st;
	size_t i = 0, line = 1, col = 1;

	memset(m, 0, sizeof(*m));
	memset(&st, 0, sizeof(st));
	st.name = name;
	st.m = m;
	if ((m->text = malloc(len + 1)) == NULL)
		return tyst_err_set(err, name, 0, 0, "out of memory");
	while (i < len) {
		unsigned char c = (unsigned char)in[i];
		size_t n, ids, idn;
		unsigned long label;
		int close;

		if (c != '{') {
			m->text[m->len++] = (char)c;
			i++;
			if (c == '\n') {
				line++;
				col = 1;
			} else if ((c & 0xc0) != 0x80)
				col++;
			continue;
		}
		if (i + 1 < len && in[i + 1] == '{') {
			m->text[m->len++] = '{';
			i += 2;
			col += 2;
			continue;
		}
		if ((n = tag_len(in + i, len - i, &close, &ids, &idn,
		    &label)) == 0) {
			tyst_err_set(err, name, line, col, "'{' that opens no "
			    "tag {code-id} or {/code-id} (write '{{' for a "
			    "literal brace)");
			goto fail;
		}
		if (close) {
			if (close_tag(&st, in + i + ids, idn, label, line,
			    col, err) < 0)
				goto fail;
		} else if (push_open(&st, in + i + ids, idn, label, m->len,
		    line, col) < 0) {
			tyst_err_set(err, name, line, col, "out of memory");
			goto fail;
		}
		i += n;
		col += n;
	}
	for (size_t k = 0; k < st.nopen; k++) {
		if (!st.open[k].closed) {
			tyst_err_set(err, name, st.open[k].line, st.open[k].col,
			    "{%s} is never closed (no {/%s} after it)",
			    st.open[k].code, st.open[k].code);
			goto fail;
		}
	}
	m->text[m->len] = '\0';
	state_free(&st);
	return 0;
fail:
	state_free(&st);
	tyst_markup_free(m);
	return -1;
}

void
tyst_markup_free(struct tyst_markup *m)
{
	for (size_t i = 0; i < m->nmarks; i++)
		free(m->marks[i].code);
	free(m->marks);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

/* ---- writing ------------------------------------------------------------ */

struct buf {
	char *p;
	size_t n, cap;
};

static int
put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 4096;
		char *q;

		while (c < b->n + n + 1)
			c *= 2;
		if ((q = realloc(b->p, c)) == NULL)
			return -1;
		b->p = q;
		b->cap = c;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

static int
put_tag(struct buf *b, const struct tyst_mark *k, unsigned long label,
    int close)
{
	char tag[MAX_ID + 32];
	int n;

	if (label != 0)
		n = snprintf(tag, sizeof(tag), "{%s%s~%lu}", close ? "/" : "",
		    k->code, label);
	else
		n = snprintf(tag, sizeof(tag), "{%s%s}", close ? "/" : "",
		    k->code);
	if (n < 0 || (size_t)n >= sizeof(tag))
		return -1;
	return put(b, tag, (size_t)n);
}

/* Opening order: by start, the longer first, so that segments beginning
 * at one place nest. */
static int
open_cmp(const void *a, const void *b)
{
	const struct tyst_mark *x = *(const struct tyst_mark *const *)a;
	const struct tyst_mark *y = *(const struct tyst_mark *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return strcmp(x->code, y->code);
}

/*
 * A closing tag pairs with the latest open tag of its code, so two
 * segments of one code that cross ([a, c) and [b, d) with a < b < c < d)
 * cannot both be plain tags: such segments get a label {code~N}, which
 * pairs by the label instead.  Segments of one code that only nest or
 * touch stay plain.
 */
static int
crosses(const struct tyst_mark *x, const struct tyst_mark *y)
{
	if (strcmp(x->code, y->code) != 0)
		return 0;
	return (x->start < y->start && y->start < x->end && x->end < y->end) ||
	    (y->start < x->start && x->start < y->end && y->end < x->end);
}

static int
emit(struct buf *b, const char *text, size_t len, const struct tyst_mark *k,
    const size_t *order, const unsigned long *label, size_t n)
{
	size_t *stack = NULL, ns = 0, next = 0;
	int rc = -1;

	if (n > 0 && (stack = malloc(n * sizeof(*stack))) == NULL)
		return -1;
	for (size_t at = 0; at <= len; at++) {
		/* Closes first, the latest opened first; a segment that
		 * ends here may sit below one that does not (overlap). */
		for (size_t i = ns; i-- > 0;) {
			size_t j = stack[i];

			if (k[j].end != at)
				continue;
			if (put_tag(b, &k[j], label[j], 1) < 0)
				goto out;
			memmove(stack + i, stack + i + 1,
			    (ns - i - 1) * sizeof(*stack));
			ns--;
		}
		for (; next < n && k[order[next]].start == at; next++) {
			if (put_tag(b, &k[order[next]], label[order[next]],
			    0) < 0)
				goto out;
			stack[ns++] = order[next];
		}
		if (at == len)
			break;
		if (put(b, text + at, 1) < 0 ||
		    (text[at] == '{' && put(b, "{", 1) < 0))
			goto out;
	}
	rc = 0;
out:
	free(stack);
	return rc;
}

int
tyst_markup_write(const char *text, size_t len, const struct tyst_mark *k,
    size_t n, char **out, size_t *outlen, struct tyst_err *err)
{
	struct buf b = { NULL, 0, 0 };
	const struct tyst_mark **sorted = NULL;
	size_t *order = NULL;
	unsigned long *label = NULL, next = 0;
	int rc = -1;

	*out = NULL;
	for (size_t i = 0; i < n; i++)
		if (k[i].start >= k[i].end || k[i].end > len)
			return tyst_err_set(err, NULL, 0, 0, "segment %zu-%zu "
			    "of '%s' lies outside the text (%zu bytes)",
			    k[i].start, k[i].end, k[i].code, len);
	if ((order = calloc(n + 1, sizeof(*order))) == NULL ||
	    (sorted = calloc(n + 1, sizeof(*sorted))) == NULL ||
	    (label = calloc(n + 1, sizeof(*label))) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &k[i];
	qsort(sorted, n, sizeof(*sorted), open_cmp);
	for (size_t i = 0; i < n; i++)
		order[i] = (size_t)(sorted[i] - k);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (crosses(&k[order[i]], &k[order[j]])) {
				if (label[order[i]] == 0)
					label[order[i]] = ++next;
				if (label[order[j]] == 0)
					label[order[j]] = ++next;
			}
	if (put(&b, "", 0) < 0 || emit(&b, text, len, k, order, label, n) < 0)
		goto out;
	*out = b.p;
	*outlen = b.n;
	b.p = NULL;
	rc = 0;
out:
	free(b.p);
	free(order);
	free(sorted);
	free(label);
	if (rc < 0)
		tyst_err_set(err, NULL, 0, 0, "out of memory");
	return rc;
}

int
tyst_markup_locate(const char *in, size_t len, size_t off, size_t *line,
    size_t *col)
{
	size_t i = 0, clean = 0, tagcol = 0;

	/* A character after tags is placed where the tags begin: "riktig|
	 * {/a} jobb" says where a word was cut, not where the next begins. */
	*line = 1;
	*col = 1;
	while (i < len) {
		unsigned char c = (unsigned char)in[i];
		size_t n = 1, ids, idn;
		unsigned long label;
		int close;

		if (c == '{' && i + 1 < len && in[i + 1] == '{')
			n = 2;
		else if (c == '{' &&
		    (n = tag_len(in + i, len - i, &close, &ids, &idn,
		    &label)) > 0) {
			if (tagcol == 0)
				tagcol = *col;
			i += n;
			*col += n;
			continue;
		} else
			n = 1;
		if (clean == off) {
			if (tagcol != 0)
				*col = tagcol;
			return 0;
		}
		tagcol = 0;
		clean++;
		i += n;
		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else if ((c & 0xc0) != 0x80)
			*col += n;
	}
	if (clean == off && tagcol != 0)
		*col = tagcol;
	return clean == off ? 0 : -1;
}

/* ---- applying an edited copy ------------------------------------------- */

static size_t
overlap(size_t a, size_t b, size_t c, size_t d)
{
	size_t s = a > c ? a : c, e = b < d ? b : d;

	return e > s ? e - s : 0;
}

int
tyst_markup_match(const struct tyst_markup *m, const struct tyst_mark *old,
    size_t nold, struct tyst_markup_plan *pl, struct tyst_err *err)
{
	memset(pl, 0, sizeof(*pl));
	pl->old_to = malloc((nold + 1) * sizeof(*pl->old_to));
	pl->new_from = malloc((m->nmarks + 1) * sizeof(*pl->new_from));
	if (pl->old_to == NULL || pl->new_from == NULL) {
		tyst_markup_plan_free(pl);
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < nold; i++)
		pl->old_to[i] = TYST_MARK_NONE;
	for (size_t j = 0; j < m->nmarks; j++)
		pl->new_from[j] = TYST_MARK_NONE;
	/* The same segment twice in the copy is one segment. */
	for (size_t j = 0; j < m->nmarks; j++)
		for (size_t i = 0; i < j; i++) {
			const struct tyst_mark *a = &m->marks[i],
			    *b = &m->marks[j];

			if (pl->new_from[i] != TYST_MARK_DUP &&
			    a->start == b->start && a->end == b->end &&
			    strcmp(a->code, b->code) == 0) {
				pl->new_from[j] = TYST_MARK_DUP;
				break;
			}
		}
	/* Unchanged: the same code over the same span. */
	for (size_t j = 0; j < m->nmarks; j++) {
		const struct tyst_mark *b = &m->marks[j];

		if (pl->new_from[j] == TYST_MARK_DUP)
			continue;
		for (size_t i = 0; i < nold; i++)
			if (pl->old_to[i] == TYST_MARK_NONE &&
			    old[i].start == b->start && old[i].end == b->end &&
			    strcmp(old[i].code, b->code) == 0) {
				pl->old_to[i] = j;
				pl->new_from[j] = i;
				pl->kept++;
				break;
			}
	}
	/* Moved: the same code over an overlapping span, best overlap
	 * first, so a widened segment keeps its memo and its id. */
	for (;;) {
		size_t bi = 0, bj = 0, best = 0;

		for (size_t j = 0; j < m->nmarks; j++) {
			const struct tyst_mark *b = &m->marks[j];

			if (pl->new_from[j] != TYST_MARK_NONE)
				continue;
			for (size_t i = 0; i < nold; i++) {
				size_t o;

				if (pl->old_to[i] != TYST_MARK_NONE ||
				    strcmp(old[i].code, b->code) != 0)
					continue;
				o = overlap(old[i].start, old[i].end,
				    b->start, b->end);
				if (o > best) {
					best = o;
					bi = i;
					bj = j;
				}
			}
		}
		if (best == 0)
			break;
		pl->old_to[bi] = bj;
		pl->new_from[bj] = bi;
		pl->moved++;
	}
	for (size_t i = 0; i < nold; i++)
		if (pl->old_to[i] == TYST_MARK_NONE)
			pl->removed++;
	for (size_t j = 0; j < m->nmarks; j++)
		if (pl->new_from[j] == TYST_MARK_NONE)
			pl->added++;
	return 0;
}

void
tyst_markup_plan_free(struct tyst_markup_plan *pl)
{
	free(pl->old_to);
	free(pl->new_from);
	memset(pl, 0, sizeof(*pl));
}
