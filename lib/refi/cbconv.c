/*
 * cbconv — codebook conversions (include/tyst/cbconv.h).  Each format is
 * its own module (lib/coding/cbview.c, lib/refi/qdc.c, lib/refi/tagcsv.c,
 * lib/coding/codebook.c); this picks among them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tyst/cbconv.h"
#include "tyst/cbview.h"
#include "tyst/qdc.h"
#include "tyst/tagcsv.h"

int
tyst_codebook_export(const struct tyst_codebook *cb, enum tyst_cbform form,
    FILE *f, struct tyst_err *err)
{
	switch (form) {
	case TYST_CB_MD:
		tyst_cbview_md(f, cb);
		return 0;
	case TYST_CB_QDC:
		return tyst_qdc_write(cb, f, 0, err);
	case TYST_CB_CSV:
		return tyst_codebook_write_csv(cb, f, err);
	case TYST_CB_YAML:
	default:
		return tyst_codebook_write_yaml(cb, f, err);
	}
}

int
tyst_codebook_import(const char *path, int csv, int quiet, char **buf,
    size_t *len, struct tyst_err *err)
{
	struct tyst_codebook cb, back;
	FILE *f;
	int rc;

	*buf = NULL;
	*len = 0;
	if ((csv ? tyst_codebook_read_csv(&cb, path, err) :
	    tyst_qdc_read(&cb, path, quiet, err)) < 0)
		return -1;
	if ((f = open_memstream(buf, len)) == NULL) {
		tyst_codebook_free(&cb);
		return tyst_err_set(err, NULL, 0, 0, "out of memory");
	}
	fprintf(f, "# Imported by tyst-codebook from %s.\n", cb.path);
	rc = tyst_codebook_write_yaml(&cb, f, err);
	fclose(f);
	tyst_codebook_free(&cb);
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	/* What we write must load: check it before anyone relies on it. */
	if (tyst_codebook_load_mem(&back, "imported YAML", *buf, *len, 1,
	    err) < 0) {
		free(*buf);
		*buf = NULL;
		return -2;
	}
	tyst_codebook_free(&back);
	return 0;
}
