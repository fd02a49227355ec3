/*
 * Unit tests of the Word and OpenDocument writer (lib/formats/inputzip.c,
 * lib/formats/inputscrub.c, the tree of lib/formats/inputdocx.c): a changed
 * view goes back into the runs it came from, what the file stores about
 * people is scrubbed from every part, and the parts the writer changed come
 * back byte for byte when restored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "tyst/input.h"

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/" \
	"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/" \
	"officeDocument/2006/relationships\" xmlns:w15=\"http://schemas." \
	"microsoft.com/office/word/2012/wordml\""
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define RUN(t) "<w:r><w:t xml:space=\"preserve\">" t "</w:t></w:r>"
#define BOLD(t) "<w:r><w:rPr><w:b/></w:rPr><w:t>" t "</w:t></w:r>"

static const char *const docx_parts[][2] = {
	{ "[Content_Types].xml", HEAD "<Types xmlns=\"http://schemas."
	    "openxmlformats.org/package/2006/content-types\"><Default "
	    "Extension=\"xml\" ContentType=\"application/xml\"/><Default "
	    "Extension=\"jpeg\" ContentType=\"image/jpeg\"/><Override "
	    "PartName=\"/docProps/custom.xml\" ContentType=\"application/"
	    "vnd.openxmlformats-officedocument.custom-properties+xml\"/>"
	    "<Override PartName=\"/docProps/thumbnail.jpeg\" ContentType="
	    "\"image/jpeg\"/></Types>" },
	{ "_rels/.rels", HEAD "<Relationships xmlns=\"http://schemas."
	    "openxmlformats.org/package/2006/relationships\"><Relationship "
	    "Id=\"rId1\" Type=\"t/officeDocument\" Target=\"word/document."
	    "xml\"/><Relationship Id=\"rId2\" Type=\"t/custom-properties\" "
	    "Target=\"docProps/custom.xml\"/><Relationship Id=\"rId3\" "
	    "Type=\"t/thumbnail\" Target=\"docProps/thumbnail.jpeg\"/>"
	    "</Relationships>" },
	{ "word/document.xml", HEAD "<w:document " W "><w:body>"
	    "<w:p>" RUN("IP: Jag bor med ") BOLD("Ro") RUN("lf") RUN(" i Delsbo.")
	    "</w:p>"
	    "<w:p>" RUN("Rolf") "<w:r><w:tab/></w:r>" RUN("&amp; Co") "</w:p>"
	    "<w:p><w:ins w:id=\"1\" w:author=\"Maria Hedlund\"><w:r><w:t>"
	    "Hudiksvall</w:t></w:r></w:ins><w:del w:id=\"2\" w:author=\"annsve"
	    "\"><w:r><w:delText> och Rolf</w:delText></w:r></w:del></w:p>"
	    "<w:p><w:hyperlink r:id=\"rId7\">" RUN("mejla honom") "</w:hyperlink>"
	    "<w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"mailto:rolf@"
	    "example.se\" </w:instrText></w:r><w:r><w:drawing><wp:inline "
	    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/"
	    "wordprocessingDrawing\"><wp:docPr id=\"1\" name=\"Bild 1\" descr="
	    "\"C:\\Users\\annsve\\rolf.jpg\"/></wp:inline></w:drawing></w:r>"
	    "</w:p></w:body></w:document>" },
	{ "word/_rels/document.xml.rels", HEAD "<Relationships xmlns=\"http://"
	    "schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId7\" Type=\"t/hyperlink\" Target=\"mailto:"
	    "rolf@example.se\" TargetMode=\"External\"/></Relationships>" },
	{ "word/comments.xml", HEAD "<w:comments " W "><w:comment w:id=\"0\" "
	    "w:author=\"Maria Hedlund\" w:initials=\"MH\"><w:p>"
	    RUN("Fråga Rolf.") "</w:p></w:comment></w:comments>" },
	{ "word/people.xml", HEAD "<w15:people " W "><w15:person w15:author="
	    "\"Maria Hedlund\"><w15:presenceInfo w15:providerId=\"AD\" "
	    "w15:userId=\"maria.hedlund@example.se\"/></w15:person>"
	    "</w15:people>" },
	{ "word/settings.xml", HEAD "<w:settings " W "><w:zoom w:percent=\"100"
	    "\"/><w:attachedTemplate r:id=\"rId9\"/></w:settings>" },
	{ "word/_rels/settings.xml.rels", HEAD "<Relationships xmlns=\"http://"
	    "schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId9\" Type=\"t/attachedTemplate\" Target="
	    "\"file:///C:/Users/annsve/Mallar/Intervju.dotx\" TargetMode="
	    "\"External\"/></Relationships>" },
	{ "docProps/core.xml", HEAD "<cp:coreProperties xmlns:cp=\"http://"
	    "schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Intervju"
	    "</dc:title><dc:creator>Maria Hedlund</dc:creator><cp:lastModifiedBy"
	    ">annsve</cp:lastModifiedBy></cp:coreProperties>" },
	{ "docProps/app.xml", HEAD "<Properties xmlns=\"http://schemas."
	    "openxmlformats.org/officeDocument/2006/extended-properties\">"
	    "<Template>Intervju.dotx</Template><Company>Hedlunds Konsult AB"
	    "</Company></Properties>" },
	{ "docProps/custom.xml", HEAD "<Properties xmlns=\"http://schemas."
	    "openxmlformats.org/officeDocument/2006/custom-properties\">"
	    "<property name=\"Intervjuperson\"><lpwstr>Rolf Engström</lpwstr>"
	    "</property></Properties>" },
	{ "docProps/thumbnail.jpeg", "\xff\xd8\xff\xe0 Rolf's face" },
};

static const char *const odt_parts[][2] = {
	{ "mimetype", "application/vnd.oasis.opendocument.text" },
	{ "content.xml", HEAD "<office:document-content xmlns:office=\"urn:"
	    "oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:"
	    "oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:dc=\"http://"
	    "purl.org/dc/elements/1.1/\" xmlns:meta=\"urn:oasis:names:tc:"
	    "opendocument:xmlns:meta:1.0\" xmlns:xlink=\"http://www.w3.org/"
	    "1999/xlink\" xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:"
	    "drawing:1.0\" xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:"
	    "svg-compatible:1.0\"><office:body><office:text>"
	    "<text:p>IP: Jag bor med <text:span>Ro</text:span>lf.</text:p>"
	    "<text:p>Hej<office:annotation><dc:creator>Maria Hedlund"
	    "</dc:creator><meta:creator-initials>MH</meta:creator-initials>"
	    "<text:p>Fråga Rolf.</text:p></office:annotation></text:p>"
	    "<text:p><text:a xlink:href=\"mailto:rolf@example.se\">mejla"
	    "</text:a></text:p><text:p><draw:frame><svg:desc>rolf.jpg"
	    "</svg:desc></draw:frame></text:p>"
	    "</office:text></office:body></office:document-content>" },
	{ "meta.xml", HEAD "<office:document-meta xmlns:office=\"urn:oasis:"
	    "names:tc:opendocument:xmlns:office:1.0\" xmlns:dc=\"http://purl."
	    "org/dc/elements/1.1/\" xmlns:meta=\"urn:oasis:names:tc:"
	    "opendocument:xmlns:meta:1.0\"><office:meta><meta:initial-creator>"
	    "Maria Hedlund</meta:initial-creator><dc:creator>annsve"
	    "</dc:creator><meta:printed-by>annsve</meta:printed-by>"
	    "<meta:user-defined meta:name=\"IP\">Rolf</meta:user-defined>"
	    "</office:meta></office:document-meta>" },
	{ "META-INF/manifest.xml", HEAD "<manifest:manifest xmlns:manifest="
	    "\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
	    "<manifest:file-entry manifest:full-path=\"content.xml\"/>"
	    "<manifest:file-entry manifest:full-path=\"Thumbnails/thumbnail."
	    "png\"/></manifest:manifest>" },
	{ "Thumbnails/thumbnail.png", "\x89PNG Rolf" },
};

static char *
make_zip(const char *const (*parts)[2], size_t n, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	char *out;
	zip_int64_t size;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, parts[i][1],
		    strlen(parts[i][1]), 0);

		assert_true(zip_file_add(za, parts[i][0], s, 0) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	zip_source_seek(src, 0, SEEK_END);
	size = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	out = malloc((size_t)size);
	assert_int_equal(zip_source_read(src, out, (zip_uint64_t)size), size);
	zip_source_close(src);
	zip_source_free(src);
	*len = (size_t)size;
	return out;
}

static void
load(struct tyst_input *d, const char *const (*parts)[2], size_t n)
{
	struct tyst_err err;
	size_t len;
	char *z = make_zip(parts, n, &len);

	int rc = tyst_input_from_mem(d, "t.docx", z, len, TYST_IN_AUTO,
	    TYST_ENC_AUTO, &err);

	free(z);
	if (rc < 0)
		fail_msg("load: %s", err.msg);
}

/* A part of a zip in memory, NUL-terminated, or NULL. */
static char *
part(const char *z, size_t len, const char *name)
{
	struct tyst_err err;
	zip_t *za = tyst_zip_open(z, len, "t", &err);
	char *p = NULL;
	size_t pl;

	assert_non_null(za);
	assert_true(tyst_zip_part(za, name, &p, &pl, "t", &err) >= 0);
	zip_discard(za);
	return p;
}

/* Whether any entry of the zip holds s. */
static int
anywhere(const char *z, size_t len, const char *s)
{
	struct tyst_err err;
	zip_t *za = tyst_zip_open(z, len, "t", &err);
	zip_int64_t ne = zip_get_num_entries(za, 0);
	int found = 0;

	for (zip_int64_t i = 0; i < ne && !found; i++) {
		const char *nm = zip_get_name(za, (zip_uint64_t)i, 0);
		char *p = NULL;
		size_t pl;

		assert_true(tyst_zip_part(za, nm, &p, &pl, "t", &err) > 0);
		for (size_t k = 0; k + strlen(s) <= pl && !found; k++)
			found = memcmp(p + k, s, strlen(s)) == 0;
		free(p);
	}
	zip_discard(za);
	return found;
}

/* The view with every from replaced by to. */
static char *
replace_all(const char *v, const char *from, const char *to, size_t *len)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	char *out = malloc(strlen(v) * (tl + 1) + 1);

	assert_non_null(out);
	while (*v != '\0') {
		if (strncmp(v, from, fl) == 0) {
			memcpy(out + n, to, tl);
			n += tl;
			v += fl;
		} else
			out[n++] = *v++;
	}
	out[n] = '\0';
	*len = n;
	return out;
}

static void
test_scrub_docx(void **state)
{
	struct tyst_input d;
	struct tyst_err err;
	char *p;

	(void)state;
	load(&d, docx_parts, sizeof(docx_parts) / sizeof(docx_parts[0]));
	assert_non_null(strstr(d.view, "Maria Hedlund"));
	assert_int_equal(tyst_input_scrub(&d, &err), 0);
	assert_non_null(d.orig);
	assert_null(strstr(d.view, "Maria Hedlund"));
	assert_null(strstr(d.view, "annsve"));
	assert_non_null(strstr(d.view, "Författare 1\n"));
	for (const char *const *s = (const char *const[]){ "Maria Hedlund",
	    "annsve", "maria.hedlund@", "Hedlunds Konsult", "Intervjuperson",
	    "face", "rolf@", NULL }; *s != NULL; s++)
		if (anywhere(d.raw, d.rawlen, *s))
			fail_msg("\"%s\" is still in the archive", *s);
	assert_null(part(d.raw, d.rawlen, "docProps/thumbnail.jpeg"));
	assert_null(part(d.raw, d.rawlen, "docProps/custom.xml"));
	p = part(d.raw, d.rawlen, "[Content_Types].xml");
	assert_null(strstr(p, "custom.xml"));
	assert_null(strstr(p, "thumbnail"));
	assert_non_null(strstr(p, "Extension=\"jpeg\""));
	free(p);
	p = part(d.raw, d.rawlen, "_rels/.rels");
	assert_non_null(strstr(p, "word/document.xml"));
	assert_null(strstr(p, "thumbnail"));
	free(p);
	/* Two authors, numbered in order; initials alike. */
	p = part(d.raw, d.rawlen, "word/document.xml");
	assert_non_null(strstr(p, "w:author=\"Författare 1\""));
	assert_non_null(strstr(p, "w:author=\"Författare 2\""));
	free(p);
	p = part(d.raw, d.rawlen, "word/comments.xml");
	assert_non_null(strstr(p, "w:author=\"Författare 1\" "
	    "w:initials=\"F1\""));
	free(p);
	p = part(d.raw, d.rawlen, "docProps/core.xml");
	assert_non_null(strstr(p, "<dc:title>Intervju</dc:title>"));
	free(p);
	tyst_input_free(&d);
}

static void
test_scrub_twice_same(void **state)
{
	struct tyst_input d;
	struct tyst_err err;
	char *once;
	size_t oncelen;

	(void)state;
	load(&d, docx_parts, sizeof(docx_parts) / sizeof(docx_parts[0]));
	assert_int_equal(tyst_input_scrub(&d, &err), 0);
	oncelen = d.vlen;
	once = strdup(d.view);
	free(d.orig);
	d.orig = NULL;
	assert_int_equal(tyst_input_scrub(&d, &err), 0);
	assert_int_equal(d.vlen, oncelen);
	assert_string_equal(d.view, once);
	free(once);
	tyst_input_free(&d);
}

static void
test_split_run_keeps_first_format(void **state)
{
	struct tyst_input d;
	struct tyst_err err;
	char *nv, *out, *p;
	size_t nl, outlen;

	(void)state;
	load(&d, docx_parts, sizeof(docx_parts) / sizeof(docx_parts[0]));
	assert_int_equal(tyst_input_scrub(&d, &err), 0);
	p = replace_all(d.view, "Rolf", "Bengt-Åke", &nl);
	nv = replace_all(p, "Hudiksvall", "[kommun A i X län]", &nl);
	free(p);
	if (tyst_input_write(&d, nv, nl, &out, &outlen, &err) < 0)
		fail_msg("write: %s", err.msg);
	p = part(out, outlen, "word/document.xml");
	/* The bold first run takes the whole name; the second is empty. */
	assert_non_null(strstr(p, "<w:b/></w:rPr><w:t>Bengt-Åke</w:t></w:r>"
	    "<w:r><w:t xml:space=\"preserve\"/></w:r>"));
	/* The tab stays; "&" is text, escaped. */
	assert_non_null(strstr(p, "Bengt-Åke</w:t></w:r><w:r><w:tab/></w:r>"
	    "<w:r><w:t xml:space=\"preserve\">&amp; Co</w:t>"));
	/* Each replacement stays in its tracked change: the inserted place
	 * whole in the insertion, the deleted name in the deletion. */
	assert_non_null(strstr(p, "<w:t>[kommun A i X län]</w:t>"));
	assert_non_null(strstr(p, "<w:delText xml:space=\"preserve\"> och Bengt-Åke</w:delText>"));
	free(p);
	assert_false(anywhere(out, outlen, "Rolf"));
	assert_false(anywhere(out, outlen, "Maria"));
	free(nv);
	free(out);
	tyst_input_free(&d);
}

static void
test_restore_every_part(void **state)
{
	struct tyst_input d, w;
	struct tyst_input_parts ch;
	struct tyst_err err;
	char *nv, *out, *back, *orig;
	size_t nl, outlen, backlen;
	zip_t *za;

	(void)state;
	load(&d, docx_parts, sizeof(docx_parts) / sizeof(docx_parts[0]));
	assert_int_equal(tyst_input_scrub(&d, &err), 0);
	nv = replace_all(d.view, "Rolf", "Bo", &nl);
	assert_int_equal(tyst_input_write(&d, nv, nl, &out, &outlen, &err), 0);
	assert_int_equal(tyst_input_changes(&d, out, outlen, &ch, &err), 0);
	assert_true(ch.n >= 8);
	/* Reversal: the written file, its view back to the original text. */
	if (tyst_input_from_mem(&w, "t.docx", out, outlen, TYST_IN_AUTO,
	    TYST_ENC_AUTO, &err) < 0)
		fail_msg("reload: %s", err.msg);
	assert_string_equal(w.view, nv);
	assert_int_equal(tyst_input_write(&w, d.view, d.vlen, &back, &backlen,
	    &err), 0);
	if (tyst_input_restore(&w, &ch, d.view, d.vlen, &back, &backlen,
	    &err) < 0)
		fail_msg("restore: %s", err.msg);
	/* Every part of the original, byte for byte. */
	za = tyst_zip_open(d.orig, d.origlen, "t", &err);
	for (size_t i = 0; i < sizeof(docx_parts) / sizeof(docx_parts[0]);
	    i++) {
		char *p = part(back, backlen, docx_parts[i][0]);

		orig = part(d.orig, d.origlen, docx_parts[i][0]);
		assert_non_null(p);
		assert_string_equal(p, orig);
		free(p);
		free(orig);
	}
	zip_discard(za);
	tyst_input_parts_free(&ch);
	free(nv);
	free(out);
	free(back);
	tyst_input_free(&w);
	tyst_input_free(&d);
}

static void
test_mark_refused(void **state)
{
	struct tyst_input d;
	struct tyst_err err;
	char *nv, *out = NULL;
	size_t nl, outlen;

	(void)state;
	load(&d, docx_parts, sizeof(docx_parts) / sizeof(docx_parts[0]));
	/* A change that would swallow the tab between "Rolf" and "& Co". */
	nv = replace_all(d.view, "Rolf\t&", "X", &nl);
	assert_int_equal(tyst_input_write(&d, nv, nl, &out, &outlen, &err), -1);
	assert_non_null(strstr(err.msg, "structure"));
	free(nv);
	/* Names on both sides of a tab, both replaced: the tab stays. */
	{
		char *a = replace_all(d.view, "Rolf\t", "Bo\t", &nl);

		nv = replace_all(a, "& Co", "X Co", &nl);
		free(a);
		if (tyst_input_write(&d, nv, nl, &out, &outlen, &err) < 0)
			fail_msg("write: %s", err.msg);
		free(out);
		free(nv);
	}
	/* A line end in a replacement. */
	nv = replace_all(d.view, "Delsbo", "Del\nsbo", &nl);
	assert_int_equal(tyst_input_write(&d, nv, nl, &out, &outlen, &err), -1);
	free(nv);
	tyst_input_free(&d);
}

static void
test_docm_refused(void **state)
{
	const char *parts[][2] = {
		{ "word/document.xml", docx_parts[2][1] },
		{ "word/vbaProject.bin", "macro" },
	};
	struct tyst_input d;
	struct tyst_err err;

	(void)state;
	load(&d, parts, 2);
	assert_true(d.macros);
	assert_int_equal(tyst_input_scrub(&d, &err), -1);
	assert_non_null(strstr(err.msg, "macros"));
	assert_non_null(strstr(err.msg, ".docx"));
	tyst_input_free(&d);
}

static void
test_odt(void **state)
{
	struct tyst_input d, w;
	struct tyst_input_parts ch;
	struct tyst_err err;
	char *nv, *out, *back, *p;
	size_t nl, outlen, backlen;

	(void)state;
	load(&d, odt_parts, sizeof(odt_parts) / sizeof(odt_parts[0]));
	assert_int_equal(d.format, TYST_IN_ODT);
	assert_int_equal(tyst_input_scrub(&d, &err), 0);
	nv = replace_all(d.view, "Rolf", "Bo", &nl);
	if (tyst_input_write(&d, nv, nl, &out, &outlen, &err) < 0)
		fail_msg("write: %s", err.msg);
	for (const char *const *s = (const char *const[]){ "Rolf", "Maria",
	    "annsve", "MH", "rolf", NULL }; *s != NULL; s++)
		if (anywhere(out, outlen, *s))
			fail_msg("\"%s\" is still in the archive", *s);
	p = part(out, outlen, "content.xml");
	assert_non_null(strstr(p, "<text:span>Bo</text:span>.</text:p>"));
	assert_non_null(strstr(p, "<dc:creator>Författare 1</dc:creator>"));
	free(p);
	p = part(out, outlen, "mimetype");
	assert_string_equal(p, "application/vnd.oasis.opendocument.text");
	free(p);
	assert_null(part(out, outlen, "Thumbnails/thumbnail.png"));
	assert_int_equal(tyst_input_changes(&d, out, outlen, &ch, &err), 0);
	assert_int_equal(tyst_input_from_mem(&w, "t.odt", out, outlen,
	    TYST_IN_AUTO, TYST_ENC_AUTO, &err), 0);
	assert_int_equal(tyst_input_write(&w, d.view, d.vlen, &back, &backlen,
	    &err), 0);
	assert_int_equal(tyst_input_restore(&w, &ch, d.view, d.vlen, &back,
	    &backlen, &err), 0);
	for (size_t i = 0; i < sizeof(odt_parts) / sizeof(odt_parts[0]); i++) {
		char *a = part(back, backlen, odt_parts[i][0]);

		assert_non_null(a);
		assert_string_equal(a, odt_parts[i][1]);
		free(a);
	}
	tyst_input_parts_free(&ch);
	free(nv);
	free(out);
	free(back);
	tyst_input_free(&w);
	tyst_input_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scrub_docx),
		cmocka_unit_test(test_scrub_twice_same),
		cmocka_unit_test(test_split_run_keeps_first_format),
		cmocka_unit_test(test_restore_every_part),
		cmocka_unit_test(test_mark_refused),
		cmocka_unit_test(test_docm_refused),
		cmocka_unit_test(test_odt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
