/*
 * keystore — the key of a pseudonymisation in SQLite
 * (include/tyst/keystore.h): which original became which pseudonym and
 * where, so an output can be turned back byte for byte.  The key's SQL
 * lives here and nowhere else; statements are prepared once per key and
 * each one is run through step_done(), step_row() or rows_end(), so every
 * failure is named the same way.
 */
#include "tyst/clock.h"
#include "tyst/keystore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* "tyst" as a big-endian integer: file(1) and tools can tell the file. */
#define TYST_KEY_APPID 0x74797374

enum {
	Q_FIND, Q_GET, Q_IS_ORIG, Q_IS_PSEUDO, Q_ADD, Q_COUNTER_GET,
	Q_COUNTER_SET, Q_DOC_ADD, Q_SPAN_ADD, Q_DOC_FINISH, Q_DOC_OLD,
	Q_DOC_DEL_SPANS, Q_DOC_DEL, Q_DOC_FIND, Q_SPANS, Q_RUN_ADD,
	Q_DOC_DEL_RUNS, Q_RUNS, Q_ORIGINAL, Q_PART_ADD, Q_DOC_DEL_PARTS,
	Q_PARTS, NQ
};

static const char *const sql_text[NQ] = {
	[Q_FIND] = "SELECT id, pseudonym FROM entries WHERE category = ?1 "
	    "AND strategy = ?2 AND original = ?3",
	[Q_GET] = "SELECT category, strategy, original, pseudonym FROM entries "
	    "WHERE id = ?1",
	[Q_IS_ORIG] = "SELECT 1 FROM entries WHERE original = ?1 LIMIT 1",
	[Q_IS_PSEUDO] = "SELECT 1 FROM entries WHERE pseudonym = ?1 "
	    "AND distinct_p LIMIT 1",
	[Q_ADD] = "INSERT INTO entries(category, strategy, original, pseudonym,"
	    " distinct_p, first_document, created) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_COUNTER_GET] = "SELECT n FROM counters WHERE label = ?1",
	[Q_COUNTER_SET] = "INSERT OR REPLACE INTO counters(label, n) "
	    "VALUES (?1, ?2)",
	[Q_DOC_ADD] = "INSERT INTO documents(name, created) VALUES (?1, ?2)",
	[Q_SPAN_ADD] = "INSERT INTO spans(document, out_start, out_end, entry,"
	    " tail) VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_DOC_FINISH] = "UPDATE documents SET output_sha256 = ?2, "
	    "input_sha256 = ?3 WHERE id = ?1",
	[Q_DOC_OLD] = "SELECT id FROM documents WHERE output_sha256 = ?1 "
	    "AND name = ?2 AND id <> ?3",
	[Q_DOC_DEL_SPANS] = "DELETE FROM spans WHERE document = ?1",
	[Q_DOC_DEL] = "DELETE FROM documents WHERE id = ?1",
	[Q_DOC_FIND] = "SELECT id FROM documents WHERE output_sha256 = ?1 "
	    "ORDER BY (name = ?2) DESC, id DESC LIMIT 1",
	[Q_SPANS] = "SELECT s.out_start, s.out_end, s.entry, e.original, s.tail"
	    " FROM spans s JOIN entries e ON e.id = s.entry"
	    " WHERE s.document = ?1 ORDER BY s.out_start",
	[Q_RUN_ADD] = "INSERT INTO span_runs(document, out_start, n, data) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[Q_DOC_DEL_RUNS] = "DELETE FROM span_runs WHERE document = ?1",
	[Q_RUNS] = "SELECT out_start, n, data FROM span_runs "
	    "WHERE document = ?1 ORDER BY out_start",
	[Q_ORIGINAL] = "SELECT original FROM entries WHERE id = ?1",
	[Q_PART_ADD] = "INSERT OR REPLACE INTO doc_parts(document, name, "
	    "written_sha256, data) VALUES (?1, ?2, ?3, ?4)",
	[Q_DOC_DEL_PARTS] = "DELETE FROM doc_parts WHERE document = ?1",
	[Q_PARTS] = "SELECT name, written_sha256, data FROM doc_parts "
	    "WHERE document = ?1 ORDER BY name",
};

/*
 * Schema 2 keeps the spans of a document in runs: a row per few thousand
 * spans instead of a row each, since a B-tree insert per replacement was
 * most of the cost of pseudonymising a large corpus.  Version 1 keys get
 * the table on open and keep their old rows in spans, which are still read.
 */
#define RUNS_TABLE \
	"CREATE TABLE IF NOT EXISTS span_runs(" \
	"document INTEGER NOT NULL REFERENCES documents(id)," \
	" out_start INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL," \
	" PRIMARY KEY(document, out_start));"

/*
 * Schema 3 keeps, for a Word or OpenDocument output, the original bytes of
 * each part of the zip the output does not hold as it was (the scrubbed
 * metadata, the runs a name was split over), so --reverse restores every
 * part exactly.  Version 1 and 2 keys get the table on open.
 */
#define PARTS_TABLE \
	"CREATE TABLE IF NOT EXISTS doc_parts(" \
	"document INTEGER NOT NULL REFERENCES documents(id)," \
	" name TEXT NOT NULL, written_sha256 TEXT NOT NULL, data BLOB NOT NULL," \
	" PRIMARY KEY(document, name));"

/* A run is written when its encoding reaches this size. */
#define RUN_BYTES 32768

static const char schema[] =
	"CREATE TABLE tyst_key(key_id TEXT NOT NULL, created TEXT NOT NULL,"
	" version TEXT NOT NULL);"
	"CREATE TABLE entries(id INTEGER PRIMARY KEY,"
	" category TEXT NOT NULL, strategy TEXT NOT NULL,"
	" original TEXT NOT NULL, pseudonym TEXT NOT NULL,"
	" distinct_p INTEGER NOT NULL, first_document TEXT,"
	" created TEXT NOT NULL, UNIQUE(category, strategy, original));"
	"CREATE UNIQUE INDEX entries_pseudonym ON entries(pseudonym)"
	" WHERE distinct_p;"
	"CREATE INDEX entries_original ON entries(original);"
	"CREATE TABLE counters(label TEXT PRIMARY KEY, n INTEGER NOT NULL);"
	"CREATE TABLE documents(id INTEGER PRIMARY KEY, output_sha256 TEXT,"
	" input_sha256 TEXT, name TEXT NOT NULL, created TEXT NOT NULL);"
	"CREATE INDEX documents_sha ON documents(output_sha256);"
	"CREATE TABLE spans(document INTEGER NOT NULL REFERENCES documents(id),"
	" out_start INTEGER NOT NULL, out_end INTEGER NOT NULL,"
	" entry INTEGER NOT NULL REFERENCES entries(id),"
	" tail BLOB NOT NULL, PRIMARY KEY(document, out_start)) WITHOUT ROWID;"
	RUNS_TABLE PARTS_TABLE;

static int flush_run(struct tyst_key *k, struct tyst_err *err);

struct tyst_key {
	sqlite3 *db;
	char *path;
	char key_id[40];
	int in_tx;
	int readonly;           /* opened read-only (TYST_KEY_READ) */
	long long version;      /* user_version when opened */
	sqlite3_stmt *q[NQ];
	/* the run of spans not yet written (span_runs) */
	int64_t run_doc;
	uint64_t run_start, run_end;
	long run_n;
	unsigned char *run;
	size_t run_len, run_cap;
};

static int
db_err(struct tyst_key *k, struct tyst_err *err, const char *what)
{
	int code = sqlite3_errcode(k->db);

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return tyst_err_set(err, k->path, 0, 0, "the key is locked by "
		    "another process (waited; try again later)");
	if (code == SQLITE_FULL)
		return tyst_err_set(err, k->path, 0, 0, "%s: the disk is full",
		    what);
	if (code == SQLITE_IOERR)
		return tyst_err_set(err, k->path, 0, 0, "%s: %s (a full disk "
		    "or a file size limit?); the key is as it was", what,
		    sqlite3_errmsg(k->db));
	return tyst_err_set(err, k->path, 0, 0, "%s: %s", what,
	    sqlite3_errmsg(k->db));
}

static sqlite3_stmt *
stmt(struct tyst_key *k, int which, struct tyst_err *err)
{
	if (k->q[which] == NULL && sqlite3_prepare_v2(k->db, sql_text[which],
	    -1, &k->q[which], NULL) != SQLITE_OK) {
		db_err(k, err, "preparing a query");
		return NULL;
	}
	sqlite3_reset(k->q[which]);
	sqlite3_clear_bindings(k->q[which]);
	return k->q[which];
}

/* Runs a bound statement that returns no rows, and resets it. */
static int
step_done(struct tyst_key *k, sqlite3_stmt *s, struct tyst_err *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(k, err, "writing the key");
	return 0;
}

/* After a loop over a query's rows: the hook's non-zero value when it
 * stopped the loop, -1 when the query failed, else 0. */
static int
rows_end(struct tyst_key *k, sqlite3_stmt *s, int rc, int stop,
    struct tyst_err *err)
{
	sqlite3_reset(s);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return db_err(k, err, "reading the key");
	return 0;
}

/*
 * Runs a bound query for one row: 1 with the row to read (the caller
 * resets), 0 when there is none, -1 on an error.
 */
static int
step_row(struct tyst_key *k, sqlite3_stmt *s, struct tyst_err *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_err(k, err, "reading the key");
}

static int
random_uuid(char out[40], struct tyst_err *err, const char *path)
{
	unsigned char b[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return tyst_err_set(err, "/dev/urandom", 0, 0, "%s",
		    strerror(errno));
	n = read(fd, b, sizeof(b));
	close(fd);
	if (n != (ssize_t)sizeof(b))
		return tyst_err_set(err, path, 0, 0, "cannot read random bytes");
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

/* Everything about the file that can be told before SQLite opens it. */
static int
check_file(const char *path, int *exists, struct tyst_err *err)
{
	struct stat st;
	char magic[16];
	int fd;
	ssize_t n;

	*exists = 0;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
	}
	*exists = 1;
	if (S_ISDIR(st.st_mode))
		return tyst_err_set(err, path, 0, 0, "is a directory, "
		    "not a key file");
	if (!S_ISREG(st.st_mode))
		return tyst_err_set(err, path, 0, 0, "not a regular file");
	if (st.st_mode & 077)
		return tyst_err_set(err, path, 0, 0, "the key is accessible "
		    "to others (mode %04o); it links pseudonyms to real people: "
		    "chmod 600 it and check who has seen it",
		    (unsigned)(st.st_mode & 07777));
	if (st.st_size == 0)
		return tyst_err_set(err, path, 0, 0, "empty file, not a tyst "
		    "key");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
	n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n != (ssize_t)sizeof(magic) ||
	    memcmp(magic, "SQLite format 3", 16) != 0)
		return tyst_err_set(err, path, 0, 0, "not a tyst key (not a "
		    "SQLite database)");
	return 0;
}

static int
exec(struct tyst_key *k, const char *sql, struct tyst_err *err,
    const char *what)
{
	if (sqlite3_exec(k->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_err(k, err, what);
	return 0;
}

static int
int_pragma(struct tyst_key *k, const char *sql, long long *v,
    struct tyst_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(k->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_err(k, err, "reading the key");
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return db_err(k, err, "reading the key");
	}
	*v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

static int
create_schema(struct tyst_key *k, struct tyst_err *err)
{
	char sql[512], now[32];

	if (random_uuid(k->key_id, err, k->path) < 0)
		return -1;
	tyst_now_iso(now);
	if (exec(k, "BEGIN IMMEDIATE", err, "creating the key") < 0)
		return -1;
	k->in_tx = 1;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d;"
	    "PRAGMA user_version = %d;", TYST_KEY_APPID, TYST_KEY_SCHEMA);
	if (exec(k, sql, err, "creating the key") < 0 ||
	    exec(k, schema, err, "creating the key") < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "INSERT INTO tyst_key VALUES "
	    "('%s', '%s', '%s')", k->key_id, now, TYST_VERSION);
	if (exec(k, sql, err, "creating the key") < 0 ||
	    exec(k, "COMMIT", err, "creating the key") < 0)
		goto fail;
	k->in_tx = 0;
	return 0;
fail:
	sqlite3_exec(k->db, "ROLLBACK", NULL, NULL, NULL);
	k->in_tx = 0;
	return -1;
}

static int
check_schema(struct tyst_key *k, struct tyst_err *err)
{
	long long appid, version;
	sqlite3_stmt *s;

	if (int_pragma(k, "PRAGMA application_id", &appid, err) < 0) {
		if (sqlite3_errcode(k->db) == SQLITE_NOTADB ||
		    sqlite3_errcode(k->db) == SQLITE_CORRUPT)
			tyst_err_set(err, k->path, 0, 0, "not a tyst key (%s)",
			    sqlite3_errmsg(k->db));
		return -1;
	}
	if (int_pragma(k, "PRAGMA user_version", &version, err) < 0)
		return -1;
	if (appid != TYST_KEY_APPID)
		return tyst_err_set(err, k->path, 0, 0, "not a tyst key (a "
		    "SQLite database of another application)");
	if (version > TYST_KEY_SCHEMA)
		return tyst_err_set(err, k->path, 0, 0, "the key has schema "
		    "version %lld, newer than this tyst-pseudo knows (%d): use a "
		    "newer tyst", version, TYST_KEY_SCHEMA);
	if (version < 1)
		return tyst_err_set(err, k->path, 0, 0, "not a tyst key "
		    "(schema version %lld)", version);
	k->version = version;
	if (sqlite3_prepare_v2(k->db, "SELECT key_id FROM tyst_key", -1, &s,
	    NULL) != SQLITE_OK)
		return tyst_err_set(err, k->path, 0, 0, "not a tyst key (%s)",
		    sqlite3_errmsg(k->db));
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return tyst_err_set(err, k->path, 0, 0, "damaged key: no key "
		    "id");
	}
	snprintf(k->key_id, sizeof(k->key_id), "%s",
	    (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return 0;
}

/* Brings an older key to this schema, in one transaction (another process
 * may be doing the same: the version is read again under the lock). */
static int
upgrade(struct tyst_key *k, struct tyst_err *err)
{
	char sql[64];
	long long version;

	if (exec(k, "BEGIN IMMEDIATE", err, "upgrading the key") < 0)
		return -1;
	k->in_tx = 1;
	if (int_pragma(k, "PRAGMA user_version", &version, err) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    TYST_KEY_SCHEMA);
	if (version < 2 && exec(k, RUNS_TABLE, err, "upgrading the key") < 0)
		goto fail;
	if (version < 3 && exec(k, PARTS_TABLE, err, "upgrading the key") < 0)
		goto fail;
	if (version < TYST_KEY_SCHEMA && exec(k, sql, err,
	    "upgrading the key") < 0)
		goto fail;
	if (exec(k, "COMMIT", err, "upgrading the key") < 0)
		goto fail;
	k->in_tx = 0;
	k->version = TYST_KEY_SCHEMA;
	return 0;
fail:
	sqlite3_exec(k->db, "ROLLBACK", NULL, NULL, NULL);
	k->in_tx = 0;
	return -1;
}

static struct tyst_key *
key_alloc(const char *path)
{
	struct tyst_key *k = calloc(1, sizeof(*k));

	if (k != NULL && (k->path = strdup(path)) == NULL) {
		free(k);
		return NULL;
	}
	return k;
}

static void
unlink_db(const char *path)
{
	char p[4096];

	unlink(path);
	snprintf(p, sizeof(p), "%s-journal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/*
 * A new key is built whole under a temporary name (mode 0600 before SQLite
 * sees it) and linked into place, so a process sharing the key never sees
 * half a key, and of two creating at once one wins and the other uses its
 * key.
 */
static int
create_key(const char *path, struct tyst_err *err)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	struct tyst_key *k;
	int fd, rc = -1;

	if (tmp == NULL)
		return tyst_err_set(err, path, 0, 0, "out of memory");
	snprintf(tmp, n, "%s.newXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		tyst_err_set(err, path, 0, 0, "cannot create the key: %s",
		    strerror(errno));
		free(tmp);
		return -1;
	}
	fchmod(fd, 0600);
	close(fd);
	if ((k = key_alloc(path)) == NULL) {
		tyst_err_set(err, path, 0, 0, "out of memory");
		goto out;
	}
	if (sqlite3_open_v2(tmp, &k->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		tyst_err_set(err, path, 0, 0, "cannot create the key: %s",
		    k->db ? sqlite3_errmsg(k->db) : "out of memory");
		goto out;
	}
	if (create_schema(k, err) < 0)
		goto out;
	if (sqlite3_close(k->db) != SQLITE_OK) {
		tyst_err_set(err, path, 0, 0, "cannot create the key: %s",
		    sqlite3_errmsg(k->db));
		goto out;
	}
	k->db = NULL;
	if (link(tmp, path) < 0 && errno != EEXIST) {
		tyst_err_set(err, path, 0, 0, "cannot create the key: %s",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	tyst_key_close(k);
	unlink_db(tmp);
	free(tmp);
	return rc;
}

/* Can this process write the key and create files beside it (the -wal
 * and -shm of WAL mode)?  access() sees a read-only file system and an
 * immutable file even for root. */
static int
key_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int ok;

	if (access(path, W_OK) < 0)
		return 0;
	if (slash == NULL)
		return access(".", W_OK) == 0;
	if (slash == path)
		return access("/", W_OK) == 0;
	if ((dir = strndup(path, (size_t)(slash - path))) == NULL)
		return 1;       /* the open will tell */
	ok = access(dir, W_OK) == 0;
	free(dir);
	return ok;
}

/* "file:PATH?mode=ro" (and "&immutable=1"), PATH escaped for a URI. */
static char *
ro_uri(const char *path, int immutable)
{
	size_t n = strlen(path) * 3 + 40;
	char *u = malloc(n), *w;

	if (u == NULL)
		return NULL;
	w = u + snprintf(u, n, "file:");
	for (const char *c = path; *c; c++) {
		if (*c == '%' || *c == '?' || *c == '#')
			w += sprintf(w, "%%%02X", (unsigned char)*c);
		else
			*w++ = *c;
	}
	snprintf(w, n - (size_t)(w - u), "?mode=ro%s",
	    immutable ? "&immutable=1" : "");
	return u;
}

/* A key that has committed entries still in its -wal file. */
static int
wal_pending(const char *path)
{
	char p[4096];
	struct stat st;

	snprintf(p, sizeof(p), "%s-wal", path);
	return stat(p, &st) == 0 && st.st_size > 0;
}

/*
 * The key opened read-only.  SQLite reads a WAL key read-only when its
 * -shm can be opened or created; in a read-only directory after a clean
 * close there is none, and the key is opened immutable (every close
 * checkpoints, so the key file holds every committed entry).  A -wal file
 * left by a process that was killed cannot be read that way: that is said,
 * not silently ignored.
 */
static int
open_readonly(struct tyst_key *k, int timeout_ms, struct tyst_err *err)
{
	char *uri;
	int rc;

	for (int immutable = 0; immutable < 2; immutable++) {
		if (immutable && wal_pending(k->path))
			return tyst_err_set(err, k->path, 0, 0, "the key cannot "
			    "be written and its last entries are still in %s-wal "
			    "(a run was stopped): open it once where it can be "
			    "written (any tyst-pseudo run) to fold them in",
			    k->path);
		if ((uri = ro_uri(k->path, immutable)) == NULL)
			return tyst_err_set(err, k->path, 0, 0, "out of memory");
		if (k->db != NULL) {
			sqlite3_close(k->db);
			k->db = NULL;
		}
		rc = sqlite3_open_v2(uri, &k->db, SQLITE_OPEN_READONLY |
		    SQLITE_OPEN_URI, NULL);
		free(uri);
		if (rc != SQLITE_OK)
			continue;
		sqlite3_busy_timeout(k->db, timeout_ms);
		sqlite3_extended_result_codes(k->db, 0);
		if (check_schema(k, err) == 0)
			break;
		rc = sqlite3_errcode(k->db);
		if (rc != SQLITE_CANTOPEN && rc != SQLITE_READONLY &&
		    rc != SQLITE_IOERR)
			return -1;
		if (immutable)
			return -1;
	}
	if (k->db == NULL || k->key_id[0] == '\0')
		return tyst_err_set(err, k->path, 0, 0, "cannot open the key "
		    "read-only: %s", k->db ? sqlite3_errmsg(k->db) :
		    "out of memory");
	if (k->version < TYST_KEY_SCHEMA)
		return tyst_err_set(err, k->path, 0, 0, "the key is of an older "
		    "schema (%lld) and cannot be written to bring it up to date: "
		    "open it once where it can be written", k->version);
	k->readonly = 1;
	return 0;
}

int
tyst_key_open(struct tyst_key **out, const char *path,
    enum tyst_key_mode mode, int timeout_ms, struct tyst_err *err)
{
	struct tyst_key *k;
	int exists;

	*out = NULL;
	if (check_file(path, &exists, err) < 0)
		return -1;
	if (!exists && mode != TYST_KEY_CREATE)
		return tyst_err_set(err, path, 0, 0, "no such key file");
	if (!exists && (create_key(path, err) < 0 ||
	    check_file(path, &exists, err) < 0))
		return -1;
	if ((k = key_alloc(path)) == NULL)
		return tyst_err_set(err, path, 0, 0, "out of memory");
	if (mode == TYST_KEY_READ && !key_writable(path)) {
		if (open_readonly(k, timeout_ms, err) < 0)
			goto fail;
		*out = k;
		return 0;
	}
	if (sqlite3_open_v2(path, &k->db, SQLITE_OPEN_READWRITE, NULL)
	    != SQLITE_OK) {
		tyst_err_set(err, path, 0, 0, "cannot open the key: %s",
		    k->db ? sqlite3_errmsg(k->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(k->db, timeout_ms);
	sqlite3_extended_result_codes(k->db, 0);
	if (check_schema(k, err) < 0)
		goto fail;
	if (exec(k, "PRAGMA journal_mode = WAL", err, "opening the key") < 0 ||
	    exec(k, "PRAGMA synchronous = FULL", err, "opening the key") < 0 ||
	    exec(k, "PRAGMA foreign_keys = ON", err, "opening the key") < 0)
		goto fail;
	if (k->version < TYST_KEY_SCHEMA && upgrade(k, err) < 0)
		goto fail;
	*out = k;
	return 0;
fail:
	tyst_key_close(k);
	return -1;
}

void
tyst_key_close(struct tyst_key *k)
{
	if (k == NULL)
		return;
	if (k->in_tx)
		tyst_key_rollback(k);
	for (int i = 0; i < NQ; i++)
		sqlite3_finalize(k->q[i]);
	/* Passive: it waits for no other process, and copies whatever no
	 * reader still needs (all of it, when none is reading). */
	if (k->db != NULL && !k->readonly)
		sqlite3_exec(k->db, "PRAGMA wal_checkpoint(PASSIVE)", NULL,
		    NULL, NULL);
	sqlite3_close(k->db);
	free(k->path);
	free(k->run);
	free(k);
}

const char *
tyst_key_id(const struct tyst_key *k)
{
	return k->key_id;
}

int
tyst_key_begin(struct tyst_key *k, struct tyst_err *err)
{
	if (exec(k, "BEGIN IMMEDIATE", err, "locking the key") < 0)
		return -1;
	k->in_tx = 1;
	return 0;
}

int
tyst_key_commit(struct tyst_key *k, struct tyst_err *err)
{
	if (flush_run(k, err) < 0 ||
	    exec(k, "COMMIT", err, "writing the key") < 0) {
		tyst_key_rollback(k);
		return -1;
	}
	k->in_tx = 0;
	return 0;
}

void
tyst_key_rollback(struct tyst_key *k)
{
	k->run_n = 0;
	k->run_len = 0;
	for (int i = 0; i < NQ; i++)
		if (k->q[i] != NULL)
			sqlite3_reset(k->q[i]);
	if (sqlite3_get_autocommit(k->db) == 0)
		sqlite3_exec(k->db, "ROLLBACK", NULL, NULL, NULL);
	k->in_tx = 0;
}

void
tyst_key_entry_clear(struct tyst_key_entry *e)
{
	free(e->category);
	free(e->strategy);
	free(e->original);
	free(e->pseudonym);
	memset(e, 0, sizeof(*e));
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return strdup(t ? t : "");
}

int
tyst_key_find(struct tyst_key *k, const char *category,
    const char *strategy, const char *original, struct tyst_key_entry *e,
    struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_FIND, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, strategy, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, original, -1, SQLITE_STATIC);
	if ((rc = step_row(k, s, err)) <= 0)
		return rc;
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(s, 0);
	e->pseudonym = col_dup(s, 1);
	e->category = strdup(category);
	e->strategy = strdup(strategy);
	e->original = strdup(original);
	sqlite3_reset(s);
	if (!e->pseudonym || !e->category || !e->strategy || !e->original) {
		tyst_key_entry_clear(e);
		return tyst_err_set(err, k->path, 0, 0, "out of memory");
	}
	return 1;
}

int
tyst_key_get(struct tyst_key *k, int64_t id, struct tyst_key_entry *e,
    struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_GET, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = step_row(k, s, err)) <= 0)
		return rc;
	e->id = id;
	e->category = col_dup(s, 0);
	e->strategy = col_dup(s, 1);
	e->original = col_dup(s, 2);
	e->pseudonym = col_dup(s, 3);
	sqlite3_reset(s);
	if (!e->pseudonym || !e->category || !e->strategy || !e->original) {
		tyst_key_entry_clear(e);
		return tyst_err_set(err, k->path, 0, 0, "out of memory");
	}
	return 1;
}

static int
exists_q(struct tyst_key *k, int which, const char *v, struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, which, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, v, -1, SQLITE_STATIC);
	rc = step_row(k, s, err);
	sqlite3_reset(s);
	return rc;
}

int
tyst_key_is_original(struct tyst_key *k, const char *s, struct tyst_err *err)
{
	return exists_q(k, Q_IS_ORIG, s, err);
}

int
tyst_key_is_pseudonym(struct tyst_key *k, const char *s,
    struct tyst_err *err)
{
	return exists_q(k, Q_IS_PSEUDO, s, err);
}

int
tyst_key_add(struct tyst_key *k, const char *category,
    const char *strategy, const char *original, const char *pseudonym,
    int distinct, const char *document, int64_t *id, struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_ADD, err);
	char now[32];
	int rc;

	if (s == NULL)
		return -1;
	tyst_now_iso(now);
	sqlite3_bind_text(s, 1, category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, strategy, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, original, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, pseudonym, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, distinct != 0);
	if (document != NULL)
		sqlite3_bind_text(s, 6, document, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_CONSTRAINT)
			return tyst_err_set(err, k->path, 0, 0, "the key "
			    "already has this entry or pseudonym");
		return db_err(k, err, "writing the key");
	}
	*id = sqlite3_last_insert_rowid(k->db);
	return 0;
}

int
tyst_key_next_number(struct tyst_key *k, const char *label, long *n,
    struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_COUNTER_GET, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, label, -1, SQLITE_STATIC);
	if ((rc = step_row(k, s, err)) < 0)
		return -1;
	*n = rc == 1 ? (long)sqlite3_column_int64(s, 0) + 1 : 1;
	sqlite3_reset(s);
	if ((s = stmt(k, Q_COUNTER_SET, err)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, *n);
	return step_done(k, s, err);
}

int
tyst_key_doc_add(struct tyst_key *k, const char *name, int64_t *doc,
    struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_DOC_ADD, err);
	char now[32];

	if (s == NULL)
		return -1;
	tyst_now_iso(now);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
	if (step_done(k, s, err) < 0)
		return -1;
	*doc = sqlite3_last_insert_rowid(k->db);
	return 0;
}

/* LEB128: seven bits a byte, low first. */
static void
put_varint(unsigned char *p, size_t *n, uint64_t v)
{
	while (v >= 0x80) {
		p[(*n)++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[(*n)++] = (unsigned char)v;
}

static int
get_varint(const unsigned char *p, size_t len, size_t *at, uint64_t *v)
{
	uint64_t r = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		unsigned char c;

		if (*at >= len)
			return -1;
		c = p[(*at)++];
		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

/* Writes the pending run of spans, if any, as one row of span_runs. */
static int
flush_run(struct tyst_key *k, struct tyst_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (k->run_n == 0)
		return 0;
	if ((s = stmt(k, Q_RUN_ADD, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, k->run_doc);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)k->run_start);
	sqlite3_bind_int64(s, 3, k->run_n);
	sqlite3_bind_blob(s, 4, k->run, (int)k->run_len, SQLITE_STATIC);
	rc = step_done(k, s, err);
	k->run_n = 0;
	k->run_len = 0;
	return rc;
}

/*
 * A span is appended to the document's pending run: the gap since the
 * previous span's end, its length, its entry, and the tail, each a varint
 * (the tail's bytes follow its length).  Spans come in output order.
 */
int
tyst_key_span_add(struct tyst_key *k, int64_t doc, uint64_t out_start,
    uint64_t out_end, int64_t entry, const char *tail, size_t tail_len,
    struct tyst_err *err)
{
	size_t need = 4 * 10 + tail_len;

	if (out_end < out_start || entry < 1)
		return tyst_err_set(err, k->path, 0, 0, "bad span %llu-%llu",
		    (unsigned long long)out_start,
		    (unsigned long long)out_end);
	if (k->run_n > 0 && k->run_doc != doc && flush_run(k, err) < 0)
		return -1;
	if (k->run_n > 0 && out_start < k->run_end)
		return tyst_err_set(err, k->path, 0, 0, "spans must be added "
		    "in output order (%llu after %llu)",
		    (unsigned long long)out_start,
		    (unsigned long long)k->run_end);
	if (k->run_len + need > k->run_cap) {
		size_t nc = k->run_cap ? k->run_cap : RUN_BYTES + 256;
		unsigned char *nr;

		while (nc < k->run_len + need)
			nc *= 2;
		if ((nr = realloc(k->run, nc)) == NULL)
			return tyst_err_set(err, k->path, 0, 0,
			    "out of memory");
		k->run = nr;
		k->run_cap = nc;
	}
	if (k->run_n == 0) {
		k->run_doc = doc;
		k->run_start = k->run_end = out_start;
	}
	put_varint(k->run, &k->run_len, out_start - k->run_end);
	put_varint(k->run, &k->run_len, out_end - out_start);
	put_varint(k->run, &k->run_len, (uint64_t)entry);
	put_varint(k->run, &k->run_len, tail_len);
	if (tail_len > 0)
		memcpy(k->run + k->run_len, tail, tail_len);
	k->run_len += tail_len;
	k->run_end = out_end;
	k->run_n++;
	if (k->run_len >= RUN_BYTES)
		return flush_run(k, err);
	return 0;
}

/* Runs a statement of one id parameter that returns no rows. */
static int
step_id(struct tyst_key *k, int which, int64_t id, struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, which, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return step_done(k, s, err);
}

/* A document and its spans, of either schema. */
static int
delete_doc(struct tyst_key *k, int64_t id, struct tyst_err *err)
{
	if (step_id(k, Q_DOC_DEL_SPANS, id, err) < 0 ||
	    step_id(k, Q_DOC_DEL_RUNS, id, err) < 0 ||
	    step_id(k, Q_DOC_DEL_PARTS, id, err) < 0 ||
	    step_id(k, Q_DOC_DEL, id, err) < 0)
		return -1;
	return 0;
}

int
tyst_key_doc_finish(struct tyst_key *k, int64_t doc,
    const char *output_sha256, const char *input_sha256,
    struct tyst_err *err)
{
	sqlite3_stmt *s;
	int64_t old[64];
	int nold = 0, rc;
	const char *name;
	char *namecopy;

	if (flush_run(k, err) < 0 || (s = stmt(k, Q_DOC_FINISH, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	sqlite3_bind_text(s, 2, output_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, input_sha256, -1, SQLITE_STATIC);
	if (step_done(k, s, err) < 0)
		return -1;

	/* The same output under the same name: an earlier run of the same
	 * input.  Its record says the same thing; keep one. */
	{
		sqlite3_stmt *q;

		if (sqlite3_prepare_v2(k->db, "SELECT name FROM documents "
		    "WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
			return db_err(k, err, "reading the key");
		sqlite3_bind_int64(q, 1, doc);
		if (sqlite3_step(q) != SQLITE_ROW) {
			sqlite3_finalize(q);
			return db_err(k, err, "reading the key");
		}
		name = (const char *)sqlite3_column_text(q, 0);
		namecopy = strdup(name ? name : "");
		sqlite3_finalize(q);
		if (namecopy == NULL)
			return tyst_err_set(err, k->path, 0, 0, "out of memory");
	}
	if ((s = stmt(k, Q_DOC_OLD, err)) == NULL) {
		free(namecopy);
		return -1;
	}
	sqlite3_bind_text(s, 1, output_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, namecopy, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, doc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && nold < 64)
		old[nold++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	free(namecopy);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(k, err, "reading the key");
	for (int i = 0; i < nold; i++)
		if (delete_doc(k, old[i], err) < 0)
			return -1;
	return 0;
}

int
tyst_key_doc_find(struct tyst_key *k, const char *output_sha256,
    const char *name_hint, int64_t *doc, struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_DOC_FIND, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, output_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name_hint ? name_hint : "", -1, SQLITE_STATIC);
	if ((rc = step_row(k, s, err)) <= 0)
		return rc;
	*doc = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 1;
}

/* The originals of recent entries, so a run's spans do not each cost a
 * query (a name recurs through a document). */
#define ORIG_CACHE 512

struct orig_cache {
	int64_t id[ORIG_CACHE];
	char *s[ORIG_CACHE];
};

static void
orig_cache_free(struct orig_cache *c)
{
	for (int i = 0; i < ORIG_CACHE; i++)
		free(c->s[i]);
}

static const char *
original_of(struct tyst_key *k, struct orig_cache *c, int64_t id,
    struct tyst_err *err)
{
	unsigned slot = (unsigned)((uint64_t)id % ORIG_CACHE);
	sqlite3_stmt *s;
	const char *o;
	int rc;

	if (c->s[slot] != NULL && c->id[slot] == id)
		return c->s[slot];
	if ((s = stmt(k, Q_ORIGINAL, err)) == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			tyst_err_set(err, k->path, 0, 0, "damaged key: a span "
			    "names entry %lld, which is not there",
			    (long long)id);
		else
			db_err(k, err, "reading the key");
		return NULL;
	}
	o = (const char *)sqlite3_column_text(s, 0);
	free(c->s[slot]);
	c->s[slot] = strdup(o ? o : "");
	c->id[slot] = id;
	sqlite3_reset(s);
	if (c->s[slot] == NULL)
		tyst_err_set(err, k->path, 0, 0, "out of memory");
	return c->s[slot];
}

/* Calls fn for each span of one run; 0, fn's non-zero value, or -1. */
static int
each_in_run(struct tyst_key *k, struct orig_cache *c, int64_t doc,
    uint64_t pos, long n, const unsigned char *p, size_t len,
    int (*fn)(const struct tyst_key_span *s, void *ctx), void *ctx,
    struct tyst_err *err)
{
	struct tyst_key_span sp;
	size_t at = 0;

	for (long i = 0; i < n; i++) {
		uint64_t gap, slen, entry, tlen;
		int stop;

		if (get_varint(p, len, &at, &gap) < 0 ||
		    get_varint(p, len, &at, &slen) < 0 ||
		    get_varint(p, len, &at, &entry) < 0 ||
		    get_varint(p, len, &at, &tlen) < 0 || tlen > len - at ||
		    gap > UINT64_MAX - pos || slen > UINT64_MAX - pos - gap ||
		    entry < 1 || entry > INT64_MAX)
			return tyst_err_set(err, k->path, 0, 0, "damaged key: "
			    "the spans of document %lld do not decode",
			    (long long)doc);
		sp.out_start = pos + gap;
		sp.out_end = sp.out_start + slen;
		sp.entry = (int64_t)entry;
		sp.tail = (const char *)p + at;
		sp.tail_len = (size_t)tlen;
		at += (size_t)tlen;
		if ((sp.original = original_of(k, c, sp.entry, err)) == NULL)
			return -1;
		if ((stop = fn(&sp, ctx)) != 0)
			return stop;
		pos = sp.out_end;
	}
	if (at != len)
		return tyst_err_set(err, k->path, 0, 0, "damaged key: the "
		    "spans of document %lld do not decode", (long long)doc);
	return 0;
}

/* The spans a version 1 key holds a row each; *any set when there were
 * some.  0, fn's non-zero value, or -1. */
static int
old_spans(struct tyst_key *k, int64_t doc,
    int (*fn)(const struct tyst_key_span *s, void *ctx), void *ctx,
    int *any, struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_SPANS, err);
	struct tyst_key_span sp;
	int rc, stop = 0;

	*any = 0;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*any = 1;
		sp.out_start = (uint64_t)sqlite3_column_int64(s, 0);
		sp.out_end = (uint64_t)sqlite3_column_int64(s, 1);
		sp.entry = sqlite3_column_int64(s, 2);
		sp.original = (const char *)sqlite3_column_text(s, 3);
		sp.tail = (const char *)sqlite3_column_blob(s, 4);
		sp.tail_len = (size_t)sqlite3_column_bytes(s, 4);
		if (sp.original == NULL)
			sp.original = "";
		if ((stop = fn(&sp, ctx)) != 0)
			break;
	}
	return rows_end(k, s, rc, stop, err);
}

int
tyst_key_doc_spans(struct tyst_key *k, int64_t doc,
    int (*fn)(const struct tyst_key_span *s, void *ctx), void *ctx,
    struct tyst_err *err)
{
	struct orig_cache *c;
	sqlite3_stmt *s;
	int rc, stop = 0, any;

	if ((rc = old_spans(k, doc, fn, ctx, &any, err)) != 0 || any)
		return rc;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return tyst_err_set(err, k->path, 0, 0, "out of memory");
	if ((s = stmt(k, Q_RUNS, err)) == NULL) {
		free(c);
		return -1;
	}
	sqlite3_bind_int64(s, 1, doc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(s, 2);
		size_t len = (size_t)sqlite3_column_bytes(s, 2);

		if ((stop = each_in_run(k, c, doc,
		    (uint64_t)sqlite3_column_int64(s, 0),
		    (long)sqlite3_column_int64(s, 1), p ? p : (const void *)"",
		    len, fn, ctx, err)) != 0)
			break;
	}
	orig_cache_free(c);
	free(c);
	return rows_end(k, s, rc, stop, err);
}

int
tyst_key_pseudonyms(struct tyst_key *k, const char *strategy,
    int (*fn)(const char *pseudonym, void *ctx), void *ctx,
    struct tyst_err *err)
{
	sqlite3_stmt *s;
	int rc, stop = 0;

	if (sqlite3_prepare_v2(k->db, "SELECT DISTINCT pseudonym FROM entries "
	    "WHERE strategy = ?1 ORDER BY pseudonym", -1, &s,
	    NULL) != SQLITE_OK)
		return db_err(k, err, "reading the key");
	sqlite3_bind_text(s, 1, strategy, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = fn((const char *)sqlite3_column_text(s, 0), ctx))
		    != 0)
			break;
	sqlite3_finalize(s);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return db_err(k, err, "reading the key");
	return 0;
}

int
tyst_key_part_add(struct tyst_key *k, int64_t doc, const char *name,
    const char *written_sha256, const void *data, size_t len,
    struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_PART_ADD, err);
	int rc;

	if (s == NULL)
		return -1;
	if (len > INT32_MAX)
		return tyst_err_set(err, k->path, 0, 0, "%s is too large for "
		    "the key", name);
	sqlite3_bind_int64(s, 1, doc);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, written_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, len > 0 ? data : "", (int)len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(k, err, "writing the key");
	return 0;
}

int
tyst_key_doc_parts(struct tyst_key *k, int64_t doc,
    int (*fn)(const char *name, const char *written_sha256, const void *data,
    size_t len, void *ctx), void *ctx, struct tyst_err *err)
{
	sqlite3_stmt *s = stmt(k, Q_PARTS, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		const char *sha = (const char *)sqlite3_column_text(s, 1);
		const void *data = sqlite3_column_blob(s, 2);
		size_t len = (size_t)sqlite3_column_bytes(s, 2);

		if ((stop = fn(name ? name : "", sha ? sha : "", data ? data :
		    "", len, ctx)) != 0)
			break;
	}
	sqlite3_reset(s);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return db_err(k, err, "reading the key");
	return 0;
}
