/*
 * diag — messages and exit codes (include/tyst/diag.h).  Every tool says
 * where a problem is in one form, file:line:col, so that editors and
 * scripts can jump to it; the progress line is erased before any message
 * so the two never share a line on a terminal.
 */
#include "tyst/diag.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *progname = "tyst";
static int progress_shown;

void
tyst_diag_init(const char *name)
{
	const char *slash;

	if (name != NULL) {
		slash = strrchr(name, '/');
		progname = slash != NULL ? slash + 1 : name;
	}
	/*
	 * Past ulimit -f the kernel sends SIGXFSZ, which kills the process
	 * before it can remove its temp file.  Ignored, write() fails with
	 * EFBIG instead, and the output code cleans up and says so.
	 */
	signal(SIGXFSZ, SIG_IGN);
}

const char *
tyst_progname(void)
{
	return progname;
}

static void
format_where(char *buf, size_t n, const char *file, size_t line, size_t col)
{
	buf[0] = '\0';
	if (file == NULL || file[0] == '\0')
		return;
	if (line > 0 && col > 0)
		snprintf(buf, n, "%s:%zu:%zu: ", file, line, col);
	else if (line > 0)
		snprintf(buf, n, "%s:%zu: ", file, line);
	else
		snprintf(buf, n, "%s: ", file);
}

int
tyst_err_set(struct tyst_err *err, const char *file, size_t line, size_t col,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void
vdiag(const char *kind, const char *file, size_t line, size_t col,
    const char *fmt, va_list ap)
{
	char where[600];

	tyst_progress_done();
	format_where(where, sizeof(where), file, line, col);
	fprintf(stderr, "%s: %s%s", progname, where, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
tyst_diag(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag("", file, line, col, fmt, ap);
	va_end(ap);
}

void
tyst_warn(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag("warning: ", file, line, col, fmt, ap);
	va_end(ap);
}

void
tyst_diag_err(const struct tyst_err *err)
{
	tyst_diag(err->file, err->line, err->col, "%s", err->msg);
}

int
tyst_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (nc != NULL && nc[0] != '\0')
		return 0;
	return isatty(fileno(f));
}

void
tyst_progress(const char *fmt, ...)
{
	static struct timespec last;
	struct timespec now;
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (progress_shown && (now.tv_sec - last.tv_sec) * 1000000000L +
	    (now.tv_nsec - last.tv_nsec) < 200000000L)
		return;
	last = now;
	fprintf(stderr, "\r\033[K%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = 1;
}

void
tyst_progress_done(void)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = 0;
}
