/*
 * rules — loading rule sets (YAML, see man/tyst-rules.5) into the form the
 * detector walks.  See include/tyst/rules.h and include/tyst/detect.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "tyst/rules.h"

#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "tyst/paths.h"
#include "tyst/rxsum.h"
#include "tyst/text.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_WORDS 6             /* most words in one multiword entry */

struct loader {
	struct tyst_rules *r;
	const char *stack[MAX_INCLUDE_DEPTH];   /* real paths being loaded */
	int depth;
	int words_src[64];      /* per category: its words source + 1 */
	int allow_src, keep_src;        /* + 1, 0 when not yet made */
	int declared;           /* some file declared a category */
	struct tyst_err *err;
};

/* One YAML file being read: for messages and relative paths. */
struct yfile {
	const char *path;       /* as named (for messages) */
	char dir[PATH_MAX];     /* its directory, for relative includes */
	yaml_document_t doc;
};

const char *
tyst_confidence_name(enum tyst_confidence c)
{
	switch (c) {
	case TYST_CERTAIN: return "certain";
	case TYST_LIKELY: return "likely";
	case TYST_CANDIDATE: return "candidate";
	}
	return "candidate";
}

const char *
tyst_decision_name(enum tyst_decision d)
{
	switch (d) {
	case TYST_PSEUDONYMISE: return "pseudonymise";
	case TYST_KEEP: return "keep";
	case TYST_ASK: return "ask";
	}
	return "ask";
}

/* ---- small YAML helpers -------------------------------------------------- */

static int
yerr(struct loader *ld, struct yfile *yf, yaml_node_t *n, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
yerr(struct loader *ld, struct yfile *yf, yaml_node_t *n, const char *fmt,
    ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tyst_err_set(ld->err, yf->path,
	    n != NULL ? n->start_mark.line + 1 : 0,
	    n != NULL ? n->start_mark.column + 1 : 0, "%s", msg);
}

static yaml_node_t *
ynode(struct yfile *yf, yaml_node_item_t i)
{
	return yaml_document_get_node(&yf->doc, i);
}

static const char *
yscalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* A scalar, or an error naming what was expected. */
static const char *
want_scalar(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    const char *what)
{
	const char *s = yscalar(n);

	if (s == NULL)
		yerr(ld, yf, n, "%s must be a single value", what);
	return s;
}

/*
 * Calls fn for each item of a sequence; a single scalar counts as a
 * sequence of one, so "include: default.yaml" works as well as a list.
 */
typedef int (*item_fn)(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    void *ctx);

static int
each_item(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    const char *what, item_fn fn, void *ctx)
{
	if (n->type == YAML_SCALAR_NODE) {
		if (n->data.scalar.length == 0 &&
		    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return 0;       /* "key:" with nothing after it */
		return fn(ld, yf, n, ctx);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return yerr(ld, yf, n, "%s must be a list", what);
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++)
		if (fn(ld, yf, ynode(yf, *it), ctx) < 0)
			return -1;
	return 0;
}

static int
parse_confidence(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    enum tyst_confidence *c)
{
	const char *s = want_scalar(ld, yf, n, "confidence");

	if (s == NULL)
		return -1;
	if (strcmp(s, "certain") == 0)
		*c = TYST_CERTAIN;
	else if (strcmp(s, "likely") == 0)
		*c = TYST_LIKELY;
	else if (strcmp(s, "candidate") == 0)
		*c = TYST_CANDIDATE;
	else
		return yerr(ld, yf, n, "unknown confidence '%s' (certain, "
		    "likely, candidate)", s);
	return 0;
}

/* ---- the rule set ---------------------------------------------------------- */

int
tyst_rules_cat(const struct tyst_rules *r, const char *name)
{
	for (size_t i = 0; i < r->ncats; i++)
		if (strcmp(r->cats[i], name) == 0)
			return (int)i;
	return -1;
}

static int
intern_cat(struct tyst_rules *r, const char *name)
{
	int c = tyst_rules_cat(r, name);
	char **p, *copy;

	if (c >= 0)
		return c;
	if (r->ncats >= 64)
		return -1;
	copy = strdup(name);
	p = realloc(r->cats, (r->ncats + 1) * sizeof(*p));
	if (copy == NULL || p == NULL) {
		free(copy);
		if (p != NULL)
			r->cats = p;
		return -1;
	}
	r->cats = p;
	r->cats[r->ncats] = copy;
	return (int)r->ncats++;
}

static int
add_src(struct tyst_rules *r, const char *label, int cat,
    enum tyst_confidence conf, enum tyst_src_kind kind)
{
	struct tyst_rule_src *p;
	char *copy = strdup(label);

	p = realloc(r->srcs, (r->nsrcs + 1) * sizeof(*p));
	if (copy == NULL || p == NULL) {
		free(copy);
		if (p != NULL)
			r->srcs = p;
		return -1;
	}
	r->srcs = p;
	p[r->nsrcs].label = copy;
	p[r->nsrcs].cat = cat;
	p[r->nsrcs].conf = conf;
	p[r->nsrcs].kind = kind;
	return (int)r->nsrcs++;
}

static uint32_t
add_attrs(struct tyst_rules *r, const char *a, size_t len)
{
	uint32_t off;

	if (len == 0)
		return UINT32_MAX;
	if (r->attrlen + len + 1 > r->attrcap) {
		size_t nc = r->attrcap ? r->attrcap : 4096;
		char *p;

		while (nc < r->attrlen + len + 1)
			nc *= 2;
		if (nc >= UINT32_MAX || (p = realloc(r->attrpool, nc)) == NULL)
			return UINT32_MAX - 1;
		r->attrpool = p;
		r->attrcap = nc;
	}
	off = (uint32_t)r->attrlen;
	memcpy(r->attrpool + off, a, len);
	r->attrpool[off + len] = '\0';
	r->attrlen += len + 1;
	return off;
}

/* Adds key to the index for source src.  Returns 0, or -1 when out of
 * memory. */
static int
add_entry(struct tyst_rules *r, int src, const char *key, size_t len,
    const char *attrs, size_t alen)
{
	uint32_t *slot, a, hi, words = 1;
	unsigned k;
	struct tyst_rule_hit *h;
	int added;

	if (r->nhits == r->caphits) {
		size_t nc = r->caphits ? r->caphits * 2 : 1024;
		void *p = realloc(r->hits, nc * sizeof(*r->hits));

		if (p == NULL)
			return -1;
		r->hits = p;
		r->caphits = nc;
	}
	added = tyst_strtab_put(&r->index, key, len, (uint32_t)r->nhits + 1,
	    &slot);
	if (added < 0)
		return -1;
	k = tyst_rules_key_bit(key, len);
	r->index_bits[k >> 3] |= (uint8_t)(1u << (k & 7));
	if (!added) {
		/* Walk the chain: the same list naming a word twice adds
		 * nothing; another list's hit goes at the end, so hits stay in
		 * the order the rules name their lists. */
		for (hi = *slot; ; hi = r->hits[hi - 1].next) {
			if (r->hits[hi - 1].src == (uint32_t)src)
				return 0;
			if (r->hits[hi - 1].next == 0)
				break;
		}
		r->hits[hi - 1].next = (uint32_t)r->nhits + 1;
	}
	a = add_attrs(r, attrs, alen);
	if (a == UINT32_MAX - 1)
		return -1;
	h = &r->hits[r->nhits++];
	h->src = (uint32_t)src;
	h->attrs = a;
	h->next = 0;
	r->nentries++;

	for (size_t i = 0; i < len; i++)
		if (key[i] == ' ')
			words++;
	if (words > 1) {
		size_t first = 0;
		uint32_t *m;

		while (key[first] != ' ')
			first++;
		if (tyst_strtab_put(&r->multi, key, first, words, &m) < 0)
			return -1;
		k = tyst_rules_key_bit(key, first);
		r->multi_bits[k >> 3] |= (uint8_t)(1u << (k & 7));
		if (*m < words)
			*m = words;
		if ((int)words > r->maxwords)
			r->maxwords = (int)words;
	}
	/* Only a study's own words are looked up in lower case (gazetteer
	 * entries such as "af Klercker" start a multiword name, which the
	 * detector tries from its capitalised word). */
	if (r->srcs[src].kind == TYST_SRC_WORDS) {
		uint32_t cp;

		tyst_utf8_decode(key, len, &cp);
		if (!tyst_cp_upper(cp))
			r->lower_words = 1;
	}
	return 0;
}

const struct tyst_rule_hit *
tyst_rules_lookup(const struct tyst_rules *r, const char *key, size_t len)
{
	uint32_t *v;

	if (!tyst_rules_bit_set(r->index_bits, tyst_rules_key_bit(key, len)))
		return NULL;
	v = tyst_strtab_get(&r->index, key, len);
	return v != NULL ? &r->hits[*v - 1] : NULL;
}

const struct tyst_rule_hit *
tyst_rules_next(const struct tyst_rules *r, const struct tyst_rule_hit *h)
{
	return h->next != 0 ? &r->hits[h->next - 1] : NULL;
}

const char *
tyst_rules_attrs(const struct tyst_rules *r, const struct tyst_rule_hit *h)
{
	return h->attrs != UINT32_MAX ? r->attrpool + h->attrs : NULL;
}

/*
 * A word as written in a rules file: multiword entries are normalised to
 * single spaces, so "Upplands  Väsby" and a tab both mean one space, the
 * form the detector builds.  Returns the length, 0 when empty or too long.
 */
static size_t
norm_word(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	int sp = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			sp = n > 0;
			continue;
		}
		if (sp) {
			if (n + 1 >= cap)
				return 0;
			out[n++] = ' ';
			sp = 0;
		}
		if (n + 1 >= cap)
			return 0;
		out[n++] = *s;
	}
	return n;
}

/* ---- word lists ------------------------------------------------------------ */

struct word_ctx {
	int src;
};

static int
add_word_item(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	const struct word_ctx *wc = ctx;
	const char *s = want_scalar(ld, yf, n, "a word");
	char buf[512];
	size_t len;

	if (s == NULL)
		return -1;
	len = norm_word(s, buf, sizeof(buf));
	if (len == 0)
		return yerr(ld, yf, n, "empty or over-long word");
	if (add_entry(ld->r, wc->src, buf, len, NULL, 0) < 0)
		return yerr(ld, yf, n, "out of memory");
	return 0;
}

static int words_src(struct loader *ld, int cat);

/*
 * names: (original -> pseudonym) and same-person: (lists of spellings) are
 * tyst-pseudo's; the originals and spellings they name are people of the
 * study, so they are found as PERSON words too (the pseudonyms are not).
 */
static int
person_words(struct loader *ld, struct yfile *yf, const char *ks,
    yaml_node_t *v)
{
	int cat = intern_cat(ld->r, "PERSON");
	struct word_ctx wc;

	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
		return 0;
	if (cat < 0 || (wc.src = words_src(ld, cat)) < 0)
		return yerr(ld, yf, v, "out of memory");
	if (ks[0] == 'n') {
		if (v->type != YAML_MAPPING_NODE)
			return yerr(ld, yf, v, "names: expected a mapping of "
			    "originals to pseudonyms");
		for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
		    p < v->data.mapping.pairs.top; p++)
			if (add_word_item(ld, yf, ynode(yf, p->key), &wc) < 0)
				return -1;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return yerr(ld, yf, v, "same-person: expected a list of lists "
		    "of spellings");
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	    it < v->data.sequence.items.top; it++)
		if (each_item(ld, yf, ynode(yf, *it), "same-person",
		    add_word_item, &wc) < 0)
			return -1;
	return 0;
}

static int
list_src(struct loader *ld, int *slot, const char *label, int cat,
    enum tyst_confidence conf, enum tyst_src_kind kind)
{
	int s;

	if (*slot != 0)
		return *slot - 1;
	s = add_src(ld->r, label, cat, conf, kind);
	if (s >= 0)
		*slot = s + 1;
	return s;
}

static int
words_src(struct loader *ld, int cat)
{
	char label[160];

	snprintf(label, sizeof(label), "words %s", ld->r->cats[cat]);
	return list_src(ld, &ld->words_src[cat], label, cat, TYST_CERTAIN,
	    TYST_SRC_WORDS);
}

/* Capitalises the words after the first of a multiword key, in place;
 * returns whether anything changed.  ASCII, Å, Ä, Ö and other Latin-1
 * letters (their capitals are 0x20 below, in the same two-byte form). */
static int
capitalise_rest(char *k, size_t n)
{
	int changed = 0;

	for (size_t i = 1; i < n; i++) {
		unsigned char *c = (unsigned char *)k + i;

		if (k[i - 1] != ' ')
			continue;
		if (*c >= 'a' && *c <= 'z') {
			*c -= 32;
			changed = 1;
		} else if (*c == 0xc3 && i + 1 < n && c[1] >= 0xa0 &&
		    c[1] <= 0xbe && c[1] != 0xb7) {
			c[1] -= 0x20;
			changed = 1;
		}
	}
	return changed;
}

struct gaz_ctx {
	struct tyst_rules *r;
	int src;
};

static int
gaz_entry(const char *entry, size_t len, const char *attrs, size_t alen,
    size_t lineno, void *ctx, struct tyst_err *err)
{
	struct gaz_ctx *gc = ctx;
	char buf[512], key[512];
	size_t n;

	(void)lineno;
	if (len >= sizeof(buf))
		return 0;       /* no name is that long; skip it quietly */
	memcpy(buf, entry, len);
	buf[len] = '\0';
	n = norm_word(buf, key, sizeof(key));
	if (n == 0)
		return 0;
	if (add_entry(gc->r, gc->src, key, n, attrs, alen) < 0)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	/* "Tjärna ängar" is written "Tjärna Ängar" too: a multiword entry
	 * is also found with its later words capitalised. */
	if (capitalise_rest(key, n) &&
	    add_entry(gc->r, gc->src, key, n, attrs, alen) < 0)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

/* Resolves a path named in yf: absolute, "default", or relative to yf. */
static void
resolve(struct yfile *yf, const char *name, char *out, size_t cap)
{
	int n;

	if (strcmp(name, "default") == 0)
		n = snprintf(out, cap, "%s/rules/sv/default.yaml",
		    tyst_datadir());
	else if (name[0] == '/' || yf->dir[0] == '\0')
		n = snprintf(out, cap, "%s", name);
	else {
		size_t a = strlen(yf->dir), b = strlen(name);

		/* An over-long path is cut; opening it then fails and says
		 * so. */
		if (a + b + 2 > cap)
			b = a + 2 < cap ? cap - a - 2 : 0;
		if (a + 2 > cap)
			a = cap - 2;
		memcpy(out, yf->dir, a);
		out[a] = '/';
		memcpy(out + a + 1, name, b);
		out[a + 1 + b] = '\0';
		n = 0;
	}
	(void)n;
}

static int
read_list_file(struct loader *ld, struct yfile *yf, yaml_node_t *n, int src,
    const char *what)
{
	char path[PATH_MAX];
	struct gaz_ctx gc = { ld->r, src };
	struct tyst_err e2;

	resolve(yf, yscalar(n), path, sizeof(path));
	if (tyst_gazetteer_read(path, gaz_entry, &gc, &e2) < 0) {
		if (e2.line == 0)
			return yerr(ld, yf, n, "%s: %s: %s", what, path,
			    e2.msg);
		/* The fault is inside the list: name that place, and the
		 * rule that pulled it in. */
		return tyst_err_set(ld->err, e2.file, e2.line, e2.col,
		    "%.600s (%.200s, named at %.200s:%zu)", e2.msg, what,
		    yf->path, (size_t)n->start_mark.line + 1);
	}
	return 0;
}

static int
add_gazetteer(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	int cat = *(int *)ctx;
	const char *name = NULL;
	yaml_node_t *file = NULL;
	enum tyst_confidence conf = TYST_LIKELY;
	char label[300], what[400];
	int src, optional = 0;

	if (n->type == YAML_SCALAR_NODE) {
		file = n;
		name = yscalar(n);
	} else if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = ynode(yf, p->key), *v = ynode(yf, p->value);
			const char *ks = yscalar(k);

			if (ks == NULL)
				return yerr(ld, yf, k, "gazetteer keys are words");
			if (strcmp(ks, "name") == 0) {
				if ((name = want_scalar(ld, yf, v, "name")) == NULL)
					return -1;
			} else if (strcmp(ks, "file") == 0) {
				if (want_scalar(ld, yf, v, "file") == NULL)
					return -1;
				file = v;
			} else if (strcmp(ks, "confidence") == 0) {
				if (parse_confidence(ld, yf, v, &conf) < 0)
					return -1;
			} else if (strcmp(ks, "optional") == 0) {
				const char *o = want_scalar(ld, yf, v, "optional");

				if (o == NULL)
					return -1;
				optional = strcmp(o, "true") == 0 ||
				    strcmp(o, "yes") == 0;
			} else
				return yerr(ld, yf, k, "gazetteer of %s: unknown "
				    "key '%s' (name, file, confidence, optional)",
				    ld->r->cats[cat], ks);
		}
	} else
		return yerr(ld, yf, n, "a gazetteer is a file name or "
		    "{ name, file, confidence }");
	if (file == NULL)
		return yerr(ld, yf, n, "gazetteer of %s: no file",
		    ld->r->cats[cat]);
	if (name == NULL)
		name = yscalar(file);
	if (optional) {
		char path[PATH_MAX];

		/* A list a site may leave out: absent, it is skipped; present,
		 * it must be right. */
		resolve(yf, yscalar(file), path, sizeof(path));
		if (access(path, F_OK) != 0)
			return 0;
	}
	snprintf(label, sizeof(label), "gazetteer %s", name);
	snprintf(what, sizeof(what), "category %s, gazetteer %s",
	    ld->r->cats[cat], name);
	src = add_src(ld->r, label, cat, conf, TYST_SRC_GAZETTEER);
	if (src < 0)
		return yerr(ld, yf, n, "out of memory");
	return read_list_file(ld, yf, file, src, what);
}

static int
add_allow_file(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	int src = *(int *)ctx;

	if (want_scalar(ld, yf, n, "an allowlist file") == NULL)
		return -1;
	return read_list_file(ld, yf, n, src, "allowlist file");
}

/* ---- patterns ------------------------------------------------------------- */

static int
only_digits(const uint8_t *bitmap)
{
	int any = 0;

	for (int c = 0; c < 256; c++) {
		if (!(bitmap[c / 8] & (1u << (c % 8))))
			continue;
		if (c < '0' || c > '9')
			return 0;
		any = 1;
	}
	return any;
}

/*
 * A cheap test a line must pass before the pattern runs: most lines of a
 * transcript hold no digit and no '@', and then phone, date, postcode and
 * e-mail patterns cannot match.  Read from what PCRE2 knows of the pattern,
 * keeping to facts case cannot change.
 */
static void
auto_need(struct tyst_rule_pattern *p)
{
	pcre2_code *code = p->code;
	uint32_t type = 0, unit = 0;
	const uint8_t *bitmap = NULL;

	p->need = TYST_NEED_NONE;
	if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 &&
	    type == 1 &&
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
	    unit < 0x80 && !((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z')) {
		if (unit >= '0' && unit <= '9')
			p->need = TYST_NEED_DIGIT;
		else {
			p->need = TYST_NEED_BYTE;
			p->need_byte = (unsigned char)unit;
		}
		return;
	}
	if (type == 0 &&
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 &&
	    bitmap != NULL && only_digits(bitmap)) {
		p->need = TYST_NEED_DIGIT;
		return;
	}
	if (pcre2_pattern_info(code, PCRE2_INFO_LASTCODETYPE, &type) == 0 &&
	    type == 1 &&
	    pcre2_pattern_info(code, PCRE2_INFO_LASTCODEUNIT, &unit) == 0 &&
	    unit < 0x80 && !((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z') &&
	    !(unit >= '0' && unit <= '9')) {
		p->need = TYST_NEED_BYTE;
		p->need_byte = (unsigned char)unit;
	}
}

/*
 * The bytes a match of code can start with, as PCRE2 itself works them
 * out to skip ahead: its start bitmap, or its one first code unit (which
 * may be caseless, so a letter counts in both cases and with every byte
 * that starts a multibyte character: the Kelvin sign is a k).  Never a
 * UTF-8 continuation byte, where no match starts and no search may.  0
 * when PCRE2 knows none.
 */
static int
first_bytes(pcre2_code *code, uint8_t first[32])
{
	uint32_t type = 0, unit = 0;
	const uint8_t *bitmap = NULL;

	memset(first, 0, 32);
	if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
		return 0;
	if (type == 1) {
		if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) !=
		    0 || unit > 0xff)
			return 0;
		first[unit / 8] |= (uint8_t)(1u << (unit % 8));
		if ((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z') {
			unit ^= 0x20;
			first[unit / 8] |= (uint8_t)(1u << (unit % 8));
			memset(first + 0xc0 / 8, 0xff, 8);
		}
	} else if (type == 0 &&
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 &&
	    bitmap != NULL)
		memcpy(first, bitmap, 32);
	else
		return 0;
	memset(first + 0x80 / 8, 0, 8);
	return 1;
}

/* Whether a match can start with what p needs, when every stretch the
 * detector searches holds that: the bytes add nothing there. */
static int
first_has_need(const struct tyst_rule_pattern *p)
{
	if (p->need == TYST_NEED_BYTE)
		return (p->first[p->need_byte / 8] >> (p->need_byte % 8)) & 1;
	for (int c = '0'; c <= '9'; c++)
		if (!((p->first[c / 8] >> (c % 8)) & 1))
			return 0;
	return 1;
}

/*
 * A pattern found to need a digit may need a punctuation byte more than
 * once in every match, as an IP address needs three dots.  Digits are
 * everywhere in a transcript (times, years, counts), such a byte seldom
 * as often within a match's length, so the byte is the better need: fewer
 * lines pass, fewer stretches are searched.
 */
static void
prefer_byte(struct tyst_rule_pattern *p, const struct tyst_rxsum *sum)
{
	static const char bytes[] = ".:/@";
	long best = 1;

	if (p->need != TYST_NEED_DIGIT)
		return;
	for (const char *c = bytes; *c != '\0'; c++) {
		const struct tyst_rx_bounds *b = tyst_rxsum_bounds(sum, *c);

		if (b != NULL && b->len >= 0 && b->anchors > best) {
			best = b->anchors;
			p->need = TYST_NEED_BYTE;
			p->need_byte = (unsigned char)*c;
		}
	}
}

/*
 * How far before its need a match can start (rxsum.h), read from the
 * regex itself (a declared need is not trusted for this).  A pattern with
 * a bound is compiled again for pcre2_set_offset_limit(), with which the
 * detector searches only near the digits or bytes of a line.
 */
static int
set_reach(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    struct tyst_rule_pattern *p, const char *regex,
    const struct tyst_rxsum *sum)
{
	const struct tyst_rx_bounds *b;
	pcre2_code *code;
	int ecode;
	PCRE2_SIZE eoff;

	p->reach = p->mlen = -1;
	p->anchors = 1;
	if (p->need == TYST_NEED_NONE || (b = tyst_rxsum_bounds(sum,
	    p->need == TYST_NEED_DIGIT ? TYST_ANCHOR_DIGIT : p->need_byte)) ==
	    NULL)
		return 0;
	p->reach = b->reach;
	p->mlen = b->len;
	p->anchors = b->anchors;
	p->solid_after = b->solid_after;
	code = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_USE_OFFSET_LIMIT, &ecode, &eoff,
	    NULL);
	if (code == NULL)
		return yerr(ld, yf, n, "out of memory");
	p->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	pcre2_code_free(p->code);
	p->code = code;
	p->has_first = first_bytes(code, p->first) && !first_has_need(p);
	return 0;
}

static int
add_pattern(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	int cat = *(int *)ctx;
	const char *name = NULL, *regex = NULL, *needs = NULL;
	yaml_node_t *rnode = NULL, *nnode = NULL;
	enum tyst_confidence conf = TYST_CERTAIN;
	struct tyst_rules *r = ld->r;
	struct tyst_rule_pattern *p;
	char label[300];
	int ecode, group, jit;
	PCRE2_SIZE eoff;
	pcre2_code *code;
	uint32_t groups = 0;
	struct tyst_rxsum sum;

	if (n->type != YAML_MAPPING_NODE)
		return yerr(ld, yf, n, "a pattern is { name, regex, confidence }");
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
	    pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = ynode(yf, pr->key), *v = ynode(yf, pr->value);
		const char *ks = yscalar(k);

		if (ks == NULL)
			return yerr(ld, yf, k, "pattern keys are words");
		if (strcmp(ks, "name") == 0) {
			if ((name = want_scalar(ld, yf, v, "name")) == NULL)
				return -1;
		} else if (strcmp(ks, "regex") == 0) {
			if ((regex = want_scalar(ld, yf, v, "regex")) == NULL)
				return -1;
			rnode = v;
		} else if (strcmp(ks, "confidence") == 0) {
			if (parse_confidence(ld, yf, v, &conf) < 0)
				return -1;
		} else if (strcmp(ks, "needs") == 0) {
			if ((needs = want_scalar(ld, yf, v, "needs")) == NULL)
				return -1;
			nnode = v;
		} else if (strcmp(ks, "description") != 0)
			return yerr(ld, yf, k, "pattern of %s: unknown key '%s' "
			    "(name, regex, confidence, needs, description)",
			    r->cats[cat], ks);
	}
	if (name == NULL)
		name = "unnamed";
	if (regex == NULL)
		return yerr(ld, yf, n, "pattern %s of %s: no regex", name,
		    r->cats[cat]);
	code = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP, &ecode, &eoff, NULL);
	if (code == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ecode, msg, sizeof(msg));
		return yerr(ld, yf, rnode, "pattern %s of %s: bad regex at "
		    "character %zu: %s", name, r->cats[cat], (size_t)eoff + 1,
		    (const char *)msg);
	}
	/* Without JIT (an odd platform) the interpreter gives the same
	 * matches, only slower. */
	jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	p = realloc(r->pats, (r->npats + 1) * sizeof(*p));
	if (p == NULL) {
		pcre2_code_free(code);
		return yerr(ld, yf, n, "out of memory");
	}
	r->pats = p;
	p = &r->pats[r->npats];
	memset(p, 0, sizeof(*p));
	p->reach = p->mlen = -1;
	p->anchors = 1;
	snprintf(label, sizeof(label), "rule %s", name);
	p->label = strdup(label);
	p->cat = cat;
	p->conf = conf;
	p->code = code;
	p->jit = jit;
	r->npats++;
	if (p->label == NULL)
		return yerr(ld, yf, n, "out of memory");
	group = pcre2_substring_number_from_name(code, (PCRE2_SPTR)"id");
	p->group = group > 0 ? (uint32_t)group : 0;
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
	if (groups + 1 > r->max_groups)
		r->max_groups = groups + 1;
	if (tyst_rxsum_read(regex, &sum) < 0)
		return yerr(ld, yf, n, "out of memory");
	/* Three bytes or more: a shorter string is in most lines. */
	if (sum.lits.n > 0 && sum.lit_min >= 3) {
		p->lits = malloc(sizeof(*p->lits));
		if (p->lits == NULL)
			return yerr(ld, yf, n, "out of memory");
		*p->lits = sum.lits;
	}
	if (needs == NULL) {
		if (sum.needs & TYST_RX_AT) {
			p->need = TYST_NEED_BYTE;
			p->need_byte = '@';
		} else if (sum.needs & TYST_RX_DIGIT)
			p->need = TYST_NEED_DIGIT;
		else
			auto_need(p);
	}
	else if (strcmp(needs, "digit") == 0)
		p->need = TYST_NEED_DIGIT;
	else if (strcmp(needs, "none") == 0)
		p->need = TYST_NEED_NONE;
	else if (strlen(needs) == 1 && (unsigned char)needs[0] < 0x80) {
		p->need = TYST_NEED_BYTE;
		p->need_byte = (unsigned char)needs[0];
	} else
		return yerr(ld, yf, nnode, "pattern %s of %s: needs is digit, "
		    "none or one ASCII character", name, r->cats[cat]);
	if (needs == NULL)
		prefer_byte(p, &sum);
	return set_reach(ld, yf, n, p, regex, &sum);
}

/* ---- categories ---------------------------------------------------------- */

static int
load_category(struct loader *ld, struct yfile *yf, yaml_node_t *kn,
    yaml_node_t *v)
{
	const char *name = yscalar(kn);
	int cat;

	if (name == NULL || name[0] == '\0')
		return yerr(ld, yf, kn, "a category is named by a word");
	for (const char *s = name; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return yerr(ld, yf, kn, "category '%s': names are "
			    "upper-case letters, digits, '_' and '-'", name);
	cat = intern_cat(ld->r, name);
	if (cat < 0)
		return yerr(ld, yf, kn, "too many categories");
	ld->declared = 1;
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return yerr(ld, yf, v, "category %s: expected builtin, "
		    "gazetteers, words or patterns", name);
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
	    p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(yf, p->key), *val = ynode(yf, p->value);
		const char *ks = yscalar(k);
		int rc;

		if (ks == NULL)
			return yerr(ld, yf, k, "category %s: keys are words",
			    name);
		if (strcmp(ks, "builtin") == 0) {
			const char *b = want_scalar(ld, yf, val, "builtin");

			if (b == NULL)
				return -1;
			if (strcmp(b, "pnr") != 0)
				return yerr(ld, yf, val, "category %s: unknown "
				    "builtin '%s' (pnr)", name, b);
			ld->r->pnr_cat = cat;
			rc = 0;
		} else if (strcmp(ks, "gazetteers") == 0)
			rc = each_item(ld, yf, val, "gazetteers",
			    add_gazetteer, &cat);
		else if (strcmp(ks, "words") == 0) {
			struct word_ctx wc = { words_src(ld, cat) };

			if (wc.src < 0)
				return yerr(ld, yf, k, "out of memory");
			rc = each_item(ld, yf, val, "words", add_word_item, &wc);
		} else if (strcmp(ks, "patterns") == 0)
			rc = each_item(ld, yf, val, "patterns", add_pattern,
			    &cat);
		else if (strcmp(ks, "description") == 0)
			rc = 0;
		else
			return yerr(ld, yf, k, "category %s: unknown key '%s' "
			    "(builtin, gazetteers, words, patterns)", name, ks);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- review candidates ------------------------------------------------------ */

struct cand {
	yaml_node_t *node;
	const char *word, *category, *decision, *context;
	yaml_node_t *decnode;
	unsigned long count;
};

static int
read_cand(struct loader *ld, struct yfile *yf, yaml_node_t *n, struct cand *c)
{
	memset(c, 0, sizeof(*c));
	c->node = n;
	if (n->type != YAML_MAPPING_NODE)
		return yerr(ld, yf, n, "a candidate is { word, category, "
		    "decision }");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(yf, p->key), *v = ynode(yf, p->value);
		const char *ks = yscalar(k), *vs = yscalar(v);

		if (ks == NULL || vs == NULL)
			return yerr(ld, yf, k, "candidate: key and value must "
			    "be single values");
		if (strcmp(ks, "word") == 0)
			c->word = vs;
		else if (strcmp(ks, "category") == 0)
			c->category = vs;
		else if (strcmp(ks, "decision") == 0) {
			c->decision = vs;
			c->decnode = v;
		} else if (strcmp(ks, "context") == 0)
			c->context = vs;
		else if (strcmp(ks, "count") == 0)
			c->count = strtoul(vs, NULL, 10);
		else
			return yerr(ld, yf, k, "candidate: unknown key '%s' "
			    "(word, category, decision, count, context)", ks);
	}
	if (c->word == NULL || c->word[0] == '\0')
		return yerr(ld, yf, n, "candidate without a word");
	if (c->decision == NULL || c->decision[0] == '\0')
		c->decision = "ask";
	if (strcmp(c->decision, "ask") != 0 &&
	    strcmp(c->decision, "keep") != 0 &&
	    strcmp(c->decision, "pseudonymise") != 0 &&
	    strcmp(c->decision, "pseudonymize") != 0)
		return yerr(ld, yf, c->decnode, "candidate %s: decision is "
		    "ask, pseudonymise or keep, not '%s'", c->word,
		    c->decision);
	return 0;
}

static int
add_candidate(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	struct cand c;
	struct word_ctx wc;
	int cat;

	(void)ctx;
	if (read_cand(ld, yf, n, &c) < 0)
		return -1;
	if (strcmp(c.decision, "ask") == 0)
		return 0;
	if (strcmp(c.decision, "keep") == 0) {
		wc.src = list_src(ld, &ld->keep_src, "keep", -1, TYST_CERTAIN,
		    TYST_SRC_KEEP);
	} else {
		if (c.category == NULL || c.category[0] == '\0')
			return yerr(ld, yf, n, "candidate %s: pseudonymise "
			    "needs a category", c.word);
		cat = intern_cat(ld->r, c.category);
		if (cat < 0)
			return yerr(ld, yf, n, "too many categories");
		wc.src = words_src(ld, cat);
	}
	if (wc.src < 0)
		return yerr(ld, yf, n, "out of memory");
	char buf[512];
	size_t len = norm_word(c.word, buf, sizeof(buf));

	if (len == 0 || add_entry(ld->r, wc.src, buf, len, NULL, 0) < 0)
		return yerr(ld, yf, n, "candidate: bad word");
	return 0;
}

/* ---- occurrences, marked text, names, spellings of one person ----------- */

struct occ {
	const char *sha, *word, *category, *decision, *file;
	uint64_t start, end;
	int have_start, have_end;
};

static int
parse_offset(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

static int
is_sha_hex(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		    (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 64;
}

static int
occ_key(struct loader *ld, struct yfile *yf, yaml_node_t *k, const char *ks,
    const char *vs, struct occ *o)
{
	if (strcmp(ks, "file") == 0)
		o->sha = vs;
	else if (strcmp(ks, "word") == 0)
		o->word = vs;
	else if (strcmp(ks, "category") == 0)
		o->category = vs;
	else if (strcmp(ks, "decision") == 0)
		o->decision = vs;
	else if (strcmp(ks, "name") == 0)
		o->file = vs;
	else if (strcmp(ks, "start") == 0 || strcmp(ks, "end") == 0) {
		int s = ks[0] == 's';

		if (parse_offset(vs, s ? &o->start : &o->end) < 0)
			return yerr(ld, yf, k, "occurrence: %s is a byte offset, "
			    "not '%s'", ks, vs);
		*(s ? &o->have_start : &o->have_end) = 1;
	} else
		return yerr(ld, yf, k, "occurrence: unknown key '%s' (file, "
		    "start, end, word, category, decision, name)", ks);
	return 0;
}

static int
read_occ(struct loader *ld, struct yfile *yf, yaml_node_t *n, struct occ *o)
{
	memset(o, 0, sizeof(*o));
	if (n->type != YAML_MAPPING_NODE)
		return yerr(ld, yf, n, "an occurrence is { file, start, end, "
		    "word, category, decision }");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(yf, p->key), *v = ynode(yf, p->value);
		const char *ks = yscalar(k), *vs = yscalar(v);

		if (ks == NULL || vs == NULL)
			return yerr(ld, yf, k, "occurrence: key and value must "
			    "be single values");
		if (occ_key(ld, yf, k, ks, vs, o) < 0)
			return -1;
	}
	if (o->sha == NULL || !is_sha_hex(o->sha))
		return yerr(ld, yf, n, "occurrence: file is the SHA-256 of the "
		    "input (64 lower-case hex digits)");
	if (!o->have_start || !o->have_end || o->end <= o->start)
		return yerr(ld, yf, n, "occurrence: start and end are byte "
		    "offsets, start before end");
	if (o->decision == NULL || o->decision[0] == '\0')
		o->decision = "ask";
	if (strcmp(o->decision, "ask") != 0 &&
	    strcmp(o->decision, "keep") != 0 &&
	    strcmp(o->decision, "pseudonymise") != 0 &&
	    strcmp(o->decision, "pseudonymize") != 0)
		return yerr(ld, yf, n, "occurrence: decision is ask, "
		    "pseudonymise or keep, not '%s'", o->decision);
	if (o->decision[0] == 'p' && (o->category == NULL ||
	    o->category[0] == '\0'))
		return yerr(ld, yf, n, "occurrence: pseudonymise needs a "
		    "category");
	return 0;
}

static int
add_occ(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	struct tyst_rules *r = ld->r;
	struct tyst_rule_occ *p, *o;
	struct occ c;

	(void)ctx;
	if (read_occ(ld, yf, n, &c) < 0)
		return -1;
	if (c.decision[0] == 'a')
		return 0;
	p = realloc(r->occs, (r->noccs + 1) * sizeof(*p));
	if (p == NULL)
		return yerr(ld, yf, n, "out of memory");
	r->occs = p;
	o = &r->occs[r->noccs];
	memset(o, 0, sizeof(*o));
	memcpy(o->sha, c.sha, 65);
	o->start = c.start;
	o->end = c.end;
	o->keep = c.decision[0] == 'k';
	o->cat = -1;
	if (!o->keep && (o->cat = intern_cat(r, c.category)) < 0)
		return yerr(ld, yf, n, "too many categories");
	r->noccs++;
	return 0;
}

static int
read_mark(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    const char **word, const char **cat)
{
	*word = *cat = NULL;
	if (n->type != YAML_MAPPING_NODE)
		return yerr(ld, yf, n, "marked text is { word, category }");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(yf, p->key), *v = ynode(yf, p->value);
		const char *ks = yscalar(k), *vs = yscalar(v);

		if (ks == NULL || vs == NULL)
			return yerr(ld, yf, k, "marked: key and value must be "
			    "single values");
		if (strcmp(ks, "word") == 0)
			*word = vs;
		else if (strcmp(ks, "category") == 0)
			*cat = vs;
		else
			return yerr(ld, yf, k, "marked: unknown key '%s' (word, "
			    "category)", ks);
	}
	if (*word == NULL || *word[0] == '\0' || *cat == NULL ||
	    *cat[0] == '\0')
		return yerr(ld, yf, n, "marked text needs a word and a "
		    "category");
	return 0;
}

/* Marked text is a rule of the study: a word of its category. */
static int
add_mark(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	const char *word, *catname;
	char buf[512];
	size_t len;
	int cat, src;

	(void)ctx;
	if (read_mark(ld, yf, n, &word, &catname) < 0)
		return -1;
	if ((cat = intern_cat(ld->r, catname)) < 0)
		return yerr(ld, yf, n, "too many categories");
	if ((src = words_src(ld, cat)) < 0)
		return yerr(ld, yf, n, "out of memory");
	ld->declared = 1;
	len = norm_word(word, buf, sizeof(buf));
	if (len == 0 || add_entry(ld->r, src, buf, len, NULL, 0) < 0)
		return yerr(ld, yf, n, "marked: empty or over-long word");
	return 0;
}

static int
read_names(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    struct tyst_rule_name **v, size_t *nv)
{
	if (n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0)
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return yerr(ld, yf, n, "names is a mapping from an original to "
		    "its pseudonym");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(yf, p->key), *val = ynode(yf, p->value);
		const char *ks = yscalar(k), *vs = yscalar(val);
		struct tyst_rule_name *q;

		if (ks == NULL || vs == NULL || ks[0] == '\0' || vs[0] == '\0')
			return yerr(ld, yf, k, "names: an original and its "
			    "pseudonym, each a single value");
		q = realloc(*v, (*nv + 1) * sizeof(*q));
		if (q == NULL)
			return yerr(ld, yf, k, "out of memory");
		*v = q;
		q[*nv].original = strdup(ks);
		q[*nv].pseudonym = strdup(vs);
		(*nv)++;
		if (q[*nv - 1].original == NULL || q[*nv - 1].pseudonym == NULL)
			return yerr(ld, yf, k, "out of memory");
	}
	return 0;
}

static int
read_person(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    struct tyst_rule_person *pp)
{
	memset(pp, 0, sizeof(*pp));
	if (n->type != YAML_SEQUENCE_NODE)
		return yerr(ld, yf, n, "same-person: each item is a list of "
		    "spellings, [Jonatan, Johnatan]");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		yaml_node_t *s = ynode(yf, *it);
		const char *ss = yscalar(s);
		char **q;

		if (ss == NULL || ss[0] == '\0')
			return yerr(ld, yf, s, "same-person: a spelling is a "
			    "single value");
		q = realloc(pp->spellings, (pp->n + 1) * sizeof(*q));
		if (q == NULL)
			return yerr(ld, yf, s, "out of memory");
		pp->spellings = q;
		if ((q[pp->n] = strdup(ss)) == NULL)
			return yerr(ld, yf, s, "out of memory");
		pp->n++;
	}
	if (pp->n < 2)
		return yerr(ld, yf, n, "same-person: a list links two or more "
		    "spellings");
	return 0;
}

static void
free_person(struct tyst_rule_person *pp)
{
	for (size_t j = 0; j < pp->n; j++)
		free(pp->spellings[j]);
	free(pp->spellings);
}

static void
free_persons(struct tyst_rule_person *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_person(&v[i]);
	free(v);
}

static void
free_names(struct tyst_rule_name *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].original);
		free(v[i].pseudonym);
	}
	free(v);
}

static int
read_persons(struct loader *ld, struct yfile *yf, yaml_node_t *n,
    struct tyst_rule_person **v, size_t *nv)
{
	if (n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0)
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yerr(ld, yf, n, "same-person is a list of lists of "
		    "spellings");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		struct tyst_rule_person pp, *q;

		if (read_person(ld, yf, ynode(yf, *it), &pp) < 0) {
			free_person(&pp);
			return -1;
		}
		q = realloc(*v, (*nv + 1) * sizeof(*q));
		if (q == NULL) {
			free_person(&pp);
			return yerr(ld, yf, n, "out of memory");
		}
		*v = q;
		q[(*nv)++] = pp;
	}
	return 0;
}

static int
cmp_occ(const void *a, const void *b)
{
	const struct tyst_rule_occ *x = a, *y = b;
	int c = strcmp(x->sha, y->sha);

	if (c != 0)
		return c;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

size_t
tyst_rules_occs(const struct tyst_rules *r, const char *sha,
    const struct tyst_rule_occ **first)
{
	size_t lo = 0, hi = r->noccs, n = 0;

	*first = NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->occs[mid].sha, sha) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < r->noccs && strcmp(r->occs[lo + n].sha, sha) == 0)
		n++;
	if (n > 0)
		*first = &r->occs[lo];
	return n;
}

static int
occ_in_line(const struct tyst_rule_occ *o, const struct tyst_line *ln)
{
	return o->start >= ln->off && o->end <= ln->off + ln->len;
}

size_t
tyst_occs_in_line(const struct tyst_rule_occ *o, size_t no,
    const struct tyst_line *ln)
{
	size_t n = 0;

	for (size_t i = 0; i < no; i++)
		if (occ_in_line(&o[i], ln))
			n++;
	return n;
}

static const struct tyst_rule_occ *
occ_at(const struct tyst_rule_occ *o, size_t no, uint64_t start,
    uint64_t end)
{
	for (size_t i = 0; i < no; i++)
		if (o[i].start == start && o[i].end == end)
			return &o[i];
	return NULL;
}

/* Column in characters (as the detector counts them) of off in the line. */
static size_t
line_col(const struct tyst_line *ln, uint64_t off)
{
	size_t col = 1;

	for (uint64_t i = ln->off; i < off; i++)
		if (((unsigned char)ln->p[i - ln->off] & 0xc0) != 0x80)
			col++;
	return col;
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct tyst_finding *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? 1 : x->end > y->end ? -1 : 0;
}

size_t
tyst_occs_apply(const struct tyst_rules *r, const struct tyst_rule_occ *o,
    size_t no, const struct tyst_line *ln, struct tyst_finding *v, size_t n)
{
	size_t out = 0, added;

	for (size_t i = 0; i < n; i++) {
		const struct tyst_rule_occ *d = occ_at(o, no, v[i].start,
		    v[i].end);

		if (d == NULL && v[i].base_end != v[i].end)
			d = occ_at(o, no, v[i].start, v[i].base_end);
		if (d != NULL && d->keep)
			continue;
		v[out++] = v[i];
	}
	added = out;
	for (size_t i = 0; i < no; i++) {
		struct tyst_finding *f;
		int dup = 0;

		if (o[i].keep || !occ_in_line(&o[i], ln))
			continue;
		for (size_t j = 0; j < out && !dup; j++)
			dup = v[j].start == o[i].start && (v[j].end == o[i].end ||
			    v[j].base_end == o[i].end);
		if (dup)
			continue;
		f = &v[added++];
		memset(f, 0, sizeof(*f));
		f->start = o[i].start;
		f->end = f->base_end = o[i].end;
		f->line = ln->lineno;
		f->col = line_col(ln, o[i].start);
		f->category = r->cats[o[i].cat];
		f->source = "review occurrence";
		f->confidence = TYST_CERTAIN;
		f->text = ln->p + (o[i].start - ln->off);
	}
	if (added > out)
		qsort(v, added, sizeof(*v), cmp_finding);
	return added;
}

/* ---- files ------------------------------------------------------------------- */

static int load_file(struct loader *ld, const char *path, struct yfile *from,
    yaml_node_t *at);

static int
add_include(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	const char *name = want_scalar(ld, yf, n, "an include");
	char path[PATH_MAX];

	(void)ctx;
	if (name == NULL)
		return -1;
	if (name[0] == '\0')
		return yerr(ld, yf, n, "empty include");
	resolve(yf, name, path, sizeof(path));
	return load_file(ld, path, yf, n);
}

static int
load_root(struct loader *ld, struct yfile *yf, yaml_node_t *root)
{
	struct tyst_rules *r = ld->r;

	if (root == NULL || (root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.length == 0))
		return tyst_err_set(ld->err, yf->path, 1, 1,
		    "empty rules file");
	if (root->type != YAML_MAPPING_NODE)
		return yerr(ld, yf, root, "a rules file is a mapping (name, "
		    "include, categories, allowlist, keep)");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(yf, p->key), *v = ynode(yf, p->value);
		const char *ks = yscalar(k);
		int rc = 0;

		if (ks == NULL)
			return yerr(ld, yf, k, "top-level keys are words");
		if (strcmp(ks, "name") == 0) {
			const char *s = want_scalar(ld, yf, v, "name");

			if (s == NULL)
				return -1;
			if (r->name == NULL && (r->name = strdup(s)) == NULL)
				return yerr(ld, yf, v, "out of memory");
		} else if (strcmp(ks, "include") == 0)
			rc = each_item(ld, yf, v, "include", add_include, NULL);
		else if (strcmp(ks, "categories") == 0) {
			if (v->type == YAML_SCALAR_NODE &&
			    v->data.scalar.length == 0)
				continue;
			if (v->type != YAML_MAPPING_NODE)
				return yerr(ld, yf, v, "categories is a mapping "
				    "from a name to its rules");
			for (yaml_node_pair_t *c = v->data.mapping.pairs.start;
			    c < v->data.mapping.pairs.top && rc == 0; c++)
				rc = load_category(ld, yf, ynode(yf, c->key),
				    ynode(yf, c->value));
		} else if (strcmp(ks, "allowlist") == 0 ||
		    strcmp(ks, "keep") == 0) {
			int keep = ks[0] == 'k';
			struct word_ctx wc;

			wc.src = keep ? list_src(ld, &ld->keep_src, "keep", -1,
			    TYST_CERTAIN, TYST_SRC_KEEP) :
			    list_src(ld, &ld->allow_src, "allowlist", -1,
			    TYST_CERTAIN, TYST_SRC_ALLOW);
			if (wc.src < 0)
				return yerr(ld, yf, k, "out of memory");
			rc = each_item(ld, yf, v, ks, add_word_item, &wc);
		} else if (strcmp(ks, "allowlist-files") == 0) {
			int src = list_src(ld, &ld->allow_src, "allowlist", -1,
			    TYST_CERTAIN, TYST_SRC_ALLOW);

			if (src < 0)
				return yerr(ld, yf, k, "out of memory");
			rc = each_item(ld, yf, v, ks, add_allow_file, &src);
		} else if (strcmp(ks, "candidates") == 0)
			rc = each_item(ld, yf, v, ks, add_candidate, NULL);
		else if (strcmp(ks, "occurrences") == 0)
			rc = each_item(ld, yf, v, ks, add_occ, NULL);
		else if (strcmp(ks, "marked") == 0)
			rc = each_item(ld, yf, v, ks, add_mark, NULL);
		else if (strcmp(ks, "names") == 0) {
			/* Found as the study's words, and kept as pairs for
			 * the review page. */
			rc = person_words(ld, yf, ks, v);
			if (rc == 0)
				rc = read_names(ld, yf, v, &r->names, &r->nnames);
		} else if (strcmp(ks, "same-person") == 0) {
			rc = person_words(ld, yf, ks, v);
			if (rc == 0)
				rc = read_persons(ld, yf, v, &r->persons,
				    &r->npersons);
		}
		else if (strcmp(ks, "pseudonymise") == 0 ||
		    strcmp(ks, "pseudonymize") == 0 ||
		    strcmp(ks, "description") == 0 || strncmp(ks, "x-", 2) == 0)
			continue;       /* another tool's, or a comment */
		else
			return yerr(ld, yf, k, "unknown key '%s' (name, include, "
			    "categories, allowlist, allowlist-files, keep, "
			    "candidates, occurrences, marked, names, "
			    "same-person, pseudonymise)", ks);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
tyst_yaml_depth_check(const char *data, size_t len, const char *path,
    struct tyst_err *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, done = 0, rc = 0;

	if (!yaml_parser_initialize(&parser))
		return tyst_err_set(err, path, 0, 0, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && rc == 0) {
		/* A syntax error is left for the loader to report. */
		if (!yaml_parser_parse(&parser, &ev))
			break;
		if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > TYST_YAML_MAX_DEPTH)
				rc = tyst_err_set(err, path,
				    ev.start_mark.line + 1,
				    ev.start_mark.column + 1, "YAML nested "
				    "more than %d levels deep; a rules file "
				    "needs a few", TYST_YAML_MAX_DEPTH);
		} else if (ev.type == YAML_SEQUENCE_END_EVENT ||
		    ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* Parses path into yf->doc; errors name file:line:col. */
static int
parse_yaml(struct loader *ld, struct yfile *yf, const char *path)
{
	struct tyst_text t;
	yaml_parser_t parser;
	int ok;

	if (tyst_text_load(&t, path, ld->err) < 0)
		return -1;
	if (tyst_yaml_depth_check(t.data + t.start, t.len - t.start, path,
	    ld->err) < 0) {
		tyst_text_free(&t);
		return -1;
	}
	if (!yaml_parser_initialize(&parser)) {
		tyst_text_free(&t);
		return tyst_err_set(ld->err, path, 0, 0, "out of memory");
	}
	yaml_parser_set_input_string(&parser,
	    (const unsigned char *)t.data + t.start, t.len - t.start);
	ok = yaml_parser_load(&parser, &yf->doc);
	if (!ok) {
		const char *ctx = parser.context;

		tyst_err_set(ld->err, path, parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1, "YAML: %s%s%s",
		    parser.problem ? parser.problem : "syntax error",
		    ctx ? " " : "", ctx ? ctx : "");
	}
	yaml_parser_delete(&parser);
	tyst_text_free(&t);
	return ok ? 0 : -1;
}

static int
load_file(struct loader *ld, const char *path, struct yfile *from,
    yaml_node_t *at)
{
	struct yfile yf;
	char real[PATH_MAX];
	const char *slash;
	int rc;

	if (realpath(path, real) == NULL) {
		if (from != NULL)
			return yerr(ld, from, at, "cannot include %s: %s", path,
			    strerror(errno));
		return tyst_err_set(ld->err, path, 0, 0, "%s", strerror(errno));
	}
	for (int i = 0; i < ld->depth; i++)
		if (strcmp(ld->stack[i], real) == 0)
			return yerr(ld, from, at, "%s includes itself (through "
			    "%s)", path, from->path);
	if (ld->depth == MAX_INCLUDE_DEPTH)
		return yerr(ld, from, at, "includes nested too deep");
	memset(&yf, 0, sizeof(yf));
	yf.path = path;
	slash = strrchr(path, '/');
	if (slash != NULL)
		snprintf(yf.dir, sizeof(yf.dir), "%.*s",
		    (int)(slash - path == 0 ? 1 : slash - path), path);
	if (parse_yaml(ld, &yf, path) < 0)
		return -1;
	ld->stack[ld->depth++] = real;
	rc = load_root(ld, &yf, yaml_document_get_root_node(&yf.doc));
	ld->depth--;
	yaml_document_delete(&yf.doc);
	return rc;
}

const unsigned char tyst_lit_fold[256] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
	0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
	0x40, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
	0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
	0x78, 0x79, 0x7a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
	0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
	0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
	0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f,
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0x97,
	0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0x9f,
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
	0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
	0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
	0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
	0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7,
	0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
	0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
	0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

static uint32_t
lit_bucket(const struct tyst_rule_lit *l)
{
	const unsigned char *u = (const unsigned char *)l->s;

	return TYST_LIT_BUCKET(tyst_lit_hash((uint32_t)u[0] << 16 |
	    (uint32_t)u[1] << 8 | u[2]));
}

static int
cmp_lit(const void *a, const void *b)
{
	const struct tyst_rule_lit *l = a, *m = b;
	uint32_t x = lit_bucket(l), y = lit_bucket(m);
	int c;

	if (x != y)
		return x < y ? -1 : 1;
	if ((c = strcmp(l->s, m->s)) != 0)
		return c;
	return l->pat < m->pat ? -1 : l->pat > m->pat;
}

/* Gathers the patterns' literals into one table (see rules.h). */
static int
index_literals(struct tyst_rules *r)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < r->npats; i++) {
		const struct tyst_rxlit *l = r->pats[i].lits;

		for (size_t j = 0; l != NULL && j < l->n; j++)
			if (strlen(l->s[j]) < 3) {
				/* Too short to hash: the pattern runs on
				 * every line its other test lets through. */
				free(r->pats[i].lits);
				r->pats[i].lits = NULL;
				break;
			}
		if (r->pats[i].lits != NULL)
			n += r->pats[i].lits->n;
	}
	if (n == 0)
		return 0;
	r->lits = calloc(n, sizeof(*r->lits));
	if (r->lits == NULL)
		return -1;
	for (size_t i = 0; i < r->npats; i++) {
		const struct tyst_rxlit *l = r->pats[i].lits;

		for (size_t j = 0; l != NULL && j < l->n; j++) {
			unsigned char *u = (unsigned char *)r->pats[i].lits->s[j];
			uint32_t h;

			for (size_t b = 0; u[b] != '\0'; b++)
				u[b] = tyst_lit_fold[u[b]];
			h = tyst_lit_hash((uint32_t)u[0] << 16 |
			    (uint32_t)u[1] << 8 | u[2]);

			r->lits[k].s = l->s[j];
			r->lits[k].len = (uint32_t)strlen(l->s[j]);
			r->lits[k].pat = (uint32_t)i;
			r->lit_bits[h >> 3] |= (uint8_t)(1u << (h & 7));
			k++;
		}
	}
	r->nlits = n;
	qsort(r->lits, n, sizeof(*r->lits), cmp_lit);
	for (size_t i = 1; i < n; i++)
		r->lits[i].same = strcmp(r->lits[i].s, r->lits[i - 1].s) == 0;
	for (size_t b = 0, e = 0; b < TYST_LIT_BUCKETS; b++) {
		r->lit_first[b] = (uint32_t)e;
		while (e < n && lit_bucket(&r->lits[e]) == b)
			e++;
		r->lit_first[b + 1] = (uint32_t)e;
	}
	return 0;
}

void
tyst_rules_free(struct tyst_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->ncats; i++)
		free(r->cats[i]);
	free(r->cats);
	for (size_t i = 0; i < r->nsrcs; i++)
		free(r->srcs[i].label);
	free(r->srcs);
	for (size_t i = 0; i < r->npats; i++) {
		free(r->pats[i].label);
		free(r->pats[i].lits);
		pcre2_code_free(r->pats[i].code);
	}
	free(r->pats);
	free(r->lits);
	tyst_strtab_free(&r->index);
	tyst_strtab_free(&r->multi);
	free(r->hits);
	free(r->attrpool);
	free(r->name);
	free(r->pnr_label);
	free(r->occs);
	free_names(r->names, r->nnames);
	free_persons(r->persons, r->npersons);
	tyst_lexicon_release(r->lex);
	free(r);
}

/* Whether a lower-case word that key's list entries hold capitalised
 * could be a finding: a study's own word always, a person or place of a
 * gazetteer when the word is no common word ("björn", "vara"). */
static int
lower_findable(const struct tyst_rules *r, uint32_t first, const char *low,
    size_t n, const int *cat)
{
	int gaz = 0;

	for (const struct tyst_rule_hit *h = &r->hits[first]; h != NULL;
	    h = tyst_rules_next(r, h)) {
		const struct tyst_rule_src *src = &r->srcs[h->src];

		if (src->kind == TYST_SRC_WORDS)
			return 1;
		if (src->kind == TYST_SRC_GAZETTEER &&
		    (src->cat == cat[0] || src->cat == cat[1]))
			gaz = 1;
	}
	if (!gaz)
		return 0;
	/* As the detector's test, common (1) being listed or a genitive. */
	return !tyst_lexicon_has(r->lex, low, n) && !(n > 2 &&
	    low[n - 1] == 's' && tyst_lexicon_has(r->lex, low, n - 1));
}

/*
 * Sets lower_bits from the entries a lower-case word may be found as: the
 * detector asks of every lower-case word whether a list holds it
 * capitalised ("kicki"), and a clear bit answers no for nearly all of
 * them without a lookup.
 */
static void
index_lower(struct tyst_rules *r)
{
	int cat[2] = { tyst_rules_cat(r, "PERSON"), tyst_rules_cat(r,
	    "PLACE") };

	for (size_t i = 0; i < r->index.n; i++) {
		const struct tyst_strtab_ent *e = &r->index.ents[i];
		char buf[256];
		size_t n;

		if (e->len < 2 || e->len >= sizeof(buf) / 2)
			continue;
		n = tyst_lower(r->index.pool + e->off, e->len, buf,
		    sizeof(buf));
		if (n < 2 || !lower_findable(r, e->val - 1, buf, n, cat))
			continue;
		for (int j = 0; j < TYST_LOWER_KEYS; j++) {
			unsigned k = tyst_rules_lower_key(buf, n, j);

			r->lower_bits[j][k >> 3] |= (uint8_t)(1u << (k & 7));
		}
	}
}

int
tyst_rules_load(struct tyst_rules **out, const char *path,
    struct tyst_err *err)
{
	struct tyst_rules *r = calloc(1, sizeof(*r));
	struct loader ld;
	char def[PATH_MAX];
	int missing;

	*out = NULL;
	if (r == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	memset(&ld, 0, sizeof(ld));
	ld.r = r;
	ld.err = err;
	r->pnr_cat = -1;
	tyst_strtab_init(&r->index);
	tyst_strtab_init(&r->multi);
	if (path == NULL || strcmp(path, "default") == 0) {
		snprintf(def, sizeof(def), "%s/rules/sv/default.yaml",
		    tyst_datadir());
		path = def;
	}
	if (load_file(&ld, path, NULL, NULL) < 0)
		goto fail;
	if (!ld.declared || (r->npats == 0 && r->pnr_cat < 0 &&
	    r->nentries == 0)) {
		tyst_err_set(err, path, 0, 0, "empty rule set: no category "
		    "has a pattern, a builtin, a gazetteer or words");
		goto fail;
	}
	/* The capitalised-word heuristic reports in these categories even
	 * when no list names them. */
	if (intern_cat(r, "PERSON") < 0 || intern_cat(r, "PLACE") < 0 ||
	    intern_cat(r, "ORG") < 0) {
		tyst_err_set(err, path, 0, 0, "too many categories");
		goto fail;
	}
	if (index_literals(r) < 0) {
		tyst_err_set(err, path, 0, 0, "out of memory");
		goto fail;
	}
	if (r->noccs > 1)
		qsort(r->occs, r->noccs, sizeof(*r->occs), cmp_occ);
	r->pnr_label = strdup("pnr");
	if (r->pnr_label == NULL) {
		tyst_err_set(err, path, 0, 0, "out of memory");
		goto fail;
	}
	r->lex = tyst_lexicon_acquire(&missing, err);
	if (r->lex == NULL && !missing)
		goto fail;
	index_lower(r);
	*out = r;
	return 0;
fail:
	tyst_rules_free(r);
	return -1;
}

/* ---- review files, read back --------------------------------------------------- */

void
tyst_review_free(struct tyst_review *rv)
{
	for (size_t i = 0; i < rv->nincludes; i++)
		free(rv->includes[i]);
	free(rv->includes);
	for (size_t i = 0; i < rv->nitems; i++) {
		free(rv->items[i].word);
		free(rv->items[i].category);
		free(rv->items[i].context);
	}
	free(rv->items);
	for (size_t i = 0; i < rv->noccs; i++) {
		free(rv->occs[i].word);
		free(rv->occs[i].category);
		free(rv->occs[i].file);
	}
	free(rv->occs);
	for (size_t i = 0; i < rv->nmarks; i++) {
		free(rv->marks[i].word);
		free(rv->marks[i].category);
	}
	free(rv->marks);
	free_names(rv->names, rv->nnames);
	free_persons(rv->persons, rv->npersons);
	memset(rv, 0, sizeof(*rv));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static int
review_item(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	struct tyst_review *rv = ctx;
	struct tyst_review_item *it, *p;
	struct cand c;

	if (read_cand(ld, yf, n, &c) < 0)
		return -1;
	p = realloc(rv->items, (rv->nitems + 1) * sizeof(*p));
	if (p == NULL)
		return yerr(ld, yf, n, "out of memory");
	rv->items = p;
	it = &rv->items[rv->nitems++];
	memset(it, 0, sizeof(*it));
	it->word = strdup(c.word);
	it->category = dup_or_null(c.category);
	it->context = dup_or_null(c.context);
	it->count = c.count;
	it->line = n->start_mark.line + 1;
	it->decision = c.decision[0] == 'a' ? TYST_ASK :
	    c.decision[0] == 'k' ? TYST_KEEP : TYST_PSEUDONYMISE;
	if (it->word == NULL)
		return yerr(ld, yf, n, "out of memory");
	return 0;
}

static int
review_occ(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	struct tyst_review *rv = ctx;
	struct tyst_review_occ *p, *o;
	struct occ c;

	if (read_occ(ld, yf, n, &c) < 0)
		return -1;
	p = realloc(rv->occs, (rv->noccs + 1) * sizeof(*p));
	if (p == NULL)
		return yerr(ld, yf, n, "out of memory");
	rv->occs = p;
	o = &rv->occs[rv->noccs++];
	memset(o, 0, sizeof(*o));
	memcpy(o->sha, c.sha, 65);
	o->start = c.start;
	o->end = c.end;
	o->word = dup_or_null(c.word != NULL ? c.word : "");
	o->category = dup_or_null(c.category);
	o->file = dup_or_null(c.file);
	o->line = n->start_mark.line + 1;
	o->decision = c.decision[0] == 'a' ? TYST_ASK :
	    c.decision[0] == 'k' ? TYST_KEEP : TYST_PSEUDONYMISE;
	if (o->word == NULL)
		return yerr(ld, yf, n, "out of memory");
	return 0;
}

static int
review_mark(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	struct tyst_review *rv = ctx;
	struct tyst_review_mark *p;
	const char *word, *cat;

	if (read_mark(ld, yf, n, &word, &cat) < 0)
		return -1;
	p = realloc(rv->marks, (rv->nmarks + 1) * sizeof(*p));
	if (p == NULL)
		return yerr(ld, yf, n, "out of memory");
	rv->marks = p;
	p = &rv->marks[rv->nmarks++];
	p->word = strdup(word);
	p->category = strdup(cat);
	if (p->word == NULL || p->category == NULL)
		return yerr(ld, yf, n, "out of memory");
	return 0;
}

static int
review_include(struct loader *ld, struct yfile *yf, yaml_node_t *n, void *ctx)
{
	struct tyst_review *rv = ctx;
	const char *s = want_scalar(ld, yf, n, "an include");
	char **p;

	if (s == NULL)
		return -1;
	p = realloc(rv->includes, (rv->nincludes + 1) * sizeof(*p));
	if (p == NULL)
		return yerr(ld, yf, n, "out of memory");
	rv->includes = p;
	if ((p[rv->nincludes] = strdup(s)) == NULL)
		return yerr(ld, yf, n, "out of memory");
	rv->nincludes++;
	return 0;
}

int
tyst_review_load(struct tyst_review *rv, const char *path, int *exists,
    struct tyst_err *err)
{
	struct loader ld;
	struct yfile yf;
	yaml_node_t *root;
	int rc = 0;

	memset(rv, 0, sizeof(*rv));
	memset(&ld, 0, sizeof(ld));
	memset(&yf, 0, sizeof(yf));
	ld.err = err;
	yf.path = path;
	*exists = access(path, F_OK) == 0;
	if (!*exists)
		return 0;
	if (parse_yaml(&ld, &yf, path) < 0)
		return -1;
	root = yaml_document_get_root_node(&yf.doc);
	if (root != NULL && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		    p < root->data.mapping.pairs.top && rc == 0; p++) {
			const char *ks = yscalar(ynode(&yf, p->key));
			yaml_node_t *v = ynode(&yf, p->value);

			if (ks == NULL)
				continue;
			if (strcmp(ks, "candidates") == 0)
				rc = each_item(&ld, &yf, v, ks, review_item, rv);
			else if (strcmp(ks, "include") == 0)
				rc = each_item(&ld, &yf, v, ks, review_include,
				    rv);
			else if (strcmp(ks, "occurrences") == 0)
				rc = each_item(&ld, &yf, v, ks, review_occ, rv);
			else if (strcmp(ks, "marked") == 0)
				rc = each_item(&ld, &yf, v, ks, review_mark, rv);
			else if (strcmp(ks, "names") == 0)
				rc = read_names(&ld, &yf, v, &rv->names,
				    &rv->nnames);
			else if (strcmp(ks, "same-person") == 0)
				rc = read_persons(&ld, &yf, v, &rv->persons,
				    &rv->npersons);
		}
	} else if (root != NULL && !(root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.length == 0))
		rc = yerr(&ld, &yf, root, "a review file is a mapping");
	yaml_document_delete(&yf.doc);
	if (rc < 0)
		tyst_review_free(rv);
	return rc;
}
