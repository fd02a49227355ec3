/*
 * project — see include/tyst/project.h and man/tyst-project.5.
 *
 * The schema lives here and nowhere else.  A change to it bumps
 * TYST_PROJECT_SCHEMA and adds an upgrade step to open(); an older tyst
 * refuses a newer file rather than guess at it.
 */
#include "tyst/clock.h"
#include "tyst/project.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* Statements used per segment or per document are prepared once. */
enum {
	ST_ADD_SEGMENT,
	ST_CODE_ID,
	ST_CODER_ID,
	ST_ADD_CODER,
	ST_CASE_ID,
	ST_ADD_CASE,
	ST_ADD_DOC,
	ST_DOC_BY_NAME,
	ST_DOC_BY_SHA,
	ST_COUNT
};

struct tyst_project {
	sqlite3 *db;
	char *path;
	int version;            /* the file's schema (older when read-only) */
	sqlite3_stmt *st[ST_COUNT];
};

static const char schema[] =
"CREATE TABLE meta (\n"
"  key TEXT PRIMARY KEY,\n"
"  value TEXT NOT NULL\n"
") WITHOUT ROWID;\n"
"CREATE TABLE cases (\n"
"  id INTEGER PRIMARY KEY,\n"
"  name TEXT NOT NULL UNIQUE,\n"
"  created TEXT NOT NULL\n"
");\n"
"CREATE TABLE case_attributes (\n"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
"  key TEXT NOT NULL,\n"
"  value TEXT NOT NULL,\n"
"  PRIMARY KEY (case_id, key)\n"
") WITHOUT ROWID;\n"
"CREATE TABLE documents (\n"
"  id INTEGER PRIMARY KEY,\n"
"  name TEXT NOT NULL UNIQUE,\n"
"  text TEXT NOT NULL,\n"
"  sha256 TEXT NOT NULL UNIQUE,\n"
"  file_sha256 TEXT NOT NULL,\n"
"  source TEXT,\n"
"  imported TEXT NOT NULL,\n"
"  review TEXT NOT NULL\n"
"    CHECK (review IN ('clean', 'tyst-pseudo', 'reviewed')),\n"
"  key_id TEXT,\n"
"  case_id INTEGER REFERENCES cases(id) ON DELETE RESTRICT\n"
");\n"
"CREATE TABLE codes (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  label TEXT NOT NULL,\n"
"  description TEXT,\n"
"  inclusion TEXT,\n"
"  exclusion TEXT,\n"
"  color TEXT,\n"
"  parent_id INTEGER REFERENCES codes(id) ON DELETE SET NULL,\n"
"  position INTEGER NOT NULL,\n"
"  codable INTEGER NOT NULL DEFAULT 1\n"
");\n"
"CREATE TABLE coders (\n"
"  id INTEGER PRIMARY KEY,\n"
"  name TEXT NOT NULL UNIQUE,\n"
"  created TEXT NOT NULL\n"
");\n"
"CREATE TABLE segments (\n"
"  id INTEGER PRIMARY KEY,\n"
"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
"  code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,\n"
"  coder_id INTEGER NOT NULL REFERENCES coders(id) ON DELETE RESTRICT,\n"
"  start_offset INTEGER NOT NULL CHECK (start_offset >= 0),\n"
"  end_offset INTEGER NOT NULL CHECK (end_offset > start_offset),\n"
"  memo TEXT,\n"
"  created TEXT NOT NULL,\n"
"  modified TEXT NOT NULL,\n"
"  UNIQUE (document_id, code_id, coder_id, start_offset, end_offset)\n"
");\n"
"CREATE INDEX segments_by_code ON segments(code_id);\n"
"CREATE INDEX segments_by_coder ON segments(coder_id);\n"
"CREATE TABLE memos (\n"
"  id INTEGER PRIMARY KEY,\n"
"  document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,\n"
"  code_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,\n"
"  coder_id INTEGER REFERENCES coders(id) ON DELETE RESTRICT,\n"
"  text TEXT NOT NULL,\n"
"  created TEXT NOT NULL,\n"
"  CHECK ((document_id IS NULL) <> (code_id IS NULL))\n"
");\n"
"CREATE INDEX memos_by_document ON memos(document_id);\n"
"CREATE TABLE pseudonyms (\n"
"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
"  text TEXT NOT NULL,\n"
"  category TEXT NOT NULL,\n"
"  origin TEXT NOT NULL DEFAULT 'scan',\n"
"  PRIMARY KEY (document_id, text)\n"
") WITHOUT ROWID;\n"
"CREATE INDEX memos_by_code ON memos(code_id);\n"
"CREATE TABLE allowed (\n"
"  text TEXT PRIMARY KEY,\n"
"  created TEXT NOT NULL\n"
") WITHOUT ROWID;\n";

/*
 * Schema 3: what a REFI-QDA file or a whole codebook brings and schema 2
 * had no place for, so that an import keeps it and an export gives it
 * back.  The codebook's examples and sets; attributes of a document (an
 * interview's occasion and date) apart from those of its case (a
 * person's role); a case's memo; annotations (a memo on a span, without
 * a code); journals (notes on nothing); and the GUIDs an imported file
 * gave codes, coders, documents and cases, written back on export.
 * A new project gets the same by running this step after the schema
 * above, so an upgraded file and a new one cannot differ.
 */
static const char upgrade_3[] =
"ALTER TABLE codes ADD COLUMN guid TEXT;\n"
"ALTER TABLE coders ADD COLUMN guid TEXT;\n"
"ALTER TABLE documents ADD COLUMN guid TEXT;\n"
"ALTER TABLE cases ADD COLUMN guid TEXT;\n"
"ALTER TABLE cases ADD COLUMN description TEXT;\n"
"CREATE TABLE code_examples (\n"
"  code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,\n"
"  position INTEGER NOT NULL,\n"
"  text TEXT NOT NULL,\n"
"  PRIMARY KEY (code_id, position)\n"
") WITHOUT ROWID;\n"
"CREATE TABLE code_sets (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  label TEXT NOT NULL,\n"
"  description TEXT,\n"
"  position INTEGER NOT NULL\n"
");\n"
"CREATE TABLE code_set_members (\n"
"  set_id INTEGER NOT NULL REFERENCES code_sets(id) ON DELETE CASCADE,\n"
"  code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,\n"
"  position INTEGER NOT NULL,\n"
"  PRIMARY KEY (set_id, code_id)\n"
") WITHOUT ROWID;\n"
"CREATE TABLE document_attributes (\n"
"  document_id INTEGER NOT NULL REFERENCES documents(id)"
" ON DELETE CASCADE,\n"
"  key TEXT NOT NULL,\n"
"  value TEXT NOT NULL,\n"
"  PRIMARY KEY (document_id, key)\n"
") WITHOUT ROWID;\n"
"CREATE TABLE annotations (\n"
"  id INTEGER PRIMARY KEY,\n"
"  document_id INTEGER NOT NULL REFERENCES documents(id)"
" ON DELETE CASCADE,\n"
"  coder_id INTEGER REFERENCES coders(id) ON DELETE RESTRICT,\n"
"  start_offset INTEGER NOT NULL CHECK (start_offset >= 0),\n"
"  end_offset INTEGER NOT NULL CHECK (end_offset >= start_offset),\n"
"  text TEXT NOT NULL,\n"
"  created TEXT NOT NULL,\n"
"  guid TEXT\n"
");\n"
"CREATE INDEX annotations_by_document ON annotations(document_id);\n"
"CREATE TABLE journals (\n"
"  id INTEGER PRIMARY KEY,\n"
"  name TEXT NOT NULL,\n"
"  text TEXT NOT NULL,\n"
"  coder_id INTEGER REFERENCES coders(id) ON DELETE RESTRICT,\n"
"  created TEXT NOT NULL,\n"
"  guid TEXT\n"
");\n"
"PRAGMA user_version = 3;\n";

/*
 * Schema 2.  The pseudonyms of schema 1 were whatever the import's scan
 * found in a document tyst-pseudo had listed, which could be names a run
 * left unreplaced; they are kept, marked 'scan', and no longer let anything
 * through.  Pseudonyms are now those tyst-pseudo's manifest says it handed
 * out ('manifest').  allowed holds the texts the researcher let through
 * an export once.
 */
static const char upgrade_2[] =
"ALTER TABLE pseudonyms ADD COLUMN origin TEXT NOT NULL DEFAULT 'scan';\n"
"CREATE TABLE allowed (\n"
"  text TEXT PRIMARY KEY,\n"
"  created TEXT NOT NULL\n"
") WITHOUT ROWID;\n"
"PRAGMA user_version = 2;\n";

static const char *const stmt_sql[ST_COUNT] = {
	[ST_ADD_SEGMENT] = "INSERT OR IGNORE INTO segments (document_id, code_id,"
	    " coder_id, start_offset, end_offset, memo, created, modified)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_CODE_ID] = "SELECT id FROM codes WHERE code = ?",
	[ST_CODER_ID] = "SELECT id FROM coders WHERE name = ?",
	[ST_ADD_CODER] = "INSERT INTO coders (name, created) VALUES (?, ?)",
	[ST_CASE_ID] = "SELECT id FROM cases WHERE name = ?",
	[ST_ADD_CASE] = "INSERT INTO cases (name, created) VALUES (?, ?)",
	[ST_ADD_DOC] = "INSERT INTO documents (name, text, sha256, file_sha256,"
	    " source, imported, review, key_id, case_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_DOC_BY_NAME] = "SELECT id FROM documents WHERE name = ?",
	[ST_DOC_BY_SHA] = "SELECT name FROM documents WHERE sha256 = ?",
};

static int
db_err(struct tyst_project *p, struct tyst_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(p->db);

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return tyst_err_set(err, p->path, 0, 0,
		    "the project is locked by another program (%s); "
		    "try again when it is done", what);
	if ((code & 0xff) == SQLITE_NOTADB)
		return tyst_err_set(err, p->path, 0, 0,
		    "not a tyst project (not an SQLite database)");
	if ((code & 0xff) == SQLITE_READONLY)
		return tyst_err_set(err, p->path, 0, 0,
		    "the project is read-only (%s)", what);
	return tyst_err_set(err, p->path, 0, 0, "%s: %s", what,
	    sqlite3_errmsg(p->db));
}

static int
exec(struct tyst_project *p, const char *sql, struct tyst_err *err)
{
	if (sqlite3_exec(p->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_err(p, err, "database error");
	return 0;
}

static sqlite3_stmt *
stmt(struct tyst_project *p, int which, struct tyst_err *err)
{
	sqlite3_stmt *s = p->st[which];

	if (s != NULL) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v2(p->db, stmt_sql[which], -1, &s, NULL) !=
	    SQLITE_OK) {
		db_err(p, err, "preparing a statement");
		return NULL;
	}
	p->st[which] = s;
	return s;
}

static sqlite3_stmt *
prepare(struct tyst_project *p, const char *sql, struct tyst_err *err)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(p->db, sql, -1, &s, NULL) != SQLITE_OK) {
		db_err(p, err, "reading the project");
		return NULL;
	}
	return s;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/*
 * Binds the arguments after types to s, one per letter: 'i' an int64,
 * 'I' an int64 that is NULL when not positive (an optional row id), 't' a
 * text that may be NULL.  One binder so that each single-statement change
 * below is one call rather than a run of bind calls.
 */
static void
bind_args(sqlite3_stmt *s, const char *types, va_list ap)
{
	for (int i = 1; types[i - 1] != '\0'; i++) {
		int64_t v;

		switch (types[i - 1]) {
		case 'i':
			sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
			break;
		case 'I':
			if ((v = va_arg(ap, int64_t)) > 0)
				sqlite3_bind_int64(s, i, v);
			else
				sqlite3_bind_null(s, i);
			break;
		default:
			bind_text(s, i, va_arg(ap, const char *));
			break;
		}
	}
}

/* Runs one changing statement: the number of rows changed, or -1 with err
 * saying what failed. */
static int
run(struct tyst_project *p, const char *what, struct tyst_err *err,
    const char *sql, const char *types, ...)
{
	sqlite3_stmt *s = prepare(p, sql, err);
	va_list ap;
	int rc;

	if (s == NULL)
		return -1;
	va_start(ap, types);
	bind_args(s, types, ap);
	va_end(ap);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(p, err, what);
	return sqlite3_changes(p->db);
}

/* The first column of the first row as an int64: 0 when there is no row,
 * -1 with err on an error. */
static int64_t
query_id(struct tyst_project *p, const char *what, struct tyst_err *err,
    const char *sql, const char *types, ...)
{
	sqlite3_stmt *s = prepare(p, sql, err);
	va_list ap;
	int64_t id = 0;
	int rc;

	if (s == NULL)
		return -1;
	va_start(ap, types);
	bind_args(s, types, ap);
	va_end(ap);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(p, err, what);
	return id;
}

/* The first column of the first row as a copy (caller frees): 1 found
 * (*out may be NULL for an SQL NULL), 0 no row, -1 error. */
static int
query_text(struct tyst_project *p, char **out, struct tyst_err *err,
    const char *sql, const char *types, ...)
{
	sqlite3_stmt *s = prepare(p, sql, err);
	va_list ap;
	int rc;

	*out = NULL;
	if (s == NULL)
		return -1;
	va_start(ap, types);
	bind_args(s, types, ap);
	va_end(ap);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && col_text(s, 0) != NULL &&
	    (*out = strdup(col_text(s, 0))) == NULL) {
		sqlite3_finalize(s);
		return tyst_err_set(err, p->path, 0, 0, "out of memory");
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_err(p, err, "reading the project");
	return 0;
}

static int
configure(struct tyst_project *p, struct tyst_err *err)
{
	const char *env = getenv("TYST_BUSY_TIMEOUT");
	int ms = 3000;

	if (env != NULL && env[0] != '\0')
		ms = atoi(env);
	sqlite3_busy_timeout(p->db, ms);
	sqlite3_extended_result_codes(p->db, 1);
	return exec(p, "PRAGMA foreign_keys = ON", err);
}

static struct tyst_project *
project_new(const char *path, struct tyst_err *err)
{
	struct tyst_project *p = calloc(1, sizeof(*p));

	if (p == NULL || (p->path = strdup(path)) == NULL) {
		free(p);
		tyst_err_set(err, path, 0, 0, "out of memory");
		return NULL;
	}
	return p;
}

int
tyst_project_create(struct tyst_project **out, const char *path,
    struct tyst_err *err)
{
	struct tyst_project *p;
	struct stat st;
	char now[32], sql[128];

	*out = NULL;
	if (stat(path, &st) == 0)
		return tyst_err_set(err, path, 0, 0,
		    "already exists; a new project needs a new file");
	if ((p = project_new(path, err)) == NULL)
		return -1;
	p->version = TYST_PROJECT_SCHEMA;
	if (sqlite3_open_v2(path, &p->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE, NULL) != SQLITE_OK) {
		tyst_err_set(err, path, 0, 0, "cannot create: %s",
		    p->db ? sqlite3_errmsg(p->db) : "out of memory");
		tyst_project_close(p);
		return -1;
	}
	if (configure(p, err) < 0 || exec(p, "BEGIN IMMEDIATE", err) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d;"
	    " PRAGMA user_version = %d;", TYST_PROJECT_APPID,
	    TYST_PROJECT_SCHEMA);
	if (exec(p, sql, err) < 0 || exec(p, schema, err) < 0 ||
	    exec(p, upgrade_3, err) < 0)
		goto fail;
	tyst_now_iso(now);
	if (tyst_project_set_meta(p, "created", now, err) < 0 ||
	    tyst_project_set_meta(p, "tyst_version", TYST_VERSION, err) < 0 ||
	    exec(p, "COMMIT", err) < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	tyst_project_close(p);
	unlink(path);
	return -1;
}

static int
pragma_int(struct tyst_project *p, const char *sql, int *v,
    struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return db_err(p, err, "reading the schema version");
	}
	*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

static int
upgrade(struct tyst_project *p, struct tyst_err *err)
{
	if (exec(p, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if ((p->version < 2 && exec(p, upgrade_2, err) < 0) ||
	    (p->version < 3 && exec(p, upgrade_3, err) < 0)) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		tyst_project_rollback(p);
		return tyst_err_set(err, p->path, 0, 0, "cannot bring the "
		    "project from schema %d up to %d: %s", p->version,
		    TYST_PROJECT_SCHEMA, why);
	}
	if (exec(p, "COMMIT", err) < 0) {
		tyst_project_rollback(p);
		return -1;
	}
	p->version = TYST_PROJECT_SCHEMA;
	return 0;
}

/*
 * A write that did not finish (a full disk, a crash) leaves a hot journal,
 * which only a writer can roll back: a read-only connection fails with
 * SQLITE_READONLY_ROLLBACK.  The reader rolls it back through a short
 * read-write connection, then reads as asked.
 */
static int
roll_back_hot(const char *path, struct tyst_err *err)
{
	sqlite3 *db = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master",
		    NULL, NULL, NULL);
	sqlite3_close(db);
	if (rc != SQLITE_OK)
		return tyst_err_set(err, path, 0, 0, "a write to the project "
		    "did not finish (a full disk?) and its journal cannot be "
		    "rolled back here: give write access to the project and "
		    "its directory, then run the command again");
	return 0;
}

static int
hot_journal(struct tyst_project *p)
{
	return sqlite3_extended_errcode(p->db) == SQLITE_READONLY_ROLLBACK;
}

static int
project_open(struct tyst_project **out, const char *path, int readonly,
    int *hot, struct tyst_err *err)
{
	struct tyst_project *p;
	struct stat st;
	int appid, version;

	*out = NULL;
	if (stat(path, &st) < 0)
		return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return tyst_err_set(err, path, 0, 0,
		    "is a directory, not a project");
	if ((p = project_new(path, err)) == NULL)
		return -1;
	if (sqlite3_open_v2(path, &p->db, readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		tyst_err_set(err, path, 0, 0, "cannot open: %s",
		    p->db ? sqlite3_errmsg(p->db) : "out of memory");
		tyst_project_close(p);
		return -1;
	}
	if (configure(p, err) < 0 ||
	    pragma_int(p, "PRAGMA application_id", &appid, err) < 0 ||
	    pragma_int(p, "PRAGMA user_version", &version, err) < 0) {
		*hot = readonly && hot_journal(p);
		goto fail;
	}
	if (appid != TYST_PROJECT_APPID) {
		tyst_err_set(err, path, 0, 0, "not a tyst project "
		    "(an SQLite database of another program)");
		goto fail;
	}
	if (version > TYST_PROJECT_SCHEMA) {
		tyst_err_set(err, path, 0, 0, "the project has schema version "
		    "%d, newer than this tyst (%s) understands (%d); "
		    "use a newer tyst", version, TYST_VERSION,
		    TYST_PROJECT_SCHEMA);
		goto fail;
	}
	if (version < 1) {
		tyst_err_set(err, path, 0, 0, "damaged project: no schema "
		    "version");
		goto fail;
	}
	p->version = version;
	/* A read-only open reads an older file as it is (what it lacks
	 * reads as empty); a writer brings it up to date first. */
	if (!readonly && version < TYST_PROJECT_SCHEMA && upgrade(p, err) < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	tyst_project_close(p);
	return -1;
}

int
tyst_project_open(struct tyst_project **out, const char *path, int readonly,
    struct tyst_err *err)
{
	int hot = 0;

	if (project_open(out, path, readonly, &hot, err) == 0)
		return 0;
	if (!hot || roll_back_hot(path, err) < 0)
		return -1;
	return project_open(out, path, readonly, &hot, err);
}

void
tyst_project_close(struct tyst_project *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(p->st[i]);
	sqlite3_close(p->db);
	free(p->path);
	free(p);
}

const char *
tyst_project_path(const struct tyst_project *p)
{
	return p->path;
}

int
tyst_project_begin(struct tyst_project *p, struct tyst_err *err)
{
	if (sqlite3_exec(p->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_err(p, err, "starting a transaction");
	return 0;
}

int
tyst_project_commit(struct tyst_project *p, struct tyst_err *err)
{
	if (sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_err(p, err, "committing");
		tyst_project_rollback(p);
		return -1;
	}
	return 0;
}

void
tyst_project_rollback(struct tyst_project *p)
{
	if (!sqlite3_get_autocommit(p->db))
		sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- meta ------------------------------------------------------------- */

char *
tyst_project_meta(struct tyst_project *p, const char *key)
{
	char *v;

	if (query_text(p, &v, NULL, "SELECT value FROM meta WHERE key = ?",
	    "t", key) < 0)
		return NULL;
	return v;
}

int
tyst_project_set_meta(struct tyst_project *p, const char *key,
    const char *value, struct tyst_err *err)
{
	if (value == NULL)
		return run(p, "writing project metadata", err,
		    "DELETE FROM meta WHERE key = ?1", "t", key) < 0 ? -1 : 0;
	return run(p, "writing project metadata", err,
	    "INSERT INTO meta (key, value) VALUES (?1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", "tt",
	    key, value) < 0 ? -1 : 0;
}

/* ---- lookups by name -------------------------------------------------- */

static int64_t
lookup(struct tyst_project *p, int which, const char *name,
    struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(p, which, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int64(s, 0);
	if (rc == SQLITE_DONE)
		return 0;
	return db_err(p, err, "reading the project");
}

/*
 * A name that would break a line of `tyst-code list` (tab-separated) or
 * mean nobody: empty, or holding a tab, a line break or another control
 * character.
 */
static int
check_name(struct tyst_project *p, const char *what, const char *name,
    struct tyst_err *err)
{
	if (name[0] == '\0')
		return tyst_err_set(err, p->path, 0, 0, "a %s's name may not be "
		    "empty", what);
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return tyst_err_set(err, p->path, 0, 0, "a %s's name may "
			    "not hold a tab, a line break or another control "
			    "character", what);
	return 0;
}

static int64_t
lookup_or_add(struct tyst_project *p, int find, int add, const char *name,
    int create, struct tyst_err *err)
{
	int64_t id = lookup(p, find, name, err);
	sqlite3_stmt *s;
	char now[32];

	if (id != 0 || !create)
		return id;
	if (check_name(p, add == ST_ADD_CASE ? "case" : "coder", name, err) < 0)
		return -1;
	if ((s = stmt(p, add, err)) == NULL)
		return -1;
	tyst_now_iso(now);
	bind_text(s, 1, name);
	bind_text(s, 2, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_err(p, err, "adding to the project");
	return sqlite3_last_insert_rowid(p->db);
}

int64_t
tyst_project_code_id(struct tyst_project *p, const char *code,
    struct tyst_err *err)
{
	return lookup(p, ST_CODE_ID, code, err);
}

int64_t
tyst_project_case(struct tyst_project *p, const char *name, int create,
    struct tyst_err *err)
{
	return lookup_or_add(p, ST_CASE_ID, ST_ADD_CASE, name, create, err);
}

int64_t
tyst_project_coder(struct tyst_project *p, const char *name, int create,
    struct tyst_err *err)
{
	return lookup_or_add(p, ST_CODER_ID, ST_ADD_CODER, name, create, err);
}

int
tyst_project_set_case_attr(struct tyst_project *p, int64_t case_id,
    const char *key, const char *value, struct tyst_err *err)
{
	return run(p, "setting a case attribute", err, "INSERT INTO"
	    " case_attributes (case_id, key, value) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (case_id, key) DO UPDATE SET value = excluded.value",
	    "itt", case_id, key, value) < 0 ? -1 : 0;
}

char *
tyst_project_case_attr(struct tyst_project *p, int64_t case_id,
    const char *key)
{
	char *v;

	if (query_text(p, &v, NULL, "SELECT value FROM case_attributes"
	    " WHERE case_id = ? AND key = ?", "it", case_id, key) < 0)
		return NULL;
	return v;
}

int
tyst_project_case_attrs(struct tyst_project *p, int64_t case_id,
    tyst_pattr_fn fn, void *ctx, struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, "SELECT case_id, key, value FROM"
	    " case_attributes WHERE ?1 = 0 OR case_id = ?1"
	    " ORDER BY case_id, key", err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW)
		stop = fn(sqlite3_column_int64(s, 0), col_text(s, 1),
		    col_text(s, 2), ctx);
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading case attributes");
	return stop;
}

/* Rows of (id, name) from sql, in its order. */
static int
names(struct tyst_project *p, const char *sql, const char *what,
    tyst_name_fn fn, void *ctx, struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, sql, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW)
		stop = fn(sqlite3_column_int64(s, 0), col_text(s, 1), ctx);
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, what);
	return stop;
}

int
tyst_project_cases(struct tyst_project *p, tyst_name_fn fn, void *ctx,
    struct tyst_err *err)
{
	return names(p, "SELECT id, name FROM cases ORDER BY name",
	    "reading cases", fn, ctx, err);
}

int
tyst_project_coders(struct tyst_project *p, tyst_name_fn fn, void *ctx,
    struct tyst_err *err)
{
	return names(p, "SELECT id, name FROM coders ORDER BY name",
	    "reading coders", fn, ctx, err);
}

/* ---- codebook --------------------------------------------------------- */

void
tyst_sync_report_free(struct tyst_sync_report *r)
{
	for (size_t i = 0; i < r->nblocked; i++)
		free(r->blocked[i]);
	free(r->blocked);
	memset(r, 0, sizeof(*r));
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The examples of a code as one text, to compare. */
static char *
joined_examples(const struct tyst_code *c)
{
	size_t n = 1;
	char *v;

	for (size_t i = 0; i < c->nexamples; i++)
		n += strlen(c->examples[i]) + 1;
	if ((v = malloc(n)) == NULL)
		return NULL;
	v[0] = '\0';
	for (size_t i = 0; i < c->nexamples; i++) {
		strcat(v, c->examples[i]);
		strcat(v, "\x1e");
	}
	return v;
}

/* Makes the stored examples of code id those of c: 1 when they changed,
 * 0 when not, -1 error. */
static int
sync_examples(struct tyst_project *p, int64_t id, const struct tyst_code *c,
    struct tyst_err *err)
{
	char *had = NULL, *want = joined_examples(c);
	int rc;

	if (want == NULL)
		return tyst_err_set(err, p->path, 0, 0, "out of memory");
	rc = query_text(p, &had, err, "SELECT group_concat(text || char(30),"
	    " '') FROM (SELECT text FROM code_examples WHERE code_id = ?"
	    " ORDER BY position)", "i", id);
	if (rc < 0 || same(had != NULL ? had : "", want)) {
		free(had);
		free(want);
		return rc < 0 ? -1 : 0;
	}
	free(had);
	free(want);
	if (run(p, "storing examples", err, "DELETE FROM code_examples"
	    " WHERE code_id = ?", "i", id) < 0)
		return -1;
	for (size_t i = 0; i < c->nexamples; i++)
		if (run(p, "storing examples", err, "INSERT INTO code_examples"
		    " (code_id, position, text) VALUES (?, ?, ?)", "iit", id,
		    (int64_t)i, c->examples[i]) < 0)
			return -1;
	return 1;
}

/* Makes the project's sets of codes those of cb (codes synced first). */
static int
sync_sets(struct tyst_project *p, const struct tyst_codebook *cb,
    struct tyst_err *err)
{
	if (run(p, "storing sets", err, "DELETE FROM code_sets", "") < 0)
		return -1;
	for (size_t i = 0; i < cb->nsets; i++) {
		const struct tyst_codeset *s = &cb->sets[i];
		int64_t sid;

		if (run(p, "storing sets", err, "INSERT INTO code_sets (code,"
		    " label, description, position) VALUES (?, ?, ?, ?)",
		    "ttti", s->id, s->label != NULL ? s->label : s->id,
		    s->description, (int64_t)i) < 0)
			return -1;
		sid = sqlite3_last_insert_rowid(p->db);
		for (size_t k = 0; k < s->nmembers; k++)
			if (run(p, "storing sets", err, "INSERT OR IGNORE INTO"
			    " code_set_members (set_id, code_id, position)"
			    " SELECT ?, id, ? FROM codes WHERE code = ?",
			    "iit", sid, (int64_t)k,
			    cb->codes[s->members[k]].id) < 0)
				return -1;
	}
	return 0;
}

/* Adds or updates one code; counts what changed. */
static int
sync_code(struct tyst_project *p, const struct tyst_codebook *cb, size_t i,
    struct tyst_sync_report *r, struct tyst_err *err)
{
	const struct tyst_code *c = &cb->codes[i];
	const char *parent = c->parent >= 0 ? cb->codes[c->parent].id : NULL;
	sqlite3_stmt *s;
	int64_t id;
	int rc, changed = 1;

	if ((id = tyst_project_code_id(p, c->id, err)) < 0)
		return -1;
	if (id > 0) {
		s = prepare(p, "SELECT c.label, c.description, c.inclusion,"
		    " c.exclusion, c.color, pc.code, c.position, c.codable"
		    " FROM codes c LEFT JOIN codes pc ON pc.id = c.parent_id"
		    " WHERE c.id = ?",
		    err);
		if (s == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) == SQLITE_ROW)
			changed = !same(col_text(s, 0), c->label) ||
			    !same(col_text(s, 1), c->description) ||
			    !same(col_text(s, 2), c->inclusion) ||
			    !same(col_text(s, 3), c->exclusion) ||
			    !same(col_text(s, 4), c->color) ||
			    !same(col_text(s, 5), parent) ||
			    sqlite3_column_int(s, 7) != !c->uncodable;
		sqlite3_finalize(s);
		s = prepare(p, "UPDATE codes SET label = ?2, description = ?3,"
		    " inclusion = ?4, exclusion = ?5, color = ?6,"
		    " parent_id = (SELECT id FROM codes WHERE code = ?7),"
		    " position = ?8, codable = ?10 WHERE id = ?1", err);
	} else {
		s = prepare(p, "INSERT INTO codes (id, code, label, description,"
		    " inclusion, exclusion, color, parent_id, position, codable)"
		    " VALUES (NULL, ?9, ?2, ?3, ?4, ?5, ?6,"
		    " (SELECT id FROM codes WHERE code = ?7), ?8, ?10)", err);
	}
	if (s == NULL)
		return -1;
	if (id > 0)
		sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, c->label != NULL ? c->label : c->id);
	bind_text(s, 3, c->description);
	bind_text(s, 4, c->inclusion);
	bind_text(s, 5, c->exclusion);
	bind_text(s, 6, c->color);
	bind_text(s, 7, parent);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)i);
	if (id == 0)
		bind_text(s, 9, c->id);
	sqlite3_bind_int(s, 10, !c->uncodable);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(p, err, "storing a code");
	if ((rc = sync_examples(p, id > 0 ? id :
	    sqlite3_last_insert_rowid(p->db), c, err)) < 0)
		return -1;
	changed |= rc;
	if (id == 0)
		r->added++;
	else if (changed)
		r->changed++;
	else
		r->kept++;
	return 0;
}

static int
add_blocked(struct tyst_sync_report *r, const char *code, long n)
{
	char **v = realloc(r->blocked, (r->nblocked + 1) * sizeof(*v));
	char buf[512];

	if (v == NULL)
		return -1;
	r->blocked = v;
	snprintf(buf, sizeof(buf), "%s (%ld segment%s)", code, n,
	    n == 1 ? "" : "s");
	if ((v[r->nblocked] = strdup(buf)) == NULL)
		return -1;
	r->nblocked++;
	return 0;
}

int
tyst_project_sync_codebook(struct tyst_project *p,
    const struct tyst_codebook *cb, int prune, struct tyst_sync_report *r,
    struct tyst_err *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(r, 0, sizeof(*r));
	/* Parents come before their children in cb->codes, so a parent's row
	 * exists when a child names it. */
	for (size_t i = 0; i < cb->ncodes; i++)
		if (sync_code(p, cb, i, r, err) < 0)
			return -1;
	if (exec(p, "CREATE TEMP TABLE IF NOT EXISTS sync_keep"
	    " (code TEXT PRIMARY KEY); DELETE FROM sync_keep", err) < 0)
		return -1;
	if ((s = prepare(p, "INSERT OR IGNORE INTO sync_keep VALUES (?)", err))
	    == NULL)
		return -1;
	for (size_t i = 0; i < cb->ncodes; i++) {
		sqlite3_reset(s);
		bind_text(s, 1, cb->codes[i].id);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_finalize(s);
			return db_err(p, err, "comparing codebooks");
		}
	}
	sqlite3_finalize(s);
	s = prepare(p, "SELECT c.code, count(s.id) FROM codes c LEFT JOIN"
	    " segments s ON s.code_id = c.id WHERE c.code NOT IN"
	    " (SELECT code FROM sync_keep) GROUP BY c.id ORDER BY c.position",
	    err);
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		long n = sqlite3_column_int64(s, 1);

		r->removed++;
		r->segments_dropped += (size_t)n;
		if (n > 0 && !prune && add_blocked(r, col_text(s, 0), n) < 0) {
			sqlite3_finalize(s);
			return tyst_err_set(err, p->path, 0, 0,
			    "out of memory");
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(p, err, "comparing codebooks");
	if (r->nblocked > 0)
		return tyst_err_set(err, cb->path, 0, 0, "%zu code%s with "
		    "segments %s missing from the codebook; the segments would "
		    "be lost (add the codes back, or sync with --prune to "
		    "delete them)", r->nblocked, r->nblocked == 1 ? "" : "s",
		    r->nblocked == 1 ? "is" : "are");
	if (exec(p, "DELETE FROM codes WHERE code NOT IN"
	    " (SELECT code FROM sync_keep)", err) < 0 ||
	    sync_sets(p, cb, err) < 0)
		return -1;
	if (tyst_project_set_meta(p, "codebook_path", cb->path, err) < 0 ||
	    tyst_project_set_meta(p, "codebook_title", cb->title, err) < 0 ||
	    tyst_project_set_meta(p, "codebook_version", cb->version, err) < 0)
		return -1;
	return 0;
}

int
tyst_project_codes(struct tyst_project *p, tyst_pcode_fn fn, void *ctx,
    struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, "SELECT c.id, c.code, c.label,"
	    " c.description, c.color, pc.code, c.position, c.codable,"
	    " c.inclusion, c.exclusion FROM codes c"
	    " LEFT JOIN codes pc ON pc.id = c.parent_id ORDER BY c.position",
	    err);
	struct tyst_pcode c;
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		c.id = sqlite3_column_int64(s, 0);
		c.code = col_text(s, 1);
		c.label = col_text(s, 2);
		c.description = col_text(s, 3);
		c.color = col_text(s, 4);
		c.parent = col_text(s, 5);
		c.position = (long)sqlite3_column_int64(s, 6);
		c.codable = sqlite3_column_int(s, 7);
		c.inclusion = col_text(s, 8);
		c.exclusion = col_text(s, 9);
		stop = fn(&c, ctx);
	}
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading codes");
	return stop;
}

/* ---- documents -------------------------------------------------------- */

int
tyst_project_check_new(struct tyst_project *p, const char *name,
    const char *sha256, const char *source, struct tyst_err *err)
{
	sqlite3_stmt *s;
	int64_t dup;

	if ((dup = lookup(p, ST_DOC_BY_NAME, name, err)) < 0)
		return -1;
	if (dup > 0)
		return tyst_err_set(err, source, 0, 0,
		    "a document named '%s' is already in the project", name);
	if ((s = stmt(p, ST_DOC_BY_SHA, err)) == NULL)
		return -1;
	bind_text(s, 1, sha256);
	if (sqlite3_step(s) == SQLITE_ROW)
		return tyst_err_set(err, source, 0, 0, "already imported: "
		    "the same text (sha256 %.12s…) is document '%s'",
		    sha256, col_text(s, 0));
	return 0;
}

int
tyst_project_set_document_case(struct tyst_project *p, int64_t doc,
    int64_t case_id, struct tyst_err *err)
{
	int n = run(p, "changing the project", err, "UPDATE documents SET"
	    " case_id = ?2 WHERE id = ?1 AND case_id IS NULL", "ii", doc,
	    case_id);

	return n < 0 ? -1 : n > 0;
}

int64_t
tyst_project_document_id_by_sha(struct tyst_project *p, const char *sha256,
    struct tyst_err *err)
{
	return query_id(p, "reading documents", err,
	    "SELECT id FROM documents WHERE sha256 = ?", "t", sha256);
}

int
tyst_project_add_document(struct tyst_project *p, const struct tyst_pdoc *d,
    int64_t *id, struct tyst_err *err)
{
	sqlite3_stmt *s;

	if (tyst_project_check_new(p, d->name, d->sha256, d->source, err) < 0)
		return -1;
	if ((s = stmt(p, ST_ADD_DOC, err)) == NULL)
		return -1;
	bind_text(s, 1, d->name);
	sqlite3_bind_text(s, 2, d->text, (int)d->len, SQLITE_STATIC);
	bind_text(s, 3, d->sha256);
	bind_text(s, 4, d->file_sha256);
	bind_text(s, 5, d->source);
	bind_text(s, 6, d->imported);
	bind_text(s, 7, d->review);
	bind_text(s, 8, d->key_id);
	if (d->case_id > 0)
		sqlite3_bind_int64(s, 9, d->case_id);
	else
		sqlite3_bind_null(s, 9);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_err(p, err, "storing the document");
	*id = sqlite3_last_insert_rowid(p->db);
	return 0;
}

#define DOC_COLUMNS "d.id, d.name, d.sha256, d.file_sha256, d.source," \
	" d.imported, d.review, d.key_id, c.name, d.case_id, length(CAST(d.text AS BLOB))"

static void
doc_row(sqlite3_stmt *s, struct tyst_pdoc *d, int with_text)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(s, 0);
	d->name = col_text(s, 1);
	d->sha256 = col_text(s, 2);
	d->file_sha256 = col_text(s, 3);
	d->source = col_text(s, 4);
	d->imported = col_text(s, 5);
	d->review = col_text(s, 6);
	d->key_id = col_text(s, 7);
	d->case_name = col_text(s, 8);
	d->case_id = sqlite3_column_int64(s, 9);
	d->len = (size_t)sqlite3_column_int64(s, 10);
	if (with_text) {
		d->text = (const char *)sqlite3_column_blob(s, 11);
		d->len = (size_t)sqlite3_column_bytes(s, 11);
		if (d->text == NULL)
			d->text = "";
	}
}

/* Copies the strings of a row into one allocation owned by o. */
static int
doc_own(const struct tyst_pdoc *d, struct tyst_pdoc_owned *o)
{
	const char *src[10] = { d->name, d->sha256, d->file_sha256, d->source,
	    d->imported, d->review, d->key_id, d->case_name };
	const char **dst[10] = { &o->d.name, &o->d.sha256, &o->d.file_sha256,
	    &o->d.source, &o->d.imported, &o->d.review, &o->d.key_id,
	    &o->d.case_name };
	size_t n = d->len + 1, off;

	for (int i = 0; i < 8; i++)
		n += src[i] != NULL ? strlen(src[i]) + 1 : 0;
	o->d = *d;
	if ((o->mem = malloc(n)) == NULL)
		return -1;
	memcpy(o->mem, d->text, d->len);
	o->mem[d->len] = '\0';
	o->d.text = o->mem;
	off = d->len + 1;
	for (int i = 0; i < 8; i++) {
		if (src[i] == NULL) {
			*dst[i] = NULL;
			continue;
		}
		strcpy(o->mem + off, src[i]);
		*dst[i] = o->mem + off;
		off += strlen(src[i]) + 1;
	}
	return 0;
}

static int
document_where(struct tyst_project *p, const char *where, const char *name,
    int64_t id, struct tyst_pdoc_owned *out, struct tyst_err *err)
{
	char sql[512];
	sqlite3_stmt *s;
	struct tyst_pdoc d;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(sql, sizeof(sql), "SELECT " DOC_COLUMNS ", CAST(d.text AS BLOB)"
	    " FROM documents d LEFT JOIN cases c ON c.id = d.case_id WHERE %s",
	    where);
	if ((s = prepare(p, sql, err)) == NULL)
		return -1;
	if (name != NULL)
		bind_text(s, 1, name);
	else
		sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		doc_row(s, &d, 1);
		if (doc_own(&d, out) < 0) {
			sqlite3_finalize(s);
			return tyst_err_set(err, p->path, 0, 0,
			    "out of memory");
		}
		sqlite3_finalize(s);
		return 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(p, err, "reading a document");
	return 0;
}

int
tyst_project_document(struct tyst_project *p, const char *name,
    struct tyst_pdoc_owned *out, struct tyst_err *err)
{
	return document_where(p, "d.name = ?", name, 0, out, err);
}

int
tyst_project_document_by_id(struct tyst_project *p, int64_t id,
    struct tyst_pdoc_owned *out, struct tyst_err *err)
{
	return document_where(p, "d.id = ?", NULL, id, out, err);
}

void
tyst_pdoc_free(struct tyst_pdoc_owned *o)
{
	free(o->mem);
	memset(o, 0, sizeof(*o));
}

int
tyst_project_documents(struct tyst_project *p, int with_text,
    tyst_pdoc_fn fn, void *ctx, struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, with_text ?
	    "SELECT " DOC_COLUMNS ", CAST(d.text AS BLOB) FROM documents d"
	    " LEFT JOIN cases c ON c.id = d.case_id ORDER BY d.name" :
	    "SELECT " DOC_COLUMNS " FROM documents d"
	    " LEFT JOIN cases c ON c.id = d.case_id ORDER BY d.name", err);
	struct tyst_pdoc d;
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		doc_row(s, &d, with_text);
		stop = fn(&d, ctx);
	}
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading documents");
	return stop;
}

/* ---- segments --------------------------------------------------------- */

int
tyst_project_add_segment(struct tyst_project *p, int64_t doc, int64_t code,
    int64_t coder, uint64_t start, uint64_t end, const char *memo,
    int64_t *id, struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(p, ST_ADD_SEGMENT, err);
	char now[32];

	if (s == NULL)
		return -1;
	if (end <= start)
		return tyst_err_set(err, p->path, 0, 0,
		    "empty segment (%llu-%llu)", (unsigned long long)start,
		    (unsigned long long)end);
	tyst_now_iso(now);
	sqlite3_bind_int64(s, 1, doc);
	sqlite3_bind_int64(s, 2, code);
	sqlite3_bind_int64(s, 3, coder);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)start);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)end);
	bind_text(s, 6, memo);
	sqlite3_bind_text(s, 7, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 8, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_err(p, err, "storing a segment");
	if (sqlite3_changes(p->db) == 0)
		return 0;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(p->db);
	return 1;
}

int
tyst_project_rm_segment(struct tyst_project *p, int64_t id,
    struct tyst_err *err)
{
	int n = run(p, "changing the project", err,
	    "DELETE FROM segments WHERE id = ?1", "i", id);

	return n < 0 ? -1 : n > 0;
}

int
tyst_project_segment_memo(struct tyst_project *p, int64_t id,
    const char *memo, struct tyst_err *err)
{
	char now[32];
	int n;

	tyst_now_iso(now);
	n = run(p, "changing the project", err, "UPDATE segments SET"
	    " memo = ?2, modified = ?3 WHERE id = ?1", "itt", id, memo, now);
	return n < 0 ? -1 : n > 0;
}

int
tyst_project_segment_get_memo(struct tyst_project *p, int64_t id,
    char **memo, struct tyst_err *err)
{
	return query_text(p, memo, err, "SELECT memo FROM segments"
	    " WHERE id = ?", "i", id);
}

int
tyst_project_segment_times(struct tyst_project *p, int64_t id,
    const char *created, const char *modified, struct tyst_err *err)
{
	if (created == NULL || modified == NULL)
		return 0;
	return run(p, "changing the project", err, "UPDATE segments SET"
	    " created = ?2, modified = ?3 WHERE id = ?1", "itt", id, created,
	    modified) < 0 ? -1 : 0;
}

int
tyst_project_find_segment(struct tyst_project *p, int64_t doc, int64_t code,
    int64_t coder, uint64_t start, uint64_t end, int64_t *id, char **memo,
    struct tyst_err *err)
{
	int64_t found;

	*id = 0;
	if (memo != NULL)
		*memo = NULL;
	found = query_id(p, "reading segments", err, "SELECT id FROM segments"
	    " WHERE document_id = ? AND code_id = ? AND coder_id = ? AND"
	    " start_offset = ? AND end_offset = ?", "iiiii", doc, code, coder,
	    (int64_t)start, (int64_t)end);
	if (found <= 0)
		return found < 0 ? -1 : 0;
	*id = found;
	if (memo != NULL && tyst_project_segment_get_memo(p, found, memo,
	    err) < 0)
		return -1;
	return 1;
}

/* Appends s to a growing SQL buffer. */
static int
cat(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		size_t c = (*cap + n + 1) * 2;
		char *b = realloc(*buf, c);

		if (b == NULL)
			return -1;
		*buf = b;
		*cap = c;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return 0;
}

static char *
segment_sql(const struct tyst_segfilter *f, int docattrs)
{
	char *sql = NULL;
	size_t len = 0, cap = 0;
	int bad = 0;

	bad |= cat(&sql, &len, &cap, "SELECT s.id, s.document_id, s.code_id,"
	    " s.coder_id, d.name, c.code, k.name, s.start_offset, s.end_offset,"
	    " s.memo, s.created, s.modified FROM segments s"
	    " JOIN documents d ON d.id = s.document_id"
	    " JOIN codes c ON c.id = s.code_id"
	    " JOIN coders k ON k.id = s.coder_id"
	    " LEFT JOIN cases cs ON cs.id = d.case_id WHERE 1");
	if (f != NULL && f->ncodes > 0) {
		bad |= cat(&sql, &len, &cap, " AND c.code IN (?");
		for (size_t i = 1; i < f->ncodes; i++)
			bad |= cat(&sql, &len, &cap, ", ?");
		bad |= cat(&sql, &len, &cap, ")");
	}
	if (f != NULL && f->document != NULL)
		bad |= cat(&sql, &len, &cap, " AND d.name = ?");
	if (f != NULL && f->case_name != NULL)
		bad |= cat(&sql, &len, &cap, " AND cs.name = ?");
	/* KEY=VALUE holds of the document's case or of the document. */
	for (size_t i = 0; f != NULL && i < f->nattrs; i++) {
		bad |= cat(&sql, &len, &cap, " AND (EXISTS (SELECT 1 FROM"
		    " case_attributes a WHERE a.case_id = d.case_id"
		    " AND a.key = ? AND a.value = ?)");
		if (docattrs)
			bad |= cat(&sql, &len, &cap, " OR EXISTS (SELECT 1"
			    " FROM document_attributes a WHERE"
			    " a.document_id = d.id AND a.key = ?"
			    " AND a.value = ?)");
		bad |= cat(&sql, &len, &cap, ")");
	}
	if (f != NULL && f->coder != NULL)
		bad |= cat(&sql, &len, &cap, " AND k.name = ?");
	if (f != NULL && f->document_id > 0)
		bad |= cat(&sql, &len, &cap, " AND s.document_id = ?");
	if (f != NULL && f->coder_id > 0)
		bad |= cat(&sql, &len, &cap, " AND s.coder_id = ?");
	bad |= cat(&sql, &len, &cap, " ORDER BY c.position, d.name,"
	    " s.start_offset, s.end_offset, k.name");
	if (bad) {
		free(sql);
		return NULL;
	}
	return sql;
}

int
tyst_project_segments(struct tyst_project *p, const struct tyst_segfilter *f,
    tyst_psegment_fn fn, void *ctx, struct tyst_err *err)
{
	int docattrs = p->version >= 3;
	char *sql = segment_sql(f, docattrs);
	sqlite3_stmt *s;
	struct tyst_psegment g;
	int rc, stop = 0, n = 1;

	if (sql == NULL)
		return tyst_err_set(err, p->path, 0, 0, "out of memory");
	s = prepare(p, sql, err);
	free(sql);
	if (s == NULL)
		return -1;
	for (size_t i = 0; f != NULL && i < f->ncodes; i++)
		bind_text(s, n++, f->codes[i]);
	if (f != NULL && f->document != NULL)
		bind_text(s, n++, f->document);
	if (f != NULL && f->case_name != NULL)
		bind_text(s, n++, f->case_name);
	for (size_t i = 0; f != NULL && i < f->nattrs; i++)
		for (int k = 0; k < 1 + docattrs; k++) {
			bind_text(s, n++, f->attr_keys[i]);
			bind_text(s, n++, f->attr_values[i]);
		}
	if (f != NULL && f->coder != NULL)
		bind_text(s, n++, f->coder);
	if (f != NULL && f->document_id > 0)
		sqlite3_bind_int64(s, n++, f->document_id);
	if (f != NULL && f->coder_id > 0)
		sqlite3_bind_int64(s, n++, f->coder_id);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		g.id = sqlite3_column_int64(s, 0);
		g.document_id = sqlite3_column_int64(s, 1);
		g.code_id = sqlite3_column_int64(s, 2);
		g.coder_id = sqlite3_column_int64(s, 3);
		g.document = col_text(s, 4);
		g.code = col_text(s, 5);
		g.coder = col_text(s, 6);
		g.start = (uint64_t)sqlite3_column_int64(s, 7);
		g.end = (uint64_t)sqlite3_column_int64(s, 8);
		g.memo = col_text(s, 9);
		g.created = col_text(s, 10);
		g.modified = col_text(s, 11);
		stop = fn(&g, ctx);
	}
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading segments");
	return stop;
}

/* ---- memos ------------------------------------------------------------ */

int
tyst_project_add_memo(struct tyst_project *p, int64_t doc, int64_t code,
    int64_t coder, const char *text, struct tyst_err *err)
{
	return tyst_project_add_memo_at(p, doc, code, coder, text, NULL, err);
}

int
tyst_project_add_memo_at(struct tyst_project *p, int64_t doc, int64_t code,
    int64_t coder, const char *text, const char *created,
    struct tyst_err *err)
{
	char now[32];

	tyst_now_iso(now);
	return run(p, "storing a memo", err, "INSERT INTO memos (document_id,"
	    " code_id, coder_id, text, created) VALUES (?, ?, ?, ?, ?)",
	    "IIItt", doc, code, coder, text, created != NULL ? created : now)
	    < 0 ? -1 : 0;
}

int
tyst_project_memo_exists(struct tyst_project *p, int64_t doc, int64_t code,
    int64_t coder, const char *text, struct tyst_err *err)
{
	int64_t n = query_id(p, "reading memos", err, "SELECT 1 FROM memos"
	    " WHERE document_id IS ? AND code_id IS ? AND coder_id IS ?"
	    " AND text = ?", "IIIt", doc, code, coder, text);

	return n < 0 ? -1 : n > 0;
}

int
tyst_project_memos(struct tyst_project *p, int64_t doc, int64_t code,
    tyst_pmemo_fn fn, void *ctx, struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, "SELECT m.id, d.name, c.code, k.name,"
	    " m.text, m.created FROM memos m"
	    " LEFT JOIN documents d ON d.id = m.document_id"
	    " LEFT JOIN codes c ON c.id = m.code_id"
	    " LEFT JOIN coders k ON k.id = m.coder_id"
	    " WHERE (?1 = 0 OR m.document_id = ?1)"
	    " AND (?2 = 0 OR m.code_id = ?2) ORDER BY m.id", err);
	struct tyst_pmemo m;
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	sqlite3_bind_int64(s, 2, code);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		m.id = sqlite3_column_int64(s, 0);
		m.document = col_text(s, 1);
		m.code = col_text(s, 2);
		m.coder = col_text(s, 3);
		m.text = col_text(s, 4);
		m.created = col_text(s, 5);
		stop = fn(&m, ctx);
	}
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading memos");
	return stop;
}

/* ---- pseudonyms ------------------------------------------------------- */

int
tyst_project_add_pseudonym(struct tyst_project *p, int64_t doc,
    const char *text, const char *category, struct tyst_err *err)
{
	return run(p, "storing a pseudonym", err, "INSERT OR REPLACE INTO"
	    " pseudonyms (document_id, text, category, origin)"
	    " VALUES (?, ?, ?, 'manifest')", "itt", doc, text, category) < 0 ?
	    -1 : 0;
}

int
tyst_project_pseudonyms(struct tyst_project *p, int64_t doc,
    tyst_name_fn fn, void *ctx, struct tyst_err *err)
{
	sqlite3_stmt *s;
	int rc, stop = 0;

	if (p->version < 2)
		return 0;       /* schema 1 knew none it could vouch for */
	s = prepare(p, "SELECT document_id, text FROM pseudonyms"
	    " WHERE origin = 'manifest' AND (?1 = 0 OR document_id = ?1)"
	    " ORDER BY document_id, text", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW)
		stop = fn(sqlite3_column_int64(s, 0), col_text(s, 1), ctx);
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading pseudonyms");
	return stop;
}

/* ---- texts allowed through an export ------------------------------------ */

int
tyst_project_allow(struct tyst_project *p, const char *text,
    struct tyst_err *err)
{
	sqlite3_stmt *s;
	char now[32];
	int rc;

	if (p->version < 2)
		return tyst_err_set(err, p->path, 0, 0, "the project has "
		    "schema %d; open it for writing once to upgrade it",
		    p->version);
	if ((s = prepare(p, "INSERT OR IGNORE INTO allowed (text, created)"
	    " VALUES (?, ?)", err)) == NULL)
		return -1;
	tyst_now_iso(now);
	bind_text(s, 1, text);
	bind_text(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(p, err, "storing an allowed text");
	return 0;
}

int
tyst_project_allowed(struct tyst_project *p, tyst_name_fn fn, void *ctx,
    struct tyst_err *err)
{
	sqlite3_stmt *s;
	int rc, stop = 0;

	if (p->version < 2)
		return 0;
	if ((s = prepare(p, "SELECT text FROM allowed ORDER BY text", err))
	    == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW)
		stop = fn(0, col_text(s, 0), ctx);
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading allowed texts");
	return stop;
}

/* ---- the whole codebook ------------------------------------------------ */

/* Index of the row id in ids[0..n), or -1. */
static long
index_of(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return (long)i;
	return -1;
}

static char *
dup_col(sqlite3_stmt *s, int i, int *oom)
{
	const char *t = col_text(s, i);
	char *v;

	if (t == NULL)
		return NULL;
	if ((v = strdup(t)) == NULL)
		*oom = 1;
	return v;
}

static int
cb_codes(struct tyst_project *p, struct tyst_codebook *cb, int64_t **ids,
    int *oom, struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, "SELECT id, code, label, description,"
	    " inclusion, exclusion, color, parent_id, codable FROM codes"
	    " ORDER BY position", err);
	size_t cap = 0;
	int rc = SQLITE_DONE;

	if (s == NULL)
		return -1;
	while (!*oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct tyst_code *c;
		long parent;

		if (cb->ncodes == cap) {
			size_t nc = cap ? cap * 2 : 32;
			void *a = realloc(cb->codes, nc * sizeof(*cb->codes));
			void *b = a != NULL ? realloc(*ids, nc * sizeof(**ids))
			    : NULL;

			if (a != NULL)
				cb->codes = a;
			if (b == NULL) {
				*oom = 1;
				break;
			}
			*ids = b;
			cap = nc;
		}
		c = &cb->codes[cb->ncodes];
		memset(c, 0, sizeof(*c));
		(*ids)[cb->ncodes] = sqlite3_column_int64(s, 0);
		c->id = dup_col(s, 1, oom);
		c->label = dup_col(s, 2, oom);
		c->description = dup_col(s, 3, oom);
		c->inclusion = dup_col(s, 4, oom);
		c->exclusion = dup_col(s, 5, oom);
		c->color = dup_col(s, 6, oom);
		parent = index_of(*ids, cb->ncodes, sqlite3_column_int64(s, 7));
		c->parent = parent;
		c->depth = parent >= 0 ? cb->codes[parent].depth + 1 : 0;
		c->uncodable = !sqlite3_column_int(s, 8);
		cb->ncodes++;
	}
	sqlite3_finalize(s);
	if (!*oom && rc != SQLITE_DONE)
		return db_err(p, err, "reading codes");
	return 0;
}

static int
cb_examples(struct tyst_project *p, struct tyst_codebook *cb,
    const int64_t *ids, int *oom, struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, "SELECT code_id, text FROM code_examples"
	    " ORDER BY code_id, position", err);
	int rc = SQLITE_DONE;

	if (s == NULL)
		return -1;
	while (!*oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		long i = index_of(ids, cb->ncodes, sqlite3_column_int64(s, 0));
		struct tyst_code *c;
		char **v;

		if (i < 0)
			continue;
		c = &cb->codes[i];
		if ((v = realloc(c->examples, (c->nexamples + 1) *
		    sizeof(*v))) == NULL) {
			*oom = 1;
			break;
		}
		c->examples = v;
		if ((v[c->nexamples] = dup_col(s, 1, oom)) != NULL)
			c->nexamples++;
	}
	sqlite3_finalize(s);
	if (!*oom && rc != SQLITE_DONE)
		return db_err(p, err, "reading examples");
	return 0;
}

static int
cb_sets(struct tyst_project *p, struct tyst_codebook *cb, const int64_t *ids,
    int *oom, struct tyst_err *err)
{
	sqlite3_stmt *s = prepare(p, "SELECT cs.code, cs.label,"
	    " cs.description, m.code_id FROM code_sets cs"
	    " LEFT JOIN code_set_members m ON m.set_id = cs.id"
	    " ORDER BY cs.position, m.position", err);
	struct tyst_codeset *set = NULL;
	int rc = SQLITE_DONE;

	if (s == NULL)
		return -1;
	while (!*oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		long i;

		if (set == NULL || strcmp(set->id, col_text(s, 0)) != 0) {
			void *v = realloc(cb->sets, (cb->nsets + 1) *
			    sizeof(*cb->sets));

			if (v == NULL) {
				*oom = 1;
				break;
			}
			cb->sets = v;
			set = &cb->sets[cb->nsets++];
			memset(set, 0, sizeof(*set));
			set->id = dup_col(s, 0, oom);
			set->label = dup_col(s, 1, oom);
			set->description = dup_col(s, 2, oom);
			if (set->id == NULL)
				break;
		}
		i = index_of(ids, cb->ncodes, sqlite3_column_int64(s, 3));
		if (i >= 0) {
			size_t *m = realloc(set->members, (set->nmembers + 1) *
			    sizeof(*m));

			if (m == NULL) {
				*oom = 1;
				break;
			}
			set->members = m;
			m[set->nmembers++] = (size_t)i;
		}
	}
	sqlite3_finalize(s);
	if (!*oom && rc != SQLITE_DONE)
		return db_err(p, err, "reading sets");
	return 0;
}

int
tyst_project_codebook(struct tyst_project *p, struct tyst_codebook *cb,
    struct tyst_err *err)
{
	int64_t *ids = NULL;
	int oom = 0, rc = -1;

	memset(cb, 0, sizeof(*cb));
	cb->path = tyst_project_meta(p, "codebook_path");
	if (cb->path == NULL && (cb->path = strdup(p->path)) == NULL)
		oom = 1;
	cb->title = tyst_project_meta(p, "codebook_title");
	cb->version = tyst_project_meta(p, "codebook_version");
	if (cb_codes(p, cb, &ids, &oom, err) < 0)
		goto out;
	if (p->version >= 3 && !oom &&
	    (cb_examples(p, cb, ids, &oom, err) < 0 ||
	    cb_sets(p, cb, ids, &oom, err) < 0))
		goto out;
	rc = 0;
out:
	free(ids);
	if (oom && rc == 0)
		rc = tyst_err_set(err, p->path, 0, 0, "out of memory");
	if (rc < 0)
		tyst_codebook_free(cb);
	return rc;
}

/* ---- GUIDs from REFI-QDA files ----------------------------------------- */

static const char *const guid_table[] = {
	[TYST_GUID_CODE] = "codes",
	[TYST_GUID_CODER] = "coders",
	[TYST_GUID_DOCUMENT] = "documents",
	[TYST_GUID_CASE] = "cases",
};

int
tyst_project_set_guid(struct tyst_project *p, int kind, int64_t id,
    const char *guid, struct tyst_err *err)
{
	char sql[128];

	if (kind < 0 || kind > TYST_GUID_CASE)
		return tyst_err_set(err, p->path, 0, 0, "no such kind of GUID");
	/* The first file's GUID stays: a later file does not rename. */
	snprintf(sql, sizeof(sql), "UPDATE %s SET guid = ?2 WHERE id = ?1"
	    " AND guid IS NULL", guid_table[kind]);
	return run(p, "storing a GUID", err, sql, "it", id, guid) < 0 ? -1 : 0;
}

char *
tyst_project_guid(struct tyst_project *p, int kind, int64_t id)
{
	char sql[128], *v;

	if (p->version < 3 || kind < 0 || kind > TYST_GUID_CASE)
		return NULL;
	snprintf(sql, sizeof(sql), "SELECT guid FROM %s WHERE id = ?",
	    guid_table[kind]);
	if (query_text(p, &v, NULL, sql, "i", id) < 0)
		return NULL;
	return v;
}

/* ---- attributes of documents, memos of cases --------------------------- */

/* A writer of schema 3 only: a read-only older project has no place. */
static int
need_3(struct tyst_project *p, struct tyst_err *err)
{
	if (p->version >= 3)
		return 0;
	return tyst_err_set(err, p->path, 0, 0, "the project has schema %d; "
	    "open it for writing once to upgrade it", p->version);
}

int
tyst_project_set_document_attr(struct tyst_project *p, int64_t doc,
    const char *key, const char *value, struct tyst_err *err)
{
	if (need_3(p, err) < 0)
		return -1;
	return run(p, "setting a document attribute", err, "INSERT INTO"
	    " document_attributes (document_id, key, value) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (document_id, key) DO UPDATE SET"
	    " value = excluded.value", "itt", doc, key, value) < 0 ? -1 : 0;
}

char *
tyst_project_document_attr(struct tyst_project *p, int64_t doc,
    const char *key)
{
	char *v;

	if (p->version < 3 || query_text(p, &v, NULL, "SELECT value FROM"
	    " document_attributes WHERE document_id = ? AND key = ?", "it",
	    doc, key) < 0)
		return NULL;
	return v;
}

int
tyst_project_document_attrs(struct tyst_project *p, int64_t doc,
    tyst_pattr_fn fn, void *ctx, struct tyst_err *err)
{
	sqlite3_stmt *s;
	int rc, stop = 0;

	if (p->version < 3)
		return 0;
	if ((s = prepare(p, "SELECT document_id, key, value FROM"
	    " document_attributes WHERE ?1 = 0 OR document_id = ?1"
	    " ORDER BY document_id, key", err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW)
		stop = fn(sqlite3_column_int64(s, 0), col_text(s, 1),
		    col_text(s, 2), ctx);
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading document attributes");
	return stop;
}

int
tyst_project_set_case_description(struct tyst_project *p, int64_t case_id,
    const char *text, struct tyst_err *err)
{
	if (need_3(p, err) < 0)
		return -1;
	return run(p, "setting a case's memo", err, "UPDATE cases SET"
	    " description = ?2 WHERE id = ?1", "it", case_id, text) < 0 ?
	    -1 : 0;
}

char *
tyst_project_case_description(struct tyst_project *p, int64_t case_id)
{
	char *v;

	if (p->version < 3 || query_text(p, &v, NULL, "SELECT description"
	    " FROM cases WHERE id = ?", "i", case_id) < 0)
		return NULL;
	return v;
}

/* ---- annotations and journals ------------------------------------------ */

int
tyst_project_add_annotation(struct tyst_project *p, int64_t doc,
    int64_t coder, uint64_t start, uint64_t end, const char *text,
    const char *created, const char *guid, struct tyst_err *err)
{
	char now[32];
	int64_t had;

	if (need_3(p, err) < 0)
		return -1;
	if (end < start)
		return tyst_err_set(err, p->path, 0, 0, "annotation %llu-%llu "
		    "ends before it starts", (unsigned long long)start,
		    (unsigned long long)end);
	had = query_id(p, "reading annotations", err, "SELECT 1 FROM"
	    " annotations WHERE document_id = ? AND start_offset = ? AND"
	    " end_offset = ? AND text = ?", "iiit", doc, (int64_t)start,
	    (int64_t)end, text);
	if (had != 0)
		return had < 0 ? -1 : 0;
	tyst_now_iso(now);
	return run(p, "storing an annotation", err, "INSERT INTO annotations"
	    " (document_id, coder_id, start_offset, end_offset, text, created,"
	    " guid) VALUES (?, ?, ?, ?, ?, ?, ?)", "iIiittt", doc, coder,
	    (int64_t)start, (int64_t)end, text, created != NULL ? created :
	    now, guid) < 0 ? -1 : 1;
}

int
tyst_project_annotations(struct tyst_project *p, int64_t doc,
    tyst_pannotation_fn fn, void *ctx, struct tyst_err *err)
{
	sqlite3_stmt *s;
	struct tyst_pannotation a;
	int rc, stop = 0;

	if (p->version < 3)
		return 0;
	if ((s = prepare(p, "SELECT a.id, a.document_id, d.name, k.name,"
	    " a.start_offset, a.end_offset, a.text, a.created, a.guid"
	    " FROM annotations a JOIN documents d ON d.id = a.document_id"
	    " LEFT JOIN coders k ON k.id = a.coder_id"
	    " WHERE ?1 = 0 OR a.document_id = ?1"
	    " ORDER BY d.name, a.start_offset, a.end_offset, a.id", err))
	    == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		a.id = sqlite3_column_int64(s, 0);
		a.document_id = sqlite3_column_int64(s, 1);
		a.document = col_text(s, 2);
		a.coder = col_text(s, 3);
		a.start = (uint64_t)sqlite3_column_int64(s, 4);
		a.end = (uint64_t)sqlite3_column_int64(s, 5);
		a.text = col_text(s, 6);
		a.created = col_text(s, 7);
		a.guid = col_text(s, 8);
		stop = fn(&a, ctx);
	}
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading annotations");
	return stop;
}

int
tyst_project_add_journal(struct tyst_project *p, const char *name,
    const char *text, int64_t coder, const char *created, const char *guid,
    struct tyst_err *err)
{
	char now[32];
	int64_t had;

	if (need_3(p, err) < 0)
		return -1;
	had = query_id(p, "reading journals", err, "SELECT 1 FROM journals"
	    " WHERE name = ? AND text = ?", "tt", name, text);
	if (had != 0)
		return had < 0 ? -1 : 0;
	tyst_now_iso(now);
	return run(p, "storing a journal", err, "INSERT INTO journals (name,"
	    " text, coder_id, created, guid) VALUES (?, ?, ?, ?, ?)", "ttItt",
	    name, text, coder, created != NULL ? created : now, guid) < 0 ?
	    -1 : 1;
}

int
tyst_project_journals(struct tyst_project *p, tyst_pjournal_fn fn, void *ctx,
    struct tyst_err *err)
{
	sqlite3_stmt *s;
	struct tyst_pjournal j;
	int rc, stop = 0;

	if (p->version < 3)
		return 0;
	if ((s = prepare(p, "SELECT j.id, j.name, j.text, k.name, j.created,"
	    " j.guid FROM journals j LEFT JOIN coders k ON k.id = j.coder_id"
	    " ORDER BY j.id", err)) == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		j.id = sqlite3_column_int64(s, 0);
		j.name = col_text(s, 1);
		j.text = col_text(s, 2);
		j.coder = col_text(s, 3);
		j.created = col_text(s, 4);
		j.guid = col_text(s, 5);
		stop = fn(&j, ctx);
	}
	sqlite3_finalize(s);
	if (!stop && rc != SQLITE_DONE)
		return db_err(p, err, "reading journals");
	return stop;
}

void
tyst_project_remove(const char *path)
{
	static const char *const side[] = { "-wal", "-shm", "-journal" };
	char p[4096];

	unlink(path);
	for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, side[i]);
		unlink(p);
	}
}
