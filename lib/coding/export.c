/*
 * export — coded excerpts written out (include/tyst/export.h): Markdown,
 * CSV, JSON Lines or one HTML page, and the stored documents indexed
 * (lines, turns, sentences) so that an excerpt can say where it stands
 * and who spoke.  The text of an excerpt is always the stored text between
 * its segment's offsets: the formats only add what reading needs.
 */
#include "tyst/export.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/json.h"
#include "tyst/text.h"

/* ---- documents ---------------------------------------------------------- */

void
tyst_docs_init(struct tyst_docs *c, struct tyst_project *p)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
}

int
tyst_doc_index(struct tyst_doc *d, struct tyst_err *err)
{
	const char *t = d->o.d.text;
	size_t len = d->o.d.len, n = 1, k = 0;

	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	if ((d->lines = malloc(n * sizeof(*d->lines))) == NULL)
		return tyst_err_set(err, d->o.d.name, 0, 0, "out of memory");
	d->lines[k++] = 0;
	for (size_t i = 0; i < len; i++)
		if (t[i] == '\n')
			d->lines[k++] = i + 1;
	d->nlines = k;
	return tyst_turns_split(&d->turns, t, len, err);
}

void
tyst_doc_free(struct tyst_doc *d)
{
	if (d == NULL)
		return;
	tyst_pdoc_free(&d->o);
	tyst_turns_free(&d->turns);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}

const struct tyst_doc *
tyst_docs_get(struct tyst_docs *c, int64_t id, struct tyst_err *err)
{
	struct tyst_doc *d;
	int rc;

	if (id <= 0)
		return NULL;
	if ((size_t)id >= c->cap) {
		size_t cap = (size_t)id * 2 + 16;
		struct tyst_doc **v = realloc(c->byid, cap * sizeof(*v));

		if (v == NULL) {
			tyst_err_set(err, NULL, 0, 0, "out of memory");
			return NULL;
		}
		memset(v + c->cap, 0, (cap - c->cap) * sizeof(*v));
		c->byid = v;
		c->cap = cap;
	}
	if (c->byid[id] != NULL)
		return c->byid[id];
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		tyst_err_set(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	rc = tyst_project_document_by_id(c->p, id, &d->o, err);
	if (rc <= 0 || tyst_doc_index(d, err) < 0) {
		if (rc == 0)
			tyst_err_set(err, tyst_project_path(c->p), 0, 0,
			    "no document with id %" PRId64, id);
		tyst_doc_free(d);
		free(d);
		return NULL;
	}
	c->byid[id] = d;
	return d;
}

void
tyst_docs_free(struct tyst_docs *c)
{
	for (size_t i = 0; i < c->cap; i++) {
		tyst_doc_free(c->byid[i]);
		free(c->byid[i]);
	}
	free(c->byid);
	memset(c, 0, sizeof(*c));
}

void
tyst_doc_linecol(const struct tyst_doc *d, size_t off, size_t *line,
    size_t *col)
{
	size_t lo = 0, hi = d->nlines;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->lines[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	*line = lo;
	*col = tyst_utf8_count(d->o.d.text + d->lines[lo - 1],
	    off - d->lines[lo - 1]) + 1;
}

size_t
tyst_doc_speaker(const struct tyst_doc *d, size_t off, const char **label)
{
	long k = tyst_turns_find(&d->turns, off);

	if (k < 0) {
		*label = NULL;
		return 0;
	}
	*label = d->o.d.text + d->turns.v[k].label;
	return d->turns.v[k].label_end - d->turns.v[k].label;
}

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* True when the text before p ends a sentence, a line or a label. */
static int
ends_sentence(const char *t, size_t i)
{
	unsigned char c;

	if (i == 0)
		return 1;
	c = (unsigned char)t[i - 1];
	if (c == '.' || c == '!' || c == '?' || c == ':' || c == '\n')
		return 1;
	/* … and a closing ” after a stop */
	if (i >= 3 && c == 0xa6 && (unsigned char)t[i - 2] == 0x80 &&
	    (unsigned char)t[i - 3] == 0xe2)
		return 1;
	if (i >= 4 && c == 0x9d && (unsigned char)t[i - 2] == 0x80 &&
	    (unsigned char)t[i - 3] == 0xe2)
		return strchr(".!?", t[i - 4]) != NULL;
	return c == '"' && i >= 2 && strchr(".!?", t[i - 2]) != NULL;
}

void
tyst_doc_cuts(const struct tyst_doc *d, size_t start, size_t end, int *before,
    int *after)
{
	const char *t = d->o.d.text;
	size_t len = d->o.d.len, i = start, j = end;

	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		i--;
	*before = !ends_sentence(t, i);
	while (j > start && space(t[j - 1]))
		j--;
	*after = 0;
	if (ends_sentence(t, j))
		return;
	j = end;
	while (j < len && (t[j] == ' ' || t[j] == '\t'))
		j++;
	*after = j < len && t[j] != '\n' && t[j] != '\r';
}

/* ---- attribution -------------------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
};

static int
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (p == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

char *
tyst_attribution(const char *tmpl, const struct tyst_excerpt *e,
    const char *code, const char *label, tyst_attr_fn attr, void *ctx,
    struct tyst_err *err)
{
	struct buf b = { NULL, 0, 0 };
	const char *p = tmpl;

	if (put(&b, "", 0) < 0)
		goto oom;
	while (*p != '\0') {
		const char *open = strchr(p, '{'), *close, *v = NULL;
		char key[128];

		if (open == NULL) {
			if (put(&b, p, strlen(p)) < 0)
				goto oom;
			break;
		}
		if (put(&b, p, (size_t)(open - p)) < 0)
			goto oom;
		if (open[1] == '{') {
			if (put(&b, "{", 1) < 0)
				goto oom;
			p = open + 2;
			continue;
		}
		close = strchr(open, '}');
		if (close == NULL || close == open + 1 ||
		    (size_t)(close - open) >= sizeof(key)) {
			free(b.p);
			tyst_err_set(err, NULL, 0, 0, "attribution template "
			    "'%s': '{' without a {key} (write '{{' for a "
			    "literal brace)", tmpl);
			return NULL;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(close - open - 1),
		    open + 1);
		if (strcmp(key, "case") == 0)
			v = e->case_name != NULL ? e->case_name : e->document;
		else if (strcmp(key, "document") == 0)
			v = e->document;
		else if (strcmp(key, "speaker") == 0)
			v = e->speaker != NULL ? e->speaker : "";
		else if (strcmp(key, "coder") == 0)
			v = e->coder;
		else if (strcmp(key, "code") == 0)
			v = code;
		else if (strcmp(key, "label") == 0)
			v = label;
		else if (attr != NULL)
			v = attr(key, ctx);
		if (v == NULL) {
			free(b.p);
			tyst_err_set(err, NULL, 0, 0, "attribution '{%s}': "
			    "case '%s' (document %s) has no attribute '%s' "
			    "(set it with tyst-code case … --attr %s=…)", key,
			    e->case_name ? e->case_name : "-", e->document,
			    key, key);
			return NULL;
		}
		if (put(&b, v, strlen(v)) < 0)
			goto oom;
		p = close + 1;
	}
	return b.p;
oom:
	free(b.p);
	tyst_err_set(err, NULL, 0, 0, "out of memory");
	return NULL;
}

/* ---- formats ------------------------------------------------------------ */

int
tyst_format_parse(const char *s)
{
	if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
		return TYST_FMT_MD;
	if (strcmp(s, "csv") == 0)
		return TYST_FMT_CSV;
	if (strcmp(s, "jsonl") == 0)
		return TYST_FMT_JSONL;
	if (strcmp(s, "html") == 0)
		return TYST_FMT_HTML;
	if (strcmp(s, "xlsx") == 0)
		return TYST_FMT_XLSX;
	if (strcmp(s, "docx") == 0)
		return TYST_FMT_DOCX;
	return -1;
}

const char *
tyst_format_name(int fmt)
{
	static const char *const names[] = {
		"md", "csv", "jsonl", "html", "xlsx", "docx"
	};

	if (fmt < 0 || fmt > TYST_FMT_DOCX)
		return "?";
	return names[fmt];
}

int
tyst_format_binary(int fmt)
{
	return fmt == TYST_FMT_XLSX || fmt == TYST_FMT_DOCX;
}

int
tyst_format_built(int fmt)
{
#ifdef TYST_HAVE_XLSX
	return fmt >= 0 && fmt <= TYST_FMT_DOCX;
#else
	return fmt >= 0 && fmt <= TYST_FMT_DOCX && fmt != TYST_FMT_XLSX;
#endif
}

static const char cut[] = "[…]";

/* Markdown text: characters that would start markup are escaped, so the
 * words come out as written. */
static void
md_text(FILE *f, const char *p, size_t n, int line_start)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (line_start) {
			size_t k = i;

			line_start = 0;
			while (k < n && p[k] >= '0' && p[k] <= '9')
				k++;
			if (k > i && k < n && (p[k] == '.' || p[k] == ')')) {
				fwrite(p + i, 1, k - i, f);
				fputc('\\', f);
				fputc(p[k], f);
				i = k;
				continue;
			}
			if (strchr("#-+>|", c) != NULL) {
				fputc('\\', f);
				fputc(c, f);
				continue;
			}
		}
		if (strchr("\\*_`<>", c) != NULL)
			fputc('\\', f);
		fputc(c, f);
	}
}

static void
md_quote(FILE *f, const struct tyst_excerpt *e)
{
	const char *p = e->text, *end = e->text + e->len;

	/* Blank lines at the edges would only make empty quote lines. */
	while (p < end && space(*p))
		p++;
	while (end > p && space(end[-1]))
		end--;
	fputs("> ", f);
	if (e->cut_before)
		fprintf(f, "%s ", cut);
	for (int first = 1; p < end; first = 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		md_text(f, p, n, !first || !e->cut_before);
		if (nl == NULL)
			break;
		/* A line break inside a paragraph stays one; a blank line
		 * starts a new quoted paragraph. */
		fputs(nl + 1 < end && nl[1] == '\n' ? "\n>\n> " : "\\\n> ", f);
		p = nl + 1;
		while (p < end && *p == '\n')
			p++;
	}
	if (e->cut_after)
		fprintf(f, " %s", cut);
	fputs("\n\n", f);
}

static void
yaml_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static int
write_md(FILE *f, const struct tyst_export *x)
{
	size_t i = 0;

	fputs("---\ntitle: ", f);
	yaml_str(f, x->title != NULL ? x->title : "Utdrag");
	if (x->version != NULL) {
		fputs("\nsubtitle: ", f);
		yaml_str(f, x->version);
	}
	fputs("\nlang: sv\n---\n", f);
	while (i < x->n) {
		const struct tyst_xcode *c = &x->codes[x->v[i].code];
		size_t k = x->v[i].code;

		fputs("\n## ", f);
		md_text(f, c->label, strlen(c->label), 0);
		fprintf(f, " {#%s}\n\n", c->code);
		if (c->description != NULL && c->description[0] != '\0') {
			fputc('*', f);
			md_text(f, c->description, strlen(c->description), 0);
			fputs("*\n\n", f);
		}
		for (; i < x->n && x->v[i].code == k; i++) {
			md_quote(f, &x->v[i]);
			md_text(f, x->v[i].attribution,
			    strlen(x->v[i].attribution), 1);
			fputs("\n", f);
			if (i + 1 < x->n && x->v[i + 1].code == k)
				fputs("\n", f);
		}
	}
	return 0;
}

/*
 * A cell that starts with = + - @, a tab or a CR is a formula to Excel and
 * LibreOffice: "=HYPERLINK(…)" in a memo would run when the researcher opens
 * the file.  It gets a leading ' (as OWASP recommends), which a spreadsheet
 * shows as text; raw keeps the stored text as it is.
 */
static int
csv_formula(const char *p, size_t n)
{
	return n > 0 && strchr("=+-@\t\r", p[0]) != NULL && p[0] != '\0';
}

static void
csv_field(FILE *f, const char *p, size_t n, int raw)
{
	int quote = 0, tick = !raw && csv_formula(p, n);

	for (size_t i = 0; i < n && !quote; i++)
		quote = p[i] == ',' || p[i] == '"' || p[i] == '\n' ||
		    p[i] == '\r';
	if (!quote) {
		if (tick)
			fputc('\'', f);
		fwrite(p, 1, n, f);
		return;
	}
	fputc('"', f);
	if (tick)
		fputc('\'', f);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			fputc('"', f);
		fputc(p[i], f);
	}
	fputc('"', f);
}

static void
csv_str(FILE *f, const char *s, int last, int raw)
{
	if (s != NULL)
		csv_field(f, s, strlen(s), raw);
	fputs(last ? "\r\n" : ",", f);
}

/* start, end, line_start, line_end: after sep between them (CSV), or as
 * JSON members when sep is NULL. */
static void
put_numbers(FILE *f, const char *sep, const struct tyst_excerpt *e)
{
	static const char *const names[] = {
		",\"start\":", ",\"end\":", ",\"line_start\":", ",\"line_end\":"
	};
	uint64_t v[4] = { e->start, e->end, e->line_start, e->line_end };

	for (int i = 0; i < 4; i++) {
		if (sep == NULL)
			fputs(names[i], f);
		else if (i > 0)
			fputs(sep, f);
		tyst_put_u64(f, v[i]);
	}
}

const char *const tyst_table_head[] = {
	"segment", "document", "case", "code", "label", "coder", "speaker",
	"start", "end", "line_start", "line_end", "text", "attribution",
	"memo", "code_path"
};
const size_t tyst_table_nhead = sizeof(tyst_table_head) /
    sizeof(tyst_table_head[0]);

static int
write_csv(FILE *f, const struct tyst_export *x)
{
	int raw = x->csv_raw;
	size_t nh = tyst_table_nhead;

	for (size_t k = 0; k < nh; k++)
		csv_str(f, tyst_table_head[k], k + 1 == nh && x->ncols == 0, 0);
	for (size_t k = 0; k < x->ncols; k++)
		csv_str(f, x->cols[k], k + 1 == x->ncols, raw);
	for (size_t i = 0; i < x->n; i++) {
		const struct tyst_excerpt *e = &x->v[i];
		const struct tyst_xcode *c = &x->codes[e->code];

		tyst_put_i64(f, e->segment);
		fputc(',', f);
		csv_str(f, e->document, 0, raw);
		csv_str(f, e->case_name, 0, raw);
		csv_str(f, c->code, 0, raw);
		csv_str(f, c->label, 0, raw);
		csv_str(f, e->coder, 0, raw);
		csv_str(f, e->speaker, 0, raw);
		put_numbers(f, ",", e);
		fputc(',', f);
		csv_field(f, e->text, e->len, raw);
		fputc(',', f);
		csv_str(f, e->attribution, 0, raw);
		csv_str(f, e->memo, 0, raw);
		csv_str(f, c->path != NULL ? c->path : c->label,
		    x->ncols == 0, raw);
		for (size_t k = 0; k < x->ncols; k++)
			csv_str(f, e->cells != NULL ? e->cells[k] : NULL,
			    k + 1 == x->ncols, raw);
	}
	return 0;
}

static int
write_jsonl(FILE *f, const struct tyst_export *x)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct tyst_excerpt *e = &x->v[i];
		const struct tyst_xcode *c = &x->codes[e->code];

		fputs("{\"segment\":", f);
		tyst_put_i64(f, e->segment);
		fputs(",\"document\":", f);
		tyst_json_cstr(f, e->document);
		fputs(",\"case\":", f);
		tyst_json_cstr(f, e->case_name);
		fputs(",\"code\":", f);
		tyst_json_cstr(f, c->code);
		fputs(",\"label\":", f);
		tyst_json_cstr(f, c->label);
		fputs(",\"coder\":", f);
		tyst_json_cstr(f, e->coder);
		fputs(",\"speaker\":", f);
		tyst_json_cstr(f, e->speaker);
		put_numbers(f, NULL, e);
		fputs(",\"text\":", f);
		tyst_json_str(f, e->text, e->len);
		fputs(",\"attribution\":", f);
		tyst_json_cstr(f, e->attribution);
		fputs(",\"memo\":", f);
		tyst_json_cstr(f, e->memo);
		fputs(e->cut_before ? ",\"cut_before\":true" :
		    ",\"cut_before\":false", f);
		fputs(e->cut_after ? ",\"cut_after\":true}\n" :
		    ",\"cut_after\":false}\n", f);
	}
	return 0;
}

static void
html_text(FILE *f, const char *p, size_t n, int breaks)
{
	for (size_t i = 0; i < n; i++) {
		switch (p[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\n':
			if (!breaks) {
				fputc(' ', f);
				break;
			}
			if (i + 1 < n && p[i + 1] == '\n') {
				fputs("</p>\n<p>", f);
				while (i + 1 < n && p[i + 1] == '\n')
					i++;
			} else
				fputs("<br>\n", f);
			break;
		default: fputc(p[i], f);
		}
	}
}

static void
html_str(FILE *f, const char *s)
{
	html_text(f, s, strlen(s), 0);
}

static int
valid_color(const char *c)
{
	if (c == NULL || c[0] != '#' || strlen(c) != 7)
		return 0;
	for (int i = 1; i < 7; i++)
		if (strchr("0123456789abcdefABCDEF", c[i]) == NULL)
			return 0;
	return 1;
}

static const char html_style[] =
"body{font-family:Georgia,'Times New Roman',serif;max-width:46em;"
"margin:2em auto;padding:0 1em;line-height:1.5;color:#222}"
"h1{font-size:1.6em}h2{border-left:.4em solid #888;padding-left:.5em;"
"margin-top:2em}h2 small{font-family:monospace;font-weight:normal;"
"color:#777;font-size:.6em;margin-left:.6em}.desc{color:#555;"
"font-style:italic}figure{margin:1.2em 0}blockquote{margin:0;"
"padding:.2em 1em;border-left:3px solid #ccc;background:#fafafa}"
"figcaption{margin:.3em 0 0 1em;font-size:.95em}figcaption .src{"
"color:#888;font-size:.85em;margin-left:.5em}.meta{color:#777}";

static int
write_html(FILE *f, const struct tyst_export *x)
{
	const char *title = x->title != NULL ? x->title : "Utdrag";
	size_t i = 0;

	fputs("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>", f);
	html_str(f, title);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
	    html_style);
	html_str(f, title);
	fputs("</h1>\n<p class=\"meta\">", f);
	fprintf(f, "%zu utdrag", x->n);
	if (x->version != NULL) {
		fputs(" · kodbok ", f);
		html_str(f, x->version);
	}
	fputs("</p>\n", f);
	while (i < x->n) {
		size_t k = x->v[i].code;
		const struct tyst_xcode *c = &x->codes[k];

		fputs("<section id=\"", f);
		html_str(f, c->code);
		fputs("\">\n<h2", f);
		if (valid_color(c->color))
			fprintf(f, " style=\"border-color:%s\"", c->color);
		fputs(">", f);
		html_str(f, c->label);
		fputs("<small>", f);
		html_str(f, c->code);
		fputs("</small></h2>\n", f);
		if (c->description != NULL && c->description[0] != '\0') {
			fputs("<p class=\"desc\">", f);
			html_str(f, c->description);
			fputs("</p>\n", f);
		}
		for (; i < x->n && x->v[i].code == k; i++) {
			const struct tyst_excerpt *e = &x->v[i];

			fputs("<figure>\n<blockquote><p>", f);
			if (e->cut_before)
				fprintf(f, "%s ", cut);
			html_text(f, e->text, e->len, 1);
			if (e->cut_after)
				fprintf(f, " %s", cut);
			fputs("</p></blockquote>\n<figcaption>", f);
			html_str(f, e->attribution);
			fputs("<span class=\"src\">", f);
			html_str(f, e->document);
			fprintf(f, ", rad %zu", e->line_start);
			if (e->line_end != e->line_start)
				fprintf(f, "–%zu", e->line_end);
			fputs(", ", f);
			html_str(f, e->coder);
			fputs("</span></figcaption>\n</figure>\n", f);
		}
		fputs("</section>\n", f);
	}
	fputs("</body>\n</html>\n", f);
	return 0;
}

int
tyst_export_write(FILE *f, enum tyst_format fmt, const struct tyst_export *x,
    struct tyst_err *err)
{
	(void)err;
	switch (fmt) {
	case TYST_FMT_MD: return write_md(f, x);
	case TYST_FMT_CSV: return write_csv(f, x);
	case TYST_FMT_JSONL: return write_jsonl(f, x);
	case TYST_FMT_HTML: return write_html(f, x);
	case TYST_FMT_XLSX: return tyst_export_xlsx(f, x, err);
	case TYST_FMT_DOCX: return tyst_export_docx(f, x, err);
	}
	return tyst_err_set(err, NULL, 0, 0, "unknown format");
}

static int
field(tyst_field_fn fn, void *ctx, const char *text, int kind,
    const char *fmt, ...)
{
	char what[160];
	va_list ap;

	if (text == NULL || text[0] == '\0')
		return 0;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fn(what, text, kind, ctx);
}

/*
 * What only the tables carry: the attribute columns, their names as well
 * as their values.  The code path is left out as the labels are: it is
 * made of nothing but the codebook's labels, which the label column
 * already carries, and a scan of "Förutsättningar/Stöd" would only stop
 * exports at words of the method ("Stöd" read as an organisation).
 */
static int
table_fields(const struct tyst_export *x, const struct tyst_excerpt *e,
    tyst_field_fn fn, void *ctx)
{
	long long sg = (long long)e->segment;
	int rc;

	for (size_t k = 0; k < x->ncols; k++) {
		if ((rc = field(fn, ctx, strchr(x->cols[k], ':') + 1,
		    TYST_FIELD_TEXT, "the name of the column %s",
		    x->cols[k])) != 0)
			return rc;
		if (e->cells != NULL && (rc = field(fn, ctx, e->cells[k],
		    TYST_FIELD_TEXT, "the column %s of segment %lld",
		    x->cols[k], sg)) != 0)
			return rc;
	}
	return 0;
}

int
tyst_export_fields(const struct tyst_export *x, tyst_field_fn fn, void *ctx)
{
	int rc;

	if ((rc = field(fn, ctx, x->title, TYST_FIELD_TEXT, "the title")) != 0)
		return rc;
	for (size_t i = 0; i < x->n; i++) {
		const struct tyst_excerpt *e = &x->v[i];
		int64_t sg = e->segment;

		if ((rc = field(fn, ctx, e->document, TYST_FIELD_NAME, "the "
		    "document name of segment %lld", (long long)sg)) != 0 ||
		    (rc = field(fn, ctx, e->case_name, TYST_FIELD_NAME, "the "
		    "case name of segment %lld", (long long)sg)) != 0 ||
		    (rc = field(fn, ctx, e->coder, TYST_FIELD_TEXT, "the coder "
		    "of segment "
		    "%lld", (long long)sg)) != 0 ||
		    (rc = field(fn, ctx, e->speaker, TYST_FIELD_LABEL, "the "
		    "speaker of segment %lld", (long long)sg)) != 0 ||
		    (rc = field(fn, ctx, e->attribution, TYST_FIELD_TEXT,
		    "the attribution of segment %lld", (long long)sg)) != 0 ||
		    (rc = field(fn, ctx, e->memo, TYST_FIELD_TEXT, "the memo of "
		    "segment "
		    "%lld", (long long)sg)) != 0 ||
		    (rc = table_fields(x, e, fn, ctx)) != 0)
			return rc;
	}
	return 0;
}
