/*
 * tyst-codebook — check, list, show, export and import codebooks.
 *
 * Options and output only; the format is lib/coding/codebook.c and REFI-QDA is
 * lib/refi/qdc.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tyst/codebook.h"
#include "tyst/diag.h"
#include "tyst/json.h"
#include "tyst/outfile.h"
#include "tyst/paths.h"
#include "tyst/qdc.h"
#include "tyst/tagcsv.h"

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

static void
tsv_field(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			putc(*s, f);
	}
}

/* A table cell: one line, pipes escaped. */
static void
md_cell(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n')
			fputs("<br>", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else
			putc(*s, f);
	}
}

static size_t
nchildren(const struct tyst_codebook *cb, size_t i)
{
	size_t n = 0;

	for (size_t j = i + 1; j < cb->ncodes &&
	    cb->codes[j].depth > cb->codes[i].depth; j++)
		n += cb->codes[j].parent == (long)i;
	return n;
}

/* ---- list -------------------------------------------------------------------- */

static void
list_tree(FILE *f, const struct tyst_codebook *cb)
{
	size_t w = 0;

	for (size_t i = 0; i < cb->ncodes; i++) {
		size_t n = 2 * cb->codes[i].depth + strlen(cb->codes[i].id);

		if (n > w)
			w = n;
	}
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct tyst_code *c = &cb->codes[i];
		int pad = (int)(w - 2 * c->depth);

		fprintf(f, "%*s%-*s  %s\n", (int)(2 * c->depth), "", pad, c->id,
		    c->label);
	}
}

static void
list_tsv(FILE *f, const struct tyst_codebook *cb)
{
	fputs("id\tparent\tdepth\tlabel\tcolor\tdescription\n", f);
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct tyst_code *c = &cb->codes[i];

		fprintf(f, "%s\t%s\t%zu\t", c->id, c->parent >= 0 ?
		    cb->codes[c->parent].id : "", c->depth);
		tsv_field(f, c->label);
		putc('\t', f);
		tsv_field(f, c->color);
		putc('\t', f);
		tsv_field(f, c->description);
		putc('\n', f);
	}
}

static void
json_code(FILE *f, const struct tyst_codebook *cb, size_t i)
{
	const struct tyst_code *c = &cb->codes[i];
	int first = 1;

	fputs("{\"id\":", f);
	tyst_json_cstr(f, c->id);
	fputs(",\"label\":", f);
	tyst_json_cstr(f, c->label);
	fputs(",\"parent\":", f);
	tyst_json_cstr(f, c->parent >= 0 ? cb->codes[c->parent].id : NULL);
	fprintf(f, ",\"depth\":%zu,\"codable\":%s,\"color\":", c->depth,
	    c->uncodable ? "false" : "true");
	tyst_json_cstr(f, c->color);
	fputs(",\"description\":", f);
	tyst_json_cstr(f, c->description);
	fputs(",\"inclusion\":", f);
	tyst_json_cstr(f, c->inclusion);
	fputs(",\"exclusion\":", f);
	tyst_json_cstr(f, c->exclusion);
	fputs(",\"examples\":[", f);
	for (size_t k = 0; k < c->nexamples; k++) {
		if (k > 0)
			putc(',', f);
		tyst_json_cstr(f, c->examples[k]);
	}
	fputs("],\"sets\":[", f);
	for (size_t s = 0; s < cb->nsets; s++)
		for (size_t k = 0; k < cb->sets[s].nmembers; k++)
			if (cb->sets[s].members[k] == i) {
				if (!first)
					putc(',', f);
				first = 0;
				tyst_json_cstr(f, cb->sets[s].id);
			}
	fprintf(f, "],\"line\":%zu}\n", c->line);
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
		list_tsv(f, &cb);
	else if (o->format == FMT_JSONL)
		for (size_t i = 0; i < cb.ncodes; i++)
			json_code(f, &cb, i);
	else
		list_tree(f, &cb);
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

static void
show_text(const char *key, const char *v)
{
	const char *nl;

	if (v == NULL)
		return;
	printf("%-12s ", key);
	while ((nl = strchr(v, '\n')) != NULL) {
		printf("%.*s\n%-12s ", (int)(nl - v), v, "");
		v = nl + 1;
	}
	printf("%s\n", v);
}

static int
cmd_show(const char *file, const char *id)
{
	struct tyst_codebook cb;
	const struct tyst_code *c;
	struct tyst_err err;
	long at;
	int first = 1;

	if (load(file, 1, &cb) < 0)
		return TYST_EXIT_ERROR;
	if ((at = tyst_codebook_find(&cb, id)) < 0) {
		tyst_diag(cb.path, 0, 0, "unknown code '%s': no code with this id "
		    "in the codebook", id);
		tyst_codebook_free(&cb);
		return TYST_EXIT_ERROR;
	}
	c = &cb.codes[at];
	show_text("id:", c->id);
	show_text("label:", c->label);
	if (c->parent >= 0)
		printf("%-12s %s (%s)\n", "parent:", cb.codes[c->parent].id,
		    cb.codes[c->parent].label);
	if (nchildren(&cb, (size_t)at) > 0) {
		printf("%-12s", "children:");
		for (size_t j = (size_t)at + 1; j < cb.ncodes; j++)
			if (cb.codes[j].parent == at)
				printf(" %s", cb.codes[j].id);
		putchar('\n');
	}
	for (size_t s = 0; s < cb.nsets; s++)
		for (size_t k = 0; k < cb.sets[s].nmembers; k++)
			if (cb.sets[s].members[k] == (size_t)at) {
				printf(first ? "%-12s %s" : ", %s", "sets:",
				    cb.sets[s].id);
				if (first)
					first = 0;
			}
	if (!first)
		putchar('\n');
	show_text("color:", c->color);
	if (c->uncodable)
		show_text("codable:", "no (a heading)");
	show_text("description:", c->description);
	show_text("inclusion:", c->inclusion);
	show_text("exclusion:", c->exclusion);
	for (size_t k = 0; k < c->nexamples; k++)
		show_text(k == 0 ? "examples:" : "", c->examples[k]);
	printf("%-12s %s:%zu:%zu\n", "defined:", cb.path, c->line, c->col);
	tyst_codebook_free(&cb);
	if (tyst_flush_stdout(&err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	return TYST_EXIT_OK;
}

/* ---- export ------------------------------------------------------------------- */

static void
export_md(FILE *f, const struct tyst_codebook *cb)
{
	int sv = cb->language != NULL && strncmp(cb->language, "sv", 2) == 0;
	size_t num[64] = { 0 };

	fprintf(f, "# %s\n\n", cb->title ? cb->title :
	    (sv ? "Kodbok" : "Codebook"));
	if (cb->source != NULL) {
		fputs(sv ? "Källa: " : "Source: ", f);
		md_cell(f, cb->source);
		fputs("\n\n", f);
	}
	fputs(sv ? "| Nr | Kod | Beskrivning | Inkludera | Exkludera | "
	    "Exempel |\n" : "| No. | Code | Description | Include | Exclude | "
	    "Examples |\n", f);
	fputs("|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct tyst_code *c = &cb->codes[i];
		size_t d = c->depth < 63 ? c->depth : 63;

		num[d]++;
		for (size_t k = d + 1; k < 64; k++)
			num[k] = 0;
		fputs("| ", f);
		for (size_t k = 0; k <= d; k++)
			fprintf(f, k ? ".%zu" : "%zu", num[k]);
		fputs(" | ", f);
		md_cell(f, c->label);
		fprintf(f, "<br>`%s` | ", c->id);
		md_cell(f, c->description);
		fputs(" | ", f);
		md_cell(f, c->inclusion);
		fputs(" | ", f);
		md_cell(f, c->exclusion);
		fputs(" | ", f);
		for (size_t k = 0; k < c->nexamples; k++) {
			fputs(k ? "<br>" : "", f);
			fputs(sv ? "”" : "“", f);
			md_cell(f, c->examples[k]);
			fputs("”", f);
		}
		fputs(" |\n", f);
	}
	if (cb->nsets == 0)
		return;
	fputs(sv ? "\n## Grupper av koder\n\n" : "\n## Sets of codes\n\n", f);
	for (size_t s = 0; s < cb->nsets; s++) {
		const struct tyst_codeset *set = &cb->sets[s];

		fputs("- **", f);
		md_cell(f, set->label);
		fputs("**: ", f);
		for (size_t k = 0; k < set->nmembers; k++) {
			fputs(k ? ", " : "", f);
			md_cell(f, cb->codes[set->members[k]].label);
		}
		fputs("\n", f);
	}
}

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
	if (o->format == FMT_MD)
		export_md(f, &cb);
	else if (o->format == FMT_QDC)
		rc = tyst_qdc_write(&cb, f, 0, &err);
	else if (o->format == FMT_CSV)
		rc = tyst_codebook_write_csv(&cb, f, &err);
	else
		rc = tyst_codebook_write_yaml(&cb, f, &err);
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
	struct tyst_codebook cb, back;
	struct tyst_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if ((is_csv(file) || o->format == FMT_CSV ?
	    tyst_codebook_read_csv(&cb, file, &err) :
	    tyst_qdc_read(&cb, file, o->quiet, &err)) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	if ((f = open_memstream(&buf, &len)) == NULL) {
		tyst_codebook_free(&cb);
		tyst_diag(NULL, 0, 0, "out of memory");
		return TYST_EXIT_ERROR;
	}
	fprintf(f, "# Imported by tyst-codebook from %s.\n", cb.path);
	rc = tyst_codebook_write_yaml(&cb, f, &err);
	fclose(f);
	tyst_codebook_free(&cb);
	if (rc < 0) {
		tyst_diag_err(&err);
		free(buf);
		return TYST_EXIT_ERROR;
	}
	/* What we write must load: check it before anyone relies on it. */
	if (tyst_codebook_load_mem(&back, "imported YAML", buf, len, 1,
	    &err) < 0) {
		tyst_diag_err(&err);
		tyst_diag(NULL, 0, 0, "internal error: the YAML made from %s "
		    "does not load", file ? file : "<stdin>");
		free(buf);
		return TYST_EXIT_ERROR;
	}
	tyst_codebook_free(&back);
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
