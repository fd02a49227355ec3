/*
 * gate — the identifier checks at the coding project's doors: a document
 * is imported only when the detector finds nothing in it, when tyst-pseudo
 * wrote it, or when the researcher says it was reviewed; an excerpt is
 * exported only when a fresh scan finds nothing the researcher has not
 * allowed by name.
 */
#ifndef TYST_GATE_H
#define TYST_GATE_H

#include <stddef.h>

#include "tyst/detect.h"
#include "tyst/diag.h"

/* The manifest tyst-pseudo writes in its output directory. */
#define TYST_PSEUDO_MANIFEST "tyst-pseudo-manifest.jsonl"

/*
 * Looks for a file of this sha256 (hex) in DIR/tyst-pseudo-manifest.jsonl,
 * where DIR is the directory of path.  Returns 1 when listed (key_id then
 * holds the manifest's "key_id", possibly empty), 0 when not listed or
 * there is no manifest, -1 when the manifest cannot be read.
 */
int tyst_manifest_lookup(const char *path, const char *sha256, char *key_id,
    size_t key_id_size, struct tyst_err *err);

/* Parses "certain", "likely" or "candidate"; -1 when unknown. */
int tyst_confidence_parse(const char *s);

struct tyst_hit {
	size_t start, end;        /* byte offsets into the scanned text */
	size_t line, col;         /* in the scanned text */
	char category[24];
	char text[80];            /* the finding, cut to fit */
	enum tyst_confidence confidence;
};

struct tyst_hits {
	struct tyst_hit *v;
	size_t n, cap;
};

/*
 * Scans text[0..len) and appends to hits every finding at least as sure
 * as min (TYST_CANDIDATE: everything tyst-scan reports by default) whose
 * text (or base form) is not one of allow[0..nallow).
 */
int tyst_gate_scan(const struct tyst_rules *rules, const char *name,
    const char *text, size_t len, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_hits *hits,
    struct tyst_err *err);
/* The same with a detector of the caller's (reset first), for many texts
 * in a row. */
int tyst_gate_scan_with(struct tyst_detector *d, const char *name,
    const char *text, size_t len, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_hits *hits,
    struct tyst_err *err);
void tyst_hits_free(struct tyst_hits *hits);

#endif
