/*
 * libFuzzer harness for the Word and OpenDocument reader
 * (lib/formats/inputdocx.c).  Random bytes are seldom a zip, so the harness packs
 * them: the first byte picks the part (word/document.xml, a header,
 * comments, docProps/core.xml, or an .odt's content.xml, meta.xml), the
 * rest is that part's XML, stored in a zip made in memory.  Every fourth
 * input is also read as the raw file, for the zip parser itself.  Checks:
 * no crash, a message on refusal, a view of UTF-8 lines each knowing its
 * part.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "tyst/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const part[] = {
	"word/document.xml", "word/header1.xml", "word/comments.xml",
	"docProps/core.xml", "content.xml", "meta.xml"
};

static char *
pack(const uint8_t *xml, size_t len, int which, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *za;
	zip_stat_t st;
	char *out = NULL;
	int odt = which >= 4;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		abort();
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL)
		abort();
	if (odt) {
		static const char mt[] = "application/vnd.oasis.opendocument.text";

		s = zip_source_buffer(za, mt, sizeof(mt) - 1, 0);
		if (s == NULL || zip_file_add(za, "mimetype", s, 0) < 0)
			abort();
	} else if (which != 0) {
		static const char doc[] = "<w:document xmlns:w=\"http://schemas."
		    "openxmlformats.org/wordprocessingml/2006/main\"/>";

		s = zip_source_buffer(za, doc, sizeof(doc) - 1, 0);
		if (s == NULL || zip_file_add(za, "word/document.xml", s, 0) < 0)
			abort();
	}
	s = zip_source_buffer(za, xml, len, 0);
	if (s == NULL || zip_file_add(za, part[which], s, 0) < 0)
		abort();
	if (zip_close(za) < 0)
		abort();
	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
		abort();
	if ((out = malloc(st.size + 1)) == NULL)
		abort();
	if (zip_source_read(src, out, st.size) != (zip_int64_t)st.size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*outlen = st.size;
	return out;
}

static void
check(const char *p, size_t len)
{
	struct tyst_input d;
	struct tyst_err err;
	size_t bad;
	int nul;

	err.msg[0] = '\0';
	if (tyst_input_from_mem(&d, "fuzz", p, len, TYST_IN_AUTO,
	    TYST_ENC_AUTO, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		return;
	}
	if (tyst_utf8_check(d.view, d.vlen, &bad, &nul) < 0 && !nul)
		abort();
	if (d.format == TYST_IN_DOCX || d.format == TYST_IN_ODT)
		for (size_t i = 0; i < d.nvlines; i++)
			if (d.lpart == NULL || d.lpart[i] == NULL)
				abort();
	tyst_input_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t zlen;
	char *z;

	if (size < 1)
		return 0;
	z = pack(data + 1, size - 1, data[0] % 6, &zlen);
	check(z, zlen);
	free(z);
	if (data[0] % 4 == 3)
		check((const char *)data + 1, size - 1);
	return 0;
}
