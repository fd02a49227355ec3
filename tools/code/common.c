/*
 * tyst-code: what every subcommand shares — messages, the transaction
 * around a command, option values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"

int
fail(const struct tyst_err *err)
{
	tyst_diag_err(err);
	return TYST_EXIT_ERROR;
}

int
bad_usage(const char *fmt, const char *arg)
{
	tyst_diag(NULL, 0, 0, fmt, arg);
	fprintf(stderr, "Try 'tyst-code --help'.\n");
	return TYST_EXIT_ERROR;
}

/* Opens the project and starts the command's transaction. */
int
open_rw(struct tyst_project **p, const char *path, struct tyst_err *err)
{
	if (tyst_project_open(p, path, 0, err) < 0)
		return -1;
	if (tyst_project_begin(*p, err) < 0) {
		tyst_project_close(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

/* Commits, or rolls back when rc says the command failed. */
int
finish(struct tyst_project *p, int rc, struct tyst_err *err)
{
	if (rc == 0 && tyst_project_commit(p, err) < 0)
		rc = -1;
	if (rc != 0)
		tyst_project_rollback(p);
	tyst_project_close(p);
	return rc;
}

int
parse_attr(struct import_opts *o, const char *s)
{
	const char *eq = strchr(s, '=');

	if (eq == NULL || eq == s || o->nattrs == MAX_ATTRS)
		return -1;
	o->keys[o->nattrs] = strndup(s, (size_t)(eq - s));
	o->values[o->nattrs] = eq + 1;
	if (o->keys[o->nattrs] == NULL)
		return -1;
	o->nattrs++;
	return 0;
}

void
free_attrs(struct import_opts *o)
{
	for (size_t i = 0; i < o->nattrs; i++)
		free((char *)o->keys[i]);
}

/*
 * The filters of list, stats and cooccur name things that exist: a typing
 * error in a code or coder would otherwise give an empty answer that reads
 * like "nothing coded".
 */
static int
check_filter(struct tyst_project *p, const char *where,
    const struct tyst_segfilter *f, struct tyst_err *err)
{
	struct tyst_pdoc_owned o;
	int64_t id;
	int rc;

	for (size_t i = 0; i < f->ncodes; i++) {
		if ((id = tyst_project_code_id(p, f->codes[i], err)) < 0)
			return -1;
		if (id == 0)
			return tyst_err_set(err, where, 0, 0, "unknown code "
			    "'%s': not in the project's codebook", f->codes[i]);
	}
	if (f->document != NULL) {
		if ((rc = tyst_project_document(p, f->document, &o, err)) < 0)
			return -1;
		if (rc == 0)
			return tyst_err_set(err, where, 0, 0, "no document "
			    "'%s' in the project", f->document);
		tyst_pdoc_free(&o);
	}
	if (f->coder != NULL) {
		if ((id = tyst_project_coder(p, f->coder, 0, err)) < 0)
			return -1;
		if (id == 0)
			return tyst_err_set(err, where, 0, 0, "no coder '%s' "
			    "in the project", f->coder);
	}
	return 0;
}

/* Opens the project read-only for a command over its segments, the names
 * in the filter checked first: an unknown code, document or coder is an
 * error, not an empty answer. */
int
open_filtered(struct tyst_project **p, const char *path,
    const struct tyst_segfilter *f, struct tyst_err *err)
{
	if (tyst_project_open(p, path, 1, err) < 0)
		return -1;
	if (check_filter(*p, path, f, err) < 0) {
		tyst_project_close(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

/* open_filtered for the segments of one coder (NULL: every coder). */
int
open_for_coder(struct tyst_project **p, const char *path, const char *coder,
    struct tyst_err *err)
{
	struct tyst_segfilter f;

	memset(&f, 0, sizeof(f));
	f.coder = coder;
	return open_filtered(p, path, &f, err);
}
