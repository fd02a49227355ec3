/*
 * revfile — writing review files and keeping them secret
 * (include/tyst/revfile.h): a lock for the two programs that share one,
 * a whole new file renamed over the old, its mode kept (0600 when new),
 * and never a place inside an output directory.  The reading is
 * lib/detect/rules.c's, which shares its YAML checks with the rule loader.
 */
#include "tyst/revfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tyst/outfile.h"

#define MANIFEST "tyst-pseudo-manifest.jsonl"

int
tyst_review_lock(const char *path, struct tyst_err *err)
{
	char lock[PATH_MAX];
	int fd;

	if ((size_t)snprintf(lock, sizeof(lock), "%s.lock", path) >=
	    sizeof(lock))
		return tyst_err_set(err, path, 0, 0, "path too long");
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	/* Named by the review file: a directory that takes no lock file
	 * takes no review file either, and that is what the user asked. */
	if (fd < 0)
		return tyst_err_set(err, path, 0, 0, "cannot create: %s (its "
		    "lock file %s)", strerror(errno), lock);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		tyst_err_set(err, lock, 0, 0, "cannot lock: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void
tyst_review_unlock(int fd)
{
	if (fd >= 0)
		close(fd);      /* releases the flock */
}

/* A YAML double-quoted string. */
static void
ystr(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

static void
put_item(FILE *f, const struct tyst_review_item *it)
{
	fputs("  - word: ", f);
	ystr(f, it->word);
	fputs("\n    category: ", f);
	ystr(f, it->category != NULL ? it->category : "");
	fprintf(f, "\n    decision: %s\n    count: %lu\n",
	    tyst_decision_name(it->decision), it->count);
	if (it->context != NULL) {
		fputs("    context: ", f);
		ystr(f, it->context);
		putc('\n', f);
	}
}

static void
put_occ(FILE *f, const struct tyst_review_occ *o)
{
	fprintf(f, "  - file: %s\n    start: %" PRIu64 "\n    end: %" PRIu64
	    "\n    word: ", o->sha, o->start, o->end);
	ystr(f, o->word != NULL ? o->word : "");
	if (o->category != NULL) {
		fputs("\n    category: ", f);
		ystr(f, o->category);
	}
	fprintf(f, "\n    decision: %s\n", tyst_decision_name(o->decision));
	if (o->file != NULL) {
		fputs("    name: ", f);
		ystr(f, o->file);
		putc('\n', f);
	}
}

static void
put_review(FILE *f, const struct tyst_review *rv)
{
	fputs("# tyst review file: the words no list could vouch for, and the\n"
	    "# decisions made on them.  It holds originals: keep it as safe "
	    "as the key.\n"
	    "# Decide in tyst-review, or set each decision to pseudonymise "
	    "(and check\n# its category) or keep, then scan again with\n"
	    "#     tyst-scan -r THIS-FILE --review THIS-FILE ...\n"
	    "name: review\ninclude:\n", f);
	for (size_t i = 0; i < rv->nincludes; i++) {
		fputs("  - ", f);
		ystr(f, rv->includes[i]);
		putc('\n', f);
	}
	if (rv->nincludes == 0)
		fputs("  - \"default\"\n", f);
	fputs("candidates:\n", f);
	for (size_t i = 0; i < rv->nitems; i++)
		put_item(f, &rv->items[i]);
	if (rv->noccs > 0)
		fputs("occurrences:\n", f);
	for (size_t i = 0; i < rv->noccs; i++)
		put_occ(f, &rv->occs[i]);
	if (rv->nmarks > 0)
		fputs("marked:\n", f);
	for (size_t i = 0; i < rv->nmarks; i++) {
		fputs("  - { word: ", f);
		ystr(f, rv->marks[i].word);
		fputs(", category: ", f);
		ystr(f, rv->marks[i].category);
		fputs(" }\n", f);
	}
	if (rv->nnames > 0)
		fputs("names:\n", f);
	for (size_t i = 0; i < rv->nnames; i++) {
		fputs("  ", f);
		ystr(f, rv->names[i].original);
		fputs(": ", f);
		ystr(f, rv->names[i].pseudonym);
		putc('\n', f);
	}
	if (rv->npersons > 0)
		fputs("same-person:\n", f);
	for (size_t i = 0; i < rv->npersons; i++) {
		fputs("  - [", f);
		for (size_t j = 0; j < rv->persons[i].n; j++) {
			if (j > 0)
				fputs(", ", f);
			ystr(f, rv->persons[i].spellings[j]);
		}
		fputs("]\n", f);
	}
}

int
tyst_review_save(const struct tyst_review *rv, const char *path,
    int *readable, struct tyst_err *err)
{
	struct tyst_outfile out;
	struct stat st;
	mode_t mode = 0600;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	*readable = (mode & 044) != 0;
	if (tyst_outfile_open(&out, path, mode, err) < 0)
		return -1;
	put_review(out.fp, rv);
	return tyst_outfile_commit(&out, err);
}

/* The directory of path, resolved; the file itself need not exist. */
static int
real_dir(const char *path, char out[PATH_MAX])
{
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(tmp, sizeof(tmp), ".");
	else if (slash == path)
		snprintf(tmp, sizeof(tmp), "/");
	else
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(slash - path), path);
	return realpath(tmp, out) != NULL ? 0 : -1;
}

static int
inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' ||
	    path[n] == '\0');
}

/* The nearest directory from dir up that holds tyst-pseudo's manifest. */
static int
output_dir_above(const char *dir, char found[PATH_MAX])
{
	char d[PATH_MAX], m[PATH_MAX + 32];
	char *slash;

	snprintf(d, sizeof(d), "%s", dir);
	for (;;) {
		snprintf(m, sizeof(m), "%s/%s", strcmp(d, "/") ? d : "",
		    MANIFEST);
		if (access(m, F_OK) == 0) {
			snprintf(found, PATH_MAX, "%s", d);
			return 1;
		}
		if (strcmp(d, "/") == 0 || (slash = strrchr(d, '/')) == NULL)
			return 0;
		if (slash == d)
			d[1] = '\0';
		else
			*slash = '\0';
	}
}

int
tyst_review_place(const char *path, const char *outdir,
    char *const *inputs, size_t ninputs, int *beside, struct tyst_err *err)
{
	char dir[PATH_MAX], out[PATH_MAX], in[PATH_MAX];

	*beside = 0;
	if (real_dir(path, dir) < 0)
		return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
	if (outdir != NULL && realpath(outdir, out) != NULL &&
	    inside(dir, out))
		return tyst_err_set(err, path, 0, 0, "the review file lies "
		    "inside the output directory %s: it holds originals, keep "
		    "it apart from the pseudonymised files", outdir);
	if (output_dir_above(dir, out))
		return tyst_err_set(err, path, 0, 0, "the review file lies "
		    "inside %s, an output directory of tyst-pseudo: it holds "
		    "originals, keep it apart from the pseudonymised files",
		    out);
	for (size_t i = 0; i < ninputs; i++) {
		struct stat a, b;

		if (strcmp(inputs[i], "-") == 0 || real_dir(inputs[i], in) < 0)
			continue;
		/* The review file given as a transcript: the tool refuses
		 * that on its own, with no warning first. */
		if (stat(path, &a) == 0 && stat(inputs[i], &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			continue;
		if (strcmp(in, dir) == 0) {
			*beside = 1;
			break;
		}
	}
	return 0;
}

size_t
tyst_review_undecided(const struct tyst_review *rv)
{
	size_t n = 0;

	for (size_t i = 0; i < rv->nitems; i++)
		n += rv->items[i].decision == TYST_ASK;
	for (size_t i = 0; i < rv->noccs; i++)
		n += rv->occs[i].decision == TYST_ASK;
	return n;
}

struct tyst_review_item *
tyst_review_find(struct tyst_review *rv, const char *word)
{
	for (size_t i = 0; i < rv->nitems; i++)
		if (strcmp(rv->items[i].word, word) == 0)
			return &rv->items[i];
	return NULL;
}
