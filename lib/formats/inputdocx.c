/*
 * inputdocx — Word (.docx, .docm) and OpenDocument (.odt) files, read.
 *
 * Students transcribe in Word; the text of a .docx is spread over parts of
 * a zip (the body, headers, footers, footnotes, endnotes, comments) and,
 * inside each, over runs that Word splits wherever an edit touched them
 * ("Ann" + "a").  The view holds each paragraph as one line, its runs
 * joined, in the order body, headers, footers, footnotes, endnotes,
 * comments; then what the file says about people (the author and last
 * editor in docProps/core.xml or meta.xml, comment and revision authors),
 * so that a scan finds names there too.  Tracked changes are text:
 * inserted runs and deleted text (w:delText) alike.  Each view line
 * remembers its part and its paragraph's number in the part.
 *
 * Every archive is hostile: at most MAX_PARTS entries, no part read past
 * MAX_PART bytes uncompressed nor all of them past MAX_TOTAL (a zip bomb
 * is refused after reading that much, never held whole), no part with a
 * DOCTYPE (Word and LibreOffice write none; it is how entity bombs and
 * external entities come in), libxml2 with no network and no entity
 * substitution.  Nothing is ever extracted to disk.
 */
#include "tyst/input.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#define MAX_PARTS 1000
#define MAX_PART (64u << 20)
#define MAX_TOTAL (256u << 20)

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

struct rd {
	struct tyst_input *d;
	zip_t *za;
	size_t total;           /* uncompressed bytes read so far */
	size_t vcap, lcap;
	const char *part;       /* the part being read */
	size_t para;            /* paragraphs of it so far */
	char *line;             /* the paragraph being read */
	size_t llen, lcap2;
	int inpara;             /* inside a paragraph (ODT's text nodes) */
	int odt;
	struct tyst_err *err;
	int failed;
};

static int
fail(struct rd *r, const char *fmt, const char *arg)
{
	if (!r->failed)
		tyst_err_set(r->err, r->d->name, 0, 0, fmt, arg);
	r->failed = 1;
	return -1;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *np;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 64;
	while (nc < need)
		nc *= 2;
	if ((np = realloc(*p, nc * size)) == NULL)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

/* Reads a part whole, within the limits; NULL (not an error) when absent. */
static char *
read_part(struct rd *r, const char *name, size_t *len)
{
	zip_int64_t idx = zip_name_locate(r->za, name, 0);
	zip_file_t *zf;
	size_t cap = 65536, n = 0;
	char *p;

	zip_stat_t st;

	if (idx < 0)
		return NULL;
	/* What the archive says first (quick); what it unpacks to below
	 * (an archive may lie). */
	if (zip_stat_index(r->za, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && (st.size > MAX_PART ||
	    st.size > MAX_TOTAL - r->total)) {
		fail(r, "%s would unpack to more than tyst reads (64 MB a part, "
		    "256 MB in all): refused as a zip bomb", name);
		return NULL;
	}
	if ((zf = zip_fopen_index(r->za, (zip_uint64_t)idx, 0)) == NULL) {
		fail(r, "cannot read %s in the archive (damaged, encrypted or "
		    "compressed in a way tyst does not read)", name);
		return NULL;
	}
	if ((p = malloc(cap + 1)) == NULL) {
		zip_fclose(zf);
		fail(r, "out of memory reading %s", name);
		return NULL;
	}
	for (;;) {
		zip_int64_t got;

		if (cap - n < 4096) {
			char *np = cap >= MAX_PART ? NULL : realloc(p, 2 * cap + 1);

			if (np == NULL) {
				free(p);
				zip_fclose(zf);
				fail(r, "%s is larger than tyst reads uncompressed "
				    "(64 MB): refused as a zip bomb", name);
				return NULL;
			}
			p = np;
			cap *= 2;
		}
		got = zip_fread(zf, p + n, cap - n);
		if (got < 0) {
			free(p);
			zip_fclose(zf);
			fail(r, "cannot read %s in the archive (damaged)", name);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		r->total += (size_t)got;
		if (r->total > MAX_TOTAL) {
			free(p);
			zip_fclose(zf);
			fail(r, "the archive unpacks to more than tyst reads "
			    "(256 MB; at %s): refused as a zip bomb", name);
			return NULL;
		}
	}
	zip_fclose(zf);
	p[n] = '\0';
	*len = n;
	return p;
}

static void
put(struct rd *r, const char *s, size_t n)
{
	if (r->failed || n == 0)
		return;
	if (grow((void **)&r->line, &r->lcap2, r->llen + n + 1, 1) < 0) {
		fail(r, "out of memory%s", "");
		return;
	}
	/* A line end inside a paragraph would split the line structure. */
	for (size_t i = 0; i < n; i++)
		r->line[r->llen++] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
}

/* The paragraph read so far as a view line. */
static void
end_line(struct rd *r)
{
	struct tyst_input *d = r->d;

	if (r->failed)
		return;
	if (grow((void **)&d->view, &r->vcap, d->vlen + r->llen + 18, 1) < 0 ||
	    grow((void **)&d->vlines, &r->lcap, d->nvlines + 1,
	    sizeof(*d->vlines)) < 0 || (d->lpart = realloc(d->lpart,
	    r->lcap * sizeof(*d->lpart))) == NULL || (d->lpara =
	    realloc(d->lpara, r->lcap * sizeof(*d->lpara))) == NULL) {
		fail(r, "out of memory%s", "");
		return;
	}
	d->vlines[d->nvlines] = d->vlen;
	d->lpart[d->nvlines] = r->part;
	d->lpara[d->nvlines] = r->para;
	d->nvlines++;
	if (r->llen > 0)
		memcpy(d->view + d->vlen, r->line, r->llen);
	d->vlen += r->llen;
	d->view[d->vlen++] = '\n';
	r->llen = 0;
}

static int
is(const xmlNode *n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

static void
put_content(struct rd *r, const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);

	if (c == NULL)
		return;
	put(r, (const char *)c, strlen((const char *)c));
	xmlFree(c);
}

static void walk(struct rd *r, const xmlNode *n);

/* A paragraph: its text on one line; paragraphs nested in it (a text box
 * inside a run, a footnote's body) become lines of their own before it. */
static void
paragraph(struct rd *r, const xmlNode *p)
{
	char *saved = r->line;
	size_t slen = r->llen, scap = r->lcap2;

	r->line = NULL;
	r->llen = r->lcap2 = 0;
	r->para++;
	r->inpara++;
	for (const xmlNode *c = p->children; c != NULL && !r->failed;
	    c = c->next)
		walk(r, c);
	end_line(r);
	free(r->line);
	r->inpara--;
	r->line = saved;
	r->llen = slen;
	r->lcap2 = scap;
}

static void
walk(struct rd *r, const xmlNode *n)
{
	if (r->failed || n->type != XML_ELEMENT_NODE) {
		if (n->type == XML_TEXT_NODE && r->odt && r->inpara &&
		    n->content != NULL)
			put(r, (const char *)n->content,
			    strlen((const char *)n->content));
		return;
	}
	if (r->odt) {
		if (is(n, TEXT_NS, "p") || is(n, TEXT_NS, "h")) {
			paragraph(r, n);
			return;
		}
		if (is(n, TEXT_NS, "s")) {
			put(r, " ", 1);
			return;
		}
		if (is(n, TEXT_NS, "tab") || is(n, TEXT_NS, "line-break")) {
			put(r, n->name[0] == 't' ? "\t" : " ", 1);
			return;
		}
		if (is(n, TEXT_NS, "note-citation"))
			return;
	} else {
		if (is(n, W_NS, "p")) {
			paragraph(r, n);
			return;
		}
		if (is(n, W_NS, "t") || is(n, W_NS, "delText")) {
			put_content(r, n);
			return;
		}
		if (is(n, W_NS, "tab")) {
			put(r, "\t", 1);
			return;
		}
		if (is(n, W_NS, "br") || is(n, W_NS, "cr")) {
			put(r, " ", 1);
			return;
		}
		if (is(n, W_NS, "noBreakHyphen")) {
			put(r, "-", 1);
			return;
		}
		/* Field codes are instructions, not text. */
		if (is(n, W_NS, "instrText"))
			return;
	}
	for (const xmlNode *c = n->children; c != NULL && !r->failed;
	    c = c->next)
		walk(r, c);
}

/* Authors and editors: each value of attribute attr (w:author) or the text
 * of each element named name in ns, as a line of its own. */
static void
people(struct rd *r, const xmlNode *n, const char *attr)
{
	for (; n != NULL && !r->failed; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (const char *const *a = (const char *const[]){ attr,
		    "initials", NULL }; *a != NULL; a++) {
			xmlChar *v = xmlGetNsProp(n, (const xmlChar *)*a,
			    (const xmlChar *)W_NS);

			if (v != NULL) {
				r->para++;
				put(r, (const char *)v, strlen((const char *)v));
				end_line(r);
				xmlFree(v);
			}
		}
		people(r, n->children, attr);
	}
}

static void
meta_people(struct rd *r, const xmlNode *n)
{
	static const char *const names[] = { "creator", "lastModifiedBy",
	    "initial-creator", "title", "subject", "description", "keywords",
	    NULL };

	for (; n != NULL && !r->failed; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (const char *const *k = names; *k != NULL; k++)
			if (strcmp((const char *)n->name, *k) == 0) {
				r->para++;
				put_content(r, n);
				end_line(r);
			}
		meta_people(r, n->children);
	}
}

enum how { BODY, AUTHORS, META };

static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static void
read_xml(struct rd *r, const char *name, enum how how)
{
	size_t len;
	char *p = read_part(r, name, &len);
	xmlDoc *doc;

	if (p == NULL)
		return;
	if (strstr(p, "<!DOCTYPE") != NULL) {
		free(p);
		fail(r, "%s holds a DOCTYPE, which no word processor writes: "
		    "refused", name);
		return;
	}
	/* The library never prints: libxml2's own messages (an encoding it
	 * cannot convert) go nowhere; the failure is ours to report. */
	xmlSetGenericErrorFunc(NULL, quiet);
	doc = xmlReadMemory(p, (int)len, name, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetGenericErrorFunc(NULL, NULL);
	free(p);
	if (doc == NULL) {
		fail(r, "%s is not well-formed XML: the file is damaged", name);
		return;
	}
	r->part = name;
	r->para = 0;
	if (how == BODY)
		walk(r, xmlDocGetRootElement(doc));
	else if (how == AUTHORS)
		people(r, xmlDocGetRootElement(doc), "author");
	else
		meta_people(r, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
}

/* The names of the parts matching prefix*.xml ("word/header"), sorted, as
 * strings that live as long as the input (d->parts). */
static void
parts_like(struct rd *r, const char *prefix, size_t *first, size_t *n)
{
	struct tyst_input *d = r->d;
	zip_int64_t ne = zip_get_num_entries(r->za, 0);
	size_t pl = strlen(prefix);

	*first = d->nparts;
	*n = 0;
	for (zip_int64_t i = 0; i < ne && !r->failed; i++) {
		const char *nm = zip_get_name(r->za, (zip_uint64_t)i, 0);
		size_t l;
		char **np;

		if (nm == NULL || strncmp(nm, prefix, pl) != 0 ||
		    (l = strlen(nm)) < pl + 4 || strcmp(nm + l - 4, ".xml") != 0 ||
		    strchr(nm + pl, '/') != NULL)
			continue;
		if ((np = realloc(d->parts, (d->nparts + 1) *
		    sizeof(*np))) == NULL || (np[d->nparts] = strdup(nm)) ==
		    NULL) {
			if (np != NULL)
				d->parts = np;
			fail(r, "out of memory%s", "");
			return;
		}
		d->parts = np;
		d->nparts++;
		(*n)++;
	}
	/* Sorted, so header2 comes after header1 on every run. */
	for (size_t i = *first + 1; i < *first + *n; i++)
		for (size_t j = i; j > *first && strcmp(d->parts[j - 1],
		    d->parts[j]) > 0; j--) {
			char *t = d->parts[j];

			d->parts[j] = d->parts[j - 1];
			d->parts[j - 1] = t;
		}
}

static void
read_all_like(struct rd *r, const char *prefix, enum how how)
{
	size_t first, n;

	parts_like(r, prefix, &first, &n);
	for (size_t i = first; i < first + n && !r->failed; i++)
		read_xml(r, r->d->parts[i], how);
}

static void
read_docx(struct rd *r)
{
	static const char *const parts[] = { "word/document.xml",
	    "word/header", "word/footer", "word/footnotes.xml",
	    "word/endnotes.xml", "word/comments.xml" };

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (strstr(parts[i], ".xml") != NULL)
			read_xml(r, parts[i], BODY);
		else
			read_all_like(r, parts[i], BODY);
	}
	/* Who wrote, commented and changed: names too. */
	read_xml(r, "word/document.xml", AUTHORS);
	read_xml(r, "word/comments.xml", AUTHORS);
	read_xml(r, "word/people.xml", AUTHORS);
	read_xml(r, "docProps/core.xml", META);
}

static void
read_odt(struct rd *r)
{
	read_xml(r, "content.xml", BODY);
	read_xml(r, "styles.xml", BODY);
	/* Comment authors (dc:creator) and the document's people. */
	read_xml(r, "content.xml", META);
	read_xml(r, "meta.xml", META);
}

int
tyst_zip_view(struct tyst_input *d, struct tyst_err *err)
{
	struct rd r;
	zip_error_t ze;
	zip_source_t *src;
	zip_int64_t ne;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.err = err;
	r.odt = d->format == TYST_IN_ODT;
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(d->raw, d->rawlen, 0, &ze)) ==
	    NULL || (r.za = zip_open_from_source(src, ZIP_RDONLY |
	    ZIP_CHECKCONS, &ze)) == NULL) {
		if (src != NULL)
			zip_source_free(src);
		tyst_err_set(err, d->name, 0, 0, "not a readable zip archive "
		    "(%s): the file is damaged", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	ne = zip_get_num_entries(r.za, 0);
	if (ne < 0 || ne > MAX_PARTS) {
		zip_discard(r.za);
		return tyst_err_set(err, d->name, 0, 0, "the archive holds %lld "
		    "parts, more than tyst reads (%d): refused", (long long)ne,
		    MAX_PARTS);
	}
	if (r.odt)
		read_odt(&r);
	else
		read_docx(&r);
	zip_discard(r.za);
	free(r.line);
	if (r.failed)
		return -1;
	if (d->nvlines == 0) {
		r.llen = 0;
		r.part = "";
		end_line(&r);
		free(r.line);
		if (r.failed)
			return -1;
	}
	if (grow((void **)&d->view, &r.vcap, d->vlen + 17, 1) < 0)
		return tyst_err_set(err, d->name, 0, 0, "out of memory");
	memset(d->view + d->vlen, 0, 17);
	/* Offsets of a word-processor file are into this text. */
	d->u = d->view;
	d->ulen = d->vlen;
	return 0;
}
