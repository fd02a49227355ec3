/*
 * Unit tests for lib/coding/codebook.c, lib/refi/qdc.c and lib/base/sha1.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/codebook.h"
#include "tyst/qdc.h"
#include "tyst/sha1.h"

static const char good[] =
    "title: Prov\n"
    "source: En källa\n"
    "language: sv\n"
    "version: 1.0\n"
    "codes:\n"
    "  - id: arbete\n"
    "    label: Arbete\n"
    "    color: \"#A0b1C2\"\n"
    "    description: |\n"
    "      Två rader,\n"
    "        den andra indragen.\n"
    "    inclusion: \"null\"\n"
    "    examples: [\"Ett: citat\", \"# inte en kommentar\"]\n"
    "    codes:\n"
    "      - id: arbete.lon\n"
    "        label: Lön\n"
    "        codes:\n"
    "          - id: lon_niva-fel\n"
    "            label: x\n"
    "  - id: stod\n"
    "    label: '  Stöd  '\n"
    "    codable: false\n"
    "    exclusion: >\n"
    "      vikt\n"
    "      rad\n"
    "    codes:\n"
    "      - id: '2'\n"
    "        label: Två\n"
    "sets:\n"
    "  - id: s\n"
    "    label: Ett set\n"
    "    codes: [stod, arbete]\n";

static int
load_str(struct tyst_codebook *cb, const char *s, struct tyst_err *err)
{
	return tyst_codebook_load_mem(cb, "t.yaml", s, strlen(s), 1, err);
}

static void
test_sha1_uuid5(void **state)
{
	static const unsigned char url_ns[16] = {
		0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8
	};
	struct tyst_sha1 s;
	unsigned char d[20];
	char hex[41], u[37];

	(void)state;
	tyst_sha1_init(&s);
	tyst_sha1_update(&s, "abc", 3);
	tyst_sha1_final(&s, d);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	/* Longer than one block, fed in pieces. */
	tyst_sha1_init(&s);
	for (int i = 0; i < 10; i++)
		tyst_sha1_update(&s, "abcdbcdecdefdefgefghfghighijhijk", 32);
	tyst_sha1_final(&s, d);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	assert_string_equal(hex, "d2134424c72f0e8351aa6e0c3245fbf6284a9302");
	/* The namespace tyst uses is itself uuid5(URL, "urn:tyst:codebook"),
	 * as Python's uuid module computes it. */
	tyst_uuid5(url_ns, "urn:tyst:codebook", 17, u);
	assert_string_equal(u, "6bf330ec-e792-55b7-8865-69420e9e7e71");
	tyst_qdc_code_guid("vanligt-arbete", u);
	assert_string_equal(u, "2bdcb20c-2354-5f21-b3de-bd9cecd065ed");
	tyst_qdc_set_guid("vanligt-arbete", hex);
	assert_string_not_equal(u, hex);
}

static void
test_load_good(void **state)
{
	struct tyst_codebook cb;
	struct tyst_err err;
	long i;

	(void)state;
	assert_int_equal(load_str(&cb, good, &err), 0);
	assert_string_equal(cb.title, "Prov");
	assert_string_equal(cb.version, "1.0");
	assert_int_equal(cb.ncodes, 5);
	i = tyst_codebook_find(&cb, "arbete");
	assert_int_equal(i, 0);
	assert_string_equal(cb.codes[0].color, "#a0b1c2");
	assert_string_equal(cb.codes[0].description,
	    "Två rader,\n  den andra indragen.");
	assert_string_equal(cb.codes[0].inclusion, "null");
	assert_int_equal(cb.codes[0].nexamples, 2);
	assert_string_equal(cb.codes[0].examples[1], "# inte en kommentar");
	assert_int_equal(cb.codes[0].line, 6);
	assert_int_equal(cb.codes[0].col, 5);
	/* Parents come before their children, depth first. */
	assert_string_equal(cb.codes[1].id, "arbete.lon");
	assert_int_equal(cb.codes[1].parent, 0);
	assert_string_equal(cb.codes[2].id, "lon_niva-fel");
	assert_int_equal(cb.codes[2].depth, 2);
	i = tyst_codebook_find(&cb, "stod");
	assert_int_equal(i, 3);
	assert_string_equal(cb.codes[3].label, "Stöd");
	assert_int_equal(cb.codes[3].uncodable, 1);
	assert_string_equal(cb.codes[3].exclusion, "vikt rad");
	assert_int_equal(cb.codes[4].parent, 3);
	assert_string_equal(cb.codes[4].id, "2");
	assert_int_equal(tyst_codebook_find(&cb, "finns-inte"), -1);
	assert_int_equal(cb.nsets, 1);
	assert_int_equal(cb.sets[0].nmembers, 2);
	assert_int_equal(cb.sets[0].members[0], 3);
	assert_int_equal(cb.sets[0].members[1], 0);
	assert_int_equal(tyst_codebook_find_set(&cb, "s"), 0);
	tyst_codebook_free(&cb);
}

struct bad {
	const char *yaml;
	size_t line, col;
	const char *msg;
};

static void
test_load_errors(void **state)
{
	static const struct bad bad[] = {
		{ "codes:\n  - id: a\n    label: [x\n", 4, 1, "YAML: " },
		{ "codes:\n  - id: a\n    label: A\n  - id: a\n    label: B\n",
		    4, 5, "duplicate id 'a' (first defined at 2:5)" },
		{ "codes:\n  - label: A\n", 2, 5, "a code without an id" },
		{ "codes:\n  - id: a\n", 2, 5, "code 'a' has no label" },
		{ "codes:\n  - id: a\n    label: A\n    color: \"#12345\"\n",
		    4, 12, "bad colour '#12345'" },
		{ "codes:\n  - id: a\n    label: A\n    color: #123456\n",
		    4, 11, "empty colour" },
		{ "codes:\n  - id: a\n    label: A\nsets:\n  - id: s\n"
		    "    label: S\n    codes: [a, b]\n", 7, 16,
		    "names 'b', which is not a code" },
		{ "codes:\n  - id: -a\n    label: A\n", 2, 9,
		    "an id starts with a letter or a digit" },
		{ "codes:\n  - id: a b\n    label: A\n", 2, 9,
		    "use only a-z" },
		{ "codes:\n  - id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaa\n    label: A\n", 2, 9,
		    "longer than 64" },
		{ "- a\n", 1, 1, "a codebook is a mapping" },
		{ "", 1, 1, "empty codebook" },
		{ "codes: {}\n", 1, 8, "'codes' must be a list" },
		{ "codes:\n  - id: a\n    label: A\n    examples: [\"\"]\n",
		    4, 16, "an empty example" },
		{ "codes:\n  - x: &a [1]\n    id: a\n    label: *a\n", 4, 12,
		    "aliases" },
		{ "codes:\n  - id: a\n    label: \"a\\0b\"\n", 3, 12, "NUL" },
		{ "codes:\n  - id: a\n    label: \"a\\rb\"\n", 3, 12,
		    "control character U+000D" },
		{ "a: b\nc: [\n", 3, 1, "YAML: " },
		{ "codes:\n  - id: a\n    label: A\n\xff\n", 4, 1,
		    "UTF-8" },
	};
	struct tyst_codebook cb;
	struct tyst_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i].yaml);

		memset(&err, 0, sizeof(err));
		if (tyst_codebook_load_mem(&cb, "t.yaml", bad[i].yaml, len, 1,
		    &err) == 0)
			fail_msg("case %zu loaded", i);
		if (strstr(err.msg, bad[i].msg) == NULL || err.line !=
		    bad[i].line || (bad[i].col && err.col != bad[i].col))
			fail_msg("case %zu: got %zu:%zu: %s", i, err.line,
			    err.col, err.msg);
		assert_string_equal(err.file, "t.yaml");
		assert_null(cb.codes);
	}
}

static void
test_load_all(void **state)
{
	static const char y[] =
	    "codes:\n"
	    "  - id: B\n"
	    "    label: b\n"
	    "    color: nej\n"
	    "  - id: c\n"
	    "  - id: c\n"
	    "    label: C\n";
	struct tyst_codebook cb;
	struct tyst_err errs[8];
	size_t n;

	(void)state;
	assert_int_equal(tyst_codebook_load_all_mem(&cb, "m", y, strlen(y), 1,
	    errs, 8, &n), -1);
	assert_int_equal(n, 4);
	/* In file order, whatever order they were found in. */
	assert_int_equal(errs[0].line, 2);
	assert_int_equal(errs[1].line, 4);
	assert_int_equal(errs[2].line, 5);
	assert_int_equal(errs[3].line, 6);
	assert_non_null(strstr(errs[3].msg, "duplicate id 'c'"));
	/* Fewer slots than errors: the count is still right. */
	assert_int_equal(tyst_codebook_load_all_mem(&cb, "m", y, strlen(y), 1,
	    errs, 2, &n), -1);
	assert_int_equal(n, 4);
}

static void
test_ids(void **state)
{
	char out[TYST_CODE_ID_MAX + 1];
	char longl[200];

	(void)state;
	assert_true(tyst_code_id_valid("vanligt-arbete", 14));
	assert_true(tyst_code_id_valid("a.b_c-1", 7));
	assert_true(tyst_code_id_valid("9", 1));
	assert_false(tyst_code_id_valid("", 0));
	assert_false(tyst_code_id_valid("Arbete", 6));
	assert_false(tyst_code_id_valid("_a", 2));
	assert_false(tyst_code_id_valid("a/b", 3));
	assert_false(tyst_code_id_valid("a{b", 3));
	tyst_code_id_from_label("Återhämtning & arbete", out);
	assert_string_equal(out, "aterhamtning-arbete");
	tyst_code_id_from_label("Ça va, Ørjan? Éé Üü ß", out);
	assert_string_equal(out, "ca-va-orjan-ee-uu-s");
	tyst_code_id_from_label("Łódź", out);
	assert_string_equal(out, "lodz");
	tyst_code_id_from_label("!!!", out);
	assert_string_equal(out, "code");
	tyst_code_id_from_label("", out);
	assert_string_equal(out, "code");
	memset(longl, 'x', sizeof(longl) - 1);
	longl[sizeof(longl) - 1] = '\0';
	longl[40] = ' ';
	tyst_code_id_from_label(longl, out);
	assert_true(strlen(out) <= 48);
	assert_true(tyst_code_id_valid(out, strlen(out)));
	assert_true(out[strlen(out) - 1] != '-');
}

/* Writes with fn into a string. */
static char *
to_string(int (*fn)(const struct tyst_codebook *, FILE *, int,
    struct tyst_err *), const struct tyst_codebook *cb, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct tyst_err err;

	assert_non_null(f);
	assert_int_equal(fn(cb, f, 0, &err), 0);
	fclose(f);
	return buf;
}

static int
write_yaml(const struct tyst_codebook *cb, FILE *f, int flags,
    struct tyst_err *err)
{
	(void)flags;
	return tyst_codebook_write_yaml(cb, f, err);
}

static void
assert_same_book(const struct tyst_codebook *a, const struct tyst_codebook *b)
{
	assert_int_equal(a->ncodes, b->ncodes);
	for (size_t i = 0; i < a->ncodes; i++) {
		const struct tyst_code *x = &a->codes[i], *y = &b->codes[i];

		assert_string_equal(x->id, y->id);
		assert_string_equal(x->label, y->label);
		assert_int_equal(x->parent, y->parent);
		assert_int_equal(x->uncodable, y->uncodable);
		assert_true((x->color == NULL) == (y->color == NULL));
		if (x->color)
			assert_string_equal(x->color, y->color);
		assert_true((x->description == NULL) == (y->description == NULL));
		if (x->description)
			assert_string_equal(x->description, y->description);
		assert_true((x->inclusion == NULL) == (y->inclusion == NULL));
		if (x->inclusion)
			assert_string_equal(x->inclusion, y->inclusion);
		assert_int_equal(x->nexamples, y->nexamples);
		for (size_t k = 0; k < x->nexamples; k++)
			assert_string_equal(x->examples[k], y->examples[k]);
	}
	assert_int_equal(a->nsets, b->nsets);
	for (size_t i = 0; i < a->nsets; i++) {
		assert_string_equal(a->sets[i].id, b->sets[i].id);
		assert_int_equal(a->sets[i].nmembers, b->sets[i].nmembers);
	}
}

static const char tricky[] =
    "codes:\n"
    "  - id: a\n"
    "    label: \"null\"\n"
    "    description: \"---\\nid: b\\n---\\nmitten\\n  indrag\\n\\n\"\n"
    "    inclusion: \"\\nbörjar med radbrytning\\n---\"\n"
    "    exclusion: \"<&> \\\"citat\\\" 'apostrof'\"\n"
    "    examples: [\"  inledande blanksteg\", \"example: nej\\nid: x\"]\n"
    "  - id: b\n"
    "    label: \"#: [ ] { } , & * ! | > ' \\\" % @ `\"\n"
    "    description: \"id: c\"\n"
    "  - id: c\n"
    "    label: \"~\"\n"
    "    description: \"rad med tab\\tsist \\nnästa\"\n"
    "sets:\n"
    "  - id: s\n"
    "    label: \"Set \\\"ett\\\"\"\n"
    "    description: \"---\"\n"
    "    codes: [c, a]\n";

static void
test_yaml_roundtrip(void **state)
{
	struct tyst_codebook a, b;
	struct tyst_err err;
	size_t len;
	char *y;

	(void)state;
	assert_int_equal(load_str(&a, tricky, &err), 0);
	y = to_string(write_yaml, &a, &len);
	if (tyst_codebook_load_mem(&b, "w", y, len, 1, &err) < 0)
		fail_msg("%s:%zu:%zu: %s\n%s", err.file, err.line, err.col,
		    err.msg, y);
	assert_same_book(&a, &b);
	free(y);
	tyst_codebook_free(&a);
	tyst_codebook_free(&b);
}

static void
test_qdc_roundtrip(void **state)
{
	struct tyst_codebook a, b;
	struct tyst_err err;
	size_t len, len2;
	char *x, *x2;

	(void)state;
	assert_int_equal(load_str(&a, tricky, &err), 0);
	x = to_string(tyst_qdc_write, &a, &len);
	assert_non_null(strstr(x, "name=\"#: [ ] { } , &amp; * ! | &gt; ' "
	    "&quot; % @ `\""));
	assert_non_null(strstr(x, "&lt;&amp;&gt;"));
	if (tyst_qdc_read_mem(&b, "x.qdc", x, len, 1, &err) < 0)
		fail_msg("%s:%zu: %s", err.file, err.line, err.msg);
	assert_same_book(&a, &b);
	x2 = to_string(tyst_qdc_write, &b, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(x, x2, len);
	free(x);
	free(x2);
	tyst_codebook_free(&a);
	tyst_codebook_free(&b);

	assert_int_equal(load_str(&a, good, &err), 0);
	x = to_string(tyst_qdc_write, &a, &len);
	assert_int_equal(tyst_qdc_read_mem(&b, "x.qdc", x, len, 1, &err), 0);
	assert_same_book(&a, &b);
	assert_string_equal(b.codes[0].color, "#a0b1c2");
	free(x);
	tyst_codebook_free(&a);
	tyst_codebook_free(&b);
}

static void
test_qdc_foreign(void **state)
{
	static const char q[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<Project xmlns=\"urn:QDA-XML:project:1.0\"><CodeBook><Codes>\n"
	    "<Code guid=\"{AA}\" name=\"Arbete\" isCodable=\"true\" color=\"#abc\">"
	    "<Description>Fri text\n---\nid: Inte-giltigt</Description>"
	    "<Code guid=\"BB\" name=\"Arbete\" isCodable=\"0\"/></Code>\n"
	    "<Code guid=\"CC\" name=\"x\" isCodable=\"true\">"
	    "<Description>id: arbete</Description></Code>\n"
	    "</Codes><Sets><Set guid=\"DD\" name=\"S\"><MemberCode guid=\"aa\"/>"
	    "<MemberCode guid=\"cc\"/><MemberCode guid=\"aa\"/></Set></Sets>"
	    "</CodeBook></Project>\n";
	static const char broken[] = "<CodeBook><Codes>\n<Code name=\"a\">\n";
	static const char other[] = "<html><body/></html>";
	struct tyst_codebook cb;
	struct tyst_err err;

	(void)state;
	assert_int_equal(tyst_qdc_read_mem(&cb, "p.qde", q, strlen(q), 1,
	    &err), 0);
	assert_int_equal(cb.ncodes, 3);
	/* The explicit id is taken first; names make the others unique. */
	assert_string_equal(cb.codes[2].id, "arbete");
	assert_string_equal(cb.codes[0].id, "arbete-2");
	assert_string_equal(cb.codes[1].id, "arbete-3");
	assert_string_equal(cb.codes[0].color, "#aabbcc");
	assert_string_equal(cb.codes[0].description,
	    "Fri text\n---\nid: Inte-giltigt");
	assert_int_equal(cb.codes[1].uncodable, 1);
	assert_int_equal(cb.codes[1].parent, 0);
	assert_null(cb.codes[2].description);
	assert_int_equal(cb.nsets, 1);
	assert_int_equal(cb.sets[0].nmembers, 2);
	tyst_codebook_free(&cb);

	assert_int_equal(tyst_qdc_read_mem(&cb, "b.qdc", broken,
	    strlen(broken), 1, &err), -1);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "XML: "));
	assert_int_equal(tyst_qdc_read_mem(&cb, "h.qdc", other, strlen(other),
	    1, &err), -1);
	assert_non_null(strstr(err.msg, "no <CodeBook>"));
}

/* Every shipped codebook loads clean and survives .qdc both ways. */
static void
test_shipped(void **state)
{
	const char *src = getenv("TYST_SRCDIR");
	char dir[4096], path[8192];
	struct dirent *de;
	DIR *d;
	int n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/codebooks", src ? src : ".");
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		struct tyst_codebook a, b;
		struct tyst_err err;
		size_t len;
		char *x;

		if (strstr(de->d_name, ".yaml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (tyst_codebook_load(&a, path, 1, &err) < 0)
			fail_msg("%s:%zu:%zu: %s", err.file, err.line, err.col,
			    err.msg);
		assert_non_null(a.title);
		assert_non_null(a.source);
		assert_true(a.ncodes >= 5);
		x = to_string(tyst_qdc_write, &a, &len);
		assert_int_equal(tyst_qdc_read_mem(&b, path, x, len, 1, &err),
		    0);
		assert_same_book(&a, &b);
		free(x);
		tyst_codebook_free(&a);
		tyst_codebook_free(&b);
		n++;
	}
	closedir(d);
	assert_int_equal(n, 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_uuid5),
		cmocka_unit_test(test_load_good),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_all),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_yaml_roundtrip),
		cmocka_unit_test(test_qdc_roundtrip),
		cmocka_unit_test(test_qdc_foreign),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
