/*
 * pnr — see include/tyst/pnr.h.
 *
 * The finder is hand-written rather than a regex: it walks digit runs once,
 * which is both faster than a backtracking pattern and easier to reason about
 * at the edges (what may stand next to a number and still count as one).
 */
#include "tyst/pnr.h"
#include "tyst/numerals.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '_';
}

/* Punctuation that joins digit groups into one longer number. */
static int
is_joiner(unsigned char c)
{
	return c == '-' || c == '+' || c == '/' || c == '.' || c == ',' ||
	    c == ':';
}

int
tyst_pnr_today(void)
{
	const char *env = getenv("TYST_TODAY");
	int y, m, d;
	time_t now;
	struct tm tm;

	if (env != NULL && strlen(env) == 10 && env[4] == '-' && env[7] == '-') {
		y = atoi(env);
		m = atoi(env + 5);
		d = atoi(env + 8);
		if (y > 1900 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
			return y * 10000 + m * 100 + d;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int
tyst_pnr_luhn(const char *d)
{
	int sum = 0;

	for (int i = 0; i < 9; i++) {
		int v = (d[i] - '0') * (i % 2 == 0 ? 2 : 1);
		sum += v > 9 ? v - 9 : v;
	}
	return (10 - sum % 10) % 10;
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

static int
two(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/*
 * Fills out from the date digits (6 or 8) and the four last digits, and
 * checks the date.  Returns 1 for a real date, 0 otherwise.
 */
static int
build(const char *date, size_t datelen, const char *last4, char sep,
    int today, struct tyst_pnr *out)
{
	int year, month, day, cur = today / 10000;
	char ten[11];

	if (datelen == 8) {
		/* Only people born 1800–2099 have personnummer: "12811218"
		 * is an order number, not a date. */
		if (two(date) < 18 || two(date) > 20)
			return 0;
		year = two(date) * 100 + two(date + 2);
		date += 2;
	} else {
		int yy = two(date);

		/*
		 * A dash means younger than 100, a plus 100 or older: the
		 * century is the latest one that puts the birthday in the
		 * past, minus a hundred years for a plus.
		 */
		year = cur - (cur - yy) % 100;
		if (year * 10000 + two(date + 2) * 100 + two(date + 4) % 60 > today)
			year -= 100;
		if (sep == '+')
			year -= 100;
	}
	month = two(date + 2);
	day = two(date + 4);
	out->kind = TYST_PNR_PERSONNUMMER;
	if (day > 60) {
		out->kind = TYST_PNR_SAMORDNINGSNUMMER;
		day -= 60;
	}
	if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
		return 0;
	memcpy(ten, date, 6);
	memcpy(ten + 6, last4, 4);
	ten[10] = '\0';
	out->year = year;
	out->month = month;
	out->day = day;
	/* Birth number 000 is never issued. */
	out->valid = tyst_pnr_luhn(ten) == ten[9] - '0' &&
	    memcmp(ten + 6, "000", 3) != 0;
	out->sex = (ten[8] - '0') % 2 == 1 ? 'm' : 'f';
	out->sep = sep;
	out->long_form = datelen == 8;
	/* YYYY from the year, then MMDDNNNC as written (keeping the +60). */
	out->digits[0] = (char)('0' + year / 1000 % 10);
	out->digits[1] = (char)('0' + year / 100 % 10);
	out->digits[2] = (char)('0' + year / 10 % 10);
	out->digits[3] = (char)('0' + year % 10);
	memcpy(out->digits + 4, ten + 2, 8);
	out->digits[12] = '\0';
	return 1;
}

static int
left_ok(const unsigned char *t, size_t i)
{
	if (i == 0)
		return 1;
	if (is_alnum(t[i - 1]))
		return 0;
	if (is_joiner(t[i - 1]) && i >= 2 && is_digit(t[i - 2]))
		return 0;
	return 1;
}

static int
right_ok(const unsigned char *t, size_t len, size_t end)
{
	if (end == len)
		return 1;
	if (is_alnum(t[end]))
		return 0;
	if (is_joiner(t[end]) && end + 1 < len && is_digit(t[end + 1]))
		return 0;
	return 1;
}

/*
 * The first digit at or after i.  Most bytes are letters, so look at eight
 * at a time: a byte b < 0x80 is a digit when b + (0x80 - '0') sets its high
 * bit and b + (0x80 - '9' - 1) does not.  Bytes with the high bit already
 * set (UTF-8) are masked out by ~w.
 */
static size_t
skip_to_digit(const unsigned char *t, size_t len, size_t i)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;

	while (len - i >= 8) {
		uint64_t w, low7, ge0, gt9;

		memcpy(&w, t + i, 8);
		low7 = w & ~high;
		ge0 = low7 + ones * (0x80 - '0');
		gt9 = low7 + ones * (0x80 - '9' - 1);
		if ((ge0 & ~gt9 & ~w & high) != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			i += (size_t)__builtin_ctzll(ge0 & ~gt9 & ~w & high) / 8;
#endif
			break;
		}
		i += 8;
	}
	while (i < len && (unsigned)(t[i] - '0') > 9)
		i++;
	return i;
}

static size_t
digit_run(const unsigned char *t, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && is_digit(t[j]))
		j++;
	return j - i;
}

/* Bytes of a blank at p (space, no-break, figure, thin or narrow no-break
 * space), or 0. */
static size_t
blank_len(const unsigned char *p, size_t n)
{
	if (n >= 1 && p[0] == ' ')
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0x87 || p[2] == 0x89 || p[2] == 0x8a || p[2] == 0xaf))
		return 3;
	return 0;
}

/* Bytes of a dash at p: '-', '+', U+2010-U+2014 (hyphens, the
 * non-breaking hyphen, figure, en and em dash) or U+2212 (minus). */
static size_t
dash_len(const unsigned char *p, size_t n, char *kind)
{
	if (n >= 1 && (p[0] == '-' || p[0] == '+')) {
		*kind = (char)p[0];
		return 1;
	}
	if (n >= 3 && p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0x90 &&
	    p[2] <= 0x94) || (p[1] == 0x88 && p[2] == 0x92))) {
		*kind = '-';
		return 3;
	}
	return 0;
}

/*
 * A separator between digit groups at p: blanks, at most one dash, blanks.
 * Its length (0 when there is none); *kind is ' ' for blanks only, else
 * the dash's kind.
 */
static size_t
sep_at(const unsigned char *p, size_t n, char *kind)
{
	size_t i = 0, k;

	*kind = ' ';
	while ((k = blank_len(p + i, n - i)) != 0)
		i += k;
	if ((k = dash_len(p + i, n - i, kind)) != 0) {
		i += k;
		while ((k = blank_len(p + i, n - i)) != 0)
			i += k;
	}
	return i;
}

#define MAXGROUPS 8

/* The value of the digits d[0..n). */
static long
value(const char *d, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n && i < 9; i++)
		v = v * 10 + (d[i] - '0');
	return v;
}

/*
 * Whether the n groups' values step evenly ("tio elva tolv tretton
 * fjorton", "10 12 14 16 18"): someone counting, not a number read out,
 * even where the digits happen to pass the check (both of those do).
 */
static int
counting(const long *v, size_t n)
{
	if (n < 4 || v[1] == v[0])
		return 0;
	for (size_t i = 2; i < n; i++)
		if (v[i] - v[i - 1] != v[1] - v[0])
			return 0;
	return 1;
}

/* Digit groups joined by separators, as people type a number. */
struct groups {
	size_t s[MAXGROUPS], e[MAXGROUPS];
	char kind[MAXGROUPS];   /* separator after group k */
	size_t n;
	int more;               /* a further group follows the last */
};

static void
read_groups(const unsigned char *t, size_t len, size_t i, struct groups *g)
{
	g->n = 0;
	g->more = 0;
	for (;;) {
		size_t r = digit_run(t, len, i), sl;
		char kind = 0;

		if (g->n == MAXGROUPS) {
			g->more = 1;
			return;
		}
		g->s[g->n] = i;
		g->e[g->n] = i + r;
		g->kind[g->n] = 0;
		g->n++;
		i += r;
		if (i < len && is_alnum(t[i]))
			return;
		sl = sep_at(t + i, len - i, &kind);
		if (sl == 0 || i + sl >= len || !is_digit(t[i + sl]))
			return;
		g->kind[g->n - 1] = kind;
		i += sl;
	}
}

static int
counts(const unsigned char *t, const struct groups *g, size_t a, size_t b)
{
	long v[MAXGROUPS];

	for (size_t k = a; k <= b; k++)
		v[k - a] = value((const char *)t + g->s[k], g->e[k] - g->s[k]);
	return counting(v, b - a + 1);
}

/*
 * Whether groups a..b of g are a number's shape, and fills out.  A lone
 * run of 10 or 12 digits, or the date and the last four apart (the classic
 * form), stand anywhere; other groupings ("85 03 12 98 79", "8609 20-84
 * 29") only as the whole of what is typed together, so "93 08 30 98 98" is
 * never read from its second group.
 */
static int
try_groups(const unsigned char *t, size_t len, const struct groups *g,
    size_t a, size_t b, int today, struct tyst_pnr *out)
{
	char d[13], kind = 0;
	size_t n = 0, last4 = 0;
	int classic;

	for (size_t k = a; k <= b; k++) {
		size_t r = g->e[k] - g->s[k];

		if (n + r > 12)
			return 0;
		memcpy(d + n, t + g->s[k], r);
		n += r;
	}
	if (n != 10 && n != 12)
		return 0;
	classic = a == b || (b == a + 1 && g->e[b] - g->s[b] == 4);
	if (!classic) {
		if (a != 0)
			return 0;
		for (size_t k = a; k <= b; k++) {
			if (g->e[k] - g->s[k] < 2)
				return 0;
			if (k < b && g->kind[k] == '+')
				return 0;
		}
		/* 070-123 45 67, 0708-12 34 56, 031-123 45 67: an area
		 * code of three or four digits is a telephone number's. */
		if (t[g->s[a]] == '0' && g->e[a] - g->s[a] <= 4 &&
		    g->e[a] - g->s[a] >= 3)
			return 0;
	}
	if (a == 0 && !left_ok(t, g->s[0]))
		return 0;
	if (a > 0 && g->kind[a - 1] != ' ')
		return 0;
	if (!right_ok(t, len, g->e[b]))
		return 0;
	if (b + 1 < g->n || (b + 1 == g->n && g->more)) {
		/* Joined by a dash to more digits: a longer code. */
		if (g->kind[b] != ' ')
			return 0;
	}
	if (a < b)
		kind = g->kind[b - 1];
	if (classic && a < b) {
		if (!build(d, n - 4, d + n - 4, kind, today, out))
			return 0;
		/* "850312 1234" may be a date and a time or a count; with a
		 * space require the check digit too. */
		if (kind == ' ' && !out->valid)
			return 0;
	} else {
		for (size_t k = a; k < b; k++)
			if (g->kind[k] != ' ')
				kind = '-';
		if (!build(d, n - 4, d + n - 4, a == b ? 0 : kind, today, out))
			return 0;
		/*
		 * Ten digits starting with 070 are far more often a mobile
		 * number (0701234567) than the number of someone born in
		 * January–September 2007: require the check digit.  (072,
		 * 073, 076 and 079 give no month.)
		 */
		if (n == 10 && d[0] == '0' && d[1] == '7' && d[2] == '0' &&
		    !out->valid)
			return 0;
		if (counts(t, g, a, b))
			return 0;
	}
	out->start = g->s[a];
	out->end = g->e[b];
	/* Where the last four digits start. */
	for (size_t k = b + 1, have = 0; k-- > a;) {
		have += g->e[k] - g->s[k];
		if (have >= 4) {
			last4 = g->e[k] - (4 - (have - (g->e[k] - g->s[k])));
			break;
		}
	}
	out->dig_start = last4;
	return 1;
}

/* Tries every grouping that starts at a digit run at t[i]; sets *skip to
 * where the runs typed together end. */
static int
try_at(const unsigned char *t, size_t len, size_t i, int today,
    struct tyst_pnr *out, size_t *skip)
{
	struct groups g;

	read_groups(t, len, i, &g);
	*skip = g.e[g.n - 1];
	for (size_t a = 0; a < g.n; a++)
		for (size_t b = g.n; b-- > a;) {
			memset(out, 0, sizeof(*out));
			if (try_groups(t, len, &g, a, b, today, out))
				return 1;
		}
	return 0;
}

int
tyst_pnr_find_written(const char *text, size_t len, size_t from, int today,
    struct tyst_pnr *out)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = from;

	/* Resuming inside a digit run must not find its tail. */
	while (i > 0 && i < len && is_digit(t[i]) && is_digit(t[i - 1]))
		i++;
	while (i < len) {
		size_t skip;

		i = skip_to_digit(t, len, i);
		if (i >= len)
			break;
		if (try_at(t, len, i, today, out, &skip))
			return 1;
		i = skip > i ? skip : i + 1;
	}
	return 0;
}

static int
letter_at(const unsigned char *t, size_t len, size_t i)
{
	return i < len && (is_alnum(t[i]) || t[i] >= 0x80);
}

/* Whether the spoken group starting at byte s opens its word. */
static int
opens_word(const unsigned char *t, size_t s)
{
	return s == 0 || !(is_alnum(t[s - 1]) || (t[s - 1] & 0xc0) == 0x80 ||
	    t[s - 1] >= 0xc3);
}

int
tyst_pnr_from_run(const char *text, size_t len,
    const struct tyst_num_run *run, unsigned *from, int today,
    struct tyst_pnr *out)
{
	const unsigned char *t = (const unsigned char *)text;

	for (unsigned a = *from; a < run->ngroups; a++) {
		const struct tyst_num_group *ga = &run->g[a];

		if (!opens_word(t, ga->start))
			continue;
		for (unsigned b = run->ngroups; b-- > a;) {
			const struct tyst_num_group *gb = &run->g[b];
			unsigned n = gb->dstart + gb->ndig - ga->dstart;
			const char *d = run->digits + ga->dstart;
			unsigned words = 0;

			if (n != 10 && n != 12)
				continue;
			if (letter_at(t, len, gb->end))
				continue;
			for (unsigned k = a; k <= b; k++)
				words += run->g[k].word;
			if (words == 0)
				continue;
			memset(out, 0, sizeof(*out));
			if (!build(d, n - 4, d + n - 4, '-', today, out))
				continue;
			/* noll sju … is said of mobile numbers first. */
			if (n == 10 && d[0] == '0' && d[1] == '7' && !out->valid)
				continue;
			if (b - a + 1 <= TYST_NUM_MAXGROUPS) {
				long v[TYST_NUM_MAXGROUPS];

				for (unsigned k = a; k <= b; k++)
					v[k - a] = value(run->digits +
					    run->g[k].dstart, run->g[k].ndig);
				if (counting(v, b - a + 1))
					continue;
			}
			out->sep = ' ';
			out->start = ga->start;
			out->end = gb->end;
			out->dig_start = gb->start;
			for (unsigned k = a; k <= b; k++)
				if (run->g[k].dstart + run->g[k].ndig >
				    ga->dstart + n - 4) {
					out->dig_start = run->g[k].start;
					break;
				}
			*from = b + 1;
			return 1;
		}
	}
	return 0;
}

/* The first spoken number that starts in text[from..stop). */
static int
find_spoken(const char *text, size_t len, size_t from, size_t stop,
    int today, struct tyst_pnr *out)
{
	struct tyst_num_run run;
	size_t at = from;

	while (tyst_num_next_before(text, len, at, stop, &run)) {
		unsigned g = 0;

		if (tyst_pnr_from_run(text, len, &run, &g, today, out))
			return 1;
		at = run.end;
	}
	return 0;
}

int
tyst_pnr_find(const char *text, size_t len, size_t from, int today,
    struct tyst_pnr *out)
{
	struct tyst_pnr w, s;
	int hw = tyst_pnr_find_written(text, len, from, today, &w);
	/* A spoken number wins only when it starts first, so the search for
	 * one stops at the written one. */
	int hs = find_spoken(text, len, from, hw ? w.start : len, today, &s);

	if (hs && (!hw || s.start < w.start))
		*out = s;
	else if (hw)
		*out = w;
	return hw || hs;
}

int
tyst_pnr_parse(const char *s, size_t len, int today, struct tyst_pnr *out)
{
	const unsigned char *t = (const unsigned char *)s;
	struct tyst_num_run run;
	size_t b = 0, e = len, skip;
	unsigned g = 0;

	while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
	    s[e - 1] == '\n' || s[e - 1] == '\r'))
		e--;
	if (e == b)
		return 0;
	memset(out, 0, sizeof(*out));
	if (is_digit(t[b]) && try_at(t + b, e - b, 0, today, out, &skip) &&
	    out->start == 0 && out->end == e - b) {
		out->start += b;
		out->end += b;
		out->dig_start += b;
		return 1;
	}
	if (tyst_num_parse(s + b, e - b, &run) &&
	    tyst_pnr_from_run(s + b, e - b, &run, &g, today, out) &&
	    out->start == 0 && out->end == e - b) {
		out->start += b;
		out->end += b;
		out->dig_start += b;
		return 1;
	}
	return 0;
}
