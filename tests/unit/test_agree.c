/*
 * Agreement figures against published worked examples, to three decimals:
 * Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability" (the
 * binary two-coder example and the four-coder example with missing
 * values), and Cohen's kappa examples from the textbook literature.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tyst/agree.h"

static void
load(struct tyst_rdata *d, const char *name)
{
	const char *src = getenv("TYST_SRCDIR");
	char path[1024];
	struct tyst_err err;

	snprintf(path, sizeof(path), "%s/tests/data/agree/%s",
	    src ? src : ".", name);
	if (tyst_rdata_load_tsv(d, path, &err) < 0)
		fail_msg("%s:%zu:%zu: %s", err.file, err.line, err.col,
		    err.msg);
}

static struct tyst_agreement
figures(const char *name)
{
	struct tyst_rdata d;
	struct tyst_agreement a;
	struct tyst_err err;

	load(&d, name);
	assert_int_equal(tyst_agree_compute(&d, &a, &err), 0);
	tyst_rdata_free(&d);
	return a;
}

/* Equal to three decimals, as the published figures are given. */
static void
near(double got, double want)
{
	if (isnan(got) || fabs(got - want) > 0.0005)
		fail_msg("got %.4f, expected %.3f", got, want);
}

static void
krippendorff_four_coders(void **state)
{
	struct tyst_agreement a = figures("krippendorff-2011-4coders.tsv");

	(void)state;
	near(a.alpha, 0.743);
	assert_int_equal(a.units, 12);
	/* Unit 12 has one value only and drops out. */
	assert_int_equal(a.pairable, 11);
	assert_int_equal(a.values, 40);
	/* Mean within-unit pairwise agreement: 9 of 11 units. */
	near(a.percent, 9.0 / 11.0);
	assert_true(isnan(a.kappa));
}

static void
krippendorff_binary(void **state)
{
	struct tyst_agreement a = figures("krippendorff-2011-binary.tsv");

	(void)state;
	near(a.alpha, 0.095);
	near(a.percent, 0.600);
	assert_int_equal(a.pairable, 10);
	/* Kappa by hand: p_o = .6, p_e = .8 * .6 + .2 * .4 = .56. */
	near(a.kappa, (0.6 - 0.56) / (1 - 0.56));
}

static void
cohen_50(void **state)
{
	struct tyst_agreement a = figures("cohen-50-yes-no.tsv");

	(void)state;
	near(a.kappa, 0.400);
	near(a.percent, 0.700);
	assert_int_equal(a.units, 50);
}

/* Same observed agreement, different marginals, different kappa. */
static void
cohen_same_agreement(void **state)
{
	struct tyst_agreement a = figures("cohen-100-a.tsv");
	struct tyst_agreement b = figures("cohen-100-b.tsv");

	(void)state;
	near(a.percent, 0.600);
	near(b.percent, 0.600);
	near(a.kappa, 0.130);
	near(b.kappa, 0.259);
}

static void
fleiss_three_categories(void **state)
{
	struct tyst_agreement a = figures("fleiss-3-diagnoses.tsv");

	(void)state;
	near(a.percent, 0.890);
	near(a.kappa, 0.676);
}

/* A weighted unit counts as that many identical units. */
static void
weights(void **state)
{
	const char *coders[] = { "A", "B", "C" };
	struct tyst_rdata d1, d2;
	struct tyst_agreement a1, a2;
	struct tyst_err err;
	int rows[][3] = { { 0, 0, 1 }, { 1, 1, 1 }, { 0, -1, 0 },
	    { 1, 0, -1 } };
	uint64_t w[] = { 3, 5, 2, 1 };

	(void)state;
	assert_int_equal(tyst_rdata_init(&d1, 3, coders, &err), 0);
	assert_int_equal(tyst_rdata_init(&d2, 3, coders, &err), 0);
	assert_int_equal(tyst_rdata_label(&d1, "no", 2), 0);
	assert_int_equal(tyst_rdata_label(&d1, "yes", 3), 1);
	assert_int_equal(tyst_rdata_label(&d2, "no", 2), 0);
	assert_int_equal(tyst_rdata_label(&d2, "yes", 3), 1);
	for (size_t r = 0; r < 4; r++) {
		assert_int_equal(tyst_rdata_add(&d1, rows[r], w[r], &err), 0);
		for (uint64_t i = 0; i < w[r]; i++)
			assert_int_equal(tyst_rdata_add(&d2, rows[r], 1,
			    &err), 0);
	}
	assert_int_equal(tyst_agree_compute(&d1, &a1, &err), 0);
	assert_int_equal(tyst_agree_compute(&d2, &a2, &err), 0);
	assert_int_equal(a1.units, 11);
	assert_int_equal(a1.units, a2.units);
	assert_int_equal(a1.pairable, a2.pairable);
	assert_int_equal(a1.values, a2.values);
	assert_true(fabs(a1.alpha - a2.alpha) < 1e-12);
	assert_true(fabs(a1.percent - a2.percent) < 1e-12);
	tyst_rdata_free(&d1);
	tyst_rdata_free(&d2);
}

/* No variation: kappa and alpha are 0/0, reported as undefined (NaN). */
static void
no_variation(void **state)
{
	const char *coders[] = { "A", "B" };
	struct tyst_rdata d;
	struct tyst_agreement a;
	struct tyst_err err;
	int row[] = { 0, 0 };

	(void)state;
	assert_int_equal(tyst_rdata_init(&d, 2, coders, &err), 0);
	assert_int_equal(tyst_rdata_label(&d, "x", 1), 0);
	assert_int_equal(tyst_rdata_add(&d, row, 1, &err), 0);
	assert_int_equal(tyst_agree_compute(&d, &a, &err), 0);
	near(a.percent, 1.0);
	assert_true(isnan(a.alpha));
	assert_true(isnan(a.kappa));
	tyst_rdata_free(&d);
}

/* One disagreeing unit: maximal disagreement, alpha 0. */
static void
one_disagreement(void **state)
{
	const char *coders[] = { "A", "B" };
	struct tyst_rdata d;
	struct tyst_agreement a;
	struct tyst_err err;
	int row[] = { 0, 1 };

	(void)state;
	assert_int_equal(tyst_rdata_init(&d, 2, coders, &err), 0);
	tyst_rdata_label(&d, "x", 1);
	tyst_rdata_label(&d, "y", 1);
	assert_int_equal(tyst_rdata_add(&d, row, 1, &err), 0);
	assert_int_equal(tyst_agree_compute(&d, &a, &err), 0);
	near(a.percent, 0.0);
	near(a.alpha, 0.0);
	tyst_rdata_free(&d);
}

static void
bad_coders(void **state)
{
	const char *one[] = { "A" };
	const char *twice[] = { "A", "A" };
	const char *empty[] = { "A", "" };
	struct tyst_rdata d;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_rdata_init(&d, 1, one, &err), -1);
	assert_non_null(strstr(err.msg, "two coders"));
	assert_int_equal(tyst_rdata_init(&d, 2, twice, &err), -1);
	assert_non_null(strstr(err.msg, "twice"));
	assert_int_equal(tyst_rdata_init(&d, 2, empty, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(krippendorff_four_coders),
		cmocka_unit_test(krippendorff_binary),
		cmocka_unit_test(cohen_50),
		cmocka_unit_test(cohen_same_agreement),
		cmocka_unit_test(fleiss_three_categories),
		cmocka_unit_test(weights),
		cmocka_unit_test(no_variation),
		cmocka_unit_test(one_disagreement),
		cmocka_unit_test(bad_coders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
