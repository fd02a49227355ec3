/*
 * tyst-code list: segments, documents, codes, coders, cases, memos,
 * annotations, journals.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tyst/export.h"
#include "tyst/json.h"
#include "tyst/outfile.h"

#include "code.h"

struct list_ctx {
	struct tyst_docs docs;
	int json;
	struct tyst_err *err;
	int failed;
};

static void
preview(const char *p, size_t n)
{
	size_t shown = 0, i = 0;

	while (i < n && shown < 60) {
		uint32_t cp;
		size_t k = tyst_utf8_decode(p + i, n - i, &cp);

		if (p[i] == '\n' || p[i] == '\t')
			fputc(' ', stdout);
		else
			fwrite(p + i, 1, k, stdout);
		i += k;
		shown++;
	}
	if (i < n)
		fputs("…", stdout);
}

static int
list_segment(const struct tyst_psegment *s, void *arg)
{
	struct list_ctx *c = arg;
	const struct tyst_doc *d = tyst_docs_get(&c->docs, s->document_id,
	    c->err);
	size_t l1, l2, col;
	const char *sp;
	size_t spn;

	if (d == NULL) {
		c->failed = 1;
		return 1;
	}
	tyst_doc_linecol(d, s->start, &l1, &col);
	tyst_doc_linecol(d, s->end - 1, &l2, &col);
	spn = tyst_doc_speaker(d, s->start, &sp);
	if (c->json) {
		printf("{\"id\":%" PRId64 ",\"document\":", s->id);
		tyst_json_cstr(stdout, s->document);
		fputs(",\"code\":", stdout);
		tyst_json_cstr(stdout, s->code);
		fputs(",\"coder\":", stdout);
		tyst_json_cstr(stdout, s->coder);
		fputs(",\"speaker\":", stdout);
		if (spn > 0)
			tyst_json_str(stdout, sp, spn);
		else
			fputs("null", stdout);
		printf(",\"start\":%" PRIu64 ",\"end\":%" PRIu64 ",\"line_start\":"
		    "%zu,\"line_end\":%zu,\"memo\":", s->start, s->end, l1, l2);
		tyst_json_cstr(stdout, s->memo);
		fputs(",\"created\":", stdout);
		tyst_json_cstr(stdout, s->created);
		fputs(",\"text\":", stdout);
		tyst_json_str(stdout, d->o.d.text + s->start,
		    (size_t)(s->end - s->start));
		fputs("}\n", stdout);
		return 0;
	}
	printf("%" PRId64 "\t%s\t%zu-%zu\t%s\t%s\t%.*s\t", s->id, s->document,
	    l1, l2, s->code, s->coder, (int)spn, spn > 0 ? sp : "");
	preview(d->o.d.text + s->start, (size_t)(s->end - s->start));
	fputc('\n', stdout);
	return 0;
}

static int
list_doc(const struct tyst_pdoc *d, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%s\t%zu\t%s\t%.12s\n", d->name,
	    d->case_name ? d->case_name : "-", d->review, d->len, d->imported,
	    d->sha256);
	return 0;
}

static int
list_code(const struct tyst_pcode *c, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%s\n", c->code, c->parent ? c->parent : "-", c->label);
	return 0;
}

static int
list_name(int64_t id, const char *name, void *ctx)
{
	(void)id;
	(void)ctx;
	printf("%s\n", name);
	return 0;
}

struct case_line {
	int first;
};

static int
case_attr(int64_t case_id, const char *key, const char *value, void *arg)
{
	struct case_line *l = arg;

	(void)case_id;
	printf("%s%s=%s", l->first ? "" : " ", key, value);
	l->first = 0;
	return 0;
}

/* A case a line: its name, a tab and its attributes as KEY=VALUE. */
static int
list_case(int64_t id, const char *name, void *arg)
{
	struct tyst_project *p = ((void **)arg)[0];
	struct tyst_err *err = ((void **)arg)[1];
	struct case_line l = { 1 };

	printf("%s\t", name);
	if (tyst_project_case_attrs(p, id, case_attr, &l, err) < 0)
		return -1;
	putchar('\n');
	return 0;
}

/* An annotation: when, the document and its byte span, who, the text. */
static int
list_annotation(const struct tyst_pannotation *a, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%" PRIu64 "-%" PRIu64 "\t%s\t%s\n", a->created,
	    a->document, a->start, a->end, a->coder ? a->coder : "-", a->text);
	return 0;
}

static int
list_journal(const struct tyst_pjournal *j, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%s\t%s\n", j->created, j->name,
	    j->coder ? j->coder : "-", j->text);
	return 0;
}

static int
list_cases(struct tyst_project *p, struct tyst_err *err)
{
	void *arg[2] = { p, err };

	return tyst_project_cases(p, list_case, arg, err) != 0 ? -1 : 0;
}

int
cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 'c' },
		{ "document", required_argument, NULL, 'd' },
		{ "coder", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *codes[64], *what = "segments";
	struct tyst_segfilter f;
	struct tyst_project *p;
	struct list_ctx c;
	struct tyst_err err;
	int ch, rc;

	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	f.codes = codes;
	while ((ch = getopt_long(argc, argv, "c:d:k:f:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (f.ncodes == 64)
				return bad_usage("too many --code%s", "");
			codes[f.ncodes++] = optarg;
			break;
		case 'd': f.document = optarg; break;
		case 'k': f.coder = optarg; break;
		case 'f':
			if (strcmp(optarg, "jsonl") == 0)
				c.json = 1;
			else if (strcmp(optarg, "text") != 0)
				return bad_usage("--format '%s': text or jsonl",
				    optarg);
			break;
		default: return bad_usage("list: unknown option%s", "");
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return bad_usage("list needs PROJECT.db [WHAT]%s", "");
	if (argc - optind == 2)
		what = argv[optind + 1];
	if (open_filtered(&p, argv[optind], &f, &err) < 0)
		return fail(&err);
	c.err = &err;
	tyst_docs_init(&c.docs, p);
	if (strcmp(what, "segments") == 0)
		rc = tyst_project_segments(p, &f, list_segment, &c, &err);
	else if (strcmp(what, "documents") == 0)
		rc = tyst_project_documents(p, 0, list_doc, NULL, &err);
	else if (strcmp(what, "codes") == 0)
		rc = tyst_project_codes(p, list_code, NULL, &err);
	else if (strcmp(what, "coders") == 0)
		rc = tyst_project_coders(p, list_name, NULL, &err);
	else if (strcmp(what, "cases") == 0)
		rc = list_cases(p, &err);
	else if (strcmp(what, "memos") == 0)
		rc = tyst_project_memos(p, 0, 0, print_memo, NULL, &err);
	else if (strcmp(what, "annotations") == 0)
		rc = tyst_project_annotations(p, 0, list_annotation, NULL, &err);
	else if (strcmp(what, "journals") == 0)
		rc = tyst_project_journals(p, list_journal, NULL, &err);
	else
		rc = tyst_err_set(&err, NULL, 0, 0, "list what? '%s' (segments, "
		    "documents, codes, coders, cases, memos, annotations, "
		    "journals)", what);
	tyst_docs_free(&c.docs);
	tyst_project_close(p);
	if (rc < 0 || c.failed)
		return fail(&err);
	if (tyst_flush_stdout(&err) < 0)
		return fail(&err);
	return TYST_EXIT_OK;
}
