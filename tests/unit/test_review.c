/*
 * Unit tests of the review workflow's parts: lib/pseudo/review.c's parsing of
 * forms, cookies and the Host and Origin headers (what keeps other pages
 * and other hosts out), lib/detect/rules.c's occurrence decisions applied to a
 * line's findings, and lib/pseudo/revfile.c's review file written and read back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tyst/revfile.h"
#include "tyst/review.h"
#include "tyst/rules.h"

static void
test_form(void **state)
{
	const char *f = "word=%C3%85sa+Lund&decision=keep&empty=&wordy=x";
	char out[32];

	(void)state;
	assert_int_equal(tyst_form_get(f, strlen(f), "word", out, sizeof(out)),
	    0);
	assert_string_equal(out, "\xc3\x85sa Lund");
	assert_int_equal(tyst_form_get(f, strlen(f), "decision", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "keep");
	assert_int_equal(tyst_form_get(f, strlen(f), "empty", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "");
	/* "wor" is not "word", nor "wordy" "word" */
	assert_int_equal(tyst_form_get(f, strlen(f), "wor", out, sizeof(out)),
	    -1);
	assert_int_equal(tyst_form_get(f, strlen(f), "category", out,
	    sizeof(out)), -1);
	/* Bad escapes, a NUL byte, too long: refused, not cut. */
	assert_int_equal(tyst_form_get("w=%4", 4, "w", out, sizeof(out)), -1);
	assert_int_equal(tyst_form_get("w=%zz", 5, "w", out, sizeof(out)), -1);
	assert_int_equal(tyst_form_get("w=a%00b", 7, "w", out, sizeof(out)),
	    -1);
	assert_int_equal(tyst_form_get("w=0123456789", 12, "w", out, 5), -1);
	/* Only len bytes are read: no NUL needed. */
	assert_int_equal(tyst_form_get("w=abcdef", 4, "w", out, sizeof(out)),
	    0);
	assert_string_equal(out, "ab");
}

static void
test_cookie(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(tyst_cookie_get("a=1; tyst_session=abc; b=2",
	    "tyst_session", out, sizeof(out)), 0);
	assert_string_equal(out, "abc");
	assert_int_equal(tyst_cookie_get("xtyst_session=abc", "tyst_session",
	    out, sizeof(out)), -1);
	assert_int_equal(tyst_cookie_get("tyst_sessionx=abc", "tyst_session",
	    out, sizeof(out)), -1);
	assert_int_equal(tyst_cookie_get("", "tyst_session", out, sizeof(out)),
	    -1);
}

static void
test_host_origin(void **state)
{
	(void)state;
	assert_true(tyst_host_ok("127.0.0.1:4711", 4711));
	assert_true(tyst_host_ok("localhost:4711", 4711));
	assert_false(tyst_host_ok("127.0.0.1:4712", 4711));
	assert_false(tyst_host_ok("127.0.0.1", 4711));
	assert_false(tyst_host_ok("evil.example:4711", 4711));
	assert_false(tyst_host_ok("localhost.evil.example:4711", 4711));
	assert_false(tyst_host_ok(NULL, 4711));
	assert_true(tyst_origin_ok(NULL, 4711));        /* same-origin GET */
	assert_true(tyst_origin_ok("http://127.0.0.1:4711", 4711));
	assert_false(tyst_origin_ok("null", 4711));
	assert_false(tyst_origin_ok("http://127.0.0.1:4711.evil", 4711));
	assert_false(tyst_origin_ok("https://127.0.0.1:4711", 4711));
}

/* A rule set with occurrence decisions for the text below: keep the
 * second "Volvo" here, pseudonymise "fjol" here. */
static const char line[] = "Volvo och Volvo i fjol.";

static void
test_occurrences(void **state)
{
	char dir[] = "/tmp/tyst-test-review.XXXXXX", path[64];
	const char *sha = "4446e6a95f558fbaca0e994b948c9342db7bad3d079521580afeb8fec3cb95df";
	struct tyst_rules *r;
	struct tyst_err err;
	const struct tyst_rule_occ *o, *none;
	struct tyst_finding v[8];
	struct tyst_line ln;
	size_t n;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "include: [default]\noccurrences:\n"
	    "  - { file: %s, start: 10, end: 15, decision: keep }\n"
	    "  - { file: %s, start: 18, end: 22, category: DATE, "
	    "decision: pseudonymise }\n"
	    "  - { file: %s, start: 0, end: 5, decision: ask }\n",
	    sha, sha, sha);
	fclose(f);
	assert_int_equal(tyst_rules_load(&r, path, &err), 0);
	assert_int_equal(tyst_rules_occs(r, sha, &o), 2);   /* ask: none */
	assert_int_equal(tyst_rules_occs(r, "00", &none), 0);
	assert_null(none);
	memset(&ln, 0, sizeof(ln));
	ln.p = line;
	ln.len = strlen(line);
	ln.lineno = 1;
	memset(v, 0, sizeof(v));
	v[0].start = 0; v[0].end = v[0].base_end = 5;
	v[1].start = 10; v[1].end = v[1].base_end = 15;
	v[0].category = v[1].category = "ORG";
	assert_int_equal(tyst_occs_in_line(o, 2, &ln), 2);
	n = tyst_occs_apply(r, o, 2, &ln, v, 2);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].start, 0);        /* the first Volvo stays */
	assert_int_equal(v[1].start, 18);       /* fjol added, in order */
	assert_int_equal(v[1].end, 22);
	assert_string_equal(v[1].category, "DATE");
	assert_int_equal(v[1].confidence, TYST_CERTAIN);
	assert_memory_equal(v[1].text, "fjol", 4);
	assert_int_equal(v[1].col, 19);
	tyst_rules_free(r);
	unlink(path);
	rmdir(dir);
}

static void
test_save_load(void **state)
{
	char dir[] = "/tmp/tyst-test-review.XXXXXX", path[64];
	struct tyst_review rv, back;
	struct tyst_review_item it;
	struct tyst_review_mark mk;
	struct tyst_review_occ oc;
	struct tyst_rule_name nm;
	struct tyst_rule_person pp;
	char *sp[2] = { "Bo", "Bosse" };
	char *inc = "default";
	struct tyst_err err;
	struct stat st;
	int exists, readable, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.yaml", dir);
	memset(&rv, 0, sizeof(rv));
	memset(&it, 0, sizeof(it));
	it.word = "Sm\xc3\xa5\"land\\";
	it.category = "PLACE";
	it.context = "tab\there";
	it.decision = TYST_KEEP;
	it.count = 3;
	mk.word = "lilla \xc3\x84ngby";
	mk.category = "PLACE";
	memset(&oc, 0, sizeof(oc));
	memset(oc.sha, 'a', 64);
	oc.start = 5;
	oc.end = 9;
	oc.word = "Lund";
	oc.category = "PERSON";
	oc.file = "int01.txt";
	oc.decision = TYST_PSEUDONYMISE;
	nm.original = "Rosa";
	nm.pseudonym = "Emma";
	pp.spellings = sp;
	pp.n = 2;
	rv.includes = &inc;
	rv.nincludes = 1;
	rv.items = &it;
	rv.nitems = 1;
	rv.marks = &mk;
	rv.nmarks = 1;
	rv.occs = &oc;
	rv.noccs = 1;
	rv.names = &nm;
	rv.nnames = 1;
	rv.persons = &pp;
	rv.npersons = 1;
	fd = tyst_review_lock(path, &err);
	assert_true(fd >= 0);
	assert_int_equal(tyst_review_save(&rv, path, &readable, &err), 0);
	tyst_review_unlock(fd);
	assert_false(readable);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(tyst_review_load(&back, path, &exists, &err), 0);
	assert_true(exists);
	assert_int_equal(back.nitems, 1);
	assert_string_equal(back.items[0].word, it.word);
	assert_string_equal(back.items[0].context, it.context);
	assert_int_equal(back.items[0].decision, TYST_KEEP);
	assert_int_equal(back.items[0].count, 3);
	assert_int_equal(back.noccs, 1);
	assert_string_equal(back.occs[0].sha, oc.sha);
	assert_int_equal(back.occs[0].start, 5);
	assert_int_equal(back.occs[0].end, 9);
	assert_string_equal(back.occs[0].file, "int01.txt");
	assert_int_equal(back.occs[0].decision, TYST_PSEUDONYMISE);
	assert_int_equal(back.nmarks, 1);
	assert_string_equal(back.marks[0].word, mk.word);
	assert_int_equal(back.nnames, 1);
	assert_string_equal(back.names[0].pseudonym, "Emma");
	assert_int_equal(back.npersons, 1);
	assert_int_equal(back.persons[0].n, 2);
	assert_string_equal(back.persons[0].spellings[1], "Bosse");
	assert_int_equal(tyst_review_undecided(&back), 0);
	back.items[0].decision = TYST_ASK;
	assert_int_equal(tyst_review_undecided(&back), 1);
	/* A rewrite keeps the mode the user chose. */
	chmod(path, 0640);
	assert_int_equal(tyst_review_save(&back, path, &readable, &err), 0);
	assert_true(readable);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	tyst_review_free(&back);
	unlink(path);
	snprintf(path, sizeof(path), "%s/r.yaml.lock", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_host_origin),
		cmocka_unit_test(test_occurrences),
		cmocka_unit_test(test_save_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
