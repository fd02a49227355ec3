/*
 * outfile — see include/tyst/outfile.h.
 */
#include "tyst/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
tyst_outfile_open(struct tyst_outfile *o, const char *path, mode_t mode,
    struct tyst_err *err)
{
	size_t n = strlen(path) + 16;
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = strdup(path);
	o->tmp = malloc(n);
	if (o->path == NULL || o->tmp == NULL) {
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "out of memory");
	}
	/* Beside the target, so rename() stays within one file system. */
	snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		free(o->tmp);
		o->tmp = NULL;
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "cannot create: %s",
		    strerror(e));
	}
	if (mode == 0666) {
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
	return 0;
}

int
tyst_outfile_commit(struct tyst_outfile *o, struct tyst_err *err)
{
	int failed = 0, e = 0;

	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		failed = 1;
		e = errno;
	} else if (fsync(fileno(o->fp)) < 0 && errno != EINVAL) {
		failed = 1;
		e = errno;
	}
	if (fclose(o->fp) != 0 && !failed) {
		failed = 1;
		e = errno;
	}
	o->fp = NULL;
	if (!failed && rename(o->tmp, o->path) < 0) {
		failed = 1;
		e = errno;
	}
	if (failed) {
		tyst_err_set(err, o->path, 0, 0, "write failed: %s; "
		    "nothing was written", strerror(e ? e : EIO));
		tyst_outfile_abort(o);
		return -1;
	}
	free(o->tmp);
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
