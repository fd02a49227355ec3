/*
 * tagcsv — see include/tyst/tagcsv.h.
 *
 * The codebook is built by writing YAML and loading it, so that a
 * codebook from tags obeys every rule a YAML codebook does.
 */
#include "tyst/tagcsv.h"

#include <stdlib.h>
#include <string.h>

#include "tyst/text.h"

/* ---- building a codebook from dotted names ------------------------------- */

/* Deeper than any codebook a person keeps, and shallow enough for the
 * recursion that writes it. */
#define TYST_TAG_LEVELS 16

struct node {
	char *label;
	char *description;
	long parent;
	int codable;
};

struct tree {
	struct node *v;
	size_t n;
};

static long
find_node(const struct tree *t, long parent, const char *label, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].parent == parent &&
		    strlen(t->v[i].label) == len &&
		    memcmp(t->v[i].label, label, len) == 0)
			return (long)i;
	return -1;
}

static long
add_node(struct tree *t, long parent, const char *label, size_t len)
{
	struct node *v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	t->v = v;
	memset(&v[t->n], 0, sizeof(v[t->n]));
	if ((v[t->n].label = strndup(label, len)) == NULL)
		return -1;
	v[t->n].parent = parent;
	return (long)t->n++;
}

/* The node of a dotted name, its levels made as needed; -2 when the name
 * has no part (only dots), -3 when it has too many, -1 out of memory. */
static long
path_node(struct tree *t, const char *name)
{
	long at = -1;
	const char *p = name;
	int levels = 0;

	for (;;) {
		size_t len = strcspn(p, "."), n;
		char part[512];

		/* As the codebook loader will see the label: no control
		 * characters, no spaces around it. */
		n = 0;
		for (size_t i = 0; i < len && n < sizeof(part) - 1; i++)
			if ((unsigned char)p[i] >= 0x20 && p[i] != 0x7f)
				part[n++] = p[i];
		while (n > 0 && part[n - 1] == ' ')
			n--;
		part[n] = '\0';
		n -= strspn(part, " ");
		if (n > 0 && ++levels > TYST_TAG_LEVELS)
			return -3;
		if (n > 0) {
			const char *l = part + strspn(part, " ");
			long k = find_node(t, at, l, n);

			if (k < 0 && (k = add_node(t, at, l, n)) < 0)
				return -1;
			at = k;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return at < 0 ? -2 : at;
}

static void
tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].label);
		free(t->v[i].description);
	}
	free(t->v);
}

/* A double-quoted YAML scalar. */
static void
yaml_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputs("\"\n", f);
}

/* Writes node i and its children as YAML at depth. */
static void
yaml_node(const struct tree *t, size_t i, char (*ids)[TYST_CODE_ID_MAX + 8],
    int depth, FILE *f)
{
	const struct node *x = &t->v[i];
	int has_children = 0;

	fprintf(f, "%*s- id: %s\n", depth * 4 + 2, "", ids[i]);
	fprintf(f, "%*slabel: ", depth * 4 + 4, "");
	yaml_str(f, x->label);
	if (!x->codable)
		fprintf(f, "%*scodable: false\n", depth * 4 + 4, "");
	if (x->description != NULL) {
		fprintf(f, "%*sdescription: ", depth * 4 + 4, "");
		yaml_str(f, x->description);
	}
	for (size_t j = 0; j < t->n; j++) {
		if (t->v[j].parent != (long)i)
			continue;
		if (!has_children)
			fprintf(f, "%*scodes:\n", depth * 4 + 4, "");
		has_children = 1;
		yaml_node(t, j, ids, depth + 1, f);
	}
}

static int
id_used(char (*ids)[TYST_CODE_ID_MAX + 8], size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

int
tyst_codebook_from_tags(struct tyst_codebook *cb, const char *path,
    const struct tyst_tag *tags, size_t n, struct tyst_err *err)
{
	struct tree t = { NULL, 0 };
	char (*ids)[TYST_CODE_ID_MAX + 8] = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc = -1;

	memset(cb, 0, sizeof(*cb));
	for (size_t i = 0; i < n; i++) {
		long k = path_node(&t, tags[i].name);

		if (k == -2)
			continue;
		if (k == -3) {
			tyst_err_set(err, path, 0, 0, "tag \"%.60s\" has more "
			    "than %d levels", tags[i].name, TYST_TAG_LEVELS);
			goto out;
		}
		if (k < 0)
			goto oom;
		t.v[k].codable = 1;
		if (tags[i].description != NULL && tags[i].description[0] &&
		    t.v[k].description == NULL &&
		    (t.v[k].description = strdup(tags[i].description)) == NULL)
			goto oom;
	}
	if (t.n == 0) {
		tyst_err_set(err, path, 0, 0, "no tags");
		goto out;
	}
	if ((ids = calloc(t.n, sizeof(*ids))) == NULL)
		goto oom;
	for (size_t i = 0; i < t.n; i++) {
		char base[TYST_CODE_ID_MAX + 1];

		tyst_code_id_from_label(t.v[i].label, base);
		snprintf(ids[i], sizeof(ids[i]), "%.48s", base);
		for (unsigned long k = 2; id_used(ids, i, ids[i]); k++)
			snprintf(ids[i], sizeof(ids[i]), "%.48s-%lu", base, k);
	}
	if ((f = open_memstream(&buf, &len)) == NULL)
		goto oom;
	fputs("codes:\n", f);
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].parent < 0)
			yaml_node(&t, i, ids, 0, f);
	if (fclose(f) != 0) {
		f = NULL;
		goto oom;
	}
	f = NULL;
	rc = tyst_codebook_load_mem(cb, path, buf, len, 1, err);
	goto out;
oom:
	tyst_err_set(err, path, 0, 0, "out of memory");
out:
	if (f != NULL)
		fclose(f);
	free(buf);
	free(ids);
	tree_free(&t);
	return rc;
}

/* ---- CSV ------------------------------------------------------------------ */

struct csv {
	const char *p, *end;
	size_t line;
};

/* One field into a new string; *eol set at the end of a record. */
static char *
csv_field(struct csv *c, int *eol, struct tyst_err *err, const char *name)
{
	size_t cap = 64, n = 0, start = c->line;
	char *s = malloc(cap);
	int quoted = c->p < c->end && *c->p == '"';

	if (s == NULL) {
		tyst_err_set(err, name, c->line, 0, "out of memory");
		return NULL;
	}
	if (quoted)
		c->p++;
	*eol = 0;
	for (;;) {
		char ch;

		if (c->p >= c->end) {
			if (quoted) {
				free(s);
				tyst_err_set(err, name, start, 0, "a quoted "
				    "field is not closed");
				return NULL;
			}
			*eol = 1;
			break;
		}
		ch = *c->p;
		if (quoted && ch == '"') {
			if (c->p + 1 < c->end && c->p[1] == '"') {
				c->p += 2;
				ch = '"';
			} else {
				quoted = 0;
				c->p++;
				continue;
			}
		} else if (!quoted && ch == ',') {
			c->p++;
			break;
		} else if (!quoted && (ch == '\n' || ch == '\r')) {
			if (ch == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
				c->p++;
			c->p++;
			c->line++;
			*eol = 1;
			break;
		} else {
			if (ch == '\n')
				c->line++;
			c->p++;
		}
		if (ch == '\0') {
			free(s);
			tyst_err_set(err, name, c->line, 0, "a NUL byte");
			return NULL;
		}
		if (n + 2 > cap) {
			char *t = realloc(s, cap *= 2);

			if (t == NULL) {
				free(s);
				tyst_err_set(err, name, c->line, 0,
				    "out of memory");
				return NULL;
			}
			s = t;
		}
		s[n++] = ch;
	}
	s[n] = '\0';
	return s;
}

void
tyst_tags_free(struct tyst_tag *tags, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(tags[i].name);
		free(tags[i].description);
	}
	free(tags);
}

static int
lower_eq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if ((*a | 0x20) != (*b | 0x20))
			return 0;
	return *a == *b;
}

int
tyst_tags_read_csv(const char *name, const char *buf, size_t len,
    struct tyst_tag **tags, size_t *n, struct tyst_err *err)
{
	struct csv c = { buf, buf + len, 1 };
	long tagcol = -1, desccol = -1, col = 0;
	struct tyst_tag row = { NULL, NULL };
	size_t bad;
	int eol = 0, nul;

	*tags = NULL;
	*n = 0;
	if (tyst_utf8_check(buf, len, &bad, &nul) < 0)
		return tyst_err_set(err, name, 0, 0, "not UTF-8 text (%s at "
		    "byte %zu)", nul ? "a NUL byte" : "invalid UTF-8", bad);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c.p += 3;
	while (!eol) {
		char *h = csv_field(&c, &eol, err, name);

		if (h == NULL)
			return -1;
		if (lower_eq(h, "tag") && tagcol < 0)
			tagcol = col;
		else if (lower_eq(h, "description") && desccol < 0)
			desccol = col;
		free(h);
		col++;
	}
	if (tagcol < 0)
		return tyst_err_set(err, name, 1, 0, "no \"tag\" column in the "
		    "header (Taguette's CSV has tag, description)");
	while (c.p < c.end) {
		size_t line = c.line;

		col = 0;
		eol = 0;
		while (!eol) {
			char *v = csv_field(&c, &eol, err, name);

			if (v == NULL)
				goto fail;
			if (col == tagcol)
				row.name = v;
			else if (col == desccol)
				row.description = v;
			else
				free(v);
			col++;
		}
		if (row.name == NULL || row.name[strspn(row.name, ". \t")] ==
		    '\0') {
			/* A blank line or a row without a tag. */
			if (col > 1 || (row.name != NULL && row.name[0])) {
				tyst_err_set(err, name, line, 0, "a row "
				    "without a tag");
				goto fail;
			}
			free(row.name);
			free(row.description);
			row.name = row.description = NULL;
			continue;
		}
		struct tyst_tag *t = realloc(*tags, (*n + 1) * sizeof(*t));

		if (t == NULL) {
			tyst_err_set(err, name, line, 0, "out of memory");
			goto fail;
		}
		*tags = t;
		t[(*n)++] = row;
		row.name = row.description = NULL;
	}
	if (*n == 0)
		return tyst_err_set(err, name, 0, 0, "no tags");
	return 0;
fail:
	free(row.name);
	free(row.description);
	tyst_tags_free(*tags, *n);
	*tags = NULL;
	*n = 0;
	return -1;
}

int
tyst_codebook_read_csv(struct tyst_codebook *cb, const char *path,
    struct tyst_err *err)
{
	struct tyst_text t;
	struct tyst_tag *tags;
	size_t n;
	int rc;

	memset(cb, 0, sizeof(*cb));
	if (tyst_text_load(&t, path, err) < 0)
		return -1;
	rc = tyst_tags_read_csv(t.name, t.data, t.len, &tags, &n, err);
	if (rc == 0) {
		rc = tyst_codebook_from_tags(cb, t.name, tags, n, err);
		tyst_tags_free(tags, n);
	}
	tyst_text_free(&t);
	return rc;
}

static void
csv_put(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
put_path(FILE *f, const struct tyst_codebook *cb, long i, char *buf,
    size_t size)
{
	size_t at = size - 1;
	long k;

	buf[at] = '\0';
	for (k = i; k >= 0; k = cb->codes[k].parent) {
		const char *l = cb->codes[k].label;
		size_t len = strlen(l) + (k != i);

		if (len > at)
			break;
		at -= len;
		memcpy(buf + at, l, strlen(l));
		if (k != i)
			buf[at + strlen(l)] = '.';
	}
	csv_put(f, buf + at);
}

int
tyst_codebook_write_csv(const struct tyst_codebook *cb, FILE *f,
    struct tyst_err *err)
{
	char path[4096];

	fputs("tag,description\n", f);
	for (size_t i = 0; i < cb->ncodes; i++) {
		if (cb->codes[i].uncodable)
			continue;
		put_path(f, cb, (long)i, path, sizeof(path));
		fputc(',', f);
		if (cb->codes[i].description != NULL)
			csv_put(f, cb->codes[i].description);
		fputc('\n', f);
	}
	if (ferror(f))
		return tyst_err_set(err, "", 0, 0, "write failed");
	return 0;
}
