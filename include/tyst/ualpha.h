/*
 * ualpha — Krippendorff's alpha for unitizing (u-alpha): how well coders
 * agree on where the passages of a code begin and end, not only on which
 * characters they cover.
 *
 * The coders mark units of one category on a continuum of L positions
 * (the characters of the texts, end to end); what no unit covers is gap.
 * Each coder's continuum is a row of sections, unit or gap.  Following
 * Krippendorff ("On the reliability of unitizing continuous data", 1995;
 * "Measuring the reliability of qualitative text analysis data", 2004),
 * for every two coders i != j and every two sections g of i and h of j:
 *
 *   two units that overlap:      d2 = (b_g - b_h)^2 + (e_g - e_h)^2
 *   a unit inside a gap:         d2 = l_unit^2
 *   otherwise:                   d2 = 0
 *
 * (b the start, e the end, l the length), and
 *
 *   D_o = sum d2 / (m (m - 1) L^2)
 *   D_e = (2 / L) sum over units u [ (N - 1)/3 (2 l^3 - 3 l^2 + l)
 *           + l^2 sum over gaps g with l_g >= l (l_g - l + 1) ]
 *         / [ m L (m L - 1) - sum over units l (l - 1) ]
 *   u-alpha = 1 - D_o / D_e
 *
 * with m coders and N units in all.  A boundary off by a few characters
 * costs the square of the few; a passage one coder marked and the other
 * did not costs the square of its length.  This is the figure ATLAS.ti's
 * Intercoder Agreement reports per code over the characters of the
 * documents.  Several categories pool as 1 - sum D_o / sum D_e.
 */
#ifndef TYST_UALPHA_H
#define TYST_UALPHA_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"

struct tyst_uunit {
	size_t coder;             /* 0 .. ncoders-1 */
	uint64_t start, end;      /* [start, end) on the continuum */
};

struct tyst_ualpha {
	double dobs, dexp;        /* D_o, D_e */
	double alpha;             /* NaN when D_e is 0 (no unit at all) */
	size_t units;             /* after overlapping units of a coder are
	                           * joined */
};

/*
 * u-alpha of one category: units v[0..n) of ncoders coders (at least two)
 * on a continuum of length len.  Overlapping units of one coder are one
 * unit (their union); units that only touch stay two.  Units past len are
 * cut at len.  v is sorted in place.  Fails only when out of memory.
 */
int tyst_ualpha(struct tyst_uunit *v, size_t n, size_t ncoders, uint64_t len,
    struct tyst_ualpha *out, struct tyst_err *err);

#endif
