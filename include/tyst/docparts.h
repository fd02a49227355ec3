/*
 * docparts — the parts of a Word or OpenDocument output that its key keeps.
 *
 * tyst-pseudo scrubs a .docx or .odt and writes names into its runs; what
 * the output then holds differently from the input, part by part (see
 * tyst_input_changes), goes into the key with the document's record, so
 * that --reverse can put every part back exactly (tyst_input_restore).
 */
#ifndef TYST_DOCPARTS_H
#define TYST_DOCPARTS_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"
#include "tyst/input.h"
#include "tyst/keystore.h"

/* Keeps the parts ch under document doc (inside the caller's key
 * transaction). */
int tyst_docparts_keep(struct tyst_key *key, int64_t doc,
    const struct tyst_input_parts *ch, struct tyst_err *err);

/*
 * The parts kept for the output whose view is view[0..len) (found as
 * tyst_pseudo_reverse finds it: by the view's sha256, name's base name
 * preferred), into *out (empty when the key has none).
 */
int tyst_docparts_load(struct tyst_key *key, const char *name,
    const char *view, size_t len, struct tyst_input_parts *out,
    struct tyst_err *err);

#endif
