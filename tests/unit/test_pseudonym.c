/*
 * Unit tests for lib/pseudo/pseudonym.c: configuration, the strategies, Swedish
 * morphology, consistency through the key, and exact reversal.  Findings
 * are built by hand, as the detector would report them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tyst/keystore.h"
#include "tyst/pseudonym.h"

static char dir[256];

static void
write_file(const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
path(const char *name)
{
	static char p[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/tyst-pseudoXXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	write_file("first-names.tsv", "# test pool\nErik\tsex=m\nJonas\tsex=m\n"
	    "Lars\tsex=m\nPer\tsex=m\nAnna\tsex=f\nEva\tsex=f\nMona\tsex=f\n"
	    "Sara\tsex=f\nKim\tsex=u\n");
	write_file("surnames.tsv", "Berg\nEngström\nHedlund\nLind\nHolm\n");
	write_file("kommuner.tsv", "# kommuner\nGävle\tlan=Gävleborgs län\t"
	    "landsdel=Norrland\n");
	write_file("base.yaml",
	    "pseudonymise:\n"
	    "  PERSON: { strategy: name }\n"
	    "  PLACE: { strategy: generalise, level: lan, label: ORT }\n"
	    "  ORG: { strategy: placeholder, label: ARBETSPLATS }\n"
	    "  PNR: { strategy: redact, detail: sex-decade }\n"
	    "  PHONE: { strategy: redact, text: \"[telefonnummer]\" }\n"
	    "  ADDRESS: { strategy: redact, text: \"[adress]\" }\n");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct fx {
	struct tyst_pseudo_conf *conf;
	struct tyst_key *key;
	struct tyst_pseudo *p;
};

static void
fx_open(struct fx *x, const char *rules)
{
	struct tyst_err err;

	memset(x, 0, sizeof(*x));
	if (tyst_pseudo_conf_load(&x->conf, path("base.yaml"),
	    rules ? path(rules) : NULL, &err) < 0)
		fail_msg("%s:%zu:%zu: %s", err.file, err.line, err.col, err.msg);
	unlink(path("k.key"));
	unlink(path("k.key-wal"));
	unlink(path("k.key-shm"));
	assert_int_equal(tyst_key_open(&x->key, path("k.key"), TYST_KEY_CREATE,
	    1000, &err), 0);
	assert_int_equal(tyst_pseudo_new(&x->p, x->conf, x->key, &err), 0);
}

static void
fx_close(struct fx *x)
{
	tyst_pseudo_free(x->p);
	tyst_key_close(x->key);
	tyst_pseudo_conf_free(x->conf);
}

/* A finding for the first occurrence of word (after at) in text. */
static struct tyst_finding
find(const char *text, const char *word, size_t at, const char *cat,
    const char *attrs, int genitive)
{
	struct tyst_finding f;
	const char *s = strstr(text + at, word);

	assert_non_null(s);
	memset(&f, 0, sizeof(f));
	f.start = (uint64_t)(s - text);
	f.end = f.start + strlen(word);
	f.base_end = genitive ? f.end - 1 : f.end;
	f.line = 1;
	f.col = 1;
	f.category = cat;
	f.source = "test";
	f.attrs = attrs;
	f.confidence = TYST_CERTAIN;
	return f;
}

/* Rewrites text in one committed key transaction; returns the output. */
static char *
rewrite(struct fx *x, const char *name, const char *text,
    const struct tyst_finding *f, size_t n)
{
	struct tyst_err err;
	char *out;
	size_t outlen;

	assert_int_equal(tyst_key_begin(x->key, &err), 0);
	if (tyst_pseudo_buffer(x->p, name, text, strlen(text), f, n, &out,
	    &outlen, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(tyst_key_commit(x->key, &err), 0);
	tyst_pseudo_commit(x->p);
	assert_int_equal(strlen(out), outlen);
	return out;
}

static int
mem_write(const char *s, size_t n, void *ctx)
{
	char **acc = ctx;
	size_t have = *acc ? strlen(*acc) : 0;

	*acc = realloc(*acc, have + n + 1);
	memcpy(*acc + have, s, n);
	(*acc)[have + n] = '\0';
	return 0;
}

static void
assert_reverses(struct fx *x, const char *name, const char *out,
    const char *orig)
{
	struct tyst_err err;
	char *back = NULL;

	mem_write("", 0, &back);
	if (tyst_pseudo_reverse(x->key, name, out, strlen(out), mem_write,
	    &back, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(back, orig);
	free(back);
}

struct prop {
	int n;
	char a[64], b[64], doc[64];
};

static void
prop_cb(const char *doc, const char *a, const char *b, void *ctx)
{
	struct prop *pr = ctx;

	pr->n++;
	snprintf(pr->a, sizeof(pr->a), "%s", a);
	snprintf(pr->b, sizeof(pr->b), "%s", b);
	snprintf(pr->doc, sizeof(pr->doc), "%s", doc);
}

static int
in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(w, *list) == 0)
			return 1;
	return 0;
}

static void
test_names_keep_sex_and_genitive(void **state)
{
	static const char *const men[] = { "Jonas", "Lars", "Per", NULL };
	static const char *const women[] = { "Anna", "Eva", "Sara", NULL };
	const char *text = "Erik och Mona. Eriks bil var röd.\r\nMona sa nej.\n";
	struct tyst_finding f[4];
	struct fx x;
	char *out, erik[32], mona[32], want[256];

	(void)state;
	fx_open(&x, NULL);
	f[0] = find(text, "Erik", 0, "PERSON", NULL, 0);
	f[1] = find(text, "Mona", 0, "PERSON", NULL, 0);
	f[2] = find(text, "Eriks", 0, "PERSON", NULL, 1);
	f[3] = find(text, "Mona", 12, "PERSON", NULL, 0);
	out = rewrite(&x, "a.txt", text, f, 4);
	assert_int_equal(sscanf(out, "%31s och %31[^.]", erik, mona), 2);
	assert_true(in_list(erik, men));        /* a man's name, not Erik */
	assert_true(in_list(mona, women));      /* a woman's, not Mona */
	/* Everything else byte for byte; the genitive stays a genitive. */
	snprintf(want, sizeof(want), "%s och %s. %s%s bil var röd.\r\n%s sa "
	    "nej.\n", erik, mona, erik, erik[strlen(erik) - 1] == 's' ? "" :
	    "s", mona);
	assert_string_equal(out, want);
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}

static void
test_consistent_across_documents(void **state)
{
	const char *t1 = "Erik ringde.", *t2 = "Sen kom Erik och Per.";
	struct tyst_finding f1[1], f2[2];
	struct tyst_err err;
	struct fx x;
	char *o1, *o2, p1[32], p2[32], per[32];

	(void)state;
	fx_open(&x, NULL);
	f1[0] = find(t1, "Erik", 0, "PERSON", NULL, 0);
	f2[0] = find(t2, "Erik", 0, "PERSON", NULL, 0);
	f2[1] = find(t2, "Per", 0, "PERSON", NULL, 0);
	/* The first pass over both documents, as tyst-pseudo makes it. */
	f1[0].text = t1 + f1[0].start;
	assert_int_equal(tyst_pseudo_note(x.p, &f1[0], &err), 0);
	for (int i = 0; i < 2; i++) {
		f2[i].text = t2 + f2[i].start;
		assert_int_equal(tyst_pseudo_note(x.p, &f2[i], &err), 0);
	}
	o1 = rewrite(&x, "1.txt", t1, f1, 1);
	o2 = rewrite(&x, "2.txt", t2, f2, 2);
	assert_int_equal(sscanf(o1, "%31s", p1), 1);
	assert_int_equal(sscanf(o2, "Sen kom %31s och %31[^.]", p2, per), 2);
	assert_string_equal(p1, p2);
	assert_string_not_equal(p1, per);       /* never shared */
	assert_string_not_equal(per, "Per");    /* never its own */
	assert_string_not_equal(per, "Erik");   /* never another original */
	assert_string_not_equal(p1, "Per");
	assert_reverses(&x, "1.txt", o1, t1);
	assert_reverses(&x, "2.txt", o2, t2);
	free(o1);
	free(o2);
	fx_close(&x);
}

static void
test_noted_originals_are_never_pseudonyms(void **state)
{
	/* The man pool is Erik Jonas Lars Per; with Jonas, Lars and Per all
	 * originals of the run, Erik can only get a placeholder, never one of
	 * their names. */
	const char *text = "Erik, Jonas, Lars och Per.";
	struct tyst_finding f[4];
	struct tyst_err err;
	struct fx x;
	char *out;

	(void)state;
	fx_open(&x, NULL);
	f[0] = find(text, "Erik", 0, "PERSON", NULL, 0);
	f[1] = find(text, "Jonas", 0, "PERSON", NULL, 0);
	f[2] = find(text, "Lars", 0, "PERSON", NULL, 0);
	f[3] = find(text, "Per", 0, "PERSON", NULL, 0);
	for (int i = 0; i < 4; i++) {
		f[i].text = text + f[i].start;
		assert_int_equal(tyst_pseudo_note(x.p, &f[i], &err), 0);
	}
	out = rewrite(&x, "a.txt", text, f, 4);
	for (const char *w = out; *w; w++)
		assert_true(strncmp(w, "Erik", 4) != 0 &&
		    strncmp(w, "Jonas", 5) != 0 && strncmp(w, "Lars", 4) != 0 &&
		    strncmp(w, " Per", 4) != 0);
	assert_non_null(strstr(out, "[PERSON 1]"));
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}

/*
 * A later run brings an original that an earlier run already gave as a
 * pseudonym: it gets its own, different pseudonym, and both documents still
 * reverse exactly (reversal follows the recorded spans, not the text).
 */
static void
test_original_equal_to_earlier_pseudonym(void **state)
{
	const char *t1 = "Erik ringde.", *t2 = "Per och Erik.";
	struct tyst_finding f1[1], f2[2];
	struct tyst_pseudo *p2;
	struct tyst_err err;
	struct fx x;
	char *o1, *o2;

	(void)state;
	mkdir(path("tiny"), 0700);
	write_file("tiny/first-names.tsv", "Erik\tsex=m\nPer\tsex=m\n");
	write_file("tiny/surnames.tsv", "Berg\n");
	write_file("tiny/base.yaml", "pseudonymise:\n  PERSON: { strategy: "
	    "name }\n");
	fx_open(&x, NULL);
	tyst_pseudo_conf_free(x.conf);
	assert_int_equal(tyst_pseudo_conf_load(&x.conf, path("tiny/base.yaml"),
	    NULL, &err), 0);
	tyst_pseudo_free(x.p);
	assert_int_equal(tyst_pseudo_new(&x.p, x.conf, x.key, &err), 0);
	f1[0] = find(t1, "Erik", 0, "PERSON", NULL, 0);
	o1 = rewrite(&x, "1.txt", t1, f1, 1);
	assert_string_equal(o1, "Per ringde.");  /* the only man's name left */

	/* A second run (a new engine, the same key). */
	assert_int_equal(tyst_pseudo_new(&p2, x.conf, x.key, &err), 0);
	tyst_pseudo_free(x.p);
	x.p = p2;
	f2[0] = find(t2, "Per", 0, "PERSON", NULL, 0);
	f2[1] = find(t2, "Erik", 0, "PERSON", NULL, 0);
	o2 = rewrite(&x, "2.txt", t2, f2, 2);
	assert_string_equal(o2, "[PERSON 1] och Per.");
	assert_reverses(&x, "1.txt", o1, t1);
	assert_reverses(&x, "2.txt", o2, t2);
	free(o1);
	free(o2);
	fx_close(&x);
}

static void
test_full_names_and_surnames(void **state)
{
	const char *text = "Rolf Engström kom. Engström sa hej till Rolf.";
	struct tyst_finding f[3];
	struct fx x;
	char *out, a[32], b[32], c[32], d[32];

	(void)state;
	fx_open(&x, NULL);
	f[0] = find(text, "Rolf Engström", 0, "PERSON", NULL, 0);
	f[1] = find(text, "Engström", 10, "PERSON", NULL, 0);
	f[2] = find(text, "Rolf", 20, "PERSON", NULL, 0);
	out = rewrite(&x, "a.txt", text, f, 3);
	assert_int_equal(sscanf(out, "%31s %31s kom. %31s sa hej till %31[^.]",
	    a, b, c, d), 4);
	assert_string_equal(b, c);      /* the surname alone: the same */
	assert_string_equal(a, d);      /* the first name alone: the same */
	assert_true(strstr("Berg Hedlund Lind Holm", b) != NULL);
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}

static void
test_placeholders_places_redaction(void **state)
{
	const char *text =
	    "Jag jobbar på ICA Maxi i Hudiksvall, ICA Maxis lager.\n"
	    "Björkstigen 7 är adressen, ring 070-123 45 67.\n"
	    "IP: Mitt nummer är 19761224-1242 och Coop vet det.\n"
	    "Vi bodde i Rosengård.";
	struct tyst_finding f[7];
	struct fx x;
	char *out;

	(void)state;
	fx_open(&x, NULL);
	f[0] = find(text, "ICA Maxi", 0, "ORG", NULL, 0);
	f[1] = find(text, "Hudiksvall", 0, "PLACE",
	    "lan=Gävleborgs län\tlandsdel=Norrland", 0);
	f[1].source = "gazetteer kommuner";
	f[2] = find(text, "ICA Maxis", 30, "ORG", NULL, 1);
	f[3] = find(text, "Björkstigen 7", 0, "ADDRESS", NULL, 0);
	f[4] = find(text, "19761224-1242", 0, "PNR", NULL, 0);
	f[5] = find(text, "Coop", 0, "ORG", NULL, 0);
	f[6] = find(text, "Rosengård", 0, "PLACE",
	    "stad=Malmö\tlan=Skåne län\tlandsdel=Götaland", 0);
	f[3].category = "ADDRESS";
	out = rewrite(&x, "a.txt", text, f, 7);
	assert_string_equal(out,
	    "Jag jobbar på [ARBETSPLATS 1] i [kommun A i Gävleborgs län], "
	    "[ARBETSPLATS 1]:s lager.\n"
	    "[Adress] är adressen, ring 070-123 45 67.\n"
	    "IP: Mitt nummer är [kvinna, född på 1970-talet] och "
	    "[ARBETSPLATS 2] vet det.\n"
	    "Vi bodde i [stadsdel A i Skåne län].");
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}

static void
test_study_overrides(void **state)
{
	const char *text = "Erik och Mona bor i Rosengård och Gävle.";
	struct tyst_finding f[4];
	struct fx x;
	char *out;

	(void)state;
	write_file("common.yaml",
	    "pseudonymise:\n"
	    "  PLACE: { strategy: generalise, level: stad }\n"
	    "  PERSON: { strategy: placeholder }\n");
	write_file("study.yaml",
	    "name: study\n"
	    "include: [common.yaml]\n"
	    "categories: {}\n"
	    "pseudonymise:\n"
	    "  PERSON: { strategy: role, label: Deltagare }\n"
	    "  roles: { Mona: \"Arbetsspecialist 2\" }\n");
	fx_open(&x, "study.yaml");
	f[0] = find(text, "Erik", 0, "PERSON", NULL, 0);
	f[1] = find(text, "Mona", 0, "PERSON", NULL, 0);
	f[2] = find(text, "Rosengård", 0, "PLACE",
	    "stad=Malmö\tlan=Skåne län", 0);
	f[3] = find(text, "Gävle", 0, "PLACE", NULL, 0);
	f[3].source = "words PLACE";    /* the study's word: the lists know it */
	out = rewrite(&x, "a.txt", text, f, 4);
	assert_string_equal(out, "Deltagare 1 och Arbetsspecialist 2 bor i "
	    "[stadsdel A i Malmö] och [kommun A i Gävleborgs län].");
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}

static void
test_bad_configuration(void **state)
{
	struct tyst_pseudo_conf *c = NULL;
	struct tyst_err err;

	(void)state;
	write_file("bad1.yaml", "pseudonymise:\n  PERSON: { strategy: shuffle }\n");
	assert_int_equal(tyst_pseudo_conf_load(&c, path("base.yaml"),
	    path("bad1.yaml"), &err), -1);
	assert_non_null(strstr(err.msg, "unknown strategy 'shuffle'"));
	assert_int_equal(err.line, 2);
	assert_true(err.col > 1);

	write_file("bad2.yaml", "pseudonymise:\n  PERSON: [name\n");
	assert_int_equal(tyst_pseudo_conf_load(&c, path("base.yaml"),
	    path("bad2.yaml"), &err), -1);
	assert_non_null(strstr(err.msg, "YAML: "));

	write_file("bad3.yaml", "include: [bad3.yaml]\n");
	assert_int_equal(tyst_pseudo_conf_load(&c, path("base.yaml"),
	    path("bad3.yaml"), &err), -1);
	assert_non_null(strstr(err.msg, "nested too deeply"));

	write_file("bad4.yaml", "pseudonymise:\n  person: { strategy: name }\n");
	assert_int_equal(tyst_pseudo_conf_load(&c, path("base.yaml"),
	    path("bad4.yaml"), &err), -1);
	assert_non_null(strstr(err.msg, "unknown key 'person'"));

	assert_int_equal(tyst_pseudo_conf_load(&c, path("base.yaml"),
	    path("missing.yaml"), &err), -1);
	assert_non_null(strstr(err.file, "missing.yaml"));
	assert_null(c);
}


/* The pseudonyms written for the words w[] in out (in order of w). */
static void
pseudonyms_of(const char *out, const char *fmt, int n, char ps[][64])
{
	int got = sscanf(out, fmt, ps[0], ps[1], ps[2], ps[3], ps[4], ps[5],
	    ps[6], ps[7], ps[8], ps[9]);

	assert_int_equal(got, n);
}

/* A study with the persons' pools and a nickname table of its own. */
static void
person_files(void)
{
	write_file("p-first.tsv", "Erik\tsex=m\nJonas\tsex=m\nLars\tsex=m\n"
	    "Göran\tsex=m\nOla\tsex=m\nOlle\tsex=m\nNils\tsex=m\nBo\tsex=m\n"
	    "Ivar\tsex=m\nAnna\tsex=f\nEva\tsex=f\nMona\tsex=f\nSara\tsex=f\n"
	    "Leija\tsex=f\nKarin\tsex=f\nMaja\tsex=f\n");
	write_file("p-nick.tsv", "# short forms\nLasse\tname=Lars\n"
	    "Bosse\tname=Bo\nL-G\tname=Lars-Göran\n");
}

static void
test_one_person_one_pseudonym(void **state)
{
	const char *text =
	    "Mona och mona och MONA. Leija's hund och Leija’s katt, Leija "
	    "själv. Lars-Göran kallas Lasse och L-G. Bo kallas Bosse.";
	static const char *const words[] = { "Mona", "mona", "MONA",
	    "Leija's", "Leija’s", "Leija", "Lars-Göran", "Lasse", "L-G", "Bo",
	    "Bosse", NULL };
	struct tyst_finding f[11];
	struct tyst_err err;
	struct fx x;
	char *out, ps[11][64];
	size_t at = 0;

	(void)state;
	person_files();
	write_file("persons.yaml", "pseudonymise:\n  first_names: p-first.tsv\n"
	    "  nicknames: p-nick.tsv\n");
	fx_open(&x, "persons.yaml");
	for (int i = 0; words[i] != NULL; i++) {
		f[i] = find(text, words[i], at, "PERSON", NULL, 0);
		at = f[i].end;
		f[i].text = text + f[i].start;
		assert_int_equal(tyst_pseudo_note(x.p, &f[i], &err), 0);
	}
	out = rewrite(&x, "a.txt", text, f, 11);
	pseudonyms_of(out, "%63s och %63s och %63[^.]. %63s hund och %63s "
	    "katt, %63s", 6, ps);
	/* Case: one pseudonym, of a woman, none of the originals. */
	assert_string_equal(ps[0], ps[1]);
	assert_string_equal(ps[0], ps[2]);
	assert_string_not_equal(ps[0], "Mona");
	assert_true(in_list(ps[0], (const char *const[]){ "Anna", "Eva",
	    "Sara", "Karin", "Maja", NULL }));
	/* Genitives with either apostrophe are the genitive of Leija's. */
	assert_string_not_equal(ps[5], "Leija");
	{
		char gen[80];

		snprintf(gen, sizeof(gen), "%s%s", ps[5],
		    ps[5][strlen(ps[5]) - 1] == 's' ? "" : "s");
		assert_string_equal(ps[3], gen);
		assert_string_equal(ps[4], gen);
	}
	/* A double name takes its parts' pseudonyms; the short form of the
	 * first part shares its pseudonym, the initials are the pseudonym's. */
	{
		const char *s = strstr(out, "själv. ");
		char dbl[64], nick[64], ini[64], bo[64], bosse[64], a[32], b[32];

		assert_non_null(s);
		assert_int_equal(sscanf(s, "själv. %63s kallas %63s och %63[^.]."
		    " %63s kallas %63[^.].", dbl, nick, ini, bo, bosse), 5);
		assert_int_equal(sscanf(dbl, "%31[^-]-%31s", a, b), 2);
		assert_string_equal(nick, a);
		assert_string_not_equal(a, "Lars");
		assert_string_not_equal(b, "Göran");
		assert_int_equal(strlen(ini), 3);
		assert_int_equal(ini[0], a[0]);
		assert_int_equal(ini[2], b[0]);
		assert_string_equal(bo, bosse);
		assert_string_not_equal(bo, "Bo");
	}
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	/* The same choices in a later run with the key alone. */
	tyst_pseudo_free(x.p);
	assert_int_equal(tyst_pseudo_new(&x.p, x.conf, x.key, &err), 0);
	{
		const char *t2 = "MONA och Lasse.";
		struct tyst_finding g[2];
		char p0[64], p1[64];

		g[0] = find(t2, "MONA", 0, "PERSON", NULL, 0);
		g[1] = find(t2, "Lasse", 0, "PERSON", NULL, 0);
		out = rewrite(&x, "b.txt", t2, g, 2);
		assert_int_equal(sscanf(out, "%63s och %63[^.]", p0, p1), 2);
		assert_string_equal(p0, ps[0]);
		assert_reverses(&x, "b.txt", out, t2);
		free(out);
	}
	fx_close(&x);
}

static void
test_same_person_and_proposals(void **state)
{
	const char *text = "Jonatan kom. Johnatan gick. Erik och Eva. Ivar, "
	    "Ivars.";
	static const char *const words[] = { "Jonatan", "Johnatan", "Erik",
	    "Eva", "Ivar", "Ivars", NULL };
	struct tyst_finding f[6];
	struct tyst_err err;
	struct fx x;
	char *out, a[64], b[64];
	size_t at = 0;
	(void)state;
	person_files();
	write_file("same0.yaml", "pseudonymise:\n  first_names: p-first.tsv\n");
	fx_open(&x, "same0.yaml");
	assert_int_equal(tyst_pseudo_note_doc(x.p, "a.txt", &err), 0);
	for (int i = 0; words[i] != NULL; i++) {
		f[i] = find(text, words[i], at, "PERSON", NULL, 0);
		at = f[i].end;
		f[i].text = text + f[i].start;
		assert_int_equal(tyst_pseudo_note(x.p, &f[i], &err), 0);
	}
	/* Proposed, not merged: Jonatan/Johnatan only (Ivars is Ivar's
	 * genitive; Erik and Eva are more than a letter apart). */
	{
		struct prop pr;

		memset(&pr, 0, sizeof(pr));
		assert_int_equal(tyst_pseudo_proposals(x.p, prop_cb, &pr, &err),
		    0);
		assert_int_equal(pr.n, 1);
		assert_string_equal(pr.a, "Jonatan");
		assert_string_equal(pr.b, "Johnatan");
		assert_string_equal(pr.doc, "a.txt");
	}
	out = rewrite(&x, "a.txt", text, f, 6);
	assert_int_equal(sscanf(out, "%63s kom. %63s gick.", a, b), 2);
	assert_string_not_equal(a, b);
	free(out);
	fx_close(&x);

	/* Confirmed in the rules: one pseudonym. */
	write_file("same1.yaml", "same-person: [[Jonatan, Johnatan]]\n"
	    "pseudonymise:\n  first_names: p-first.tsv\n");
	fx_open(&x, "same1.yaml");
	for (int i = 0; i < 6; i++)
		assert_int_equal(tyst_pseudo_note(x.p, &f[i], &err), 0);
	out = rewrite(&x, "a.txt", text, f, 6);
	assert_int_equal(sscanf(out, "%63s kom. %63s gick.", a, b), 2);
	assert_string_equal(a, b);
	assert_string_not_equal(a, "Jonatan");
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}

static void
test_names_chosen_by_the_study(void **state)
{
	const char *text = "Rosa och Björn Ek, rosa's bror. Anna Ek.";
	struct tyst_finding f[4];
	struct tyst_err err;
	struct fx x;
	char *out;

	(void)state;
	person_files();
	write_file("names.yaml", "names: {Rosa: Emma, \"Björn Ek\": \"Jonas "
	    "Lind\"}\npseudonymise:\n  first_names: p-first.tsv\n"
	    "  PERSON: { strategy: placeholder }\n");
	fx_open(&x, "names.yaml");
	f[0] = find(text, "Rosa", 0, "PERSON", NULL, 0);
	f[1] = find(text, "Björn Ek", 0, "PERSON", NULL, 0);
	f[2] = find(text, "rosa's", 0, "PERSON", NULL, 0);
	f[3] = find(text, "Anna Ek", 0, "PERSON", NULL, 0);
	for (int i = 0; i < 4; i++) {
		f[i].text = text + f[i].start;
		assert_int_equal(tyst_pseudo_note(x.p, &f[i], &err), 0);
	}
	/* Honoured under the placeholder strategy too. */
	out = rewrite(&x, "a.txt", text, f, 4);
	assert_string_equal(out, "Emma och Jonas Lind, Emmas bror. "
	    "[PERSON 1].");
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);

	/* Under the name strategy, Jonas is never drawn for someone else. */
	write_file("names2.yaml", "names: {Rosa: Emma, \"Björn Ek\": \"Jonas "
	    "Lind\"}\npseudonymise:\n  first_names: p-first.tsv\n");
	fx_open(&x, "names2.yaml");
	{
		const char *t = "Rosa, Erik, Lars, Göran, Ola.";
		struct tyst_finding g[5];
		static const char *const w[] = { "Rosa", "Erik", "Lars",
		    "Göran", "Ola" };

		for (int i = 0; i < 5; i++)
			g[i] = find(t, w[i], 0, "PERSON", NULL, 0);
		out = rewrite(&x, "b.txt", t, g, 5);
		assert_null(strstr(out, "Jonas"));
		assert_non_null(strstr(out, "Emma, "));
		free(out);
	}
	fx_close(&x);

	/* A chosen pseudonym that is a name of the corpus is refused, with
	 * the place. */
	write_file("names3.yaml", "names: {Rosa: Anna}\n");
	fx_open(&x, "names3.yaml");
	assert_int_equal(tyst_pseudo_note_doc(x.p, "c.txt", &err), 0);
	f[3].line = 7;
	f[3].col = 3;
	assert_int_equal(tyst_pseudo_note(x.p, &f[3], &err), -1);
	assert_string_equal(err.file, "c.txt");
	assert_int_equal(err.line, 7);
	assert_non_null(strstr(err.msg, "'Anna'"));
	fx_close(&x);

	write_file("names4.yaml", "names: [Rosa]\n");
	{
		struct tyst_pseudo_conf *c = NULL;

		assert_int_equal(tyst_pseudo_conf_load(&c, path("base.yaml"),
		    path("names4.yaml"), &err), -1);
		assert_non_null(strstr(err.msg, "names:"));
		assert_int_equal(err.line, 1);
	}
}


struct notes {
	int n;
	char last[128];
};

static void
note_cb(const struct tyst_replacement *r, void *ctx)
{
	struct notes *nt = ctx;

	if (r->note != NULL) {
		nt->n++;
		snprintf(nt->last, sizeof(nt->last), "%s", r->note);
	}
}

static void
test_origin_and_generation(void **state)
{
	const char *text = "Mohammed Yilmaz, Lars Berg, Mona, Tindra Qwz.";
	struct tyst_finding f[4];
	struct notes nt = { 0, "" };
	struct fx x;
	char *out, a[64], b[64], c[64], d[64], e[64], g[64], h[64];

	(void)state;
	write_file("o-first.tsv",
	    "Mohammed\tsex=m\torigin=ar\n"
	    "Ahmad\tsex=m\torigin=ar,fa\n"
	    "Omar\tsex=m\torigin=ar,so\n"
	    "Lars\tsex=m\torigin=sv\tdec=1940,1950\n"
	    "Bengt\tsex=m\torigin=sv\tdec=1940\n"
	    "Noah\tsex=m\torigin=sv\tdec=2010\n"
	    "Liam\tsex=m\torigin=sv,en\tdec=2010\n"
	    "Mona\tsex=f\torigin=sv\tdec=1950\n"
	    "Anita\tsex=f\torigin=sv\tdec=1950\n"
	    "Alice\tsex=f\torigin=sv\tdec=2010\n"
	    "Ayse\tsex=f\torigin=tr\n");
	write_file("o-sur.tsv", "Yilmaz\torigin=tr\nKaya\torigin=tr\n"
	    "Berg\torigin=sv,no\nLind\torigin=sv\nNguyen\torigin=vi\n"
	    "Chen\torigin=zh\n");
	write_file("origin.yaml", "pseudonymise:\n  first_names: o-first.tsv\n"
	    "  surnames: o-sur.tsv\n");
	fx_open(&x, "origin.yaml");
	tyst_pseudo_set_report(x.p, note_cb, &nt);
	f[0] = find(text, "Mohammed Yilmaz", 0, "PERSON", NULL, 0);
	f[1] = find(text, "Lars Berg", 0, "PERSON", NULL, 0);
	/* Mona first: the one other woman of her decade is hers. */
	f[2] = find(text, "Mona", 20, "PERSON", NULL, 0);
	f[3] = find(text, "Tindra Qwz", 0, "PERSON", "sex=f", 0);
	out = rewrite(&x, "a.txt", text, f, 4);
	assert_int_equal(sscanf(out, "%63s %63[^,], %63s %63[^,], %63[^,], "
	    "%63s %63[^.]", a, b, c, d, h, e, g), 7);
	/* Same sex and origin; same generation where the lists know it. */
	assert_true(in_list(a, (const char *const[]){ "Ahmad", "Omar", NULL }));
	assert_string_equal(b, "Kaya");
	assert_string_equal(c, "Bengt");
	assert_string_equal(d, "Lind");
	assert_string_equal(h, "Anita");
	/* Unknown to the lists: said in the report. */
	assert_true(nt.n >= 1);
	assert_non_null(strstr(nt.last, "not in the name lists"));
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);

	/* preserve: [sex] draws from every name of the sex. */
	write_file("sexonly.yaml", "pseudonymise:\n  first_names: o-first.tsv\n"
	    "  surnames: o-sur.tsv\n  preserve: [sex]\n");
	fx_open(&x, "sexonly.yaml");
	{
		int other = 0;

		/* Each new key draws anew: an Arabic name soon gets one of
		 * another origin. */
		for (int i = 0; i < 8; i++) {
			struct tyst_finding k;
			char o[64];

			k = find(text, "Mohammed", 0, "PERSON", NULL, 0);
			fx_close(&x);
			fx_open(&x, "sexonly.yaml");
			out = rewrite(&x, "b.txt", text, &k, 1);
			assert_int_equal(sscanf(out, "%63s", o), 1);
			other += !in_list(o, (const char *const[]){ "Ahmad",
			    "Omar", NULL });
			free(out);
		}
		assert_true(other > 0);
	}
	fx_close(&x);

	write_file("badpres.yaml", "pseudonymise:\n  preserve: [age]\n");
	{
		struct tyst_pseudo_conf *pc = NULL;
		struct tyst_err err;

		assert_int_equal(tyst_pseudo_conf_load(&pc, path("base.yaml"),
		    path("badpres.yaml"), &err), -1);
		assert_non_null(strstr(err.msg, "preserve: unknown 'age'"));
	}
}


static void
test_distinct_places(void **state)
{
	const char *text = "Jag bor i Mora nu men växte upp i Falun, i "
	    "Dalälven och MORA.";
	struct tyst_finding f[4];
	struct fx x;
	char *out;

	(void)state;
	write_file("places.yaml", "pseudonymise:\n  PLACE: { strategy: "
	    "generalise }\n");
	fx_open(&x, "places.yaml");
	f[0] = find(text, "Mora", 0, "PLACE", "kommun=Mora\tlan=Dalarnas län",
	    0);
	f[0].source = "gazetteer kommuner";
	f[1] = find(text, "Falun", 0, "PLACE", "lan=Dalarnas län", 0);
	f[1].source = "gazetteer kommuner";
	f[2] = find(text, "Dalälven", 0, "PLACE",
	    "natur=älv\tlan=Dalarnas län", 0);
	f[3] = find(text, "MORA", 0, "PLACE", "lan=Dalarnas län", 0);
	f[3].source = "gazetteer kommuner";
	out = rewrite(&x, "a.txt", text, f, 4);
	/* Two places of one län stay two; a river is a river; case is one
	 * place. */
	assert_string_equal(out, "Jag bor i [kommun A i Dalarnas län] nu men "
	    "växte upp i [kommun B i Dalarnas län], i [älv A i Dalarnas län] "
	    "och [kommun A i Dalarnas län].");
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	/* Stable in the key: a later document, Falun first. */
	{
		const char *t2 = "Falun, Mora.";
		struct tyst_finding g[2];

		g[0] = find(t2, "Falun", 0, "PLACE", "lan=Dalarnas län", 0);
		g[0].source = "gazetteer kommuner";
		g[1] = find(t2, "Mora", 0, "PLACE", "lan=Dalarnas län", 0);
		g[1].source = "gazetteer kommuner";
		out = rewrite(&x, "b.txt", t2, g, 2);
		assert_string_equal(out, "[Kommun B i Dalarnas län], "
		    "[kommun A i Dalarnas län].");
		free(out);
	}
	fx_close(&x);

	/* A key written before places got letters keeps its choice; a new
	 * place gets a letter of its own. */
	fx_open(&x, "places.yaml");
	{
		const char *t3 = "Mora, Falun.";
		struct tyst_finding g[2];
		struct tyst_err err;
		int64_t id;

		assert_int_equal(tyst_key_begin(x.key, &err), 0);
		assert_int_equal(tyst_key_add(x.key, "PLACE", "generalise",
		    "Mora", "[kommun i Dalarnas län]", 0, "old.txt", &id,
		    &err), 0);
		assert_int_equal(tyst_key_commit(x.key, &err), 0);
		g[0] = find(t3, "Mora", 0, "PLACE", "lan=Dalarnas län", 0);
		g[0].source = "gazetteer kommuner";
		g[1] = find(t3, "Falun", 0, "PLACE", "lan=Dalarnas län", 0);
		g[1].source = "gazetteer kommuner";
		out = rewrite(&x, "c.txt", t3, g, 2);
		assert_string_equal(out, "[Kommun i Dalarnas län], "
		    "[kommun A i Dalarnas län].");
		assert_reverses(&x, "c.txt", out, t3);
		free(out);
	}
	fx_close(&x);

	/* distinct: no and level: sverige, as a study may choose. */
	write_file("places2.yaml", "pseudonymise:\n  PLACE: { strategy: "
	    "generalise, level: sverige, distinct: no }\n");
	fx_open(&x, "places2.yaml");
	out = rewrite(&x, "a.txt", text, f, 2);
	assert_string_equal(out, "Jag bor i [kommun i Sverige] nu men växte "
	    "upp i [kommun i Sverige], i Dalälven och MORA.");
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}


static void
test_dates_at_a_level(void **state)
{
	static const struct {
		const char *date, *season, *month;
	} cases[] = {
		{ "3 oktober 2017", "[hösten 2017]", "[oktober 2017]" },
		{ "3:e okt. 2017", "[hösten 2017]", "[oktober 2017]" },
		{ "3 mars -85", "[våren 1985]", "[mars 1985]" },
		{ "2017-07-03", "[sommaren 2017]", "[juli 2017]" },
		{ "1998/12/05", "[vintern 1998]", "[december 1998]" },
		{ "03.01.2020", "[vintern 2020]", "[januari 2020]" },
		{ "3/10-17", "[hösten 2017]", "[oktober 2017]" },
		{ "30 september, 2021", "[hösten 2021]", "[september 2021]" },
	};
	struct fx x;

	(void)state;
	for (int lv = 0; lv < 3; lv++) {
		char yaml[128];

		snprintf(yaml, sizeof(yaml), "pseudonymise:\n  DATE: { strategy:"
		    " redact, detail: %s }\n", lv == 0 ? "season" : lv == 1 ?
		    "month" : "year");
		write_file("dates.yaml", yaml);
		fx_open(&x, "dates.yaml");
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			char text[128], want[128], name[48];
			struct tyst_finding f;
			char *out;

			snprintf(text, sizeof(text), "Det var den %s.",
			    cases[i].date);
			f = find(text, cases[i].date, 0, "DATE", NULL, 0);
			snprintf(name, sizeof(name), "%d-%zu.txt", lv, i);
			out = rewrite(&x, name, text, &f, 1);
			if (lv < 2)
				snprintf(want, sizeof(want), "Det var den %s.",
				    lv == 0 ? cases[i].season : cases[i].month);
			else
				snprintf(want, sizeof(want), "Det var den [%.4s].",
				    strchr(cases[i].season, ' ') + 1);
			assert_string_equal(out, want);
			assert_reverses(&x, name, out, text);
			free(out);
		}
		fx_close(&x);
	}
	/* A date that cannot be read is only "[datum]". */
	write_file("dates.yaml", "pseudonymise:\n  DATE: { strategy: redact,"
	    " text: \"[datum]\", detail: season }\n");
	fx_open(&x, "dates.yaml");
	{
		const char *text = "Den 31 smörgås 17.";
		struct tyst_finding f = find(text, "31 smörgås 17", 0, "DATE",
		    NULL, 0);
		char *out = rewrite(&x, "u.txt", text, &f, 1);

		assert_string_equal(out, "Den [datum].");
		free(out);
	}
	fx_close(&x);
}


static void
test_organisations_by_kind(void **state)
{
	const char *text = "Barnet går på förskolan Solrosen. Förskolan "
	    "Björken var sämre och Solrosen bra. Sen skolan Lärkan, "
	    "grundskolan Ekan och ICA.";
	struct tyst_finding f[6];
	struct fx x;
	char *out;

	(void)state;
	fx_open(&x, NULL);
	f[0] = find(text, "Solrosen", 0, "ORG", NULL, 0);
	f[1] = find(text, "Björken", 0, "ORG", NULL, 0);
	f[2] = find(text, "Solrosen", 50, "ORG", NULL, 0);
	f[3] = find(text, "Lärkan", 0, "ORG", NULL, 0);
	f[4] = find(text, "Ekan", 0, "ORG", NULL, 0);
	f[5] = find(text, "ICA", 0, "ORG", NULL, 0);
	out = rewrite(&x, "a.txt", text, f, 6);
	/* The context word goes into the replacement, numbered per kind;
	 * the organisation alone later keeps its kind; "grundskolan" is no
	 * "skolan". */
	assert_string_equal(out, "Barnet går på [förskola 1]. [Förskola 2] "
	    "var sämre och [förskola 1] bra. Sen [skola 1], grundskolan "
	    "[ARBETSPLATS 1] och [ARBETSPLATS 2].");
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}

/* Without a context word, the list's kind= numbers the organisation. */
static void
test_organisations_kind_attr(void **state)
{
	const char *text = "Hon jobbar på Willys, sen Sahlgrenska och "
	    "Södersjukhuset, och Willys igen; Lärkan.";
	struct tyst_finding f[5];
	struct fx x;
	char *out;

	(void)state;
	fx_open(&x, NULL);
	f[0] = find(text, "Willys", 0, "ORG", "type=chain\tkind=företag", 0);
	f[1] = find(text, "Sahlgrenska", 0, "ORG",
	    "type=public\tkind=vårdenhet", 0);
	f[2] = find(text, "Södersjukhuset", 0, "ORG",
	    "type=public\tkind=vårdenhet", 0);
	f[3] = find(text, "Willys", 20, "ORG", "type=chain\tkind=företag", 0);
	f[4] = find(text, "Lärkan", 0, "ORG", NULL, 0);
	out = rewrite(&x, "a.txt", text, f, 5);
	assert_string_equal(out, "Hon jobbar på [företag 1], sen [vårdenhet 1] "
	    "och [vårdenhet 2], och [företag 1] igen; [ARBETSPLATS 1].");
	assert_reverses(&x, "a.txt", out, text);
	free(out);
	fx_close(&x);
}

static void
test_rollback_forgets(void **state)
{
	const char *text = "Erik ringde.";
	struct tyst_finding f[1];
	struct tyst_err err;
	struct fx x;
	char *out, *out2;
	size_t n;

	(void)state;
	fx_open(&x, NULL);
	f[0] = find(text, "Erik", 0, "PERSON", NULL, 0);
	assert_int_equal(tyst_key_begin(x.key, &err), 0);
	assert_int_equal(tyst_pseudo_buffer(x.p, "a.txt", text, strlen(text), f,
	    1, &out, &n, &err), 0);
	tyst_key_rollback(x.key);
	tyst_pseudo_rollback(x.p);
	free(out);
	/* The entry went with the transaction; a new run must not use its
	 * stale id. */
	out2 = rewrite(&x, "a.txt", text, f, 1);
	assert_reverses(&x, "a.txt", out2, text);
	free(out2);
	fx_close(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_keep_sex_and_genitive),
		cmocka_unit_test(test_consistent_across_documents),
		cmocka_unit_test(test_noted_originals_are_never_pseudonyms),
		cmocka_unit_test(test_original_equal_to_earlier_pseudonym),
		cmocka_unit_test(test_full_names_and_surnames),
		cmocka_unit_test(test_placeholders_places_redaction),
		cmocka_unit_test(test_study_overrides),
		cmocka_unit_test(test_bad_configuration),
		cmocka_unit_test(test_rollback_forgets),
		cmocka_unit_test(test_one_person_one_pseudonym),
		cmocka_unit_test(test_same_person_and_proposals),
		cmocka_unit_test(test_names_chosen_by_the_study),
		cmocka_unit_test(test_origin_and_generation),
		cmocka_unit_test(test_distinct_places),
		cmocka_unit_test(test_dates_at_a_level),
		cmocka_unit_test(test_organisations_by_kind),
		cmocka_unit_test(test_organisations_kind_attr),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
