/*
 * tyst-code memo: memos on a document, a code or a segment.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "code.h"

int
print_memo(const struct tyst_pmemo *m, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%s\t%s\n", m->created,
	    m->document ? m->document : m->code,
	    m->coder ? m->coder : "-", m->text);
	return 0;
}

int
cmd_memo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "document", required_argument, NULL, 'd' },
		{ "code", required_argument, NULL, 'c' },
		{ "segment", required_argument, NULL, 's' },
		{ "coder", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *doc = NULL, *code = NULL, *seg = NULL, *coder = NULL,
	    *text;
	struct tyst_project *p;
	struct tyst_pdoc_owned o;
	struct tyst_err err;
	int64_t docid = 0, codeid = 0, coderid = 0;
	int ch, rc = 0;

	while ((ch = getopt_long(argc, argv, "d:c:s:k:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': doc = optarg; break;
		case 'c': code = optarg; break;
		case 's': seg = optarg; break;
		case 'k': coder = optarg; break;
		default: return bad_usage("memo: unknown option%s", "");
		}
	}
	if (argc - optind < 1 || argc - optind > 2 ||
	    (doc != NULL) + (code != NULL) + (seg != NULL) != 1)
		return bad_usage("memo needs PROJECT.db, one of --document, "
		    "--code or --segment, and the TEXT to add%s", "");
	text = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (open_rw(&p, argv[optind], &err) < 0)
		return fail(&err);
	if (doc != NULL) {
		if ((rc = tyst_project_document(p, doc, &o, &err)) == 0)
			rc = tyst_err_set(&err, argv[optind], 0, 0, "no "
			    "document '%s'", doc);
		if (rc > 0) {
			docid = o.d.id;
			tyst_pdoc_free(&o);
			rc = 0;
		}
	} else if (code != NULL) {
		if ((codeid = tyst_project_code_id(p, code, &err)) <= 0)
			rc = codeid < 0 ? -1 : tyst_err_set(&err, argv[optind],
			    0, 0, "unknown code '%s': not in the project's "
			    "codebook", code);
	}
	if (rc == 0 && coder != NULL &&
	    (coderid = tyst_project_coder(p, coder, 1, &err)) < 0)
		rc = -1;
	if (rc == 0 && seg != NULL) {
		long long id = strtoll(seg, NULL, 10);

		if (text == NULL) {
			char *memo;

			rc = tyst_project_segment_get_memo(p, id, &memo, &err);
			if (rc > 0)
				printf("%s\n", memo != NULL ? memo : "");
			free(memo);
			if (rc == 0)
				rc = tyst_err_set(&err, argv[optind], 0, 0,
				    "no segment %s", seg);
			else if (rc > 0)
				rc = 0;
		} else if ((rc = tyst_project_segment_memo(p, id, text,
		    &err)) == 0)
			rc = tyst_err_set(&err, argv[optind], 0, 0, "no segment "
			    "%s", seg);
		else if (rc == 1)
			rc = 0;
	} else if (rc == 0 && text != NULL)
		rc = tyst_project_add_memo(p, docid, codeid, coderid, text,
		    &err);
	else if (rc == 0)
		rc = tyst_project_memos(p, docid, codeid, print_memo, NULL,
		    &err) < 0 ? -1 : 0;
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
