/*
 * export_docx — the quotes as a Word document, for students who write the
 * thesis in Word: a heading per code, each excerpt a paragraph in Word's
 * built-in "Quote" style followed by its attribution.
 *
 * The package is the smallest one Word and LibreOffice open without a
 * repair prompt: content types, the package relationships, the document,
 * its styles and the core properties.  The core properties carry a title
 * and nothing about a person (no creator, no last editor), since the file
 * is made to be shared.  A character XML cannot hold (a C0 control other
 * than tab and line feed, U+FFFE, U+FFFF) refuses the export, naming the
 * segment: dropping it would change a quote without saying so.
 */
#include "tyst/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

static const char types_xml[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
"content-types\">"
"<Default Extension=\"rels\" ContentType=\"application/"
"vnd.openxmlformats-package.relationships+xml\"/>"
"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
"<Override PartName=\"/word/document.xml\" ContentType=\"application/"
"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
"<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
"vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
"vnd.openxmlformats-package.core-properties+xml\"/>"
"</Types>\n";

static const char rels_xml[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
"relationships\">"
"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
"officeDocument/2006/relationships/officeDocument\" "
"Target=\"word/document.xml\"/>"
"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
"package/2006/relationships/metadata/core-properties\" "
"Target=\"docProps/core.xml\"/>"
"</Relationships>\n";

static const char doc_rels_xml[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
"relationships\">"
"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
"officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
"</Relationships>\n";

/* "Quote" is the style id Word gives its built-in quote style, so a
 * thesis template's own Quote style takes over when the text is pasted. */
static const char styles_xml[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"
"2006/main\">"
"<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val=\"sv-SE\"/></w:rPr>"
"</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\"/>"
"</w:pPr></w:pPrDefault></w:docDefaults>"
"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
"<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
"<w:rPr><w:sz w:val=\"40\"/></w:rPr></w:style>"
"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\">"
"<w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
"<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
"<w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/>"
"</w:pPr><w:rPr><w:b/><w:sz w:val=\"28\"/></w:rPr></w:style>"
"<w:style w:type=\"paragraph\" w:styleId=\"Quote\"><w:name w:val=\"Quote\"/>"
"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
"<w:pPr><w:keepNext/><w:ind w:left=\"720\" w:right=\"720\"/></w:pPr>"
"<w:rPr><w:i/></w:rPr></w:style>"
"<w:style w:type=\"paragraph\" w:customStyle=\"1\" "
"w:styleId=\"Attribution\"><w:name w:val=\"Attribution\"/>"
"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Quote\"/><w:qFormat/>"
"<w:pPr><w:spacing w:after=\"240\"/><w:ind w:left=\"720\" "
"w:right=\"720\"/><w:jc w:val=\"right\"/></w:pPr></w:style>"
"</w:styles>\n";

static const char cut[] = "[…]";

/* The length of a character XML 1.0 cannot hold at p (0: none). */
static size_t
bad_char(const char *p, size_t n)
{
	unsigned char c = (unsigned char)p[0];

	if (c < 0x20 && c != '\t' && c != '\n')
		return 1;
	if (c == 0xef && n >= 3 && (unsigned char)p[1] == 0xbf &&
	    ((unsigned char)p[2] == 0xbe || (unsigned char)p[2] == 0xbf))
		return 3;
	return 0;
}

static int
check_text(const char *p, size_t n, const struct tyst_excerpt *e,
    const char *what, struct tyst_err *err)
{
	for (size_t i = 0; p != NULL && i < n; i++)
		if (bad_char(p + i, n - i) > 0)
			return tyst_err_set(err, e != NULL ? e->document : NULL,
			    e != NULL ? e->line_start : 0, 0, "%s%s%lld holds "
			    "a control character (byte 0x%02x) that a Word "
			    "document cannot hold; export stopped", what,
			    e != NULL ? " of segment " : "",
			    e != NULL ? (long long)e->segment : 0LL,
			    (unsigned char)p[i]);
	return 0;
}

static int
check_all(const struct tyst_export *x, struct tyst_err *err)
{
	if (x->title != NULL && check_text(x->title, strlen(x->title), NULL,
	    "the title", err) < 0)
		return -1;
	for (size_t i = 0; i < x->n; i++) {
		const struct tyst_excerpt *e = &x->v[i];

		if (check_text(e->text, e->len, e, "the excerpt", err) < 0 ||
		    check_text(e->attribution, strlen(e->attribution), e,
		    "the attribution", err) < 0)
			return -1;
	}
	for (size_t i = 0; i < x->ncodes; i++) {
		const struct tyst_xcode *c = &x->codes[i];

		if (check_text(c->label, strlen(c->label), NULL, "a code "
		    "label", err) < 0 || (c->description != NULL &&
		    check_text(c->description, strlen(c->description), NULL,
		    "a code description", err) < 0))
			return -1;
	}
	return 0;
}

/* Text as runs' content: escaped, a tab as <w:tab/>, a line feed as
 * <w:br/>.  Called inside <w:r>, with a <w:t> open. */
static void
put_text(FILE *f, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (p[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '\t': fputs("</w:t><w:tab/><w:t xml:space=\"preserve\">", f);
			break;
		case '\n': fputs("</w:t><w:br/><w:t xml:space=\"preserve\">", f);
			break;
		default: fputc(p[i], f);
		}
	}
}

static void
para(FILE *f, const char *style, const char *p, size_t n)
{
	fprintf(f, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>"
	    "<w:r><w:t xml:space=\"preserve\">", style);
	put_text(f, p, n);
	fputs("</w:t></w:r></w:p>", f);
}

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * A quote as Markdown and HTML give it: blank lines at its edges left
 * out, a blank line inside it starting a new Quote paragraph, a single
 * line break kept as one, "[…]" where it is cut inside a sentence.
 */
static void
quote(FILE *f, const struct tyst_excerpt *e)
{
	const char *p = e->text, *end = e->text + e->len;

	while (p < end && space(*p))
		p++;
	while (end > p && space(end[-1]))
		end--;
	fputs("<w:p><w:pPr><w:pStyle w:val=\"Quote\"/></w:pPr><w:r>"
	    "<w:t xml:space=\"preserve\">", f);
	if (e->cut_before)
		fprintf(f, "%s ", cut);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		put_text(f, p, n);
		if (nl == NULL)
			break;
		if (nl + 1 < end && nl[1] == '\n')
			fputs("</w:t></w:r></w:p><w:p><w:pPr><w:pStyle "
			    "w:val=\"Quote\"/></w:pPr><w:r>"
			    "<w:t xml:space=\"preserve\">", f);
		else
			fputs("</w:t><w:br/><w:t xml:space=\"preserve\">", f);
		p = nl + 1;
		while (p < end && *p == '\n')
			p++;
	}
	if (e->cut_after)
		fprintf(f, " %s", cut);
	fputs("</w:t></w:r></w:p>", f);
}

static void
document(FILE *f, const struct tyst_export *x)
{
	const char *title = x->title != NULL ? x->title : "Utdrag";
	size_t i = 0;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
	    "wordprocessingml/2006/main\"><w:body>", f);
	para(f, "Title", title, strlen(title));
	if (x->version != NULL)
		para(f, "Normal", x->version, strlen(x->version));
	while (i < x->n) {
		size_t k = x->v[i].code;
		const struct tyst_xcode *c = &x->codes[k];

		para(f, "Heading1", c->label, strlen(c->label));
		if (c->description != NULL && c->description[0] != '\0')
			para(f, "Normal", c->description,
			    strlen(c->description));
		for (; i < x->n && x->v[i].code == k; i++) {
			quote(f, &x->v[i]);
			para(f, "Attribution", x->v[i].attribution,
			    strlen(x->v[i].attribution));
		}
	}
	/* A4 with 2.5 cm margins, as Swedish theses are set. */
	fputs("<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar "
	    "w:top=\"1418\" w:right=\"1418\" w:bottom=\"1418\" "
	    "w:left=\"1418\" w:header=\"709\" w:footer=\"709\" "
	    "w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n", f);
}

static void
core(FILE *f, const struct tyst_export *x)
{
	const char *title = x->title != NULL ? x->title : "Utdrag";

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
	    "package/2006/metadata/core-properties\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	    "<dc:title>", f);
	for (const char *p = title; *p != '\0'; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '\n': case '\t': fputc(' ', f); break;
		default: fputc(*p, f);
		}
	}
	fputs("</dc:title><dc:language>sv-SE</dc:language>"
	    "</cp:coreProperties>\n", f);
}

/* A part made by fn into memory. */
static char *
part(void (*fn)(FILE *, const struct tyst_export *),
    const struct tyst_export *x, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);

	if (m == NULL)
		return NULL;
	fn(m, x);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int
add(zip_t *za, const char *name, const char *data, size_t len, time_t t,
    struct tyst_err *err)
{
	zip_source_t *s = zip_source_buffer(za, data, len, 0);
	zip_int64_t idx;

	if (s == NULL)
		return tyst_err_set(err, NULL, 0, 0, "zip: %s",
		    zip_strerror(za));
	if ((idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		return tyst_err_set(err, NULL, 0, 0, "zip: %s",
		    zip_strerror(za));
	}
	zip_file_set_mtime(za, (zip_uint64_t)idx, t, 0);
	return 0;
}

static int
copy_out(zip_source_t *src, FILE *f, struct tyst_err *err)
{
	char buf[65536];
	zip_int64_t n;

	if (zip_source_open(src) < 0)
		return tyst_err_set(err, NULL, 0, 0, "zip: %s",
		    zip_error_strerror(zip_source_error(src)));
	while ((n = zip_source_read(src, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
			zip_source_close(src);
			return tyst_err_set(err, NULL, 0, 0, "write failed: %s",
			    strerror(errno));
		}
	zip_source_close(src);
	if (n < 0)
		return tyst_err_set(err, NULL, 0, 0, "zip: read back failed");
	return 0;
}

int
tyst_export_docx(FILE *f, const struct tyst_export *x, struct tyst_err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	char *doc = NULL, *props = NULL;
	size_t doclen = 0, propslen = 0;
	time_t t = time(NULL);
	int rc = -1;

	if (check_all(x, err) < 0)
		return -1;
	if ((doc = part(document, x, &doclen)) == NULL ||
	    (props = part(core, x, &propslen)) == NULL) {
		free(doc);
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	}
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		tyst_err_set(err, NULL, 0, 0, "zip: %s", zip_error_strerror(&ze));
		goto done;
	}
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		tyst_err_set(err, NULL, 0, 0, "zip: %s", zip_error_strerror(&ze));
		zip_source_free(src);
		zip_source_free(src);
		goto done;
	}
	/* [Content_Types].xml first, as Word writes it. */
	if (add(za, "[Content_Types].xml", types_xml, sizeof(types_xml) - 1, t,
	    err) < 0 ||
	    add(za, "_rels/.rels", rels_xml, sizeof(rels_xml) - 1, t, err) < 0 ||
	    add(za, "word/document.xml", doc, doclen, t, err) < 0 ||
	    add(za, "word/_rels/document.xml.rels", doc_rels_xml,
	    sizeof(doc_rels_xml) - 1, t, err) < 0 ||
	    add(za, "word/styles.xml", styles_xml, sizeof(styles_xml) - 1, t,
	    err) < 0 ||
	    add(za, "docProps/core.xml", props, propslen, t, err) < 0) {
		zip_discard(za);
		zip_source_free(src);
		goto done;
	}
	if (zip_close(za) < 0) {
		tyst_err_set(err, NULL, 0, 0, "zip: %s", zip_strerror(za));
		zip_discard(za);
		zip_source_free(src);
		goto done;
	}
	rc = copy_out(src, f, err);
	zip_source_free(src);
done:
	zip_error_fini(&ze);
	free(doc);
	free(props);
	return rc;
}
