/*
 * outfile — outputs that appear whole or not at all (include/tyst/outfile.h).
 * A temporary file beside the target is renamed over it only when every
 * byte was written, and a tool's own inputs are refused as outputs, so a
 * slip of -o never truncates a transcript, a key or a review file.
 */
#include "tyst/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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
 * The temporary files: TARGET.tmp-tyst-PID-XXXXXX, locked (flock) by the
 * process writing them for as long as it has them open.  A process killed
 * (kill -9, a power cut) leaves its temporary behind; the next tool that
 * writes into the directory removes it.  A temporary is taken for left
 * behind only when its writer's process is gone AND nobody holds its lock:
 * the process id alone could belong to another machine or container
 * sharing the directory, the lock alone is not yet taken in the moment
 * between mkstemp() and flock().  So a parallel run's live temporary
 * (xargs -P) is never touched.
 */
#define TMP_MARK ".tmp-tyst-"

/* The directories swept by this process, so that writing a thousand
 * outputs into one reads it once. */
static struct {
	dev_t dev;
	ino_t ino;
} swept[16];
static size_t nswept;

/* Is name one of our temporaries (…TMP_MARK PID-XXXXXX) of a process that
 * is gone?  Its pid in *pid. */
static int
stale_name(const char *name, pid_t *pid)
{
	const char *m = strstr(name, TMP_MARK), *next;
	char *end;
	long v;

	if (m == NULL || m == name)
		return 0;
	/* The last mark: a target may itself hold the mark. */
	while ((next = strstr(m + 1, TMP_MARK)) != NULL)
		m = next;
	errno = 0;
	v = strtol(m + strlen(TMP_MARK), &end, 10);
	if (errno != 0 || v <= 0 || end[0] != '-' || strlen(end + 1) != 6)
		return 0;
	*pid = (pid_t)v;
	if (*pid == getpid())
		return 0;
	return kill(*pid, 0) < 0 && errno == ESRCH;
}

static void
sweep_one(int dfd, const char *name)
{
	struct stat st;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0)
		unlinkat(dfd, name, 0);
	close(fd);      /* and with it the lock */
}

/* Removes the temporaries left in dir by processes that are gone. */
static void
sweep_dir(const char *dir)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	pid_t pid;

	if (stat(dir, &st) < 0)
		return;
	for (size_t i = 0; i < nswept; i++)
		if (swept[i].dev == st.st_dev && swept[i].ino == st.st_ino)
			return;
	if (nswept < sizeof(swept) / sizeof(swept[0])) {
		swept[nswept].dev = st.st_dev;
		swept[nswept].ino = st.st_ino;
		nswept++;
	}
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (stale_name(de->d_name, &pid))
			sweep_one(dirfd(d), de->d_name);
	closedir(d);
}

/* The directory part of path ("." when it has none). */
static void
sweep_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (slash == NULL) {
		sweep_dir(".");
		return;
	}
	if (slash == path) {
		sweep_dir("/");
		return;
	}
	if ((dir = strndup(path, (size_t)(slash - path))) == NULL)
		return;
	sweep_dir(dir);
	free(dir);
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
	sweep_dir_of(o->real);
	n = strlen(o->real) + strlen(TMP_MARK) + 32;
	if ((o->tmp = malloc(n)) == NULL) {
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "out of memory");
	}
	/* Beside the target, so rename() stays within one file system. */
	snprintf(o->tmp, n, "%s" TMP_MARK "%ld-XXXXXX", o->real,
	    (long)getpid());
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		free(o->tmp);
		o->tmp = NULL;
		tyst_outfile_abort(o);
		return tyst_err_set(err, path, 0, 0, "cannot create: %s",
		    strerror(e));
	}
	/* Held until the descriptor is closed (commit or abort, or the
	 * process's end): the sign that the writer lives. */
	(void)flock(fd, LOCK_EX | LOCK_NB);
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
