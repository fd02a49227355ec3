/*
 * Unit tests of the detection engine (lib/detect/detect.c), the rules loader
 * (lib/detect/rules.c), gazetteers and the lexicon, on the small rule set in
 * tests/data/detect/ so they do not depend on the shipped lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/detect.h"
#include "tyst/lexicon.h"
#include "tyst/rules.h"

#define MAXF 64

struct got {
	size_t n;
	struct {
		char cat[32];
		char text[128];
		char source[64];
		char attrs[128];
		enum tyst_confidence conf;
		uint64_t start, end, base_end;
		size_t line, col;
	} f[MAXF];
};

static const char *
data(const char *name)
{
	static char path[1024];
	const char *src = getenv("TYST_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/data/detect/%s",
	    src ? src : ".", name);
	return path;
}

static int
collect(const struct tyst_finding *f, void *ctx)
{
	struct got *g = ctx;

	if (g->n == MAXF)
		return 1;
	snprintf(g->f[g->n].cat, sizeof(g->f[0].cat), "%s", f->category);
	snprintf(g->f[g->n].text, sizeof(g->f[0].text), "%.*s",
	    (int)(f->end - f->start), f->text);
	snprintf(g->f[g->n].source, sizeof(g->f[0].source), "%s", f->source);
	snprintf(g->f[g->n].attrs, sizeof(g->f[0].attrs), "%s",
	    f->attrs ? f->attrs : "");
	g->f[g->n].conf = f->confidence;
	g->f[g->n].start = f->start;
	g->f[g->n].end = f->end;
	g->f[g->n].base_end = f->base_end;
	g->f[g->n].line = f->line;
	g->f[g->n].col = f->col;
	g->n++;
	return 0;
}

static struct tyst_rules *
load(const char *name)
{
	struct tyst_rules *r = NULL;
	struct tyst_err err;

	if (tyst_rules_load(&r, data(name), &err) < 0)
		fail_msg("%s:%zu:%zu: %s", err.file, err.line, err.col, err.msg);
	return r;
}

static void
scan(const struct tyst_rules *r, const char *text, struct got *g)
{
	struct tyst_err err;

	memset(g, 0, sizeof(*g));
	assert_int_equal(tyst_detect_buffer(r, "t", text, strlen(text),
	    collect, g, &err), 0);
}

/* The index of the finding with this text, or -1. */
static int
find(const struct got *g, const char *text)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->f[i].text, text) == 0)
			return (int)i;
	return -1;
}

static void
expect(const struct got *g, const char *text, const char *cat)
{
	int i = find(g, text);

	if (i < 0)
		fail_msg("no finding \"%s\"", text);
	assert_string_equal(g->f[i].cat, cat);
}

static void
expect_none(const struct got *g, const char *text)
{
	if (find(g, text) >= 0)
		fail_msg("unexpected finding \"%s\"", text);
}

static void
test_gazetteer_and_words(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;
	int i;

	(void)state;
	scan(r, "Hon träffade Erik och Tindra i Hudiksvall.\n", &g);
	expect(&g, "Erik", "PERSON");
	i = find(&g, "Erik");
	assert_string_equal(g.f[i].source, "gazetteer first-names");
	assert_string_equal(g.f[i].attrs, "sex=m");
	assert_int_equal(g.f[i].conf, TYST_LIKELY);
	assert_int_equal(g.f[i].start, 14);     /* "ä" is two bytes */
	assert_int_equal(g.f[i].end, 18);
	assert_int_equal(g.f[i].col, 14);
	i = find(&g, "Tindra");
	assert_int_equal(g.f[i].conf, TYST_CERTAIN);
	assert_string_equal(g.f[i].source, "words PERSON");
	expect(&g, "Hudiksvall", "PLACE");
	i = find(&g, "Hudiksvall");
	assert_string_equal(g.f[i].attrs,
	    "lan=Gävleborgs län\tlandsdel=Norrland");
	assert_int_equal(g.n, 3);
	tyst_rules_free(r);
}

static void
test_genitive_and_multiword(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;
	int i;

	(void)state;
	scan(r, "Vi åkte till Upplands Väsby och sen till Eriks mamma på "
	    "ICA Maxi.\n", &g);
	expect(&g, "Upplands Väsby", "PLACE");
	expect(&g, "ICA Maxi", "ORG");
	expect(&g, "Eriks", "PERSON");
	i = find(&g, "Eriks");
	assert_int_equal(g.f[i].base_end, g.f[i].end - 1);
	i = find(&g, "Upplands Väsby");
	assert_int_equal(g.f[i].base_end, g.f[i].end);
	/* "Vi" is a listed name, but a pronoun opening a sentence. */
	expect_none(&g, "Vi");
	tyst_rules_free(r);
}

static void
test_sentence_start(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;

	(void)state;
	/* Common words opening a sentence are not names; unknown capitalised
	 * words inside a sentence are candidates. */
	scan(r, "Bilen var trasig. Sjukskrivningen tog slut. Sen kom Leija "
	    "hit.\n", &g);
	expect_none(&g, "Bilen");
	expect_none(&g, "Sjukskrivningen");
	expect_none(&g, "Sen");
	expect(&g, "Leija", "PERSON");
	assert_int_equal(g.f[find(&g, "Leija")].conf, TYST_CANDIDATE);
	/* An unknown word opening a sentence that no lexicon knows is
	 * flagged; a listed name there too. */
	scan(r, "Zlatko ringde. Björn kom sen.\n", &g);
	expect(&g, "Zlatko", "PERSON");
	expect(&g, "Björn", "PERSON");
	/* A line broken inside a sentence: the next line continues it. */
	scan(r, "vi pratade med\nLeija om det\n", &g);
	expect(&g, "Leija", "PERSON");
	tyst_rules_free(r);
}

/* A detector reused for another text after tyst_detector_reset() knows
 * nothing of the first: a name seen there no longer marks its lower-case
 * form.  The name is in no list ("erik" in lower case is found as the
 * listed name it is, in any input). */
static void
test_reset(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct tyst_detector *d = tyst_detector_new(r);
	const char *a = "Hon träffade Tuulikki i går.\n";
	const char *b = "sen kom tuulikki hem.\n";
	struct tyst_err err;
	struct got g;

	(void)state;
	assert_non_null(d);
	memset(&g, 0, sizeof(g));
	assert_int_equal(tyst_detector_buffer(d, "a", a, strlen(a), collect, &g,
	    &err), 0);
	expect(&g, "Tuulikki", "PERSON");
	/* Read on in the same input, "tuulikki" is the name seen before. */
	memset(&g, 0, sizeof(g));
	{
		struct tyst_line ln = { b, strlen(b) - 1, 1, 100, 2 };

		assert_int_equal(tyst_detector_line(d, &ln, collect, &g, &err),
		    0);
	}
	expect(&g, "tuulikki", "PERSON");
	/* As another input, it is not. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(tyst_detector_buffer(d, "b", b, strlen(b), collect, &g,
	    &err), 0);
	assert_int_equal(find(&g, "tuulikki"), -1);
	tyst_detector_free(d);
	tyst_rules_free(r);
}

static void
test_context(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;

	(void)state;
	scan(r, "Hon flyttade till Iggesund och jobbar på Skoglunds nu, "
	    "med Maria Hedlund.\n", &g);
	expect(&g, "Iggesund", "PLACE");
	expect(&g, "Skoglunds", "ORG");
	/* A name and the capitalised word after it are one finding. */
	expect(&g, "Maria Hedlund", "PERSON");
	scan(r, "Det var Hedlund och Maria, sen Maria Zlatkovic.\n", &g);
	expect(&g, "Maria Zlatkovic", "PERSON");
	scan(r, "Han bor i Stockholms län nu, i södra Hudiksvall.\n", &g);
	expect(&g, "Stockholms län", "PLACE");
	expect(&g, "södra Hudiksvall", "PLACE");
	scan(r, "Det sa Carl von Essen och H. C. Andersen till Bashar al-Assad.\n",
	    &g);
	expect(&g, "Carl von Essen", "PERSON");
	expect(&g, "H. C. Andersen", "PERSON");
	expect(&g, "Bashar al-Assad", "PERSON");
	tyst_rules_free(r);
}

static void
test_allow_keep(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;

	(void)state;
	scan(r, "Vi var på Arbetsförmedlingen och IPS-mötet, sen på "
	    "Vintergatan med vintergatan-gänget.\n", &g);
	expect_none(&g, "Arbetsförmedlingen");
	expect_none(&g, "IPS-mötet");
	expect_none(&g, "Vintergatan");
	/* A study's own lower-case word is found. */
	expect(&g, "vintergatan-gänget", "PERSON");
	/* Compounds on an acronym are not names: "EU-länderna". */
	scan(r, "Det gällde alla EU-länderna.\n", &g);
	assert_int_equal(g.n, 0);
	tyst_rules_free(r);
}

static void
test_speaker_labels(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;

	(void)state;
	scan(r, "I: Så, hur var det?\nIP2: Bra.\nMona: Ja.\n"
	    "[00:01:02] Dzenan: Nej.\nIntervjuare: Okej.\n", &g);
	expect_none(&g, "I");
	expect_none(&g, "IP2");
	expect_none(&g, "Så");
	expect_none(&g, "Intervjuare");
	expect(&g, "Mona", "PERSON");
	assert_int_equal(g.f[find(&g, "Mona")].line, 3);
	expect(&g, "Dzenan", "PERSON");
	assert_string_equal(g.f[find(&g, "Dzenan")].source,
	    "heuristic speaker");
	assert_int_equal(g.n, 2);
	tyst_rules_free(r);
}

static void
test_structured(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;
	int i;

	(void)state;
	scan(r, "Mejla erik.berg@example.se, pnr 961208-9939, Dnr 2024-117.\n",
	    &g);
	expect(&g, "erik.berg@example.se", "EMAIL");
	expect(&g, "961208-9939", "PNR");
	/* A named group id is the finding, not the whole match. */
	expect(&g, "2024-117", "DNR");
	i = find(&g, "2024-117");
	assert_int_equal(g.f[i].conf, TYST_LIKELY);
	assert_string_equal(g.f[i].source, "rule diarienummer");
	/* In text order, and "erik" inside the address is no name. */
	assert_int_equal(g.n, 3);
	assert_true(g.f[0].start < g.f[1].start && g.f[1].start < g.f[2].start);
	tyst_rules_free(r);
}

/* The same findings line by line through a reader and over a buffer, with
 * CRLF and a BOM counted in the offsets. */
static void
test_buffer_offsets(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	const char *text = "\xef\xbb\xbfHej Erik.\r\nDet var Mona.\r\n";
	struct got g;

	(void)state;
	scan(r, text, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.f[0].start, 7);
	assert_memory_equal(text + g.f[0].start, "Erik", 4);
	assert_int_equal(g.f[1].start, 22);
	assert_memory_equal(text + g.f[1].start, "Mona", 4);
	assert_int_equal(g.f[1].line, 2);
	assert_int_equal(g.f[1].col, 9);
	tyst_rules_free(r);
}

/* No finding holds a brace or is part of a tag. */
static void
expect_no_tags(const struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (strpbrk(g->f[i].text, "{}") != NULL)
			fail_msg("finding \"%s\" holds markup", g->f[i].text);
}

/*
 * tyst-code's inline markup is transparent: a tag changes neither where a
 * sentence starts nor what is found, and is never a finding itself.
 */
static void
test_markup(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;
	int i;

	(void)state;
	/* Common words opening a sentence after a tag, at a line's start and
	 * after a full stop, are not names. */
	scan(r, "{vanligt-arbete}Sjukskrivningen tog slut. {x.1}Bilen var "
	    "trasig.{/x.1}{/vanligt-arbete} {a_b}{c}Jag ringde.{/c}{/a_b}\n",
	    &g);
	assert_int_equal(g.n, 0);
	/* Names inside and right after a tag are found, at their own
	 * offsets; the tag's words are not. */
	scan(r, "{arbete}Erik sa{/arbete} att {plats}Zlatko{/plats} bor i "
	    "{plats}Hudiksvall{/plats}.\n", &g);
	expect(&g, "Erik", "PERSON");
	i = find(&g, "Erik");
	assert_int_equal(g.f[i].start, 8);
	assert_int_equal(g.f[i].col, 9);
	expect(&g, "Zlatko", "PERSON");
	expect(&g, "Hudiksvall", "PLACE");
	assert_int_equal(g.n, 3);
	/* A line that ends a sentence before its closing tag leaves the next
	 * line at a sentence start. */
	scan(r, "Det var bra.{/kod} \nSjukskrivningen tog slut.\n", &g);
	assert_int_equal(g.n, 0);
	/* A tag before a speaker label; a word alone as a sentence. */
	scan(r, "{kod}Dzenan: {kod2}Nej.{/kod2}{/kod}\n", &g);
	expect(&g, "Dzenan", "PERSON");
	assert_string_equal(g.f[0].source, "heuristic speaker");
	assert_int_equal(g.n, 1);
	/* Ids are lower-case code ids: "{Erik}" is a name in braces, and
	 * "{{" a literal brace, so "{{Mona}" holds the name. */
	scan(r, "Det sa {Erik} och {{Mona} igen.\n", &g);
	expect(&g, "Erik", "PERSON");
	expect(&g, "Mona", "PERSON");
	/* A pattern never matches inside a tag. */
	scan(r, "{fas-961208-9939}Vi ringde.{/fas-961208-9939} Dnr 2024-117 "
	    "{{dnr-2024-118}\n", &g);
	expect_no_tags(&g);
	expect(&g, "2024-117", "DNR");
	assert_int_equal(g.n, 1);
	tyst_rules_free(r);
}

/*
 * A pattern's finding that is exactly a listed name yields to the list
 * unless the pattern is certain; a longer match stands.
 */
static void
test_overlap(void **state)
{
	struct tyst_rules *r = load("overlap.yaml");
	struct got g;
	int i;

	(void)state;
	scan(r, "Hon bor i Hudiksvall, nära Brunnsgatan. Sen Hudiksvall 5 "
	    "och Upplands Väsby 7, kod Stockholm.\n", &g);
	i = find(&g, "Hudiksvall");
	assert_true(i >= 0);
	assert_string_equal(g.f[i].cat, "PLACE");
	assert_string_equal(g.f[i].source, "gazetteer places.tsv");
	assert_string_equal(g.f[i].attrs,
	    "lan=Gävleborgs län\tlandsdel=Norrland");
	/* No list knows it: the pattern's finding stands. */
	expect(&g, "Brunnsgatan", "ADDRESS");
	/* With a number it is an address. */
	expect(&g, "Hudiksvall 5", "ADDRESS");
	assert_string_equal(g.f[find(&g, "Hudiksvall 5")].source,
	    "rule numbered");
	expect(&g, "Upplands Väsby 7", "ADDRESS");
	/* A certain pattern wins over the list. */
	expect(&g, "Stockholm", "SECRET");
	assert_int_equal(g.n, 5);
	/* A multiword entry, and a pattern as sure as the list (likely). */
	scan(r, "Vi for till Upplands Väsby.\n", &g);
	expect(&g, "Upplands Väsby", "PLACE");
	assert_int_equal(g.n, 1);
	tyst_rules_free(r);
}

static void
expect_error(const char *name, const char *file_part, size_t line,
    const char *msg_part)
{
	struct tyst_rules *r = NULL;
	struct tyst_err err;

	memset(&err, 0, sizeof(err));
	if (tyst_rules_load(&r, data(name), &err) == 0) {
		tyst_rules_free(r);
		fail_msg("%s loaded", name);
	}
	assert_null(r);
	if (strstr(err.file, file_part) == NULL)
		fail_msg("%s: error names %s, not %s", name, err.file,
		    file_part);
	if (line != 0 && err.line != line)
		fail_msg("%s: error at line %zu, not %zu (%s)", name, err.line,
		    line, err.msg);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("%s: message \"%s\" lacks \"%s\"", name, err.msg,
		    msg_part);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("self.yaml", "self.yaml", 1, "includes itself");
	expect_error("cycle-a.yaml", "cycle-b.yaml", 1, "includes itself");
	expect_error("badregex.yaml", "badregex.yaml", 6, "broken");
	expect_error("missing.yaml", "missing.yaml", 4, "no-such-file.tsv");
	expect_error("latin1.yaml", "latin1.tsv", 2, "UTF-8");
	expect_error("empty.yaml", "empty.yaml", 0, "empty");
	expect_error("norules.yaml", "norules.yaml", 0, "empty rule set");
	expect_error("badyaml.yaml", "badyaml.yaml", 0, "YAML");
	expect_error("badkey.yaml", "badkey.yaml", 2, "wrods");
	expect_error("no-such-rules.yaml", "no-such-rules.yaml", 0, "No such");
}

static void
test_lexicon(void **state)
{
	int missing;
	struct tyst_err err;
	const struct tyst_lexicon *lex = tyst_lexicon_acquire(&missing, &err);

	(void)state;
	if (lex == NULL)
		skip();
	assert_true(tyst_lexicon_size(lex) > 100000);
	assert_true(tyst_lexicon_common(lex, "Bilen", strlen("Bilen")));
	assert_true(tyst_lexicon_common(lex, "Hästar", strlen("Hästar")));       /* Latin-1 */
	assert_true(tyst_lexicon_common(lex, "Arbetsplatsens", strlen("Arbetsplatsens")));
	assert_false(tyst_lexicon_common(lex, "Sverige", strlen("Sverige")));
	assert_false(tyst_lexicon_common(lex, "Bergström", strlen("Bergström")));
	assert_false(tyst_lexicon_common(lex, "Zlatko", strlen("Zlatko")));
	tyst_lexicon_release(lex);
}

/* Word classes from hunspell-sv's affix flags: present and past tense of a
 * verb stem, not a noun's plural, a passive or a word without flags. */
static void
test_lexicon_classes(void **state)
{
	static const char *const verbs[] = {
		"skrattade", "skrattar", "ropar", "ringde", "köper", NULL
	};
	static const char *const others[] = {
		"bilder", "lekar", "saknas", "tröjor", "hemma", "dag", "xyzar",
		"er", NULL
	};
	int missing;
	struct tyst_err err;
	const struct tyst_lexicon *lex = tyst_lexicon_acquire(&missing, &err);

	(void)state;
	if (lex == NULL ||
	    !(tyst_lexicon_classes(lex, "dag", 3) & TYST_LEX_NOUN)) {
		if (lex != NULL)
			tyst_lexicon_release(lex);
		skip();         /* no hunspell-sv, only a flat word list */
	}
	assert_true(tyst_lexicon_classes(lex, "skratta", 7) & TYST_LEX_VERB);
	assert_false(tyst_lexicon_classes(lex, "hemma", 5));
	for (const char *const *w = verbs; *w != NULL; w++)
		assert_true(tyst_lexicon_finite_verb(lex, *w, strlen(*w)));
	for (const char *const *w = others; *w != NULL; w++)
		assert_false(tyst_lexicon_finite_verb(lex, *w, strlen(*w)));
	assert_false(tyst_lexicon_finite_verb(NULL, "ropar", 5));
	tyst_lexicon_release(lex);
}

/* A noun's definite and plural forms, by the flags of the stem the lists
 * hold: common words (wswedish lists some whole, 1); a form known only
 * by its stem counts as a compound does (2), so a listed name that is one
 * still opens a sentence as a name; not a name with such an ending. */
static void
test_lexicon_noun_forms(void **state)
{
	static const char *const forms[] = {
		"mobilen", "Mobilen", "jobbet", "skolan", "bilarna",
		"bilderna", "skolorna", "mobilens", NULL
	};
	int missing;
	struct tyst_err err;
	const struct tyst_lexicon *lex = tyst_lexicon_acquire(&missing, &err);

	(void)state;
	if (lex == NULL ||
	    !(tyst_lexicon_classes(lex, "dag", 3) & TYST_LEX_NOUN)) {
		if (lex != NULL)
			tyst_lexicon_release(lex);
		skip();
	}
	for (const char *const *w = forms; *w != NULL; w++)
		assert_true(tyst_lexicon_common(lex, *w, strlen(*w)) != 0);
	assert_int_equal(tyst_lexicon_common(lex, "Mobilen", 7), 2);
	assert_int_equal(tyst_lexicon_common(lex, "mobilens", 8), 2);
	assert_int_equal(tyst_lexicon_common(lex, "mobil", 5), 1);
	assert_int_equal(tyst_lexicon_common(lex, "Kjellberg", 9), 0);
	assert_int_equal(tyst_lexicon_common(lex, "xyzen", 5), 0);
	tyst_lexicon_release(lex);
}

/* Initials belong to the name they stand in: between a first name and a
 * surname, before a surname, after a name that ends a sentence; not "v."
 * before a number, nor a lone E or I that are words of their own. */
static void
test_initials(void **state)
{
	struct tyst_rules *r = load("rules.yaml");
	struct got g;

	(void)state;
	scan(r, "Det sa Erik G Brandt i går.\n", &g);
	expect(&g, "Erik G Brandt", "PERSON");
	assert_int_equal(g.n, 1);
	scan(r, "Det sa Erik E O Brandt i går.\n", &g);
	expect(&g, "Erik E O Brandt", "PERSON");
	scan(r, "Och läser vi författaren C G Jung så ser vi det.\n", &g);
	expect(&g, "C G Jung", "PERSON");
	scan(r, "Det var en dag med Erik L.\n", &g);
	expect(&g, "Erik L", "PERSON");
	scan(r, "Det var Erik v. 46 och sen Mona V. 47.\n", &g);
	expect(&g, "Erik", "PERSON");
	expect(&g, "Mona", "PERSON");
	scan(r, "Och så sa E Brandt att det gick.\n", &g);
	expect(&g, "Brandt", "PERSON");
	tyst_rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gazetteer_and_words),
		cmocka_unit_test(test_genitive_and_multiword),
		cmocka_unit_test(test_sentence_start),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_allow_keep),
		cmocka_unit_test(test_speaker_labels),
		cmocka_unit_test(test_structured),
		cmocka_unit_test(test_buffer_offsets),
		cmocka_unit_test(test_markup),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_lexicon),
		cmocka_unit_test(test_lexicon_classes),
		cmocka_unit_test(test_lexicon_noun_forms),
		cmocka_unit_test(test_initials),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
