/*
 * revcand — the uncertain words of a scan, gathered for the review file.
 *
 * tyst-scan --review does not print its findings: it notes each word it
 * is not certain of once, with how often it stood and a line of context,
 * and then merges them into the review file a person decides in.  The
 * merge happens under the file's lock and on the file as it is then
 * (tyst-review may have saved decisions since the scan began), so that no
 * decision made is lost and no candidate is listed twice.
 */
#ifndef TYST_REVCAND_H
#define TYST_REVCAND_H

#include <stddef.h>

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/gazetteer.h"
#include "tyst/text.h"

struct tyst_revcand {
	char *word;
	const char *category;   /* owned by the rule set */
	char *context;
	unsigned long count;
};

struct tyst_revcands {
	struct tyst_strtab seen;        /* word -> index into v */
	struct tyst_revcand *v;
	size_t n, cap;
};

void tyst_revcands_init(struct tyst_revcands *c);
void tyst_revcands_free(struct tyst_revcands *c);

/* Notes f (a finding in line ln) unless it is certain: a new word with
 * the line around it as context, a known one counted.  Returns 0, or -1
 * out of memory. */
int tyst_revcands_note(struct tyst_revcands *c, const struct tyst_finding *f,
    const struct tyst_line *ln);

/*
 * Merges the candidates into the review file at path, under its lock:
 * the counts of words listed already brought up to date, new words
 * appended as "ask".  A new file includes the rules at rules_path (its
 * real path), or the default set when rules_path is NULL.  Sets *fresh to
 * the number of new words and *readable to whether group or others may
 * read the file.  The candidates' strings move into the file's model:
 * call it once.  Returns 0, or -1 with err set.
 */
int tyst_revcands_save(struct tyst_revcands *c, const char *path,
    const char *rules_path, unsigned long *fresh, int *readable,
    struct tyst_err *err);

#endif
