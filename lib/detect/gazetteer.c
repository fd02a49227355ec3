/*
 * gazetteer — word lists and the string table behind them
 * (include/tyst/gazetteer.h).  The detector looks every capitalised word
 * up, so the table is open addressing (linear probing on tyst_word_hash())
 * with the keys kept in one pool: one probe in the common case, no
 * allocation per entry.
 */
#include "tyst/gazetteer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/text.h"

static uint64_t
hash_bytes(const char *p, size_t len)
{
	return tyst_word_hash(p, len);
}

void
tyst_strtab_init(struct tyst_strtab *t)
{
	memset(t, 0, sizeof(*t));
}

void
tyst_strtab_free(struct tyst_strtab *t)
{
	free(t->slots);
	free(t->ents);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}

/*
 * A slot holds its entry's index and the top byte of its hash, so a probe
 * that meets another key's slot is mostly told so by the slot alone: the
 * entries are a large array, and reading one is a cache miss in a table
 * of a quarter of a million words.
 */
#define SLOT_INDEX 0xffffffu
#define SLOT_TAG(h) ((uint32_t)((h) >> 56) << 24)

static uint32_t *
find_slot(const struct tyst_strtab *t, const char *key, size_t len,
    uint64_t h)
{
	size_t mask = t->nslots - 1;
	size_t i = (size_t)h & mask;
	uint32_t tag = SLOT_TAG(h);

	for (;;) {
		uint32_t *s = &t->slots[i];
		const struct tyst_strtab_ent *e;

		if (*s == 0)
			return s;
		if ((*s & ~SLOT_INDEX) == tag) {
			e = &t->ents[(*s & SLOT_INDEX) - 1];
			if (e->hash == h && e->len == len &&
			    memcmp(t->pool + e->off, key, len) == 0)
				return s;
		}
		i = (i + 1) & mask;
	}
}

uint32_t *
tyst_strtab_get(const struct tyst_strtab *t, const char *key, size_t len)
{
	uint32_t *s;

	if (t->n == 0)
		return NULL;
	s = find_slot(t, key, len, hash_bytes(key, len));
	if (*s == 0)
		return NULL;
	return &t->ents[(*s & SLOT_INDEX) - 1].val;
}

static int
grow_slots(struct tyst_strtab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof(*slots));
	size_t mask = n - 1;

	if (slots == NULL)
		return -1;
	for (size_t k = 0; k < t->n; k++) {
		size_t i = (size_t)t->ents[k].hash & mask;

		while (slots[i] != 0)
			i = (i + 1) & mask;
		slots[i] = SLOT_TAG(t->ents[k].hash) | (uint32_t)(k + 1);
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

int
tyst_strtab_put(struct tyst_strtab *t, const char *key, size_t len,
    uint32_t val, uint32_t **slot)
{
	uint64_t h = hash_bytes(key, len);
	uint32_t *s;
	struct tyst_strtab_ent *e;

	if (len > UINT32_MAX / 2) {
		errno = ENOMEM;
		return -1;
	}
	/* Keep the load under a half: lookups of absent words, the common
	 * case, then stop after a probe or two. */
	if ((t->n + 1) * 2 > t->nslots && grow_slots(t) < 0)
		return -1;
	s = find_slot(t, key, len, h);
	if (*s != 0) {
		if (slot != NULL)
			*slot = &t->ents[(*s & SLOT_INDEX) - 1].val;
		return 0;
	}
	if (t->n >= TYST_STRTAB_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 256;
		void *p = realloc(t->ents, nc * sizeof(*t->ents));

		if (p == NULL)
			return -1;
		t->ents = p;
		t->cap = nc;
	}
	if (t->plen + len > t->pcap) {
		size_t nc = t->pcap ? t->pcap : 4096;
		void *p;

		while (nc < t->plen + len)
			nc *= 2;
		if (nc > UINT32_MAX) {
			errno = EOVERFLOW;
			return -1;
		}
		if ((p = realloc(t->pool, nc)) == NULL)
			return -1;
		t->pool = p;
		t->pcap = nc;
	}
	memcpy(t->pool + t->plen, key, len);
	e = &t->ents[t->n];
	e->hash = h;
	e->off = (uint32_t)t->plen;
	e->len = (uint32_t)len;
	e->val = val;
	t->plen += len;
	t->n++;
	*s = SLOT_TAG(h) | (uint32_t)t->n;
	if (slot != NULL)
		*slot = &e->val;
	return 1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int
tyst_gazetteer_read(const char *path, tyst_gaz_fn fn, void *ctx,
    struct tyst_err *err)
{
	struct tyst_text t;
	int rc = 0;

	if (tyst_text_load(&t, path, err) < 0)
		return -1;
	for (size_t n = 0; n < t.nlines && rc == 0; n++) {
		size_t s, e, tab;
		const char *p;

		if (tyst_text_line(&t, n + 1, &s, &e) < 0)
			break;
		p = t.data;
		while (s < e && is_space(p[s]) && p[s] != '\t')
			s++;
		if (s == e || p[s] == '#')
			continue;
		for (tab = s; tab < e && p[tab] != '\t'; tab++)
			;
		size_t ee = tab;
		while (ee > s && is_space(p[ee - 1]))
			ee--;
		if (ee == s)
			rc = tyst_err_set(err, path, n + 1, 1,
			    "empty entry before the attributes");
		else {
			size_t as = tab < e ? tab + 1 : e;
			size_t ae = e;

			while (ae > as && is_space(p[ae - 1]))
				ae--;
			rc = fn(p + s, ee - s, p + as, ae - as, n + 1, ctx,
			    err);
		}
	}
	tyst_text_free(&t);
	return rc < 0 ? -1 : 0;
}
