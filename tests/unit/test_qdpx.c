/*
 * REFI-QDA exchange: a model written and read back is the same model,
 * positions count characters (not bytes), and bad archives are refused.
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

#include "tyst/qdpx.h"

static const char text[] =
    "I: Hur började det?\n"
    "IP: Jag fick ett jobb på Åhléns – det var så skönt.\n";

static void
build(struct tyst_qdpx *q)
{
	char g[TYST_GUID_LEN + 1];
	const char *jobb = strstr(text, "jobb på Åhléns");
	size_t a = (size_t)(jobb - text), b = a + strlen("jobb på Åhléns");
	long src, parent;

	memset(q, 0, sizeof(*q));
	q->name = strdup("IPS-studien");
	tyst_qdpx_guid("user:anna", g);
	assert_int_equal(tyst_qdpx_add_user(q, g, "anna"), 0);
	tyst_qdpx_guid("code:arbete", g);
	parent = tyst_qdpx_add_code(q, g, "Arbete", "Om arbete & <jobb>",
	    "#aa0000", -1);
	assert_int_equal(parent, 0);
	tyst_qdpx_guid("code:arbete-forst", g);
	assert_int_equal(tyst_qdpx_add_code(q, g, "Arbete först", NULL, NULL,
	    parent), 1);
	tyst_qdpx_guid("doc:1", g);
	src = tyst_qdpx_add_source(q, g, "intervju01", text, strlen(text));
	assert_int_equal(src, 0);
	tyst_qdpx_guid("seg:1", g);
	assert_int_equal(tyst_qdpx_add_sel(q, 0, g, a, b, 1, 0,
	    "memo \"citat\"", "2026-11-25T10:00:00Z"), 0);
	tyst_qdpx_guid("note:1", g);
	assert_int_equal(tyst_qdpx_add_note(q, g, "Intervjun kändes bra.",
	    0, -1, 0, NULL), 0);
}

static void
tmpname(char *buf, size_t n)
{
	int fd;

	snprintf(buf, n, "%s/tyst-qdpx.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
}

static void
roundtrip(void **state)
{
	struct tyst_qdpx q, r;
	struct tyst_err err;
	char path[256];
	FILE *f;

	(void)state;
	build(&q);
	tmpname(path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	if (tyst_qdpx_write(&q, f, "2026-11-25T10:00:00Z", &err) < 0)
		fail_msg("%s", err.msg);
	fclose(f);
	if (tyst_qdpx_read(&r, path, &err) < 0)
		fail_msg("%s", err.msg);
	unlink(path);
	assert_string_equal(r.name, "IPS-studien");
	assert_int_equal(r.nusers, 1);
	assert_string_equal(r.users[0].name, "anna");
	assert_int_equal(r.ncodes, 2);
	assert_string_equal(r.codes[1].name, "Arbete först");
	assert_int_equal(r.codes[1].parent, 0);
	assert_string_equal(r.codes[0].description, "Om arbete & <jobb>");
	assert_string_equal(r.codes[0].color, "#aa0000");
	assert_string_equal(r.codes[0].guid, q.codes[0].guid);
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].len, strlen(text));
	assert_memory_equal(r.sources[0].text, text, strlen(text));
	assert_int_equal(r.sources[0].nsels, 1);
	assert_int_equal(r.sources[0].sels[0].start, q.sources[0].sels[0].start);
	assert_int_equal(r.sources[0].sels[0].end, q.sources[0].sels[0].end);
	assert_int_equal(r.sources[0].sels[0].code, 1);
	assert_int_equal(r.sources[0].sels[0].user, 0);
	assert_string_equal(r.sources[0].sels[0].memo, "memo \"citat\"");
	assert_string_equal(r.sources[0].sels[0].created,
	    "2026-11-25T10:00:00Z");
	assert_int_equal(r.nnotes, 1);
	assert_int_equal(r.notes[0].source, 0);
	assert_string_equal(r.notes[0].text, "Intervjun kändes bra.");
	assert_int_equal(r.skipped, 0);
	tyst_qdpx_free(&q);
	tyst_qdpx_free(&r);
}

/* "jobb på Åhléns" starts after 30 characters but more bytes: the file
 * must say 30, and the end must count Å, é and – as one each. */
static void
positions_are_characters(void **state)
{
	struct tyst_qdpx q;
	struct tyst_err err;
	char *buf = NULL, want[64];
	size_t len = 0;
	FILE *f;
	const char *jobb = strstr(text, "jobb på Åhléns");
	size_t cps = 0;

	(void)state;
	for (const char *p = text; p < jobb; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			cps++;
	assert_true((size_t)(jobb - text) > cps);
	build(&q);
	f = open_memstream(&buf, &len);
	assert_int_equal(tyst_qdpx_write_qde(&q, f, NULL, &err), 0);
	fclose(f);
	snprintf(want, sizeof(want), "startPosition=\"%zu\" endPosition=\"%zu\"",
	    cps, cps + 14);
	assert_non_null(strstr(buf, want));
	free(buf);
	tyst_qdpx_free(&q);
}

/* A selection that cuts a UTF-8 character cannot be exported. */
static void
cut_character(void **state)
{
	struct tyst_qdpx q;
	struct tyst_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	size_t a = (size_t)(strstr(text, "Åhléns") - text);

	(void)state;
	build(&q);
	q.sources[0].sels[0].start = a + 1;
	f = open_memstream(&buf, &len);
	assert_int_equal(tyst_qdpx_write_qde(&q, f, NULL, &err), -1);
	fclose(f);
	assert_non_null(strstr(err.msg, "cuts a UTF-8 character"));
	free(buf);
	tyst_qdpx_free(&q);
}

static void
atlas_sample(void **state)
{
	const char *src = getenv("TYST_SRCDIR");
	char path[1024];
	struct tyst_qdpx q;
	struct tyst_err err;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/qdpx/"
	    "sample-atlasti-project.qdpx", src ? src : ".");
	if (tyst_qdpx_read(&q, path, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(q.name, "target-atlas-project");
	assert_int_equal(q.nusers, 2);
	assert_string_equal(q.users[0].name, "Enric Llagostera");
	assert_int_equal(q.ncodes, 3);
	assert_string_equal(q.codes[0].name, "Commits");
	assert_int_equal(q.codes[1].parent, 0);
	assert_int_equal(q.codes[2].parent, 0);
	assert_int_equal(q.nsources, 0);
	tyst_qdpx_free(&q);
}

static void
not_a_zip(void **state)
{
	struct tyst_qdpx q;
	struct tyst_err err;
	char path[256];
	FILE *f;

	(void)state;
	tmpname(path, sizeof(path));
	f = fopen(path, "w");
	fputs("<Project/>\n", f);
	fclose(f);
	assert_int_equal(tyst_qdpx_read(&q, path, &err), -1);
	assert_non_null(strstr(err.msg, "not a zip"));
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip),
		cmocka_unit_test(positions_are_characters),
		cmocka_unit_test(cut_character),
		cmocka_unit_test(atlas_sample),
		cmocka_unit_test(not_a_zip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
