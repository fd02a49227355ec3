/*
 * review — the model and the request handling behind tyst-review
 * (include/tyst/review.h).  Kept apart from the HTTP server so that the
 * parsing of requests can be tested and fuzzed without a socket, and so
 * that libtyst does not link libmicrohttpd.  The page it serves is
 * lib/pseudo/review_page.c.
 */
#include "tyst/review.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyst/detect.h"
#include "tyst/gazetteer.h"
#include "tyst/json.h"
#include "tyst/keystore.h"
#include "tyst/pseudonym.h"
#include "tyst/revfile.h"
#include "tyst/rules.h"
#include "tyst/sha256.h"
#include "tyst/strv.h"
#include "tyst/text.h"
#include "tyst/turns.h"

/* The page (lib/pseudo/review_page.c). */
extern const char tyst_review_html[], tyst_review_js[], tyst_review_css[];

#define FIELD_MAX 512           /* the longest form value accepted */

struct rfind {
	uint64_t start, end;    /* the word's span (its base form) */
	char *word;
	char *cat;
	enum tyst_confidence conf;
	int occ;                /* -1, or the decision on this occurrence */
};

struct rdoc {
	char *name;
	char sha[65];
	struct tyst_text t;
	struct rfind *f;
	size_t nf, cap;
};

struct tyst_rsession {
	pthread_mutex_t mu;
	char *path;             /* the review file */
	char *key;              /* may be NULL */
	struct rdoc *docs;
	size_t ndocs;
	struct tyst_rules *rules;
	struct tyst_review rv;
	char token[65];
	char sid[65];
	int token_used;
	unsigned port;
};

/* ---- small helpers -------------------------------------------------------- */

static int
random_hex(char out[65])
{
	unsigned char b[32];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return -1;
	got = read(fd, b, sizeof(b));
	close(fd);
	if (got != (ssize_t)sizeof(b))
		return -1;
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* Compares secrets in time that does not depend on where they differ. */
static int
same_secret(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;

	for (size_t i = 0; i < na && i < nb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

int
tyst_form_get(const char *form, size_t len, const char *name, char *out,
    size_t cap)
{
	size_t nlen = strlen(name), i = 0;

	if (form == NULL || cap == 0)
		return -1;
	while (i < len) {
		size_t e = i, k;

		while (e < len && form[e] != '&')
			e++;
		if (e - i > nlen && memcmp(form + i, name, nlen) == 0 &&
		    form[i + nlen] == '=') {
			size_t o = 0;

			for (k = i + nlen + 1; k < e; k++) {
				int c = (unsigned char)form[k];

				if (c == '+')
					c = ' ';
				else if (c == '%') {
					int h, l;

					if (k + 2 >= e)
						return -1;
					h = tyst_hexval(form[k + 1]);
					l = tyst_hexval(form[k + 2]);
					if (h < 0 || l < 0)
						return -1;
					c = h * 16 + l;
					k += 2;
				}
				if (c == 0 || o + 1 >= cap)
					return -1;
				out[o++] = (char)c;
			}
			out[o] = '\0';
			return 0;
		}
		i = e + 1;
	}
	return -1;
}

int
tyst_cookie_get(const char *header, const char *name, char *out, size_t cap)
{
	size_t nlen = strlen(name);
	const char *p = header;

	while (p != NULL && *p != '\0') {
		const char *e;
		size_t n;

		while (*p == ' ' || *p == ';')
			p++;
		e = strchr(p, ';');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			if (n - nlen - 1 >= cap)
				return -1;
			memcpy(out, p + nlen + 1, n - nlen - 1);
			out[n - nlen - 1] = '\0';
			return 0;
		}
		p = e;
	}
	return -1;
}

/* s names this machine's loopback at port, after prefix: only the page
 * tyst-review served itself may talk to it. */
static int
is_loopback(const char *s, const char *prefix, unsigned port)
{
	char a[64], b[64];

	snprintf(a, sizeof(a), "%s127.0.0.1:%u", prefix, port);
	snprintf(b, sizeof(b), "%slocalhost:%u", prefix, port);
	return strcmp(s, a) == 0 || strcmp(s, b) == 0;
}

int
tyst_host_ok(const char *host, unsigned port)
{
	return host != NULL && is_loopback(host, "", port);
}

int
tyst_origin_ok(const char *origin, unsigned port)
{
	return origin == NULL || is_loopback(origin, "http://", port);
}

/* ---- findings --------------------------------------------------------------- */

static void
free_findings(struct rdoc *d)
{
	for (size_t i = 0; i < d->nf; i++) {
		free(d->f[i].word);
		free(d->f[i].cat);
	}
	d->nf = 0;
}

static int
add_find(struct rdoc *d, uint64_t start, uint64_t end, const char *cat,
    enum tyst_confidence conf, int occ)
{
	struct rfind *f;

	if (d->nf == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 64;
		void *p = realloc(d->f, nc * sizeof(*d->f));

		if (p == NULL)
			return -1;
		d->f = p;
		d->cap = nc;
	}
	f = &d->f[d->nf];
	f->start = start;
	f->end = end;
	f->conf = conf;
	f->occ = occ;
	f->word = strndup(d->t.data + start, (size_t)(end - start));
	f->cat = strdup(cat);
	if (f->word == NULL || f->cat == NULL) {
		free(f->word);
		free(f->cat);
		return -1;
	}
	d->nf++;
	return 0;
}

static int
on_find(const struct tyst_finding *f, void *ctx)
{
	struct rdoc *d = ctx;

	return add_find(d, f->start, f->base_end, f->category, f->confidence,
	    -1) < 0;
}

static int
cmp_find(const void *a, const void *b)
{
	const struct rfind *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? 1 : x->end > y->end ? -1 : 0;
}

/* The review's decisions on this document's occurrences, shown on its
 * findings; a span pseudonymised that nothing found is added. */
static int
apply_occs(struct tyst_rsession *s, struct rdoc *d)
{
	for (size_t i = 0; i < s->rv.noccs; i++) {
		const struct tyst_review_occ *o = &s->rv.occs[i];
		int hit = 0;

		if (strcmp(o->sha, d->sha) != 0 || o->decision == TYST_ASK ||
		    o->end > d->t.len)
			continue;
		for (size_t j = 0; j < d->nf; j++)
			if (d->f[j].start == o->start && d->f[j].end == o->end) {
				d->f[j].occ = (int)o->decision;
				hit = 1;
			}
		if (!hit && o->decision == TYST_PSEUDONYMISE &&
		    add_find(d, o->start, o->end, o->category ? o->category :
		    "PERSON", TYST_CERTAIN, TYST_PSEUDONYMISE) < 0)
			return -1;
	}
	qsort(d->f, d->nf, sizeof(*d->f), cmp_find);
	return 0;
}

static int
scan_all(struct tyst_rsession *s, struct tyst_err *err)
{
	struct tyst_rules *r = NULL;

	if (tyst_rules_load(&r, access(s->path, F_OK) == 0 ? s->path : NULL,
	    err) < 0)
		return -1;
	tyst_rules_free(s->rules);
	s->rules = r;
	for (size_t i = 0; i < s->ndocs; i++) {
		struct rdoc *d = &s->docs[i];

		free_findings(d);
		if (tyst_detect_buffer(r, d->name, d->t.data, d->t.len, on_find,
		    d, err) != 0) {
			if (err->msg[0] == '\0')
				tyst_err_set(err, d->name, 0, 0, "out of memory");
			return -1;
		}
		if (apply_occs(s, d) < 0)
			return tyst_err_set(err, d->name, 0, 0, "out of memory");
	}
	return 0;
}

/* ---- the review file ------------------------------------------------------ */

static struct tyst_review_item *
add_item(struct tyst_review *rv, const char *word, const char *cat)
{
	struct tyst_review_item *p, *it;

	p = realloc(rv->items, (rv->nitems + 1) * sizeof(*p));
	if (p == NULL)
		return NULL;
	rv->items = p;
	it = &rv->items[rv->nitems];
	memset(it, 0, sizeof(*it));
	it->word = strdup(word);
	it->category = strdup(cat);
	if (it->word == NULL || it->category == NULL) {
		free(it->word);
		free(it->category);
		return NULL;
	}
	rv->nitems++;
	return it;
}

/* The line around [start, end), at most CONTEXT_MAX bytes, cut at
 * character boundaries: the context tyst-scan --review writes. */
#define CONTEXT_MAX 120

static char *
context_of(const struct rdoc *d, uint64_t start)
{
	const char *t = d->t.data;
	size_t s = (size_t)start, e = (size_t)start;

	while (s > 0 && t[s - 1] != '\n')
		s--;
	while (e < d->t.len && t[e] != '\n' && t[e] != '\r')
		e++;
	if (e - s > CONTEXT_MAX) {
		if (start - s > CONTEXT_MAX / 2)
			s = (size_t)start - CONTEXT_MAX / 2;
		if (e > s + CONTEXT_MAX)
			e = s + CONTEXT_MAX;
		while (s < e && ((unsigned char)t[s] & 0xc0) == 0x80)
			s++;
		while (e > s && e < d->t.len &&
		    ((unsigned char)t[e] & 0xc0) == 0x80)
			e--;
	}
	return strndup(t + s, e - s);
}

/* Every word found with less than certain confidence is in the review,
 * with its count over the corpus, as tyst-scan --review writes it. */
static int
merge_found(struct tyst_rsession *s)
{
	struct tyst_review *rv = &s->rv;

	for (size_t i = 0; i < rv->nitems; i++)
		rv->items[i].count = 0;
	for (size_t i = 0; i < s->ndocs; i++)
		for (size_t j = 0; j < s->docs[i].nf; j++) {
			const struct rfind *f = &s->docs[i].f[j];
			struct tyst_review_item *it = tyst_review_find(rv,
			    f->word);

			if (it == NULL && f->conf == TYST_CERTAIN)
				continue;
			if (it == NULL) {
				if ((it = add_item(rv, f->word, f->cat)) == NULL)
					return -1;
				if ((it->context = context_of(&s->docs[i],
				    f->start)) == NULL)
					return -1;
			}
			it->count++;
		}
	if (rv->nincludes == 0) {
		if ((rv->includes = malloc(sizeof(char *))) == NULL ||
		    (rv->includes[0] = strdup("default")) == NULL)
			return -1;
		rv->nincludes = 1;
	}
	return 0;
}

typedef int (*change_fn)(struct tyst_rsession *s, void *ctx,
    struct tyst_err *err);

/*
 * One decision: under the file's lock, the file read again (tyst-scan
 * --review may have written it meanwhile), changed, written whole; then
 * the rules read from it and the corpus scanned again.
 */
static int
change(struct tyst_rsession *s, change_fn fn, void *ctx, struct tyst_err *err)
{
	int fd, exists, readable, rc = -1;

	if ((fd = tyst_review_lock(s->path, err)) < 0)
		return -1;
	tyst_review_free(&s->rv);
	if (tyst_review_load(&s->rv, s->path, &exists, err) < 0)
		goto out;
	if (fn != NULL && fn(s, ctx, err) < 0)
		goto out;
	if (tyst_review_save(&s->rv, s->path, &readable, err) < 0)
		goto out;
	rc = 0;
out:
	tyst_review_unlock(fd);
	if (rc == 0)
		rc = scan_all(s, err);
	return rc;
}

static int
first_merge(struct tyst_rsession *s, void *ctx, struct tyst_err *err)
{
	(void)ctx;
	if (scan_all(s, err) < 0)
		return -1;
	if (merge_found(s) < 0)
		return tyst_err_set(err, s->path, 0, 0, "out of memory");
	return 0;
}

int
tyst_rsession_open(struct tyst_rsession **out, const char *review_path,
    const char *key_path, char *const *files, size_t n,
    struct tyst_err *err)
{
	struct tyst_rsession *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return tyst_err_set(err, review_path, 0, 0, "out of memory");
	pthread_mutex_init(&s->mu, NULL);
	s->path = strdup(review_path);
	s->key = key_path != NULL ? strdup(key_path) : NULL;
	s->docs = calloc(n ? n : 1, sizeof(*s->docs));
	if (s->path == NULL || s->docs == NULL ||
	    (key_path != NULL && s->key == NULL)) {
		tyst_rsession_free(s);
		return tyst_err_set(err, review_path, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct rdoc *d = &s->docs[i];

		if (tyst_text_load(&d->t, files[i], err) < 0) {
			tyst_rsession_free(s);
			return -1;
		}
		s->ndocs++;
		d->name = strdup(files[i]);
		if (d->name == NULL) {
			tyst_rsession_free(s);
			return tyst_err_set(err, files[i], 0, 0, "out of memory");
		}
		tyst_sha256_hex(d->t.data, d->t.len, d->sha);
	}
	if (random_hex(s->token) < 0) {
		tyst_rsession_free(s);
		return tyst_err_set(err, "/dev/urandom", 0, 0, "cannot read");
	}
	if (change(s, first_merge, NULL, err) < 0) {
		tyst_rsession_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
tyst_rsession_free(struct tyst_rsession *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ndocs; i++) {
		free_findings(&s->docs[i]);
		free(s->docs[i].f);
		free(s->docs[i].name);
		tyst_text_free(&s->docs[i].t);
	}
	free(s->docs);
	tyst_rules_free(s->rules);
	tyst_review_free(&s->rv);
	free(s->path);
	free(s->key);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

void
tyst_rsession_set_port(struct tyst_rsession *s, unsigned port)
{
	s->port = port;
}

const char *
tyst_rsession_token(const struct tyst_rsession *s)
{
	return s->token;
}

/* ---- decisions ---------------------------------------------------------------- */

struct decide {
	char word[FIELD_MAX], cat[FIELD_MAX];
	enum tyst_decision d;
	long doc;
	uint64_t start, end;
	char a[FIELD_MAX], b[FIELD_MAX], name[FIELD_MAX];
};

static int
parse_decision(const char *s, enum tyst_decision *d)
{
	if (strcmp(s, "keep") == 0)
		*d = TYST_KEEP;
	else if (strcmp(s, "pseudonymise") == 0)
		*d = TYST_PSEUDONYMISE;
	else if (strcmp(s, "ask") == 0)
		*d = TYST_ASK;
	else
		return -1;
	return 0;
}

/* A category name as rules files allow it. */
static int
cat_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* Text from the page that becomes a word of the review file: one line. */
static int
word_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 200 || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20)
			return 0;
	return 1;
}

static int
do_word(struct tyst_rsession *s, void *ctx, struct tyst_err *err)
{
	struct decide *dc = ctx;
	struct tyst_review_item *it = tyst_review_find(&s->rv, dc->word);

	if (it == NULL && (it = add_item(&s->rv, dc->word, dc->cat[0] ?
	    dc->cat : "PERSON")) == NULL)
		return tyst_err_set(err, s->path, 0, 0, "out of memory");
	if (dc->cat[0] != '\0') {
		char *c = strdup(dc->cat);

		if (c == NULL)
			return tyst_err_set(err, s->path, 0, 0, "out of memory");
		free(it->category);
		it->category = c;
	}
	it->decision = dc->d;
	return 0;
}

static int
do_occ(struct tyst_rsession *s, void *ctx, struct tyst_err *err)
{
	struct decide *dc = ctx;
	const struct rdoc *d = &s->docs[dc->doc];
	struct tyst_review *rv = &s->rv;
	struct tyst_review_occ *o = NULL, *p;
	const char *slash = strrchr(d->name, '/');

	for (size_t i = 0; i < rv->noccs; i++)
		if (strcmp(rv->occs[i].sha, d->sha) == 0 &&
		    rv->occs[i].start == dc->start && rv->occs[i].end == dc->end)
			o = &rv->occs[i];
	if (o == NULL) {
		p = realloc(rv->occs, (rv->noccs + 1) * sizeof(*p));
		if (p == NULL)
			return tyst_err_set(err, s->path, 0, 0, "out of memory");
		rv->occs = p;
		o = &rv->occs[rv->noccs++];
		memset(o, 0, sizeof(*o));
		memcpy(o->sha, d->sha, 65);
		o->start = dc->start;
		o->end = dc->end;
		o->word = strndup(d->t.data + dc->start,
		    (size_t)(dc->end - dc->start));
		o->file = strdup(slash != NULL ? slash + 1 : d->name);
		if (o->word == NULL || o->file == NULL)
			return tyst_err_set(err, s->path, 0, 0, "out of memory");
	}
	free(o->category);
	o->category = dc->cat[0] != '\0' ? strdup(dc->cat) : NULL;
	o->decision = dc->d;
	return 0;
}

static int
do_mark(struct tyst_rsession *s, void *ctx, struct tyst_err *err)
{
	struct decide *dc = ctx;
	struct tyst_review *rv = &s->rv;
	struct tyst_review_mark *p;

	for (size_t i = 0; i < rv->nmarks; i++)
		if (strcmp(rv->marks[i].word, dc->word) == 0)
			return 0;
	p = realloc(rv->marks, (rv->nmarks + 1) * sizeof(*p));
	if (p == NULL)
		return tyst_err_set(err, s->path, 0, 0, "out of memory");
	rv->marks = p;
	p = &rv->marks[rv->nmarks];
	p->word = strdup(dc->word);
	p->category = strdup(dc->cat);
	if (p->word == NULL || p->category == NULL) {
		free(p->word);
		free(p->category);
		return tyst_err_set(err, s->path, 0, 0, "out of memory");
	}
	rv->nmarks++;
	return 0;
}

static int
person_has(const struct tyst_rule_person *pp, const char *w)
{
	for (size_t i = 0; i < pp->n; i++)
		if (strcmp(pp->spellings[i], w) == 0)
			return 1;
	return 0;
}

static int
person_add(struct tyst_rule_person *pp, const char *w)
{
	if (person_has(pp, w))
		return 0;
	return tyst_strv_add(&pp->spellings, &pp->n, w);
}

static int
set_name(struct tyst_review *rv, const char *orig, const char *pseudo)
{
	struct tyst_rule_name *q;
	char *p = strdup(pseudo), *o;

	if (p == NULL)
		return -1;
	for (size_t i = 0; i < rv->nnames; i++)
		if (strcmp(rv->names[i].original, orig) == 0) {
			free(rv->names[i].pseudonym);
			rv->names[i].pseudonym = p;
			return 0;
		}
	o = strdup(orig);
	q = realloc(rv->names, (rv->nnames + 1) * sizeof(*q));
	if (q == NULL || o == NULL) {
		if (q != NULL)
			rv->names = q;
		free(p);
		free(o);
		return -1;
	}
	rv->names = q;
	q[rv->nnames].original = o;
	q[rv->nnames].pseudonym = p;
	rv->nnames++;
	return 0;
}

static int
do_link(struct tyst_rsession *s, void *ctx, struct tyst_err *err)
{
	struct decide *dc = ctx;
	struct tyst_review *rv = &s->rv;
	struct tyst_rule_person *pp = NULL, *q;

	for (size_t i = 0; i < rv->npersons && pp == NULL; i++)
		if (person_has(&rv->persons[i], dc->a) ||
		    person_has(&rv->persons[i], dc->b))
			pp = &rv->persons[i];
	if (pp == NULL && strcmp(dc->a, dc->b) != 0) {
		q = realloc(rv->persons, (rv->npersons + 1) * sizeof(*q));
		if (q == NULL)
			return tyst_err_set(err, s->path, 0, 0, "out of memory");
		rv->persons = q;
		pp = &rv->persons[rv->npersons++];
		memset(pp, 0, sizeof(*pp));
	}
	if (pp != NULL && (person_add(pp, dc->a) < 0 ||
	    person_add(pp, dc->b) < 0))
		return tyst_err_set(err, s->path, 0, 0, "out of memory");
	if (dc->name[0] != '\0' && set_name(rv, dc->a, dc->name) < 0)
		return tyst_err_set(err, s->path, 0, 0, "out of memory");
	return 0;
}

/* ---- responses ------------------------------------------------------------ */

static int
respond(struct tyst_response *resp, int status, const char *type,
    const char *body)
{
	resp->status = status;
	resp->type = type;
	resp->body = strdup(body);
	resp->len = resp->body != NULL ? strlen(body) : 0;
	return resp->body != NULL ? 0 : -1;
}

static int
respond_err(struct tyst_response *resp, int status, const char *msg)
{
	return respond(resp, status, "text/plain; charset=utf-8", msg);
}

/* Ends a JSON body written to a memstream and hands it to the response. */
static int
json_done(FILE *f, char **buf, size_t *len, int status,
    struct tyst_response *resp)
{
	if (fclose(f) != 0) {
		free(*buf);
		return -1;
	}
	resp->status = status;
	resp->type = "application/json";
	resp->body = *buf;
	resp->len = *len;
	return 0;
}

static int
respond_json_err(struct tyst_response *resp, const struct tyst_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return -1;
	fputs("{\"error\":", f);
	tyst_json_cstr(f, err->msg);
	fputs("}", f);
	return json_done(f, &buf, &len, 500, resp);
}

static const char *
decision_of(const struct tyst_rsession *s, const char *word)
{
	struct tyst_review_item *it = tyst_review_find(
	    (struct tyst_review *)&s->rv, word);

	return it != NULL ? tyst_decision_name(it->decision) : "certain";
}

static void
put_segment(FILE *f, const char *p, size_t n, long find, const char *turn,
    size_t tlen, int *first)
{
	if (n == 0)
		return;
	fputs(*first ? "{\"t\":" : ",{\"t\":", f);
	*first = 0;
	tyst_json_str(f, p, n);
	if (find >= 0) {
		fputs(",\"f\":", f);
		tyst_put_i64(f, find);
	}
	if (turn != NULL) {
		fputs(",\"turn\":", f);
		tyst_json_str(f, turn, tlen);
	}
	fputc('}', f);
}

/* The text as segments: plain text, findings (by index), and the start of
 * each speaker turn with its label, so the page needs no byte offsets. */
static void
put_doc_text(FILE *f, const struct rdoc *d)
{
	struct tyst_turns turns = { NULL, 0 };
	struct tyst_err err;
	size_t pos = 0, ti = 0, fi = 0;
	int first = 1;

	if (tyst_turns_split(&turns, d->t.data, d->t.len, &err) < 0)
		turns.n = 0;
	fputc('[', f);
	while (pos < d->t.len) {
		size_t next = d->t.len;
		const char *label = NULL;
		size_t llen = 0;

		while (ti < turns.n && turns.v[ti].start < pos)
			ti++;
		if (ti < turns.n && turns.v[ti].start == pos) {
			label = d->t.data + turns.v[ti].label;
			llen = turns.v[ti].label_end - turns.v[ti].label;
			ti++;
		}
		while (fi < d->nf && d->f[fi].start < pos)
			fi++;       /* overlapped by the one before: not shown */
		if (fi < d->nf && d->f[fi].start == pos) {
			put_segment(f, d->t.data + pos,
			    (size_t)(d->f[fi].end - pos), (long)fi, label, llen,
			    &first);
			pos = (size_t)d->f[fi].end;
			fi++;
			continue;
		}
		if (fi < d->nf && d->f[fi].start < next)
			next = (size_t)d->f[fi].start;
		if (ti < turns.n && turns.v[ti].start < next)
			next = turns.v[ti].start;
		put_segment(f, d->t.data + pos, next - pos, -1, label, llen,
		    &first);
		pos = next;
	}
	fputc(']', f);
	free(turns.v);
}

static void
put_state(FILE *f, const struct tyst_rsession *s)
{
	const struct tyst_review *rv = &s->rv;
	size_t undecided = 0;

	fputs("{\"docs\":[", f);
	for (size_t i = 0; i < s->ndocs; i++) {
		const struct rdoc *d = &s->docs[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		tyst_json_cstr(f, d->name);
		fputs(",\"findings\":[", f);
		for (size_t j = 0; j < d->nf; j++) {
			const struct rfind *x = &d->f[j];

			fputs(j ? ",{\"w\":" : "{\"w\":", f);
			tyst_json_cstr(f, x->word);
			fputs(",\"c\":", f);
			tyst_json_cstr(f, x->cat);
			fputs(",\"k\":", f);
			tyst_json_cstr(f, tyst_confidence_name(x->conf));
			fputs(",\"d\":", f);
			tyst_json_cstr(f, decision_of(s, x->word));
			fputs(",\"o\":", f);
			tyst_json_cstr(f, x->occ < 0 ? "" :
			    tyst_decision_name((enum tyst_decision)x->occ));
			fputs(",\"s\":", f);
			tyst_put_u64(f, x->start);
			fputs(",\"e\":", f);
			tyst_put_u64(f, x->end);
			fputc('}', f);
		}
		fputs("],\"segs\":", f);
		put_doc_text(f, d);
		fputc('}', f);
	}
	fputs("],\"words\":[", f);
	for (size_t i = 0; i < rv->nitems; i++) {
		const struct tyst_review_item *it = &rv->items[i];

		undecided += it->decision == TYST_ASK;
		fputs(i ? ",{\"w\":" : "{\"w\":", f);
		tyst_json_cstr(f, it->word);
		fputs(",\"c\":", f);
		tyst_json_cstr(f, it->category ? it->category : "");
		fputs(",\"d\":", f);
		tyst_json_cstr(f, tyst_decision_name(it->decision));
		fputs(",\"n\":", f);
		tyst_put_u64(f, it->count);
		fputc('}', f);
	}
	fputs("],\"cats\":[", f);
	for (size_t i = 0; i < s->rules->ncats; i++) {
		if (i)
			fputc(',', f);
		tyst_json_cstr(f, s->rules->cats[i]);
	}
	fputs("],\"marked\":[", f);
	for (size_t i = 0; i < rv->nmarks; i++) {
		if (i)
			fputc(',', f);
		tyst_json_cstr(f, rv->marks[i].word);
	}
	fputs("],\"persons\":[", f);
	for (size_t i = 0; i < rv->npersons; i++) {
		fputs(i ? ",[" : "[", f);
		for (size_t j = 0; j < rv->persons[i].n; j++) {
			if (j)
				fputc(',', f);
			tyst_json_cstr(f, rv->persons[i].spellings[j]);
		}
		fputc(']', f);
	}
	fputs("],\"undecided\":", f);
	tyst_put_u64(f, undecided);
	fputs(",\"total\":", f);
	tyst_put_u64(f, rv->nitems);
	fputs("}", f);
}

static int
respond_state(struct tyst_response *resp, const struct tyst_rsession *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return -1;
	put_state(f, s);
	return json_done(f, &buf, &len, 200, resp);
}

/* ---- the preview ---------------------------------------------------------- */

static int
mem_write(const char *p, size_t n, void *ctx)
{
	return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

/* The findings tyst-pseudo would replace: not kept (by word or here), the
 * longest of overlapping ones. */
static int
replaced(const struct tyst_rsession *s, const struct rfind *x)
{
	const char *d = decision_of(s, x->word);

	if (x->occ == TYST_KEEP)
		return 0;
	if (x->occ == TYST_PSEUDONYMISE)
		return 1;
	return strcmp(d, "keep") != 0;
}

static int
preview_doc(struct tyst_rsession *s, const struct rdoc *d,
    struct tyst_pseudo *p, FILE *out, struct tyst_err *err)
{
	uint64_t pos = 0;
	char osha[65];

	if (tyst_pseudo_begin(p, d->name, mem_write, out, err) < 0)
		return -1;
	for (size_t i = 0; i < d->nf; i++) {
		const struct rfind *x = &d->f[i];
		struct tyst_finding f;

		if (x->start < pos || !replaced(s, x))
			continue;
		memset(&f, 0, sizeof(f));
		f.start = x->start;
		f.end = f.base_end = x->end;
		f.category = x->cat;
		f.source = "review";
		f.confidence = x->conf;
		f.text = d->t.data + x->start;
		f.line = f.col = 1;
		if (tyst_pseudo_copy(p, d->t.data + pos, (size_t)(x->start -
		    pos), err) < 0 || tyst_pseudo_replace(p, &f, err) < 0) {
			tyst_pseudo_abandon(p);
			return -1;
		}
		pos = x->end;
	}
	if (tyst_pseudo_copy(p, d->t.data + pos, d->t.len - (size_t)pos,
	    err) < 0) {
		tyst_pseudo_abandon(p);
		return -1;
	}
	return tyst_pseudo_end(p, osha, NULL, err);
}

/*
 * The document as tyst-pseudo would write it, with the key given (read,
 * nothing written: the transaction is rolled back) or a throwaway key, so
 * the names shown may differ from the real run's.
 */
static int
preview(struct tyst_rsession *s, long doc, char **text, size_t *len,
    struct tyst_err *err)
{
	char dir[PATH_MAX] = "", key[PATH_MAX + 16];
	struct tyst_pseudo_conf *conf = NULL;
	struct tyst_key *k = NULL;
	struct tyst_pseudo *p = NULL;
	FILE *out = NULL;
	int rc = -1, begun = 0;

	*text = NULL;
	if (s->key == NULL) {
		snprintf(dir, sizeof(dir), "%s/tyst-review.XXXXXX",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(dir) == NULL)
			return tyst_err_set(err, dir, 0, 0, "%s", strerror(errno));
		snprintf(key, sizeof(key), "%s/preview.key", dir);
	} else
		snprintf(key, sizeof(key), "%s", s->key);
	if (tyst_pseudo_conf_load(&conf, NULL, access(s->path, F_OK) == 0 ?
	    s->path : NULL, err) < 0 ||
	    tyst_key_open(&k, key, s->key ? TYST_KEY_OPEN : TYST_KEY_CREATE,
	    5000, err) < 0 || tyst_pseudo_new(&p, conf, k, err) < 0 ||
	    tyst_key_begin(k, err) < 0)
		goto out;
	begun = 1;
	if ((out = open_memstream(text, len)) == NULL) {
		tyst_err_set(err, s->path, 0, 0, "out of memory");
		goto out;
	}
	rc = preview_doc(s, &s->docs[doc], p, out, err);
out:
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	if (begun) {
		tyst_key_rollback(k);
		tyst_pseudo_rollback(p);
	}
	tyst_pseudo_free(p);
	tyst_key_close(k);
	tyst_pseudo_conf_free(conf);
	if (dir[0] != '\0') {
		char f[PATH_MAX + 32];

		snprintf(f, sizeof(f), "%s-wal", key);
		unlink(f);
		snprintf(f, sizeof(f), "%s-shm", key);
		unlink(f);
		unlink(key);
		rmdir(dir);
	}
	if (rc < 0) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

static int
respond_preview(struct tyst_rsession *s, long doc,
    struct tyst_response *resp)
{
	struct tyst_err err;
	char *text, *buf = NULL;
	size_t tlen, len = 0;
	FILE *f;

	if (preview(s, doc, &text, &tlen, &err) < 0)
		return respond_json_err(resp, &err);
	if ((f = open_memstream(&buf, &len)) == NULL) {
		free(text);
		return -1;
	}
	fputs("{\"text\":", f);
	tyst_json_str(f, text, tlen);
	fputs("}", f);
	free(text);
	return json_done(f, &buf, &len, 200, resp);
}

/* ---- requests ------------------------------------------------------------- */

static int
get_field(const struct tyst_request *rq, const char *name, char *out,
    size_t cap)
{
	if (rq->body != NULL && tyst_form_get(rq->body, rq->body_len, name, out,
	    cap) == 0)
		return 0;
	out[0] = '\0';
	return -1;
}

static int
get_offset(const struct tyst_request *rq, const char *name, uint64_t *v)
{
	char buf[32], *end;
	unsigned long long x;

	if (get_field(rq, name, buf, sizeof(buf)) < 0 || buf[0] < '0' ||
	    buf[0] > '9')
		return -1;
	errno = 0;
	x = strtoull(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

static long
get_doc(const struct tyst_rsession *s, const char *form, size_t len)
{
	char buf[32], *end;
	long v;

	if (tyst_form_get(form, len, "doc", buf, sizeof(buf)) < 0)
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || *end != '\0' || buf[0] == '\0' || v < 0 ||
	    (size_t)v >= s->ndocs)
		return -1;
	return v;
}

/* The decision a POST asks for, checked; NULL fn when the form is bad. */
static change_fn
read_change(struct tyst_rsession *s, const struct tyst_request *rq,
    struct decide *dc)
{
	char dec[32];

	memset(dc, 0, sizeof(*dc));
	get_field(rq, "category", dc->cat, sizeof(dc->cat));
	if (dc->cat[0] != '\0' && !cat_ok(dc->cat))
		return NULL;
	if (strcmp(rq->path, "/api/decide") == 0) {
		if (get_field(rq, "word", dc->word, sizeof(dc->word)) < 0 ||
		    !word_ok(dc->word) || get_field(rq, "decision", dec,
		    sizeof(dec)) < 0 || parse_decision(dec, &dc->d) < 0)
			return NULL;
		return do_word;
	}
	if (strcmp(rq->path, "/api/occurrence") == 0) {
		dc->doc = get_doc(s, rq->body, rq->body_len);
		if (dc->doc < 0 || get_offset(rq, "start", &dc->start) < 0 ||
		    get_offset(rq, "end", &dc->end) < 0 ||
		    dc->end <= dc->start ||
		    dc->end > s->docs[dc->doc].t.len ||
		    get_field(rq, "decision", dec, sizeof(dec)) < 0 ||
		    parse_decision(dec, &dc->d) < 0 ||
		    (dc->d == TYST_PSEUDONYMISE && dc->cat[0] == '\0'))
			return NULL;
		return do_occ;
	}
	if (strcmp(rq->path, "/api/mark") == 0) {
		if (get_field(rq, "word", dc->word, sizeof(dc->word)) < 0 ||
		    !word_ok(dc->word) || dc->cat[0] == '\0')
			return NULL;
		return do_mark;
	}
	if (strcmp(rq->path, "/api/link") == 0) {
		if (get_field(rq, "a", dc->a, sizeof(dc->a)) < 0 ||
		    get_field(rq, "b", dc->b, sizeof(dc->b)) < 0 ||
		    !word_ok(dc->a) || !word_ok(dc->b))
			return NULL;
		get_field(rq, "name", dc->name, sizeof(dc->name));
		if (dc->name[0] != '\0' && !word_ok(dc->name))
			return NULL;
		return do_link;
	}
	return NULL;
}

/*
 * Who may ask: the Host must be this server (against DNS rebinding), the
 * one-time token is traded once for a session cookie, every other request
 * must carry that cookie, and a change must come from the page itself.
 */
static int
gate(struct tyst_rsession *s, const struct tyst_request *rq,
    struct tyst_response *resp, int *done)
{
	char tok[80], sid[80];
	int have;

	*done = 1;
	if (!tyst_host_ok(rq->host, s->port))
		return respond_err(resp, 421, "wrong Host\n");
	have = s->sid[0] != '\0' && rq->cookie != NULL &&
	    tyst_cookie_get(rq->cookie, "tyst_session", sid, sizeof(sid)) == 0 &&
	    same_secret(sid, s->sid);
	if (strcmp(rq->path, "/") == 0 && rq->query != NULL &&
	    tyst_form_get(rq->query, strlen(rq->query), "token", tok,
	    sizeof(tok)) == 0) {
		size_t n = 128;

		/* The link opened again in the browser that used it. */
		if (have) {
			resp->location = "/";
			return respond(resp, 303, "text/plain; charset=utf-8",
			    "see /\n");
		}
		if (s->token_used || !same_secret(tok, s->token))
			return respond_err(resp, 403, "this link was used "
			    "already; start tyst-review again\n");
		s->token_used = 1;
		if (random_hex(s->sid) < 0 || (resp->set_cookie =
		    malloc(n)) == NULL)
			return -1;
		snprintf(resp->set_cookie, n, "tyst_session=%s; HttpOnly; "
		    "SameSite=Strict; Path=/", s->sid);
		resp->location = "/";
		return respond(resp, 303, "text/plain; charset=utf-8",
		    "see /\n");
	}
	if (!have)
		return respond_err(resp, 403, "no session: open the link "
		    "tyst-review printed\n");
	if (strcmp(rq->method, "GET") != 0 && (!tyst_origin_ok(rq->origin,
	    s->port) || (rq->fetch_site != NULL &&
	    strcmp(rq->fetch_site, "same-origin") != 0)))
		return respond_err(resp, 403, "cross-origin request refused\n");
	*done = 0;
	return 0;
}

static int
handle(struct tyst_rsession *s, const struct tyst_request *rq,
    struct tyst_response *resp)
{
	struct decide dc;
	struct tyst_err err;
	change_fn fn;
	int done;

	if (gate(s, rq, resp, &done) < 0 || done)
		return resp->body != NULL ? 0 : -1;
	if (strcmp(rq->method, "GET") == 0) {
		if (strcmp(rq->path, "/") == 0)
			return respond(resp, 200, "text/html; charset=utf-8",
			    tyst_review_html);
		if (strcmp(rq->path, "/app.js") == 0)
			return respond(resp, 200, "text/javascript; "
			    "charset=utf-8", tyst_review_js);
		if (strcmp(rq->path, "/app.css") == 0)
			return respond(resp, 200, "text/css; charset=utf-8",
			    tyst_review_css);
		if (strcmp(rq->path, "/api/state") == 0)
			return respond_state(resp, s);
		if (strcmp(rq->path, "/api/preview") == 0) {
			long doc = rq->query != NULL ? get_doc(s, rq->query,
			    strlen(rq->query)) : -1;

			if (doc < 0)
				return respond_err(resp, 400, "bad doc\n");
			return respond_preview(s, doc, resp);
		}
		return respond_err(resp, 404, "not found\n");
	}
	if (strcmp(rq->method, "POST") != 0)
		return respond_err(resp, 405, "GET or POST\n");
	if ((fn = read_change(s, rq, &dc)) == NULL)
		return respond_err(resp, 400, "bad request\n");
	err.msg[0] = '\0';
	if (change(s, fn, &dc, &err) < 0)
		return respond_json_err(resp, &err);
	return respond_state(resp, s);
}

int
tyst_rsession_handle(struct tyst_rsession *s,
    const struct tyst_request *rq, struct tyst_response *resp)
{
	int rc;

	memset(resp, 0, sizeof(*resp));
	pthread_mutex_lock(&s->mu);
	rc = handle(s, rq, resp);
	pthread_mutex_unlock(&s->mu);
	return rc;
}
