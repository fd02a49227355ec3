/*
 * libFuzzer harness for the Word and OpenDocument reader
 * (lib/formats/inputdocx.c).  Random bytes are seldom a zip, so the harness packs
 * them: the first byte picks the part (word/document.xml, a header,
 * comments, docProps/core.xml, or an .odt's content.xml, meta.xml), the
 * rest is that part's XML, stored in a zip made in memory.  Every fourth
 * input is also read as the raw file, for the zip parser itself.  Checks:
 * no crash, a message on refusal, a view of UTF-8 lines each knowing its
 * part.  A file that reads is also written (lib/formats/inputzip.c,
 * inputscrub.c): scrubbed, its view changed (every "a" becomes "Xy", a
 * replacement in the middle of words and runs), written, and reversed
 * with the parts the writer said it changed; each step succeeds or says
 * why, and a written file reads back as the view it was given.
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

/* The view with every "a" as "Xy". */
static char *
changed_view(const struct tyst_input *d, size_t *len)
{
	char *v = malloc(2 * d->vlen + 1);
	size_t n = 0;

	if (v == NULL)
		abort();
	for (size_t i = 0; i < d->vlen; i++) {
		if (d->view[i] == 'a') {
			v[n++] = 'X';
			v[n++] = 'y';
		} else
			v[n++] = d->view[i];
	}
	*len = n;
	return v;
}

static void
write_back(const char *p, size_t len)
{
	struct tyst_input d, w;
	struct tyst_input_parts ch = { NULL, 0 };
	struct tyst_err err;
	char *nv, *out = NULL, *back = NULL;
	size_t nl, outlen, backlen;

	err.msg[0] = '\0';
	if (tyst_input_from_mem(&d, "fuzz", p, len, TYST_IN_AUTO,
	    TYST_ENC_AUTO, &err) < 0)
		return;
	if (tyst_input_scrub(&d, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		tyst_input_free(&d);
		return;
	}
	nv = changed_view(&d, &nl);
	err.msg[0] = '\0';
	if (tyst_input_write(&d, nv, nl, &out, &outlen, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		goto done;
	}
	err.msg[0] = '\0';
	if (tyst_input_changes(&d, out, outlen, &ch, &err) < 0) {
		/* An entry the reader never needed may not read at all. */
		if (err.msg[0] == '\0')
			abort();
		goto done;
	}
	/* The writer checked its output; reading it again must agree. */
	if (tyst_input_from_mem(&w, "fuzz", out, outlen, TYST_IN_AUTO,
	    TYST_ENC_AUTO, &err) < 0)
		abort();
	if (w.vlen != nl || memcmp(w.view, nv, nl) != 0)
		abort();
	err.msg[0] = '\0';
	if (tyst_input_write(&w, d.view, d.vlen, &back, &backlen, &err) == 0 &&
	    tyst_input_restore(&w, &ch, d.view, d.vlen, &back, &backlen,
	    &err) < 0 && err.msg[0] == '\0')
		abort();
	free(back);
	tyst_input_free(&w);
done:
	tyst_input_parts_free(&ch);
	free(out);
	free(nv);
	tyst_input_free(&d);
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
	if (d.format == TYST_IN_DOCX || d.format == TYST_IN_ODT)
		write_back(p, len);
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
