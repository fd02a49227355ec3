/*
 * pnr — see include/tyst/pnr.h.
 *
 * The finder is hand-written rather than a regex: it walks digit runs once,
 * which is both faster than a backtracking pattern and easier to reason about
 * at the edges (what may stand next to a number and still count as one).
 */
#include "tyst/pnr.h"

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

/* Length of a separator at p: '-', '+', ' ', a no-break space (U+00A0,
 * U+202F) or an en dash (U+2013).  0 when there is none. */
static size_t
sep_len(const unsigned char *p, size_t n, char *kind)
{
	if (n >= 1 && (p[0] == '-' || p[0] == '+' || p[0] == ' ')) {
		*kind = (char)p[0];
		return 1;
	}
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0) {
		*kind = ' ';
		return 2;
	}
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0x93 || p[2] == 0xaf)) {
		*kind = p[2] == 0x93 ? '-' : ' ';
		return 3;
	}
	return 0;
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

/* Tries the forms at t[i], where a digit run of length r starts. */
static int
try_at(const unsigned char *t, size_t len, size_t i, size_t r, int today,
    struct tyst_pnr *out)
{
	const char *s = (const char *)t;

	if (!left_ok(t, i))
		return 0;
	if (r == 10 || r == 12) {
		size_t dl = r - 4;

		if (!right_ok(t, len, i + r))
			return 0;
		if (!build(s + i, dl, s + i + dl, 0, today, out))
			return 0;
		/*
		 * Ten bare digits starting with 070 are far more often a
		 * mobile number (0701234567) than the number of someone born
		 * in January–September 2007 written without a dash: require
		 * the check digit.  (072, 073, 076 and 079 give no month.)
		 */
		if (r == 10 && t[i] == '0' && t[i + 1] == '7' && t[i + 2] == '0' &&
		    !out->valid)
			return 0;
		out->start = i;
		out->end = i + r;
		out->dig_start = i + dl;
		return 1;
	}
	if (r == 6 || r == 8) {
		char kind = 0;
		size_t sl = sep_len(t + i + r, len - i - r, &kind);
		size_t d = i + r + sl;

		if (sl == 0 || digit_run(t, len, d) != 4)
			return 0;
		if (!right_ok(t, len, d + 4))
			return 0;
		if (!build(s + i, r, s + d, kind, today, out))
			return 0;
		/* "850312 1234" may be a date and a time or a count; with a
		 * space require the check digit too. */
		if (kind == ' ' && !out->valid)
			return 0;
		out->start = i;
		out->end = d + 4;
		out->dig_start = d;
		return 1;
	}
	return 0;
}

int
tyst_pnr_find(const char *text, size_t len, size_t from, int today,
    struct tyst_pnr *out)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = from;

	/* Resuming inside a digit run must not find its tail. */
	while (i > 0 && i < len && is_digit(t[i]) && is_digit(t[i - 1]))
		i++;
	while (i < len) {
		size_t r;

		i = skip_to_digit(t, len, i);
		if (i >= len)
			break;
		r = digit_run(t, len, i);
		memset(out, 0, sizeof(*out));
		if (try_at(t, len, i, r, today, out))
			return 1;
		i += r;
	}
	return 0;
}

int
tyst_pnr_parse(const char *s, size_t len, int today, struct tyst_pnr *out)
{
	size_t b = 0, e = len;

	while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
	    s[e - 1] == '\n' || s[e - 1] == '\r'))
		e--;
	if (e == b || !is_digit((unsigned char)s[b]))
		return 0;
	memset(out, 0, sizeof(*out));
	if (!try_at((const unsigned char *)s + b, e - b, 0,
	    digit_run((const unsigned char *)s + b, e - b, 0), today, out))
		return 0;
	if (out->end != e - b)
		return 0;
	out->start += b;
	out->end += b;
	out->dig_start += b;
	return 1;
}
