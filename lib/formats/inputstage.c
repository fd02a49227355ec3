/*
 * inputstage — a document's view in a temporary file, for the tools that
 * stream their input twice (tyst-pseudo): they read the view as if it were
 * the transcript, write their output view into a second temporary file,
 * and the format layer turns that into the document's own format.
 */
#include "tyst/input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/sha256.h"

int
tyst_input_stage_open(struct tyst_input_stage *s, const char *path,
    const char *name, enum tyst_input_format fmt, enum tyst_input_enc enc,
    struct tyst_err *err)
{
	return tyst_input_stage_open_flags(s, path, name, fmt, enc, 0, err);
}

int
tyst_input_stage_open_flags(struct tyst_input_stage *s, const char *path,
    const char *name, enum tyst_input_format fmt, enum tyst_input_enc enc,
    int flags, struct tyst_err *err)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->path = path != NULL ? path : "-";
	if (fmt == TYST_IN_AUTO && enc == TYST_ENC_AUTO) {
		if ((rc = tyst_input_sniff_path(path, err)) <= 0) {
			if (rc < 0 && name != NULL)
				snprintf(err->file, sizeof(err->file), "%s",
				    name);
			return rc;
		}
	}
	if (tyst_input_load(&s->doc, path, fmt, enc, err) < 0) {
		if (name != NULL)
			snprintf(err->file, sizeof(err->file), "%s", name);
		return -1;
	}
	s->active = 1;
	if (name != NULL) {
		char *n = strdup(name);

		if (n == NULL) {
			tyst_input_stage_close(s);
			return tyst_err_set(err, name, 0, 0, "out of memory");
		}
		free(s->doc.name);
		s->doc.name = n;
	}
	if ((flags & TYST_STAGE_SCRUB) && tyst_input_scrub(&s->doc, err) < 0) {
		tyst_input_stage_close(s);
		return -1;
	}
	s->scrubbed = (flags & TYST_STAGE_SCRUB) != 0;
	if ((s->view = tmpfile()) == NULL) {
		tyst_err_set(err, s->doc.name, 0, 0, "cannot make a temporary "
		    "file: %s", strerror(errno));
		tyst_input_stage_close(s);
		return -1;
	}
	if (fwrite(s->doc.view, 1, s->doc.vlen, s->view) != s->doc.vlen ||
	    fflush(s->view) != 0) {
		tyst_err_set(err, s->doc.name, 0, 0, "cannot write a temporary "
		    "file: %s", strerror(errno));
		tyst_input_stage_close(s);
		return -1;
	}
	/* Kept open (so alive) until closed; opened again through /proc. */
	snprintf(s->fdpath, sizeof(s->fdpath), "/proc/self/fd/%d",
	    fileno(s->view));
	s->path = s->fdpath;
	return 0;
}

FILE *
tyst_input_stage_output(struct tyst_input_stage *s, struct tyst_err *err)
{
	if (s->out != NULL)
		fclose(s->out);
	if ((s->out = tmpfile()) == NULL)
		tyst_err_set(err, s->doc.name, 0, 0, "cannot make a temporary "
		    "file: %s", strerror(errno));
	return s->out;
}

static int
slurp(FILE *f, char **p, size_t *len)
{
	long n;

	if (fflush(f) != 0 || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		return -1;
	if ((*p = malloc((size_t)n + 1)) == NULL)
		return -1;
	if (fread(*p, 1, (size_t)n, f) != (size_t)n) {
		free(*p);
		return -1;
	}
	*len = (size_t)n;
	return 0;
}

int
tyst_input_stage_emit(struct tyst_input_stage *s, FILE *out, char sha[65],
    struct tyst_err *err)
{
	char *view, *res = NULL;
	size_t vlen, rlen;
	int rc;

	if (s->out == NULL || slurp(s->out, &view, &vlen) < 0)
		return tyst_err_set(err, s->doc.name, 0, 0, "cannot read a "
		    "temporary file back: %s", strerror(errno));
	rc = tyst_input_write(&s->doc, view, vlen, &res, &rlen, err);
	/* A reversal: the parts the key kept go back. */
	if (rc == 0 && s->restore != NULL)
		rc = tyst_input_restore(&s->doc, s->restore, view, vlen, &res,
		    &rlen, err);
	free(view);
	/* Even with nothing to scrub, the writer may have moved a split
	 * name's bytes between runs: what changed is told either way. */
	if (rc == 0 && s->scrubbed) {
		tyst_input_parts_free(&s->changed);
		rc = tyst_input_changes(&s->doc, res, rlen, &s->changed, err);
	}
	if (rc < 0) {
		free(res);
		return -1;
	}
	if (sha != NULL) {
		struct tyst_sha256 h;

		tyst_sha256_init(&h);
		tyst_sha256_update(&h, res, rlen);
		tyst_sha256_final_hex(&h, sha);
	}
	if (out != NULL && fwrite(res, 1, rlen, out) != rlen) {
		free(res);
		return tyst_err_set(err, s->doc.name, 0, 0, "write failed: %s",
		    strerror(errno));
	}
	free(res);
	return 0;
}

void
tyst_input_stage_close(struct tyst_input_stage *s)
{
	if (s->view != NULL)
		fclose(s->view);
	if (s->out != NULL)
		fclose(s->out);
	if (s->active)
		tyst_input_free(&s->doc);
	tyst_input_parts_free(&s->changed);
	memset(s, 0, sizeof(*s));
}
