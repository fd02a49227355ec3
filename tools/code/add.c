/*
 * tyst-code add: segments by lines, by a pattern, or from a batch file.
 *
 * Options and messages only; the adding is lib/coding/addseg.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/addseg.h"
#include "tyst/strv.h"

#include "code.h"

/* Which documents a --match over many goes through. */
struct many {
	int all;
	const char *case_name;
	struct import_opts attrs;
};

static void
print_added(int64_t id, const char *doc, size_t l1, size_t l2, size_t s,
    size_t e, void *ctx)
{
	(void)ctx;
	printf("%" PRId64 "\t%s\t%zu-%zu\t%zu-%zu\n", id, doc, l1, l2, s, e);
}

/* --batch FILE: see tyst_adder_batch. */
static int
add_batch(struct tyst_project *p, const char *path, struct tyst_err *err)
{
	struct tyst_adder a;
	int rc;

	tyst_adder_init(&a, p, print_added, NULL);
	rc = tyst_adder_batch(&a, path, err);
	tyst_adder_free(&a);
	if (rc == 0)
		fprintf(stderr, "%s: %zu segment%s added, %zu already there\n",
		    tyst_project_path(p), a.added, a.added == 1 ? "" : "s",
		    a.existed);
	return rc;
}

/*
 * --match over every document (--all), a case's, or those of cases with
 * some attributes: what was added is said per document; no match at all
 * is exit 1 with nothing added.
 */
static int
add_many(struct tyst_project *p, struct many *m, const char *code,
    const char *coder, const char *match, int unit, int icase,
    const char *memo, struct tyst_err *err)
{
	struct tyst_adder a;
	char **names;
	size_t n, hit = 0;
	int rc = 0;

	if (tyst_adder_pick(p, m->case_name, m->attrs.keys, m->attrs.values,
	    m->attrs.nattrs, &names, &n, err) < 0)
		return -1;
	if (n == 0)
		return tyst_err_set(err, tyst_project_path(p), 0, 0, "no "
		    "document in the project is in that selection");
	tyst_adder_init(&a, p, print_added, NULL);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		size_t before = a.added, had = a.existed;

		rc = tyst_adder_select(&a, names[i], code, coder,
		    tyst_project_path(p), err);
		if (rc == 0)
			rc = tyst_adder_match(&a, match, unit, icase, memo, err);
		if (rc == 1) {
			rc = 0;
			continue;
		}
		hit++;
		if (rc == 0)
			fprintf(stderr, "%s: %zu segment%s added, %zu already "
			    "there\n", names[i], a.added - before,
			    a.added - before == 1 ? "" : "s", a.existed - had);
	}
	tyst_adder_free(&a);
	tyst_strv_free(names, n);
	if (rc == 0 && hit == 0)
		return 1;
	return rc;
}

static int
cmd_add_many(int argc, char **argv, struct many *m, const char *code,
    const char *coder, const char *match, int unit, int icase,
    const char *memo)
{
	struct tyst_project *p;
	struct tyst_err err;
	int rc;

	if (argc - optind != 1 || code == NULL || coder == NULL ||
	    match == NULL) {
		free_attrs(&m->attrs);
		return bad_usage("add --all, --case or --attr needs PROJECT.db "
		    "--code ID --coder NAME --match REGEX (no DOC)%s", "");
	}
	if (open_rw(&p, argv[optind], &err) < 0) {
		free_attrs(&m->attrs);
		return fail(&err);
	}
	rc = add_many(p, m, code, coder, match, unit, icase, memo, &err);
	free_attrs(&m->attrs);
	if (rc == 1) {
		finish(p, -1, &err);
		tyst_diag(argv[optind], 0, 0, "no match for '%s' in any of "
		    "the documents; nothing added", match);
		return TYST_EXIT_FOUND;
	}
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}

/* One document: --lines or --match. */
static int
add_one(struct tyst_adder *a, const char *project, const char *doc,
    const char *code, const char *coder, const char *lines,
    const char *match, int unit, int icase, const char *memo,
    struct tyst_err *err)
{
	uint64_t from, to;

	if (tyst_adder_select(a, doc, code, coder, project, err) < 0)
		return -1;
	if (lines == NULL)
		return tyst_adder_match(a, match, unit, icase, memo, err);
	if (tyst_range_parse(lines, &from, &to) < 0)
		return tyst_err_set(err, NULL, 0, 0, "--lines '%s': write "
		    "A-B, e.g. 12-18", lines);
	return tyst_adder_lines(a, from, to, memo, err);
}

int
cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lines", required_argument, NULL, 'l' },
		{ "match", required_argument, NULL, 'm' },
		{ "unit", required_argument, NULL, 'u' },
		{ "ignore-case", no_argument, NULL, 'i' },
		{ "code", required_argument, NULL, 'c' },
		{ "coder", required_argument, NULL, 'k' },
		{ "memo", required_argument, NULL, 'M' },
		{ "batch", required_argument, NULL, 'b' },
		{ "all", no_argument, NULL, 'A' },
		{ "case", required_argument, NULL, 'C' },
		{ "attr", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct many m;
	const char *lines = NULL, *match = NULL, *code = NULL, *coder = NULL,
	    *memo = NULL, *batch = NULL;
	struct tyst_project *p;
	struct tyst_adder a;
	struct tyst_err err;
	int ch, unit = TYST_UNIT_TURN, icase = 0, rc;

	memset(&m, 0, sizeof(m));
	while ((ch = getopt_long(argc, argv, "l:m:u:ic:k:M:b:", opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'A': m.all = 1; break;
		case 'C': m.case_name = optarg; break;
		case 'a':
			if (parse_attr(&m.attrs, optarg) < 0) {
				free_attrs(&m.attrs);
				return bad_usage("add: write --attr KEY=VALUE%s",
				    "");
			}
			break;
		case 'l': lines = optarg; break;
		case 'm': match = optarg; break;
		case 'u':
			if ((unit = tyst_unit_parse(optarg)) < 0)
				return bad_usage("--unit '%s': turn, sentence "
				    "or paragraph", optarg);
			break;
		case 'i': icase = 1; break;
		case 'c': code = optarg; break;
		case 'k': coder = optarg; break;
		case 'M': memo = optarg; break;
		case 'b': batch = optarg; break;
		default:
			free_attrs(&m.attrs);
			return bad_usage("add: unknown option%s", "");
		}
	}
	if (m.all || m.case_name != NULL || m.attrs.nattrs > 0)
		return cmd_add_many(argc, argv, &m, code, coder, match, unit,
		    icase, memo);
	if (batch != NULL) {
		if (argc - optind != 1)
			return bad_usage("add --batch needs PROJECT.db%s", "");
		if (open_rw(&p, argv[optind], &err) < 0 ||
		    finish(p, add_batch(p, batch, &err), &err) < 0)
			return fail(&err);
		return TYST_EXIT_OK;
	}
	if (argc - optind != 2 || code == NULL || coder == NULL ||
	    (lines == NULL) == (match == NULL))
		return bad_usage("add needs PROJECT.db DOC --code ID --coder "
		    "NAME and one of --lines or --match%s", "");
	if (open_rw(&p, argv[optind], &err) < 0)
		return fail(&err);
	tyst_adder_init(&a, p, print_added, NULL);
	rc = add_one(&a, argv[optind], argv[optind + 1], code, coder, lines,
	    match, unit, icase, memo, &err);
	tyst_adder_free(&a);
	if (rc == 1) {
		finish(p, -1, &err);
		tyst_diag(argv[optind + 1], 0, 0, "no match for '%s'; nothing "
		    "added", match);
		return TYST_EXIT_FOUND;
	}
	if (finish(p, rc, &err) < 0)
		return fail(&err);
	if (a.existed > 0)
		tyst_warn(argv[optind + 1], 0, 0, "%zu segment%s already "
		    "there", a.existed, a.existed == 1 ? " was" : "s were");
	return TYST_EXIT_OK;
}
