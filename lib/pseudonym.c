/*
 * pseudonym — see include/tyst/pseudonym.h.
 *
 * Three parts: the configuration (libyaml, following include: lists), the
 * choice of a pseudonym for a new original (deterministic within a key:
 * a name is drawn with a PRNG seeded from the key id and the original, and
 * the draw is repeated until it hits a name that is no original and no
 * other original's pseudonym), and the rewrite of one document, which keeps
 * every byte outside the replaced spans and records each span in the key.
 */
#include "tyst/pseudonym.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "tyst/gazetteer.h"
#include "tyst/paths.h"
#include "tyst/pnr.h"
#include "tyst/sha256.h"
#include "tyst/text.h"

/* ---- a small string map ------------------------------------------------- */

/*
 * String -> (number, owned string): tyst_strtab (lib/gazetteer.c) holds the
 * keys and, as its value, the index of the entry in a side array.
 */
struct hent {
	int64_t val;
	char *str;
};

struct htab {
	struct tyst_strtab keys;
	struct hent *e;
	size_t n, cap;
};

static struct hent *
ht_find(const struct htab *t, const char *k, size_t n)
{
	const uint32_t *i = tyst_strtab_get(&t->keys, k, n);

	return i != NULL ? &t->e[*i] : NULL;
}

/* The entry for k, added (val 0, str NULL) when missing; NULL: no memory.
 * A pointer from it is good until the next ht_put. */
static struct hent *
ht_put(struct htab *t, const char *k, size_t n)
{
	uint32_t *i;

	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		struct hent *ne = realloc(t->e, nc * sizeof(*ne));

		if (ne == NULL)
			return NULL;
		t->e = ne;
		t->cap = nc;
	}
	if (t->n >= UINT32_MAX || tyst_strtab_put(&t->keys, k, n,
	    (uint32_t)t->n, &i) < 0)
		return NULL;
	if (*i == t->n) {               /* new */
		t->e[t->n].val = 0;
		t->e[t->n].str = NULL;
		t->n++;
	}
	return &t->e[*i];
}

static void
ht_free(struct htab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].str);
	free(t->e);
	tyst_strtab_free(&t->keys);
	memset(t, 0, sizeof(*t));
}

/* ---- configuration ------------------------------------------------------ */

enum level { LV_STAD, LV_LAN, LV_LANDSDEL };
enum detail { DT_NONE, DT_SEX_DECADE };

struct catconf {
	char *category;
	enum tyst_strategy strategy;
	char *label;            /* placeholder / role label */
	enum level level;
	enum detail detail;
	char *text;             /* redaction text */
};

struct pool {
	char **v;
	size_t n, cap;
};

struct tyst_pseudo_conf {
	struct catconf *cats;
	size_t ncats;
	struct htab roles;      /* name -> code (str) */
	char *first_path, *sur_path;
	struct pool first[3];   /* m, f, u */
	struct pool firstall;
	struct pool sur;
	struct htab firstsex;   /* name -> 'm' / 'f' / 'u' */
	struct htab surset;
	struct htab places;     /* place -> its attributes, for findings
	                         * that come without (a study's own words) */
	char *places_dir;
};

static const char *const strategy_names[] = {
	[TYST_S_NAME] = "name", [TYST_S_ROLE] = "role",
	[TYST_S_PLACEHOLDER] = "placeholder",
	[TYST_S_GENERALISE] = "generalise", [TYST_S_REDACT] = "redact",
	[TYST_S_KEEP] = "keep",
};

const char *
tyst_strategy_name(enum tyst_strategy s)
{
	return strategy_names[s];
}

/* Fixed texts for structured identifiers; also the default labels. */
static const struct {
	const char *category, *text, *label;
} cat_defaults[] = {
	{ "PERSON", "[person]", "PERSON" },
	{ "PLACE", "[ort]", "ORT" },
	{ "ORG", "[organisation]", "ORGANISATION" },
	{ "PNR", "[personnummer]", "PERSONNUMMER" },
	{ "PHONE", "[telefonnummer]", "TELEFON" },
	{ "EMAIL", "[e-post]", "E-POST" },
	{ "ADDRESS", "[adress]", "ADRESS" },
	{ "POSTCODE", "[postnummer]", "POSTNUMMER" },
	{ "PLATE", "[registreringsnummer]", "REGNR" },
	{ "DATE", "[datum]", "DATUM" },
	{ "URL", "[webbadress]", "WEBBADRESS" },
	{ "IP", "[IP-adress]", "IP-ADRESS" },
	{ "ORGNR", "[organisationsnummer]", "ORGNR" },
};

static const char *
default_text(const char *category)
{
	for (size_t i = 0; i < sizeof(cat_defaults) / sizeof(cat_defaults[0]);
	    i++)
		if (strcmp(cat_defaults[i].category, category) == 0)
			return cat_defaults[i].text;
	return NULL;
}

static const char *
default_label(const char *category)
{
	for (size_t i = 0; i < sizeof(cat_defaults) / sizeof(cat_defaults[0]);
	    i++)
		if (strcmp(cat_defaults[i].category, category) == 0)
			return cat_defaults[i].label;
	return category;
}

static struct catconf *
cat_get(struct tyst_pseudo_conf *c, const char *category, int create)
{
	struct catconf *n;

	for (size_t i = 0; i < c->ncats; i++)
		if (strcmp(c->cats[i].category, category) == 0)
			return &c->cats[i];
	if (!create)
		return NULL;
	n = realloc(c->cats, (c->ncats + 1) * sizeof(*n));
	if (n == NULL)
		return NULL;
	c->cats = n;
	n = &c->cats[c->ncats];
	memset(n, 0, sizeof(*n));
	if ((n->category = strdup(category)) == NULL)
		return NULL;
	n->strategy = TYST_S_PLACEHOLDER;
	n->level = LV_LAN;
	c->ncats++;
	return n;
}

static const struct catconf *
cat_find(const struct tyst_pseudo_conf *c, const char *category)
{
	for (size_t i = 0; i < c->ncats; i++)
		if (strcmp(c->cats[i].category, category) == 0)
			return &c->cats[i];
	return NULL;
}

enum tyst_strategy
tyst_pseudo_conf_strategy(const struct tyst_pseudo_conf *c,
    const char *category)
{
	const struct catconf *cc = cat_find(c, category);

	return cc ? cc->strategy : TYST_S_PLACEHOLDER;
}

struct yctx {
	const char *file;
	yaml_document_t *doc;
	struct tyst_err *err;
};

static int
yerr(struct yctx *y, yaml_node_t *n, const char *fmt, const char *arg)
{
	return tyst_err_set(y->err, y->file, n ? n->start_mark.line + 1 : 0,
	    n ? n->start_mark.column + 1 : 0, fmt, arg);
}

static const char *
scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

static int
set_str(char **dst, const char *v, struct yctx *y, yaml_node_t *n)
{
	char *s = strdup(v);

	if (s == NULL)
		return yerr(y, n, "%s", "out of memory");
	free(*dst);
	*dst = s;
	return 0;
}

static int
strategy_of(const char *v, enum tyst_strategy *s)
{
	if (strcmp(v, "generalize") == 0) {
		*s = TYST_S_GENERALISE;
		return 0;
	}
	for (int i = 0; i <= TYST_S_KEEP; i++)
		if (strcmp(v, strategy_names[i]) == 0) {
			*s = (enum tyst_strategy)i;
			return 0;
		}
	return -1;
}

static int
valid_category(const char *s)
{
	if (*s < 'A' || *s > 'Z')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int
parse_category(struct tyst_pseudo_conf *c, struct yctx *y, const char *cat,
    yaml_node_t *v)
{
	struct catconf *cc;
	yaml_node_pair_t *pr;

	if (v->type != YAML_MAPPING_NODE)
		return yerr(y, v, "%s: expected a mapping such as "
		    "{ strategy: placeholder }", cat);
	if ((cc = cat_get(c, cat, 1)) == NULL)
		return yerr(y, v, "%s", "out of memory");
	for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
	    pr++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *vn = yaml_document_get_node(y->doc, pr->value);
		const char *k = scalar(kn), *val = scalar(vn);

		if (k == NULL)
			return yerr(y, kn, "%s", "expected a key");
		if (val == NULL)
			return yerr(y, vn, "%s: expected a value", k);
		if (strcmp(k, "strategy") == 0) {
			if (strategy_of(val, &cc->strategy) < 0)
				return yerr(y, vn, "unknown strategy '%s' (name,"
				    " role, placeholder, generalise, redact, "
				    "keep)", val);
		} else if (strcmp(k, "label") == 0) {
			if (set_str(&cc->label, val, y, vn) < 0)
				return -1;
		} else if (strcmp(k, "text") == 0) {
			if (set_str(&cc->text, val, y, vn) < 0)
				return -1;
		} else if (strcmp(k, "level") == 0) {
			if (strcmp(val, "stad") == 0)
				cc->level = LV_STAD;
			else if (strcmp(val, "lan") == 0 ||
			    strcmp(val, "län") == 0)
				cc->level = LV_LAN;
			else if (strcmp(val, "landsdel") == 0)
				cc->level = LV_LANDSDEL;
			else
				return yerr(y, vn, "unknown level '%s' (stad, "
				    "lan, landsdel)", val);
		} else if (strcmp(k, "detail") == 0) {
			if (strcmp(val, "none") == 0)
				cc->detail = DT_NONE;
			else if (strcmp(val, "sex-decade") == 0)
				cc->detail = DT_SEX_DECADE;
			else
				return yerr(y, vn, "unknown detail '%s' (none, "
				    "sex-decade)", val);
		} else
			return yerr(y, kn, "unknown key '%s' (strategy, label,"
			    " level, detail, text)", k);
	}
	return 0;
}

static int
parse_roles(struct tyst_pseudo_conf *c, struct yctx *y, yaml_node_t *v)
{
	if (v->type != YAML_MAPPING_NODE)
		return yerr(y, v, "%s", "roles: expected a mapping of names to "
		    "role codes");
	for (yaml_node_pair_t *pr = v->data.mapping.pairs.start;
	    pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *vn = yaml_document_get_node(y->doc, pr->value);
		const char *k = scalar(kn), *val = scalar(vn);
		struct hent *h;

		if (k == NULL || val == NULL || *k == '\0' || *val == '\0')
			return yerr(y, kn, "%s", "roles: expected name: code");
		if ((h = ht_put(&c->roles, k, strlen(k))) == NULL)
			return yerr(y, kn, "%s", "out of memory");
		free(h->str);
		if ((h->str = strdup(val)) == NULL)
			return yerr(y, kn, "%s", "out of memory");
	}
	return 0;
}

/* A path named in file relative to file's directory. */
static char *
relative_to(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');
	size_t dl = slash ? (size_t)(slash - file) + 1 : 0;
	char *r;

	if (path[0] == '/' || dl == 0)
		return strdup(path);
	if ((r = malloc(dl + strlen(path) + 1)) == NULL)
		return NULL;
	memcpy(r, file, dl);
	strcpy(r + dl, path);
	return r;
}

/* An include: "default" is the shipped Swedish set, as for detection. */
static char *
include_path(const char *file, const char *name)
{
	char buf[4096];

	if (strcmp(name, "default") == 0) {
		snprintf(buf, sizeof(buf), "%s/rules/sv/default.yaml",
		    tyst_datadir());
		return strdup(buf);
	}
	return relative_to(file, name);
}

static int
parse_section(struct tyst_pseudo_conf *c, struct yctx *y, yaml_node_t *v)
{
	if (v->type == YAML_SCALAR_NODE && scalar(v)[0] == '\0')
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return yerr(y, v, "%s", "pseudonymise: expected a mapping of "
		    "categories to strategies");
	for (yaml_node_pair_t *pr = v->data.mapping.pairs.start;
	    pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *vn = yaml_document_get_node(y->doc, pr->value);
		const char *k = scalar(kn);
		char **pathp = NULL;

		if (k == NULL)
			return yerr(y, kn, "%s", "expected a key");
		if (strcmp(k, "roles") == 0) {
			if (parse_roles(c, y, vn) < 0)
				return -1;
			continue;
		}
		if (strcmp(k, "first_names") == 0)
			pathp = &c->first_path;
		else if (strcmp(k, "surnames") == 0)
			pathp = &c->sur_path;
		if (pathp != NULL) {
			char *p;

			if (scalar(vn) == NULL)
				return yerr(y, vn, "%s: expected a path", k);
			if ((p = relative_to(y->file, scalar(vn))) == NULL)
				return yerr(y, vn, "%s", "out of memory");
			free(*pathp);
			*pathp = p;
			continue;
		}
		if (!valid_category(k))
			return yerr(y, kn, "unknown key '%s': a category in "
			    "capitals (PERSON, PLACE, …), roles, first_names or"
			    " surnames", k);
		if (parse_category(c, y, k, vn) < 0)
			return -1;
	}
	return 0;
}

static int load_file(struct tyst_pseudo_conf *c, const char *path, int depth,
    struct tyst_err *err);

static int
load_doc(struct tyst_pseudo_conf *c, struct yctx *y, int depth)
{
	yaml_node_t *root = yaml_document_get_root_node(y->doc);
	yaml_node_t *section = NULL;

	if (root == NULL)
		return 0;       /* an empty file */
	if (root->type != YAML_MAPPING_NODE)
		return yerr(y, root, "%s", "expected a mapping at the top");
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	    pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *vn = yaml_document_get_node(y->doc, pr->value);
		const char *k = scalar(kn);

		if (k == NULL)
			continue;
		if (strcmp(k, "pseudonymise") == 0 ||
		    strcmp(k, "pseudonymize") == 0) {
			section = vn;
			continue;
		}
		if (strcmp(k, "include") != 0)
			continue;       /* the detection rules' business */
		/* Included files first, so this file overrides them. */
		if (vn->type == YAML_SCALAR_NODE) {
			char *p = include_path(y->file, scalar(vn));
			int rc;

			if (p == NULL)
				return yerr(y, vn, "%s", "out of memory");
			rc = load_file(c, p, depth + 1, y->err);
			free(p);
			if (rc < 0)
				return -1;
			continue;
		}
		if (vn->type != YAML_SEQUENCE_NODE)
			return yerr(y, vn, "%s", "include: expected a list of "
			    "files");
		for (yaml_node_item_t *it = vn->data.sequence.items.start;
		    it < vn->data.sequence.items.top; it++) {
			yaml_node_t *in = yaml_document_get_node(y->doc, *it);
			char *p;
			int rc;

			if (scalar(in) == NULL)
				return yerr(y, in, "%s", "include: expected a "
				    "file name");
			if ((p = include_path(y->file, scalar(in))) == NULL)
				return yerr(y, in, "%s", "out of memory");
			rc = load_file(c, p, depth + 1, y->err);
			free(p);
			if (rc < 0)
				return -1;
		}
	}
	if (section != NULL && parse_section(c, y, section) < 0)
		return -1;
	return 0;
}

static int
load_file(struct tyst_pseudo_conf *c, const char *path, int depth,
    struct tyst_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct yctx y = { path, &doc, err };
	struct tyst_text t;
	int rc;

	if (depth > 16)
		return tyst_err_set(err, path, 0, 0, "include: nested too "
		    "deeply (a file including itself?)");
	/*
	 * Through the text module, so a directory, invalid UTF-8 or a NUL
	 * byte get the same message, with the byte offset, as in every
	 * other file a tool reads.
	 */
	if (tyst_text_load(&t, path, err) < 0)
		return -1;
	if (!yaml_parser_initialize(&parser)) {
		tyst_text_free(&t);
		return tyst_err_set(err, path, 0, 0, "out of memory");
	}
	yaml_parser_set_input_string(&parser,
	    (const unsigned char *)t.data + t.start, t.len - t.start);
	if (!yaml_parser_load(&parser, &doc)) {
		tyst_err_set(err, path, parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1, "YAML: %s%s%s",
		    parser.problem ? parser.problem : "syntax error",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		tyst_text_free(&t);
		return -1;
	}
	rc = load_doc(c, &y, depth);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	tyst_text_free(&t);
	return rc;
}

static int
pool_add(struct pool *p, const char *s, size_t n)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 256;
		char **nv = realloc(p->v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		p->v = nv;
		p->cap = nc;
	}
	if ((p->v[p->n] = malloc(n + 1)) == NULL)
		return -1;
	memcpy(p->v[p->n], s, n);
	p->v[p->n][n] = '\0';
	p->n++;
	return 0;
}

static void
pool_free(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* The value of key in "k=v\tk=v" attributes, or NULL; *n its length. */
static const char *
attr(const char *attrs, const char *key, size_t *n)
{
	size_t kl = strlen(key);
	const char *p = attrs;

	if (p == NULL)
		return NULL;
	while (*p) {
		const char *end = strchr(p, '\t');

		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > kl && strncmp(p, key, kl) == 0 &&
		    p[kl] == '=') {
			*n = (size_t)(end - p) - kl - 1;
			return p + kl + 1;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* Reads a gazetteer (Name<TAB>attrs); first names go to the pools by sex. */
static int
load_names(struct tyst_pseudo_conf *c, const char *path, int first,
    struct tyst_err *err)
{
	struct tyst_text t;
	char *line = NULL;
	size_t cap = 0, lineno;

	/*
	 * Through the text module: a pseudonym taken from a Latin-1 list
	 * would put invalid UTF-8 into every transcript it is written to.
	 */
	if (tyst_text_load(&t, path, err) < 0)
		return -1;
	for (lineno = 1; lineno <= t.nlines; lineno++) {
		size_t n = 0, vl = 0, s, e, len;
		const char *sexv;
		char sex = 'u';
		struct hent *h;

		tyst_text_line(&t, lineno, &s, &e);
		len = e - s;
		if (len + 1 > cap) {
			char *nl = realloc(line, len + 1);

			if (nl == NULL)
				goto oom;
			line = nl;
			cap = len + 1;
		}
		memcpy(line, t.data + s, len);
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		while (line[n] && line[n] != '\t')
			n++;
		while (n > 0 && line[n - 1] == ' ')
			n--;
		/* One word each: a name is replaced word by word, and a
		 * pseudonym of two words ("af Klercker") would not be found as
		 * one by a later scan. */
		if (n == 0 || memchr(line, ' ', n) != NULL)
			continue;
		if (!first) {
			if (ht_find(&c->surset, line, n) != NULL)
				continue;
			if ((h = ht_put(&c->surset, line, n)) == NULL ||
			    pool_add(&c->sur, line, n) < 0)
				goto oom;
			continue;
		}
		if (line[n] == '\t' && (sexv = attr(line + n + 1, "sex", &vl))
		    != NULL && vl == 1 && (*sexv == 'm' || *sexv == 'f'))
			sex = *sexv;
		if (ht_find(&c->firstsex, line, n) != NULL)
			continue;
		if ((h = ht_put(&c->firstsex, line, n)) == NULL)
			goto oom;
		h->val = sex;
		if (pool_add(&c->first[sex == 'm' ? 0 : sex == 'f' ? 1 : 2],
		    line, n) < 0 || pool_add(&c->firstall, line, n) < 0)
			goto oom;
	}
	free(line);
	tyst_text_free(&t);
	return 0;
oom:
	free(line);
	tyst_text_free(&t);
	return tyst_err_set(err, path, lineno, 0, "out of memory");
}

/* The place lists beside the base file: name -> "kind=…\tattrs". */
static int
load_places(struct tyst_pseudo_conf *c, const char *file, const char *kind,
    struct tyst_err *err)
{
	char *path = relative_to(c->places_dir, file);
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (path == NULL)
		return tyst_err_set(err, file, 0, 0, "out of memory");
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return 0;       /* optional */
	while ((len = getline(&line, &cap, f)) > 0) {
		size_t n = 0, al;
		struct hent *h;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] ==
		    '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		while (line[n] && line[n] != '\t')
			n++;
		if (n == 0 || line[n] != '\t' || ht_find(&c->places, line, n))
			continue;
		if ((h = ht_put(&c->places, line, n)) == NULL)
			goto oom;
		al = strlen(kind) + 6 + strlen(line + n);
		if ((h->str = malloc(al)) == NULL)
			goto oom;
		snprintf(h->str, al, "kind=%s%s", kind, line + n);
	}
	free(line);
	fclose(f);
	return 0;
oom:
	free(line);
	fclose(f);
	return tyst_err_set(err, file, 0, 0, "out of memory");
}

static int
needs_places(const struct tyst_pseudo_conf *c)
{
	for (size_t i = 0; i < c->ncats; i++)
		if (c->cats[i].strategy == TYST_S_GENERALISE)
			return 1;
	return 0;
}

static int
needs_names(const struct tyst_pseudo_conf *c)
{
	for (size_t i = 0; i < c->ncats; i++)
		if (c->cats[i].strategy == TYST_S_NAME ||
		    c->cats[i].strategy == TYST_S_ROLE)
			return 1;
	return 0;
}

int
tyst_pseudo_conf_load(struct tyst_pseudo_conf **out, const char *base,
    const char *rules, struct tyst_err *err)
{
	struct tyst_pseudo_conf *c;
	char dflt[4096];

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	if (base == NULL) {
		snprintf(dflt, sizeof(dflt), "%s/rules/sv/pseudonymise.yaml",
		    tyst_datadir());
		base = dflt;
	}
	if ((c->first_path = relative_to(base, "first-names.tsv")) == NULL ||
	    (c->sur_path = relative_to(base, "surnames.tsv")) == NULL) {
		tyst_pseudo_conf_free(c);
		return tyst_err_set(err, base, 0, 0, "out of memory");
	}
	if (load_file(c, base, 0, err) < 0 ||
	    (rules != NULL && load_file(c, rules, 0, err) < 0)) {
		tyst_pseudo_conf_free(c);
		return -1;
	}
	if (needs_names(c) && (load_names(c, c->first_path, 1, err) < 0 ||
	    load_names(c, c->sur_path, 0, err) < 0)) {
		tyst_pseudo_conf_free(c);
		return -1;
	}
	if ((c->places_dir = strdup(base)) == NULL) {
		tyst_pseudo_conf_free(c);
		return tyst_err_set(err, base, 0, 0, "out of memory");
	}
	if (needs_places(c) && (load_places(c, "kommuner.tsv", "kommun", err)
	    < 0 || load_places(c, "stadsdelar.tsv", "stadsdel", err) < 0 ||
	    load_places(c, "orter.tsv", "ort", err) < 0)) {
		tyst_pseudo_conf_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
tyst_pseudo_conf_free(struct tyst_pseudo_conf *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->ncats; i++) {
		free(c->cats[i].category);
		free(c->cats[i].label);
		free(c->cats[i].text);
	}
	free(c->cats);
	ht_free(&c->roles);
	ht_free(&c->firstsex);
	ht_free(&c->surset);
	ht_free(&c->places);
	free(c->places_dir);
	for (int i = 0; i < 3; i++)
		pool_free(&c->first[i]);
	pool_free(&c->firstall);
	pool_free(&c->sur);
	free(c->first_path);
	free(c->sur_path);
	free(c);
}

/* ---- the engine --------------------------------------------------------- */

struct stage_buf {
	char *p;
	size_t n, cap;
};

struct tyst_pseudo {
	const struct tyst_pseudo_conf *conf;
	struct tyst_key *key;
	struct htab cache;      /* "cat\037strategy\037original" -> entry */
	struct htab noted;      /* originals of this run */
	tyst_pseudo_report_fn report;
	void *rctx;
	int (*holds)(const char *s, void *ctx);  /* see tyst_pseudo_set_holds */
	void *hctx;
	/* the current document */
	char *docname;
	int64_t doc;
	tyst_pseudo_write_fn write;
	void *wctx;
	uint64_t in_pos, out_pos;
	struct tyst_sha256 in_sha, out_sha;
	int sentence;           /* the next word starts a sentence */
	unsigned char prev[2];  /* the last two input bytes */
	char *buf;              /* scratch for replacement texts */
	size_t bufcap;
	char *rtext;            /* the whole replacement, for reports */
	size_t rlen, rcap;
	int capturing;
	/* the output stage (see stage_pass) */
	struct stage_buf sout[2], sin[2];
	int sfill;              /* the pair of buffers being filled */
	int sbusy;              /* the other pair is with the stage thread */
	int squit;
	int serr;               /* errno of a failed write, or 0 */
	int sthread;            /* the stage thread runs */
	pthread_t sth;
	pthread_mutex_t smu;
	pthread_cond_t scv;
};

int
tyst_pseudo_new(struct tyst_pseudo **out, const struct tyst_pseudo_conf *conf,
    struct tyst_key *key, struct tyst_err *err)
{
	struct tyst_pseudo *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (p == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	if (pthread_mutex_init(&p->smu, NULL) != 0) {
		free(p);
		return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	if (pthread_cond_init(&p->scv, NULL) != 0) {
		pthread_mutex_destroy(&p->smu);
		free(p);
		return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	p->conf = conf;
	p->key = key;
	*out = p;
	return 0;
}

static void stage_stop(struct tyst_pseudo *p);

void
tyst_pseudo_free(struct tyst_pseudo *p)
{
	if (p == NULL)
		return;
	stage_stop(p);
	pthread_cond_destroy(&p->scv);
	pthread_mutex_destroy(&p->smu);
	for (int k = 0; k < 2; k++) {
		free(p->sout[k].p);
		free(p->sin[k].p);
	}
	ht_free(&p->cache);
	ht_free(&p->noted);
	free(p->docname);
	free(p->buf);
	free(p->rtext);
	free(p);
}

void
tyst_pseudo_set_report(struct tyst_pseudo *p, tyst_pseudo_report_fn fn,
    void *ctx)
{
	p->report = fn;
	p->rctx = ctx;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The words of a name: split at spaces. */
static size_t
next_word(const char *s, size_t n, size_t at, size_t *wend)
{
	while (at < n && is_space((unsigned char)s[at]))
		at++;
	*wend = at;
	while (*wend < n && !is_space((unsigned char)s[*wend]))
		(*wend)++;
	return at;
}

static int
note(struct tyst_pseudo *p, const char *s, size_t n, struct tyst_err *err)
{
	if (n == 0 || ht_put(&p->noted, s, n) == NULL)
		return n == 0 ? 0 : tyst_err_set(err, "", 0, 0,
		    "out of memory");
	return 0;
}

int
tyst_pseudo_note(struct tyst_pseudo *p, const struct tyst_finding *f,
    struct tyst_err *err)
{
	size_t n = (size_t)(f->base_end - f->start), at = 0, we;

	if (f->text == NULL || f->base_end < f->start)
		return 0;
	if (note(p, f->text, n, err) < 0)
		return -1;
	while ((at = next_word(f->text, n, at, &we)) < n) {
		if (note(p, f->text + at, we - at, err) < 0)
			return -1;
		at = we;
	}
	return 0;
}

/* True when cand may become a new distinct pseudonym for original. */
static int
usable(struct tyst_pseudo *p, const char *cand, const char *original,
    struct tyst_err *err)
{
	int r;

	if (strcmp(cand, original) == 0)
		return 0;
	if (p->holds != NULL && !p->holds(cand, p->hctx))
		return 0;
	if (ht_find(&p->noted, cand, strlen(cand)) != NULL)
		return 0;
	if ((r = tyst_key_is_original(p->key, cand, err)) != 0)
		return r < 0 ? -1 : 0;
	if ((r = tyst_key_is_pseudonym(p->key, cand, err)) != 0)
		return r < 0 ? -1 : 0;
	return 1;
}

/* A numbered label: "[PERSON 3]" (bracket) or "Deltagare 3". */
static int
numbered(struct tyst_pseudo *p, const char *label, int bracket,
    const char *original, char **out, struct tyst_err *err)
{
	char buf[512];
	long n;
	int r;

	for (;;) {
		if (tyst_key_next_number(p->key, label, &n, err) < 0)
			return -1;
		snprintf(buf, sizeof(buf), bracket ? "[%s %ld]" : "%s %ld",
		    label, n);
		if ((r = usable(p, buf, original, err)) < 0)
			return -1;
		if (r)
			break;
	}
	if ((*out = strdup(buf)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

/*
 * Draws from pool with a PRNG seeded by the key id and the original, so the
 * same key gives the same choices in the same order; 0 and *out NULL when
 * the pool has no usable name left.
 */
static int
draw(struct tyst_pseudo *p, const struct pool *pool, const char *category,
    const char *original, char **out, struct tyst_err *err)
{
	const char *kid = tyst_key_id(p->key);
	unsigned char d[32];
	uint64_t x;
	size_t i, start = 0;
	int r;

	*out = NULL;
	if (pool->n == 0)
		return 0;
	for (unsigned attempt = 0; attempt < 32; attempt++) {
		struct tyst_sha256 s;

		tyst_sha256_init(&s);
		tyst_sha256_update(&s, kid, strlen(kid) + 1);
		tyst_sha256_update(&s, category, strlen(category) + 1);
		tyst_sha256_update(&s, original, strlen(original) + 1);
		tyst_sha256_update(&s, &attempt, sizeof(attempt));
		tyst_sha256_final(&s, d);
		x = 0;
		for (int b = 0; b < 8; b++)
			x = x << 8 | d[b];
		i = (size_t)(x % pool->n);
		if (attempt == 0)
			start = i;
		if ((r = usable(p, pool->v[i], original, err)) < 0)
			return -1;
		if (r)
			goto found;
	}
	/* A crowded pool: walk it from the first draw. */
	for (size_t k = 0; k < pool->n; k++) {
		i = (start + k) % pool->n;
		if ((r = usable(p, pool->v[i], original, err)) < 0)
			return -1;
		if (r)
			goto found;
	}
	return 0;
found:
	if ((*out = strdup(pool->v[i])) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

void
tyst_pseudo_set_holds(struct tyst_pseudo *p,
    int (*holds)(const char *s, void *ctx), void *ctx)
{
	p->holds = holds;
	p->hctx = ctx;
}

static const char *
cat_label(const struct catconf *cc, const char *category)
{
	if (cc != NULL && cc->label != NULL)
		return cc->label;
	return default_label(category);
}

/* One word of a name: a first name (by sex) or a surname. */
static int
choose_name(struct tyst_pseudo *p, const struct catconf *cc,
    const struct tyst_finding *f, const char *word, int first_word,
    int only_word, char **out, struct tyst_err *err)
{
	const struct tyst_pseudo_conf *c = p->conf;
	size_t wl = strlen(word), vl;
	struct hent *fs = ht_find(&c->firstsex, word, wl);
	int sur = ht_find(&c->surset, word, wl) != NULL;
	const struct pool *pool;
	const char *sexv;
	char sex = 'u';

	if (fs != NULL && (first_word || !sur)) {
		sex = (char)fs->val;
		sur = 0;
	} else if (!sur) {
		/* Unknown word: a first name when it comes first. */
		sur = !first_word;
		if (only_word && (sexv = attr(f->attrs, "sex", &vl)) != NULL &&
		    vl == 1)
			sex = *sexv;
	}
	/* A name of unknown sex gets a name of either sex (Kim, Robin) while
	 * there are any, so the text does not decide for the reader. */
	if (sur)
		pool = &c->sur;
	else if (sex == 'm' && c->first[0].n > 0)
		pool = &c->first[0];
	else if (sex == 'f' && c->first[1].n > 0)
		pool = &c->first[1];
	else
		pool = &c->first[2];
	if (draw(p, pool, f->category, word, out, err) < 0)
		return -1;
	if (*out == NULL && pool == &c->first[2] &&
	    draw(p, &c->firstall, f->category, word, out, err) < 0)
		return -1;
	if (*out != NULL)
		return 0;
	/* Every name is taken: fall back on a placeholder. */
	return numbered(p, cat_label(cc, f->category), 1, word, out, err);
}

static int
choose_role(struct tyst_pseudo *p, const struct catconf *cc,
    const struct tyst_finding *f, const char *original, int *distinct,
    char **out, struct tyst_err *err)
{
	const char *label = cc && cc->label ? cc->label : "Person";
	struct hent *h = ht_find(&p->conf->roles, original, strlen(original));

	if (h != NULL) {
		/* The study's own code: it may deliberately give two spellings
		 * of one person the same code. */
		*distinct = 0;
		if ((*out = strdup(h->str)) == NULL)
			return tyst_err_set(err, "", 0, 0, "out of memory");
		return 0;
	}
	(void)f;
	*distinct = 1;
	return numbered(p, label, 0, original, out, err);
}

static int
append(char *buf, size_t cap, size_t *n, const char *s, size_t sl)
{
	if (*n + sl + 1 > cap)
		return -1;
	memcpy(buf + *n, s, sl);
	*n += sl;
	buf[*n] = '\0';
	return 0;
}

/* A Swedish genitive of a name: "Hudiksvalls", but "Borås", "Halmstads". */
static void
genitive_into(char *buf, size_t cap, size_t *n, const char *s, size_t sl)
{
	append(buf, cap, n, s, sl);
	if (sl > 0 && strchr("sxzSXZ", s[sl - 1]) == NULL)
		append(buf, cap, n, "s", 1);
}

/* "[kommun i Gävleborgs län]" and the like; 0 and *out NULL when the
 * finding lacks what the level needs.  A finding without the attributes
 * (a study's own word) gets those of the place lists. */
static int
generalise(const struct tyst_pseudo_conf *c, const struct catconf *cc,
    const struct tyst_finding *f, const char *original, char **out,
    struct tyst_err *err)
{
	const char *stad, *kommun, *lan, *landsdel, *kind, *what = "ort";
	const char *attrs = f->attrs;
	size_t sl = 0, kl = 0, ll = 0, dl = 0, tl = 0, n = 0;
	enum level lv = cc ? cc->level : LV_LAN;
	struct hent *h;
	char buf[512];

	*out = NULL;
	if ((attrs == NULL || (attr(attrs, "lan", &ll) == NULL &&
	    attr(attrs, "landsdel", &dl) == NULL)) &&
	    (h = ht_find(&c->places, original, strlen(original))) != NULL)
		attrs = h->str;
	stad = attr(attrs, "stad", &sl);
	kommun = attr(attrs, "kommun", &kl);
	lan = attr(attrs, "lan", &ll);
	landsdel = attr(attrs, "landsdel", &dl);
	kind = attr(attrs, "kind", &tl);
	if (stad != NULL)
		what = "stadsdel";
	else if ((kind != NULL && tl == 6 && strncmp(kind, "kommun", 6) == 0) ||
	    (attrs == f->attrs && f->source != NULL &&
	    strstr(f->source, "kommun") != NULL))
		what = "kommun";
	append(buf, sizeof(buf), &n, "[", 1);
	append(buf, sizeof(buf), &n, what, strlen(what));
	append(buf, sizeof(buf), &n, " i ", 3);
	if (lv == LV_STAD && stad != NULL)
		append(buf, sizeof(buf), &n, stad, sl);
	else if (lv == LV_STAD && kommun != NULL) {
		genitive_into(buf, sizeof(buf), &n, kommun, kl);
		append(buf, sizeof(buf), &n, " kommun", 7);
	} else if (lv <= LV_LAN && lan != NULL)
		append(buf, sizeof(buf), &n, lan, ll);
	else if (landsdel != NULL)
		append(buf, sizeof(buf), &n, landsdel, dl);
	else
		return 0;
	append(buf, sizeof(buf), &n, "]", 1);
	if ((*out = strdup(buf)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

static int
redact(const struct catconf *cc, const struct tyst_finding *f,
    const char *original, char **out, struct tyst_err *err)
{
	const char *t = cc && cc->text ? cc->text : default_text(f->category);
	char buf[256];
	struct tyst_pnr pn;

	if (cc != NULL && cc->detail == DT_SEX_DECADE &&
	    tyst_pnr_parse(original, strlen(original), tyst_pnr_today(), &pn)) {
		snprintf(buf, sizeof(buf), "[%s, född på %d-talet]",
		    pn.sex == 'f' ? "kvinna" : "man", pn.year / 10 * 10);
		t = buf;
	}
	if (t == NULL) {
		snprintf(buf, sizeof(buf), "[%s]", f->category);
		t = buf;
	}
	if ((*out = strdup(t)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

/* "category\037strategy\037original" into ck; its length, or -1 when it
 * does not fit. */
static int
cache_key(char *ck, size_t cap, const char *category, const char *strategy,
    const char *original)
{
	size_t a = strlen(category), b = strlen(strategy), c = strlen(original);

	if (a + b + c + 3 > cap)
		return -1;
	memcpy(ck, category, a);
	ck[a] = '\037';
	memcpy(ck + a + 1, strategy, b);
	ck[a + 1 + b] = '\037';
	memcpy(ck + a + b + 2, original, c + 1);
	return (int)(a + b + c + 2);
}

/*
 * The key entry for original (one word of a name, or a whole finding):
 * from the cache, from the key, or new.
 */
static int
resolve(struct tyst_pseudo *p, const struct tyst_finding *f,
    enum tyst_strategy st, const char *original, int first_word,
    int only_word, int64_t *id, const char **pseudo, struct tyst_err *err)
{
	const struct catconf *cc = cat_find(p->conf, f->category);
	const char *sname = strategy_names[st];
	struct tyst_key_entry e;
	char ck[1024];
	char *ps = NULL;
	struct hent *h;
	int distinct = 1, r;
	int ckn;

	/* Built by hand: snprintf was most of the cost of a replacement. */
	if ((ckn = cache_key(ck, sizeof(ck), f->category, sname, original)) < 0)
		return tyst_err_set(err, p->docname, f->line, f->col,
		    "identifier too long (%zu bytes)", strlen(original));
	if ((h = ht_find(&p->cache, ck, (size_t)ckn)) != NULL) {
		*id = h->val;
		*pseudo = h->str;
		return 0;
	}
	if ((r = tyst_key_find(p->key, f->category, sname, original, &e, err))
	    < 0)
		return -1;
	if (r == 1) {
		ps = e.pseudonym;
		e.pseudonym = NULL;
		*id = e.id;
		tyst_key_entry_clear(&e);
	} else {
		switch (st) {
		case TYST_S_NAME:
			r = choose_name(p, cc, f, original, first_word,
			    only_word, &ps, err);
			break;
		case TYST_S_ROLE:
			r = choose_role(p, cc, f, original, &distinct, &ps,
			    err);
			break;
		case TYST_S_GENERALISE:
			distinct = 0;
			r = generalise(p->conf, cc, f, original, &ps, err);
			if (r == 0 && ps == NULL) {
				distinct = 1;
				r = numbered(p, cat_label(cc, f->category), 1,
				    original, &ps, err);
			}
			break;
		case TYST_S_REDACT:
			distinct = 0;
			r = redact(cc, f, original, &ps, err);
			break;
		default:
			r = numbered(p, cat_label(cc, f->category), 1,
			    original, &ps, err);
			break;
		}
		if (r < 0)
			return -1;
		if (tyst_key_add(p->key, f->category, sname, original, ps,
		    distinct, p->docname, id, err) < 0) {
			free(ps);
			return -1;
		}
	}
	if ((h = ht_put(&p->cache, ck, (size_t)ckn)) == NULL) {
		free(ps);
		return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	h->val = *id;
	h->str = ps;
	*pseudo = ps;
	return 0;
}

/*
 * The output stage.  Hashing the input and the output and writing the
 * output are a third of the rewriter's work and depend on nothing but the
 * bytes, in order; so the rewriter fills a pair of buffers (output bytes,
 * input bytes) and, when the output buffer holds STAGE_BYTES, hands the
 * pair to a stage thread and fills the other pair meanwhile.  A document
 * smaller than that never starts the thread.  A failed write is reported
 * at the next hand-over or at the end of the document.
 */
#define STAGE_BYTES (256 * 1024)

static int
stage_add(struct stage_buf *b, const char *s, size_t n)
{
	if (b->n + n > b->cap) {
		size_t nc = b->cap ? b->cap : STAGE_BYTES + 4096;
		char *np;

		while (nc < b->n + n)
			nc *= 2;
		if ((np = realloc(b->p, nc)) == NULL)
			return -1;
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	return 0;
}

/* Hashes and writes pair k; 0 or the errno of a failed write. */
static int
stage_drain(struct tyst_pseudo *p, int k)
{
	int e = 0;

	tyst_sha256_update(&p->in_sha, p->sin[k].p, p->sin[k].n);
	tyst_sha256_update(&p->out_sha, p->sout[k].p, p->sout[k].n);
	errno = 0;
	if (p->sout[k].n > 0 && p->write(p->sout[k].p, p->sout[k].n,
	    p->wctx) < 0)
		e = errno ? errno : EIO;
	p->sin[k].n = p->sout[k].n = 0;
	return e;
}

static void *
stage_main(void *arg)
{
	struct tyst_pseudo *p = arg;

	pthread_mutex_lock(&p->smu);
	for (;;) {
		int e;

		while (!p->sbusy && !p->squit)
			pthread_cond_wait(&p->scv, &p->smu);
		if (!p->sbusy)
			break;
		pthread_mutex_unlock(&p->smu);
		e = stage_drain(p, !p->sfill);
		pthread_mutex_lock(&p->smu);
		if (e != 0 && p->serr == 0)
			p->serr = e;
		p->sbusy = 0;
		pthread_cond_broadcast(&p->scv);
	}
	pthread_mutex_unlock(&p->smu);
	return NULL;
}

static int
write_failed(struct tyst_pseudo *p, int e, struct tyst_err *err)
{
	return tyst_err_set(err, p->docname, 0, 0, "write failed: %s",
	    strerror(e));
}

/* Hands the pair being filled to the stage thread (started the first
 * time; without a thread the pair is drained here). */
static int
stage_pass(struct tyst_pseudo *p, struct tyst_err *err)
{
	int e;

	if (!p->sthread) {
		if (pthread_create(&p->sth, NULL, stage_main, p) != 0) {
			if ((e = stage_drain(p, p->sfill)) != 0)
				return write_failed(p, e, err);
			return 0;
		}
		p->sthread = 1;
	}
	pthread_mutex_lock(&p->smu);
	while (p->sbusy)
		pthread_cond_wait(&p->scv, &p->smu);
	if ((e = p->serr) == 0) {
		p->sfill = !p->sfill;
		p->sbusy = 1;
		pthread_cond_broadcast(&p->scv);
	}
	pthread_mutex_unlock(&p->smu);
	if (e != 0)
		return write_failed(p, e, err);
	return 0;
}

/* Ends the stage thread, if any, after what it holds; buffers emptied. */
static void
stage_stop(struct tyst_pseudo *p)
{
	if (p->sthread) {
		pthread_mutex_lock(&p->smu);
		p->squit = 1;
		pthread_cond_broadcast(&p->scv);
		pthread_mutex_unlock(&p->smu);
		pthread_join(p->sth, NULL);
		p->sthread = 0;
	}
	p->squit = p->sbusy = p->serr = 0;
	for (int k = 0; k < 2; k++)
		p->sout[k].n = p->sin[k].n = 0;
}

/* Everything of the document hashed and written: waits for the stage
 * thread, drains the last pair here and stops the thread. */
static int
stage_finish(struct tyst_pseudo *p, struct tyst_err *err)
{
	int e = 0;

	if (p->sthread) {
		pthread_mutex_lock(&p->smu);
		while (p->sbusy)
			pthread_cond_wait(&p->scv, &p->smu);
		e = p->serr;
		pthread_mutex_unlock(&p->smu);
	}
	if (e == 0)
		e = stage_drain(p, p->sfill);
	stage_stop(p);
	if (e != 0)
		return write_failed(p, e, err);
	return 0;
}

/* Input bytes that went through: for the input's hash. */
static int
take_in(struct tyst_pseudo *p, const char *s, size_t n, struct tyst_err *err)
{
	if (n > 0 && stage_add(&p->sin[p->sfill], s, n) < 0)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

static int
emit(struct tyst_pseudo *p, const char *s, size_t n, struct tyst_err *err)
{
	while (n > 0) {
		struct stage_buf *b = &p->sout[p->sfill];
		size_t take = n;

		/* A huge line goes through in buffer-sized pieces. */
		if (b->n < STAGE_BYTES && take > STAGE_BYTES - b->n)
			take = STAGE_BYTES - b->n;
		if (stage_add(b, s, take) < 0)
			return tyst_err_set(err, "", 0, 0, "out of memory");
		p->out_pos += take;
		if (p->capturing) {
			if (p->rlen + take + 1 > p->rcap) {
				size_t nc = (p->rlen + take + 1) * 2;
				char *np = realloc(p->rtext, nc);

				if (np == NULL)
					return tyst_err_set(err, "", 0, 0,
					    "out of memory");
				p->rtext = np;
				p->rcap = nc;
			}
			memcpy(p->rtext + p->rlen, s, take);
			p->rlen += take;
			p->rtext[p->rlen] = '\0';
		}
		if (b->n >= STAGE_BYTES && stage_pass(p, err) < 0)
			return -1;
		s += take;
		n -= take;
	}
	return 0;
}

/*
 * What byte c (after bytes p1, and p0 before that, at input offset pos)
 * says of whether the next word starts a sentence: 1 after . ! ? : … and
 * at the start of a line (each turn of a transcript starts one), 0 after
 * anything else, -1 for bytes that change nothing: spaces, quotes, dashes,
 * brackets, the typographic – — ‘ ’ “ ” and a byte order mark.
 */
static int
sentence_byte(unsigned char c, unsigned char p1, unsigned char p0,
    uint64_t pos)
{
	if (c == '\n' || c == '.' || c == '!' || c == '?' || c == ':')
		return 1;
	if (is_space(c) || c == '"' || c == '(' || c == '[' || c == '-' ||
	    c == '\'')
		return -1;
	if (c >= 0x80 && c < 0xc0 && p1 == 0x80 && p0 == 0xe2 &&
	    ((c >= 0x93 && c <= 0x94) || (c >= 0x98 && c <= 0x9d)))
		return -1;      /* – — ‘ ’ “ ” */
	if (c == 0xe2 || (c == 0x80 && p1 == 0xe2))
		return -1;      /* the lead bytes of the above */
	if (pos < 3 && (c == 0xef || c == 0xbb || c == 0xbf))
		return -1;      /* a byte order mark */
	if (c == 0xa6 && p1 == 0x80 && p0 == 0xe2)
		return 1;       /* … */
	return 0;
}

/* Keeps track of whether the next word starts a sentence.  Only the last
 * byte that says something counts, so the copied text is read backwards
 * from its end, a few bytes as a rule, rather than all of it. */
static void
track(struct tyst_pseudo *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t j = n; j-- > 0;) {
		unsigned char p1 = j >= 1 ? u[j - 1] : p->prev[1];
		unsigned char p0 = j >= 2 ? u[j - 2] : j == 1 ? p->prev[1] :
		    p->prev[0];
		int r = sentence_byte(u[j], p1, p0, p->in_pos + j);

		if (r >= 0) {
			p->sentence = r;
			break;
		}
	}
	if (n >= 2) {
		p->prev[0] = u[n - 2];
		p->prev[1] = u[n - 1];
	} else if (n == 1) {
		p->prev[0] = p->prev[1];
		p->prev[1] = u[0];
	}
}

int
tyst_pseudo_begin(struct tyst_pseudo *p, const char *name,
    tyst_pseudo_write_fn write, void *wctx, struct tyst_err *err)
{
	free(p->docname);
	if ((p->docname = strdup(name)) == NULL)
		return tyst_err_set(err, name, 0, 0, "out of memory");
	if (tyst_key_doc_add(p->key, name, &p->doc, err) < 0)
		return -1;
	stage_stop(p);          /* what an abandoned document left */
	p->write = write;
	p->wctx = wctx;
	p->in_pos = p->out_pos = 0;
	tyst_sha256_init(&p->in_sha);
	tyst_sha256_init(&p->out_sha);
	p->sentence = 1;
	p->prev[0] = p->prev[1] = 0;
	return 0;
}

int
tyst_pseudo_copy(struct tyst_pseudo *p, const char *s, size_t n,
    struct tyst_err *err)
{
	/* In pieces, so neither stage buffer outgrows a piece or two. */
	for (size_t at = 0; at < n;) {
		size_t k = n - at < STAGE_BYTES ? n - at : STAGE_BYTES;

		if (emit(p, s + at, k, err) < 0 ||
		    take_in(p, s + at, k, err) < 0)
			return -1;
		at += k;
	}
	track(p, s, n);
	p->in_pos += n;
	return 0;
}

static int
reserve(struct tyst_pseudo *p, size_t n, struct tyst_err *err)
{
	if (n <= p->bufcap)
		return 0;
	free(p->buf);
	p->bufcap = n + 256;
	if ((p->buf = malloc(p->bufcap)) == NULL) {
		p->bufcap = 0;
		return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	return 0;
}

/* Uppercases the first letter of s (ASCII and å ä ö é ü). */
static void
capitalise(char *s)
{
	unsigned char *u = (unsigned char *)s;

	while (*u == '[' || *u == '"' || *u == '(')
		u++;
	if (*u >= 'a' && *u <= 'z')
		*u -= 32;
	else if (u[0] == 0xc3 && u[1] >= 0xa0 && u[1] <= 0xbe && u[1] != 0xb7)
		u[1] -= 0x20;
}

static int
starts_upper(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	return (c >= 'A' && c <= 'Z') || (c == 0xc3 && (unsigned char)s[1] >=
	    0x80 && (unsigned char)s[1] <= 0x9e);
}

/*
 * Writes one replacement and records its span.  tail (the genitive ending
 * of the original) is given only for the last word; the pseudonym then
 * takes a genitive of its own.
 */
static int
put(struct tyst_pseudo *p, const struct tyst_finding *f, int64_t id,
    const char *pseudo, const char *orig, int cap, const char *tail,
    size_t tail_len, uint64_t *ostart, struct tyst_err *err)
{
	size_t pl = strlen(pseudo), n = 0;
	uint64_t start = p->out_pos;

	if (reserve(p, pl + 4, err) < 0)
		return -1;
	memcpy(p->buf, pseudo, pl + 1);
	n = pl;
	if (cap && starts_upper(orig))
		capitalise(p->buf);
	if (tail_len > 0) {
		unsigned char last = pl ? (unsigned char)pseudo[pl - 1] : 0;

		/* Genitive: "Jonas bil", "Annas bil", "Deltagare 3:s bil",
		 * "[PERSON 3]:s bil" (the colon as after an abbreviation). */
		if (last == ']' || (last >= '0' && last <= '9'))
			memcpy(p->buf + n, ":s", 3), n += 2;
		else if (strchr("sxzSXZ", last) == NULL)
			memcpy(p->buf + n, "s", 2), n += 1;
	}
	if (emit(p, p->buf, n, err) < 0)
		return -1;
	*ostart = start;
	(void)f;
	return tyst_key_span_add(p->key, p->doc, start, p->out_pos, id, tail,
	    tail_len, err);
}

int
tyst_pseudo_replace(struct tyst_pseudo *p, const struct tyst_finding *f,
    struct tyst_err *err)
{
	const struct catconf *cc = cat_find(p->conf, f->category);
	enum tyst_strategy st = cc ? cc->strategy : TYST_S_PLACEHOLDER;
	size_t len = (size_t)(f->end - f->start);
	size_t blen = (size_t)(f->base_end - f->start);
	const char *tail = f->text + blen;
	size_t tail_len = len - blen;
	struct tyst_replacement rep;
	uint64_t out0 = p->out_pos, os;
	int64_t first_id = 0;
	int cap = p->sentence;
	char word[512];

	if (f->end < f->start || f->base_end < f->start || f->base_end > f->end)
		return tyst_err_set(err, p->docname, f->line, f->col,
		    "bad finding offsets");
	if (st == TYST_S_KEEP || blen == 0)
		return tyst_pseudo_copy(p, f->text, len, err);
	p->capturing = p->report != NULL;
	p->rlen = 0;
	if (st == TYST_S_NAME) {
		size_t at = 0, we, nw = 0, w0;
		int words = 0;

		/* Count the words first: a lone word may use the sex the
		 * finding carries. */
		for (size_t a = 0; (a = next_word(f->text, blen, a, &we)) <
		    blen; a = we)
			words++;
		while ((w0 = next_word(f->text, blen, at, &we)) < blen) {
			const char *ps;
			int64_t id;
			int last = 0;
			size_t dummy;

			if (emit(p, f->text + at, w0 - at, err) < 0)
				return -1;
			if (we - w0 >= sizeof(word))
				return tyst_err_set(err, p->docname, f->line,
				    f->col, "name too long");
			memcpy(word, f->text + w0, we - w0);
			word[we - w0] = '\0';
			if (resolve(p, f, st, word, nw == 0, words == 1, &id,
			    &ps, err) < 0)
				return -1;
			last = next_word(f->text, blen, we, &dummy) >= blen;
			if (put(p, f, id, ps, word, cap && nw == 0,
			    last ? tail : NULL, last ? tail_len : 0, &os, err)
			    < 0)
				return -1;
			if (nw == 0)
				first_id = id;
			nw++;
			at = we;
		}
		if (emit(p, f->text + at, blen - at, err) < 0)
			return -1;
	} else {
		const char *ps;

		if (blen >= sizeof(word))
			return tyst_err_set(err, p->docname, f->line, f->col,
			    "identifier too long (%zu bytes)", blen);
		memcpy(word, f->text, blen);
		word[blen] = '\0';
		if (resolve(p, f, st, word, 1, 1, &first_id, &ps, err) < 0 ||
		    put(p, f, first_id, ps, word, cap, tail, tail_len, &os,
		    err) < 0)
			return -1;
	}
	if (take_in(p, f->text, len, err) < 0)
		return -1;
	p->in_pos += len;
	p->sentence = 0;
	p->prev[0] = p->prev[1] = 'x';
	p->capturing = 0;
	if (p->report != NULL) {
		rep.finding = f;
		rep.in_start = f->start;
		rep.in_end = f->end;
		rep.out_start = out0;
		rep.out_end = p->out_pos;
		rep.entry = first_id;
		rep.text = p->rtext ? p->rtext : "";
		rep.text_len = p->rlen;
		rep.strategy = st;
		p->report(&rep, p->rctx);
	}
	return 0;
}

uint64_t
tyst_pseudo_out_len(const struct tyst_pseudo *p)
{
	return p->out_pos;
}

int
tyst_pseudo_end(struct tyst_pseudo *p, char out_sha[65], char in_sha[65],
    struct tyst_err *err)
{
	char in[65];

	if (stage_finish(p, err) < 0)
		return -1;
	tyst_sha256_final_hex(&p->out_sha, out_sha);
	tyst_sha256_final_hex(&p->in_sha, in);
	if (in_sha != NULL)
		memcpy(in_sha, in, 65);
	return tyst_key_doc_finish(p->key, p->doc, out_sha, in, err);
}

void
tyst_pseudo_abandon(struct tyst_pseudo *p)
{
	stage_stop(p);
}

void
tyst_pseudo_commit(struct tyst_pseudo *p)
{
	(void)p;
}

void
tyst_pseudo_rollback(struct tyst_pseudo *p)
{
	/* Entries made in the transaction are gone from the key; forget them
	 * here too (rare, so the whole cache). */
	stage_stop(p);
	ht_free(&p->cache);
}

struct membuf {
	char *p;
	size_t n, cap;
};

static int
mem_write(const char *s, size_t n, void *ctx)
{
	struct membuf *m = ctx;

	if (m->n + n + 1 > m->cap) {
		size_t nc = (m->n + n + 1) * 2;
		char *np = realloc(m->p, nc);

		if (np == NULL) {
			errno = ENOMEM;
			return -1;
		}
		m->p = np;
		m->cap = nc;
	}
	memcpy(m->p + m->n, s, n);
	m->n += n;
	m->p[m->n] = '\0';
	return 0;
}

int
tyst_pseudo_buffer(struct tyst_pseudo *p, const char *name, const char *buf,
    size_t len, const struct tyst_finding *f, size_t n, char **out,
    size_t *outlen, struct tyst_err *err)
{
	struct membuf m = { NULL, 0, 0 };
	char sha[65];
	uint64_t at = 0;

	*out = NULL;
	*outlen = 0;
	if (mem_write("", 0, &m) < 0)
		return tyst_err_set(err, name, 0, 0, "out of memory");
	if (tyst_pseudo_begin(p, name, mem_write, &m, err) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct tyst_finding g = f[i];

		if (g.start < at || g.end > len) {
			tyst_err_set(err, name, g.line, g.col, "finding %zu out "
			    "of order or past the end", i);
			goto fail;
		}
		g.text = buf + g.start;
		if (tyst_pseudo_copy(p, buf + at, (size_t)(g.start - at), err)
		    < 0 || tyst_pseudo_replace(p, &g, err) < 0)
			goto fail;
		at = g.end;
	}
	if (tyst_pseudo_copy(p, buf + at, len - (size_t)at, err) < 0 ||
	    tyst_pseudo_end(p, sha, NULL, err) < 0)
		goto fail;
	*out = m.p;
	*outlen = m.n;
	return 0;
fail:
	tyst_pseudo_abandon(p);         /* before m goes */
	free(m.p);
	return -1;
}

/* ---- reversal ----------------------------------------------------------- */

struct rev {
	const char *name;
	const char *buf;
	size_t len, at;
	tyst_pseudo_write_fn write;
	void *wctx;
	struct tyst_err *err;
	int failed;
};

static int
rev_out(struct rev *r, const char *s, size_t n)
{
	if (n > 0 && r->write(s, n, r->wctx) < 0) {
		tyst_err_set(r->err, r->name, 0, 0, "write failed: %s",
		    strerror(errno ? errno : EIO));
		r->failed = 1;
		return -1;
	}
	return 0;
}

static int
rev_span(const struct tyst_key_span *s, void *ctx)
{
	struct rev *r = ctx;

	if (s->out_start < r->at || s->out_end < s->out_start ||
	    s->out_end > r->len) {
		tyst_err_set(r->err, r->name, 0, 0, "the key's record of this "
		    "document is damaged (span %llu-%llu)",
		    (unsigned long long)s->out_start,
		    (unsigned long long)s->out_end);
		r->failed = 1;
		return 1;
	}
	if (rev_out(r, r->buf + r->at, (size_t)(s->out_start - r->at)) < 0 ||
	    rev_out(r, s->original, strlen(s->original)) < 0 ||
	    rev_out(r, s->tail, s->tail_len) < 0)
		return 1;
	r->at = (size_t)s->out_end;
	return 0;
}

int
tyst_pseudo_reverse(struct tyst_key *key, const char *name, const char *buf,
    size_t len, tyst_pseudo_write_fn write, void *wctx, struct tyst_err *err)
{
	struct rev r = { name, buf, len, 0, write, wctx, err, 0 };
	const char *base = strrchr(name, '/');
	char sha[65];
	int64_t doc;
	int rc;

	tyst_sha256_hex(buf, len, sha);
	rc = tyst_key_doc_find(key, sha, base ? base + 1 : name, &doc, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return tyst_err_set(err, name, 0, 0, "this key has no record "
		    "of this file (sha256 %.12s…): it was not written by "
		    "tyst-pseudo with this key, or it was changed since", sha);
	rc = tyst_key_doc_spans(key, doc, rev_span, &r, err);
	if (rc < 0 || r.failed)
		return -1;
	return rev_out(&r, buf + r.at, len - r.at);
}
