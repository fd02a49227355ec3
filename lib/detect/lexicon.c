/*
 * lexicon — Swedish common words (include/tyst/lexicon.h), read once per
 * process from the word lists Debian ships, to tell a name at the start
 * of a sentence from a common word there.  Also the little Unicode case
 * mapping Swedish names need (Å, Ä, Ö, É and their kin), so the detector
 * does not depend on the locale.
 */
#include "tyst/lexicon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tyst/gazetteer.h"
#include "tyst/text.h"

#define DEFAULT_LISTS "/usr/share/dict/swedish:/usr/share/hunspell/sv_SE.dic"
#define MAXWORD 128

struct tyst_lexicon {
	struct tyst_strtab words;
};

static struct tyst_lexicon *shared;
static int shared_refs;

int
tyst_cp_upper(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return 1;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return 1;
	if (cp >= 0x100 && cp <= 0x17f)
		return (cp & 1) == 0 && cp != 0x138;
	return 0;
}

int
tyst_cp_lower(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return 1;
	if (cp >= 0xdf && cp <= 0xff && cp != 0xf7)
		return 1;
	if (cp >= 0x100 && cp <= 0x17f)
		return (cp & 1) == 1 || cp == 0x138;
	return 0;
}

int
tyst_cp_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	if (cp < 0xc0)
		return cp == 0xaa || cp == 0xb5 || cp == 0xba;
	if (cp == 0xd7 || cp == 0xf7)
		return 0;
	if (cp < 0x2000)
		return 1;
	/* Punctuation and symbols live in U+2000..U+2BFF; past that, CJK and
	 * the rest are treated as letters so their words stay whole. */
	return cp >= 0x2c00 && cp != 0x3000 && !(cp >= 0xfe00 && cp <= 0xfe6f) &&
	    !(cp >= 0xff00 && cp <= 0xff20);
}

uint32_t
tyst_cp_tolower(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x17f && tyst_cp_upper(cp))
		return cp + 1;
	return cp;
}

static size_t
put_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t
tyst_lower(const char *w, size_t len, char *out, size_t cap)
{
	size_t i = 0, n = 0;

	while (i < len) {
		unsigned char c = (unsigned char)w[i];
		uint32_t cp;
		size_t k;

		if (n + 4 > cap)
			return 0;
		/* Most text is ASCII and Latin-1 letters (å, ä, ö: 0xc3 and
		 * one byte): lower those bytes in place, without decoding. */
		if (c < 0x80) {
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		if (c == 0xc3 && i + 1 < len &&
		    ((unsigned char)w[i + 1] & 0xc0) == 0x80) {
			unsigned char c2 = (unsigned char)w[i + 1];

			out[n++] = (char)c;
			out[n++] = (char)(c2 <= 0x9e && c2 != 0x97 ? c2 + 0x20 :
			    c2);
			i += 2;
			continue;
		}
		k = tyst_utf8_decode(w + i, len - i, &cp);
		if (k == 0)
			return 0;
		n += put_utf8(tyst_cp_tolower(cp), out + n);
		i += k;
	}
	return n;
}

/*
 * The word classes hunspell-sv's affix flags (sv_SE.aff) say a stem has:
 * the flags of a noun's definite and plural forms (D "-en", E "-n", G
 * "-ar", H "-er", B and C "-et", F "-na") and of a verb's tenses (m "-r",
 * M "-de"/"-t", N "-des", K "-er"/"-te"/"-de", L "-s", O "-d").  A stem
 * may have both ("rosa": a colour, and to praise).
 */
#define PLURAL_AR 0x100u       /* G: "lek" "lekar" */
#define PLURAL_ER 0x200u       /* H: "bild" "bilder" */
#define DEF_EN 0x400u          /* D: "mobil" "mobilen" */
#define DEF_N 0x800u           /* E: "skola" "skolan" */
#define DEF_ET 0x1000u         /* B: "jobb" "jobbet" */

/* A table, as the flags of every stem of the list are read at load. */
static const uint16_t flag_class[256] = {
	['D'] = TYST_LEX_NOUN | DEF_EN, ['E'] = TYST_LEX_NOUN | DEF_N,
	['G'] = TYST_LEX_NOUN | PLURAL_AR, ['H'] = TYST_LEX_NOUN | PLURAL_ER,
	['B'] = TYST_LEX_NOUN | DEF_ET, ['C'] = TYST_LEX_NOUN,
	['F'] = TYST_LEX_NOUN,
	['m'] = TYST_LEX_VERB, ['M'] = TYST_LEX_VERB, ['N'] = TYST_LEX_VERB,
	['K'] = TYST_LEX_VERB, ['L'] = TYST_LEX_VERB, ['O'] = TYST_LEX_VERB,
};

static uint32_t
flag_classes(const char *f, size_t n)
{
	uint32_t c = 0;

	for (size_t k = 0; k < n; k++)
		c |= flag_class[(unsigned char)f[k]];
	return c;
}

/* Adds one line of a word list: the word up to a '/' (hunspell flags) or
 * blank, when it begins with a lower-case letter. */
static int
add_line(struct tyst_lexicon *lex, const char *p, size_t len, int latin1)
{
	char buf[MAXWORD * 2];
	size_t n = 0;
	uint32_t cp, cls = 0, *v;

	for (size_t i = 0; i < len; i++)
		if (p[i] == '/' || p[i] == '\t' || p[i] == ' ' || p[i] == '\r') {
			/* hunspell-sv marks stems that are no words alone:
			 * Z only in compounds ("sverige/AcYZ"), % forbidden,
			 * ¤ needing an affix. */
			if (p[i] == '/') {
				size_t e = i + 1;

				while (e < len && p[e] != '\t' && p[e] != ' ' &&
				    p[e] != '\r')
					e++;
				for (size_t k = i + 1; k < e; k++)
					if (p[k] == 'Z' || p[k] == '%' ||
					    (latin1 ? (unsigned char)p[k] == 0xa4 :
					    (k + 1 < e &&
					    (unsigned char)p[k] == 0xc2 &&
					    (unsigned char)p[k + 1] == 0xa4)))
						return 0;
				cls = flag_classes(p + i + 1, e - i - 1);
			}
			len = i;
			break;
		}
	if (len == 0 || len > MAXWORD)
		return 0;
	if (latin1) {
		for (size_t i = 0; i < len; i++)
			n += put_utf8((unsigned char)p[i], buf + n);
	} else {
		memcpy(buf, p, len);
		n = len;
	}
	tyst_utf8_decode(buf, n, &cp);
	if (!tyst_cp_lower(cp))
		return 0;
	if (tyst_strtab_put(&lex->words, buf, n, 0, &v) < 0)
		return -1;
	*v |= cls;
	return 0;
}

static int
load_list(struct tyst_lexicon *lex, const char *path, struct tyst_err *err)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, bad;
	int nul, latin1, rc = 0;

	if (f == NULL)
		return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
	for (;;) {
		if (len + 65536 > cap) {
			size_t nc = cap ? cap * 2 : 1 << 20;
			char *np = realloc(data, nc);

			if (np == NULL) {
				fclose(f);
				free(data);
				return tyst_err_set(err, path, 0, 0,
				    "out of memory");
			}
			data = np;
			cap = nc;
		}
		size_t got = fread(data + len, 1, cap - len, f);

		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(data);
		return tyst_err_set(err, path, 0, 0, "read error");
	}
	fclose(f);
	/* wswedish is ISO-8859-1, hunspell-sv UTF-8: a list that is not valid
	 * UTF-8 is taken to be Latin-1, as every byte is a Latin-1 character. */
	latin1 = tyst_utf8_check(data, len, &bad, &nul) < 0;
	for (size_t s = 0; s < len && rc == 0;) {
		size_t e = s;

		while (e < len && data[e] != '\n')
			e++;
		rc = add_line(lex, data + s, e - s, latin1);
		s = e + 1;
	}
	free(data);
	if (rc < 0)
		return tyst_err_set(err, path, 0, 0, "out of memory");
	return 0;
}

static struct tyst_lexicon *
load_all(int *missing, struct tyst_err *err)
{
	const char *env = getenv("TYST_LEXICON");
	const char *lists = env != NULL && env[0] != '\0' ? env : DEFAULT_LISTS;
	struct tyst_lexicon *lex = calloc(1, sizeof(*lex));
	char *copy = strdup(lists), *save = NULL;
	int loaded = 0;

	if (lex == NULL || copy == NULL) {
		free(lex);
		free(copy);
		tyst_err_set(err, "", 0, 0, "out of memory");
		return NULL;
	}
	tyst_strtab_init(&lex->words);
	for (char *p = strtok_r(copy, ":", &save); p != NULL;
	    p = strtok_r(NULL, ":", &save)) {
		struct stat st;

		/* A list that is not installed is skipped: the default names
		 * two, and either is enough. */
		if (stat(p, &st) < 0 && errno == ENOENT && env == NULL)
			continue;
		if (load_list(lex, p, err) < 0) {
			tyst_strtab_free(&lex->words);
			free(lex);
			free(copy);
			return NULL;
		}
		loaded++;
	}
	free(copy);
	if (loaded == 0) {
		tyst_strtab_free(&lex->words);
		free(lex);
		*missing = 1;
		return NULL;
	}
	return lex;
}

const struct tyst_lexicon *
tyst_lexicon_acquire(int *missing, struct tyst_err *err)
{
	*missing = 0;
	if (shared == NULL) {
		shared = load_all(missing, err);
		if (shared == NULL)
			return NULL;
	}
	shared_refs++;
	return shared;
}

void
tyst_lexicon_release(const struct tyst_lexicon *lex)
{
	if (lex == NULL || lex != shared)
		return;
	if (--shared_refs > 0)
		return;
	tyst_strtab_free(&shared->words);
	free(shared);
	shared = NULL;
}

size_t
tyst_lexicon_size(const struct tyst_lexicon *lex)
{
	return lex != NULL ? lex->words.n : 0;
}

int
tyst_lexicon_has(const struct tyst_lexicon *lex, const char *w, size_t len)
{
	return lex != NULL && tyst_strtab_get(&lex->words, w, len) != NULL;
}

/* The classes of stem w[0..n) with "a" put after it: "skratt" of
 * "skrattade" is the verb "skratta". */
static uint32_t
stem_a(const struct tyst_lexicon *lex, const char *w, size_t n)
{
	char buf[MAXWORD + 2];
	const uint32_t *v;

	if (n == 0 || n > MAXWORD)
		return 0;
	memcpy(buf, w, n);
	buf[n] = 'a';
	v = tyst_strtab_get(&lex->words, buf, n + 1);
	return v != NULL ? *v : 0;
}

static uint32_t
stem_flags(const struct tyst_lexicon *lex, const char *w, size_t n)
{
	const uint32_t *v = tyst_strtab_get(&lex->words, w, n);

	return v != NULL ? *v : 0;
}

static int
ends_in(const char *w, size_t len, const char *e)
{
	size_t n = strlen(e);

	return len > n && memcmp(w + len - n, e, n) == 0;
}

int
tyst_lexicon_finite_verb(const struct tyst_lexicon *lex, const char *w,
    size_t len)
{
	const uint32_t *v;

	if (lex == NULL || len < 3)
		return 0;
	/* "skrattar", "skrattade": the stem "skratta" and -r, -de. */
	if (ends_in(w, len, "ar") || ends_in(w, len, "ade")) {
		size_t n = len - (w[len - 1] == 'r' ? 1 : 2);

		v = tyst_strtab_get(&lex->words, w, n);
		if (v != NULL && (*v & TYST_LEX_VERB))
			return !(w[len - 1] == 'r' &&
			    (stem_flags(lex, w, len - 2) & PLURAL_AR));
	}
	/* "köper", "köpte", "ringde": the stem "köp"+"a"; not "bilder",
	 * the plural of the noun "bild" ("bilda" is a verb too). */
	if (ends_in(w, len, "er") && (stem_flags(lex, w, len - 2) & PLURAL_ER))
		return 0;
	if (ends_in(w, len, "er") || ends_in(w, len, "te") ||
	    ends_in(w, len, "de"))
		return (stem_a(lex, w, len - 2) & TYST_LEX_VERB) != 0;
	return 0;
}

uint32_t
tyst_lexicon_classes(const struct tyst_lexicon *lex, const char *w,
    size_t len)
{
	const uint32_t *v;

	if (lex == NULL)
		return 0;
	v = tyst_strtab_get(&lex->words, w, len);
	return v != NULL ? *v & (TYST_LEX_NOUN | TYST_LEX_VERB) : 0;
}

static int adjective_form(const struct tyst_lexicon *lex, const char *w,
    size_t len);

static int noun_form(const struct tyst_lexicon *lex, const char *w,
    size_t len);

/* A listed word, or the genitive of one. */
static int
has_or_genitive(const struct tyst_lexicon *lex, const char *w, size_t len)
{
	if (tyst_lexicon_has(lex, w, len))
		return 1;
	if (len > 2 && w[len - 1] == 's' && tyst_lexicon_has(lex, w, len - 1))
		return 1;
	return adjective_form(lex, w, len);
}

/*
 * The definite and plural forms of a noun hunspell-sv lists by its stem
 * only, as its affix flags say (sv_SE.aff: D -en, E -n, B -et, G -ar and
 * -or, H -er, and -na after those), with a genitive s: "Mobilen",
 * "Jobbet", "Skolan", "Bilarna", "Bilderna".  Without them a capitalised
 * noun opening a sentence was an unknown word, and so a name.
 */
static const struct {
	const char *end;        /* of the word */
	unsigned char elen;
	char stem;              /* put back in its place: 'a' of "skolor" */
	uint32_t flag;
} noun_ends[] = {
	{ "en", 2, 0, DEF_EN }, { "n", 1, 0, DEF_N }, { "et", 2, 0, DEF_ET },
	{ "arna", 4, 0, PLURAL_AR }, { "ar", 2, 0, PLURAL_AR },
	{ "arna", 4, 'e', PLURAL_AR }, { "ar", 2, 'e', PLURAL_AR },
	{ "orna", 4, 'a', PLURAL_AR }, { "or", 2, 'a', PLURAL_AR },
	{ "erna", 4, 0, PLURAL_ER }, { "er", 2, 0, PLURAL_ER },
	{ "erna", 4, 'a', PLURAL_ER }, { "er", 2, 'a', PLURAL_ER },
};

static int
noun_form(const struct tyst_lexicon *lex, const char *w, size_t len)
{
	char buf[MAXWORD + 2];
	char last;

	if (len > 3 && w[len - 1] == 's')
		len--;          /* "Mobilens", "Bilarnas" */
	if (len < 4)
		return 0;
	/* Every ending ends in one of these: most words are let go here. */
	last = w[len - 1];
	if (last != 'n' && last != 't' && last != 'r' && last != 'a')
		return 0;
	for (size_t i = 0; i < sizeof(noun_ends) / sizeof(noun_ends[0]);
	    i++) {
		size_t e = noun_ends[i].elen, a = noun_ends[i].stem != 0;
		size_t n = len - e;

		if (noun_ends[i].end[e - 1] != last || len < e + 3 ||
		    n + a > MAXWORD || memcmp(w + n, noun_ends[i].end, e) != 0)
			continue;
		memcpy(buf, w, n);
		buf[n] = noun_ends[i].stem;     /* or nothing, when a is 0 */
		if (stem_flags(lex, buf, n + a) & noun_ends[i].flag)
			return 1;
	}
	return 0;
}

/*
 * "värnpliktiga", "värnpliktigt", "psykiska": hunspell-sv lists adjectives
 * by their stem only, and wswedish misses many forms.  An -a, -t or -e on
 * a listed stem in -ig or -isk is the adjective; no name ends so.
 */
static int
adjective_form(const struct tyst_lexicon *lex, const char *w, size_t len)
{
	size_t n = len - 1;

	if (len < 6 || (w[n] != 'a' && w[n] != 't' && w[n] != 'e'))
		return 0;
	if (!(w[n - 2] == 'i' && w[n - 1] == 'g') &&
	    !(w[n - 3] == 'i' && w[n - 2] == 's' && w[n - 1] == 'k'))
		return 0;
	return tyst_lexicon_has(lex, w, n);
}

static int common_compound(const struct tyst_lexicon *lex, const char *buf,
    size_t n);
static int two_part_head(const struct tyst_lexicon *lex, const char *buf,
    size_t n);

/*
 * A compound's head with its linking letter: "arbets-" (arbete),
 * "gatu-" (gata), "kvinno-" (kvinna), "barn|s-".
 */
static int
linked_head(const struct tyst_lexicon *lex, const char *w, size_t n)
{
	char buf[MAXWORD * 2];
	char last = w[n - 1];

	if (n < 3 || n >= sizeof(buf))
		return 0;
	if (last != 's' && last != 'a' && last != 'e' && last != 'o' &&
	    last != 'u')
		return 0;
	if ((last == 's' || last == 'e') && tyst_lexicon_has(lex, w, n - 1))
		return 1;       /* "arbets|", "familje|" */
	memcpy(buf, w, n - 1);
	buf[n - 1] = 'e';
	if (tyst_lexicon_has(lex, buf, n))
		return 1;
	buf[n - 1] = 'a';
	return tyst_lexicon_has(lex, buf, n);
}

/*
 * The endings Swedish surnames and place names are built from
 * ("Berg|ström", "Öst|lund", "Sjö|berg"): a compound ending in one is
 * more often a name than a common word, so it does not count as one.
 */
static int
name_element(const char *w, size_t len)
{
	static const char *const ends[] = {
		"berg", "bergs", "borg", "bäck", "dahl", "dal", "fors", "gren",
		"grens", "gård", "hed", "holm", "kvist", "lind", "ling", "lund",
		"lunds", "mark", "näs", "qvist", "sjö", "skog", "son", "sson",
		"stam", "stedt", "strand", "ström", "ströms", "sund", "vall",
		"vik", "åker", NULL
	};

	for (const char *const *e = ends; *e != NULL; e++)
		if (strlen(*e) == len && memcmp(*e, w, len) == 0)
			return 1;
	return 0;
}

int
tyst_lexicon_common(const struct tyst_lexicon *lex, const char *w, size_t len)
{
	char buf[MAXWORD * 2];
	size_t n;

	if (lex == NULL)
		return 0;
	n = tyst_lower(w, len, buf, sizeof(buf));
	if (n == 0)
		return 0;
	if (has_or_genitive(lex, buf, n))
		return 1;
	/* A form the lists do not hold as it is counts as a compound does:
	 * "Kaffestugan!" standing alone may still be a café's name. */
	if (noun_form(lex, buf, n))
		return 2;
	return common_compound(lex, buf, n) ? 2 : 0;
}

/* A compound of listed words (buf already lower-cased). */
static int
common_compound(const struct tyst_lexicon *lex, const char *buf, size_t n)
{
	/*
	 * Swedish writes compounds as one word, and no list holds them all:
	 * "Sjukskrivningen" is "sjuk" + "skrivningen".  A split into a listed
	 * head (of three letters or more, maybe with a linking -s-) and a
	 * listed tail of four or more counts as common.  Names that happen to
	 * split so ("Bergström") are kept by the gazetteers, which the
	 * detector asks first.  A head that is itself such a compound makes
	 * three parts ("familje|behandlar|en" through "tunnel|borr|maskinen");
	 * deeper splits are rare enough, and cost too many lookups.
	 */
	for (size_t i = 3; i + 4 <= n; i++) {
		if (((unsigned char)buf[i] & 0xc0) == 0x80)
			continue;
		if (name_element(buf + i, n - i) ||
		    (!has_or_genitive(lex, buf + i, n - i) &&
		    !noun_form(lex, buf + i, n - i)))
			continue;
		if (tyst_lexicon_has(lex, buf, i) || linked_head(lex, buf, i))
			return 1;
		if (i >= 6 && two_part_head(lex, buf, i))
			return 1;
	}
	return 0;
}

/* Whether buf[0..n) is two listed words, the second maybe with a linking
 * letter: the head of a three-part compound. */
static int
two_part_head(const struct tyst_lexicon *lex, const char *buf, size_t n)
{
	for (size_t i = 3; i + 3 <= n; i++) {
		if (((unsigned char)buf[i] & 0xc0) == 0x80)
			continue;
		if (!tyst_lexicon_has(lex, buf + i, n - i) &&
		    !linked_head(lex, buf + i, n - i))
			continue;
		if (tyst_lexicon_has(lex, buf, i) || linked_head(lex, buf, i))
			return 1;
	}
	return 0;
}
