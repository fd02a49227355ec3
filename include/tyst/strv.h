/*
 * strv — a growing array of malloc'd strings, the shape many of tyst's
 * lists take (the pseudonyms of a manifest entry, the spellings of one
 * person, the names of a stats table).
 *
 * One function, so that each such list grows the same way and fails the
 * same way: on a failed allocation the list is as it was (the strings
 * added before are still there and still owned by it).
 */
#ifndef TYST_STRV_H
#define TYST_STRV_H

#include <stddef.h>

/* Appends a copy of s to (*v)[0..*n).  Returns 0, or -1 out of memory. */
int tyst_strv_add(char ***v, size_t *n, const char *s);
/* Frees the strings and the array. */
void tyst_strv_free(char **v, size_t n);

#endif
