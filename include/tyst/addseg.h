/*
 * addseg — coded segments added to a project: by lines, by a pattern, or
 * from a batch file.
 *
 * tyst-code add is how a coder without a QDA program codes: "lines 12-18
 * are lon", "every turn that says 'lön' is lon", or a file of such lines
 * made by a script.  The checks that keep a project sound live here, not
 * in the tool: a segment is never empty, never past the end of its
 * document and never cuts a UTF-8 character in half; a pattern that makes
 * PCRE2 give up names the line where it did, rather than passing for "no
 * match"; a batch line that is wrong names its line.  The project's SQL
 * stays in lib/coding/project.c; this module uses its API only.
 */
#ifndef TYST_ADDSEG_H
#define TYST_ADDSEG_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"
#include "tyst/export.h"
#include "tyst/project.h"

/* Called for each segment added (not for one that was there already):
 * its id, document, lines l1..l2 and byte offsets [s, e). */
typedef void (*tyst_added_fn)(int64_t id, const char *doc, size_t l1,
    size_t l2, size_t s, size_t e, void *ctx);

struct tyst_adder {
	struct tyst_project *p;
	struct tyst_docs docs;
	tyst_added_fn added_fn;         /* may be NULL */
	void *ctx;
	size_t added, existed;          /* segments so far */
	/* What the next segment is added to: tyst_adder_select. */
	const struct tyst_doc *d;
	int64_t doc, code, coder;
	char last_code[128], last_coder[128];
};

void tyst_adder_init(struct tyst_adder *a, struct tyst_project *p,
    tyst_added_fn fn, void *ctx);
void tyst_adder_free(struct tyst_adder *a);

/* The document, code and coder of the segments that follow; a coder new
 * to the project is added.  where names the source of the names in
 * messages.  Returns 0, or -1 with err set (an unknown document or code). */
int tyst_adder_select(struct tyst_adder *a, const char *doc,
    const char *code, const char *coder, const char *where,
    struct tyst_err *err);
/* Adds the byte range [s, e) / the lines from..to (line ends excluded).
 * Returns 0 (added, or there already), or -1 with err set. */
int tyst_adder_span(struct tyst_adder *a, size_t s, size_t e,
    const char *memo, struct tyst_err *err);
int tyst_adder_lines(struct tyst_adder *a, uint64_t from, uint64_t to,
    const char *memo, struct tyst_err *err);
/* Adds the unit (TYST_UNIT_*, turns.h) around each match of the PCRE2
 * pattern, each unit once.  Returns 0, 1 when nothing matched, or -1
 * with err set (a bad pattern, or one PCRE2 gave up on). */
int tyst_adder_match(struct tyst_adder *a, const char *pattern, int unit,
    int icase, const char *memo, struct tyst_err *err);

/*
 * A batch file (path, or "-"), one segment a line, tab-separated:
 *     DOCUMENT CODE CODER RANGE [MEMO]
 * where RANGE is lines "12-18" or byte offsets "@120-340"; empty lines
 * and lines starting with '#' are passed over.  Stops at the first error,
 * naming its line.  Returns 0, or -1 with err set.
 */
int tyst_adder_batch(struct tyst_adder *a, const char *path,
    struct tyst_err *err);

/*
 * The names of the documents whose case is case_name (when not NULL) and
 * whose case has every attribute keys[i] = values[i]: into *names (each
 * and the array malloc'd; free with tyst_strv_free, strv.h).  Returns 0,
 * or -1 with err set.
 */
int tyst_adder_pick(struct tyst_project *p, const char *case_name,
    const char *const *keys, const char *const *values, size_t nattrs,
    char ***names, size_t *n, struct tyst_err *err);

/* A range "A-B" (or "A:B", or "A" alone) of whole numbers, A <= B.
 * Returns 0, or -1. */
int tyst_range_parse(const char *s, uint64_t *a, uint64_t *b);

#endif
