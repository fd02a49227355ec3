/*
 * tyst-code stats: segments per code and coder, per document and coder.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/outfile.h"
#include "tyst/stats.h"

#include "code.h"

static size_t
width(const char *s)
{
	return tyst_utf8_count(s, strlen(s));
}

static void
pad(const char *s, size_t w, int right)
{
	size_t n = width(s);

	if (right)
		for (; n < w; n++)
			fputc(' ', stdout);
	fputs(s, stdout);
	if (!right)
		for (; n < w; n++)
			fputc(' ', stdout);
}

/* Prints t with a total column and, when totals is set, a total row. */
void
table_print(const struct tyst_table *t, const char *corner, int total_col,
    int totals)
{
	size_t w0 = width(corner), *w = calloc(t->ncols + 1, sizeof(*w));
	char num[32];

	if (w == NULL)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		if (width(t->rows[r]) > w0)
			w0 = width(t->rows[r]);
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = width(t->cols[c]) > 5 ? width(t->cols[c]) : 5;
	w[t->ncols] = 5;
	pad(corner, w0, 0);
	if (total_col) {
		fputs("  ", stdout);
		pad("total", w[t->ncols], 1);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		fputs("  ", stdout);
		pad(t->cols[c], w[c], 1);
	}
	fputc('\n', stdout);
	for (size_t r = 0; r <= t->nrows; r++) {
		long sum = 0;

		if (r == t->nrows && !totals)
			break;
		for (size_t c = 0; c < t->ncols; c++) {
			if (r < t->nrows)
				sum += t->cell[r * t->ncols + c];
			else
				for (size_t k = 0; k < t->nrows; k++)
					sum += t->cell[k * t->ncols + c];
		}
		pad(r < t->nrows ? t->rows[r] : "(all)", w0, 0);
		if (total_col) {
			snprintf(num, sizeof(num), "%ld", sum);
			fputs("  ", stdout);
			pad(num, w[t->ncols], 1);
		}
		for (size_t c = 0; c < t->ncols; c++) {
			long v = 0;

			if (r < t->nrows)
				v = t->cell[r * t->ncols + c];
			else
				for (size_t k = 0; k < t->nrows; k++)
					v += t->cell[k * t->ncols + c];
			snprintf(num, sizeof(num), "%ld", v);
			fputs("  ", stdout);
			pad(num, w[c], 1);
		}
		fputc('\n', stdout);
	}
	free(w);
}

int
cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "coder", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *coder = NULL;
	struct tyst_project *p;
	struct tyst_err err;
	struct tyst_table t;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (ch != 'k')
			return bad_usage("stats: unknown option%s", "");
		coder = optarg;
	}
	if (argc - optind != 1)
		return bad_usage("stats needs PROJECT.db%s", "");
	if (open_for_coder(&p, argv[optind], coder, &err) < 0)
		return fail(&err);
	rc = tyst_stats_segments(p, TYST_STATS_CODE, coder, &t, &err);
	if (rc == 0) {
		printf("segments per code and coder\n");
		table_print(&t, "code", 1, 1);
		tyst_table_free(&t);
		rc = tyst_stats_segments(p, TYST_STATS_DOCUMENT, coder, &t,
		    &err);
	}
	if (rc == 0) {
		printf("\nsegments per document and coder\n");
		table_print(&t, "document", 1, 1);
		tyst_table_free(&t);
	}
	tyst_project_close(p);
	if (rc < 0 || tyst_flush_stdout(&err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
