/*
 * tyst-agree — intercoder agreement: percent agreement, Cohen's and
 * Fleiss' kappa, Krippendorff's alpha and u-alpha.
 *
 * Options only; the figures are lib/coding/agree.c and ualpha.c, their
 * tables and report lib/coding/agreereport.c.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/agree.h"
#include "tyst/agreereport.h"
#include "tyst/diag.h"
#include "tyst/outfile.h"
#include "tyst/project.h"

enum format { FMT_TEXT, FMT_TSV, FMT_MD };

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-agree [options] PROJECT.db --coders A,B[,C...]\n"
"       tyst-agree [options] --matrix FILE.tsv\n"
"\n"
"Measures how well coders agree: percent agreement, Cohen's kappa (two\n"
"coders), Fleiss' kappa (three or more, over the units all coded) and\n"
"Krippendorff's alpha (nominal; any number of coders, missing values\n"
"allowed).  In a project, per code and overall: each unit is present or\n"
"absent per coder, present when one of the coder's segments of the code\n"
"overlaps it; and Krippendorff's u-alpha, which compares the segments'\n"
"boundaries on the characters of the documents every coder coded.\n"
"\n"
"  -c, --coders LIST  the coders to compare, comma-separated\n"
"  -k, --code ID      only this code (repeatable, or comma-separated)\n"
"  -u, --unit UNIT    char (default; every character, line ends aside),\n"
"                     sentence or turn\n"
"  -s, --speaker LIST only the turns of these speakers (labels as written,\n"
"                     comma-separated or repeated), e.g. IP to leave out\n"
"                     the interviewer's \"Mm.\"\n"
"  -r, --report FILE  write a Markdown report of the figures and of every\n"
"                     place the coders differ, for the consensus meeting\n"
"  -m, --matrix FILE  reliability data: a first row naming the coders, then\n"
"                     one row per unit, one tab-separated cell per coder;\n"
"                     an empty cell is a missing value (\"-\": stdin)\n"
"  -f, --format FMT   text (default), tsv, or md (the report on stdout)\n"
"  -h, --help         this help\n"
"  -V, --version      the version\n"
"\n"
"Figures are printed with three decimals; \"undefined\" when the data show\n"
"no variation (every value the same), where kappa and alpha are 0/0.\n"
"Exit status: 0 figures printed, 2 error.\n", f);
}

static int
split_list(char *s, const char ***v, size_t *n)
{
	for (char *t = strtok(s, ","); t != NULL; t = strtok(NULL, ",")) {
		const char **nv;

		while (*t == ' ')
			t++;
		if (*t == '\0')
			continue;
		if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL)
			return -1;
		*v = nv;
		(*v)[(*n)++] = t;
	}
	return 0;
}

static int
run_project(const char *path, struct tyst_agree_opts *o,
    const struct tyst_agree_speakers *sp, enum format fmt, const char *report)
{
	struct tyst_project *p;
	struct tyst_agree_result r;
	struct tyst_err err;
	struct tyst_outfile of;

	if (tyst_project_open(&p, path, 1, &err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	if (tyst_agree_project_speakers(p, o, sp, &r, &err) < 0) {
		tyst_diag_err(&err);
		tyst_project_close(p);
		return TYST_EXIT_ERROR;
	}
	tyst_project_close(p);
	if (report != NULL) {
		if (tyst_outfile_open(&of, report, 0666, &err) < 0)
			goto fail;
		tyst_agree_write_md(of.fp, path, &r, o, sp);
		if (tyst_outfile_commit(&of, &err) < 0)
			goto fail;
	}
	if (fmt == FMT_MD)
		tyst_agree_write_md(stdout, path, &r, o, sp);
	else
		tyst_agree_write_table(stdout, &r, fmt == FMT_TSV);
	tyst_agree_result_free(&r);
	if (tyst_flush_stdout(&err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	return TYST_EXIT_OK;
fail:
	tyst_diag_err(&err);
	tyst_agree_result_free(&r);
	return TYST_EXIT_ERROR;
}

static int
run_matrix(const char *path, enum format fmt)
{
	struct tyst_rdata d;
	struct tyst_agreement a;
	struct tyst_err err;

	if (tyst_rdata_load_tsv(&d, path, &err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	if (tyst_agree_compute(&d, &a, &err) < 0) {
		tyst_diag_err(&err);
		tyst_rdata_free(&d);
		return TYST_EXIT_ERROR;
	}
	if (a.pairable == 0)
		tyst_warn(d.name, 0, 0, "no unit has values from two coders; "
		    "nothing to compare");
	tyst_agree_write_matrix(stdout, &d, &a, fmt == FMT_TSV);
	tyst_rdata_free(&d);
	if (tyst_flush_stdout(&err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	return TYST_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "matrix", required_argument, NULL, 'm' },
		{ "coders", required_argument, NULL, 'c' },
		{ "code", required_argument, NULL, 'k' },
		{ "unit", required_argument, NULL, 'u' },
		{ "speaker", required_argument, NULL, 's' },
		{ "report", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *matrix = NULL, *report = NULL;
	const char **coders = NULL, **codes = NULL, **speakers = NULL;
	struct tyst_agree_opts o = { .unit = TYST_AGREE_CHAR };
	struct tyst_agree_speakers sp = { NULL, 0 };
	enum format fmt = FMT_TEXT;
	int ch, rc;

	tyst_diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "m:c:k:u:s:r:f:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm': matrix = optarg; break;
		case 'c':
		case 'k':
			if (split_list(optarg, ch == 'c' ? &coders : &codes,
			    ch == 'c' ? &o.ncoders : &o.ncodes) < 0) {
				tyst_diag(NULL, 0, 0, "out of memory");
				goto bad;
			}
			break;
		case 's':
			if (split_list(optarg, &speakers, &sp.n) < 0) {
				tyst_diag(NULL, 0, 0, "out of memory");
				goto bad;
			}
			break;
		case 'u':
			if (strcmp(optarg, "char") == 0)
				o.unit = TYST_AGREE_CHAR;
			else if (strcmp(optarg, "sentence") == 0)
				o.unit = TYST_AGREE_SENTENCE;
			else if (strcmp(optarg, "turn") == 0)
				o.unit = TYST_AGREE_TURN;
			else {
				tyst_diag(NULL, 0, 0, "unknown unit '%s' "
				    "(char, sentence, turn)", optarg);
				goto bad;
			}
			break;
		case 'r': report = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else if (strcmp(optarg, "tsv") == 0)
				fmt = FMT_TSV;
			else if (strcmp(optarg, "md") == 0)
				fmt = FMT_MD;
			else {
				tyst_diag(NULL, 0, 0, "unknown format '%s' "
				    "(text, tsv, md)", optarg);
				goto bad;
			}
			break;
		case 'h':
			usage(stdout);
			rc = TYST_EXIT_OK;
			goto done;
		case 'V':
			printf("tyst-agree %s\n", TYST_VERSION);
			rc = TYST_EXIT_OK;
			goto done;
		default:
			usage(stderr);
			goto bad;
		}
	}
	for (int i = optind; i < argc; i++)
		tyst_outfile_protect(argv[i]);    /* the project */
	if (matrix != NULL) {
		if (optind < argc || o.ncoders > 0 || report != NULL ||
		    fmt == FMT_MD) {
			tyst_diag(NULL, 0, 0, "--matrix takes no project, "
			    "--coders, --report or --format md");
			rc = TYST_EXIT_ERROR;
		} else
			rc = run_matrix(matrix, fmt);
	} else if (optind + 1 != argc) {
		usage(stderr);
		rc = TYST_EXIT_ERROR;
	} else if (o.ncoders < 2) {
		tyst_diag(NULL, 0, 0, "--coders must name at least two coders");
		rc = TYST_EXIT_ERROR;
	} else {
		o.coders = coders;
		o.codes = codes;
		sp.v = speakers;
		rc = run_project(argv[optind], &o, &sp, fmt, report);
	}
	goto done;
bad:
	rc = TYST_EXIT_ERROR;
done:
	free(coders);
	free(codes);
	free(speakers);
	return rc;
}
