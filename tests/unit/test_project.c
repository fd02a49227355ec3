/*
 * The project's API as the tools and lib/coding/merge.c, lib/refi/qdpx.c use it, and
 * the count tables of lib/coding/stats.c, on a project small enough to count by
 * hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tyst/codebook.h"
#include "tyst/project.h"
#include "tyst/sha256.h"
#include "tyst/stats.h"

static const char book[] =
    "title: test\n"
    "codes:\n"
    "  - id: arbete\n    label: Arbete\n"
    "  - id: stod\n    label: Stöd\n"
    "  - id: oanvand\n    label: Oanvänd\n";

static const char doc1[] = "IP: Jag fick jobb. Coachen hjälpte mig.\n";
static const char doc2[] = "IP: Jag ville jobba.\n";

static char path[256];
static int64_t d1, d2, anna, bo;

static int64_t
add_doc(struct tyst_project *p, const char *name, const char *text)
{
	struct tyst_pdoc d = { 0 };
	struct tyst_err err;
	char sha[65];
	int64_t id;

	tyst_sha256_hex(text, strlen(text), sha);
	d.name = name;
	d.text = text;
	d.len = strlen(text);
	d.sha256 = sha;
	d.file_sha256 = sha;
	d.source = name;
	d.imported = "2026-11-25T10:00:00Z";
	d.review = TYST_REVIEW_CLEAN;
	if (tyst_project_add_document(p, &d, &id, &err) < 0)
		fail_msg("%s", err.msg);
	return id;
}

static void
seg(struct tyst_project *p, int64_t doc, const char *code, int64_t coder,
    uint64_t a, uint64_t b)
{
	struct tyst_err err;
	int64_t id;

	if (tyst_project_add_segment(p, doc, tyst_project_code_id(p, code,
	    &err), coder, a, b, NULL, &id, &err) != 1)
		fail_msg("%s", err.msg);
}

static int
setup(void **state)
{
	struct tyst_project *p;
	struct tyst_codebook cb;
	struct tyst_sync_report rep;
	struct tyst_err err;

	(void)state;
	snprintf(path, sizeof(path), "%s/tyst-project-test.%ld.db",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	unlink(path);
	if (tyst_project_create(&p, path, &err) < 0 ||
	    tyst_codebook_load_mem(&cb, "book.yaml", book, strlen(book), 1,
	    &err) < 0 || tyst_project_begin(p, &err) < 0 ||
	    tyst_project_sync_codebook(p, &cb, 0, &rep, &err) < 0)
		fail_msg("%s", err.msg);
	tyst_sync_report_free(&rep);
	tyst_codebook_free(&cb);
	d1 = add_doc(p, "intervju01", doc1);
	d2 = add_doc(p, "intervju02", doc2);
	anna = tyst_project_coder(p, "anna", 1, &err);
	bo = tyst_project_coder(p, "bo", 1, &err);
	/* intervju01: anna codes arbete 4-18 and stod 10-38 (they overlap),
	 * and arbete again 30-38 (overlaps stod, not the first arbete);
	 * bo codes arbete 4-18.  intervju02: anna codes stod. */
	seg(p, d1, "arbete", anna, 4, 18);
	seg(p, d1, "stod", anna, 10, 38);
	seg(p, d1, "arbete", anna, 30, 38);
	seg(p, d1, "arbete", bo, 4, 18);
	seg(p, d2, "stod", anna, 4, 20);
	if (tyst_project_commit(p, &err) < 0)
		fail_msg("%s", err.msg);
	tyst_project_close(p);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static struct tyst_project *
open_ro(void)
{
	struct tyst_project *p;
	struct tyst_err err;

	if (tyst_project_open(&p, path, 1, &err) < 0)
		fail_msg("%s", err.msg);
	return p;
}

static long
cell(const struct tyst_table *t, const char *row, const char *col)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; r < t->nrows && c < t->ncols; c++)
			if (strcmp(t->rows[r], row) == 0 &&
			    strcmp(t->cols[c], col) == 0)
				return t->cell[r * t->ncols + c];
	fail_msg("no cell %s/%s", row, col);
	return -1;
}

static void
segments_per_code(void **state)
{
	struct tyst_project *p = open_ro();
	struct tyst_table t;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_stats_segments(p, TYST_STATS_CODE, NULL, &t,
	    &err), 0);
	assert_int_equal(t.nrows, 3);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(t.rows[0], "arbete");
	assert_string_equal(t.cols[1], "bo");
	assert_int_equal(cell(&t, "arbete", "anna"), 2);
	assert_int_equal(cell(&t, "arbete", "bo"), 1);
	assert_int_equal(cell(&t, "stod", "anna"), 2);
	assert_int_equal(cell(&t, "oanvand", "anna"), 0);
	tyst_table_free(&t);
	/* One coder: one column, the other's segments not counted. */
	assert_int_equal(tyst_stats_segments(p, TYST_STATS_DOCUMENT, "bo", &t,
	    &err), 0);
	assert_int_equal(t.ncols, 1);
	assert_int_equal(cell(&t, "intervju01", "bo"), 1);
	assert_int_equal(cell(&t, "intervju02", "bo"), 0);
	tyst_table_free(&t);
	tyst_project_close(p);
}

static void
cooccur(void **state)
{
	struct tyst_project *p = open_ro();
	struct tyst_table t;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_stats_cooccur(p, 0, NULL, &t, &err), 0);
	/* The diagonal counts segments; anna's two arbete segments both
	 * overlap her stod segment; bo's arbete overlaps nothing of his. */
	assert_int_equal(cell(&t, "arbete", "arbete"), 3);
	assert_int_equal(cell(&t, "stod", "stod"), 2);
	assert_int_equal(cell(&t, "arbete", "stod"), 2);
	assert_int_equal(cell(&t, "stod", "arbete"), 2);
	assert_int_equal(cell(&t, "oanvand", "arbete"), 0);
	tyst_table_free(&t);
	assert_int_equal(tyst_stats_cooccur(p, 1, NULL, &t, &err), 0);
	assert_int_equal(cell(&t, "arbete", "stod"), 1);
	assert_int_equal(cell(&t, "stod", "stod"), 2);
	tyst_table_free(&t);
	assert_int_equal(tyst_stats_cooccur(p, 1, "bo", &t, &err), 0);
	assert_int_equal(cell(&t, "arbete", "stod"), 0);
	assert_int_equal(cell(&t, "arbete", "arbete"), 1);
	tyst_table_free(&t);
	tyst_project_close(p);
}

static int
count_attr(int64_t id, const char *key, const char *value, void *arg)
{
	(void)id;
	(void)key;
	(void)value;
	(*(int *)arg)++;
	return 0;
}

static void
api(void **state)
{
	struct tyst_project *p;
	struct tyst_err err;
	char sha[65], *memo;
	int64_t id, c, arbete;
	int n = 0;

	(void)state;
	assert_int_equal(tyst_project_open(&p, path, 0, &err), 0);
	assert_int_equal(tyst_project_begin(p, &err), 0);
	tyst_sha256_hex(doc2, strlen(doc2), sha);
	assert_true(tyst_project_document_id_by_sha(p, sha, &err) == d2);
	assert_true(tyst_project_document_id_by_sha(p, "00", &err) == 0);
	arbete = tyst_project_code_id(p, "arbete", &err);
	assert_int_equal(tyst_project_find_segment(p, d1, arbete, bo, 4, 18,
	    &id, &memo, &err), 1);
	assert_null(memo);
	assert_int_equal(tyst_project_find_segment(p, d1, arbete, bo, 4, 19,
	    &id, NULL, &err), 0);
	assert_int_equal(tyst_project_find_segment(p, d1, arbete, bo, 4, 18,
	    &id, NULL, &err), 1);
	assert_int_equal(tyst_project_segment_memo(p, id, "notera", &err), 1);
	assert_int_equal(tyst_project_segment_get_memo(p, id, &memo, &err), 1);
	assert_string_equal(memo, "notera");
	free(memo);
	assert_int_equal(tyst_project_segment_get_memo(p, 9999, &memo, &err),
	    0);
	assert_int_equal(tyst_project_memo_exists(p, d1, 0, anna, "m", &err),
	    0);
	assert_int_equal(tyst_project_add_memo_at(p, d1, 0, anna, "m",
	    "2020-01-01T00:00:00Z", &err), 0);
	assert_int_equal(tyst_project_memo_exists(p, d1, 0, anna, "m", &err),
	    1);
	assert_int_equal(tyst_project_memo_exists(p, d1, 0, 0, "m", &err), 0);
	c = tyst_project_case(p, "AT01", 1, &err);
	assert_true(c > 0);
	assert_int_equal(tyst_project_set_case_attr(p, c, "roll", "ip", &err),
	    0);
	assert_int_equal(tyst_project_set_case_attr(p, c, "kön", "k", &err),
	    0);
	assert_int_equal(tyst_project_case_attrs(p, c, count_attr, &n, &err),
	    0);
	assert_int_equal(n, 2);
	tyst_project_rollback(p);
	tyst_project_close(p);
}

static const char book3[] =
    "title: test\n"
    "version: '3'\n"
    "codes:\n"
    "  - id: arbete\n    label: Arbete\n    codable: false\n"
    "    codes:\n"
    "      - id: stod\n        label: Stöd\n"
    "        inclusion: In.\n        exclusion: Ut.\n"
    "        examples: [\"Ett.\", \"Två:\\nrader.\"]\n"
    "  - id: oanvand\n    label: Oanvänd\n"
    "sets:\n"
    "  - id: s\n    label: S\n    description: En mängd.\n"
    "    codes: [oanvand, stod]\n";

/* What schema 3 holds: the whole codebook comes back as it went in; a
 * GUID is set once; a document's attributes are its own; an annotation
 * or a journal is not added twice. */
static void
schema3(void **state)
{
	struct tyst_project *p;
	struct tyst_codebook cb, back;
	struct tyst_sync_report rep;
	struct tyst_err err;
	char *v;

	(void)state;
	if (tyst_project_open(&p, path, 0, &err) < 0 ||
	    tyst_project_begin(p, &err) < 0 ||
	    tyst_codebook_load_mem(&cb, "book3.yaml", book3, strlen(book3), 1,
	    &err) < 0 || tyst_project_sync_codebook(p, &cb, 0, &rep, &err) < 0)
		fail_msg("%s", err.msg);
	tyst_sync_report_free(&rep);
	if (tyst_project_codebook(p, &back, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(back.ncodes, 3);
	assert_string_equal(back.codes[1].id, "stod");
	assert_int_equal(back.codes[1].parent, 0);
	assert_int_equal(back.codes[1].depth, 1);
	assert_true(back.codes[0].uncodable);
	assert_false(back.codes[1].uncodable);
	assert_string_equal(back.codes[1].inclusion, "In.");
	assert_string_equal(back.codes[1].exclusion, "Ut.");
	assert_int_equal(back.codes[1].nexamples, 2);
	assert_string_equal(back.codes[1].examples[1], "Två:\nrader.");
	assert_int_equal(back.nsets, 1);
	assert_string_equal(back.sets[0].description, "En mängd.");
	assert_int_equal(back.sets[0].nmembers, 2);
	assert_string_equal(back.codes[back.sets[0].members[0]].id, "oanvand");
	assert_string_equal(back.codes[back.sets[0].members[1]].id, "stod");
	assert_string_equal(back.version, "3");
	tyst_codebook_free(&back);
	/* The same book again changes nothing. */
	assert_int_equal(tyst_project_sync_codebook(p, &cb, 0, &rep, &err), 0);
	assert_int_equal(rep.changed + rep.added, 0);
	tyst_sync_report_free(&rep);
	tyst_codebook_free(&cb);

	assert_int_equal(tyst_project_set_guid(p, TYST_GUID_DOCUMENT, d1,
	    "AAAAAAAA-0000-4000-8000-000000000001", &err), 0);
	assert_int_equal(tyst_project_set_guid(p, TYST_GUID_DOCUMENT, d1,
	    "BBBBBBBB-0000-4000-8000-000000000002", &err), 0);
	v = tyst_project_guid(p, TYST_GUID_DOCUMENT, d1);
	assert_non_null(v);
	assert_string_equal(v, "AAAAAAAA-0000-4000-8000-000000000001");
	free(v);
	assert_null(tyst_project_guid(p, TYST_GUID_DOCUMENT, d2));

	assert_int_equal(tyst_project_set_document_attr(p, d1, "tillfalle",
	    "1", &err), 0);
	assert_int_equal(tyst_project_set_document_attr(p, d2, "tillfalle",
	    "2", &err), 0);
	v = tyst_project_document_attr(p, d1, "tillfalle");
	assert_string_equal(v, "1");
	free(v);
	assert_null(tyst_project_document_attr(p, d1, "datum"));

	assert_int_equal(tyst_project_add_annotation(p, d1, anna, 4, 8, "Obs.",
	    NULL, NULL, &err), 1);
	assert_int_equal(tyst_project_add_annotation(p, d1, bo, 4, 8, "Obs.",
	    NULL, NULL, &err), 0);
	assert_int_equal(tyst_project_add_annotation(p, d1, anna, 8, 4, "Bak.",
	    NULL, NULL, &err), -1);
	assert_int_equal(tyst_project_add_journal(p, "Dagbok", "Rad.", 0,
	    NULL, NULL, &err), 1);
	assert_int_equal(tyst_project_add_journal(p, "Dagbok", "Rad.", anna,
	    NULL, NULL, &err), 0);
	tyst_project_rollback(p);
	tyst_project_close(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(segments_per_code),
		cmocka_unit_test(cooccur),
		cmocka_unit_test(api),
		cmocka_unit_test(schema3),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
