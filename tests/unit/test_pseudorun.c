/*
 * Unit tests for lib/pseudo/run.c: a run, its refusals and its reversal
 * through the library alone, every message through the callbacks.
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

#include "tyst/pseudorun.h"

static char dir[256], outdir[300], keypath[300], input[300];

struct said {
	int errors, warnings, listed;
	char last[1600];
	char listing[256];
};

static void
say(int warning, const struct tyst_err *e, void *ctx)
{
	struct said *s = ctx;

	if (warning)
		s->warnings++;
	else
		s->errors++;
	snprintf(s->last, sizeof(s->last), "%s: %s", e->file, e->msg);
}

static void
listing(const struct tyst_pseudorun_change *c, void *ctx)
{
	struct said *s = ctx;

	s->listed++;
	if (strcmp(c->category, "PNR") == 0)
		snprintf(s->listing, sizeof(s->listing), "%.*s",
		    (int)c->text_len, c->text);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tyst-runXXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(outdir, sizeof(outdir), "%s/ut", dir);
	snprintf(keypath, sizeof(keypath), "%s/study.key", dir);
	snprintf(input, sizeof(input), "%s/intervju.txt", dir);
	if (mkdir(outdir, 0700) < 0 || (f = fopen(input, "w")) == NULL)
		return -1;
	fputs("I: Berätta.\nP: Jag heter Mona Andersson, 19850412-2383.\n", f);
	fclose(f);
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

static void
opts_init(struct tyst_pseudorun_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->key_path = keypath;
	o->timeout_ms = 1000;
	o->jobs = 1;
	o->min_conf = TYST_CANDIDATE;
	o->in = stdin;
	o->out = stdout;
}

static void
test_run_and_reverse(void **state)
{
	struct tyst_pseudorun_opts o;
	struct said s = { 0, 0, 0, "", "" };
	struct tyst_pseudorun_cb cb = { say, NULL, listing, &s };
	char *files[1] = { input }, out[400], *text;
	FILE *back;

	(void)state;
	opts_init(&o);
	o.outdir = outdir;
	assert_int_equal(tyst_pseudorun_check(&o, files, 1, &cb), 0);
	assert_int_equal(tyst_pseudorun(&o, files, 1, &cb), 0);
	assert_int_equal(s.errors, 0);
	snprintf(out, sizeof(out), "%s/intervju.txt", outdir);
	assert_non_null(text = slurp(out));
	assert_null(strstr(text, "Andersson"));
	assert_null(strstr(text, "19850412"));
	snprintf(out, sizeof(out), "%s/tyst-pseudo-manifest.jsonl", outdir);
	assert_non_null(text = slurp(out));
	assert_non_null(strstr(text, "\"file\":\"intervju.txt\""));

	/* The reversal goes to the stream given, not to stdout. */
	snprintf(out, sizeof(out), "%s/ut/intervju.txt", dir);
	files[0] = out;
	assert_non_null(back = tmpfile());
	o.outdir = NULL;
	o.out = back;
	assert_int_equal(tyst_pseudorun_reverse(&o, files, 1, &cb), 0);
	assert_int_equal(s.errors, 0);
	rewind(back);
	memset(out, 0, sizeof(out));
	assert_true(fread(out, 1, sizeof(out) - 1, back) > 0);
	fclose(back);
	assert_non_null(strstr(out, "Mona Andersson, 19850412-2383"));
}

static void
test_dry_run_lists_masked(void **state)
{
	struct tyst_pseudorun_opts o;
	struct said s = { 0, 0, 0, "", "" };
	struct tyst_pseudorun_cb cb = { say, NULL, listing, &s };
	char *files[1] = { input };

	(void)state;
	opts_init(&o);
	o.dry_run = 1;
	assert_int_equal(tyst_pseudorun(&o, files, 1, &cb), 0);
	assert_true(s.listed >= 2);
	assert_string_equal(s.listing, "19850412-****");
	/* A dry run without a key leaves none behind. */
	assert_int_equal(access(keypath, F_OK), -1);
}

static void
test_key_inside_outdir_refused(void **state)
{
	struct tyst_pseudorun_opts o;
	struct said s = { 0, 0, 0, "", "" };
	struct tyst_pseudorun_cb cb = { say, NULL, NULL, &s };
	char *files[1] = { input }, key[400];

	(void)state;
	opts_init(&o);
	snprintf(key, sizeof(key), "%s/inside.key", outdir);
	o.key_path = key;
	o.outdir = outdir;
	assert_int_equal(tyst_pseudorun_check(&o, files, 1, &cb), -1);
	assert_int_equal(s.errors, 1);
	assert_non_null(strstr(s.last, "inside the output directory"));
}

static void
test_same_names_refused(void **state)
{
	struct tyst_pseudorun_opts o;
	struct said s = { 0, 0, 0, "", "" };
	struct tyst_pseudorun_cb cb = { say, NULL, NULL, &s };
	char *files[2] = { input, input };

	(void)state;
	opts_init(&o);
	o.outdir = outdir;
	assert_int_equal(tyst_pseudorun_check(&o, files, 2, &cb), -1);
	assert_non_null(strstr(s.last, "has the same name as"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_and_reverse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_lists_masked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_key_inside_outdir_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_names_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
