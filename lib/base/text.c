/*
 * text — transcripts into memory safely (include/tyst/text.h).  Every tool
 * reads through here, so every tool refuses the same bad input (invalid
 * UTF-8, NUL bytes, a directory) with the same words and the same
 * file:line:col, and offsets always count the bytes as they are on disk.
 */
#include "tyst/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK (256 * 1024)

/* The eight bytes at p as one word, for the ASCII fast path. */
static uint64_t
load8(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/*
 * Index of the first byte (in memory order) whose high bit is set in m.
 * The NUL test above can also flag bytes after a real NUL, never before
 * it, so the first flag is exact.
 */
static size_t
first_flagged(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(m) / 8;
#else
	(void)m;
	return 0;
#endif
}

#define HIGH_BITS 0x8080808080808080ULL
#define LOW_BITS  0x0101010101010101ULL

int
tyst_utf8_check(const char *s, size_t len, size_t *bad, int *nul)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	*nul = 0;
	while (i < len) {
		unsigned c;

		/*
		 * Most of a Swedish transcript is ASCII: skip eight bytes at a
		 * time while none has the high bit set and none is NUL.
		 */
		while (len - i >= 8) {
			uint64_t w = load8(p + i);
			uint64_t m = (w & HIGH_BITS) |
			    ((w - LOW_BITS) & ~w & HIGH_BITS);

			if (m != 0) {
				/* Step to the first non-ASCII or NUL byte. */
				i += first_flagged(m);
				break;
			}
			i += 8;
		}
		if (i >= len)
			break;
		c = p[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		*bad = i;
		if (c == 0) {
			*nul = 1;
			return -1;
		}
		/*
		 * The well-formed sequences of Unicode table 3-7: checking
		 * the second byte's range rules out overlong forms,
		 * surrogates and code points past U+10FFFF without decoding.
		 */
		if (c >= 0xc2 && c <= 0xdf) {
			if (len - i < 2 || (p[i + 1] & 0xc0) != 0x80)
				return -1;
			i += 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			unsigned lo = c == 0xe0 ? 0xa0 : 0x80;
			unsigned hi = c == 0xed ? 0x9f : 0xbf;

			if (len - i < 3 || p[i + 1] < lo || p[i + 1] > hi ||
			    (p[i + 2] & 0xc0) != 0x80)
				return -1;
			i += 3;
		} else if (c >= 0xf0 && c <= 0xf4) {
			unsigned lo = c == 0xf0 ? 0x90 : 0x80;
			unsigned hi = c == 0xf4 ? 0x8f : 0xbf;

			if (len - i < 4 || p[i + 1] < lo || p[i + 1] > hi ||
			    (p[i + 2] & 0xc0) != 0x80 || (p[i + 3] & 0xc0) != 0x80)
				return -1;
			i += 4;
		} else
			return -1;
	}
	return 0;
}

size_t
tyst_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (len == 0) {
		*cp = 0;
		return 0;
	}
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2; *cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3; *cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4; *cp = p[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (n > len) {
		*cp = 0xfffd;
		return len;
	}
	for (size_t k = 1; k < n; k++)
		*cp = (*cp << 6) | (p[k] & 0x3f);
	return n;
}

size_t
tyst_utf8_count(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, i = 0;

	/* Eight bytes at a time: a continuation byte has its top bit set
	 * and the next one clear; the rest start a character. */
	for (; len - i >= 8; i += 8) {
		uint64_t w = load8(p + i);
		uint64_t m = w & ~(w << 1) & HIGH_BITS;

		/* The top bits counted by one multiplication: without
		 * -mpopcnt, __builtin_popcountll() is a call. */
		n += 8 - (size_t)(((m >> 7) * LOW_BITS) >> 56);
	}
	for (; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static int
open_input(const char *path, const char **name, int *fd, int *own,
    struct tyst_err *err)
{
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0) {
		*name = "<stdin>";
		*fd = STDIN_FILENO;
		*own = 0;
	} else {
		*name = path;
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		if (*fd < 0)
			return tyst_err_set(err, path, 0, 0, "%s", strerror(errno));
		*own = 1;
	}
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (*own)
			close(*fd);
		return tyst_err_set(err, *name, 0, 0, "is a directory");
	}
	return 0;
}

static int
bad_byte_err(struct tyst_err *err, const char *name, size_t lineno,
    const char *line, size_t badpos, uint64_t off, int nul)
{
	size_t col = tyst_utf8_count(line, badpos) + 1;

	if (nul)
		return tyst_err_set(err, name, lineno, col,
		    "NUL byte at byte offset %llu: binary file, not a transcript",
		    (unsigned long long)off);
	return tyst_err_set(err, name, lineno, col,
	    "invalid UTF-8 at byte offset %llu (byte 0x%02x); convert the file "
	    "to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8",
	    (unsigned long long)off, (unsigned char)line[badpos]);
}

/* ---- streaming ---------------------------------------------------------- */

int
tyst_reader_open(struct tyst_reader *r, const char *path, struct tyst_err *err)
{
	memset(r, 0, sizeof(*r));
	if (open_input(path, &r->name, &r->fd, &r->own_fd, err) < 0)
		return -1;
	r->cap = READ_CHUNK;
	/*
	 * Zeroed, and kept zeroed past the data when it grows: PCRE2's JIT
	 * searches with aligned 16-byte loads that may reach past a line's
	 * end (harmless, the extra bytes are masked off), and valgrind
	 * reports those bytes when they were never written.
	 */
	r->buf = calloc(1, r->cap);
	if (r->buf == NULL) {
		if (r->own_fd)
			close(r->fd);
		return tyst_err_set(err, r->name, 0, 0, "out of memory");
	}
	return 0;
}

/* Reads more input behind what is buffered, growing the buffer when a line
 * fills it.  Returns bytes read, 0 at the end, -1 on error. */
static ssize_t
fill(struct tyst_reader *r, struct tyst_err *err)
{
	ssize_t n;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->base += r->pos;
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->len < READ_CHUNK / 2) {
		size_t ncap = r->cap * 2;
		char *nb = realloc(r->buf, ncap);

		if (nb == NULL)
			return tyst_err_set(err, r->name, r->lineno + 1, 0,
			    "out of memory: line too long");
		memset(nb + r->cap, 0, ncap - r->cap);
		r->buf = nb;
		r->cap = ncap;
	}
	do
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return tyst_err_set(err, r->name, r->lineno + 1, 0, "read: %s",
		    strerror(errno));
	r->len += (size_t)n;
	return n;
}

/* Steps i back (at most 3) to the start of a UTF-8 character. */
static size_t
char_start(const char *p, size_t i, size_t floor)
{
	for (int k = 0; k < 3 && i > floor &&
	    ((unsigned char)p[i] & 0xc0) == 0x80; k++)
		i--;
	return i;
}

/* Checks ln, naming a bad byte by its column in the whole line. */
static int
check_line(struct tyst_reader *r, const struct tyst_line *ln,
    struct tyst_err *err)
{
	size_t bad;
	int nul;

	if (tyst_utf8_check(ln->p, ln->len, &bad, &nul) == 0)
		return 0;
	bad_byte_err(err, r->name, ln->lineno, ln->p, bad, ln->off + bad, nul);
	if (err != NULL)
		err->col += r->part.col0;
	return -1;
}

/*
 * A part of a long line (struct tyst_part): own bytes from pos + lead, as
 * many as a window holds, ending at the start of a character, with the
 * overlap after them.  The next part keeps overlap bytes before its own.
 */
static int
next_part(struct tyst_reader *r, struct tyst_line *ln, struct tyst_err *err)
{
	size_t from = r->pos + r->lead, own_end, end, next;

	own_end = char_start(r->buf, from + r->win, from + 1);
	end = char_start(r->buf, own_end + r->overlap, own_end);
	ln->p = r->buf + r->pos;
	ln->off = r->base + r->pos;
	ln->lineno = r->lineno + 1;
	ln->len = end - r->pos;
	ln->eol = 0;
	r->part.lead = r->lead;
	r->part.own = own_end - from;
	r->part.col0 = r->col;
	r->part.no = r->nparts++;
	if (check_line(r, ln, err) < 0)
		return -1;
	next = own_end - r->pos > r->overlap ? own_end - r->overlap : r->pos;
	while (next < own_end && ((unsigned char)r->buf[next] & 0xc0) == 0x80)
		next++;
	r->col += tyst_utf8_count(r->buf + r->pos, next - r->pos);
	r->lead = own_end - next;
	r->pos = next;
	return 1;
}

int
tyst_reader_next(struct tyst_reader *r, struct tyst_line *ln,
    struct tyst_err *err)
{
	char *nl;
	size_t scanned = 0, start, end;

	for (;;) {
		if (!r->started && r->len - r->pos < 3 && !r->eof) {
			ssize_t n = fill(r, err);
			if (n < 0)
				return -1;
			if (n == 0)
				r->eof = 1;
			continue;
		}
		if (!r->started) {
			r->started = 1;
			if (r->len - r->pos >= 3 &&
			    memcmp(r->buf + r->pos, "\xef\xbb\xbf", 3) == 0) {
				r->pos += 3;
				r->had_bom = 1;
			}
		}
		if (scanned < r->lead)
			scanned = r->lead;      /* the context holds no line end */
		nl = memchr(r->buf + r->pos + scanned, '\n',
		    r->len - r->pos - scanned);
		/* Whether the rest of the line is a part or more, wherever
		 * the reads ended; 4 bytes more, so a window can end on a
		 * character's start. */
		if (r->win > 0 && (nl != NULL ? (size_t)(nl - r->buf) : r->len) -
		    r->pos - r->lead >= r->win + r->overlap + 4)
			return next_part(r, ln, err);
		if (nl != NULL || r->eof)
			break;
		/* A NUL ends the reading here, as the check below refuses it:
		 * /dev/zero, or a binary file without a line end, must not be
		 * read until memory runs out. */
		if (memchr(r->buf + r->pos + scanned, '\0',
		    r->len - r->pos - scanned) != NULL)
			break;
		scanned = r->len - r->pos;
		ssize_t n = fill(r, err);
		if (n < 0)
			return -1;
		if (n == 0)
			r->eof = 1;
	}
	start = r->pos;
	if (nl == NULL && start == r->len)
		return 0;
	end = nl != NULL ? (size_t)(nl - r->buf) : r->len;
	ln->p = r->buf + start;
	ln->off = r->base + start;
	ln->lineno = ++r->lineno;
	ln->eol = nl != NULL ? 1 : 0;
	ln->len = end - start;
	r->part.lead = r->lead;
	r->part.col0 = r->col;
	r->part.no = r->nparts;
	if (nl != NULL && ln->len > r->lead && ln->p[ln->len - 1] == '\r') {
		ln->len--;
		ln->eol = 2;
		r->crlf = 1;
	}
	r->part.own = ln->len - r->lead;
	r->pos = nl != NULL ? end + 1 : end;
	r->lead = r->col = r->nparts = 0;
	return check_line(r, ln, err) < 0 ? -1 : 1;
}

void
tyst_reader_windows(struct tyst_reader *r, size_t win, size_t overlap)
{
	r->win = win;
	r->overlap = overlap < win ? overlap : win;
}

void
tyst_reader_close(struct tyst_reader *r)
{
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	free(r->buf);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

/* ---- whole files ---------------------------------------------------------- */

static int
index_text(struct tyst_text *t, struct tyst_err *err)
{
	size_t cap = 64, bad;
	int nul;

	t->start = 0;
	if (t->len >= 3 && memcmp(t->data, "\xef\xbb\xbf", 3) == 0)
		t->start = 3;
	if (tyst_utf8_check(t->data + t->start, t->len - t->start, &bad,
	    &nul) < 0) {
		size_t pos = t->start + bad, ls = t->start, lineno = 1;

		for (size_t i = t->start; i < pos; i++)
			if (t->data[i] == '\n') {
				lineno++;
				ls = i + 1;
			}
		return bad_byte_err(err, t->name, lineno, t->data + ls,
		    pos - ls, pos, nul);
	}
	t->lines = malloc(cap * sizeof(*t->lines));
	if (t->lines == NULL)
		return tyst_err_set(err, t->name, 0, 0, "out of memory");
	t->nlines = 0;
	t->lines[t->nlines++] = t->start;
	for (const char *p = t->data + t->start;
	    (p = memchr(p, '\n', t->len - (size_t)(p - t->data))) != NULL; p++) {
		if (p > t->data + t->start && p[-1] == '\r')
			t->crlf = 1;
		if ((size_t)(p + 1 - t->data) == t->len)
			break;      /* a final line end opens no new line */
		if (t->nlines == cap) {
			size_t *nl = realloc(t->lines, 2 * cap * sizeof(*nl));
			if (nl == NULL)
				return tyst_err_set(err, t->name, 0, 0,
				    "out of memory");
			t->lines = nl;
			cap *= 2;
		}
		t->lines[t->nlines++] = (size_t)(p + 1 - t->data);
	}
	return 0;
}

int
tyst_text_load(struct tyst_text *t, const char *path, struct tyst_err *err)
{
	const char *name;
	int fd, own;
	size_t cap = READ_CHUNK;
	ssize_t n;

	memset(t, 0, sizeof(*t));
	if (open_input(path, &name, &fd, &own, err) < 0)
		return -1;
	t->name = strdup(name);
	t->data = malloc(cap + 1);
	if (t->name == NULL || t->data == NULL)
		goto nomem;
	for (;;) {
		if (cap - t->len < READ_CHUNK / 2) {
			char *nd = realloc(t->data, 2 * cap + 1);
			if (nd == NULL)
				goto nomem;
			t->data = nd;
			cap *= 2;
		}
		n = read(fd, t->data + t->len, cap - t->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tyst_err_set(err, name, 0, 0, "read: %s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		t->len += (size_t)n;
		/* The check refuses a NUL anyway: read no further (/dev/zero). */
		if (memchr(t->data + t->len - (size_t)n, '\0', (size_t)n) != NULL)
			break;
	}
	if (own)
		close(fd);
	own = 0;
	/* The NUL and the slack behind it zeroed (see tyst_reader_open). */
	memset(t->data + t->len, 0, cap + 1 - t->len);
	if (index_text(t, err) < 0)
		goto fail;
	return 0;
nomem:
	tyst_err_set(err, name, 0, 0, "out of memory");
fail:
	if (own)
		close(fd);
	tyst_text_free(t);
	return -1;
}

int
tyst_text_from_mem(struct tyst_text *t, const char *name, const char *p,
    size_t len, struct tyst_err *err)
{
	memset(t, 0, sizeof(*t));
	t->name = strdup(name != NULL ? name : "<memory>");
	/* 16 zeroed bytes behind the text for PCRE2's JIT (see
	 * tyst_reader_open). */
	t->data = calloc(1, len + 16);
	if (t->name == NULL || t->data == NULL) {
		tyst_text_free(t);
		return tyst_err_set(err, name, 0, 0, "out of memory");
	}
	if (len > 0)
		memcpy(t->data, p, len);
	t->len = len;
	if (index_text(t, err) < 0) {
		tyst_text_free(t);
		return -1;
	}
	return 0;
}

void
tyst_text_free(struct tyst_text *t)
{
	free(t->name);
	free(t->data);
	free(t->lines);
	memset(t, 0, sizeof(*t));
}

static size_t
line_index(const struct tyst_text *t, size_t off)
{
	size_t lo = 0, hi = t->nlines;

	/* The last line start <= off. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void
tyst_text_linecol(const struct tyst_text *t, size_t off, size_t *line,
    size_t *col)
{
	size_t i;

	if (off < t->start)
		off = t->start;
	if (off > t->len)
		off = t->len;
	i = line_index(t, off);
	*line = i + 1;
	*col = tyst_utf8_count(t->data + t->lines[i], off - t->lines[i]) + 1;
}

int
tyst_text_line(const struct tyst_text *t, size_t n, size_t *start, size_t *end)
{
	size_t e;

	if (n == 0 || n > t->nlines)
		return -1;
	*start = t->lines[n - 1];
	e = n < t->nlines ? t->lines[n] : t->len;
	if (e > *start && t->data[e - 1] == '\n')
		e--;
	if (e > *start && t->data[e - 1] == '\r')
		e--;
	*end = e;
	return 0;
}

long long
tyst_text_offset(const struct tyst_text *t, size_t line, size_t col)
{
	size_t s, e, i;

	if (col == 0 || tyst_text_line(t, line, &s, &e) < 0)
		return -1;
	for (i = s; col > 1; col--) {
		uint32_t cp;

		if (i >= e)
			return -1;
		i += tyst_utf8_decode(t->data + i, e - i, &cp);
	}
	return (long long)i;
}

int
tyst_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
