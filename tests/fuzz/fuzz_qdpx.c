/*
 * libFuzzer harness for the REFI-QDA project reader (tyst-code
 * import-qdpx).  The input is project.qde, then optionally a NUL byte and
 * the text of the source its first plainTextPath names; the harness packs
 * them into a .qdpx zip in memory.  An input that already is a zip
 * archive is read as it is.  The archive goes to a memory file (memfd),
 * opened by its /proc/self/fd name as any path.
 *
 * What must hold of a project that reads: selections lie inside their
 * UTF-8 source texts, indexes point at existing codes and users; and the
 * project written out again by tyst reads back with as many sources,
 * selections, codes, notes, annotations, journals and cases.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zip.h>

#include "tyst/qdpx.h"
#include "tyst/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_text[] =
    "I: Hej.\r\nIP: Jag jobbar på lagret, och det är bra.\n";

struct mfile {
	int fd;
	char path[64];
};

static void
mfile_put(struct mfile *m, const void *p, size_t n)
{
	if (m->fd <= 0) {
		if ((m->fd = memfd_create("fuzz-qdpx", 0)) < 0)
			abort();
		snprintf(m->path, sizeof(m->path), "/proc/self/fd/%d", m->fd);
	}
	if (ftruncate(m->fd, 0) < 0 || (n > 0 &&
	    pwrite(m->fd, p, n, 0) != (ssize_t)n))
		abort();
}

/* Copies the archive out of a zip source kept after zip_close(). */
static void
source_to_mfile(zip_source_t *src, struct mfile *m)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	zip_int64_t n;

	if (zip_source_open(src) < 0)
		abort();
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 65536;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		if ((n = zip_source_read(src, buf + len, cap - len)) <= 0)
			break;
		len += (size_t)n;
	}
	zip_source_close(src);
	mfile_put(m, buf, len);
	free(buf);
}

/* The source member named by the first plainTextPath, or NULL. */
static char *
member_name(const char *qde, size_t len)
{
	static const char key[] = "plainTextPath=\"internal://";
	const char *p = memmem(qde, len, key, sizeof(key) - 1), *e;
	char *name;

	if (p == NULL)
		return NULL;
	p += sizeof(key) - 1;
	e = memchr(p, '"', len - (size_t)(p - qde));
	if (e == NULL || e - p > 200 || e == p)
		return NULL;
	if ((name = malloc((size_t)(e - p) + 9)) == NULL)
		abort();
	snprintf(name, (size_t)(e - p) + 9, "sources/%.*s", (int)(e - p), p);
	return name;
}

static void
pack(const char *data, size_t size, struct mfile *m)
{
	const char *nul = memchr(data, '\0', size);
	size_t qlen = nul ? (size_t)(nul - data) : size;
	const char *text = nul ? nul + 1 : default_text;
	size_t tlen = nul ? size - qlen - 1 : sizeof(default_text) - 1;
	char *member = member_name(data, qlen);
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *za;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		abort();
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL)
		abort();
	if ((s = zip_source_buffer(za, data, qlen, 0)) == NULL ||
	    zip_file_add(za, "project.qde", s, ZIP_FL_ENC_UTF_8) < 0)
		abort();
	if (member != NULL && strcmp(member, "sources/project.qde") != 0 &&
	    ((s = zip_source_buffer(za, text, tlen, 0)) == NULL ||
	    zip_file_add(za, member, s, ZIP_FL_ENC_UTF_8) < 0))
		zip_source_free(s);     /* a name libzip refuses: no source */
	if (zip_close(za) < 0)
		abort();
	source_to_mfile(src, m);
	zip_source_free(src);
	zip_error_fini(&ze);
	free(member);
}

static void
check(const struct tyst_qdpx *q)
{
	size_t bad;
	int nul;

	for (size_t i = 0; i < q->nsources; i++) {
		const struct tyst_qdpx_source *s = &q->sources[i];

		if (s->text == NULL || s->text[s->len] != '\0' ||
		    tyst_utf8_check(s->text, s->len, &bad, &nul) < 0)
			abort();
		for (size_t k = 0; k < s->nsels; k++) {
			const struct tyst_qdpx_sel *x = &s->sels[k];

			if (x->start > x->end || x->end > s->len ||
			    x->code < 0 || (size_t)x->code >= q->ncodes ||
			    x->user < -1 || x->user >= (long)q->nusers)
				abort();
		}
	}
	for (size_t i = 0; i < q->ncodes; i++)
		if (q->codes[i].parent < -1 ||
		    q->codes[i].parent >= (long)q->ncodes)
			abort();
	for (size_t i = 0; i < q->nannotations; i++) {
		const struct tyst_qdpx_annotation *a = &q->annotations[i];

		if (a->source >= q->nsources || a->start > a->end ||
		    a->end > q->sources[a->source].len || a->text == NULL ||
		    a->user < -1 || a->user >= (long)q->nusers)
			abort();
	}
	for (size_t i = 0; i < q->njournals; i++)
		if (q->journals[i].text == NULL || q->journals[i].name == NULL)
			abort();
	for (size_t i = 0; i < q->nsources; i++)
		for (size_t k = 0; k < q->sources[i].nvalues; k++)
			if (q->sources[i].vars[k] < 0 ||
			    (size_t)q->sources[i].vars[k] >= q->nvars)
				abort();
}

static size_t
nsels(const struct tyst_qdpx *q)
{
	size_t n = 0;

	for (size_t i = 0; i < q->nsources; i++)
		n += q->sources[i].nsels;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mfile in, out;
	struct tyst_qdpx q, back;
	struct tyst_err err;
	FILE *f;

	if (size >= 4 && memcmp(data, "PK\003\004", 4) == 0)
		mfile_put(&in, data, size);
	else
		pack((const char *)data, size, &in);
	if (tyst_qdpx_read(&q, in.path, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	check(&q);
	/* Written by tyst, it reads back whole. */
	mfile_put(&out, NULL, 0);
	if ((f = fopen(out.path, "w")) == NULL)
		abort();
	if (tyst_qdpx_write(&q, f, "2026-11-25T12:00:00Z", &err) < 0) {
		fclose(f);
		tyst_qdpx_free(&q);
		return 0;       /* something the writer refuses, said so */
	}
	fclose(f);
	if (tyst_qdpx_read(&back, out.path, &err) < 0)
		abort();
	if (back.nsources != q.nsources || back.ncodes != q.ncodes ||
	    back.nnotes != q.nnotes || nsels(&back) != nsels(&q) ||
	    back.nannotations != q.nannotations ||
	    back.njournals != q.njournals || back.ncases != q.ncases ||
	    (back.description == NULL) != (q.description == NULL))
		abort();
	tyst_qdpx_free(&back);
	tyst_qdpx_free(&q);
	return 0;
}
