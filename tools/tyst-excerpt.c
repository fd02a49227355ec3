/*
 * tyst-excerpt — export coded excerpts from a coding project as Markdown,
 * CSV, JSON Lines, one HTML page, an Excel table, a Word document, or the
 * whole project as REFI-QDA.
 *
 * Every excerpt is scanned for identifiers again before anything is
 * written: what leaves the project is what gets quoted in a thesis.  The
 * work is lib/coding/excerpt.c's; this file parses options and prints.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "tyst/clock.h"
#include "tyst/diag.h"
#include "tyst/excerpt.h"
#include "tyst/outfile.h"

#define MAX_LIST 256
#define SHOW_HITS 20

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-excerpt PROJECT.db [--code ID]... [--case NAME] [--attr K=V]...\n"
"                    [--coder NAME] [--document DOC]\n"
"                    [-f md|csv|jsonl|html|xlsx|docx|qdpx]\n"
"                    [--attribution TEMPLATE] [--allow TEXT]... [--rules FILE]\n"
"                    [--confidence LVL] [--line-endings lf|crlf1] [-o FILE]\n"
"\n"
"Writes the coded excerpts of a tyst-code project, grouped by code in\n"
"codebook order.  An excerpt is exactly the stored text of its segment.\n"
"\n"
"  -c, --code ID          only this code (repeatable)\n"
"      --case NAME        only documents of this case\n"
"      --attr K=V         only documents with this attribute, of their own\n"
"                         or of their case (repeatable)\n"
"  -k, --coder NAME       only this coder's segments\n"
"  -d, --document DOC     only this document\n"
"  -f, --format FMT       md (default; pandoc-ready), csv (RFC 4180; with\n"
"                         the code path and a column per case and document\n"
"                         attribute), xlsx (the same table for Excel),\n"
"                         jsonl (one object per excerpt), html (one page),\n"
"                         docx (the quotes with their attributions, for\n"
"                         Word),\n"
"                         qdpx (the whole project for other QDA programs,\n"
"                         REFI-QDA; no filters)\n"
"      --line-endings E   qdpx: lf (default, the standard) or crlf1 (CRLF\n"
"                         in the sources, each counted as one position,\n"
"                         as ATLAS.ti counts them)\n"
"  -a, --attribution T    the line under a quote; {case}, {document},\n"
"                         {speaker}, {coder}, {code}, {label} or any case\n"
"                         or document attribute, e.g. '{role} {nr},\n"
"                         Intervjutillfälle {tillfalle}'; default\n"
"                         '({case})'\n"
"      --allow TEXT       a scan finding that is not an identifier\n"
"                         (repeatable; remembered in the project)\n"
"      --show             print a personnummer whole in messages\n"
"      --csv-raw          CSV cells exactly as stored; by default a cell\n"
"                         starting with = + - @, tab or CR gets a leading '\n"
"                         so a spreadsheet does not run it as a formula\n"
"      --rules FILE       detection rules (default: the Swedish set)\n"
"      --confidence LVL   stop only at findings this sure: certain, likely\n"
"                         or candidate (default, as tyst-scan)\n"
"  -o, --output FILE      write FILE (whole or not at all), not stdout\n"
"  -h, --help, -V, --version\n"
"\n"
"Every field that leaves the project is scanned as the excerpts are: the\n"
"title, codes, document and case names, coders, speakers, attributions\n"
"and memos, and in the tables (csv, xlsx) the attribute columns.\n"
"\n"
"Exit status: 0 written, 1 the scan found an identifier in an excerpt or\n"
"a field (nothing written; the places are listed), 2 error.\n", f);
}

struct shown {
	int show;                    /* --show */
	long n;
};

static int
fail(const struct tyst_err *err)
{
	tyst_diag_err(err);
	return TYST_EXIT_ERROR;
}

/* The first SHOW_HITS findings of a scan, each where it is and how to let
 * a false alarm through. */
static void
say(const struct tyst_xfinding *f, void *arg)
{
	struct shown *s = arg;
	char buf[sizeof(f->hit->text)];
	const char *t;

	if (s->n++ >= SHOW_HITS)
		return;
	t = tyst_hit_shown(f->hit, s->show, buf, sizeof(buf));
	tyst_diag(f->file, f->line, f->col, "%s %s '%s' in %s; export stopped "
	    "(--allow '%s' if it is no identifier)",
	    tyst_confidence_name(f->hit->confidence), f->hit->category, t,
	    f->where, t);
}

static void
say_more(const struct shown *s)
{
	if (s->n > SHOW_HITS)
		tyst_diag(NULL, 0, 0, "… and %ld more", s->n - SHOW_HITS);
}

/* An export that went out with --allow remembers it, so the next one
 * does not ask again.  The export stands even when this fails. */
static void
remember(const char *path, const char *const *allow, size_t nallow)
{
	struct tyst_err err;

	if (tyst_xrun_remember(path, allow, nallow, &err) < 0)
		tyst_warn(path, 0, 0, "--allow not remembered: %s", err.msg);
}

static int
write_export(FILE *f, int fmt, const struct tyst_export *x,
    const struct tyst_qdpx *q, struct tyst_err *err)
{
	char now[32];

	if (q == NULL)
		return tyst_export_write(f, fmt, x, err);
	tyst_now_iso(now);
	return tyst_qdpx_write(q, f, now, err);
}

static int
write_out(int fmt, const struct tyst_export *x, const struct tyst_qdpx *q,
    const char *out, struct tyst_err *err)
{
	struct tyst_outfile of;

	if (out == NULL) {
		if (write_export(stdout, fmt, x, q, err) < 0 ||
		    tyst_flush_stdout(err) < 0) {
			if (q != NULL && err->file[0] == '\0')
				snprintf(err->file, sizeof(err->file),
				    "<stdout>");
			return -1;
		}
		return 0;
	}
	if (tyst_outfile_open(&of, out, 0666, err) < 0)
		return -1;
	if (write_export(of.fp, fmt, x, q, err) < 0) {
		tyst_outfile_abort(&of);
		if (q != NULL && err->file[0] == '\0')
			snprintf(err->file, sizeof(err->file), "%s", out);
		return -1;
	}
	return tyst_outfile_commit(&of, err);
}

/* Nothing written: how many findings, and in what. */
static int
stopped(const char *path, long n, const char *what)
{
	tyst_diag(path, 0, 0, "%ld possible identifier%s in %s; nothing "
	    "written", n, n == 1 ? "" : "s", what);
	return TYST_EXIT_FOUND;
}

/*
 * --format qdpx: the whole project as a REFI-QDA file (lib/refi/qdpx.c).
 */
static int
export_qdpx(struct tyst_xrun *r, const char *path, const char *out,
    int show, int crlf1)
{
	struct tyst_qdpx q;
	struct shown docs = { show, 0 }, fields = { show, 0 };
	struct tyst_err err;
	long nd, nf;
	int rc = TYST_EXIT_ERROR;

	memset(&q, 0, sizeof(q));
	if (tyst_xrun_qdpx(r, &q, &err) < 0 ||
	    (nd = tyst_xrun_gate_sources(r, &q, say, &docs, &err)) < 0 ||
	    (nf = tyst_xrun_gate_qdpx_fields(r, &q, say, &fields, &err)) < 0) {
		rc = fail(&err);
		goto out;
	}
	q.crlf1 = crlf1;
	say_more(&fields);
	if (nf > 0) {
		rc = stopped(path, nf, "the project's fields");
		goto out;
	}
	if (nd > 0) {
		say_more(&docs);
		rc = stopped(path, nd, "the documents");
		goto out;
	}
	if (write_out(0, NULL, &q, out, &err) < 0)
		rc = fail(&err);
	else
		rc = TYST_EXIT_OK;
out:
	tyst_qdpx_free(&q);
	return rc;
}

static int
export_excerpts(struct tyst_xrun *r, const char *path,
    const struct tyst_segfilter *f, const char *tmpl, int fmt, int csv_raw,
    const char *out, int show)
{
	struct shown ex = { show, 0 }, fields = { show, 0 };
	struct tyst_err err;
	long found, nf;

	if (tyst_xrun_load(r, f, tmpl, fmt == TYST_FMT_CSV ||
	    fmt == TYST_FMT_XLSX, &err) < 0)
		return fail(&err);
	tyst_xrun_export(r)->csv_raw = csv_raw;
	if ((found = tyst_xrun_gate_excerpts(r, say, &ex, &err)) < 0)
		return fail(&err);
	say_more(&ex);
	if ((nf = tyst_xrun_gate_fields(r, say, &fields, &err)) < 0)
		return fail(&err);
	say_more(&fields);
	if (nf > 0)
		return stopped(path, nf, "the exported fields");
	if (found > 0)
		return stopped(path, found, "the excerpts");
	if (write_out(fmt, tyst_xrun_export(r), NULL, out, &err) < 0)
		return fail(&err);
	if (tyst_xrun_export(r)->n == 0)
		tyst_warn(path, 0, 0, "no segments match; the export is empty");
	return TYST_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 'c' },
		{ "case", required_argument, NULL, 'C' },
		{ "attr", required_argument, NULL, 'A' },
		{ "coder", required_argument, NULL, 'k' },
		{ "document", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "attribution", required_argument, NULL, 'a' },
		{ "allow", required_argument, NULL, 'w' },
		{ "rules", required_argument, NULL, 'r' },
		{ "confidence", required_argument, NULL, 'L' },
		{ "show", no_argument, NULL, 'S' },
		{ "csv-raw", no_argument, NULL, 'X' },
		{ "output", required_argument, NULL, 'o' },
		{ "line-endings", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *codes[MAX_LIST], *allow[MAX_LIST], *keys[MAX_LIST],
	    *values[MAX_LIST], *rules = NULL, *out = NULL, *tmpl = NULL;
	char *keybuf[MAX_LIST];
	struct tyst_segfilter f;
	struct tyst_xrun *r = NULL;
	struct tyst_err err;
	size_t nallow = 0;
	int ch, fmt = TYST_FMT_MD, rc = TYST_EXIT_ERROR, qdpx = 0, crlf1 = 0;
	int min = TYST_CANDIDATE, show = 0, csv_raw = 0;

	tyst_diag_init(argv[0]);
	memset(&f, 0, sizeof(f));
	f.codes = codes;
	f.attr_keys = keys;
	f.attr_values = values;
	while ((ch = getopt_long(argc, argv, "c:k:d:f:a:o:hV", opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c':
			if (f.ncodes < MAX_LIST)
				codes[f.ncodes++] = optarg;
			break;
		case 'C': f.case_name = optarg; break;
		case 'A': {
			const char *eq = strchr(optarg, '=');

			if (eq == NULL || eq == optarg || f.nattrs == MAX_LIST) {
				tyst_diag(NULL, 0, 0, "--attr '%s': write "
				    "KEY=VALUE", optarg);
				goto out;
			}
			keybuf[f.nattrs] = strndup(optarg,
			    (size_t)(eq - optarg));
			keys[f.nattrs] = keybuf[f.nattrs];
			values[f.nattrs++] = eq + 1;
			break;
		}
		case 'k': f.coder = optarg; break;
		case 'd': f.document = optarg; break;
		case 'f':
			if (strcmp(optarg, "qdpx") == 0) {
				qdpx = 1;
				break;
			}
			if ((fmt = tyst_format_parse(optarg)) < 0) {
				tyst_diag(NULL, 0, 0, "--format '%s': md, csv, "
				    "jsonl, html, xlsx, docx or qdpx", optarg);
				goto out;
			}
			break;
		case 'a': tmpl = optarg; break;
		case 'w':
			if (nallow < MAX_LIST)
				allow[nallow++] = optarg;
			break;
		case 'r': rules = optarg; break;
		case 'L':
			if ((min = tyst_confidence_parse(optarg)) < 0) {
				tyst_diag(NULL, 0, 0, "--confidence '%s': "
				    "certain, likely or candidate", optarg);
				goto out;
			}
			break;
		case 'o': out = optarg; break;
		case 'E':
			if (strcmp(optarg, "crlf1") != 0 &&
			    strcmp(optarg, "lf") != 0) {
				tyst_diag(NULL, 0, 0, "--line-endings '%s': lf "
				    "or crlf1", optarg);
				goto out;
			}
			crlf1 = strcmp(optarg, "crlf1") == 0;
			break;
		case 'S': show = 1; break;
		case 'X': csv_raw = 1; break;
		case 'h': usage(stdout); rc = TYST_EXIT_OK; goto out;
		case 'V':
			printf("tyst-excerpt %s\n", TYST_VERSION);
			rc = TYST_EXIT_OK;
			goto out;
		default: usage(stderr); goto out;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		goto out;
	}
	if (qdpx && (f.ncodes || f.case_name || f.nattrs || f.coder ||
	    f.document)) {
		tyst_diag(NULL, 0, 0, "--format qdpx exports the whole "
		    "project; --code, --case, --attr, --coder and "
		    "--document do not apply");
		goto out;
	}
	if (!qdpx && !tyst_format_built(fmt)) {
		tyst_diag(NULL, 0, 0, "--format xlsx: this build of tyst has "
		    "no xlsx writer (libxlsxwriter was missing when it was "
		    "built); use -f csv, or install libxlsxwriter-dev and "
		    "rebuild");
		goto out;
	}
	if ((qdpx || tyst_format_binary(fmt)) && out == NULL &&
	    isatty(STDOUT_FILENO)) {
		tyst_diag(NULL, 0, 0, "a .%s file is a zip archive: use -o "
		    "FILE.%s or redirect standard output", qdpx ? "qdpx" :
		    tyst_format_name(fmt), qdpx ? "qdpx" : tyst_format_name(fmt));
		goto out;
	}
	tyst_outfile_protect(argv[optind]);     /* the project */
	tyst_outfile_protect(rules);
	if (tyst_xrun_open(&r, argv[optind], rules, (enum tyst_confidence)min,
	    allow, nallow, &err) < 0) {
		rc = fail(&err);
		goto out;
	}
	rc = qdpx ? export_qdpx(r, argv[optind], out, show, crlf1) :
	    export_excerpts(r, argv[optind], &f, tmpl, fmt, csv_raw, out, show);
	/* Closed first: remembering opens the project for writing. */
	tyst_xrun_close(r);
	r = NULL;
	if (rc == TYST_EXIT_OK)
		remember(argv[optind], allow, nallow);
out:
	for (size_t i = 0; i < f.nattrs; i++)
		free(keybuf[i]);
	tyst_xrun_close(r);
	return rc;
}
