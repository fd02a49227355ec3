/*
 * tyst-agree — intercoder agreement: percent agreement, Cohen's kappa and
 * Krippendorff's alpha.
 *
 * Options and output only; the figures are lib/agree.c.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/agree.h"
#include "tyst/diag.h"
#include "tyst/outfile.h"

enum format { FMT_TEXT, FMT_TSV };

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-agree [options] --matrix FILE.tsv\n"
"\n"
"Measures how well coders agree: percent agreement, Cohen's kappa (two\n"
"coders) and Krippendorff's alpha (nominal; any number of coders, missing\n"
"values allowed).\n"
"\n"
"  -m, --matrix FILE  reliability data: a first row naming the coders, then\n"
"                     one row per unit, one tab-separated cell per coder;\n"
"                     an empty cell is a missing value (\"-\": stdin)\n"
"  -f, --format FMT   text (default) or tsv\n"
"  -h, --help         this help\n"
"  -V, --version      the version\n"
"\n"
"Figures are printed with three decimals; \"undefined\" when the data show\n"
"no variation (every value the same), where kappa and alpha are 0/0.\n"
"Exit status: 0 figures printed, 2 error.\n", f);
}

static void
fig(FILE *f, double x, int tsv)
{
	if (isnan(x))
		fputs(tsv ? "NA" : "undefined", f);
	else
		fprintf(f, "%.3f", x);
}

static void
print_matrix(const struct tyst_rdata *d, const struct tyst_agreement *a,
    enum format fmt)
{
	if (fmt == FMT_TSV) {
		printf("coders\tunits\tpairable\tvalues\tagreement\tkappa\t"
		    "alpha\n%zu\t%llu\t%llu\t%llu\t", d->ncoders,
		    (unsigned long long)a->units,
		    (unsigned long long)a->pairable,
		    (unsigned long long)a->values);
		fig(stdout, a->percent, 1);
		putchar('\t');
		fig(stdout, a->kappa, 1);
		putchar('\t');
		fig(stdout, a->alpha, 1);
		putchar('\n');
		return;
	}
	printf("coders:               ");
	for (size_t i = 0; i < d->ncoders; i++)
		printf("%s%s", i ? ", " : "", d->coders[i]);
	printf("\nunits:                %llu (pairable: %llu, values: %llu)\n",
	    (unsigned long long)a->units, (unsigned long long)a->pairable,
	    (unsigned long long)a->values);
	printf("percent agreement:    ");
	fig(stdout, a->percent, 0);
	printf("\nCohen's kappa:        ");
	if (d->ncoders != 2)
		printf("-  (two coders only)");
	else
		fig(stdout, a->kappa, 0);
	printf("\nKrippendorff's alpha: ");
	fig(stdout, a->alpha, 0);
	putchar('\n');
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
	print_matrix(&d, &a, fmt);
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
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *matrix = NULL;
	enum format fmt = FMT_TEXT;
	int ch;

	tyst_diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "m:f:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm': matrix = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else if (strcmp(optarg, "tsv") == 0)
				fmt = FMT_TSV;
			else {
				tyst_diag(NULL, 0, 0, "unknown format '%s' "
				    "(text, tsv)", optarg);
				return TYST_EXIT_ERROR;
			}
			break;
		case 'h': usage(stdout); return TYST_EXIT_OK;
		case 'V': printf("tyst-agree %s\n", TYST_VERSION); return 0;
		default: usage(stderr); return TYST_EXIT_ERROR;
		}
	}
	if (matrix != NULL) {
		if (optind < argc) {
			tyst_diag(NULL, 0, 0, "--matrix takes no project "
			    "argument");
			return TYST_EXIT_ERROR;
		}
		return run_matrix(matrix, fmt);
	}
	usage(stderr);
	return TYST_EXIT_ERROR;
}
