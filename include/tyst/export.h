/*
 * export — coded excerpts as Markdown, CSV, JSON Lines or one HTML page.
 *
 * An excerpt's text is exactly the project's stored document text between
 * its segment's offsets.  The formats add only what reading needs around
 * it: "[…]" where the segment starts or ends inside a sentence (Markdown
 * and HTML), its attribution, and the quoting each format requires.
 */
#ifndef TYST_EXPORT_H
#define TYST_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tyst/diag.h"
#include "tyst/project.h"
#include "tyst/turns.h"

/* ---- documents loaded for excerpts ------------------------------------- */

struct tyst_doc {
	struct tyst_pdoc_owned o;   /* o.d.text, o.d.len: the stored text */
	struct tyst_turns turns;
	size_t *lines;              /* byte offset of each line start */
	size_t nlines;
};

/* Documents loaded on first use and kept, by row id. */
struct tyst_docs {
	struct tyst_project *p;
	struct tyst_doc **byid;
	size_t cap;
};

void tyst_docs_init(struct tyst_docs *c, struct tyst_project *p);
const struct tyst_doc *tyst_docs_get(struct tyst_docs *c, int64_t id,
    struct tyst_err *err);
void tyst_docs_free(struct tyst_docs *c);

/* Prepares d (already holding o) for use: line index and turns. */
int tyst_doc_index(struct tyst_doc *d, struct tyst_err *err);
void tyst_doc_free(struct tyst_doc *d);
/* 1-based line and column (characters) of a byte offset. */
void tyst_doc_linecol(const struct tyst_doc *d, size_t off, size_t *line,
    size_t *col);
/* The speaker label of the turn holding off: its length, 0 when none. */
size_t tyst_doc_speaker(const struct tyst_doc *d, size_t off,
    const char **label);
/* Whether [start, end) begins or ends inside a sentence. */
void tyst_doc_cuts(const struct tyst_doc *d, size_t start, size_t end,
    int *before, int *after);

/* ---- excerpts ---------------------------------------------------------- */

enum tyst_format {
	TYST_FMT_MD,
	TYST_FMT_CSV,
	TYST_FMT_JSONL,
	TYST_FMT_HTML,
	TYST_FMT_XLSX,
	TYST_FMT_DOCX
};

/* "md", "markdown", "csv", "jsonl", "html", "xlsx", "docx"; -1 when
 * unknown. */
int tyst_format_parse(const char *s);
/* The name tyst_format_parse takes for fmt ("md", … "docx"). */
const char *tyst_format_name(int fmt);
/* 1 for a format written as a zip archive (xlsx, docx). */
int tyst_format_binary(int fmt);
/* 0 for a format this build cannot write (xlsx without libxlsxwriter). */
int tyst_format_built(int fmt);

struct tyst_xcode {
	char *code, *label, *description, *color;   /* the last two may be NULL */
	char *path;                  /* "Förutsättningar/Stöd": the labels from
	                              * the top of the tree; NULL when the
	                              * export has no columns */
};

struct tyst_excerpt {
	int64_t segment;
	size_t code;                 /* index into codes[] */
	const char *document;
	int64_t document_id;
	const char *case_name;       /* may be NULL */
	const char *coder;
	const char *memo;            /* may be NULL */
	char *speaker;               /* NULL when the text has no turns */
	char *attribution;
	const char *text;            /* exactly the stored text, len bytes */
	size_t len;
	uint64_t start, end;
	size_t line_start, line_end;
	int cut_before, cut_after;
	const char *const *cells;    /* the attribute columns' values (NULL:
	                              * none), or NULL when there are none */
};

struct tyst_export {
	const char *title;           /* may be NULL */
	const char *version;         /* the codebook's; may be NULL */
	struct tyst_xcode *codes;
	size_t ncodes;
	struct tyst_excerpt *v;      /* grouped by code, in codebook order */
	size_t n;
	int csv_raw;                 /* CSV cells as stored, even a leading =
	                              * + - @ (default: a ' before them) */
	char **cols;                 /* attribute columns of the tables (CSV,
	                              * xlsx): "case:roll", "doc:datum" */
	size_t ncols;
};

int tyst_export_write(FILE *f, enum tyst_format fmt,
    const struct tyst_export *x, struct tyst_err *err);

/* The columns of the tables (CSV, xlsx) before the attribute columns. */
extern const char *const tyst_table_head[];
extern const size_t tyst_table_nhead;

/* The CSV's table as an .xlsx workbook: one sheet, one row per excerpt,
 * every text a string cell (lib/coding/export_xlsx.c). */
int tyst_export_xlsx(FILE *f, const struct tyst_export *x,
    struct tyst_err *err);
/* The quotes, each followed by its attribution, as a .docx for a thesis
 * written in Word (lib/coding/export_docx.c). */
int tyst_export_docx(FILE *f, const struct tyst_export *x,
    struct tyst_err *err);

/*
 * Every text an export writes besides the excerpts themselves that holds
 * data rather than method (the title, and per excerpt its document, case,
 * coder, speaker, attribution and memo; the codebook's labels are
 * published with the study), for the identifier check: what says where
 * the field is; kind says how to read it.  fn returning non-zero stops
 * (and is returned).
 */
enum {
	TYST_FIELD_TEXT,        /* prose: a memo, a title */
	TYST_FIELD_NAME,        /* made from a file name: '_' and '.' part words */
	TYST_FIELD_LABEL        /* a speaker label, read as at a turn's start */
};
typedef int (*tyst_field_fn)(const char *what, const char *text, int kind,
    void *ctx);
int tyst_export_fields(const struct tyst_export *x, tyst_field_fn fn,
    void *ctx);

/*
 * Expands an attribution template: {case}, {document}, {speaker}, {coder},
 * {code}, {label} and any case (or document) attribute by its key; "{{" is
 * a literal "{".  attr(key) returns the attribute or NULL.  A key with no value is an
 * error naming it.  Returns a new string or NULL with err set.
 */
typedef const char *(*tyst_attr_fn)(const char *key, void *ctx);
char *tyst_attribution(const char *tmpl, const struct tyst_excerpt *e,
    const char *code, const char *label, tyst_attr_fn attr, void *ctx,
    struct tyst_err *err);

#endif
