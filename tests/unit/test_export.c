/* Unit tests of lib/coding/export.c and its table and Word writers: the
 * attribute columns (case and document), the fields the gate reads, and
 * what a .docx refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "tyst/export.h"

static struct tyst_xcode codes[] = {
	{ "stod", "Stöd", NULL, NULL, "Förutsättningar/Stöd" },
};
static char *cols[] = { "case:roll", "doc:intervjutillfälle" };
static const char *cells0[] = { "=Arbetsterapeut", "2" };
static const char *cells1[] = { NULL, "1" };

static void
make(struct tyst_export *x, struct tyst_excerpt *v, const char *text)
{
	memset(x, 0, sizeof(*x));
	memset(v, 0, 2 * sizeof(*v));
	x->title = "Stöd";
	x->codes = codes;
	x->ncodes = 1;
	x->v = v;
	x->n = 2;
	x->cols = cols;
	x->ncols = 2;
	for (int i = 0; i < 2; i++) {
		v[i].segment = i + 1;
		v[i].document = i ? "at3" : "at2";
		v[i].coder = "anna";
		v[i].attribution = "(at2)";
		v[i].text = text;
		v[i].len = strlen(text);
		v[i].cells = i ? cells1 : cells0;
	}
}

static char *
written(int fmt, const struct tyst_export *x, size_t *len, int *rc)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct tyst_err err;

	assert_non_null(f);
	*rc = tyst_export_write(f, fmt, x, &err);
	fclose(f);
	return buf;
}

static void
test_csv_columns(void **state)
{
	struct tyst_export x;
	struct tyst_excerpt v[2];
	size_t len;
	int rc;
	char *s;

	(void)state;
	make(&x, v, "Vi får stöd.");
	s = written(TYST_FMT_CSV, &x, &len, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, ",memo,code_path,case:roll,"
	    "doc:intervjutillfälle\r\n"));
	assert_non_null(strstr(s, ",Förutsättningar/Stöd,'=Arbetsterapeut,"
	    "2\r\n"));
	assert_non_null(strstr(s, ",Förutsättningar/Stöd,,1\r\n"));
	free(s);
	x.csv_raw = 1;
	s = written(TYST_FMT_CSV, &x, &len, &rc);
	assert_non_null(strstr(s, ",=Arbetsterapeut,2\r\n"));
	free(s);
}

struct seen {
	char what[16][160];
	size_t n;
};

static int
note(const char *what, const char *text, int kind, void *ctx)
{
	struct seen *s = ctx;

	(void)text;
	(void)kind;
	if (s->n < 16)
		snprintf(s->what[s->n++], sizeof(s->what[0]), "%s", what);
	return 0;
}

static int
has(const struct seen *s, const char *what)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->what[i], what) == 0)
			return 1;
	return 0;
}

static void
test_fields(void **state)
{
	struct tyst_export x;
	struct tyst_excerpt v[2];
	struct seen s = { .n = 0 };

	(void)state;
	make(&x, v, "Vi får stöd.");
	assert_int_equal(tyst_export_fields(&x, note, &s), 0);
	assert_false(has(&s, "the code path of segment 1"));
	assert_true(has(&s, "the name of the column doc:intervjutillfälle"));
	assert_true(has(&s, "the column case:roll of segment 1"));
	assert_true(has(&s, "the column doc:intervjutillfälle of segment 2"));
	assert_false(has(&s, "the column case:roll of segment 2"));
}

static char *
part(zip_t *za, const char *name)
{
	zip_stat_t st;
	zip_file_t *zf;
	char *buf;

	if (zip_stat(za, name, 0, &st) < 0 || (zf = zip_fopen(za, name, 0)) ==
	    NULL)
		return NULL;
	buf = calloc(1, (size_t)st.size + 1);
	assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	return buf;
}

static void
test_docx(void **state)
{
	struct tyst_export x;
	struct tyst_excerpt v[2];
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	size_t len;
	int rc;
	char *s, *doc, *core;

	(void)state;
	make(&x, v, "A & B <c>\tsa\nhon.\n\nNytt stycke.");
	v[1].cut_before = 1;
	s = written(TYST_FMT_DOCX, &x, &len, &rc);
	assert_int_equal(rc, 0);
	zip_error_init(&ze);
	src = zip_source_buffer_create(s, len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), 6);
	doc = part(za, "word/document.xml");
	core = part(za, "docProps/core.xml");
	assert_non_null(doc);
	assert_non_null(core);
	assert_non_null(strstr(doc, "A &amp; B &lt;c&gt;</w:t><w:tab/>"));
	assert_non_null(strstr(doc, "sa</w:t><w:br/>"));
	assert_non_null(strstr(doc, "<w:pStyle w:val=\"Quote\"/></w:pPr><w:r>"
	    "<w:t xml:space=\"preserve\">Nytt stycke."));
	assert_non_null(strstr(doc, "[…] A &amp; B"));
	assert_null(strstr(core, "creator"));
	assert_null(strstr(core, "lastModifiedBy"));
	free(doc);
	free(core);
	doc = part(za, "[Content_Types].xml");
	assert_non_null(doc);
	free(doc);
	zip_close(za);
	zip_error_fini(&ze);
	free(s);

	/* A control character XML cannot hold refuses, naming the segment. */
	make(&x, v, "ett\001tecken");
	free(written(TYST_FMT_DOCX, &x, &len, &rc));
	assert_int_equal(rc, -1);
}

static void
test_formats(void **state)
{
	(void)state;
	assert_int_equal(tyst_format_parse("xlsx"), TYST_FMT_XLSX);
	assert_int_equal(tyst_format_parse("docx"), TYST_FMT_DOCX);
	assert_string_equal(tyst_format_name(TYST_FMT_DOCX), "docx");
	assert_true(tyst_format_binary(TYST_FMT_XLSX));
	assert_false(tyst_format_binary(TYST_FMT_CSV));
	assert_true(tyst_format_built(TYST_FMT_DOCX));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_columns),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_docx),
		cmocka_unit_test(test_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
