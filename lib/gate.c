/*
 * gate — see include/tyst/gate.h.
 */
#include "tyst/gate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Reads the value of "key":"…" from one JSON object line.  tyst-pseudo
 * writes flat objects of plain strings, so this need not be a JSON parser;
 * an escaped quote inside a value ends the match early and makes the line
 * simply not match.
 */
static int
json_field(const char *line, size_t n, const char *key, const char **v,
    size_t *vn)
{
	size_t kn = strlen(key);

	for (size_t i = 0; i + kn + 2 < n; i++) {
		size_t j;

		if (line[i] != '"' || memcmp(line + i + 1, key, kn) != 0 ||
		    line[i + 1 + kn] != '"')
			continue;
		j = i + kn + 2;
		while (j < n && (line[j] == ' ' || line[j] == '\t'))
			j++;
		if (j >= n || line[j] != ':')
			continue;
		j++;
		while (j < n && (line[j] == ' ' || line[j] == '\t'))
			j++;
		if (j >= n || line[j] != '"')
			continue;
		*v = line + j + 1;
		for (*vn = 0; j + 1 + *vn < n && line[j + 1 + *vn] != '"';
		    (*vn)++)
			;
		return 1;
	}
	return 0;
}

int
tyst_manifest_lookup(const char *path, const char *sha256, char *key_id,
    size_t key_id_size, struct tyst_err *err)
{
	const char *slash = strrchr(path, '/');
	char mpath[4096];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int found = 0;

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
		const char *v;
		size_t vn;

		if (!json_field(line, (size_t)n, "sha256", &v, &vn) ||
		    vn != strlen(sha256) || strncasecmp(v, sha256, vn) != 0)
			continue;
		found = 1;
		key_id[0] = '\0';
		if (json_field(line, (size_t)n, "key_id", &v, &vn))
			snprintf(key_id, key_id_size, "%.*s", (int)vn, v);
	}
	if (ferror(f)) {
		fclose(f);
		free(line);
		return tyst_err_set(err, mpath, 0, 0, "read error");
	}
	fclose(f);
	free(line);
	return found;
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
