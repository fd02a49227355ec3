/*
 * codebook — see include/tyst/codebook.h and man/tyst-codebook.5.
 *
 * The YAML is read with libyaml's event parser into a small tree of our own
 * (so every node keeps its line and column, and aliases can be refused:
 * an alias can make a YAML graph cyclic), and the tree is then read into
 * struct tyst_codebook, collecting every error in the content rather than
 * stopping at the first.
 */
#include "tyst/codebook.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "tyst/paths.h"
#include "tyst/text.h"

/* Deeper than any sensible codebook; keeps the recursion bounded. */
#define MAX_NESTING 64

enum { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode {
	int kind;
	char *s;                 /* scalar value */
	size_t len;
	int null;                /* a plain "", "~" or "null" */
	int plain;
	struct ynode **kids;     /* a map holds key, value, key, value… */
	size_t n, cap;
	size_t line, col;
};

struct loader {
	const char *name;
	int quiet;
	struct tyst_err *errs;
	size_t max, n;
	struct tyst_codebook *cb;
	size_t capcodes, capsets;
};

/* ---- errors ----------------------------------------------------------------- */

static void lerr(struct loader *, size_t, size_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
lerr(struct loader *L, size_t line, size_t col, const char *fmt, ...)
{
	char msg[sizeof(L->errs[0].msg)];
	va_list ap;

	if (L->n < L->max) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		tyst_err_set(&L->errs[L->n], L->name, line, col, "%s", msg);
	}
	L->n++;
}

static void lwarn(struct loader *, size_t, size_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
lwarn(struct loader *L, size_t line, size_t col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (L->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tyst_warn(L->name, line, col, "%s", msg);
}

static const char *
kind_name(const struct ynode *y)
{
	if (y->kind == YN_MAP)
		return "a mapping";
	if (y->kind == YN_SEQ)
		return "a list";
	return y->null ? "nothing" : "a string";
}

/* ---- the YAML tree ------------------------------------------------------------- */

static void
ynode_free(struct ynode *y)
{
	if (y == NULL)
		return;
	for (size_t i = 0; i < y->n; i++)
		ynode_free(y->kids[i]);
	free(y->kids);
	free(y->s);
	free(y);
}

static int
ynode_add(struct ynode *y, struct ynode *kid)
{
	if (y->n == y->cap) {
		size_t cap = y->cap ? 2 * y->cap : 8;
		struct ynode **k = realloc(y->kids, cap * sizeof(*k));

		if (k == NULL)
			return -1;
		y->kids = k;
		y->cap = cap;
	}
	y->kids[y->n++] = kid;
	return 0;
}

static int
parse_error(struct loader *L, yaml_parser_t *p)
{
	size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "syntax error";

	if (p->error == YAML_MEMORY_ERROR) {
		lerr(L, 0, 0, "out of memory");
		return -1;
	}
	if (p->error == YAML_READER_ERROR) {
		lerr(L, 0, 0, "YAML: %s at byte %zu", problem,
		    p->problem_offset);
		return -1;
	}
	if (p->context != NULL)
		lerr(L, line, col, "YAML: %s (%s at %zu:%zu)", problem,
		    p->context, p->context_mark.line + 1,
		    p->context_mark.column + 1);
	else
		lerr(L, line, col, "YAML: %s", problem);
	return -1;
}

static int
next_event(struct loader *L, yaml_parser_t *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(p, ev))
		return parse_error(L, p);
	return 0;
}

static int is_null_word(const char *s, size_t len);

/*
 * Builds the node that starts with ev (which this takes over).  Returns the
 * node, or NULL after an error was recorded.
 */
static struct ynode *
build(struct loader *L, yaml_parser_t *p, yaml_event_t *ev, int depth)
{
	struct ynode *y;
	yaml_event_type_t end;

	if (ev->type == YAML_ALIAS_EVENT) {
		lerr(L, ev->start_mark.line + 1, ev->start_mark.column + 1,
		    "YAML aliases (*%s) are not allowed in a codebook",
		    (const char *)ev->data.alias.anchor);
		yaml_event_delete(ev);
		return NULL;
	}
	if (depth > MAX_NESTING) {
		lerr(L, ev->start_mark.line + 1, ev->start_mark.column + 1,
		    "nested more than %d levels deep", MAX_NESTING);
		yaml_event_delete(ev);
		return NULL;
	}
	y = calloc(1, sizeof(*y));
	if (y == NULL) {
		yaml_event_delete(ev);
		lerr(L, 0, 0, "out of memory");
		return NULL;
	}
	y->line = ev->start_mark.line + 1;
	y->col = ev->start_mark.column + 1;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		y->kind = YN_SCALAR;
		y->len = ev->data.scalar.length;
		y->s = malloc(y->len + 1);
		if (y->s == NULL) {
			free(y);
			yaml_event_delete(ev);
			lerr(L, 0, 0, "out of memory");
			return NULL;
		}
		memcpy(y->s, ev->data.scalar.value, y->len);
		y->s[y->len] = '\0';
		y->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		y->null = y->plain && is_null_word(y->s, y->len);
		yaml_event_delete(ev);
		return y;
	case YAML_SEQUENCE_START_EVENT:
		y->kind = YN_SEQ;
		end = YAML_SEQUENCE_END_EVENT;
		break;
	case YAML_MAPPING_START_EVENT:
		y->kind = YN_MAP;
		end = YAML_MAPPING_END_EVENT;
		break;
	default:
		lerr(L, y->line, y->col, "unexpected YAML event");
		free(y);
		yaml_event_delete(ev);
		return NULL;
	}
	yaml_event_delete(ev);
	for (;;) {
		yaml_event_t kev;
		struct ynode *kid;

		if (next_event(L, p, &kev) < 0)
			goto fail;
		if (kev.type == end) {
			yaml_event_delete(&kev);
			return y;
		}
		kid = build(L, p, &kev, depth + 1);
		if (kid == NULL)
			goto fail;
		if (ynode_add(y, kid) < 0) {
			ynode_free(kid);
			lerr(L, 0, 0, "out of memory");
			goto fail;
		}
	}
fail:
	ynode_free(y);
	return NULL;
}

/* Parses the one document of the stream; *root is NULL for an empty one. */
static int
parse_yaml(struct loader *L, const char *data, size_t len, struct ynode **root)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = -1;

	*root = NULL;
	if (!yaml_parser_initialize(&p)) {
		lerr(L, 0, 0, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	if (next_event(L, &p, &ev) < 0)             /* stream start */
		goto out;
	yaml_event_delete(&ev);
	if (next_event(L, &p, &ev) < 0)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		rc = 0;
		goto out;
	}
	yaml_event_delete(&ev);                     /* document start */
	if (next_event(L, &p, &ev) < 0)
		goto out;
	if ((*root = build(L, &p, &ev, 0)) == NULL)
		goto out;
	if (next_event(L, &p, &ev) < 0)             /* document end */
		goto out;
	yaml_event_delete(&ev);
	if (next_event(L, &p, &ev) < 0)
		goto out;
	if (ev.type != YAML_STREAM_END_EVENT) {
		lerr(L, ev.start_mark.line + 1, ev.start_mark.column + 1,
		    "a second YAML document: a codebook is one document");
		yaml_event_delete(&ev);
		goto out;
	}
	yaml_event_delete(&ev);
	rc = 0;
out:
	yaml_parser_delete(&p);
	if (rc < 0) {
		ynode_free(*root);
		*root = NULL;
	}
	return rc;
}

/* ---- checking values -------------------------------------------------------- */

static int
is_null_word(const char *s, size_t len)
{
	return len == 0 || (len == 1 && s[0] == '~') ||
	    (len == 4 && (memcmp(s, "null", 4) == 0 ||
	    memcmp(s, "Null", 4) == 0 || memcmp(s, "NULL", 4) == 0));
}

int
tyst_code_id_valid(const char *s, size_t len)
{
	if (len == 0 || len > TYST_CODE_ID_MAX)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (size_t i = 1; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/* Why s is not a valid id, for the message. */
static const char *
id_problem(const char *s, size_t len)
{
	if (len > TYST_CODE_ID_MAX)
		return "longer than 64 characters";
	for (size_t i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return "ids are lowercase";
	if (s[0] == '-' || s[0] == '_' || s[0] == '.')
		return "an id starts with a letter or a digit";
	return "use only a-z, 0-9, '-', '_' and '.'";
}

/*
 * The characters XML 1.0 cannot carry (and \r, which XML turns into \n),
 * refused everywhere so every codebook can be exported.  Returns the code
 * point of the first, or 0.
 */
static uint32_t
bad_char(const char *s, size_t len, int oneline)
{
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t n = tyst_utf8_decode(s + i, len - i, &c);

		if (n == 0)
			return 0xfffd;
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0xfffe ||
		    c == 0xffff || (oneline && (c == '\n' || c == '\t')))
			return c == 0 ? 0x2400 : c;
		i += n;
	}
	return 0;
}

/*
 * The string value of a scalar, trimmed of trailing white space (and, for
 * one-line values, leading white space), or NULL with an error recorded.
 * *absent is set when the value is null or empty.
 */
static char *
get_str(struct loader *L, const struct ynode *y, const char *key, int oneline,
    int *absent)
{
	size_t a = 0, b;
	uint32_t c;
	char *s;

	*absent = 0;
	if (y->kind != YN_SCALAR) {
		lerr(L, y->line, y->col, "'%s' must be a string, not %s", key,
		    kind_name(y));
		return NULL;
	}
	if (y->null) {
		*absent = 1;
		return NULL;
	}
	if (memchr(y->s, '\0', y->len) != NULL) {
		lerr(L, y->line, y->col, "'%s' holds a NUL character", key);
		return NULL;
	}
	b = y->len;
	while (b > 0 && (y->s[b - 1] == ' ' || y->s[b - 1] == '\t' ||
	    y->s[b - 1] == '\n'))
		b--;
	if (oneline)
		while (a < b && (y->s[a] == ' ' || y->s[a] == '\t'))
			a++;
	if (a == b) {
		*absent = 1;
		return NULL;
	}
	if ((c = bad_char(y->s + a, b - a, oneline)) != 0) {
		if (oneline && (c == '\n' || c == '\t'))
			lerr(L, y->line, y->col, "'%s' must be one line of "
			    "text", key);
		else
			lerr(L, y->line, y->col, "'%s' holds the control "
			    "character U+%04X", key, (unsigned)c);
		return NULL;
	}
	s = strndup(y->s + a, b - a);
	if (s == NULL)
		lerr(L, 0, 0, "out of memory");
	return s;
}

static char *
get_id(struct loader *L, const struct ynode *y, const char *what)
{
	int absent;
	char *s = get_str(L, y, "id", 1, &absent);

	if (absent) {
		lerr(L, y->line, y->col, "%s has an empty id", what);
		return NULL;
	}
	if (s != NULL && !tyst_code_id_valid(s, strlen(s))) {
		lerr(L, y->line, y->col, "bad id '%s': %s", s,
		    id_problem(s, strlen(s)));
		free(s);
		return NULL;
	}
	return s;
}

static char *
get_color(struct loader *L, const struct ynode *y)
{
	char *s;

	if (y->kind == YN_SCALAR && y->null && y->plain && y->len == 0) {
		lerr(L, y->line, y->col, "empty colour: quote it, as in "
		    "color: \"#1f77b4\" (an unquoted # starts a comment)");
		return NULL;
	}
	if (y->kind != YN_SCALAR || y->null) {
		lerr(L, y->line, y->col, "'color' must be a string \"#rrggbb\"");
		return NULL;
	}
	if (y->len != 7 || y->s[0] != '#')
		goto bad;
	for (size_t i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)y->s[i]))
			goto bad;
	if ((s = strdup(y->s)) == NULL) {
		lerr(L, 0, 0, "out of memory");
		return NULL;
	}
	for (size_t i = 1; i < 7; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	return s;
bad:
	lerr(L, y->line, y->col, "bad colour '%.40s': write it as \"#rrggbb\"",
	    y->s);
	return NULL;
}

/* Names the keys that are often written for the ones we know. */
static const char *
key_hint(const char *k)
{
	static const char *const hints[][2] = {
		{ "colour", "color" }, { "farg", "color" }, { "färg", "color" },
		{ "children", "codes" }, { "subcodes", "codes" },
		{ "include", "inclusion" }, { "exclude", "exclusion" },
		{ "example", "examples" }, { "quotes", "examples" },
		{ "name", "label" }, { "title", "label" },
		{ "members", "codes" }, { "desc", "description" },
	};

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(k, hints[i][0]) == 0)
			return hints[i][1];
	return NULL;
}

static void
unknown_key(struct loader *L, const struct ynode *k, const char *where)
{
	const char *hint = key_hint(k->s);

	if (hint != NULL)
		lwarn(L, k->line, k->col, "unknown key '%s' in %s (did you "
		    "mean '%s'?); ignored", k->s, where, hint);
	else
		lwarn(L, k->line, k->col, "unknown key '%.60s' in %s; ignored",
		    k->s, where);
}

/*
 * Checks that a mapping's keys are plain strings, each once.  Returns -1
 * (errors recorded) when not.
 */
static int
check_keys(struct loader *L, const struct ynode *m)
{
	int rc = 0;

	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->kids[i];

		if (k->kind != YN_SCALAR || k->null) {
			lerr(L, k->line, k->col, "a key must be a word, not %s",
			    kind_name(k));
			rc = -1;
			continue;
		}
		for (size_t j = 0; j < i; j += 2) {
			const struct ynode *o = m->kids[j];

			if (o->kind == YN_SCALAR && o->len == k->len &&
			    memcmp(o->s, k->s, k->len) == 0) {
				lerr(L, k->line, k->col, "key '%.60s' given "
				    "twice (first at %zu:%zu)", k->s, o->line,
				    o->col);
				rc = -1;
				break;
			}
		}
	}
	return rc;
}

static int
has_key(const struct ynode *m, const char *key)
{
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (m->kids[i]->kind == YN_SCALAR &&
		    strcmp(m->kids[i]->s, key) == 0)
			return 1;
	return 0;
}

static void
set_str(char **dst, char *s)
{
	free(*dst);
	*dst = s;
}

/* ---- codes -------------------------------------------------------------------- */

static void parse_codes(struct loader *, const struct ynode *, long, size_t);

static long
new_code(struct loader *L)
{
	struct tyst_codebook *cb = L->cb;

	if (cb->ncodes == L->capcodes) {
		size_t cap = L->capcodes ? 2 * L->capcodes : 16;
		struct tyst_code *c = realloc(cb->codes, cap * sizeof(*c));

		if (c == NULL) {
			lerr(L, 0, 0, "out of memory");
			return -1;
		}
		cb->codes = c;
		L->capcodes = cap;
	}
	memset(&cb->codes[cb->ncodes], 0, sizeof(cb->codes[0]));
	return (long)cb->ncodes++;
}

static void
parse_examples(struct loader *L, struct tyst_code *c, const struct ynode *v)
{
	const struct ynode *one = v;
	size_t n = v->kind == YN_SEQ ? v->n : 1;
	int absent;

	if (v->kind == YN_MAP) {
		lerr(L, v->line, v->col, "'examples' must be a list of quotes");
		return;
	}
	if (v->kind == YN_SCALAR && v->null)
		return;
	c->examples = calloc(n, sizeof(*c->examples));
	if (c->examples == NULL) {
		lerr(L, 0, 0, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *s;

		if (v->kind == YN_SEQ)
			one = v->kids[i];
		s = get_str(L, one, "examples", 0, &absent);
		if (absent)
			lerr(L, one->line, one->col, "an empty example");
		if (s != NULL)
			c->examples[c->nexamples++] = s;
	}
}

static void
parse_code(struct loader *L, const struct ynode *m, long parent, size_t depth)
{
	const struct ynode *kids = NULL;
	struct tyst_code *c;
	long at;
	int absent;

	if (m->kind != YN_MAP) {
		lerr(L, m->line, m->col, "a code must be a mapping with at "
		    "least 'id' and 'label', not %s", kind_name(m));
		return;
	}
	if ((at = new_code(L)) < 0)
		return;
	c = &L->cb->codes[at];
	c->parent = parent;
	c->depth = depth;
	c->line = m->line;
	c->col = m->col;
	check_keys(L, m);
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->kids[i], *v = m->kids[i + 1];

		if (k->kind != YN_SCALAR || k->null)
			continue;
		if (strcmp(k->s, "id") == 0)
			set_str(&c->id, get_id(L, v, "a code"));
		else if (strcmp(k->s, "label") == 0) {
			set_str(&c->label, get_str(L, v, "label", 1, &absent));
			if (absent)
				lerr(L, v->line, v->col, "empty label");
		} else if (strcmp(k->s, "description") == 0)
			set_str(&c->description, get_str(L, v, k->s, 0, &absent));
		else if (strcmp(k->s, "inclusion") == 0)
			set_str(&c->inclusion, get_str(L, v, k->s, 0, &absent));
		else if (strcmp(k->s, "exclusion") == 0)
			set_str(&c->exclusion, get_str(L, v, k->s, 0, &absent));
		else if (strcmp(k->s, "color") == 0)
			set_str(&c->color, get_color(L, v));
		else if (strcmp(k->s, "examples") == 0 && c->examples == NULL)
			parse_examples(L, c, v);
		else if (strcmp(k->s, "codable") == 0) {
			if (v->kind == YN_SCALAR && strcmp(v->s, "false") == 0)
				c->uncodable = 1;
			else if (!(v->kind == YN_SCALAR &&
			    strcmp(v->s, "true") == 0))
				lerr(L, v->line, v->col, "'codable' must be "
				    "true or false");
		} else if (strcmp(k->s, "codes") == 0)
			kids = v;
		else
			unknown_key(L, k, "a code");
	}
	if (c->id == NULL && !has_key(m, "id"))
		lerr(L, m->line, m->col, "a code without an id");
	if (c->label == NULL && !has_key(m, "label"))
		lerr(L, m->line, m->col, "code '%s' has no label",
		    c->id ? c->id : "?");
	if (kids != NULL)
		parse_codes(L, kids, at, depth + 1);
}

static void
parse_codes(struct loader *L, const struct ynode *v, long parent, size_t depth)
{
	if (v->kind == YN_SCALAR && v->null && parent >= 0)
		return;
	if (v->kind != YN_SEQ) {
		lerr(L, v->line, v->col, "'codes' must be a list of codes, "
		    "not %s", kind_name(v));
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		parse_code(L, v->kids[i], parent, depth);
}

/* ---- sets ------------------------------------------------------------------------ */

static void
parse_members(struct loader *L, struct tyst_codeset *set, const struct ynode *v)
{
	if (v->kind == YN_SCALAR && v->null)
		return;
	if (v->kind != YN_SEQ) {
		lerr(L, v->line, v->col, "the 'codes' of a set must be a list "
		    "of code ids, not %s", kind_name(v));
		return;
	}
	set->members = calloc(v->n ? v->n : 1, sizeof(*set->members));
	if (set->members == NULL) {
		lerr(L, 0, 0, "out of memory");
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *r = v->kids[i];
		long at;
		size_t j;

		if (r->kind != YN_SCALAR || r->null) {
			lerr(L, r->line, r->col, "a set member must be a code "
			    "id, not %s", kind_name(r));
			continue;
		}
		at = tyst_codebook_find(L->cb, r->s);
		if (at < 0) {
			lerr(L, r->line, r->col, "set '%s' names '%.64s', which "
			    "is not a code in this codebook",
			    set->id ? set->id : "?", r->s);
			continue;
		}
		for (j = 0; j < set->nmembers; j++)
			if (set->members[j] == (size_t)at)
				break;
		if (j < set->nmembers) {
			lerr(L, r->line, r->col, "set '%s' names '%s' twice",
			    set->id ? set->id : "?", r->s);
			continue;
		}
		set->members[set->nmembers++] = (size_t)at;
	}
}

static void
parse_set(struct loader *L, const struct ynode *m)
{
	struct tyst_codebook *cb = L->cb;
	struct tyst_codeset *set;
	int absent;

	if (m->kind != YN_MAP) {
		lerr(L, m->line, m->col, "a set must be a mapping with 'id', "
		    "'label' and 'codes', not %s", kind_name(m));
		return;
	}
	if (cb->nsets == L->capsets) {
		size_t cap = L->capsets ? 2 * L->capsets : 8;
		struct tyst_codeset *s = realloc(cb->sets, cap * sizeof(*s));

		if (s == NULL) {
			lerr(L, 0, 0, "out of memory");
			return;
		}
		cb->sets = s;
		L->capsets = cap;
	}
	set = &cb->sets[cb->nsets++];
	memset(set, 0, sizeof(*set));
	set->line = m->line;
	set->col = m->col;
	check_keys(L, m);
	/* The id first, so that messages about members can name the set. */
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (m->kids[i]->kind == YN_SCALAR &&
		    strcmp(m->kids[i]->s, "id") == 0)
			set_str(&set->id, get_id(L, m->kids[i + 1], "a set"));
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->kids[i], *v = m->kids[i + 1];

		if (k->kind != YN_SCALAR || k->null || strcmp(k->s, "id") == 0)
			continue;
		if (strcmp(k->s, "label") == 0) {
			set_str(&set->label, get_str(L, v, "label", 1, &absent));
			if (absent)
				lerr(L, v->line, v->col, "empty label");
		} else if (strcmp(k->s, "description") == 0)
			set_str(&set->description, get_str(L, v, k->s, 0,
			    &absent));
		else if (strcmp(k->s, "codes") == 0 && set->members == NULL)
			parse_members(L, set, v);
		else
			unknown_key(L, k, "a set");
	}
	if (set->id == NULL && !has_key(m, "id"))
		lerr(L, m->line, m->col, "a set without an id");
	if (set->label == NULL && !has_key(m, "label"))
		lerr(L, m->line, m->col, "set '%s' has no label",
		    set->id ? set->id : "?");
}

/* ---- the book --------------------------------------------------------------------- */

static const struct tyst_codebook *sort_cb;

static int
cmp_byid(const void *a, const void *b)
{
	const struct tyst_code *x = &sort_cb->codes[*(const size_t *)a];
	const struct tyst_code *y = &sort_cb->codes[*(const size_t *)b];
	int c = strcmp(x->id ? x->id : "", y->id ? y->id : "");

	if (c != 0)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Sorts the ids for _find and reports each id defined twice. */
static void
index_ids(struct loader *L)
{
	struct tyst_codebook *cb = L->cb;
	size_t n = 0;

	if (cb->ncodes == 0)
		return;
	cb->byid = malloc(cb->ncodes * sizeof(*cb->byid));
	if (cb->byid == NULL) {
		lerr(L, 0, 0, "out of memory");
		return;
	}
	for (size_t i = 0; i < cb->ncodes; i++)
		if (cb->codes[i].id != NULL)
			cb->byid[n++] = i;
	sort_cb = cb;
	qsort(cb->byid, n, sizeof(*cb->byid), cmp_byid);
	sort_cb = NULL;
	for (size_t i = 1; i < n; i++) {
		const struct tyst_code *a = &cb->codes[cb->byid[i - 1]];
		const struct tyst_code *b = &cb->codes[cb->byid[i]];

		if (strcmp(a->id, b->id) == 0) {
			/* Report against the first definition of the run. */
			size_t f = i - 1;

			while (f > 0 && strcmp(cb->codes[cb->byid[f - 1]].id,
			    b->id) == 0)
				f--;
			a = &cb->codes[cb->byid[f]];
			lerr(L, b->line, b->col, "duplicate id '%s' (first "
			    "defined at %zu:%zu)", b->id, a->line, a->col);
		}
	}
	/* With ids missing, _find must not binary-search a partial index. */
	if (n < cb->ncodes) {
		free(cb->byid);
		cb->byid = NULL;
	}
}

static void
check_set_ids(struct loader *L)
{
	const struct tyst_codebook *cb = L->cb;

	for (size_t i = 0; i < cb->nsets; i++) {
		if (cb->sets[i].id == NULL)
			continue;
		for (size_t j = 0; j < i; j++)
			if (cb->sets[j].id != NULL &&
			    strcmp(cb->sets[i].id, cb->sets[j].id) == 0) {
				lerr(L, cb->sets[i].line, cb->sets[i].col,
				    "duplicate set id '%s' (first defined at "
				    "%zu:%zu)", cb->sets[i].id,
				    cb->sets[j].line, cb->sets[j].col);
				break;
			}
	}
}

static void
parse_book(struct loader *L, const struct ynode *root)
{
	const struct ynode *codes = NULL, *sets = NULL;
	struct tyst_codebook *cb = L->cb;
	int absent;

	if (root == NULL) {
		lerr(L, 1, 1, "empty codebook: no 'codes:'");
		return;
	}
	if (root->kind != YN_MAP) {
		lerr(L, root->line, root->col, "a codebook is a mapping with "
		    "'title:' and 'codes:', not %s", kind_name(root));
		return;
	}
	check_keys(L, root);
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const struct ynode *k = root->kids[i], *v = root->kids[i + 1];

		if (k->kind != YN_SCALAR || k->null)
			continue;
		if (strcmp(k->s, "title") == 0)
			set_str(&cb->title, get_str(L, v, k->s, 1, &absent));
		else if (strcmp(k->s, "source") == 0)
			set_str(&cb->source, get_str(L, v, k->s, 0, &absent));
		else if (strcmp(k->s, "language") == 0)
			set_str(&cb->language, get_str(L, v, k->s, 1, &absent));
		else if (strcmp(k->s, "version") == 0)
			set_str(&cb->version, get_str(L, v, k->s, 1, &absent));
		else if (strcmp(k->s, "codes") == 0)
			codes = codes ? codes : v;
		else if (strcmp(k->s, "sets") == 0)
			sets = sets ? sets : v;
		else
			unknown_key(L, k, "the codebook");
	}
	if (codes == NULL) {
		lerr(L, root->line, root->col, "the codebook has no 'codes:'");
		return;
	}
	parse_codes(L, codes, -1, 0);
	if (cb->ncodes == 0 && codes->kind == YN_SEQ)
		lerr(L, codes->line, codes->col, "the codebook has no codes");
	index_ids(L);
	if (sets == NULL || (sets->kind == YN_SCALAR && sets->null))
		return;
	if (sets->kind != YN_SEQ) {
		lerr(L, sets->line, sets->col, "'sets' must be a list of sets, "
		    "not %s", kind_name(sets));
		return;
	}
	for (size_t i = 0; i < sets->n; i++)
		parse_set(L, sets->kids[i]);
	check_set_ids(L);
}

static int
cmp_err(const void *a, const void *b)
{
	const struct tyst_err *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

int
tyst_codebook_load_all_mem(struct tyst_codebook *cb, const char *name,
    const char *buf, size_t len, int quiet, struct tyst_err *errs,
    size_t max, size_t *nerrs)
{
	struct loader L;
	struct tyst_text t;
	struct ynode *root = NULL;

	memset(cb, 0, sizeof(*cb));
	memset(&L, 0, sizeof(L));
	L.name = name != NULL ? name : "<memory>";
	L.quiet = quiet;
	L.errs = errs;
	L.max = max;
	L.cb = cb;
	*nerrs = 0;
	/* The same words as every tool for bad bytes, with line:col. */
	if (tyst_text_from_mem(&t, L.name, buf, len, max ? &errs[0] : NULL)
	    < 0) {
		*nerrs = 1;
		return -1;
	}
	if ((cb->path = strdup(L.name)) == NULL)
		lerr(&L, 0, 0, "out of memory");
	else if (parse_yaml(&L, t.data, t.len, &root) == 0)
		parse_book(&L, root);
	ynode_free(root);
	tyst_text_free(&t);
	/* Errors are found structure first; report them in file order. */
	qsort(errs, L.n < max ? L.n : max, sizeof(*errs), cmp_err);
	*nerrs = L.n;
	if (L.n > 0) {
		tyst_codebook_free(cb);
		return -1;
	}
	return 0;
}

int
tyst_codebook_load_all(struct tyst_codebook *cb, const char *path, int quiet,
    struct tyst_err *errs, size_t max, size_t *nerrs)
{
	struct tyst_text t;
	int rc;

	memset(cb, 0, sizeof(*cb));
	if (tyst_text_load(&t, path, max ? &errs[0] : NULL) < 0) {
		*nerrs = 1;
		return -1;
	}
	rc = tyst_codebook_load_all_mem(cb, t.name, t.data, t.len, quiet,
	    errs, max, nerrs);
	tyst_text_free(&t);
	return rc;
}

int
tyst_codebook_load_mem(struct tyst_codebook *cb, const char *name,
    const char *buf, size_t len, int quiet, struct tyst_err *err)
{
	struct tyst_err e;
	size_t n;

	if (tyst_codebook_load_all_mem(cb, name, buf, len, quiet, &e, 1,
	    &n) == 0)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

int
tyst_codebook_load(struct tyst_codebook *cb, const char *path, int quiet,
    struct tyst_err *err)
{
	struct tyst_err e;
	size_t n;

	if (tyst_codebook_load_all(cb, path, quiet, &e, 1, &n) == 0)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

void
tyst_codebook_free(struct tyst_codebook *cb)
{
	if (cb == NULL)
		return;
	for (size_t i = 0; i < cb->ncodes; i++) {
		struct tyst_code *c = &cb->codes[i];

		free(c->id);
		free(c->label);
		free(c->description);
		free(c->inclusion);
		free(c->exclusion);
		free(c->color);
		for (size_t j = 0; j < c->nexamples; j++)
			free(c->examples[j]);
		free(c->examples);
	}
	for (size_t i = 0; i < cb->nsets; i++) {
		free(cb->sets[i].id);
		free(cb->sets[i].label);
		free(cb->sets[i].description);
		free(cb->sets[i].members);
	}
	free(cb->codes);
	free(cb->sets);
	free(cb->byid);
	free(cb->path);
	free(cb->title);
	free(cb->source);
	free(cb->language);
	free(cb->version);
	memset(cb, 0, sizeof(*cb));
}

long
tyst_codebook_find(const struct tyst_codebook *cb, const char *id)
{
	size_t lo = 0, hi = cb->ncodes;

	if (cb->byid == NULL) {
		for (size_t i = 0; i < cb->ncodes; i++)
			if (cb->codes[i].id != NULL &&
			    strcmp(cb->codes[i].id, id) == 0)
				return (long)i;
		return -1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cb->codes[cb->byid[mid]].id, id);

		if (c == 0) {
			/* The first definition when an id is doubled. */
			while (mid > 0 && strcmp(cb->codes[cb->byid[mid - 1]].id,
			    id) == 0)
				mid--;
			return (long)cb->byid[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

long
tyst_codebook_find_set(const struct tyst_codebook *cb, const char *id)
{
	for (size_t i = 0; i < cb->nsets; i++)
		if (cb->sets[i].id != NULL && strcmp(cb->sets[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* NAME, NAME.yaml or NAME.yml in dir/codebooks. */
static int
try_dir(const char *dir, const char *name, char *buf, size_t size)
{
	static const char *const suffix[] = { "", ".yaml", ".yml" };
	struct stat st;

	for (size_t i = 0; i < 3; i++) {
		snprintf(buf, size, "%s/codebooks/%s%s", dir, name, suffix[i]);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	}
	return -1;
}

int
tyst_codebook_path(const char *name, char *buf, size_t size)
{
	char exe[4096], *slash;
	struct stat st;
	ssize_t n;

	snprintf(buf, size, "%s", name);
	if (strcmp(name, "-") == 0 || stat(name, &st) == 0)
		return 0;
	if (strchr(name, '/') != NULL || name[0] == '\0' || name[0] == '.')
		return -1;
	if (try_dir(tyst_datadir(), name, buf, size) == 0)
		return 0;
	/* A source tree without rules/ yet: look up from the executable
	 * (bin/, build/san/bin/) for codebooks/ itself. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (int up = 0; up < 4 && (slash = strrchr(exe, '/')) != NULL;
		    up++) {
			*slash = '\0';
			if (try_dir(exe, name, buf, size) == 0)
				return 0;
		}
	}
	snprintf(buf, size, "%s", name);
	return -1;
}

/* ---- ids from labels ----------------------------------------------------------- */

/* The ASCII letter a Latin letter with a diacritic is read as, or 0. */
static char
fold_latin(uint32_t c)
{
	static const char map[] =
	    /* U+00C0 … U+00FF */
	    "aaaaaaaceeeeiiii" "dnooooo ouuuuyts"
	    "aaaaaaaceeeeiiii" "dnooooo ouuuuyty";

	if (c >= 0xc0 && c <= 0xff)
		return map[c - 0xc0] == ' ' ? 0 : map[c - 0xc0];
	if (c >= 0x100 && c <= 0x17f) {
		/* Latin Extended-A in pairs: Ā ā Ă ă Ą ą Ć ć … */
		static const char ext[] =
		    "aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii"
		    "iiiijjkkklllllll" "lllnnnnnnnnnoooo" "oooorrrrrrssssss"
		    "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";

		return ext[c - 0x100];
	}
	return 0;
}

void
tyst_code_id_from_label(const char *label, char *out)
{
	size_t len = strlen(label), i = 0, o = 0;
	int dash = 0;

	while (i < len && o < 48) {
		uint32_t c;
		size_t n = tyst_utf8_decode(label + i, len - i, &c);
		char a = 0;

		if (n == 0)
			break;
		i += n;
		if (c < 0x80 && isalnum((int)c))
			a = (char)tolower((int)c);
		else if (c == 0xe6 || c == 0xc6)
			a = 'a';            /* æ: "ae" would need two */
		else
			a = fold_latin(c);
		if (a == 0) {
			dash = o > 0;
			continue;
		}
		if (dash && o < 47)
			out[o++] = '-';
		dash = 0;
		out[o++] = a;
	}
	if (o == 0)
		memcpy(out, "code", (o = 4));
	out[o] = '\0';
}

/* ---- writing YAML ------------------------------------------------------------------ */

struct emit {
	yaml_emitter_t e;
	int failed;
};

static void
ev_scalar(struct emit *E, const char *s, int quote)
{
	yaml_event_t ev;
	yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
	size_t len = strlen(s);

	if (E->failed)
		return;
	/* Words the loader reads as "nothing" must stay strings. */
	if (quote || is_null_word(s, len))
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	else if (memchr(s, '\n', len) != NULL)
		style = YAML_LITERAL_SCALAR_STYLE;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (yaml_char_t *)(uintptr_t)s, (int)len, 1, 1, style) ||
	    !yaml_emitter_emit(&E->e, &ev))
		E->failed = 1;
}

static void
ev_simple(struct emit *E, int type)
{
	yaml_event_t ev;
	int ok;

	if (E->failed)
		return;
	switch (type) {
	case YAML_MAPPING_START_EVENT:
		ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
		    YAML_BLOCK_MAPPING_STYLE);
		break;
	case YAML_SEQUENCE_START_EVENT:
		ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
		    YAML_BLOCK_SEQUENCE_STYLE);
		break;
	case YAML_MAPPING_END_EVENT:
		ok = yaml_mapping_end_event_initialize(&ev);
		break;
	default:
		ok = yaml_sequence_end_event_initialize(&ev);
		break;
	}
	if (!ok || !yaml_emitter_emit(&E->e, &ev))
		E->failed = 1;
}

static void
ev_flow_seq(struct emit *E)
{
	yaml_event_t ev;

	if (E->failed)
		return;
	if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_FLOW_SEQUENCE_STYLE) || !yaml_emitter_emit(&E->e, &ev))
		E->failed = 1;
}

static void
ev_pair(struct emit *E, const char *key, const char *value)
{
	if (value == NULL)
		return;
	ev_scalar(E, key, 0);
	ev_scalar(E, value, 0);
}

/* Writes code i and its children; returns the index after its subtree. */
static size_t
emit_code(struct emit *E, const struct tyst_codebook *cb, size_t i)
{
	const struct tyst_code *c = &cb->codes[i];
	size_t j = i + 1;

	ev_simple(E, YAML_MAPPING_START_EVENT);
	ev_pair(E, "id", c->id);
	ev_pair(E, "label", c->label);
	if (c->color != NULL) {
		ev_scalar(E, "color", 0);
		ev_scalar(E, c->color, 1);
	}
	if (c->uncodable)
		ev_pair(E, "codable", "false");
	ev_pair(E, "description", c->description);
	ev_pair(E, "inclusion", c->inclusion);
	ev_pair(E, "exclusion", c->exclusion);
	if (c->nexamples > 0) {
		ev_scalar(E, "examples", 0);
		ev_simple(E, YAML_SEQUENCE_START_EVENT);
		for (size_t k = 0; k < c->nexamples; k++)
			ev_scalar(E, c->examples[k], 0);
		ev_simple(E, YAML_SEQUENCE_END_EVENT);
	}
	if (j < cb->ncodes && cb->codes[j].parent == (long)i) {
		ev_scalar(E, "codes", 0);
		ev_simple(E, YAML_SEQUENCE_START_EVENT);
		while (j < cb->ncodes && cb->codes[j].parent == (long)i)
			j = emit_code(E, cb, j);
		ev_simple(E, YAML_SEQUENCE_END_EVENT);
	}
	ev_simple(E, YAML_MAPPING_END_EVENT);
	return j;
}

int
tyst_codebook_write_yaml(const struct tyst_codebook *cb, FILE *f,
    struct tyst_err *err)
{
	struct emit E;
	yaml_event_t ev;
	size_t i;

	memset(&E, 0, sizeof(E));
	if (!yaml_emitter_initialize(&E.e))
		return tyst_err_set(err, "", 0, 0, "out of memory");
	yaml_emitter_set_output_file(&E.e, f);
	yaml_emitter_set_unicode(&E.e, 1);
	yaml_emitter_set_width(&E.e, 78);
	yaml_emitter_set_indent(&E.e, 2);
	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) ||
	    !yaml_emitter_emit(&E.e, &ev) ||
	    !yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) ||
	    !yaml_emitter_emit(&E.e, &ev))
		E.failed = 1;
	ev_simple(&E, YAML_MAPPING_START_EVENT);
	ev_pair(&E, "title", cb->title);
	ev_pair(&E, "source", cb->source);
	ev_pair(&E, "language", cb->language);
	ev_pair(&E, "version", cb->version);
	ev_scalar(&E, "codes", 0);
	ev_simple(&E, YAML_SEQUENCE_START_EVENT);
	for (i = 0; i < cb->ncodes; )
		i = emit_code(&E, cb, i);
	ev_simple(&E, YAML_SEQUENCE_END_EVENT);
	if (cb->nsets > 0) {
		ev_scalar(&E, "sets", 0);
		ev_simple(&E, YAML_SEQUENCE_START_EVENT);
		for (i = 0; i < cb->nsets; i++) {
			const struct tyst_codeset *s = &cb->sets[i];

			ev_simple(&E, YAML_MAPPING_START_EVENT);
			ev_pair(&E, "id", s->id);
			ev_pair(&E, "label", s->label);
			ev_pair(&E, "description", s->description);
			ev_scalar(&E, "codes", 0);
			ev_flow_seq(&E);
			for (size_t k = 0; k < s->nmembers; k++)
				ev_scalar(&E, cb->codes[s->members[k]].id, 0);
			ev_simple(&E, YAML_SEQUENCE_END_EVENT);
			ev_simple(&E, YAML_MAPPING_END_EVENT);
		}
		ev_simple(&E, YAML_SEQUENCE_END_EVENT);
	}
	ev_simple(&E, YAML_MAPPING_END_EVENT);
	if (!E.failed && (!yaml_document_end_event_initialize(&ev, 1) ||
	    !yaml_emitter_emit(&E.e, &ev) ||
	    !yaml_stream_end_event_initialize(&ev) ||
	    !yaml_emitter_emit(&E.e, &ev) || !yaml_emitter_flush(&E.e)))
		E.failed = 1;
	if (E.failed) {
		const char *why = E.e.problem ? E.e.problem : "write error";

		yaml_emitter_delete(&E.e);
		return tyst_err_set(err, "", 0, 0, "writing YAML: %s", why);
	}
	yaml_emitter_delete(&E.e);
	return 0;
}
