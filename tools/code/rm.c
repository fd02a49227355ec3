/*
 * tyst-code rm: remove segments by id.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sqlite3.h>

#include "tyst/clock.h"
#include "tyst/codebook.h"
#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/export.h"
#include "tyst/gate.h"
#include "tyst/json.h"
#include "tyst/markup.h"
#include "tyst/merge.h"
#include "tyst/outfile.h"
#include "tyst/project.h"
#include "tyst/qdpx.h"
#include "tyst/sha256.h"
#include "tyst/text.h"
#include "tyst/turns.h"

#include "code.h"

/* ---- rm, memo, case ----------------------------------------------------- */

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
