/*
 * qdpx — see include/tyst/qdpx.h.
 *
 * Writing is plain fprintf into a memory stream (the XML is simple and its
 * order fixed by the schema); reading uses libxml2 without network access
 * and without entity substitution, so a hostile file cannot make the parser
 * fetch or expand anything.
 */
#include "tyst/clock.h"
#include "tyst/qdpx.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <zip.h>

#include "tyst/codebook.h"
#include "tyst/project.h"
#include "tyst/qdc.h"
#include "tyst/sha256.h"
#include "tyst/text.h"

#define QDA_NS "urn:QDA-XML:project:1.0"
/* REFI-QDA's own limit for an internal file (2^31 - 1 bytes). */
#define MAX_ENTRY 2147483647ULL

/* ---- the model ------------------------------------------------------------ */

void
tyst_qdpx_guid(const char *key, char out[TYST_GUID_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char h[32];
	struct tyst_sha256 s;
	size_t o = 0;

	tyst_sha256_init(&s);
	tyst_sha256_update(&s, key, strlen(key));
	tyst_sha256_final(&s, h);
	/* RFC 9562 version 8 (custom) with the RFC variant bits. */
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x80);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 15];
	}
	out[o] = '\0';
}

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

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static int
grow(void **v, size_t n, size_t size)
{
	/* Doubling at powers of two: n is the count before adding. */
	if (n != 0 && (n & (n - 1)) != 0)
		return 0;
	size_t cap = n ? n * 2 : 8;
	void *nv = realloc(*v, cap * size);

	if (nv == NULL)
		return -1;
	*v = nv;
	return 0;
}

static void
set_guid(char dst[TYST_GUID_LEN + 1], const char *guid)
{
	snprintf(dst, TYST_GUID_LEN + 1, "%s", guid != NULL ? guid : "");
}

long
tyst_qdpx_add_user(struct tyst_qdpx *q, const char *guid, const char *name)
{
	struct tyst_qdpx_user *u;

	if (grow((void **)&q->users, q->nusers, sizeof(*u)) < 0)
		return -1;
	u = &q->users[q->nusers];
	memset(u, 0, sizeof(*u));
	set_guid(u->guid, guid);
	if ((u->name = strdup(name)) == NULL)
		return -1;
	return (long)q->nusers++;
}

long
tyst_qdpx_add_code(struct tyst_qdpx *q, const char *guid, const char *name,
    const char *description, const char *color, long parent)
{
	struct tyst_qdpx_code *c;

	if (grow((void **)&q->codes, q->ncodes, sizeof(*c)) < 0)
		return -1;
	c = &q->codes[q->ncodes];
	memset(c, 0, sizeof(*c));
	set_guid(c->guid, guid);
	c->parent = parent;
	c->name = strdup(name);
	c->description = dup_or_null(description);
	c->color = dup_or_null(color);
	q->ncodes++;
	if (c->name == NULL || (description && !c->description) ||
	    (color && !c->color))
		return -1;
	return (long)q->ncodes - 1;
}

long
tyst_qdpx_add_source(struct tyst_qdpx *q, const char *guid, const char *name,
    const char *text, size_t len)
{
	struct tyst_qdpx_source *s;

	if (grow((void **)&q->sources, q->nsources, sizeof(*s)) < 0)
		return -1;
	s = &q->sources[q->nsources];
	memset(s, 0, sizeof(*s));
	set_guid(s->guid, guid);
	s->name = strdup(name);
	s->text = malloc(len + 1);
	q->nsources++;
	if (s->name == NULL || s->text == NULL)
		return -1;
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->len = len;
	return (long)q->nsources - 1;
}

long
tyst_qdpx_add_sel(struct tyst_qdpx *q, size_t source, const char *guid,
    size_t start, size_t end, long code, long user, const char *memo,
    const char *created)
{
	struct tyst_qdpx_source *s = &q->sources[source];
	struct tyst_qdpx_sel *x;

	if (grow((void **)&s->sels, s->nsels, sizeof(*x)) < 0)
		return -1;
	x = &s->sels[s->nsels++];
	memset(x, 0, sizeof(*x));
	set_guid(x->guid, guid);
	x->start = start;
	x->end = end;
	x->code = code;
	x->user = user;
	x->memo = dup_or_null(memo);
	x->created = dup_or_null(created);
	if ((memo && !x->memo) || (created && !x->created))
		return -1;
	return (long)s->nsels - 1;
}

long
tyst_qdpx_add_note(struct tyst_qdpx *q, const char *guid, const char *text,
    long source, long code, long user, const char *created)
{
	struct tyst_qdpx_note *n;

	if (grow((void **)&q->notes, q->nnotes, sizeof(*n)) < 0)
		return -1;
	n = &q->notes[q->nnotes++];
	memset(n, 0, sizeof(*n));
	set_guid(n->guid, guid);
	n->source = source;
	n->code = code;
	n->user = user;
	n->text = strdup(text);
	n->created = dup_or_null(created);
	if (n->text == NULL || (created && !n->created))
		return -1;
	return (long)q->nnotes - 1;
}

long
tyst_qdpx_add_var(struct tyst_qdpx *q, const char *guid, const char *name,
    const char *type)
{
	struct tyst_qdpx_var *v;

	if (grow((void **)&q->vars, q->nvars, sizeof(*v)) < 0)
		return -1;
	v = &q->vars[q->nvars++];
	memset(v, 0, sizeof(*v));
	set_guid(v->guid, guid);
	v->name = strdup(name);
	v->type = strdup(type);
	if (v->name == NULL || v->type == NULL)
		return -1;
	return (long)q->nvars - 1;
}

long
tyst_qdpx_add_case(struct tyst_qdpx *q, const char *guid, const char *name)
{
	struct tyst_qdpx_case *c;

	if (grow((void **)&q->cases, q->ncases, sizeof(*c)) < 0)
		return -1;
	c = &q->cases[q->ncases++];
	memset(c, 0, sizeof(*c));
	set_guid(c->guid, guid);
	if ((c->name = strdup(name)) == NULL)
		return -1;
	return (long)q->ncases - 1;
}

int
tyst_qdpx_case_value(struct tyst_qdpx *q, size_t ci, long var,
    const char *value)
{
	struct tyst_qdpx_case *c = &q->cases[ci];

	if (grow((void **)&c->vars, c->nvalues, sizeof(*c->vars)) < 0 ||
	    grow((void **)&c->values, c->nvalues, sizeof(*c->values)) < 0)
		return -1;
	if ((c->values[c->nvalues] = strdup(value)) == NULL)
		return -1;
	c->vars[c->nvalues++] = var;
	return 0;
}

int
tyst_qdpx_case_source(struct tyst_qdpx *q, size_t ci, long source)
{
	struct tyst_qdpx_case *c = &q->cases[ci];

	if (grow((void **)&c->sources, c->nsources, sizeof(*c->sources)) < 0)
		return -1;
	c->sources[c->nsources++] = source;
	return 0;
}

int
tyst_qdpx_source_value(struct tyst_qdpx *q, size_t si, long var,
    const char *value)
{
	struct tyst_qdpx_source *s = &q->sources[si];

	if (grow((void **)&s->vars, s->nvalues, sizeof(*s->vars)) < 0 ||
	    grow((void **)&s->values, s->nvalues, sizeof(*s->values)) < 0)
		return -1;
	if ((s->values[s->nvalues] = strdup(value)) == NULL)
		return -1;
	s->vars[s->nvalues++] = var;
	return 0;
}

long
tyst_qdpx_add_set(struct tyst_qdpx *q, const char *guid, const char *name,
    const char *description)
{
	struct tyst_qdpx_set *t;

	if (grow((void **)&q->sets, q->nsets, sizeof(*t)) < 0)
		return -1;
	t = &q->sets[q->nsets++];
	memset(t, 0, sizeof(*t));
	set_guid(t->guid, guid);
	t->name = strdup(name);
	t->description = dup_or_null(description);
	if (t->name == NULL || (description && !t->description))
		return -1;
	return (long)q->nsets - 1;
}

int
tyst_qdpx_set_code(struct tyst_qdpx *q, size_t si, long code)
{
	struct tyst_qdpx_set *t = &q->sets[si];

	if (grow((void **)&t->codes, t->ncodes, sizeof(*t->codes)) < 0)
		return -1;
	t->codes[t->ncodes++] = code;
	return 0;
}

long
tyst_qdpx_add_annotation(struct tyst_qdpx *q, const char *guid,
    size_t source, size_t start, size_t end, const char *text, long user,
    const char *created)
{
	struct tyst_qdpx_annotation *a;

	if (grow((void **)&q->annotations, q->nannotations, sizeof(*a)) < 0)
		return -1;
	a = &q->annotations[q->nannotations++];
	memset(a, 0, sizeof(*a));
	set_guid(a->guid, guid);
	a->source = source;
	a->start = start;
	a->end = end;
	a->user = user;
	a->text = strdup(text);
	a->created = dup_or_null(created);
	if (a->text == NULL || (created && !a->created))
		return -1;
	return (long)q->nannotations - 1;
}

long
tyst_qdpx_add_journal(struct tyst_qdpx *q, const char *guid, const char *name,
    const char *text, long user, const char *created)
{
	struct tyst_qdpx_journal *j;

	if (grow((void **)&q->journals, q->njournals, sizeof(*j)) < 0)
		return -1;
	j = &q->journals[q->njournals++];
	memset(j, 0, sizeof(*j));
	set_guid(j->guid, guid);
	j->user = user;
	j->name = strdup(name);
	j->text = strdup(text);
	j->created = dup_or_null(created);
	if (j->name == NULL || j->text == NULL || (created && !j->created))
		return -1;
	return (long)q->njournals - 1;
}

/* What schema 3 of the project added to the model. */
static void
free_extras(struct tyst_qdpx *q)
{
	for (size_t i = 0; i < q->nsets; i++) {
		free(q->sets[i].name);
		free(q->sets[i].description);
		free(q->sets[i].codes);
	}
	for (size_t i = 0; i < q->nannotations; i++) {
		free(q->annotations[i].text);
		free(q->annotations[i].created);
	}
	for (size_t i = 0; i < q->njournals; i++) {
		free(q->journals[i].name);
		free(q->journals[i].text);
		free(q->journals[i].created);
	}
	for (size_t i = 0; i < q->nsources; i++) {
		for (size_t j = 0; j < q->sources[i].nvalues; j++)
			free(q->sources[i].values[j]);
		free(q->sources[i].values);
		free(q->sources[i].vars);
	}
	free(q->sets);
	free(q->annotations);
	free(q->journals);
	free(q->description);
	free(q->creating_user);
	free(q->created);
}

static void
free_cases(struct tyst_qdpx *q)
{
	for (size_t i = 0; i < q->nvars; i++) {
		free(q->vars[i].name);
		free(q->vars[i].type);
	}
	for (size_t i = 0; i < q->ncases; i++) {
		struct tyst_qdpx_case *c = &q->cases[i];

		for (size_t j = 0; j < c->nvalues; j++)
			free(c->values[j]);
		free(c->values);
		free(c->vars);
		free(c->sources);
		free(c->name);
		free(c->description);
	}
	free(q->vars);
	free(q->cases);
}

void
tyst_qdpx_free(struct tyst_qdpx *q)
{
	free_extras(q);
	free_cases(q);
	for (size_t i = 0; i < q->nusers; i++)
		free(q->users[i].name);
	for (size_t i = 0; i < q->ncodes; i++) {
		free(q->codes[i].name);
		free(q->codes[i].description);
		free(q->codes[i].color);
	}
	for (size_t i = 0; i < q->nsources; i++) {
		struct tyst_qdpx_source *s = &q->sources[i];

		for (size_t j = 0; j < s->nsels; j++) {
			free(s->sels[j].memo);
			free(s->sels[j].created);
		}
		free(s->sels);
		free(s->name);
		free(s->text);
	}
	for (size_t i = 0; i < q->nnotes; i++) {
		free(q->notes[i].text);
		free(q->notes[i].created);
	}
	free(q->users);
	free(q->codes);
	free(q->sources);
	free(q->notes);
	free(q->name);
	memset(q, 0, sizeof(*q));
}

/* ---- character positions ------------------------------------------------- */

/*
 * The byte offset of every code point of a text, and one past the end:
 * the one table converts both ways (index -> offset directly, offset ->
 * index by binary search).
 */
static size_t *
cp_offsets(const char *text, size_t len, size_t *ncp)
{
	size_t n = tyst_utf8_count(text, len), i = 0, off = 0;
	size_t *v = malloc((n + 1) * sizeof(*v));

	if (v == NULL)
		return NULL;
	while (off < len) {
		uint32_t cp;

		v[i++] = off;
		off += tyst_utf8_decode(text + off, len - off, &cp);
	}
	v[i] = len;
	*ncp = n;
	return v;
}

/* The code point index of a byte offset, or -1 when it is not on one. */
static long long
cp_index(const size_t *v, size_t ncp, size_t off)
{
	size_t lo = 0, hi = ncp + 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > ncp || v[lo] != off)
		return -1;
	return (long long)lo;
}

/* ---- writing ------------------------------------------------------------- */

/*
 * XML 1.0 cannot hold most C0 controls even as character references; a
 * name or memo that has one gets U+FFFD there.  Source texts are separate
 * files and keep every byte.
 */
static void
xml_escape(FILE *f, const char *s, int attr)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs(attr ? "&quot;" : "\"", f); break;
		case '\t': fputs(attr ? "&#9;" : "\t", f); break;
		case '\n': fputs(attr ? "&#10;" : "\n", f); break;
		case '\r': fputs("&#13;", f); break;
		default:
			if (c < 0x20)
				fputs("\xef\xbf\xbd", f);
			else
				fputc(c, f);
		}
	}
}

static void
attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	xml_escape(f, value, 1);
	fputc('"', f);
}

/* Only a well-formed "YYYY-MM-DDTHH:MM:SS[Z]" goes out as xsd:dateTime. */
static int
is_datetime(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";

	if (s == NULL)
		return 0;
	for (size_t i = 0; form[i] != '\0'; i++) {
		if (form[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != form[i])
			return 0;
	}
	return strcmp(s + 19, "Z") == 0 || s[19] == '\0';
}

static int
is_color(const char *s)
{
	size_t n;

	if (s == NULL || s[0] != '#')
		return 0;
	n = strspn(s + 1, "0123456789abcdefABCDEF");
	return (n == 6 || n == 3) && s[1 + n] == '\0';
}

/* Bytes of a selection's text kept in its name. */
#define SEL_NAME_MAX 120

static void
write_notes_of(FILE *f, const struct tyst_qdpx *q, long source, long code,
    const char *indent)
{
	for (size_t i = 0; i < q->nnotes; i++)
		if ((source >= 0 && q->notes[i].source == source) ||
		    (code >= 0 && q->notes[i].code == code))
			fprintf(f, "%s<NoteRef targetGUID=\"%s\"/>\n", indent,
			    q->notes[i].guid);
}

/*
 * A code's <Description>, with its memos as "memo:" lines before the
 * closing "id:" line of tyst's description fields (lib/refi/qdc.c), so that a
 * program that shows the description shows the memos; tyst reads them
 * from the notes and skips these lines.
 */
static void
write_code_description(FILE *f, const struct tyst_qdpx *q, size_t i)
{
	const char *d = q->codes[i].description, *id = NULL, *p;
	char *part;

	for (p = d; (p = strstr(p, "id: ")) != NULL; p++)
		if (p == d || p[-1] == '\n')
			id = p;
	if (id == NULL || strchr(id, '\n') != NULL ||
	    (part = strndup(d, (size_t)(id - d))) == NULL) {
		xml_escape(f, d, 0);
		return;
	}
	xml_escape(f, part, 0);
	free(part);
	for (size_t k = 0; k < q->nnotes; k++) {
		const char *t = q->notes[k].text, *nl;

		if (q->notes[k].code != (long)i)
			continue;
		fputs("memo: ", f);
		while ((nl = strchr(t, '\n')) != NULL &&
		    (part = strndup(t, (size_t)(nl - t))) != NULL) {
			xml_escape(f, part, 0);
			fputs("\n  ", f);
			free(part);
			t = nl + 1;
		}
		xml_escape(f, t, 0);
		fputc('\n', f);
	}
	xml_escape(f, id, 0);
}

static void
write_code(FILE *f, const struct tyst_qdpx *q, size_t i, int depth)
{
	const struct tyst_qdpx_code *c = &q->codes[i];
	int has_children = 0, has_notes = 0;
	char indent[64];

	snprintf(indent, sizeof(indent), "%*s", 6 + 2 * (depth < 20 ? depth :
	    20), "");
	for (size_t j = 0; j < q->ncodes; j++)
		if (q->codes[j].parent == (long)i)
			has_children = 1;
	for (size_t j = 0; j < q->nnotes; j++)
		if (q->notes[j].code == (long)i)
			has_notes = 1;
	fprintf(f, "%s<Code guid=\"%s\"", indent, c->guid);
	attr(f, "name", c->name);
	fprintf(f, " isCodable=\"%s\"", c->uncodable ? "false" : "true");
	if (is_color(c->color))
		attr(f, "color", c->color);
	if (c->description == NULL && !has_children && !has_notes) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	if (c->description != NULL) {
		fprintf(f, "%s  <Description>", indent);
		write_code_description(f, q, i);
		fputs("</Description>\n", f);
	}
	char inner[80];
	snprintf(inner, sizeof(inner), "%s  ", indent);
	write_notes_of(f, q, -1, (long)i, inner);
	for (size_t j = 0; j < q->ncodes; j++)
		if (q->codes[j].parent == (long)i)
			write_code(f, q, j, depth + 1);
	fprintf(f, "%s</Code>\n", indent);
}

/* What schema 3 added to the model refers only to what is there. */
static int
check_extras(const struct tyst_qdpx *q, struct tyst_err *err)
{
	for (size_t i = 0; i < q->nannotations; i++)
		if (q->annotations[i].source >= q->nsources ||
		    q->annotations[i].user >= (long)q->nusers)
			return tyst_err_set(err, "", 0, 0, "an annotation names "
			    "a source or a user that is not there");
	for (size_t i = 0; i < q->njournals; i++)
		if (q->journals[i].user >= (long)q->nusers)
			return tyst_err_set(err, "", 0, 0, "a journal's user is "
			    "unknown");
	for (size_t i = 0; i < q->nsets; i++)
		for (size_t k = 0; k < q->sets[i].ncodes; k++)
			if (q->sets[i].codes[k] < 0 ||
			    (size_t)q->sets[i].codes[k] >= q->ncodes)
				return tyst_err_set(err, "", 0, 0, "set '%s' "
				    "names a code that is not there",
				    q->sets[i].name);
	for (size_t i = 0; i < q->nsources; i++)
		for (size_t k = 0; k < q->sources[i].nvalues; k++)
			if (q->sources[i].vars[k] < 0 ||
			    (size_t)q->sources[i].vars[k] >= q->nvars)
				return tyst_err_set(err, "", 0, 0, "%s: a value "
				    "of a variable that is not there",
				    q->sources[i].name);
	return 0;
}

static int
check_model(const struct tyst_qdpx *q, struct tyst_err *err)
{
	if (check_extras(q, err) < 0)
		return -1;
	for (size_t i = 0; i < q->ncodes; i++) {
		long p = q->codes[i].parent;

		/* Parents come first, so the tree has no cycles. */
		if (p >= (long)i || p < -1)
			return tyst_err_set(err, "", 0, 0, "code '%s': its "
			    "parent must come before it", q->codes[i].name);
	}
	for (size_t i = 0; i < q->nsources; i++) {
		const struct tyst_qdpx_source *s = &q->sources[i];

		for (size_t j = 0; j < s->nsels; j++) {
			const struct tyst_qdpx_sel *x = &s->sels[j];

			if (x->code < 0 || (size_t)x->code >= q->ncodes)
				return tyst_err_set(err, "", 0, 0, "%s: a "
				    "selection has no code", s->name);
			if (x->user >= (long)q->nusers)
				return tyst_err_set(err, "", 0, 0, "%s: a "
				    "selection's coder is unknown", s->name);
			if (x->start >= x->end || x->end > s->len)
				return tyst_err_set(err, "", 0, 0, "%s: "
				    "selection %zu-%zu lies outside the text "
				    "(%zu bytes)", s->name, x->start, x->end,
				    s->len);
		}
	}
	return 0;
}

static int
has_annotation_for(const struct tyst_qdpx *q, size_t source)
{
	for (size_t i = 0; i < q->nannotations; i++)
		if (q->annotations[i].source == source)
			return 1;
	return 0;
}

/* A variable's value, as text: tyst keeps what the researcher typed. */
static void
write_value(FILE *f, const struct tyst_qdpx *q, long var, const char *value,
    const char *indent)
{
	fprintf(f, "%s<VariableValue>\n%s  <VariableRef targetGUID=\"%s\"/>"
	    "\n%s  <TextValue>", indent, indent, q->vars[var].guid, indent);
	xml_escape(f, value, 0);
	fprintf(f, "</TextValue>\n%s</VariableValue>\n", indent);
}

static int
has_note_for(const struct tyst_qdpx *q, long source)
{
	for (size_t i = 0; i < q->nnotes; i++)
		if (q->notes[i].source == source)
			return 1;
	return 0;
}

/*
 * The user a source is credited to: who wrote its first memo, else who
 * made its first selection, else the first user.  Without one, QualCoder
 * makes up a coder "default".
 */
static long
source_user(const struct tyst_qdpx *q, long source)
{
	const struct tyst_qdpx_source *s = &q->sources[source];

	for (size_t i = 0; i < q->nnotes; i++)
		if (q->notes[i].source == source && q->notes[i].user >= 0)
			return q->notes[i].user;
	for (size_t j = 0; j < s->nsels; j++)
		if (s->sels[j].user >= 0)
			return s->sels[j].user;
	return q->nusers > 0 ? 0 : -1;
}

/* A source's memos, joined, as its <Description>: QualCoder and others
 * read a document memo there and ignore <NoteRef>. */
static void
write_memo_description(FILE *f, const struct tyst_qdpx *q, long source,
    long code, const char *indent)
{
	int n = 0;

	for (size_t i = 0; i < q->nnotes; i++) {
		if (q->notes[i].source != source || source < 0 ||
		    q->notes[i].code != code)
			continue;
		fprintf(f, n++ == 0 ? "%s<Description>" : "\n\n", indent);
		xml_escape(f, q->notes[i].text, 0);
	}
	if (n > 0)
		fputs("</Description>\n", f);
}

/*
 * A selection's name: the start of its text, as QualCoder writes it.  An
 * importer can tell by it how a file counts line breaks.
 */
static void
sel_name(FILE *f, const struct tyst_qdpx_source *s,
    const struct tyst_qdpx_sel *x)
{
	size_t n = x->end - x->start;
	char *name;

	if (n > SEL_NAME_MAX) {
		n = SEL_NAME_MAX;
		while (n > 0 && ((unsigned char)s->text[x->start + n] & 0xc0) ==
		    0x80)
			n--;
	}
	if ((name = strndup(s->text + x->start, n)) == NULL)
		return;
	attr(f, "name", name);
	free(name);
}

static int
write_source(FILE *f, const struct tyst_qdpx *q, size_t i,
    struct tyst_err *err)
{
	const struct tyst_qdpx_source *s = &q->sources[i];
	size_t ncp, *v;
	long su;

	if ((v = cp_offsets(s->text, s->len, &ncp)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	fprintf(f, "    <TextSource guid=\"%s\"", s->guid);
	attr(f, "name", s->name);
	fprintf(f, " plainTextPath=\"internal://%s.txt\"", s->guid);
	if ((su = source_user(q, (long)i)) >= 0)
		fprintf(f, " creatingUser=\"%s\"", q->users[su].guid);
	if (s->nsels == 0 && !has_note_for(q, (long)i) && s->nvalues == 0 &&
	    !has_annotation_for(q, i)) {
		fputs("/>\n", f);
		free(v);
		return 0;
	}
	fputs(">\n", f);
	write_memo_description(f, q, (long)i, -1, "      ");
	for (size_t j = 0; j < s->nsels; j++) {
		const struct tyst_qdpx_sel *x = &s->sels[j];
		long long a = cp_index(v, ncp, x->start);
		long long b = cp_index(v, ncp, x->end);
		char cguid[TYST_GUID_LEN + 1], key[64];
		const char *user = x->user >= 0 ? q->users[x->user].guid : NULL;

		if (a < 0 || b < 0) {
			free(v);
			return tyst_err_set(err, "", 0, 0, "%s: selection "
			    "%zu-%zu cuts a UTF-8 character", s->name,
			    x->start, x->end);
		}
		fprintf(f, "      <PlainTextSelection guid=\"%s\" "
		    "startPosition=\"%lld\" endPosition=\"%lld\"", x->guid, a, b);
		if (user != NULL)
			fprintf(f, " creatingUser=\"%s\"", user);
		if (is_datetime(x->created))
			fprintf(f, " creationDateTime=\"%s\"", x->created);
		sel_name(f, s, x);
		fputs(">\n", f);
		if (x->memo != NULL) {
			fputs("        <Description>", f);
			xml_escape(f, x->memo, 0);
			fputs("</Description>\n", f);
		}
		snprintf(key, sizeof(key), "coding:%s", x->guid);
		tyst_qdpx_guid(key, cguid);
		fprintf(f, "        <Coding guid=\"%s\"", cguid);
		if (user != NULL)
			fprintf(f, " creatingUser=\"%s\"", user);
		if (is_datetime(x->created))
			fprintf(f, " creationDateTime=\"%s\"", x->created);
		fprintf(f, ">\n          <CodeRef targetGUID=\"%s\"/>\n"
		    "        </Coding>\n      </PlainTextSelection>\n",
		    q->codes[x->code].guid);
	}
	write_notes_of(f, q, (long)i, -1, "      ");
	for (size_t k = 0; k < q->nannotations; k++)
		if (q->annotations[k].source == i)
			fprintf(f, "      <NoteRef targetGUID=\"%s\"/>\n",
			    q->annotations[k].guid);
	for (size_t k = 0; k < s->nvalues; k++)
		write_value(f, q, s->vars[k], s->values[k], "      ");
	fputs("    </TextSource>\n", f);
	free(v);
	return 0;
}

static void
write_note(FILE *f, const struct tyst_qdpx *q, const struct tyst_qdpx_note *n)
{
	fprintf(f, "    <Note guid=\"%s\"", n->guid);
	if (n->user >= 0 && (size_t)n->user < q->nusers)
		fprintf(f, " creatingUser=\"%s\"", q->users[n->user].guid);
	if (is_datetime(n->created))
		fprintf(f, " creationDateTime=\"%s\"", n->created);
	fputs(">\n      <PlainTextContent>", f);
	xml_escape(f, n->text, 0);
	fputs("</PlainTextContent>\n    </Note>\n", f);
}

/* An annotation: the note's text and the span it marks, in the
 * character positions of its source. */
static int
write_annotation(FILE *f, const struct tyst_qdpx *q,
    const struct tyst_qdpx_annotation *a, struct tyst_err *err)
{
	const struct tyst_qdpx_source *s = &q->sources[a->source];
	char key[64], g[TYST_GUID_LEN + 1];
	size_t ncp, *v = cp_offsets(s->text, s->len, &ncp);
	long long from, to;

	if (v == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	from = a->start <= s->len ? cp_index(v, ncp, a->start) : -1;
	to = a->end <= s->len ? cp_index(v, ncp, a->end) : -1;
	free(v);
	if (from < 0 || to < from)
		return tyst_err_set(err, "", 0, 0, "%s: annotation %zu-%zu lies "
		    "outside the text or cuts a UTF-8 character", s->name,
		    a->start, a->end);
	fprintf(f, "    <Note guid=\"%s\"", a->guid);
	if (a->user >= 0 && (size_t)a->user < q->nusers)
		fprintf(f, " creatingUser=\"%s\"", q->users[a->user].guid);
	if (is_datetime(a->created))
		fprintf(f, " creationDateTime=\"%s\"", a->created);
	fputs(">\n      <PlainTextContent>", f);
	xml_escape(f, a->text, 0);
	snprintf(key, sizeof(key), "annotation-span:%s", a->guid);
	tyst_qdpx_guid(key, g);
	fprintf(f, "</PlainTextContent>\n      <PlainTextSelection guid=\"%s\""
	    " startPosition=\"%lld\" endPosition=\"%lld\"/>\n    </Note>\n",
	    g, from, to);
	return 0;
}

/* A journal as QualCoder writes one: a named note whose text is a file
 * of its own in the archive (tyst_qdpx_write adds it). */
static void
write_journal(FILE *f, const struct tyst_qdpx *q,
    const struct tyst_qdpx_journal *j)
{
	fprintf(f, "    <Note guid=\"%s\"", j->guid);
	attr(f, "name", j->name);
	fprintf(f, " plainTextPath=\"internal://%s.txt\"", j->guid);
	if (j->user >= 0 && (size_t)j->user < q->nusers)
		fprintf(f, " creatingUser=\"%s\"", q->users[j->user].guid);
	if (is_datetime(j->created))
		fprintf(f, " creationDateTime=\"%s\"", j->created);
	fputs("/>\n", f);
}

static void
write_sets(FILE *f, const struct tyst_qdpx *q)
{
	if (q->nsets == 0)
		return;
	fputs("  <Sets>\n", f);
	for (size_t i = 0; i < q->nsets; i++) {
		const struct tyst_qdpx_set *t = &q->sets[i];

		fprintf(f, "    <Set guid=\"%s\"", t->guid);
		attr(f, "name", t->name);
		fputs(">\n", f);
		if (t->description != NULL) {
			fputs("      <Description>", f);
			xml_escape(f, t->description, 0);
			fputs("</Description>\n", f);
		}
		for (size_t k = 0; k < t->ncodes; k++)
			fprintf(f, "      <MemberCode targetGUID=\"%s\"/>\n",
			    q->codes[t->codes[k]].guid);
		fputs("    </Set>\n", f);
	}
	fputs("  </Sets>\n", f);
}

static void
write_cases(FILE *f, const struct tyst_qdpx *q)
{
	if (q->nvars > 0) {
		fputs("  <Variables>\n", f);
		for (size_t i = 0; i < q->nvars; i++) {
			fprintf(f, "    <Variable guid=\"%s\"", q->vars[i].guid);
			attr(f, "name", q->vars[i].name);
			attr(f, "typeOfVariable", q->vars[i].type);
			fputs("/>\n", f);
		}
		fputs("  </Variables>\n", f);
	}
	if (q->ncases == 0)
		return;
	fputs("  <Cases>\n", f);
	for (size_t i = 0; i < q->ncases; i++) {
		const struct tyst_qdpx_case *c = &q->cases[i];

		fprintf(f, "    <Case guid=\"%s\"", c->guid);
		attr(f, "name", c->name);
		if (c->nvalues == 0 && c->nsources == 0 &&
		    c->description == NULL) {
			fputs("/>\n", f);
			continue;
		}
		fputs(">\n", f);
		if (c->description != NULL) {
			fputs("      <Description>", f);
			xml_escape(f, c->description, 0);
			fputs("</Description>\n", f);
		}
		for (size_t j = 0; j < c->nvalues; j++)
			write_value(f, q, c->vars[j], c->values[j], "      ");
		for (size_t j = 0; j < c->nsources; j++)
			fprintf(f, "      <SourceRef targetGUID=\"%s\"/>\n",
			    q->sources[c->sources[j]].guid);
		fputs("    </Case>\n", f);
	}
	fputs("  </Cases>\n", f);
}

int
tyst_qdpx_write_qde(const struct tyst_qdpx *q, FILE *f, const char *now,
    struct tyst_err *err)
{
	if (check_model(q, err) < 0)
		return -1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Project xmlns=\""
	    QDA_NS "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
	    " xsi:schemaLocation=\"" QDA_NS " Project.xsd\"", f);
	attr(f, "name", q->name != NULL ? q->name : "tyst project");
	fprintf(f, " origin=\"tyst %s\"", TYST_VERSION);
	if (q->creating_user != NULL)
		fprintf(f, " creatingUserGUID=\"%s\"", q->creating_user);
	/* A project made elsewhere keeps its birth; this is a change. */
	if (is_datetime(q->created)) {
		fprintf(f, " creationDateTime=\"%s\"", q->created);
		if (is_datetime(now))
			fprintf(f, " modifiedDateTime=\"%s\"", now);
	} else if (is_datetime(now))
		fprintf(f, " creationDateTime=\"%s\"", now);
	fputs(">\n", f);
	if (q->nusers > 0) {
		fputs("  <Users>\n", f);
		for (size_t i = 0; i < q->nusers; i++) {
			fprintf(f, "    <User guid=\"%s\"", q->users[i].guid);
			attr(f, "name", q->users[i].name);
			fputs("/>\n", f);
		}
		fputs("  </Users>\n", f);
	}
	if (q->ncodes > 0) {
		fputs("  <CodeBook>\n    <Codes>\n", f);
		for (size_t i = 0; i < q->ncodes; i++)
			if (q->codes[i].parent < 0)
				write_code(f, q, i, 0);
		fputs("    </Codes>\n  </CodeBook>\n", f);
	}
	write_cases(f, q);
	if (q->nsources > 0) {
		fputs("  <Sources>\n", f);
		for (size_t i = 0; i < q->nsources; i++)
			if (write_source(f, q, i, err) < 0)
				return -1;
		fputs("  </Sources>\n", f);
	}
	if (q->nnotes + q->nannotations + q->njournals > 0) {
		fputs("  <Notes>\n", f);
		for (size_t i = 0; i < q->nnotes; i++)
			write_note(f, q, &q->notes[i]);
		for (size_t i = 0; i < q->nannotations; i++)
			if (write_annotation(f, q, &q->annotations[i], err) < 0)
				return -1;
		for (size_t i = 0; i < q->njournals; i++)
			write_journal(f, q, &q->journals[i]);
		fputs("  </Notes>\n", f);
	}
	write_sets(f, q);
	if (q->description != NULL) {
		fputs("  <Description>", f);
		xml_escape(f, q->description, 0);
		fputs("</Description>\n", f);
	}
	fputs("</Project>\n", f);
	if (ferror(f))
		return tyst_err_set(err, "", 0, 0, "write failed: %s",
		    strerror(errno));
	return 0;
}

/* A time for the archive's entries: now when given, so an export is
 * reproducible under a fixed $TYST_NOW. */
static time_t
zip_time(const char *now)
{
	struct tm tm;

	if (!is_datetime(now))
		return time(NULL);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(now) - 1900;
	tm.tm_mon = atoi(now + 5) - 1;
	tm.tm_mday = atoi(now + 8);
	tm.tm_hour = atoi(now + 11);
	tm.tm_min = atoi(now + 14);
	tm.tm_sec = atoi(now + 17);
	return timegm(&tm);
}

static int
zip_fail(zip_error_t *ze, struct tyst_err *err)
{
	tyst_err_set(err, "", 0, 0, "zip: %s", zip_error_strerror(ze));
	zip_error_fini(ze);
	return -1;
}

static int
add_entry(zip_t *za, const char *name, const void *p, size_t len, time_t t,
    struct tyst_err *err)
{
	zip_source_t *s;
	zip_int64_t idx;

	if (len > MAX_ENTRY)
		return tyst_err_set(err, "", 0, 0, "%s: larger than the 2 GB "
		    "REFI-QDA allows for one file", name);
	if ((s = zip_source_buffer(za, p, len, 0)) == NULL)
		return tyst_err_set(err, "", 0, 0, "zip: %s",
		    zip_strerror(za));
	if ((idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		return tyst_err_set(err, "", 0, 0, "zip: %s",
		    zip_strerror(za));
	}
	zip_file_set_mtime(za, (zip_uint64_t)idx, t, 0);
	return 0;
}

/* Copies the finished archive out of its memory source to f. */
static int
copy_out(zip_source_t *src, FILE *f, struct tyst_err *err)
{
	char buf[65536];
	zip_int64_t n;

	if (zip_source_open(src) < 0)
		return tyst_err_set(err, "", 0, 0, "zip: %s",
		    zip_error_strerror(zip_source_error(src)));
	while ((n = zip_source_read(src, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
			zip_source_close(src);
			return tyst_err_set(err, "", 0, 0, "write failed: %s",
			    strerror(errno));
		}
	zip_source_close(src);
	if (n < 0)
		return tyst_err_set(err, "", 0, 0, "zip: read back failed");
	return 0;
}

/* A copy of text with CRLF line ends (*len updated). */
static char *
with_crlf(const char *text, size_t *len)
{
	size_t n = *len, lf = 0, o = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		lf += text[i] == '\n';
	if ((s = malloc(n + lf + 1)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\n')
			s[o++] = '\r';
		s[o++] = text[i];
	}
	s[o] = '\0';
	*len = o;
	return s;
}

static void
free_all(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

int
tyst_qdpx_write(const struct tyst_qdpx *q, FILE *f, const char *now,
    struct tyst_err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	char *qde = NULL, name[64], **crlf = NULL;
	size_t qdelen = 0;
	FILE *mf;
	time_t t = zip_time(now);
	int rc = -1;

	if ((mf = open_memstream(&qde, &qdelen)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	if (tyst_qdpx_write_qde(q, mf, now, err) < 0) {
		fclose(mf);
		free(qde);
		return -1;
	}
	if (fclose(mf) != 0) {
		free(qde);
		return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		free(qde);
		return zip_fail(&ze, err);
	}
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_source_free(src);
		zip_source_free(src);
		free(qde);
		return zip_fail(&ze, err);
	}
	if (add_entry(za, "project.qde", qde, qdelen, t, err) < 0)
		goto discard;
	if (q->crlf1 && (crlf = calloc(q->nsources + 1, sizeof(*crlf))) ==
	    NULL) {
		tyst_err_set(err, "", 0, 0, "out of memory");
		goto discard;
	}
	for (size_t i = 0; i < q->nsources; i++) {
		const char *text = q->sources[i].text;
		size_t len = q->sources[i].len;

		snprintf(name, sizeof(name), "sources/%s.txt",
		    q->sources[i].guid);
		if (crlf != NULL && (text = crlf[i] = with_crlf(text, &len)) ==
		    NULL) {
			tyst_err_set(err, "", 0, 0, "out of memory");
			goto discard;
		}
		if (add_entry(za, name, text, len, t, err) < 0)
			goto discard;
	}
	for (size_t i = 0; i < q->njournals; i++) {
		snprintf(name, sizeof(name), "sources/%s.txt",
		    q->journals[i].guid);
		if (add_entry(za, name, q->journals[i].text,
		    strlen(q->journals[i].text), t, err) < 0)
			goto discard;
	}
	if (zip_close(za) < 0) {
		tyst_err_set(err, "", 0, 0, "zip: %s", zip_strerror(za));
		goto discard;
	}
	rc = copy_out(src, f, err);
	zip_source_free(src);
	free(qde);
	free_all(crlf, q->nsources);
	zip_error_fini(&ze);
	return rc;
discard:
	zip_discard(za);
	zip_source_free(src);
	free(qde);
	free_all(crlf, q->nsources);
	zip_error_fini(&ze);
	return -1;
}

/* ---- reading -------------------------------------------------------------- */

/* A Note read before we know what refers to it. */
struct rnote {
	char guid[TYST_GUID_LEN + 1];
	char *text;
	long user;
	char *created;
	int used;
	int annotation;         /* it marks a span of its own */
	long long from, to;     /* the span's positions, when valid */
	int as_annotation;      /* taken as one (not as a memo) */
	char *name;             /* or NULL */
	char *path;             /* plainTextPath, or NULL */
};

struct reader {
	const char *path;
	zip_t *za;
	struct tyst_qdpx *q;
	struct tyst_err *err;
	struct rnote *notes;
	size_t nnotes;
	uint64_t unpacked;      /* bytes of members read so far */
};

/*
 * Limits against zip bombs, checked on the sizes the archive declares
 * before anything is unpacked: a member of a few kilobytes must not
 * become gigabytes.  Transcripts compress by a factor of 3 to 10; deflate
 * reaches 1000 only on repeated bytes.
 */
#define MAX_MEMBER (256ULL << 20)       /* one member, unpacked */
#define MAX_UNPACKED (1ULL << 30)       /* all members of one archive */
#define MAX_RATIO 200                   /* unpacked : packed, above 1 MB */

static int
rfail(struct reader *r, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static long long position(const char *s);
static int read_value(struct reader *r, const xmlNode *vv, long ci, long si);

static int
rfail(struct reader *r, const xmlNode *n, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n != NULL)
		return tyst_err_set(r->err, r->path, 0, 0, "project.qde:%ld: "
		    "%s", (long)xmlGetLineNo(n), msg);
	return tyst_err_set(r->err, r->path, 0, 0, "%s", msg);
}

static void
lose(struct reader *r, enum tyst_qdpx_loss kind)
{
	r->q->lost[kind]++;
	r->q->skipped++;
}

const char *
tyst_qdpx_loss_name(int kind, size_t n)
{
	static const char *const name[TYST_QDPX_NLOST][2] = {
		[TYST_LOST_SOURCE] = { "source that is not text or not in "
		    "the archive", "sources that are not text or not in the "
		    "archive" },
		[TYST_LOST_WHOLE_CODING] = { "coding of a whole source",
		    "codings of whole sources" },
		[TYST_LOST_SELECTION] = { "selection without a code or "
		    "without text", "selections without a code or without "
		    "text" },
		[TYST_LOST_SOURCE_VARIABLE] = { "variable value of a source",
		    "variable values of sources" },
		[TYST_LOST_ANNOTATION] = { "annotation's span outside a "
		    "source (its text is kept as a memo)", "annotations' spans "
		    "outside a source (their texts are kept as memos)" },
		[TYST_LOST_JOURNAL] = { "note without a text to read",
		    "notes without a text to read" },
		[TYST_LOST_PROJECT_MEMO] = { "project memo (the project has "
		    "another, which is kept)", "project memos (the project has "
		    "another, which is kept)" },
		[TYST_LOST_CASE_MEMO] = { "case memo (the case has another, "
		    "which is kept)", "case memos (the cases have others, "
		    "which are kept)" },
		[TYST_LOST_CASE_SOURCE] = { "case's link to a source the file "
		    "does not define", "cases' links to sources the file does "
		    "not define" },
		[TYST_LOST_SET] = { "set of sources or notes",
		    "sets of sources or notes" },
		[TYST_LOST_GRAPH] = { "graph", "graphs" },
		[TYST_LOST_LINK] = { "link", "links" },
	};

	if (kind < 0 || kind >= TYST_QDPX_NLOST)
		return "item";
	return name[kind][n != 1];
}

static int
is_el(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, QDA_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *
child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (is_el(c, name))
			return c;
	return NULL;
}

/* An attribute's value (caller frees with xmlFree), or NULL. */
static char *
getattr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* Checks and normalises a GUID: upper case, without braces. */
static int
norm_guid(const char *s, char out[TYST_GUID_LEN + 1])
{
	size_t n = strlen(s), o = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	if (n == TYST_GUID_LEN + 2 && s[0] == '{' && s[n - 1] == '}') {
		s++;
		n -= 2;
	}
	if (n != TYST_GUID_LEN)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return -1;
		out[o++] = (char)toupper((unsigned char)s[i]);
	}
	out[o] = '\0';
	return 0;
}

/* The GUID attribute name of n, checked; required says whether absence is
 * an error (0 is returned and out left empty otherwise). */
static int
guid_attr(struct reader *r, const xmlNode *n, const char *name, int required,
    char out[TYST_GUID_LEN + 1])
{
	char *v = getattr(n, name);
	int rc;

	out[0] = '\0';
	if (v == NULL)
		return required ? rfail(r, n, "<%s> lacks the required "
		    "attribute %s", (const char *)n->name, name) : 0;
	rc = norm_guid(v, out);
	if (rc < 0)
		rfail(r, n, "<%s %s=\"%.60s\">: not a GUID "
		    "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
		    (const char *)n->name, name, v);
	xmlFree(v);
	return rc;
}

static long
find_user(struct reader *r, const char *guid)
{
	for (size_t i = 0; i < r->q->nusers; i++)
		if (strcmp(r->q->users[i].guid, guid) == 0)
			return (long)i;
	/* A coder the file never lists: keep the work, named by the GUID. */
	return tyst_qdpx_add_user(r->q, guid, guid);
}

static long
find_code(const struct tyst_qdpx *q, const char *guid)
{
	for (size_t i = 0; i < q->ncodes; i++)
		if (strcmp(q->codes[i].guid, guid) == 0)
			return (long)i;
	return -1;
}

/* The creating user of n (or of its parent when n has none). */
static int
user_of(struct reader *r, const xmlNode *n, const xmlNode *parent, long *user)
{
	char g[TYST_GUID_LEN + 1];

	*user = -1;
	if (guid_attr(r, n, "creatingUser", 0, g) < 0)
		return -1;
	if (g[0] == '\0' && parent != NULL &&
	    guid_attr(r, parent, "creatingUser", 0, g) < 0)
		return -1;
	if (g[0] == '\0')
		return 0;
	if ((*user = find_user(r, g)) < 0)
		return rfail(r, NULL, "out of memory");
	return 0;
}

static char *
created_of(const xmlNode *n)
{
	char *v = getattr(n, "creationDateTime"), *s;

	if (v == NULL)
		return NULL;
	s = is_datetime(v) ? strdup(v) : NULL;
	xmlFree(v);
	return s;
}

static char *
content(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s;

	if (c == NULL)
		return strdup("");
	s = strdup((const char *)c);
	xmlFree(c);
	return s;
}

static int
read_users(struct reader *r, const xmlNode *users)
{
	for (const xmlNode *u = users->children; u != NULL; u = u->next) {
		char g[TYST_GUID_LEN + 1], *name;
		long i;

		if (!is_el(u, "User"))
			continue;
		if (guid_attr(r, u, "guid", 1, g) < 0)
			return -1;
		name = getattr(u, "name");
		if (name == NULL)
			name = getattr(u, "id");
		i = tyst_qdpx_add_user(r->q, g, name != NULL && name[0] ?
		    name : g);
		xmlFree(name);
		if (i < 0)
			return rfail(r, NULL, "out of memory");
	}
	return 0;
}

static int
read_notes(struct reader *r, const xmlNode *notes)
{
	for (const xmlNode *n = notes->children; n != NULL; n = n->next) {
		struct rnote *x;
		const xmlNode *c;

		if (!is_el(n, "Note"))
			continue;
		if (grow((void **)&r->notes, r->nnotes, sizeof(*x)) < 0)
			return rfail(r, NULL, "out of memory");
		x = &r->notes[r->nnotes];
		memset(x, 0, sizeof(*x));
		if (guid_attr(r, n, "guid", 1, x->guid) < 0)
			return -1;
		if (user_of(r, n, NULL, &x->user) < 0)
			return -1;
		x->created = created_of(n);
		x->annotation = child(n, "PlainTextSelection") != NULL;
		x->from = x->to = -1;
		if (x->annotation) {
			const xmlNode *sel = child(n, "PlainTextSelection");
			char *a = getattr(sel, "startPosition");
			char *b = getattr(sel, "endPosition");

			x->from = a != NULL ? position(a) : -1;
			x->to = b != NULL ? position(b) : -1;
			xmlFree(a);
			xmlFree(b);
		}
		x->name = getattr(n, "name");
		x->path = getattr(n, "plainTextPath");
		r->nnotes++;
		/* A note kept in a file of its own is not read: its text
		 * would be one more archive member to trust. */
		c = child(n, "PlainTextContent");
		x->text = c != NULL ? content(c) : NULL;
		if (c != NULL && x->text == NULL)
			return rfail(r, NULL, "out of memory");
	}
	return 0;
}

static struct rnote *
find_note(struct reader *r, const char *guid)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (strcmp(r->notes[i].guid, guid) == 0)
			return &r->notes[i];
	return NULL;
}

/* An annotation of source si, its span mapped to the stored text, when
 * the span is one of the source: 1 taken, 0 not, -1 error. */
static int
take_annotation(struct reader *r, struct rnote *x, long si, const size_t *map,
    size_t ncp)
{
	if (map == NULL || si < 0 || x->from < 0 || x->to < x->from ||
	    (size_t)x->to > ncp)
		return 0;
	if (tyst_qdpx_add_annotation(r->q, x->guid, (size_t)si, map[x->from],
	    map[x->to], x->text, x->user, x->created) < 0)
		return rfail(r, NULL, "out of memory");
	x->as_annotation = 1;
	return 1;
}

/* Attaches the notes n refers to to a source or a code, or returns them
 * appended to *memo (for selections, whose memo is one text).  A source's
 * annotations become annotations (map and ncp: its positions). */
static int
note_refs(struct reader *r, const xmlNode *n, long source, long code,
    char **memo, const size_t *map, size_t ncp)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		char g[TYST_GUID_LEN + 1];
		struct rnote *x;

		if (!is_el(c, "NoteRef"))
			continue;
		if (guid_attr(r, c, "targetGUID", 1, g) < 0)
			return -1;
		if ((x = find_note(r, g)) == NULL)
			return rfail(r, c, "<NoteRef> names note %s, which "
			    "<Notes> does not hold", g);
		if (x->text == NULL)
			continue;
		x->used = 1;
		if (x->annotation) {
			int took = take_annotation(r, x, source, map, ncp);

			if (took < 0)
				return -1;
			if (took)
				continue;
		}
		if (memo != NULL) {
			size_t a = *memo ? strlen(*memo) : 0;
			char *m = realloc(*memo, a + strlen(x->text) + 3);

			if (m == NULL)
				return rfail(r, NULL, "out of memory");
			if (a > 0)
				memcpy(m + a, "\n\n", 2), a += 2;
			strcpy(m + a, x->text);
			*memo = m;
			continue;
		}
		char ng[TYST_GUID_LEN + 1];
		memcpy(ng, x->guid, sizeof(ng));
		if (tyst_qdpx_add_note(r->q, ng, x->text, source, code,
		    x->user, x->created) < 0)
			return rfail(r, NULL, "out of memory");
	}
	return 0;
}

static int
read_codes(struct reader *r, const xmlNode *codes, long parent)
{
	for (const xmlNode *c = codes->children; c != NULL; c = c->next) {
		char g[TYST_GUID_LEN + 1], *name, *codable, *color, *desc = NULL;
		const xmlNode *d;
		long i;

		if (!is_el(c, "Code"))
			continue;
		if (guid_attr(r, c, "guid", 1, g) < 0)
			return -1;
		if (find_code(r->q, g) >= 0)
			return rfail(r, c, "code %s is defined twice", g);
		name = getattr(c, "name");
		codable = getattr(c, "isCodable");
		if (name == NULL || codable == NULL) {
			xmlFree(name);
			xmlFree(codable);
			return rfail(r, c, "<Code> lacks the required "
			    "attribute %s", name == NULL ? "name" :
			    "isCodable");
		}
		color = getattr(c, "color");
		if ((d = child(c, "Description")) != NULL)
			desc = content(d);
		i = tyst_qdpx_add_code(r->q, g, name, desc,
		    is_color(color) ? color : NULL, parent);
		if (i >= 0)
			r->q->codes[i].uncodable = strcmp(codable, "false") == 0
			    || strcmp(codable, "0") == 0;
		xmlFree(name);
		xmlFree(codable);
		xmlFree(color);
		free(desc);
		if (i < 0)
			return rfail(r, NULL, "out of memory");
		if (note_refs(r, c, -1, i, NULL, NULL, 0) < 0)
			return -1;
		if (read_codes(r, c, i) < 0)
			return -1;
	}
	return 0;
}

/* xsd:integer, non-negative here; -1 when not one. */
static long long
position(const char *s)
{
	long long v = 0;
	size_t i = 0;

	while (isspace((unsigned char)s[i]))
		i++;
	if (s[i] == '+')
		i++;
	if (!isdigit((unsigned char)s[i]))
		return -1;
	for (; isdigit((unsigned char)s[i]); i++) {
		if (v > (LLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	while (isspace((unsigned char)s[i]))
		i++;
	return s[i] == '\0' ? v : -1;
}

static int
pos_attr(struct reader *r, const xmlNode *n, const char *name, long long *v)
{
	char *s = getattr(n, name);

	if (s == NULL)
		return rfail(r, n, "<PlainTextSelection> lacks the required "
		    "attribute %s", name);
	*v = position(s);
	if (*v < 0)
		rfail(r, n, "%s=\"%.40s\" is not a non-negative integer",
		    name, s);
	xmlFree(s);
	return *v < 0 ? -1 : 0;
}

/* Reads an archive member whole; NUL-terminated. */
static char *
read_member(struct reader *r, const char *name, size_t *len)
{
	zip_stat_t st;
	zip_file_t *zf;
	char *buf;
	zip_int64_t n;

	zip_stat_init(&st);
	if (zip_stat(r->za, name, 0, &st) < 0) {
		rfail(r, NULL, "the archive has no %s", name);
		return NULL;
	}
	if (!(st.valid & ZIP_STAT_SIZE)) {
		rfail(r, NULL, "%s: of unknown size", name);
		return NULL;
	}
	if (st.size > MAX_MEMBER) {
		rfail(r, NULL, "%s: %llu bytes unpacked, over the limit of %llu "
		    "MB for one member", name, (unsigned long long)st.size,
		    MAX_MEMBER >> 20);
		return NULL;
	}
	if (st.size > (1u << 20) && (st.valid & ZIP_STAT_COMP_SIZE) &&
	    st.size / (st.comp_size > 0 ? st.comp_size : 1) > MAX_RATIO) {
		rfail(r, NULL, "%s: packed %llu to 1, over the limit of %d to 1 "
		    "(a zip bomb?)", name, (unsigned long long)(st.size /
		    (st.comp_size > 0 ? st.comp_size : 1)), MAX_RATIO);
		return NULL;
	}
	if ((r->unpacked += st.size) > MAX_UNPACKED) {
		rfail(r, NULL, "%s: the members read so far unpack to more "
		    "than the limit of %llu MB for one archive", name,
		    MAX_UNPACKED >> 20);
		return NULL;
	}
	if ((buf = malloc(st.size + 1)) == NULL) {
		rfail(r, NULL, "%s: out of memory", name);
		return NULL;
	}
	if ((zf = zip_fopen(r->za, name, 0)) == NULL) {
		rfail(r, NULL, "%s: %s", name, zip_strerror(r->za));
		free(buf);
		return NULL;
	}
	n = zip_fread(zf, buf, st.size);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		rfail(r, NULL, "%s: %s", name, n < 0 ?
		    zip_file_strerror(zf) : "short read");
		zip_fclose(zf);
		free(buf);
		return NULL;
	}
	zip_fclose(zf);
	buf[st.size] = '\0';
	*len = st.size;
	return buf;
}

/*
 * The text of a source as the coding project stores it (no BOM, LF line
 * ends), and for every code point of the original the byte offset where
 * it lands in that text (a CR of a CRLF lands on its LF).
 */
static int
norm_text(struct reader *r, const xmlNode *n, char *text, size_t *len,
    size_t **map, size_t *ncp)
{
	size_t bad, i = 0, o = 0, k = 0, cnt;
	int nul;

	if (tyst_utf8_check(text, *len, &bad, &nul) < 0)
		return rfail(r, n, "the text of this source is not UTF-8 text "
		    "(%s at byte %zu)", nul ? "a NUL byte" : "invalid UTF-8",
		    bad);
	cnt = tyst_utf8_count(text, *len);
	if ((*map = malloc((cnt + 1) * sizeof(**map))) == NULL)
		return rfail(r, NULL, "out of memory");
	if (*len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		i = 3;
		cnt--;
	}
	while (i < *len) {
		uint32_t cp;
		size_t l = tyst_utf8_decode(text + i, *len - i, &cp);

		(*map)[k++] = o;
		if (cp == '\r' && i + 1 < *len && text[i + 1] == '\n') {
			i++;
			continue;
		}
		memmove(text + o, text + i, l);
		o += l;
		i += l;
	}
	(*map)[k] = o;
	text[o] = '\0';
	*len = o;
	*ncp = cnt;
	return 0;
}

static char *
source_text(struct reader *r, const xmlNode *s, size_t *len, int *external)
{
	const xmlNode *c = child(s, "PlainTextContent");
	char *path, *text, member[128];

	*external = 0;
	if (c != NULL) {
		text = content(c);
		if (text == NULL)
			rfail(r, NULL, "out of memory");
		else
			*len = strlen(text);
		return text;
	}
	if ((path = getattr(s, "plainTextPath")) == NULL) {
		rfail(r, s, "<TextSource> has neither <PlainTextContent> nor "
		    "plainTextPath");
		return NULL;
	}
	if (strncmp(path, "internal://", 11) != 0) {
		/* relative:// and absolute:// files are outside the archive
		 * and are not followed. */
		xmlFree(path);
		*external = 1;
		return NULL;
	}
	if (strchr(path + 11, '/') != NULL || strstr(path + 11, "..") ||
	    strlen(path + 11) > 100) {
		rfail(r, s, "plainTextPath \"%.60s\" is not a file in sources/",
		    path);
		xmlFree(path);
		return NULL;
	}
	/* NVivo names the folder Sources/. */
	snprintf(member, sizeof(member), "sources/%s", path + 11);
	if (zip_name_locate(r->za, member, 0) < 0)
		snprintf(member, sizeof(member), "Sources/%s", path + 11);
	xmlFree(path);
	return read_member(r, member, len);
}

static int
read_selection(struct reader *r, size_t si, const xmlNode *x,
    const size_t *map, size_t ncp)
{
	char g[TYST_GUID_LEN + 1], *memo = NULL, *created;
	const xmlNode *d;
	long long a, b;
	int coded = 0, rc = -1;

	if (guid_attr(r, x, "guid", 1, g) < 0 ||
	    pos_attr(r, x, "startPosition", &a) < 0 ||
	    pos_attr(r, x, "endPosition", &b) < 0)
		return -1;
	if (a > b || (size_t)b > ncp)
		return rfail(r, x, "selection %lld-%lld lies outside its "
		    "source's %zu characters", a, b, ncp);
	if ((d = child(x, "Description")) != NULL &&
	    (memo = content(d)) == NULL)
		return rfail(r, NULL, "out of memory");
	if (note_refs(r, x, -1, -1, &memo, NULL, 0) < 0)
		goto out;
	created = created_of(x);
	for (const xmlNode *c = x->children; c != NULL; c = c->next) {
		char cg[TYST_GUID_LEN + 1];
		const xmlNode *ref;
		long code, user;

		if (!is_el(c, "Coding"))
			continue;
		if (guid_attr(r, c, "guid", 1, cg) < 0)
			goto out2;
		if ((ref = child(c, "CodeRef")) == NULL) {
			rfail(r, c, "<Coding> lacks its <CodeRef>");
			goto out2;
		}
		if (guid_attr(r, ref, "targetGUID", 1, cg) < 0)
			goto out2;
		if ((code = find_code(r->q, cg)) < 0) {
			rfail(r, ref, "<CodeRef> names code %s, which the "
			    "codebook does not define", cg);
			goto out2;
		}
		if (user_of(r, c, x, &user) < 0)
			goto out2;
		/* An empty selection cannot be a coded segment. */
		if (map[a] == map[b]) {
			lose(r, TYST_LOST_SELECTION);
			continue;
		}
		if (tyst_qdpx_add_sel(r->q, si, g, map[a], map[b], code, user,
		    memo, created) < 0) {
			rfail(r, NULL, "out of memory");
			goto out2;
		}
		coded = 1;
	}
	if (!coded)
		lose(r, TYST_LOST_SELECTION);
	rc = 0;
out2:
	free(created);
out:
	free(memo);
	return rc;
}

/*
 * A source's <Description> is where QualCoder keeps a document memo; it
 * becomes one, unless it only repeats the source's notes (tyst writes its
 * document memos both as notes and, joined, as the description).
 */
static int
source_memo(struct reader *r, const xmlNode *s, long si)
{
	const xmlNode *d = child(s, "Description");
	char *text, *joined = NULL, g[TYST_GUID_LEN + 1], key[64];
	size_t n = 0;
	int same = 0;

	if (d == NULL)
		return 0;
	if ((text = content(d)) == NULL)
		return rfail(r, NULL, "out of memory");
	if (text[strspn(text, " \t\r\n")] == '\0') {
		free(text);
		return 0;
	}
	for (size_t i = 0; i < r->q->nnotes && !same; i++) {
		const struct tyst_qdpx_note *x = &r->q->notes[i];
		char *j;

		if (x->source != si)
			continue;
		same = strcmp(x->text, text) == 0;
		if ((j = realloc(joined, n + strlen(x->text) + 3)) == NULL) {
			free(joined);
			free(text);
			return rfail(r, NULL, "out of memory");
		}
		joined = j;
		n += (size_t)sprintf(joined + n, "%s%s", n > 0 ? "\n\n" : "",
		    x->text);
	}
	same = same || (joined != NULL && strcmp(joined, text) == 0);
	free(joined);
	snprintf(key, sizeof(key), "description:%s", r->q->sources[si].guid);
	tyst_qdpx_guid(key, g);
	if (!same && tyst_qdpx_add_note(r->q, g, text, si, -1, -1, NULL) < 0) {
		free(text);
		return rfail(r, NULL, "out of memory");
	}
	free(text);
	return 0;
}

/*
 * The other way of counting a line break: two positions for each LF of a
 * text that has none of CRLF (QualCoder's "MAXQDA line endings"), or one
 * for each CRLF (ATLAS.ti).  text is the stored text (LF line ends).
 */
static size_t *
alt_map(const char *text, size_t len, int two_per_lf, size_t *n)
{
	size_t cnt = tyst_utf8_count(text, len), lf = 0, k = 0;
	size_t *v;

	for (size_t i = 0; i < len; i++)
		lf += text[i] == '\n';
	if ((v = malloc((cnt + lf + 1) * sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < len; ) {
		uint32_t cp;
		size_t l = tyst_utf8_decode(text + i, len - i, &cp);

		if (two_per_lf && cp == '\n')
			v[k++] = i;
		v[k++] = i;
		i += l;
	}
	v[k] = len;
	*n = k;
	return v;
}

/* Whether a selection's name (QualCoder writes the selected text there)
 * begins the text that map cuts: 1 yes, 0 no, -1 no name to tell. */
static int
name_matches(struct reader *r, const xmlNode *x, const char *text,
    const size_t *map, size_t n)
{
	char *name = getattr(x, "name"), *a, *b;
	long long from, to;
	size_t k = 0;
	int yes = 1;

	if (name == NULL || name[0] == '\0' ||
	    (a = getattr(x, "startPosition")) == NULL) {
		xmlFree(name);
		return -1;
	}
	from = position(a);
	xmlFree(a);
	if ((b = getattr(x, "endPosition")) == NULL) {
		xmlFree(name);
		return -1;
	}
	to = position(b);
	xmlFree(b);
	(void)r;
	if (from < 0 || to < from || (size_t)to > n) {
		xmlFree(name);
		return 0;
	}
	for (size_t i = map[from]; name[k] != '\0' && yes; k++) {
		if (name[k] == '\r')
			continue;
		yes = i < map[to] && text[i] == name[k];
		i++;
	}
	xmlFree(name);
	return yes;
}

/* The map from positions to offsets that the selections' names agree
 * with: the standard's, or the other count of line breaks (then counted
 * in q->lineends, to be reported). */
static const size_t *
choose_map(struct reader *r, const xmlNode *s, size_t si, const size_t *map,
    size_t *ncp, int had_crlf, size_t **alt)
{
	const struct tyst_qdpx_source *src = &r->q->sources[si];
	size_t nalt, hit = 0, althit = 0;

	*alt = NULL;
	if (memchr(src->text, '\n', src->len) == NULL)
		return map;
	if ((*alt = alt_map(src->text, src->len, !had_crlf, &nalt)) == NULL)
		return map;
	for (const xmlNode *c = s->children; c != NULL; c = c->next) {
		if (!is_el(c, "PlainTextSelection"))
			continue;
		hit += name_matches(r, c, src->text, map, *ncp) == 1;
		althit += name_matches(r, c, src->text, *alt, nalt) == 1;
	}
	if (althit <= hit)
		return map;
	r->q->lineends[had_crlf]++;
	*ncp = nalt;
	return *alt;
}

static int
read_source(struct reader *r, const xmlNode *s)
{
	char g[TYST_GUID_LEN + 1], *name, *text;
	size_t len = 0, *map = NULL, *alt = NULL, ncp = 0;
	const size_t *use;
	int external, rc = -1, had_crlf;
	long si;

	if (guid_attr(r, s, "guid", 1, g) < 0)
		return -1;
	if ((text = source_text(r, s, &len, &external)) == NULL) {
		if (!external)
			return -1;
		lose(r, TYST_LOST_SOURCE);
		return 0;
	}
	if (norm_text(r, s, text, &len, &map, &ncp) < 0) {
		free(text);
		return -1;
	}
	had_crlf = ncp != tyst_utf8_count(text, len);
	name = getattr(s, "name");
	si = tyst_qdpx_add_source(r->q, g, name != NULL && name[0] ? name : g,
	    text, len);
	xmlFree(name);
	free(text);
	if (si < 0) {
		rfail(r, NULL, "out of memory");
		goto out;
	}
	use = choose_map(r, s, (size_t)si, map, &ncp, had_crlf, &alt);
	for (const xmlNode *c = s->children; c != NULL; c = c->next) {
		if (is_el(c, "PlainTextSelection")) {
			if (read_selection(r, (size_t)si, c, use, ncp) < 0)
				goto out;
		} else if (is_el(c, "Coding"))
			lose(r, TYST_LOST_WHOLE_CODING);
		else if (is_el(c, "VariableValue")) {
			if (read_value(r, c, -1, si) < 0)
				goto out;
		}
	}
	if (note_refs(r, s, si, -1, NULL, use, ncp) < 0 ||
	    source_memo(r, s, si) < 0)
		goto out;
	rc = 0;
out:
	free(map);
	free(alt);
	return rc;
}

/* Counts the elements of a part this reader does not take in: the
 * children called item of root's part, or the part itself when item is
 * NULL (and it holds text). */
static void
count_lost(struct reader *r, const xmlNode *root, const char *part,
    const char *item, enum tyst_qdpx_loss kind)
{
	const xmlNode *n = child(root, part);

	if (n == NULL)
		return;
	if (item == NULL) {
		char *t = content(n);

		if (t != NULL && t[strspn(t, " \t\r\n")] != '\0')
			lose(r, kind);
		free(t);
		return;
	}
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (is_el(c, item))
			lose(r, kind);
}

static int
read_vars(struct reader *r, const xmlNode *vars)
{
	for (const xmlNode *v = vars->children; v != NULL; v = v->next) {
		char g[TYST_GUID_LEN + 1], *name, *type;
		long i;

		if (!is_el(v, "Variable"))
			continue;
		if (guid_attr(r, v, "guid", 1, g) < 0)
			return -1;
		name = getattr(v, "name");
		type = getattr(v, "typeOfVariable");
		if (name == NULL || type == NULL) {
			xmlFree(name);
			xmlFree(type);
			return rfail(r, v, "<Variable> lacks the required "
			    "attribute %s", name == NULL ? "name" :
			    "typeOfVariable");
		}
		i = tyst_qdpx_add_var(r->q, g, name, type);
		xmlFree(name);
		xmlFree(type);
		if (i < 0)
			return rfail(r, NULL, "out of memory");
	}
	return 0;
}

/* A <VariableValue> of a case (ci >= 0) or a source: the variable and its
 * value as text, whatever its type. */
static int
read_value(struct reader *r, const xmlNode *vv, long ci, long si)
{
	const xmlNode *ref = child(vv, "VariableRef");
	char g[TYST_GUID_LEN + 1], *value = NULL;
	long var = -1;

	if (ref == NULL)
		return rfail(r, vv, "<VariableValue> lacks its <VariableRef>");
	if (guid_attr(r, ref, "targetGUID", 1, g) < 0)
		return -1;
	for (size_t i = 0; i < r->q->nvars; i++)
		if (strcmp(r->q->vars[i].guid, g) == 0)
			var = (long)i;
	if (var < 0)
		return rfail(r, ref, "<VariableRef> names variable %s, which "
		    "<Variables> does not hold", g);
	for (const xmlNode *c = ref->next; c != NULL && value == NULL;
	    c = c->next)
		if (c->type == XML_ELEMENT_NODE && (value = content(c)) ==
		    NULL)
			return rfail(r, NULL, "out of memory");
	if (value == NULL)
		return 0;
	if (ci >= 0 ? tyst_qdpx_case_value(r->q, (size_t)ci, var, value) < 0 :
	    tyst_qdpx_source_value(r->q, (size_t)si, var, value) < 0) {
		free(value);
		return rfail(r, NULL, "out of memory");
	}
	free(value);
	return 0;
}

/* Whether sources/<guid>.txt (the GUID in lower case, as QualCoder
 * writes it) holds the text of src, BOM and CRs aside. */
static int
same_text_member(struct reader *r, const char *guid,
    const struct tyst_qdpx_source *src)
{
	char member[128], *t;
	size_t len, i = 0, o = 0;
	int same;

	snprintf(member, sizeof(member), "sources/%s.txt", guid);
	for (char *c = member; *c != '\0'; c++)
		if (*c >= 'A' && *c <= 'F')
			*c = (char)(*c - 'A' + 'a');
	if (zip_name_locate(r->za, member, 0) < 0)
		return 0;
	if ((t = read_member(r, member, &len)) == NULL) {
		r->err->msg[0] = '\0';
		return 0;
	}
	if (len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < len; i++)
		if (t[i] != '\r' || i + 1 >= len || t[i + 1] != '\n')
			t[o++] = t[i];
	same = o == src->len && memcmp(t, src->text, o) == 0;
	free(t);
	return same;
}

static int
case_source(struct reader *r, size_t ci, const xmlNode *ref)
{
	char g[TYST_GUID_LEN + 1];

	if (guid_attr(r, ref, "targetGUID", 1, g) < 0)
		return -1;
	for (size_t i = 0; i < r->q->nsources; i++)
		if (strcmp(r->q->sources[i].guid, g) == 0)
			return tyst_qdpx_case_source(r->q, ci, (long)i) < 0 ?
			    rfail(r, NULL, "out of memory") : 0;
	/* QualCoder names here the GUID of a copy of the source's text
	 * in the archive, not the source. */
	for (size_t i = 0; i < r->q->nsources; i++)
		if (same_text_member(r, g, &r->q->sources[i]))
			return tyst_qdpx_case_source(r->q, ci, (long)i) < 0 ?
			    rfail(r, NULL, "out of memory") : 0;
	lose(r, TYST_LOST_CASE_SOURCE);
	return 0;
}

/* The text of n's child called name into *out, or NULL when it has none
 * or it is blank. */
static int
text_of(struct reader *r, const xmlNode *n, const char *name, char **out)
{
	const xmlNode *d = child(n, name);
	char *t;

	*out = NULL;
	if (d == NULL)
		return 0;
	if ((t = content(d)) == NULL)
		return rfail(r, NULL, "out of memory");
	if (t[strspn(t, " \t\r\n")] == '\0') {
		free(t);
		return 0;
	}
	*out = t;
	return 0;
}

/* A note that nothing refers to is a journal (QualCoder keeps its
 * journals so, their texts in files of the archive). */
static int
read_journal(struct reader *r, struct rnote *x)
{
	char member[128], *text = x->text;
	size_t len, bad;
	int nul;
	long j;

	if (text == NULL && x->path != NULL &&
	    strncmp(x->path, "internal://", 11) == 0 &&
	    strchr(x->path + 11, '/') == NULL && !strstr(x->path + 11, "..")
	    && strlen(x->path + 11) <= 100) {
		snprintf(member, sizeof(member), "sources/%s", x->path + 11);
		if (zip_name_locate(r->za, member, 0) < 0)
			snprintf(member, sizeof(member), "Sources/%s",
			    x->path + 11);
		if (zip_name_locate(r->za, member, 0) >= 0 &&
		    (text = read_member(r, member, &len)) == NULL)
			return -1;
		if (text != NULL && tyst_utf8_check(text, len, &bad, &nul) < 0) {
			free(text);
			return rfail(r, NULL, "%s: the journal '%s' is not UTF-8 "
			    "text", member, x->name ? x->name : x->guid);
		}
		if (text != NULL) {
			size_t o = 0, i = strncmp(text, "\xef\xbb\xbf", 3) == 0 ?
			    3 : 0;

			for (; i < len; i++)
				if (text[i] != '\r' || i + 1 >= len ||
				    text[i + 1] != '\n')
					text[o++] = text[i];
			text[o] = '\0';
		}
	}
	if (text == NULL) {
		lose(r, TYST_LOST_JOURNAL);
		return 0;
	}
	j = tyst_qdpx_add_journal(r->q, x->guid, x->name != NULL &&
	    x->name[0] != '\0' ? x->name : "journal", text, x->user,
	    x->created);
	if (text != x->text)
		free(text);
	return j < 0 ? rfail(r, NULL, "out of memory") : 0;
}

static int
read_cases(struct reader *r, const xmlNode *cases)
{
	for (const xmlNode *c = cases->children; c != NULL; c = c->next) {
		char g[TYST_GUID_LEN + 1], *name;
		long ci;

		if (!is_el(c, "Case"))
			continue;
		if (guid_attr(r, c, "guid", 1, g) < 0)
			return -1;
		name = getattr(c, "name");
		ci = tyst_qdpx_add_case(r->q, g, name != NULL && name[0] ?
		    name : g);
		xmlFree(name);
		if (ci < 0)
			return rfail(r, NULL, "out of memory");
		if (text_of(r, c, "Description", &r->q->cases[ci].description)
		    < 0)
			return -1;
		for (const xmlNode *x = c->children; x != NULL; x = x->next) {
			if (is_el(x, "VariableValue") &&
			    read_value(r, x, ci, -1) < 0)
				return -1;
			if (is_el(x, "SourceRef") &&
			    case_source(r, (size_t)ci, x) < 0)
				return -1;
		}
	}
	return 0;
}

static int
read_project(struct reader *r, const xmlNode *root)
{
	const xmlNode *n;
	char *name;

	if (!is_el(root, "Project"))
		return rfail(r, root, "the root element is <%s>, not <Project> "
		    "of namespace " QDA_NS, (const char *)root->name);
	if ((name = getattr(root, "name")) == NULL)
		return rfail(r, root, "<Project> lacks the required attribute "
		    "name");
	r->q->name = strdup(name);
	xmlFree(name);
	if (r->q->name == NULL)
		return rfail(r, NULL, "out of memory");
	{
		char g[TYST_GUID_LEN + 1];

		if (guid_attr(r, root, "creatingUserGUID", 0, g) < 0)
			return -1;
		if (g[0] != '\0' && (r->q->creating_user = strdup(g)) == NULL)
			return rfail(r, NULL, "out of memory");
		r->q->created = created_of(root);
	}
	if ((n = child(root, "Users")) != NULL && read_users(r, n) < 0)
		return -1;
	if ((n = child(root, "Notes")) != NULL && read_notes(r, n) < 0)
		return -1;
	if ((n = child(root, "CodeBook")) != NULL) {
		const xmlNode *codes = child(n, "Codes");

		if (codes == NULL)
			return rfail(r, n, "<CodeBook> lacks <Codes>");
		if (read_codes(r, codes, -1) < 0)
			return -1;
	}
	if ((n = child(root, "Variables")) != NULL && read_vars(r, n) < 0)
		return -1;
	if ((n = child(root, "Sources")) != NULL)
		for (const xmlNode *s = n->children; s != NULL; s = s->next) {
			if (is_el(s, "TextSource")) {
				if (read_source(r, s) < 0)
					return -1;
			} else if (s->type == XML_ELEMENT_NODE)
				lose(r, TYST_LOST_SOURCE);
		}
	for (size_t i = 0; i < r->nnotes; i++) {
		if (!r->notes[i].used) {
			if (read_journal(r, &r->notes[i]) < 0)
				return -1;
		} else if (r->notes[i].annotation &&
		    !r->notes[i].as_annotation)
			lose(r, TYST_LOST_ANNOTATION);
	}
	if ((n = child(root, "Cases")) != NULL && read_cases(r, n) < 0)
		return -1;
	if (text_of(r, root, "Description", &r->q->description) < 0)
		return -1;
	/* Sets of codes are the codebook's (tyst_qdc_read takes them);
	 * one that gathers sources or notes is not kept. */
	if ((n = child(root, "Sets")) != NULL)
		for (const xmlNode *c = n->children; c != NULL; c = c->next)
			if (is_el(c, "Set") && (child(c, "MemberSource") ||
			    child(c, "MemberNote")))
				lose(r, TYST_LOST_SET);
	count_lost(r, root, "Graphs", "Graph", TYST_LOST_GRAPH);
	count_lost(r, root, "Links", "Link", TYST_LOST_LINK);
	return 0;
}

static int
open_zip(struct reader *r)
{
	struct stat st;
	int ze = 0;

	if (stat(r->path, &st) < 0)
		return tyst_err_set(r->err, r->path, 0, 0, "%s",
		    strerror(errno));
	if (S_ISDIR(st.st_mode))
		return tyst_err_set(r->err, r->path, 0, 0, "is a directory, "
		    "not a .qdpx file");
	if ((r->za = zip_open(r->path, ZIP_RDONLY, &ze)) == NULL) {
		zip_error_t e;

		if (ze == ZIP_ER_NOZIP)
			return tyst_err_set(r->err, r->path, 0, 0, "not a zip "
			    "archive, so not a .qdpx file");
		zip_error_init_with_code(&e, ze);
		tyst_err_set(r->err, r->path, 0, 0, "cannot open: %s",
		    zip_error_strerror(&e));
		zip_error_fini(&e);
		return -1;
	}
	return 0;
}

int
tyst_qdpx_read(struct tyst_qdpx *q, const char *path, struct tyst_err *err)
{
	struct reader r = { .path = path, .q = q, .err = err };
	xmlDoc *doc = NULL;
	char *qde = NULL;
	size_t len;
	int rc = -1;

	memset(q, 0, sizeof(*q));
	if (open_zip(&r) < 0)
		return -1;
	if ((qde = read_member(&r, "project.qde", &len)) == NULL)
		goto out;
	if (len > INT32_MAX) {
		rfail(&r, NULL, "project.qde: too large");
		goto out;
	}
	doc = xmlReadMemory(qde, (int)len, "project.qde", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", e && e->message ?
		    e->message : "not well-formed XML");
		msg[strcspn(msg, "\n")] = '\0';
		tyst_err_set(err, path, 0, 0, "project.qde:%d: %s",
		    e ? e->line : 0, msg);
		goto out;
	}
	if (declares_entities(doc)) {
		rfail(&r, NULL, "project.qde declares XML entities (<!ENTITY> "
		    "in its DTD), which a REFI-QDA file never needs and an "
		    "XML bomb does: refused (limit: no entity declarations)");
		goto out;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		rfail(&r, NULL, "project.qde is empty");
		goto out;
	}
	rc = read_project(&r, xmlDocGetRootElement(doc));
out:
	for (size_t i = 0; i < r.nnotes; i++) {
		free(r.notes[i].text);
		free(r.notes[i].created);
		xmlFree(r.notes[i].name);
		xmlFree(r.notes[i].path);
	}
	free(r.notes);
	if (doc != NULL)
		xmlFreeDoc(doc);
	free(qde);
	if (r.za != NULL)
		zip_discard(r.za);
	if (rc < 0)
		tyst_qdpx_free(q);
	return rc;
}

/* ---- a coding project as a REFI-QDA project ------------------------------ */

struct fctx {
	struct tyst_project *p;
	struct tyst_qdpx *q;
	struct tyst_err *err;
	struct tyst_codebook cb;   /* codes[i] is q->codes[i] */
	char **docnames;           /* the name of each source, by index */
	int64_t *docids;
	int64_t *caseids;          /* the row id of each case, by index */
	int failed;
};

/* The GUID of a row: the one an imported file gave it, else one derived
 * from key (the same project, the same GUIDs). */
static void
row_guid(struct fctx *x, int kind, int64_t id, const char *key,
    char g[TYST_GUID_LEN + 1])
{
	char *kept = tyst_project_guid(x->p, kind, id);

	if (kept != NULL && norm_guid(kept, g) == 0) {
		free(kept);
		return;
	}
	free(kept);
	tyst_qdpx_guid(key, g);
}

static long
case_of(const struct fctx *x, int64_t id)
{
	for (size_t i = 0; i < x->q->ncases; i++)
		if (x->caseids[i] == id)
			return (long)i;
	return -1;
}

static int
f_case(int64_t id, const char *name, void *arg)
{
	struct fctx *x = arg;
	char key[512], g[TYST_GUID_LEN + 1];
	void *v;
	long i;

	snprintf(key, sizeof(key), "tyst-case:%s", name);
	row_guid(x, TYST_GUID_CASE, id, key, g);
	if ((i = tyst_qdpx_add_case(x->q, g, name)) < 0 ||
	    (v = realloc(x->caseids, (size_t)(i + 1) * sizeof(*x->caseids)))
	    == NULL)
		return x->failed = 1;
	x->caseids = v;
	x->caseids[i] = id;
	x->q->cases[i].description = tyst_project_case_description(x->p, id);
	return 0;
}

/* The variable called key (of type Text: a value is what the researcher
 * typed), made when new; -1 when out of memory. */
static long
var_index(struct tyst_qdpx *q, const char *key)
{
	char k[512], g[TYST_GUID_LEN + 1];

	for (size_t i = 0; i < q->nvars; i++)
		if (strcmp(q->vars[i].name, key) == 0)
			return (long)i;
	snprintf(k, sizeof(k), "tyst-variable:%s", key);
	tyst_qdpx_guid(k, g);
	return tyst_qdpx_add_var(q, g, key, "Text");
}

/* Case attributes as variables and values. */
static int
f_attr(int64_t case_id, const char *key, const char *value, void *arg)
{
	struct fctx *x = arg;
	long c = case_of(x, case_id), var;

	if (c < 0)
		return 0;
	if ((var = var_index(x->q, key)) < 0 ||
	    tyst_qdpx_case_value(x->q, (size_t)c, var, value) < 0)
		return x->failed = 1;
	return 0;
}

static long
source_by_id(const struct fctx *x, int64_t id)
{
	for (size_t i = 0; i < x->q->nsources; i++)
		if (x->docids[i] == id)
			return (long)i;
	return -1;
}

/* Document attributes as variables and values of the source. */
static int
f_docattr(int64_t doc, const char *key, const char *value, void *arg)
{
	struct fctx *x = arg;
	long s = source_by_id(x, doc), var;

	if (s < 0)
		return 0;
	if ((var = var_index(x->q, key)) < 0 ||
	    tyst_qdpx_source_value(x->q, (size_t)s, var, value) < 0)
		return x->failed = 1;
	return 0;
}

static long
user_index(struct tyst_qdpx *q, const char *name)
{
	char key[512], g[TYST_GUID_LEN + 1];

	for (size_t i = 0; i < q->nusers; i++)
		if (strcmp(q->users[i].name, name) == 0)
			return (long)i;
	snprintf(key, sizeof(key), "tyst-coder:%s", name);
	tyst_qdpx_guid(key, g);
	return tyst_qdpx_add_user(q, g, name);
}

static long
code_by_id(const struct fctx *x, const char *code)
{
	for (size_t i = 0; i < x->cb.ncodes; i++)
		if (strcmp(x->cb.codes[i].id, code) == 0)
			return (long)i;
	return -1;
}

/* A code's GUID: the one an imported file gave it, else the one
 * tyst-codebook's .qdc export gives its id. */
static void
code_guid(struct fctx *x, int64_t id, const char *code,
    char g[TYST_GUID_LEN + 1])
{
	char *kept = tyst_project_guid(x->p, TYST_GUID_CODE, id);

	if (kept == NULL || norm_guid(kept, g) < 0) {
		char lower[TYST_GUID_LEN + 1];

		tyst_qdc_code_guid(code, lower);
		norm_guid(lower, g);
	}
	free(kept);
}

/* The codebook whole (tyst_qdc_code_description: inclusion, exclusion,
 * examples and the id in the description), and its sets. */
static int
f_codes(struct fctx *x)
{
	for (size_t i = 0; i < x->cb.ncodes; i++) {
		const struct tyst_code *c = &x->cb.codes[i];
		char g[TYST_GUID_LEN + 1], *desc;
		int64_t id = tyst_project_code_id(x->p, c->id, x->err);
		long k;

		if (id < 0)
			return -1;
		code_guid(x, id, c->id, g);
		if ((desc = tyst_qdc_code_description(c)) == NULL)
			return x->failed = 1;
		k = tyst_qdpx_add_code(x->q, g, c->label, desc, c->color,
		    c->parent);
		free(desc);
		if (k < 0)
			return x->failed = 1;
		x->q->codes[k].uncodable = c->uncodable;
	}
	for (size_t i = 0; i < x->cb.nsets; i++) {
		const struct tyst_codeset *t = &x->cb.sets[i];
		char g[TYST_GUID_LEN + 1], *desc;
		long k;

		char lower[TYST_GUID_LEN + 1];

		tyst_qdc_set_guid(t->id, lower);
		norm_guid(lower, g);
		if ((desc = tyst_qdc_set_description(t)) == NULL)
			return x->failed = 1;
		k = tyst_qdpx_add_set(x->q, g, t->label, desc);
		free(desc);
		if (k < 0)
			return x->failed = 1;
		for (size_t m = 0; m < t->nmembers; m++)
			if (tyst_qdpx_set_code(x->q, (size_t)k,
			    (long)t->members[m]) < 0)
				return x->failed = 1;
	}
	return 0;
}

static int
f_doc(const struct tyst_pdoc *d, void *arg)
{
	struct fctx *x = arg;
	char key[128], g[TYST_GUID_LEN + 1];
	size_t n = x->q->nsources;
	void *nn, *ni;

	snprintf(key, sizeof(key), "tyst-document:%s", d->sha256);
	row_guid(x, TYST_GUID_DOCUMENT, d->id, key, g);
	if (tyst_qdpx_add_source(x->q, g, d->name, d->text, d->len) < 0)
		return x->failed = 1;
	nn = realloc(x->docnames, (n + 1) * sizeof(*x->docnames));
	if (nn == NULL)
		return x->failed = 1;
	x->docnames = nn;
	ni = realloc(x->docids, (n + 1) * sizeof(*x->docids));
	if (ni == NULL)
		return x->failed = 1;
	x->docids = ni;
	x->docnames[n] = x->q->sources[n].name;
	x->docids[n] = d->id;
	if (d->case_id > 0 && case_of(x, d->case_id) >= 0 &&
	    tyst_qdpx_case_source(x->q, (size_t)case_of(x, d->case_id),
	    (long)n) < 0)
		return x->failed = 1;
	return 0;
}

static long
source_of(const struct fctx *x, const char *name)
{
	for (size_t i = 0; i < x->q->nsources; i++)
		if (strcmp(x->docnames[i], name) == 0)
			return (long)i;
	return -1;
}

static int
f_seg(const struct tyst_psegment *s, void *arg)
{
	struct fctx *x = arg;
	char key[256], g[TYST_GUID_LEN + 1];
	long src = source_by_id(x, s->document_id), user, code;

	if (src < 0 || (code = code_by_id(x, s->code)) < 0)
		return 0;
	if ((user = user_index(x->q, s->coder)) < 0)
		return x->failed = 1;
	snprintf(key, sizeof(key), "tyst-segment:%s:%lld", x->q->sources[src].guid,
	    (long long)s->id);
	tyst_qdpx_guid(key, g);
	if (tyst_qdpx_add_sel(x->q, (size_t)src, g, (size_t)s->start,
	    (size_t)s->end, code, user, s->memo, s->created) < 0)
		return x->failed = 1;
	return 0;
}

/* A memo's GUID from what it is (where, by whom, when, what), not from
 * its row: a project that took the file back gives the same GUIDs. */
static int
memo_guid(const struct tyst_pmemo *m, char g[TYST_GUID_LEN + 1])
{
	const char *part[] = { m->document, m->code, m->coder, m->created,
	    m->text };
	size_t n = 16;
	char *key;

	for (size_t i = 0; i < 5; i++)
		n += part[i] != NULL ? strlen(part[i]) + 1 : 1;
	if ((key = malloc(n)) == NULL)
		return -1;
	strcpy(key, "tyst-memo");
	for (size_t i = 0; i < 5; i++) {
		strcat(key, "\x1f");
		strcat(key, part[i] != NULL ? part[i] : "");
	}
	tyst_qdpx_guid(key, g);
	free(key);
	return 0;
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* Notes in an order that does not hang on row ids, which a project that
 * took the file back numbers otherwise. */
static int
note_order(const void *pa, const void *pb)
{
	const struct tyst_qdpx_note *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->created, b->created)) != 0)
		return c;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	if ((c = strcmp(a->text, b->text)) != 0)
		return c;
	return strcmp(a->guid, b->guid);
}

static int
f_memo(const struct tyst_pmemo *m, void *arg)
{
	struct fctx *x = arg;
	char g[TYST_GUID_LEN + 1];
	long src = -1, code = -1, user = -1;

	if (m->document != NULL && (src = source_of(x, m->document)) < 0)
		return 0;
	if (m->code != NULL && (code = code_by_id(x, m->code)) < 0)
		return 0;
	if (m->coder != NULL && (user = user_index(x->q, m->coder)) < 0)
		return x->failed = 1;
	if (memo_guid(m, g) < 0)
		return x->failed = 1;
	if (tyst_qdpx_add_note(x->q, g, m->text, src, code, user,
	    m->created) < 0)
		return x->failed = 1;
	return 0;
}

static int
f_annotation(const struct tyst_pannotation *a, void *arg)
{
	struct fctx *x = arg;
	char key[64], g[TYST_GUID_LEN + 1];
	long src = source_by_id(x, a->document_id), user = -1;

	if (src < 0)
		return 0;
	if (a->coder != NULL && (user = user_index(x->q, a->coder)) < 0)
		return x->failed = 1;
	snprintf(key, sizeof(key), "tyst-annotation:%lld", (long long)a->id);
	if (a->guid == NULL || norm_guid(a->guid, g) < 0)
		tyst_qdpx_guid(key, g);
	if (tyst_qdpx_add_annotation(x->q, g, (size_t)src, (size_t)a->start,
	    (size_t)a->end, a->text, user, a->created) < 0)
		return x->failed = 1;
	return 0;
}

static int
f_journal(const struct tyst_pjournal *j, void *arg)
{
	struct fctx *x = arg;
	char key[64], g[TYST_GUID_LEN + 1];
	long user = -1;

	if (j->coder != NULL && (user = user_index(x->q, j->coder)) < 0)
		return x->failed = 1;
	snprintf(key, sizeof(key), "tyst-journal:%lld", (long long)j->id);
	if (j->guid == NULL || norm_guid(j->guid, g) < 0)
		tyst_qdpx_guid(key, g);
	if (tyst_qdpx_add_journal(x->q, g, j->name, j->text, user,
	    j->created) < 0)
		return x->failed = 1;
	return 0;
}

static int
f_coder(int64_t id, const char *name, void *arg)
{
	struct fctx *x = arg;
	char key[512], g[TYST_GUID_LEN + 1];

	snprintf(key, sizeof(key), "tyst-coder:%s", name);
	row_guid(x, TYST_GUID_CODER, id, key, g);
	return tyst_qdpx_add_user(x->q, g, name) < 0 ? (x->failed = 1) : 0;
}

int
tyst_qdpx_from_project(struct tyst_project *p, struct tyst_qdpx *q,
    struct tyst_err *err)
{
	struct fctx x = { .p = p, .q = q, .err = err };
	const char *path = tyst_project_path(p);
	char *title;
	int rc = -1;

	memset(q, 0, sizeof(*q));
	title = tyst_project_meta(p, "title");
	if (title == NULL) {
		const char *b = strrchr(path, '/');

		title = strdup(b != NULL ? b + 1 : path);
	}
	q->name = title;
	if (q->name == NULL)
		goto oom;
	q->description = tyst_project_meta(p, "description");
	q->creating_user = tyst_project_meta(p, "refi_creating_user");
	/* When the project was made: by the program of a file it came
	 * from, else by tyst-code init. */
	if ((q->created = tyst_project_meta(p, "refi_created")) == NULL)
		q->created = tyst_project_meta(p, "created");
	if (tyst_project_coders(p, f_coder, &x, err) < 0 ||
	    tyst_project_codebook(p, &x.cb, err) < 0 || f_codes(&x) < 0 ||
	    tyst_project_cases(p, f_case, &x, err) < 0 ||
	    tyst_project_case_attrs(p, 0, f_attr, &x, err) < 0 ||
	    tyst_project_documents(p, 1, f_doc, &x, err) < 0 ||
	    tyst_project_document_attrs(p, 0, f_docattr, &x, err) < 0 ||
	    tyst_project_segments(p, NULL, f_seg, &x, err) < 0 ||
	    tyst_project_memos(p, 0, 0, f_memo, &x, err) < 0 ||
	    tyst_project_annotations(p, 0, f_annotation, &x, err) < 0 ||
	    tyst_project_journals(p, f_journal, &x, err) < 0)
		goto out;
	if (x.failed)
		goto oom;
	if (q->nnotes > 1)
		qsort(q->notes, q->nnotes, sizeof(*q->notes), note_order);
	rc = 0;
	goto out;
oom:
	tyst_err_set(err, path, 0, 0, "out of memory");
out:
	tyst_codebook_free(&x.cb);
	free(x.docnames);
	free(x.docids);
	free(x.caseids);
	if (rc < 0)
		tyst_qdpx_free(q);
	return rc;
}

/* ---- importing into a project -------------------------------------------- */

/* Ids of the file's codes, read as tyst-codebook reads them, in the order
 * the codebook lists them (the same depth-first order as ours). */
static int
code_ids(const struct tyst_qdpx *q, const char *path, struct tyst_codebook *cb,
    struct tyst_err *err)
{
	memset(cb, 0, sizeof(*cb));
	if (q->ncodes == 0)
		return 0;
	if (tyst_qdc_read(cb, path, 1, err) < 0)
		return -1;
	if (cb->ncodes != q->ncodes)
		return tyst_err_set(err, path, 0, 0, "the codebook reads as "
		    "%zu codes, the project as %zu", cb->ncodes, q->ncodes);
	for (size_t i = 0; i < q->ncodes; i++)
		if (strcmp(cb->codes[i].label, q->codes[i].name) != 0)
			return tyst_err_set(err, path, 0, 0, "code %zu is '%s' "
			    "in the codebook but '%s' in the project", i + 1,
			    cb->codes[i].label, q->codes[i].name);
	return 0;
}

static int
project_has_codes_cb(const struct tyst_pcode *c, void *arg)
{
	(void)c;
	*(int *)arg = 1;
	return 1;
}

/* A document name from a source name: without a ".txt" ending, and made
 * unique in the project with -2, -3 ... */
static int
doc_name(struct tyst_project *p, const char *src, char *out, size_t n,
    struct tyst_err *err)
{
	struct tyst_pdoc_owned o;
	size_t len = strlen(src);

	if (len > 4 && strcmp(src + len - 4, ".txt") == 0)
		len -= 4;
	for (int i = 1; i < 1000; i++) {
		int rc;

		if (i == 1)
			snprintf(out, n, "%.*s", (int)len, src);
		else
			snprintf(out, n, "%.*s-%d", (int)len, src, i);
		if ((rc = tyst_project_document(p, out, &o, err)) < 0)
			return -1;
		if (rc == 0)
			return 0;
		tyst_pdoc_free(&o);
	}
	return tyst_err_set(err, "", 0, 0, "no free name for '%s'", src);
}

/* The case of a new document: the file's case that lists its source, else
 * a case named after the document. */
static int64_t
doc_case(struct tyst_project *p, const struct tyst_qdpx *q, size_t source,
    const char *name, struct tyst_qdpx_import *r, struct tyst_err *err)
{
	int64_t had;

	for (size_t c = 0; c < q->ncases; c++)
		for (size_t j = 0; j < q->cases[c].nsources; j++) {
			if (q->cases[c].sources[j] != (long)source)
				continue;
			name = q->cases[c].name;
			if ((had = tyst_project_case(p, name, 0, err)) != 0)
				return had;
			r->cases_added++;
			return tyst_project_case(p, name, 1, err);
		}
	return tyst_project_case(p, name, 1, err);
}

/* A source's variable values as attributes of its document; one the
 * project holds otherwise keeps the project's value and is counted. */
static int
import_doc_attrs(struct tyst_project *p, const struct tyst_qdpx *q, size_t si,
    int64_t doc, struct tyst_qdpx_import *r, struct tyst_err *err)
{
	const struct tyst_qdpx_source *s = &q->sources[si];

	for (size_t j = 0; j < s->nvalues; j++) {
		const char *key = q->vars[s->vars[j]].name;
		char *had = tyst_project_document_attr(p, doc, key);

		if (had != NULL) {
			r->doc_attrs_differ += strcmp(had, s->values[j]) != 0;
			free(had);
			continue;
		}
		if (tyst_project_set_document_attr(p, doc, key, s->values[j],
		    err) < 0)
			return -1;
		r->doc_attrs_set++;
	}
	return 0;
}

static int
import_sources(struct tyst_project *p, const struct tyst_qdpx *q,
    const char *path, const int64_t *codes, const int64_t *coders,
    tyst_qdpx_gate_fn gate, void *gctx, int64_t *docs,
    struct tyst_qdpx_import *r, struct tyst_err *err)
{
	for (size_t i = 0; i < q->nsources; i++) {
		const struct tyst_qdpx_source *s = &q->sources[i];
		char sha[65], name[512], now[32];
		const char *review;
		struct tyst_pdoc pd;
		int64_t id, case_id;

		tyst_sha256_hex(s->text, s->len, sha);
		if ((id = tyst_project_document_id_by_sha(p, sha, err)) < 0)
			return -1;
		if (id > 0) {
			r->documents_present++;
		} else {
			if (doc_name(p, s->name, name, sizeof(name), err) < 0)
				return -1;
			if (gate(name, s->text, s->len, &review, gctx,
			    err) < 0)
				return -1;
			if ((case_id = doc_case(p, q, i, name, r, err)) < 0)
				return -1;
			memset(&pd, 0, sizeof(pd));
			tyst_now_iso(now);
			pd.name = name;
			pd.text = s->text;
			pd.len = s->len;
			pd.sha256 = sha;
			pd.file_sha256 = sha;
			pd.source = path;
			pd.imported = now;
			pd.review = review;
			pd.case_id = case_id;
			if (tyst_project_add_document(p, &pd, &id, err) < 0)
				return -1;
			r->documents_added++;
		}
		docs[i] = id;
		if (tyst_project_set_guid(p, TYST_GUID_DOCUMENT, id, s->guid,
		    err) < 0 || import_doc_attrs(p, q, i, id, r, err) < 0)
			return -1;
		for (size_t j = 0; j < s->nsels; j++) {
			const struct tyst_qdpx_sel *x = &s->sels[j];
			int64_t sid, coder = x->user >= 0 ? coders[x->user] :
			    coders[q->nusers];
			int rc = tyst_project_add_segment(p, id, codes[x->code],
			    coder, x->start, x->end, x->memo, &sid, err);

			if (rc < 0)
				return -1;
			if (rc == 0) {
				r->segments_present++;
				continue;
			}
			r->segments_added++;
			if (tyst_project_segment_times(p, sid, x->created,
			    x->created, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int
import_notes(struct tyst_project *p, const struct tyst_qdpx *q,
    const int64_t *codes, const int64_t *coders, const int64_t *docs,
    struct tyst_qdpx_import *r, struct tyst_err *err)
{
	for (size_t i = 0; i < q->nnotes; i++) {
		const struct tyst_qdpx_note *n = &q->notes[i];
		int64_t doc = n->source >= 0 ? docs[n->source] : 0;
		int64_t code = n->code >= 0 ? codes[n->code] : 0;
		int64_t coder = n->user >= 0 ? coders[n->user] : 0;
		int rc;

		if (doc == 0 && code == 0)
			continue;
		if ((rc = tyst_project_memo_exists(p, doc, code, coder,
		    n->text, err)) < 0)
			return -1;
		if (rc > 0) {
			r->memos_present++;
			continue;
		}
		if (tyst_project_add_memo_at(p, doc, code, coder, n->text,
		    n->created, err) < 0)
			return -1;
		r->memos_added++;
	}
	return 0;
}

static int
map_codes(struct tyst_project *p, const struct tyst_qdpx *q, const char *path,
    struct tyst_codebook *cb, int64_t *codes, struct tyst_qdpx_import *r,
    struct tyst_err *err)
{
	int has = 0;
	size_t missing = 0;

	if (tyst_project_codes(p, project_has_codes_cb, &has, err) < 0)
		return -1;
	if (!has && cb->ncodes > 0) {
		struct tyst_sync_report sr;
		int rc = tyst_project_sync_codebook(p, cb, 0, &sr, err);

		r->codes_added = sr.added;
		tyst_sync_report_free(&sr);
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < q->ncodes; i++) {
		if ((codes[i] = tyst_project_code_id(p, cb->codes[i].id,
		    err)) < 0)
			return -1;
		if (codes[i] > 0)
			continue;
		/* Unused codes need not be there. */
		for (size_t s = 0; s < q->nsources; s++)
			for (size_t j = 0; j < q->sources[s].nsels; j++)
				if (q->sources[s].sels[j].code == (long)i &&
				    codes[i] == 0) {
					tyst_warn(path, 0, 0, "code '%s' (%s) is "
					    "not in the project's codebook",
					    cb->codes[i].id, q->codes[i].name);
					codes[i] = -1;
					missing++;
				}
	}
	if (missing > 0)
		return tyst_err_set(err, path, 0, 0, "%zu code%s used in the "
		    "file %s not in %s's codebook; add %s to the YAML and run "
		    "tyst-code codebook-sync, or import into a new project",
		    missing, missing == 1 ? "" : "s", missing == 1 ? "is" :
		    "are", tyst_project_path(p), missing == 1 ? "it" : "them");
	return 0;
}

/* A case's memo (case_id > 0) or the project's: set when there is none;
 * another already there stays, and the file's counts as left out. */
static int
import_text(struct tyst_project *p, int64_t case_id, const char *text,
    int kind, struct tyst_qdpx_import *r, struct tyst_err *err)
{
	char *had;
	int rc;

	if (text == NULL)
		return 0;
	had = case_id > 0 ? tyst_project_case_description(p, case_id) :
	    tyst_project_meta(p, "description");
	if (had != NULL) {
		if (strcmp(had, text) != 0) {
			r->lost[kind]++;
			r->skipped++;
		}
		free(had);
		return 0;
	}
	rc = case_id > 0 ? tyst_project_set_case_description(p, case_id,
	    text, err) : tyst_project_set_meta(p, "description", text, err);
	return rc < 0 ? -1 : 0;
}

/* What the file says of the project as a whole: its name, who made it
 * when (kept, so that an export says so again), its memo, journals. */
static int
import_project(struct tyst_project *p, const struct tyst_qdpx *q,
    const int64_t *coders, struct tyst_qdpx_import *r, struct tyst_err *err)
{
	static const char *const key[] = { "title", "refi_creating_user",
	    "refi_created" };
	const char *val[] = { q->name, q->creating_user, q->created };

	for (size_t i = 0; i < 3; i++) {
		char *had = tyst_project_meta(p, key[i]);

		if (had == NULL && val[i] != NULL &&
		    tyst_project_set_meta(p, key[i], val[i], err) < 0)
			return -1;
		free(had);
	}
	if (import_text(p, 0, q->description, TYST_LOST_PROJECT_MEMO, r,
	    err) < 0)
		return -1;
	for (size_t i = 0; i < q->njournals; i++) {
		const struct tyst_qdpx_journal *j = &q->journals[i];
		int rc = tyst_project_add_journal(p, j->name, j->text,
		    j->user >= 0 ? coders[j->user] : 0, j->created, j->guid,
		    err);

		if (rc < 0)
			return -1;
		r->journals_added += (size_t)rc;
	}
	return 0;
}

static int
import_annotations(struct tyst_project *p, const struct tyst_qdpx *q,
    const int64_t *coders, const int64_t *docs, struct tyst_qdpx_import *r,
    struct tyst_err *err)
{
	for (size_t i = 0; i < q->nannotations; i++) {
		const struct tyst_qdpx_annotation *a = &q->annotations[i];
		int rc = tyst_project_add_annotation(p, docs[a->source],
		    a->user >= 0 ? coders[a->user] : 0, a->start, a->end,
		    a->text, a->created, a->guid, err);

		if (rc < 0)
			return -1;
		r->annotations_added += (size_t)rc;
	}
	return 0;
}

/*
 * Cases with their attributes, and the case of each document that has
 * none yet.  An attribute the project already holds with another value
 * keeps the project's value and is counted: an import never overwrites
 * what a researcher set.
 */
static int
import_cases(struct tyst_project *p, const struct tyst_qdpx *q,
    const int64_t *docs, struct tyst_qdpx_import *r, struct tyst_err *err)
{
	for (size_t i = 0; i < q->ncases; i++) {
		const struct tyst_qdpx_case *c = &q->cases[i];
		int64_t id = tyst_project_case(p, c->name, 0, err);

		if (id < 0)
			return -1;
		if (id == 0) {
			if ((id = tyst_project_case(p, c->name, 1, err)) < 0)
				return -1;
			r->cases_added++;
		}
		if (tyst_project_set_guid(p, TYST_GUID_CASE, id, c->guid,
		    err) < 0 || import_text(p, id, c->description,
		    TYST_LOST_CASE_MEMO, r, err) < 0)
			return -1;
		for (size_t j = 0; j < c->nvalues; j++) {
			const char *key = q->vars[c->vars[j]].name;
			char *had = tyst_project_case_attr(p, id, key);

			if (had != NULL) {
				r->attrs_differ += strcmp(had, c->values[j]) != 0;
				free(had);
				continue;
			}
			if (tyst_project_set_case_attr(p, id, key,
			    c->values[j], err) < 0)
				return -1;
			r->attrs_set++;
		}
		for (size_t j = 0; j < c->nsources; j++)
			if (docs[c->sources[j]] > 0 &&
			    tyst_project_set_document_case(p,
			    docs[c->sources[j]], id, err) < 0)
				return -1;
	}
	return 0;
}

int
tyst_qdpx_into_project(struct tyst_project *p, const char *path,
    tyst_qdpx_gate_fn gate, void *gate_ctx, struct tyst_qdpx_import *r,
    struct tyst_err *err)
{
	struct tyst_qdpx q;
	struct tyst_codebook cb;
	int64_t *codes = NULL, *coders = NULL, *docs = NULL;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	memset(&cb, 0, sizeof(cb));
	if (tyst_qdpx_read(&q, path, err) < 0)
		return -1;
	r->skipped = q.skipped;
	memcpy(r->lost, q.lost, sizeof(r->lost));
	memcpy(r->lineends, q.lineends, sizeof(r->lineends));
	if (code_ids(&q, path, &cb, err) < 0)
		goto out;
	codes = calloc(q.ncodes + 1, sizeof(*codes));
	coders = calloc(q.nusers + 1, sizeof(*coders));
	docs = calloc(q.nsources + 1, sizeof(*docs));
	if (codes == NULL || coders == NULL || docs == NULL) {
		tyst_err_set(err, path, 0, 0, "out of memory");
		goto out;
	}
	if (map_codes(p, &q, path, &cb, codes, r, err) < 0)
		goto out;
	for (size_t i = 0; i <= q.nusers; i++) {
		const char *name = i < q.nusers ? q.users[i].name : "unknown";
		int64_t had = tyst_project_coder(p, name, 0, err);

		if (had < 0)
			goto out;
		/* "unknown" is made only when a selection names no user. */
		if (i == q.nusers) {
			int need = 0;

			for (size_t s = 0; s < q.nsources; s++)
				for (size_t j = 0; j < q.sources[s].nsels; j++)
					need |= q.sources[s].sels[j].user < 0;
			if (!need)
				break;
		}
		if ((coders[i] = tyst_project_coder(p, name, 1, err)) < 0)
			goto out;
		r->coders_added += had == 0;
		if (i < q.nusers && tyst_project_set_guid(p, TYST_GUID_CODER,
		    coders[i], q.users[i].guid, err) < 0)
			goto out;
	}
	if (import_sources(p, &q, path, codes, coders, gate, gate_ctx, docs, r,
	    err) < 0)
		goto out;
	if (import_notes(p, &q, codes, coders, docs, r, err) < 0 ||
	    import_cases(p, &q, docs, r, err) < 0 ||
	    import_annotations(p, &q, coders, docs, r, err) < 0 ||
	    import_project(p, &q, coders, r, err) < 0)
		goto out;
	for (size_t i = 0; i < q.ncodes; i++)
		if (codes[i] > 0 && tyst_project_set_guid(p, TYST_GUID_CODE,
		    codes[i], q.codes[i].guid, err) < 0)
			goto out;
	rc = 0;
out:
	free(codes);
	free(coders);
	free(docs);
	tyst_codebook_free(&cb);
	tyst_qdpx_free(&q);
	return rc;
}

/* The attribute values of a case or a document: each goes through the
 * gate as prose, under the variable's name. */
static int
fields_values(const struct tyst_qdpx *q, char *what, size_t whatsz,
    const char *kind,
    const char *owner, const long *vars, char *const *values, size_t n,
    tyst_field_fn fn, void *ctx)
{
	int rc;

	for (size_t k = 0; k < n; k++) {
		const char *var = "?";

		if (values[k] == NULL)
			continue;
		if (vars[k] >= 0 && (size_t)vars[k] < q->nvars)
			var = q->vars[vars[k]].name;
		snprintf(what, whatsz, "attribute %s of %s %s", var, kind, owner);
		if ((rc = fn(what, values[k], TYST_FIELD_TEXT, ctx)) != 0)
			return rc;
	}
	return 0;
}

/* The free texts schema 3 added: the project's memo, case memos,
 * annotations, journals; and the names and attributes of cases. */
static int
fields_extra(const struct tyst_qdpx *q, tyst_field_fn fn, void *ctx)
{
	char what[160];
	int rc;

	if (q->description != NULL && (rc = fn("the project memo",
	    q->description, TYST_FIELD_TEXT, ctx)) != 0)
		return rc;
	for (size_t i = 0; i < q->ncases; i++) {
		/* A case is often named after its person ("Angelica"), and a
		 * variable's value can be anything a coder typed. */
		snprintf(what, sizeof(what), "the name of case %s",
		    q->cases[i].name);
		if ((rc = fn(what, q->cases[i].name, TYST_FIELD_NAME,
		    ctx)) != 0)
			return rc;
		if ((rc = fields_values(q, what, sizeof(what), "case", q->cases[i].name,
		    q->cases[i].vars, q->cases[i].values,
		    q->cases[i].nvalues, fn, ctx)) != 0)
			return rc;
		snprintf(what, sizeof(what), "the memo of case %s",
		    q->cases[i].name);
		if (q->cases[i].description != NULL && (rc = fn(what,
		    q->cases[i].description, TYST_FIELD_TEXT, ctx)) != 0)
			return rc;
	}
	for (size_t i = 0; i < q->nannotations; i++) {
		snprintf(what, sizeof(what), "an annotation in %s",
		    q->sources[q->annotations[i].source].name);
		if ((rc = fn(what, q->annotations[i].text, TYST_FIELD_TEXT,
		    ctx)) != 0)
			return rc;
	}
	for (size_t i = 0; i < q->njournals; i++) {
		snprintf(what, sizeof(what), "the name of journal %s",
		    q->journals[i].name);
		if ((rc = fn(what, q->journals[i].name, TYST_FIELD_NAME,
		    ctx)) != 0)
			return rc;
		snprintf(what, sizeof(what), "journal %s", q->journals[i].name);
		if ((rc = fn(what, q->journals[i].text, TYST_FIELD_TEXT,
		    ctx)) != 0)
			return rc;
	}
	return 0;
}

int
tyst_qdpx_fields(const struct tyst_qdpx *q, tyst_field_fn fn, void *ctx)
{
	char what[160];
	int rc;

	if (q == NULL)
		return 0;
	if (q->name != NULL && (rc = fn("the project name", q->name,
	    TYST_FIELD_NAME, ctx)) != 0)
		return rc;
	for (size_t i = 0; i < q->nusers; i++)
		if (q->users[i].name != NULL && (rc = fn("a coder's name",
		    q->users[i].name, TYST_FIELD_TEXT, ctx)) != 0)
			return rc;
	for (size_t i = 0; i < q->nsources; i++) {
		const struct tyst_qdpx_source *s = &q->sources[i];

		snprintf(what, sizeof(what), "the name of document %s",
		    s->name);
		if ((rc = fn(what, s->name, TYST_FIELD_NAME, ctx)) != 0)
			return rc;
		if ((rc = fields_values(q, what, sizeof(what), "document", s->name, s->vars,
		    s->values, s->nvalues, fn, ctx)) != 0)
			return rc;
		snprintf(what, sizeof(what), "a coding memo in %s", s->name);
		for (size_t k = 0; k < s->nsels; k++)
			if (s->sels[k].memo != NULL && (rc = fn(what,
			    s->sels[k].memo, TYST_FIELD_TEXT, ctx)) != 0)
				return rc;
	}
	for (size_t i = 0; i < q->nnotes; i++) {
		const struct tyst_qdpx_note *n = &q->notes[i];

		if (n->source >= 0)
			snprintf(what, sizeof(what), "a memo on %s",
			    q->sources[n->source].name);
		else
			snprintf(what, sizeof(what), "a memo on a code");
		if (n->text != NULL && (rc = fn(what, n->text, TYST_FIELD_TEXT,
		    ctx)) != 0)
			return rc;
	}
	return fields_extra(q, fn, ctx);
}
