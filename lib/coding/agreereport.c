/*
 * agreereport — see include/tyst/agreereport.h.
 *
 * Figures are printed with three decimals, "undefined" (NA in TSV) where
 * a coefficient is 0/0.
 */
#include "tyst/agreereport.h"

#include <math.h>
#include <string.h>

static void
fig(FILE *f, double x, int tsv)
{
	if (isnan(x))
		fputs(tsv ? "NA" : "undefined", f);
	else
		fprintf(f, "%.3f", x);
}

void
tyst_agree_write_matrix(FILE *f, const struct tyst_rdata *d,
    const struct tyst_agreement *a, int tsv)
{
	if (tsv) {
		fprintf(f, "coders\tunits\tpairable\tvalues\tagreement\tkappa\t"
		    "alpha\n%zu\t%llu\t%llu\t%llu\t", d->ncoders,
		    (unsigned long long)a->units,
		    (unsigned long long)a->pairable,
		    (unsigned long long)a->values);
		fig(f, a->percent, 1);
		fputc('\t', f);
		fig(f, a->kappa, 1);
		fputc('\t', f);
		fig(f, a->alpha, 1);
		fputc('\n', f);
		return;
	}
	fprintf(f, "coders:               ");
	for (size_t i = 0; i < d->ncoders; i++)
		fprintf(f, "%s%s", i ? ", " : "", d->coders[i]);
	fprintf(f, "\nunits:                %llu (pairable: %llu, values: "
	    "%llu)\n",
	    (unsigned long long)a->units, (unsigned long long)a->pairable,
	    (unsigned long long)a->values);
	fprintf(f, "percent agreement:    ");
	fig(f, a->percent, 0);
	fprintf(f, "\nCohen's kappa:        ");
	if (d->ncoders != 2)
		fprintf(f, "-  (two coders only)");
	else
		fig(f, a->kappa, 0);
	fprintf(f, "\nFleiss' kappa:        ");
	if (d->ncoders < 3)
		fprintf(f, "-  (three or more coders)");
	else {
		fig(f, a->fleiss, 0);
		fprintf(f, "  (%llu unit%s all coded)",
		    (unsigned long long)a->complete, a->complete == 1 ? "" :
		    "s");
	}
	fprintf(f, "\nKrippendorff's alpha: ");
	fig(f, a->alpha, 0);
	fputc('\n', f);
}

static const char *const unit_names[] = { "char", "sentence", "turn" };

/* Cohen's kappa for two coders, Fleiss' for more. */
static double
kappa_of(const struct tyst_agree_result *r, const struct tyst_agreement *a)
{
	return r->ncoders == 2 ? a->kappa : a->fleiss;
}

static void
write_ualpha(FILE *f, const struct tyst_agree_result *r, int w)
{
	fprintf(f, "\nunitized: Krippendorff's u-alpha over %llu character%s "
	    "of the %zu document%s every coder coded\n",
	    (unsigned long long)r->ulength, r->ulength == 1 ? "" : "s",
	    r->udocs, r->udocs == 1 ? "" : "s");
	fprintf(f, "%-*s %10s %9s\n", w, "code", "segments", "u-alpha");
	for (size_t k = 0; k <= r->ncodes; k++) {
		const struct tyst_ualpha *u = k < r->ncodes ? &r->codes[k].u :
		    &r->uoverall;

		fprintf(f, "%-*s %10zu ", w, k < r->ncodes ?
		    r->codes[k].code : "overall", u->units);
		if (isnan(u->alpha))
			fprintf(f, "%9s\n", "undefined");
		else
			fprintf(f, "%9.3f\n", u->alpha);
	}
}

void
tyst_agree_write_table(FILE *f, const struct tyst_agree_result *r, int tsv)
{
	const char *kname = r->ncoders == 2 ? "kappa" : "fleiss";
	int w = 7;

	for (size_t k = 0; k < r->ncodes; k++)
		if ((int)strlen(r->codes[k].code) > w)
			w = (int)strlen(r->codes[k].code);
	if (tsv)
		fprintf(f, "code\tunits\tpairable\tagreement\t%s\talpha\t"
		    "ualpha\n", kname);
	else
		fprintf(f, "%-*s %10s %10s %9s %9s %9s\n", w, "code", "units",
		    "pairable", "agreement", kname, "alpha");
	for (size_t k = 0; k <= r->ncodes; k++) {
		const struct tyst_agreement *a = k < r->ncodes ?
		    &r->codes[k].a : &r->overall;
		const char *name = k < r->ncodes ? r->codes[k].code :
		    "overall";

		if (tsv) {
			fprintf(f, "%s\t%llu\t%llu\t", name,
			    (unsigned long long)a->units,
			    (unsigned long long)a->pairable);
			fig(f, a->percent, 1);
			fputc('\t', f);
			fig(f, kappa_of(r, a), 1);
			fputc('\t', f);
			fig(f, a->alpha, 1);
			fputc('\t', f);
			fig(f, k < r->ncodes ? r->codes[k].u.alpha :
			    r->uoverall.alpha, 1);
			fputc('\n', f);
			continue;
		}
		fprintf(f, "%-*s %10llu %10llu ", w, name,
		    (unsigned long long)a->units,
		    (unsigned long long)a->pairable);
		for (int i = 0; i < 3; i++) {
			double x = i == 0 ? a->percent : i == 1 ?
			    kappa_of(r, a) : a->alpha;

			if (isnan(x))
				fprintf(f, " %9s", "undefined");
			else
				fprintf(f, " %9.3f", x);
		}
		if (k < r->ncodes && !r->codes[k].used)
			fputs("  (not applied)", f);
		fputc('\n', f);
	}
	if (!tsv)
		write_ualpha(f, r, w);
}

static void
md_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>|#", *s) != NULL)
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void
md_fig(FILE *f, double x)
{
	if (isnan(x))
		fputs("undefined", f);
	else
		fprintf(f, "%.3f", x);
}

static void
md_coders(FILE *f, const struct tyst_agree_result *r, uint32_t mask)
{
	int first = 1;

	for (size_t c = 0; c < r->ncoders; c++)
		if (mask & (1u << c)) {
			fputs(first ? "" : ", ", f);
			md_text(f, r->coders[c]);
			first = 0;
		}
	if (first)
		fputs("\xe2\x80\x93", f);
}

void
tyst_agree_write_md(FILE *f, const char *project,
    const struct tyst_agree_result *r, const struct tyst_agree_opts *o,
    const struct tyst_agree_speakers *sp)
{
	int unit = (int)o->unit;
	size_t doc = (size_t)-1;

	fputs("# Intercoder agreement\n\nProject `", f);
	fputs(project, f);
	fputs("`, coders ", f);
	md_coders(f, r, 0xffffffffu);
	fprintf(f, ", unit: %s", unit_names[unit]);
	for (size_t i = 0; i < sp->n; i++) {
		fputs(i == 0 ? ", only the turns of " : ", ", f);
		md_text(f, sp->v[i]);
	}
	fputs(".\n\n", f);
	fprintf(f, "| Code | Label | Units | Agreement | %s | Alpha | "
	    "u-alpha |\n|---|---|---:|---:|---:|---:|---:|\n",
	    r->ncoders == 2 ? "Kappa" : "Fleiss' kappa");
	for (size_t k = 0; k <= r->ncodes; k++) {
		const struct tyst_agreement *a = k < r->ncodes ?
		    &r->codes[k].a : &r->overall;

		fputs("| ", f);
		if (k < r->ncodes) {
			md_text(f, r->codes[k].code);
			fputs(" | ", f);
			md_text(f, r->codes[k].label);
		} else
			fputs("**overall** | ", f);
		fprintf(f, " | %llu | ", (unsigned long long)a->pairable);
		md_fig(f, a->percent);
		fputs(" | ", f);
		md_fig(f, kappa_of(r, a));
		fputs(" | ", f);
		md_fig(f, a->alpha);
		fputs(" | ", f);
		md_fig(f, k < r->ncodes ? r->codes[k].u.alpha :
		    r->uoverall.alpha);
		fputs(" |\n", f);
	}
	fprintf(f, "\nu-alpha (Krippendorff's alpha for unitizing) compares "
	    "where the segments begin and end, over the %llu characters of "
	    "the %zu document%s every coder coded.\n",
	    (unsigned long long)r->ulength, r->udocs,
	    r->udocs == 1 ? "" : "s");
	fprintf(f, "\n## Disagreements (%zu)\n", r->ndiffs);
	if (r->ndiffs == 0)
		fputs("\nThe coders agree everywhere.\n", f);
	for (size_t i = 0; i < r->ndiffs; i++) {
		const struct tyst_agree_diff *d = &r->diffs[i];

		if (d->doc != doc) {
			doc = d->doc;
			fputs("\n### ", f);
			md_text(f, r->docs[doc]);
			fputs("\n\n| Lines | Speaker | Code | Applied by | "
			    "Not by | Text |\n|---|---|---|---|---|---|\n", f);
		}
		if (d->line1 == d->line2)
			fprintf(f, "| %zu | ", d->line1);
		else
			fprintf(f, "| %zu\xe2\x80\x93%zu | ", d->line1,
			    d->line2);
		md_text(f, d->speaker != NULL ? d->speaker : "");
		fputs(" | ", f);
		md_text(f, r->codes[d->code].code);
		fputs(" | ", f);
		md_coders(f, r, d->applied);
		fputs(d->extent ? " (extent differs) | " : " | ", f);
		md_coders(f, r, d->valued & ~d->applied);
		fputs(" | ", f);
		md_text(f, d->excerpt);
		fputs(" |\n", f);
	}
}
