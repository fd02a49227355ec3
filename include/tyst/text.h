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
 *     longest line, or by a window when asked (scanners of 100 MB
 *     corpora, or of a 100 MB line);
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

/* The value of the hex digit c (either case), or -1: for \uXXXX in JSON
 * and %XX in form data. */
int tyst_hexval(int c);

/* ---- streaming ---------------------------------------------------------- */

struct tyst_line {
	const char *p;     /* the line, without its line end, not NUL-terminated */
	size_t len;
	size_t eol;        /* bytes of line end that follow: 0, 1 (LF) or 2 (CRLF) */
	uint64_t off;      /* byte offset of p[0] in the input */
	size_t lineno;     /* 1-based */
};

/*
 * With windows (tyst_reader_windows()), a line longer than a window comes
 * in parts, so memory and time stay linear however long the line.  Each
 * part is a struct tyst_line (eol 0 but for the last part) holding the
 * part's own bytes p[lead..lead+own) with up to `overlap` bytes of the
 * line before (p[0..lead), the part before's own) and after
 * (p[lead+own..len), the next part's own) as context.  A finding belongs
 * to the part its first byte is owned by, so none on a boundary is lost
 * or doubled as long as it is no longer than the overlap; a longer one is
 * cut at the end of the part.  Offsets stay byte offsets into the input.
 * A whole line is one part: lead 0, own its len, col0 0, no 0.
 */
struct tyst_part {
	size_t lead, own;  /* the part's own bytes: p[lead..lead+own) */
	size_t col0;       /* characters of the line before p[0] */
	size_t no;         /* 0 for the first part of a line */
};

#define TYST_WINDOW (1024 * 1024)       /* own bytes of a part, by default */
#define TYST_OVERLAP (64 * 1024)        /* context bytes on either side */

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
	size_t win, overlap;    /* tyst_reader_windows(); win 0: whole lines */
	struct tyst_part part;  /* of the line tyst_reader_next() gave last */
	size_t lead;       /* within a long line: buf[pos..pos+lead) is the
	                    * context of the next part, its own bytes follow */
	size_t col, nparts;     /* of the next part: col0, no */
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
/* Gives lines longer than win + overlap in parts (see struct tyst_line);
 * overlap <= win.  Call before the first tyst_reader_next(). */
void tyst_reader_windows(struct tyst_reader *r, size_t win, size_t overlap);

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
