/*
 * strv — growing arrays of strings (include/tyst/strv.h).  Grown one at a
 * time: the lists are short (pseudonyms of one entry, spellings of one
 * person, names of a table's rows), so doubling would buy nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "tyst/strv.h"

int
tyst_strv_add(char ***v, size_t *n, const char *s)
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

void
tyst_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
