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
 * its part and paragraph) and written: each changed line's text goes back
 * into the XML nodes it came from, every other part of the zip as it was.
 * Before a tool changes such a file it scrubs what the file stores about
 * people (tyst_input_scrub); the writer then tells which parts differ from
 * the file as read (their original bytes, for the key), and a reversal
 * puts those parts back (tyst_input_restore).  A .docm is read but never
 * written: it holds macros.  Files tyst cannot read (Word .doc, RTF, PDF,
 * Pages) are refused with the command that converts them on Debian.
 *
 * The lines of each module: lib/formats/input.c (this interface, sniffing, the
 * writer's alignment), lib/formats/inputenc.c (encodings), lib/formats/inputcue.c (WebVTT and
 * SRT), lib/formats/inputdocx.c (Word and OpenDocument read, and the tree
 * a changed line goes back through), lib/formats/inputzip.c (Word and
 * OpenDocument written, their changed parts told and restored),
 * lib/formats/inputscrub.c (what they store about people, scrubbed),
 * lib/formats/inputstage.c (for streaming tools).
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
	int macros;                     /* a .docm: Word macros inside */
	char *orig;                     /* the file as read, when raw is its
	                                 * scrubbed copy */
	size_t origlen;
};

/* Parts of a zip: written over (data), dropped (data NULL), or, as a
 * writer's account of what it changed, the original bytes of each part
 * with the sha256 of what replaced them ("" when dropped). */
struct tyst_input_part {
	char *name;
	char *data;
	size_t len;
	char sha[65];
};

struct tyst_input_parts {
	struct tyst_input_part *v;
	size_t n;
};

/* Appends a copy of data[0..len) (NULL: a dropped part) named name; sha
 * may be NULL.  -1 when out of memory. */
int tyst_input_parts_add(struct tyst_input_parts *p, const char *name,
    const char *data, size_t len, const char *sha);
void tyst_input_parts_free(struct tyst_input_parts *p);

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

/*
 * Word and OpenDocument: replaces what the file stores about people with
 * neutral values and rebuilds the view of the result (the file as read is
 * kept in d->orig).  Removed: the author and last editor (docProps/core.xml,
 * meta.xml, with ODF's printed-by), custom properties (docProps/custom.xml,
 * meta:user-defined), the template's path (w:attachedTemplate and its
 * relationship, meta:template), app.xml's company and manager, people.xml's
 * account ids, the thumbnail (with its relationship, content type or
 * manifest entry).  Comment and revision authors (w:author, dc:creator)
 * become "Författare 1", "Författare 2", … in order of first appearance,
 * their initials "F1", "F2", ….  Refuses a .docm (it holds macros).  Other
 * formats are left as they are.
 */
int tyst_input_scrub(struct tyst_input *d, struct tyst_err *err);

/*
 * For a word processor's file d written as out[0..outlen): the parts of the
 * file as read (d->orig, else d->raw) that out does not hold byte for byte,
 * with their original bytes, into *ch (empty for other formats).
 */
int tyst_input_changes(const struct tyst_input *d, const char *out,
    size_t outlen, struct tyst_input_parts *ch, struct tyst_err *err);

/*
 * Reversal of a word processor's file: d is the file tyst-pseudo wrote,
 * *out (outlen) what tyst_input_write made of it with the original text,
 * saved what tyst_input_changes said when it was written.  Each saved part
 * that d still holds as written (its sha256) gets its original bytes back,
 * and a dropped part comes back; a part changed since is left as written.
 * The result, scrubbed again, must read as view[0..vlen): else an error.
 * *out is replaced.
 */
int tyst_input_restore(const struct tyst_input *d,
    const struct tyst_input_parts *saved, const char *view, size_t vlen,
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
	/* word processors: what emit changed (the parts' original bytes) when
	 * the stage was opened with TYST_STAGE_SCRUB; the saved parts to put
	 * back (a reversal), set by the tool before emit */
	struct tyst_input_parts changed;
	const struct tyst_input_parts *restore;
	int scrubbed;                   /* opened with TYST_STAGE_SCRUB */
};

#define TYST_STAGE_SCRUB 1

/* Prepares path (sniffed unless forced), called name in messages (NULL:
 * path); path "-" is not staged. */
int tyst_input_stage_open(struct tyst_input_stage *s, const char *path,
    const char *name, enum tyst_input_format fmt, enum tyst_input_enc enc,
    struct tyst_err *err);
/* The same; with TYST_STAGE_SCRUB a word processor's file is scrubbed
 * (tyst_input_scrub) before its view is staged. */
int tyst_input_stage_open_flags(struct tyst_input_stage *s, const char *path,
    const char *name, enum tyst_input_format fmt, enum tyst_input_enc enc,
    int flags, struct tyst_err *err);
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
/* Writes a .docx or .odt whose view is view[0..len) (tyst_input_write). */
int tyst_zip_write(const struct tyst_input *d, const char *view, size_t len,
    char **out, size_t *outlen, struct tyst_err *err);

/* The zip of a word processor's file, opened read-only within tyst's
 * limits on parts; NULL with err set (file names the file). */
struct zip;
struct zip *tyst_zip_open(const char *raw, size_t len, const char *file,
    struct tyst_err *err);
/* One part read whole within the limits on size: 1, 0 when absent, -1. */
int tyst_zip_part(struct zip *za, const char *name, char **data, size_t *len,
    const char *file, struct tyst_err *err);
/* raw's zip with the parts of repl written over, added or dropped, every
 * other entry copied as it was. */
int tyst_zip_rewrite(const char *raw, size_t rawlen,
    const struct tyst_input_parts *repl, char **out, size_t *outlen,
    const char *file, struct tyst_err *err);
/* An XML part parsed (no DOCTYPE, no network); NULL with err set. */
struct _xmlDoc;
struct _xmlDoc *tyst_zip_xml_parse(const char *p, size_t len,
    const char *name, const char *file, struct tyst_err *err);

/* A word processor's file parsed, each view line knowing the XML nodes
 * its text came from: the writer puts changed lines back through it. */
struct tyst_zip_tree;
struct tyst_zip_tree *tyst_zip_tree_open(const struct tyst_input *d,
    struct tyst_err *err);
/* Line line (0-based) becomes n[0..nl) (no line end). */
int tyst_zip_tree_line(struct tyst_zip_tree *t, size_t line, const char *n,
    size_t nl, struct tyst_err *err);
/* The parts a changed line touched, serialised, appended to *out. */
int tyst_zip_tree_parts(struct tyst_zip_tree *t, struct tyst_input_parts *out,
    struct tyst_err *err);
void tyst_zip_tree_free(struct tyst_zip_tree *t);

#endif
