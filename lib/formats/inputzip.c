/*
 * inputzip — Word (.docx) and OpenDocument (.odt) files, written.
 *
 * A changed view goes back line by line into the XML nodes its text came
 * from (lib/formats/inputdocx.c's tree); the parts no line changed, and
 * every entry that is not a changed part (styles, images, relationships),
 * are copied from the archive as they were.  The zip container itself is
 * new: only its parts are kept, which is why tyst promises an exact
 * reversal per part and not per byte of the .docx.
 *
 * What the writer changed, it says (tyst_input_changes): the original bytes
 * of every part that is not as it was, so the key can hold them and a
 * reversal put them back (tyst_input_restore) — Word's split runs and the
 * scrubbed authors included, which no pseudonym could carry.
 */
#include "tyst/input.h"
#include "tyst/sha256.h"

#include <stdlib.h>
#include <string.h>

#include <zip.h>

int
tyst_input_parts_add(struct tyst_input_parts *p, const char *name,
    const char *data, size_t len, const char *sha)
{
	struct tyst_input_part *nv, *e;

	if ((nv = realloc(p->v, (p->n + 1) * sizeof(*nv))) == NULL)
		return -1;
	p->v = nv;
	e = &nv[p->n];
	memset(e, 0, sizeof(*e));
	if ((e->name = strdup(name)) == NULL)
		return -1;
	if (data != NULL) {
		if ((e->data = malloc(len + 1)) == NULL) {
			free(e->name);
			return -1;
		}
		if (len > 0)
			memcpy(e->data, data, len);
		e->data[len] = '\0';
		e->len = len;
	}
	if (sha != NULL)
		snprintf(e->sha, sizeof(e->sha), "%s", sha);
	p->n++;
	return 0;
}

void
tyst_input_parts_free(struct tyst_input_parts *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].data);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* ---- the container ------------------------------------------------------ */

static int
zfail(zip_t *za, const char *file, const char *what, struct tyst_err *err)
{
	tyst_err_set(err, file, 0, 0, "cannot write the archive (%s): %s",
	    what, zip_error_strerror(zip_get_error(za)));
	zip_discard(za);
	return -1;
}

/* Writes one replacement into za, dated as the entry it replaces. */
static int
put_part(zip_t *za, const struct tyst_input_part *p, const char *file,
    struct tyst_err *err)
{
	zip_int64_t idx = zip_name_locate(za, p->name, 0);
	zip_source_t *s;
	zip_stat_t st;
	time_t mtime = 0;

	if (p->data == NULL) {
		if (idx >= 0 && zip_delete(za, (zip_uint64_t)idx) < 0)
			return zfail(za, file, p->name, err);
		return 0;
	}
	if (idx >= 0 && zip_stat_index(za, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_MTIME))
		mtime = st.mtime;
	if ((s = zip_source_buffer(za, p->data, p->len, 0)) == NULL)
		return zfail(za, file, p->name, err);
	if (idx >= 0) {
		if (zip_file_replace(za, (zip_uint64_t)idx, s, 0) < 0) {
			zip_source_free(s);
			return zfail(za, file, p->name, err);
		}
	} else if ((idx = zip_file_add(za, p->name, s, ZIP_FL_ENC_UTF_8)) <
	    0) {
		zip_source_free(s);
		return zfail(za, file, p->name, err);
	}
	if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE,
	    0) < 0 || (mtime != 0 && zip_file_set_mtime(za, (zip_uint64_t)idx,
	    mtime, 0) < 0))
		return zfail(za, file, p->name, err);
	return 0;
}

int
tyst_zip_rewrite(const char *raw, size_t rawlen,
    const struct tyst_input_parts *repl, char **out, size_t *outlen,
    const char *file, struct tyst_err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t size;
	char *copy, *buf;

	if ((copy = malloc(rawlen ? rawlen : 1)) == NULL)
		return tyst_err_set(err, file, 0, 0, "out of memory");
	memcpy(copy, raw, rawlen);
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(copy, rawlen, 1, &ze)) == NULL) {
		free(copy);
		zip_error_fini(&ze);
		return tyst_err_set(err, file, 0, 0, "out of memory");
	}
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, 0, &ze)) == NULL) {
		tyst_err_set(err, file, 0, 0, "not a readable zip archive (%s)",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_source_free(src);
		zip_source_free(src);
		return -1;
	}
	zip_error_fini(&ze);
	for (size_t i = 0; i < repl->n; i++)
		if (put_part(za, &repl->v[i], file, err) < 0) {
			zip_source_free(src);
			return -1;
		}
	if (zip_close(za) < 0) {
		zfail(za, file, "closing", err);
		zip_source_free(src);
		return -1;
	}
	buf = NULL;
	if (zip_source_open(src) < 0 || zip_source_seek(src, 0, SEEK_END) < 0 ||
	    (size = zip_source_tell(src)) < 0 || zip_source_seek(src, 0,
	    SEEK_SET) < 0 || (buf = malloc((size_t)size + 1)) == NULL ||
	    zip_source_read(src, buf, (zip_uint64_t)size) != size) {
		free(buf);
		zip_source_close(src);
		zip_source_free(src);
		return tyst_err_set(err, file, 0, 0, "cannot write the archive "
		    "(reading it back)");
	}
	zip_source_close(src);
	zip_source_free(src);
	*out = buf;
	*outlen = (size_t)size;
	return 0;
}

/* ---- the view written back --------------------------------------------- */

/* The new view's lines put into the tree; the same number of lines as
 * the document's, each ending in '\n'. */
static int
put_lines(const struct tyst_input *d, struct tyst_zip_tree *t,
    const char *view, size_t len, struct tyst_err *err)
{
	size_t at = 0;

	for (size_t i = 0; i < d->nvlines; i++) {
		const char *nl = at < len ? memchr(view + at, '\n', len - at) :
		    NULL;

		if (nl == NULL)
			return tyst_err_set(err, d->name, i + 1, 0, "the changed "
			    "text has fewer lines than the document; nothing "
			    "was written");
		if (tyst_zip_tree_line(t, i, view + at, (size_t)(nl - view) -
		    at, err) < 0)
			return -1;
		at = (size_t)(nl - view) + 1;
	}
	if (at != len)
		return tyst_err_set(err, d->name, d->nvlines, 0, "the changed "
		    "text has more lines than the document; nothing was "
		    "written");
	return 0;
}

/* Whether out reads (scrubbed first when scrub) as view[0..len). */
static int
reads_as(const struct tyst_input *d, const char *out, size_t outlen,
    int scrub, const char *view, size_t len, struct tyst_err *err)
{
	struct tyst_input back;
	int same;

	if (tyst_input_from_mem(&back, d->name, out, outlen, d->format,
	    TYST_ENC_AUTO, err) < 0)
		return -1;
	if (scrub && tyst_input_scrub(&back, err) < 0) {
		tyst_input_free(&back);
		return -1;
	}
	same = back.vlen == len && memcmp(back.view, view, len) == 0;
	tyst_input_free(&back);
	if (!same)
		return tyst_err_set(err, d->name, 0, 0, "the written document "
		    "does not read back as the changed text; nothing was "
		    "written");
	return 0;
}

int
tyst_zip_write(const struct tyst_input *d, const char *view, size_t len,
    char **out, size_t *outlen, struct tyst_err *err)
{
	struct tyst_zip_tree *t;
	struct tyst_input_parts repl = { NULL, 0 };
	int rc;

	if ((t = tyst_zip_tree_open(d, err)) == NULL)
		return -1;
	rc = put_lines(d, t, view, len, err);
	if (rc == 0)
		rc = tyst_zip_tree_parts(t, &repl, err);
	tyst_zip_tree_free(t);
	if (rc == 0)
		rc = tyst_zip_rewrite(d->raw, d->rawlen, &repl, out, outlen,
		    d->name, err);
	tyst_input_parts_free(&repl);
	if (rc < 0)
		return -1;
	if (reads_as(d, *out, *outlen, 0, view, len, err) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* ---- what changed, and putting it back ---------------------------------- */

static void
sha_hex(const char *p, size_t n, char sha[65])
{
	tyst_sha256_hex(p, n, sha);
}

/* Whether entry i of za is in zb as it was (its size and CRC): an entry
 * the writer copied, not read (it may be one the reader never needed and
 * that does not even unpack). */
static int
same_entry(zip_t *za, zip_int64_t i, zip_t *zb, const char *nm)
{
	zip_int64_t j = zip_name_locate(zb, nm, 0);
	zip_stat_t a, b;
	const zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_CRC;

	return j >= 0 && zip_stat_index(za, (zip_uint64_t)i, 0, &a) == 0 &&
	    zip_stat_index(zb, (zip_uint64_t)j, 0, &b) == 0 &&
	    (a.valid & need) == need && (b.valid & need) == need &&
	    a.size == b.size && a.crc == b.crc;
}

int
tyst_input_changes(const struct tyst_input *d, const char *out,
    size_t outlen, struct tyst_input_parts *ch, struct tyst_err *err)
{
	const char *orig = d->orig != NULL ? d->orig : d->raw;
	size_t olen = d->orig != NULL ? d->origlen : d->rawlen;
	zip_t *za, *zb;
	zip_int64_t ne;
	int rc = 0;

	ch->v = NULL;
	ch->n = 0;
	if (d->format != TYST_IN_DOCX && d->format != TYST_IN_ODT)
		return 0;
	if ((za = tyst_zip_open(orig, olen, d->name, err)) == NULL)
		return -1;
	if ((zb = tyst_zip_open(out, outlen, d->name, err)) == NULL) {
		zip_discard(za);
		return -1;
	}
	ne = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < ne && rc == 0; i++) {
		const char *nm = zip_get_name(za, (zip_uint64_t)i, 0);
		char *a = NULL, *b = NULL, sha[65] = "";
		size_t al = 0, bl = 0;
		int hb;

		if (nm == NULL || nm[0] == '\0' || nm[strlen(nm) - 1] == '/' ||
		    same_entry(za, i, zb, nm))
			continue;
		if (tyst_zip_part(za, nm, &a, &al, d->name, err) < 0 ||
		    (hb = tyst_zip_part(zb, nm, &b, &bl, d->name, err)) < 0) {
			free(a);
			rc = -1;
			break;
		}
		if (a == NULL) {
			free(b);
			continue;
		}
		if (hb && al == bl && memcmp(a, b, al) == 0) {
			free(a);
			free(b);
			continue;
		}
		if (hb)
			sha_hex(b, bl, sha);
		if (tyst_input_parts_add(ch, nm, a, al, sha) < 0)
			rc = tyst_err_set(err, d->name, 0, 0, "out of memory");
		free(a);
		free(b);
	}
	zip_discard(za);
	zip_discard(zb);
	if (rc < 0)
		tyst_input_parts_free(ch);
	return rc;
}

int
tyst_input_restore(const struct tyst_input *d,
    const struct tyst_input_parts *saved, const char *view, size_t vlen,
    char **out, size_t *outlen, struct tyst_err *err)
{
	struct tyst_input_parts repl = { NULL, 0 };
	zip_t *za;
	char *res = NULL;
	size_t reslen = 0;
	int rc = 0;

	if (saved == NULL || saved->n == 0)
		return 0;
	if ((za = tyst_zip_open(d->raw, d->rawlen, d->name, err)) == NULL)
		return -1;
	for (size_t i = 0; i < saved->n && rc == 0; i++) {
		const struct tyst_input_part *p = &saved->v[i];
		char *cur = NULL, sha[65];
		size_t cl = 0;
		int has = tyst_zip_part(za, p->name, &cur, &cl, d->name, err);

		if (has < 0) {
			rc = -1;
			break;
		}
		if (has)
			sha_hex(cur, cl, sha);
		free(cur);
		/* Put back what is as it was written; a part changed since
		 * keeps the change (and the text written into it). */
		if ((p->sha[0] == '\0' && !has) ||
		    (has && strcmp(sha, p->sha) == 0))
			if (tyst_input_parts_add(&repl, p->name, p->data,
			    p->len, NULL) < 0)
				rc = tyst_err_set(err, d->name, 0, 0,
				    "out of memory");
	}
	zip_discard(za);
	if (rc == 0)
		rc = tyst_zip_rewrite(*out, *outlen, &repl, &res, &reslen,
		    d->name, err);
	tyst_input_parts_free(&repl);
	if (rc == 0)
		rc = reads_as(d, res, reslen, 1, view, vlen, err);
	if (rc < 0) {
		free(res);
		return -1;
	}
	free(*out);
	*out = res;
	*outlen = reslen;
	return 0;
}
