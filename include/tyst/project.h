/*
 * project — the coding project: one SQLite file holding the documents,
 * cases, codebook, coders and coded segments of a study (man/tyst-project.5).
 *
 * Every offset is a byte offset into a document's stored text, which is the
 * imported file as UTF-8 without BOM and with LF line ends (and, for a
 * marked-up copy, without its markup).  A segment is [start, end).
 *
 * The library never commits behind the caller's back: a tool brackets each
 * command with tyst_project_begin() and tyst_project_commit(), so a command
 * changes the project whole or not at all.
 */
#ifndef TYST_PROJECT_H
#define TYST_PROJECT_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/codebook.h"
#include "tyst/diag.h"

/* PRAGMA application_id of a tyst project: "tyst" in ASCII. */
#define TYST_PROJECT_APPID   0x74797374
/* PRAGMA user_version this code writes and understands. */
#define TYST_PROJECT_SCHEMA  3

struct tyst_project;

/* Creates a new project file; an existing file is an error. */
int tyst_project_create(struct tyst_project **out, const char *path,
    struct tyst_err *err);
/* Opens an existing project; refuses a file that is not a tyst project or
 * has a newer schema.  readonly opens it for reading only. */
int tyst_project_open(struct tyst_project **out, const char *path,
    int readonly, struct tyst_err *err);
void tyst_project_close(struct tyst_project *p);
/* Removes a project file (closed) and SQLite's files beside it: for a
 * command that made a new project and then failed, so failure leaves
 * nothing behind. */
void tyst_project_remove(const char *path);
const char *tyst_project_path(const struct tyst_project *p);

/* BEGIN IMMEDIATE (takes the write lock at once, so a locked project is
 * reported before any work), COMMIT, ROLLBACK. */
int tyst_project_begin(struct tyst_project *p, struct tyst_err *err);
int tyst_project_commit(struct tyst_project *p, struct tyst_err *err);
void tyst_project_rollback(struct tyst_project *p);


/* ---- metadata ----------------------------------------------------------- */

/* Value of a key in the meta table (caller frees), NULL when absent. */
char *tyst_project_meta(struct tyst_project *p, const char *key);
int tyst_project_set_meta(struct tyst_project *p, const char *key,
    const char *value, struct tyst_err *err);

/* ---- codebook ----------------------------------------------------------- */

struct tyst_sync_report {
	size_t added, changed, kept, removed;
	size_t segments_dropped;     /* segments of removed codes */
	char **blocked;              /* codes with segments that would go */
	size_t nblocked;
};

/*
 * Makes the project's codes those of cb.  Codes that still exist keep their
 * id and segments; new ones are added; changed labels and descriptions are
 * updated.  A code that is gone from the book but has segments is removed
 * with its segments only when prune is set; otherwise the sync fails and
 * report->blocked names them.  Free the report with
 * tyst_sync_report_free().
 */
int tyst_project_sync_codebook(struct tyst_project *p,
    const struct tyst_codebook *cb, int prune, struct tyst_sync_report *r,
    struct tyst_err *err);
void tyst_sync_report_free(struct tyst_sync_report *r);

struct tyst_pcode {
	int64_t id;
	const char *code;           /* the codebook id */
	const char *label;
	const char *description;    /* may be NULL */
	const char *color;          /* may be NULL */
	const char *parent;         /* the parent's code, or NULL */
	long position;              /* order in the codebook */
	int codable;                /* 0: a heading ("codable: false") */
	const char *inclusion;      /* may be NULL */
	const char *exclusion;      /* may be NULL */
};

/* The row id of a code, 0 when there is no such code, -1 on an error. */
int64_t tyst_project_code_id(struct tyst_project *p, const char *code,
    struct tyst_err *err);

typedef int (*tyst_pcode_fn)(const struct tyst_pcode *c, void *ctx);
/* Every code in codebook order; fn returning non-zero stops. */
int tyst_project_codes(struct tyst_project *p, tyst_pcode_fn fn, void *ctx,
    struct tyst_err *err);

/* ---- cases and coders --------------------------------------------------- */

/* The row id of the case or coder called name, created when create is set
 * and it does not exist; 0 when absent, -1 on an error. */
int64_t tyst_project_case(struct tyst_project *p, const char *name,
    int create, struct tyst_err *err);
int tyst_project_set_case_attr(struct tyst_project *p, int64_t case_id,
    const char *key, const char *value, struct tyst_err *err);
/* The value of a case attribute (caller frees), NULL when not set. */
char *tyst_project_case_attr(struct tyst_project *p, int64_t case_id,
    const char *key);
int64_t tyst_project_coder(struct tyst_project *p, const char *name,
    int create, struct tyst_err *err);

typedef int (*tyst_name_fn)(int64_t id, const char *name, void *ctx);
/* Coders, cases by name; fn returning non-zero stops. */
int tyst_project_coders(struct tyst_project *p, tyst_name_fn fn, void *ctx,
    struct tyst_err *err);
int tyst_project_cases(struct tyst_project *p, tyst_name_fn fn, void *ctx,
    struct tyst_err *err);

typedef int (*tyst_pattr_fn)(int64_t case_id, const char *key,
    const char *value, void *ctx);
/* The attributes of a case (0: of every case), by case, then key. */
int tyst_project_case_attrs(struct tyst_project *p, int64_t case_id,
    tyst_pattr_fn fn, void *ctx, struct tyst_err *err);

/* ---- documents ---------------------------------------------------------- */

/* How a document got past the identifier check at import. */
#define TYST_REVIEW_CLEAN    "clean"        /* the scan found nothing */
#define TYST_REVIEW_PSEUDO   "tyst-pseudo"  /* listed in a tyst-pseudo manifest */
#define TYST_REVIEW_REVIEWED "reviewed"     /* --i-have-reviewed */

struct tyst_pdoc {
	int64_t id;
	const char *name;          /* file name without extension */
	const char *text;          /* stored text (not NUL-terminated in
	                            * iteration callbacks that skip it: NULL) */
	size_t len;
	const char *sha256;        /* of the stored text */
	const char *file_sha256;   /* of the file as imported */
	const char *source;        /* the path it was imported from */
	const char *imported;      /* time */
	const char *review;        /* TYST_REVIEW_* */
	const char *key_id;        /* the tyst-pseudo key, or NULL */
	const char *case_name;     /* or NULL */
	int64_t case_id;           /* 0: none */
};

/* Adds a document; *id receives its row id.  A name or a text (sha256)
 * already in the project is an error naming the document there. */
int tyst_project_add_document(struct tyst_project *p,
    const struct tyst_pdoc *d, int64_t *id, struct tyst_err *err);

/* Puts a document that has no case into case_id: 1 done, 0 when it had
 * a case already (which stays), -1 error. */
int tyst_project_set_document_case(struct tyst_project *p, int64_t doc,
    int64_t case_id, struct tyst_err *err);

/* 0 when a document of this name and text (sha256) could be added; else
 * -1 with err naming the document already there (source: for messages). */
int tyst_project_check_new(struct tyst_project *p, const char *name,
    const char *sha256, const char *source, struct tyst_err *err);

/* The row id of the document with this text, 0 when none, -1 error. */
int64_t tyst_project_document_id_by_sha(struct tyst_project *p,
    const char *sha256, struct tyst_err *err);

/*
 * A loaded document: fields point into it; free with tyst_pdoc_free().
 * Returns 1 found, 0 no such document, -1 error.
 */
struct tyst_pdoc_owned {
	struct tyst_pdoc d;
	char *mem;
};
int tyst_project_document(struct tyst_project *p, const char *name,
    struct tyst_pdoc_owned *out, struct tyst_err *err);
int tyst_project_document_by_id(struct tyst_project *p, int64_t id,
    struct tyst_pdoc_owned *out, struct tyst_err *err);
void tyst_pdoc_free(struct tyst_pdoc_owned *o);

typedef int (*tyst_pdoc_fn)(const struct tyst_pdoc *d, void *ctx);
/* Every document by name; with_text loads the texts too. */
int tyst_project_documents(struct tyst_project *p, int with_text,
    tyst_pdoc_fn fn, void *ctx, struct tyst_err *err);

/* ---- segments ----------------------------------------------------------- */

struct tyst_psegment {
	int64_t id;
	int64_t document_id, code_id, coder_id;
	const char *document;      /* name */
	const char *code;          /* codebook id */
	const char *coder;
	uint64_t start, end;       /* byte offsets into the stored text */
	const char *memo;          /* may be NULL */
	const char *created, *modified;
};

/*
 * Adds a segment; the offsets are checked against the document's length
 * and UTF-8 character boundaries by the caller that has the text
 * (tyst_project_add_segment_checked does both).  Returns 1 added, 0 when
 * the same segment (document, code, coder, start, end) exists, -1 error.
 */
int tyst_project_add_segment(struct tyst_project *p, int64_t doc,
    int64_t code, int64_t coder, uint64_t start, uint64_t end,
    const char *memo, int64_t *id, struct tyst_err *err);
/* Removes a segment by id: 1 removed, 0 no such segment, -1 error. */
int tyst_project_rm_segment(struct tyst_project *p, int64_t id,
    struct tyst_err *err);
/* Sets the memo of a segment: 1 done, 0 no such segment, -1 error. */
int tyst_project_segment_memo(struct tyst_project *p, int64_t id,
    const char *memo, struct tyst_err *err);
/* The memo of a segment into *memo (caller frees; NULL when it has none):
 * 1 found, 0 no such segment, -1 error. */
int tyst_project_segment_get_memo(struct tyst_project *p, int64_t id,
    char **memo, struct tyst_err *err);
/* Sets when a segment was made and changed (a merge or an import keeps the
 * coder's times); NULL times leave them as they are. */
int tyst_project_segment_times(struct tyst_project *p, int64_t id,
    const char *created, const char *modified, struct tyst_err *err);
/* The segment (doc, code, coder, start, end): 1 found with *id (and its
 * memo when memo is not NULL; caller frees), 0 none, -1 error. */
int tyst_project_find_segment(struct tyst_project *p, int64_t doc,
    int64_t code, int64_t coder, uint64_t start, uint64_t end, int64_t *id,
    char **memo, struct tyst_err *err);

/* Which segments an iteration visits; empty fields select everything. */
struct tyst_segfilter {
	const char **codes;        /* any of these code ids */
	size_t ncodes;
	const char *document;
	const char *case_name;
	const char **attr_keys;    /* every key=value pair must hold */
	const char **attr_values;
	size_t nattrs;
	const char *coder;
	int64_t document_id;       /* 0: any */
	int64_t coder_id;          /* 0: any */
};

typedef int (*tyst_psegment_fn)(const struct tyst_psegment *s, void *ctx);
/* Segments in codebook order of their code, then document name, start,
 * end, coder; fn returning non-zero stops the iteration (and is returned). */
int tyst_project_segments(struct tyst_project *p,
    const struct tyst_segfilter *f, tyst_psegment_fn fn, void *ctx,
    struct tyst_err *err);

/* ---- memos -------------------------------------------------------------- */

/* A memo on a document (doc != 0) or a code (code != 0), by a coder (0:
 * none). */
int tyst_project_add_memo(struct tyst_project *p, int64_t doc, int64_t code,
    int64_t coder, const char *text, struct tyst_err *err);
/* The same with the time it was written (NULL: now), for an import or a
 * merge that keeps the writer's time. */
int tyst_project_add_memo_at(struct tyst_project *p, int64_t doc,
    int64_t code, int64_t coder, const char *text, const char *created,
    struct tyst_err *err);
/* 1 when a memo with this text is on doc or code by coder (0: none), 0
 * when not, -1 error. */
int tyst_project_memo_exists(struct tyst_project *p, int64_t doc,
    int64_t code, int64_t coder, const char *text, struct tyst_err *err);

struct tyst_pmemo {
	int64_t id;
	const char *document;      /* or NULL */
	const char *code;          /* or NULL */
	const char *coder;         /* or NULL */
	const char *text;
	const char *created;
};
typedef int (*tyst_pmemo_fn)(const struct tyst_pmemo *m, void *ctx);
/* Memos on doc or code (0: any), oldest first. */
int tyst_project_memos(struct tyst_project *p, int64_t doc, int64_t code,
    tyst_pmemo_fn fn, void *ctx, struct tyst_err *err);

/* ---- pseudonyms ---------------------------------------------------------- */

/*
 * The pseudonyms tyst-pseudo's manifest says it handed out for a document
 * (never an original, never what a scan happened to find), recorded at
 * import so that tyst-excerpt's final scan does not take them for
 * identifiers.
 */
int tyst_project_add_pseudonym(struct tyst_project *p, int64_t doc,
    const char *text, const char *category, struct tyst_err *err);
/* Pseudonyms of doc (0: of every document), as (document id, text); a
 * schema 1 project has none to give. */
int tyst_project_pseudonyms(struct tyst_project *p, int64_t doc,
    tyst_name_fn fn, void *ctx, struct tyst_err *err);

/* ---- texts allowed through an export ----------------------------------- */

/*
 * A finding the researcher let through an export once (tyst-excerpt
 * --allow: a coder's name, a case name) is stored, so later exports pass
 * it without asking again.  The callbacks get id 0.
 */
int tyst_project_allow(struct tyst_project *p, const char *text,
    struct tyst_err *err);
int tyst_project_allowed(struct tyst_project *p, tyst_name_fn fn, void *ctx,
    struct tyst_err *err);

/* ---- schema 3: what REFI-QDA files and whole codebooks carry ------------ */

/*
 * The whole codebook as the project holds it: codes (parents first, with
 * their examples), sets, and the title and version of the codebook last
 * synced.  Free with tyst_codebook_free().
 */
int tyst_project_codebook(struct tyst_project *p, struct tyst_codebook *cb,
    struct tyst_err *err);

/* The GUIDs an imported REFI-QDA file gave a code, coder, document or
 * case (by row id), written back on export.  Setting keeps a GUID already
 * there; reading gives NULL when there is none (caller frees). */
enum { TYST_GUID_CODE, TYST_GUID_CODER, TYST_GUID_DOCUMENT, TYST_GUID_CASE };
int tyst_project_set_guid(struct tyst_project *p, int kind, int64_t id,
    const char *guid, struct tyst_err *err);
char *tyst_project_guid(struct tyst_project *p, int kind, int64_t id);

/* Attributes of a document (an interview's occasion, date, place), kept
 * apart from those of its case (a person's role): two interviews of one
 * case have one role but two dates.  The callbacks get the document's
 * row id where tyst_project_case_attrs gives the case's. */
int tyst_project_set_document_attr(struct tyst_project *p, int64_t doc,
    const char *key, const char *value, struct tyst_err *err);
char *tyst_project_document_attr(struct tyst_project *p, int64_t doc,
    const char *key);
int tyst_project_document_attrs(struct tyst_project *p, int64_t doc,
    tyst_pattr_fn fn, void *ctx, struct tyst_err *err);

/* A case's memo (REFI-QDA: the case's Description); NULL clears it. */
int tyst_project_set_case_description(struct tyst_project *p, int64_t case_id,
    const char *text, struct tyst_err *err);
char *tyst_project_case_description(struct tyst_project *p, int64_t case_id);

/* An annotation: a memo on a span of a document, without a code.  Returns
 * 1 added, 0 when the same text is on the same span already, -1 error.
 * created and guid may be NULL (now; none). */
int tyst_project_add_annotation(struct tyst_project *p, int64_t doc,
    int64_t coder, uint64_t start, uint64_t end, const char *text,
    const char *created, const char *guid, struct tyst_err *err);

struct tyst_pannotation {
	int64_t id, document_id;
	const char *document;
	const char *coder;         /* or NULL */
	uint64_t start, end;       /* byte offsets; start == end: a point */
	const char *text;
	const char *created;
	const char *guid;          /* or NULL */
};
typedef int (*tyst_pannotation_fn)(const struct tyst_pannotation *a,
    void *ctx);
/* Annotations of doc (0: of every document), by document and start. */
int tyst_project_annotations(struct tyst_project *p, int64_t doc,
    tyst_pannotation_fn fn, void *ctx, struct tyst_err *err);

/* A journal: a named note on the project as a whole (a research diary).
 * 1 added, 0 when one of that name and text is there, -1 error. */
int tyst_project_add_journal(struct tyst_project *p, const char *name,
    const char *text, int64_t coder, const char *created, const char *guid,
    struct tyst_err *err);

struct tyst_pjournal {
	int64_t id;
	const char *name, *text;
	const char *coder;         /* or NULL */
	const char *created;
	const char *guid;          /* or NULL */
};
typedef int (*tyst_pjournal_fn)(const struct tyst_pjournal *j, void *ctx);
int tyst_project_journals(struct tyst_project *p, tyst_pjournal_fn fn,
    void *ctx, struct tyst_err *err);

/* The project's own memo (REFI-QDA: the Project's Description) is the
 * meta key "description"; its name for other programs is "title". */

#endif
