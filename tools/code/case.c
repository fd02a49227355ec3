/*
 * tyst-code case: a case and its attributes.
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

int
cmd_case(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "attr", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_opts o;
	struct tyst_project *p;
	struct tyst_err err;
	int64_t id;
	int ch, rc = 0;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (ch != 'a' || parse_attr(&o, optarg) < 0) {
			free_attrs(&o);
			return bad_usage("case: write --attr KEY=VALUE%s", "");
		}
	}
	if (argc - optind != 2) {
		free_attrs(&o);
		return bad_usage("case needs PROJECT.db NAME%s", "");
	}
	if (open_rw(&p, argv[optind], &err) < 0) {
		free_attrs(&o);
		return fail(&err);
	}
	if ((id = tyst_project_case(p, argv[optind + 1], o.nattrs > 0,
	    &err)) <= 0)
		rc = id < 0 ? -1 : tyst_err_set(&err, argv[optind], 0, 0,
		    "no case '%s'", argv[optind + 1]);
	for (size_t i = 0; rc == 0 && i < o.nattrs; i++)
		rc = tyst_project_set_case_attr(p, id, o.keys[i], o.values[i],
		    &err);
	if (rc == 0 && o.nattrs == 0) {
		sqlite3_stmt *s = NULL;

		sqlite3_prepare_v2(tyst_project_db(p), "SELECT key, value FROM"
		    " case_attributes WHERE case_id = ? ORDER BY key", -1, &s,
		    NULL);
		sqlite3_bind_int64(s, 1, id);
		while (sqlite3_step(s) == SQLITE_ROW)
			printf("%s=%s\n", sqlite3_column_text(s, 0),
			    sqlite3_column_text(s, 1));
		sqlite3_finalize(s);
	}
	free_attrs(&o);
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
