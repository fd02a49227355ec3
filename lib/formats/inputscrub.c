/*
 * inputscrub — what Word and LibreOffice store about people, taken out
 * before a document is pseudonymised.
 *
 * A transcript's text is what tyst-pseudo replaces names in, but a .docx
 * or .odt also says who wrote it, who changed and commented it, from which
 * account, on which printer, from which template on whose disk, and keeps
 * a picture of its first page.  None of that is text a scan can be trusted
 * to find (a login "annsve" is no name to it), so it is taken out whatever
 * it holds: removed where the format allows, else replaced by a neutral
 * value ("Författare 1" for the first comment or revision author, "F1" for
 * the initials, https://example.invalid/ for a link out of the document —
 * Word makes a mailto: link of every e-mail address typed).  The same file scrubbed twice gives the same bytes, which
 * the reversal relies on.  The original parts go into the key (see
 * tyst_input_changes), so --reverse restores them.
 */
#include "tyst/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <zip.h>

#define AUTHOR_WORD "Författare"

struct scrub {
	const struct tyst_input *d;
	zip_t *za;
	struct tyst_input_parts repl;
	char **authors;                 /* in order of first appearance */
	size_t nauthors;
	struct tyst_err *err;
	int failed;
};

static int
sfail(struct scrub *s, const char *what)
{
	if (!s->failed)
		tyst_err_set(s->err, s->d->name, 0, 0, "%s", what);
	s->failed = 1;
	return -1;
}

static int
named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The number of author a (1-based), added when new. */
static size_t
author_no(struct scrub *s, const char *a)
{
	char **nv;

	for (size_t i = 0; i < s->nauthors; i++)
		if (strcmp(s->authors[i], a) == 0)
			return i + 1;
	/* A scrubbed file's authors come in the same order: scrubbing it
	 * again gives the same numbers. */
	if ((nv = realloc(s->authors, (s->nauthors + 1) * sizeof(*nv))) ==
	    NULL || (nv[s->nauthors] = strdup(a)) == NULL) {
		if (nv != NULL)
			s->authors = nv;
		sfail(s, "out of memory");
		return 0;
	}
	s->authors = nv;
	return ++s->nauthors;
}

static void
author_value(char *buf, size_t size, size_t no, int initials)
{
	if (initials)
		snprintf(buf, size, "F%zu", no);
	else
		snprintf(buf, size, AUTHOR_WORD " %zu", no);
}

/* An element's text set, never parsed as markup. */
static void
set_text(xmlNode *n, const char *v)
{
	while (n->children != NULL) {
		xmlNode *c = n->children;

		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	xmlNodeAddContent(n, (const xmlChar *)v);
}

static int
text_is(xmlNode *n, const char *v)
{
	xmlChar *c = xmlNodeGetContent(n);
	int same = c != NULL && strcmp((const char *)c, v) == 0;

	xmlFree(c);
	return same;
}

/* Word: every author attribute (w:author, w15:author) and the initials
 * beside it; people.xml's account ids (w15:presenceInfo) go. */
static int
word_people(struct scrub *s, xmlNode *n)
{
	int changed = 0;

	for (xmlNode *next; n != NULL && !s->failed; n = next) {
		size_t no = 0;
		char v[64];

		next = n->next;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (named(n, "presenceInfo")) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			changed = 1;
			continue;
		}
		for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
			xmlChar *val;

			if (strcmp((const char *)a->name, "author") != 0)
				continue;
			val = xmlNodeGetContent((xmlNode *)a);
			no = author_no(s, val ? (const char *)val : "");
			xmlFree(val);
			author_value(v, sizeof(v), no, 0);
			if (!text_is((xmlNode *)a, v)) {
				xmlSetNsProp(n, a->ns, a->name,
				    (const xmlChar *)v);
				changed = 1;
			}
		}
		for (xmlAttr *a = n->properties; a != NULL && no > 0;
		    a = a->next) {
			if (strcmp((const char *)a->name, "initials") != 0)
				continue;
			author_value(v, sizeof(v), no, 1);
			if (!text_is((xmlNode *)a, v)) {
				xmlSetNsProp(n, a->ns, a->name,
				    (const xmlChar *)v);
				changed = 1;
			}
		}
		changed |= word_people(s, n->children);
	}
	return changed;
}

/* OpenDocument: dc:creator of comments and tracked changes, and the
 * initials (meta:creator-initials) after it. */
static int
odf_people(struct scrub *s, xmlNode *n)
{
	int changed = 0;
	size_t no = 0;

	for (; n != NULL && !s->failed; n = n->next) {
		char v[64];
		xmlChar *val;

		if (named(n, "creator")) {
			val = xmlNodeGetContent(n);
			no = author_no(s, val ? (const char *)val : "");
			xmlFree(val);
			author_value(v, sizeof(v), no, 0);
		} else if (named(n, "creator-initials")) {
			author_value(v, sizeof(v), no, 1);
		} else {
			if (n->type == XML_ELEMENT_NODE)
				changed |= odf_people(s, n->children);
			continue;
		}
		if (!text_is(n, v)) {
			set_text(n, v);
			changed = 1;
		}
	}
	return changed;
}

/* Removes the elements named in names (local names) anywhere under n. */
static int
remove_named(xmlNode *n, const char *const *names)
{
	int changed = 0;

	while (n != NULL) {
		xmlNode *next = n->next;
		int gone = 0;

		for (const char *const *k = names; *k != NULL && !gone; k++)
			if (named(n, *k)) {
				xmlUnlinkNode(n);
				xmlFreeNode(n);
				changed = gone = 1;
			}
		if (!gone && n->type == XML_ELEMENT_NODE)
			changed |= remove_named(n->children, names);
		n = next;
	}
	return changed;
}

/* Removes elements named name whose attribute attr (local name) is one
 * of vals, or ends with one of them when suffix. */
static int
remove_where(xmlNode *n, const char *name, const char *attr,
    const char *const *vals, int suffix)
{
	int changed = 0;

	while (n != NULL) {
		xmlNode *next = n->next;
		int gone = 0;

		if (named(n, name))
			for (xmlAttr *a = n->properties; a != NULL && !gone;
			    a = a->next) {
				xmlChar *v;

				if (strcmp((const char *)a->name, attr) != 0)
					continue;
				v = xmlNodeGetContent((xmlNode *)a);
				for (const char *const *k = vals; v != NULL &&
				    *k != NULL && !gone; k++) {
					size_t vl = strlen((const char *)v);
					size_t kl = strlen(*k);

					if (suffix ? vl >= kl && strcmp((const
					    char *)v + vl - kl, *k) == 0 :
					    strcmp((const char *)v, *k) == 0)
						gone = 1;
				}
				xmlFree(v);
			}
		if (gone) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			changed = 1;
		} else if (n->type == XML_ELEMENT_NODE)
			changed |= remove_where(n->children, name, attr, vals,
			    suffix);
		n = next;
	}
	return changed;
}

/* The r:id of the first element named name, or NULL (free it). */
static char *
rid_of(xmlNode *n, const char *name)
{
	for (; n != NULL; n = n->next) {
		char *r;

		if (named(n, name))
			for (xmlAttr *a = n->properties; a != NULL;
			    a = a->next)
				if (strcmp((const char *)a->name, "id") == 0) {
					xmlChar *v = xmlNodeGetContent(
					    (xmlNode *)a);

					r = v ? strdup((const char *)v) : NULL;
					xmlFree(v);
					return r;
				}
		if (n->type == XML_ELEMENT_NODE && (r = rid_of(n->children,
		    name)) != NULL)
			return r;
	}
	return NULL;
}

typedef int (*edit_fn)(struct scrub *s, xmlNode *root, void *ctx);

/* The part as scrubbed so far: queued already, or in the archive. */
static int
current(struct scrub *s, const char *name, char **p, size_t *len,
    struct tyst_input_part **queued)
{
	*queued = NULL;
	for (size_t i = 0; i < s->repl.n; i++)
		if (strcmp(s->repl.v[i].name, name) == 0) {
			*queued = &s->repl.v[i];
			if (s->repl.v[i].data == NULL)
				return 0;
			*p = s->repl.v[i].data;
			*len = s->repl.v[i].len;
			return 1;
		}
	return tyst_zip_part(s->za, name, p, len, s->d->name, s->err);
}

/* Parses part name, lets fn change it, and queues the result when fn
 * says it changed (1); a part edited twice is edited as the first left
 * it. */
static void
edit(struct scrub *s, const char *name, edit_fn fn, void *ctx)
{
	struct tyst_input_part *q;
	char *p;
	size_t len;
	int has, ch;
	xmlDoc *doc;

	if (s->failed)
		return;
	has = current(s, name, &p, &len, &q);
	if (has <= 0) {
		s->failed |= has < 0;
		return;
	}
	doc = tyst_zip_xml_parse(p, len, name, s->d->name, s->err);
	if (q == NULL)
		free(p);
	if (doc == NULL) {
		s->failed = 1;
		return;
	}
	ch = fn(s, xmlDocGetRootElement(doc), ctx);
	if (ch > 0 && !s->failed) {
		xmlChar *mem = NULL;
		int size = 0;

		xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
		if (mem == NULL)
			sfail(s, "out of memory");
		else if (q != NULL) {
			char *np = malloc((size_t)size + 1);

			if (np == NULL)
				sfail(s, "out of memory");
			else {
				memcpy(np, mem, (size_t)size);
				np[size] = '\0';
				free(q->data);
				q->data = np;
				q->len = (size_t)size;
			}
		} else if (tyst_input_parts_add(&s->repl, name, (char *)mem,
		    (size_t)size, NULL) < 0)
			sfail(s, "out of memory");
		xmlFree(mem);
	}
	xmlFreeDoc(doc);
}

static void
drop(struct scrub *s, const char *name)
{
	if (!s->failed && tyst_input_parts_add(&s->repl, name, NULL, 0,
	    NULL) < 0)
		sfail(s, "out of memory");
}

/* ---- Word ------------------------------------------------------------------ */

#define NO_LINK "https://example.invalid/"

/* A field's link (HYPERLINK "mailto:anna@…") goes where no one is. */
static int
field_links(xmlNode *n)
{
	int changed = 0;

	for (; n != NULL; n = n->next) {
		xmlChar *c;
		const char *h, *q1, *q2;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!named(n, "instrText")) {
			changed |= field_links(n->children);
			continue;
		}
		c = xmlNodeGetContent(n);
		if (c != NULL && (h = strstr((const char *)c, "HYPERLINK")) !=
		    NULL && (q1 = strchr(h, '"')) != NULL && (q2 = strchr(q1 + 1,
		    '"')) != NULL && (size_t)(q2 - q1 - 1) != strlen(NO_LINK)) {
			size_t a = (size_t)(q1 - (const char *)c) + 1;
			size_t rest = strlen(q2);
			char *v = malloc(a + strlen(NO_LINK) + rest + 1);

			if (v != NULL) {
				memcpy(v, c, a);
				memcpy(v + a, NO_LINK, strlen(NO_LINK));
				memcpy(v + a + strlen(NO_LINK), q2, rest + 1);
				set_text(n, v);
				free(v);
				changed = 1;
			}
		}
		xmlFree(c);
	}
	return changed;
}

/* A picture's alt text and description (Word once put the picture's path
 * on the author's disk there). */
static int
alt_text(xmlNode *n)
{
	int changed = 0;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (named(n, "docPr") || named(n, "cNvPr"))
			for (const char *const *a = (const char *const[]){
			    "descr", "title", NULL }; *a != NULL; a++) {
				xmlAttr *at = xmlHasProp(n, (const xmlChar *)*a);

				if (at != NULL) {
					xmlRemoveProp(at);
					changed = 1;
				}
			}
		changed |= alt_text(n->children);
	}
	return changed;
}

static int
e_word_part(struct scrub *s, xmlNode *root, void *ctx)
{
	int changed = word_people(s, root);

	(void)ctx;
	changed |= field_links(root);
	changed |= alt_text(root);
	return changed;
}

/* Links out of the document (TargetMode="External": a mailto: Word made
 * of an e-mail address, a web page) go where no one is. */
static int
external_links(xmlNode *n)
{
	int changed = 0;

	for (; n != NULL; n = n->next) {
		xmlChar *mode, *target;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		changed |= external_links(n->children);
		if (!named(n, "Relationship"))
			continue;
		mode = xmlGetProp(n, (const xmlChar *)"TargetMode");
		target = xmlGetProp(n, (const xmlChar *)"Target");
		if (mode != NULL && target != NULL && strcmp((const char *)mode,
		    "External") == 0 && strcmp((const char *)target,
		    NO_LINK) != 0) {
			xmlSetProp(n, (const xmlChar *)"Target",
			    (const xmlChar *)NO_LINK);
			changed = 1;
		}
		xmlFree(mode);
		xmlFree(target);
	}
	return changed;
}

static int
e_external(struct scrub *s, xmlNode *root, void *ctx)
{
	(void)s;
	(void)ctx;
	return external_links(root);
}

static int
e_remove(struct scrub *s, xmlNode *root, void *ctx)
{
	(void)s;
	return remove_named(root, ctx);
}

static int
e_settings(struct scrub *s, xmlNode *root, void *ctx)
{
	char **rid = ctx;
	static const char *const tmpl[] = { "attachedTemplate", NULL };

	(void)s;
	*rid = rid_of(root, "attachedTemplate");
	return remove_named(root, tmpl);
}

static int
e_rels(struct scrub *s, xmlNode *root, void *ctx)
{
	(void)s;
	return remove_where(root, "Relationship", "Id", ctx, 0) |
	    remove_where(root, "Relationship", "Target", ctx, 1);
}

static int
e_types(struct scrub *s, xmlNode *root, void *ctx)
{
	(void)s;
	return remove_where(root, "Override", "PartName", ctx, 0);
}

/* The archive's entries named like prefix (a thumbnail, of any type). */
static void
drop_like(struct scrub *s, const char *prefix, const char **dropped,
    size_t max, size_t *n)
{
	zip_int64_t ne = zip_get_num_entries(s->za, 0);

	for (zip_int64_t i = 0; i < ne && *n < max; i++) {
		const char *nm = zip_get_name(s->za, (zip_uint64_t)i, 0);

		if (nm != NULL && strncmp(nm, prefix, strlen(prefix)) == 0) {
			drop(s, nm);
			dropped[(*n)++] = nm;
		}
	}
}

static void
scrub_docx(struct scrub *s)
{
	static const char *const core[] = { "creator", "lastModifiedBy", NULL };
	static const char *const app[] = { "Company", "Manager",
	    "HyperlinkBase", NULL };
	const char *dropped[8], *rels[10], *types[10];
	char slash[8][64];
	size_t nd = 0;
	zip_int64_t ne = zip_get_num_entries(s->za, 0);
	char *rid = NULL;

	/* Authors numbered in the archive's order of parts. */
	for (zip_int64_t i = 0; i < ne && !s->failed; i++) {
		const char *nm = zip_get_name(s->za, (zip_uint64_t)i, 0);
		size_t l = nm ? strlen(nm) : 0;

		if (l > 9 && strncmp(nm, "word/", 5) == 0 &&
		    strcmp(nm + l - 4, ".xml") == 0)
			edit(s, nm, e_word_part, NULL);
	}
	edit(s, "docProps/core.xml", e_remove, (void *)core);
	edit(s, "docProps/app.xml", e_remove, (void *)app);
	edit(s, "word/settings.xml", e_settings, &rid);
	if (rid != NULL) {
		const char *ids[] = { rid, NULL };

		edit(s, "word/_rels/settings.xml.rels", e_rels, ids);
		free(rid);
	}
	for (zip_int64_t i = 0; i < ne && !s->failed; i++) {
		const char *nm = zip_get_name(s->za, (zip_uint64_t)i, 0);
		size_t l = nm ? strlen(nm) : 0;

		if (l > 16 && strncmp(nm, "word/_rels/", 11) == 0 &&
		    strcmp(nm + l - 5, ".rels") == 0)
			edit(s, nm, e_external, NULL);
	}
	if (zip_name_locate(s->za, "docProps/custom.xml", 0) >= 0) {
		drop(s, "docProps/custom.xml");
		dropped[nd++] = "docProps/custom.xml";
	}
	drop_like(s, "docProps/thumbnail.", dropped, 8, &nd);
	if (nd == 0)
		return;
	/* Their relationships (by target) and content types go too. */
	for (size_t i = 0; i < nd; i++) {
		rels[i] = dropped[i];
		snprintf(slash[i], sizeof(slash[i]), "/%s", dropped[i]);
		types[i] = slash[i];
	}
	rels[nd] = types[nd] = NULL;
	edit(s, "_rels/.rels", e_rels, rels);
	edit(s, "[Content_Types].xml", e_types, types);
}

/* ---- OpenDocument ----------------------------------------------------------- */

/* Links (text:a, draw:a) out of the document; a link inside it ("#…")
 * names no one. */
static int
odf_links(xmlNode *n)
{
	int changed = 0;

	for (; n != NULL; n = n->next) {
		xmlAttr *at;
		xmlChar *v;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		changed |= odf_links(n->children);
		if (!named(n, "a") || (at = xmlHasProp(n,
		    (const xmlChar *)"href")) == NULL)
			continue;
		v = xmlNodeGetContent((xmlNode *)at);
		if (v != NULL && v[0] != '#' && strcmp((const char *)v,
		    NO_LINK) != 0) {
			xmlSetNsProp(n, at->ns, at->name,
			    (const xmlChar *)NO_LINK);
			changed = 1;
		}
		xmlFree(v);
	}
	return changed;
}

static int
e_odf_part(struct scrub *s, xmlNode *root, void *ctx)
{
	/* A picture's description (svg:desc), as Word's alt text. */
	static const char *const desc[] = { "desc", NULL };
	int changed = odf_people(s, root);

	(void)ctx;
	changed |= odf_links(root);
	changed |= remove_named(root, desc);
	return changed;
}

static int
e_manifest(struct scrub *s, xmlNode *root, void *ctx)
{
	(void)s;
	return remove_where(root, "file-entry", "full-path", ctx, 0);
}

static int
e_odf_settings(struct scrub *s, xmlNode *root, void *ctx)
{
	static const char *const printer[] = { "PrinterName", "PrinterSetup",
	    NULL };

	(void)s;
	(void)ctx;
	return remove_where(root, "config-item", "name", printer, 0);
}

static void
scrub_odt(struct scrub *s)
{
	static const char *const meta[] = { "initial-creator", "creator",
	    "printed-by", "user-defined", "template", NULL };
	const char *dropped[9];
	size_t nd = 0;

	edit(s, "meta.xml", e_remove, (void *)meta);
	edit(s, "content.xml", e_odf_part, NULL);
	edit(s, "styles.xml", e_odf_part, NULL);
	edit(s, "settings.xml", e_odf_settings, NULL);
	drop_like(s, "Thumbnails/", dropped, 8, &nd);
	if (nd == 0)
		return;
	dropped[nd] = NULL;
	edit(s, "META-INF/manifest.xml", e_manifest, dropped);
}

int
tyst_input_scrub(struct tyst_input *d, struct tyst_err *err)
{
	struct scrub s;
	struct tyst_input n;
	char *out = NULL;
	size_t outlen = 0;
	int rc = 0;

	if (d->format != TYST_IN_DOCX && d->format != TYST_IN_ODT)
		return 0;
	if (d->macros)
		return tyst_err_set(err, d->name, 0, 0, "a Word file with macros "
		    "(.docm): tyst reads it but does not write one; save it "
		    "in Word as a .docx (without macros) and pseudonymise that");
	memset(&s, 0, sizeof(s));
	s.d = d;
	s.err = err;
	if ((s.za = tyst_zip_open(d->raw, d->rawlen, d->name, err)) == NULL)
		return -1;
	if (d->format == TYST_IN_DOCX)
		scrub_docx(&s);
	else
		scrub_odt(&s);
	if (!s.failed && s.repl.n > 0)
		rc = tyst_zip_rewrite(d->raw, d->rawlen, &s.repl, &out, &outlen,
		    d->name, err);
	zip_discard(s.za);
	tyst_input_parts_free(&s.repl);
	for (size_t i = 0; i < s.nauthors; i++)
		free(s.authors[i]);
	free(s.authors);
	if (s.failed || rc < 0)
		return -1;
	if (out == NULL)
		return 0;
	rc = tyst_input_from_mem(&n, d->name, out, outlen, d->format,
	    TYST_ENC_AUTO, err);
	free(out);
	if (rc < 0)
		return -1;
	/* The file as read stays, for what the writer will say it changed. */
	if (d->orig != NULL) {
		n.orig = d->orig;
		n.origlen = d->origlen;
		d->orig = NULL;
	} else {
		n.orig = d->raw;
		n.origlen = d->rawlen;
		d->raw = NULL;
	}
	tyst_input_free(d);
	*d = n;
	return 0;
}
