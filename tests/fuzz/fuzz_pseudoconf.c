/*
 * libFuzzer harness: tyst-pseudo's reading of a rules file (pseudonymise:,
 * names:, same-person:) over arbitrary YAML.  A configuration that loads
 * then rewrites a fixed text whose names are spelt several ways, into a key
 * made once; the output must reverse to the text byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyst/keystore.h"
#include "tyst/pseudonym.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char text[] =
    "Mona och mona, Leija's hund. Lars-Göran, Lasse och K-G. Rosa Ek.";
static const char *const words[] = { "Mona", "mona", "Leija's",
    "Lars-Göran", "Lasse", "K-G", "Rosa Ek", NULL };

static char dir[64];

static void
put(const char *name, const char *s)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((f = fopen(p, "w")) == NULL)
		abort();
	fputs(s, f);
	fclose(f);
}

static int
collect(const char *s, size_t n, void *ctx)
{
	char **acc = ctx;
	size_t have = strlen(*acc);
	char *np = realloc(*acc, have + n + 1);

	if (np == NULL)
		return -1;
	memcpy(np + have, s, n);
	np[have + n] = '\0';
	*acc = np;
	return 0;
}

static void
rewrite(struct tyst_pseudo_conf *c)
{
	static int nkey;
	struct tyst_finding f[8];
	struct tyst_key *key;
	struct tyst_pseudo *p;
	struct tyst_err err;
	char kp[128], *out = NULL, *back;
	size_t outlen, n = 0, at = 0;

	/* A fresh key now and then, so choices are made, not only found. */
	snprintf(kp, sizeof(kp), "%s/k%d.key", dir, nkey++ % 64);
	if (tyst_key_open(&key, kp, TYST_KEY_CREATE, 1000, &err) < 0)
		abort();
	if (tyst_pseudo_new(&p, c, key, &err) < 0)
		abort();
	for (int i = 0; words[i] != NULL; i++) {
		const char *s = strstr(text + at, words[i]);

		memset(&f[n], 0, sizeof(f[n]));
		f[n].start = (uint64_t)(s - text);
		f[n].end = f[n].base_end = f[n].start + strlen(words[i]);
		f[n].line = f[n].col = 1;
		f[n].category = "PERSON";
		f[n].source = "fuzz";
		f[n].text = s;
		at = (size_t)f[n].end;
		if (tyst_pseudo_note(p, &f[n], &err) < 0)
			goto done;
		n++;
	}
	if (tyst_key_begin(key, &err) < 0)
		abort();
	if (tyst_pseudo_buffer(p, "t.txt", text, sizeof(text) - 1, f, n, &out,
	    &outlen, &err) < 0) {
		tyst_key_rollback(key);
		tyst_pseudo_rollback(p);
		goto done;
	}
	if (tyst_key_commit(key, &err) < 0)
		abort();
	if ((back = calloc(1, 1)) == NULL)
		abort();
	if (tyst_pseudo_reverse(key, "t.txt", out, outlen, collect, &back,
	    &err) < 0 || strcmp(back, text) != 0)
		abort();
	free(back);
	free(out);
done:
	tyst_pseudo_free(p);
	tyst_key_close(key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tyst_pseudo_conf *c = NULL;
	struct tyst_err err;
	char base[128], rules[128];
	FILE *f;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/tyst-fuzz-pseudo.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
		put("base.yaml", "pseudonymise:\n  PERSON: { strategy: name }\n");
		put("first-names.tsv", "Mona\tsex=f\nEva\tsex=f\nSara\tsex=f\n"
		    "Lars\tsex=m\nGöran\tsex=m\nJonas\tsex=m\nErik\tsex=m\n"
		    "Karl\tsex=m\nGustav\tsex=m\nOla\tsex=m\n");
		put("surnames.tsv", "Ek\nLind\nBerg\n");
		put("nicknames.tsv", "Lasse\tname=Lars\nK-G\tname=Karl-Gustav\n");
	}
	snprintf(base, sizeof(base), "%s/base.yaml", dir);
	snprintf(rules, sizeof(rules), "%s/r.yaml", dir);
	if ((f = fopen(rules, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (tyst_pseudo_conf_load(&c, base, rules, &err) == 0) {
		rewrite(c);
		tyst_pseudo_conf_free(c);
	} else if (err.msg[0] == '\0')
		abort();        /* every failure says why */
	return 0;
}
