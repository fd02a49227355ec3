/*
 * pseudorun — a pseudonymisation run: what tyst-pseudo does between parsing
 * its options and printing.  It reads the inputs twice (every original is
 * noted before any pseudonym is chosen), writes each output with its key
 * transaction, keeps the manifest and the rescan rules of an output
 * directory, protects inputs and other outputs from being overwritten, and
 * reverses outputs with their key.
 *
 * The library never prints: every message goes to the caller's say()
 * callback as a struct tyst_err (the run goes on with the next file after
 * a file's error), progress to progress(), and a dry run's listing to
 * listing().  The functions return 0 when everything was done, -1 when
 * anything failed (each failure was told through say()).
 */
#ifndef TYST_PSEUDORUN_H
#define TYST_PSEUDORUN_H

#include <stddef.h>
#include <stdio.h>

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/input.h"

struct tyst_pseudorun_opts {
	const char *key_path;
	const char *rules_path;         /* NULL: the default rules */
	const char *outdir;             /* NULL: one output to out */
	const char *report_path;
	int dry_run;
	int show;                       /* a dry run's personnummer whole */
	int timeout_ms;                 /* waiting for a busy key */
	int jobs;                       /* threads for detection */
	enum tyst_confidence min_conf;
	const char *undecided;          /* "pseudonymise", "keep" or NULL */
	enum tyst_input_format in_fmt;
	enum tyst_input_enc in_enc;
	FILE *in;                       /* read when there is no file */
	FILE *out;                      /* written without an outdir */
};

/* One replacement a dry run would make; text is the original (a
 * personnummer masked unless show), repl what replaces it. */
struct tyst_pseudorun_change {
	const char *file;
	size_t line, col;
	const char *category;
	const char *text;
	size_t text_len;
	const char *repl;
	size_t repl_len;
};

struct tyst_pseudorun_cb {
	/* An error (warning 0) or a warning (1). */
	void (*say)(int warning, const struct tyst_err *e, void *ctx);
	/* A progress line of a long run; NULL when it is done. */
	void (*progress)(const char *line, void *ctx);
	void (*listing)(const struct tyst_pseudorun_change *c, void *ctx);
	void *ctx;
};

/*
 * What is refused before anything is read: a key inside the output
 * directory, two inputs of one name in it.
 */
int tyst_pseudorun_check(const struct tyst_pseudorun_opts *o,
    char *const *files, int nfiles, const struct tyst_pseudorun_cb *cb);

/* Pseudonymises files[0..nfiles), or o->in when nfiles is 0. */
int tyst_pseudorun(const struct tyst_pseudorun_opts *o, char *const *files,
    int nfiles, const struct tyst_pseudorun_cb *cb);

/* Restores the originals of files[0..nfiles) (o->in when nfiles is 0)
 * from the key. */
int tyst_pseudorun_reverse(const struct tyst_pseudorun_opts *o,
    char *const *files, int nfiles, const struct tyst_pseudorun_cb *cb);

#endif
