/*
 * outfile — outputs that appear whole or not at all (include/tyst/outfile.h).
 * A temporary file beside the target is renamed over it only when every
 * byte was written, and a tool's own inputs are refused as outputs, so a
 * slip of -o never truncates a transcript, a key or a review file.
 */
#include "tyst/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT_BUFFER (256 * 1024)

/* The inputs of this command (tyst_outfile_protect), by device and inode. */
static struct {
	dev_t dev;
	ino_t ino;
} protected[64];
static size_t nprotected;

void
tyst_outfile_protect(const char *path)
{
	struct stat st;

	if (path == NULL || nprotected == sizeof(protected) /
	    sizeof(protected[0]) || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	protected[nprotected].dev = st.st_dev;
	protected[nprotected].ino = st.st_ino;
	nprotected++;
}

static int
is_protected(const struct stat *st)
{
	for (size_t i = 0; i < nprotected; i++)
		if (protected[i].dev == st->st_dev &&
		    protected[i].ino == st->st_ino)
			return 1;
	return 0;
}

/*
 * Writing a device or a pipe (a fifo, /dev/null) in place: a temporary
 * file renamed over it would replace the device node itself.  So are the
 * names of open descriptors (--report /dev/stdout, /proc/self/fd/3), which
 * may lead to a regular file: renamed over, the shell's redirection target
 * would be replaced, not written.  Appending continues where the shell's
 * descriptor is.
 */
static int
open_direct(struct tyst_outfile *o, const char *path, struct tyst_err *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

	if (fd < 0 || (o->fp = fdopen(fd, "w")) == NULL) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "cannot open: %s",
		    strerror(e));
	}
	return 0;
}

int
tyst_outfile_open(struct tyst_outfile *o, const char *path, mode_t mode,
    struct tyst_err *err)
{
	struct stat st;
	size_t n;
	mode_t mask;
	int fd, keep = 0;

	memset(o, 0, sizeof(*o));
	if ((o->path = strdup(path)) == NULL)
		return tyst_err_set(err, path, 0, 0, "out of memory");
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			tyst_outfile_abort(o);
			return tyst_err_set(err, path, 0, 0, "is a directory");
		}
		if (is_protected(&st)) {
			tyst_outfile_abort(o);
			return tyst_err_set(err, path, 0, 0, "is an input of "
			    "this command and would be overwritten; choose "
			    "another output file");
		}
		if (!S_ISREG(st.st_mode) || strncmp(path, "/dev/", 5) == 0 ||
		    strncmp(path, "/proc/", 6) == 0)
			return open_direct(o, path, err);
		/* A symlink to a file: replace the file, keep the link. */
		o->real = realpath(path, NULL);
		/* The new version keeps the mode the user gave the old one:
		 * a review file made 0600 must not come back 0644. */
		mode = st.st_mode & 07777;
		keep = 1;
	}
	if (o->real == NULL && (o->real = strdup(path)) == NULL) {
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "out of memory");
	}
	n = strlen(o->real) + 16;
	if ((o->tmp = malloc(n)) == NULL) {
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "out of memory");
	}
	/* Beside the target, so rename() stays within one file system. */
	snprintf(o->tmp, n, "%s.tmpXXXXXX", o->real);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		free(o->tmp);
		o->tmp = NULL;
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "cannot create: %s",
		    strerror(e));
	}
	if (mode == 0666 && !keep) {
		mask = umask(0);
		umask(mask);
		mode &= ~mask;
	}
	if (fchmod(fd, mode) < 0 || (o->fp = fdopen(fd, "w")) == NULL) {
		int e = errno;
		close(fd);
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "%s", strerror(e));
	}
	/* Outputs run to hundreds of megabytes: fewer, larger writes. */
	setvbuf(o->fp, NULL, _IOFBF, OUT_BUFFER);
	return 0;
}

void
tyst_outfile_writeback(FILE *fp)
{
	/* POSIX_FADV_DONTNEED on dirty pages makes Linux start writing them
	 * back without waiting; elsewhere it may do nothing, which is fine. */
	if (fflush(fp) == 0)
		(void)posix_fadvise(fileno(fp), 0, 0, POSIX_FADV_DONTNEED);
}

int
tyst_outfile_commit(struct tyst_outfile *o, struct tyst_err *err)
{
	int failed = 0, e = 0;

	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		failed = 1;
		e = errno;
	} else if (o->tmp != NULL && fsync(fileno(o->fp)) < 0 &&
	    errno != EINVAL) {
		failed = 1;
		e = errno;
	}
	if (fclose(o->fp) != 0 && !failed) {
		failed = 1;
		e = errno;
	}
	o->fp = NULL;
	if (!failed && o->tmp != NULL && rename(o->tmp, o->real) < 0) {
		failed = 1;
		e = errno;
	}
	if (failed) {
		tyst_err_set(err, o->path, 0, 0, "write failed: %s%s",
		    strerror(e ? e : EIO), o->tmp != NULL ?
		    "; nothing was written" : "");
		tyst_outfile_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->real);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return 0;
}

void
tyst_outfile_abort(struct tyst_outfile *o)
{
	if (o->fp != NULL)
		fclose(o->fp);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->real);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

int
tyst_flush_stdout(struct tyst_err *err)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		return 0;
	return tyst_err_set(err, "<stdout>", 0, 0, "write failed: %s",
	    strerror(errno));
}
