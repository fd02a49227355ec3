/*
 * tyst-code document: the attributes of one document (an interview's
 * occasion, date, place), apart from those of its case.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "code.h"

static int
print_attr(int64_t doc, const char *key, const char *value, void *ctx)
{
	(void)doc;
	(void)ctx;
	printf("%s=%s\n", key, value);
	return 0;
}

int
cmd_document(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "attr", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_opts o;
	struct tyst_project *p;
	struct tyst_pdoc_owned d;
	struct tyst_err err;
	int ch, rc;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (ch != 'a' || parse_attr(&o, optarg) < 0) {
			free_attrs(&o);
			return bad_usage("document: write --attr KEY=VALUE%s",
			    "");
		}
	}
	if (argc - optind != 2) {
		free_attrs(&o);
		return bad_usage("document needs PROJECT.db DOC%s", "");
	}
	if (open_rw(&p, argv[optind], &err) < 0) {
		free_attrs(&o);
		return fail(&err);
	}
	if ((rc = tyst_project_document(p, argv[optind + 1], &d, &err)) == 0)
		rc = tyst_err_set(&err, argv[optind], 0, 0, "no document '%s'",
		    argv[optind + 1]);
	else if (rc > 0)
		rc = 0;
	for (size_t i = 0; rc == 0 && i < o.nattrs; i++)
		rc = tyst_project_set_document_attr(p, d.d.id, o.keys[i],
		    o.values[i], &err);
	if (rc == 0 && o.nattrs == 0)
		rc = tyst_project_document_attrs(p, d.d.id, print_attr, NULL,
		    &err) < 0 ? -1 : 0;
	tyst_pdoc_free(&d);
	free_attrs(&o);
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
