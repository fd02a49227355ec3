/*
 * tyst-code case: a case and its attributes.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "code.h"

static int
print_attr(int64_t case_id, const char *key, const char *value, void *ctx)
{
	(void)case_id;
	(void)ctx;
	printf("%s=%s\n", key, value);
	return 0;
}

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
	if (rc == 0 && o.nattrs == 0)
		rc = tyst_project_case_attrs(p, id, print_attr, NULL, &err) < 0 ?
		    -1 : 0;
	free_attrs(&o);
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
