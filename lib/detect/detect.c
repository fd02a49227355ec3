/*
 * detect — the detection engine.  See include/tyst/detect.h.
 *
 * Each line goes through two passes.  The first finds structured
 * identifiers: personnummer through lib/detect/pnr.c, then the rule set's
 * patterns, each only on lines that pass its cheap prefilter.  The second
 * walks the words: a capitalised word is looked up (one hash lookup, with
 * multiword and genitive variants) in the merged index of every list; what
 * no list explains is judged by the Swedish rule that common nouns are
 * lower-case, with the lexicon deciding at the start of a sentence.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "tyst/detect.h"

#include <pcre2.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tyst/lexicon.h"
#include "tyst/numerals.h"
#include "tyst/pnr.h"
#include "tyst/rules.h"
#include "tyst/rxsum.h"
#include "tyst/text.h"

#define MAXKEY 512

/* A byte a flag, not bit-fields: the tokenizer writes each of some twenty
 * million tokens a second and words() reads them, and a bit-field costs a
 * read, a mask and a write where a byte costs a store. */
struct tok {
	size_t s, e;            /* bytes in the line */
	uint8_t upper;          /* starts with a capital */
	uint8_t caps;           /* two or more letters, all capitals */
	uint8_t digit;          /* holds a digit */
	uint8_t hyphen;         /* holds a hyphen */
	uint8_t start;          /* starts a sentence */
	uint8_t done;           /* taken by a finding or a speaker label */
	uint8_t letters;        /* letters, up to 255 */
};

struct fnd {
	size_t s, e, be;
	int cat;
	const char *source;
	enum tyst_confidence conf;
	const char *attrs;
	unsigned order;         /* rule order, for ties */
};

struct tyst_detector {
	const struct tyst_rules *r;
	pcre2_match_data *md;
	pcre2_match_context *mctx;      /* for offset limits (search()) */
	int indexed;                    /* index_line() done for this line */
	uint32_t *digit, *nbcount, *nbend, *bpos;
	size_t ndigits, capdigit, capnbcount, capnbend, nbpos, capbpos;
	int bbyte;                      /* the byte bpos holds, | 0x100 when
	                                 * only those before a non-blank, or
	                                 * -1 */
	int today;
	int start;              /* the next word starts a sentence */
	struct tok *toks;
	size_t ntoks, captoks;
	size_t *nums;           /* tokens spoken() looks at (tokenize()) */
	size_t nnums, capnums;
	struct fnd *fs;         /* structured findings of the line */
	size_t nfs, capfs;
	struct fnd *fw;         /* word findings of the line */
	size_t nfw, capfw;
	int cat_person, cat_place, cat_org, cat_address, cat_phone, cat_date;
	int cat_plate;
	char *lower;            /* the line lower-cased, for rxlit prefilters */
	size_t lowercap;
	unsigned char *sat;     /* per pattern: its literal is in the line */
	size_t *litlast;        /* per pattern with sat: where the last of its
	                         * literals in the line starts */
	int litpos;             /* litlast holds offsets into the line */
	unsigned char bclass[256];      /* BC_* of each byte, for index_line() */
	size_t linelen;         /* of the line being read */
	struct tyst_strtab memo;        /* word -> tyst_lexicon_common() + 1 */
	uint8_t seen_bits[8192];        /* a quick "maybe" before the table */
	uint8_t seen_common[8192];      /* seen_key() of the names seen that
	                                 * are common words in lower case */
	uint8_t any_bits[TYST_LOWER_KEYS][8192];
	                                /* rules' lower_bits | cue_bits | the
	                                 * keys of the names seen: a lower-case
	                                 * word with either bit clear needs no
	                                 * more look */
	struct tyst_strtab seen;        /* names found so far, lower-cased ->
	                                 * category + 1 */
	const struct tyst_strtab *classes;      /* word -> W_* bits */
	size_t cue_next;        /* the token after a name cue on this line,
	                         * or 0 */
	uint64_t line_mask;     /* bits seen_key() & 63 of the line's names */
	uint64_t line_mask1;    /* and bits tyst_rules_lower_key(.., 1) & 63 */
	size_t line_masked;     /* findings of the line folded into it */
};

/* What index_line() needs to know of a byte. */
enum {
	BC_SOLID = 1,           /* an ASCII character that is not blank */
	BC_MARK = 2,            /* a digit, or a byte some pattern needs */
	BC_DIGIT = 4,
	BC_WIDE = 8             /* starts or continues a multibyte character */
};

/* Closed-class words: at the start of a sentence these are never names,
 * whatever a name list says ("Vi", "Per", "Bo" are names too). */
static const char *const function_words[] = {
	"alla", "alltid", "alltså", "andra", "annars", "asså", "av", "bara",
	"bra", "både", "de", "dem", "den", "denna", "dessa", "det",
	"detta", "din", "dom", "du", "där", "därför", "då", "efter",
	"eftersom", "eh", "ej", "eller", "en", "ett", "fast", "flera", "fram",
	"från", "först", "för", "ha", "han", "har", "hej", "hela",
	"hennes", "hon", "hur", "här", "i", "ibland", "igen", "in", "inga",
	"ingen", "inget", "inte", "ja", "jag", "jo", "ju", "just", "kan",
	"kanske", "lite", "liksom", "man", "med", "medan", "men", "min",
	"mm", "mot", "mycket", "många", "nej", "nu", "några", "någon", "något",
	"när", "och", "ok", "okej", "om", "på", "redan", "sen", "sedan",
	"sin", "själv", "som", "så", "till", "tack", "typ", "ut", "utan",
	"var", "vad", "vem", "vi", "vid", "vilken", "vår", "åt", "än", "ändå",
	"även", NULL
};

/* Words after which an unknown name is more likely a place. */
static const char *const place_cues[] = {
	"i", "från", "till", "mot", "vid", "utanför", "nära", "genom", "kring",
	"runt", "ur", "bor", "bodde", "flyttade", "åkte", "norr", "söder",
	"öster", "väster", "norra", "södra", "östra", "västra", "mellersta",
	"centrala", NULL
};

/* ... and more likely an organisation (workplaces: "jobbar på Coop"). */
static const char *const org_cues[] = {
	"på", NULL
};

/* Endings of the names of schools, clinics and the like: "Tjärnaskolan",
 * "Bromangymnasiet" are workplaces, not people. */
static const char *const org_endings[] = {
	"skolan", "gymnasiet", "förskolan", "kliniken", "sjukhuset",
	"centralen", "kyrkan", "biblioteket", "hemmet", "gården", "bolaget",
	"föreningen", "förbundet", "verket", "institutet", "akademin",
	"högskolan", "universitetet", "teatern", "muséet", "museet", NULL
};

/* Endings of a common word's definite and plural forms ("Sökningarna",
 * "Familjen"), which names rarely have: capitalised inside a sentence
 * with no cue before, such a listed word is a headline's, not a name. */
static const char *const inflections[] = {
	"en", "et", "arna", "erna", "orna", "ande", "ende", NULL
};

/* Endings of street names: "Storgatan" alone is part of an address. */
static const char *const street_endings[] = {
	"gatan", "vägen", "stigen", "gränden", "torget", "allén", "backen",
	"slingan", "stråket", "esplanaden", "kajen", NULL
};

/* Words after a name that make it a firm's: "Bergqvists Bygg AB". */
static const char *const org_suffixes[] = {
	"AB", "HB", "KB", "Aktiebolag", "aktiebolag", NULL
};

static const char src_particle[] = "heuristic name-particle";

/* Lower-case words inside names: "Carl von Essen", "Rafael van der Vaart",
 * "Bashar al-Assad". */
static const char *const particles[] = {
	"af", "al", "bin", "da", "de", "del", "della", "der", "di", "dos", "du",
	"el", "ibn", "la", "le", "van", "von", "zu", NULL
};

/* Words before a place that belong to it ("södra Stockholm"). */
static const char *const directions[] = {
	"norra", "södra", "östra", "västra", "nordöstra", "nordvästra",
	"sydöstra", "sydvästra", "mellersta", "centrala", "inre", "yttre",
	NULL
};

/* Words that, following a place, belong to its name ("Stockholms län"). */
static const char *const place_suffixes[] = {
	"kommun", "kommuns", "län", "läns", "stad", "stads", "socken",
	"församling", NULL
};

/* Verbs and adverbs that follow a subject: "Sol fick jobba", "Hans sa",
 * "Tindra igen", "Björn också".  Before one, a listed name that is also a
 * word opens the sentence as the name. */
static const char *const subject_verbs[] = {
	"igen", "också", "själv", "bara", "ju", "nog", "kanske", "aldrig",
	"alltid", "ofta", "inte", "heller", "däremot", "dock", "sen", "sedan",
	"då", "är", "var", "blev", "blir", "har", "hade", "fick", "får", "sa",
	"sade", "säger", "kom", "kommer", "gick", "går", "tycker", "tyckte",
	"tror", "trodde", "vill", "ville", "ska", "skulle", "kan", "kunde",
	"måste", "brukar", "brukade", "jobbar", "jobbade", "bor", "bodde",
	"ringde", "ringer", "hette", "heter", "kallas", "kallades", "tog", "tar", "gjorde", "gör",
	"såg", "ser", "berättade", "berättar", "satt", "sitter", "stod",
	"står", "började", "börjar", "slutade", "hjälpte", "hjälper",
	"frågade", "frågar", "svarade", "svarar", "kände", "känner", "visste",
	"vet", "verkar", "verkade", "behöver", "behövde", "minns", "träffade",
	"flyttade", "åkte", "pratade", "pratar", "skrev", "skriver", "dog",
	"föddes", "lever", "levde", "hämtade", "körde", "sprang", "grät",
	"vann", "skrek", "drack", "sjöng", "försvann", "föll", "höll", "lät",
	"slog", "flög", "svor", "bjöd", NULL
};

/* Words after which the next word is a person's name: "en som hette X",
 * "ring X", "min kollega X", "doktor X". */
static const char *const name_cues[] = {
	"hette", "heter", "heta", "hetat", "kallas", "kallades", "kallad",
	"ring", "ringa", "ringde", "hälsa", "hälsade", "träffade", "kollega",
	"kollegan", "kompis", "kompisen", "väninna", "handläggare",
	"handläggaren", "chef", "chefen", "coach", "coachen", "sambo",
	"sambon", "bror", "brorsan", "syster", "systern", "kusin", "kusinen",
	"granne", "grannen", "pojkvän", "flickvän", "morbror", "farbror",
	"moster", "faster", "mormor", "farmor", "morfar", "farfar",
	"kontaktperson", "terapeut", "doktor", "doktorn", "kurator",
	"psykolog", "mentor", "handledare", "handledaren", "arbetsspecialist",
	"arbetsspecialisten", NULL
};

/* English words: a capitalised word before one is English, not a name
 * ("Train then place"). */
static const char *const english_words[] = {
	"the", "then", "and", "of", "to", "you", "is", "it", "that", "what",
	"this", "with", "for", "are", "was", "be", "not", "my", "your",
	NULL
};

/* Words before a brand that make it a thing, not a workplace: "en gammal
 * Volvo", "kör Toyota". */
static const char *const thing_cues[] = {
	"en", "ett", "gammal", "gammalt", "gamla", "ny", "nytt", "nya", "min",
	"mitt", "din", "ditt", "hans", "hennes", "vår", "vårt", "deras",
	"kör", "körde", "köpte", "köpt", "köpa", "sålde", "begagnad",
	"begagnat", NULL
};

/* Speaker labels in capitals that name a role, not a person's initials
 * ("IP:", "AS:" the arbetsspecialist, "SSK:" the nurse). */
static const char *const role_labels[] = {
	"IP", "IV", "INT", "INTV", "INF", "RES", "RESP", "MOD", "FG", "FL",
	"DEL", "AS", "MS", "SSK", "USK", "HL", "KP", "BO", "AG", "AF", "FK",
	"LED", "ARB", "PL", "KUR", "PSY", "TOLK", "OBS", "INTERV", "FP", NULL
};

enum {
	W_FUNCTION = 1, W_PLACE_CUE = 2, W_ORG_CUE = 4, W_PARTICLE = 8,
	W_DIRECTION = 16, W_PLACE_SUFFIX = 32, W_ORG_SUFFIX = 64,
	W_VERB = 128, W_NAME_CUE = 256, W_ENGLISH = 512, W_THING = 1024,
	W_ROLE = 2048
};

static const struct {
	const char *const *list;
	uint32_t bit;
} word_classes[] = {
	{ function_words, W_FUNCTION }, { place_cues, W_PLACE_CUE },
	{ org_cues, W_ORG_CUE }, { particles, W_PARTICLE },
	{ directions, W_DIRECTION }, { place_suffixes, W_PLACE_SUFFIX },
	{ org_suffixes, W_ORG_SUFFIX }, { subject_verbs, W_VERB },
	{ name_cues, W_NAME_CUE }, { english_words, W_ENGLISH },
	{ thing_cues, W_THING }, { role_labels, W_ROLE }
};

/* The small word lists above, as one hash table of class bits: they are
 * asked about nearly every word.  Made once per process, with the
 * tokenizer's word_inc, and shared by all detectors (read only after), as
 * a gate may make one per excerpt. */
static struct tyst_strtab classes;
static uint8_t cue_bits[TYST_LOWER_KEYS][8192];
	                                /* tyst_rules_lower_key() of the
                                         * name cues */
static uint8_t num_pair[8192];          /* b0 << 8 | b1 of the first two
                                         * bytes a number word may have */
static int tables_ok;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_word_inc(void);
static void build_num_pair(void);

static void
build_tables(void)
{
	build_word_inc();
	build_num_pair();
	for (const char *const *w = name_cues; *w != NULL; w++) {
		for (int j = 0; j < TYST_LOWER_KEYS; j++) {
			unsigned k = tyst_rules_lower_key(*w, strlen(*w), j);

			cue_bits[j][k >> 3] |= (uint8_t)(1u << (k & 7));
		}
	}
	tyst_strtab_init(&classes);
	for (size_t i = 0; i < sizeof(word_classes) / sizeof(word_classes[0]);
	    i++)
		for (const char *const *w = word_classes[i].list; *w != NULL;
		    w++) {
			uint32_t *v;

			if (tyst_strtab_put(&classes, *w, strlen(*w), 0, &v) <
			    0) {
				tyst_strtab_free(&classes);
				return;
			}
			*v |= word_classes[i].bit;
		}
	tables_ok = 1;
}

static int
in_class(const struct tyst_detector *d, uint32_t bit, const char *w,
    size_t len)
{
	const uint32_t *v = tyst_strtab_get(d->classes, w, len);

	return v != NULL && (*v & bit) != 0;
}

static void
init_any_bits(struct tyst_detector *d)
{
	for (int j = 0; j < TYST_LOWER_KEYS; j++)
		for (size_t i = 0; i < sizeof(d->any_bits[j]); i++)
			d->any_bits[j][i] = d->r->lower_bits[j][i] |
			    cue_bits[j][i];
}

struct tyst_detector *
tyst_detector_new(const struct tyst_rules *r)
{
	struct tyst_detector *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->r = r;
	d->md = pcre2_match_data_create(r->max_groups ? r->max_groups : 1,
	    NULL);
	if (d->md == NULL) {
		free(d);
		return NULL;
	}
	d->mctx = pcre2_match_context_create(NULL);    /* NULL: plain search */
	d->sat = calloc(r->npats + 1, 1);
	pthread_once(&tables_once, build_tables);
	d->litlast = calloc(r->npats + 1, sizeof(*d->litlast));
	if (d->sat == NULL || d->litlast == NULL || !tables_ok) {
		free(d->sat);
		free(d->litlast);
		pcre2_match_context_free(d->mctx);
		pcre2_match_data_free(d->md);
		free(d);
		return NULL;
	}
	d->classes = &classes;
	init_any_bits(d);
	for (int c = 0; c < 256; c++)
		d->bclass[c] = c >= 0x80 ? BC_WIDE :
		    c == ' ' || (c >= 9 && c <= 13) ? 0 : BC_SOLID;
	for (int c = '0'; c <= '9'; c++)
		d->bclass[c] |= BC_MARK | BC_DIGIT;
	for (size_t i = 0; i < r->npats; i++)
		if (r->pats[i].need == TYST_NEED_BYTE &&
		    r->pats[i].need_byte < 0x80)
			d->bclass[r->pats[i].need_byte] |= BC_MARK;
	d->today = tyst_pnr_today();
	d->start = 1;
	tyst_strtab_init(&d->seen);
	tyst_strtab_init(&d->memo);
	d->cat_person = tyst_rules_cat(r, "PERSON");
	d->cat_place = tyst_rules_cat(r, "PLACE");
	d->cat_org = tyst_rules_cat(r, "ORG");
	d->cat_address = tyst_rules_cat(r, "ADDRESS");
	d->cat_phone = tyst_rules_cat(r, "PHONE");
	d->cat_date = tyst_rules_cat(r, "DATE");
	d->cat_plate = tyst_rules_cat(r, "PLATE");
	return d;
}

void
tyst_detector_free(struct tyst_detector *d)
{
	if (d == NULL)
		return;
	pcre2_match_data_free(d->md);
	pcre2_match_context_free(d->mctx);
	free(d->lower);
	free(d->sat);
	free(d->litlast);
	tyst_strtab_free(&d->seen);
	tyst_strtab_free(&d->memo);
	free(d->digit);
	free(d->bpos);
	free(d->nbcount);
	free(d->nbend);
	free(d->toks);
	free(d->nums);
	free(d->fs);
	free(d->fw);
	free(d);
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *np;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	np = realloc(*p, nc * size);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

static struct fnd *
push(struct fnd **arr, size_t *n, size_t *cap)
{
	if (grow((void **)arr, cap, *n + 1, sizeof(**arr)) < 0)
		return NULL;
	memset(&(*arr)[*n], 0, sizeof(**arr));
	return &(*arr)[(*n)++];
}

/* ---- pass 1: structured identifiers --------------------------------------- */

/* The ASCII digits of the line, eight bytes at a time: a byte's top bit
 * is set in the mask when it lies between '0' and '9' (a byte-wise range
 * test that carries across no byte, for any byte value). */
static size_t
count_digits(const char *p, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, lo7 = ones * 0x7f,
	    hi = ones * 0x80;
	size_t n = 0, i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t x, y, m;

		memcpy(&x, p + i, 8);
		y = x & lo7;
		/* (y > '/') and (y < ':') per byte, then not a high byte. */
		m = ((y + ones * (0x7f - '/')) & (ones * (0x7f + ':') - y) &
		    ~x & hi);
		/* The top bits counted by one multiplication: without
		 * -mpopcnt, __builtin_popcountll() is a call. */
		n += (size_t)(((m >> 7) * ones) >> 56);
	}
	for (; i < len; i++)
		n += (unsigned char)(p[i] - '0') < 10;
	return n;
}

/* Whether the line holds at least n of byte c. */
static int
has_bytes(const char *p, size_t len, unsigned char c, long n)
{
	const char *q = p, *end = p + len;

	while (n > 0 && (q = memchr(q, c, (size_t)(end - q))) != NULL) {
		q++;
		n--;
	}
	return n <= 0;
}

/*
 * The line's digits and the ends of its non-blank characters, made once
 * per line for search(): digit[k] is the k-th digit's offset; nbcount[i]
 * the non-blank characters before offset i, set only where i is a digit or
 * a byte some pattern needs (search() asks nowhere else); nbend[k] the
 * offset after the k-th non-blank character.  Blanks are what \h and \v
 * match (rxsum.h).
 */
static int
index_line(struct tyst_detector *d, const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t *cnt, *end, *dig;
	size_t i = 0, k = 0, nd = 0;

	if (grow((void **)&d->nbcount, &d->capnbcount, len + 1,
	    sizeof(*d->nbcount)) < 0 ||
	    grow((void **)&d->nbend, &d->capnbend, len + 1,
	    sizeof(*d->nbend)) < 0 ||
	    grow((void **)&d->digit, &d->capdigit, len + 1,
	    sizeof(*d->digit)) < 0)
		return -1;
	cnt = d->nbcount;
	end = d->nbend;
	dig = d->digit;
	while (i < len) {
		unsigned char c = u[i], cl = d->bclass[c];
		uint32_t cp;
		size_t n;

		if (cl != BC_WIDE) {
			if (cl & BC_MARK) {
				cnt[i] = (uint32_t)k;
				if (cl & BC_DIGIT)
					dig[nd++] = (uint32_t)i;
			}
			end[k] = (uint32_t)++i;
			k += cl & BC_SOLID;
			continue;
		}
		n = tyst_utf8_decode(p + i, len - i, &cp);
		i += n;
		if (!tyst_cp_hv(cp))
			end[k++] = (uint32_t)i;
	}
	cnt[len] = (uint32_t)k;
	d->ndigits = nd;
	d->indexed = 1;
	return 0;
}

/* Whether the character at p + i is blank, or the line ends there. */
static int
blank_or_end(const char *p, size_t len, size_t i)
{
	unsigned char c;
	uint32_t cp;

	if (i >= len)
		return 1;
	c = (unsigned char)p[i];
	if (c < 0x80)
		return c == ' ' || (c >= 9 && c <= 13);
	tyst_utf8_decode(p + i, len - i, &cp);
	return tyst_cp_hv(cp);
}

/* The offsets of what pat needs in the line: its digits (index_line()),
 * or its byte's places (made once per line and byte), leaving out those
 * before a blank when no match holds such a one; *n set to their number.
 * NULL when out of memory. */
static const uint32_t *
needs_of(struct tyst_detector *d, const struct tyst_rule_pattern *pat,
    const char *p, size_t len, size_t *n)
{
	const char *q = p;

	if (pat->need == TYST_NEED_DIGIT) {
		*n = d->ndigits;
		return d->digit;
	}
	if (d->bbyte != (pat->need_byte | (pat->solid_after ? 0x100 : 0))) {
		if (grow((void **)&d->bpos, &d->capbpos, len + 1,
		    sizeof(*d->bpos)) < 0)
			return NULL;
		d->nbpos = 0;
		while ((q = memchr(q, pat->need_byte, len - (size_t)(q - p))) !=
		    NULL) {
			q++;
			if (!pat->solid_after ||
			    !blank_or_end(p, len, (size_t)(q - p)))
				d->bpos[d->nbpos++] = (uint32_t)(q - 1 - p);
		}
		d->bbyte = pat->need_byte | (pat->solid_after ? 0x100 : 0);
	}
	*n = d->nbpos;
	return d->bpos;
}

/* Where a match holding the byte at a can start at the earliest: reach
 * non-blank characters back (blanks cost nothing). */
static size_t
reach_back(const struct tyst_detector *d, size_t a, long reach)
{
	long k = (long)d->nbcount[a] - reach - 1;

	return k < 0 ? 0 : d->nbend[k];
}

/*
 * Whether need k of the line can be the first of a match: the match holds
 * pat->anchors needs within pat->mlen non-blank characters.  0 when it
 * cannot, -1 when no later one can either.
 */
static int
can_open(const struct tyst_detector *d, const struct tyst_rule_pattern *pat,
    const uint32_t *at, size_t n, size_t k)
{
	size_t j = k + (size_t)pat->anchors - 1;

	if (pat->anchors <= 1 || pat->mlen < 0)
		return 1;
	if (j >= n)
		return -1;
	return d->nbcount[at[j]] - d->nbcount[at[k]] <= (uint32_t)pat->mlen - 1;
}

/* The first need from k on that can open a match, or n. */
static size_t
next_open(const struct tyst_detector *d, const struct tyst_rule_pattern *pat,
    const uint32_t *at, size_t n, size_t k)
{
	for (; k < n; k++) {
		int c = can_open(d, pat, at, n, k);

		if (c < 0)
			return n;
		if (c > 0)
			break;
	}
	return k;
}

/* pcre2_match(), straight into the JIT code when there is some. */
static int
rx_match(const struct tyst_rule_pattern *pat, const char *p, size_t len,
    size_t at, pcre2_match_data *md, pcre2_match_context *mctx)
{
	if (pat->jit)
		return pcre2_jit_match(pat->code, (PCRE2_SPTR)p, len, at, 0, md,
		    mctx);
	return pcre2_match(pat->code, (PCRE2_SPTR)p, len, at,
	    PCRE2_NO_UTF_CHECK, md, mctx);
}

/*
 * pcre2_match() from at, for a pattern whose matches each hold a byte it
 * needs with at most pat->reach non-blank characters before it: the search
 * runs only over the stretches where such a match can start, [reach back
 * from a needed byte, that byte], with an offset limit at the stretch's
 * end, and only from needs that have enough others close after them for
 * a whole match.  A pattern with literals (rxsum.h) holds one in every
 * match, so no match starts after the last of them in the line.  No match
 * can start elsewhere, so the first one found is the one a search of the
 * whole line would find.
 */
static int
search(struct tyst_detector *d, const struct tyst_rule_pattern *pat,
    const char *p, size_t len, size_t at)
{
	const unsigned char *u = (const unsigned char *)p;
	const uint32_t *an = NULL;
	size_t n = 0, k = 0, last = len;

	if (pat->lits != NULL && d->litpos)
		last = d->litlast[pat - d->r->pats];
	if (pat->reach < 0 || d->mctx == NULL)
		return rx_match(pat, p, len, at, d->md, NULL);
	/* A byte's places first: too few, and the line need not be
	 * indexed. */
	if (pat->need == TYST_NEED_BYTE) {
		if ((an = needs_of(d, pat, p, len, &n)) == NULL)
			return rx_match(pat, p, len, at, d->md, NULL);
		if (n < (size_t)pat->anchors)
			return PCRE2_ERROR_NOMATCH;
	}
	if (!d->indexed && index_line(d, p, len) < 0)
		return rx_match(pat, p, len, at, d->md, NULL);
	if (pat->need != TYST_NEED_BYTE)
		an = needs_of(d, pat, p, len, &n);
	while (k < n && an[k] < at)
		k++;
	k = next_open(d, pat, an, n, k);
	while (k < n) {
		size_t lo = reach_back(d, an[k], pat->reach), hi = an[k];
		int rc;

		if (lo < at)
			lo = at;
		if (lo > last)
			break;          /* and so are those after */

		/* Stretches that touch are searched as one. */
		for (;;) {
			k = next_open(d, pat, an, n, k + 1);
			if (k >= n || reach_back(d, an[k], pat->reach) > hi + 1)
				break;
			hi = an[k];
		}
		if (hi > last)
			hi = last;
		/* PCRE2 would skip to a byte a match can start with: when the
		 * stretch holds none, the call is saved. */
		if (pat->has_first) {
			while (lo <= hi && lo < len && !(pat->first[u[lo] >> 3] &
			    (1u << (u[lo] & 7))))
				lo++;
			if (lo > hi || lo >= len)
				continue;
		}
		pcre2_set_offset_limit(d->mctx, hi);
		rc = rx_match(pat, p, len, lo, d->md, d->mctx);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
	}
	return PCRE2_ERROR_NOMATCH;
}

static int
run_pattern(struct tyst_detector *d, unsigned order,
    const struct tyst_rule_pattern *pat, const char *p, size_t len)
{
	size_t at = 0;

	while (at <= len) {
		int rc = search(d, pat, p, len, at);
		PCRE2_SIZE *ov;
		size_t s, e, me;
		struct fnd *f;

		if (rc < 0)
			return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
		ov = pcre2_get_ovector_pointer(d->md);
		me = ov[1];
		s = ov[2 * pat->group];
		e = ov[2 * pat->group + 1];
		if (me <= at) {
			/* An empty match: step over one character. */
			me = at + 1;
			while (me < len && ((unsigned char)p[me] & 0xc0) == 0x80)
				me++;
		}
		at = me;
		if (rc <= (int)pat->group || s == PCRE2_UNSET || e <= s)
			continue;
		f = push(&d->fs, &d->nfs, &d->capfs);
		if (f == NULL)
			return -1;
		f->s = s;
		f->e = f->be = e;
		f->cat = pat->cat;
		f->source = pat->label;
		f->conf = pat->conf;
		f->order = order;
	}
	return 0;
}

static int
cmp_fnd(const void *a, const void *b)
{
	const struct fnd *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->e != y->e)
		return x->e > y->e ? -1 : 1;    /* longer first */
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts and drops findings that overlap one kept before them. */
static void
settle(struct fnd *f, size_t *n)
{
	size_t k = 0;
	size_t end = 0;

	if (*n == 0)
		return;
	qsort(f, *n, sizeof(*f), cmp_fnd);
	for (size_t i = 0; i < *n; i++) {
		if (k > 0 && f[i].s < end)
			continue;
		f[k++] = f[i];
		end = f[i].e;
	}
	*n = k;
}

/* Marks the patterns whose literal is at u + i (compared folded). */
static void
lits_at(struct tyst_detector *d, const unsigned char *u, size_t n, size_t i,
    uint32_t h)
{
	const struct tyst_rules *r = d->r;
	int found = 0;

	h = TYST_LIT_BUCKET(h);
	for (uint32_t k = r->lit_first[h]; k < r->lit_first[h + 1]; k++) {
		const struct tyst_rule_lit *l = &r->lits[k];

		/* The same literal of several patterns is compared once. */
		if (!l->same) {
			size_t j = 0;

			found = 0;
			if (l->len > n - i)
				continue;
			while (j < l->len &&
			    tyst_lit_fold[u[i + j]] == (unsigned char)l->s[j])
				j++;
			found = j == l->len;
		}
		if (found) {
			d->sat[l->pat] = 1;
			d->litlast[l->pat] = i;
		}
	}
}

/* Whether the line holds a character of U+2100-U+213F. */
static int
has_letterlike(const char *p, size_t len)
{
	const char *q = p, *end = p + len;

	while ((q = memchr(q, 0xe2, (size_t)(end - q))) != NULL) {
		if (++q < end && (unsigned char)*q == 0x84)
			return 1;
	}
	return 0;
}

/*
 * Marks in d->sat the patterns whose literal prefilter the line passes, and
 * in d->litlast where the last of each one's literals starts: one pass over
 * the line, folded as it is read (rules.h), for all patterns together, a
 * bit test per position on the hash of its next three bytes.  A line with
 * Latin Extended-A letters, which the fold does not lower, is lower-cased
 * first (and its offsets are then not the line's).
 */
static void
literal_pass(struct tyst_detector *d, const char *p, size_t len)
{
	const struct tyst_rules *r = d->r;
	const unsigned char *u = (const unsigned char *)p;
	uint32_t tri = 0;
	size_t n = len;

	memset(d->sat, 0, r->npats);
	d->litpos = 0;
	if (memchr(p, 0xc4, len) != NULL || memchr(p, 0xc5, len) != NULL) {
		if (grow((void **)&d->lower, &d->lowercap, len + 16, 1) < 0 ||
		    (n = tyst_lower(p, len, d->lower, d->lowercap)) == 0) {
			memset(d->sat, 1, r->npats);    /* run them all */
			return;
		}
		u = (const unsigned char *)d->lower;
	} else
		/* Offsets in the line itself, unless it holds the Kelvin
		 * or Angstrom sign (U+212A, U+212B), which a caseless
		 * regex takes for k and å but the fold does not. */
		d->litpos = !has_letterlike(p, len);
	if (n < 3)
		return;
	tri = (uint32_t)tyst_lit_fold[u[0]] << 8 | tyst_lit_fold[u[1]];
	for (size_t i = 2; i < n; i++) {
		uint32_t h;

		tri = (tri << 8 | tyst_lit_fold[u[i]]) & 0xffffff;
		h = tyst_lit_hash(tri);
		if ((r->lit_bits[h >> 3] >> (h & 7)) & 1)
			lits_at(d, u, n, i - 2, h);
	}
}

/* A pass 1 finding [s, e) that no rule pattern made (rule order 0): a
 * personnummer, a number or date read aloud, a lower-case plate. */
static int
add_found(struct tyst_detector *d, size_t s, size_t e, int cat,
    const char *source, enum tyst_confidence conf)
{
	struct fnd *f = push(&d->fs, &d->nfs, &d->capfs);

	if (f == NULL)
		return -1;
	f->s = s;
	f->e = f->be = e;
	f->cat = cat;
	f->source = source;
	f->conf = conf;
	f->order = 0;
	return 0;
}

static int
push_pnr(struct tyst_detector *d, const struct tyst_pnr *pn)
{
	return add_found(d, pn->start, pn->end, d->r->pnr_cat,
	    d->r->pnr_label, TYST_CERTAIN);
}

static const char src_spoken_phone[] = "spoken phone";

/*
 * Where "plus" or "+" stands before byte s with only blanks between (the
 * country code said aloud: "plus fyrtiosex sju noll ..."), or s when
 * neither does.
 */
static size_t
plus_before(const char *p, size_t s)
{
	size_t i = s;

	while (i > 0 && (p[i - 1] == ' ' || p[i - 1] == '\t'))
		i--;
	if (i > 0 && p[i - 1] == '+')
		return i - 1;
	if (i < 4 || strncasecmp(p + i - 4, "plus", 4) != 0 || i == s)
		return s;
	if (i > 4 && ((unsigned char)p[i - 5] >= 0x80 ||
	    isalnum((unsigned char)p[i - 5])))
		return s;
	return i - 4;
}

/*
 * A telephone number read aloud in groups a.. of a run: whole words whose
 * digits are a mobile number (07X and seven more), a number with an area
 * code (0 and seven to nine more), 0046 and nine more, or after "plus" 46
 * and seven to nine more (nine for a mobile).  The end of the finding, or
 * 0; *start its start.
 */
static size_t
spoken_phone(const char *p, size_t len, const struct tyst_num_run *run,
    unsigned a, unsigned *next, size_t *start)
{
	const struct tyst_num_group *ga = &run->g[a];
	const char *dg = run->digits + ga->dstart;
	unsigned words = 0;
	int plus = 0;

	*start = ga->start;
	if (dg[0] == '4' && dg[1] == '6' && dg[2] != '0' &&
	    (*start = plus_before(p, ga->start)) < ga->start)
		plus = 1;
	if ((dg[0] != '0' && !plus) || (ga->start > 0 &&
	    ((unsigned char)p[ga->start - 1] >= 0x80 ||
	    isalnum((unsigned char)p[ga->start - 1]))))
		return 0;
	for (unsigned b = a; b < run->ngroups; b++) {
		const struct tyst_num_group *gb = &run->g[b];
		unsigned n = gb->dstart + gb->ndig - ga->dstart;
		int fits;

		words += gb->word;
		if (n > 13)
			break;
		if (plus)
			fits = dg[2] == '7' ? n == 11 : n >= 9 && n <= 11;
		else if (dg[1] == '0')
			fits = n == 13 && dg[2] == '4' && dg[3] == '6';
		else if (dg[1] == '7')
			fits = n == 10;
		else
			fits = n >= 8 && n <= 10;
		if (!fits || words == 0)
			continue;
		/* Longer still with the next group: take that. */
		if (b + 1 < run->ngroups && (plus ? dg[2] != '7' :
		    dg[1] != '7' && dg[1] != '0') &&
		    run->g[b + 1].dstart + run->g[b + 1].ndig - ga->dstart <=
		    (plus ? 11u : 10u))
			continue;
		if (gb->end < len && ((unsigned char)p[gb->end] >= 0x80 ||
		    isalnum((unsigned char)p[gb->end])))
			continue;
		*next = b + 1;
		return gb->end;
	}
	return 0;
}

static const char src_spoken_date[] = "spoken date";

static const char *const months[] = {
	"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december", NULL
};

static const char *const ordinals[] = {
	"första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde",
	"åttonde", "nionde", "tionde", "elfte", "tolfte", "trettonde",
	"fjortonde", "femtonde", "sextonde", "sjuttonde", "artonde",
	"nittonde", "tjugonde", "tjugoförsta", "tjugoandra", "tjugotredje",
	"tjugofjärde", "tjugofemte", "tjugosjätte", "tjugosjunde",
	"tjugoåttonde", "tjugonionde", "trettionde", "trettioförsta", NULL
};

/* Whether token t is one of words, case-blind. */
static int
tok_in(const char *p, const struct tok *t, const char *const *words)
{
	char buf[48];
	size_t n = t->e - t->s;

	if (n < 3 || n > 16 || t->digit ||
	    (n = tyst_lower(p + t->s, n, buf, sizeof(buf))) == 0)
		return 0;
	for (size_t i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == n && memcmp(words[i], buf, n) == 0)
			return 1;
	return 0;
}

/* Whether only blanks stand between bytes a and b. */
static int
blanks_between(const char *p, size_t a, size_t b)
{
	if (a >= b)
		return 0;
	for (; a < b; a++)
		if (p[a] != ' ' && p[a] != '\t')
			return 0;
	return 1;
}

/* Whether token t is a day of the month in digits: 1-31. */
static int
day_digits(const char *p, const struct tok *t)
{
	size_t n = t->e - t->s;
	int v;

	if (n < 1 || n > 2 || !isdigit((unsigned char)p[t->s]) ||
	    (n == 2 && !isdigit((unsigned char)p[t->s + 1])))
		return 0;
	/* By hand: the line is not NUL-terminated. */
	v = p[t->s] - '0';
	if (n == 2)
		v = v * 10 + (p[t->s + 1] - '0');
	return v >= 1 && v <= 31;
}

/*
 * A full date said aloud, with the year from token k on ending at yend:
 * "tredje mars tjugotjugotvå", "femte maj 2022", "12 mars nitton
 * åttiofem".  Reports it from the day's token; 0 when the tokens before k
 * are not a day and a month.
 */
static int
spoken_date(struct tyst_detector *d, const char *p, size_t k, size_t yend)
{
	const struct tok *day, *mon;

	if (k < 2 || d->cat_date < 0)
		return 0;
	day = &d->toks[k - 2];
	mon = &d->toks[k - 1];
	if (!blanks_between(p, mon->e, d->toks[k].s) ||
	    !blanks_between(p, day->e, mon->s) || !tok_in(p, mon, months) ||
	    !(tok_in(p, day, ordinals) || day_digits(p, day)))
		return 0;
	return add_found(d, day->s, yend, d->cat_date, src_spoken_date,
	    TYST_CERTAIN);
}

/* The end of a year said at the start of run (1800-2099 in its first one
 * or two groups, "nittonhundraåttiofem", "tjugo tjugotvå"), or 0. */
static size_t
run_year(const char *p, size_t len, const struct tyst_num_run *run)
{
	for (unsigned n = 1; n <= 2 && n <= run->ngroups; n++) {
		const struct tyst_num_group *g = &run->g[n - 1];
		int v;

		if (g->dstart + g->ndig != 4)
			continue;
		v = (run->digits[0] - '0') * 1000 + (run->digits[1] - '0') * 100 +
		    (run->digits[2] - '0') * 10 + (run->digits[3] - '0');
		if (v < 1800 || v > 2099)
			return 0;
		if (g->end < len && ((unsigned char)p[g->end] >= 0x80 ||
		    isalnum((unsigned char)p[g->end])))
			return 0;
		return g->end;
	}
	return 0;
}

/* Whether token t is a year in digits, 1800-2099. */
static int
year_digits(const char *p, const struct tok *t)
{
	int v = 0;

	if (t->e - t->s != 4 || (p[t->s] != '1' && p[t->s] != '2'))
		return 0;
	for (size_t i = t->s; i < t->e; i++) {
		if (!isdigit((unsigned char)p[i]))
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	return v >= 1800 && v <= 2099;
}

static const char src_lower_plate[] = "lower-case plate";

/* Letters of a plate: A-Z but I, Q, V (and Å, Ä, Ö). */
static int
plate_letter(unsigned char c)
{
	return c >= 'a' && c <= 'z' && c != 'i' && c != 'q' && c != 'v';
}

/* Words that stand before a number every day, for when the lexicon is
 * small or missing: "rad 100", "och 300", "typ 150", "kap 112". */
static const char plate_words[] =
    " och som med den det att han hon hen man men har kan ska var nej hej"
    " bra ner upp per kap nya tre fem sex sju ett all mer nog era dom oss"
    " dem hur tog gav sen ute fel ord dag tar bor hel kom fru far mor bar"
    " mat kul fan typ rad sms gps kpi kbt lss sou sfs esf dsm sek eur usd"
    " nok dkk box avd tel fax ref art osl hsl skr scb lou los ptk tco tur"
    " gym bok ung gud rum num sal mil ton kvm tkr mkr kkr del led tom jag"
    " dag ger mot hos mms usb mdr nytt ";

static const char *const plate_units[] = {
	"kr", "kronor", "procent", "personer", "st", "år", "dagar", "timmar",
	"km", "kg", "mil", "ton", "meter", "gånger", "minuter", "sekunder",
	"veckor", "månader", "elever", "barn", "sidor", "miljoner",
	"miljarder", "tkr", "mkr", "kvm", NULL
};

/*
 * A registration plate typed in lower case ("hjx 330", "bam 21k") at the
 * three-letter token t: not when the letters are a word the lexicon knows
 * ("rad 100", "och 300", "typ 150"), nor before a unit ("abc 100 kr").
 * Returns the end of the plate, or 0.
 */
static size_t
lower_plate(const struct tyst_detector *d, const char *p, size_t len,
    const struct tok *t)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = t->e, e, w;
	char key[6] = " xyz ";

	if (t->upper || t->digit || t->e - t->s != 3 ||
	    !plate_letter(u[t->s]) || !plate_letter(u[t->s + 1]) ||
	    !plate_letter(u[t->s + 2]))
		return 0;
	if (i + 1 < len && u[i] == 0xc2 && u[i + 1] == 0xa0)
		i += 2;
	else if (i < len && (u[i] == ' ' || u[i] == '-'))
		i++;
	if (i + 3 > len || u[i] < '0' || u[i] > '9' || u[i + 1] < '0' ||
	    u[i + 1] > '9')
		return 0;
	if (isdigit(u[i + 2]))
		e = i + 3;
	else if (plate_letter(u[i + 2]) && u[i + 2] != 'o')
		e = i + 3;
	else
		return 0;
	if (e < len && (isalnum(u[e]) || u[e] >= 0x80 || u[e] == '%'))
		return 0;
	if (e + 1 < len && strchr(":/.,-", u[e]) != NULL && isdigit(u[e + 1]))
		return 0;
	for (w = e; w < len && (u[w] == ' ' || u[w] == '\t'); w++)
		;
	if (w > e) {
		size_t we = w;
		char buf[32];
		size_t n;

		while (we < len && (isalnum(u[we]) || u[we] >= 0x80))
			we++;
		if (we > w && we - w < 12 &&
		    (n = tyst_lower(p + w, we - w, buf, sizeof(buf))) > 0)
			for (size_t k = 0; plate_units[k] != NULL; k++)
				if (strlen(plate_units[k]) == n &&
				    memcmp(plate_units[k], buf, n) == 0)
					return 0;
	}
	key[1] = p[t->s];
	key[2] = p[t->s + 1];
	key[3] = p[t->s + 2];
	if (strstr(plate_words, key) != NULL)
		return 0;
	if (tyst_lexicon_common(d->r->lex, p + t->s, 3))
		return 0;
	return e;
}

/* First bytes of number words (numerals.c opens no run on others). */
static const unsigned char num_first[256] = {
	['n'] = 1, ['t'] = 1, ['f'] = 1, ['s'] = 1, ['e'] = 1, ['a'] = 1,
	['h'] = 1, ['N'] = 1, ['T'] = 1, ['F'] = 1, ['S'] = 1, ['E'] = 1,
	['A'] = 1, ['H'] = 1, [0xc3] = 1,
};

static void
build_num_pair(void)
{
	for (unsigned b0 = 0; b0 < 256; b0++) {
		if (!num_first[b0])
			continue;
		for (unsigned b1 = 0; b1 < 256; b1++) {
			unsigned k = b0 << 8 | b1;

			if (tyst_num_may_pair((unsigned char)b0,
			    (unsigned char)b1))
				num_pair[k >> 3] |= (uint8_t)(1u << (k & 7));
		}
	}
}

/* Whether a word of at least two bytes at w may open a number word: a
 * bit of num_pair, before the call that reads the third byte too. */
static int
pair_may_open(const char *w)
{
	unsigned k = (unsigned)(unsigned char)w[0] << 8 | (unsigned char)w[1];

	return (num_pair[k >> 3] >> (k & 7)) & 1;
}

/*
 * Whether a run of number words may start at token k: a word that opens
 * like a number word, or digits before one ("85 noll tre tolv").
 */
static int
opens_run(const struct tyst_detector *d, const char *p, size_t len, size_t k)
{
	const struct tok *t = &d->toks[k];

	if (t->digit)
		return k + 1 < d->ntoks && !d->toks[k + 1].digit &&
		    tyst_num_may_open(p + d->toks[k + 1].s,
		    len - d->toks[k + 1].s);
	return tyst_num_may_open(p + t->s, len - t->s);
}

static int
push_plate(struct tyst_detector *d, const struct tok *t, size_t pe)
{
	return add_found(d, t->s, pe, d->cat_plate, src_lower_plate,
	    TYST_LIKELY);
}

/*
 * A lower-case plate whose digits are token k ("hjx 330"): its letters,
 * token k - 1, were not listed in nums unless they may open a number
 * word, when spoken() has looked at them in their own turn.
 */
static int
plate_before(struct tyst_detector *d, const char *p, size_t len, size_t k,
    size_t at)
{
	const struct tok *t;
	size_t pe;

	if (k == 0 || d->cat_plate < 0)
		return 0;
	t = &d->toks[k - 1];
	if (t->s < at || t->letters != 3 || t->digit || pair_may_open(p + t->s))
		return 0;
	if ((pe = lower_plate(d, p, len, t)) == 0)
		return 0;
	return push_plate(d, t, pe);
}

/*
 * Numbers read aloud: each run of number words (numerals.h) is looked at
 * for a personnummer and a telephone number.  Only the tokens tokenize()
 * listed in nums are looked at (digits, three letters before digits, a
 * word whose first two bytes may open a number word), and of those only
 * a word whose first three bytes may open a number word is read further,
 * so lines of ordinary talk cost next to nothing here.
 */
static int
spoken(struct tyst_detector *d, const char *p, size_t len)
{
	const struct tyst_rules *r = d->r;
	struct tyst_num_run run;
	size_t at = 0;

	for (size_t j = 0; j < d->nnums; j++) {
		unsigned g = 0;
		struct tyst_pnr pn;
		size_t ye, k = d->nums[j];

		const struct tok *t = &d->toks[k];

		if (t->s < at)
			continue;
		if (t->digit) {
			if (plate_before(d, p, len, k, at) < 0)
				return -1;
			if (year_digits(p, t) && spoken_date(d, p, k, t->e) < 0)
				return -1;
			if (!opens_run(d, p, len, k))
				continue;
		} else {
			size_t pe;

			if (t->letters == 3 && d->cat_plate >= 0 &&
			    (pe = lower_plate(d, p, len, t)) != 0) {
				if (push_plate(d, t, pe) < 0)
					return -1;
				continue;
			}
			if (t->letters < 3 || !pair_may_open(p + t->s))
				continue;
		}
		if (!tyst_num_at(p, len, t->s, &run))
			continue;
		if ((ye = run_year(p, len, &run)) != 0 &&
		    spoken_date(d, p, k, ye) < 0)
			return -1;

		/* "tjugotvå år", "fem barn": too few digits for either. */
		if (run.ndigits >= 8) {
			while (r->pnr_cat >= 0 &&
			    tyst_pnr_from_run(p, len, &run, &g, d->today, &pn))
				if (push_pnr(d, &pn) < 0)
					return -1;
			for (unsigned a = 0; d->cat_phone >= 0 && a < run.ngroups;
			    a++) {
				unsigned nx = a + 1;
				size_t ps;
				size_t e = spoken_phone(p, len, &run, a, &nx, &ps);

				if (e == 0)
					continue;
				if (add_found(d, ps, e, d->cat_phone,
				    src_spoken_phone, TYST_LIKELY) < 0)
					return -1;
				a = nx - 1;
			}
		}
		at = run.end;
	}
	return 0;
}

static int
structured(struct tyst_detector *d, const char *p, size_t len)
{
	const struct tyst_rules *r = d->r;
	size_t digits = count_digits(p, len);
	int lits_done = 0;

	d->nfs = 0;
	d->indexed = 0;
	d->bbyte = -1;
	if (r->pnr_cat >= 0) {
		struct tyst_pnr pn;
		size_t at = 0;

		/* Every written form holds ten digits. */
		while (digits >= 10 &&
		    tyst_pnr_find_written(p, len, at, d->today, &pn)) {
			if (push_pnr(d, &pn) < 0)
				return -1;
			at = pn.end;
		}
	}
	if ((r->pnr_cat >= 0 || d->cat_phone >= 0 || d->cat_date >= 0 ||
	    d->cat_plate >= 0) && spoken(d, p, len) < 0)
		return -1;
	for (size_t i = 0; i < r->npats; i++) {
		const struct tyst_rule_pattern *pat = &r->pats[i];

		/* Every match holds pat->anchors of what it needs (one when
		 * rxreach could not tell). */
		if (pat->need == TYST_NEED_DIGIT) {
			if (digits < (size_t)pat->anchors)
				continue;
		} else if (pat->need == TYST_NEED_BYTE &&
		    !has_bytes(p, len, pat->need_byte, pat->anchors))
			continue;
		if (pat->lits != NULL) {
			if (!lits_done) {
				literal_pass(d, p, len);
				lits_done = 1;
			}
			if (!d->sat[i])
				continue;
		}
		if (run_pattern(d, (unsigned)i + 1, pat, p, len) < 0)
			return -1;
	}
	settle(d->fs, &d->nfs);
	return 0;
}

/* ---- pass 2: words -------------------------------------------------------- */

static int
is_joiner(uint32_t cp)
{
	return cp == '-' || cp == '\'' || cp == 0x2019 || cp == 0x2010 ||
	    cp == 0x2011;
}

/* Punctuation after which the next word starts a sentence: full stops,
 * quotes, dashes and brackets that open reported speech or an aside. */
static int
is_stop(uint32_t cp)
{
	switch (cp) {
	case '.': case '!': case '?': case ':': case '"': case 0x2026:
	case '-': case '(': case ')': case ']':
	case 0x201d: case 0x201c: case 0x201e: case 0xab: case 0xbb:
	case 0x2013: case 0x2014:
		return 1;
	}
	return 0;
}

/*
 * The length of the coding markup at p[i] (see tyst-code(1)): a tag "{id}"
 * or "{/id}" with a code id ([a-z0-9][a-z0-9._-]*, lower-case as the
 * codebook has them), or the literal brace "{{"; 0 when there is none.  A
 * coder's marked-up copy is scanned as it stands, so the tags must be as
 * transparent as if they were not there: no word, no stop, no finding.
 */
static size_t
markup_at(const char *p, size_t len, size_t i)
{
	size_t j = i + 1, ids;

	if (i >= len || p[i] != '{')
		return 0;
	if (j < len && p[j] == '{')
		return 2;
	if (j < len && p[j] == '/')
		j++;
	ids = j;
	while (j < len && j - ids < 128 && ((p[j] >= 'a' && p[j] <= 'z') ||
	    (p[j] >= '0' && p[j] <= '9') ||
	    (j > ids && (p[j] == '-' || p[j] == '_' || p[j] == '.'))))
		j++;
	if (j == ids || j >= len || p[j] != '}')
		return 0;
	return j + 1 - i;
}

/* The length of the tag at p[i], seen from behind (0 when none): in "{{x}"
 * the "{x}" is text, in "{{{x}" a tag after a brace. */
static size_t
tag_at(const char *p, size_t len, size_t i)
{
	size_t n = 0, t = markup_at(p, len, i);

	if (t <= 2)
		return 0;
	while (n < i && p[i - n - 1] == '{')
		n++;
	return n % 2 == 0 ? t : 0;
}

/* Whether p[s, e) lies inside a tag: "{fas-2019-05-03}" holds no date. */
static int
in_tag(const char *p, size_t len, size_t s, size_t e)
{
	size_t b = s;

	while (b > 0 && p[b - 1] != '{' && s - b < 130)
		b--;
	return b > 0 && p[b - 1] == '{' && b - 1 + tag_at(p, len, b - 1) >= e;
}

/* The end of the tags (if any) that start at p[i]. */
static size_t
skip_markup(const char *p, size_t len, size_t i)
{
	size_t n;

	while ((n = markup_at(p, len, i)) > 0)
		i += n;
	return i;
}

/* The end of the blanks and tags that start at p[i]. */
static size_t
skip_blanks(const char *p, size_t len, size_t i)
{
	for (;;) {
		i = skip_markup(p, len, i);
		if (i >= len || (p[i] != ' ' && p[i] != '\t'))
			return i;
		i++;
	}
}

static size_t
next_cp(const char *p, size_t len, size_t i, uint32_t *cp)
{
	if ((unsigned char)p[i] < 0x80) {
		*cp = (unsigned char)p[i];
		return 1;
	}
	return tyst_utf8_decode(p + i, len - i, cp);
}

static inline int
word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp - '0') < 10 || ((cp | 0x20) - 'a') < 26;
	return tyst_cp_letter(cp);
}

static inline int
upper_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp - 'A') < 26;
	return tyst_cp_upper(cp);
}

/* ASCII's share of word_cp(), is_stop(), is_joiner() and upper_cp(), by
 * table: letters and digits are word bytes, . ! ? : " - ( ) ] end a
 * sentence, - and ' join. */
enum {
	A_WORD = 1, A_STOP = 2, A_JOIN = 4, A_UPPER = 8, A_LOWER = 16,
	A_DIGIT = 32
};

static const unsigned char ascii_class[128] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 2, 2, 0, 0, 0, 0, 4, 2, 2, 0, 0, 0, 6, 2, 0,
	33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 2, 0, 0, 0, 0, 2,
	0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 2, 0, 0,
	0, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17,
	17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 0, 0, 0, 0, 0,
};

/*
 * For the tokenizer's inner loop: per byte, what an ASCII letter or digit
 * adds to three counts kept in one word, capitals in bits 0-20, small
 * letters in 21-41, digits in 42-62; 0 for every other byte.  A run of
 * fewer than eight bytes is read with it (ascii_run()).
 */
#define INC_LOWER 21
#define INC_DIGIT 42
#define INC_FIELD ((1ULL << 21) - 1)
static uint64_t word_inc[256];

static void
build_word_inc(void)
{
	for (int c = 0; c < 128; c++) {
		unsigned char k = ascii_class[c];

		if (k & A_UPPER)
			word_inc[c] = 1;
		else if (k & A_LOWER)
			word_inc[c] = 1ULL << INC_LOWER;
		else if (k & A_DIGIT)
			word_inc[c] = 1ULL << INC_DIGIT;
	}
}

/* Counts of a run of ASCII letters and digits. */
struct run_counts {
	unsigned upper, lower, digit;
};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BYTES_01 0x0101010101010101ULL
#define BYTES_80 0x8080808080808080ULL

/* The top bit of each byte of x in [lo, hi], of bytes below 0x80: x + (0x80
 * - lo) carries into a byte's top bit when it is lo or more, x + (0x7f -
 * hi) when it is more than hi, and no byte carries into the next. */
static uint64_t
bytes_in(uint64_t x, uint64_t low7, unsigned lo, unsigned hi)
{
	return (low7 + BYTES_01 * (0x80 - lo)) &
	    ~(low7 + BYTES_01 * (0x7f - hi)) & ~x & BYTES_80;
}

/* The number of top bits set in m, a mask of top bits. */
static unsigned
tops(uint64_t m)
{
	return (unsigned)(((m >> 7) * BYTES_01) >> 56);
}
#endif

/*
 * Reads the run of ASCII letters and digits at u[i], adding to *c, and
 * returns where it ends.  Eight bytes at a time where eight are left, so
 * a word costs one test of its length instead of one a byte: the branch
 * that ended the byte loop was mispredicted about once a word, the
 * tokenizer's largest cost.
 */
static size_t
ascii_run(const unsigned char *u, size_t i, size_t len, struct run_counts *c)
{
	uint64_t acc = 0, v;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (len - i >= 8) {
		uint64_t x, low7, up, lo, dg, w, keep;
		unsigned n;

		memcpy(&x, u + i, 8);
		low7 = x & ~BYTES_80;
		up = bytes_in(x, low7, 'A', 'Z');
		lo = bytes_in(x, low7, 'a', 'z');
		dg = bytes_in(x, low7, '0', '9');
		w = up | lo | dg;
		if (w == BYTES_80) {
			c->upper += tops(up);
			c->lower += tops(lo);
			c->digit |= dg != 0;
			i += 8;
			continue;
		}
		/* The first byte that is none, in memory order. */
		n = (unsigned)__builtin_ctzll(~w & BYTES_80) >> 3;
		keep = (1ULL << (8 * n)) - 1;
		c->upper += tops(up & keep);
		c->lower += tops(lo & keep);
		c->digit |= (dg & keep) != 0;
		return i + n;
	}
#endif
	/* Fewer than eight bytes: one table add a byte (word_inc). */
	while (i < len && (v = word_inc[u[i]]) != 0) {
		acc += v;
		i++;
	}
	c->upper += (unsigned)(acc & INC_FIELD);
	c->lower += (unsigned)((acc >> INC_LOWER) & INC_FIELD);
	c->digit |= (acc >> INC_DIGIT) != 0;
	return i;
}

/*
 * Whether spoken() must look at the word p[s..e): digits, or three
 * letters or more that may open a number word.  Worked out with no branch
 * but the caller's, as tokenize() asks it of every word and the answer
 * is rarely yes.  A plate's three letters ("hjx 330") are not listed:
 * spoken() looks back from the digits after them (plate_before()).
 */
static int
may_be_number(const unsigned char *u, size_t s, size_t e, unsigned letters,
    unsigned digit)
{
	/* The second byte, or the first again for a word of one byte. */
	unsigned k = (unsigned)u[s] << 8 | u[s + (e - s > 1)];

	return (int)(digit | ((letters >= 3) & (num_pair[k >> 3] >> (k & 7))));
}

/* Notes the token tokenize() made last in nums. */
static int
list_number(struct tyst_detector *d)
{
	if (d->nnums == d->capnums && grow((void **)&d->nums, &d->capnums,
	    d->nnums + 1, sizeof(*d->nums)) < 0)
		return -1;
	d->nums[d->nnums++] = d->ntoks - 1;
	return 0;
}

static int
tokenize(struct tyst_detector *d, const char *p, size_t len, int start)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0;

	d->ntoks = 0;
	d->nnums = 0;
	while (i < len) {
		uint32_t cp;
		size_t k;
		struct tok *t;
		struct run_counts rc = { 0, 0, 0 };
		unsigned n;

		if (u[i] < 0x80) {
			unsigned char c = ascii_class[u[i]];

			if (!(c & A_WORD)) {
				/* A tag leaves the sentence where it was: the
				 * word after "{kod}" at a sentence's start
				 * opens it. */
				size_t m = u[i] == '{' ? skip_markup(p, len, i) :
				    i;

				if (m > i) {
					i = m;
					continue;
				}
				if (c & A_STOP)
					start = 1;
				i++;
				continue;
			}
			cp = u[i];
		} else {
			k = next_cp(p, len, i, &cp);
			if (!word_cp(cp)) {
				if (is_stop(cp))
					start = 1;
				i += k;
				continue;
			}
		}
		if (d->ntoks == d->captoks && grow((void **)&d->toks,
		    &d->captoks, d->ntoks + 1, sizeof(*d->toks)) < 0)
			return -1;
		t = &d->toks[d->ntoks++];
		memset(t, 0, sizeof(*t));
		t->s = i;
		t->start = start != 0;
		t->upper = cp < 0x80 ? (ascii_class[cp] & A_UPPER) != 0 :
		    upper_cp(cp) != 0;
		start = 0;
		for (;;) {
			i = ascii_run(u, i, len, &rc);
			if (i >= len)
				break;
			if (u[i] >= 0x80) {
				k = next_cp(p, len, i, &cp);
				if (word_cp(cp)) {
					if (upper_cp(cp))
						rc.upper++;
					else
						rc.lower++;
					i += k;
					continue;
				}
				if (!is_joiner(cp))
					break;
			} else {
				if (!(ascii_class[u[i]] & A_JOIN))
					break;
				k = 1;
			}
			/* A hyphen or apostrophe with a word character after
			 * it joins: "Karl-Erik", "O'Neil". */
			if (i + k < len) {
				uint32_t c2;

				next_cp(p, len, i + k, &c2);
				if (word_cp(c2)) {
					t->hyphen = 1;
					i += k;
					continue;
				}
			}
			break;
		}
		n = rc.upper + rc.lower > 255 ? 255 : rc.upper + rc.lower;
		t->e = i;
		t->digit = rc.digit;
		t->caps = rc.upper >= 2 && rc.lower == 0;
		t->letters = n;
		if (may_be_number(u, t->s, i, n, rc.digit) && list_number(d) < 0)
			return -1;
	}
	return start;
}

static int name_then_digits(struct tyst_detector *d, const char *p,
    struct tok *t);

enum verdict { V_NONE, V_SKIP, V_FIND };

struct choice {
	const struct tyst_rule_hit *hit;
	enum verdict v;
};

/*
 * Decides among the lists that hold a word: a keep decision wins, then a
 * study's own words, then the allowlist, then the gazetteers, where a cue
 * ("i", "från", a first name just before) may prefer one category.
 */
static struct choice
choose(const struct tyst_detector *d, const struct tyst_rule_hit *h,
    int want_cat)
{
	const struct tyst_rules *r = d->r;
	struct choice c = { NULL, V_NONE };
	const struct tyst_rule_hit *words = NULL, *gaz = NULL, *pref = NULL;
	int allow = 0;

	for (; h != NULL; h = tyst_rules_next(r, h)) {
		const struct tyst_rule_src *src = &r->srcs[h->src];

		switch (src->kind) {
		case TYST_SRC_KEEP:
			c.v = V_SKIP;
			return c;
		case TYST_SRC_ALLOW:
			allow = 1;
			break;
		case TYST_SRC_WORDS:
			if (words == NULL)
				words = h;
			break;
		case TYST_SRC_GAZETTEER:
			if (gaz == NULL)
				gaz = h;
			if (pref == NULL && src->cat == want_cat)
				pref = h;
			break;
		}
	}
	if (words != NULL) {
		c.hit = words;
		c.v = V_FIND;
	} else if (allow)
		c.v = V_SKIP;
	else if (gaz != NULL) {
		c.hit = pref != NULL ? pref : gaz;
		c.v = V_FIND;
	}
	return c;
}

/* The length of w without an apostrophe genitive ("Leija's", "Leija’s"),
 * so that the name is the same person in both spellings. */
static size_t
apostrophe_base(const char *w, size_t len)
{
	if (len > 3 && w[len - 1] == 's' && w[len - 2] == '\'')
		return len - 2;
	if (len > 5 && w[len - 1] == 's' &&
	    memcmp(w + len - 4, "\xe2\x80\x99", 3) == 0)
		return len - 4;
	return len;
}

/*
 * The category the words around token i suggest (context_cat()), worked
 * out when first asked for: most capitalised words are in no list, and a
 * common word opening a sentence is let go before its context matters.
 * A fixed category has p NULL.
 */
#define WANT_LATER (-2)

static int context_cat(const struct tyst_detector *d, const char *p,
    size_t i, int *surname);

struct want {
	const char *p;
	size_t i;
	int cat;                /* WANT_LATER until asked */
	int surname;
};

static int
want_cat(const struct tyst_detector *d, struct want *w)
{
	if (w->cat == WANT_LATER)
		w->cat = context_cat(d, w->p, w->i, &w->surname);
	return w->cat;
}

/* Looks key up, then as a genitive ("Eriks", "Hudiksvalls", "Leija's");
 * *base set to the length of the form found.  The wanted category is
 * asked for only when the lists hold one of the forms. */
static struct choice
lookup_want(const struct tyst_detector *d, const char *key, size_t len,
    struct want *want, size_t *base)
{
	const struct tyst_rule_hit *h = tyst_rules_lookup(d->r, key, len);
	struct choice c = { NULL, V_NONE };

	*base = len;
	if (h != NULL)
		c = choose(d, h, want_cat(d, want));
	if (c.v != V_NONE)
		return c;
	if (len > 2 && key[len - 1] == 's') {
		h = tyst_rules_lookup(d->r, key, len - 1);
		if (h != NULL) {
			c = choose(d, h, want_cat(d, want));
			if (c.v != V_NONE)
				*base = len - 1;
		}
	}
	if (c.v == V_NONE && apostrophe_base(key, len) < len) {
		size_t b = apostrophe_base(key, len);

		h = tyst_rules_lookup(d->r, key, b);
		if (h != NULL) {
			c = choose(d, h, want_cat(d, want));
			if (c.v != V_NONE)
				*base = b;
		}
	}
	return c;
}

static struct choice
lookup(const struct tyst_detector *d, const char *key, size_t len,
    int want_cat, size_t *base)
{
	struct want w = { NULL, 0, want_cat, 0 };

	return lookup_want(d, key, len, &w, base);
}

static int
add_word(struct tyst_detector *d, size_t s, size_t e, size_t be, int cat,
    const char *source, enum tyst_confidence conf, const char *attrs)
{
	struct fnd *f = push(&d->fw, &d->nfw, &d->capfw);

	if (f == NULL)
		return -1;
	f->s = s;
	f->e = e;
	f->be = be;
	f->cat = cat;
	f->source = source;
	f->conf = conf;
	f->attrs = attrs;
	return 0;
}

static int
add_hit(struct tyst_detector *d, size_t s, size_t e, size_t be,
    const struct tyst_rule_hit *h, int force_cat, int weak)
{
	const struct tyst_rule_src *src = &d->r->srcs[h->src];
	enum tyst_confidence conf = src->conf;

	if (weak && conf < TYST_CANDIDATE && src->kind != TYST_SRC_WORDS)
		conf = TYST_CANDIDATE;
	return add_word(d, s, e, be, force_cat >= 0 ? force_cat : src->cat,
	    src->label, conf, tyst_rules_attrs(d->r, h));
}

static int
lower_word_is(const struct tyst_detector *d, const char *p,
    const struct tok *t, uint32_t bit)
{
	char buf[64];
	size_t n;

	if (!t->upper)
		return in_class(d, bit, p + t->s, t->e - t->s);
	if (t->e - t->s >= sizeof(buf) / 2)
		return 0;
	n = tyst_lower(p + t->s, t->e - t->s, buf, sizeof(buf));
	return n > 0 && in_class(d, bit, buf, n);
}

/* The category the words around token i suggest for an unknown name. */
static int
context_cat(const struct tyst_detector *d, const char *p, size_t i,
    int *surname)
{
	const struct tok *t = &d->toks[i];

	*surname = 0;
	if (d->nfw > 0 && i > 0) {
		const struct fnd *f = &d->fw[d->nfw - 1];

		/* "Rolf Engström": a capitalised word right after a name. */
		if (f->cat == d->cat_person && f->e + 1 == t->s &&
		    p[f->e] == ' ') {
			*surname = 1;
			return d->cat_person;
		}
	}
	if (i + 1 < d->ntoks && d->toks[i + 1].s == t->e + 1 &&
	    lower_word_is(d, p, &d->toks[i + 1], W_PLACE_SUFFIX))
		return d->cat_place;
	if (i > 0 && !t->start && !d->toks[i - 1].upper) {
		if (lower_word_is(d, p, &d->toks[i - 1], W_PLACE_CUE))
			return d->cat_place;
		if (lower_word_is(d, p, &d->toks[i - 1], W_ORG_CUE))
			return d->cat_org;
	}
	return -1;
}

static int
covered(const struct tyst_detector *d, size_t *fi, const struct tok *t)
{
	while (*fi < d->nfs && d->fs[*fi].e <= t->s)
		(*fi)++;
	return *fi < d->nfs && d->fs[*fi].s < t->e;
}

/*
 * "Erik:", "IP2:", "I:", "[00:12] Mona:" at the start of a line.  Returns
 * the number of tokens of the label (0 when there is none); the label's
 * tokens are marked done, and a name used as a label is reported as a
 * PERSON.
 */
static int
speaker_label(struct tyst_detector *d, const char *p, size_t len)
{
	size_t i = 0, n = 0, end;
	const struct tok *t0;

	i = skip_blanks(p, len, 0);     /* "{kod}Mona: ja" too */
	if (i < len && p[i] == '[') {
		const char *close = memchr(p + i, ']', len - i < 40 ? len - i : 40);

		if (close == NULL)
			return 0;
		i = skip_blanks(p, len, (size_t)(close - p) + 1);
	}
	while (n < d->ntoks && d->toks[n].e <= i)
		n++;
	if (n >= d->ntoks || d->toks[n].s != i)
		return 0;
	size_t first = n, last = n;

	/* Up to three words, single spaces between, then ':' and a blank. */
	for (;;) {
		end = d->toks[last].e;
		if (end < len && p[end] == ':')
			break;
		if (last + 1 >= d->ntoks || last - first >= 2 ||
		    d->toks[last + 1].s != end + 1 || p[end] != ' ')
			return 0;
		last++;
	}
	if (end + 1 < len && p[end + 1] != ' ' && p[end + 1] != '\t')
		return 0;
	if (end - d->toks[first].s > 40)
		return 0;
	t0 = &d->toks[first];
	for (size_t k = first; k <= last; k++)
		d->toks[k].done = 1;
	if (t0->caps && last == first && !t0->digit && t0->letters <= 3 &&
	    !in_class(d, W_ROLE, p + t0->s, end - t0->s)) {
		/* "KS:", "TB:": a speaker's initials, not a role. */
		size_t b;

		if (lookup(d, p + t0->s, end - t0->s, -1, &b).v == V_SKIP)
			return 1;
		return add_word(d, t0->s, end, end, d->cat_person,
		    "heuristic initials", TYST_CANDIDATE, NULL) < 0 ? -1 : 1;
	}
	if (!t0->upper || t0->digit || t0->caps || t0->letters < 2)
		return 1;       /* "I:", "IP2:", "INT:" */

	size_t base;
	struct choice c = lookup(d, p + t0->s, end - t0->s, d->cat_person,
	    &base);

	if (c.v == V_SKIP)
		return 1;
	if (c.v == V_FIND) {
		if (add_hit(d, t0->s, end, t0->s + base, c.hit, d->cat_person,
		    0) < 0)
			return -1;
		return 1;
	}
	if (last > first) {
		/* "Anna Berg:" when only "Anna" is listed. */
		c = lookup(d, p + t0->s, t0->e - t0->s, d->cat_person, &base);
		if (c.v == V_SKIP)
			return 1;
		if (c.v == V_FIND)
			return add_hit(d, t0->s, end, end, c.hit,
			    d->cat_person, 0) < 0 ? -1 : 1;
	}
	if (tyst_lexicon_common(d->r->lex, p + t0->s, t0->e - t0->s))
		return 1;       /* "Intervjuare:", "Moderator:" */
	if (add_word(d, t0->s, end, end, d->cat_person, "heuristic speaker",
	    TYST_CANDIDATE, NULL) < 0)
		return -1;
	return 1;
}

/* Tries the multiword entries that start at token i; returns the number of
 * tokens taken (0 when none matched). */
static int
multiword(struct tyst_detector *d, const char *p, size_t i)
{
	const struct tok *t = &d->toks[i];
	uint32_t *mx;
	size_t n = 1;
	int want_cat, sn;

	if (!tyst_rules_bit_set(d->r->multi_bits,
	    tyst_rules_key_bit(p + t->s, t->e - t->s)))
		return 0;
	if ((mx = tyst_strtab_get(&d->r->multi, p + t->s, t->e - t->s)) ==
	    NULL)
		return 0;
	want_cat = context_cat(d, p, i, &sn);
	while (n < *mx && i + n < d->ntoks) {
		const struct tok *a = &d->toks[i + n - 1], *b = &d->toks[i + n];

		if (b->done || b->s != a->e + 1 || p[a->e] != ' ')
			break;
		n++;
	}
	for (; n >= 2; n--) {
		size_t e = d->toks[i + n - 1].e, base;
		struct choice c = lookup(d, p + t->s, e - t->s, want_cat, &base);

		if (c.v == V_NONE)
			continue;
		for (size_t k = 0; k < n; k++)
			d->toks[i + k].done = 1;
		if (c.v == V_FIND && add_hit(d, t->s, e, t->s + base, c.hit, -1,
		    0) < 0)
			return -1;
		return (int)n;
	}
	return 0;
}

/* Whether the part after the last hyphen starts in lower case. */
static int
lower_tail(const char *w, size_t len)
{
	size_t h = len;
	uint32_t cp;

	while (h > 0 && w[h - 1] != '-')
		h--;
	if (h == 0 || h == len)
		return 0;
	tyst_utf8_decode(w + h, len - h, &cp);
	return tyst_cp_lower(cp);
}

/* Whether token i is a sentence of its own: the next token starts a new
 * sentence, or there is none. */
static int
alone(const struct tyst_detector *d, const char *p, size_t i)
{
	size_t e = d->toks[i].e;

	if (i + 1 < d->ntoks && !d->toks[i + 1].start)
		return 0;
	e = skip_markup(p, d->linelen, e);      /* "Kaffestugan{/kod}!" */
	if (e == d->linelen)
		return 1;
	return p[e] == '!' || p[e] == '?' || p[e] == '.';
}

static int
has_ending(const char *w, size_t len, const char *const *ends)
{
	for (; *ends != NULL; ends++) {
		size_t n = strlen(*ends);

		if (len > n + 2 && memcmp(w + len - n, *ends, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * tyst_lexicon_common(), remembered: the compound test makes several
 * lookups in a large table, and the same capitalised words open sentence
 * after sentence.  The memo stops growing at a bound, so memory stays flat.
 */
static int
common_word(struct tyst_detector *d, const char *w, size_t len)
{
	uint32_t *v = tyst_strtab_get(&d->memo, w, len);
	int c;

	if (v != NULL)
		return (int)*v - 1;
	c = tyst_lexicon_common(d->r->lex, w, len);
	if (d->memo.n < 65536)
		(void)tyst_strtab_put(&d->memo, w, len, (uint32_t)c + 1, NULL);
	return c;
}

/* The token after i (before i when dir < 0) on the line with one blank
 * between, or NULL. */
static const struct tok *
near_tok(const struct tyst_detector *d, const char *p, size_t i, int dir)
{
	const struct tok *a, *b;

	if (dir > 0 ? i + 1 >= d->ntoks : i == 0)
		return NULL;
	a = dir > 0 ? &d->toks[i] : &d->toks[i - 1];
	b = dir > 0 ? &d->toks[i + 1] : &d->toks[i];
	if (b->s != a->e + 1 || p[a->e] != ' ')
		return NULL;
	return dir > 0 ? b : a;
}

static int
tok_is(const char *p, const struct tok *t, const char *w)
{
	size_t n = strlen(w);

	return t != NULL && t->e - t->s == n && memcmp(p + t->s, w, n) == 0;
}

/*
 * Spoken fillers and interjections as transcribers write them: "Ehh",
 * "Mm", "Näe", "Jaa", "Mhm".  Letters drawn out ("Ehhhh") are folded to
 * one before the word is compared.
 */
static int
filler(const char *w, size_t len)
{
	static const char *const words[] = {
		"a", "ah", "aha", "eh", "ehm", "em", "hm", "ja", "jaha", "jo",
		"m", "mh", "mhm", "nä", "näe", "ne", "nej", "oj", "uh", "um",
		"äh", "öh", "öhm", "ahm", "haha", "hehe", "näej", "jaa", NULL
	};
	char low[64], buf[64];
	size_t n, k = 0;
	uint32_t prev = 0;

	if (len >= 24 || (n = tyst_lower(w, len, low, sizeof(low))) == 0)
		return 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t m = tyst_utf8_decode(low + i, n - i, &cp);

		if (m == 0)
			return 0;
		if (cp != prev) {
			memcpy(buf + k, low + i, m);
			k += m;
		}
		prev = cp;
		i += m;
	}
	for (const char *const *f = words; *f != NULL; f++)
		if (strlen(*f) == k && memcmp(*f, buf, k) == 0)
			return 1;
	return 0;
}

/* Whether the lower-cased word at t, or the word of which it is the
 * genitive ("Moras" after "Mora"), is among the names this input has shown
 * so far. */
static int
seen_before(const struct tyst_detector *d, const char *p, const struct tok *t)
{
	char buf[128];
	size_t n;

	if (d->seen.n == 0 || t->e - t->s >= 60)
		return 0;
	n = tyst_lower(p + t->s, t->e - t->s, buf, sizeof(buf));
	if (n == 0)
		return 0;
	if (tyst_strtab_get(&d->seen, buf, n) != NULL)
		return 1;
	return n > 2 && buf[n - 1] == 's' &&
	    tyst_strtab_get(&d->seen, buf, n - 1) != NULL;
}

/* Whether t is, as written or with a genitive s, a one-word name found
 * earlier on its line: "Vi åkte till Mora. Moras kyrka."  seen_before()
 * knows the lines before only, and remembers one-word names only, so a
 * word of a name of several ("Per Holm") does not count here either. */
static int
named_on_line(const struct tyst_detector *d, const char *p,
    const struct tok *t)
{
	size_t len = t->e - t->s;

	for (size_t k = 0; k < d->nfw; k++) {
		const struct fnd *f = &d->fw[k];
		size_t n = f->be - f->s;

		if (f->be > t->s || (n != len && !(n + 1 == len &&
		    p[t->e - 1] == 's')))
			continue;
		if ((k + 1 < d->nfw && d->fw[k + 1].s <= f->e + 1) ||
		    (k > 0 && d->fw[k - 1].e + 1 >= f->s))
			continue;       /* part of a name of several words */
		if (memcmp(p + f->s, p + t->s, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * A listed name that is also a common word opens a sentence ("Per dag",
 * "Bo i Gottsunda", "Hans kusin", "Sol fick jobba"): it is the name when
 * a capitalised word follows ("Per Holm"), or a verb a subject takes, or
 * "och" and a capital ("Mark och Eva"), when it stands alone ("Björn!"),
 * or when this input has used it as a name before; otherwise the word.
 */
static int
opens_as_name(const struct tyst_detector *d, const char *p, size_t i)
{
	const struct tok *n;

	if (i + 1 >= d->ntoks || d->toks[i + 1].start)
		return 1;
	n = near_tok(d, p, i, 1);
	if (n == NULL || n->upper)
		return 1;
	if (lower_word_is(d, p, n, W_VERB))
		return 1;
	/* "Rosa skrattade", "Ebba ropar": a verb in the present or past
	 * after it, by the lexicon's word classes, makes it the subject. */
	if (tyst_lexicon_finite_verb(d->r->lex, p + n->s, n->e - n->s))
		return 1;
	if ((tok_is(p, n, "och") || tok_is(p, n, "eller")) &&
	    near_tok(d, p, i + 1, 1) != NULL && d->toks[i + 2].upper)
		return 1;
	return seen_before(d, p, &d->toks[i]) ||
	    named_on_line(d, p, &d->toks[i]);
}

/* A workplace's name used for a thing: "en gammal Volvo", "kör Toyota",
 * "soffa från Mio" (a chain after "från"). */
static int
brand_as_thing(const struct tyst_detector *d, const char *p, size_t i,
    const struct tyst_rule_hit *h)
{
	const struct tok *pv;
	const char *chain = NULL;
	int org = 0;

	for (; h != NULL; h = tyst_rules_next(d->r, h)) {
		const struct tyst_rule_src *src = &d->r->srcs[h->src];
		const char *a;

		if (src->kind != TYST_SRC_GAZETTEER || src->cat != d->cat_org)
			continue;
		org = 1;
		a = tyst_rules_attrs(d->r, h);
		if (a != NULL && strstr(a, "type=chain") != NULL)
			chain = a;
	}
	if (!org || (pv = near_tok(d, p, i, -1)) == NULL || pv->upper)
		return 0;
	if (chain != NULL && tok_is(p, pv, "från"))
		return 1;
	return in_class(d, W_THING, p + pv->s, pv->e - pv->s);
}

/* Notes in cue_next that the lower-case token i is a name cue ("hette",
 * "kollega"): the token after it may be a name.  A clear bit says it is
 * none without a lookup, as nearly every word is none. */
static void
mark_cue(struct tyst_detector *d, const char *p, size_t i, unsigned k)
{
	const struct tok *t = &d->toks[i];

	if ((cue_bits[0][k >> 3] & (1u << (k & 7))) &&
	    in_class(d, W_NAME_CUE, p + t->s, t->e - t->s))
		d->cue_next = i + 1;
}

static unsigned
lower_key(const char *p, const struct tok *t)
{
	return tyst_rules_lower_key(p + t->s, t->e - t->s, 0);
}

/* Whether the words around token i say it is a person's name: "som hette
 * X", "ring X", "min kollega X", "X heter hon". */
static int
name_cue(const struct tyst_detector *d, const char *p, size_t i)
{
	const struct tok *n, *n2;

	if (d->cue_next == i && i > 0 && near_tok(d, p, i, -1) != NULL)
		return 1;
	n = near_tok(d, p, i, 1);
	if (n == NULL)
		return 0;
	/* "Bo kallas Bosse": only a name is called something. */
	if (tok_is(p, n, "kallas") || tok_is(p, n, "kallades"))
		return 1;
	if (n->e - n->s != 5 || p[n->s] != 'h' ||
	    (!tok_is(p, n, "heter") && !tok_is(p, n, "hette")))
		return 0;
	n2 = near_tok(d, p, i + 1, 1);
	/* "X heter hon", and "Per heter Pelle hemma". */
	return tok_is(p, n2, "hon") || tok_is(p, n2, "han") ||
	    (n2 != NULL && n2->upper);
}

/* The length of initials with full stops at token i: "M.H.", "A.", "M. H."
 * (each a capital and a stop), or 0. */
static size_t
dotted_initials(const struct tyst_detector *d, const char *p, size_t i,
    size_t *ntok)
{
	size_t k = i, e = 0;

	while (k < d->ntoks) {
		const struct tok *t = &d->toks[k];

		if (!t->upper || t->letters != 1 || t->hyphen ||
		    t->e >= d->linelen || p[t->e] != '.')
			break;
		if (k > i && t->s != e && t->s != e + 1)
			break;
		e = t->e + 1;
		k++;
	}
	*ntok = k - i;
	return k > i ? e - d->toks[i].s : 0;
}

/*
 * Initials as a name: "M.H." (two or more), and one "A." inside a
 * sentence, a small word before it and after it ("och A. från
 * psykiatrin").  "J. Lindholm" is left to the surname, which takes its
 * initials with it.
 */
static int
initials(struct tyst_detector *d, const char *p, size_t i)
{
	struct tok *t = &d->toks[i];
	size_t n, len = dotted_initials(d, p, i, &n);
	const struct tok *pv, *nx;

	if (len == 0)
		return 0;
	if (n == 1) {
		pv = near_tok(d, p, i, -1);
		nx = i + 1 < d->ntoks ? &d->toks[i + 1] : NULL;
		if (t->start || pv == NULL || pv->upper || nx == NULL ||
		    nx->upper || nx->s != t->e + 2)
			return 0;
	}
	for (size_t k = 0; k < n; k++)
		d->toks[i + k].done = 1;
	return add_word(d, t->s, t->s + len, t->s + len, d->cat_person,
	    "heuristic initials", TYST_CANDIDATE, NULL) < 0 ? -1 : 1;
}

/* "K-G", "J-O": two capitals joined by a hyphen. */
static int
hyphen_initials(const char *p, const struct tok *t)
{
	return t->e - t->s == 3 && p[t->s + 1] == '-' && t->letters == 2;
}

/*
 * Capitalises a lower-case word as names are listed: its first letter and
 * the one after each hyphen ("eva-lena" -> "Eva-Lena").  ASCII and
 * Latin-1 letters; 0 when another letter would need it or it does not fit.
 */
static size_t
capitalise(const char *w, size_t len, char *out, size_t cap)
{
	int up = 1;

	if (len >= cap)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)w[i];

		out[i] = (char)c;
		if (!up) {
			up = c == '-';
			continue;
		}
		up = 0;
		if (c >= 'a' && c <= 'z')
			out[i] = (char)(c - 32);
		else if (c == 0xc3 && i + 1 < len &&
		    (unsigned char)w[i + 1] >= 0xa0 &&
		    (unsigned char)w[i + 1] != 0xb7) {
			out[i + 1] = (char)((unsigned char)w[i + 1] - 32);
			i++;
		} else if (c >= 0x80)
			return 0;
	}
	return len;
}

/* Whether the lower-case w reads as the verb after a subject
 * ("handledaren hjälpte"), which a lexicon without the word cannot tell. */
static int
verb_like(const struct tyst_detector *d, const char *w, size_t len)
{
	static const char *const ends[] = { "de", "te", "ar", "er", NULL };

	return in_class(d, W_VERB, w, len) || has_ending(w, len, ends);
}

/* Whether some list may hold the lower-case word w capitalised, as it
 * stands or as a genitive: a clear bit saves the lookup. */
static int
lower_bits(const struct tyst_rules *r, const char *w, size_t len, unsigned k)
{
	uint32_t h;

	if (!(r->lower_bits[0][k >> 3] & (1u << (k & 7))))
		return 0;
	h = tyst_rules_lower_hash(w, len);
	for (int j = 1; j < TYST_LOWER_KEYS; j++) {
		k = tyst_rules_hash_key(h, j);
		if (!(r->lower_bits[j][k >> 3] & (1u << (k & 7))))
			return 0;
	}
	return 1;
}

static int
maybe_listed(const struct tyst_rules *r, const char *w, size_t len,
    unsigned k)
{
	if (lower_bits(r, w, len, k))
		return 1;
	if (w[len - 1] != 's')
		return 0;
	return apostrophe_base(w, len) < len || lower_bits(r, w, len - 1,
	    tyst_rules_lower_key(w, len - 1, 0));
}

/*
 * A word in lower case ("kicki", "eva-lena", "skärholmen", "leija"): a
 * study's own list finds it as it stands; a person or place of the
 * gazetteers does when the word is no common word ("vara", "björn" stay
 * words).  What no list holds is a name when the words around it say so
 * ("som hette gunnel").  Speech recognition writes everything so; a
 * transcriber in a hurry writes names so.
 */
static int
lower_name(struct tyst_detector *d, const char *p, size_t i, unsigned k)
{
	const struct tok *t = &d->toks[i];
	const char *w = p + t->s;
	size_t len = t->e - t->s, n, base;
	char buf[64];
	struct choice c;
	const struct tyst_rule_src *src;
	int cat, sn;

	if (t->s > 0 && p[t->s - 1] == ':')
		return 0;       /* "KPI:erna", "CV:t" are endings */
	if (!maybe_listed(d->r, w, len, k) && !name_cue(d, p, i))
		return 0;
	if ((n = capitalise(w, len, buf, sizeof(buf))) == 0)
		return 0;
	c = lookup(d, buf, n, -1, &base);
	if (c.v == V_SKIP)
		return 0;
	if (c.v == V_NONE) {
		/* Without a lexicon every word would pass as no common word. */
		if (d->r->lex == NULL || !name_cue(d, p, i) ||
		    in_class(d, W_FUNCTION, w, len) || verb_like(d, w, len) ||
		    common_word(d, w, len) != 0)
			return 0;
		return add_word(d, t->s, t->e, t->e, d->cat_person,
		    "heuristic name-cue", TYST_CANDIDATE, NULL);
	}
	src = &d->r->srcs[c.hit->src];
	if (src->kind != TYST_SRC_WORDS && (in_class(d, W_FUNCTION, w, len) ||
	    (common_word(d, w, len) == 1 && !name_cue(d, p, i))))
		return 0;       /* "vara", "björn", but "som hette björn" */
	cat = context_cat(d, p, i, &sn);
	if (cat >= 0 && cat != src->cat)
		c = lookup(d, buf, n, cat, &base);
	if (c.v != V_FIND)
		return 0;
	src = &d->r->srcs[c.hit->src];
	if (src->kind != TYST_SRC_WORDS && src->cat != d->cat_person &&
	    src->cat != d->cat_place)
		return 0;
	return add_hit(d, t->s, t->e, t->s + base, c.hit, -1, 1);
}

/* One capitalised word no multiword entry took. */
static int
one_word(struct tyst_detector *d, const char *p, size_t i)
{
	const struct tyst_rules *r = d->r;
	struct tok *t = &d->toks[i];
	const char *w = p + t->s;
	size_t len = t->e - t->s, base;
	struct want want = { p, i, WANT_LATER, 0 };
	int surname, cat;
	struct choice c;
	const struct tok *n1;
	int common = -1, rc;

	if (t->letters == 1 && (rc = initials(d, p, i)) != 0)
		return rc < 0 ? -1 : 0;
	c = lookup_want(d, w, len, &want, &base);

	if (c.v == V_NONE && t->hyphen) {
		/* "IPS-coachen", "Göteborgs-Posten", "Karl-Erik": the part
		 * before the hyphen decides when the list knows it. */
		size_t h = 0;

		while (h < len && w[h] != '-')
			h++;
		c = lookup_want(d, w, h, &want, &base);
		if (c.v == V_FIND)
			base = len;
		else if (c.v == V_NONE && lower_tail(w, len))
			return 0;       /* "EU-länderna", "VM-guldet" */
	}
	if (c.v == V_SKIP)
		return 0;
	if (t->start) {
		char buf[64];
		size_t n = len < 32 ? tyst_lower(w, len, buf, sizeof(buf)) : 0;

		if (n > 0 && in_class(d, W_FUNCTION, buf, n))
			return 0;
		common = common_word(d, w, len);
	}
	if (c.v == V_FIND) {
		if (common == 1 && r->srcs[c.hit->src].kind != TYST_SRC_WORDS &&
		    !opens_as_name(d, p, i))
			return 0;
		if (brand_as_thing(d, p, i, c.hit))
			return 0;
		/* A listed word that is also a common word ("Vara", "Björn")
		 * opening a sentence as a name stays a finding, for review. */
		want_cat(d, &want);
		return add_hit(d, t->s, t->e, t->s + base, c.hit,
		    want.surname && r->srcs[c.hit->src].cat != d->cat_person ?
		    d->cat_person : -1, common >= 1);
	}
	if (t->letters < 2)
		return 0;
	if (hyphen_initials(p, t))
		return add_word(d, t->s, t->e, t->e, d->cat_person,
		    "heuristic initials", TYST_CANDIDATE, NULL);
	if (t->caps) {
		/* An acronym: "TV" and "OK" are words, "SVT" an organisation. */
		if (common_word(d, w, len) == 1)
			return 0;
		cat = want_cat(d, &want);
		return add_word(d, t->s, t->e, t->e, cat >= 0 ? cat : d->cat_org,
		    "heuristic acronym", TYST_CANDIDATE, NULL);
	}
	cat = want_cat(d, &want);
	surname = want.surname;
	/* "Gudrun: Kaffestugan!": a compound no list holds, standing alone
	 * as a whole sentence, is more likely a name than a noun. */
	if (common == 2 && t->start && alone(d, p, i)) {
		common = 0;
		if (cat < 0)
			cat = d->cat_org;       /* a compound noun as a name */
	}
	if (common >= 1)
		return 0;
	if (filler(w, len) || (t->start && (n1 = near_tok(d, p, i, 1)) !=
	    NULL && in_class(d, W_ENGLISH, p + n1->s, n1->e - n1->s)))
		return 0;       /* "Ehh", "Mm"; "Train then place" */
	if (d->cat_address >= 0 && has_ending(w, len, street_endings))
		cat = d->cat_address;   /* "bor på Storgatan" */
	if (cat < 0 && !t->start && !surname && t->letters >= 6 &&
	    has_ending(w, len, inflections) && common_word(d, w, len) == 1 &&
	    !name_cue(d, p, i) && !has_ending(w, len, org_endings) &&
	    (i + 1 >= d->ntoks || !d->toks[i + 1].upper))
		return 0;       /* a headline's "Sökningarna", no cue before */
	if (cat < 0 && (has_ending(w, len, org_endings) ||
	    (!t->start && common_word(d, w, len))))
		cat = d->cat_org;       /* "Kaffestugan", "Tjärnaskolan" */
	base = apostrophe_base(w, len);
	if (surname && cat != d->cat_org)
		return add_word(d, t->s, t->e, t->s + base, d->cat_person,
		    "heuristic surname", TYST_LIKELY, NULL);
	if (name_cue(d, p, i))
		cat = d->cat_person;    /* "min kollega Wojtek" */
	return add_word(d, t->s, t->e, t->s + base,
	    cat >= 0 ? cat : d->cat_person,
	    t->start ? "heuristic unknown-word" : "heuristic capitalised",
	    TYST_CANDIDATE, NULL);
}

/* A study's own lower-case words ("vintergatan" as a workplace's nickname). */
static int
lower_word(struct tyst_detector *d, const char *p, size_t i)
{
	const struct tok *t = &d->toks[i];
	const struct tyst_rule_hit *h = tyst_rules_lookup(d->r, p + t->s,
	    t->e - t->s);
	struct choice c;

	if (h == NULL)
		return 0;
	c = choose(d, h, -1);
	if (c.v != V_FIND || d->r->srcs[c.hit->src].kind != TYST_SRC_WORDS)
		return 0;
	return add_hit(d, t->s, t->e, t->e, c.hit, -1, 0);
}

/*
 * "och ibland jonas på jobbet": a name this input has shown capitalised is
 * found again written in lower case, unless it is also a common word.
 */
static unsigned
seen_key(const char *w, size_t len)
{
	return tyst_rules_lower_key(w, len, 0);
}

/* Adds the line's names found since the last call to line_mask, the mask
 * line_maybe() tests. */
static void
mask_line(struct tyst_detector *d, const char *p)
{
	for (; d->line_masked < d->nfw; d->line_masked++) {
		const struct fnd *f = &d->fw[d->line_masked];
		char buf[128];
		size_t n;

		if (f->be - f->s < 2 || f->be - f->s >= 60)
			continue;
		n = tyst_lower(p + f->s, f->be - f->s, buf, sizeof(buf));
		if (n >= 2) {
			uint32_t h = tyst_rules_lower_hash(buf, n);

			d->line_mask |= 1ULL << (tyst_rules_hash_key(h, 0) & 63);
			d->line_mask1 |= 1ULL << (tyst_rules_hash_key(h, 1) & 63);
		}
	}
}

/* Whether a word of key may be in lower case a name found earlier on the
 * line: a mask of the keys of the line's names so far, as most words match
 * none and are passed over without a comparison. */
static int
line_maybe(struct tyst_detector *d, const char *p, unsigned key)
{
	if (d->line_masked < d->nfw)
		mask_line(d, p);
	return (d->line_mask & (1ULL << (key & 63))) != 0;
}

/* The category of a one-word name found earlier on this line that t is
 * in lower case ("träffa Mona ... mona var"), or -1. */
static int
line_name(struct tyst_detector *d, const char *p, const struct tok *t,
    unsigned key)
{
	size_t len = t->e - t->s;

	if (!line_maybe(d, p, key))
		return -1;

	for (size_t k = 0; k < d->nfw; k++) {
		const struct fnd *f = &d->fw[k];
		char buf[128];

		if (f->be - f->s != len || len >= 60 ||
		    ((unsigned char)p[f->s] < 0x80 &&
		    (p[f->s] | 0x20) != p[t->s]))
			continue;
		if (tyst_lower(p + f->s, len, buf, sizeof(buf)) == len &&
		    memcmp(buf, p + t->s, len) == 0 &&
		    memcmp(buf, p + f->s, len) != 0)
			return f->cat;
	}
	return -1;
}

static int
seen_name(struct tyst_detector *d, const char *p, const struct tok *t,
    unsigned k)
{
	uint32_t *v = NULL;
	int cat = -1;

	if (d->seen_bits[k >> 3] & (1u << (k & 7))) {
		v = tyst_strtab_get(&d->seen, p + t->s, t->e - t->s);
		if (v != NULL)
			cat = (int)*v - 1;
	}
	if (cat < 0 && d->nfw > 0)
		cat = line_name(d, p, t, k);
	if (cat < 0)
		return 0;
	if (tyst_lexicon_common(d->r->lex, p + t->s, t->e - t->s))
		return 0;
	return add_word(d, t->s, t->e, t->e, cat, "heuristic seen-name",
	    TYST_CANDIDATE, NULL);
}

/*
 * "Bieber2", "Todd8": a name with a footnote number.  The token is cut to
 * its letters when they are three or more and not an acronym ("IP2",
 * "D01" stay codes).
 */
static int
name_then_digits(struct tyst_detector *d, const char *p, struct tok *t)
{
	size_t e = t->e;

	(void)d;
	while (e > t->s && p[e - 1] >= '0' && p[e - 1] <= '9')
		e--;
	if (e - t->s < 3 || t->caps)
		return 0;
	for (size_t i = t->s; i < e; i++)
		if ((p[i] >= '0' && p[i] <= '9') || p[i] == '-')
			return 0;
	t->e = e;
	t->digit = 0;
	t->letters = (unsigned)tyst_utf8_count(p + t->s, e - t->s);
	return 1;
}

/* Remembers the one-word names of the line, for seen_name(). */
static void
remember(struct tyst_detector *d, const char *p)
{
	for (size_t k = 0; k < d->nfw && d->seen.n < 65536; k++) {
		const struct fnd *f = &d->fw[k];
		char buf[128];
		size_t n;

		if (f->be - f->s >= 60 || memchr(p + f->s, ' ', f->be - f->s))
			continue;
		n = tyst_lower(p + f->s, f->be - f->s, buf, sizeof(buf));
		if (n >= 2 && memcmp(buf, p + f->s, n) != 0) {
			unsigned key = seen_key(buf, n);
			int added = tyst_strtab_put(&d->seen, buf, n,
			    (uint32_t)f->cat + 1, NULL);

			d->seen_bits[key >> 3] |= (uint8_t)(1u << (key & 7));
			/* A name that is a common word in lower case ("Dag",
			 * "Vara") is never found so (seen_name()): its bits
			 * would only send every "dag" to the lexicon. */
			if (added != 1)
				continue;
			if (tyst_lexicon_common(d->r->lex, buf, n)) {
				d->seen_common[key >> 3] |=
				    (uint8_t)(1u << (key & 7));
				continue;
			}
			for (int j = 0; j < TYST_LOWER_KEYS; j++) {
				key = tyst_rules_lower_key(buf, n, j);
				d->any_bits[j][key >> 3] |=
				    (uint8_t)(1u << (key & 7));
			}
		}
	}
}

/* "al-Assad", "el-Aziz": a particle, a hyphen and a capitalised name. */
static int
particle_name(struct tyst_detector *d, const char *p, const struct tok *t)
{
	size_t h = t->s;
	uint32_t cp;

	while (h < t->e && p[h] != '-')
		h++;
	if (h + 1 >= t->e || !in_class(d, W_PARTICLE, p + t->s, h - t->s))
		return 0;
	tyst_utf8_decode(p + h + 1, t->e - h - 1, &cp);
	if (!tyst_cp_upper(cp))
		return 0;
	return add_word(d, t->s, t->e, t->e, d->cat_person, src_particle,
	    TYST_CANDIDATE, NULL);
}

/* The length of the particles ("von", "van der") between two findings when
 * that is all there is, else 0. */
static size_t
particles_between(const struct tyst_detector *d, const char *p, size_t s,
    size_t e)
{
	size_t i = s;

	if (e <= s + 2 || p[s] != ' ' || p[e - 1] != ' ')
		return 0;
	while (i < e - 1) {
		size_t j = i + 1;

		while (j < e && p[j] != ' ')
			j++;
		if (!in_class(d, W_PARTICLE, p + i + 1, j - i - 1))
			return 0;
		i = j;
	}
	return e - s;
}

/* "van Gogh", "de Niro": particles just before a name belong to it. */
static size_t
particles_before(const struct tyst_detector *d, const char *p, size_t floor,
    size_t s)
{
	while (s >= floor + 3 && p[s - 1] == ' ') {
		size_t b = s - 1;

		while (b > floor && p[b - 1] != ' ')
			b--;
		if (b == s - 1 || !in_class(d, W_PARTICLE, p + b, s - 1 - b))
			break;
		s = b;
	}
	return s;
}

/* Whether p[i..] starts with one capital letter standing alone: followed
 * by a full stop or a blank.  *n is set to the letter's bytes. */
static int
lone_capital(const char *p, size_t len, size_t i, size_t *n)
{
	uint32_t cp;

	if (i >= len)
		return 0;
	*n = next_cp(p, len, i, &cp);
	if (!upper_cp(cp) || i + *n >= len)
		return 0;
	return p[i + *n] == '.' || p[i + *n] == ' ';
}

/*
 * Initials before a name: "G. W. Bush", "C G Jung", "J.R.R. Tolkien".
 * With full stops any capital letters will do; without, it takes two of
 * them, or one that is not also a word of its own (I, Å, Ö, O, E: "i",
 * "å", "ö", "o", "e") after a word in lower case, not at a sentence's
 * start.
 */
static size_t
initials_before(const char *p, size_t floor, size_t s)
{
	size_t at = s, n = 0, one;
	int dots = 1;

	while (at >= floor + 2 && p[at - 1] == ' ') {
		size_t b = at - 1, k;
		int dot = 0;

		if (b > floor && p[b - 1] == '.') {
			b--;
			dot = 1;
		}
		k = b;
		while (k > floor && ((unsigned char)p[k - 1] & 0xc0) == 0x80)
			k--;
		if (k == floor || !lone_capital(p, s, k - 1, &one))
			break;
		k--;
		if (k > floor && p[k - 1] != ' ' && p[k - 1] != '(')
			break;
		if (!dot)
			dots = 0;
		at = k;
		n++;
	}
	if (n == 0 || dots || n >= 2)
		return at;
	/* One initial without a full stop. */
	if (strchr("IOE", p[at]) != NULL || (unsigned char)p[at] == 0xc3)
		return s;
	if (at < 2 || p[at - 1] != ' ')
		return s;
	{
		uint32_t cp;
		size_t b = at - 1;

		while (b > 0 && ((unsigned char)p[b - 1] & 0xc0) == 0x80)
			b--;
		if (b == 0)
			return s;
		tyst_utf8_decode(p + b - 1, at - b, &cp);
		if (!tyst_cp_lower(cp))
			return s;
	}
	return at;
}

/* Whether the gap p[s..e) between two findings is initials and blanks
 * only: " G ", " E O ", " G. ". */
static int
initials_between(const char *p, size_t s, size_t e)
{
	size_t i = s, n;

	if (e <= s + 2 || p[s] != ' ' || p[e - 1] != ' ')
		return 0;
	i = s + 1;
	while (i < e - 1) {
		if (!lone_capital(p, e, i, &n))
			return 0;
		i += n;
		if (p[i] == '.')
			i++;
		if (p[i] != ' ')
			return 0;
		i++;
	}
	return i == e;
}

/* Whether a sentence may end at p[i]: the line ends, or a blank and a
 * capital letter follow ("v. 46", "s. 12" go on). */
static int
closes(const char *p, size_t len, size_t i)
{
	uint32_t cp;

	if (i == len)
		return 1;
	if (p[i] != ' ' || i + 1 == len)
		return 0;
	next_cp(p, len, i + 1, &cp);
	return upper_cp(cp);
}

/* A name's initial after it, closing a sentence: "Abraham L.". */
static size_t
initial_after(const char *p, size_t len, size_t e)
{
	size_t n;

	if (e + 2 >= len || p[e] != ' ' || !lone_capital(p, len, e + 1, &n))
		return e;
	if (p[e + 1 + n] == '.' && closes(p, len, e + 2 + n))
		return e + 1 + n;
	if (p[e + 1 + n] == ' ' && e + 2 + n < len && p[e + 2 + n] == '.' &&
	    closes(p, len, e + 3 + n))
		return e + 1 + n;
	return e;
}

/*
 * Capitalised words in a row are one name: "Hälsinglands Sparbank", "Stora
 * Tuna", "Alnö Marin & Motor", "Bergqvists Bygg AB".  A firm's ending or
 * an organisation makes the whole an ORG.
 */
static int
join_adjacent(const struct tyst_detector *d, const char *p, struct fnd *prev,
    const struct fnd *f)
{
	size_t gap = f->s - prev->e;

	if (f->s < prev->e)
		return 0;
	if (!(gap == 1 && p[prev->e] == ' ') &&
	    !(gap == 3 && memcmp(p + prev->e, " & ", 3) == 0))
		return 0;
	/* A place then a person ("i Hudiksvall Erik") rarely stand so; but
	 * a study's certain name is kept apart from what follows. */
	if (prev->conf == TYST_CERTAIN || f->conf == TYST_CERTAIN)
		return 0;
	if (gap == 3 || in_class(d, W_ORG_SUFFIX, p + f->s, f->e - f->s) ||
	    f->cat == d->cat_org || prev->cat == d->cat_org)
		prev->cat = d->cat_org;
	else if (prev->cat != f->cat && f->cat == d->cat_person &&
	    prev->cat != d->cat_place)
		prev->cat = d->cat_person;
	prev->e = prev->be = f->e;
	if (f->conf < prev->conf)
		prev->conf = f->conf;
	return 1;
}

/*
 * Joins what belongs together: a person's particles and initials, a
 * place's direction ("södra Stockholm"), and so on; the findings stay
 * sorted and disjoint.
 */
static void
join_names(struct tyst_detector *d, const char *p)
{
	size_t k = 0;

	for (size_t i = 0; i < d->nfw; i++) {
		struct fnd *f = &d->fw[i];

		if (k > 0) {
			struct fnd *prev = &d->fw[k - 1];

			/* "Bashar al-Assad": the particle makes the word
			 * before it a name whatever it looked like. */
			if (f->source == src_particle && prev->e + 1 == f->s &&
			    p[prev->e] == ' ') {
				prev->e = prev->be = f->e;
				prev->cat = d->cat_person;
				prev->source = src_particle;
				continue;
			}
			if (prev->cat == d->cat_person && f->s > prev->e &&
			    particles_between(d, p, prev->e, f->s) > 0) {
				prev->e = prev->be = f->e;
				if (f->conf < prev->conf)
					prev->conf = f->conf;
				continue;
			}
		}
		if (k > 0 && (d->fw[k - 1].cat == d->cat_person ||
		    f->cat == d->cat_person) && d->fw[k - 1].e < f->s &&
		    initials_between(p, d->fw[k - 1].e, f->s)) {
			struct fnd *prev = &d->fw[k - 1];

			/* "Lars G Brandt", "Lars E O Svensson".  A study's
			 * certain name stays apart from what follows, and so
			 * does what is not a person's name before them. */
			if (prev->conf == TYST_CERTAIN ||
			    f->conf == TYST_CERTAIN ||
			    prev->cat != d->cat_person) {
				f->s = prev->e + 1;
				f->cat = d->cat_person;
				d->fw[k++] = *f;
				continue;
			}
			prev->e = prev->be = f->e;
			prev->cat = d->cat_person;
			if (f->conf < prev->conf)
				prev->conf = f->conf;
			continue;
		}
		if (k > 0 && join_adjacent(d, p, &d->fw[k - 1], f))
			continue;
		if (f->cat == d->cat_person && (k == 0 || d->fw[k - 1].e < f->s))
			f->s = particles_before(d, p, k > 0 ? d->fw[k - 1].e : 0,
			    f->s);
		if (f->cat == d->cat_person) {
			size_t s = initials_before(p,
			    k > 0 ? d->fw[k - 1].e : 0, f->s);

			if (s < f->s && (k == 0 || d->fw[k - 1].e <= s))
				f->s = s;
		}
		d->fw[k++] = *f;
	}
	d->nfw = k;
	for (size_t i = 0; i < d->nfw; i++) {
		struct fnd *f = &d->fw[i];
		size_t e;

		if (f->cat != d->cat_person || f->be != f->e)
			continue;
		e = initial_after(p, d->linelen, f->e);
		if (e > f->e && (i + 1 == d->nfw || d->fw[i + 1].s > e))
			f->e = f->be = e;
	}
}

/* "Stockholms län", "Hudiksvalls kommun": the word belongs to the place. */
static void
extend_places(struct tyst_detector *d, const char *p, size_t len)
{
	for (size_t k = 0; k < d->nfw; k++) {
		struct fnd *f = &d->fw[k];
		size_t s, e;

		if (f->cat != d->cat_place || f->e + 1 >= len || p[f->e] != ' ')
			continue;
		s = e = f->e + 1;
		while (e < len && ((p[e] >= 'a' && p[e] <= 'z') ||
		    ((unsigned char)p[e] >= 0x80)))
			e++;
		if (e > s && in_class(d, W_PLACE_SUFFIX, p + s, e - s) &&
		    (k + 1 == d->nfw || d->fw[k + 1].s >= e))
			f->e = f->be = e;
	}
	for (size_t k = 0; k < d->nfw; k++) {
		struct fnd *f = &d->fw[k];
		static const char ek[] = " ekonomisk förening";
		size_t n = sizeof(ek) - 1;

		/* "Gröna Händer ekonomisk förening": a co-operative. */
		if (len - f->e >= n && memcmp(p + f->e, ek, n) == 0 &&
		    (k + 1 == d->nfw || d->fw[k + 1].s >= f->e + n)) {
			f->e = f->be = f->e + n;
			f->cat = d->cat_org;
		}
	}
	for (size_t k = 0; k < d->nfw; k++) {
		struct fnd *f = &d->fw[k];
		size_t s;

		if (f->cat != d->cat_place || f->s < 2 || p[f->s - 1] != ' ')
			continue;
		s = f->s - 1;
		while (s > 0 && p[s - 1] != ' ')
			s--;
		if (in_class(d, W_DIRECTION, p + s, f->s - 1 - s) &&
		    (k == 0 || d->fw[k - 1].e <= s))
			f->s = s;
	}
}

/*
 * Overlapping findings.  A pattern's finding that spans exactly a name a
 * list holds ("Brickebacken" shaped like a street, listed as a district):
 * the list knows what the name is, the pattern only its shape, so the
 * list's category wins unless the pattern is the surer.  A certain pattern
 * always stands, and so does a longer match ("Brickebacken 5" is an
 * address).  Returns 1 when the list took the span (the pattern's finding
 * is then marked with cat -1), 0 when not, -1 on an error.
 */
static int
list_over_pattern(struct tyst_detector *d, const char *p, size_t fi,
    size_t i)
{
	struct fnd *f = &d->fs[fi];
	size_t j = i, base;
	struct choice c;
	int sn;

	if (f->conf == TYST_CERTAIN || f->s != d->toks[i].s)
		return 0;
	while (j + 1 < d->ntoks && d->toks[j].e < f->e && !d->toks[j].done)
		j++;
	if (d->toks[j].e != f->e || d->toks[j].done)
		return 0;
	c = lookup(d, p + f->s, f->e - f->s, context_cat(d, p, i, &sn), &base);
	if (c.v != V_FIND || d->r->srcs[c.hit->src].conf > f->conf)
		return 0;
	for (size_t k = i; k <= j; k++)
		d->toks[k].done = 1;
	f->cat = -1;
	return add_hit(d, f->s, f->e, f->s + base, c.hit, -1, 0) < 0 ? -1 : 1;
}

/* Drops the pattern findings a list took over, and those inside a coder's
 * tags: a tag is never a finding. */
static void
drop_taken(struct tyst_detector *d, const char *p, size_t len)
{
	int tags = d->nfs > 0 && memchr(p, '{', len) != NULL;
	size_t k = 0;

	for (size_t i = 0; i < d->nfs; i++)
		if (d->fs[i].cat >= 0 &&
		    !(tags && in_tag(p, len, d->fs[i].s, d->fs[i].e)))
			d->fs[k++] = d->fs[i];
	d->nfs = k;
}

/*
 * "marika heter hon": at "heter" or "hette", the lower-case word before it
 * is a person when "hon" or "han" follows and it is no common word.  Done
 * from the verb's side, as the word itself is passed over unlooked-at.
 */
static int
named_before(struct tyst_detector *d, const char *p, size_t i)
{
	const struct tok *t = &d->toks[i], *pv, *n2;

	if (t->e - t->s != 5 || (!tok_is(p, t, "heter") &&
	    !tok_is(p, t, "hette")))
		return 0;
	n2 = near_tok(d, p, i, 1);
	if (!tok_is(p, n2, "hon") && !tok_is(p, n2, "han"))
		return 0;
	pv = near_tok(d, p, i, -1);
	if (d->r->lex == NULL || pv == NULL || pv->upper || pv->done ||
	    pv->letters < 3 ||
	    pv->digit || (d->nfw > 0 && d->fw[d->nfw - 1].e > pv->s))
		return 0;
	if (in_class(d, W_FUNCTION, p + pv->s, pv->e - pv->s) ||
	    common_word(d, p + pv->s, pv->e - pv->s) != 0)
		return 0;
	return add_word(d, pv->s, pv->e, pv->e, d->cat_person,
	    "heuristic name-cue", TYST_CANDIDATE, NULL);
}

/*
 * A lower-case word of three letters or more whose key any_bits holds, or
 * that may be a name of the line: a listed name in lower case, a name seen
 * before, a particle's name; or a name cue for the next word.
 */
static int
lower_token(struct tyst_detector *d, const char *p, size_t i, unsigned k)
{
	const struct tok *t = &d->toks[i];
	size_t had = d->nfw;

	mark_cue(d, p, i, k);
	if (d->cue_next == i + 1 && named_before(d, p, i) < 0)
		return -1;
	if (d->nfw == had && lower_name(d, p, i, k) < 0)
		return -1;
	if (d->nfw == had && (d->seen.n > 0 || d->nfw > 0) &&
	    seen_name(d, p, t, k) < 0)
		return -1;
	return 0;
}

/* Whether a lower-case word may be more than a word: its bits in
 * any_bits, or a name of the line in lower case.  *k is set to its first
 * key. */
static int
worth_a_look(struct tyst_detector *d, const char *p, size_t i, unsigned *k)
{
	const struct tok *t = &d->toks[i];
	uint32_t h = tyst_rules_lower_hash(p + t->s, t->e - t->s);
	unsigned k1 = tyst_rules_hash_key(h, 1), k2 = tyst_rules_hash_key(h, 2);

	*k = h & 0xffff;        /* tyst_rules_lower_key()'s two halves */
	if (d->cue_next == i)
		return 1;       /* "som hette björn" */
	if (((d->any_bits[0][*k >> 3] >> (*k & 7)) & 1) &&
	    ((d->any_bits[1][k1 >> 3] >> (k1 & 7)) & 1) &&
	    ((d->any_bits[2][k2 >> 3] >> (k2 & 7)) & 1))
		return 1;
	/* Both masks: with one, a line of n names let in about n words in
	 * 64 to be compared with them; with both, about n * n in 4096. */
	return d->nfw > 0 && line_maybe(d, p, *k) &&
	    (d->line_mask1 & (1ULL << (k1 & 63))) != 0;
}

/* The end of a Teams label's tail at i: blanks, "(Extern)" or the like,
 * blanks, a time "0:03" or "1:02:04", blanks; or 0 when something else
 * follows. */
static size_t
label_tail(const char *p, size_t len, size_t i)
{
	static const char *const marks[] = {
		"(Extern)", "(extern)", "(Gäst)", "(gäst)", "(Guest)",
		"(External)", NULL
	};
	size_t n;

	i = skip_blanks(p, len, i);
	for (const char *const *m = marks; *m != NULL; m++) {
		n = strlen(*m);
		if (len - i >= n && memcmp(p + i, *m, n) == 0) {
			i = skip_blanks(p, len, i + n);
			break;
		}
	}
	for (int parts = 0; i < len && isdigit((unsigned char)p[i]);
	    parts++) {
		size_t s = i;

		while (i < len && isdigit((unsigned char)p[i]))
			i++;
		if (i - s > 2 || (parts > 0 && i - s != 2) || parts > 2)
			return 0;
		if (i < len && p[i] == ':')
			i++;
		else if (parts == 0)
			return 0;
	}
	i = skip_blanks(p, len, i);
	while (i < len && p[i] == '\r')
		i++;
	return i == len ? i : 0;
}

/* Puts a person's name p[s..e) at d->fw[at], the findings after it moved
 * on: a label's words come first in their line. */
static int
insert_person(struct tyst_detector *d, size_t at, size_t s, size_t e)
{
	struct fnd *f;

	if (push(&d->fw, &d->nfw, &d->capfw) == NULL)
		return -1;
	memmove(d->fw + at + 1, d->fw + at,
	    (d->nfw - 1 - at) * sizeof(*d->fw));
	f = &d->fw[at];
	memset(f, 0, sizeof(*f));
	f->s = s;
	f->e = f->be = e;
	f->cat = d->cat_person;
	f->source = "heuristic speaker";
	f->conf = TYST_CANDIDATE;
	return 0;
}

/*
 * A Teams speaker label "Gran, Linnea (Extern)" on a line of its own (its
 * time on the same line or the next; in brackets too, "[Gran, Linnea]"):
 * when the given name after the comma is a person found, or an initial
 * ("Gran, L."), the capitalised word before it is the surname though it
 * is a common word too.  Greetings ("Tack, Anna", "Hej, Anna") are not.
 */
static int
label_surname(struct tyst_detector *d, const char *p, size_t len)
{
	static const char *const greetings[] = {
		"Hej", "Tack", "Hallå", "Okej", "Ok", "Precis", "Absolut",
		"Visst", "Förlåt", "Ursäkta", "Godmorgon", "Hejdå", "Välkommen",
		"Grattis", "Nämen", "Jaså", "Kom", "Titta", "Lyssna", NULL
	};
	const struct tok *sn, *gn;
	size_t k, end, n, at = skip_blanks(p, len, 0);
	char low[64];
	int bracket = 0, initial;

	if (d->ntoks < 2)
		return 0;
	if (at < len && p[at] == '[') {
		bracket = 1;
		at = skip_blanks(p, len, at + 1);
	}
	sn = &d->toks[0];
	gn = &d->toks[1];
	if (!sn->upper || sn->digit || sn->caps || sn->letters < 2 ||
	    !gn->upper || gn->digit || sn->s != at ||
	    sn->e + 2 != gn->s || p[sn->e] != ',' || p[sn->e + 1] != ' ')
		return 0;
	end = gn->e;
	initial = gn->letters == 1 && gn->e - gn->s == 1 && end < len &&
	    p[end] == '.';
	if (initial)
		end++;          /* "Gran, L." */
	else if (d->ntoks > 2 && d->toks[2].upper && !d->toks[2].digit &&
	    d->toks[2].s == end + 1 && p[end] == ' ')
		end = d->toks[2].e;     /* "Berg, Anna Karin" */
	if (bracket && (end >= len || p[end++] != ']'))
		return 0;
	if (label_tail(p, len, end) == 0)
		return 0;
	if ((n = tyst_lower(p + sn->s, sn->e - sn->s, low, sizeof(low))) == 0 ||
	    in_class(d, W_FUNCTION, low, n) || filler(low, n))
		return 0;
	for (const char *const *g = greetings; *g != NULL; g++)
		if (strlen(*g) == sn->e - sn->s &&
		    memcmp(*g, p + sn->s, sn->e - sn->s) == 0)
			return 0;
	for (k = 0; k < d->nfw; k++)
		if (d->fw[k].s < sn->e && d->fw[k].e > sn->s)
			return 0;       /* taken already */
	for (k = 0; k < d->nfw; k++)
		if (d->fw[k].s < gn->e && d->fw[k].e > gn->s)
			break;
	if (initial) {
		if (k == d->nfw && insert_person(d, 0, gn->s, gn->e + 1) < 0)
			return -1;
	} else if (k == d->nfw || d->fw[k].s != gn->s ||
	    d->fw[k].cat != d->cat_person)
		return 0;
	return insert_person(d, 0, sn->s, sn->e);
}

/*
 * "IP: linnea är äldst": a person's name seen capitalised that is a common
 * word in lower case ("linnea", "björn", "stig") is found in lower case
 * only where it opens a sentence or a turn and a verb follows, as the
 * subject.  Elsewhere it stays the word ("en linnea", "per dag").
 */
static int
seen_opening(struct tyst_detector *d, const char *p, size_t i)
{
	const struct tok *t = &d->toks[i], *n;
	unsigned k = lower_key(p, t);
	const uint32_t *v;

	if (!(d->seen_common[k >> 3] & (1u << (k & 7))))
		return 0;
	v = tyst_strtab_get(&d->seen, p + t->s, t->e - t->s);
	if (v == NULL || (int)*v - 1 != d->cat_person)
		return 0;
	n = near_tok(d, p, i, 1);
	if (n == NULL || n->upper || n->digit)
		return 0;
	if (!lower_word_is(d, p, n, W_VERB) &&
	    !tyst_lexicon_finite_verb(d->r->lex, p + n->s, n->e - n->s))
		return 0;
	return add_word(d, t->s, t->e, t->e, d->cat_person,
	    "heuristic seen-name", TYST_CANDIDATE, NULL);
}

static int
words(struct tyst_detector *d, const char *p, size_t len)
{
	size_t fi = 0;
	int rc;

	d->nfw = 0;
	d->linelen = len;
	rc = speaker_label(d, p, len);
	if (rc < 0)
		return -1;
	d->cue_next = 0;
	d->line_mask = 0;
	d->line_mask1 = 0;
	d->line_masked = 0;
	for (size_t i = 0; i < d->ntoks; i++) {
		struct tok *t = &d->toks[i];
		int n;

		if (t->done) {
			if (!t->upper && t->letters >= 3)
				mark_cue(d, p, i, lower_key(p, t));
			continue;
		}
		if (covered(d, &fi, t)) {
			if ((n = list_over_pattern(d, p, fi, i)) < 0)
				return -1;
			t->done = 1;
			continue;
		}
		if (!t->upper) {
			size_t had = d->nfw;
			unsigned k;

			if (d->r->lower_words && lower_word(d, p, i) < 0)
				return -1;
			if (d->nfw == had && t->letters >= 3 && !t->digit &&
			    worth_a_look(d, p, i, &k) &&
			    lower_token(d, p, i, k) < 0)
				return -1;
			if (d->nfw == had && t->start && t->letters >= 3 &&
			    !t->digit && d->seen.n > 0 &&
			    seen_opening(d, p, i) < 0)
				return -1;
			if (d->nfw == had && t->hyphen &&
			    particle_name(d, p, t) < 0)
				return -1;
			continue;
		}
		if (t->digit && !name_then_digits(d, p, t))
			continue;
		if (d->r->maxwords > 1) {
			n = multiword(d, p, i);
			if (n < 0)
				return -1;
			if (n > 0) {
				i += (size_t)n - 1;
				continue;
			}
		}
		if (one_word(d, p, i) < 0)
			return -1;
	}
	if (d->cat_person >= 0 && label_surname(d, p, len) < 0)
		return -1;
	drop_taken(d, p, len);
	join_names(d, p);
	extend_places(d, p, len);
	remember(d, p);
	return 0;
}

/*
 * Every line opens a sentence, whatever ends the one before: subtitle
 * cues, headings, list items and turns typed without a full stop start
 * with a capital that says nothing of a name, so the lexicon judges the
 * first word there as it does after a full stop.
 */
#define LINE_OPENS 1

/* *at and *col: the byte and the column counted up to so far in the line;
 * findings come in text order, so each count goes on from the last. */
static void
fill(struct tyst_finding *out, const struct tyst_detector *d,
    const struct tyst_line *ln, size_t col0, const struct fnd *f, size_t *at,
    size_t *col)
{
	if (f->s < *at) {
		*at = 0;
		*col = 0;
	}
	*col += tyst_utf8_count(ln->p + *at, f->s - *at);
	*at = f->s;
	out->start = ln->off + f->s;
	out->end = ln->off + f->e;
	out->base_end = ln->off + f->be;
	out->line = ln->lineno;
	out->col = col0 + *col + 1;
	out->category = d->r->cats[f->cat];
	out->source = f->source;
	out->confidence = f->conf;
	out->attrs = f->attrs;
	out->text = ln->p + f->s;
}

/* Reports the line's findings, both lists merged in text order (they are
 * sorted and disjoint); of a part of a long line, those that start in its
 * own bytes (text.h).  0, or 1 when fn stopped. */
static int
report_line(struct tyst_detector *d, const struct tyst_line *ln,
    const struct tyst_part *pt, tyst_finding_fn fn, void *ctx)
{
	size_t a = 0, b = 0, at = 0, col = 0;

	while (a < d->nfs || b < d->nfw) {
		const struct fnd *f;
		struct tyst_finding out;

		if (b == d->nfw || (a < d->nfs && d->fs[a].s < d->fw[b].s))
			f = &d->fs[a++];
		else
			f = &d->fw[b++];
		if (f->s < pt->lead || f->s >= pt->lead + pt->own)
			continue;
		/* Padding too: a caller may write the struct out whole. */
		memset(&out, 0, sizeof(out));
		fill(&out, d, ln, pt->col0, f, &at, &col);
		if (fn(&out, ctx) != 0)
			return 1;
	}
	return 0;
}

int
tyst_detector_line(struct tyst_detector *d, const struct tyst_line *ln,
    tyst_finding_fn fn, void *ctx, struct tyst_err *err)
{
	struct tyst_part whole = { 0, ln->len, 0, 0 };
	int start;

	/* Tokens first: structured() looks for numbers read aloud among
	 * them. */
	if ((start = tokenize(d, ln->p, ln->len, d->start)) < 0)
		return tyst_err_set(err, "", ln->lineno, 0, "out of memory");
	if (structured(d, ln->p, ln->len) < 0)
		return tyst_err_set(err, "", ln->lineno, 0,
		    "pattern matching failed (out of memory or match limit)");
	if (words(d, ln->p, ln->len) < 0)
		return tyst_err_set(err, "", ln->lineno, 0, "out of memory");
	d->start = LINE_OPENS;
	return report_line(d, ln, &whole, fn, ctx);
}

/* ---- streams: two threads ------------------------------------------------ */

/*
 * tyst_detect_stream() reads the input in blocks of lines.  Pass 1
 * (patterns) and the tokenizer depend on nothing but the line and whether
 * the line before ended a sentence, so a block's pass 1 can run on either
 * thread, as soon as the block is read.  Pass 2 (words) carries the names
 * seen so far from line to line, so it runs on the calling thread, block
 * after block in input order, with the callbacks.  The calling thread does
 * pass 1 too whenever the next block is not ready, so the two threads share
 * the work whatever its split between the passes.  The findings are the
 * same as line by line.  On one thread (-j1, and for a pipe or a terminal)
 * there are no blocks: run_lines() reads, matches and reports a line at a
 * time.
 */
#define BLOCK_BYTES (256 * 1024)
#define NBLOCKS 4

struct bline {
	struct tyst_line ln;    /* ln.p set when the block is reported */
	struct tyst_part pt;    /* of a long line, the part it is */
	size_t at;              /* the line's bytes in the block's buffer */
	int start;              /* the line opens a sentence */
	size_t fs0, nfs;        /* its pass 1 findings in the block's fs */
	size_t tk0, ntk;        /* its tokens in the block's toks */
};

enum { B_FREE, B_TAKEN, B_READY };

struct block {
	int state;
	char *buf;
	size_t len, cap;
	struct bline *lines;
	size_t n, capn;
	struct fnd *fs;
	size_t nfs, capfs;
	struct tok *toks;
	size_t ntoks, captoks;
	int had_bom;
	int end;                /* the last block: rc 0 (end of input) or -1 */
	int rc;
	struct tyst_err err;
};

struct stream {
	struct tyst_reader *rd;
	size_t block_bytes;     /* a block is read up to this size */
	int start;              /* the next line read opens a sentence */
	size_t next_read;       /* blocks read so far */
	int eof;                /* the last block is read */
	int cancel;
	struct block blk[NBLOCKS];
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void
block_free(struct block *b)
{
	free(b->buf);
	free(b->lines);
	free(b->fs);
	free(b->toks);
}

/* Appends n items of size sz to the array *v of *len (capacity *cap). */
static int
append(void **v, size_t *len, size_t *cap, const void *items, size_t n,
    size_t sz)
{
	if (n == 0)
		return 0;
	if (grow(v, cap, *len + n, sz) < 0)
		return -1;
	memcpy((char *)*v + *len * sz, items, n * sz);
	*len += n;
	return 0;
}

/* Copies one line into the block. */
static int
block_line(struct stream *st, struct block *b, const struct tyst_line *ln)
{
	struct bline *bl;
	size_t n = ln->len + ln->eol;

	if (grow((void **)&b->lines, &b->capn, b->n + 1, sizeof(*b->lines)) <
	    0 || grow((void **)&b->buf, &b->cap, b->len + n + 1, 1) < 0)
		return tyst_err_set(&b->err, "", ln->lineno, 0,
		    "out of memory");
	bl = &b->lines[b->n++];
	bl->ln = *ln;
	bl->pt = st->rd->part;
	bl->at = b->len;
	bl->start = st->start;
	memcpy(b->buf + b->len, ln->p, n);
	st->start = LINE_OPENS;
	b->len += n;
	/* Not promised (tyst_line), but a careless strndup stays inside. */
	b->buf[b->len++] = '\0';
	return 0;
}

/* Reads lines into b until it holds BLOCK_BYTES, the input ends, or an
 * error (kept in the block, after the lines before it). */
static void
block_read(struct stream *st, struct block *b)
{
	struct tyst_line ln;
	int rc;

	b->len = b->n = b->nfs = b->ntoks = 0;
	b->end = 0;
	b->rc = 0;
	b->err.msg[0] = '\0';
	while (b->len < st->block_bytes) {
		rc = tyst_reader_next(st->rd, &ln, &b->err);
		if (rc > 0 && block_line(st, b, &ln) < 0)
			rc = -1;
		if (rc <= 0) {
			b->rc = rc;
			b->end = 1;
			st->eof = 1;
			break;
		}
	}
	b->had_bom = st->rd->had_bom;
	st->next_read++;
}

/* Pass 1 and the tokenizer over a block read, with a's buffers.  An error
 * ends the block at its line. */
static void
block_pass1(struct tyst_detector *a, struct block *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct bline *bl = &b->lines[i];
		const char *p = b->buf + bl->at;
		const char *msg = NULL;

		if (tokenize(a, p, bl->ln.len, bl->start) < 0)
			msg = "out of memory";
		else if (structured(a, p, bl->ln.len) < 0)
			msg = "pattern matching failed (out of memory or match "
			    "limit)";
		bl->fs0 = b->nfs;
		bl->nfs = a->nfs;
		bl->tk0 = b->ntoks;
		bl->ntk = a->ntoks;
		if (msg == NULL && (append((void **)&b->fs, &b->nfs, &b->capfs,
		    a->fs, a->nfs, sizeof(*a->fs)) < 0 ||
		    append((void **)&b->toks, &b->ntoks, &b->captoks, a->toks,
		    a->ntoks, sizeof(*a->toks)) < 0))
			msg = "out of memory";
		if (msg != NULL) {
			tyst_err_set(&b->err, "", bl->ln.lineno, 0, "%s", msg);
			b->n = i;
			b->rc = -1;
			b->end = 1;
			return;
		}
	}
}

/* Pass 2 and the callbacks over one block: 0, 1 when a callback stopped,
 * -1 on an error. */
static int
block_report(struct tyst_detector *d, struct block *b,
    const struct tyst_stream_fns *fns, struct tyst_err *err)
{
	for (size_t i = 0; i < b->n; i++) {
		struct bline *bl = &b->lines[i];
		struct tyst_line ln = bl->ln, own = bl->ln;

		ln.p = b->buf + bl->at;
		/* The hook sees each byte of the input once: of a part of a
		 * long line, its own bytes. */
		own.p = ln.p + bl->pt.lead;
		own.off = ln.off + bl->pt.lead;
		own.len = bl->pt.own;
		if (fns->line != NULL && fns->line(&own, b->had_bom, fns->ctx)
		    != 0)
			return 1;
		d->nfs = 0;
		d->ntoks = 0;
		/* A block with no finding yet has no array: no offset into
		 * it is taken then (a null pointer plus zero is undefined). */
		if ((bl->nfs > 0 && append((void **)&d->fs, &d->nfs, &d->capfs,
		    b->fs + bl->fs0, bl->nfs, sizeof(*d->fs)) < 0) ||
		    (bl->ntk > 0 && append((void **)&d->toks, &d->ntoks,
		    &d->captoks, b->toks + bl->tk0, bl->ntk,
		    sizeof(*d->toks)) < 0) ||
		    words(d, ln.p, ln.len) < 0)
			return tyst_err_set(err, "", ln.lineno, 0,
			    "out of memory");
		d->start = LINE_OPENS;
		if (fns->finding != NULL && report_line(d, &ln, &bl->pt,
		    fns->finding, fns->ctx) != 0)
			return 1;
	}
	if (b->rc < 0) {
		*err = b->err;
		return -1;
	}
	return 0;
}

/*
 * With st->mu held: when a block can be read, reads it (the reader is
 * used under the lock, in block order), runs pass 1 on it unlocked, and
 * returns 1; else 0.
 */
static int
take_block(struct stream *st, struct tyst_detector *a)
{
	struct block *b = &st->blk[st->next_read % NBLOCKS];

	if (st->eof || st->cancel || b->state != B_FREE)
		return 0;
	b->state = B_TAKEN;
	block_read(st, b);
	pthread_mutex_unlock(&st->mu);
	block_pass1(a, b);
	pthread_mutex_lock(&st->mu);
	b->state = B_READY;
	pthread_cond_broadcast(&st->cv);
	return 1;
}

struct helper {
	struct stream *st;
	struct tyst_detector *a;
};

static void *
helper_main(void *arg)
{
	struct helper *h = arg;
	struct stream *st = h->st;

	pthread_mutex_lock(&st->mu);
	while (!st->cancel && !st->eof)
		if (!take_block(st, h->a))
			pthread_cond_wait(&st->cv, &st->mu);
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

/* The calling thread: reports blocks in order, reading and matching one
 * itself when the next is not ready; starts the helper thread once the
 * input proves longer than a block. */
static int
run_stream(struct stream *st, struct tyst_detector *d,
    struct tyst_detector *a, struct helper *h, int threads,
    const struct tyst_stream_fns *fns, struct tyst_err *err)
{
	pthread_t th;
	int started = 0, rc = 0;

	pthread_mutex_lock(&st->mu);
	for (size_t k = 0;;) {
		struct block *b = &st->blk[k % NBLOCKS];

		if (b->state == B_READY && k < st->next_read) {
			pthread_mutex_unlock(&st->mu);
			rc = block_report(d, b, fns, err);
			pthread_mutex_lock(&st->mu);
			b->state = B_FREE;
			pthread_cond_broadcast(&st->cv);
			if (rc != 0 || b->end)
				break;
			k++;
			continue;
		}
		if (take_block(st, a)) {
			if (threads > 1 && !started && !st->eof) {
				started = pthread_create(&th, NULL, helper_main,
				    h) == 0;
				threads = started ? threads : 1;
			}
			continue;
		}
		pthread_cond_wait(&st->cv, &st->mu);
	}
	st->cancel = 1;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	if (started)
		pthread_join(th, NULL);
	return rc;
}

/*
 * One thread: each line is read, matched and reported in turn.  The blocks
 * are there to share the work between two threads, and on one they only
 * cost copies: of every line into a block, and of its tokens and pass 1
 * findings there and back.  The findings, the line hook's calls and the
 * errors are those of run_stream().
 */
static int
run_lines(struct tyst_detector *d, struct tyst_reader *rd,
    const struct tyst_stream_fns *fns, struct tyst_err *err)
{
	struct tyst_line ln, own;
	struct tyst_part pt;
	int rc, start = d->start;

	while ((rc = tyst_reader_next(rd, &ln, err)) > 0) {
		pt = rd->part;
		own = ln;
		own.p = ln.p + pt.lead;
		own.off = ln.off + pt.lead;
		own.len = pt.own;
		if (fns->line != NULL && fns->line(&own, rd->had_bom, fns->ctx)
		    != 0)
			return 1;
		if (tokenize(d, ln.p, ln.len, start) < 0 ||
		    (rc = structured(d, ln.p, ln.len)) < 0 ||
		    words(d, ln.p, ln.len) < 0)
			return tyst_err_set(err, "", ln.lineno, 0, "%s",
			    rc < 0 ? "pattern matching failed (out of memory "
			    "or match limit)" : "out of memory");
		start = LINE_OPENS;
		d->start = LINE_OPENS;
		if (fns->finding != NULL && report_line(d, &ln, &pt,
		    fns->finding, fns->ctx) != 0)
			return 1;
	}
	return rc;
}

int
tyst_default_jobs(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
}

int
tyst_parse_jobs(const char *s, int *jobs)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > 2)
		return -1;
	*jobs = (int)n;
	return 0;
}

int
tyst_detect_stream(struct tyst_detector *d, struct tyst_reader *rd,
    const struct tyst_stream_fns *fns, int threads, struct tyst_err *err)
{
	struct stream *st = calloc(1, sizeof(*st));
	struct tyst_detector *a = NULL;
	struct helper h = { st, NULL };
	struct stat sb;
	int rc = -1;

	if (st == NULL || (a = tyst_detector_new(d->r)) == NULL ||
	    (threads > 1 && (h.a = tyst_detector_new(d->r)) == NULL)) {
		tyst_detector_free(a);
		free(st);
		return tyst_err_set(err, rd->name, 0, 0, "out of memory");
	}
	/* Long lines in windows, so memory stays bounded (text.h). */
	if (rd->win == 0)
		tyst_reader_windows(rd, TYST_WINDOW, TYST_OVERLAP);
	st->rd = rd;
	st->start = d->start;
	st->block_bytes = BLOCK_BYTES;
	/* A pipe or a terminal may bring a line at a time: report each as it
	 * comes, as a filter should, on one thread. */
	if (fstat(rd->fd, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		st->block_bytes = 1;
		threads = 1;
	}
	if (threads == 1) {
		rc = run_lines(d, rd, fns, err);
		goto done;
	}
	if (pthread_mutex_init(&st->mu, NULL) != 0)
		tyst_err_set(err, rd->name, 0, 0, "out of memory (a mutex)");
	else {
		if (pthread_cond_init(&st->cv, NULL) != 0)
			tyst_err_set(err, rd->name, 0, 0, "out of memory (a "
			    "condition variable)");
		else {
			rc = run_stream(st, d, a, &h, threads, fns, err);
			pthread_cond_destroy(&st->cv);
		}
		pthread_mutex_destroy(&st->mu);
	}
done:
	if (rc < 0 && err->file[0] == '\0')
		snprintf(err->file, sizeof(err->file), "%s", rd->name);
	for (int i = 0; i < NBLOCKS; i++)
		block_free(&st->blk[i]);
	tyst_detector_free(a);
	tyst_detector_free(h.a);
	free(st);
	return rc;
}

void
tyst_detector_reset(struct tyst_detector *d)
{
	if (d->seen.n > 0) {
		tyst_strtab_free(&d->seen);
		tyst_strtab_init(&d->seen);
		memset(d->seen_bits, 0, sizeof(d->seen_bits));
		memset(d->seen_common, 0, sizeof(d->seen_common));
		init_any_bits(d);
	}
	d->start = 1;
}

int
tyst_detect_buffer(const struct tyst_rules *rules, const char *name,
    const char *buf, size_t len, tyst_finding_fn fn, void *ctx,
    struct tyst_err *err)
{
	struct tyst_detector *d = tyst_detector_new(rules);
	int rc;

	if (d == NULL)
		return tyst_err_set(err, name, 0, 0, "out of memory");
	rc = tyst_detector_buffer(d, name, buf, len, fn, ctx, err);
	tyst_detector_free(d);
	return rc;
}

int
tyst_detector_buffer(struct tyst_detector *d, const char *name,
    const char *buf, size_t len, tyst_finding_fn fn, void *ctx,
    struct tyst_err *err)
{
	struct tyst_line ln;
	size_t pos = 0, lineno = 0;
	int rc = 0;

	tyst_detector_reset(d);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len && rc == 0) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len, bad;
		int nul;

		ln.p = buf + pos;
		ln.off = pos;
		ln.lineno = ++lineno;
		ln.eol = nl != NULL;
		if (end > pos && buf[end - 1] == '\r' && nl != NULL) {
			end--;
			ln.eol = 2;
		}
		ln.len = end - pos;
		if (tyst_utf8_check(ln.p, ln.len, &bad, &nul) < 0) {
			rc = tyst_err_set(err, name, lineno,
			    tyst_utf8_count(ln.p, bad) + 1, nul ?
			    "NUL byte: binary file, not a transcript" :
			    "invalid UTF-8");
			break;
		}
		rc = tyst_detector_line(d, &ln, fn, ctx, err);
		if (rc < 0 && err != NULL && err->file[0] == '\0')
			snprintf(err->file, sizeof(err->file), "%s", name);
		pos = end + ln.eol;
		if (nl == NULL)
			break;
	}
	return rc < 0 ? -1 : 0;
}
