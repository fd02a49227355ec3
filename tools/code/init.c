/*
 * tyst-code init: a new project with its codebook.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "code.h"

static int
load_codebook(struct tyst_codebook *cb, const char *name, struct tyst_err *err)
{
	char path[4096];

	if (tyst_codebook_path(name, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "%s", name);
	return tyst_codebook_load(cb, path, 0, err);
}

static void
print_sync(const char *project, const struct tyst_sync_report *r)
{
	fprintf(stderr, "%s: codebook: %zu added, %zu changed, %zu unchanged, "
	    "%zu removed", project, r->added, r->changed, r->kept, r->removed);
	if (r->segments_dropped > 0)
		fprintf(stderr, " with %zu segment%s", r->segments_dropped,
		    r->segments_dropped == 1 ? "" : "s");
	fputc('\n', stderr);
}

int
sync_codebook(struct tyst_project *p, const char *file, int prune,
    struct tyst_err *err)
{
	struct tyst_codebook cb;
	struct tyst_sync_report r;
	int rc;

	memset(&cb, 0, sizeof(cb));
	if (load_codebook(&cb, file, err) < 0)
		return -1;
	rc = tyst_project_sync_codebook(p, &cb, prune, &r, err);
	if (rc == 0)
		print_sync(tyst_project_path(p), &r);
	for (size_t i = 0; rc < 0 && i < r.nblocked; i++)
		tyst_diag(cb.path, 0, 0, "code %s is no longer in the codebook",
		    r.blocked[i]);
	tyst_sync_report_free(&r);
	tyst_codebook_free(&cb);
	return rc;
}

int
cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "codebook", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct tyst_project *p;
	struct tyst_err err;
	const char *codebook = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (ch != 'c')
			return bad_usage("init: unknown option%s", "");
		codebook = optarg;
	}
	if (argc - optind != 1 || codebook == NULL)
		return bad_usage("init needs PROJECT.db and --codebook FILE%s",
		    "");
	if (tyst_project_create(&p, argv[optind], &err) < 0)
		return fail(&err);
	if (tyst_project_begin(p, &err) < 0 ||
	    finish(p, sync_codebook(p, codebook, 0, &err), &err) < 0) {
		/* A project without its codebook is no use; start over. */
		remove(argv[optind]);
		return fail(&err);
	}
	return TYST_EXIT_OK;
}
