/*
 * revcand — a scan's candidates merged into the review file
 * (include/tyst/revcand.h).  Reading and writing the file itself is
 * lib/detect/rules.c and lib/pseudo/revfile.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/revcand.h"
#include "tyst/revfile.h"
#include "tyst/rules.h"

/* Bytes of context kept around a candidate. */
#define CONTEXT_MAX 120

void
tyst_revcands_init(struct tyst_revcands *c)
{
	memset(c, 0, sizeof(*c));
	tyst_strtab_init(&c->seen);
}

void
tyst_revcands_free(struct tyst_revcands *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].word);
		free(c->v[i].context);
	}
	free(c->v);
	tyst_strtab_free(&c->seen);
	memset(c, 0, sizeof(*c));
}

/* A line of context around a finding, cut at character boundaries. */
static char *
context_of(const struct tyst_line *ln, uint64_t start)
{
	size_t at = (size_t)(start - ln->off), s = 0, e = ln->len;
	char *out;

	if (e - s > CONTEXT_MAX) {
		s = at > CONTEXT_MAX / 2 ? at - CONTEXT_MAX / 2 : 0;
		e = s + CONTEXT_MAX < ln->len ? s + CONTEXT_MAX : ln->len;
		while (s > 0 && ((unsigned char)ln->p[s] & 0xc0) == 0x80)
			s++;
		while (e < ln->len && ((unsigned char)ln->p[e] & 0xc0) == 0x80)
			e--;
	}
	out = malloc(e - s + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, ln->p + s, e - s);
	out[e - s] = '\0';
	for (size_t i = 0; i < e - s; i++)
		if (out[i] == '\t')
			out[i] = ' ';
	return out;
}

int
tyst_revcands_note(struct tyst_revcands *c, const struct tyst_finding *f,
    const struct tyst_line *ln)
{
	size_t len = (size_t)(f->base_end - f->start);
	uint32_t *slot;
	int added;
	struct tyst_revcand *k;

	if (f->confidence == TYST_CERTAIN)
		return 0;
	added = tyst_strtab_put(&c->seen, f->text, len, (uint32_t)c->n, &slot);
	if (added < 0)
		return -1;
	if (!added) {
		c->v[*slot].count++;
		return 0;
	}
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 64;
		void *p = realloc(c->v, nc * sizeof(*c->v));

		if (p == NULL)
			return -1;
		c->v = p;
		c->cap = nc;
	}
	k = &c->v[c->n++];
	/* f->text is not NUL-terminated: copy, do not strndup. */
	if ((k->word = malloc(len + 1)) != NULL) {
		memcpy(k->word, f->text, len);
		k->word[len] = '\0';
	}
	k->category = f->category;
	k->context = context_of(ln, f->start);
	k->count = 1;
	if (k->word == NULL || k->context == NULL)
		return -1;
	return 0;
}

/* The new candidates into rv: counts of the old ones brought up to date,
 * the new ones appended as "ask". */
static int
merge(struct tyst_revcands *c, struct tyst_review *rv, unsigned long *fresh)
{
	struct tyst_review_item *p;

	for (size_t i = 0; i < rv->nitems; i++) {
		struct tyst_review_item *it = &rv->items[i];
		uint32_t *slot = tyst_strtab_get(&c->seen, it->word,
		    strlen(it->word));

		if (slot != NULL) {
			it->count = c->v[*slot].count;
			c->v[*slot].count = 0;  /* written */
		}
	}
	for (size_t i = 0; i < c->n; i++) {
		struct tyst_revcand *k = &c->v[i];
		struct tyst_review_item *it;

		if (k->count == 0)
			continue;
		p = realloc(rv->items, (rv->nitems + 1) * sizeof(*p));
		if (p == NULL)
			return -1;
		rv->items = p;
		it = &rv->items[rv->nitems++];
		memset(it, 0, sizeof(*it));
		it->word = k->word;
		it->category = strdup(k->category);
		it->context = k->context;
		it->count = k->count;
		it->decision = TYST_ASK;
		k->word = k->context = NULL;    /* rv owns them now */
		if (it->category == NULL)
			return -1;
		(*fresh)++;
	}
	return 0;
}

/* A new review file includes the rules it was scanned with. */
static int
add_include(struct tyst_review *rv, const char *rules_path)
{
	char real[PATH_MAX];
	const char *inc = "default";

	if (rules_path != NULL && realpath(rules_path, real) != NULL)
		inc = real;
	if ((rv->includes = malloc(sizeof(*rv->includes))) == NULL ||
	    (rv->includes[0] = strdup(inc)) == NULL)
		return -1;
	rv->nincludes = 1;
	return 0;
}

int
tyst_revcands_save(struct tyst_revcands *c, const char *path,
    const char *rules_path, unsigned long *fresh, int *readable,
    struct tyst_err *err)
{
	struct tyst_review rv;
	int exists, lockfd, rc = -1;

	*fresh = 0;
	*readable = 0;
	if ((lockfd = tyst_review_lock(path, err)) < 0)
		return -1;
	if (tyst_review_load(&rv, path, &exists, err) < 0)
		goto out;
	if (rv.nincludes == 0 && add_include(&rv, rules_path) < 0) {
		tyst_err_set(err, path, 0, 0, "out of memory");
		goto out;
	}
	if (merge(c, &rv, fresh) < 0) {
		tyst_err_set(err, path, 0, 0, "out of memory");
		goto out;
	}
	if (tyst_review_save(&rv, path, readable, err) < 0)
		goto out;
	rc = 0;
out:
	tyst_review_free(&rv);
	tyst_review_unlock(lockfd);
	return rc;
}
