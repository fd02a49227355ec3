/*
 * cbview — the views of a codebook (include/tyst/cbview.h).  Reading and
 * writing the YAML is lib/coding/codebook.c; the exchange formats are
 * lib/refi/.
 */
#include <stdio.h>
#include <string.h>

#include "tyst/cbview.h"
#include "tyst/json.h"

static void
tsv_field(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			putc(*s, f);
	}
}

/* A table cell: one line, pipes escaped. */
static void
md_cell(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n')
			fputs("<br>", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else
			putc(*s, f);
	}
}

static size_t
nchildren(const struct tyst_codebook *cb, size_t i)
{
	size_t n = 0;

	for (size_t j = i + 1; j < cb->ncodes &&
	    cb->codes[j].depth > cb->codes[i].depth; j++)
		n += cb->codes[j].parent == (long)i;
	return n;
}

void
tyst_cbview_tree(FILE *f, const struct tyst_codebook *cb)
{
	size_t w = 0;

	for (size_t i = 0; i < cb->ncodes; i++) {
		size_t n = 2 * cb->codes[i].depth + strlen(cb->codes[i].id);

		if (n > w)
			w = n;
	}
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct tyst_code *c = &cb->codes[i];
		int pad = (int)(w - 2 * c->depth);

		fprintf(f, "%*s%-*s  %s\n", (int)(2 * c->depth), "", pad, c->id,
		    c->label);
	}
}

void
tyst_cbview_tsv(FILE *f, const struct tyst_codebook *cb)
{
	fputs("id\tparent\tdepth\tlabel\tcolor\tdescription\n", f);
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct tyst_code *c = &cb->codes[i];

		fprintf(f, "%s\t%s\t%zu\t", c->id, c->parent >= 0 ?
		    cb->codes[c->parent].id : "", c->depth);
		tsv_field(f, c->label);
		putc('\t', f);
		tsv_field(f, c->color);
		putc('\t', f);
		tsv_field(f, c->description);
		putc('\n', f);
	}
}

static void
json_code(FILE *f, const struct tyst_codebook *cb, size_t i)
{
	const struct tyst_code *c = &cb->codes[i];
	int first = 1;

	fputs("{\"id\":", f);
	tyst_json_cstr(f, c->id);
	fputs(",\"label\":", f);
	tyst_json_cstr(f, c->label);
	fputs(",\"parent\":", f);
	tyst_json_cstr(f, c->parent >= 0 ? cb->codes[c->parent].id : NULL);
	fprintf(f, ",\"depth\":%zu,\"codable\":%s,\"color\":", c->depth,
	    c->uncodable ? "false" : "true");
	tyst_json_cstr(f, c->color);
	fputs(",\"description\":", f);
	tyst_json_cstr(f, c->description);
	fputs(",\"inclusion\":", f);
	tyst_json_cstr(f, c->inclusion);
	fputs(",\"exclusion\":", f);
	tyst_json_cstr(f, c->exclusion);
	fputs(",\"examples\":[", f);
	for (size_t k = 0; k < c->nexamples; k++) {
		if (k > 0)
			putc(',', f);
		tyst_json_cstr(f, c->examples[k]);
	}
	fputs("],\"sets\":[", f);
	for (size_t s = 0; s < cb->nsets; s++)
		for (size_t k = 0; k < cb->sets[s].nmembers; k++)
			if (cb->sets[s].members[k] == i) {
				if (!first)
					putc(',', f);
				first = 0;
				tyst_json_cstr(f, cb->sets[s].id);
			}
	fprintf(f, "],\"line\":%zu}\n", c->line);
}

void
tyst_cbview_jsonl(FILE *f, const struct tyst_codebook *cb)
{
	for (size_t i = 0; i < cb->ncodes; i++)
		json_code(f, cb, i);
}

/* key: value, the lines of a value after the first under it. */
static void
show_text(FILE *f, const char *key, const char *v)
{
	const char *nl;

	if (v == NULL)
		return;
	fprintf(f, "%-12s ", key);
	while ((nl = strchr(v, '\n')) != NULL) {
		fprintf(f, "%.*s\n%-12s ", (int)(nl - v), v, "");
		v = nl + 1;
	}
	fprintf(f, "%s\n", v);
}

/* The sets code at is in, on one line. */
static void
show_sets(FILE *f, const struct tyst_codebook *cb, size_t at)
{
	int first = 1;

	for (size_t s = 0; s < cb->nsets; s++)
		for (size_t k = 0; k < cb->sets[s].nmembers; k++)
			if (cb->sets[s].members[k] == at) {
				fprintf(f, first ? "%-12s %s" : ", %s",
				    "sets:", cb->sets[s].id);
				if (first)
					first = 0;
			}
	if (!first)
		putc('\n', f);
}

void
tyst_cbview_code(FILE *f, const struct tyst_codebook *cb, size_t at)
{
	const struct tyst_code *c = &cb->codes[at];

	show_text(f, "id:", c->id);
	show_text(f, "label:", c->label);
	if (c->parent >= 0)
		fprintf(f, "%-12s %s (%s)\n", "parent:",
		    cb->codes[c->parent].id, cb->codes[c->parent].label);
	if (nchildren(cb, at) > 0) {
		fprintf(f, "%-12s", "children:");
		for (size_t j = at + 1; j < cb->ncodes; j++)
			if (cb->codes[j].parent == (long)at)
				fprintf(f, " %s", cb->codes[j].id);
		putc('\n', f);
	}
	show_sets(f, cb, at);
	show_text(f, "color:", c->color);
	if (c->uncodable)
		show_text(f, "codable:", "no (a heading)");
	show_text(f, "description:", c->description);
	show_text(f, "inclusion:", c->inclusion);
	show_text(f, "exclusion:", c->exclusion);
	for (size_t k = 0; k < c->nexamples; k++)
		show_text(f, k == 0 ? "examples:" : "", c->examples[k]);
	fprintf(f, "%-12s %s:%zu:%zu\n", "defined:", cb->path, c->line,
	    c->col);
}

static void
md_sets(FILE *f, const struct tyst_codebook *cb, int sv)
{
	if (cb->nsets == 0)
		return;
	fputs(sv ? "\n## Grupper av koder\n\n" : "\n## Sets of codes\n\n", f);
	for (size_t s = 0; s < cb->nsets; s++) {
		const struct tyst_codeset *set = &cb->sets[s];

		fputs("- **", f);
		md_cell(f, set->label);
		fputs("**: ", f);
		for (size_t k = 0; k < set->nmembers; k++) {
			fputs(k ? ", " : "", f);
			md_cell(f, cb->codes[set->members[k]].label);
		}
		fputs("\n", f);
	}
}

void
tyst_cbview_md(FILE *f, const struct tyst_codebook *cb)
{
	int sv = cb->language != NULL && strncmp(cb->language, "sv", 2) == 0;
	size_t num[64] = { 0 };

	fprintf(f, "# %s\n\n", cb->title ? cb->title :
	    (sv ? "Kodbok" : "Codebook"));
	if (cb->source != NULL) {
		fputs(sv ? "Källa: " : "Source: ", f);
		md_cell(f, cb->source);
		fputs("\n\n", f);
	}
	fputs(sv ? "| Nr | Kod | Beskrivning | Inkludera | Exkludera | "
	    "Exempel |\n" : "| No. | Code | Description | Include | Exclude | "
	    "Examples |\n", f);
	fputs("|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct tyst_code *c = &cb->codes[i];
		size_t d = c->depth < 63 ? c->depth : 63;

		num[d]++;
		for (size_t k = d + 1; k < 64; k++)
			num[k] = 0;
		fputs("| ", f);
		for (size_t k = 0; k <= d; k++)
			fprintf(f, k ? ".%zu" : "%zu", num[k]);
		fputs(" | ", f);
		md_cell(f, c->label);
		fprintf(f, "<br>`%s` | ", c->id);
		md_cell(f, c->description);
		fputs(" | ", f);
		md_cell(f, c->inclusion);
		fputs(" | ", f);
		md_cell(f, c->exclusion);
		fputs(" | ", f);
		for (size_t k = 0; k < c->nexamples; k++) {
			fputs(k ? "<br>" : "", f);
			fputs(sv ? "”" : "“", f);
			md_cell(f, c->examples[k]);
			fputs("”", f);
		}
		fputs(" |\n", f);
	}
	md_sets(f, cb, sv);
}
