/*
 * export_xlsx — the excerpt table as an Excel workbook, for researchers who
 * sort and filter quotes in a spreadsheet as MAXQDA and NVivo users do.
 *
 * The sheet holds exactly the CSV's columns and rows.  Every text goes in
 * as a string cell, so a memo that starts with "=" is shown, never run as
 * a formula, and needs no leading ' as in the CSV.  libxlsxwriter writes
 * only to a named file: the workbook is made in a private temporary file
 * and copied to f, so the caller's all-or-nothing output file still holds
 * the whole of it.
 */
#include "tyst/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef TYST_HAVE_XLSX

#include <xlsxwriter.h>

/* The most characters a cell holds in Excel and LibreOffice. */
#define CELL_MAX 32767

struct sheet {
	lxw_worksheet *ws;
	lxw_format *wrap;
	lxw_error rc;
};

static void
text(struct sheet *s, lxw_row_t row, lxw_col_t col, const char *p,
    size_t n)
{
	char *v;

	if (s->rc != LXW_NO_ERROR || p == NULL)
		return;
	if ((v = strndup(p, n)) == NULL) {
		s->rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	s->rc = worksheet_write_string(s->ws, row, col, v, col == 11 ?
	    s->wrap : NULL);
	free(v);
}

static void
str(struct sheet *s, lxw_row_t row, lxw_col_t col, const char *p)
{
	if (p != NULL)
		text(s, row, col, p, strlen(p));
}

static void
num(struct sheet *s, lxw_row_t row, lxw_col_t col, double v)
{
	if (s->rc == LXW_NO_ERROR)
		s->rc = worksheet_write_number(s->ws, row, col, v, NULL);
}

/* Characters (not bytes) in p[0..n). */
static size_t
chars(const char *p, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xc0) != 0x80;
	return c;
}

/* A cell cannot hold more than CELL_MAX characters, and cutting a quote
 * would lose words without saying so. */
static int
check_sizes(const struct tyst_export *x, struct tyst_err *err)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct tyst_excerpt *e = &x->v[i];

		if (chars(e->text, e->len) > CELL_MAX ||
		    (e->memo != NULL && chars(e->memo, strlen(e->memo)) >
		    CELL_MAX))
			return tyst_err_set(err, e->document, e->line_start, 0,
			    "segment %lld holds more than the %d characters "
			    "a spreadsheet cell can; use -f csv",
			    (long long)e->segment, CELL_MAX);
	}
	return 0;
}

static void
row(struct sheet *s, lxw_row_t r, const struct tyst_export *x,
    const struct tyst_excerpt *e)
{
	const struct tyst_xcode *c = &x->codes[e->code];
	double v[4] = { (double)e->start, (double)e->end,
	    (double)e->line_start, (double)e->line_end };

	num(s, r, 0, (double)e->segment);
	str(s, r, 1, e->document);
	str(s, r, 2, e->case_name);
	str(s, r, 3, c->code);
	str(s, r, 4, c->label);
	str(s, r, 5, e->coder);
	str(s, r, 6, e->speaker);
	for (int k = 0; k < 4; k++)
		num(s, r, (lxw_col_t)(7 + k), v[k]);
	text(s, r, 11, e->text, e->len);
	str(s, r, 12, e->attribution);
	str(s, r, 13, e->memo);
	str(s, r, 14, c->path != NULL ? c->path : c->label);
	for (size_t k = 0; e->cells != NULL && k < x->ncols; k++)
		str(s, r, (lxw_col_t)(tyst_table_nhead + k), e->cells[k]);
}

static lxw_error
write_book(const char *path, const struct tyst_export *x)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_format *bold;
	struct sheet s;

	if (wb == NULL)
		return LXW_ERROR_CREATING_XLSX_FILE;
	memset(&s, 0, sizeof(s));
	if ((s.ws = workbook_add_worksheet(wb, "Utdrag")) == NULL ||
	    (bold = workbook_add_format(wb)) == NULL ||
	    (s.wrap = workbook_add_format(wb)) == NULL) {
		workbook_close(wb);
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	}
	format_set_bold(bold);
	format_set_text_wrap(s.wrap);
	format_set_align(s.wrap, LXW_ALIGN_VERTICAL_TOP);
	worksheet_set_column(s.ws, 11, 11, 70, NULL);
	worksheet_freeze_panes(s.ws, 1, 0);
	for (size_t k = 0; k < tyst_table_nhead && s.rc == LXW_NO_ERROR; k++)
		s.rc = worksheet_write_string(s.ws, 0, (lxw_col_t)k,
		    tyst_table_head[k], bold);
	for (size_t k = 0; k < x->ncols && s.rc == LXW_NO_ERROR; k++)
		s.rc = worksheet_write_string(s.ws, 0,
		    (lxw_col_t)(tyst_table_nhead + k), x->cols[k], bold);
	for (size_t i = 0; i < x->n && s.rc == LXW_NO_ERROR; i++)
		row(&s, (lxw_row_t)(i + 1), x, &x->v[i]);
	if (s.rc != LXW_NO_ERROR) {
		workbook_close(wb);
		return s.rc;
	}
	return workbook_close(wb);
}

static int
copy(FILE *to, FILE *from)
{
	char buf[65536];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

int
tyst_export_xlsx(FILE *f, const struct tyst_export *x, struct tyst_err *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *in;
	lxw_error rc;
	int fd;

	if (x->n >= LXW_ROW_MAX)
		return tyst_err_set(err, NULL, 0, 0, "%zu excerpts: more rows "
		    "than a spreadsheet holds; use -f csv", x->n);
	if (check_sizes(x, err) < 0)
		return -1;
	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/tyst-xlsx.XXXXXX", dir);
	/* mkstemp makes it 0600: the quotes are the study's data. */
	if ((fd = mkstemp(path)) < 0)
		return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
	close(fd);
	rc = write_book(path, x);
	if (rc != LXW_NO_ERROR) {
		unlink(path);
		return tyst_err_set(err, NULL, 0, 0, "writing the workbook: %s",
		    lxw_strerror(rc));
	}
	if ((in = fopen(path, "rb")) == NULL) {
		tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
		unlink(path);
		return -1;
	}
	unlink(path);
	fd = copy(f, in);
	fclose(in);
	if (fd < 0)
		return tyst_err_set(err, NULL, 0, 0, "writing the workbook: %s",
		    strerror(errno));
	return 0;
}

#else

int
tyst_export_xlsx(FILE *f, const struct tyst_export *x, struct tyst_err *err)
{
	(void)f;
	(void)x;
	return tyst_err_set(err, NULL, 0, 0, "this build of tyst has no xlsx "
	    "writer (libxlsxwriter was missing when it was built)");
}

#endif
