/*
 * keystore — the key file of a pseudonymisation: which original became which
 * pseudonym, and exactly where in each output document, so that an output
 * can be turned back into its input byte for byte.
 *
 * The key is a SQLite database (see man/tyst-pseudo.1, THE KEY FILE).  It
 * is the secret of a study: created mode 0600, refused when group or others
 * can read it.  Several processes may share one key: every document is one
 * IMMEDIATE transaction, the journal is WAL, and a busy key is waited for.
 *
 * Schema version 3:
 *   tyst_key(key_id, created, version)       one row; marks a tyst key
 *   entries(id, category, strategy, original, pseudonym, distinct_p,
 *           first_document, created)
 *           one row per (category, strategy, original); distinct_p says the
 *           pseudonym is owned by this entry alone (names, role codes,
 *           numbered placeholders), which a partial UNIQUE index enforces;
 *           generalisations and redactions are shared by many originals
 *   counters(label, n)                        numbering of placeholders/roles
 *   documents(id, output_sha256, input_sha256, name, created)
 *   span_runs(document, out_start, n, data)
 *           every replacement in an output, a few thousand to a row: data
 *           holds for each span four LEB128 varints — the gap since the
 *           previous span's end (the first: since out_start), the length
 *           in the output, the entry whose original goes back there, the
 *           length of the tail — then the tail's bytes, the input bytes
 *           after the original's base form (a genitive "s")
 *   spans(document, out_start, out_end, entry, tail)
 *           the same a row each, as version 1 wrote them; still read.  A
 *           version 1 key is upgraded (span_runs added) when opened.
 *   doc_parts(document, name, written_sha256, data)
 *           for a Word or OpenDocument output: the original bytes of each
 *           part of its zip that the output does not hold as it was read
 *           (scrubbed metadata, runs a name was split over, a dropped
 *           thumbnail), with the sha256 of the part as written ("" when it
 *           was dropped).  Added to version 1 and 2 keys when opened.
 */
#ifndef TYST_KEYSTORE_H
#define TYST_KEYSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"

#define TYST_KEY_SCHEMA 3

struct tyst_key;

enum tyst_key_mode {
	TYST_KEY_OPEN,          /* must exist */
	TYST_KEY_CREATE,        /* created (0600) when missing */
	TYST_KEY_READ           /* must exist; only read (reversal): opened
	                         * read-only when it cannot be written (a
	                         * read-only file system, an immutable or
	                         * read-only file or directory) */
};

/*
 * Opens (or creates) the key at path.  Refuses: a key that group or others
 * can read or write, a file that is not a tyst key, a key of a newer schema.
 * timeout_ms is how long to wait for a key another process is writing.
 */
int tyst_key_open(struct tyst_key **out, const char *path,
    enum tyst_key_mode mode, int timeout_ms, struct tyst_err *err);
/* Closes the key; a writable one is checkpointed first, so that its
 * committed entries are in the key file itself and a read-only open (which
 * may not read the -wal file) sees them all. */
void tyst_key_close(struct tyst_key *k);

/* The key's random identifier (a UUID), stable for its whole life. */
const char *tyst_key_id(const struct tyst_key *k);

/* One transaction per document.  begin takes the write lock at once
 * (BEGIN IMMEDIATE) so the choice of new pseudonyms is never raced. */
int tyst_key_begin(struct tyst_key *k, struct tyst_err *err);
int tyst_key_commit(struct tyst_key *k, struct tyst_err *err);
void tyst_key_rollback(struct tyst_key *k);

struct tyst_key_entry {
	int64_t id;
	char *category;
	char *strategy;
	char *original;
	char *pseudonym;
};

void tyst_key_entry_clear(struct tyst_key_entry *e);

/* Looks up (category, strategy, original).  1 found (e filled; clear it),
 * 0 not found, -1 error. */
int tyst_key_find(struct tyst_key *k, const char *category,
    const char *strategy, const char *original, struct tyst_key_entry *e,
    struct tyst_err *err);
/* The entry with this id: 1, 0, -1 as above. */
int tyst_key_get(struct tyst_key *k, int64_t id, struct tyst_key_entry *e,
    struct tyst_err *err);

/* 1 when s is the original of any entry (any category), 0 when not. */
int tyst_key_is_original(struct tyst_key *k, const char *s,
    struct tyst_err *err);
/* 1 when s is already the distinct pseudonym of some entry, 0 when not. */
int tyst_key_is_pseudonym(struct tyst_key *k, const char *s,
    struct tyst_err *err);

/* Adds an entry; *id receives its id.  distinct: the pseudonym must be
 * unused (a clash is an error). */
int tyst_key_add(struct tyst_key *k, const char *category,
    const char *strategy, const char *original, const char *pseudonym,
    int distinct, const char *document, int64_t *id, struct tyst_err *err);

/* The next number for a label ("PERSON", "Deltagare"): 1, 2, 3, … within
 * the key. */
int tyst_key_next_number(struct tyst_key *k, const char *label, long *n,
    struct tyst_err *err);

/*
 * Documents.  A document is added before its spans (its output sha256 is
 * known only at the end and set by tyst_key_doc_finish, which also drops an
 * older record of the same output and name: a re-run).
 */
int tyst_key_doc_add(struct tyst_key *k, const char *name, int64_t *doc,
    struct tyst_err *err);
/* Spans of a document are added in output order, each starting at or
 * after the end of the one before (anything else is refused). */
int tyst_key_span_add(struct tyst_key *k, int64_t doc, uint64_t out_start,
    uint64_t out_end, int64_t entry, const char *tail, size_t tail_len,
    struct tyst_err *err);
int tyst_key_doc_finish(struct tyst_key *k, int64_t doc,
    const char *output_sha256, const char *input_sha256,
    struct tyst_err *err);

/*
 * Finds the record of an output by its sha256.  When several documents have
 * the same output (generalised places can make two inputs alike), the one
 * whose name equals name_hint wins, else the newest.  1 found, 0 not, -1.
 */
int tyst_key_doc_find(struct tyst_key *k, const char *output_sha256,
    const char *name_hint, int64_t *doc, struct tyst_err *err);

struct tyst_key_span {
	uint64_t out_start, out_end;
	int64_t entry;
	const char *original;  /* the entry's original */
	const char *tail;
	size_t tail_len;
};

/* Calls fn for each span of doc in output order; fn returns non-zero to
 * stop (that value is returned). */
int tyst_key_doc_spans(struct tyst_key *k, int64_t doc,
    int (*fn)(const struct tyst_key_span *s, void *ctx), void *ctx,
    struct tyst_err *err);

/* A part of a word processor's output: its original bytes, replacing an
 * earlier record of the same part. */
int tyst_key_part_add(struct tyst_key *k, int64_t doc, const char *name,
    const char *written_sha256, const void *data, size_t len,
    struct tyst_err *err);
/* Calls fn for each part kept for doc, by name; fn returns non-zero to
 * stop (that value is returned). */
int tyst_key_doc_parts(struct tyst_key *k, int64_t doc,
    int (*fn)(const char *name, const char *written_sha256, const void *data,
    size_t len, void *ctx), void *ctx, struct tyst_err *err);

/* Calls fn once for each pseudonym made by strategy ("name"), in order;
 * fn returns non-zero to stop. */
int tyst_key_pseudonyms(struct tyst_key *k, const char *strategy,
    int (*fn)(const char *pseudonym, void *ctx), void *ctx,
    struct tyst_err *err);

#endif
