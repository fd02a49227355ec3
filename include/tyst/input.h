/*
 * input — the files transcripts come in, behind one interface.
 *
 * Transcripts arrive as UTF-8 text, as text a Windows program saved in
 * UTF-16 or Windows-1252, and as subtitles (WebVTT, SRT) from Teams, Zoom
 * or speech recognition.  A tyst_input reads any of them and gives the tools
 * one thing to work on, the view: UTF-8 text in lines, holding only what a
 * person said or wrote (no WEBVTT header, no cue timings or numbers, no
 * markup; a voice tag "<v Anna Svensson>" becomes the speaker label
 * "Anna Svensson: ").  The view has as many lines as the file, so a line
 * number means the same in both; tyst_input_src maps a view offset back to a
 * byte offset into the file as read.
 *
 * A tool that changes the view (tyst-pseudo, and its --reverse) hands the
 * changed view to tyst_input_write, which writes a copy in the file's own
 * format, encoding and line ends, with everything outside the view (cue
 * timings, ids, settings, tags, the byte order mark) byte for byte as it
 * was.  The writer reads its own output back and checks that its view is
 * exactly the changed view, so nothing is lost silently.
 *
 * Formats are chosen by content: a byte order mark, the WEBVTT signature,
 * SRT's cue structure, bytes that are not UTF-8 but are Windows-1252.
 * Word (.docx, .docm) and OpenDocument (.odt) files are read (their view:
 * one line per paragraph; offsets are into that text, each line knowing
 * its part and paragraph) but not yet written.  Files tyst cannot read
 * (Word .doc, RTF, PDF, Pages) are refused with the command that converts
 * them on Debian.
 *
 * The lines of each module: lib/formats/input.c (this interface, sniffing, the
 * writer's alignment), lib/formats/inputenc.c (encodings), lib/formats/inputcue.c (WebVTT and
 * SRT), lib/formats/inputdocx.c (Word and OpenDocument), lib/formats/inputstage.c (for
 * streaming tools).
 */
#ifndef TYST_INPUT_H
#define TYST_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tyst/diag.h"
#include "tyst/text.h"

enum tyst_input_format {
	TYST_IN_AUTO,          /* as a forcing choice: sniff */
	TYST_IN_TEXT,
	TYST_IN_VTT,
	TYST_IN_SRT,
	TYST_IN_DOCX,           /* .docx and .docm */
	TYST_IN_ODT
};

enum tyst_input_enc {
	TYST_ENC_AUTO,          /* as a forcing choice: sniff */
	TYST_ENC_UTF8,
	TYST_ENC_UTF16LE,
	TYST_ENC_UTF16BE,
	TYST_ENC_CP1252
};

/* A piece of a view line: either text copied from the decoded file
 * (view bytes == file bytes), or a mark, whose view bytes (maybe none, or
 * ": " after a voice tag's name) stand for structure in the file. */
struct tyst_input_seg {
	size_t view, vlen;      /* in the view */
	size_t src, slen;       /* in the decoded file (UTF-8, BOM dropped) */
	int mark;
};

struct tyst_input {
	char *name;                     /* for messages */
	enum tyst_input_format format;
	enum tyst_input_enc enc;
	int bom;                        /* the file opened with a BOM */
	char *raw;                      /* the file as read */
	size_t rawlen;
	char *u;                        /* decoded to UTF-8, BOM dropped */
	size_t ulen;
	uint32_t *umap;                 /* u offset -> raw offset; NULL when
	                                 * raw is UTF-8 (offset + BOM) */
	char *view;                     /* NUL-terminated, 16 zero bytes
	                                 * behind it (see tyst_reader_open) */
	size_t vlen;
	struct tyst_input_seg *segs;      /* NULL: the view is u itself */
	size_t nsegs;
	size_t *vlines;                 /* view offset of each line start */
	size_t nvlines;
	int flags;                      /* TYST_IN_TIMES */
	const char **lpart;             /* word processors: per view line, the
	                                 * part it came from ("word/document.xml") */
	size_t *lpara;                  /* and its paragraph's number there */
	char **parts;                   /* the part names lpart points to */
	size_t nparts;
	char **times;                   /* per view line: the cue start
	                                 * ("00:12:31") of the cue the line
	                                 * belongs to, or NULL */
};

/* Parses a --input-format argument: text, utf-8, utf-16, utf-16le,
 * utf-16be, cp1252 (windows-1252), vtt (webvtt), srt.  -1 when unknown. */
int tyst_input_parse_format(const char *s, enum tyst_input_format *fmt,
    enum tyst_input_enc *enc);

/*
 * Loads path ("-" or NULL: standard input) and builds its view, the format
 * and encoding found by content unless forced (TYST_*_AUTO: sniff).
 * Errors name the file and the byte offset; formats tyst does not read
 * name the command that converts them.
 */
int tyst_input_load(struct tyst_input *d, const char *path,
    enum tyst_input_format fmt, enum tyst_input_enc enc, struct tyst_err *err);
/* The same with flags (TYST_IN_TIMES). */
int tyst_input_load_flags(struct tyst_input *d, const char *path,
    enum tyst_input_format fmt, enum tyst_input_enc enc, int flags,
    struct tyst_err *err);
/* The same over a copy of a buffer. */
int tyst_input_from_mem(struct tyst_input *d, const char *name, const char *p,
    size_t len, enum tyst_input_format fmt, enum tyst_input_enc enc,
    struct tyst_err *err);
void tyst_input_free(struct tyst_input *d);

/* Whether the view is the file itself (UTF-8 text, no BOM to drop): tools
 * may then stream the file as they always did. */
int tyst_input_is_plain(const struct tyst_input *d);

/*
 * Whether the file at path needs the format layer: it is not plain UTF-8
 * text, judged from its first bytes (a BOM, a signature, bytes that are not
 * UTF-8).  Standard input is never sniffed (it cannot be read twice): 0.
 * Returns 1, 0, or -1 when the file cannot be read.
 */
int tyst_input_sniff_path(const char *path, struct tyst_err *err);

/* The byte offset in the file as read of view offset off, where a text
 * starting at off starts; tyst_input_src_end where one ending at off ends. */
uint64_t tyst_input_src(const struct tyst_input *d, size_t off);
uint64_t tyst_input_src_end(const struct tyst_input *d, size_t off);

/* View line n (1-based): [*start, *end) without its line end, *eol bytes
 * of line end after it; -1 when out of range. */
int tyst_input_line(const struct tyst_input *d, size_t n, size_t *start,
    size_t *end, size_t *eol);

/* The view as a tyst_text (a copy), for tools that load whole texts. */
int tyst_input_text(const struct tyst_input *d, struct tyst_text *t,
    struct tyst_err *err);

/*
 * Loads any transcript into a tyst_text holding its view: the format
 * layer's stand-in for tyst_text_load.  file_sha (unless NULL) receives the
 * sha256 of the file as read.  With TYST_IN_TIMES each cue's first line
 * opens with its start time, "[00:12:31] ", as a transcript's time codes
 * do, so that what is cut from it can say where in the recording it is.
 */
#define TYST_IN_TIMES 1
int tyst_input_text_load(struct tyst_text *t, const char *path, int flags,
    char file_sha[65], struct tyst_err *err);

/*
 * Writes a copy of the document whose view is view[0..len) instead of its
 * own, in the document's format and encoding, into a malloc'd *out.  The
 * new view must have the same lines outside the text (the same number of
 * lines, the same marks); a character the encoding cannot hold is an
 * error naming it.
 */
int tyst_input_write(const struct tyst_input *d, const char *view, size_t len,
    char **out, size_t *outlen, struct tyst_err *err);

/* Whether the document (ctx) can be written holding s: 0 for a name with a
 * letter Windows-1252 lacks in a Windows-1252 file. */
int tyst_input_holds(const char *s, void *ctx);

/* ---- for tools that stream: the view staged in a temporary file -------- */

/*
 * Tools built on the streaming reader (tyst-pseudo reads each input twice)
 * read a document's view from an unlinked temporary file instead of the
 * document, and write their output into another; tyst_input_stage_emit then
 * turns that output into the document's format.  A plain UTF-8 text is
 * not staged: path is then the input's own.
 */
struct tyst_input_stage {
	int active;                     /* the input is not plain text */
	struct tyst_input doc;
	FILE *view;                     /* the view, read by the tool */
	FILE *out;                      /* the tool's output view */
	const char *path;               /* what the tool opens */
	char fdpath[64];
};

/* Prepares path (sniffed unless forced), called name in messages (NULL:
 * path); path "-" is not staged. */
int tyst_input_stage_open(struct tyst_input_stage *s, const char *path,
    const char *name, enum tyst_input_format fmt, enum tyst_input_enc enc,
    struct tyst_err *err);
/* The file the tool's output view goes into (a new temporary file). */
FILE *tyst_input_stage_output(struct tyst_input_stage *s, struct tyst_err *err);
/* Writes the output view, in the document's format, to out; sha (unless
 * NULL) receives the sha256 of what was written. */
int tyst_input_stage_emit(struct tyst_input_stage *s, FILE *out, char sha[65],
    struct tyst_err *err);
void tyst_input_stage_close(struct tyst_input_stage *s);

/* ---- for the format modules ------------------------------------------- */

int tyst_enc_decode(struct tyst_input *d, enum tyst_input_enc force,
    struct tyst_err *err);
int tyst_enc_encode(const struct tyst_input *d, const char *u, size_t ulen,
    char **out, size_t *outlen, struct tyst_err *err);
/* Whether u[0..len) (a view) opens like WebVTT or SRT. */
enum tyst_input_format tyst_cue_sniff(const char *u, size_t len);
/* Builds d->view and d->segs from d->u. */
int tyst_cue_view(struct tyst_input *d, struct tyst_err *err);
/* Builds the view of a .docx or .odt (d->format) from d->raw. */
int tyst_zip_view(struct tyst_input *d, struct tyst_err *err);

#endif
