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
#include <unistd.h>

#include <yaml.h>

#include "tyst/gazetteer.h"
#include "tyst/lexicon.h"
#include "tyst/rules.h"
#include "tyst/paths.h"
#include "tyst/pnr.h"
#include "tyst/sha256.h"
#include "tyst/text.h"

/* ---- a small string map ------------------------------------------------- */

/*
 * String -> (number, owned string): tyst_strtab (lib/detect/gazetteer.c) holds the
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

enum level { LV_STAD, LV_LAN, LV_LANDSDEL, LV_SVERIGE };
enum detail { DT_NONE, DT_SEX_DECADE, DT_SEASON, DT_MONTH, DT_YEAR };

struct catconf {
	char *category;
	enum tyst_strategy strategy;
	char *label;            /* placeholder / role label */
	enum level level;
	int same;               /* distinct: no (places of one region
	                         * share their generalisation) */
	enum detail detail;
	char *text;             /* redaction text */
	int abroad;             /* places abroad: AB_LAND, AB_REGION, or
	                         * AB_LEVEL (by the level) */
};

/* How far a place abroad is generalised (abroad:). */
#define AB_LEVEL        0
#define AB_LAND         1
#define AB_REGION       2

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
	/* One person, one pseudonym (see "persons" below): keys are the
	 * lower-case fold, values the form a variant stands for. */
	struct htab nick;       /* "lasse" -> "Lars" (nicknames.tsv) */
	struct htab same;       /* same-person: spelling -> first spelling */
	struct htab names;      /* names: original -> chosen pseudonym */
	struct htab chosen;     /* the chosen pseudonyms, folded */
	char *nick_path;
	unsigned preserve;      /* P_SEX | P_ORIGIN | P_GENERATION */
};

/* What a drawn name keeps of the original (preserve:). */
#define P_SEX           1u
#define P_ORIGIN        2u
#define P_GENERATION    4u

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
			if (strcmp(val, "stad") == 0 ||
			    strcmp(val, "kommun") == 0)
				cc->level = LV_STAD;
			else if (strcmp(val, "lan") == 0 ||
			    strcmp(val, "län") == 0)
				cc->level = LV_LAN;
			else if (strcmp(val, "landsdel") == 0)
				cc->level = LV_LANDSDEL;
			else if (strcmp(val, "sverige") == 0 ||
			    strcmp(val, "Sverige") == 0)
				cc->level = LV_SVERIGE;
			else
				return yerr(y, vn, "unknown level '%s' (stad, "
				    "kommun, lan, landsdel, sverige)", val);
		} else if (strcmp(k, "abroad") == 0) {
			if (strcmp(val, "land") == 0 ||
			    strcmp(val, "country") == 0)
				cc->abroad = AB_LAND;
			else if (strcmp(val, "region") == 0)
				cc->abroad = AB_REGION;
			else
				return yerr(y, vn, "unknown abroad '%s' (land, "
				    "region)", val);
		} else if (strcmp(k, "distinct") == 0) {
			if (strcmp(val, "yes") == 0 || strcmp(val, "true") == 0)
				cc->same = 0;
			else if (strcmp(val, "no") == 0 ||
			    strcmp(val, "false") == 0)
				cc->same = 1;
			else
				return yerr(y, vn, "distinct: yes or no, not "
				    "'%s'", val);
		} else if (strcmp(k, "detail") == 0) {
			if (strcmp(val, "none") == 0)
				cc->detail = DT_NONE;
			else if (strcmp(val, "sex-decade") == 0)
				cc->detail = DT_SEX_DECADE;
			else if (strcmp(val, "season") == 0)
				cc->detail = DT_SEASON;
			else if (strcmp(val, "month") == 0)
				cc->detail = DT_MONTH;
			else if (strcmp(val, "year") == 0)
				cc->detail = DT_YEAR;
			else
				return yerr(y, vn, "unknown detail '%s' (none, "
				    "sex-decade, season, month, year)", val);
		} else
			return yerr(y, kn, "unknown key '%s' (strategy, label,"
			    " level, abroad, distinct, detail, text)", k);
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

/* The lower-case fold of s[0..n) into buf (NUL-terminated); its length, or
 * 0 when it does not fit.  Variants of one name are matched by it. */
static size_t
fold(const char *s, size_t n, char *buf, size_t cap)
{
	size_t l = n > 0 && cap > 1 ? tyst_lower(s, n, buf, cap - 1) : 0;

	buf[l] = '\0';
	return l;
}

/* Puts fold(k) -> v into t; a later file's value wins. */
static int
fold_put(struct htab *t, const char *k, const char *v)
{
	char f[1024];
	size_t n = fold(k, strlen(k), f, sizeof(f));
	struct hent *h;

	if (n == 0 || (h = ht_put(t, f, n)) == NULL)
		return -1;
	free(h->str);
	return (h->str = strdup(v)) == NULL ? -1 : 0;
}

/* The words of s into w (at most max); their number, or -1 when there
 * are more or one is too long. */
static int
split_words(const char *s, char w[][256], int max)
{
	int n = 0;

	while (*s == ' ')
		s++;
	while (*s) {
		size_t wl = strcspn(s, " ");

		if (n == max || wl >= 256)
			return -1;
		memcpy(w[n], s, wl);
		w[n++][wl] = '\0';
		s += wl;
		while (*s == ' ')
			s++;
	}
	return n;
}

/*
 * The words of a chosen full name: "Jonas Lind" keeps "Jonas" from being
 * drawn for someone else, and "Björn Ek": "Jonas Lind" makes "Ek" "Lind"
 * wherever it stands ("Anna Ek" -> "… Lind", as a drawn surname would),
 * unless names: says otherwise for the word itself.
 */
static int
names_words(struct tyst_pseudo_conf *c, const char *k, const char *val)
{
	char kw[8][256], vw[8][256], f[1024];
	int nk = split_words(k, kw, 8), nv = split_words(val, vw, 8);

	if (nk < 0 || nv < 0)
		return 0;       /* more words than anyone has */
	for (int i = 0; nv > 1 && i < nv; i++)
		if (fold_put(&c->chosen, vw[i], val) < 0)
			return -1;
	if (nk != nv || nk < 2)
		return 0;
	for (int i = 0; i < nk; i++) {
		size_t fl = fold(kw[i], strlen(kw[i]), f, sizeof(f));

		if (fl > 0 && ht_find(&c->names, f, fl) == NULL &&
		    fold_put(&c->names, kw[i], vw[i]) < 0)
			return -1;
	}
	return 0;
}

/* names: {Rosa: Emma, "Björn Ek": "Jonas Lind"} */
static int
parse_names(struct tyst_pseudo_conf *c, struct yctx *y, yaml_node_t *v)
{
	if (v->type == YAML_SCALAR_NODE && scalar(v)[0] == '\0')
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return yerr(y, v, "%s", "names: expected a mapping of originals "
		    "to the pseudonyms chosen for them");
	for (yaml_node_pair_t *pr = v->data.mapping.pairs.start;
	    pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *vn = yaml_document_get_node(y->doc, pr->value);
		const char *k = scalar(kn), *val = scalar(vn);

		if (k == NULL || *k == '\0')
			return yerr(y, kn, "%s", "names: expected original: "
			    "pseudonym");
		if (val == NULL || *val == '\0')
			return yerr(y, vn, "names: %s: expected the pseudonym "
			    "chosen for it", k);
		if (strlen(k) > 500 || strlen(val) > 500)
			return yerr(y, kn, "names: %s: too long", k);
		if (fold_put(&c->names, k, val) < 0 ||
		    fold_put(&c->chosen, val, val) < 0)
			return yerr(y, kn, "%s", "out of memory");
		if (names_words(c, k, val) < 0)
			return yerr(y, kn, "%s", "out of memory");
	}
	return 0;
}

/* same-person: [[Jonatan, Johnatan], [Bo, Bosse]]: every spelling of a
 * list stands for its first. */
static int
parse_same(struct tyst_pseudo_conf *c, struct yctx *y, yaml_node_t *v)
{
	if (v->type == YAML_SCALAR_NODE && scalar(v)[0] == '\0')
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return yerr(y, v, "%s", "same-person: expected a list of lists "
		    "of spellings, such as [[Jonatan, Johnatan]]");
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	    it < v->data.sequence.items.top; it++) {
		yaml_node_t *ln = yaml_document_get_node(y->doc, *it);
		const char *first = NULL;

		if (ln->type != YAML_SEQUENCE_NODE)
			return yerr(y, ln, "%s", "same-person: each item is a "
			    "list of spellings of one person");
		for (yaml_node_item_t *w = ln->data.sequence.items.start;
		    w < ln->data.sequence.items.top; w++) {
			yaml_node_t *wn = yaml_document_get_node(y->doc, *w);
			const char *s = scalar(wn);

			if (s == NULL || *s == '\0' || strlen(s) > 500)
				return yerr(y, wn, "%s", "same-person: expected "
				    "a spelling");
			if (first == NULL) {
				first = s;
				continue;
			}
			if (fold_put(&c->same, s, first) < 0)
				return yerr(y, wn, "%s", "out of memory");
		}
	}
	return 0;
}

/* preserve: [sex, origin, generation] */
static int
parse_preserve(struct tyst_pseudo_conf *c, struct yctx *y, yaml_node_t *v)
{
	c->preserve = 0;
	if (v->type == YAML_SCALAR_NODE && scalar(v)[0] == '\0')
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return yerr(y, v, "%s", "preserve: expected a list such as "
		    "[sex, origin, generation]");
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	    it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(y->doc, *it);
		const char *w = scalar(n);

		if (w != NULL && strcmp(w, "sex") == 0)
			c->preserve |= P_SEX;
		else if (w != NULL && strcmp(w, "origin") == 0)
			c->preserve |= P_ORIGIN;
		else if (w != NULL && strcmp(w, "generation") == 0)
			c->preserve |= P_GENERATION;
		else
			return yerr(y, n, "preserve: unknown '%s' (sex, origin,"
			    " generation)", w ? w : "");
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
		if (strcmp(k, "preserve") == 0) {
			if (parse_preserve(c, y, vn) < 0)
				return -1;
			continue;
		}
		if (strcmp(k, "first_names") == 0)
			pathp = &c->first_path;
		else if (strcmp(k, "nicknames") == 0)
			pathp = &c->nick_path;
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
			    "capitals (PERSON, PLACE, …), roles, preserve, "
			    "first_names, surnames or nicknames", k);
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
		if (strcmp(k, "names") == 0) {
			if (parse_names(c, y, vn) < 0)
				return -1;
			continue;
		}
		if (strcmp(k, "same-person") == 0) {
			if (parse_same(c, y, vn) < 0)
				return -1;
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
	if (tyst_yaml_depth_check(t.data + t.start, t.len - t.start, path,
	    err) < 0) {
		tyst_text_free(&t);
		return -1;
	}
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
			if (line[n] == '\t' && (h->str = strdup(line + n + 1))
			    == NULL)
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
		if (line[n] == '\t' && (h->str = strdup(line + n + 1)) == NULL)
			goto oom;
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

/* nicknames.tsv: "Lasse<TAB>name=Lars", a short form and the name it is
 * short for; optional. */
static int
load_nicks(struct tyst_pseudo_conf *c, const char *path, struct tyst_err *err)
{
	struct tyst_text t;
	char line[1024], f[1024];

	if (access(path, F_OK) != 0)
		return 0;
	if (tyst_text_load(&t, path, err) < 0)
		return -1;
	for (size_t lineno = 1; lineno <= t.nlines; lineno++) {
		size_t s, e, n = 0, vl = 0, fl;
		const char *v;
		struct hent *h;

		tyst_text_line(&t, lineno, &s, &e);
		if (e - s == 0 || e - s >= sizeof(line) || t.data[s] == '#')
			continue;
		memcpy(line, t.data + s, e - s);
		line[e - s] = '\0';
		while (line[n] && line[n] != '\t')
			n++;
		if (n == 0 || line[n] != '\t' ||
		    (v = attr(line + n + 1, "name", &vl)) == NULL || vl == 0) {
			tyst_text_free(&t);
			return tyst_err_set(err, path, lineno, 1, "expected "
			    "a short form, a TAB and name=<the full name>");
		}
		if ((fl = fold(line, n, f, sizeof(f))) == 0 ||
		    (h = ht_put(&c->nick, f, fl)) == NULL ||
		    (free(h->str), (h->str = strndup(v, vl)) == NULL)) {
			tyst_text_free(&t);
			return tyst_err_set(err, path, lineno, 0, "out of "
			    "memory");
		}
	}
	tyst_text_free(&t);
	return 0;
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
		if (c->cats[i].strategy == TYST_S_GENERALISE ||
		    (c->cats[i].strategy == TYST_S_NAME &&
		    strcmp(c->cats[i].category, "PLACE") == 0))
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
	c->preserve = P_SEX | P_ORIGIN | P_GENERATION;
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
	if (c->nick_path == NULL &&
	    (c->nick_path = relative_to(c->first_path, "nicknames.tsv")) ==
	    NULL) {
		tyst_pseudo_conf_free(c);
		return tyst_err_set(err, base, 0, 0, "out of memory");
	}
	if (load_nicks(c, c->nick_path, err) < 0 || (needs_names(c) &&
	    (load_names(c, c->first_path, 1, err) < 0 ||
	    load_names(c, c->sur_path, 0, err) < 0))) {
		tyst_pseudo_conf_free(c);
		return -1;
	}
	if ((c->places_dir = strdup(base)) == NULL) {
		tyst_pseudo_conf_free(c);
		return tyst_err_set(err, base, 0, 0, "out of memory");
	}
	if (needs_places(c) && (load_places(c, "kommuner.tsv", "kommun", err)
	    < 0 || load_places(c, "stadsdelar.tsv", "stadsdel", err) < 0 ||
	    load_places(c, "orter.tsv", "ort", err) < 0 ||
	    load_places(c, "lander.tsv", "land", err) < 0 ||
	    load_places(c, "utlandsorter.tsv", "utland", err) < 0)) {
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
	ht_free(&c->nick);
	ht_free(&c->same);
	ht_free(&c->names);
	ht_free(&c->chosen);
	free(c->nick_path);
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
	struct htab notedfold;  /* the same, folded */
	char *notedoc;          /* the document being noted */
	struct htab docnames;   /* its person names: fold -> a spelling */
	struct proposal {
		char *doc, *a, *b;
	} *props;               /* spelling variants for review */
	size_t nprops, capprops;
	const char *note;       /* what the last new pseudonym could not
	                         * keep, for the report */
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
	uint64_t span_end;      /* output offset where the last span ends */
	const char *kind;       /* the label of an organisation's kind
	                         * while it is being replaced, or NULL */
	const char *forced;     /* the pseudonym a new entry takes (an
	                         * organisation with its context word takes
	                         * the organisation's), or NULL */
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
	ht_free(&p->notedfold);
	ht_free(&p->docnames);
	free(p->notedoc);
	for (size_t i = 0; i < p->nprops; i++) {
		free(p->props[i].doc);
		free(p->props[i].a);
		free(p->props[i].b);
	}
	free(p->props);
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
	char f[1024];
	size_t fl;

	if (n == 0)
		return 0;
	if (ht_put(&p->noted, s, n) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	if ((fl = fold(s, n, f, sizeof(f))) > 0 &&
	    ht_put(&p->notedfold, f, fl) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

/* A pseudonym chosen in names: that is a name of this corpus would make
 * two people one in the output. */
static int
check_chosen(struct tyst_pseudo *p, const struct tyst_finding *f,
    const char *s, size_t n, struct tyst_err *err)
{
	char fb[1024];
	size_t fl = fold(s, n, fb, sizeof(fb));
	struct hent *h;

	if (fl == 0 || (h = ht_find(&p->conf->chosen, fb, fl)) == NULL)
		return 0;
	return tyst_err_set(err, p->notedoc ? p->notedoc : "", f->line,
	    f->col, "names: the pseudonym '%s' is a real name in this corpus "
	    "('%.*s' here); choose another", h->str, (int)n, s);
}

/* Remembers a person's name of the document being noted, for
 * tyst_pseudo_proposals. */
/*
 * A string of the n bytes at s.  A finding's text lies inside its line,
 * which need not end in a NUL where the detector reads a line at a time
 * from the reader's buffer: strndup() would stop at n, but ASan's strict
 * string checks (make check) read its source to a NUL.
 */
static char *
copy_text(const char *s, size_t n)
{
	char *c = malloc(n + 1);

	if (c == NULL)
		return NULL;
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

static int
note_person(struct tyst_pseudo *p, const char *s, size_t n,
    struct tyst_err *err)
{
	char fb[1024];
	size_t fl = fold(s, n, fb, sizeof(fb));
	struct hent *h;

	if (fl < 4 || p->notedoc == NULL)
		return 0;
	if ((h = ht_put(&p->docnames, fb, fl)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	if (h->str == NULL && (h->str = copy_text(s, n)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

static int
person_category(const struct tyst_pseudo *p, const char *category)
{
	enum tyst_strategy st = tyst_pseudo_conf_strategy(p->conf, category);

	/* A place under the strategy name gets a fictitious place name
	 * (place_name), not a person's. */
	if (strcmp(category, "PLACE") == 0)
		return 0;
	return strcmp(category, "PERSON") == 0 || st == TYST_S_NAME ||
	    st == TYST_S_ROLE;
}

static void person_rep(const struct tyst_pseudo *p, const char *w,
    char *rep, size_t cap, int *gen, int *initials);

static int
note_rep(struct tyst_pseudo *p, const char *s, size_t n,
    struct tyst_err *err)
{
	char w[512], rep[1024];
	int gen, ini;

	memcpy(w, s, n);
	w[n] = '\0';
	person_rep(p, w, rep, sizeof(rep), &gen, &ini);
	if (strcmp(rep, w) == 0)
		return 0;
	if (note(p, rep, strlen(rep), err) < 0)
		return -1;
	for (char *a = rep, *b; *a; a = *b ? b + 1 : b) {
		b = a + strcspn(a, "-");
		if ((*b != '\0' || a > rep) && note(p, a, (size_t)(b - a),
		    err) < 0)
			return -1;
	}
	return 0;
}

int
tyst_pseudo_note(struct tyst_pseudo *p, const struct tyst_finding *f,
    struct tyst_err *err)
{
	size_t n = (size_t)(f->base_end - f->start), at = 0, we;
	int person;

	if (f->text == NULL || f->base_end < f->start)
		return 0;
	if (note(p, f->text, n, err) < 0 ||
	    check_chosen(p, f, f->text, n, err) < 0)
		return -1;
	person = person_category(p, f->category);
	while ((at = next_word(f->text, n, at, &we)) < n) {
		if (note(p, f->text + at, we - at, err) < 0 ||
		    check_chosen(p, f, f->text + at, we - at, err) < 0 ||
		    (person && note_person(p, f->text + at, we - at, err) < 0))
			return -1;
		/* The parts of a double name become originals of their own
		 * ("Eva" of "Eva-Lena"), so no one else is given them. */
		for (size_t a = at, b; person && a < we; a = b + 1) {
			for (b = a; b < we && f->text[b] != '-'; b++)
				;
			if ((a > at || b < we) && note(p, f->text + a, b - a,
			    err) < 0)
				return -1;
		}
		/* So does the form a short form stands for ("Jan" of
		 * "Janne"), which the key will hold as an original. */
		if (person && we - at < 500 && note_rep(p, f->text + at,
		    we - at, err) < 0)
			return -1;
		at = we;
	}
	return 0;
}

/* True when a and b (folded) are one insertion, deletion or substitution
 * of a byte apart ("jonatan", "johnatan"), or of one two-byte letter
 * against one byte ("andre", "andré"). */
static int
one_edit(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0, ja, jb;

	if (al > bl)
		return one_edit(b, bl, a, al);
	if (bl - al > 2)
		return 0;
	while (i < al && a[i] == b[i])
		i++;
	if (i == al)
		return bl - al == 1;
	for (ja = al, jb = bl; ja > i && jb > i && a[ja - 1] == b[jb - 1];)
		ja--, jb--;
	/* What differs is a[i..ja) against b[i..jb). */
	if (ja - i > 2 || jb - i > 2 || (ja - i) + (jb - i) == 0)
		return 0;
	if (ja - i == 2 && jb - i == 2)
		return 0;
	if ((ja - i == 2 && (unsigned char)a[i] < 0xc0) ||
	    (jb - i == 2 && (unsigned char)b[i] < 0xc0))
		return 0;       /* two letters, not one */
	return 1;
}

/* The names of the document just noted that may be one person spelt two
 * ways; pairs the tables already make one person are left out, and so
 * are a name and its genitive. */
static int
flush_proposals(struct tyst_pseudo *p, struct tyst_err *err)
{
	struct htab *t = &p->docnames;

	for (size_t i = 0; i < t->n; i++)
		for (size_t j = i + 1; j < t->n; j++) {
			const char *a = t->e[i].str, *b = t->e[j].str;
			char fa[1024], fb[1024], ra[1024], rb[1024];
			size_t al = fold(a, strlen(a), fa, sizeof(fa));
			size_t bl = fold(b, strlen(b), fb, sizeof(fb));
			struct proposal *np;
			int g, ini;

			if (!one_edit(fa, al, fb, bl) ||
			    (al + 1 == bl && fb[al] == 's') ||
			    (bl + 1 == al && fa[bl] == 's'))
				continue;
			person_rep(p, a, ra, sizeof(ra), &g, &ini);
			person_rep(p, b, rb, sizeof(rb), &g, &ini);
			if (strcmp(ra, rb) == 0)
				continue;
			if (p->nprops == p->capprops) {
				size_t nc = p->capprops ? p->capprops * 2 : 8;

				if ((np = realloc(p->props, nc * sizeof(*np)))
				    == NULL)
					goto oom;
				p->props = np;
				p->capprops = nc;
			}
			np = &p->props[p->nprops];
			np->doc = strdup(p->notedoc);
			np->a = strdup(a);
			np->b = strdup(b);
			p->nprops++;
			if (np->doc == NULL || np->a == NULL || np->b == NULL)
				goto oom;
		}
	ht_free(t);
	return 0;
oom:
	ht_free(t);
	return tyst_err_set(err, "", 0, 0, "out of memory");
}

int
tyst_pseudo_note_doc(struct tyst_pseudo *p, const char *name,
    struct tyst_err *err)
{
	if (p->notedoc != NULL && flush_proposals(p, err) < 0)
		return -1;
	free(p->notedoc);
	p->notedoc = NULL;
	if (name != NULL && (p->notedoc = strdup(name)) == NULL)
		return tyst_err_set(err, name, 0, 0, "out of memory");
	return 0;
}

int
tyst_pseudo_proposals(struct tyst_pseudo *p, tyst_pseudo_proposal_fn fn,
    void *ctx, struct tyst_err *err)
{
	if (tyst_pseudo_note_doc(p, NULL, err) < 0)
		return -1;
	for (size_t i = 0; i < p->nprops; i++)
		fn(p->props[i].doc, p->props[i].a, p->props[i].b, ctx);
	return 0;
}

/* True when cand may become a new distinct pseudonym for original. */
static int
usable(struct tyst_pseudo *p, const char *cand, const char *original,
    struct tyst_err *err)
{
	int r;

	char fb[1024];
	size_t fl;

	if (strcmp(cand, original) == 0)
		return 0;
	if (p->holds != NULL && !p->holds(cand, p->hctx))
		return 0;
	if (ht_find(&p->noted, cand, strlen(cand)) != NULL)
		return 0;
	/* Not "Mona" when "mona" is an original, nor a pseudonym the study
	 * chose for someone. */
	if ((fl = fold(cand, strlen(cand), fb, sizeof(fb))) > 0 &&
	    (ht_find(&p->notedfold, fb, fl) != NULL ||
	    ht_find(&p->conf->chosen, fb, fl) != NULL))
		return 0;
	/* Nor "Lars-Erik" when "Lars" is an original. */
	for (const char *h = fb; fl > 0 && cand[0] != '[' &&
	    (h = strchr(h, '-')) != NULL; h++)
		if (ht_find(&p->notedfold, fb, (size_t)(h - fb)) != NULL ||
		    (h[1] != '\0' && ht_find(&p->notedfold, h + 1,
		    strcspn(h + 1, "-")) != NULL))
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

/* True when the comma-separated lists a and b (al, bl bytes) share an
 * item; with near, items are decades ("1950") and may be ten years apart. */
static int
share(const char *a, size_t al, const char *b, size_t bl, int near)
{
	for (size_t i = 0; i < al;) {
		size_t il = 0;

		while (i + il < al && a[i + il] != ',')
			il++;
		for (size_t j = 0; j < bl;) {
			size_t jl = 0;

			while (j + jl < bl && b[j + jl] != ',')
				jl++;
			if (il == jl && memcmp(a + i, b + j, il) == 0)
				return 1;
			if (near && il == 4 && jl == 4) {
				long x = strtol(a + i, NULL, 10);
				long y = strtol(b + j, NULL, 10);

				if (x - y == 10 || y - x == 10)
					return 1;
			}
			j += jl + 1;
		}
		i += il + 1;
	}
	return 0;
}

/*
 * The names of pool that share an origin (when origin is not NULL) and a
 * decade (when dec is not NULL; with near, one ten years apart will do)
 * with the original: sub->v borrows pool's strings.  attrs holds each
 * name's attributes.
 */
static int
pool_like(const struct pool *pool, const struct htab *attrs,
    const char *origin, size_t ol, const char *dec, size_t dl, int near,
    int single, struct pool *sub)
{
	memset(sub, 0, sizeof(*sub));
	for (size_t i = 0; i < pool->n; i++) {
		const struct hent *h = ht_find(attrs, pool->v[i],
		    strlen(pool->v[i]));
		const char *v;
		size_t vl;

		if (single && strchr(pool->v[i], '-') != NULL)
			continue;
		if ((origin != NULL || dec != NULL) && (h == NULL ||
		    h->str == NULL))
			continue;
		if (origin != NULL && ((v = attr(h->str, "origin", &vl)) ==
		    NULL || !share(origin, ol, v, vl, 0)))
			continue;
		if (dec != NULL && ((v = attr(h->str, "dec", &vl)) == NULL ||
		    !share(dec, dl, v, vl, near)))
			continue;
		if (sub->n == sub->cap) {
			size_t nc = sub->cap ? sub->cap * 2 : 64;
			char **nv = realloc(sub->v, nc * sizeof(*nv));

			if (nv == NULL) {
				free(sub->v);
				return -1;
			}
			sub->v = nv;
			sub->cap = nc;
		}
		sub->v[sub->n++] = pool->v[i];
	}
	return 0;
}

/*
 * Draws from the names of pool like the original (attributes oa): same
 * origin and generation, then same origin, then any; *out NULL when none
 * is usable.  Notes what could not be kept.
 */
static int
draw_like(struct tyst_pseudo *p, const struct pool *pool,
    const struct htab *attrs, const char *oa, const char *category,
    const char *word, char **out, struct tyst_err *err)
{
	unsigned keep = p->conf->preserve;
	size_t ol = 0, dl = 0;
	const char *origin = keep & P_ORIGIN ? attr(oa, "origin", &ol) : NULL;
	const char *dec = keep & P_GENERATION ? attr(oa, "dec", &dl) : NULL;

	*out = NULL;
	if (keep & P_ORIGIN && origin == NULL)
		p->note = oa == NULL ? "not in the name lists: origin and "
		    "generation not kept" : "origin unknown to the name lists";
	/* Same decades, then ten years apart, then the origin alone, then
	 * any name; a single name for a single name ("Lars" never becomes
	 * "Jan-Erik": a double name takes its parts'). */
	for (int step = 0; step < 4 && *out == NULL; step++) {
		const char *d = step < 2 ? dec : NULL;
		const char *o = step < 3 ? origin : NULL;
		struct pool sub;

		if ((step < 3 && o == NULL && d == NULL) ||
		    (step > 0 && step < 3 && dec == NULL))
			continue;
		if (step == 3 && strchr(word, '-') != NULL)
			continue;
		if (pool_like(pool, attrs, o, ol, d, dl, step == 1,
		    strchr(word, '-') == NULL, &sub) < 0)
			return tyst_err_set(err, "", 0, 0, "out of memory");
		if (sub.n > 0 && draw(p, &sub, category, word, out, err) < 0) {
			free(sub.v);
			return -1;
		}
		free(sub.v);
		if (*out == NULL && step == 1)
			p->note = "no free name of the same origin and "
			    "generation";
		if (*out == NULL && step == 2 && origin != NULL)
			p->note = "no free name of the same origin";
	}
	if (*out == NULL && draw(p, pool, category, word, out, err) < 0)
		return -1;
	return 0;
}

/* One word of a name: a first name (by sex, origin and generation) or a
 * surname (by origin). */
static int
choose_name(struct tyst_pseudo *p, const struct catconf *cc,
    const struct tyst_finding *f, const char *word, int first_word,
    int only_word, char **out, struct tyst_err *err)
{
	const struct tyst_pseudo_conf *c = p->conf;
	size_t wl = strlen(word), vl;
	struct hent *fs = ht_find(&c->firstsex, word, wl);
	struct hent *ss = ht_find(&c->surset, word, wl);
	int sur = ss != NULL;
	const struct pool *pool;
	const char *sexv, *oa = NULL;
	char sex = 'u';

	if (fs != NULL && (first_word || !sur)) {
		sex = (char)fs->val;
		sur = 0;
		oa = fs->str ? fs->str : "";
	} else if (!sur) {
		/* Unknown word: a first name when it comes first. */
		sur = !first_word;
		if (only_word && (sexv = attr(f->attrs, "sex", &vl)) != NULL &&
		    vl == 1)
			sex = *sexv;
	} else
		oa = ss->str ? ss->str : "";
	if (!(c->preserve & P_SEX))
		sex = 'u';
	/* A name of unknown sex gets a name of either sex (Kim, Robin) while
	 * there are any, so the text does not decide for the reader. */
	if (sur)
		pool = &c->sur;
	else if (sex == 'm' && c->first[0].n > 0)
		pool = &c->first[0];
	else if (sex == 'f' && c->first[1].n > 0)
		pool = &c->first[1];
	else if (!(c->preserve & P_SEX))
		pool = &c->firstall;
	else
		pool = &c->first[2];
	if (draw_like(p, pool, sur ? &c->surset : &c->firstsex, oa,
	    f->category, word, out, err) < 0)
		return -1;
	if (*out == NULL && pool == &c->first[2] &&
	    draw_like(p, &c->firstall, &c->firstsex, oa, f->category, word,
	    out, err) < 0)
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

/* "A", "B", … "Z", "AA", … for n = 1, 2, … */
static void
letters(long n, char *buf, size_t cap)
{
	char tmp[16];
	size_t k = 0, i = 0;

	while (n > 0 && k < sizeof(tmp)) {
		n--;
		tmp[k++] = (char)('A' + n % 26);
		n /= 26;
	}
	while (k > 0 && i + 1 < cap)
		buf[i++] = tmp[--k];
	buf[i] = '\0';
}

/* Whether an attribute's value v (vl bytes, v may be NULL) is s. */
static int
is_value(const char *v, size_t vl, const char *s)
{
	return v != NULL && vl == strlen(s) && strncmp(v, s, vl) == 0;
}

/*
 * A place abroad (lander.tsv, utlandsorter.tsv): 1 with *what and reg
 * filled for "[ort A i Irak]" (a city at the level land) or "[ort A i
 * Mellanöstern]" (at the level region), "[land A i Mellanöstern]" (a
 * country at the level region), "[region A i Spanien]" (a part of a
 * country); 2 when the place is itself what the level keeps ("Irak" at
 * the level land, "Mellanöstern" always: "[Irak]"); 0 when
 * the attributes say nothing of the kind.  The study's level decides
 * unless abroad: does: kommun and län keep the country, landsdel and
 * Sverige only the world region.
 */
static int
abroad(const struct catconf *cc, const char *attrs, const char **what,
    char *reg, size_t cap, size_t *rn)
{
	const char *land, *region, *type;
	size_t al = 0, gl = 0, tl = 0;
	int lv = AB_LAND;

	land = attr(attrs, "land", &al);
	region = attr(attrs, "region", &gl);
	type = attr(attrs, "type", &tl);
	if (cc != NULL && cc->abroad != AB_LEVEL)
		lv = cc->abroad;
	else if (cc != NULL && cc->level >= LV_LANDSDEL)
		lv = AB_REGION;
	*rn = 0;
	if (is_value(type, tl, "världsdel"))
		return 2;
	if (is_value(type, tl, "land")) {
		*what = "land";
		if (lv == AB_REGION && region != NULL && gl > 0) {
			append(reg, cap, rn, region, gl);
			return 1;
		}
		return 2;
	}
	if (land == NULL && region == NULL)
		return 0;
	*what = is_value(type, tl, "region") ? "region" : "ort";
	if ((lv == AB_REGION || land == NULL) && region != NULL && gl > 0)
		append(reg, cap, rn, region, gl);
	else if (land != NULL && al > 0)
		append(reg, cap, rn, land, al);
	else
		return 0;
	return 1;
}

/*
 * "[kommun i Gävleborgs län]" and the like; 0 and *out NULL when the
 * finding lacks what the level needs.  A finding without the attributes
 * (a study's own word) gets those of the place lists.  Unless the category
 * says distinct: no, each place gets a letter of its own within its
 * generalisation, "[kommun A i Dalarnas län]", "[kommun B i Dalarnas
 * län]", numbered in the key, so a move between two places of one län
 * stays a move; *distinct is then 1.
 */
static int
generalise(struct tyst_pseudo *p, const struct catconf *cc,
    const struct tyst_finding *f, const char *original, int *distinct,
    char **out, struct tyst_err *err)
{
	const struct tyst_pseudo_conf *c = p->conf;
	const char *stad, *kommun, *lan, *landsdel, *kind, *natur, *type;
	const char *what = "ort", *attrs = f->attrs;
	size_t sl = 0, kl = 0, ll = 0, dl = 0, tl = 0, nl = 0, yl = 0, n = 0;
	enum level lv = cc ? cc->level : LV_LAN;
	struct hent *h;
	char buf[512], reg[512], let[16];
	size_t rn = 0;
	long num;
	int r;

	*out = NULL;
	*distinct = 0;
	if ((attrs == NULL || (attr(attrs, "lan", &ll) == NULL &&
	    attr(attrs, "landsdel", &dl) == NULL)) &&
	    (h = ht_find(&c->places, original, strlen(original))) != NULL)
		attrs = h->str;
	stad = attr(attrs, "stad", &sl);
	kommun = attr(attrs, "kommun", &kl);
	lan = attr(attrs, "lan", &ll);
	landsdel = attr(attrs, "landsdel", &dl);
	kind = attr(attrs, "kind", &tl);
	natur = attr(attrs, "natur", &nl);
	type = attr(attrs, "type", &yl);
	if (lan == NULL && landsdel == NULL) {
		r = abroad(cc, attrs, &what, reg, sizeof(reg), &rn);
		if (r == 0)
			return 0;
		if (r == 2) {   /* "[Irak]", "[Mellanöstern]" */
			append(buf, sizeof(buf), &n, "[", 1);
			append(buf, sizeof(buf), &n, original,
			    strlen(original));
			append(buf, sizeof(buf), &n, "]", 1);
			if ((*out = strdup(buf)) == NULL)
				return tyst_err_set(err, "", 0, 0,
				    "out of memory");
			return 0;
		}
		append(buf, sizeof(buf), &n, "[", 1);
		append(buf, sizeof(buf), &n, what, strlen(what));
		goto letter;
	}
	if (natur != NULL && nl > 0 && nl < 64)
		what = NULL;    /* "[älv i Gävleborgs län]" */
	else if (type != NULL && ((yl == 6 && strncmp(type, "vatten", 6) ==
	    0) || (yl == 4 && strncmp(type, "berg", 4) == 0))) {
		natur = type;
		nl = yl;
		what = NULL;
	} else if (stad != NULL)
		what = "stadsdel";
	else if ((kind != NULL && tl == 6 && strncmp(kind, "kommun", 6) == 0) ||
	    (attrs == f->attrs && f->source != NULL &&
	    strstr(f->source, "kommun") != NULL))
		what = "kommun";
	if (lv == LV_SVERIGE)
		append(reg, sizeof(reg), &rn, "Sverige", 7);
	else if (lv == LV_STAD && stad != NULL)
		append(reg, sizeof(reg), &rn, stad, sl);
	else if (lv == LV_STAD && kommun != NULL) {
		genitive_into(reg, sizeof(reg), &rn, kommun, kl);
		append(reg, sizeof(reg), &rn, " kommun", 7);
	} else if (lv <= LV_LAN && lan != NULL)
		append(reg, sizeof(reg), &rn, lan, ll);
	else if (landsdel != NULL)
		append(reg, sizeof(reg), &rn, landsdel, dl);
	else
		return 0;
	append(buf, sizeof(buf), &n, "[", 1);
	if (what != NULL)
		append(buf, sizeof(buf), &n, what, strlen(what));
	else
		append(buf, sizeof(buf), &n, natur, nl);
letter:
	if (cc == NULL || !cc->same) {
		char label[600];

		/* The counter of "kommun i Dalarnas län" gives the letter. */
		snprintf(label, sizeof(label), "%.*s i %s", (int)(n - 1),
		    buf + 1, reg);
		do {
			char cand[600];

			if (tyst_key_next_number(p->key, label, &num, err) < 0)
				return -1;
			letters(num, let, sizeof(let));
			snprintf(cand, sizeof(cand), "%.*s %s i %s]", (int)n,
			    buf, let, reg);
			if ((num = usable(p, cand, original, err)) < 0)
				return -1;
		} while (num == 0);
		append(buf, sizeof(buf), &n, " ", 1);
		append(buf, sizeof(buf), &n, let, strlen(let));
		*distinct = 1;
	}
	append(buf, sizeof(buf), &n, " i ", 3);
	append(buf, sizeof(buf), &n, reg, rn);
	append(buf, sizeof(buf), &n, "]", 1);
	if ((*out = strdup(buf)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

/*
 * Fictitious place names (PLACE: { strategy: name }): a name built from
 * elements of Swedish place names, of the same kind as the original (a
 * town for a kommun, a village for a tätort, a district for a stadsdel, a
 * lake for a lake) and with endings typical of its landsdel ("-träsk",
 * "-liden" in Norrland, "-tuna", "-hyttan" in Svealand, "-arp", "-ryd" in
 * Götaland), so that "Mora" stays a small town in Svealand to the reader.
 * A name of the place lists (a real place) is never drawn, nor an original
 * of this run or the key; the choice is drawn like a person's name (key id
 * and original) and kept in the key.  A place abroad, or one the lists do
 * not know, is generalised instead ("[ort A i Irak]").
 */
enum pclass { PC_TOWN, PC_VILLAGE, PC_DISTRICT, PC_NATURE };

static const char *const pn_first[3][16] = {
	{ "Björk", "Gran", "Tall", "Myr", "Ren", "Fjäll", "Älv", "Lill",
	    "Stor", "Nor", "Kall", "Svart", "Bäck", "Mo", "Hed", "Tjärn" },
	{ "Ek", "Lind", "Ask", "Hassel", "Sten", "Sand", "Berg", "Dal", "Ny",
	    "Öster", "Väster", "Hög", "Kvarn", "Malm", "Kol", "Bro" },
	{ "Ek", "Bok", "Al", "Hassel", "Lind", "Sand", "Sten", "Mo", "Kärr",
	    "Ljung", "Ry", "Tor", "Öster", "Väster", "Ny", "Hed" },
};
static const char *const pn_village[3][8] = {
	{ "träsk", "liden", "byn", "forsen", "selet", "åsen", "vallen",
	    "heden" },
	{ "by", "sta", "tuna", "berga", "hyttan", "bo", "inge", "näs" },
	{ "arp", "torp", "ryd", "red", "hult", "löv", "tofta", "inge" },
};
static const char *const pn_town[3][6] = {
	{ "vik", "sund", "å", "forsen", "hamn", "sele" },
	{ "köping", "tuna", "sta", "hamn", "vik", "holm" },
	{ "köping", "stad", "hamn", "by", "sund", "holm" },
};
static const char *const pn_district_first[12] = { "Ek", "Björk", "Lind",
    "Tall", "Rönn", "Sol", "Äng", "Hassel", "Lärk", "Gran", "Sjö", "Vide" };
static const char *const pn_district[8] = { "gården", "höjden", "dalen",
    "backen", "parken", "hagen", "lunden", "ängen" };
static const char *const pn_nature_first[12] = { "Lång", "Stor", "Lill",
    "Svart", "Vit", "Djup", "Kall", "Björk", "Gran", "Sand", "Sten",
    "Ren" };

/* The landsdel of a place: 0 Norrland, 1 Svealand, 2 Götaland, -1 none. */
static int
landsdel_of(const char *attrs)
{
	static const char *const norr[] = { "Gävleborgs län",
	    "Västernorrlands län", "Jämtlands län", "Västerbottens län",
	    "Norrbottens län" };
	static const char *const svea[] = { "Stockholms län", "Uppsala län",
	    "Södermanlands län", "Värmlands län", "Örebro län",
	    "Västmanlands län", "Dalarnas län" };
	const char *v;
	size_t vl;

	if ((v = attr(attrs, "landsdel", &vl)) != NULL) {
		if (is_value(v, vl, "Norrland"))
			return 0;
		if (is_value(v, vl, "Svealand"))
			return 1;
		if (is_value(v, vl, "Götaland"))
			return 2;
	}
	if ((v = attr(attrs, "lan", &vl)) == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(norr) / sizeof(norr[0]); i++)
		if (is_value(v, vl, norr[i]))
			return 0;
	for (size_t i = 0; i < sizeof(svea) / sizeof(svea[0]); i++)
		if (is_value(v, vl, svea[i]))
			return 1;
	return 2;
}

/* The ending of a natural feature of kind natur ("sjö" -> "sjön"). */
static const char *
nature_ending(const char *natur, size_t nl)
{
	static const struct {
		const char *natur, *end;
	} e[] = {
		{ "sjö", "sjön" }, { "vatten", "sjön" }, { "älv", "älven" },
		{ "å", "ån" }, { "hav", "fjärden" }, { "fjärd", "fjärden" },
		{ "berg", "berget" }, { "fjäll", "fjället" }, { "ö", "ön" },
	};

	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		if (is_value(natur, nl, e[i].natur))
			return e[i].end;
	return NULL;
}

static int
pool_join(struct pool *pool, const struct htab *places, const char *a,
    const char *b)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "%s%s", a, b);

	/* "Ek" + "by" is Ekby, but a real place is never a pseudonym. */
	if (n <= 0 || (size_t)n >= sizeof(buf) ||
	    ht_find(places, buf, (size_t)n) != NULL)
		return 0;
	return pool_add(pool, buf, (size_t)n);
}

static int
place_name(struct tyst_pseudo *p, const struct catconf *cc,
    const struct tyst_finding *f, const char *original, int *distinct,
    char **out, struct tyst_err *err)
{
	const struct tyst_pseudo_conf *c = p->conf;
	const char *attrs = f->attrs, *kind, *natur, *type, *end = NULL;
	size_t kl = 0, nl = 0, tl = 0, ll;
	struct pool pool;
	struct hent *h;
	enum pclass pc = PC_VILLAGE;
	int ld, r = 0;

	*out = NULL;
	/* The lists' own line says which list the place is in (kind=). */
	if ((h = ht_find(&c->places, original, strlen(original))) != NULL)
		attrs = h->str;
	kind = attr(attrs, "kind", &kl);
	natur = attr(attrs, "natur", &nl);
	type = attr(attrs, "type", &tl);
	if (natur == NULL && is_value(type, tl, "vatten")) {
		natur = type;
		nl = tl;
	}
	ld = landsdel_of(attrs);
	if (natur != NULL && (end = nature_ending(natur, nl)) != NULL)
		pc = PC_NATURE;
	else if (attr(attrs, "stad", &ll) != NULL)
		pc = PC_DISTRICT;
	else if (is_value(kind, kl, "kommun"))
		pc = PC_TOWN;
	else if (type != NULL)
		ld = -1;        /* a landskap, län or region: no name */
	if (ld < 0 && pc != PC_DISTRICT && pc != PC_NATURE)
		return generalise(p, cc, f, original, distinct, out, err);
	if (ld < 0)
		ld = 1;
	memset(&pool, 0, sizeof(pool));
	for (size_t i = 0; i < 16 && r == 0; i++) {
		switch (pc) {
		case PC_TOWN:
			for (size_t j = 0; j < 6 && r == 0; j++)
				r = pool_join(&pool, &c->places,
				    pn_first[ld][i], pn_town[ld][j]);
			break;
		case PC_VILLAGE:
			for (size_t j = 0; j < 8 && r == 0; j++)
				r = pool_join(&pool, &c->places,
				    pn_first[ld][i], pn_village[ld][j]);
			break;
		case PC_DISTRICT:
			for (size_t j = 0; i < 12 && j < 8 && r == 0; j++)
				r = pool_join(&pool, &c->places,
				    pn_district_first[i], pn_district[j]);
			break;
		case PC_NATURE:
			if (i < 12)
				r = pool_join(&pool, &c->places,
				    pn_nature_first[i], end);
			if (i < 6 && r == 0)    /* "Tallsjön", by landsdel */
				r = pool_join(&pool, &c->places,
				    pn_first[ld][i], end);
			break;
		}
	}
	if (r < 0) {
		pool_free(&pool);
		return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	r = draw(p, &pool, f->category, original, out, err);
	pool_free(&pool);
	if (r < 0)
		return -1;
	if (*out == NULL)       /* every name of the kind taken */
		return generalise(p, cc, f, original, distinct, out, err);
	*distinct = 1;
	return 0;
}

static const char *const month_names[12] = { "januari", "februari",
    "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december" };

/*
 * The month (1-12) and year of a date as the DATE patterns find them:
 * "3 oktober 2017", "3:e okt. 2017", "3 mars -85", "2017-10-03",
 * "2017/10/03", "03.10.2017", "3/10 2017", "3/10-17".  0 when it is none
 * of these.  A two-digit year is 19xx above 30, else 20xx.
 */
static int
date_parts(const char *s, int *month, int *year)
{
	long num[3];
	int nn = 0, m = 0;

	for (const char *q = s; *q;) {
		if (*q >= '0' && *q <= '9') {
			char *end;
			long v = strtol(q, &end, 10);

			if (nn < 3)
				num[nn++] = v;
			q = end;
			continue;
		}
		if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')) {
			char w[4];
			size_t k = 0;

			while (k < 3 && q[k] != '\0')
				w[k] = (char)(q[k] | 0x20), k++;
			w[k] = '\0';
			for (int i = 0; i < 12 && k == 3 && m == 0; i++)
				if (strncmp(month_names[i], w, 3) == 0)
					m = i + 1;
			while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' &&
			    *q <= 'Z') || *q == '.')
				q++;
			continue;
		}
		q++;
	}
	if (m != 0 && nn == 2) {                /* "3 oktober 2017" */
		*month = m;
		*year = (int)num[1];
	} else if (m == 0 && nn == 3 && num[0] > 31) { /* 2017-10-03 */
		*month = (int)num[1];
		*year = (int)num[0];
	} else if (m == 0 && nn == 3) {         /* 03.10.2017 */
		*month = (int)num[1];
		*year = (int)num[2];
	} else
		return 0;
	if (*year < 100)
		*year += *year > 30 ? 1900 : 2000;
	return *month >= 1 && *month <= 12 && *year >= 1800 && *year < 2200;
}

/* "[hösten 2017]", "[oktober 2017]", "[2017]": a date at the study's
 * level; 0 when the date cannot be read. */
static int
date_text(enum detail d, const char *original, char *buf, size_t cap)
{
	static const char *const season[12] = { "vintern", "vintern",
	    "våren", "våren", "våren", "sommaren", "sommaren", "sommaren",
	    "hösten", "hösten", "hösten", "vintern" };
	int m, y;

	if (!date_parts(original, &m, &y))
		return 0;
	if (d == DT_SEASON)
		snprintf(buf, cap, "[%s %d]", season[m - 1], y);
	else if (d == DT_MONTH)
		snprintf(buf, cap, "[%s %d]", month_names[m - 1], y);
	else
		snprintf(buf, cap, "[%d]", y);
	return 1;
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
	if (cc != NULL && cc->detail >= DT_SEASON &&
	    date_text(cc->detail, original, buf, sizeof(buf)))
		t = buf;
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

/* ---- persons -------------------------------------------------------------
 *
 * One person, one pseudonym.  Every spelling of a name that is a variant of
 * another form gets an entry of its own in the key (so --reverse writes it
 * back byte for byte) with the pseudonym of that form, its representative:
 * "mona" and "MONA" stand for "Mona", "Leija's" and "Leija’s" for "Leija"
 * (with the pseudonym's genitive), "Lasse" for "Lars" (nicknames.tsv), a
 * same-person: spelling for the first of its list.  The representative is
 * a function of the spelling alone, so the choice is the same in every run
 * and on every machine, whichever spelling comes first.  A double name
 * takes the pseudonyms of its parts: "Lars-Göran" -> "Jonas-Erik" when
 * "Lars" -> "Jonas", so "Lasse" and "Lars-Göran" stay recognisably one.
 */

static void capitalise(char *s);

/* No lower-case letter (ASCII or Latin-1) in s: "MONA", "K-G". */
static int
no_lower(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; *u; u++) {
		if (*u >= 'a' && *u <= 'z')
			return 0;
		if (u[0] == 0xc3 && u[1] >= 0xa0 && u[1] <= 0xbf && u[1] != 0xb7)
			return 0;
	}
	return 1;
}

/* A name written all in lower or all in upper case as it is usually
 * written: "lars-göran" -> "Lars-Göran"; anything else as it is. */
static void
usual_case(char *s, size_t cap)
{
	char f[1024];
	size_t n = fold(s, strlen(s), f, sizeof(f));

	if (n == 0 || n >= cap || (strcmp(f, s) != 0 && !no_lower(s)))
		return;
	capitalise(f);
	for (char *h = f; (h = strchr(h, '-')) != NULL; h++)
		capitalise(h + 1);
	memcpy(s, f, n + 1);
}

/* "K-G", "L-G": one letter a part, all capitals. */
static int
initials_form(const char *s)
{
	int parts = 0;

	for (const char *q = s; *q; q++) {
		if (*q == '-')
			continue;
		if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')) ||
		    (q[1] != '\0' && q[1] != '-'))
			return 0;
		parts++;
	}
	return parts >= 2;
}

/* Strips a genitive from w (in place); 1 when there was one. */
static int
strip_genitive(const struct tyst_pseudo *p, char *w)
{
	size_t n = strlen(w), fl;
	char f[1024];

	if (n > 4 && (w[n - 1] == 's' || w[n - 1] == 'S') &&
	    memcmp(w + n - 4, "\xe2\x80\x99", 3) == 0) {
		w[n - 4] = '\0';
		return 1;
	}
	if (n > 2 && (w[n - 1] == 's' || w[n - 1] == 'S') && w[n - 2] == '\'') {
		w[n - 2] = '\0';
		return 1;
	}
	if (n > 2 && w[n - 1] == '\'' && strchr("sxzSXZ", w[n - 2]) != NULL) {
		w[n - 1] = '\0';
		return 1;
	}
	if (n > 4 && memcmp(w + n - 3, "\xe2\x80\x99", 3) == 0 &&
	    strchr("sxzSXZ", w[n - 4]) != NULL) {
		w[n - 3] = '\0';
		return 1;
	}
	/* "Leijas": a genitive when "Leija" is a name of this run and
	 * "Leijas" no name of the lists (not "Jonas" beside "Jona"). */
	if (n < 4 || (w[n - 1] != 's' && w[n - 1] != 'S') ||
	    ht_find(&p->conf->firstsex, w, n) != NULL ||
	    ht_find(&p->conf->surset, w, n) != NULL ||
	    (fl = fold(w, n - 1, f, sizeof(f))) == 0 ||
	    ht_find(&p->notedfold, f, fl) == NULL)
		return 0;
	w[n - 1] = '\0';
	return 1;
}

/*
 * The representative of the spelling w (see above) into rep; *gen 1 when w
 * is its genitive, *initials 1 when w is the initials of a double name.
 * rep equals w, *gen 0, when w stands for itself.
 */
static void
person_rep(const struct tyst_pseudo *p, const char *w, char *rep,
    size_t cap, int *gen, int *initials)
{
	const struct tyst_pseudo_conf *c = p->conf;
	char stem[1024], f[1024];
	size_t fl;
	struct hent *h;

	*gen = *initials = 0;
	snprintf(rep, cap, "%s", w);
	if (strlen(w) >= sizeof(stem))
		return;
	strcpy(stem, w);
	*gen = strip_genitive(p, stem);
	fl = fold(stem, strlen(stem), f, sizeof(f));
	if (fl > 0 && (h = ht_find(&c->same, f, fl)) != NULL)
		snprintf(rep, cap, "%s", h->str);
	else if (fl > 0 && (h = ht_find(&c->nick, f, fl)) != NULL) {
		snprintf(rep, cap, "%s", h->str);
		*initials = initials_form(stem) && strchr(h->str, '-') != NULL;
	} else
		snprintf(rep, cap, "%s", stem);
	usual_case(rep, cap);
}

/* The pseudonym a variant gets from its representative's. */
static char *
variant_pseudonym(const char *rps, int gen, int initials)
{
	size_t n = strlen(rps);
	char *r = malloc(n + 4);
	size_t k = 0;

	if (r == NULL)
		return NULL;
	if (initials && strchr(rps, '-') != NULL && rps[0] != '[') {
		/* "J-E" for "Jonas-Erik": the first letter of each part. */
		for (size_t i = 0; i < n; i++) {
			if (i > 0 && rps[i - 1] != '-')
				continue;
			if (k > 0)
				r[k++] = '-';
			r[k++] = rps[i];
			while (((unsigned char)rps[i + 1] & 0xc0) == 0x80)
				r[k++] = rps[++i];
		}
		r[k] = '\0';
		return r;
	}
	memcpy(r, rps, n + 1);
	if (gen && n > 0) {
		unsigned char last = (unsigned char)rps[n - 1];

		if (last == ']' || (last >= '0' && last <= '9'))
			memcpy(r + n, ":s", 3);
		else if (strchr("sxzSXZ", last) == NULL)
			memcpy(r + n, "s", 2);
	}
	return r;
}

/* The parts of a double name whose parts are all first names or all
 * surnames of the lists ("Lars-Göran", "Ek-Lind"); 0 for anything else
 * ("Al-Hassan" stays one word unless both halves are listed). */
static int
double_parts(const struct tyst_pseudo *p, const char *w, char part[][128],
    int max)
{
	int n = 0, first = 1, sur = 1;

	if (strchr(w, '-') == NULL || initials_form(w))
		return 0;
	for (const char *q = w; n <= max;) {
		size_t l = strcspn(q, "-");

		if (l < 2 || l >= 128 || n == max)
			return 0;
		memcpy(part[n], q, l);
		part[n][l] = '\0';
		usual_case(part[n], 128);
		first &= ht_find(&p->conf->firstsex, part[n], strlen(part[n]))
		    != NULL;
		sur &= ht_find(&p->conf->surset, part[n], strlen(part[n])) !=
		    NULL;
		n++;
		if (q[l] == '\0')
			break;
		q += l + 1;
	}
	return (first || sur) && n >= 2 ? n : 0;
}

static int resolve_as(struct tyst_pseudo *p, const struct tyst_finding *f,
    enum tyst_strategy st, const char *original, int first_word,
    int only_word, int canon, int64_t *id, const char **pseudo,
    struct tyst_err *err);

/*
 * A new pseudonym for a spelling that is another's variant, or for a
 * double name: 1 and *ps set, or 0 when original is neither.
 */
static int
person_pseudonym(struct tyst_pseudo *p, const struct tyst_finding *f,
    enum tyst_strategy st, const char *original, int first_word,
    int only_word, int canon, char **ps, int *distinct,
    struct tyst_err *err)
{
	char rep[1024], part[4][128], joined[1024];
	const char *rps;
	int64_t rid;
	int gen, ini, n, r;
	size_t jl = 0;

	if (!canon)
		person_rep(p, original, rep, sizeof(rep), &gen, &ini);
	if (!canon && (gen || strcmp(rep, original) != 0)) {
		if (resolve_as(p, f, st, rep, first_word, only_word, 1, &rid,
		    &rps, err) < 0)
			return -1;
		if ((*ps = variant_pseudonym(rps, gen, ini)) == NULL)
			return tyst_err_set(err, "", 0, 0, "out of memory");
		*distinct = 0;
		return 1;
	}
	if (st != TYST_S_NAME ||
	    (n = double_parts(p, original, part, 4)) == 0)
		return 0;
	for (int i = 0; i < n; i++) {
		size_t l;

		if (resolve_as(p, f, st, part[i], first_word, only_word, 0,
		    &rid, &rps, err) < 0)
			return -1;
		l = strlen(rps);
		if (jl + l + 2 > sizeof(joined) || rps[0] == '[')
			return 0;       /* a placeholder: no double name */
		if (i > 0)
			joined[jl++] = '-';
		memcpy(joined + jl, rps, l + 1);
		jl += l;
	}
	if ((r = usable(p, joined, original, err)) <= 0)
		return r;
	if ((*ps = strdup(joined)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	*distinct = 1;
	return 1;
}

/* The pseudonym names: chose for original, or NULL. */
static const char *
chosen_for(const struct tyst_pseudo_conf *c, const char *original)
{
	char f[1024];
	size_t fl = fold(original, strlen(original), f, sizeof(f));
	struct hent *h;

	if (fl == 0 || (h = ht_find(&c->names, f, fl)) == NULL)
		return NULL;
	return h->str;
}

/* A pseudonym from names:, checked: no name of this corpus, and what the
 * key gave this original from names: before. */
static int
chosen_pseudonym(struct tyst_pseudo *p, const struct tyst_finding *f,
    const char *original, const char *chosen, char **ps,
    struct tyst_err *err)
{
	char fb[1024];
	size_t fl = fold(chosen, strlen(chosen), fb, sizeof(fb));
	int r = 0;

	if ((fl > 0 && ht_find(&p->notedfold, fb, fl) != NULL) ||
	    (r = tyst_key_is_original(p->key, chosen, err)) == 1)
		return tyst_err_set(err, p->docname, f->line, f->col,
		    "names: the pseudonym '%s' chosen for '%s' is a real "
		    "name in this corpus; choose another", chosen, original);
	if (r < 0)
		return -1;
	if ((*ps = strdup(chosen)) == NULL)
		return tyst_err_set(err, "", 0, 0, "out of memory");
	return 0;
}

/*
 * The key entry for original (one word of a name, or a whole finding):
 * from the cache, from the key, or new.  canon: original is already a
 * representative (see persons).
 */
static int
resolve_as(struct tyst_pseudo *p, const struct tyst_finding *f,
    enum tyst_strategy st, const char *original, int first_word,
    int only_word, int canon, int64_t *id, const char **pseudo,
    struct tyst_err *err)
{
	const struct catconf *cc = cat_find(p->conf, f->category);
	const char *sname = strategy_names[st];
	const char *chosen = NULL;
	struct tyst_key_entry e;
	char ck[1024];
	char *ps = NULL;
	struct hent *h;
	int distinct = 1, r;
	int ckn;

	/* The study's own choice wins over every strategy; kept in the key
	 * apart ("names"), so a changed choice is noticed. */
	if (p->conf->names.n > 0 &&
	    (chosen = chosen_for(p->conf, original)) != NULL)
		sname = "names";
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
	if (r == 1 && chosen != NULL && strcmp(e.pseudonym, chosen) != 0) {
		tyst_err_set(err, p->docname, f->line, f->col, "names: '%s' "
		    "has the pseudonym '%s' in this key, not '%s'; a changed "
		    "choice needs a new key", original, e.pseudonym, chosen);
		tyst_key_entry_clear(&e);
		return -1;
	}
	if (r == 1) {
		ps = e.pseudonym;
		e.pseudonym = NULL;
		*id = e.id;
		tyst_key_entry_clear(&e);
		goto cache;
	}
	if (chosen != NULL) {
		distinct = 0;   /* variants may be listed with it */
		r = chosen_pseudonym(p, f, original, chosen, &ps, err);
		goto add;
	}
	if ((st == TYST_S_NAME || st == TYST_S_ROLE ||
	    st == TYST_S_PLACEHOLDER) && person_category(p, f->category)) {
		if ((r = person_pseudonym(p, f, st, original, first_word,
		    only_word, canon, &ps, &distinct, err)) < 0)
			return -1;
		if (r == 1)
			goto add;
	}
	if (p->forced != NULL) {
		distinct = 0;
		r = (ps = strdup(p->forced)) == NULL ? tyst_err_set(err, "", 0,
		    0, "out of memory") : 0;
		goto add;
	}
	if ((st == TYST_S_GENERALISE || (st == TYST_S_NAME &&
	    strcmp(f->category, "PLACE") == 0)) && !canon &&
	    strlen(original) < 512) {
		char rep[512];
		const char *rps;
		int64_t rid;

		/* "mora" and "MORA" are the place "Mora", not another. */
		strcpy(rep, original);
		usual_case(rep, sizeof(rep));
		if (strcmp(rep, original) != 0) {
			if (resolve_as(p, f, st, rep, first_word, only_word, 1,
			    &rid, &rps, err) < 0)
				return -1;
			distinct = 0;
			r = (ps = strdup(rps)) == NULL ? tyst_err_set(err, "",
			    0, 0, "out of memory") : 0;
			goto add;
		}
	}
	switch (st) {
	case TYST_S_NAME:
		if (strcmp(f->category, "PLACE") == 0) {
			distinct = 1;
			r = place_name(p, cc, f, original, &distinct, &ps,
			    err);
			if (r == 0 && ps == NULL) {
				distinct = 1;
				r = numbered(p, cat_label(cc, f->category), 1,
				    original, &ps, err);
			}
			break;
		}
		r = choose_name(p, cc, f, original, first_word, only_word, &ps,
		    err);
		break;
	case TYST_S_ROLE:
		r = choose_role(p, cc, f, original, &distinct, &ps, err);
		break;
	case TYST_S_GENERALISE:
		r = generalise(p, cc, f, original, &distinct, &ps, err);
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
		r = numbered(p, p->kind ? p->kind : cat_label(cc, f->category),
		    1, original, &ps, err);
		break;
	}
add:
	if (r < 0)
		return -1;
	if (tyst_key_add(p->key, f->category, sname, original, ps, distinct,
	    p->docname, id, err) < 0) {
		free(ps);
		return -1;
	}
cache:
	if ((h = ht_put(&p->cache, ck, (size_t)ckn)) == NULL) {
		free(ps);
		return tyst_err_set(err, "", 0, 0, "out of memory");
	}
	h->val = *id;
	h->str = ps;
	*pseudo = ps;
	return 0;
}

static int
resolve(struct tyst_pseudo *p, const struct tyst_finding *f,
    enum tyst_strategy st, const char *original, int first_word,
    int only_word, int64_t *id, const char **pseudo, struct tyst_err *err)
{
	return resolve_as(p, f, st, original, first_word, only_word, 0, id,
	    pseudo, err);
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
	p->in_pos = p->out_pos = p->span_end = 0;
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
	p->span_end = p->out_pos;
	return tyst_key_span_add(p->key, p->doc, start, p->out_pos, id, tail,
	    tail_len, err);
}

/*
 * An organisation's kind from the word written before it: "förskolan
 * Solrosen" is a preschool.  The word is taken into the replacement
 * ("[förskola 1]", not "förskolan [förskola 1]") and into the original
 * the key gives back.
 */
static const struct {
	const char *word, *kind;
} org_words[] = {
	{ "förskolan ", "förskola" }, { "förskola ", "förskola" },
	{ "fritids ", "fritids" }, { "fritidsgården ", "fritidsgård" },
	{ "skolan ", "skola" }, { "gymnasiet ", "skola" },
	{ "vårdcentralen ", "vårdenhet" }, { "vårdcentral ", "vårdenhet" },
	{ "mottagningen ", "vårdenhet" }, { "kliniken ", "vårdenhet" },
	{ "avdelning ", "vårdenhet" }, { "boendet ", "boende" },
	{ "äldreboendet ", "boende" }, { "föreningen ", "förening" },
	{ "klubben ", "förening" }, { "företaget ", "företag" },
	{ "firman ", "företag" }, { "kyrkan ", "församling" },
	{ "församlingen ", "församling" },
};

/* The length of the context word just written before an ORG finding (0
 * when there is none, or it is out of reach); *kind its kind. */
static size_t
org_context(const struct tyst_pseudo *p, const char **kind)
{
	const struct stage_buf *b = &p->sout[p->sfill];

	for (size_t i = 0; i < sizeof(org_words) / sizeof(org_words[0]); i++) {
		size_t wl = strlen(org_words[i].word);
		char f[64];

		/* Still in the buffer being filled, after the last span. */
		if (b->n < wl || p->out_pos - wl < p->span_end)
			continue;
		if (b->n > wl && !is_space((unsigned char)b->p[b->n - wl - 1]) &&
		    strchr("(\"'", b->p[b->n - wl - 1]) == NULL)
			continue;       /* "grundskolan", not "skolan" */
		if (fold(b->p + b->n - wl, wl, f, sizeof(f)) == wl &&
		    strcmp(f, org_words[i].word) == 0) {
			*kind = org_words[i].kind;
			return wl;
		}
	}
	return 0;
}

/*
 * The kind the organisation list gives an organisation ("Pysslingen
 * Förskolor  kind=förskola"), so that without a context word it is
 * "[förskola 1]" all the same; NULL when it gives none.
 */
static const char *
org_kind(const struct tyst_finding *f, char *buf, size_t cap)
{
	const char *k;
	size_t kl;

	if (f->attrs == NULL || (k = attr(f->attrs, "kind", &kl)) == NULL ||
	    kl == 0 || kl >= cap)
		return NULL;
	memcpy(buf, k, kl);
	buf[kl] = '\0';
	return buf;
}

/* The whole organisation, context word and all, as one replacement. */
static int
replace_org(struct tyst_pseudo *p, const struct tyst_finding *f,
    enum tyst_strategy st, size_t wl, const char *kind, int64_t *id,
    struct tyst_err *err)
{
	struct stage_buf *b = &p->sout[p->sfill];
	size_t blen = (size_t)(f->base_end - f->start);
	size_t len = (size_t)(f->end - f->start);
	char orig[600];
	const char *ps;
	uint64_t os;
	int cap, rc;

	if (wl + blen >= sizeof(orig))
		return tyst_err_set(err, p->docname, f->line, f->col,
		    "identifier too long (%zu bytes)", blen);
	memcpy(orig, b->p + b->n - wl, wl);
	memcpy(orig + wl, f->text, blen);
	orig[wl + blen] = '\0';
	cap = starts_upper(orig);
	b->n -= wl;
	p->out_pos -= wl;
	/* The organisation alone first, numbered by its kind, so that
	 * "Solrosen" without the word later is "[förskola 1]" too; then the
	 * whole, with its pseudonym. */
	p->kind = kind;
	rc = resolve(p, f, st, orig + wl, 1, 1, id, &ps, err);
	p->kind = NULL;
	if (rc < 0)
		return -1;
	p->forced = ps;
	rc = resolve(p, f, st, orig, 1, 1, id, &ps, err);
	p->forced = NULL;
	if (rc < 0)
		return -1;
	return put(p, f, *id, ps, orig, cap, f->text + blen, len - blen, &os,
	    err);
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
	int cap = p->sentence, whole = 0;
	size_t absorbed = 0;
	const char *kind = NULL;
	char word[512];

	if (f->end < f->start || f->base_end < f->start || f->base_end > f->end)
		return tyst_err_set(err, p->docname, f->line, f->col,
		    "bad finding offsets");
	if (blen == 0)
		return tyst_pseudo_copy(p, f->text, len, err);
	/* names: for the whole finding ("Björn Ek") counts whatever the
	 * category's strategy; for its words, the strategy name asks. */
	if (p->conf->names.n > 0 && blen < sizeof(word)) {
		memcpy(word, f->text, blen);
		word[blen] = '\0';
		if (chosen_for(p->conf, word) != NULL)
			whole = 1;
	}
	if (st == TYST_S_KEEP && !whole)
		return tyst_pseudo_copy(p, f->text, len, err);
	p->capturing = p->report != NULL;
	p->rlen = 0;
	p->note = NULL;
	if (st == TYST_S_NAME && !whole && strcmp(f->category, "PLACE") != 0) {
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
	} else if (st == TYST_S_PLACEHOLDER && !whole &&
	    strcmp(f->category, "ORG") == 0 &&
	    (absorbed = org_context(p, &kind)) > 0) {
		if (replace_org(p, f, st, absorbed, kind, &first_id, err) < 0)
			return -1;
		out0 -= absorbed;
	} else {
		const char *ps;
		char kbuf[64];
		int rc;

		if (blen >= sizeof(word))
			return tyst_err_set(err, p->docname, f->line, f->col,
			    "identifier too long (%zu bytes)", blen);
		memcpy(word, f->text, blen);
		word[blen] = '\0';
		if (st == TYST_S_PLACEHOLDER && !whole &&
		    strcmp(f->category, "ORG") == 0)
			p->kind = org_kind(f, kbuf, sizeof(kbuf));
		rc = resolve(p, f, st, word, 1, 1, &first_id, &ps, err);
		p->kind = NULL;
		if (rc < 0 ||
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
		rep.in_start = f->start - absorbed;
		rep.in_end = f->end;
		rep.out_start = out0;
		rep.out_end = p->out_pos;
		rep.entry = first_id;
		rep.text = p->rtext ? p->rtext : "";
		rep.text_len = p->rlen;
		rep.strategy = st;
		rep.note = p->note;
		p->report(&rep, p->rctx);
	}
	return 0;
}

uint64_t
tyst_pseudo_out_len(const struct tyst_pseudo *p)
{
	return p->out_pos;
}

int64_t
tyst_pseudo_doc(const struct tyst_pseudo *p)
{
	return p->doc;
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
