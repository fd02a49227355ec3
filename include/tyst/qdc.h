/*
 * qdc — codebooks in the REFI-QDA exchange format (Codebook.xsd, .qdc).
 *
 * REFI-QDA codes carry a GUID, a name, a colour and a free Description, but
 * no id, inclusion or exclusion criteria or examples.  tyst keeps them in
 * the Description, after the description itself, in a form the importer
 * reads back exactly (man/tyst-codebook.5):
 *
 *     The description, as many lines as it has.
 *     ---
 *     inclusion: …        continuation lines are indented two spaces
 *     exclusion: …
 *     example: …          one per example
 *     id: vanligt-arbete
 *
 * GUIDs are name-based UUIDs (version 5) in a fixed namespace, of the id
 * for a code and of "set:" and the id for a set, so exporting the same
 * codebook twice gives the same file and codes keep their GUIDs.
 */
#ifndef TYST_QDC_H
#define TYST_QDC_H

#include <stddef.h>
#include <stdio.h>

#include "tyst/codebook.h"
#include "tyst/diag.h"

/* The GUID of a code or a set with this id (36 characters and a NUL). */
void tyst_qdc_code_guid(const char *id, char out[37]);
void tyst_qdc_set_guid(const char *id, char out[37]);

/* Writes the Description text of a code as above; the caller frees it. */
char *tyst_qdc_code_description(const struct tyst_code *c);
/* The same of a set: its description, "---" and its "id:" line. */
char *tyst_qdc_set_description(const struct tyst_codeset *s);

enum {
	/* A <CodeBook> to put inside a project.qde: no XML declaration, no
	 * namespace (it takes the project's), indented one level. */
	TYST_QDC_EMBED = 1
};

/* Writes cb as a REFI-QDA codebook that validates against Codebook.xsd. */
int tyst_qdc_write(const struct tyst_codebook *cb, FILE *f, int flags,
    struct tyst_err *err);

/*
 * Reads the <CodeBook> of a .qdc file, of a project.qde, or of the
 * project.qde inside a .qdpx archive, written by tyst or by another
 * program (NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette).  Ids come from
 * tyst's "id:" lines when present, otherwise from the names
 * (tyst_code_id_from_label, made unique with -2, -3 …).  Warnings (an
 * unknown colour, a set naming a code that is not there) go through
 * tyst_warn unless quiet.
 */
int tyst_qdc_read(struct tyst_codebook *cb, const char *path, int quiet,
    struct tyst_err *err);
int tyst_qdc_read_mem(struct tyst_codebook *cb, const char *name,
    const char *buf, size_t len, int quiet, struct tyst_err *err);

#endif
