/*
 * Agreement in a coding project: units, missing documents, the pooled
 * overall figure and the disagreement list, on a project small enough to
 * work out by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tyst/agree.h"
#include "tyst/codebook.h"
#include "tyst/project.h"
#include "tyst/sha256.h"

static const char book[] =
    "title: test\n"
    "codes:\n"
    "  - id: arbete\n    label: Arbete\n"
    "  - id: stod\n    label: Stöd\n"
    "  - id: oanvand\n    label: Oanvänd\n";

/* Four turns; the second spans two lines. */
static const char doc1[] =
    "I: Hur började det?\n"
    "IP: Jag fick jobb. Det var på ett lager.\n"
    "Sen blev det mer.\n"
    "I: Mm.\n"
    "IP: Coachen hjälpte mig hela tiden.\n";

static const char doc2[] =
    "I: Berätta.\n"
    "IP: Jag ville jobba.\n";

static char path[256];

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
    const char *text, const char *from, const char *to)
{
	struct tyst_err err;
	const char *a = strstr(text, from), *b = strstr(text, to);
	int64_t id;

	assert_non_null(a);
	assert_non_null(b);
	if (tyst_project_add_segment(p, doc, tyst_project_code_id(p, code,
	    &err), coder, (uint64_t)(a - text), (uint64_t)(b - text) +
	    strlen(to), NULL, &id, &err) < 0)
		fail_msg("%s", err.msg);
}

static int
setup(void **state)
{
	struct tyst_project *p;
	struct tyst_codebook cb;
	struct tyst_sync_report rep;
	struct tyst_err err;
	int64_t d1, d2, anna, bo, cia;

	(void)state;
	snprintf(path, sizeof(path), "%s/tyst-agree-test.%ld.db",
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
	cia = tyst_project_coder(p, "cia", 1, &err);
	tyst_project_coder(p, "dan", 1, &err);
	/* arbete: both in turn 2, anna over more of it. */
	seg(p, d1, "arbete", anna, doc1, "Jag fick", "mer.");
	seg(p, d1, "arbete", bo, doc1, "Jag fick", "jobb.");
	/* stod: only anna, in turn 4. */
	seg(p, d1, "stod", anna, doc1, "Coachen", "tiden.");
	/* intervju02: only anna and cia coded it; bo's values are missing. */
	seg(p, d2, "arbete", anna, doc2, "Jag ville", "jobba.");
	seg(p, d2, "arbete", cia, doc2, "Jag ville", "jobba.");
	seg(p, d1, "arbete", cia, doc1, "Jag fick", "jobb.");
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

static void
run(const char *const *coders, size_t n, enum tyst_agree_unit unit,
    struct tyst_agree_result *r)
{
	struct tyst_project *p;
	struct tyst_agree_opts o = { coders, n, NULL, 0, unit };
	struct tyst_err err;

	if (tyst_project_open(&p, path, 1, &err) < 0 ||
	    tyst_agree_project(p, &o, r, &err) < 0)
		fail_msg("%s", err.msg);
	tyst_project_close(p);
}

static void
near(double got, double want)
{
	if (isnan(got) || fabs(got - want) > 1e-9)
		fail_msg("got %.6f, expected %.6f", got, want);
}

/*
 * Turns of intervju01: anna and bo both coded it, intervju02 only anna.
 * arbete: turn 2 both present, turns 1, 3, 4 both absent: 4 of 4 agree;
 * intervju02's 2 turns have bo missing.  stod: turn 4 anna only.
 */
static void
turns_two_coders(void **state)
{
	const char *coders[] = { "anna", "bo" };
	struct tyst_agree_result r;

	(void)state;
	run(coders, 2, TYST_AGREE_TURN, &r);
	assert_int_equal(r.ncodes, 3);
	assert_string_equal(r.codes[0].code, "arbete");
	assert_int_equal(r.codes[0].a.units, 6);
	assert_int_equal(r.codes[0].a.pairable, 4);
	near(r.codes[0].a.percent, 1.0);
	near(r.codes[0].a.kappa, 1.0);
	near(r.codes[0].a.alpha, 1.0);
	/* stod: 3 of 4 agree; kappa: p_o .75, p_e = .75 * 1 = .75 -> 0. */
	near(r.codes[1].a.percent, 0.75);
	near(r.codes[1].a.kappa, 0.0);
	/* alpha: n = 8, present 1, absent 7, D = 2 ordered pairs:
	 * 1 - 7 * 2 / (64 - 50) = 0. */
	near(r.codes[1].a.alpha, 0.0);
	/* oanvand: never applied, all agree, alpha undefined. */
	assert_false(r.codes[2].used);
	assert_true(isnan(r.codes[2].a.alpha));
	/* overall pools arbete and stod only: 8 pairable units. */
	assert_int_equal(r.overall.pairable, 8);
	near(r.overall.percent, 7.0 / 8.0);
	/* One disagreement: stod in turn 4, lines 5, speaker IP. */
	assert_int_equal(r.ndiffs, 1);
	assert_int_equal(r.diffs[0].code, 1);
	assert_int_equal(r.diffs[0].line1, 5);
	assert_string_equal(r.diffs[0].speaker, "IP");
	assert_int_equal(r.diffs[0].applied, 1);
	assert_string_equal(r.diffs[0].excerpt,
	    "Coachen hjälpte mig hela tiden.");
	tyst_agree_result_free(&r);
}

/* Characters: anna's arbete runs over "Det var på ett lager.\nSen blev
 * det mer." beyond bo's "Jag fick jobb.", so the turn is reported with
 * differing extents. */
static void
chars_two_coders(void **state)
{
	const char *coders[] = { "anna", "bo" };
	struct tyst_agree_result r;
	size_t chars1 = 0;

	(void)state;
	for (const char *s = doc1; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80 && *s != '\n')
			chars1++;
	run(coders, 2, TYST_AGREE_CHAR, &r);
	assert_int_equal(r.codes[0].a.pairable, chars1);
	assert_true(r.codes[0].a.percent < 1.0);
	assert_int_equal(r.ndiffs, 2);
	assert_int_equal(r.diffs[0].code, 0);
	assert_int_equal(r.diffs[0].line1, 2);
	assert_int_equal(r.diffs[0].line2, 3);
	assert_true(r.diffs[0].extent);
	assert_int_equal(r.diffs[1].code, 1);
	tyst_agree_result_free(&r);
}

/* Three coders: kappa is not computed, alpha copes with bo's missing
 * intervju02. */
static void
three_coders(void **state)
{
	const char *coders[] = { "anna", "bo", "cia" };
	struct tyst_agree_result r;

	(void)state;
	run(coders, 3, TYST_AGREE_SENTENCE, &r);
	assert_true(isnan(r.codes[0].a.kappa));
	assert_false(isnan(r.codes[0].a.alpha));
	assert_true(r.codes[0].a.pairable > 0);
	tyst_agree_result_free(&r);
}

static void
errors(void **state)
{
	const char *nosegs[] = { "anna", "dan" };
	const char *unknown[] = { "anna", "eva" };
	const char *codes[] = { "finns-inte" };
	const char *two[] = { "anna", "bo" };
	struct tyst_project *p;
	struct tyst_agree_result r;
	struct tyst_err err;
	struct tyst_agree_opts o = { nosegs, 2, NULL, 0, TYST_AGREE_TURN };

	(void)state;
	assert_int_equal(tyst_project_open(&p, path, 1, &err), 0);
	assert_int_equal(tyst_agree_project(p, &o, &r, &err), -1);
	assert_non_null(strstr(err.msg, "coder 'dan' has no segments"));
	o.coders = unknown;
	assert_int_equal(tyst_agree_project(p, &o, &r, &err), -1);
	assert_non_null(strstr(err.msg, "no coder 'eva'"));
	o.coders = two;
	o.codes = codes;
	o.ncodes = 1;
	assert_int_equal(tyst_agree_project(p, &o, &r, &err), -1);
	assert_non_null(strstr(err.msg, "unknown code 'finns-inte'"));
	tyst_project_close(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(turns_two_coders),
		cmocka_unit_test(chars_two_coders),
		cmocka_unit_test(three_coders),
		cmocka_unit_test(errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
