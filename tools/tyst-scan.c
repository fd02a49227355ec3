/*
 * tyst-scan — find identifiers in Swedish transcripts.
 *
 * Options, output and the review file only; the finding is lib/detect/detect.c
 * and the rule sets lib/detect/rules.c.
 */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/input.h"
#include "tyst/gazetteer.h"
#include "tyst/json.h"
#include "tyst/outfile.h"
#include "tyst/pnr.h"
#include "tyst/revfile.h"
#include "tyst/rules.h"
#include "tyst/sha256.h"
#include "tyst/text.h"

enum format { FMT_TEXT, FMT_JSONL };

#define CONTEXT_MAX 120

struct cand {
	char *word;
	const char *category;   /* owned by the rule set */
	char *context;
	unsigned long count;
};

struct scan {
	enum format format;
	int summary;
	int show;
	int color;
	enum tyst_confidence min_conf;
	int jobs;                       /* threads per input */
	const char *review;
	const struct tyst_rules *rules;
	enum tyst_input_format in_fmt;    /* --input-format */
	enum tyst_input_enc in_enc;
	const struct tyst_input *doc;   /* the input, when not plain text */
	struct tyst_input input;        /* (what doc points to) */
	const char *name;               /* the input being scanned */
	struct tyst_line line;          /* the line being scanned */
	unsigned long found;
	unsigned long *per_cat;
	/* review candidates, distinct by word */
	struct tyst_strtab seen;
	struct cand *cands;
	size_t ncands, capcands;
	int oom;
	/* The occurrence decisions of the input being scanned: its findings
	 * are held a line at a time (with a copy of the line) so decided
	 * occurrences can be dropped or added in text order. */
	const struct tyst_rule_occ *occs;
	size_t noccs;
	struct tyst_finding *held;
	size_t nheld, capheld;
	char *lbuf;
	size_t lcap;
	int holding;
};

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-scan [options] [FILE...]\n"
"\n"
"Finds names, places, organisations, personnummer, phone numbers, e-mail\n"
"and other identifiers in Swedish transcripts (standard input when no FILE\n"
"is given) and prints them like compiler messages:\n"
"\n"
"    intervju01.txt:14:22: PERSON \"Erik\" (gazetteer first-names)\n"
"\n"
"  -r, --rules FILE      the rule set (YAML, see tyst-rules(5)); default:\n"
"                        the Swedish set shipped with tyst\n"
"  -f, --format FMT      text (default) or jsonl: one JSON object per\n"
"                        finding with file, line, col, start, end (byte\n"
"                        offsets), category, text, source, confidence\n"
"  -s, --summary         print only the number of findings per category\n"
"  -F, --input-format F  read the input as F instead of telling it by its\n"
"                        content: text, utf-8, utf-16le, utf-16be, cp1252,\n"
"                        vtt, srt, docx or odt\n"
"  -c, --confidence LVL  report only findings at least this sure:\n"
"                        certain, likely or candidate (default)\n"
"      --review FILE     write (or update, keeping decisions made) a review\n"
"                        file listing each uncertain word; mark each\n"
"                        pseudonymise or keep (or decide in tyst-review),\n"
"                        then scan with -r FILE.  It holds originals: made\n"
"                        0600, refused inside an output directory\n"
"      --show            print personnummer whole (the last four digits\n"
"                        are masked by default)\n"
"  -j, --jobs N          threads per input: 1, or 2 (the default on a\n"
"                        machine with two or more CPUs) to match patterns\n"
"                        on one while the other reads names\n"
"  -h, --help            this help\n"
"  -V, --version         the version\n"
"\n"
"Exit status: 0 nothing found, 1 found, 2 error.\n", f);
}

static int
has_letter(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || isalpha((unsigned char)s[i]))
			return 1;
	return 0;
}

/* The finding's text, with the last four digits of a personnummer masked
 * unless --show: a scan report should not spread what it warns about. */
static size_t
shown_text(const struct scan *sc, const struct tyst_finding *f, char *buf,
    size_t cap, const char **out)
{
	size_t len = (size_t)(f->end - f->start);
	struct tyst_pnr pn;
	int left = 4;

	*out = f->text;
	if (sc->show || strcmp(f->source, "pnr") != 0 || len >= cap)
		return len;
	memcpy(buf, f->text, len);
	/* Read aloud: the words of the last four digits go as a whole. */
	if (tyst_pnr_parse(f->text, len, tyst_pnr_today(), &pn) &&
	    has_letter(f->text + pn.dig_start, len - pn.dig_start) &&
	    pn.dig_start + 4 <= cap) {
		memcpy(buf + pn.dig_start, "****", 4);
		*out = buf;
		return pn.dig_start + 4;
	}
	for (size_t i = len; i > 0 && left > 0; i--)
		if (buf[i - 1] >= '0' && buf[i - 1] <= '9') {
			buf[i - 1] = '*';
			left--;
		}
	*out = buf;
	return len;
}

static void
put_attrs_json(const char *a)
{
	int first = 1;

	fputs(",\"attrs\":{", stdout);
	while (a != NULL && *a != '\0') {
		const char *tab = strchr(a, '\t');
		size_t n = tab != NULL ? (size_t)(tab - a) : strlen(a);
		const char *eq = memchr(a, '=', n);

		if (eq != NULL) {
			if (!first)
				putchar(',');
			tyst_json_str(stdout, a, (size_t)(eq - a));
			putchar(':');
			tyst_json_str(stdout, eq + 1, n - (size_t)(eq - a) - 1);
			first = 0;
		}
		a += n;
		if (*a == '\t')
			a++;
	}
	putchar('}');
}

/* Appends n in decimal. */
static char *
put_num(char *o, size_t n)
{
	char tmp[24];
	size_t k = 0;

	do {
		tmp[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	while (k > 0)
		*o++ = tmp[--k];
	return o;
}

static char *
put_str(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

/*
 * FILE:LINE:COL: CATEGORY "TEXT" (SOURCE), built in one buffer: printf
 * costs more than the detection of a finding on identifier-dense text.
 */
static void
put_plain(const char *name, const struct tyst_finding *f, const char *text,
    size_t len)
{
	char buf[1024], *o = buf;
	size_t nn = strlen(name), nc = strlen(f->category),
	    ns = strlen(f->source);

	if (nn + nc + ns + len + 64 > sizeof(buf)) {
		printf("%s:%zu:%zu: %s \"%.*s\" (%s)\n", name, f->line,
		    f->col, f->category, (int)len, text, f->source);
		return;
	}
	o = put_str(o, name, nn);
	*o++ = ':';
	o = put_num(o, f->line);
	*o++ = ':';
	o = put_num(o, f->col);
	*o++ = ':';
	*o++ = ' ';
	o = put_str(o, f->category, nc);
	*o++ = ' ';
	*o++ = '"';
	o = put_str(o, text, len);
	*o++ = '"';
	*o++ = ' ';
	*o++ = '(';
	o = put_str(o, f->source, ns);
	*o++ = ')';
	*o++ = '\n';
	fwrite(buf, 1, (size_t)(o - buf), stdout);
}

static void
print_finding(const struct scan *sc, const struct tyst_finding *f)
{
	char buf[128];
	const char *text;
	size_t len = shown_text(sc, f, buf, sizeof(buf), &text);

	if (sc->format == FMT_JSONL) {
		uint64_t s = f->start, e = f->end, be = f->base_end;

		/* Offsets into the file as read, whatever its format. */
		if (sc->doc != NULL) {
			s = tyst_input_src(sc->doc, (size_t)f->start);
			e = tyst_input_src_end(sc->doc, (size_t)f->end);
			be = tyst_input_src_end(sc->doc, (size_t)f->base_end);
		}
		fputs("{\"file\":", stdout);
		tyst_json_cstr(stdout, sc->name);
		printf(",\"line\":%zu,\"col\":%zu,\"start\":%llu,\"end\":%llu,"
		    "\"base_end\":%llu,\"category\":", f->line, f->col,
		    (unsigned long long)s, (unsigned long long)e,
		    (unsigned long long)be);
		tyst_json_cstr(stdout, f->category);
		fputs(",\"text\":", stdout);
		tyst_json_str(stdout, text, len);
		fputs(",\"source\":", stdout);
		tyst_json_cstr(stdout, f->source);
		printf(",\"confidence\":\"%s\"",
		    tyst_confidence_name(f->confidence));
		/* A word processor's text: where in the zip it came from. */
		if (sc->doc != NULL && sc->doc->lpart != NULL &&
		    f->line >= 1 && f->line <= sc->doc->nvlines) {
			fputs(",\"part\":", stdout);
			tyst_json_cstr(stdout, sc->doc->lpart[f->line - 1]);
			printf(",\"para\":%zu", sc->doc->lpara[f->line - 1]);
		}
		if (f->attrs != NULL)
			put_attrs_json(f->attrs);
		fputs("}\n", stdout);
		return;
	}
	if (sc->color)
		printf("\033[1m%s:%zu:%zu:\033[0m \033[%sm%s\033[0m \"%.*s\" "
		    "(%s)\n", sc->name, f->line, f->col,
		    f->confidence == TYST_CERTAIN ? "31" :
		    f->confidence == TYST_LIKELY ? "35" : "33", f->category,
		    (int)len, text, f->source);
	else
		put_plain(sc->name, f, text, len);
}

/* A line of context around a finding, cut at character boundaries. */
static char *
context_of(const struct tyst_line *ln, uint64_t start)
{
	size_t at = (size_t)(start - ln->off), s = 0, e = ln->len;
	char *out;

	if (e - s > CONTEXT_MAX) {
		s = at > CONTEXT_MAX / 2 ? at - CONTEXT_MAX / 2 : 0;
		e = s + CONTEXT_MAX < ln->len ? s + CONTEXT_MAX : ln->len;
		while (s > 0 && ((unsigned char)ln->p[s] & 0xc0) == 0x80)
			s++;
		while (e < ln->len && ((unsigned char)ln->p[e] & 0xc0) == 0x80)
			e--;
	}
	out = malloc(e - s + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, ln->p + s, e - s);
	out[e - s] = '\0';
	for (size_t i = 0; i < e - s; i++)
		if (out[i] == '\t')
			out[i] = ' ';
	return out;
}

static void
note_candidate(struct scan *sc, const struct tyst_finding *f)
{
	size_t len = (size_t)(f->base_end - f->start);
	uint32_t *slot;
	int added;
	struct cand *c;

	if (f->confidence == TYST_CERTAIN)
		return;
	added = tyst_strtab_put(&sc->seen, f->text, len, (uint32_t)sc->ncands,
	    &slot);
	if (added < 0) {
		sc->oom = 1;
		return;
	}
	if (!added) {
		sc->cands[*slot].count++;
		return;
	}
	if (sc->ncands == sc->capcands) {
		size_t nc = sc->capcands ? sc->capcands * 2 : 64;
		void *p = realloc(sc->cands, nc * sizeof(*sc->cands));

		if (p == NULL) {
			sc->oom = 1;
			return;
		}
		sc->cands = p;
		sc->capcands = nc;
	}
	c = &sc->cands[sc->ncands++];
	/* f->text is not NUL-terminated: copy, do not strndup. */
	if ((c->word = malloc(len + 1)) != NULL) {
		memcpy(c->word, f->text, len);
		c->word[len] = '\0';
	}
	c->category = f->category;
	c->context = context_of(&sc->line, f->start);
	c->count = 1;
	if (c->word == NULL || c->context == NULL)
		sc->oom = 1;
}

static void
report(struct scan *sc, const struct tyst_finding *f)
{
	if (f->confidence > sc->min_conf)
		return;
	sc->found++;
	for (size_t i = 0; i < sc->rules->ncats; i++)
		if (sc->rules->cats[i] == f->category) {
			sc->per_cat[i]++;
			break;
		}
	if (sc->review != NULL)
		note_candidate(sc, f);
	else if (!sc->summary)
		print_finding(sc, f);
}

static int
hold(struct scan *sc, size_t need)
{
	void *p;
	size_t nc;

	if (need <= sc->capheld)
		return 0;
	nc = need < 16 ? 16 : need * 2;
	if ((p = realloc(sc->held, nc * sizeof(*sc->held))) == NULL)
		return -1;
	sc->held = p;
	sc->capheld = nc;
	return 0;
}

/* The held line's findings, with the decisions on occurrences applied. */
static int
flush_held(struct scan *sc)
{
	size_t n;

	if (!sc->holding)
		return 0;
	sc->holding = 0;
	if (hold(sc, sc->nheld + tyst_occs_in_line(sc->occs, sc->noccs,
	    &sc->line)) < 0) {
		sc->oom = 1;
		return 1;
	}
	n = tyst_occs_apply(sc->rules, sc->occs, sc->noccs, &sc->line,
	    sc->held, sc->nheld);
	for (size_t i = 0; i < n; i++)
		report(sc, &sc->held[i]);
	sc->nheld = 0;
	return 0;
}

static int
on_finding(const struct tyst_finding *f, void *ctx)
{
	struct scan *sc = ctx;
	struct tyst_finding *g;

	if (sc->noccs == 0) {
		report(sc, f);
		return 0;
	}
	if (hold(sc, sc->nheld + 1) < 0) {
		sc->oom = 1;
		return 1;
	}
	g = &sc->held[sc->nheld++];
	*g = *f;
	g->text = sc->line.p + (f->start - sc->line.off);
	return 0;
}

/* Each line, before its findings: kept for the review file's context. */
static int
on_line(const struct tyst_line *ln, int had_bom, void *ctx)
{
	struct scan *sc = ctx;

	(void)had_bom;
	if (sc->noccs > 0) {
		if (flush_held(sc) != 0)
			return 1;
		if (ln->len + 1 > sc->lcap) {
			char *p = realloc(sc->lbuf, ln->len + 1);

			if (p == NULL) {
				sc->oom = 1;
				return 1;
			}
			sc->lbuf = p;
			sc->lcap = ln->len + 1;
		}
		memcpy(sc->lbuf, ln->p, ln->len);
		sc->line = *ln;
		sc->line.p = sc->lbuf;
		sc->holding = 1;
		return 0;
	}
	sc->line = *ln;
	if ((ln->lineno & 0xffff) == 0)
		tyst_progress("%s: %llu MB", sc->name,
		    (unsigned long long)(ln->off >> 20));
	return 0;
}

/* The SHA-256 of a file's bytes, the anchor of occurrence decisions. */
static int
file_sha(const char *path, char out[65])
{
	struct tyst_sha256 s;
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	tyst_sha256_init(&s);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		tyst_sha256_update(&s, buf, n);
	if (ferror(f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	tyst_sha256_final_hex(&s, out);
	return 0;
}

/* A file that is not plain UTF-8 text, through the format layer: its view
 * line by line, offsets mapped back into the file when printed. */
static int
scan_doc(struct scan *sc, const char *path)
{
	struct tyst_input *doc = &sc->input;
	struct tyst_err err;
	struct tyst_detector *d;
	int rc = 0;

	if (tyst_input_load(doc, path, sc->in_fmt, sc->in_enc, &err) < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	if ((d = tyst_detector_new(sc->rules)) == NULL) {
		tyst_diag(doc->name, 0, 0, "out of memory");
		tyst_input_free(doc);
		return -1;
	}
	sc->name = path != NULL && strcmp(path, "-") != 0 ? path : "<stdin>";
	sc->doc = doc;
	for (size_t i = 0; i < doc->nvlines && rc == 0; i++) {
		struct tyst_line ln;
		size_t s, e;

		if (tyst_input_line(doc, i + 1, &s, &e, &ln.eol) < 0)
			break;
		ln.p = doc->view + s;
		ln.len = e - s;
		ln.off = s;
		ln.lineno = i + 1;
		on_line(&ln, 0, sc);
		rc = tyst_detector_line(d, &ln, on_finding, sc, &err);
	}
	tyst_detector_free(d);
	sc->doc = NULL;
	if (rc < 0) {
		tyst_diag_err(&err);
		tyst_input_free(doc);
		return -1;
	}
	tyst_input_free(doc);
	return 0;
}

static int
scan_file(struct scan *sc, const char *path)
{
	char sha[65];

	struct tyst_reader r;
	struct tyst_err err;
	struct tyst_detector *d;
	struct tyst_stream_fns fns = { on_line, on_finding, sc };
	int rc;

	rc = sc->in_fmt != TYST_IN_AUTO || sc->in_enc != TYST_ENC_AUTO ? 1 :
	    tyst_input_sniff_path(path, &err);
	if (rc != 0) {
		if (rc < 0) {
			tyst_diag_err(&err);
			return -1;
		}
		return scan_doc(sc, path);
	}
	if (tyst_reader_open(&r, path, &err) < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	d = tyst_detector_new(sc->rules);
	if (d == NULL) {
		tyst_diag(r.name, 0, 0, "out of memory");
		tyst_reader_close(&r);
		return -1;
	}
	sc->name = r.name;
	sc->noccs = 0;
	/* Standard input cannot be hashed before it is read: its occurrence
	 * decisions do not apply (the man page says so). */
	if (sc->rules->noccs > 0 && strcmp(path, "-") != 0 &&
	    file_sha(path, sha) == 0)
		sc->noccs = tyst_rules_occs(sc->rules, sha, &sc->occs);
	rc = tyst_detect_stream(d, &r, &fns, sc->jobs, &err);
	if (rc >= 0)
		flush_held(sc);
	sc->holding = 0;
	sc->nheld = 0;
	tyst_progress_done();
	tyst_detector_free(d);
	tyst_reader_close(&r);
	if (rc < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	return 0;
}

/* ---- the review file -------------------------------------------------------- */

/* The new candidates into rv: counts of the old ones brought up to date,
 * the new ones appended as "ask". */
static int
merge_candidates(struct scan *sc, struct tyst_review *rv, unsigned long *fresh)
{
	struct tyst_review_item *p;

	for (size_t i = 0; i < rv->nitems; i++) {
		struct tyst_review_item *it = &rv->items[i];
		uint32_t *slot = tyst_strtab_get(&sc->seen, it->word,
		    strlen(it->word));

		if (slot != NULL) {
			it->count = sc->cands[*slot].count;
			sc->cands[*slot].count = 0;     /* written */
		}
	}
	for (size_t i = 0; i < sc->ncands; i++) {
		struct cand *c = &sc->cands[i];
		struct tyst_review_item *it;

		if (c->count == 0)
			continue;
		p = realloc(rv->items, (rv->nitems + 1) * sizeof(*p));
		if (p == NULL)
			return -1;
		rv->items = p;
		it = &rv->items[rv->nitems++];
		memset(it, 0, sizeof(*it));
		it->word = c->word;
		it->category = strdup(c->category);
		it->context = c->context;
		it->count = c->count;
		it->decision = TYST_ASK;
		c->word = c->context = NULL;    /* rv owns them now */
		if (it->category == NULL)
			return -1;
		(*fresh)++;
	}
	return 0;
}

/* Before the scan: a review file holds originals, so it may not lie where
 * pseudonymised files are shared. */
static int
check_review_place(const char *review, char *const *inputs, size_t ninputs)
{
	struct tyst_err err;
	int beside;

	if (tyst_review_place(review, NULL, inputs, ninputs, &beside,
	    &err) < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	if (beside)
		tyst_diag(review, 0, 0, "warning: the review file lies "
		    "beside the transcripts; it holds originals, so do not "
		    "share that folder as it is");
	return 0;
}

/*
 * Under the review file's lock, the file read again (tyst-review may have
 * saved decisions since this scan began), the new candidates merged in,
 * the whole written and renamed into place.
 */
static int
write_review(struct scan *sc, const char *rules_path)
{
	struct tyst_review rv;
	struct tyst_err err;
	char real[PATH_MAX];
	unsigned long fresh = 0;
	int exists, readable, lockfd, rc = -1;

	if ((lockfd = tyst_review_lock(sc->review, &err)) < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	if (tyst_review_load(&rv, sc->review, &exists, &err) < 0)
		goto out;
	if (rv.nincludes == 0) {
		const char *inc = "default";

		if (rules_path != NULL && realpath(rules_path, real) != NULL)
			inc = real;
		if ((rv.includes = malloc(sizeof(*rv.includes))) == NULL ||
		    (rv.includes[0] = strdup(inc)) == NULL) {
			tyst_err_set(&err, sc->review, 0, 0, "out of memory");
			goto out;
		}
		rv.nincludes = 1;
	}
	if (merge_candidates(sc, &rv, &fresh) < 0) {
		tyst_err_set(&err, sc->review, 0, 0, "out of memory");
		goto out;
	}
	if (tyst_review_save(&rv, sc->review, &readable, &err) < 0)
		goto out;
	if (readable)
		tyst_diag(sc->review, 0, 0, "warning: others may read the "
		    "review file, which holds originals (chmod 600 it)");
	fprintf(stderr, "%s: %s: %lu new candidate%s\n", tyst_progname(),
	    sc->review, fresh, fresh == 1 ? "" : "s");
	rc = 0;
out:
	if (rc < 0)
		tyst_diag_err(&err);
	tyst_review_free(&rv);
	tyst_review_unlock(lockfd);
	return rc;
}

static void
print_summary(const struct scan *sc)
{
	for (size_t i = 0; i < sc->rules->ncats; i++)
		if (sc->per_cat[i] > 0)
			printf("%-10s %lu\n", sc->rules->cats[i], sc->per_cat[i]);
	printf("%-10s %lu\n", "total", sc->found);
}

static int
parse_conf(const char *s, enum tyst_confidence *c)
{
	if (strcmp(s, "certain") == 0)
		*c = TYST_CERTAIN;
	else if (strcmp(s, "likely") == 0)
		*c = TYST_LIKELY;
	else if (strcmp(s, "candidate") == 0)
		*c = TYST_CANDIDATE;
	else
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "summary", no_argument, NULL, 's' },
		{ "confidence", required_argument, NULL, 'c' },
		{ "input-format", required_argument, NULL, 'F' },
		{ "review", required_argument, NULL, 'R' },
		{ "show", no_argument, NULL, 'S' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct scan sc;
	struct tyst_rules *rules;
	struct tyst_err err;
	const char *rules_path = NULL;
	int ch, failed = 0, nfiles;

	memset(&sc, 0, sizeof(sc));
	sc.min_conf = TYST_CANDIDATE;
	sc.jobs = tyst_default_jobs();
	tyst_diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "r:f:F:sc:j:hV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'r':
			rules_path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				sc.format = FMT_TEXT;
			else if (strcmp(optarg, "jsonl") == 0)
				sc.format = FMT_JSONL;
			else {
				tyst_diag(NULL, 0, 0, "unknown format '%s' "
				    "(text, jsonl)", optarg);
				return TYST_EXIT_ERROR;
			}
			break;
		case 'F':
			if (tyst_input_parse_format(optarg, &sc.in_fmt,
			    &sc.in_enc) < 0) {
				tyst_diag(NULL, 0, 0, "unknown input format '%s' "
				    "(text, utf-8, utf-16le, utf-16be, cp1252, "
				    "vtt, srt, docx, odt)", optarg);
				return TYST_EXIT_ERROR;
			}
			break;
		case 's':
			sc.summary = 1;
			break;
		case 'c':
			if (parse_conf(optarg, &sc.min_conf) < 0) {
				tyst_diag(NULL, 0, 0, "unknown confidence '%s' "
				    "(certain, likely, candidate)", optarg);
				return TYST_EXIT_ERROR;
			}
			break;
		case 'R':
			sc.review = optarg;
			break;
		case 'S':
			sc.show = 1;
			break;
		case 'j':
			if (tyst_parse_jobs(optarg, &sc.jobs) < 0) {
				tyst_diag(NULL, 0, 0, "--jobs wants 1 or 2, not "
				    "'%s'", optarg);
				return TYST_EXIT_ERROR;
			}
			break;
		case 'h':
			usage(stdout);
			return TYST_EXIT_OK;
		case 'V':
			printf("tyst-scan %s\n", TYST_VERSION);
			return TYST_EXIT_OK;
		default:
			usage(stderr);
			return TYST_EXIT_ERROR;
		}
	}
	/* The same command every round: -r REVIEW --review REVIEW works
	 * before the review file exists. */
	if (rules_path != NULL && sc.review != NULL &&
	    strcmp(rules_path, sc.review) == 0 && access(rules_path, F_OK) != 0)
		rules_path = NULL;
	if (tyst_rules_load(&rules, rules_path, &err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	sc.rules = rules;
	sc.color = sc.format == FMT_TEXT && tyst_use_color(stdout);
	sc.per_cat = calloc(rules->ncats, sizeof(*sc.per_cat));
	tyst_strtab_init(&sc.seen);
	if (sc.per_cat == NULL) {
		tyst_diag(NULL, 0, 0, "out of memory");
		tyst_rules_free(rules);
		return TYST_EXIT_ERROR;
	}
	nfiles = argc - optind;
	if (sc.review != NULL && check_review_place(sc.review, argv + optind,
	    (size_t)nfiles) < 0) {
		free(sc.per_cat);
		tyst_rules_free(rules);
		return TYST_EXIT_ERROR;
	}
	/* The review file may be the rules file (that is the workflow),
	 * never a transcript. */
	for (int i = 0; i < nfiles; i++)
		tyst_outfile_protect(argv[optind + i]);
	for (int i = 0; i < (nfiles > 0 ? nfiles : 1); i++)
		if (scan_file(&sc, nfiles > 0 ? argv[optind + i] : "-") < 0)
			failed = 1;
	if (sc.oom) {
		tyst_diag(NULL, 0, 0, "out of memory");
		failed = 1;
	} else if (sc.review != NULL && !failed &&
	    write_review(&sc, rules_path) < 0)
		failed = 1;
	if (sc.summary && !failed)
		print_summary(&sc);
	if (tyst_flush_stdout(&err) < 0) {
		tyst_diag_err(&err);
		failed = 1;
	}
	for (size_t i = 0; i < sc.ncands; i++) {
		free(sc.cands[i].word);
		free(sc.cands[i].context);
	}
	free(sc.cands);
	free(sc.held);
	free(sc.lbuf);
	tyst_strtab_free(&sc.seen);
	free(sc.per_cat);
	tyst_rules_free(rules);
	if (failed)
		return TYST_EXIT_ERROR;
	return sc.found > 0 ? TYST_EXIT_FOUND : TYST_EXIT_OK;
}
