/*
 * tyst-code codebook-sync: make the project's codes those of a codebook.
 */
#include <getopt.h>
#include <stdio.h>

#include "code.h"

int
cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "prune", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct tyst_project *p;
	struct tyst_err err;
	int ch, prune = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'p')
			return bad_usage("codebook-sync: unknown option%s", "");
		prune = 1;
	}
	if (argc - optind != 2)
		return bad_usage("codebook-sync needs PROJECT.db FILE.yaml%s",
		    "");
	if (open_rw(&p, argv[optind], &err) < 0)
		return fail(&err);
	if (finish(p, sync_codebook(p, argv[optind + 1], prune, &err),
	    &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
