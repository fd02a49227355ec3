/*
 * pseudonym — what an identifier is replaced by, and the replacing itself.
 *
 * The configuration is the `pseudonymise:` section of the rules YAML
 * (rules/sv/pseudonymise.yaml is the base; a study's rules file and the
 * files it includes override it category by category; see
 * man/tyst-pseudo.1).  Each category gets one strategy:
 *
 *   name         fictitious names from the gazetteers, first names of the
 *                same sex, surnames by surnames          "Erik" -> "Jonas"
 *   role         role codes per person, given in `roles:` or numbered in
 *                order of first appearance             "Deltagare 3"
 *   placeholder  numbered placeholders                 "[PERSON 3]"
 *   generalise   places by their län or landsdel       "[kommun i Norrland]"
 *   redact       a fixed text                          "[telefonnummer]"
 *   keep         left as it is
 *
 * A rewrite takes a document as a sequence of unchanged bytes and findings,
 * writes the output through a callback and records every replacement in the
 * key (tyst_key), so the caller only has to commit or roll back the key
 * transaction around each document.
 */
#ifndef TYST_PSEUDONYM_H
#define TYST_PSEUDONYM_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/keystore.h"

enum tyst_strategy {
	TYST_S_NAME,
	TYST_S_ROLE,
	TYST_S_PLACEHOLDER,
	TYST_S_GENERALISE,
	TYST_S_REDACT,
	TYST_S_KEEP
};

const char *tyst_strategy_name(enum tyst_strategy s);

struct tyst_pseudo_conf;

/*
 * Loads the configuration: base (NULL: tyst_datadir()/rules/sv/
 * pseudonymise.yaml), then the `pseudonymise:` sections of rules (may be
 * NULL) and of the files it includes, later files overriding earlier ones.
 * The name pools (first-names.tsv, surnames.tsv) are read from the base
 * file's directory unless a section names others.  Errors name
 * file:line:col.
 */
int tyst_pseudo_conf_load(struct tyst_pseudo_conf **out, const char *base,
    const char *rules, struct tyst_err *err);
void tyst_pseudo_conf_free(struct tyst_pseudo_conf *c);

/* The strategy a category gets (unknown categories: placeholder). */
enum tyst_strategy tyst_pseudo_conf_strategy(const struct tyst_pseudo_conf *c,
    const char *category);

struct tyst_pseudo;

int tyst_pseudo_new(struct tyst_pseudo **out,
    const struct tyst_pseudo_conf *conf, struct tyst_key *key,
    struct tyst_err *err);
void tyst_pseudo_free(struct tyst_pseudo *p);

/*
 * Notes an original that this run will replace, before any replacing: no
 * pseudonym is then chosen equal to it, even when it reaches the key only
 * in a later document.  (A first pass over all inputs calls this.)
 */
int tyst_pseudo_note(struct tyst_pseudo *p, const struct tyst_finding *f,
    struct tyst_err *err);

/*
 * The document whose findings the following tyst_pseudo_note calls are
 * (for the place in messages, and for tyst_pseudo_proposals); NULL when
 * the notes are done.
 */
int tyst_pseudo_note_doc(struct tyst_pseudo *p, const char *name,
    struct tyst_err *err);

/*
 * Names of a person that one document spells two ways one letter apart
 * ("Jonatan", "Johnatan") and that nothing yet makes one person: each pair
 * once, for the user to confirm with same-person: in the rules.  They are
 * not merged: two people may have names one letter apart (Eric, Erik).
 */
typedef void (*tyst_pseudo_proposal_fn)(const char *doc, const char *a,
    const char *b, void *ctx);
int tyst_pseudo_proposals(struct tyst_pseudo *p, tyst_pseudo_proposal_fn fn,
    void *ctx, struct tyst_err *err);

/* Where the output goes; returns 0, or -1 (errno set) on a write error. */
typedef int (*tyst_pseudo_write_fn)(const char *s, size_t n, void *ctx);

/* Told about every replacement (reports, --dry-run).  in_start/in_end are
 * input offsets, out_start/out_end output offsets. */
struct tyst_replacement {
	const struct tyst_finding *finding;
	uint64_t in_start, in_end;
	uint64_t out_start, out_end;
	int64_t entry;                  /* key entry id (first one for a
	                                 * name of several words) */
	const char *text;               /* what was written */
	size_t text_len;
	enum tyst_strategy strategy;
	const char *note;               /* what a new pseudonym could not keep
	                                 * ("origin unknown to the name
	                                 * lists"), or NULL */
};
typedef void (*tyst_pseudo_report_fn)(const struct tyst_replacement *r,
    void *ctx);
void tyst_pseudo_set_report(struct tyst_pseudo *p, tyst_pseudo_report_fn fn,
    void *ctx);

/* New pseudonyms only among those holds(name, ctx) accepts (NULL: all):
 * the names a document's encoding can hold (tyst_input_holds). */
void tyst_pseudo_set_holds(struct tyst_pseudo *p,
    int (*holds)(const char *s, void *ctx), void *ctx);

/*
 * One document.  The caller holds the key transaction (tyst_key_begin) from
 * begin to after end, and calls tyst_pseudo_commit or tyst_pseudo_rollback
 * when it commits or rolls it back.  Every input byte goes through either
 * copy (unchanged) or replace (a finding, in text order, not overlapping).
 */
int tyst_pseudo_begin(struct tyst_pseudo *p, const char *name,
    tyst_pseudo_write_fn write, void *wctx, struct tyst_err *err);
int tyst_pseudo_copy(struct tyst_pseudo *p, const char *s, size_t n,
    struct tyst_err *err);
int tyst_pseudo_replace(struct tyst_pseudo *p, const struct tyst_finding *f,
    struct tyst_err *err);
/* Records the document (output and input sha256) in the key; out_sha
 * receives the output's, in_sha (unless NULL) the input's, hashed as the
 * bytes went through copy and replace. */
int tyst_pseudo_end(struct tyst_pseudo *p, char out_sha[65], char in_sha[65],
    struct tyst_err *err);
/* Drops the current document after an error before tyst_pseudo_end.  The
 * output goes to write in blocks, from a second thread for a document of
 * more than one (write must not touch what the caller uses meanwhile);
 * after end or abandon returns, write is not called again. */
void tyst_pseudo_abandon(struct tyst_pseudo *p);
void tyst_pseudo_commit(struct tyst_pseudo *p);
void tyst_pseudo_rollback(struct tyst_pseudo *p);

/* Bytes written so far in the current document. */
uint64_t tyst_pseudo_out_len(const struct tyst_pseudo *p);
/* The key's record of the current (or last ended) document. */
int64_t tyst_pseudo_doc(const struct tyst_pseudo *p);

/*
 * Convenience for whole buffers (tests, small tools): rewrites buf[0..len)
 * with the findings f[0..n) (text order) into a malloc'd *out.
 */
int tyst_pseudo_buffer(struct tyst_pseudo *p, const char *name,
    const char *buf, size_t len, const struct tyst_finding *f, size_t n,
    char **out, size_t *outlen, struct tyst_err *err);

/*
 * Reversal: given an output document and its record in the key, writes the
 * original input.  Fails when the key has no record of these exact bytes.
 */
int tyst_pseudo_reverse(struct tyst_key *key, const char *name,
    const char *buf, size_t len, tyst_pseudo_write_fn write, void *wctx,
    struct tyst_err *err);

#endif
