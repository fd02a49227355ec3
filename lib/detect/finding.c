/*
 * finding — writing findings out (include/tyst/finding.h).
 *
 * The plain form is built in one buffer and written with one fwrite: on
 * identifier-dense text printf costs more than finding what it prints.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tyst/finding.h"
#include "tyst/input.h"
#include "tyst/json.h"
#include "tyst/pnr.h"

static int
has_letter(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || isalpha((unsigned char)s[i]))
			return 1;
	return 0;
}

/* The finding's text, with the last four digits of a personnummer masked
 * unless show. */
static size_t
shown_text(int show, const struct tyst_finding *f, char *buf, size_t cap,
    const char **out)
{
	size_t len = (size_t)(f->end - f->start);
	struct tyst_pnr pn;
	int left = 4;

	*out = f->text;
	if (show || strcmp(f->source, "pnr") != 0 || len >= cap)
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
put_attrs_json(FILE *out, const char *a)
{
	int first = 1;

	fputs(",\"attrs\":{", out);
	while (a != NULL && *a != '\0') {
		const char *tab = strchr(a, '\t');
		size_t n = tab != NULL ? (size_t)(tab - a) : strlen(a);
		const char *eq = memchr(a, '=', n);

		if (eq != NULL) {
			if (!first)
				putc(',', out);
			tyst_json_str(out, a, (size_t)(eq - a));
			putc(':', out);
			tyst_json_str(out, eq + 1, n - (size_t)(eq - a) - 1);
			first = 0;
		}
		a += n;
		if (*a == '\t')
			a++;
	}
	putc('}', out);
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

/* FILE:LINE:COL: CATEGORY "TEXT" (SOURCE), built in one buffer. */
static void
put_plain(FILE *out, const char *name, const struct tyst_finding *f,
    const char *text, size_t len)
{
	char buf[1024], *o = buf;
	size_t nn = strlen(name), nc = strlen(f->category),
	    ns = strlen(f->source);

	if (nn + nc + ns + len + 64 > sizeof(buf)) {
		fprintf(out, "%s:%zu:%zu: %s \"%.*s\" (%s)\n", name, f->line,
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
	fwrite(buf, 1, (size_t)(o - buf), out);
}

static void
put_jsonl(FILE *out, const char *name, const struct tyst_input *doc,
    const struct tyst_finding *f, const char *text, size_t len)
{
	uint64_t s = f->start, e = f->end, be = f->base_end;

	/* Offsets into the file as read, whatever its format. */
	if (doc != NULL) {
		s = tyst_input_src(doc, (size_t)f->start);
		e = tyst_input_src_end(doc, (size_t)f->end);
		be = tyst_input_src_end(doc, (size_t)f->base_end);
	}
	fputs("{\"file\":", out);
	tyst_json_cstr(out, name);
	fprintf(out, ",\"line\":%zu,\"col\":%zu,\"start\":%llu,\"end\":%llu,"
	    "\"base_end\":%llu,\"category\":", f->line, f->col,
	    (unsigned long long)s, (unsigned long long)e,
	    (unsigned long long)be);
	tyst_json_cstr(out, f->category);
	fputs(",\"text\":", out);
	tyst_json_str(out, text, len);
	fputs(",\"source\":", out);
	tyst_json_cstr(out, f->source);
	fprintf(out, ",\"confidence\":\"%s\"",
	    tyst_confidence_name(f->confidence));
	/* A word processor's text: where in the zip it came from. */
	if (doc != NULL && doc->lpart != NULL &&
	    f->line >= 1 && f->line <= doc->nvlines) {
		fputs(",\"part\":", out);
		tyst_json_cstr(out, doc->lpart[f->line - 1]);
		fprintf(out, ",\"para\":%zu", doc->lpara[f->line - 1]);
	}
	if (f->attrs != NULL)
		put_attrs_json(out, f->attrs);
	fputs("}\n", out);
}

void
tyst_finding_write(FILE *out, enum tyst_finding_form form, int show,
    const char *name, const struct tyst_input *doc,
    const struct tyst_finding *f)
{
	char buf[128];
	const char *text;
	size_t len = shown_text(show, f, buf, sizeof(buf), &text);

	if (form == TYST_FINDING_JSONL)
		put_jsonl(out, name, doc, f, text, len);
	else if (form == TYST_FINDING_COLOR)
		fprintf(out, "\033[1m%s:%zu:%zu:\033[0m \033[%sm%s\033[0m "
		    "\"%.*s\" (%s)\n", name, f->line, f->col,
		    f->confidence == TYST_CERTAIN ? "31" :
		    f->confidence == TYST_LIKELY ? "35" : "33", f->category,
		    (int)len, text, f->source);
	else
		put_plain(out, name, f, text, len);
}
