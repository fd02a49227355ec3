/*
 * turns — see include/tyst/turns.h.
 *
 * Transcripts are typed by hand in many styles, so the rules are loose
 * where a miss costs little (what a label may look like) and strict where
 * a false hit would cut a turn in two (a label must recur, or be a short
 * abbreviation, before it counts).
 */
#include "tyst/turns.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LABEL 40
#define MAX_WORDS 3

struct cand {
	size_t start, label, label_end, after;
};

/* Length of a time code "[hh:mm:ss]" or "[mm:ss]" at p, 0 if none. */
static size_t
timecode(const char *p, size_t n)
{
	size_t i = 1, digits = 0, colons = 0;

	if (n < 2 || p[0] != '[')
		return 0;
	for (; i < n && p[i] != ']'; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			digits++;
		else if (p[i] == ':' || p[i] == '.')
			colons++;
		else
			return 0;
	}
	if (i >= n || digits < 3 || colons < 1)
		return 0;
	return i + 1;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* True when the line [p, p+n) is a time code alone. */
static int
timecode_line(const char *p, size_t n)
{
	size_t t = timecode(p, n);

	if (t == 0)
		return 0;
	while (t < n && is_blank(p[t]))
		t++;
	return t == n;
}

/* Recognises "[tc] Label: " at the line p[0..n); fills c relative to p. */
static int
label_at(const char *p, size_t n, struct cand *c)
{
	size_t i = timecode(p, n), words = 1;
	unsigned char f;

	while (i < n && is_blank(p[i]))
		i++;
	c->label = i;
	if (i >= n)
		return 0;
	/* A pseudonymised speaker: "[PERSON 3]:". */
	if (p[i] == '[') {
		const char *rb = memchr(p + i, ']', n - i);

		if (rb == NULL || (size_t)(rb - p) - i > MAX_LABEL ||
		    (size_t)(rb - p) + 1 >= n || rb[1] != ':')
			return 0;
		c->label_end = (size_t)(rb - p) + 1;
		i = c->label_end + 1;
		if (i < n && !is_blank(p[i]))
			return 0;
		while (i < n && is_blank(p[i]))
			i++;
		c->after = i;
		return 1;
	}
	f = (unsigned char)p[i];
	if (!((f >= 'A' && f <= 'Z') || (f >= 'a' && f <= 'z') || f >= 0xc0))
		return 0;
	for (; i < n && p[i] != ':'; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (i - c->label > MAX_LABEL)
			return 0;
		if (ch == ' ') {
			if (p[i - 1] == ' ' || ++words > MAX_WORDS)
				return 0;
			continue;
		}
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch >= 0x80 || ch == '-' ||
		    ch == '.')
			continue;
		return 0;
	}
	if (i >= n || p[i - 1] == ' ')
		return 0;
	c->label_end = i;
	i++;
	if (i < n && !is_blank(p[i]))
		return 0;
	while (i < n && is_blank(p[i]))
		i++;
	c->after = i;
	return 1;
}

/* A short upper-case abbreviation such as I, IP, AS, SSK. */
static int
abbreviation(const char *p, size_t n)
{
	if (n == 0 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 'A' || p[i] > 'Z')
			return 0;
	return 1;
}

static size_t
count_label(const struct cand *v, size_t n, const char *text, size_t i)
{
	size_t len = v[i].label_end - v[i].label, k = 0;

	for (size_t j = 0; j < n && k < 2; j++)
		if (v[j].label_end - v[j].label == len &&
		    memcmp(text + v[j].label, text + v[i].label, len) == 0)
			k++;
	return k;
}

static size_t
line_end(const char *text, size_t len, size_t i)
{
	const char *nl = memchr(text + i, '\n', len - i);

	return nl != NULL ? (size_t)(nl - text) : len;
}

static size_t
trim_back(const char *text, size_t s, size_t e)
{
	while (e > s && (is_blank(text[e - 1]) || text[e - 1] == '\n'))
		e--;
	return e;
}

static size_t
skip_space(const char *text, size_t i, size_t e)
{
	while (i < e && (is_blank(text[i]) || text[i] == '\n'))
		i++;
	return i;
}

int
tyst_turns_split(struct tyst_turns *t, const char *text, size_t len,
    struct tyst_err *err)
{
	struct cand *c = NULL, k;
	size_t nc = 0, cap = 0, i = 0, nt = 0;

	memset(t, 0, sizeof(*t));
	while (i < len) {
		size_t e = line_end(text, len, i);

		if (label_at(text + i, e - i, &k)) {
			if (nc == cap) {
				struct cand *v;

				cap = cap ? cap * 2 : 64;
				if ((v = realloc(c, cap * sizeof(*c))) == NULL)
					goto oom;
				c = v;
			}
			k.start = i;
			k.label += i;
			k.label_end += i;
			k.after += i;
			c[nc++] = k;
		}
		i = e + 1;
	}
	if (nc > 0 && (t->v = calloc(nc, sizeof(*t->v))) == NULL)
		goto oom;
	for (size_t j = 0; j < nc; j++) {
		if (!abbreviation(text + c[j].label, c[j].label_end -
		    c[j].label) && count_label(c, nc, text, j) < 2)
			continue;
		t->v[nt].start = c[j].start;
		t->v[nt].label = c[j].label;
		t->v[nt].label_end = c[j].label_end;
		t->v[nt].body = c[j].after;
		nt++;
	}
	t->n = nt;
	/* A turn ends where the next begins, or at a time code alone on a
	 * line, or at the end of the text. */
	for (size_t j = 0; j < nt; j++) {
		size_t lim = j + 1 < nt ? t->v[j + 1].start : len;
		size_t s = line_end(text, len, t->v[j].start) + 1;

		while (s < lim) {
			size_t e = line_end(text, len, s);

			if (timecode_line(text + s, e - s)) {
				lim = s;
				break;
			}
			s = e + 1;
		}
		t->v[j].body = skip_space(text, t->v[j].body, lim);
		t->v[j].end = trim_back(text, t->v[j].body, lim);
	}
	free(c);
	return 0;
oom:
	free(c);
	tyst_turns_free(t);
	return tyst_err_set(err, NULL, 0, 0, "out of memory");
}

void
tyst_turns_free(struct tyst_turns *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

long
tyst_turns_find(const struct tyst_turns *t, size_t off)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].start <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || off > t->v[lo - 1].end)
		return -1;
	return (long)(lo - 1);
}

int
tyst_unit_parse(const char *s)
{
	if (strcmp(s, "turn") == 0)
		return TYST_UNIT_TURN;
	if (strcmp(s, "sentence") == 0)
		return TYST_UNIT_SENTENCE;
	if (strcmp(s, "paragraph") == 0)
		return TYST_UNIT_PARAGRAPH;
	return -1;
}

/* The turn starting exactly at line start ls, or NULL. */
static const struct tyst_turn *
turn_at_line(const struct tyst_turns *t, size_t ls)
{
	long k = tyst_turns_find(t, ls);

	if (k >= 0 && t->v[k].start == ls)
		return &t->v[k];
	return NULL;
}

static int
blank_line(const char *text, size_t s, size_t e)
{
	while (s < e && is_blank(text[s]))
		s++;
	return s == e;
}

/* Ends a paragraph before line [s, e): blank, a time code, a new turn. */
static int
breaks_before(const char *text, const struct tyst_turns *t, size_t s,
    size_t e)
{
	return blank_line(text, s, e) || timecode_line(text + s, e - s) ||
	    turn_at_line(t, s) != NULL;
}

static int
paragraph(const char *text, size_t len, const struct tyst_turns *t,
    size_t off, size_t *ps, size_t *pe)
{
	size_t ls = off, le, s, e;
	const struct tyst_turn *tn;

	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	le = line_end(text, len, ls);
	if (blank_line(text, ls, le))
		return -1;
	s = ls;
	/* Backwards while this line does not start a paragraph. */
	while (s > 0 && turn_at_line(t, s) == NULL &&
	    !timecode_line(text + s, line_end(text, len, s) - s)) {
		size_t prev = s - 1;

		while (prev > 0 && text[prev - 1] != '\n')
			prev--;
		if (blank_line(text, prev, s - 1) ||
		    timecode_line(text + prev, s - 1 - prev))
			break;
		s = prev;
	}
	e = le;
	while (e < len) {
		size_t ns = e + 1, ne;

		if (ns >= len)
			break;
		ne = line_end(text, len, ns);
		if (breaks_before(text, t, ns, ne))
			break;
		e = ne;
	}
	if ((tn = turn_at_line(t, s)) != NULL && off >= tn->body)
		s = tn->body;
	s = skip_space(text, s, e);
	e = trim_back(text, s, e);
	if (off < s || off >= e || s >= e)
		return -1;
	*ps = s;
	*pe = e;
	return 0;
}

/* Length of an upper-case letter (or an opening quote or dash) at p. */
static int
sentence_opener(const char *p, size_t n)
{
	unsigned char c = (unsigned char)p[0];

	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '"' ||
	    c == '[' || c == '(')
		return 1;
	if (n >= 2 && c == 0xc3) {
		unsigned char d = (unsigned char)p[1];

		return d >= 0x80 && d <= 0x9e;     /* À–Þ: Å Ä Ö É … */
	}
	/* ” “ – — */
	return n >= 3 && c == 0xe2 && (unsigned char)p[1] == 0x80 &&
	    ((unsigned char)p[2] == 0x9d || (unsigned char)p[2] == 0x9c ||
	    (unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94);
}

/* If a sentence ends at i (a stop), the offset just past it, else 0. */
static size_t
sentence_end(const char *text, size_t i, size_t e)
{
	size_t j;

	if (text[i] == '.' || text[i] == '!' || text[i] == '?')
		j = i + 1;
	else if (i + 2 < e && (unsigned char)text[i] == 0xe2 &&
	    (unsigned char)text[i + 1] == 0x80 &&
	    (unsigned char)text[i + 2] == 0xa6)
		j = i + 3;
	else
		return 0;
	while (j < e && (text[j] == '.' || text[j] == '!' || text[j] == '?' ||
	    text[j] == '"' || text[j] == ')'))
		j++;
	if (j + 2 < e && (unsigned char)text[j] == 0xe2 &&
	    (unsigned char)text[j + 1] == 0x80 &&
	    (unsigned char)text[j + 2] == 0x9d)
		j += 3;
	if (j >= e || !(is_blank(text[j]) || text[j] == '\n'))
		return 0;
	{
		size_t k = j;

		while (k < e && (is_blank(text[k]) || text[k] == '\n'))
			k++;
		if (k >= e || !sentence_opener(text + k, e - k))
			return 0;
	}
	return j;
}

static int
sentence(const char *text, size_t ps, size_t pe, size_t off, size_t *ss,
    size_t *se)
{
	size_t s = ps;

	for (size_t i = ps; i < pe; i++) {
		size_t j = sentence_end(text, i, pe);

		if (j == 0)
			continue;
		if (off < j) {
			*ss = s;
			*se = j;
			return 0;
		}
		s = skip_space(text, j, pe);
		i = j - 1;
		if (off < s)
			return -1;
	}
	*ss = s;
	*se = pe;
	return 0;
}

int
tyst_unit_span(const char *text, size_t len, const struct tyst_turns *t,
    enum tyst_unit u, size_t off, size_t *start, size_t *end)
{
	size_t ps, pe;
	long k;

	if (off >= len)
		return -1;
	if (u == TYST_UNIT_TURN && (k = tyst_turns_find(t, off)) >= 0 &&
	    t->v[k].body < t->v[k].end) {
		*start = t->v[k].body;
		*end = t->v[k].end;
		return 0;
	}
	if (paragraph(text, len, t, off, &ps, &pe) < 0)
		return -1;
	if (u == TYST_UNIT_SENTENCE)
		return sentence(text, ps, pe, off, start, end);
	*start = ps;
	*end = pe;
	return 0;
}
