/*
 * scanrun — one input scanned (include/tyst/scanrun.h).  The finding is
 * lib/detect/detect.c, the holding for occurrence decisions
 * lib/detect/occhold.c; this is the plumbing between them and the input.
 */
#include <string.h>

#include "tyst/rules.h"
#include "tyst/scanrun.h"
#include "tyst/sha256.h"

static int
held_report(const struct tyst_finding *f, void *ctx)
{
	struct tyst_scanrun *s = ctx;

	return s->report(f, s->ctx);
}

/* The held line's findings, with the decisions on occurrences applied. */
static int
flush_held(struct tyst_scanrun *s)
{
	if (tyst_occhold_flush(&s->hold, s->rules, held_report, s) < 0) {
		s->oom = 1;
		return 1;
	}
	return 0;
}

static int
on_finding(const struct tyst_finding *f, void *ctx)
{
	struct tyst_scanrun *s = ctx;

	if (s->hold.noccs == 0)
		return s->report(f, s->ctx);
	if (tyst_occhold_add(&s->hold, f) < 0) {
		s->oom = 1;
		return 1;
	}
	return 0;
}

/* Each line, before its findings: kept for the review file's context. */
static int
on_line(const struct tyst_line *ln, int had_bom, void *ctx)
{
	struct tyst_scanrun *s = ctx;

	(void)had_bom;
	if (s->hold.noccs > 0) {
		if (tyst_occhold_line(&s->hold, s->rules, ln, held_report,
		    s) < 0) {
			s->oom = 1;
			return 1;
		}
		s->line = s->hold.line;
		return 0;
	}
	s->line = *ln;
	if (s->progress != NULL)
		s->progress(ln, s->ctx);
	return 0;
}

/* A file that is not plain UTF-8 text, through the format layer: its view
 * line by line, offsets mapped back into the file when printed. */
static int
scan_doc(struct tyst_scanrun *s, const char *path, struct tyst_err *err)
{
	struct tyst_input *doc = &s->input;
	struct tyst_detector *d;
	int rc = 0;

	if (tyst_input_load(doc, path, s->in_fmt, s->in_enc, err) < 0)
		return -1;
	if ((d = tyst_detector_new(s->rules)) == NULL) {
		tyst_err_set(err, doc->name, 0, 0, "out of memory");
		tyst_input_free(doc);
		return -1;
	}
	s->name = path != NULL && strcmp(path, "-") != 0 ? path : "<stdin>";
	s->doc = doc;
	for (size_t i = 0; i < doc->nvlines && rc == 0; i++) {
		struct tyst_line ln;
		size_t b, e;

		if (tyst_input_line(doc, i + 1, &b, &e, &ln.eol) < 0)
			break;
		ln.p = doc->view + b;
		ln.len = e - b;
		ln.off = b;
		ln.lineno = i + 1;
		on_line(&ln, 0, s);
		rc = tyst_detector_line(d, &ln, on_finding, s, err);
	}
	tyst_detector_free(d);
	s->doc = NULL;
	tyst_input_free(doc);
	return rc < 0 ? -1 : 0;
}

/* Standard input cannot be hashed before it is read: its occurrence
 * decisions do not apply (the man page says so). */
static void
start_occs(struct tyst_scanrun *s, const char *path)
{
	const struct tyst_rule_occ *occs;
	char sha[65];
	size_t n;

	tyst_occhold_start(&s->hold, NULL, 0);
	if (s->rules->noccs == 0 || strcmp(path, "-") == 0 ||
	    tyst_sha256_file(path, sha) < 0)
		return;
	n = tyst_rules_occs(s->rules, sha, &occs);
	tyst_occhold_start(&s->hold, occs, n);
}

int
tyst_scanrun_file(struct tyst_scanrun *s, const char *path,
    struct tyst_err *err)
{
	struct tyst_reader r;
	struct tyst_detector *d;
	struct tyst_stream_fns fns = { on_line, on_finding, s };
	int rc;

	rc = s->in_fmt != TYST_IN_AUTO || s->in_enc != TYST_ENC_AUTO ? 1 :
	    tyst_input_sniff_path(path, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return scan_doc(s, path, err);
	if (tyst_reader_open(&r, path, err) < 0)
		return -1;
	if ((d = tyst_detector_new(s->rules)) == NULL) {
		tyst_err_set(err, r.name, 0, 0, "out of memory");
		tyst_reader_close(&r);
		return -1;
	}
	s->name = r.name;
	start_occs(s, path);
	rc = tyst_detect_stream(d, &r, &fns, s->jobs, err);
	if (rc >= 0)
		flush_held(s);
	tyst_occhold_start(&s->hold, NULL, 0);
	tyst_detector_free(d);
	tyst_reader_close(&r);
	return rc < 0 ? -1 : 0;
}

void
tyst_scanrun_free(struct tyst_scanrun *s)
{
	tyst_occhold_free(&s->hold);
}
