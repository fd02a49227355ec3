/*
 * detect — finding identifiers in Swedish transcripts.
 *
 * CONTRACT (other modules build on this header: tyst-pseudo replaces what
 * it finds, tyst-code refuses documents in which it finds something,
 * tyst-excerpt re-checks excerpts).  Extend it; do not change what is here.
 *
 * A rule set (lib/detect/rules.c, YAML; see man/tyst-rules.5) is compiled once and
 * then shared read-only.  A detector walks one input line by line, keeping
 * the little state Swedish needs across lines (whether the next word starts
 * a sentence), and reports findings through a callback in text order.
 */
#ifndef TYST_DETECT_H
#define TYST_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"
#include "tyst/text.h"

enum tyst_confidence {
	TYST_CERTAIN,     /* a checked pattern (personnummer, e-mail, …) or a
	                   * name the study itself listed */
	TYST_LIKELY,      /* a gazetteer entry in a name-like position */
	TYST_CANDIDATE    /* a capitalised word no list explains */
};

struct tyst_finding {
	uint64_t start, end;      /* byte offsets into the input as read */
	uint64_t base_end;        /* end of the base form: "Erik" in "Eriks";
	                           * == end when there is no genitive -s */
	size_t line, col;         /* 1-based; col in characters */
	const char *category;     /* "PERSON", "PLACE", "ORG", "PNR", "PHONE",
	                           * "EMAIL", "ADDRESS", "POSTCODE", "PLATE",
	                           * "DATE", "URL", "IP", "ORGNR" or a study's
	                           * own; owned by the rule set */
	const char *source;       /* e.g. "gazetteer first-names", "rule phone",
	                           * "pnr", "heuristic capitalised"; owned by
	                           * the rule set */
	enum tyst_confidence confidence;
	const char *attrs;        /* the gazetteer entry's attributes as
	                           * "key=value\tkey=value" ("sex=f",
	                           * "lan=Gävleborgs län\tlandsdel=Norrland"),
	                           * or NULL; owned by the rule set */
	const char *text;         /* the bytes [start, end), NOT NUL-terminated:
	                           * valid only during the callback */
};

const char *tyst_confidence_name(enum tyst_confidence c);

struct tyst_rules;        /* a compiled rule set */
struct tyst_detector;     /* one pass over one input */

/*
 * Loads a rule set.  path NULL loads the default Swedish set
 * (tyst_datadir()/rules/sv/default.yaml).  Errors name file:line:col.
 */
int tyst_rules_load(struct tyst_rules **out, const char *path,
    struct tyst_err *err);
void tyst_rules_free(struct tyst_rules *rules);

/* Called for each finding, in text order; return non-zero to stop. */
typedef int (*tyst_finding_fn)(const struct tyst_finding *f, void *ctx);

struct tyst_detector *tyst_detector_new(const struct tyst_rules *rules);
/* Feeds one line (from tyst_reader_next); findings within it are reported
 * before it returns.  Returns 0, or -1 on an error. */
int tyst_detector_line(struct tyst_detector *d, const struct tyst_line *line,
    tyst_finding_fn fn, void *ctx, struct tyst_err *err);
void tyst_detector_free(struct tyst_detector *d);

/*
 * A whole input from a reader, with the same findings as feeding it line by
 * line.  With threads > 1 pattern matching and tokenizing run on a second
 * thread, a block of lines ahead (inputs of one block, 256 KiB, use one
 * thread anyway).  An input that is not a regular file (a pipe, a
 * terminal) is read and reported a line at a time, on one thread.  The hooks are called on the calling thread, in input
 * order: line (may be NULL) for each line before its findings, with
 * whether the input opened with a byte order mark; finding (may be NULL)
 * for each finding.  Either returning non-zero stops the stream.  Returns
 * 0 at the end of the input, 1 when a hook stopped it, -1 on an error
 * (the reader's, or of detection; err names file:line).  A line longer
 * than a window (the reader's, or TYST_WINDOW: text.h) is read in parts:
 * line is called with each part's own bytes, so it sees each byte once.
 */
struct tyst_stream_fns {
	int (*line)(const struct tyst_line *ln, int had_bom, void *ctx);
	tyst_finding_fn finding;
	void *ctx;
};
int tyst_detect_stream(struct tyst_detector *d, struct tyst_reader *rd,
    const struct tyst_stream_fns *fns, int threads, struct tyst_err *err);

/* Threads for tyst_detect_stream: 2 on a machine with two or more CPUs
 * online, else 1. */
int tyst_default_jobs(void);
/* A --jobs argument: "1" or "2"; -1 otherwise (a larger number would
 * promise threads that are not used). */
int tyst_parse_jobs(const char *s, int *jobs);

/* Convenience over a whole buffer (e.g. a loaded tyst_text): the same
 * findings as feeding it line by line. */
int tyst_detect_buffer(const struct tyst_rules *rules, const char *name,
    const char *buf, size_t len, tyst_finding_fn fn, void *ctx,
    struct tyst_err *err);
/* The same with a detector of the caller's, reset first: for many small
 * texts (excerpts), where making a detector each time would cost more
 * than reading the text. */
int tyst_detector_buffer(struct tyst_detector *d, const char *name,
    const char *buf, size_t len, tyst_finding_fn fn, void *ctx,
    struct tyst_err *err);
/* Forgets the input read so far (the names seen, where a sentence
 * starts), so the detector can read another input. */
void tyst_detector_reset(struct tyst_detector *d);

#endif
