/*
 * libFuzzer harness: the rules loader over arbitrary YAML.  The input is
 * written to a file beside which includes and gazetteers resolve; a rule
 * set that loads is then run over a fixed text, so a strange pattern or
 * list must still give findings inside the text, in order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyst/detect.h"
#include "tyst/lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char text[] =
    "I: Hej Erik, bor du i Upplands Väsby?\n"
    "IP: Ja, på Storgatan 12, 070-174 06 12, erik@example.se. Eriks mamma.\n"
    "Mona: 961208-9939 och 2024-01-05.\n";

struct check {
	uint64_t last;
	int bad;
};

static int
on_finding(const struct tyst_finding *f, void *ctx)
{
	struct check *c = ctx;

	if (f->start < c->last || f->end > sizeof(text) - 1 ||
	    f->start >= f->end || f->base_end > f->end ||
	    f->base_end <= f->start)
		c->bad = 1;
	c->last = f->end;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/tyst-fuzz-rules.XXXXXX", path[64];
	struct tyst_rules *r = NULL;
	struct tyst_err err;
	struct check c = { 0, 0 };
	FILE *f;
	static int held;

	/* Keep the lexicon loaded across runs: loading it is most of the
	 * cost of a rule set, and not what is being fuzzed. */
	if (!held) {
		int missing;

		(void)tyst_lexicon_acquire(&missing, &err);
		held = 1;
	}
	if (mkdtemp(dir) == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/r.yaml", dir);
	f = fopen(path, "wb");
	if (f == NULL) {
		rmdir(dir);
		return 0;
	}
	fwrite(data, 1, size, f);
	fclose(f);
	if (tyst_rules_load(&r, path, &err) == 0) {
		tyst_detect_buffer(r, "t", text, sizeof(text) - 1, on_finding,
		    &c, &err);
		tyst_rules_free(r);
		if (c.bad)
			abort();
	} else if (err.msg[0] == '\0')
		abort();        /* every failure says why */
	unlink(path);
	rmdir(dir);
	return 0;
}
