/*
 * tyst-code rm: remove segments by id.
 */
#include <stdio.h>
#include <stdlib.h>

#include "code.h"

int
cmd_rm(int argc, char **argv)
{
	struct tyst_project *p;
	struct tyst_err err;
	int rc = 0;

	if (argc < 3)
		return bad_usage("rm needs PROJECT.db SEGMENT-ID...%s", "");
	if (open_rw(&p, argv[1], &err) < 0)
		return fail(&err);
	for (int i = 2; rc == 0 && i < argc; i++) {
		char *end;
		long long id = strtoll(argv[i], &end, 10);

		if (end == argv[i] || *end != '\0' || id <= 0)
			rc = tyst_err_set(&err, NULL, 0, 0, "'%s' is not a "
			    "segment id", argv[i]);
		else if ((rc = tyst_project_rm_segment(p, id, &err)) == 0)
			rc = tyst_err_set(&err, argv[1], 0, 0, "no segment "
			    "%lld; nothing removed", id);
		else if (rc == 1)
			rc = 0;
	}
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
