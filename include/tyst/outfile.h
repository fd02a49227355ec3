/*
 * outfile — output files that appear whole or not at all.
 *
 * A tool writes into a temporary file beside the target and renames it over
 * the target only when everything went well, so an error, a full disk or an
 * interrupt never leaves half a file where the user expects a result.
 */
#ifndef TYST_OUTFILE_H
#define TYST_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "tyst/diag.h"

struct tyst_outfile {
	char *path;      /* the target, as named in messages */
	char *real;      /* the file renamed over: path with symlinks resolved */
	char *tmp;       /* the temporary file beside it; NULL when direct */
	FILE *fp;        /* write here */
};

/* Creates the temporary file.  mode is the final file mode of a new file
 * (before the umask for 0666; exactly as given otherwise, e.g. 0600 for
 * secrets); a file that exists keeps its mode.
 * A target that is a device or a pipe (/dev/stdout, a fifo) is written
 * directly, since it cannot be replaced; a symlink to a file stays a
 * symlink and the file it points to is replaced. */
int tyst_outfile_open(struct tyst_outfile *o, const char *path, mode_t mode,
    struct tyst_err *err);
/*
 * Names a file this command reads (a project, a key, a transcript): an
 * output file opened later that is the same file is refused, so a slip
 * like `tyst-excerpt p.db -o p.db` cannot replace the input.  A path that
 * does not exist is ignored.
 */
void tyst_outfile_protect(const char *path);

/* Flushes, syncs and renames into place.  On failure the temporary file is
 * removed and the target is as it was. */
int tyst_outfile_commit(struct tyst_outfile *o, struct tyst_err *err);
/* Removes the temporary file; the target is as it was. */
void tyst_outfile_abort(struct tyst_outfile *o);

/* For outputs of many megabytes, called every few of them: writes out
 * what fp buffers and lets the system start putting it on disk, so the
 * sync at commit does not wait for the whole file.  Errors show at commit
 * (or in ferror(fp)). */
void tyst_outfile_writeback(FILE *fp);

/* Writes stdout's buffered data and checks for a write error (a closed pipe
 * is not an error worth a message; a full disk is). */
int tyst_flush_stdout(struct tyst_err *err);

#endif
