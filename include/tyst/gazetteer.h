/*
 * gazetteer — word lists: a string hash table and the reader of gazetteer
 * files.
 *
 * A gazetteer file is UTF-8 text, one entry per line, '#' starting a
 * comment line, an entry optionally followed by TAB-separated attributes:
 *
 *     Hudiksvall<TAB>lan=Gävleborgs län<TAB>landsdel=Norrland
 *
 * Entries are case-sensitive ("Per" the name, not "per" the preposition)
 * and may hold spaces ("Upplands Väsby", "ICA Maxi").
 */
#ifndef TYST_GAZETTEER_H
#define TYST_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tyst/diag.h"

/*
 * A 64-bit hash of the word w[0..len): its first, middle and last bytes
 * (all of a word of up to eight bytes, the ends and middle of a longer
 * one) and its length, read in five loads with no loop.  The string
 * tables are asked about nearly every word of a text, and a loop over the
 * bytes cost a mispredicted branch at every word's end.  Two long words that agree in those twenty bytes and
 * in length share a hash; the table then compares them in full, so that
 * costs a comparison, never a wrong answer.
 */
static inline uint64_t
tyst_word_hash(const char *w, size_t len)
{
	uint32_t x[5];
	uint64_t a, b, h;

	if (len < 4) {
		x[0] = len > 0 ? (uint32_t)(unsigned char)w[0] |
		    (uint32_t)(unsigned char)w[len >> 1] << 8 |
		    (uint32_t)(unsigned char)w[len - 1] << 16 : 0;
		x[1] = x[2] = x[3] = x[4] = 0;
	} else {
		size_t k = len - 4 < 4 ? len - 4 : 4;

		memcpy(&x[0], w, 4);
		memcpy(&x[1], w + k, 4);
		memcpy(&x[2], w + len - 4 - k, 4);
		memcpy(&x[3], w + len - 4, 4);
		memcpy(&x[4], w + (len >> 1) - 2, 4);
	}
	a = ((uint64_t)x[0] | (uint64_t)x[1] << 32) ^ 0x9e3779b97f4a7c15ULL;
	b = ((uint64_t)x[2] | (uint64_t)x[3] << 32) + len;
	h = a * 0xbf58476d1ce4e5b9ULL ^ b * 0x94d049bb133111ebULL ^
	    ((uint64_t)x[4] + 1) * 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 29;
	return h;
}

/*
 * An open-addressing hash table from byte strings to a uint32_t.  The keys
 * are copied into one pool, so a table of a quarter of a million words is a
 * few allocations, and a lookup is one hash and usually one comparison.
 */
struct tyst_strtab_ent {
	uint64_t hash;
	uint32_t off, len;      /* the key in pool */
	uint32_t val;
};

struct tyst_strtab {
	uint32_t *slots;        /* entry index + 1 in the low 24 bits, the
	                         * top 8 bits of its hash above; 0 is
	                         * empty */
	size_t nslots;          /* a power of two */
	struct tyst_strtab_ent *ents;
	size_t n, cap;
	char *pool;
	size_t plen, pcap;
};

void tyst_strtab_init(struct tyst_strtab *t);
void tyst_strtab_free(struct tyst_strtab *t);
/* A pointer to key's value, or NULL.  Valid until the next put. */
uint32_t *tyst_strtab_get(const struct tyst_strtab *t, const char *key,
    size_t len);
/* Adds key with value val; when key is there already its value is left as
 * it is.  *slot (if not NULL) points at the value.  Returns 1 when added,
 * 0 when it was there, -1 when out of memory (errno ENOMEM) or when the
 * table holds TYST_STRTAB_MAX keys already (EOVERFLOW). */
#define TYST_STRTAB_MAX ((1u << 24) - 2)
int tyst_strtab_put(struct tyst_strtab *t, const char *key, size_t len,
    uint32_t val, uint32_t **slot);

/* Called for each entry of a gazetteer file; attrs is the rest of the line
 * after the first TAB (len 0 when none).  Return -1 (with err set) to stop. */
typedef int (*tyst_gaz_fn)(const char *entry, size_t len, const char *attrs,
    size_t alen, size_t lineno, void *ctx, struct tyst_err *err);

/* Reads a gazetteer file, checking it is UTF-8 without NUL bytes; errors
 * name the file, line and column. */
int tyst_gazetteer_read(const char *path, tyst_gaz_fn fn, void *ctx,
    struct tyst_err *err);

#endif
