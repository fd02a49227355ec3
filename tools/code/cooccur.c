/*
 * tyst-code cooccur: which codes occur together.
 */
#include <getopt.h>
#include <string.h>

#include "tyst/outfile.h"
#include "tyst/stats.h"

#include "code.h"

int
cmd_cooccur(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "coder", required_argument, NULL, 'k' },
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	const char *coder = NULL;
	struct tyst_project *p;
	struct tyst_err err;
	struct tyst_table t;
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
	if (open_for_coder(&p, argv[optind], coder, &err) < 0)
		return fail(&err);
	rc = tyst_stats_cooccur(p, bydoc, coder, &t, &err);
	if (rc == 0)
		table_print(&t, "code", 0, 0);
	tyst_table_free(&t);
	tyst_project_close(p);
	if (rc < 0 || tyst_flush_stdout(&err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
