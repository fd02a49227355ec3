/*
 * inputenc — the encodings a transcript is saved in: UTF-8 (with or without
 * a byte order mark), UTF-16 with a BOM (Word's "Unicode text"), and
 * Windows-1252 (Word's and Notepad's "ANSI" on a Swedish Windows).
 *
 * Decoding gives the format layer UTF-8 and a map back to raw offsets;
 * encoding writes UTF-8 back into the file's own encoding, so that a file
 * read and written unchanged is the same bytes.  Windows-1252 is told from
 * UTF-8 by content: bytes that are not UTF-8 but all are Windows-1252.
 * Latin-1 files read the same way (they differ only in 0x80-0x9f, which
 * Latin-1 gives to control characters no transcript holds).
 */
#include "tyst/input.h"

#include <stdlib.h>
#include <string.h>

/* Windows-1252's 0x80-0x9f; 0 where the code page defines no character. */
static const uint16_t cp1252_hi[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

static size_t
put_utf8(char *o, uint32_t cp)
{
	unsigned char *p = (unsigned char *)o;

	if (cp < 0x80) {
		p[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (unsigned char)(0xc0 | (cp >> 6));
		p[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (unsigned char)(0xe0 | (cp >> 12));
		p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	p[0] = (unsigned char)(0xf0 | (cp >> 18));
	p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	p[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Whether a line feed starts at raw offset i (a byte, or a UTF-16 unit). */
static int
is_lf(const struct tyst_input *d, size_t i, int unit)
{
	if (unit == 1)
		return d->raw[i] == '\n';
	if (d->enc == TYST_ENC_UTF16BE)
		return d->raw[i] == 0 && d->raw[i + 1] == '\n';
	return d->raw[i] == '\n' && d->raw[i + 1] == 0;
}

/* 1-based line of raw offset off, counting LF bytes (UTF-16: units). */
static size_t
raw_line(const struct tyst_input *d, size_t off, int unit)
{
	size_t line = 1;

	for (size_t i = unit == 2 && d->bom ? 2 : 0; i + (size_t)unit <= off;
	    i += (size_t)unit)
		if (is_lf(d, i, unit))
			line++;
	return line;
}

/* 1-based column of raw offset off: characters since its line's start,
 * a byte order mark not counted. */
static size_t
raw_col(const struct tyst_input *d, size_t off, int unit)
{
	size_t ls = off, skip = 0;

	while (ls >= (size_t)unit && !is_lf(d, ls - (size_t)unit, unit))
		ls -= (size_t)unit;
	if (ls == 0 && d->bom)
		skip = unit == 1 ? 3 : 2;
	if (ls + skip > off)
		return 1;
	if (unit == 2)
		return (off - ls - skip) / 2 + 1;
	if (d->enc == TYST_ENC_CP1252)
		return off - ls - skip + 1;
	return tyst_utf8_count(d->raw + ls + skip, off - ls - skip) + 1;
}

static int
alloc_u(struct tyst_input *d, size_t cap, struct tyst_err *err)
{
	if (d->rawlen >= UINT32_MAX)
		return tyst_err_set(err, d->name, 0, 0, "too large for a "
		    "transcript in this encoding (4 GB or more)");
	d->u = malloc(cap + 16);
	d->umap = malloc((cap + 1) * sizeof(*d->umap));
	if (d->u == NULL || d->umap == NULL)
		return tyst_err_set(err, d->name, 0, 0, "out of memory");
	return 0;
}

static int
decode_utf16(struct tyst_input *d, size_t from, struct tyst_err *err)
{
	const unsigned char *p = (const unsigned char *)d->raw;
	int le = d->enc == TYST_ENC_UTF16LE;
	size_t n = d->rawlen, o = 0;

	if ((n - from) % 2 != 0)
		return tyst_err_set(err, d->name, raw_line(d, n - 1, 2),
		    raw_col(d, n - 1, 2),
		    "UTF-16 text with an odd number of bytes (%zu): the file "
		    "is cut short or not UTF-16", n);
	/* At most 3 UTF-8 bytes per 2-byte unit (a pair: 4 per 4). */
	if (alloc_u(d, (n - from) / 2 * 3, err) < 0)
		return -1;
	for (size_t i = from; i < n; i += 2) {
		uint32_t c = le ? (uint32_t)(p[i] | p[i + 1] << 8) :
		    (uint32_t)(p[i] << 8 | p[i + 1]);
		size_t at = i;

		if (c >= 0xd800 && c <= 0xdbff && i + 3 < n) {
			uint32_t c2 = le ? (uint32_t)(p[i + 2] | p[i + 3] << 8)
			    : (uint32_t)(p[i + 2] << 8 | p[i + 3]);

			if (c2 >= 0xdc00 && c2 <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (c2 - 0xdc00);
				i += 2;
			}
		}
		if (c >= 0xd800 && c <= 0xdfff)
			return tyst_err_set(err, d->name, raw_line(d, at, 2),
		    raw_col(d, at, 2),
			    "invalid UTF-16 at byte offset %zu (a lone "
			    "surrogate 0x%04x)", at, (unsigned)c);
		if (c == 0)
			return tyst_err_set(err, d->name, raw_line(d, at, 2),
		    raw_col(d, at, 2),
			    "NUL character at byte offset %zu: binary file, "
			    "not a transcript", at);
		size_t k = put_utf8(d->u + o, c);
		for (size_t j = 0; j < k; j++)
			d->umap[o + j] = (uint32_t)at;
		o += k;
	}
	d->umap[o] = (uint32_t)n;
	d->ulen = o;
	memset(d->u + o, 0, 16);
	return 0;
}

static int
neither_err(struct tyst_input *d, size_t off, const char *why,
    struct tyst_err *err)
{
	return tyst_err_set(err, d->name, raw_line(d, off, 1),
		    raw_col(d, off, 1),
	    "byte 0x%02x at byte offset %zu is neither UTF-8 nor Windows-1252 "
	    "(%s); convert the file from its encoding to UTF-8, e.g. "
	    "iconv -f IBM850 -t UTF-8 '%s' > converted.txt",
	    (unsigned char)d->raw[off], off, why, d->name);
}

static int
decode_cp1252(struct tyst_input *d, struct tyst_err *err)
{
	const unsigned char *p = (const unsigned char *)d->raw;
	size_t o = 0;

	if (alloc_u(d, d->rawlen * 3, err) < 0)
		return -1;
	for (size_t i = 0; i < d->rawlen; i++) {
		uint32_t c = p[i];
		size_t k;

		if (c == 0)
			return tyst_err_set(err, d->name, raw_line(d, i, 1),
		    raw_col(d, i, 1),
			    "NUL byte at byte offset %zu: binary file, not a "
			    "transcript", i);
		if (c >= 0x80 && c < 0xa0) {
			c = cp1252_hi[c - 0x80];
			if (c == 0)
				return neither_err(d, i, "Windows-1252 has no "
				    "such character", err);
		}
		k = put_utf8(d->u + o, c);
		for (size_t j = 0; j < k; j++)
			d->umap[o + j] = (uint32_t)i;
		o += k;
	}
	d->umap[o] = (uint32_t)d->rawlen;
	d->ulen = o;
	memset(d->u + o, 0, 16);
	return 0;
}

/* Whether a NUL-holding file looks like UTF-16 without a byte order mark:
 * most of its even (LE) or odd (BE) bytes zero. */
static const char *
bomless_utf16(const struct tyst_input *d)
{
	size_t n = d->rawlen < 4096 ? d->rawlen : 4096, ev = 0, od = 0;

	for (size_t i = 0; i + 1 < n; i += 2) {
		ev += d->raw[i] == 0;
		od += d->raw[i + 1] == 0;
	}
	if (od * 4 > n)
		return "UTF-16LE";
	if (ev * 4 > n)
		return "UTF-16BE";
	return NULL;
}

/* Whether p holds a multi-byte UTF-8 sequence: a file with both those and
 * bytes that are not UTF-8 is damaged, not Windows-1252. */
static int
has_utf8_seq(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i + 2 < len; i++) {
		if ((p[i] == 0xc2 || p[i] == 0xc3) && (p[i + 1] & 0xc0) == 0x80)
			return 1;
		/* UTF-8's dashes and quotes, "â€" in Windows-1252. */
		if (p[i] == 0xe2 && p[i + 1] == 0x80 && (p[i + 2] & 0xc0) == 0x80)
			return 1;
	}
	return 0;
}

static int
utf8_as_is(struct tyst_input *d, size_t from, struct tyst_err *err)
{
	size_t bad;
	int nul;

	if (tyst_utf8_check(d->raw + from, d->rawlen - from, &bad, &nul) < 0) {
		size_t at = from + bad;

		if (nul)
			return tyst_err_set(err, d->name, raw_line(d, at, 1),
		    raw_col(d, at, 1),
			    "NUL byte at byte offset %zu: binary file, not a "
			    "transcript", at);
		return tyst_err_set(err, d->name, raw_line(d, at, 1),
		    raw_col(d, at, 1),
		    "invalid UTF-8 at byte offset %zu (byte 0x%02x) in a file "
		    "marked as UTF-8", at, (unsigned char)d->raw[at]);
	}
	d->u = malloc(d->rawlen - from + 16);
	if (d->u == NULL)
		return tyst_err_set(err, d->name, 0, 0, "out of memory");
	memcpy(d->u, d->raw + from, d->rawlen - from);
	d->ulen = d->rawlen - from;
	memset(d->u + d->ulen, 0, 16);
	return 0;
}

int
tyst_enc_decode(struct tyst_input *d, enum tyst_input_enc force,
    struct tyst_err *err)
{
	const unsigned char *p = (const unsigned char *)d->raw;
	size_t n = d->rawlen, bad;
	int nul;

	if (n >= 4 && memcmp(p, "\xff\xfe\0\0", 4) == 0)
		return tyst_err_set(err, d->name, 1, 1, "UTF-32 text; convert "
		    "it to UTF-8: iconv -f UTF-32 -t UTF-8 '%s' > "
		    "converted.txt", d->name);
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 &&
	    (force == TYST_ENC_AUTO || force == TYST_ENC_UTF8)) {
		d->enc = TYST_ENC_UTF8;
		d->bom = 1;
		return utf8_as_is(d, 3, err);
	}
	if (n >= 2 && (force == TYST_ENC_AUTO || force == TYST_ENC_UTF16LE ||
	    force == TYST_ENC_UTF16BE)) {
		if (p[0] == 0xff && p[1] == 0xfe)
			d->enc = TYST_ENC_UTF16LE;
		else if (p[0] == 0xfe && p[1] == 0xff)
			d->enc = TYST_ENC_UTF16BE;
		if (d->enc != TYST_ENC_AUTO) {
			d->bom = 1;
			return decode_utf16(d, 2, err);
		}
	}
	if (force == TYST_ENC_UTF16LE || force == TYST_ENC_UTF16BE) {
		d->enc = force;
		return decode_utf16(d, 0, err);
	}
	if (force == TYST_ENC_CP1252) {
		d->enc = TYST_ENC_CP1252;
		return decode_cp1252(d, err);
	}
	d->enc = TYST_ENC_UTF8;
	if (tyst_utf8_check(d->raw, n, &bad, &nul) == 0 ||
	    force == TYST_ENC_UTF8)
		return utf8_as_is(d, 0, err);
	if (nul) {
		const char *u16 = bomless_utf16(d);

		if (u16 != NULL)
			return tyst_err_set(err, d->name, 1, 1, "%s text without "
			    "a byte order mark; convert it: iconv -f %s -t UTF-8 "
			    "'%s' > converted.txt (or read it with -F %s)", u16,
			    u16, d->name, u16[6] == 'L' ? "utf-16le" :
			    "utf-16be");
		return tyst_err_set(err, d->name, raw_line(d, bad, 1),
		    raw_col(d, bad, 1),
		    "NUL byte at byte offset %zu: binary file, not a "
		    "transcript", bad);
	}
	if (has_utf8_seq(d->raw, n))
		return neither_err(d, bad, "the file also holds UTF-8: it "
		    "mixes encodings", err);
	d->enc = TYST_ENC_CP1252;
	return decode_cp1252(d, err);
}

/* ---- writing back ---------------------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
};

static int
buf_need(struct buf *b, size_t n)
{
	if (b->cap - b->len >= n)
		return 0;
	size_t nc = b->cap ? b->cap : 256;
	while (nc - b->len < n)
		nc *= 2;
	char *np = realloc(b->p, nc);
	if (np == NULL)
		return -1;
	b->p = np;
	b->cap = nc;
	return 0;
}

static int
unit16(struct buf *b, uint32_t c, int le)
{
	if (buf_need(b, 2) < 0)
		return -1;
	b->p[b->len++] = (char)(le ? c & 0xff : c >> 8);
	b->p[b->len++] = (char)(le ? c >> 8 : c & 0xff);
	return 0;
}

static int
cp1252_byte(uint32_t c)
{
	if (c < 0x80 || (c >= 0xa0 && c <= 0xff))
		return (int)c;
	for (int i = 0; i < 32; i++)
		if (cp1252_hi[i] != 0 && cp1252_hi[i] == c)
			return 0x80 + i;
	return -1;
}

int
tyst_enc_encode(const struct tyst_input *d, const char *u, size_t ulen,
    char **out, size_t *outlen, struct tyst_err *err)
{
	struct buf b = { NULL, 0, 0 };
	size_t bad;
	int nul, le = d->enc == TYST_ENC_UTF16LE;

	if (tyst_utf8_check(u, ulen, &bad, &nul) < 0)
		return tyst_err_set(err, d->name, 0, 0, "the text to write is "
		    "not UTF-8 (byte offset %zu)", bad);
	if (buf_need(&b, ulen + 8) < 0)
		goto nomem;
	if (d->enc == TYST_ENC_UTF8) {
		if (d->bom) {
			memcpy(b.p, "\xef\xbb\xbf", 3);
			b.len = 3;
		}
		memcpy(b.p + b.len, u, ulen);
		b.len += ulen;
		goto done;
	}
	if (d->bom && (d->enc == TYST_ENC_UTF16LE ||
	    d->enc == TYST_ENC_UTF16BE) && unit16(&b, 0xfeff, le) < 0)
		goto nomem;
	for (size_t i = 0; i < ulen;) {
		uint32_t c;
		size_t k = tyst_utf8_decode(u + i, ulen - i, &c);

		if (d->enc == TYST_ENC_CP1252) {
			int byte = cp1252_byte(c);

			if (byte < 0) {
				free(b.p);
				return tyst_err_set(err, d->name, 0, 0,
				    "\"%.*s\" (U+%04X) cannot be written in "
				    "Windows-1252, the encoding of the input (a "
				    "pseudonym the key gave in an earlier "
				    "file?); convert the input to UTF-8 first: "
				    "iconv -f WINDOWS-1252 -t UTF-8", (int)k,
				    u + i, (unsigned)c);
			}
			if (buf_need(&b, 1) < 0)
				goto nomem;
			b.p[b.len++] = (char)byte;
		} else if (c >= 0x10000) {
			c -= 0x10000;
			if (unit16(&b, 0xd800 + (c >> 10), le) < 0 ||
			    unit16(&b, 0xdc00 + (c & 0x3ff), le) < 0)
				goto nomem;
		} else if (unit16(&b, c, le) < 0)
			goto nomem;
		i += k;
	}
done:
	*out = b.p;
	*outlen = b.len;
	return 0;
nomem:
	free(b.p);
	return tyst_err_set(err, d->name, 0, 0, "out of memory");
}

int
tyst_input_holds(const char *s, void *ctx)
{
	const struct tyst_input *d = ctx;
	size_t len = strlen(s);

	if (d == NULL || d->enc != TYST_ENC_CP1252)
		return 1;
	for (size_t i = 0; i < len;) {
		uint32_t c;

		i += tyst_utf8_decode(s + i, len - i, &c);
		if (cp1252_byte(c) < 0)
			return 0;
	}
	return 1;
}
