/*
 * text — getting transcripts into memory safely.
 *
 * Every tool reads its input through this module, so every tool refuses the
 * same bad input with the same words: invalid UTF-8, NUL bytes (a binary
 * file), a directory.  A UTF-8 byte order mark is accepted and skipped; CRLF
 * line ends are accepted.  Byte offsets are always offsets into the input as
 * read, BOM and CR included, so they can be used to cut the original file.
 *
 * Two ways in:
 *   - tyst_reader streams a file line by line in memory bounded by the
 *     longest line (scanners of 100 MB corpora);
 *   - tyst_text loads a whole file with an index of line starts (tools that
 *     rewrite or store documents).
 */
#ifndef TYST_TEXT_H
#define TYST_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"

/*
 * Checks that p[0..len) is valid UTF-8 without NUL bytes: overlong forms,
 * surrogates and code points past U+10FFFF are invalid.  Returns 0, or -1
 * with the offset of the first bad byte in *bad and *nul set to 1 when that
 * byte is a NUL.
 */
int tyst_utf8_check(const char *p, size_t len, size_t *bad, int *nul);

/* Decodes one code point at p (valid UTF-8 assumed); returns its length. */
size_t tyst_utf8_decode(const char *p, size_t len, uint32_t *cp);

/* Number of code points in p[0..len). */
size_t tyst_utf8_count(const char *p, size_t len);

/* ---- streaming ---------------------------------------------------------- */

struct tyst_line {
	const char *p;     /* the line, without its line end, not NUL-terminated */
	size_t len;
	size_t eol;        /* bytes of line end that follow: 0, 1 (LF) or 2 (CRLF) */
	uint64_t off;      /* byte offset of p[0] in the input */
	size_t lineno;     /* 1-based */
};

struct tyst_reader {
	const char *name;  /* for messages: the path, or "<stdin>" */
	int fd;
	int own_fd;
	char *buf;
	size_t cap, len, pos;
	uint64_t base;     /* input offset of buf[0] */
	size_t lineno;
	int eof;
	int started;
	int had_bom;
	int crlf;          /* at least one CRLF line end seen */
};

/* Opens path ("-" or NULL: standard input).  A directory, a missing or an
 * unreadable file is an error naming the path. */
int tyst_reader_open(struct tyst_reader *r, const char *path,
    struct tyst_err *err);
/* The next line: 1, 0 at the end, -1 on an error (invalid UTF-8, a NUL byte,
 * a read error) with err naming file:line:col and the byte offset. */
int tyst_reader_next(struct tyst_reader *r, struct tyst_line *line,
    struct tyst_err *err);
void tyst_reader_close(struct tyst_reader *r);

/* ---- whole files ---------------------------------------------------------- */

struct tyst_text {
	char *name;        /* for messages */
	char *data;        /* the input as read, NUL-terminated (data[len] == 0) */
	size_t len;
	size_t start;      /* 3 when a BOM opens the input, else 0 */
	size_t *lines;     /* byte offset of the start of each line */
	size_t nlines;
	int crlf;          /* at least one CRLF line end */
};

/* Loads path ("-" or NULL: standard input) and checks it as above. */
int tyst_text_load(struct tyst_text *t, const char *path, struct tyst_err *err);
/* The same over a copy of a buffer already in memory. */
int tyst_text_from_mem(struct tyst_text *t, const char *name, const char *p,
    size_t len, struct tyst_err *err);
void tyst_text_free(struct tyst_text *t);

/* 1-based line and column (in characters, the BOM not counted) of a byte
 * offset; an offset inside a CRLF belongs to the line it ends. */
void tyst_text_linecol(const struct tyst_text *t, size_t off, size_t *line,
    size_t *col);
/* Byte offset of line:col, or -1 when there is no such place. */
long long tyst_text_offset(const struct tyst_text *t, size_t line, size_t col);
/* Byte range of line n (1-based) without its line end; -1 when out of range. */
int tyst_text_line(const struct tyst_text *t, size_t n, size_t *start,
    size_t *end);

#endif
