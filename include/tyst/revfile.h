/*
 * revfile — writing review files, and keeping them secret.
 *
 * A review file (rules.h, man/tyst-rules.5) holds the originals a study
 * decided on, so it is as secret as the key: created 0600, its mode kept
 * when rewritten, never inside an output directory.  tyst-scan --review
 * and tyst-review may use one file in turns, so every save takes a lock,
 * reads the file again, changes it and renames a whole new file over it.
 */
#ifndef TYST_REVFILE_H
#define TYST_REVFILE_H

#include <stddef.h>

#include "tyst/diag.h"
#include "tyst/rules.h"

/* Takes the review file's lock (an flock on PATH.lock, made 0600 and left
 * in place, since removing a lock file races with its next user); waits
 * for another holder.  Returns the descriptor to pass to unlock, or -1. */
int tyst_review_lock(const char *path, struct tyst_err *err);
void tyst_review_unlock(int fd);

/* Writes rv whole to path (temporary file and rename): mode 0600 when the
 * file is new, the file's own mode when it is not.  *readable is set to
 * whether group or others may read the result. */
int tyst_review_save(const struct tyst_review *rv, const char *path,
    int *readable, struct tyst_err *err);

/*
 * Where a review file may lie.  Refused (-1, err) inside an output
 * directory: outdir when given, or any directory from the file's up to
 * the root that holds tyst-pseudo's manifest, since pseudonymised files
 * are the ones shared.  *beside is set when it lies in the directory of
 * one of the inputs (the transcripts), which is allowed but worth a
 * warning: a folder of transcripts is often copied whole.
 */
int tyst_review_place(const char *path, const char *outdir,
    char *const *inputs, size_t ninputs, int *beside, struct tyst_err *err);

/* Candidates and occurrences still "ask". */
size_t tyst_review_undecided(const struct tyst_review *rv);

/* The candidate item for word, or NULL. */
struct tyst_review_item *tyst_review_find(struct tyst_review *rv,
    const char *word);

#endif
