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

#include "tyst/diag.h"

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
	uint32_t *slots;        /* entry index + 1; 0 is empty */
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
 * 0 when it was there, -1 when out of memory. */
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
