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
#include <stdint.h>

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

/*
 * What tyst-pseudo's manifest says of one output: the run's confidence
 * threshold, how many findings it left as they were (below the threshold,
 * or by a keep strategy) and the pseudonyms it handed out for the output.
 * record is 0 for a line of an older tyst-pseudo, which said none of this:
 * such an output cannot be told apart from one with names left in it.
 */
struct tyst_manifest_entry {
	char sha256[65];
	char key_id[256];
	char confidence[16];
	int record;
	uint64_t left;
	char **pseudonyms;
	size_t npseudonyms;
};

/*
 * Parses one manifest line (a JSON object).  Returns 1 parsed, 0 when the
 * line is not a manifest entry (not an object, no sha256), -1 out of
 * memory.  Free e with tyst_manifest_entry_free() in every case.
 */
int tyst_manifest_parse(const char *line, size_t n,
    struct tyst_manifest_entry *e);
/* Like tyst_manifest_lookup, filling e (freed by the caller) when listed. */
int tyst_manifest_find(const char *path, const char *sha256,
    struct tyst_manifest_entry *e, struct tyst_err *err);
void tyst_manifest_entry_free(struct tyst_manifest_entry *e);

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

/*
 * A field that leaves the project beside the excerpts (a memo, a coder's or
 * a case's name, the title) scanned as text.  kind is a TYST_FIELD_* of
 * tyst/export.h: a name made from a file name, "intervju_Mona_Andersson",
 * is read with '_' and '.' as spaces, so its words are found as in running
 * text; a speaker label as it stands at a turn's start ("IP: ").
 */
int tyst_gate_scan_field(struct tyst_detector *d, const char *text,
    int kind, enum tyst_confidence min, const char *const *allow,
    size_t nallow, struct tyst_hits *hits, struct tyst_err *err);

/*
 * The file name of path (its last part) scanned as a name: a transcript
 * named "intervju_Mona_Andersson.txt" carries the name into outputs,
 * manifests, projects and exports.  Appends to hits.
 */
int tyst_gate_file_name(const struct tyst_rules *rules, const char *path,
    struct tyst_hits *hits, struct tyst_err *err);

/*
 * The check of an export's fields: tyst_field_check_fn goes to
 * tyst_export_fields or tyst_qdpx_fields; each distinct text is scanned
 * once, and v[0..n) receives what was found, with where.  The allow list
 * must outlive the check.
 */
struct tyst_field_hit {
	char what[160];
	struct tyst_hit h;
};
struct tyst_field_check {
	struct tyst_detector *d;
	enum tyst_confidence min;
	const char *const *allow;
	size_t nallow;
	void *seen;                     /* texts already scanned */
	struct tyst_field_hit *v;
	size_t n, cap;
	struct tyst_err *err;
};
int tyst_field_check_init(struct tyst_field_check *c,
    const struct tyst_rules *rules, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_err *err);
/* A tyst_field_fn: non-zero (err set) on an error. */
int tyst_field_check_fn(const char *what, const char *text, int kind,
    void *ctx);
void tyst_field_check_free(struct tyst_field_check *c);

/* The text of a hit as messages may show it: a personnummer with its last
 * four digits masked unless show.  Returns buf or the hit's own text. */
const char *tyst_hit_shown(const struct tyst_hit *h, int show, char *buf,
    size_t n);

/*
 * The import check of one file: whether tyst-pseudo's manifest beside it
 * lists it, and what a scan finds in its text besides the pseudonyms that
 * manifest says were handed out for it.  A listed file is scanned as any
 * other: a run that left names (a threshold, a keep strategy) must not be
 * trusted whole, and a name counts as a pseudonym only when tyst-pseudo
 * handed it out.
 */
struct tyst_import_check {
	int listed;
	struct tyst_manifest_entry m;   /* when listed */
	struct tyst_hits hits;
};
int tyst_gate_import(const struct tyst_rules *rules, const char *path,
    const char *file_sha256, const char *text, size_t len,
    enum tyst_confidence min, struct tyst_import_check *c,
    struct tyst_err *err);
void tyst_import_check_free(struct tyst_import_check *c);
/* What to do about a refused file, as the tail of the refusal ("; …"). */
void tyst_gate_advice(const struct tyst_import_check *c, char *buf,
    size_t n);

#endif
