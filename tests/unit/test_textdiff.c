/* Unit tests of lib/coding/textdiff.c: moving offsets to a corrected text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tyst/textdiff.h"

static void
diff(struct tyst_diff *d, const char *a, const char *b)
{
	struct tyst_err err;

	assert_int_equal(tyst_diff_texts(a, strlen(a), b, strlen(b), d, &err),
	    0);
	/* Every run is text the two share, in order, not overlapping. */
	for (size_t i = 0; i < d->n; i++) {
		const struct tyst_diff_run *r = &d->v[i];

		assert_true(r->len > 0);
		assert_true(r->a + r->len <= strlen(a));
		assert_true(r->b + r->len <= strlen(b));
		assert_memory_equal(a + r->a, b + r->b, r->len);
		if (i > 0) {
			assert_true(d->v[i - 1].a + d->v[i - 1].len <= r->a);
			assert_true(d->v[i - 1].b + d->v[i - 1].len <= r->b);
		}
	}
}

/* The span of the first occurrence of what in s. */
static void
span(const char *s, const char *what, size_t *st, size_t *e)
{
	const char *p = strstr(s, what);

	assert_non_null(p);
	*st = (size_t)(p - s);
	*e = *st + strlen(what);
}

static void
test_same(void **state)
{
	struct tyst_diff d;
	size_t ns, ne;

	(void)state;
	diff(&d, "IP: Jag ville jobba.\nI: Mm.\n", "IP: Jag ville jobba.\nI: Mm.\n");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].len, 28);
	assert_int_equal(tyst_diff_map(&d, 4, 13, &ns, &ne), 1);
	assert_int_equal(ns, 4);
	assert_int_equal(ne, 13);
	tyst_diff_free(&d);
	diff(&d, "", "ny text\n");
	assert_int_equal(d.n, 0);
	tyst_diff_free(&d);
}

/* A name replaced inside a turn: what follows shifts by the difference
 * in length, what holds the name has changed. */
static void
test_name_in_line(void **state)
{
	const char *a = "I: Vem?\nIP: Jag heter Leija och bor här.\nI: Mm.\n";
	const char *b = "I: Vem?\nIP: Jag heter Tindra och bor här.\nI: Mm.\n";
	struct tyst_diff d;
	size_t s, e, ns, ne;

	(void)state;
	diff(&d, a, b);
	span(a, "och bor", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 1);
	assert_int_equal(ns, s + 1);
	assert_int_equal(ne, e + 1);
	span(a, "I: Mm.", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 1);
	assert_int_equal(ns, s + 1);
	span(a, "heter Leija och", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 0);
	assert_int_equal(ne - ns, strlen("heter Tindra och"));
	assert_memory_equal(b + ns, "heter Tindra och", ne - ns);
	/* A segment that ends right before the name keeps its text. */
	span(a, "Jag heter ", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 1);
	tyst_diff_free(&d);
}

/* Lines inserted and deleted, and a multibyte replacement. */
static void
test_lines(void **state)
{
	const char *a = "Rad ett.\nÅsa sa nej.\nRad tre.\nRad fyra.\n";
	const char *b = "Ny rad.\nRad ett.\nEva sa nej.\nRad fyra.\n";
	struct tyst_diff d;
	size_t s, e, ns, ne;

	(void)state;
	diff(&d, a, b);
	span(a, "Rad ett.", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 1);
	assert_int_equal(ns, 8);
	span(a, "sa nej", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 1);
	assert_memory_equal(b + ns, "sa nej", 6);
	/* Å is two bytes, E one: the name's replacement is found whole. */
	span(a, "Åsa", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 0);
	assert_memory_equal(b + ns, "Eva", ne - ns);
	/* A deleted line: changed, and at most its full stop is left (the
	 * characters of the lines between matched lines are matched as
	 * characters; ".\n" may pair with the end of "Eva sa nej."). */
	span(a, "Rad tre.", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 0);
	assert_true(ne - ns <= 1);
	span(a, "Rad fyra.", &s, &e);
	assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 1);
	assert_memory_equal(b + ns, "Rad fyra.", 9);
	tyst_diff_free(&d);
}

static void
test_spans(void **state)
{
	const char *a = "ab Leija cd\n";
	const char *b = "ab cd\n";
	struct tyst_diff d;
	struct tyst_diff_span v[] = {
		{ 1, 1, 0, 2, 0, 0, 0, 0 },    /* "ab": unchanged */
		{ 1, 1, 3, 8, 0, 0, 0, 0 },    /* "Leija": deleted whole */
		{ 1, 1, 0, 9, 0, 0, 0, 0 },    /* "ab Leija ": changed */
		{ 1, 1, 0, 3, 0, 0, 0, 0 },    /* "ab ": unchanged */
		{ 2, 1, 0, 9, 0, 0, 0, 0 },    /* another code: kept */
	};

	(void)state;
	diff(&d, a, b);
	tyst_diff_spans(&d, v, 5);
	assert_false(v[0].changed);
	assert_true(v[1].changed);
	assert_true(v[1].drop);
	assert_true(v[2].changed);
	/* "ab Leija " carried over is "ab ", which the fourth span is. */
	assert_int_equal(v[2].nstart, 0);
	assert_int_equal(v[2].nend, 3);
	assert_true(v[2].drop);
	assert_false(v[3].changed);
	assert_false(v[3].drop);
	assert_true(v[4].changed);
	assert_false(v[4].drop);
	tyst_diff_free(&d);
}

/* Random edits of a random text of few distinct lines and letters (many
 * repeats make the matching hard): the runs always hold, and a span that
 * no edit touched is always found unchanged. */
static void
test_random(void **state)
{
	static const char *words[] = { "ja\n", "nej ", "Åsa ", "mm\n", "a",
	    "b", "\n" };
	unsigned seed = 7;
	char a[600], b[700];

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct tyst_diff d;
		size_t al = 0, bl = 0, cut, ins, s, e, ns, ne;

		for (int i = 0; i < 60; i++) {
			seed = seed * 1103515245u + 12345u;
			const char *w = words[(seed >> 16) % 7];

			memcpy(a + al, w, strlen(w));
			al += strlen(w);
		}
		a[al] = '\0';
		/* One edit: cut [cut, cut+del) and insert a word. */
		seed = seed * 1103515245u + 12345u;
		cut = (seed >> 8) % al;
		while (cut > 0 && ((unsigned char)a[cut] & 0xc0) == 0x80)
			cut--;
		ins = (seed >> 20) % 7;
		memcpy(b, a, cut);
		bl = cut;
		memcpy(b + bl, words[ins], strlen(words[ins]));
		bl += strlen(words[ins]);
		memcpy(b + bl, a + cut, al - cut);
		bl += al - cut;
		b[bl] = '\0';
		diff(&d, a, b);
		assert_false(d.coarse);
		/* The shared text is at least the text minus nothing. */
		{
			size_t tot = 0;

			for (size_t i = 0; i < d.n; i++)
				tot += d.v[i].len;
			assert_int_equal(tot, al);
		}
		s = 0;
		e = cut;
		if (e > s) {
			assert_int_equal(tyst_diff_map(&d, s, e, &ns, &ne), 1);
			assert_memory_equal(b + ns, a + s, e - s);
		}
		tyst_diff_free(&d);
	}
}

/* Two texts with no line in common and too many edits to search: the
 * search gives up (coarse), everything counts as changed, and what the
 * two share at the ends still holds. */
static void
test_coarse(void **state)
{
	static char a[40000], b[40000];
	size_t al = 0, bl = 0, ns, ne;
	struct tyst_diff d;

	(void)state;
	al += (size_t)sprintf(a, "Intervju\n");
	bl += (size_t)sprintf(b, "Intervju\n");
	for (int i = 0; i < 2500; i++) {
		al += (size_t)sprintf(a + al, "a%05d\n", i);
		bl += (size_t)sprintf(b + bl, "b%05d\n", i);
	}
	al += (size_t)sprintf(a + al, "Slut.\n");
	bl += (size_t)sprintf(b + bl, "Slut.\n");
	diff(&d, a, b);
	assert_true(d.coarse);
	assert_int_equal(tyst_diff_map(&d, 0, 8, &ns, &ne), 1);
	assert_int_equal(tyst_diff_map(&d, al - 6, al - 1, &ns, &ne), 1);
	assert_int_equal(ns, bl - 6);
	assert_int_equal(tyst_diff_map(&d, 9, 15, &ns, &ne), 0);
	tyst_diff_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_name_in_line),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_coarse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
