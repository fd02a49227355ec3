/*
 * tyst-code cooccur: which codes occur together.
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
cmd_cooccur(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "coder", required_argument, NULL, 'k' },
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	const char *coder = NULL, *sql;
	struct tyst_segfilter f;
	struct tyst_project *p;
	struct tyst_err err;
	struct table t;
	int ch, rc, bydoc = 0;

	while ((ch = getopt_long(argc, argv, "k:b:", opts, NULL)) != -1) {
		if (ch == 'k')
			coder = optarg;
		else if (ch == 'b' && strcmp(optarg, "document") == 0)
			bydoc = 1;
		else if (ch != 'b' || strcmp(optarg, "segment") != 0)
			return bad_usage("cooccur: --coder NAME, --by segment|"
			    "document%s", "");
	}
	if (argc - optind != 1)
		return bad_usage("cooccur needs PROJECT.db%s", "");
	if (tyst_project_open(&p, argv[optind], 1, &err) < 0)
		return fail(&err);
	memset(&f, 0, sizeof(f));
	f.coder = coder;
	if (check_filter(p, argv[optind], &f, &err) < 0) {
		tyst_project_close(p);
		return fail(&err);
	}
	/* By segment: pairs of overlapping segments of one coder; the
	 * diagonal counts the segments.  By document: documents in which
	 * both codes occur. */
	sql = bydoc ?
	    "SELECT ca.code, cb.code, count(DISTINCT a.document_id) FROM"
	    " segments a JOIN segments b ON a.document_id = b.document_id"
	    " JOIN codes ca ON ca.id = a.code_id JOIN codes cb ON"
	    " cb.id = b.code_id JOIN coders k ON k.id = a.coder_id"
	    " JOIN coders kb ON kb.id = b.coder_id"
	    " WHERE (?1 IS NULL OR (k.name = ?1 AND kb.name = ?1))"
	    " GROUP BY a.code_id, b.code_id" :
	    "SELECT ca.code, cb.code, count(*) FROM segments a JOIN segments b"
	    " ON a.document_id = b.document_id AND a.coder_id = b.coder_id"
	    " AND a.start_offset < b.end_offset AND b.start_offset <"
	    " a.end_offset AND (a.code_id <> b.code_id OR a.id = b.id)"
	    " JOIN codes ca ON ca.id = a.code_id JOIN codes cb ON"
	    " cb.id = b.code_id JOIN coders k ON k.id = a.coder_id"
	    " WHERE ?1 IS NULL OR k.name = ?1 GROUP BY a.code_id, b.code_id";
	rc = table_fill(tyst_project_db(p), &t,
	    "SELECT code FROM codes ORDER BY position",
	    "SELECT code FROM codes ORDER BY position", sql, coder, &err);
	if (rc == 0)
		table_print(&t, "code", 0, 0);
	table_free(&t);
	tyst_project_close(p);
	if (rc < 0 || tyst_flush_stdout(&err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
