/*
 * qdpx — REFI-QDA project exchange files (.qdpx), text sources only.
 *
 * A .qdpx file is a zip archive holding project.qde (XML, namespace
 * urn:QDA-XML:project:1.0, schema Project.xsd of REFI-QDA 1.5) and the
 * internal sources as sources/<guid>.txt (NVivo writes Sources/; both are
 * read).  This module converts between
 * such a file and a plain in-memory model; it knows nothing of SQLite, so
 * the coding project's tools map their rows onto the model.
 *
 * Positions: in the model, selections are byte offsets into the UTF-8
 * source text, [start, end).  In the file they are character (Unicode code
 * point) positions, 0-based, the end exclusive, as REFI-QDA counts them.
 * The conversion happens here and only here.
 *
 * GUIDs are written as 8-4-4-4-12 upper-case hex.  tyst_qdpx_guid() makes
 * them from a key string (a SHA-256 of it), so exporting the same project
 * twice gives the same file, and a re-import recognises its own codes.
 */
#ifndef TYST_QDPX_H
#define TYST_QDPX_H

#include <stddef.h>
#include <stdio.h>

#include "tyst/diag.h"
#include "tyst/export.h"

#define TYST_GUID_LEN 36

struct tyst_qdpx_user {
	char guid[TYST_GUID_LEN + 1];
	char *name;
};

struct tyst_qdpx_code {
	char guid[TYST_GUID_LEN + 1];
	char *name;
	char *description;     /* may be NULL */
	char *color;           /* "#rrggbb" or NULL */
	long parent;           /* index into codes, -1 at the top */
	int uncodable;         /* isCodable="false": a heading */
};

struct tyst_qdpx_sel {
	char guid[TYST_GUID_LEN + 1];
	size_t start, end;     /* byte offsets into the source text */
	long code;             /* index into codes */
	long user;             /* index into users, -1 when unknown */
	char *memo;            /* the selection's Description, or NULL */
	char *created;         /* xsd:dateTime, or NULL */
};

struct tyst_qdpx_source {
	char guid[TYST_GUID_LEN + 1];
	char *name;
	char *text;            /* UTF-8, NUL-terminated */
	size_t len;
	struct tyst_qdpx_sel *sels;
	size_t nsels;
	/* Attributes of the document (REFI-QDA: the source's
	 * VariableValues), apart from those of its case. */
	long *vars;            /* index into vars, one per value */
	char **values;
	size_t nvalues;
};

/* A memo: a REFI-QDA Note on a source or a code (exactly one of them). */
struct tyst_qdpx_note {
	char guid[TYST_GUID_LEN + 1];
	char *text;
	long source;           /* index into sources, or -1 */
	long code;             /* index into codes, or -1 */
	long user;             /* index into users, or -1 */
	char *created;         /* xsd:dateTime, or NULL */
};

/* A variable of cases (REFI-QDA <Variable>): a case attribute's key. */
struct tyst_qdpx_var {
	char guid[TYST_GUID_LEN + 1];
	char *name;
	char *type;            /* typeOfVariable: Text, Integer, ... */
};

/* A case: a name, attribute values and the sources that belong to it. */
struct tyst_qdpx_case {
	char guid[TYST_GUID_LEN + 1];
	char *name;
	long *vars;            /* index into vars, one per value */
	char **values;
	size_t nvalues;
	long *sources;         /* index into sources */
	size_t nsources;
	char *description;     /* the case's memo, or NULL */
};

/* A set of codes (REFI-QDA <Set> with <MemberCode>s). */
struct tyst_qdpx_set {
	char guid[TYST_GUID_LEN + 1];
	char *name;
	char *description;     /* or NULL */
	long *codes;           /* index into codes */
	size_t ncodes;
};

/* An annotation: a note on a span of a source, without a code (a Note
 * with a PlainTextSelection, referred to by the source). */
struct tyst_qdpx_annotation {
	char guid[TYST_GUID_LEN + 1];
	size_t source;         /* index into sources */
	size_t start, end;     /* byte offsets into its text, start <= end */
	char *text;
	long user;             /* index into users, or -1 */
	char *created;         /* or NULL */
};

/* A journal: a named note on nothing (QualCoder's journals). */
struct tyst_qdpx_journal {
	char guid[TYST_GUID_LEN + 1];
	char *name;
	char *text;
	long user;
	char *created;
};

/* What a reader leaves out of a file, by kind, so that an import can say
 * what it lost rather than drop it silently. */
enum tyst_qdpx_loss {
	TYST_LOST_SOURCE,         /* not a text source, or outside the archive */
	TYST_LOST_WHOLE_CODING,   /* a coding of a whole source */
	TYST_LOST_SELECTION,      /* a selection without a code, or empty */
	TYST_LOST_SOURCE_VARIABLE,/* a variable value of a source */
	TYST_LOST_ANNOTATION,     /* an annotation's span (its text is kept) */
	TYST_LOST_JOURNAL,        /* a note without text tyst can read */
	TYST_LOST_PROJECT_MEMO,   /* the project's description, when the
	                           * project has another */
	TYST_LOST_CASE_MEMO,      /* a case's description, likewise */
	TYST_LOST_CASE_SOURCE,    /* a case's link to a source not in the file */
	TYST_LOST_SET,            /* a set of sources or notes (sets of codes
	                           * are the codebook's) */
	TYST_LOST_GRAPH,          /* a graph */
	TYST_LOST_LINK,           /* a link */
	TYST_QDPX_NLOST
};

/* "journal" or "journals": the name of a kind of loss for n of them. */
const char *tyst_qdpx_loss_name(int kind, size_t n);

struct tyst_qdpx {
	char *name;            /* the project's name */
	struct tyst_qdpx_user *users;
	size_t nusers;
	struct tyst_qdpx_code *codes;
	size_t ncodes;
	struct tyst_qdpx_source *sources;
	size_t nsources;
	struct tyst_qdpx_note *notes;
	size_t nnotes;
	struct tyst_qdpx_var *vars;
	size_t nvars;
	struct tyst_qdpx_case *cases;
	size_t ncases;
	struct tyst_qdpx_set *sets;
	size_t nsets;
	struct tyst_qdpx_annotation *annotations;
	size_t nannotations;
	struct tyst_qdpx_journal *journals;
	size_t njournals;
	char *description;     /* the project's memo, or NULL */
	/* The project's creatingUserGUID and creationDateTime as a file
	 * gave them (kept through tyst), or NULL. */
	char *creating_user;
	char *created;
	/* What the reader left out (pictures, PDFs, audio, video, codings of
	 * whole sources), to be reported as data loss. */
	size_t skipped;
	size_t lost[TYST_QDPX_NLOST];  /* the same, by kind */
	/* Sources whose positions count a line break otherwise than the
	 * standard, detected by the selections' names and corrected:
	 * [0] two per LF (QualCoder's "MAXQDA line endings"), [1] one per
	 * CRLF (ATLAS.ti). */
	size_t lineends[2];
	/* Writing: sources with CRLF line ends, a CRLF counted as one
	 * position (--line-endings crlf1, for ATLAS.ti). */
	int crlf1;
};

/* A GUID derived from a key: the same key, the same GUID. */
void tyst_qdpx_guid(const char *key, char out[TYST_GUID_LEN + 1]);

/* Builders; each returns the new element's index, or -1 when out of
 * memory.  Strings are copied.  Selections are checked only at writing. */
long tyst_qdpx_add_user(struct tyst_qdpx *q, const char *guid,
    const char *name);
long tyst_qdpx_add_code(struct tyst_qdpx *q, const char *guid,
    const char *name, const char *description, const char *color,
    long parent);
long tyst_qdpx_add_source(struct tyst_qdpx *q, const char *guid,
    const char *name, const char *text, size_t len);
long tyst_qdpx_add_sel(struct tyst_qdpx *q, size_t source, const char *guid,
    size_t start, size_t end, long code, long user, const char *memo,
    const char *created);
long tyst_qdpx_add_note(struct tyst_qdpx *q, const char *guid,
    const char *text, long source, long code, long user, const char *created);
long tyst_qdpx_add_var(struct tyst_qdpx *q, const char *guid,
    const char *name, const char *type);
long tyst_qdpx_add_case(struct tyst_qdpx *q, const char *guid,
    const char *name);
int tyst_qdpx_case_value(struct tyst_qdpx *q, size_t c, long var,
    const char *value);
int tyst_qdpx_case_source(struct tyst_qdpx *q, size_t c, long source);
int tyst_qdpx_source_value(struct tyst_qdpx *q, size_t s, long var,
    const char *value);
long tyst_qdpx_add_set(struct tyst_qdpx *q, const char *guid,
    const char *name, const char *description);
int tyst_qdpx_set_code(struct tyst_qdpx *q, size_t set, long code);
long tyst_qdpx_add_annotation(struct tyst_qdpx *q, const char *guid,
    size_t source, size_t start, size_t end, const char *text, long user,
    const char *created);
long tyst_qdpx_add_journal(struct tyst_qdpx *q, const char *guid,
    const char *name, const char *text, long user, const char *created);
void tyst_qdpx_free(struct tyst_qdpx *q);
/* Every text the file carries besides the sources' texts and the
 * codebook (project name, users, source names, memos), for the identifier
 * check; as tyst_export_fields.  q NULL has none. */
int tyst_qdpx_fields(const struct tyst_qdpx *q, tyst_field_fn fn, void *ctx);

/* Writes q as project.qde alone (for checking) or as a whole .qdpx zip
 * archive, to f.  now (xsd:dateTime) stamps the project; may be NULL. */
int tyst_qdpx_write_qde(const struct tyst_qdpx *q, FILE *f, const char *now,
    struct tyst_err *err);
int tyst_qdpx_write(const struct tyst_qdpx *q, FILE *f, const char *now,
    struct tyst_err *err);

/*
 * Reads a .qdpx file: its users, codebook, text sources with their
 * selections' codings, and notes.  Anything that is not a zip, lacks
 * project.qde, is not well-formed, breaks what Project.xsd requires of the
 * parts read (required attributes, GUID form, integer positions), refers
 * to a GUID it never defines, or has a selection outside its text, is an
 * error naming the file (and the line in project.qde).  Text sources'
 * line ends are normalised to LF and a BOM dropped, as the coding project
 * stores them; positions are mapped accordingly.
 */
int tyst_qdpx_read(struct tyst_qdpx *q, const char *path,
    struct tyst_err *err);

/* ---- a coding project as a REFI-QDA project ------------------------------ */

struct tyst_project;

/*
 * The whole project as a model: coders as users, the codebook (GUIDs and
 * descriptions as tyst-codebook's .qdc export writes them, so code ids
 * survive the round trip), documents with their segments, and memos as
 * notes.
 */
int tyst_qdpx_from_project(struct tyst_project *p, struct tyst_qdpx *q,
    struct tyst_err *err);

/* Decides whether a source's text may enter the project (the identifier
 * gate): sets *review to a TYST_REVIEW_* value and returns 0, or returns
 * -1 with err set. */
typedef int (*tyst_qdpx_gate_fn)(const char *name, const char *text,
    size_t len, const char **review, void *ctx, struct tyst_err *err);

struct tyst_qdpx_import {
	size_t documents_added, documents_present;
	size_t codes_added;          /* when the project had no codebook */
	size_t coders_added;
	size_t segments_added, segments_present;
	size_t memos_added, memos_present;
	size_t cases_added;
	size_t attrs_set;            /* case attributes newly set */
	size_t attrs_differ;         /* set otherwise already: kept */
	size_t doc_attrs_set;        /* document attributes newly set */
	size_t doc_attrs_differ;     /* set otherwise already: kept */
	size_t annotations_added, journals_added;
	size_t skipped;              /* what the reader left out */
	size_t lost[TYST_QDPX_NLOST];  /* the same, by kind */
	size_t lineends[2];          /* as in struct tyst_qdpx */
};

/*
 * Brings a .qdpx into a project (in the caller's transaction): documents
 * matched by the SHA-256 of their text and added through gate when new;
 * codes by id (ids as tyst-codebook reads them from the file's codebook)
 * — a project without codes takes the file's codebook, a project with one
 * must already hold every code used; users become coders; selections
 * become segments and notes memos, neither twice.
 */
int tyst_qdpx_into_project(struct tyst_project *p, const char *path,
    tyst_qdpx_gate_fn gate, void *gate_ctx, struct tyst_qdpx_import *r,
    struct tyst_err *err);

#endif
