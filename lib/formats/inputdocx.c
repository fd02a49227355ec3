/*
 * inputdocx — Word (.docx, .docm) and OpenDocument (.odt) files, read; and
 * for the writer (lib/formats/inputzip.c) the same reading kept as a tree,
 * each view line knowing the XML nodes its bytes came from.
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

#include <limits.h>
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
	/* Collecting (for the writer): where each view byte came from. */
	struct tyst_zip_tree *tree;
	int skind;              /* what put() is given now */
	xmlNode *snode;
	const char *sattr;
	struct tyst_zip_slot *ls;       /* the current line's pieces */
	size_t nls, lscap;
};

/*
 * The pieces of a view line, for the writer: text of a w:t, w:delText or
 * metadata element (ELEM), an ODF text node (TEXT), an attribute's value
 * (ATTR: a revision author), or a mark standing for structure (a tab, a
 * break: MARK, which a change may not touch).
 */
enum { Z_MARK, Z_ELEM, Z_TEXT, Z_ATTR };

struct tyst_zip_slot {
	int kind;
	xmlNode *node;
	const char *attr;
	size_t line, off, len;
};

struct tyst_zip_xml {
	char *name;
	xmlDoc *doc;
	int dirty;
};

struct tyst_zip_tree {
	struct tyst_input v;            /* the view read again */
	struct tyst_zip_slot *slots;    /* by line, then offset */
	size_t nslots, scap;
	size_t *first;                  /* per line: its first slot */
	struct tyst_zip_xml *xml;
	size_t nxml;
	zip_t *za;
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
	if (r->tree != NULL) {
		struct tyst_zip_slot *sl;

		if (grow((void **)&r->ls, &r->lscap, r->nls + 1,
		    sizeof(*r->ls)) < 0) {
			fail(r, "out of memory%s", "");
			return;
		}
		sl = &r->ls[r->nls++];
		sl->kind = r->skind;
		sl->node = r->snode;
		sl->attr = r->sattr;
		sl->off = r->llen;
		sl->len = n;
	}
	/* A line end inside a paragraph would split the line structure. */
	for (size_t i = 0; i < n; i++)
		r->line[r->llen++] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
}

/* The current line's pieces into the tree, as line d->nvlines's. */
static int
keep_slots(struct rd *r)
{
	struct tyst_zip_tree *t = r->tree;
	size_t line = r->d->nvlines;

	if (grow((void **)&t->slots, &t->scap, t->nslots + r->nls,
	    sizeof(*t->slots)) < 0 || (t->first = realloc(t->first,
	    (line + 2) * sizeof(*t->first))) == NULL)
		return fail(r, "out of memory%s", "");
	t->first[line] = t->nslots;
	for (size_t i = 0; i < r->nls; i++) {
		t->slots[t->nslots] = r->ls[i];
		t->slots[t->nslots++].line = line;
	}
	t->first[line + 1] = t->nslots;
	r->nls = 0;
	return 0;
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
	if (r->tree != NULL && keep_slots(r) < 0)
		return;
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

/* What the next put() copies from. */
static void
from(struct rd *r, int kind, const xmlNode *n, const char *attr)
{
	r->skind = kind;
	r->snode = (xmlNode *)n;
	r->sattr = attr;
}

static void
put_mark(struct rd *r, const char *s)
{
	from(r, Z_MARK, NULL, NULL);
	put(r, s, strlen(s));
}

static void
put_content(struct rd *r, const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);

	if (c == NULL)
		return;
	from(r, Z_ELEM, n, NULL);
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
	struct tyst_zip_slot *sls = r->ls;
	size_t snls = r->nls, slscap = r->lscap;

	r->line = NULL;
	r->llen = r->lcap2 = 0;
	r->ls = NULL;
	r->nls = r->lscap = 0;
	r->para++;
	r->inpara++;
	for (const xmlNode *c = p->children; c != NULL && !r->failed;
	    c = c->next)
		walk(r, c);
	end_line(r);
	free(r->line);
	free(r->ls);
	r->inpara--;
	r->line = saved;
	r->llen = slen;
	r->lcap2 = scap;
	r->ls = sls;
	r->nls = snls;
	r->lscap = slscap;
}

static void
walk(struct rd *r, const xmlNode *n)
{
	if (r->failed || n->type != XML_ELEMENT_NODE) {
		if (n->type == XML_TEXT_NODE && r->odt && r->inpara &&
		    n->content != NULL) {
			from(r, Z_TEXT, n, NULL);
			put(r, (const char *)n->content,
			    strlen((const char *)n->content));
		}
		return;
	}
	if (r->odt) {
		if (is(n, TEXT_NS, "p") || is(n, TEXT_NS, "h")) {
			paragraph(r, n);
			return;
		}
		if (is(n, TEXT_NS, "s")) {
			put_mark(r, " ");
			return;
		}
		if (is(n, TEXT_NS, "tab") || is(n, TEXT_NS, "line-break")) {
			put_mark(r, n->name[0] == 't' ? "\t" : " ");
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
			put_mark(r, "\t");
			return;
		}
		if (is(n, W_NS, "br") || is(n, W_NS, "cr")) {
			put_mark(r, " ");
			return;
		}
		if (is(n, W_NS, "noBreakHyphen")) {
			put_mark(r, "-");
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
				from(r, Z_ATTR, n, *a);
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

/* Word and LibreOffice write no DOCTYPE; it is how entity bombs and
 * external entities come in. */
static int
has_doctype(const char *p, size_t len)
{
	for (size_t i = 0; i + 9 <= len; i++)
		if (p[i] == '<' && memcmp(p + i, "<!DOCTYPE", 9) == 0)
			return 1;
	return 0;
}

xmlDoc *
tyst_zip_xml_parse(const char *p, size_t len, const char *name,
    const char *file, struct tyst_err *err)
{
	xmlDoc *doc;

	if (has_doctype(p, len)) {
		tyst_err_set(err, file, 0, 0, "%s holds a DOCTYPE, which no word "
		    "processor writes: refused", name);
		return NULL;
	}
	if (len > INT_MAX) {
		tyst_err_set(err, file, 0, 0, "%s is too large", name);
		return NULL;
	}
	/* The library never prints: libxml2's own messages (an encoding it
	 * cannot convert) go nowhere; the failure is ours to report. */
	xmlSetGenericErrorFunc(NULL, quiet);
	doc = xmlReadMemory(p, (int)len, name, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetGenericErrorFunc(NULL, NULL);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		tyst_err_set(err, file, 0, 0, "%s is not well-formed XML: the "
		    "file is damaged", name);
		return NULL;
	}
	return doc;
}

/* A part parsed: for the writer, kept (and parsed once) in its tree. */
static xmlDoc *
part_doc(struct rd *r, const char *name)
{
	struct tyst_zip_tree *t = r->tree;
	struct tyst_zip_xml *nx;
	size_t len;
	char *p;
	xmlDoc *doc;

	if (t != NULL)
		for (size_t i = 0; i < t->nxml; i++)
			if (strcmp(t->xml[i].name, name) == 0)
				return t->xml[i].doc;
	if ((p = read_part(r, name, &len)) == NULL)
		return NULL;
	doc = tyst_zip_xml_parse(p, len, name, r->d->name, r->err);
	free(p);
	if (doc == NULL) {
		r->failed = 1;
		return NULL;
	}
	if (t == NULL)
		return doc;
	if ((nx = realloc(t->xml, (t->nxml + 1) * sizeof(*nx))) == NULL ||
	    (nx[t->nxml].name = strdup(name)) == NULL) {
		if (nx != NULL)
			t->xml = nx;
		xmlFreeDoc(doc);
		fail(r, "out of memory%s", "");
		return NULL;
	}
	t->xml = nx;
	nx[t->nxml].doc = doc;
	nx[t->nxml++].dirty = 0;
	return doc;
}

static void
read_xml(struct rd *r, const char *name, enum how how)
{
	xmlDoc *doc = part_doc(r, name);

	if (doc == NULL)
		return;
	r->part = name;
	r->para = 0;
	if (how == BODY)
		walk(r, xmlDocGetRootElement(doc));
	else if (how == AUTHORS)
		people(r, xmlDocGetRootElement(doc), "author");
	else
		meta_people(r, xmlDocGetRootElement(doc));
	if (r->tree == NULL)
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

zip_t *
tyst_zip_open(const char *raw, size_t len, const char *file,
    struct tyst_err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za = NULL;
	zip_int64_t ne;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(raw, len, 0, &ze)) == NULL ||
	    (za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &ze)) == NULL) {
		if (src != NULL)
			zip_source_free(src);
		tyst_err_set(err, file, 0, 0, "not a readable zip archive "
		    "(%s): the file is damaged", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return NULL;
	}
	zip_error_fini(&ze);
	ne = zip_get_num_entries(za, 0);
	if (ne < 0 || ne > MAX_PARTS) {
		zip_discard(za);
		tyst_err_set(err, file, 0, 0, "the archive holds %lld parts, "
		    "more than tyst reads (%d): refused", (long long)ne,
		    MAX_PARTS);
		return NULL;
	}
	return za;
}

int
tyst_zip_part(zip_t *za, const char *name, char **data, size_t *len,
    const char *file, struct tyst_err *err)
{
	struct tyst_input d;
	struct rd r;

	memset(&r, 0, sizeof(r));
	memset(&d, 0, sizeof(d));
	d.name = (char *)file;
	r.d = &d;
	r.za = za;
	r.err = err;
	*data = read_part(&r, name, len);
	if (*data != NULL)
		return 1;
	return r.failed ? -1 : 0;
}

/* The view of d (into view, which may be d itself), and with tree the
 * pieces of each line. */
static int
build_view(const struct tyst_input *d, struct tyst_input *view,
    struct tyst_zip_tree *tree, struct tyst_err *err)
{
	struct rd r;

	memset(&r, 0, sizeof(r));
	r.d = view;
	r.err = err;
	r.odt = d->format == TYST_IN_ODT;
	r.tree = tree;
	if ((r.za = tyst_zip_open(d->raw, d->rawlen, d->name, err)) == NULL)
		return -1;
	view->macros = zip_name_locate(r.za, "word/vbaProject.bin",
	    ZIP_FL_NOCASE) >= 0;
	if (r.odt)
		read_odt(&r);
	else
		read_docx(&r);
	zip_discard(r.za);
	free(r.line);
	r.line = NULL;
	if (!r.failed && view->nvlines == 0) {
		r.llen = 0;
		r.part = "";
		end_line(&r);
		free(r.line);
	}
	free(r.ls);
	if (r.failed)
		return -1;
	if (grow((void **)&view->view, &r.vcap, view->vlen + 17, 1) < 0)
		return tyst_err_set(err, d->name, 0, 0, "out of memory");
	memset(view->view + view->vlen, 0, 17);
	return 0;
}

int
tyst_zip_view(struct tyst_input *d, struct tyst_err *err)
{
	if (build_view(d, d, NULL, err) < 0)
		return -1;
	/* Offsets of a word-processor file are into this text. */
	d->u = d->view;
	d->ulen = d->vlen;
	return 0;
}

/* ---- the writer's side: each line's pieces ------------------------------ */

void
tyst_zip_tree_free(struct tyst_zip_tree *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nxml; i++) {
		free(t->xml[i].name);
		xmlFreeDoc(t->xml[i].doc);
	}
	free(t->xml);
	free(t->slots);
	free(t->first);
	for (size_t i = 0; i < t->v.nparts; i++)
		free(t->v.parts[i]);
	free(t->v.parts);
	free(t->v.lpart);
	free(t->v.lpara);
	free(t->v.view);
	free(t->v.vlines);
	free(t);
}

struct tyst_zip_tree *
tyst_zip_tree_open(const struct tyst_input *d, struct tyst_err *err)
{
	struct tyst_zip_tree *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		tyst_err_set(err, d->name, 0, 0, "out of memory");
		return NULL;
	}
	t->v.name = d->name;
	t->v.format = d->format;
	if (build_view(d, &t->v, t, err) < 0) {
		tyst_zip_tree_free(t);
		return NULL;
	}
	/* The same reader on the same bytes: the same view, or a bug. */
	if (t->v.vlen != d->vlen || memcmp(t->v.view, d->view, d->vlen) != 0) {
		tyst_err_set(err, d->name, 0, 0, "the document reads differently "
		    "a second time; nothing was written");
		tyst_zip_tree_free(t);
		return NULL;
	}
	return t;
}

/*
 * A changed line is compared with the old one token by token (a word:
 * letters and digits, any byte of a multibyte character among them;
 * anything else a token of one byte).  The tokens kept are found as
 * patience diff finds them: tokens that occur once in the old line and
 * once in the new are anchors (the longest run of them in the same order),
 * and between anchors the same again, until what is left between two kept
 * tokens is one change.  Unlike a shortest edit, this never keeps the
 * spaces and little words inside a replacement ("[kommun A i Gävleborgs
 * län]") as if they were the old text's, which would spread one
 * replacement over several runs.  A change goes whole into the first piece
 * it touches — a name split "Ro" + "lf" takes the formatting of its first
 * run — and the other pieces lose their share.
 */
#define PATIENCE_DEPTH 32

struct tok {
	size_t at, len;
};

static int
word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

static size_t
tokenize(const char *s, size_t n, struct tok *t)
{
	size_t k = 0;

	for (size_t i = 0; i < n; k++) {
		size_t j = i + 1;

		if (word_byte((unsigned char)s[i]))
			while (j < n && word_byte((unsigned char)s[j]))
				j++;
		t[k].at = i;
		t[k].len = j - i;
		i = j;
	}
	return k;
}

static int
tok_eq(const char *a, const struct tok *x, const char *b, const struct tok *y)
{
	return x->len == y->len && memcmp(a + x->at, b + y->at, x->len) == 0;
}

/* A token of the old (side 0) or new line, for sorting. */
struct occ {
	const char *p;
	size_t len, idx;
	int side;
};

static int
occ_cmp(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->side - y->side;
}

static int
pair_cmp(const void *a, const void *b)
{
	const size_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

struct pdiff {
	const char *o, *n;
	const struct tok *ot, *nt;
	size_t *m;
	int oom;
};

/* Anchors of [oa, ob) x [na, nb): pairs (old, new) of tokens once in
 * each, not blank, into pairs (sorted by old); their number. */
static size_t
anchors(struct pdiff *d, size_t oa, size_t ob, size_t na, size_t nb,
    size_t *pairs)
{
	size_t no = ob - oa, nn = nb - na, k = 0;
	struct occ *v = malloc((no + nn) * sizeof(*v));

	if (v == NULL) {
		d->oom = 1;
		return 0;
	}
	for (size_t i = 0; i < no; i++)
		v[i] = (struct occ){ d->o + d->ot[oa + i].at, d->ot[oa + i].len,
		    oa + i, 0 };
	for (size_t j = 0; j < nn; j++)
		v[no + j] = (struct occ){ d->n + d->nt[na + j].at,
		    d->nt[na + j].len, na + j, 1 };
	qsort(v, no + nn, sizeof(*v), occ_cmp);
	for (size_t i = 0; i + 1 < no + nn; i++) {
		size_t e = i + 1;

		while (e < no + nn && v[e].len == v[i].len &&
		    memcmp(v[e].p, v[i].p, v[i].len) == 0)
			e++;
		if (e - i == 2 && v[i].side == 0 && v[i + 1].side == 1 &&
		    !(v[i].len == 1 && v[i].p[0] == ' ')) {
			pairs[2 * k] = v[i].idx;
			pairs[2 * k + 1] = v[i + 1].idx;
			k++;
		}
		i = e - 1;
	}
	free(v);
	qsort(pairs, k, 2 * sizeof(*pairs), pair_cmp);
	return k;
}

/* No anchors: tabs, which no replacement holds, paired in order when both
 * sides have as many, so that a change never spans one (a tab is a
 * w:tab, which text may not replace). */
static size_t
tabs(struct pdiff *d, size_t oa, size_t ob, size_t na, size_t nb,
    size_t *pairs)
{
	size_t k = 0, j = na;

	for (size_t i = oa; i < ob; i++) {
		if (d->ot[i].len != 1 || d->o[d->ot[i].at] != '\t')
			continue;
		while (j < nb && (d->nt[j].len != 1 || d->n[d->nt[j].at] !=
		    '\t'))
			j++;
		if (j == nb)
			return 0;
		pairs[2 * k] = i;
		pairs[2 * k + 1] = j++;
		k++;
	}
	while (j < nb && (d->nt[j].len != 1 || d->n[d->nt[j].at] != '\t'))
		j++;
	return j == nb ? k : 0;
}

/* The longest run of pairs whose new indices rise too, marked in keep. */
static void
lis(const size_t *pairs, size_t k, unsigned char *keep, struct pdiff *d)
{
	size_t *top = malloc((k + 1) * sizeof(*top));
	size_t *prev = malloc((k + 1) * sizeof(*prev));
	size_t len = 0;

	if (top == NULL || prev == NULL) {
		free(top);
		free(prev);
		d->oom = 1;
		return;
	}
	for (size_t i = 0; i < k; i++) {
		size_t lo = 0, hi = len;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (pairs[2 * top[mid] + 1] < pairs[2 * i + 1])
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo > 0 ? top[lo - 1] : SIZE_MAX;
		top[lo] = i;
		if (lo == len)
			len++;
	}
	for (size_t i = len > 0 ? top[len - 1] : SIZE_MAX; i != SIZE_MAX;
	    i = prev[i])
		keep[i] = 1;
	free(top);
	free(prev);
}

static void
patience(struct pdiff *d, size_t oa, size_t ob, size_t na, size_t nb,
    int depth)
{
	size_t *pairs, k, pi, pj;
	unsigned char *keep;

	while (oa < ob && na < nb && tok_eq(d->o, &d->ot[oa], d->n,
	    &d->nt[na]))
		d->m[oa++] = na++;
	while (oa < ob && na < nb && tok_eq(d->o, &d->ot[ob - 1], d->n,
	    &d->nt[nb - 1]))
		d->m[--ob] = --nb;
	if (oa == ob || na == nb || depth == PATIENCE_DEPTH || d->oom)
		return;
	pairs = malloc(2 * (ob - oa) * sizeof(*pairs));
	keep = calloc(ob - oa, 1);
	if (pairs == NULL || keep == NULL) {
		free(pairs);
		free(keep);
		d->oom = 1;
		return;
	}
	k = anchors(d, oa, ob, na, nb, pairs);
	if (k == 0)
		k = tabs(d, oa, ob, na, nb, pairs);
	lis(pairs, k, keep, d);
	pi = oa;
	pj = na;
	for (size_t i = 0; i < k && !d->oom; i++) {
		if (!keep[i])
			continue;
		patience(d, pi, pairs[2 * i], pj, pairs[2 * i + 1], depth + 1);
		d->m[pairs[2 * i]] = pairs[2 * i + 1];
		pi = pairs[2 * i] + 1;
		pj = pairs[2 * i + 1] + 1;
	}
	if (pi > oa && !d->oom)
		patience(d, pi, ob, pj, nb, depth + 1);
	free(pairs);
	free(keep);
}

/* m[i]: the new token old token i is kept as, or SIZE_MAX; -1 when
 * memory is short. */
static int
tok_diff(const char *o, const struct tok *ot, size_t on, const char *n,
    const struct tok *nt, size_t nn, size_t *m)
{
	struct pdiff d = { o, n, ot, nt, m, 0 };

	for (size_t i = 0; i < on; i++)
		m[i] = SIZE_MAX;
	patience(&d, 0, on, 0, nn, 0);
	return d.oom ? -1 : 0;
}

struct piece {
	char *p;
	size_t len, cap;
};

static int
piece_put(struct piece *pc, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (grow((void **)&pc->p, &pc->cap, pc->len + n + 1, 1) < 0)
		return -1;
	memcpy(pc->p + pc->len, s, n);
	pc->len += n;
	return 0;
}

/* Old bytes [oa, ob) kept, as new bytes from nb: each into its piece. */
static int
keep_bytes(const struct tyst_zip_slot *sl, size_t ns, struct piece *pc,
    size_t oa, size_t ob, const char *n, size_t nb)
{
	for (size_t k = 0; k < ns && oa < ob; k++) {
		size_t s0 = sl[k].off, s1 = sl[k].off + sl[k].len, e;

		if (s1 <= oa || s0 >= ob)
			continue;
		e = s1 < ob ? s1 : ob;
		if (piece_put(&pc[k], n + nb, e - oa) < 0)
			return -1;
		nb += e - oa;
		oa = e;
	}
	return 0;
}

/* The piece a change of old bytes [oa, ob) goes into; -1 when it would
 * remove a mark (a tab, a break) or there is no text piece to take it. */
static long
owner(const struct tyst_zip_slot *sl, size_t ns, size_t oa, size_t ob)
{
	if (ob > oa) {
		for (size_t k = 0; k < ns; k++)
			if (sl[k].off < ob && sl[k].off + sl[k].len > oa &&
			    sl[k].kind == Z_MARK)
				return -1;
		for (size_t k = 0; k < ns; k++)
			if (sl[k].off < ob && sl[k].off + sl[k].len > oa)
				return (long)k;
		return -1;
	}
	/* An insertion: after the text piece it follows, else before the
	 * one it precedes. */
	for (size_t k = ns; k-- > 0;)
		if (sl[k].kind != Z_MARK && sl[k].off < oa &&
		    sl[k].off + sl[k].len >= oa)
			return (long)k;
	for (size_t k = 0; k < ns; k++)
		if (sl[k].kind != Z_MARK && sl[k].off >= oa)
			return (long)k;
	return -1;
}

/* Distributes new line n[0..nl) over the pieces of old line o[0..ol). */
static int
distribute(const struct tyst_zip_slot *sl, size_t ns, const char *o,
    size_t ol, const char *n, size_t nl, struct piece *pc)
{
	struct tok *ot = malloc((ol + 1) * sizeof(*ot));
	struct tok *nt = malloc((nl + 1) * sizeof(*nt));
	size_t on, nn, *m = NULL, i = 0, j = 0;
	int rc = -1;

	if (ot == NULL || nt == NULL)
		goto out;
	on = tokenize(o, ol, ot);
	nn = tokenize(n, nl, nt);
	if ((m = malloc((on + 1) * sizeof(*m))) == NULL)
		goto out;
	if (tok_diff(o, ot, on, n, nt, nn, m) < 0)
		goto out;
	while (i < on || j < nn) {
		size_t i2 = i, j2, oa, ob, na, nb;
		long w;

		if (i < on && m[i] == j) {
			if (keep_bytes(sl, ns, pc, ot[i].at, ot[i].at +
			    ot[i].len, n, nt[j].at) < 0)
				goto out;
			i++;
			j++;
			continue;
		}
		while (i2 < on && m[i2] == SIZE_MAX)
			i2++;
		j2 = i2 < on ? m[i2] : nn;
		oa = i < on ? ot[i].at : ol;
		ob = i2 < on ? ot[i2].at : ol;
		na = j < nn ? nt[j].at : nl;
		nb = j2 < nn ? nt[j2].at : nl;
		if ((w = owner(sl, ns, oa, ob)) < 0) {
			rc = -2;
			goto out;
		}
		if (piece_put(&pc[w], n + na, nb - na) < 0)
			goto out;
		i = i2;
		j = j2;
	}
	rc = 0;
out:
	free(ot);
	free(nt);
	free(m);
	return rc;
}

static struct tyst_zip_xml *
xml_of(struct tyst_zip_tree *t, const xmlNode *n)
{
	for (size_t i = 0; i < t->nxml; i++)
		if (t->xml[i].doc == n->doc)
			return &t->xml[i];
	return NULL;
}

/* Sets a piece's text as the text of its node, never parsed as markup. */
static void
set_piece(const struct tyst_zip_slot *s, const char *p, size_t len)
{
	xmlNode *n = s->node;
	xmlChar *v;

	if (s->kind == Z_TEXT) {
		xmlNodeSetContentLen(n, (const xmlChar *)p, (int)len);
		return;
	}
	if (s->kind == Z_ATTR) {
		if ((v = xmlStrndup((const xmlChar *)p, (int)len)) == NULL)
			return;
		xmlSetNsProp(n, xmlSearchNsByHref(n->doc, n,
		    (const xmlChar *)W_NS), (const xmlChar *)s->attr, v);
		xmlFree(v);
		return;
	}
	while (n->children != NULL) {
		xmlNode *c = n->children;

		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	if (len > 0)
		xmlNodeAddContentLen(n, (const xmlChar *)p, (int)len);
	/* Word drops a run's outer spaces unless told to keep them. */
	if (len > 0 && (p[0] == ' ' || p[len - 1] == ' ' || p[0] == '\t' ||
	    p[len - 1] == '\t') && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, W_NS) == 0)
		xmlNodeSetSpacePreserve(n, 1);
}

int
tyst_zip_tree_line(struct tyst_zip_tree *t, size_t line, const char *n,
    size_t nl, struct tyst_err *err)
{
	size_t os, oe, a, ns;
	const struct tyst_zip_slot *sl;
	struct piece *pc;
	int rc;

	if (line >= t->v.nvlines)
		return tyst_err_set(err, t->v.name, 0, 0, "no line %zu", line);
	os = t->v.vlines[line];
	oe = line + 1 < t->v.nvlines ? t->v.vlines[line + 1] : t->v.vlen;
	oe--;           /* its '\n' */
	if (oe - os == nl && memcmp(t->v.view + os, n, nl) == 0)
		return 0;
	if (memchr(n, '\n', nl) != NULL || memchr(n, '\r', nl) != NULL)
		return tyst_err_set(err, t->v.name, line + 1, 0, "the changed "
		    "text holds a line end; nothing was written");
	a = t->first[line];
	ns = t->first[line + 1] - a;
	sl = t->slots + a;
	if ((pc = calloc(ns + 1, sizeof(*pc))) == NULL)
		return tyst_err_set(err, t->v.name, line + 1, 0,
		    "out of memory");
	rc = distribute(sl, ns, t->v.view + os, oe - os, n, nl, pc);
	for (size_t k = 0; rc == 0 && k < ns; k++) {
		const char *old = t->v.view + os + sl[k].off;

		if (pc[k].len == sl[k].len && memcmp(pc[k].p ? pc[k].p : "",
		    old, sl[k].len) == 0)
			continue;
		if (sl[k].kind == Z_MARK) {
			rc = -2;
			break;
		}
		set_piece(&sl[k], pc[k].p ? pc[k].p : "", pc[k].len);
		xml_of(t, sl[k].node)->dirty = 1;
	}
	for (size_t k = 0; k < ns; k++)
		free(pc[k].p);
	free(pc);
	if (rc == -2)
		return tyst_err_set(err, t->v.name, line + 1, 0, "the changed "
		    "text moved the line's structure (a tab or a break); "
		    "nothing was written");
	if (rc < 0)
		return tyst_err_set(err, t->v.name, line + 1, 0,
		    "out of memory");
	return 0;
}

int
tyst_zip_tree_parts(struct tyst_zip_tree *t, struct tyst_input_parts *out,
    struct tyst_err *err)
{
	for (size_t i = 0; i < t->nxml; i++) {
		xmlChar *mem = NULL;
		int size = 0, rc;

		if (!t->xml[i].dirty)
			continue;
		xmlDocDumpMemoryEnc(t->xml[i].doc, &mem, &size, "UTF-8");
		if (mem == NULL)
			return tyst_err_set(err, t->v.name, 0, 0, "cannot write "
			    "%s: out of memory", t->xml[i].name);
		rc = tyst_input_parts_add(out, t->xml[i].name, (char *)mem,
		    (size_t)size, NULL);
		xmlFree(mem);
		if (rc < 0)
			return tyst_err_set(err, t->v.name, 0, 0,
			    "out of memory");
	}
	return 0;
}
