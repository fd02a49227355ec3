/*
 * Unit tests of lib/coding/ualpha.c: Krippendorff's u-alpha, checked
 * against cases worked by hand from the definitions in
 * include/tyst/ualpha.h.  In the comments, A, B, C are coders, [b,e) a
 * unit, L the continuum's length, m the number of coders, N the number
 * of units; "gaps >= l" lists the gap lengths that enter a unit's sum.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tyst/ualpha.h"

#define EPS 1e-9

static struct tyst_ualpha
ua(struct tyst_uunit *v, size_t n, size_t m, uint64_t len)
{
	struct tyst_ualpha a;
	struct tyst_err err;

	assert_int_equal(tyst_ualpha(v, n, m, len, &a, &err), 0);
	return a;
}

/*
 * L = 10, m = 2, A [2,6), B [2,6).
 * D_o = 0, so u-alpha = 1.
 * D_e: N = 2; per unit l = 4: (N-1)/3 (2*64 - 3*16 + 4) = 84/3 = 28;
 * gaps of A: 2, 4; of B: 2, 4; gaps >= 4: 4, 4 -> 16 * (1 + 1) = 32;
 * per unit 60, sum 120.  Denominator 20*19 - 2*(4*3) = 356.
 * D_e = (2/10) 120 / 356 = 24/356.
 */
static void
test_perfect(void **state)
{
	struct tyst_uunit v[] = { { 0, 2, 6 }, { 1, 2, 6 } };
	struct tyst_ualpha a = ua(v, 2, 2, 10);

	(void)state;
	assert_true(fabs(a.dobs) < EPS);
	assert_true(fabs(a.dexp - 24.0 / 356) < EPS);
	assert_true(fabs(a.alpha - 1) < EPS);
	assert_int_equal(a.units, 2);
}

/*
 * L = 10, m = 2, A [2,6), B [3,6): a start one character off.
 * D_o: the two units overlap: (2-3)^2 + (6-6)^2 = 1, for (A,B) and
 * (B,A): 2; no unit lies inside a gap of the other coder.
 * D_o = 2 / (2*1*100) = 0.01.
 * D_e: N = 2.  A's unit l = 4: 28 (as above); gaps: A 2, 4; B 3, 4;
 * gaps >= 4: 4, 4 -> 16 * 2 = 32; 60.  B's unit l = 3:
 * (1/3)(54 - 27 + 3) = 10; gaps >= 3: 4 (2), 3 (1), 4 (2) -> 9 * 5 = 45;
 * 55.  Sum 115.  Denominator 380 - (12 + 6) = 362.
 * D_e = (2/10) 115 / 362 = 23/362; u-alpha = 1 - 0.01 * 362/23
 * = 1 - 3.62/23 = 0.8426087.
 */
static void
test_boundary(void **state)
{
	struct tyst_uunit v[] = { { 0, 2, 6 }, { 1, 3, 6 } };
	struct tyst_ualpha a = ua(v, 2, 2, 10);

	(void)state;
	assert_true(fabs(a.dobs - 0.01) < EPS);
	assert_true(fabs(a.dexp - 23.0 / 362) < EPS);
	assert_true(fabs(a.alpha - (1 - 3.62 / 23)) < EPS);
}

/*
 * L = 10, m = 2, A [0,2), B [5,7): no overlap at all.
 * D_o: A's unit lies in B's gap [0,5): 4; B's unit in A's gap [2,10): 4;
 * each counted from both sides: 16.  D_o = 16 / 200 = 0.08.
 * D_e: N = 2, units l = 2: (1/3)(16 - 12 + 2) = 2; gaps A 8; B 5, 3;
 * gaps >= 2: (8-1) + (5-1) + (3-1) = 13 -> 4 * 13 = 52; 54 per unit,
 * 108.  Denominator 380 - 2*2 = 376.  D_e = 21.6/376.
 * u-alpha = 1 - 0.08 * 376/21.6 = 1 - 30.08/21.6 = -0.3925926.
 */
static void
test_disjoint(void **state)
{
	struct tyst_uunit v[] = { { 1, 5, 7 }, { 0, 0, 2 } };
	struct tyst_ualpha a = ua(v, 2, 2, 10);

	(void)state;
	assert_true(fabs(a.dobs - 0.08) < EPS);
	assert_true(fabs(a.dexp - 21.6 / 376) < EPS);
	assert_true(fabs(a.alpha - (1 - 30.08 / 21.6)) < EPS);
}

/*
 * L = 10, m = 2, A [2,6), B marks nothing.
 * D_o: A's unit in B's gap [0,10): 16, from both sides 32; 32/200 = 0.16.
 * D_e: N = 1, so the first term is 0; gaps A 2, 4; B 10; gaps >= 4:
 * (4-3) + (10-3) = 8 -> 16 * 8 = 128.  Denominator 380 - 12 = 368.
 * D_e = 25.6/368; u-alpha = 1 - 0.16 * 368/25.6 = 1 - 2.3 = -1.3.
 */
static void
test_one_coder_silent(void **state)
{
	struct tyst_uunit v[] = { { 0, 2, 6 } };
	struct tyst_ualpha a = ua(v, 1, 2, 10);

	(void)state;
	assert_true(fabs(a.dobs - 0.16) < EPS);
	assert_true(fabs(a.alpha - -1.3) < EPS);
}

/*
 * L = 10, m = 3, A [2,6), B [2,6), C [3,6).
 * D_o: A-B 0; A-C and B-C 1 each way: 4 in all; 4 / (3*2*100).
 * D_e: N = 3.  Units of 4: (2/3) 84 = 56, gaps >= 4: 4, 4, 4 -> 16*3 =
 * 48; 104 each for A and B.  Unit of 3: (2/3) 30 = 20, gaps >= 3:
 * 4, 4, 4 (2 each), 3 (1) -> 9*7 = 63; 83.  Sum 291.  Denominator
 * 30*29 - (12 + 12 + 6) = 840.  D_e = (2/10) 291/840 = 58.2/840.
 * u-alpha = 1 - (4/600) (840/58.2) = 0.9037801.
 */
static void
test_three_coders(void **state)
{
	struct tyst_uunit v[] = { { 2, 3, 6 }, { 0, 2, 6 }, { 1, 2, 6 } };
	struct tyst_ualpha a = ua(v, 3, 3, 10);

	(void)state;
	assert_true(fabs(a.dobs - 4.0 / 600) < EPS);
	assert_true(fabs(a.dexp - 58.2 / 840) < EPS);
	assert_true(fabs(a.alpha - (1 - 4.0 / 600 * 840 / 58.2)) < EPS);
}

/* A coder's overlapping units are one; touching units stay two; units
 * past the end are cut; no unit at all leaves u-alpha undefined. */
static void
test_units(void **state)
{
	struct tyst_uunit v[] = { { 0, 2, 4 }, { 0, 3, 6 }, { 1, 2, 6 } };
	struct tyst_uunit t[] = { { 0, 2, 4 }, { 0, 4, 6 }, { 1, 2, 6 } };
	struct tyst_uunit p[] = { { 0, 2, 60 }, { 1, 2, 10 } };
	struct tyst_ualpha a;

	(void)state;
	a = ua(v, 3, 2, 10);
	assert_int_equal(a.units, 2);
	assert_true(fabs(a.alpha - 1) < EPS);
	a = ua(t, 3, 2, 10);
	assert_int_equal(a.units, 3);
	assert_true(a.alpha < 1);
	a = ua(p, 2, 2, 10);
	assert_true(fabs(a.alpha - 1) < EPS);
	a = ua(NULL, 0, 2, 10);
	assert_true(isnan(a.alpha));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perfect),
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_disjoint),
		cmocka_unit_test(test_one_coder_silent),
		cmocka_unit_test(test_three_coders),
		cmocka_unit_test(test_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
