/*
 * tyst-agree — intercoder agreement: percent agreement, Cohen's kappa and
 * Krippendorff's alpha.
 *
 * Options and output only; the figures are lib/coding/agree.c.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/agree.h"
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
"coders), Fleiss' kappa (three or more, --matrix, over the units all\n"
"coded) and Krippendorff's alpha (nominal; any number of coders, missing\n"
"values allowed).  In a project, per code and overall: each unit is\n"
"present or absent per coder, present when one of the coder's segments of\n"
"the code overlaps it.\n"
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
	printf("\nFleiss' kappa:        ");
	if (d->ncoders < 3)
		printf("-  (three or more coders)");
	else {
		fig(stdout, a->fleiss, 0);
		printf("  (%llu unit%s all coded)",
		    (unsigned long long)a->complete, a->complete == 1 ? "" :
		    "s");
	}
	printf("\nKrippendorff's alpha: ");
	fig(stdout, a->alpha, 0);
	putchar('\n');
}

static const char *const unit_names[] = { "char", "sentence", "turn" };

static void
print_table(const struct tyst_agree_result *r, enum format fmt)
{
	int w = 7;

	for (size_t k = 0; k < r->ncodes; k++)
		if ((int)strlen(r->codes[k].code) > w)
			w = (int)strlen(r->codes[k].code);
	if (fmt == FMT_TSV)
		puts("code\tunits\tpairable\tagreement\tkappa\talpha");
	else
		printf("%-*s %10s %10s %9s %9s %9s\n", w, "code", "units",
		    "pairable", "agreement", "kappa", "alpha");
	for (size_t k = 0; k <= r->ncodes; k++) {
		const struct tyst_agreement *a = k < r->ncodes ?
		    &r->codes[k].a : &r->overall;
		const char *name = k < r->ncodes ? r->codes[k].code :
		    "overall";

		if (fmt == FMT_TSV) {
			printf("%s\t%llu\t%llu\t", name,
			    (unsigned long long)a->units,
			    (unsigned long long)a->pairable);
			fig(stdout, a->percent, 1);
			putchar('\t');
			fig(stdout, a->kappa, 1);
			putchar('\t');
			fig(stdout, a->alpha, 1);
			putchar('\n');
			continue;
		}
		printf("%-*s %10llu %10llu ", w, name,
		    (unsigned long long)a->units,
		    (unsigned long long)a->pairable);
		for (int i = 0; i < 3; i++) {
			double x = i == 0 ? a->percent : i == 1 ? a->kappa :
			    a->alpha;
			if (i == 1 && r->ncoders != 2)
				printf(" %9s", "-");
			else if (isnan(x))
				printf(" %9s", "undefined");
			else
				printf(" %9.3f", x);
		}
		if (k < r->ncodes && !r->codes[k].used)
			fputs("  (not applied)", stdout);
		putchar('\n');
	}
}

/* Markdown that a table cell shows as the text itself. */
static void
md_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>|#", *s) != NULL)
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void
md_fig(FILE *f, double x)
{
	if (isnan(x))
		fputs("undefined", f);
	else
		fprintf(f, "%.3f", x);
}

static void
md_coders(FILE *f, const struct tyst_agree_result *r, uint32_t mask)
{
	int first = 1;

	for (size_t c = 0; c < r->ncoders; c++)
		if (mask & (1u << c)) {
			fputs(first ? "" : ", ", f);
			md_text(f, r->coders[c]);
			first = 0;
		}
	if (first)
		fputs("\xe2\x80\x93", f);
}

static void
print_md(FILE *f, const char *project, const struct tyst_agree_result *r,
    const struct tyst_agree_opts *o, const struct tyst_agree_speakers *sp)
{
	int unit = (int)o->unit;
	size_t doc = (size_t)-1;

	fputs("# Intercoder agreement\n\nProject `", f);
	fputs(project, f);
	fputs("`, coders ", f);
	md_coders(f, r, 0xffffffffu);
	fprintf(f, ", unit: %s", unit_names[unit]);
	for (size_t i = 0; i < sp->n; i++) {
		fputs(i == 0 ? ", only the turns of " : ", ", f);
		md_text(f, sp->v[i]);
	}
	fputs(".\n\n", f);
	fputs("| Code | Label | Units | Agreement | Kappa | Alpha |\n"
	    "|---|---|---:|---:|---:|---:|\n", f);
	for (size_t k = 0; k <= r->ncodes; k++) {
		const struct tyst_agreement *a = k < r->ncodes ?
		    &r->codes[k].a : &r->overall;

		fputs("| ", f);
		if (k < r->ncodes) {
			md_text(f, r->codes[k].code);
			fputs(" | ", f);
			md_text(f, r->codes[k].label);
		} else
			fputs("**overall** | ", f);
		fprintf(f, " | %llu | ", (unsigned long long)a->pairable);
		md_fig(f, a->percent);
		fputs(" | ", f);
		if (r->ncoders == 2)
			md_fig(f, a->kappa);
		else
			fputs("\xe2\x80\x93", f);
		fputs(" | ", f);
		md_fig(f, a->alpha);
		fputs(" |\n", f);
	}
	fprintf(f, "\n## Disagreements (%zu)\n", r->ndiffs);
	if (r->ndiffs == 0)
		fputs("\nThe coders agree everywhere.\n", f);
	for (size_t i = 0; i < r->ndiffs; i++) {
		const struct tyst_agree_diff *d = &r->diffs[i];

		if (d->doc != doc) {
			doc = d->doc;
			fputs("\n### ", f);
			md_text(f, r->docs[doc]);
			fputs("\n\n| Lines | Speaker | Code | Applied by | "
			    "Not by | Text |\n|---|---|---|---|---|---|\n", f);
		}
		if (d->line1 == d->line2)
			fprintf(f, "| %zu | ", d->line1);
		else
			fprintf(f, "| %zu\xe2\x80\x93%zu | ", d->line1,
			    d->line2);
		md_text(f, d->speaker != NULL ? d->speaker : "");
		fputs(" | ", f);
		md_text(f, r->codes[d->code].code);
		fputs(" | ", f);
		md_coders(f, r, d->applied);
		fputs(d->extent ? " (extent differs) | " : " | ", f);
		md_coders(f, r, d->valued & ~d->applied);
		fputs(" | ", f);
		md_text(f, d->excerpt);
		fputs(" |\n", f);
	}
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
		print_md(of.fp, path, &r, o, sp);
		if (tyst_outfile_commit(&of, &err) < 0)
			goto fail;
	}
	if (fmt == FMT_MD)
		print_md(stdout, path, &r, o, sp);
	else
		print_table(&r, fmt);
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
