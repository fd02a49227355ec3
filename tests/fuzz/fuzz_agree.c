/*
 * libFuzzer harness for the reliability-data reader (tyst-agree --matrix)
 * and the figures computed from what it reads.  The bytes are put in a
 * memory file (memfd), which the reader opens by its /proc/self/fd name
 * as it would any path.  What must hold: a table that loads has at least
 * two coders and every cell names a known label or is missing; the
 * figures are NaN or within their bounds.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tyst/agree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char path[64];

static void
put(const uint8_t *data, size_t size)
{
	if (memfd < 0) {
		if ((memfd = memfd_create("fuzz-agree", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) < 0 ||
	    pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
}

static int
in(double v, double lo, double hi)
{
	return isnan(v) || (v >= lo - 1e-9 && v <= hi + 1e-9);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tyst_rdata d;
	struct tyst_agreement a;
	struct tyst_err err;

	put(data, size);
	if (tyst_rdata_load_tsv(&d, path, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (d.ncoders < 2)
		abort();
	for (size_t i = 0; i < d.nunits * d.ncoders; i++)
		if (d.val[i] != TYST_AGREE_MISSING &&
		    (d.val[i] < 0 || (size_t)d.val[i] >= d.nlabels))
			abort();
	if (tyst_agree_compute(&d, &a, &err) < 0)
		abort();
	if (a.pairable > a.units || !in(a.percent, 0, 1) ||
	    !in(a.kappa, -1, 1) || !(isnan(a.alpha) || a.alpha <= 1 + 1e-9))
		abort();
	tyst_rdata_free(&d);
	return 0;
}
