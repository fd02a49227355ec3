/*
 * tyst-scan — find identifiers in Swedish transcripts.
 *
 * Options, messages and exit codes only: the finding is lib/detect/detect.c,
 * the rule sets lib/detect/rules.c, the printing of a finding
 * lib/detect/finding.c, a scan of one input lib/detect/scanrun.c and the
 * review file's candidates lib/pseudo/revcand.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/finding.h"
#include "tyst/gate.h"
#include "tyst/input.h"
#include "tyst/outfile.h"
#include "tyst/revcand.h"
#include "tyst/revfile.h"
#include "tyst/rules.h"
#include "tyst/scanrun.h"
#include "tyst/text.h"

struct scan {
	enum tyst_finding_form form;
	int summary;
	int show;
	enum tyst_confidence min_conf;
	const char *review;
	const struct tyst_rules *rules;
	struct tyst_scanrun run;        /* rules, -F, -j; where we are */
	unsigned long found;
	unsigned long *per_cat;
	struct tyst_revcands cands;     /* for --review */
	int oom;
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
report(const struct tyst_finding *f, void *ctx)
{
	struct scan *sc = ctx;

	if (f->confidence > sc->min_conf)
		return 0;
	sc->found++;
	for (size_t i = 0; i < sc->rules->ncats; i++)
		if (sc->rules->cats[i] == f->category) {
			sc->per_cat[i]++;
			break;
		}
	if (sc->review != NULL) {
		if (tyst_revcands_note(&sc->cands, f, &sc->run.line) < 0)
			sc->oom = 1;
	} else if (!sc->summary)
		tyst_finding_write(stdout, sc->form, sc->show, sc->run.name,
		    sc->run.doc, f);
	return 0;
}

static void
progress(const struct tyst_line *ln, void *ctx)
{
	struct scan *sc = ctx;

	if ((ln->lineno & 0xffff) == 0)
		tyst_progress("%s: %llu MB", sc->run.name,
		    (unsigned long long)(ln->off >> 20));
}

static int
scan_file(struct scan *sc, const char *path)
{
	struct tyst_err err;
	int rc = tyst_scanrun_file(&sc->run, path, &err);

	tyst_progress_done();
	if (rc < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	return 0;
}

/* ---- the review file -------------------------------------------------------- */

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
	struct tyst_err err;
	unsigned long fresh;
	int readable;

	if (tyst_revcands_save(&sc->cands, sc->review, rules_path, &fresh,
	    &readable, &err) < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	if (readable)
		tyst_diag(sc->review, 0, 0, "warning: others may read the "
		    "review file, which holds originals (chmod 600 it)");
	fprintf(stderr, "%s: %s: %lu new candidate%s\n", tyst_progname(),
	    sc->review, fresh, fresh == 1 ? "" : "s");
	return 0;
}

static void
print_summary(const struct scan *sc)
{
	for (size_t i = 0; i < sc->rules->ncats; i++)
		if (sc->per_cat[i] > 0)
			printf("%-10s %lu\n", sc->rules->cats[i], sc->per_cat[i]);
	printf("%-10s %lu\n", "total", sc->found);
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
	int ch, conf, failed = 0, nfiles;

	memset(&sc, 0, sizeof(sc));
	sc.min_conf = TYST_CANDIDATE;
	sc.run.jobs = tyst_default_jobs();
	tyst_diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "r:f:F:sc:j:hV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'r':
			rules_path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				sc.form = TYST_FINDING_TEXT;
			else if (strcmp(optarg, "jsonl") == 0)
				sc.form = TYST_FINDING_JSONL;
			else {
				tyst_diag(NULL, 0, 0, "unknown format '%s' "
				    "(text, jsonl)", optarg);
				return TYST_EXIT_ERROR;
			}
			break;
		case 'F':
			if (tyst_input_parse_format(optarg, &sc.run.in_fmt,
			    &sc.run.in_enc) < 0) {
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
			if ((conf = tyst_confidence_parse(optarg)) < 0) {
				tyst_diag(NULL, 0, 0, "unknown confidence '%s' "
				    "(certain, likely, candidate)", optarg);
				return TYST_EXIT_ERROR;
			}
			sc.min_conf = (enum tyst_confidence)conf;
			break;
		case 'R':
			sc.review = optarg;
			break;
		case 'S':
			sc.show = 1;
			break;
		case 'j':
			if (tyst_parse_jobs(optarg, &sc.run.jobs) < 0) {
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
	sc.run.rules = rules;
	sc.run.report = report;
	sc.run.progress = progress;
	sc.run.ctx = &sc;
	if (sc.form == TYST_FINDING_TEXT && tyst_use_color(stdout))
		sc.form = TYST_FINDING_COLOR;
	sc.per_cat = calloc(rules->ncats, sizeof(*sc.per_cat));
	tyst_revcands_init(&sc.cands);
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
	if (sc.oom || sc.run.oom) {
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
	tyst_revcands_free(&sc.cands);
	tyst_scanrun_free(&sc.run);
	free(sc.per_cat);
	tyst_rules_free(rules);
	if (failed)
		return TYST_EXIT_ERROR;
	return sc.found > 0 ? TYST_EXIT_FOUND : TYST_EXIT_OK;
}
