/*
 * docparts — see include/tyst/docparts.h.
 */
#include "tyst/docparts.h"

#include <string.h>

#include "tyst/sha256.h"

int
tyst_docparts_keep(struct tyst_key *key, int64_t doc,
    const struct tyst_input_parts *ch, struct tyst_err *err)
{
	for (size_t i = 0; i < ch->n; i++)
		if (tyst_key_part_add(key, doc, ch->v[i].name, ch->v[i].sha,
		    ch->v[i].data, ch->v[i].len, err) < 0)
			return -1;
	return 0;
}

static int
add_part(const char *name, const char *sha, const void *data, size_t len,
    void *ctx)
{
	return tyst_input_parts_add(ctx, name, data, len, sha) < 0 ? -1 : 0;
}

int
tyst_docparts_load(struct tyst_key *key, const char *name,
    const char *view, size_t len, struct tyst_input_parts *out,
    struct tyst_err *err)
{
	const char *base = strrchr(name, '/');
	char sha[65];
	int64_t doc;
	int rc;

	out->v = NULL;
	out->n = 0;
	tyst_sha256_hex(view, len, sha);
	rc = tyst_key_doc_find(key, sha, base ? base + 1 : name, &doc, err);
	if (rc <= 0)
		return rc;
	rc = tyst_key_doc_parts(key, doc, add_part, out, err);
	if (rc != 0) {
		tyst_input_parts_free(out);
		if (rc > 0)
			return tyst_err_set(err, name, 0, 0, "out of memory");
		return -1;
	}
	return 0;
}
