/*
 * tyst-codebook — check, list, show, export and import codebooks.
 *
 * Options and output only; the format is lib/coding/codebook.c, its views
 * lib/coding/cbview.c, and the conversions (REFI-QDA, Taguette, Markdown)
 * lib/refi/cbconv.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tyst/cbconv.h"
#include "tyst/cbview.h"
#include "tyst/codebook.h"
#include "tyst/diag.h"
#include "tyst/outfile.h"
#include "tyst/paths.h"

#define MAX_ERRS 50

enum format { FMT_TREE, FMT_TSV, FMT_JSONL, FMT_MD, FMT_QDC, FMT_YAML,
	FMT_CSV, FMT_NONE };

struct opts {
	enum format format;
	const char *output;
	int quiet;
};

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-codebook check [-q] [FILE...]\n"
"       tyst-codebook list [-f tree|tsv|jsonl] [FILE]\n"
"       tyst-codebook show FILE ID\n"
"       tyst-codebook export -f md|qdc|csv|yaml [-o OUT] [FILE]\n"
"       tyst-codebook import [-o OUT] [FILE.qdc|FILE.qdpx|FILE.csv]\n"
"\n"
"Checks and converts YAML codebooks (man 5 tyst-codebook).  FILE is a path,\n"
"\"-\" or nothing for standard input, or the name of a shipped codebook\n"
"such as ips-principer (see `ls $(tyst-codebook --datadir)`).\n"
"\n"
"  check     report every error as file:line:col; exit 2 if there is one\n"
"  list      the codes: an indented tree, TSV with a header, or JSON Lines\n"
"  show      everything about one code\n"
"  export    Markdown table (a thesis appendix), REFI-QDA .qdc, CSV for\n"
"            Taguette (tag, description; levels as dotted names), or YAML\n"
"  import    YAML from a REFI-QDA codebook (.qdc, project.qde or .qdpx)\n"
"            or from Taguette's CSV (FILE.csv, or -f csv)\n"
"\n"
"  -f, --format FMT   output format (see above)\n"
"  -o, --output FILE  write FILE (whole or not at all) instead of stdout\n"
"  -q, --quiet        check: no summary line and no warnings\n"
"      --datadir      print the directory of the shipped codebooks\n"
"  -h, --help         this help\n"
"  -V, --version      the version\n"
"\n"
"Exit status: 0 success, 2 error (an invalid codebook, an unknown id).\n",
	    f);
}

static int
load(const char *name, int quiet, struct tyst_codebook *cb)
{
	struct tyst_err errs[MAX_ERRS];
	char path[4096];
	size_t n;

	tyst_codebook_path(name, path, sizeof(path));
	if (tyst_codebook_load_all(cb, path, quiet, errs, MAX_ERRS, &n) == 0)
		return 0;
	for (size_t i = 0; i < n && i < MAX_ERRS; i++)
		tyst_diag_err(&errs[i]);
	if (n > MAX_ERRS)
		tyst_diag(path, 0, 0, "%zu more errors", n - MAX_ERRS);
	return -1;
}

/* ---- output helpers ------------------------------------------------------- */

/* Output goes to a memory stream first, then whole to stdout or -o FILE. */
static int
deliver(const struct opts *o, char *buf, size_t len)
{
	struct tyst_outfile of;
	struct tyst_err err;

	if (o->output == NULL || strcmp(o->output, "-") == 0) {
		fwrite(buf, 1, len, stdout);
		if (tyst_flush_stdout(&err) < 0) {
			tyst_diag_err(&err);
			return -1;
		}
		return 0;
	}
	if (tyst_outfile_open(&of, o->output, 0666, &err) < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	fwrite(buf, 1, len, of.fp);
	if (tyst_outfile_commit(&of, &err) < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	return 0;
}

static int
cmd_list(const struct opts *o, const char *file)
{
	struct tyst_codebook cb;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (load(file, 1, &cb) < 0)
		return TYST_EXIT_ERROR;
	if ((f = open_memstream(&buf, &len)) == NULL) {
		tyst_codebook_free(&cb);
		tyst_diag(NULL, 0, 0, "out of memory");
		return TYST_EXIT_ERROR;
	}
	if (o->format == FMT_TSV)
		tyst_cbview_tsv(f, &cb);
	else if (o->format == FMT_JSONL)
		tyst_cbview_jsonl(f, &cb);
	else
		tyst_cbview_tree(f, &cb);
	fclose(f);
	rc = deliver(o, buf, len) < 0 ? TYST_EXIT_ERROR : TYST_EXIT_OK;
	free(buf);
	tyst_codebook_free(&cb);
	return rc;
}

/* ---- check ------------------------------------------------------------------- */

static int
cmd_check(const struct opts *o, int n, char **files)
{
	int bad = 0;

	for (int i = 0; i < (n > 0 ? n : 1); i++) {
		const char *file = n > 0 ? files[i] : "-";
		struct tyst_codebook cb;
		size_t depth = 0;

		if (load(file, o->quiet, &cb) < 0) {
			bad = 1;
			continue;
		}
		for (size_t k = 0; k < cb.ncodes; k++)
			if (cb.codes[k].depth + 1 > depth)
				depth = cb.codes[k].depth + 1;
		if (!o->quiet)
			printf("%s: ok: %zu code%s in %zu level%s, %zu set%s\n",
			    cb.path, cb.ncodes, cb.ncodes == 1 ? "" : "s", depth,
			    depth == 1 ? "" : "s",
			    cb.nsets, cb.nsets == 1 ? "" : "s");
		tyst_codebook_free(&cb);
	}
	return bad ? TYST_EXIT_ERROR : TYST_EXIT_OK;
}

/* ---- show -------------------------------------------------------------------- */

static int
cmd_show(const char *file, const char *id)
{
	struct tyst_codebook cb;
	struct tyst_err err;
	long at;

	if (load(file, 1, &cb) < 0)
		return TYST_EXIT_ERROR;
	if ((at = tyst_codebook_find(&cb, id)) < 0) {
		tyst_diag(cb.path, 0, 0, "unknown code '%s': no code with this id "
		    "in the codebook", id);
		tyst_codebook_free(&cb);
		return TYST_EXIT_ERROR;
	}
	tyst_cbview_code(stdout, &cb, (size_t)at);
	tyst_codebook_free(&cb);
	if (tyst_flush_stdout(&err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	return TYST_EXIT_OK;
}

/* ---- export ------------------------------------------------------------------- */

static int
cmd_export(const struct opts *o, const char *file)
{
	struct tyst_codebook cb;
	struct tyst_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = 0;

	if (o->format != FMT_MD && o->format != FMT_QDC &&
	    o->format != FMT_YAML && o->format != FMT_CSV) {
		tyst_diag(NULL, 0, 0, "export needs --format md, qdc, csv or "
		    "yaml");
		return TYST_EXIT_ERROR;
	}
	if (load(file, 1, &cb) < 0)
		return TYST_EXIT_ERROR;
	/* Rewriting the YAML in place is asked for; a Markdown table or a
	 * .qdc over the codebook is a slip. */
	if (o->format != FMT_YAML)
		tyst_outfile_protect(cb.path);
	if ((f = open_memstream(&buf, &len)) == NULL) {
		tyst_codebook_free(&cb);
		tyst_diag(NULL, 0, 0, "out of memory");
		return TYST_EXIT_ERROR;
	}
	rc = tyst_codebook_export(&cb, o->format == FMT_MD ? TYST_CB_MD :
	    o->format == FMT_QDC ? TYST_CB_QDC : o->format == FMT_CSV ?
	    TYST_CB_CSV : TYST_CB_YAML, f, &err);
	fclose(f);
	tyst_codebook_free(&cb);
	if (rc < 0) {
		tyst_diag_err(&err);
		free(buf);
		return TYST_EXIT_ERROR;
	}
	rc = deliver(o, buf, len) < 0 ? TYST_EXIT_ERROR : TYST_EXIT_OK;
	free(buf);
	return rc;
}

/* ---- import ------------------------------------------------------------------- */

/* Taguette's codebook CSV, by its name. */
static int
is_csv(const char *file)
{
	size_t n = file != NULL ? strlen(file) : 0;

	return n > 4 && strcasecmp(file + n - 4, ".csv") == 0;
}

static int
cmd_import(const struct opts *o, const char *file)
{
	struct tyst_err err;
	char *buf;
	size_t len;
	int rc;

	rc = tyst_codebook_import(file, is_csv(file) || o->format == FMT_CSV,
	    o->quiet, &buf, &len, &err);
	if (rc < 0) {
		tyst_diag_err(&err);
		if (rc == -2)
			tyst_diag(NULL, 0, 0, "internal error: the YAML made "
			    "from %s does not load", file ? file : "<stdin>");
		return TYST_EXIT_ERROR;
	}
	rc = deliver(o, buf, len) < 0 ? TYST_EXIT_ERROR : TYST_EXIT_OK;
	free(buf);
	return rc;
}

/* ---- main --------------------------------------------------------------------- */

static enum format
parse_format(const char *s)
{
	static const struct { const char *name; enum format f; } fmts[] = {
		{ "tree", FMT_TREE }, { "tsv", FMT_TSV }, { "jsonl", FMT_JSONL },
		{ "md", FMT_MD }, { "markdown", FMT_MD }, { "qdc", FMT_QDC },
		{ "yaml", FMT_YAML }, { "csv", FMT_CSV },
	};

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (strcmp(s, fmts[i].name) == 0)
			return fmts[i].f;
	return FMT_NONE;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "datadir", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { FMT_NONE, NULL, 0 };
	const char *cmd = NULL;
	char **args;
	int ch, nargs;

	tyst_diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "f:o:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((o.format = parse_format(optarg)) == FMT_NONE) {
				tyst_diag(NULL, 0, 0, "unknown format '%s' "
				    "(tree, tsv, jsonl; md, qdc, csv, yaml)", optarg);
				return TYST_EXIT_ERROR;
			}
			break;
		case 'o': o.output = optarg; break;
		case 'q': o.quiet = 1; break;
		case 'D': printf("%s/codebooks\n", tyst_datadir());
			return TYST_EXIT_OK;
		case 'h': usage(stdout); return TYST_EXIT_OK;
		case 'V': printf("tyst-codebook %s\n", TYST_VERSION);
			return TYST_EXIT_OK;
		default: usage(stderr); return TYST_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return TYST_EXIT_ERROR;
	}
	cmd = argv[optind];
	args = argv + optind + 1;
	nargs = argc - optind - 1;
	if (strcmp(cmd, "check") == 0)
		return cmd_check(&o, nargs, args);
	if (nargs > (strcmp(cmd, "show") == 0 ? 2 : 1)) {
		tyst_diag(NULL, 0, 0, "%s: too many arguments", cmd);
		return TYST_EXIT_ERROR;
	}
	if (strcmp(cmd, "list") == 0) {
		if (o.format == FMT_NONE)
			o.format = FMT_TREE;
		if (o.format != FMT_TREE && o.format != FMT_TSV &&
		    o.format != FMT_JSONL) {
			tyst_diag(NULL, 0, 0, "list: --format is tree, tsv or "
			    "jsonl");
			return TYST_EXIT_ERROR;
		}
		return cmd_list(&o, nargs ? args[0] : "-");
	}
	if (strcmp(cmd, "show") == 0) {
		if (nargs != 2) {
			tyst_diag(NULL, 0, 0, "usage: tyst-codebook show FILE ID");
			return TYST_EXIT_ERROR;
		}
		return cmd_show(args[0], args[1]);
	}
	if (strcmp(cmd, "export") == 0)
		return cmd_export(&o, nargs ? args[0] : "-");
	if (strcmp(cmd, "import") == 0)
		return cmd_import(&o, nargs ? args[0] : "-");
	tyst_diag(NULL, 0, 0, "unknown command '%s' (check, list, show, export, "
	    "import)", cmd);
	return TYST_EXIT_ERROR;
}
