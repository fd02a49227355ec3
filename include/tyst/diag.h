/*
 * diag — messages, exit codes and terminal manners shared by every tool.
 *
 * The library never prints: a function that can fail fills a struct tyst_err
 * and returns -1.  Tools print that error with tyst_diag_err() in the one
 * format every tool uses:
 *
 *     tyst-x: file:line:col: message
 *
 * so editors and scripts can jump to the place.
 */
#ifndef TYST_DIAG_H
#define TYST_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes of every tool. */
enum {
	TYST_EXIT_OK = 0,       /* ran, nothing found */
	TYST_EXIT_FOUND = 1,    /* ran, found something (scan-like tools) */
	TYST_EXIT_ERROR = 2     /* could not do what was asked */
};

/*
 * Where and what went wrong.  file may be empty (no file involved); line and
 * col are 1-based, 0 when unknown.  col counts characters, not bytes.
 */
struct tyst_err {
	char file[512];
	size_t line;
	size_t col;
	char msg[1024];
};

/* Sets err to "file:line:col: fmt…" and returns -1, so callers can write
 * `return tyst_err_set(err, …);`.  err may be NULL. */
int tyst_err_set(struct tyst_err *err, const char *file, size_t line,
    size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Names the program in messages, and makes the process safe for the tools'
 * file handling (a full disk or ulimit -f gives an error, not a signal). */
void tyst_diag_init(const char *progname);
const char *tyst_progname(void);

/* "tyst-x: file:line:col: msg" on stderr.  Parts that are empty or 0 are
 * left out. */
void tyst_diag(const char *file, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tyst_diag_err(const struct tyst_err *err);
/* The same with "warning: " before the message. */
void tyst_warn(const char *file, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* True when colour may be used on f: a terminal, and NO_COLOR unset. */
int tyst_use_color(FILE *f);

/*
 * A progress line on stderr for long runs, only when stderr is a terminal.
 * It redraws at most a few times a second; tyst_progress_done() clears it.
 */
void tyst_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tyst_progress_done(void);

#endif
