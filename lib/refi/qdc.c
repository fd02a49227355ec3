/*
 * qdc — see include/tyst/qdc.h.
 *
 * Writing is done by hand (the format is small and the output must be byte
 * for byte stable); reading uses libxml2 without network access and without
 * expanding external entities.
 */
#include "tyst/qdc.h"
#include "tyst/tagcsv.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <zip.h>

#include "tyst/sha1.h"
#include "tyst/text.h"

/* uuid5(NAMESPACE_URL, "urn:tyst:codebook") = 6bf330ec-e792-55b7-8865-69420e9e7e71 */
static const unsigned char tyst_ns[16] = {
	0x6b, 0xf3, 0x30, 0xec, 0xe7, 0x92, 0x55, 0xb7,
	0x88, 0x65, 0x69, 0x42, 0x0e, 0x9e, 0x7e, 0x71
};

/* Largest project.qde read out of a .qdpx. */
#define MAX_QDE (256u << 20)

void
tyst_qdc_code_guid(const char *id, char out[37])
{
	tyst_uuid5(tyst_ns, id, strlen(id), out);
}

void
tyst_qdc_set_guid(const char *id, char out[37])
{
	char name[TYST_CODE_ID_MAX + 8];

	snprintf(name, sizeof(name), "set:%s", id);
	tyst_uuid5(tyst_ns, name, strlen(name), out);
}

/* ---- a growing string ------------------------------------------------------- */

/*
 * An XML bomb works by entities: one declared in the DTD and referenced
 * thousands of times (or entities of entities) expands to gigabytes when
 * the text is read.  REFI-QDA files declare none, so a document whose DTD
 * declares any is refused before its text is read.
 */
static int
declares_entities(xmlDoc *doc)
{
	xmlDtd *dtd = doc->intSubset;

	return dtd != NULL && ((dtd->entities != NULL &&
	    xmlHashSize(dtd->entities) > 0) || (dtd->pentities != NULL &&
	    xmlHashSize(dtd->pentities) > 0));
}

struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static char *
sb_take(struct sbuf *b)
{
	if (b->oom) {
		free(b->p);
		return NULL;
	}
	if (b->p == NULL)
		return strdup("");
	return b->p;
}

/* "key: value", each line of the value after the first indented. */
static void
sb_field(struct sbuf *b, const char *key, const char *v)
{
	const char *nl;

	sb_str(b, key);
	sb_str(b, ": ");
	while ((nl = strchr(v, '\n')) != NULL) {
		sb_add(b, v, (size_t)(nl - v));
		sb_str(b, "\n  ");
		v = nl + 1;
	}
	sb_str(b, v);
	sb_str(b, "\n");
}

char *
tyst_qdc_code_description(const struct tyst_code *c)
{
	struct sbuf b = { 0 };

	if (c->description != NULL) {
		sb_str(&b, c->description);
		sb_str(&b, "\n---\n");
	}
	if (c->inclusion != NULL)
		sb_field(&b, "inclusion", c->inclusion);
	if (c->exclusion != NULL)
		sb_field(&b, "exclusion", c->exclusion);
	for (size_t i = 0; i < c->nexamples; i++)
		sb_field(&b, "example", c->examples[i]);
	sb_str(&b, "id: ");
	sb_str(&b, c->id);
	return sb_take(&b);
}

char *
tyst_qdc_set_description(const struct tyst_codeset *s)
{
	struct sbuf b = { 0 };

	if (s->description != NULL) {
		sb_str(&b, s->description);
		sb_str(&b, "\n---\n");
	}
	sb_str(&b, "id: ");
	sb_str(&b, s->id);
	return sb_take(&b);
}

/* ---- writing ------------------------------------------------------------------- */

/*
 * Escapes s for XML text (attr = 0) or a double-quoted attribute value.
 * Characters XML 1.0 cannot hold are left out; the loader refuses them, so
 * this only matters for codebooks built in memory.
 */
static void
xml_esc(FILE *f, const char *s, int attr)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (attr && c == '"')
			fputs("&quot;", f);
		else if (attr && c == '\n')
			fputs("&#10;", f);
		else if (attr && c == '\t')
			fputs("&#9;", f);
		else if (c == '\r')
			fputs("&#13;", f);
		else if (c < 0x20 && c != '\n' && c != '\t')
			continue;
		else
			putc(c, f);
	}
}

static void
indent(FILE *f, size_t n)
{
	while (n-- > 0)
		fputs("  ", f);
}

static int
write_code(const struct tyst_codebook *cb, size_t i, FILE *f, size_t depth,
    size_t *next)
{
	const struct tyst_code *c = &cb->codes[i];
	char guid[37], *desc;
	size_t j = i + 1;
	int leaf = !(j < cb->ncodes && cb->codes[j].parent == (long)i);

	tyst_qdc_code_guid(c->id, guid);
	if ((desc = tyst_qdc_code_description(c)) == NULL)
		return -1;
	indent(f, depth);
	fprintf(f, "<Code guid=\"%s\" name=\"", guid);
	xml_esc(f, c->label, 1);
	fprintf(f, "\" isCodable=\"%s\"", c->uncodable ? "false" : "true");
	if (c->color != NULL) {
		fputs(" color=\"#", f);
		for (int k = 1; k < 7 && c->color[k] != '\0'; k++)
			putc(toupper((unsigned char)c->color[k]), f);
		putc('"', f);
	}
	fputs(">\n", f);
	indent(f, depth + 1);
	fputs("<Description>", f);
	xml_esc(f, desc, 0);
	fputs("</Description>\n", f);
	free(desc);
	while (!leaf && j < cb->ncodes && cb->codes[j].parent == (long)i)
		if (write_code(cb, j, f, depth + 1, &j) < 0)
			return -1;
	indent(f, depth);
	fputs("</Code>\n", f);
	*next = j;
	return 0;
}

int
tyst_qdc_write(const struct tyst_codebook *cb, FILE *f, int flags,
    struct tyst_err *err)
{
	size_t base = (flags & TYST_QDC_EMBED) ? 1 : 0, i;
	char guid[37], *desc;

	if (!(flags & TYST_QDC_EMBED))
		fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" "
		    "origin=\"tyst\">\n", f);
	else {
		indent(f, base);
		fputs("<CodeBook>\n", f);
	}
	indent(f, base + 1);
	fputs("<Codes>\n", f);
	for (i = 0; i < cb->ncodes; )
		if (write_code(cb, i, f, base + 2, &i) < 0)
			return tyst_err_set(err, "", 0, 0, "out of memory");
	indent(f, base + 1);
	fputs("</Codes>\n", f);
	if (cb->nsets > 0) {
		indent(f, base + 1);
		fputs("<Sets>\n", f);
		for (i = 0; i < cb->nsets; i++) {
			const struct tyst_codeset *s = &cb->sets[i];

			tyst_qdc_set_guid(s->id, guid);
			indent(f, base + 2);
			fprintf(f, "<Set guid=\"%s\" name=\"", guid);
			xml_esc(f, s->label, 1);
			fputs("\">\n", f);
			if ((desc = tyst_qdc_set_description(s)) == NULL)
				return tyst_err_set(err, "", 0, 0,
				    "out of memory");
			indent(f, base + 3);
			fputs("<Description>", f);
			xml_esc(f, desc, 0);
			fputs("</Description>\n", f);
			free(desc);
			for (size_t k = 0; k < s->nmembers; k++) {
				tyst_qdc_code_guid(cb->codes[s->members[k]].id,
				    guid);
				indent(f, base + 3);
				fprintf(f, "<MemberCode guid=\"%s\"/>\n", guid);
			}
			indent(f, base + 2);
			fputs("</Set>\n", f);
		}
		indent(f, base + 1);
		fputs("</Sets>\n", f);
	}
	indent(f, base);
	fputs("</CodeBook>\n", f);
	if (ferror(f))
		return tyst_err_set(err, "", 0, 0, "write error");
	return 0;
}

/* ---- reading -------------------------------------------------------------------- */

struct reader {
	const char *name;
	int quiet;
	struct tyst_err *err;
	int failed;
	struct tyst_codebook *cb;
	size_t capcodes;
	char **guids;            /* per code, normalised; may be NULL */
	int *explicit_id;        /* per code: the id came from an "id:" line */
	struct tyst_err xmlerr;
	int have_xmlerr;
};

static void rwarn(struct reader *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
rwarn(struct reader *R, size_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (R->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tyst_warn(R->name, line, 0, "%s", msg);
}

static int rerr(struct reader *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
rerr(struct reader *R, size_t line, const char *fmt, ...)
{
	char msg[sizeof(R->err->msg)];
	va_list ap;

	if (R->failed)
		return -1;
	R->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tyst_err_set(R->err, R->name, line, 0, "%s", msg);
}

static void
xml_error(void *ctx, xmlErrorPtr e)
{
	struct reader *R = ctx;
	char msg[512];
	size_t n;

	if (R->have_xmlerr || e == NULL || e->level < XML_ERR_ERROR)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "bad XML");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	tyst_err_set(&R->xmlerr, R->name, e->line > 0 ? (size_t)e->line : 0,
	    e->int2 > 0 ? (size_t)e->int2 : 0, "XML: %s", msg);
	R->have_xmlerr = 1;
}

static int
is_elem(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static xmlNode *
child(xmlNode *n, const char *name)
{
	for (xmlNode *k = n->children; k != NULL; k = k->next)
		if (is_elem(k, name))
			return k;
	return NULL;
}

static char *
attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

/*
 * Drops what the loader would refuse (control characters, and for a
 * one-line value line ends and tabs, which become spaces), then trims as
 * the loader does.  Returns s, or NULL when nothing is left (s is freed).
 */
static char *
clean(char *s, int oneline)
{
	size_t i = 0, o = 0, len, a = 0;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	while (i < len) {
		uint32_t c;
		size_t n = tyst_utf8_decode(s + i, len - i, &c);

		if (n == 0)
			break;
		if (oneline && (c == '\n' || c == '\t' || c == '\r'))
			s[o++] = ' ';
		else if ((c < 0x20 && c != '\n' && c != '\t') ||
		    c == 0xfffe || c == 0xffff)
			;
		else {
			memmove(s + o, s + i, n);
			o += n;
		}
		i += n;
	}
	while (o > 0 && (s[o - 1] == ' ' || s[o - 1] == '\t' ||
	    s[o - 1] == '\n'))
		o--;
	s[o] = '\0';
	if (oneline)
		while (s[a] == ' ')
			a++;
	if (s[a] == '\0') {
		free(s);
		return NULL;
	}
	if (a > 0)
		memmove(s, s + a, o - a + 1);
	return s;
}

/* A GUID without braces, lowercase. */
static char *
norm_guid(char *g)
{
	size_t n, o = 0;

	if (g == NULL)
		return NULL;
	n = strlen(g);
	for (size_t i = 0; i < n; i++) {
		if (g[i] == '{' || g[i] == '}' || isspace((unsigned char)g[i]))
			continue;
		g[o++] = (char)tolower((unsigned char)g[i]);
	}
	g[o] = '\0';
	return g;
}

/* "#rgb" or "#rrggbb", as "#rrggbb"; NULL when it is neither. */
static char *
norm_color(const char *v)
{
	char *s;
	size_t n = strlen(v);

	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	if ((n != 4 && n != 7) || v[0] != '#')
		return NULL;
	for (size_t i = 1; i < n; i++)
		if (!isxdigit((unsigned char)v[i]))
			return NULL;
	if ((s = malloc(8)) == NULL)
		return NULL;
	s[0] = '#';
	for (size_t i = 1; i < 7; i++)
		s[i] = (char)tolower((unsigned char)(n == 7 ? v[i] :
		    v[(i + 1) / 2]));
	s[7] = '\0';
	return s;
}

/* The parts of a Description in tyst's form. */
struct desc {
	char *description, *inclusion, *exclusion, *id;
	char *memo;            /* dropped: see parse_fields */
	char **examples;
	size_t nexamples;
};

static void
desc_free(struct desc *d)
{
	free(d->description);
	free(d->inclusion);
	free(d->exclusion);
	free(d->id);
	free(d->memo);
	for (size_t i = 0; i < d->nexamples; i++)
		free(d->examples[i]);
	free(d->examples);
	memset(d, 0, sizeof(*d));
}

/*
 * Reads the "key: value" lines after the description (see qdc.h).  Returns
 * 0 when text is entirely such lines ending in a valid "id:", else -1.
 */
static int
parse_fields(const char *text, struct desc *d)
{
	struct sbuf v = { 0 };
	char **slot = NULL;
	int isexample = 0, done = 0;
	const char *p = text;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (done)
			goto bad;
		if (n >= 2 && p[0] == ' ' && p[1] == ' ' && (slot || isexample)) {
			sb_str(&v, "\n");
			sb_add(&v, p + 2, n - 2);
		} else {
			/* Close the field before. */
			if (v.p != NULL || slot != NULL || isexample) {
				char *s = sb_take(&v);

				memset(&v, 0, sizeof(v));
				if (s == NULL)
					goto bad;
				if (isexample) {
					char **e = realloc(d->examples,
					    (d->nexamples + 1) * sizeof(*e));

					if (e == NULL) {
						free(s);
						goto bad;
					}
					d->examples = e;
					d->examples[d->nexamples++] = s;
				} else {
					free(*slot);
					*slot = s;
				}
				slot = NULL;
				isexample = 0;
			}
			if (n >= 11 && memcmp(p, "inclusion: ", 11) == 0) {
				slot = &d->inclusion;
				sb_add(&v, p + 11, n - 11);
			} else if (n >= 11 && memcmp(p, "exclusion: ", 11) == 0) {
				slot = &d->exclusion;
				sb_add(&v, p + 11, n - 11);
			} else if (n >= 9 && memcmp(p, "example: ", 9) == 0) {
				isexample = 1;
				sb_add(&v, p + 9, n - 9);
			} else if (n >= 6 && memcmp(p, "memo: ", 6) == 0) {
				/* A code memo of a .qdpx, read from its
				 * note there. */
				slot = &d->memo;
				sb_add(&v, p + 6, n - 6);
			} else if (n > 4 && memcmp(p, "id: ", 4) == 0 &&
			    tyst_code_id_valid(p + 4, n - 4) && nl == NULL) {
				if ((d->id = strndup(p + 4, n - 4)) == NULL)
					goto bad;
				done = 1;
			} else
				goto bad;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (!done)
		goto bad;
	return 0;
bad:
	free(v.p);
	desc_free(d);
	return -1;
}

/*
 * Splits a Description written by tyst into its parts; any other text is
 * all description.  Takes over text.
 */
static int
parse_desc(char *text, struct desc *d)
{
	char *sep = NULL, *p;

	memset(d, 0, sizeof(*d));
	if (text == NULL)
		return 0;
	/* The last line that is exactly "---" ends the description. */
	if (strncmp(text, "---\n", 4) == 0)
		sep = text;
	for (p = text; (p = strstr(p, "\n---\n")) != NULL; p++)
		sep = p;
	if (sep != NULL) {
		const char *fields = sep == text ? text + 4 : sep + 5;

		if (parse_fields(fields, d) == 0) {
			*sep = '\0';
			d->description = clean(text, 0);
			return 0;
		}
	} else if (parse_fields(text, d) == 0) {
		free(text);
		return 0;
	}
	d->description = clean(text, 0);
	return 0;
}

static long
add_code(struct reader *R)
{
	struct tyst_codebook *cb = R->cb;

	if (cb->ncodes == R->capcodes) {
		size_t cap = R->capcodes ? 2 * R->capcodes : 16;
		struct tyst_code *c = realloc(cb->codes, cap * sizeof(*c));
		char **g;
		int *e;

		if (c == NULL)
			return rerr(R, 0, "out of memory");
		cb->codes = c;
		if ((g = realloc(R->guids, cap * sizeof(*g))) == NULL)
			return rerr(R, 0, "out of memory");
		R->guids = g;
		if ((e = realloc(R->explicit_id, cap * sizeof(*e))) == NULL)
			return rerr(R, 0, "out of memory");
		R->explicit_id = e;
		R->capcodes = cap;
	}
	memset(&cb->codes[cb->ncodes], 0, sizeof(cb->codes[0]));
	R->guids[cb->ncodes] = NULL;
	R->explicit_id[cb->ncodes] = 0;
	return (long)cb->ncodes++;
}

static int
read_code(struct reader *R, xmlNode *n, long parent, size_t depth)
{
	struct tyst_code *c;
	struct desc d;
	char *v;
	long at = add_code(R);
	xmlNode *dn;

	if (at < 0)
		return -1;
	c = &R->cb->codes[at];
	c->parent = parent;
	c->depth = depth;
	c->line = (size_t)xmlGetLineNo(n);
	c->col = 0;
	R->guids[at] = norm_guid(attr(n, "guid"));
	c->label = clean(attr(n, "name"), 1);
	if (c->label == NULL) {
		rwarn(R, c->line, "a code without a name; called \"unnamed\"");
		if ((c->label = strdup("unnamed")) == NULL)
			return rerr(R, 0, "out of memory");
	}
	if ((v = attr(n, "color")) != NULL) {
		if ((c->color = norm_color(v)) == NULL)
			rwarn(R, c->line, "code \"%s\": colour \"%.20s\" is not "
			    "#rrggbb; left out", c->label, v);
		free(v);
	}
	if ((v = attr(n, "isCodable")) != NULL) {
		c->uncodable = strcmp(v, "false") == 0 || strcmp(v, "0") == 0;
		free(v);
	}
	dn = child(n, "Description");
	if (dn != NULL) {
		xmlChar *t = xmlNodeGetContent(dn);

		v = t ? strdup((const char *)t) : NULL;
		xmlFree(t);
		parse_desc(v, &d);
		c->description = d.description;
		c->inclusion = clean(d.inclusion, 0);
		c->exclusion = clean(d.exclusion, 0);
		c->examples = d.examples;
		for (size_t i = 0; i < d.nexamples; i++) {
			char *e = clean(d.examples[i], 0);

			if (e != NULL)
				c->examples[c->nexamples++] = e;
		}
		c->id = d.id;
		free(d.memo);
		R->explicit_id[at] = d.id != NULL;
	}
	for (xmlNode *k = n->children; k != NULL; k = k->next)
		if (is_elem(k, "Code") &&
		    read_code(R, k, at, depth + 1) < 0)
			return -1;
	return 0;
}

static int
id_taken(const struct tyst_codebook *cb, size_t upto, const char *id)
{
	for (size_t i = 0; i < upto; i++)
		if (cb->codes[i].id != NULL && strcmp(cb->codes[i].id, id) == 0)
			return 1;
	return 0;
}

/* Makes base unique among the ids taken so far: base, base-2, base-3 … */
static char *
unique_id(int (*taken)(const struct tyst_codebook *, size_t, const char *),
    const struct tyst_codebook *cb, size_t upto, const char *base)
{
	char id[TYST_CODE_ID_MAX + 32];

	/* base is at most 48 bytes, so the suffix always fits in an id. */
	snprintf(id, sizeof(id), "%.48s", base);
	for (unsigned long k = 2; taken(cb, upto, id); k++)
		snprintf(id, sizeof(id), "%.48s-%lu", base, k);
	return strdup(id);
}

/* Gives every code an id: its own "id:" line when unique, else one made
 * from its name. */
static int
assign_ids(struct reader *R)
{
	struct tyst_codebook *cb = R->cb;
	char base[TYST_CODE_ID_MAX + 1];

	/* Explicit ids first, so a name-made id never takes one of them. */
	for (size_t i = 0; i < cb->ncodes; i++) {
		struct tyst_code *c = &cb->codes[i];

		if (c->id == NULL)
			continue;
		for (size_t j = 0; j < i; j++)
			if (cb->codes[j].id != NULL &&
			    strcmp(cb->codes[j].id, c->id) == 0) {
				rwarn(R, c->line, "id \"%s\" is used twice; "
				    "the second gets a new one", c->id);
				free(c->id);
				c->id = NULL;
				break;
			}
	}
	for (size_t i = 0; i < cb->ncodes; i++) {
		struct tyst_code *c = &cb->codes[i];

		if (c->id != NULL)
			continue;
		tyst_code_id_from_label(c->label, base);
		if ((c->id = unique_id(id_taken, cb, cb->ncodes, base)) == NULL)
			return rerr(R, 0, "out of memory");
	}
	return 0;
}

static int
set_taken(const struct tyst_codebook *cb, size_t upto, const char *id)
{
	for (size_t i = 0; i < upto; i++)
		if (cb->sets[i].id != NULL && strcmp(cb->sets[i].id, id) == 0)
			return 1;
	return 0;
}

static int
read_set(struct reader *R, xmlNode *n)
{
	struct tyst_codebook *cb = R->cb;
	struct tyst_codeset *s = &cb->sets[cb->nsets];
	size_t nmem = 0, line = (size_t)xmlGetLineNo(n);
	char base[TYST_CODE_ID_MAX + 1];
	xmlNode *dn;
	struct desc d;

	memset(s, 0, sizeof(*s));
	s->line = line;
	s->label = clean(attr(n, "name"), 1);
	if (s->label == NULL && (s->label = strdup("unnamed")) == NULL)
		return rerr(R, 0, "out of memory");
	cb->nsets++;
	if ((dn = child(n, "Description")) != NULL) {
		xmlChar *t = xmlNodeGetContent(dn);
		char *v = t ? strdup((const char *)t) : NULL;

		xmlFree(t);
		parse_desc(v, &d);
		s->description = d.description;
		d.description = NULL;
		if (d.id != NULL && !set_taken(cb, cb->nsets - 1, d.id)) {
			s->id = d.id;
			d.id = NULL;
		}
		desc_free(&d);
	}
	if (s->id == NULL) {
		tyst_code_id_from_label(s->label, base);
		if ((s->id = unique_id(set_taken, cb, cb->nsets - 1, base))
		    == NULL)
			return rerr(R, 0, "out of memory");
	}
	for (xmlNode *k = n->children; k != NULL; k = k->next)
		nmem += is_elem(k, "MemberCode");
	if ((s->members = calloc(nmem ? nmem : 1, sizeof(size_t))) == NULL)
		return rerr(R, 0, "out of memory");
	for (xmlNode *k = n->children; k != NULL; k = k->next) {
		char *g;
		size_t i, j;

		if (!is_elem(k, "MemberCode"))
			continue;
		/* Codebook.xsd says guid, Project.xsd targetGUID. */
		if ((g = attr(k, "guid")) == NULL)
			g = attr(k, "targetGUID");
		g = norm_guid(g);
		for (i = 0; g != NULL && i < cb->ncodes; i++)
			if (R->guids[i] != NULL && strcmp(R->guids[i], g) == 0)
				break;
		if (g == NULL || i == cb->ncodes) {
			rwarn(R, (size_t)xmlGetLineNo(k), "set \"%s\" names a "
			    "code that is not in the codebook (guid %s); left "
			    "out", s->label, g ? g : "missing");
			free(g);
			continue;
		}
		free(g);
		for (j = 0; j < s->nmembers && s->members[j] != i; j++)
			;
		if (j == s->nmembers)
			s->members[s->nmembers++] = i;
	}
	return 0;
}

/* A set of codes: one with a code in it, or with nothing in it. */
static int
is_code_set(xmlNode *n)
{
	if (!is_elem(n, "Set"))
		return 0;
	return child(n, "MemberCode") != NULL ||
	    (child(n, "MemberSource") == NULL && child(n, "MemberNote") == NULL);
}

static xmlNode *
find_codebook(xmlNode *root)
{
	if (is_elem(root, "CodeBook"))
		return root;
	if (is_elem(root, "Project"))
		return child(root, "CodeBook");
	return NULL;
}

static int
read_doc(struct reader *R, xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc), *book, *codes, *sets;
	size_t nsets = 0;

	if (root == NULL)
		return rerr(R, 0, "not a REFI-QDA codebook: no root element");
	if ((book = find_codebook(root)) == NULL)
		return rerr(R, (size_t)xmlGetLineNo(root), "not a REFI-QDA "
		    "codebook: <%s> holds no <CodeBook>",
		    (const char *)root->name);
	if ((codes = child(book, "Codes")) == NULL)
		return rerr(R, (size_t)xmlGetLineNo(book), "<CodeBook> has "
		    "no <Codes>");
	for (xmlNode *k = codes->children; k != NULL; k = k->next)
		if (is_elem(k, "Code") && read_code(R, k, -1, 0) < 0)
			return -1;
	if (R->cb->ncodes == 0)
		return rerr(R, (size_t)xmlGetLineNo(codes), "the codebook has "
		    "no codes");
	if (assign_ids(R) < 0)
		return -1;
	/* A codebook holds its sets; a project holds them beside its
	 * codebook (some programs put them inside), with sets of sources
	 * and notes, which are not ours. */
	if ((sets = child(book, "Sets")) == NULL &&
	    (book == root || (sets = child(root, "Sets")) == NULL))
		return 0;
	for (xmlNode *k = sets->children; k != NULL; k = k->next)
		nsets += is_code_set(k);
	if (nsets == 0)
		return 0;
	if ((R->cb->sets = calloc(nsets, sizeof(*R->cb->sets))) == NULL)
		return rerr(R, 0, "out of memory");
	for (xmlNode *k = sets->children; k != NULL; k = k->next)
		if (is_code_set(k) && read_set(R, k) < 0)
			return -1;
	return 0;
}

/* The project.qde of a .qdpx archive in memory. */
static char *
unzip_qde(struct reader *R, const char *buf, size_t len, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_file_t *zf;
	zip_stat_t st;
	char *data = NULL;
	zip_int64_t n;

	zip_error_init(&ze);
	src = zip_source_buffer_create(buf, len, 0, &ze);
	if (src == NULL || (za = zip_open_from_source(src, ZIP_RDONLY, &ze))
	    == NULL) {
		rerr(R, 0, "not a readable .qdpx archive: %s",
		    zip_error_strerror(&ze));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&ze);
		return NULL;
	}
	zip_error_fini(&ze);
	if (zip_stat(za, "project.qde", 0, &st) < 0 ||
	    (zf = zip_fopen(za, "project.qde", 0)) == NULL) {
		rerr(R, 0, "the archive holds no project.qde");
		zip_discard(za);
		return NULL;
	}
	if (!(st.valid & ZIP_STAT_SIZE) || st.size > MAX_QDE) {
		rerr(R, 0, "project.qde: over the limit of %u MB unpacked",
		    MAX_QDE >> 20);
		goto out;
	}
	/* As lib/refi/qdpx.c: a zip bomb is refused before it is unpacked. */
	if (st.size > (1u << 20) && (st.valid & ZIP_STAT_COMP_SIZE) &&
	    st.size / (st.comp_size > 0 ? st.comp_size : 1) > 200) {
		rerr(R, 0, "project.qde: packed more than 200 to 1, over the "
		    "limit (a zip bomb?)");
		goto out;
	}
	if ((data = malloc((size_t)st.size + 1)) == NULL) {
		rerr(R, 0, "project.qde: out of memory");
		goto out;
	}
	n = zip_fread(zf, data, st.size);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		rerr(R, 0, "project.qde: %s", zip_file_strerror(zf));
		free(data);
		data = NULL;
		goto out;
	}
	data[n] = '\0';
	*outlen = (size_t)n;
out:
	zip_fclose(zf);
	zip_discard(za);
	return data;
}

static int
from_taguette(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	char *origin = root != NULL ? attr(root, "origin") : NULL;
	int yes = origin != NULL && strncmp(origin, "Taguette", 8) == 0;

	free(origin);
	return yes;
}

/* Taguette's tags are flat, a dot in a name standing for a level: the
 * codebook is rebuilt with that hierarchy (lib/refi/tagcsv.c). */
static void
nest_dotted(struct reader *R)
{
	struct tyst_codebook *cb = R->cb, nested;
	struct tyst_tag *tags = calloc(cb->ncodes + 1, sizeof(*tags));
	int dotted = 0;

	if (tags == NULL) {
		rerr(R, 0, "out of memory");
		return;
	}
	for (size_t i = 0; i < cb->ncodes; i++) {
		tags[i].name = cb->codes[i].label;
		tags[i].description = cb->codes[i].description;
		dotted |= cb->codes[i].parent < 0 &&
		    strchr(cb->codes[i].label, '.') != NULL;
	}
	if (dotted) {
		if (tyst_codebook_from_tags(&nested, cb->path, tags,
		    cb->ncodes, R->err) < 0)
			R->failed = 1;
		else {
			tyst_codebook_free(cb);
			*cb = nested;
		}
	}
	free(tags);
}

int
tyst_qdc_read_mem(struct tyst_codebook *cb, const char *name, const char *buf,
    size_t len, int quiet, struct tyst_err *err)
{
	struct reader R;
	struct tyst_err scratch = { 0 };
	char *qde = NULL;
	xmlDoc *doc;
	int taguette;

	memset(cb, 0, sizeof(*cb));
	memset(&R, 0, sizeof(R));
	R.name = name != NULL ? name : "<memory>";
	R.quiet = quiet;
	R.err = err != NULL ? err : &scratch;
	R.cb = cb;
	if (len >= 4 && memcmp(buf, "PK\003\004", 4) == 0) {
		if ((qde = unzip_qde(&R, buf, len, &len)) == NULL)
			return -1;
		buf = qde;
	}
	if (len > INT32_MAX) {
		free(qde);
		return rerr(&R, 0, "too large");
	}
	xmlSetStructuredErrorFunc(&R, xml_error);
	doc = xmlReadMemory(buf, (int)len, R.name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA);
	xmlSetStructuredErrorFunc(NULL, NULL);
	free(qde);
	if (doc == NULL || R.have_xmlerr) {
		if (doc != NULL)
			xmlFreeDoc(doc);
		if (R.have_xmlerr)
			*R.err = R.xmlerr;
		else
			tyst_err_set(R.err, R.name, 0, 0, "XML: cannot parse");
		return -1;
	}
	if (declares_entities(doc)) {
		xmlFreeDoc(doc);
		return tyst_err_set(R.err, R.name, 0, 0, "the XML declares "
		    "entities (<!ENTITY> in its DTD), which a REFI-QDA file "
		    "never needs and an XML bomb does: refused (limit: no "
		    "entity declarations)");
	}
	if ((cb->path = strdup(R.name)) == NULL)
		rerr(&R, 0, "out of memory");
	else
		read_doc(&R, doc);
	taguette = from_taguette(doc);
	xmlFreeDoc(doc);
	for (size_t i = 0; i < cb->ncodes; i++)
		free(R.guids[i]);
	free(R.guids);
	free(R.explicit_id);
	if (!R.failed && taguette)
		nest_dotted(&R);
	if (R.failed) {
		tyst_codebook_free(cb);
		return -1;
	}
	return 0;
}

/* Reads all of f (binary: a .qdpx is a zip archive). */
static char *
slurp(FILE *f, const char *name, size_t *len, struct tyst_err *err)
{
	char *data = NULL, *d;
	size_t cap = 0, n;

	*len = 0;
	for (;;) {
		if (cap - *len < 65536) {
			if (cap > MAX_QDE) {
				free(data);
				tyst_err_set(err, name, 0, 0, "too large");
				return NULL;
			}
			cap = cap ? 2 * cap : 262144;
			if ((d = realloc(data, cap)) == NULL) {
				free(data);
				tyst_err_set(err, name, 0, 0, "out of memory");
				return NULL;
			}
			data = d;
		}
		n = fread(data + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		tyst_err_set(err, name, 0, 0, "%s", errno == EISDIR ?
		    "is a directory" : strerror(errno));
		free(data);
		return NULL;
	}
	return data;
}

int
tyst_qdc_read(struct tyst_codebook *cb, const char *path, int quiet,
    struct tyst_err *err)
{
	int std = path == NULL || strcmp(path, "-") == 0;
	const char *name = std ? "<stdin>" : path;
	FILE *f = std ? stdin : fopen(path, "rb");
	char *data;
	size_t len;
	int rc;

	memset(cb, 0, sizeof(*cb));
	if (f == NULL)
		return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
	data = slurp(f, name, &len, err);
	if (!std)
		fclose(f);
	if (data == NULL)
		return -1;
	rc = tyst_qdc_read_mem(cb, name, data, len, quiet, err);
	free(data);
	return rc;
}
