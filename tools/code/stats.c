/*
 * tyst-code stats: segments per code and coder, per document and coder.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sqlite3.h>

#include "tyst/clock.h"
#include "tyst/codebook.h"
#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/export.h"
#include "tyst/gate.h"
#include "tyst/json.h"
#include "tyst/markup.h"
#include "tyst/merge.h"
#include "tyst/outfile.h"
#include "tyst/project.h"
#include "tyst/qdpx.h"
#include "tyst/sha256.h"
#include "tyst/text.h"
#include "tyst/turns.h"

#include "code.h"

/* ---- stats, cooccur ----------------------------------------------------- */

static int
add_name(char ***v, size_t *n, const char *s)
{
	char **w = realloc(*v, (*n + 1) * sizeof(*w));

	if (w == NULL)
		return -1;
	*v = w;
	if ((w[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static long
find_name(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return (long)i;
	return -1;
}

void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->rows);
	free(t->cols);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

/* Runs sql (rows: row name, column name, count) into t, whose rows and
 * columns are from rows_sql and cols_sql (one name each). */
int
table_fill(sqlite3 *db, struct table *t, const char *rows_sql,
    const char *cols_sql, const char *sql, const char *coder,
    struct tyst_err *err)
{
	sqlite3_stmt *s = NULL;
	const char *q[3] = { rows_sql, cols_sql, sql };

	memset(t, 0, sizeof(*t));
	for (int k = 0; k < 3; k++) {
		if (sqlite3_prepare_v2(db, q[k], -1, &s, NULL) != SQLITE_OK)
			return tyst_err_set(err, NULL, 0, 0, "%s",
			    sqlite3_errmsg(db));
		if (sqlite3_bind_parameter_count(s) > 0)
			sqlite3_bind_text(s, 1, coder, -1, SQLITE_STATIC);
		if (k == 2 && (t->cell = calloc(t->nrows * t->ncols + 1,
		    sizeof(long))) == NULL) {
			sqlite3_finalize(s);
			return tyst_err_set(err, NULL, 0, 0, "out of memory");
		}
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *a = (const char *)sqlite3_column_text(s, 0);
			long r, c;

			if (a == NULL)
				continue;
			if (k == 0 && add_name(&t->rows, &t->nrows, a) < 0)
				break;
			if (k == 1 && add_name(&t->cols, &t->ncols, a) < 0)
				break;
			if (k != 2)
				continue;
			r = find_name(t->rows, t->nrows, a);
			c = find_name(t->cols, t->ncols,
			    (const char *)sqlite3_column_text(s, 1));
			if (r >= 0 && c >= 0)
				t->cell[(size_t)r * t->ncols + (size_t)c] +=
				    sqlite3_column_int64(s, 2);
		}
		sqlite3_finalize(s);
	}
	return 0;
}

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
table_print(const struct table *t, const char *corner, int total_col,
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
	struct tyst_segfilter f;
	struct tyst_project *p;
	struct tyst_err err;
	struct table t;
	sqlite3 *db;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (ch != 'k')
			return bad_usage("stats: unknown option%s", "");
		coder = optarg;
	}
	if (argc - optind != 1)
		return bad_usage("stats needs PROJECT.db%s", "");
	if (tyst_project_open(&p, argv[optind], 1, &err) < 0)
		return fail(&err);
	memset(&f, 0, sizeof(f));
	f.coder = coder;
	if (check_filter(p, argv[optind], &f, &err) < 0) {
		tyst_project_close(p);
		return fail(&err);
	}
	db = tyst_project_db(p);
#define CODERS "SELECT name FROM coders WHERE ?1 IS NULL OR name = ?1" \
	" ORDER BY name"
	rc = table_fill(db, &t, "SELECT code FROM codes ORDER BY position",
	    CODERS, "SELECT c.code, k.name, count(*) FROM segments s JOIN"
	    " codes c ON c.id = s.code_id JOIN coders k ON k.id = s.coder_id"
	    " GROUP BY s.code_id, s.coder_id", coder, &err);
	if (rc == 0) {
		printf("segments per code and coder\n");
		table_print(&t, "code", 1, 1);
	}
	table_free(&t);
	if (rc == 0)
		rc = table_fill(db, &t, "SELECT name FROM documents ORDER BY"
		    " name", CODERS, "SELECT d.name, k.name, count(*) FROM"
		    " segments s JOIN documents d ON d.id = s.document_id JOIN"
		    " coders k ON k.id = s.coder_id GROUP BY s.document_id,"
		    " s.coder_id", coder, &err);
	if (rc == 0) {
		printf("\nsegments per document and coder\n");
		table_print(&t, "document", 1, 1);
	}
	table_free(&t);
	tyst_project_close(p);
	if (rc < 0 || tyst_flush_stdout(&err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
