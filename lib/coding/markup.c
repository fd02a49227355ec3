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

/* Length of a tag "{id}" or "{/id}" at p (p[0] == '{'), 0 when it is not
 * one.  *close is set for a closing tag; the id is p[*ids .. *ids+*idn). */
static size_t
tag_len(const char *p, size_t n, int *close, size_t *ids, size_t *idn)
{
	size_t i = 1;

	*close = 0;
	if (i < n && p[i] == '/') {
		*close = 1;
		i++;
	}
	*ids = i;
	while (i < n && id_char((unsigned char)p[i], i == *ids) &&
	    i - *ids < MAX_ID)
		i++;
	if (i == *ids || i >= n || p[i] != '}')
		return 0;
	*idn = i - *ids;
	return i + 1;
}

static int
push_open(struct state *st, const char *id, size_t idn, size_t start,
    size_t line, size_t col)
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
close_tag(struct state *st, const char *id, size_t idn, size_t line,
    size_t col, struct tyst_err *err)
{
	for (size_t i = st->nopen; i-- > 0;) {
		struct open *o = &st->open[i];

		if (o->closed || strlen(o->code) != idn ||
		    memcmp(o->code, id, idn) != 0)
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
		if ((n = tag_len(in + i, len - i, &close, &ids, &idn)) == 0) {
			tyst_err_set(err, name, line, col, "'{' that opens no "
			    "tag {code-id} or {/code-id} (write '{{' for a "
			    "literal brace)");
			goto fail;
		}
		if (close) {
			if (close_tag(&st, in + i + ids, idn, line, col,
			    err) < 0)
				goto fail;
		} else if (push_open(&st, in + i + ids, idn, m->len, line,
		    col) < 0) {
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
