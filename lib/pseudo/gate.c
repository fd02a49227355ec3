/*
 * gate — the identifier checks at the coding project's doors
 * (include/tyst/gate.h).  A document is let in, or an excerpt out, only
 * when a scan finds nothing the researcher has not allowed, or when
 * tyst-pseudo's manifest vouches for the document; the manifest (JSON
 * Lines of one known shape) is read by the small reader here rather than
 * a JSON library.
 */
#include "tyst/gate.h"
#include "tyst/export.h"
#include "tyst/gazetteer.h"
#include "tyst/strv.h"
#include "tyst/text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * The manifest is JSON Lines that tyst-pseudo writes, but it sits in a
 * directory anyone can write to, so its lines are parsed as JSON, not
 * matched as text: a file name holding '"sha256":' must not pass for a
 * field.  Only the top level's strings, numbers and one array of strings
 * are read; any other value is skipped whole.
 */
struct jp {
	const char *s;
	size_t n, i;
};

static void
jp_ws(struct jp *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	    j->s[j->i] == '\r' || j->s[j->i] == '\n'))
		j->i++;
}

static int
jp_hex4(struct jp *j, unsigned *v)
{
	*v = 0;
	if (j->i + 4 > j->n)
		return -1;
	for (int k = 0; k < 4; k++) {
		int h = tyst_hexval((unsigned char)j->s[j->i++]);

		if (h < 0)
			return -1;
		*v = *v << 4 | (unsigned)h;
	}
	return 0;
}

static size_t
put_utf8(char *o, unsigned c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* A string at j->i into out (size cap; NULL: skipped).  The decoded text
 * is never longer than its JSON.  -1: not a string, or out too small. */
static int
jp_str(struct jp *j, char *out, size_t cap)
{
	size_t o = 0;

	if (j->i >= j->n || j->s[j->i] != '"')
		return -1;
	j->i++;
	while (j->i < j->n && j->s[j->i] != '"') {
		char buf[4];
		size_t bn = 1;
		unsigned c, lo;

		buf[0] = j->s[j->i++];
		if ((unsigned char)buf[0] < 0x20)
			return -1;
		if (buf[0] == '\\') {
			if (j->i >= j->n)
				return -1;
			switch (j->s[j->i++]) {
			case '"': buf[0] = '"'; break;
			case '\\': buf[0] = '\\'; break;
			case '/': buf[0] = '/'; break;
			case 'b': buf[0] = '\b'; break;
			case 'f': buf[0] = '\f'; break;
			case 'n': buf[0] = '\n'; break;
			case 'r': buf[0] = '\r'; break;
			case 't': buf[0] = '\t'; break;
			case 'u':
				if (jp_hex4(j, &c) < 0)
					return -1;
				if (c >= 0xd800 && c < 0xdc00) {
					if (j->i + 2 > j->n || j->s[j->i] != '\\' ||
					    j->s[j->i + 1] != 'u')
						return -1;
					j->i += 2;
					if (jp_hex4(j, &lo) < 0 || lo < 0xdc00 ||
					    lo >= 0xe000)
						return -1;
					c = 0x10000 + ((c - 0xd800) << 10) +
					    (lo - 0xdc00);
				} else if (c >= 0xdc00 && c < 0xe000)
					return -1;
				if (c == 0)
					return -1;
				bn = put_utf8(buf, c);
				break;
			default:
				return -1;
			}
		}
		if (out != NULL) {
			if (o + bn >= cap)
				return -1;
			memcpy(out + o, buf, bn);
		}
		o += bn;
	}
	if (j->i >= j->n)
		return -1;
	j->i++;
	if (out != NULL)
		out[o] = '\0';
	return 0;
}

/* Skips any value; nesting is bounded so a hostile line cannot recurse. */
static int
jp_skip(struct jp *j)
{
	int depth = 0;

	for (;;) {
		jp_ws(j);
		if (j->i >= j->n)
			return -1;
		switch (j->s[j->i]) {
		case '"':
			if (jp_str(j, NULL, 0) < 0)
				return -1;
			break;
		case '[': case '{':
			if (++depth > 64)
				return -1;
			j->i++;
			continue;
		case ']': case '}':
			if (depth == 0)
				return -1;
			depth--;
			j->i++;
			break;
		case ',': case ':':
			if (depth == 0)
				return -1;
			j->i++;
			continue;
		default:
			/* A number, true, false or null; a NUL is no
			 * delimiter (strchr would find the terminator). */
			if (j->s[j->i] == '\0')
				return -1;
			while (j->i < j->n && j->s[j->i] != '\0' &&
			    strchr(",:]} \t\r\n", j->s[j->i]) == NULL)
				j->i++;
		}
		if (depth == 0)
			return 0;
	}
}

/* "pseudonyms": [ "…", … ].  0 done, 1 malformed, -1 out of memory. */
static int
jp_names(struct jp *j, struct tyst_manifest_entry *e, char *buf, size_t cap)
{
	jp_ws(j);
	if (j->i >= j->n || j->s[j->i++] != '[')
		return 1;
	jp_ws(j);
	if (j->i < j->n && j->s[j->i] == ']') {
		j->i++;
		return 0;
	}
	for (;;) {
		jp_ws(j);
		if (jp_str(j, buf, cap) < 0)
			return 1;
		if (tyst_strv_add(&e->pseudonyms, &e->npseudonyms, buf) < 0)
			return -1;
		jp_ws(j);
		if (j->i >= j->n)
			return 1;
		if (j->s[j->i] == ']') {
			j->i++;
			return 0;
		}
		if (j->s[j->i++] != ',')
			return 1;
	}
}

static int
jp_u64(struct jp *j, uint64_t *v)
{
	size_t i0 = j->i;

	*v = 0;
	while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9') {
		if (*v > UINT64_MAX / 10 - 1)
			return -1;
		*v = *v * 10 + (uint64_t)(j->s[j->i++] - '0');
	}
	return j->i > i0 ? 0 : -1;
}

void
tyst_manifest_entry_free(struct tyst_manifest_entry *e)
{
	for (size_t i = 0; i < e->npseudonyms; i++)
		free(e->pseudonyms[i]);
	free(e->pseudonyms);
	memset(e, 0, sizeof(*e));
}

/* One member of the object: 0 read, 1 malformed, -1 out of memory. */
static int
jp_member(struct jp *j, struct tyst_manifest_entry *e, char *buf, size_t cap,
    int *seen)
{
	char key[32];
	size_t at;
	int rc;

	jp_ws(j);
	at = j->i;
	if (jp_str(j, key, sizeof(key)) < 0) {
		/* A long key is none of ours: skip it. */
		j->i = at;
		if (jp_str(j, NULL, 0) < 0)
			return 1;
		key[0] = '\0';
	}
	jp_ws(j);
	if (j->i >= j->n || j->s[j->i++] != ':')
		return 1;
	jp_ws(j);
	if (strcmp(key, "sha256") == 0) {
		if (jp_str(j, e->sha256, sizeof(e->sha256)) < 0)
			return 1;
		*seen = 1;
	} else if (strcmp(key, "key_id") == 0) {
		if (jp_str(j, e->key_id, sizeof(e->key_id)) < 0)
			return 1;
	} else if (strcmp(key, "confidence") == 0) {
		if (jp_str(j, e->confidence, sizeof(e->confidence)) < 0)
			return 1;
	} else if (strcmp(key, "left") == 0) {
		if (jp_u64(j, &e->left) < 0)
			return 1;
	} else if (strcmp(key, "pseudonyms") == 0) {
		if ((rc = jp_names(j, e, buf, cap)) != 0)
			return rc;
		e->record = 1;
	} else if (jp_skip(j) < 0)
		return 1;
	return 0;
}

int
tyst_manifest_parse(const char *line, size_t n, struct tyst_manifest_entry *e)
{
	struct jp j = { line, n, 0 };
	char *buf;
	int seen = 0, rc = 0;

	memset(e, 0, sizeof(*e));
	if ((buf = malloc(n + 1)) == NULL)
		return -1;
	jp_ws(&j);
	if (j.i >= n || line[j.i++] != '{')
		goto bad;
	jp_ws(&j);
	if (j.i < n && line[j.i] == '}')
		goto bad;
	for (;;) {
		if ((rc = jp_member(&j, e, buf, n + 1, &seen)) != 0)
			break;
		jp_ws(&j);
		if (j.i < n && line[j.i] == ',') {
			j.i++;
			continue;
		}
		if (j.i < n && line[j.i] == '}')
			j.i++;
		else
			rc = 1;
		break;
	}
	jp_ws(&j);
	free(buf);
	if (rc < 0)
		return -1;
	if (rc > 0 || j.i != n || !seen)
		return 0;
	/* The record is whole only with the threshold beside the names. */
	if (e->confidence[0] == '\0')
		e->record = 0;
	return 1;
bad:
	free(buf);
	return 0;
}

int
tyst_manifest_find(const char *path, const char *sha256,
    struct tyst_manifest_entry *e, struct tyst_err *err)
{
	const char *slash = strrchr(path, '/');
	char mpath[4096];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int found = 0;

	memset(e, 0, sizeof(*e));
	if (slash != NULL)
		snprintf(mpath, sizeof(mpath), "%.*s/%s",
		    (int)(slash - path), path, TYST_PSEUDO_MANIFEST);
	else
		snprintf(mpath, sizeof(mpath), "%s", TYST_PSEUDO_MANIFEST);
	if ((f = fopen(mpath, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		return tyst_err_set(err, mpath, 0, 0, "%s", strerror(errno));
	}
	while (!found && (n = getline(&line, &cap, f)) > 0) {
		int rc;

		tyst_manifest_entry_free(e);
		rc = tyst_manifest_parse(line, (size_t)n, e);
		if (rc < 0) {
			fclose(f);
			free(line);
			tyst_manifest_entry_free(e);
			return tyst_err_set(err, mpath, 0, 0, "out of memory");
		}
		if (rc == 1 && strcasecmp(e->sha256, sha256) == 0)
			found = 1;
	}
	if (!found)
		tyst_manifest_entry_free(e);
	if (ferror(f)) {
		fclose(f);
		free(line);
		tyst_manifest_entry_free(e);
		return tyst_err_set(err, mpath, 0, 0, "read error");
	}
	fclose(f);
	free(line);
	return found;
}

int
tyst_manifest_lookup(const char *path, const char *sha256, char *key_id,
    size_t key_id_size, struct tyst_err *err)
{
	struct tyst_manifest_entry e;
	int rc = tyst_manifest_find(path, sha256, &e, err);

	if (rc == 1)
		snprintf(key_id, key_id_size, "%s", e.key_id);
	tyst_manifest_entry_free(&e);
	return rc;
}

int
tyst_confidence_parse(const char *s)
{
	if (strcmp(s, "certain") == 0)
		return TYST_CERTAIN;
	if (strcmp(s, "likely") == 0)
		return TYST_LIKELY;
	if (strcmp(s, "candidate") == 0)
		return TYST_CANDIDATE;
	return -1;
}

struct scan_ctx {
	enum tyst_confidence min;
	const char *const *allow;
	size_t nallow;
	struct tyst_hits *hits;
	int oom;
};

static int
allowed(const struct scan_ctx *c, const char *p, size_t n, size_t base)
{
	for (size_t i = 0; i < c->nallow; i++) {
		size_t an = strlen(c->allow[i]);

		if ((an == n && memcmp(c->allow[i], p, n) == 0) ||
		    (an == base && memcmp(c->allow[i], p, base) == 0))
			return 1;
	}
	return 0;
}

static int
on_finding(const struct tyst_finding *f, void *arg)
{
	struct scan_ctx *c = arg;
	struct tyst_hits *h = c->hits;
	struct tyst_hit *k;
	size_t n = (size_t)(f->end - f->start);

	/* The enum runs from the surest to the least sure. */
	if (f->confidence > c->min ||
	    allowed(c, f->text, n, (size_t)(f->base_end - f->start)))
		return 0;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;

		if ((k = realloc(h->v, cap * sizeof(*k))) == NULL) {
			c->oom = 1;
			return 1;
		}
		h->v = k;
		h->cap = cap;
	}
	k = &h->v[h->n++];
	memset(k, 0, sizeof(*k));
	k->start = (size_t)f->start;
	k->end = (size_t)f->end;
	k->line = f->line;
	k->col = f->col;
	k->confidence = f->confidence;
	snprintf(k->category, sizeof(k->category), "%s",
	    f->category ? f->category : "?");
	if (n >= sizeof(k->text))
		n = sizeof(k->text) - 1;
	/* Do not cut a UTF-8 sequence in half. */
	while (n > 0 && n < (size_t)(f->end - f->start) &&
	    ((unsigned char)f->text[n] & 0xc0) == 0x80)
		n--;
	memcpy(k->text, f->text, n);
	k->text[n] = '\0';
	return 0;
}

int
tyst_gate_scan(const struct tyst_rules *rules, const char *name,
    const char *text, size_t len, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_hits *hits,
    struct tyst_err *err)
{
	struct tyst_detector *d = tyst_detector_new(rules);
	int rc;

	if (d == NULL)
		return tyst_err_set(err, name, 0, 0, "out of memory");
	rc = tyst_gate_scan_with(d, name, text, len, min, allow, nallow, hits,
	    err);
	tyst_detector_free(d);
	return rc;
}

int
tyst_gate_scan_with(struct tyst_detector *d, const char *name,
    const char *text, size_t len, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_hits *hits,
    struct tyst_err *err)
{
	struct scan_ctx c = { min, allow, nallow, hits, 0 };

	if (tyst_detector_buffer(d, name, text, len, on_finding, &c, err) < 0)
		return -1;
	if (c.oom)
		return tyst_err_set(err, name, 0, 0, "out of memory");
	return 0;
}

void
tyst_hits_free(struct tyst_hits *hits)
{
	free(hits->v);
	memset(hits, 0, sizeof(*hits));
}

int
tyst_gate_import(const struct tyst_rules *rules, const char *path,
    const char *file_sha256, const char *text, size_t len,
    enum tyst_confidence min, struct tyst_import_check *c,
    struct tyst_err *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = tyst_manifest_find(path, file_sha256, &c->m, err)) < 0)
		return -1;
	c->listed = rc;
	return tyst_gate_scan(rules, path, text, len, min,
	    (const char *const *)c->m.pseudonyms, c->m.npseudonyms, &c->hits,
	    err);
}

void
tyst_import_check_free(struct tyst_import_check *c)
{
	tyst_manifest_entry_free(&c->m);
	tyst_hits_free(&c->hits);
}

void
tyst_gate_advice(const struct tyst_import_check *c, char *buf, size_t n)
{
	if (!c->listed)
		snprintf(buf, n, "; pseudonymise it with tyst-pseudo -o DIR and "
		    "import DIR's copy (the manifest there names the pseudonyms; "
		    "tyst-pseudo's standard output has no manifest: run it "
		    "again with -o DIR, or pass --rules with a rules file whose "
		    "keep: list names the pseudonyms), or review it and pass "
		    "--i-have-reviewed");
	else if (!c->m.record)
		snprintf(buf, n, "; tyst-pseudo's manifest lists it, but in a "
		    "line that does not say which pseudonyms were handed out "
		    "(an older tyst-pseudo): run tyst-pseudo -o again, or "
		    "review it and pass --i-have-reviewed");
	else
		snprintf(buf, n, "; tyst-pseudo's manifest lists it, but that "
		    "run replaced only findings at least '%s' and left %llu "
		    "(what the scan finds is no pseudonym it handed out): run "
		    "tyst-pseudo again with a lower -c or without keep, or "
		    "review it and pass --i-have-reviewed", c->m.confidence,
		    (unsigned long long)c->m.left);
}

int
tyst_gate_scan_field(struct tyst_detector *d, const char *text,
    int kind, enum tyst_confidence min, const char *const *allow,
    size_t nallow, struct tyst_hits *hits, struct tyst_err *err)
{
	size_t n = strlen(text);
	char *copy;
	int rc;

	if (kind == TYST_FIELD_TEXT)
		return tyst_gate_scan_with(d, "field", text, n, min, allow,
		    nallow, hits, err);
	if ((copy = malloc(n + 3)) == NULL)
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	memcpy(copy, text, n + 1);
	if (kind == TYST_FIELD_LABEL)
		memcpy(copy + n, ": ", 3);
	for (size_t i = 0; kind == TYST_FIELD_NAME && i < n; i++)
		if (copy[i] == '_' || copy[i] == '.')
			copy[i] = ' ';
	rc = tyst_gate_scan_with(d, "name", copy, strlen(copy), min, allow,
	    nallow, hits, err);
	free(copy);
	return rc;
}

const char *
tyst_hit_shown(const struct tyst_hit *h, int show, char *buf, size_t n)
{
	size_t len = strlen(h->text);
	int left = 4;

	if (show || strcmp(h->category, "PNR") != 0 || len >= n)
		return h->text;
	memcpy(buf, h->text, len + 1);
	for (size_t i = len; i > 0 && left > 0; i--)
		if (buf[i - 1] >= '0' && buf[i - 1] <= '9') {
			buf[i - 1] = '*';
			left--;
		}
	return buf;
}

int
tyst_field_check_init(struct tyst_field_check *c,
    const struct tyst_rules *rules, enum tyst_confidence min,
    const char *const *allow, size_t nallow, struct tyst_err *err)
{
	struct tyst_strtab *t;

	memset(c, 0, sizeof(*c));
	c->min = min;
	c->allow = allow;
	c->nallow = nallow;
	c->err = err;
	if ((t = malloc(sizeof(*t))) == NULL)
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	tyst_strtab_init(t);
	c->seen = t;
	if ((c->d = tyst_detector_new(rules)) == NULL) {
		tyst_field_check_free(c);
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	}
	return 0;
}

int
tyst_field_check_fn(const char *what, const char *text, int kind,
    void *ctx)
{
	struct tyst_field_check *c = ctx;
	struct tyst_hits h = { NULL, 0, 0 };
	int rc;

	/* A name and the same text as prose are scanned alike enough. */
	if ((rc = tyst_strtab_put(c->seen, text, strlen(text), 0, NULL)) < 0) {
		tyst_err_set(c->err, NULL, 0, 0, "out of memory");
		return 1;
	}
	if (rc == 0)
		return 0;
	if (tyst_gate_scan_field(c->d, text, kind, c->min, c->allow,
	    c->nallow, &h, c->err) < 0)
		return 1;
	for (size_t i = 0; i < h.n; i++) {
		struct tyst_field_hit *v;

		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16;

			if ((v = realloc(c->v, cap * sizeof(*v))) == NULL) {
				tyst_hits_free(&h);
				tyst_err_set(c->err, NULL, 0, 0,
				    "out of memory");
				return 1;
			}
			c->v = v;
			c->cap = cap;
		}
		v = &c->v[c->n++];
		snprintf(v->what, sizeof(v->what), "%s", what);
		v->h = h.v[i];
	}
	tyst_hits_free(&h);
	return 0;
}

void
tyst_field_check_free(struct tyst_field_check *c)
{
	if (c->seen != NULL) {
		tyst_strtab_free(c->seen);
		free(c->seen);
	}
	tyst_detector_free(c->d);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int
tyst_gate_file_name(const struct tyst_rules *rules, const char *path,
    struct tyst_hits *hits, struct tyst_err *err)
{
	const char *b = strrchr(path, '/');
	struct tyst_detector *d = tyst_detector_new(rules);
	int rc;

	if (d == NULL)
		return tyst_err_set(err, path, 0, 0, "out of memory");
	rc = tyst_gate_scan_field(d, b != NULL ? b + 1 : path, TYST_FIELD_NAME,
	    TYST_CANDIDATE, NULL, 0, hits, err);
	tyst_detector_free(d);
	return rc;
}
