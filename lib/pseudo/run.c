/*
 * run — a pseudonymisation run (see include/tyst/pseudorun.h): the two
 * passes over the inputs, the order of commits, the output directory's
 * manifest and rescan rules, and reversal.  Detection is lib/detect/detect.c,
 * the choice and writing of replacements lib/pseudo/pseudonym.c, the key
 * lib/pseudo/keystore.c.
 *
 * Each document is one key transaction.  The output is written to a
 * temporary file beside its target; the key transaction stays open while
 * it is renamed into place (the manifest with it) and is committed last.
 * Should the commit fail, the previous output and manifest are put back, so
 * a document's output and its key entries appear together or not at all.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tyst/clock.h"
#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/docparts.h"
#include "tyst/gate.h"
#include "tyst/input.h"
#include "tyst/json.h"
#include "tyst/keystore.h"
#include "tyst/outfile.h"
#include "tyst/pseudonym.h"
#include "tyst/pseudorun.h"
#include "tyst/revfile.h"
#include "tyst/rules.h"
#include "tyst/sha256.h"
#include "tyst/strv.h"
#include "tyst/text.h"

#define MANIFEST "tyst-pseudo-manifest.jsonl"
#define RESCAN "tyst-pseudo-rules.yaml"

/* ---- messages, through the caller ----------------------------------------- */

static void
tell(const struct tyst_pseudorun_cb *cb, const struct tyst_err *err)
{
	if (cb != NULL && cb->say != NULL)
		cb->say(0, err, cb->ctx);
}

static void say(const struct tyst_pseudorun_cb *cb, int warning,
    const char *file, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
say(const struct tyst_pseudorun_cb *cb, int warning, const char *file,
    size_t line, size_t col, const char *fmt, ...)
{
	struct tyst_err err;
	va_list ap;

	snprintf(err.file, sizeof(err.file), "%s", file ? file : "");
	err.line = line;
	err.col = col;
	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	if (cb != NULL && cb->say != NULL)
		cb->say(warning, &err, cb->ctx);
}

static void progress(const struct tyst_pseudorun_cb *cb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
progress(const struct tyst_pseudorun_cb *cb, const char *fmt, ...)
{
	char line[640];
	va_list ap;

	if (cb == NULL || cb->progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	cb->progress(line, cb->ctx);
}

static void
progress_done(const struct tyst_pseudorun_cb *cb)
{
	if (cb != NULL && cb->progress != NULL)
		cb->progress(NULL, cb->ctx);
}

/* The stream without an output directory, flushed; a closed pipe is no
 * error (the reader wanted no more). */
static int
flush_out(FILE *f, struct tyst_err *err)
{
	if (fflush(f) == 0 && !ferror(f))
		return 0;
	if (errno == EPIPE)
		return 0;
	return tyst_err_set(err, "<stdout>", 0, 0, "write failed: %s",
	    strerror(errno));
}

/* A finding the run left as it was, at its output offsets. */
struct left {
	uint64_t start, end;
	const char *category;           /* owned by the rule set */
	const char *why;                /* "confidence" or "keep" */
};

struct run {
	struct tyst_pseudorun_opts *o;
	const struct tyst_pseudorun_cb *cb;
	const struct tyst_rules *rules;
	const struct tyst_pseudo_conf *conf;
	struct tyst_key *key;
	struct tyst_pseudo *p;
	struct tyst_outfile report;
	FILE *rep;                      /* the report, or NULL */
	FILE *spill;                    /* findings of the first pass */
	const char *in_name;            /* the input, for messages */
	const char *out_name;           /* the document's name in the key */
	const struct tyst_input *doc;     /* the input, when not plain text */
	long changes;
	/* Of the current document, for the manifest: what was left and the
	 * pseudonyms handed out (no original is ever among them). */
	struct left *left;
	size_t nleft, capleft;
	char **ps;
	size_t nps, capps;
	int oom;
	size_t written;                 /* outputs committed into -o */
	char **outs;                    /* their names, for pseudonymised
	                                 * names that would meet */
	size_t nouts;
	struct tyst_strtab asked;       /* undecided words left as they are
	                                 * (--undecided=keep) */
};

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* ---- the key's place ----------------------------------------------------- */

/* The real path of a file that may not exist yet: its directory's. */
static int
real_parent(const char *path, char *out)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	char tmp[PATH_MAX];

	if (realpath(path, out) != NULL)
		return 0;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (realpath(dir, tmp) == NULL)
		return -1;
	snprintf(out, PATH_MAX, "%.*s/%s", PATH_MAX / 2, tmp, base_name(path));
	return 0;
}

static int
inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int
check_key_place(const struct tyst_pseudorun_opts *o,
    const struct tyst_pseudorun_cb *cb)
{
	char key[PATH_MAX], out[PATH_MAX];

	if (o->outdir == NULL)
		return 0;
	if (real_parent(o->key_path, key) < 0) {
		say(cb, 0, o->key_path, 0, 0, "%s", strerror(errno));
		return -1;
	}
	if (realpath(o->outdir, out) == NULL) {
		say(cb, 0, o->outdir, 0, 0, "output directory: %s",
		    strerror(errno));
		return -1;
	}
	if (inside(key, out)) {
		say(cb, 0, o->key_path, 0, 0, "the key lies inside the output "
		    "directory %s: keep it apart from the pseudonymised files",
		    o->outdir);
		return -1;
	}
	return 0;
}

/* ---- the first pass: every original of the run ------------------------- */

/*
 * The first pass detects, notes each original (so no pseudonym is chosen
 * equal to one) and spills the findings to a temporary file; the second
 * pass reads them back instead of detecting again.  The records hold
 * pointers into the rule set, which lives as long as the process.  Memory
 * stays flat however large the input; the spill file grows with the number
 * of findings.
 */
struct input {
	const char *path;       /* to open */
	const char *name;       /* for messages */
	long spill_off;         /* its first finding in the spill file */
	uint64_t nfind;
	char sha[65];           /* of the input as the first pass read it */
	struct tyst_input_stage stage;    /* what the passes read */
};

struct note_ctx {
	struct run *r;
	struct input *in;
	struct tyst_err *err;
	struct tyst_sha256 *sha;
};

static int
note_finding(const struct tyst_finding *f, void *ctx)
{
	struct note_ctx *n = ctx;
	struct tyst_finding g;

	if (f->confidence != TYST_CERTAIN && n->r->asked.n > 0 &&
	    tyst_strtab_get(&n->r->asked, f->text,
	    (size_t)(f->base_end - f->start)) != NULL)
		return 0;       /* undecided, and --undecided=keep */
	/* A finding below the threshold is spilled too, so the manifest can
	 * say where the run left it. */
	if (f->confidence <= n->r->o->min_conf &&
	    tyst_pseudo_note(n->r->p, f, n->err) < 0)
		return 1;
	/* Field by field over zeros: a struct copy would write the
	 * padding's stale bytes into the file. */
	memset(&g, 0, sizeof(g));
	g.start = f->start;
	g.end = f->end;
	g.base_end = f->base_end;
	g.line = f->line;
	g.col = f->col;
	g.category = f->category;
	g.source = f->source;
	g.confidence = f->confidence;
	g.attrs = f->attrs;
	if (fwrite(&g, sizeof(g), 1, n->r->spill) != 1) {
		tyst_err_set(n->err, n->in->name, f->line, f->col, "cannot "
		    "write the temporary file of findings: %s",
		    strerror(errno));
		return 1;
	}
	n->in->nfind++;
	return 0;
}

/* The input's bytes, line by line, into a running sha256. */
static int
hash_line(const struct tyst_line *ln, int had_bom, void *ctx)
{
	struct note_ctx *nc = ctx;

	/* Once: a long line comes in parts (text.h). */
	if (ln->lineno == 1 && ln->off == 3 && had_bom)
		tyst_sha256_update(nc->sha, "\xef\xbb\xbf", 3);
	tyst_sha256_update(nc->sha, ln->p, ln->len + ln->eol);
	if ((ln->lineno & 0xffff) == 0)
		progress(nc->r->cb, "%s: %llu MB (reading)", nc->in->name,
		    (unsigned long long)(ln->off >> 20));
	return 0;
}

/* The input through the format layer when it is not plain UTF-8 text. */
static int
stage_input(const struct tyst_pseudorun_opts *o, struct input *in,
    const struct tyst_pseudorun_cb *cb)
{
	struct tyst_err err;

	/* A word processor's file is scrubbed of what it stores about people
	 * before its text is read (a .docm, with macros, is refused). */
	if (tyst_input_stage_open_flags(&in->stage, in->path, in->name,
	    o->in_fmt, o->in_enc, TYST_STAGE_SCRUB, &err) < 0) {
		tell(cb, &err);
		return -1;
	}
	return 0;
}

static int
note_file(struct run *r, struct input *in)
{
	struct tyst_reader rd;
	struct tyst_detector *d;
	struct tyst_err err;
	struct tyst_sha256 sha;
	struct note_ctx nc = { r, in, &err, &sha };
	struct tyst_stream_fns fns = { hash_line, note_finding, &nc };
	int rc;

	if (tyst_reader_open(&rd, in->stage.path, &err) < 0) {
		tell(r->cb, &err);
		return -1;
	}
	rd.name = in->name;
	if ((d = tyst_detector_new(r->rules)) == NULL) {
		tyst_reader_close(&rd);
		say(r->cb, 0, in->name, 0, 0, "out of memory");
		return -1;
	}
	in->spill_off = ftell(r->spill);
	in->nfind = 0;
	if (tyst_pseudo_note_doc(r->p, in->name, &err) < 0) {
		tell(r->cb, &err);
		tyst_detector_free(d);
		tyst_reader_close(&rd);
		return -1;
	}
	tyst_sha256_init(&sha);
	err.msg[0] = '\0';
	rc = tyst_detect_stream(d, &rd, &fns, r->o->jobs, &err);
	progress_done(r->cb);
	if (rc == 0 && rd.had_bom && rd.lineno == 0)
		tyst_sha256_update(&sha, "\xef\xbb\xbf", 3);
	tyst_sha256_final_hex(&sha, in->sha);
	tyst_detector_free(d);
	tyst_reader_close(&rd);
	if (rc != 0) {
		if (err.msg[0] == '\0')
			tyst_err_set(&err, in->name, 0, 0, "out of memory");
		tell(r->cb, &err);
		return -1;
	}
	return 0;
}

/* Spellings one letter apart: the user decides whether they are one. */
static void
say_proposal(const char *doc, const char *a, const char *b, void *ctx)
{
	say((const struct tyst_pseudorun_cb *)ctx, 1, doc, 0, 0, "'%s' and '%s' may be one person: if so, add "
	    "same-person: [[%s, %s]] to the rules", a, b, a, b);
}

/* ---- the second pass: rewriting ----------------------------------------- */

struct fvec {
	struct tyst_finding *v;
	size_t n, cap;
};

static int
fvec_add(struct fvec *fv, const struct tyst_finding *f)
{
	if (fv->n == fv->cap) {
		size_t nc = fv->cap ? fv->cap * 2 : 16;
		struct tyst_finding *nv = realloc(fv->v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		fv->v = nv;
		fv->cap = nc;
	}
	fv->v[fv->n++] = *f;
	return 0;
}

/* Of findings that overlap, the longest is kept (the first of equals):
 * "Rolf Engström" over "Rolf". */
static size_t
resolve_overlaps(struct tyst_finding *v, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		if (out > 0 && v[i].start < v[out - 1].end) {
			if (v[i].end - v[i].start > v[out - 1].end -
			    v[out - 1].start && (out < 2 || v[i].start >=
			    v[out - 2].end))
				v[out - 1] = v[i];
			continue;
		}
		v[out++] = v[i];
	}
	return out;
}

static int
file_write(const char *s, size_t n, void *ctx)
{
	FILE *f = ctx;

	if (f == NULL)
		return 0;       /* a dry run */
	if (fwrite(s, 1, n, f) != n)
		return -1;
	return 0;
}

/* An output file of the rewriter: written back to disk every WRITEBACK
 * bytes, so committing a large output waits for little. */
#define WRITEBACK (16 << 20)

struct out_file {
	FILE *fp;
	size_t since;           /* bytes since the last writeback */
};

static int
out_write(const char *s, size_t n, void *ctx)
{
	struct out_file *o = ctx;

	if (file_write(s, n, o->fp) < 0)
		return -1;
	if (o->fp != NULL && (o->since += n) >= WRITEBACK) {
		tyst_outfile_writeback(o->fp);
		o->since = 0;
	}
	return 0;
}

/* ---- what the manifest records of a document ---------------------------- */

static void
doc_record_reset(struct run *r)
{
	for (size_t i = 0; i < r->nps; i++)
		free(r->ps[i]);
	r->nps = 0;
	r->nleft = 0;
	r->oom = 0;
}

static void
doc_record_free(struct run *r)
{
	doc_record_reset(r);
	free(r->ps);
	free(r->left);
	tyst_strv_free(r->outs, r->nouts);
}

static void
left_add(struct run *r, uint64_t start, uint64_t end, const char *category,
    const char *why)
{
	struct left *v;

	if (r->nleft == r->capleft) {
		size_t cap = r->capleft ? r->capleft * 2 : 16;

		if ((v = realloc(r->left, cap * sizeof(*v))) == NULL) {
			r->oom = 1;
			return;
		}
		r->left = v;
		r->capleft = cap;
	}
	v = &r->left[r->nleft++];
	v->start = start;
	v->end = end;
	v->category = category;
	v->why = why;
}

/* A pseudonym handed out, once per document. */
static void
ps_add(struct run *r, const char *s, size_t n)
{
	char **v;

	if (n == 0)
		return;
	for (size_t i = 0; i < r->nps; i++)
		if (strlen(r->ps[i]) == n && memcmp(r->ps[i], s, n) == 0)
			return;
	if (r->nps == r->capps) {
		size_t cap = r->capps ? r->capps * 2 : 16;

		if ((v = realloc(r->ps, cap * sizeof(*v))) == NULL) {
			r->oom = 1;
			return;
		}
		r->ps = v;
		r->capps = cap;
	}
	if ((r->ps[r->nps] = strndup(s, n)) == NULL) {
		r->oom = 1;
		return;
	}
	r->nps++;
}

/* The region of a generalisation, "Norrland" of "[kommun A i Norrland]",
 * or the country a level keeps, "Irak" of "[Irak]". */
static void
note_region(struct run *r, const char *t, const char *e)
{
	const char *i;

	if (e - t < 3 || t[0] != '[' || e[-1] != ']')
		return;
	for (i = t; i + 3 <= e; i++)
		if (memcmp(i, " i ", 3) == 0)
			break;
	if (i + 3 < e)
		ps_add(r, i + 3, (size_t)(e - 1 - (i + 3)));
	else if (memchr(t, ' ', (size_t)(e - t)) == NULL)
		ps_add(r, t + 1, (size_t)(e - t - 2));
}

/*
 * The words a later scan could take for identifiers: a fictitious name
 * whole and word by word ("Jonas Berg", "Jonas", "Berg"), a role code, and
 * the region of a generalisation ("Norrland" of "[kommun i Norrland]").
 * Placeholders and redactions are no names.
 */
static void
note_pseudonym(struct run *r, const struct tyst_replacement *rp)
{
	const char *t = rp->text, *e = rp->text + rp->text_len, *w;

	/* A place the strategy name could not give a fictitious name (a
	 * place abroad) is generalised. */
	if (rp->strategy == TYST_S_NAME && rp->text_len > 0 && t[0] == '[') {
		note_region(r, t, e);
		return;
	}
	switch (rp->strategy) {
	case TYST_S_NAME:
		ps_add(r, t, rp->text_len);
		for (w = t; w < e; ) {
			const char *sp = memchr(w, ' ', (size_t)(e - w));

			if (sp == NULL)
				sp = e;
			if (w != t || sp != e)
				ps_add(r, w, (size_t)(sp - w));
			w = sp + 1;
		}
		break;
	case TYST_S_ROLE:
		ps_add(r, t, rp->text_len);
		break;
	case TYST_S_GENERALISE:
		note_region(r, t, e);
		break;
	default:
		break;
	}
}

static void
on_replace(const struct tyst_replacement *rp, void *ctx)
{
	struct run *r = ctx;
	const struct tyst_finding *f = rp->finding;

	note_pseudonym(r, rp);
	r->changes++;
	if (r->o->dry_run) {
		struct tyst_pseudorun_change c;
		char buf[64];
		const char *t = f->text;
		size_t n = (size_t)(f->end - f->start);

		/* A dry run's listing is no place for a whole personnummer. */
		if (!r->o->show && ((f->source != NULL &&
		    strcmp(f->source, "pnr") == 0) ||
		    strcmp(f->category, "PNR") == 0) && n < sizeof(buf)) {
			int left = 4;

			memcpy(buf, f->text, n);
			for (size_t i = n; i > 0 && left > 0; i--)
				if (buf[i - 1] >= '0' && buf[i - 1] <= '9') {
					buf[i - 1] = '*';
					left--;
				}
			t = buf;
		}
		c.file = r->in_name;
		c.line = f->line;
		c.col = f->col;
		c.category = f->category;
		c.text = t;
		c.text_len = n;
		c.repl = rp->text;
		c.repl_len = rp->text_len;
		if (r->cb->listing != NULL)
			r->cb->listing(&c, r->cb->ctx);
	}
	if (r->rep != NULL) {
		fputs("{\"file\":", r->rep);
		tyst_json_cstr(r->rep, r->out_name);
		fprintf(r->rep, ",\"start\":%llu,\"end\":%llu,\"category\":",
		    (unsigned long long)(r->doc != NULL ? tyst_input_src(r->doc,
		    (size_t)rp->in_start) : rp->in_start),
		    (unsigned long long)(r->doc != NULL ? tyst_input_src_end(r->doc,
		    (size_t)rp->in_end) : rp->in_end));
		tyst_json_cstr(r->rep, f->category);
		fprintf(r->rep, ",\"key_id\":%lld", (long long)rp->entry);
		if (rp->note != NULL) {
			fputs(",\"note\":", r->rep);
			tyst_json_cstr(r->rep, rp->note);
		}
		fputs("}\n", r->rep);
	}
}

/* Moves the findings below the run's threshold from fv to low (cleared
 * first), both keeping text order. */
static int
split_low(const struct run *r, struct fvec *fv, struct fvec *low)
{
	size_t out = 0;

	low->n = 0;
	for (size_t i = 0; i < fv->n; i++) {
		if (fv->v[i].confidence <= r->o->min_conf)
			fv->v[out++] = fv->v[i];
		else if (fvec_add(low, &fv->v[i]) < 0)
			return -1;
	}
	fv->n = out;
	return 0;
}

/* Of the findings left below the threshold, those a replaced one covers
 * are replaced with it; the rest are left in the output.  Returns how many
 * remain (at the front of low). */
static size_t
drop_covered(struct fvec *low, const struct tyst_finding *rep, size_t n)
{
	size_t out = 0, m = resolve_overlaps(low->v, low->n);

	for (size_t k = 0; k < m; k++) {
		int covered = 0;

		for (size_t i = 0; i < n && !covered; i++)
			covered = low->v[k].start < rep[i].end &&
			    rep[i].start < low->v[k].end;
		if (!covered)
			low->v[out++] = low->v[k];
	}
	low->n = out;
	return out;
}

/* The decisions of the review on single occurrences of this line. */
static int
apply_occs(struct run *r, const struct tyst_rule_occ *o, size_t no,
    const struct tyst_line *ln, struct fvec *fv)
{
	size_t need = fv->n + tyst_occs_in_line(o, no, ln);

	if (need > fv->cap) {
		struct tyst_finding *nv = realloc(fv->v, need * sizeof(*nv));

		if (nv == NULL)
			return -1;
		fv->v = nv;
		fv->cap = need;
	}
	for (size_t i = 0; i < fv->n; i++)
		fv->v[i].text = ln->p + (fv->v[i].start - ln->off);
	fv->n = tyst_occs_apply(r->rules, o, no, ln, fv->v, fv->n);
	return 0;
}

/* Streams one input through the rewriter, with the findings of the first
 * pass. */
static int
rewrite(struct run *r, struct input *in, FILE *out, char sha[65],
    struct tyst_err *err)
{
	struct tyst_reader rd;
	struct tyst_line ln;
	struct fvec fv = { NULL, 0, 0 }, low = { NULL, 0, 0 };
	struct tyst_finding next;
	size_t nlow;
	struct out_file of = { out, 0 };
	FILE *doc_out = NULL;
	char insum[65];
	uint64_t pos = 0, left = in->nfind;
	int rc, failed = 0, have = 0;
	const struct tyst_rule_occ *occs;
	size_t nocc = tyst_rules_occs(r->rules, in->sha, &occs);

	doc_record_reset(r);
	if (fseek(r->spill, in->spill_off, SEEK_SET) < 0)
		return tyst_err_set(err, in->name, 0, 0, "temporary file of "
		    "findings: %s", strerror(errno));
	r->doc = in->stage.active ? &in->stage.doc : NULL;
	tyst_pseudo_set_holds(r->p, tyst_input_holds, (void *)r->doc);
	if (in->stage.active && out != NULL) {
		doc_out = out;
		if ((out = tyst_input_stage_output(&in->stage, err)) == NULL)
			return -1;
		of.fp = out;
	}
	if (tyst_reader_open(&rd, in->stage.path, err) < 0)
		return -1;
	rd.name = in->name;
	/* The windows of the first pass (tyst_detect_stream()'s), so each
	 * finding lies within the part it starts in. */
	tyst_reader_windows(&rd, TYST_WINDOW, TYST_OVERLAP);
	if (tyst_pseudo_begin(r->p, r->out_name, out_write, &of, err) < 0) {
		tyst_reader_close(&rd);
		return -1;
	}
	while ((rc = tyst_reader_next(&rd, &ln, err)) > 0) {
		/* The end of what this part adds (all of a whole line). */
		uint64_t lend = ln.off + rd.part.lead + rd.part.own + ln.eol;
		size_t n;

		fv.n = 0;
		for (;;) {
			if (!have && left > 0) {
				if (fread(&next, sizeof(next), 1, r->spill) != 1) {
					tyst_err_set(err, in->name, 0, 0, "temporary "
					    "file of findings: read error");
					failed = 1;
					break;
				}
				have = 1;
				left--;
			}
			if (!have || next.start >= lend)
				break;
			if (fvec_add(&fv, &next) < 0) {
				tyst_err_set(err, in->name, ln.lineno, 0,
				    "out of memory");
				failed = 1;
				break;
			}
			have = 0;
		}
		if (failed)
			break;
		if (split_low(r, &fv, &low) < 0) {
			tyst_err_set(err, in->name, ln.lineno, 0,
			    "out of memory");
			failed = 1;
			break;
		}
		if (pos == 0 && ln.off == 3 && rd.had_bom) {
			if (tyst_pseudo_copy(r->p, "\xef\xbb\xbf", 3, err) < 0) {
				failed = 1;
				break;
			}
			pos = 3;
		}
		if (nocc > 0 && apply_occs(r, occs, nocc, &ln, &fv) < 0) {
			tyst_err_set(err, in->name, ln.lineno, 0,
			    "out of memory");
			failed = 1;
			break;
		}
		n = resolve_overlaps(fv.v, fv.n);
		nlow = drop_covered(&low, fv.v, n);
		for (size_t i = 0, k = 0; (i < n || k < nlow) && !failed; ) {
			struct tyst_finding *f;
			int keep;

			/* The replaced and the left, in text order. */
			if (k < nlow && (i == n || low.v[k].start < fv.v[i].start))
				f = &low.v[k++];
			else
				f = &fv.v[i++];
			keep = f->confidence > r->o->min_conf;
			if (f->start < pos || f->start < ln.off ||
			    f->end > ln.off + ln.len) {
				tyst_err_set(err, in->name, ln.lineno, f->col,
				    "the file changed while it was read");
				failed = 1;
				break;
			}
			f->text = ln.p + (f->start - ln.off);
			if (tyst_pseudo_copy(r->p, ln.p + (pos - ln.off),
			    (size_t)(f->start - pos), err) < 0) {
				failed = 1;
				break;
			}
			if (!keep && tyst_pseudo_conf_strategy(r->conf,
			    f->category) == TYST_S_KEEP)
				keep = 2;
			if (keep) {
				uint64_t o0 = tyst_pseudo_out_len(r->p);

				left_add(r, o0, o0 + (f->end - f->start),
				    f->category, keep == 1 ? "confidence" :
				    "keep");
				if (tyst_pseudo_copy(r->p, f->text,
				    (size_t)(f->end - f->start), err) < 0)
					failed = 1;
			} else if (tyst_pseudo_replace(r->p, f, err) < 0)
				failed = 1;
			pos = f->end;
		}
		if (failed)
			break;
		/* A finding may end in the next part's bytes. */
		if (pos < lend && tyst_pseudo_copy(r->p, ln.p + (pos - ln.off),
		    (size_t)(lend - pos), err) < 0) {
			failed = 1;
			break;
		}
		if (pos < lend)
			pos = lend;
		if ((ln.lineno & 0xffff) == 0)
			progress(r->cb, "%s: %llu MB (writing)", in->name,
			    (unsigned long long)(ln.off >> 20));
	}
	progress_done(r->cb);
	if (rc < 0)
		failed = 1;
	if (!failed && pos == 0 && rd.had_bom &&
	    tyst_pseudo_copy(r->p, "\xef\xbb\xbf", 3, err) < 0)
		failed = 1;
	/* The rewriter hashed what it was given: the same bytes as the first
	 * pass, or the file changed in between. */
	if (!failed && tyst_pseudo_end(r->p, sha, insum, err) < 0)
		failed = 1;
	if (!failed && (have || left > 0 || strcmp(insum, in->sha) != 0)) {
		tyst_err_set(err, in->name, 0, 0, "the file changed while it "
		    "was read; nothing was written");
		failed = 1;
	}
	/* The output view into the document's own format. */
	if (!failed && doc_out != NULL &&
	    tyst_input_stage_emit(&in->stage, doc_out, sha, err) < 0)
		failed = 1;
	/* A word processor's parts as they were, for --reverse. */
	if (!failed && in->stage.changed.n > 0 && tyst_docparts_keep(r->key,
	    tyst_pseudo_doc(r->p), &in->stage.changed, err) < 0)
		failed = 1;
	r->doc = NULL;
	/* The output stage may still hold a pointer to of. */
	if (!failed && r->oom) {
		tyst_err_set(err, in->name, 0, 0, "out of memory");
		failed = 1;
	}
	if (failed)
		tyst_pseudo_abandon(r->p);
	free(fv.v);
	free(low.v);
	tyst_reader_close(&rd);
	return failed ? -1 : 0;
}

/* ---- committing ------------------------------------------------------------ */

/* A hard link to path, so a replaced file can be put back. */
static char *
keep_old(const char *path, struct tyst_err *err, int *had)
{
	size_t n = strlen(path) + 32;
	char *old = malloc(n);

	*had = 0;
	if (old == NULL) {
		tyst_err_set(err, path, 0, 0, "out of memory");
		return NULL;
	}
	snprintf(old, n, "%s.tyst-old.%ld", path, (long)getpid());
	unlink(old);
	if (link(path, old) == 0) {
		*had = 1;
		return old;
	}
	if (errno == ENOENT)
		return old;
	tyst_err_set(err, path, 0, 0, "cannot keep the previous version: %s",
	    strerror(errno));
	free(old);
	return NULL;
}

static void
put_back(const char *path, const char *old, int had)
{
	if (had)
		rename(old, path);
	else
		unlink(path);
}

/* Is line the manifest line of file name? */
static int
manifest_line_of(const char *line, const char *name)
{
	char want[PATH_MAX + 16];
	FILE *m = fmemopen(want, sizeof(want), "w");

	if (m == NULL)
		return 0;
	fputs("{\"file\":", m);
	tyst_json_cstr(m, name);
	fputc(',', m);
	fputc('\0', m);
	fclose(m);
	return strncmp(line, want, strlen(want)) == 0;
}

/*
 * What the run did to the document: its threshold, the findings it left
 * (output offsets, category and why, never their text) and the pseudonyms
 * it handed out.  tyst-code import trusts the output only so far: it scans
 * it and lets through just these pseudonyms.
 */
static void
manifest_record(const struct run *r, FILE *f)
{
	fputs(",\"confidence\":", f);
	tyst_json_cstr(f, tyst_confidence_name(r->o->min_conf));
	fputs(",\"left\":", f);
	tyst_put_u64(f, r->nleft);
	fputs(",\"left_at\":[", f);
	for (size_t i = 0; i < r->nleft; i++) {
		fputs(i ? ",{\"start\":" : "{\"start\":", f);
		tyst_put_u64(f, r->left[i].start);
		fputs(",\"end\":", f);
		tyst_put_u64(f, r->left[i].end);
		fputs(",\"category\":", f);
		tyst_json_cstr(f, r->left[i].category);
		fputs(",\"why\":", f);
		tyst_json_cstr(f, r->left[i].why);
		fputc('}', f);
	}
	fputs("],\"pseudonyms\":[", f);
	for (size_t i = 0; i < r->nps; i++) {
		if (i)
			fputc(',', f);
		tyst_json_cstr(f, r->ps[i]);
	}
	fputc(']', f);
}

/* Writes the new manifest (all other files' lines kept) to a temp file. */
static int
manifest_prepare(struct run *r, const char *dir, const char *name,
    const char *sha, struct tyst_outfile *mo, struct tyst_err *err)
{
	char path[PATH_MAX], now[32];
	FILE *old;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, MANIFEST);
	if (tyst_outfile_open(mo, path, 0666, err) < 0)
		return -1;
	if ((old = fopen(path, "r")) != NULL) {
		while ((len = getline(&line, &cap, old)) > 0)
			if (!manifest_line_of(line, name))
				fwrite(line, 1, (size_t)len, mo->fp);
		free(line);
		fclose(old);
	}
	tyst_now_iso(now);
	fputs("{\"file\":", mo->fp);
	tyst_json_cstr(mo->fp, name);
	if (r->o->undecided != NULL)
		fprintf(mo->fp, ",\"undecided\":\"%s\"", r->o->undecided);
	fprintf(mo->fp, ",\"sha256\":\"%s\",\"key_id\":\"%s\",\"time\":\"%s\"",
	    sha, tyst_key_id(r->key), now);
	manifest_record(r, mo->fp);
	fputs("}\n", mo->fp);
	return 0;
}

/* The output directory itself is the lock (flock on its descriptor), so
 * runs with different keys writing into one directory take turns at the
 * manifest and leave no lock file behind. */
static int
lock_dir(const char *dir, struct tyst_err *err)
{
	int fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		tyst_err_set(err, dir, 0, 0, "cannot lock the output "
		    "directory: %s", strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX) < 0) {
		tyst_err_set(err, dir, 0, 0, "cannot lock: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * The key's record of an output's file name is a document of its own under
 * this name: found again by the sha256 of the pseudonymised name, as every
 * output is, so --reverse can give the original name back.
 */
#define NAME_DOC "tyst-pseudo: a file name"

/* The words of the findings in a file name, each a finding of its own so
 * that the name's separators stay as they were. */
struct name_words {
	struct tyst_finding *v;
	size_t n, cap;
	const char *spaced;
	enum tyst_confidence min;
	int oom;
};

static int
name_word_add(struct name_words *w, const struct tyst_finding *f,
    uint64_t start, uint64_t end)
{
	struct tyst_finding *v;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;

		if ((v = realloc(w->v, cap * sizeof(*v))) == NULL) {
			w->oom = 1;
			return 1;
		}
		w->v = v;
		w->cap = cap;
	}
	v = &w->v[w->n++];
	*v = *f;
	v->start = start;
	v->end = end;
	v->base_end = f->base_end > start && f->base_end < end ?
	    f->base_end : end;
	v->line = 1;
	v->col = (size_t)start + 1;
	return 0;
}

static int
name_finding(const struct tyst_finding *f, void *ctx)
{
	struct name_words *w = ctx;
	uint64_t at = f->start;

	if (f->confidence > w->min)
		return 0;
	while (at < f->end) {
		uint64_t e = at;

		while (e < f->end && w->spaced[e] != ' ')
			e++;
		if (e > at && name_word_add(w, f, at, e) != 0)
			return 1;
		at = e + 1;
	}
	return 0;
}

/*
 * The output's name in -o DIR: the input's, with what a scan finds in its
 * stem (read as words: '_' and '.' are spaces, as the gates read names)
 * replaced by the same pseudonyms the text gets, word by word.  A name in a
 * file name would otherwise go into the output's name, the manifest, a
 * project and its exports; the original stays in the key only.  The
 * pseudonyms go into the current document's record for the manifest
 * (restored by the caller after rewrite() resets it).
 */
static int
out_name_of(struct run *r, const char *base, char *name, size_t size,
    struct tyst_err *err)
{
	struct name_words w = { NULL, 0, 0, NULL, r->o->min_conf, 0 };
	const char *dot = strrchr(base, '.');
	size_t n = strlen(base);
	size_t stem = dot != NULL && dot != base ? (size_t)(dot - base) : n;
	char *spaced, *out = NULL;
	const char *was = r->out_name;
	size_t outlen = 0;
	int rc;

	snprintf(name, size, "%s", base);
	if ((spaced = strdup(base)) == NULL)
		return tyst_err_set(err, base, 0, 0, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (spaced[i] == '_' || spaced[i] == '.')
			spaced[i] = ' ';
	w.spaced = spaced;
	rc = tyst_detect_buffer(r->rules, base, spaced, stem, name_finding,
	    &w, err);
	if (rc == 0 && w.oom)
		rc = tyst_err_set(err, base, 0, 0, "out of memory");
	if (rc == 0 && w.n > 0) {
		r->out_name = NAME_DOC;
		rc = tyst_pseudo_buffer(r->p, NAME_DOC, base, n, w.v, w.n, &out,
		    &outlen, err);
		r->out_name = was;
	}
	if (rc == 0 && out != NULL) {
		if (outlen + 1 > size || memchr(out, '/', outlen) != NULL ||
		    memchr(out, '\0', outlen) != NULL)
			rc = tyst_err_set(err, base, 0, 0, "the file name's "
			    "pseudonyms make no file name ('%.*s'); rename the "
			    "file first", (int)(outlen < 200 ? outlen : 200),
			    out);
		else {
			memcpy(name, out, outlen);
			name[outlen] = '\0';
		}
	}
	free(out);
	free(w.v);
	free(spaced);
	return rc < 0 ? -1 : 0;
}

/* The original of an output's name (base), or base when the key has no
 * record of it. */
static int
original_name(struct run *r, const char *base, char *name, size_t size,
    struct tyst_err *err)
{
	char sha[65], *buf = NULL;
	size_t len = 0;
	int64_t doc;
	FILE *m;
	int rc;

	snprintf(name, size, "%s", base);
	tyst_sha256_hex(base, strlen(base), sha);
	if ((rc = tyst_key_doc_find(r->key, sha, NAME_DOC, &doc, err)) <= 0)
		return rc;
	if ((m = open_memstream(&buf, &len)) == NULL)
		return tyst_err_set(err, base, 0, 0, "out of memory");
	rc = tyst_pseudo_reverse(r->key, NAME_DOC, base, strlen(base),
	    file_write, m, err);
	if (fclose(m) != 0 && rc == 0)
		rc = tyst_err_set(err, base, 0, 0, "out of memory");
	if (rc == 0 && (len + 1 > size || memchr(buf, '/', len) != NULL))
		rc = tyst_err_set(err, base, 0, 0, "the key's original of this "
		    "file name is no file name");
	if (rc == 0) {
		memcpy(name, buf, len);
		name[len] = '\0';
	}
	free(buf);
	return rc < 0 ? -1 : 0;
}

/* The pseudonyms of a file name, kept aside while rewrite() starts the
 * document's record afresh, then added to it. */
struct ps_stash {
	char **v;
	size_t n;
};

static void
ps_stash_take(struct run *r, struct ps_stash *st)
{
	st->v = r->ps;
	st->n = r->nps;
	r->ps = NULL;
	r->nps = r->capps = 0;
}

static void
ps_stash_give(struct run *r, struct ps_stash *st)
{
	for (size_t i = 0; i < st->n; i++) {
		ps_add(r, st->v[i], strlen(st->v[i]));
		free(st->v[i]);
	}
	free(st->v);
	st->v = NULL;
	st->n = 0;
}

static void
ps_stash_free(struct ps_stash *st)
{
	tyst_strv_free(st->v, st->n);
	st->v = NULL;
	st->n = 0;
}

/* Is name the output of an earlier input of this run? */
static int
written_here(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->nouts; i++)
		if (strcmp(r->outs[i], name) == 0)
			return 1;
	return 0;
}

/* One input into OUTDIR/name: written, key recorded, renamed, committed. */
static int
to_dir(struct run *r, struct input *in)
{
	const char *path = in->path;
	struct tyst_outfile o, mo;
	struct tyst_err err;
	struct ps_stash stash = { NULL, 0 };
	char target[PATH_MAX], mpath[PATH_MAX], sha[65], outname[NAME_MAX + 1];
	char *old = NULL, *mold = NULL;
	int had = 0, mhad = 0, lockfd = -1, renamed = 0, mrenamed = 0;
	long rep_at = 0;

	memset(&mo, 0, sizeof(mo));
	r->in_name = path;
	r->out_name = base_name(path);
	snprintf(target, sizeof(target), "%s/%s", r->o->outdir, r->out_name);
	snprintf(mpath, sizeof(mpath), "%s/%s", r->o->outdir, MANIFEST);
	if (same_file(path, target)) {
		say(r->cb, 0, path, 0, 0, "the output would overwrite the input "
		    "(-o is the input's directory)");
		return -1;
	}
	if (strcmp(r->out_name, MANIFEST) == 0) {
		say(r->cb, 0, path, 0, 0, "an input may not be named %s", MANIFEST);
		return -1;
	}
	if (r->rep != NULL)
		rep_at = ftell(r->rep);
	if (tyst_key_begin(r->key, &err) < 0)
		goto fail_noout;
	doc_record_reset(r);
	if (out_name_of(r, base_name(path), outname, sizeof(outname),
	    &err) < 0)
		goto fail_key;
	ps_stash_take(r, &stash);
	if (strcmp(outname, r->out_name) != 0) {
		r->out_name = outname;
		snprintf(target, sizeof(target), "%s/%s", r->o->outdir,
		    outname);
		if (same_file(path, target) || strcmp(outname, MANIFEST) == 0) {
			tyst_err_set(&err, path, 0, 0, "the output's "
			    "pseudonymised name %s would overwrite the input or "
			    "the manifest; rename the file", outname);
			goto fail_key;
		}
	}
	if (written_here(r, r->out_name)) {
		tyst_err_set(&err, path, 0, 0, "its output's name %s is that of "
		    "an earlier input's output in this run (their names differ "
		    "only in what was pseudonymised); rename one of them",
		    r->out_name);
		goto fail_key;
	}
	if (tyst_outfile_open(&o, target, 0666, &err) < 0)
		goto fail_key;
	if (rewrite(r, in, o.fp, sha, &err) < 0)
		goto fail_out;
	ps_stash_give(r, &stash);
	if (fflush(o.fp) != 0 || ferror(o.fp)) {
		tyst_err_set(&err, target, 0, 0, "write failed: %s; nothing "
		    "was written", strerror(errno));
		goto fail_out;
	}
	if ((lockfd = lock_dir(r->o->outdir, &err)) < 0)
		goto fail_out;
	if (manifest_prepare(r, r->o->outdir, r->out_name, sha, &mo, &err) < 0)
		goto fail_out;
	if ((old = keep_old(target, &err, &had)) == NULL ||
	    (mold = keep_old(mpath, &err, &mhad)) == NULL)
		goto fail_out;
	if (tyst_outfile_commit(&o, &err) < 0)
		goto fail_manifest;
	renamed = 1;
	if (tyst_outfile_commit(&mo, &err) < 0)
		goto fail_renamed;
	mrenamed = 1;
	if (tyst_key_commit(r->key, &err) < 0)
		goto fail_renamed;
	tyst_pseudo_commit(r->p);
	r->written++;
	/* Out of memory here only weakens the check of a later name. */
	(void)tyst_strv_add(&r->outs, &r->nouts, r->out_name);
	if (had)
		unlink(old);
	if (mhad)
		unlink(mold);
	free(old);
	free(mold);
	close(lockfd);
	return 0;

fail_renamed:
	put_back(target, old, had);
	if (mrenamed)
		put_back(mpath, mold, mhad);
	else
		tyst_outfile_abort(&mo);
	goto fail_done;
fail_manifest:
	tyst_outfile_abort(&mo);
	goto fail_done;
fail_out:
	tyst_outfile_abort(&o);
	tyst_outfile_abort(&mo);
fail_done:
	if (old != NULL && had && !renamed)
		unlink(old);
	if (mold != NULL && mhad && !mrenamed)
		unlink(mold);
	free(old);
	free(mold);
	if (lockfd >= 0)
		close(lockfd);
fail_key:
	ps_stash_free(&stash);
	tyst_key_rollback(r->key);
	tyst_pseudo_rollback(r->p);
fail_noout:
	if (r->rep != NULL) {
		fflush(r->rep);
		if (ftruncate(fileno(r->rep), rep_at) == 0)
			fseek(r->rep, rep_at, SEEK_SET);
	}
	tell(r->cb, &err);
	return -1;
}

/* One input to standard output (or nowhere, for a dry run). */
static int
to_stdout(struct run *r, struct input *in)
{
	const char *name = in->name;
	struct tyst_err err;
	char sha[65];

	r->in_name = name;
	r->out_name = strcmp(name, "<stdin>") == 0 ? name : base_name(name);
	if (tyst_key_begin(r->key, &err) < 0)
		goto fail;
	if (rewrite(r, in, r->o->dry_run ? NULL : r->o->out, sha, &err) < 0)
		goto fail_key;
	if (flush_out(r->o->out, &err) < 0)
		goto fail_key;
	if (r->o->dry_run) {
		tyst_key_rollback(r->key);
		tyst_pseudo_rollback(r->p);
		return 0;
	}
	if (tyst_key_commit(r->key, &err) < 0)
		goto fail_key;
	tyst_pseudo_commit(r->p);
	return 0;
fail_key:
	tyst_key_rollback(r->key);
	tyst_pseudo_rollback(r->p);
	/* The library names the document; the write that failed was ours. */
	if (ferror(r->o->out))
		snprintf(err.file, sizeof(err.file), "<stdout>");
fail:
	tell(r->cb, &err);
	return -1;
}

/*
 * OUTDIR/tyst-pseudo-rules.yaml: the default rules plus a keep list of the
 * fictitious names the key has handed out, so that
 *     tyst-scan -r OUTDIR/tyst-pseudo-rules.yaml OUTDIR/FILE...
 * reports only what is left, not the pseudonyms (which are names from the
 * same lists the scan looks for), and the words the review kept.  It holds
 * no original the output does not show, and no path: the run's own rules
 * (a study's names, its review file) hold originals and stay on this
 * machine, and the file must work on a supervisor's.
 */
static int
put_keep(const char *name, void *ctx)
{
	FILE *f = ctx;

	fputs("  - \"", f);
	for (; *name; name++) {
		if (*name == '"' || *name == '\\')
			fputc('\\', f);
		fputc(*name, f);
	}
	fputs("\"\n", f);
	return 0;
}

/* A name and its genitive, which the output may hold too ("Evans" is a
 * surname of its own in the lists). */
static int
put_name(const char *name, void *ctx)
{
	size_t n = strlen(name);
	char gen[256];

	put_keep(name, ctx);
	if (n == 0 || n + 2 > sizeof(gen) || strchr("sxzSXZ]", name[n - 1]) ||
	    (name[n - 1] >= '0' && name[n - 1] <= '9'))
		return 0;
	snprintf(gen, sizeof(gen), "%ss", name);
	return put_keep(gen, ctx);
}

/*
 * The region of a generalisation, "[kommun i Gävleborgs län]", is kept too
 * when it is a län or a landsdel, and so is the country or world region of
 * a place abroad ("[ort A i Irak]", "[Irak]" at the level land); a city or
 * kommun named at level stad is left for the scan to report, since it says
 * more.
 */
struct regions {
	FILE *f;
	char seen[64][128];
	int n;
};

static int
abroad_form(const char *pseudo, const char *reg, size_t n)
{
	if (strchr(pseudo, ' ') == NULL)        /* "[Irak]" */
		return strpbrk(pseudo, "0123456789") == NULL;
	if (n > 7 && strcmp(reg + n - 7, " kommun") == 0)
		return 0;
	return strncmp(pseudo, "[ort ", 5) == 0 ||
	    strncmp(pseudo, "[land ", 6) == 0 ||
	    strncmp(pseudo, "[region ", 8) == 0;
}

static int
put_region(const char *pseudo, void *ctx)
{
	struct regions *rg = ctx;
	const char *i = strstr(pseudo, " i ");
	size_t n;
	char reg[128];

	if (pseudo[0] != '[')
		return 0;
	if (i == NULL)
		i = pseudo + 1;
	else
		i += 3;
	n = strlen(i);
	if (n < 2 || n >= sizeof(reg) || i[n - 1] != ']')
		return 0;
	memcpy(reg, i, n - 1);
	reg[n - 1] = '\0';
	n--;
	if (!(n > 5 && strcmp(reg + n - 5, " län") == 0) &&
	    strcmp(reg, "Götaland") != 0 && strcmp(reg, "Svealand") != 0 &&
	    strcmp(reg, "Norrland") != 0 && !abroad_form(pseudo, reg, n))
		return 0;
	for (int k = 0; k < rg->n; k++)
		if (strcmp(rg->seen[k], reg) == 0)
			return 0;
	if (rg->n < 64)
		snprintf(rg->seen[rg->n++], sizeof(rg->seen[0]), "%s", reg);
	return put_keep(reg, rg->f);
}

/* The words the review decided to keep: they stand unchanged in every
 * output, so naming them tells nothing the output does not, and without
 * them the scan elsewhere would report them all again. */
static void
put_kept(const struct run *r, FILE *f)
{
	struct tyst_review rv;
	struct tyst_err err;
	int exists;

	if (r->o->rules_path == NULL ||
	    tyst_review_load(&rv, r->o->rules_path, &exists, &err) < 0)
		return;
	for (size_t i = 0; i < rv.nitems; i++)
		if (rv.items[i].decision == TYST_KEEP)
			put_keep(rv.items[i].word, f);
	tyst_review_free(&rv);
}

static int
write_rescan_rules(struct run *r)
{
	struct tyst_outfile o;
	struct tyst_err err;
	char path[PATH_MAX];
	struct regions rg;
	int lockfd;

	snprintf(path, sizeof(path), "%s/%s", r->o->outdir, RESCAN);
	if ((lockfd = lock_dir(r->o->outdir, &err)) < 0) {
		tell(r->cb, &err);
		return -1;
	}
	if (tyst_outfile_open(&o, path, 0666, &err) < 0) {
		close(lockfd);
		tell(r->cb, &err);
		return -1;
	}
	fputs("# Written by tyst-pseudo: the default rules, the fictitious names\n"
	    "# it gave (names the scan would find again) and the words the review\n"
	    "# kept, which stand unchanged in the output.  Check\n"
	    "# the pseudonymised files with\n"
	    "#     tyst-scan -r " RESCAN " *.txt\n"
	    "# It holds no original that the output does not show, and no path,\n"
	    "# so it works on any machine;\n"
	    "# the study's own words are checked only with its own rules.\n"
	    "name: tyst-pseudo-rescan\n"
	    "include:\n", o.fp);
	put_keep("default", o.fp);
	fputs("keep:\n", o.fp);
	put_kept(r, o.fp);
	rg.f = o.fp;
	rg.n = 0;
	if (tyst_key_pseudonyms(r->key, "name", put_name, o.fp, &err) < 0 ||
	    tyst_key_pseudonyms(r->key, "generalise", put_region, &rg, &err)
	    < 0 || tyst_outfile_commit(&o, &err) < 0) {
		tyst_outfile_abort(&o);
		close(lockfd);
		tell(r->cb, &err);
		return -1;
	}
	close(lockfd);
	return 0;
}

/* ---- reversal ------------------------------------------------------------- */

static int
reverse_one(struct run *r, const char *path)
{
	struct tyst_text t;
	struct tyst_err err;
	struct tyst_outfile o;
	struct tyst_input_stage st;
	struct tyst_input_parts parts = { NULL, 0 };
	const char *name = path && strcmp(path, "-") ? path : "<stdin>";
	char target[PATH_MAX];
	FILE *dst;
	int rc;

	/* A document that is not plain text: its view reversed, written back
	 * in its format (dst, the stage's file, then emitted). */
	if (tyst_input_stage_open(&st, path, name, r->o->in_fmt, r->o->in_enc,
	    &err) < 0) {
		tell(r->cb, &err);
		return -1;
	}
	if (tyst_text_load(&t, st.path, &err) < 0) {
		tyst_input_stage_close(&st);
		tell(r->cb, &err);
		return -1;
	}
	/* A word processor's parts the key kept go back as they were. */
	if (st.active && tyst_docparts_load(r->key, name, t.data, t.len,
	    &parts, &err) < 0) {
		tyst_text_free(&t);
		tyst_input_stage_close(&st);
		tell(r->cb, &err);
		return -1;
	}
	st.restore = &parts;
	if (r->o->outdir == NULL) {
		dst = st.active ? tyst_input_stage_output(&st, &err) : r->o->out;
		rc = dst == NULL ? -1 : tyst_pseudo_reverse(r->key, name, t.data,
		    t.len, file_write, dst, &err);
		if (rc == 0 && st.active)
			rc = tyst_input_stage_emit(&st, r->o->out, NULL, &err);
		if (rc == 0)
			rc = flush_out(r->o->out, &err);
		else if (ferror(r->o->out))
			snprintf(err.file, sizeof(err.file), "<stdout>");
	} else {
		char orig[NAME_MAX + 1];

		if (original_name(r, base_name(path), orig, sizeof(orig),
		    &err) < 0) {
			tyst_text_free(&t);
			tyst_input_stage_close(&st);
			tyst_input_parts_free(&parts);
			tell(r->cb, &err);
			return -1;
		}
		snprintf(target, sizeof(target), "%s/%s", r->o->outdir, orig);
		if (same_file(path, target)) {
			tyst_text_free(&t);
			tyst_input_stage_close(&st);
			tyst_input_parts_free(&parts);
			say(r->cb, 0, path, 0, 0, "the output would overwrite the "
			    "input");
			return -1;
		}
		rc = tyst_outfile_open(&o, target, 0600, &err);
		if (rc == 0) {
			dst = st.active ? tyst_input_stage_output(&st, &err) : o.fp;
			rc = dst == NULL ? -1 : tyst_pseudo_reverse(r->key, name,
			    t.data, t.len, file_write, dst, &err);
			if (rc == 0 && st.active)
				rc = tyst_input_stage_emit(&st, o.fp, NULL, &err);
			if (rc == 0)
				rc = tyst_outfile_commit(&o, &err);
			else
				tyst_outfile_abort(&o);
		}
	}
	tyst_text_free(&t);
	tyst_input_stage_close(&st);
	tyst_input_parts_free(&parts);
	if (rc < 0)
		tell(r->cb, &err);
	return rc;
}

/* ---- the review file ------------------------------------------------------ */

#define UNDECIDED_SHOWN 20

static void
list_undecided(const char *path, const struct tyst_review *rv,
    const struct tyst_pseudorun_cb *cb)
{
	size_t shown = 0;

	for (size_t i = 0; i < rv->nitems && shown < UNDECIDED_SHOWN; i++)
		if (rv->items[i].decision == TYST_ASK) {
			say(cb, 0, path, rv->items[i].line, 0, "undecided: %s "
			    "(%s)", rv->items[i].word, rv->items[i].category ?
			    rv->items[i].category : "no category");
			shown++;
		}
	for (size_t i = 0; i < rv->noccs && shown < UNDECIDED_SHOWN; i++)
		if (rv->occs[i].decision == TYST_ASK) {
			say(cb, 0, path, rv->occs[i].line, 0, "undecided: %s "
			    "in %s", rv->occs[i].word, rv->occs[i].file ?
			    rv->occs[i].file : rv->occs[i].sha);
			shown++;
		}
}

/*
 * A review file given as the rules holds originals and may hold words
 * nobody decided on: it is refused inside the output directory, and its
 * undecided words stop the run unless --undecided says what to do.
 */
static int
check_review(struct run *r, char *const *inputs, size_t ninputs)
{
	const struct tyst_pseudorun_opts *o = r->o;
	struct tyst_review rv;
	struct tyst_err err;
	size_t left;
	int exists, beside, rc = 0;

	if (o->rules_path == NULL || strcmp(o->rules_path, "default") == 0)
		return 0;
	if (tyst_review_load(&rv, o->rules_path, &exists, &err) < 0) {
		tell(r->cb, &err);
		return -1;
	}
	if (!exists || (rv.nitems == 0 && rv.noccs == 0)) {
		tyst_review_free(&rv);
		return 0;
	}
	if (tyst_review_place(o->rules_path, o->outdir, inputs, ninputs,
	    &beside, &err) < 0) {
		tell(r->cb, &err);
		tyst_review_free(&rv);
		return -1;
	}
	if (beside)
		say(r->cb, 0, o->rules_path, 0, 0, "warning: the review file lies "
		    "beside the transcripts; it holds originals");
	left = tyst_review_undecided(&rv);
	if (left > 0 && o->undecided == NULL) {
		list_undecided(o->rules_path, &rv, r->cb);
		say(r->cb, 0, o->rules_path, 0, 0, "%zu undecided candidate%s: "
		    "decide %s (tyst-review) or give "
		    "--undecided=pseudonymise|keep", left, left == 1 ? "" : "s",
		    left == 1 ? "it" : "them");
		rc = -1;
	} else if (left > 0 && strcmp(o->undecided, "keep") == 0) {
		for (size_t i = 0; i < rv.nitems && rc == 0; i++) {
			uint32_t *slot;
			const char *w = rv.items[i].word;

			if (rv.items[i].decision == TYST_ASK &&
			    tyst_strtab_put(&r->asked, w, strlen(w), 0, &slot)
			    < 0) {
				say(r->cb, 0, NULL, 0, 0, "out of memory");
				rc = -1;
			}
		}
	}
	tyst_review_free(&rv);
	return rc;
}

/* ---- main ------------------------------------------------------------------ */

/* A name in a file name goes wherever the name goes: say so before. */
static void
warn_name(const struct run *r, const char *path)
{
	struct tyst_hits h = { NULL, 0, 0 };
	struct tyst_err err;

	/* With -o the output's name is pseudonymised (out_name_of). */
	if (r->o->outdir != NULL || r->o->dry_run)
		return;
	if (tyst_gate_file_name(r->rules, path, &h, &err) < 0)
		return;
	for (size_t i = 0; i < h.n; i++)
		say(r->cb, 1, path, 0, 0, "the file name holds %s %s '%s': "
		    "written to standard output, the text has no name of its "
		    "own, but whatever you name it should not hold this (-o DIR "
		    "gives outputs pseudonymised names)", tyst_confidence_name(
		    h.v[i].confidence), h.v[i].category, h.v[i].text);
	tyst_hits_free(&h);
}

/* Two inputs of one name would become one output, the second replacing
 * the first: refused before anything is written. */
static int
same_names(char *const *files, int n, const struct tyst_pseudorun_cb *cb)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < i; k++)
			if (strcmp(base_name(files[i]), base_name(files[k])) ==
			    0) {
				say(cb, 0, files[i], 0, 0, "has the same name as "
				    "%s: both would be written to one output "
				    "file; nothing was written (rename one, or "
				    "run them into different -o directories)",
				    files[k]);
				return -1;
			}
	return 0;
}

/* Standard input, copied to an unlinked temporary file so it can be read
 * twice (the first pass notes every original). */
static int
spool_stdin(FILE *in, char *path, size_t n,
    const struct tyst_pseudorun_cb *cb)
{
	char buf[65536];
	struct stat st;
	FILE *f;
	size_t got;

	if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
		say(cb, 0, "<stdin>", 0, 0, "is a directory");
		return -1;
	}
	if ((f = tmpfile()) == NULL) {
		say(cb, 0, "<stdin>", 0, 0, "cannot make a temporary file: %s",
		    strerror(errno));
		return -1;
	}
	while ((got = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (fwrite(buf, 1, got, f) != got) {
			say(cb, 0, "<stdin>", 0, 0, "cannot spool: %s",
			    strerror(errno));
			fclose(f);
			return -1;
		}
		/* The reader refuses a NUL: spool no further (/dev/zero). */
		if (memchr(buf, '\0', got) != NULL)
			break;
	}
	if (ferror(in) || fflush(f) != 0) {
		say(cb, 0, "<stdin>", 0, 0, "read error: %s", strerror(errno));
		fclose(f);
		return -1;
	}
	/* Kept open (and so alive) until exit; reopened through /proc. */
	snprintf(path, n, "/proc/self/fd/%d", fileno(f));
	return 0;
}

/* ---- the run ---------------------------------------------------------------- */

/*
 * A dry run without a key works on a throwaway key in TMPDIR/DRY_DIR
 * PID.XXXXXX, removed at its end.  It holds the originals it saw, so one
 * left by a dry run that was killed is removed by the next dry run: a
 * directory of ours whose process is gone.  (A dry run sharing TMPDIR from
 * another pid namespace could lose its throwaway key and fail; it loses
 * nothing else.)
 */
#define DRY_DIR "tyst-pseudo-dry."

static void
sweep_dry_key(const char *tmp, const char *name)
{
	static const char *const files[] = { "dry-run.key",
	    "dry-run.key-wal", "dry-run.key-shm", "dry-run.key-journal" };
	char p[PATH_MAX];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%.2000s/%.255s/%s", tmp, name, files[i]);
		unlink(p);
	}
	snprintf(p, sizeof(p), "%.2000s/%.255s", tmp, name);
	rmdir(p);
}

static void
sweep_dry_keys(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;
	struct stat st;
	char *end;
	long pid;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, DRY_DIR, strlen(DRY_DIR)) != 0)
			continue;
		errno = 0;
		pid = strtol(de->d_name + strlen(DRY_DIR), &end, 10);
		if (errno != 0 || pid <= 0 || *end != '.' || strlen(end + 1) != 6 ||
		    pid == (long)getpid())
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			sweep_dry_key(tmp, de->d_name);
	}
	closedir(d);
}

int
tyst_pseudorun_check(const struct tyst_pseudorun_opts *o, char *const *files,
    int nfiles, const struct tyst_pseudorun_cb *cb)
{
	if (check_key_place(o, cb) < 0 ||
	    (o->outdir != NULL && same_names(files, nfiles, cb) < 0))
		return -1;
	return 0;
}

int
tyst_pseudorun_reverse(const struct tyst_pseudorun_opts *opts,
    char *const *files, int nfiles, const struct tyst_pseudorun_cb *cb)
{
	struct tyst_pseudorun_opts o = *opts;
	struct run r;
	struct tyst_err err;
	int failed = 0;

	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.cb = cb;
	if (tyst_key_open(&r.key, o.key_path, TYST_KEY_READ, o.timeout_ms,
	    &err) < 0) {
		tell(cb, &err);
		return -1;
	}
	for (int i = 0; i < (nfiles ? nfiles : 1); i++)
		if (reverse_one(&r, nfiles ? files[i] : "-") < 0)
			failed = 1;
	tyst_key_close(r.key);
	return failed ? -1 : 0;
}

int
tyst_pseudorun(const struct tyst_pseudorun_opts *opts, char *const *files,
    int nfiles, const struct tyst_pseudorun_cb *cb)
{
	struct tyst_pseudorun_opts o = *opts;
	struct run r;
	struct tyst_err err;
	struct tyst_pseudo_conf *conf = NULL;
	struct tyst_rules *rules = NULL;
	char stdin_path[64], tmpdir[PATH_MAX] = "", tmpkey[PATH_MAX + 32];
	struct input *inputs = NULL;
	char *skip = NULL;
	int failed = 0, status = -1;

	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.cb = cb;
	tyst_strtab_init(&r.asked);
	if (check_review(&r, files, (size_t)nfiles) < 0) {
		tyst_strtab_free(&r.asked);
		return -1;
	}

	if (o.dry_run && access(o.key_path, F_OK) < 0 && errno == ENOENT) {
		/* A first look before any key exists: a throwaway key (its
		 * names will differ from the real run's). */
		const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

		sweep_dry_keys(tmp);
		snprintf(tmpdir, sizeof(tmpdir), "%s/" DRY_DIR "%ld.XXXXXX",
		    tmp, (long)getpid());
		if (mkdtemp(tmpdir) == NULL) {
			say(cb, 0, tmpdir, 0, 0, "%s", strerror(errno));
			tyst_strtab_free(&r.asked);
			return -1;
		}
		snprintf(tmpkey, sizeof(tmpkey), "%s/dry-run.key", tmpdir);
		o.key_path = tmpkey;
	}
	if (tyst_pseudo_conf_load(&conf, NULL, o.rules_path, &err) < 0 ||
	    tyst_rules_load(&rules, o.rules_path, &err) < 0 ||
	    tyst_key_open(&r.key, o.key_path, TYST_KEY_CREATE, o.timeout_ms,
	    &err) < 0 ||
	    tyst_pseudo_new(&r.p, conf, r.key, &err) < 0) {
		tell(cb, &err);
		goto out;
	}
	r.rules = rules;
	r.conf = conf;
	/* --report may not replace the key or a transcript. */
	tyst_outfile_protect(o.key_path);
	for (int i = 0; i < nfiles; i++)
		tyst_outfile_protect(files[i]);
	tyst_pseudo_set_report(r.p, on_replace, &r);
	if (o.report_path != NULL) {
		if (tyst_outfile_open(&r.report, o.report_path, 0600, &err) < 0) {
			tell(cb, &err);
			goto out;
		}
		r.rep = r.report.fp;
	}
	if ((r.spill = tmpfile()) == NULL) {
		say(cb, 0, NULL, 0, 0, "cannot make a temporary file: %s",
		    strerror(errno));
		goto out;
	}
	setvbuf(r.spill, NULL, _IOFBF, 256 * 1024);
	if ((inputs = calloc(nfiles ? (size_t)nfiles : 1, sizeof(*inputs)))
	    == NULL || (skip = calloc(nfiles ? (size_t)nfiles : 1, 1)) == NULL) {
		say(cb, 0, NULL, 0, 0, "out of memory");
		goto out;
	}
	if (nfiles == 0) {
		if (spool_stdin(o.in, stdin_path, sizeof(stdin_path), cb) < 0)
			goto out;
		inputs[0].path = stdin_path;
		inputs[0].name = "<stdin>";
	}
	for (int i = 0; i < nfiles; i++)
		inputs[i].path = inputs[i].name = files[i];
	for (int i = 0; i < nfiles; i++)
		warn_name(&r, files[i]);
	/* A file whose first pass fails is left out of the second. */
	for (int i = 0; i < (nfiles ? nfiles : 1); i++)
		if (stage_input(&o, &inputs[i], cb) < 0 ||
		    note_file(&r, &inputs[i]) < 0)
			skip[i] = failed = 1;
	if (tyst_pseudo_proposals(r.p, say_proposal, (void *)cb, &err) < 0) {
		tell(cb, &err);
		goto out;
	}
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		if (skip[i])
			continue;
		if (o.outdir != NULL ? to_dir(&r, &inputs[i]) < 0 :
		    to_stdout(&r, &inputs[i]) < 0)
			failed = 1;
	}
	/* A run that wrote nothing leaves the rescan rules as they were; one
	 * that wrote some outputs covers their pseudonyms. */
	if (o.outdir != NULL && r.written > 0 && write_rescan_rules(&r) < 0)
		failed = 1;
	if (r.rep != NULL) {
		r.rep = NULL;
		if (tyst_outfile_commit(&r.report, &err) < 0) {
			tell(cb, &err);
			failed = 1;
		}
	}
	if (o.dry_run && flush_out(o.out, &err) < 0) {
		tell(cb, &err);
		failed = 1;
	}
	status = failed ? -1 : 0;
out:
	if (r.rep != NULL)
		tyst_outfile_abort(&r.report);
	if (r.spill != NULL)
		fclose(r.spill);
	for (int i = 0; inputs != NULL && i < (nfiles ? nfiles : 1); i++)
		tyst_input_stage_close(&inputs[i].stage);
	free(inputs);
	free(skip);
	doc_record_free(&r);
	tyst_pseudo_free(r.p);
	tyst_key_close(r.key);
	tyst_rules_free(rules);
	tyst_pseudo_conf_free(conf);
	tyst_strtab_free(&r.asked);
	if (tmpdir[0] != '\0') {
		char p[PATH_MAX + 64];

		snprintf(p, sizeof(p), "%s-wal", tmpkey);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", tmpkey);
		unlink(p);
		unlink(tmpkey);
		rmdir(tmpdir);
	}
	return status;
}
