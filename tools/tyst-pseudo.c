/*
 * tyst-pseudo — replace identifiers consistently, keeping the key apart.
 *
 * Options and messages only: the run itself (both passes, the order of
 * commits, the manifest and rescan rules of -o, reversal) is
 * lib/pseudo/run.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tyst/diag.h"
#include "tyst/input.h"
#include "tyst/pseudorun.h"

#define MANIFEST "tyst-pseudo-manifest.jsonl"

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-pseudo -k KEY [-r RULES] [-o OUTDIR] [options] [FILE...]\n"
"       tyst-pseudo --reverse -k KEY [-o OUTDIR] [FILE...]\n"
"\n"
"Replaces the identifiers tyst-scan finds with pseudonyms, placeholders,\n"
"generalisations or redactions (as the rules' pseudonymise: section says),\n"
"the same original by the same pseudonym in every file and run.  The key\n"
"(original, category, pseudonym, where) goes to the SQLite file KEY, which\n"
"is created readable by you alone and must be kept apart from the output.\n"
"With one FILE or standard input the result goes to standard output;\n"
"with -o each FILE becomes OUTDIR/FILE's name (pseudonymised).\n"
"\n"
"  -k, --key FILE         the key file (created when missing)\n"
"  -r, --rules FILE       the rule set (YAML) for detection and strategies;\n"
"                         default: the Swedish set shipped with tyst\n"
"  -o, --output DIR       write each output file into DIR, with\n"
"                         DIR/" MANIFEST "; a name in a file name\n"
"                         is pseudonymised like the text (the original\n"
"                         name stays in the key)\n"
"  -F, --input-format F   read the inputs as F instead of telling it by\n"
"                         content: text, utf-8, utf-16le, utf-16be, cp1252,\n"
"                         vtt, srt, docx or odt; the output is written in\n"
"                         the input's format (a .docx or .odt with what it\n"
"                         stores about people scrubbed; a .docm is refused)\n"
"  -c, --confidence LVL   replace findings at least this sure: certain,\n"
"                         likely or candidate (default: all of them)\n"
"  -n, --dry-run          print what would be replaced; write nothing\n"
"      --show             with -n, print a personnummer whole (its last\n"
"                         four digits are masked by default)\n"
"      --report FILE      one JSON object per replacement: file, start,\n"
"                         end (input byte offsets), category, key_id,\n"
"                         note (what a new pseudonym could not keep)\n"
"      --undecided WHAT   what to do with the words the review file (-r)\n"
"                         left undecided: pseudonymise or keep; without\n"
"                         it, undecided words are an error\n"
"      --reverse          restore the originals of files this key wrote\n"
"                         (the key is only read: it may be read-only)\n"
"      --timeout SECONDS  how long to wait for a key another process is\n"
"                         writing (default 30)\n"
"  -j, --jobs N           threads for detection: 1, or 2 (the default on a\n"
"                         machine with two or more CPUs)\n"
"  -h, --help             this help\n"
"  -V, --version          the version\n"
"\n"
"Exit status: 0 done, 2 error (the files that failed were not written and\n"
"the key was not changed for them).\n", f);
}

static void
say(int warning, const struct tyst_err *e, void *ctx)
{
	(void)ctx;
	if (warning)
		tyst_warn(e->file, e->line, e->col, "%s", e->msg);
	else
		tyst_diag_err(e);
}

static void
progress(const char *line, void *ctx)
{
	(void)ctx;
	if (line == NULL)
		tyst_progress_done();
	else
		tyst_progress("%s", line);
}

static void
listing(const struct tyst_pseudorun_change *c, void *ctx)
{
	(void)ctx;
	printf("%s:%zu:%zu: %s \"%.*s\" -> \"%.*s\"\n", c->file, c->line,
	    c->col, c->category, (int)c->text_len, c->text, (int)c->repl_len,
	    c->repl);
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

static int
parse_args(int argc, char **argv, struct tyst_pseudorun_opts *o,
    int *reverse)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "rules", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "confidence", required_argument, NULL, 'c' },
		{ "input-format", required_argument, NULL, 'F' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "show", no_argument, NULL, 'S' },
		{ "report", required_argument, NULL, 'R' },
		{ "reverse", no_argument, NULL, 'U' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "undecided", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	long v;
	int ch;

	o->timeout_ms = 30000;
	o->min_conf = TYST_CANDIDATE;
	o->jobs = tyst_default_jobs();
	while ((ch = getopt_long(argc, argv, "k:r:o:c:F:nj:hV", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'k': o->key_path = optarg; break;
		case 'r': o->rules_path = optarg; break;
		case 'o': o->outdir = optarg; break;
		case 'n': o->dry_run = 1; break;
		case 'S': o->show = 1; break;
		case 'R': o->report_path = optarg; break;
		case 'U': *reverse = 1; break;
		case 'c':
			if (parse_conf(optarg, &o->min_conf) < 0) {
				tyst_diag(NULL, 0, 0, "unknown confidence '%s' "
				    "(certain, likely, candidate)", optarg);
				return -1;
			}
			break;
		case 'j':
			if (tyst_parse_jobs(optarg, &o->jobs) < 0) {
				tyst_diag(NULL, 0, 0, "--jobs wants 1 or 2, not "
				    "'%s'", optarg);
				return -1;
			}
			break;
		case 'F':
			if (tyst_input_parse_format(optarg, &o->in_fmt,
			    &o->in_enc) < 0) {
				tyst_diag(NULL, 0, 0, "unknown input format '%s' "
				    "(text, utf-8, utf-16le, utf-16be, cp1252, "
				    "vtt, srt, docx, odt)", optarg);
				return -1;
			}
			break;
		case 'T':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 0 || v > 86400) {
				tyst_diag(NULL, 0, 0, "bad --timeout '%s' "
				    "(seconds)", optarg);
				return -1;
			}
			o->timeout_ms = (int)(v * 1000);
			break;
		case 'D':
			if (strcmp(optarg, "pseudonymise") != 0 &&
			    strcmp(optarg, "keep") != 0) {
				tyst_diag(NULL, 0, 0, "--undecided wants "
				    "pseudonymise or keep, not '%s'", optarg);
				return -1;
			}
			o->undecided = optarg;
			break;
		case 'h': usage(stdout); exit(TYST_EXIT_OK);
		case 'V': printf("tyst-pseudo %s\n", TYST_VERSION);
			exit(TYST_EXIT_OK);
		default: usage(stderr); return -1;
		}
	}
	if (o->key_path == NULL) {
		tyst_diag(NULL, 0, 0, "no key: give -k KEY (a file kept apart "
		    "from the output)");
		return -1;
	}
	if (o->outdir != NULL) {
		struct stat st;

		if (stat(o->outdir, &st) < 0) {
			tyst_diag(o->outdir, 0, 0, "output directory: %s",
			    strerror(errno));
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			tyst_diag(o->outdir, 0, 0, "not a directory");
			return -1;
		}
	}
	if (*reverse && (o->dry_run || o->report_path || o->rules_path)) {
		tyst_diag(NULL, 0, 0, "--reverse takes only -k, -o, -F and "
		    "files");
		return -1;
	}
	if (o->dry_run && o->outdir) {
		tyst_diag(NULL, 0, 0, "--dry-run writes nothing; leave out -o");
		return -1;
	}
	return 0;
}


int
main(int argc, char **argv)
{
	struct tyst_pseudorun_opts o;
	struct tyst_pseudorun_cb cb = { say, progress, listing, NULL };
	char *const *files;
	int nfiles, rc, reverse = 0;

	tyst_diag_init(argv[0]);
	memset(&o, 0, sizeof(o));
	if (parse_args(argc, argv, &o, &reverse) < 0)
		return TYST_EXIT_ERROR;
	o.in = stdin;
	o.out = stdout;
	files = argv + optind;
	nfiles = argc - optind;
	if (nfiles > 1 && o.outdir == NULL && !o.dry_run) {
		tyst_diag(NULL, 0, 0, "%d files: give -o OUTDIR (standard output "
		    "takes one file)", nfiles);
		return TYST_EXIT_ERROR;
	}
	if (nfiles == 0 && o.outdir != NULL) {
		tyst_diag(NULL, 0, 0, "-o needs FILE arguments (standard input "
		    "goes to standard output)");
		return TYST_EXIT_ERROR;
	}
	if (tyst_pseudorun_check(&o, files, nfiles, &cb) < 0)
		return TYST_EXIT_ERROR;
	if (reverse)
		rc = tyst_pseudorun_reverse(&o, files, nfiles, &cb);
	else
		rc = tyst_pseudorun(&o, files, nfiles, &cb);
	return rc < 0 ? TYST_EXIT_ERROR : TYST_EXIT_OK;
}
