/*
 * scanrun — a scan of one input, as tyst-scan runs it.
 *
 * What lies between a tool's options and its printing: telling the input's
 * format (plain UTF-8 text is streamed, anything else goes through the
 * format layer), a detector over it, and the review's decisions on single
 * occurrences applied (those need the file's SHA-256, so they apply to
 * named files, not to standard input).  Each finding, decisions applied,
 * goes to the caller's report hook in text order; the hook reads name,
 * doc and line from the run to say where it stands.
 */
#ifndef TYST_SCANRUN_H
#define TYST_SCANRUN_H

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/input.h"
#include "tyst/occhold.h"
#include "tyst/text.h"

struct tyst_scanrun {
	/* Set by the caller. */
	const struct tyst_rules *rules;
	enum tyst_input_format in_fmt;  /* TYST_IN_AUTO: by content */
	enum tyst_input_enc in_enc;     /* TYST_ENC_AUTO: by content */
	int jobs;                       /* threads (tyst_detect_stream) */
	tyst_finding_fn report;         /* each finding */
	/* Each line of a streamed input before its findings, when no
	 * decisions are held (a progress meter); may be NULL. */
	void (*progress)(const struct tyst_line *ln, void *ctx);
	void *ctx;
	/* For the hooks, during tyst_scanrun_file. */
	const char *name;               /* the input, as messages name it */
	const struct tyst_input *doc;   /* the input when not plain text */
	struct tyst_line line;          /* the line the finding stands in */
	int oom;                        /* memory ran out: findings lost */
	/* The run's own. */
	struct tyst_input input;
	struct tyst_occhold hold;
};

/* Scans the file at path ("-": standard input).  Returns 0, or -1 with
 * err set (the input cannot be read, or detection failed). */
int tyst_scanrun_file(struct tyst_scanrun *s, const char *path,
    struct tyst_err *err);
void tyst_scanrun_free(struct tyst_scanrun *s);

#endif
