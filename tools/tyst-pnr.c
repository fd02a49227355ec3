/*
 * tyst-pnr — find and check Swedish personnummer and samordningsnummer.
 *
 * Options and output only; the finding is lib/detect/pnr.c and the reading
 * lib/base/text.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/diag.h"
#include "tyst/input.h"
#include "tyst/json.h"
#include "tyst/outfile.h"
#include "tyst/pnr.h"
#include "tyst/text.h"

enum format { FMT_TEXT, FMT_JSONL };

struct opts {
	enum format format;
	int show;
	int count;
	int valid_only;
	int color;
	int today;
};

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-pnr [options] [FILE...]\n"
"       tyst-pnr --check NUMBER\n"
"\n"
"Finds Swedish personnummer and samordningsnummer in text (standard input\n"
"when no FILE is given) and checks their date and check digit.  Any grouping\n"
"is found (85 03 12 98 79, 8609 20-84 29) and numbers read aloud in words\n"
"(\xc3\xa5ttiofem noll tre tolv, nittio\xc3\xa5tta sjuttionio).\n"
"\n"
"  -f, --format FMT   text (default: file:line:col: kind NUMBER valid|invalid)\n"
"                     or jsonl (one JSON object per finding)\n"
"  -s, --show         print the numbers whole; by default the last four\n"
"                     digits are masked so findings do not spread them\n"
"  -c, --count        print only the number of findings (per file)\n"
"      --valid-only   report only numbers whose check digit is right\n"
"      --check NUMBER check one number: exit 0 if valid, 1 if not\n"
"  -h, --help         this help\n"
"  -V, --version      the version\n"
"\n"
"Exit status: 0 nothing found, 1 found, 2 error.\n"
"A number with a real date but a wrong check digit is reported as invalid:\n"
"a mistyped personnummer still points at a person.\n", f);
}

static const char *
kind_name(const struct tyst_pnr *p)
{
	return p->kind == TYST_PNR_SAMORDNINGSNUMMER ? "samordningsnummer" :
	    "personnummer";
}

/* The number as written, the last four digits masked unless --show. */
static void
put_number(FILE *f, const char *line, size_t base, const struct tyst_pnr *p,
    int show, int json)
{
	size_t s = p->start - base, d = p->dig_start - base, e = p->end - base;
	char buf[64];
	size_t n = 0;

	if (show || e - s > sizeof(buf) - 8) {
		if (json)
			tyst_json_str(f, line + s, e - s);
		else
			fwrite(line + s, 1, e - s, f);
		return;
	}
	memcpy(buf, line + s, d - s);
	n = d - s;
	memcpy(buf + n, "****", 4);
	n += 4;
	if (json)
		tyst_json_str(f, buf, n);
	else
		fwrite(buf, 1, n, f);
}

static void
report(const struct opts *o, const char *name, const struct tyst_line *ln,
    size_t col, const struct tyst_pnr *p)
{
	unsigned long long start = ln->off + p->start, end = ln->off + p->end;

	if (o->format == FMT_JSONL) {
		fputs("{\"file\":", stdout);
		tyst_json_cstr(stdout, name);
		printf(",\"line\":%zu,\"col\":%zu,\"start\":%llu,\"end\":%llu,"
		    "\"category\":\"PNR\",\"kind\":\"%s\",\"valid\":%s,"
		    "\"sex\":\"%s\",\"birth_year\":%d,\"text\":",
		    ln->lineno, col, start, end, kind_name(p),
		    p->valid ? "true" : "false",
		    p->sex == 'm' ? "male" : "female", p->year);
		put_number(stdout, ln->p, 0, p, o->show, 1);
		fputs("}\n", stdout);
		return;
	}
	if (o->color)
		printf("\033[1m%s:%zu:%zu:\033[0m %s ", name, ln->lineno, col,
		    kind_name(p));
	else
		printf("%s:%zu:%zu: %s ", name, ln->lineno, col, kind_name(p));
	put_number(stdout, ln->p, 0, p, o->show, 0);
	if (o->color)
		printf(" %s\n", p->valid ? "\033[31mvalid\033[0m" :
		    "\033[33minvalid\033[0m");
	else
		printf(" %s\n", p->valid ? "valid" : "invalid");
}

/* Scans one input; returns the number of findings, or -1 on error. */
static long
scan(const struct opts *o, const char *path)
{
	struct tyst_reader r;
	struct tyst_line ln;
	struct tyst_err err;
	struct tyst_pnr p;
	struct tyst_input_stage st;
	long found = 0;
	int rc;

	/* Any format, read through its view (see tyst-scan). */
	if (tyst_input_stage_open(&st, path, NULL, TYST_IN_AUTO, TYST_ENC_AUTO,
	    &err) < 0 || tyst_reader_open(&r, st.path, &err) < 0) {
		tyst_input_stage_close(&st);
		tyst_diag_err(&err);
		return -1;
	}
	if (st.active)
		r.name = st.doc.name;
	tyst_reader_windows(&r, TYST_WINDOW, TYST_OVERLAP);
	while ((rc = tyst_reader_next(&r, &ln, &err)) > 0) {
		size_t at = 0;
		/* Columns are counted on from the last finding, not from the
		 * line's start: a long line with many numbers stays linear. */
		size_t cpos = 0, col = r.part.col0 + 1;

		while (tyst_pnr_find(ln.p, ln.len, at, o->today, &p)) {
			at = p.end;
			col += tyst_utf8_count(ln.p + cpos, p.start - cpos);
			cpos = p.start;
			/* A part of a long line: what starts in its own. */
			if (p.start < r.part.lead ||
			    p.start >= r.part.lead + r.part.own)
				continue;
			if (o->valid_only && !p.valid)
				continue;
			found++;
			if (!o->count)
				report(o, r.name, &ln, col, &p);
		}
		if ((ln.lineno & 0xffff) == 0)
			tyst_progress("%s: %llu MB", r.name,
			    (unsigned long long)(ln.off >> 20));
	}
	tyst_progress_done();
	if (rc < 0) {
		tyst_diag_err(&err);
		tyst_reader_close(&r);
		tyst_input_stage_close(&st);
		return -1;
	}
	tyst_reader_close(&r);
	tyst_input_stage_close(&st);
	return found;
}

static int
check_one(const struct opts *o, const char *number)
{
	struct tyst_pnr p;

	if (!tyst_pnr_parse(number, strlen(number), o->today, &p)) {
		printf("%s: not a personnummer or samordningsnummer "
		    "(form or date)\n", number);
		return TYST_EXIT_FOUND;
	}
	printf("%s: %s, %s, %s, born %04d-%02d-%02d\n", number, kind_name(&p),
	    p.valid ? "valid" : "invalid check digit",
	    p.sex == 'm' ? "man" : "woman", p.year, p.month, p.day);
	return p.valid ? TYST_EXIT_OK : TYST_EXIT_FOUND;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "show", no_argument, NULL, 's' },
		{ "count", no_argument, NULL, 'c' },
		{ "valid-only", no_argument, NULL, 'v' },
		{ "check", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { 0 };
	struct tyst_err err;
	const char *check = NULL;
	long total = 0;
	int ch, failed = 0;

	tyst_diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "f:schV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o.format = FMT_TEXT;
			else if (strcmp(optarg, "jsonl") == 0)
				o.format = FMT_JSONL;
			else {
				tyst_diag(NULL, 0, 0, "unknown format '%s' "
				    "(text, jsonl)", optarg);
				return TYST_EXIT_ERROR;
			}
			break;
		case 's': o.show = 1; break;
		case 'c': o.count = 1; break;
		case 'v': o.valid_only = 1; break;
		case 'C': check = optarg; break;
		case 'h': usage(stdout); return TYST_EXIT_OK;
		case 'V': printf("tyst-pnr %s\n", TYST_VERSION); return 0;
		default: usage(stderr); return TYST_EXIT_ERROR;
		}
	}
	o.today = tyst_pnr_today();
	o.color = o.format == FMT_TEXT && tyst_use_color(stdout);
	if (check != NULL)
		return check_one(&o, check);

	/* No FILE: standard input, as one input named "-". */
	int nfiles = argc - optind;
	for (int i = 0; i < (nfiles > 0 ? nfiles : 1); i++) {
		const char *path = nfiles > 0 ? argv[optind + i] : "-";
		long n = scan(&o, path);

		if (n < 0) {
			failed = 1;
			continue;
		}
		total += n;
		if (o.count && nfiles > 1)
			printf("%s:%ld\n", path, n);
	}
	if (o.count && nfiles <= 1)
		printf("%ld\n", total);
	if (tyst_flush_stdout(&err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	if (failed)
		return TYST_EXIT_ERROR;
	return total > 0 ? TYST_EXIT_FOUND : TYST_EXIT_OK;
}
