/*
 * excerpt — one export of a project's coded excerpts, as tyst-excerpt runs
 * it: the selected segments are loaded with their documents, codes and
 * attributes, everything that would leave the project goes through the
 * export gate (a fresh identifier scan), and only then is it written.
 *
 * The run never prints: each finding goes to the caller's function, which
 * decides how to say it.
 */
#ifndef TYST_EXCERPT_H
#define TYST_EXCERPT_H

#include <stddef.h>
#include <stdio.h>

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/export.h"
#include "tyst/gate.h"
#include "tyst/project.h"
#include "tyst/qdpx.h"

struct tyst_xfinding {
	const char *file;            /* a document's name, or the project */
	size_t line, col;            /* 0 for a finding in a field */
	const struct tyst_hit *hit;
	const char *where;           /* "the excerpt of segment 4 (kod)",
	                              * "the memo of segment 4", "the
	                              * document" */
};
typedef void (*tyst_xfinding_fn)(const struct tyst_xfinding *f, void *ctx);

struct tyst_xrun;

/*
 * Opens the project read-only for an export.  rules_path NULL: the Swedish
 * set; allow[0..nallow) are this run's --allow texts (the project's stored
 * ones are added).  Both must outlive the run.
 */
int tyst_xrun_open(struct tyst_xrun **out, const char *project,
    const char *rules_path, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_err *err);
void tyst_xrun_close(struct tyst_xrun *r);

/*
 * Loads the segments f selects (NULL: all), each with its attribution made
 * from tmpl (NULL: "({case})").  columns adds the code path and a column
 * per case and document attribute (the tables: CSV, xlsx).  An unknown
 * code in f is an error.
 */
int tyst_xrun_load(struct tyst_xrun *r, const struct tyst_segfilter *f,
    const char *tmpl, int columns, struct tyst_err *err);
/* What was loaded; csv_raw may be set by the caller. */
struct tyst_export *tyst_xrun_export(struct tyst_xrun *r);

/*
 * The export gate over the excerpts (overlapping ones scanned as one
 * stretch of text, with the allowed texts and the pseudonyms tyst-pseudo
 * handed out for their document), then over every other field that would
 * be written (with every pseudonym of the project).  fn gets each finding;
 * each returns the count or -1.  The rules are loaded once per run.
 */
long tyst_xrun_gate_excerpts(struct tyst_xrun *r, tyst_xfinding_fn fn,
    void *ctx, struct tyst_err *err);
long tyst_xrun_gate_fields(struct tyst_xrun *r, tyst_xfinding_fn fn,
    void *ctx, struct tyst_err *err);

/*
 * The whole project as REFI-QDA (-f qdpx): q is filled from the project;
 * the gate then reads each document whole (with its own pseudonyms) and
 * q's fields.
 */
int tyst_xrun_qdpx(struct tyst_xrun *r, struct tyst_qdpx *q,
    struct tyst_err *err);
long tyst_xrun_gate_sources(struct tyst_xrun *r, const struct tyst_qdpx *q,
    tyst_xfinding_fn fn, void *ctx, struct tyst_err *err);
long tyst_xrun_gate_qdpx_fields(struct tyst_xrun *r,
    const struct tyst_qdpx *q, tyst_xfinding_fn fn, void *ctx,
    struct tyst_err *err);

/*
 * After an export that went out with --allow: stores those texts in the
 * project (opened for writing; the run must be closed), so the next export
 * does not ask again.
 */
int tyst_xrun_remember(const char *project, const char *const *allow,
    size_t nallow, struct tyst_err *err);

#endif
