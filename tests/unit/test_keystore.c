/*
 * Unit tests for lib/pseudo/keystore.c: creation and refusal of key files, entries,
 * counters, documents and spans, transactions and locking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "tyst/keystore.h"

static char dir[256];
static char keypath[300];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/tyst-keyXXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(keypath, sizeof(keypath), "%s/study.key", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct tyst_key *
open_new(void)
{
	struct tyst_key *k = NULL;
	struct tyst_err err;

	unlink(keypath);
	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_CREATE, 1000, &err),
	    0);
	return k;
}

static void
test_create_mode_and_id(void **state)
{
	struct tyst_key *k = open_new(), *k2;
	struct tyst_err err;
	struct stat st;
	char id[40];

	(void)state;
	assert_int_equal(stat(keypath, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(id, sizeof(id), "%s", tyst_key_id(k));
	assert_int_equal(strlen(id), 36);
	assert_int_equal(id[14], '4');          /* a random (v4) UUID */
	tyst_key_close(k);
	assert_int_equal(tyst_key_open(&k2, keypath, TYST_KEY_OPEN, 1000, &err),
	    0);
	assert_string_equal(tyst_key_id(k2), id);
	tyst_key_close(k2);

	/* Another key gets another id. */
	unlink(keypath);
	k = open_new();
	assert_string_not_equal(tyst_key_id(k), id);
	tyst_key_close(k);
}

static void
test_refusals(void **state)
{
	struct tyst_key *k = NULL;
	struct tyst_err err;
	sqlite3 *db;
	FILE *f;

	(void)state;
	/* Missing without create. */
	unlink(keypath);
	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_OPEN, 100, &err),
	    -1);
	assert_non_null(strstr(err.msg, "no such key"));

	/* Readable by others. */
	k = open_new();
	tyst_key_close(k);
	chmod(keypath, 0644);
	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_OPEN, 100, &err),
	    -1);
	assert_non_null(strstr(err.msg, "accessible to others"));
	assert_non_null(strstr(err.msg, "0644"));
	chmod(keypath, 0600);

	/* A text file. */
	unlink(keypath);
	f = fopen(keypath, "w");
	fputs("Erik\tJonas\n", f);
	fclose(f);
	chmod(keypath, 0600);
	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_CREATE, 100, &err),
	    -1);
	assert_non_null(strstr(err.msg, "not a tyst key"));

	/* Another application's SQLite database. */
	unlink(keypath);
	assert_int_equal(sqlite3_open(keypath, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	chmod(keypath, 0600);
	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_OPEN, 100, &err),
	    -1);
	assert_non_null(strstr(err.msg, "not a tyst key"));

	/* A newer schema. */
	k = open_new();
	tyst_key_close(k);
	assert_int_equal(sqlite3_open(keypath, &db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_OPEN, 100, &err),
	    -1);
	assert_non_null(strstr(err.msg, "newer"));
	assert_null(k);

	/* A directory. */
	assert_int_equal(tyst_key_open(&k, dir, TYST_KEY_OPEN, 100, &err), -1);
	assert_non_null(strstr(err.msg, "directory"));
}

static void
test_entries(void **state)
{
	struct tyst_key *k = open_new();
	struct tyst_key_entry e;
	struct tyst_err err;
	int64_t id, id2;
	long n;

	(void)state;
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_find(k, "PERSON", "name", "Erik", &e, &err),
	    0);
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Erik", "Jonas", 1,
	    "a.txt", &id, &err), 0);
	assert_int_equal(tyst_key_find(k, "PERSON", "name", "Erik", &e, &err),
	    1);
	assert_int_equal(e.id, id);
	assert_string_equal(e.pseudonym, "Jonas");
	tyst_key_entry_clear(&e);
	assert_int_equal(tyst_key_is_original(k, "Erik", &err), 1);
	assert_int_equal(tyst_key_is_original(k, "Jonas", &err), 0);
	assert_int_equal(tyst_key_is_pseudonym(k, "Jonas", &err), 1);
	assert_int_equal(tyst_key_is_pseudonym(k, "Erik", &err), 0);

	/* Two originals never share a distinct pseudonym ... */
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Olle", "Jonas", 1,
	    "a.txt", &id2, &err), -1);
	/* ... but generalisations are shared by design. */
	assert_int_equal(tyst_key_add(k, "PLACE", "generalise", "Gävle",
	    "[kommun i Gävleborgs län]", 0, "a.txt", &id2, &err), 0);
	assert_int_equal(tyst_key_add(k, "PLACE", "generalise", "Sandviken",
	    "[kommun i Gävleborgs län]", 0, "a.txt", &id2, &err), 0);
	/* The same original twice is refused. */
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Erik", "Lars", 1,
	    "a.txt", &id2, &err), -1);

	assert_int_equal(tyst_key_next_number(k, "PERSON", &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(tyst_key_next_number(k, "PERSON", &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(tyst_key_next_number(k, "ORT", &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(tyst_key_commit(k, &err), 0);

	assert_int_equal(tyst_key_get(k, id, &e, &err), 1);
	assert_string_equal(e.original, "Erik");
	assert_string_equal(e.category, "PERSON");
	assert_string_equal(e.strategy, "name");
	tyst_key_entry_clear(&e);

	/* A rolled back transaction leaves nothing. */
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Mona", "Eva", 1,
	    "b.txt", &id2, &err), 0);
	assert_int_equal(tyst_key_next_number(k, "PERSON", &n, &err), 0);
	assert_int_equal(n, 3);
	tyst_key_rollback(k);
	assert_int_equal(tyst_key_find(k, "PERSON", "name", "Mona", &e, &err),
	    0);
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_next_number(k, "PERSON", &n, &err), 0);
	assert_int_equal(n, 3);
	tyst_key_rollback(k);
	tyst_key_close(k);
}

struct collect {
	int n;
	uint64_t start[8], end[8];
	char orig[8][32];
	char tail[8][8];
};

static int
collect(const struct tyst_key_span *s, void *ctx)
{
	struct collect *c = ctx;

	c->start[c->n] = s->out_start;
	c->end[c->n] = s->out_end;
	snprintf(c->orig[c->n], sizeof(c->orig[0]), "%s", s->original);
	snprintf(c->tail[c->n], sizeof(c->tail[0]), "%.*s", (int)s->tail_len,
	    s->tail);
	c->n++;
	return 0;
}

#define MANY 20000

/* Irregular gaps and lengths. */
static uint64_t
many_start(uint64_t i)
{
	return i * 50 + (i * 7919) % 41;
}

struct many {
	const int64_t *e;
	uint64_t n;
};

static int
check_many(const struct tyst_key_span *s, void *ctx)
{
	struct many *m = ctx;
	static const char *const orig[3] = { "Erik", "Hudiksvall", "Åsa" };
	uint64_t i = m->n++;

	if (s->out_start != many_start(i) ||
	    s->out_end != many_start(i) + 1 + i % 7 ||
	    s->entry != m->e[i % 3] || strcmp(s->original, orig[i % 3]) != 0 ||
	    s->tail_len != (i % 5 ? 0u : 1u) ||
	    (s->tail_len == 1 && s->tail[0] != 's'))
		return 7;
	return 0;
}

static void
test_documents(void **state)
{
	struct tyst_key *k = open_new();
	struct tyst_err err;
	struct collect c = { 0 };
	int64_t e1, e2, doc, doc2, found;
	const char *sha = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

	(void)state;
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Erik", "Jonas", 1,
	    "a.txt", &e1, &err), 0);
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Mona", "Eva", 1,
	    "a.txt", &e2, &err), 0);
	assert_int_equal(tyst_key_doc_add(k, "a.txt", &doc, &err), 0);
	assert_int_equal(tyst_key_span_add(k, doc, 3, 8, e1, "s", 1, &err), 0);
	assert_int_equal(tyst_key_span_add(k, doc, 20, 23, e2, "", 0, &err), 0);
	/* Spans come in output order: one inside the last is refused. */
	assert_int_equal(tyst_key_span_add(k, doc, 21, 22, e1, "", 0, &err),
	    -1);
	assert_non_null(strstr(err.msg, "output order"));
	assert_int_equal(tyst_key_doc_finish(k, doc, sha, sha, &err), 0);
	assert_int_equal(tyst_key_commit(k, &err), 0);

	assert_int_equal(tyst_key_doc_find(k, sha, "a.txt", &found, &err), 1);
	assert_int_equal(found, doc);
	assert_int_equal(tyst_key_doc_find(k, "bbbb", "a.txt", &found, &err), 0);
	assert_int_equal(tyst_key_doc_spans(k, doc, collect, &c, &err), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.start[0], 3);
	assert_string_equal(c.orig[0], "Erik");
	assert_string_equal(c.tail[0], "s");
	assert_int_equal(c.start[1], 20);
	assert_string_equal(c.orig[1], "Mona");

	/* A re-run of the same input replaces the old record. */
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_doc_add(k, "a.txt", &doc2, &err), 0);
	assert_int_equal(tyst_key_span_add(k, doc2, 3, 8, e1, "s", 1, &err), 0);
	assert_int_equal(tyst_key_doc_finish(k, doc2, sha, sha, &err), 0);
	assert_int_equal(tyst_key_commit(k, &err), 0);
	assert_int_equal(tyst_key_doc_find(k, sha, "x.txt", &found, &err), 1);
	assert_int_equal(found, doc2);
	memset(&c, 0, sizeof(c));
	assert_int_equal(tyst_key_doc_spans(k, doc, collect, &c, &err), 0);
	assert_int_equal(c.n, 0);
	tyst_key_close(k);
}

/* Spans enough for several runs, with tails, read back exactly. */
static void
test_many_spans(void **state)
{
	struct tyst_key *k = open_new();
	struct tyst_err err;
	struct many m = { 0, 0 };
	int64_t e[3], doc;
	const char *sha = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

	(void)state;
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Erik", "Jonas", 1,
	    "a.txt", &e[0], &err), 0);
	assert_int_equal(tyst_key_add(k, "PLACE", "name", "Hudiksvall",
	    "Mora", 1, "a.txt", &e[1], &err), 0);
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Åsa", "Eva", 1,
	    "a.txt", &e[2], &err), 0);
	assert_int_equal(tyst_key_doc_add(k, "a.txt", &doc, &err), 0);
	for (uint64_t i = 0; i < MANY; i++)
		assert_int_equal(tyst_key_span_add(k, doc, many_start(i),
		    many_start(i) + 1 + i % 7, e[i % 3], i % 5 ? "" : "s",
		    i % 5 ? 0 : 1, &err), 0);
	assert_int_equal(tyst_key_doc_finish(k, doc, sha, sha, &err), 0);
	assert_int_equal(tyst_key_commit(k, &err), 0);
	tyst_key_close(k);

	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_OPEN, 1000, &err),
	    0);
	m.e = e;
	assert_int_equal(tyst_key_doc_spans(k, doc, check_many, &m, &err), 0);
	assert_int_equal(m.n, MANY);
	tyst_key_close(k);
}

/* A key of schema version 1 (a row per span) is upgraded on open; its
 * old spans are still read, new ones go to runs. */
static void
test_upgrade_v1(void **state)
{
	struct tyst_key *k = open_new();
	struct tyst_err err;
	struct collect c = { 0 };
	sqlite3 *db;
	int64_t e1, doc, doc2;
	long long v = 0;
	sqlite3_stmt *q;
	const char *sha = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

	(void)state;
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_add(k, "PERSON", "name", "Erik", "Jonas", 1,
	    "a.txt", &e1, &err), 0);
	assert_int_equal(tyst_key_doc_add(k, "a.txt", &doc, &err), 0);
	assert_int_equal(tyst_key_doc_finish(k, doc, sha, sha, &err), 0);
	assert_int_equal(tyst_key_commit(k, &err), 0);
	tyst_key_close(k);

	/* Make it what version 1 wrote. */
	assert_int_equal(sqlite3_open(keypath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE span_runs;"
	    "INSERT INTO spans VALUES (1, 10, 15, 1, 's');"
	    "INSERT INTO spans VALUES (1, 0, 5, 1, '');"
	    "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_OPEN, 1000, &err),
	    0);
	assert_int_equal(tyst_key_doc_spans(k, doc, collect, &c, &err), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.start[0], 0);
	assert_int_equal(c.start[1], 10);
	assert_string_equal(c.tail[1], "s");
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_doc_add(k, "b.txt", &doc2, &err), 0);
	assert_int_equal(tyst_key_span_add(k, doc2, 4, 9, e1, "", 0, &err), 0);
	assert_int_equal(tyst_key_doc_finish(k, doc2, "ee", "ee", &err), 0);
	assert_int_equal(tyst_key_commit(k, &err), 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(tyst_key_doc_spans(k, doc2, collect, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.end[0], 9);
	assert_string_equal(c.orig[0], "Erik");
	tyst_key_close(k);

	assert_int_equal(sqlite3_open(keypath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_int_equal(v, TYST_KEY_SCHEMA);
}

struct parts {
	int n;
	char name[4][32], sha[4][65], data[4][32];
	size_t len[4];
};

static int
collect_part(const char *name, const char *sha, const void *data, size_t len,
    void *ctx)
{
	struct parts *p = ctx;

	if (p->n == 4 || len >= 32)
		return 1;
	snprintf(p->name[p->n], 32, "%s", name);
	snprintf(p->sha[p->n], 65, "%s", sha);
	memcpy(p->data[p->n], data, len);
	p->len[p->n++] = len;
	return 0;
}

/* Parts of a Word output: kept per document, a part of the same name
 * replaced, gone with a re-run's older record. */
static void
test_parts(void **state)
{
	struct tyst_key *k = open_new();
	struct tyst_err err;
	struct parts p;
	int64_t doc, doc2;

	(void)state;
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_doc_add(k, "a.docx", &doc, &err), 0);
	assert_int_equal(tyst_key_doc_finish(k, doc, "aa", "bb", &err), 0);
	assert_int_equal(tyst_key_part_add(k, doc, "word/document.xml", "s1",
	    "<w:t>Ann</w:t>\0x", 16, &err), 0);
	assert_int_equal(tyst_key_part_add(k, doc, "docProps/thumbnail.jpeg",
	    "", "\xff\xd8", 2, &err), 0);
	assert_int_equal(tyst_key_part_add(k, doc, "word/document.xml", "s2",
	    "<w:t>Anna</w:t>", 15, &err), 0);
	assert_int_equal(tyst_key_commit(k, &err), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(tyst_key_doc_parts(k, doc, collect_part, &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.name[0], "docProps/thumbnail.jpeg");
	assert_string_equal(p.sha[0], "");
	assert_int_equal(p.len[0], 2);
	assert_string_equal(p.name[1], "word/document.xml");
	assert_string_equal(p.sha[1], "s2");
	assert_memory_equal(p.data[1], "<w:t>Anna</w:t>", 15);
	/* The same output and name again: the older record goes, parts too. */
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_doc_add(k, "a.docx", &doc2, &err), 0);
	assert_int_equal(tyst_key_doc_finish(k, doc2, "aa", "bb", &err), 0);
	assert_int_equal(tyst_key_commit(k, &err), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(tyst_key_doc_parts(k, doc, collect_part, &p, &err), 0);
	assert_int_equal(p.n, 0);
	tyst_key_close(k);
}

/* A key of schema version 2 (no doc_parts) is upgraded on open and then
 * keeps parts. */
static void
test_upgrade_v2(void **state)
{
	struct tyst_key *k = open_new();
	struct tyst_err err;
	struct parts p;
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t doc;
	long long v;

	(void)state;
	tyst_key_close(k);
	assert_int_equal(sqlite3_open(keypath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE doc_parts;"
	    "PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(tyst_key_open(&k, keypath, TYST_KEY_OPEN, 1000, &err),
	    0);
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_doc_add(k, "a.odt", &doc, &err), 0);
	assert_int_equal(tyst_key_part_add(k, doc, "meta.xml", "s", "m", 1,
	    &err), 0);
	assert_int_equal(tyst_key_commit(k, &err), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(tyst_key_doc_parts(k, doc, collect_part, &p, &err), 0);
	assert_int_equal(p.n, 1);
	tyst_key_close(k);
	assert_int_equal(sqlite3_open(keypath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_int_equal(v, 3);
}

static void
test_locked(void **state)
{
	struct tyst_key *k = open_new(), *k2;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_key_open(&k2, keypath, TYST_KEY_OPEN, 200, &err),
	    0);
	assert_int_equal(tyst_key_begin(k, &err), 0);
	assert_int_equal(tyst_key_begin(k2, &err), -1);
	assert_non_null(strstr(err.msg, "locked"));
	tyst_key_rollback(k);
	assert_int_equal(tyst_key_begin(k2, &err), 0);
	assert_int_equal(tyst_key_commit(k2, &err), 0);
	tyst_key_close(k2);
	tyst_key_close(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_mode_and_id),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_many_spans),
		cmocka_unit_test(test_upgrade_v1),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_upgrade_v2),
		cmocka_unit_test(test_locked),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
