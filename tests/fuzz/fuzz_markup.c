/*
 * libFuzzer harness for the inline-coding markup parser.  Besides not
 * crashing it checks what must hold of a parse: the clean text is the
 * input without its tags (never longer, still UTF-8, no brace of a tag
 * left), every segment lies inside it and is not empty, and parsing the
 * clean text with "{" doubled gives the same text back.  Writing the text
 * and its segments as markup again and parsing that gives back the same
 * text and the same segments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/markup.h"
#include "tyst/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The clean text with each "{" written "{{": markup with no tags. */
static char *
escape(const char *s, size_t len, size_t *out)
{
	char *e = malloc(2 * len + 1);
	size_t n = 0;

	if (e == NULL)
		abort();
	for (size_t i = 0; i < len; i++) {
		e[n++] = s[i];
		if (s[i] == '{')
			e[n++] = '{';
	}
	*out = n;
	return e;
}

static int
mark_cmp(const void *a, const void *b)
{
	const struct tyst_mark *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* tyst_markup_write() of m parses back to m's text and segments. */
static void
round_trip(struct tyst_markup *m)
{
	struct tyst_markup back;
	struct tyst_err err;
	char *out;
	size_t len;

	if (tyst_markup_write(m->text, m->len, m->marks, m->nmarks, &out,
	    &len, &err) < 0)
		abort();
	if (tyst_markup_parse(&back, "written", out, len, &err) < 0)
		abort();
	if (back.len != m->len || memcmp(back.text, m->text, m->len) != 0 ||
	    back.nmarks != m->nmarks)
		abort();
	/* qsort() of no marks may get no array: a null pointer it must not
	 * be given. */
	if (m->nmarks > 0) {
		qsort(m->marks, m->nmarks, sizeof(*m->marks), mark_cmp);
		qsort(back.marks, back.nmarks, sizeof(*back.marks), mark_cmp);
	}
	for (size_t i = 0; i < m->nmarks; i++)
		if (mark_cmp(&m->marks[i], &back.marks[i]) != 0)
			abort();
	tyst_markup_free(&back);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct tyst_markup m, back;
	struct tyst_err err;
	size_t bad, elen;
	int nul;
	char *esc;

	/* The parser's input has passed the text module's checks. */
	if (tyst_utf8_check(in, size, &bad, &nul) < 0)
		return 0;
	if (tyst_markup_parse(&m, "fuzz", in, size, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (m.len > size || m.text[m.len] != '\0' ||
	    tyst_utf8_check(m.text, m.len, &bad, &nul) < 0)
		abort();
	for (size_t i = 0; i < m.nmarks; i++) {
		const struct tyst_mark *k = &m.marks[i];

		if (k->start >= k->end || k->end > m.len || k->code == NULL ||
		    k->code[0] == '\0' || k->line == 0 || k->col == 0)
			abort();
	}
	esc = escape(m.text, m.len, &elen);
	if (tyst_markup_parse(&back, "again", esc, elen, &err) < 0)
		abort();
	if (back.len != m.len || memcmp(back.text, m.text, m.len) != 0 ||
	    back.nmarks != 0)
		abort();
	tyst_markup_free(&back);
	free(esc);
	round_trip(&m);
	tyst_markup_free(&m);
	return 0;
}
