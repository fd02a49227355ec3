/*
 * input — see include/tyst/input.h.  Loading, telling formats apart, refusing
 * the ones tyst does not read, and writing a changed view back into the
 * file's structure.
 */
#include "tyst/input.h"
#include "tyst/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lines whose old and new views differ by more than this many bytes are
 * aligned as one change from the first difference to the last. */
#define DIFF_MAX 1024

int
tyst_input_parse_format(const char *s, enum tyst_input_format *fmt,
    enum tyst_input_enc *enc)
{
	static const struct {
		const char *name;
		enum tyst_input_format fmt;
		enum tyst_input_enc enc;
	} tab[] = {
		{ "auto", TYST_IN_AUTO, TYST_ENC_AUTO },
		{ "text", TYST_IN_TEXT, TYST_ENC_AUTO },
		{ "utf-8", TYST_IN_TEXT, TYST_ENC_UTF8 },
		{ "utf8", TYST_IN_TEXT, TYST_ENC_UTF8 },
		{ "utf-16", TYST_IN_TEXT, TYST_ENC_UTF16LE },
		{ "utf-16le", TYST_IN_TEXT, TYST_ENC_UTF16LE },
		{ "utf-16be", TYST_IN_TEXT, TYST_ENC_UTF16BE },
		{ "cp1252", TYST_IN_TEXT, TYST_ENC_CP1252 },
		{ "windows-1252", TYST_IN_TEXT, TYST_ENC_CP1252 },
		{ "latin1", TYST_IN_TEXT, TYST_ENC_CP1252 },
		{ "vtt", TYST_IN_VTT, TYST_ENC_AUTO },
		{ "webvtt", TYST_IN_VTT, TYST_ENC_AUTO },
		{ "srt", TYST_IN_SRT, TYST_ENC_AUTO },
		{ "docx", TYST_IN_DOCX, TYST_ENC_AUTO },
		{ "odt", TYST_IN_ODT, TYST_ENC_AUTO },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(s, tab[i].name) == 0) {
			*fmt = tab[i].fmt;
			*enc = tab[i].enc;
			return 0;
		}
	return -1;
}

/* ---- formats tyst does not read ------------------------------------------ */

static int
has(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (p[i] == s[0] && memcmp(p + i, s, n) == 0)
			return 1;
	return 0;
}

/* A .docx (or .docm) or an .odt by the names in its zip. */
static enum tyst_input_format
zip_format(const char *p, size_t len)
{
	if (len < 4 || memcmp(p, "PK\3\4", 4) != 0)
		return TYST_IN_AUTO;
	if (has(p, len, "word/document.xml"))
		return TYST_IN_DOCX;
	if (has(p, len < 200 ? len : 200,
	    "application/vnd.oasis.opendocument.text"))
		return TYST_IN_ODT;
	return TYST_IN_AUTO;
}

#define TO_TEXT "soffice --headless --convert-to \"txt:Text (encoded):UTF8\""

/* Formats recognised by their first bytes, refused with the conversion
 * that works on Debian; 0 when p is none of them. */
static int
refuse_other(const char *name, const char *p, size_t len,
    struct tyst_err *err)
{
	size_t head = len < 65536 ? len : 65536;
	const char *what = NULL, *how = NULL;

	if (len >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0) {
		what = "an old Word document (.doc)";
		how = TO_TEXT;
	} else if (len >= 5 && memcmp(p, "{\\rtf", 5) == 0) {
		what = "an RTF document";
		how = TO_TEXT;
	} else if (len >= 5 && memcmp(p, "%PDF-", 5) == 0) {
		what = "a PDF";
		how = "pdftotext -layout";
	} else if (len >= 4 && memcmp(p, "PK\3\4", 4) == 0) {
		how = TO_TEXT;
		if (zip_format(p, len) != TYST_IN_AUTO)
			return 0;
		if (has(p, head, "application/vnd.oasis.opendocument"))
			what = "an OpenDocument file other than text (.odt)";
		else if (has(p, head, "Index/Document.iwa") ||
		    has(p, head, "index.xml"))
			what = "a Pages document";
		else {
			what = "a zip archive";
			how = NULL;
		}
	}
	if (what == NULL)
		return 0;
	if (how == NULL)
		return tyst_err_set(err, name, 0, 0, "%s, not a transcript",
		    what);
	return tyst_err_set(err, name, 0, 0, "%s; convert it to text: "
	    "%s '%s'", what, how, name);
}

/* ---- loading -------------------------------------------------------------- */

static int
read_all(const char *path, char **name, char **data, size_t *len,
    struct tyst_err *err)
{
	struct stat st;
	size_t cap = 65536;
	int fd, own = 0;
	ssize_t n;
	char *p;

	if (path == NULL || strcmp(path, "-") == 0) {
		*name = strdup("<stdin>");
		fd = STDIN_FILENO;
	} else {
		*name = strdup(path);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return tyst_err_set(err, path, 0, 0, "%s",
			    strerror(errno));
		own = 1;
	}
	if (*name == NULL) {
		if (own)
			close(fd);
		return tyst_err_set(err, path, 0, 0, "out of memory");
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (own)
			close(fd);
		return tyst_err_set(err, *name, 0, 0, "is a directory");
	}
	if ((p = malloc(cap + 16)) == NULL)
		goto nomem;
	*len = 0;
	for (;;) {
		if (cap - *len < 4096) {
			char *np = realloc(p, 2 * cap + 16);
			if (np == NULL)
				goto nomem;
			p = np;
			cap *= 2;
		}
		n = read(fd, p + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(p);
			if (own)
				close(fd);
			return tyst_err_set(err, *name, 0, 0, "read: %s",
			    strerror(errno));
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	if (own)
		close(fd);
	memset(p + *len, 0, 16);
	*data = p;
	return 0;
nomem:
	free(p);
	if (own)
		close(fd);
	return tyst_err_set(err, *name, 0, 0, "out of memory");
}

static int
index_lines(struct tyst_input *d, struct tyst_err *err)
{
	size_t cap = 64;

	d->vlines = malloc(cap * sizeof(*d->vlines));
	if (d->vlines == NULL)
		return tyst_err_set(err, d->name, 0, 0, "out of memory");
	d->nvlines = 0;
	d->vlines[d->nvlines++] = 0;
	for (size_t i = 0; i < d->vlen; i++) {
		if (d->view[i] != '\n' || i + 1 == d->vlen)
			continue;
		if (d->nvlines == cap) {
			size_t *nl = realloc(d->vlines, 2 * cap * sizeof(*nl));
			if (nl == NULL)
				return tyst_err_set(err, d->name, 0, 0,
				    "out of memory");
			d->vlines = nl;
			cap *= 2;
		}
		d->vlines[d->nvlines++] = i + 1;
	}
	return 0;
}

static int
build(struct tyst_input *d, enum tyst_input_format fmt, enum tyst_input_enc enc,
    struct tyst_err *err)
{
	if (fmt == TYST_IN_AUTO && enc == TYST_ENC_AUTO &&
	    refuse_other(d->name, d->raw, d->rawlen, err) < 0)
		return -1;
	if (fmt == TYST_IN_AUTO)
		fmt = zip_format(d->raw, d->rawlen);
	if (fmt == TYST_IN_DOCX || fmt == TYST_IN_ODT) {
		d->format = fmt;
		d->enc = TYST_ENC_UTF8;
		return tyst_zip_view(d, err);
	}
	if (tyst_enc_decode(d, enc, err) < 0)
		return -1;
	d->format = fmt != TYST_IN_AUTO ? fmt : tyst_cue_sniff(d->u, d->ulen);
	if (d->format == TYST_IN_TEXT) {
		d->view = d->u;
		d->vlen = d->ulen;
		return index_lines(d, err);
	}
	return tyst_cue_view(d, err);
}

int
tyst_input_load(struct tyst_input *d, const char *path, enum tyst_input_format fmt,
    enum tyst_input_enc enc, struct tyst_err *err)
{
	return tyst_input_load_flags(d, path, fmt, enc, 0, err);
}

int
tyst_input_load_flags(struct tyst_input *d, const char *path,
    enum tyst_input_format fmt, enum tyst_input_enc enc, int flags,
    struct tyst_err *err)
{
	memset(d, 0, sizeof(*d));
	d->flags = flags;
	if (read_all(path, &d->name, &d->raw, &d->rawlen, err) < 0 ||
	    build(d, fmt, enc, err) < 0) {
		tyst_input_free(d);
		return -1;
	}
	return 0;
}

int
tyst_input_from_mem(struct tyst_input *d, const char *name, const char *p,
    size_t len, enum tyst_input_format fmt, enum tyst_input_enc enc,
    struct tyst_err *err)
{
	memset(d, 0, sizeof(*d));
	d->name = strdup(name != NULL ? name : "<memory>");
	d->raw = malloc(len + 16);
	if (d->name == NULL || d->raw == NULL) {
		tyst_input_free(d);
		return tyst_err_set(err, name, 0, 0, "out of memory");
	}
	if (len > 0)
		memcpy(d->raw, p, len);
	memset(d->raw + len, 0, 16);
	d->rawlen = len;
	if (build(d, fmt, enc, err) < 0) {
		tyst_input_free(d);
		return -1;
	}
	return 0;
}

void
tyst_input_free(struct tyst_input *d)
{
	if (d->times != NULL)
		for (size_t i = 0; i < d->nvlines; i++)
			free(d->times[i]);
	free(d->times);
	for (size_t i = 0; i < d->nparts; i++)
		free(d->parts[i]);
	free(d->parts);
	free(d->lpart);
	free(d->lpara);
	if (d->view != d->u)
		free(d->view);
	free(d->u);
	free(d->umap);
	free(d->raw);
	free(d->segs);
	free(d->vlines);
	free(d->orig);
	free(d->name);
	memset(d, 0, sizeof(*d));
}

int
tyst_input_is_plain(const struct tyst_input *d)
{
	return d->format == TYST_IN_TEXT && d->enc == TYST_ENC_UTF8 &&
	    !d->bom;
}

/* Text in UTF-16 without a BOM: one byte of each pair mostly zero, the
 * other mostly not. */
static int
utf16_like(const char *p, size_t len)
{
	size_t ev = 0, od = 0, pairs = len / 2;

	for (size_t i = 0; i + 1 < len; i += 2) {
		ev += p[i] == 0;
		od += p[i + 1] == 0;
	}
	return pairs > 0 && ((od * 4 > pairs * 3 && ev * 4 < pairs) ||
	    (ev * 4 > pairs * 3 && od * 4 < pairs));
}

int
tyst_input_sniff_path(const char *path, struct tyst_err *err)
{
	char buf[65536];
	size_t len = 0, bad;
	ssize_t n;
	int fd, nul;
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return tyst_err_set(err, path, 0, 0, "is a directory");
	}
	while (len < sizeof(buf) && (n = read(fd, buf + len,
	    sizeof(buf) - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return tyst_err_set(err, path, 0, 0, "read: %s",
			    strerror(errno));
		}
		len += (size_t)n;
	}
	close(fd);
	if (len >= 2 && ((buf[0] == '\xff' && buf[1] == '\xfe') ||
	    (buf[0] == '\xfe' && buf[1] == '\xff')))
		return 1;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		return tyst_cue_sniff(buf + 3, len - 3) != TYST_IN_TEXT;
	if (len >= 4 && (memcmp(buf, "PK\3\4", 4) == 0 ||
	    memcmp(buf, "{\\rtf", 4) == 0 || memcmp(buf, "%PDF", 4) == 0 ||
	    memcmp(buf, "\xd0\xcf\x11\xe0", 4) == 0))
		return 1;
	if (tyst_cue_sniff(buf, len) != TYST_IN_TEXT)
		return 1;
	/* A character cut at the end of the sample is not a bad byte. */
	if (tyst_utf8_check(buf, len, &bad, &nul) < 0) {
		/* NUL bytes: UTF-16 without a BOM is named by the layer; any
		 * other binary (/dev/zero) by the streaming reader, which
		 * stops at the first NUL instead of reading it all. */
		if (nul)
			return utf16_like(buf, len);
		return len < sizeof(buf) || bad + 4 < len;
	}
	return 0;
}

/* ---- offsets ---------------------------------------------------------------- */

/* The last segment starting at or before off: of a mark of no view bytes
 * and the text after it, the text. */
static const struct tyst_input_seg *
seg_at(const struct tyst_input *d, size_t off)
{
	size_t lo = 0, hi = d->nsegs;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->segs[mid].view <= off)
			lo = mid;
		else
			hi = mid;
	}
	return &d->segs[lo];
}

static size_t
u_of(const struct tyst_input *d, size_t off)
{
	const struct tyst_input_seg *s;

	if (d->segs == NULL)
		return off < d->ulen ? off : d->ulen;
	s = seg_at(d, off);
	if (off <= s->view)
		return s->src;
	if (s->mark || off - s->view > s->slen)
		return s->src + s->slen;
	return s->src + (off - s->view);
}

/* Just past the view byte before off. */
static size_t
u_end(const struct tyst_input *d, size_t off)
{
	const struct tyst_input_seg *s;

	if (d->segs == NULL)
		return off < d->ulen ? off : d->ulen;
	s = seg_at(d, off - 1);
	if (s->mark || off - s->view > s->slen)
		return s->src + s->slen;
	return s->src + (off - s->view);
}

static uint64_t
raw_of(const struct tyst_input *d, size_t u)
{
	if (d->umap != NULL)
		return d->umap[u];
	return (uint64_t)u + (d->bom ? 3 : 0);
}

uint64_t
tyst_input_src(const struct tyst_input *d, size_t off)
{
	return raw_of(d, u_of(d, off));
}

uint64_t
tyst_input_src_end(const struct tyst_input *d, size_t off)
{
	/* Just past the last byte: the markup after it is not the text's. */
	if (off == 0)
		return raw_of(d, u_of(d, 0));
	return raw_of(d, u_end(d, off));
}

int
tyst_input_line(const struct tyst_input *d, size_t n, size_t *start, size_t *end,
    size_t *eol)
{
	size_t e;

	if (n == 0 || n > d->nvlines)
		return -1;
	*start = d->vlines[n - 1];
	e = n < d->nvlines ? d->vlines[n] : d->vlen;
	*eol = 0;
	if (e > *start && d->view[e - 1] == '\n') {
		e--;
		*eol = 1;
		if (e > *start && d->view[e - 1] == '\r') {
			e--;
			*eol = 2;
		}
	}
	*end = e;
	return 0;
}

int
tyst_input_text(const struct tyst_input *d, struct tyst_text *t,
    struct tyst_err *err)
{
	return tyst_text_from_mem(t, d->name, d->view, d->vlen, err);
}

int
tyst_input_text_load(struct tyst_text *t, const char *path, int flags,
    char file_sha[65], struct tyst_err *err)
{
	struct tyst_input d;
	int rc;

	rc = tyst_input_sniff_path(path, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (tyst_text_load(t, path, err) < 0)
			return -1;
		if (file_sha != NULL)
			tyst_sha256_hex(t->data, t->len, file_sha);
		return 0;
	}
	if (tyst_input_load_flags(&d, path, TYST_IN_AUTO, TYST_ENC_AUTO, flags,
	    err) < 0)
		return -1;
	if (file_sha != NULL)
		tyst_sha256_hex(d.raw, d.rawlen, file_sha);
	rc = tyst_input_text(&d, t, err);
	tyst_input_free(&d);
	return rc;
}

/* ---- writing ------------------------------------------------------------------ */

struct wbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void
put(struct wbuf *b, const char *s, size_t n)
{
	if (b->oom || n == 0)
		return;
	if (b->cap - b->len < n) {
		size_t nc = b->cap ? b->cap : 4096;
		char *np;

		while (nc - b->len < n)
			nc *= 2;
		if ((np = realloc(b->p, nc)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/*
 * Where each old position goes in the new line: m[x] for x in 0..ol.
 * Myers' greedy diff finds the shortest edit; within a change, the start
 * maps to the start of the new text and any later position to its end,
 * so markup before a replaced name stays before it and markup after it
 * after it.  Returns -1 when the lines differ by more than DIFF_MAX.
 */
static int
align(const char *o, size_t ol, const char *n, size_t nl, size_t *m)
{
	long max = (long)(ol + nl < DIFF_MAX ? ol + nl : DIFF_MAX);
	long off = max + 1, w = 2 * max + 3;
	long *v, *trace;
	long dfound = -1, x, y;
	unsigned char *eq;

	v = calloc((size_t)w, sizeof(*v));
	trace = malloc((size_t)(max + 1) * (size_t)w * sizeof(*trace));
	eq = calloc(ol + 1, 1);
	if (v == NULL || trace == NULL || eq == NULL) {
		free(v);
		free(trace);
		free(eq);
		return -1;
	}
	for (long d = 0; d <= max && dfound < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			if (k == -d || (k != d && v[off + k - 1] <
			    v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while (x >= 0 && y >= 0 && (size_t)x < ol &&
			    (size_t)y < nl && o[x] == n[y]) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= (long)ol && y >= (long)nl) {
				dfound = d;
				break;
			}
		}
		memcpy(trace + d * w, v, (size_t)w * sizeof(*v));
	}
	free(v);
	if (dfound < 0) {
		free(trace);
		free(eq);
		return -1;
	}
	/* Back from the end, marking the old positions a snake (an equal
	 * run) matched. */
	x = (long)ol;
	y = (long)nl;
	for (long d = dfound; d >= 0; d--) {
		long k = x - y, pk = 0, px, py;
		const long *pv = d > 0 ? trace + (d - 1) * w : NULL;

		if (d == 0)
			px = 0;
		else if (k == -d || (k != d && pv[off + k - 1] <
		    pv[off + k + 1])) {
			pk = k + 1;
			px = pv[off + pk];
		} else {
			pk = k - 1;
			px = pv[off + pk] + 1;
		}
		py = px - k;
		while (x > px && y > py) {
			x--;
			y--;
			if ((size_t)x < ol) {
				m[x] = (size_t)y;
				eq[x] = 1;
			}
		}
		if (d > 0) {
			x = pv[off + pk];
			y = x - pk;
		}
	}
	free(trace);
	/* A change starts in the new line where the old one's did; any
	 * later position inside it goes to its end. */
	m[ol] = nl;
	eq[ol] = 1;
	for (size_t i = 0; i < ol; i++)
		if (!eq[i] && (i == 0 || eq[i - 1]))
			m[i] = i == 0 ? 0 : m[i - 1] + 1;
	for (size_t i = ol; i-- > 0;)
		if (!eq[i] && i > 0 && !eq[i - 1])
			m[i] = m[i + 1];
	free(eq);
	return 0;
}

/* The old view line [os, oe) written with its new text n[0..nl). */
static int
write_line(const struct tyst_input *d, size_t os, size_t oe, size_t s0,
    size_t s1, const char *n, size_t nl, struct wbuf *w, size_t lineno,
    struct tyst_err *err)
{
	size_t ol = oe - os, *m;

	if (ol == nl && memcmp(d->view + os, n, nl) == 0) {
		for (size_t k = s0; k < s1; k++)
			put(w, d->u + d->segs[k].src, d->segs[k].slen);
		return 0;
	}
	if ((m = malloc((ol + 1) * sizeof(*m))) == NULL)
		return tyst_err_set(err, d->name, lineno, 0, "out of memory");
	if (align(d->view + os, ol, n, nl, m) < 0) {
		/* One change from the first difference to the last. */
		size_t a = 0, b = 0;

		while (a < ol && a < nl && d->view[os + a] == n[a])
			a++;
		while (b < ol - a && b < nl - a &&
		    d->view[oe - 1 - b] == n[nl - 1 - b])
			b++;
		for (size_t i = 0; i <= ol; i++)
			m[i] = i <= a ? i : i >= ol - b ? i - ol + nl : nl - b;
	}
	for (size_t k = s0; k < s1; k++) {
		const struct tyst_input_seg *s = &d->segs[k];
		size_t a = m[s->view - os], b = m[s->view + s->vlen - os];

		if (!s->mark) {
			put(w, n + a, b - a);
			continue;
		}
		if (b - a != s->vlen || memcmp(n + a, d->view + s->view,
		    s->vlen) != 0) {
			free(m);
			return tyst_err_set(err, d->name, lineno, 0, "the "
			    "changed text moved the line's structure; nothing "
			    "was written");
		}
		put(w, d->u + s->src, s->slen);
	}
	free(m);
	return 0;
}

static int
unview(const struct tyst_input *d, const char *view, size_t len,
    struct wbuf *w, struct tyst_err *err)
{
	size_t npos = 0, k = 0;

	for (size_t i = 0; i < d->nvlines; i++) {
		size_t os = d->vlines[i];
		size_t oe = i + 1 < d->nvlines ? d->vlines[i + 1] : d->vlen;
		size_t s0 = k, ne;
		const char *nl;

		while (k < d->nsegs && (i + 1 == d->nvlines ||
		    d->segs[k].view < oe))
			k++;
		if (i + 1 == d->nvlines)
			ne = len;
		else if ((nl = memchr(view + npos, '\n', len - npos)) != NULL)
			ne = (size_t)(nl - view) + 1;
		else
			return tyst_err_set(err, d->name, i + 1, 0, "the changed "
			    "text has fewer lines than the document; nothing "
			    "was written");
		if (write_line(d, os, oe, s0, k, view + npos, ne - npos, w,
		    i + 1, err) < 0)
			return -1;
		npos = ne;
	}
	return 0;
}

int
tyst_input_write(const struct tyst_input *d, const char *view, size_t len,
    char **out, size_t *outlen, struct tyst_err *err)
{
	struct wbuf w = { NULL, 0, 0, 0 };
	struct tyst_input back;
	int rc;

	if (d->format == TYST_IN_DOCX || d->format == TYST_IN_ODT)
		return tyst_zip_write(d, view, len, out, outlen, err);
	if (d->segs == NULL)
		return tyst_enc_encode(d, view, len, out, outlen, err);
	if (unview(d, view, len, &w, err) < 0) {
		free(w.p);
		return -1;
	}
	if (w.oom) {
		free(w.p);
		return tyst_err_set(err, d->name, 0, 0, "out of memory");
	}
	/* What was written must read back as the view it was given. */
	if (tyst_input_from_mem(&back, d->name, w.p != NULL ? w.p : "", w.len,
	    d->format, TYST_ENC_UTF8, err) < 0) {
		free(w.p);
		return -1;
	}
	rc = back.vlen == len && memcmp(back.view, view, len) == 0;
	tyst_input_free(&back);
	if (!rc) {
		free(w.p);
		return tyst_err_set(err, d->name, 0, 0, "the changed text does "
		    "not fit the document's structure (a replacement holds "
		    "markup or a line end); nothing was written");
	}
	rc = tyst_enc_encode(d, w.p != NULL ? w.p : "", w.len, out, outlen,
	    err);
	free(w.p);
	return rc;
}
