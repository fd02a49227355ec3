/*
 * inputcue — WebVTT and SRT, the subtitles Teams, Zoom and speech
 * recognition give evaluators instead of a transcript.
 *
 * The view holds only what was said: the WEBVTT header, cue numbers and
 * ids, timing lines with their settings, STYLE and REGION blocks become
 * empty lines; markup (<i>, <c.x>, <00:01:02.000>, {\an8}) disappears;
 * a voice tag "<v Anna Svensson>" becomes the speaker label
 * "Anna Svensson: " that lib/detect/turns.c and the detector know, with Teams'
 * " (Extern)" or " (Guest)" left out of it.  Every line of the file is a
 * line of the view, so line numbers agree.  Each cue's text lines remember
 * the cue's start time, for excerpts that say where in the recording they
 * are.
 */
#include "tyst/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vb {
	struct tyst_input *d;
	size_t vcap, scap, lcap;
	int oom;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *np;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 64;
	while (nc < need)
		nc *= 2;
	np = realloc(*p, nc * size);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

static void
seg(struct vb *b, size_t src, size_t slen, const char *v, size_t vlen,
    int mark)
{
	struct tyst_input *d = b->d;
	struct tyst_input_seg *s;

	if (b->oom || (slen == 0 && vlen == 0))
		return;
	if (grow((void **)&d->view, &b->vcap, d->vlen + vlen + 17, 1) < 0 ||
	    grow((void **)&d->segs, &b->scap, d->nsegs + 1,
	    sizeof(*d->segs)) < 0) {
		b->oom = 1;
		return;
	}
	s = &d->segs[d->nsegs++];
	s->view = d->vlen;
	s->vlen = vlen;
	s->src = src;
	s->slen = slen;
	s->mark = mark;
	memcpy(d->view + d->vlen, v, vlen);
	d->vlen += vlen;
}

static void
text(struct vb *b, size_t src, size_t len)
{
	seg(b, src, len, b->d->u + src, len, 0);
}

static void
mark(struct vb *b, size_t src, size_t len)
{
	seg(b, src, len, "", 0, 1);
}

static void
new_line(struct vb *b, const char *time)
{
	struct tyst_input *d = b->d;

	if (b->oom || grow((void **)&d->vlines, &b->lcap, d->nvlines + 1,
	    sizeof(*d->vlines)) < 0 || (d->times = realloc(d->times,
	    b->lcap * sizeof(*d->times))) == NULL) {
		b->oom = 1;
		return;
	}
	d->vlines[d->nvlines] = d->vlen;
	d->times[d->nvlines] = time != NULL ? strdup(time) : NULL;
	if (time != NULL && d->times[d->nvlines] == NULL)
		b->oom = 1;
	d->nvlines++;
}

/* A line of u: [s, e) without its end, eol bytes of line end after it. */
struct uline {
	size_t s, e, eol;
};

static int
next_uline(const struct tyst_input *d, size_t *pos, struct uline *l)
{
	const char *nl;

	if (*pos >= d->ulen)
		return 0;
	l->s = *pos;
	nl = memchr(d->u + *pos, '\n', d->ulen - *pos);
	l->e = nl != NULL ? (size_t)(nl - d->u) : d->ulen;
	l->eol = nl != NULL ? 1 : 0;
	if (nl != NULL && l->e > l->s && d->u[l->e - 1] == '\r') {
		l->e--;
		l->eol = 2;
	}
	*pos = l->e + l->eol;
	return 1;
}

static void
eol(struct vb *b, const struct uline *l)
{
	/* Kept in the view as in the file: a mark whose view bytes are its
	 * own, so the writer can check the line structure. */
	seg(b, l->e, l->eol, b->d->u + l->e, l->eol, 1);
}

static int
blank(const struct tyst_input *d, const struct uline *l)
{
	for (size_t i = l->s; i < l->e; i++)
		if (d->u[i] != ' ' && d->u[i] != '\t')
			return 0;
	return 1;
}

static int
has_arrow(const struct tyst_input *d, const struct uline *l)
{
	for (size_t i = l->s; i + 3 <= l->e; i++)
		if (memcmp(d->u + i, "-->", 3) == 0)
			return 1;
	return 0;
}

static int
starts_word(const struct tyst_input *d, const struct uline *l, const char *w)
{
	size_t n = strlen(w);

	return l->e - l->s >= n && memcmp(d->u + l->s, w, n) == 0 &&
	    (l->e - l->s == n || d->u[l->s + n] == ' ' ||
	    d->u[l->s + n] == '\t');
}

/* A whole line that is structure: an empty view line. */
static void
struct_line(struct vb *b, const struct uline *l)
{
	new_line(b, NULL);
	mark(b, l->s, l->e - l->s);
	eol(b, l);
}

/* The start of a timing line as HH:MM:SS ("01:02.500" is 00:01:02). */
static void
cue_time(const struct tyst_input *d, const struct uline *l, char out[16])
{
	size_t n = 0, i = l->s;
	int colons = 0;
	char t[16];

	while (i < l->e && (d->u[i] == ' ' || d->u[i] == '\t'))
		i++;
	for (; i < l->e && n < sizeof(t) - 1; i++) {
		char c = d->u[i];

		if (c == ':')
			colons++;
		else if (c < '0' || c > '9')
			break;
		t[n++] = c;
	}
	t[n] = '\0';
	out[0] = '\0';
	if (colons == 1 && n == 5)
		memcpy(out, "00:", 4);
	else if (colons != 2 || n != 8)
		return;
	strncat(out, t, 15 - strlen(out));
}

/* The speaker's name in a voice tag's annotation [s, e), without a
 * Teams suffix "(Extern)": *ne is where the name ends. */
static void
voice_name(const char *u, size_t s, size_t e, size_t *ne)
{
	while (e > s && (u[e - 1] == ' ' || u[e - 1] == '\t'))
		e--;
	*ne = e;
	if (e > s && u[e - 1] == ')') {
		for (size_t i = e - 1; i > s; i--)
			if (u[i] == '(') {
				size_t k = i;

				while (k > s && u[k - 1] == ' ')
					k--;
				if (k > s)
					*ne = k;
				break;
			}
	}
}

/*
 * A cue's text line: tags become marks, a voice tag's name text followed
 * by ": ".  vtt: WebVTT's tags; else SRT's (<i>, <font ...>, {\an8}).
 */
static void
payload(struct vb *b, const struct uline *l, int vtt, const char *time)
{
	const char *u = b->d->u;
	size_t run = l->s, i = run;

	new_line(b, time);
	/* The time code of a cue's first line (TYST_IN_TIMES), in the view
	 * only: such a view is never written back. */
	if (time != NULL && (b->d->flags & TYST_IN_TIMES) && b->d->nvlines > 1 &&
	    b->d->times[b->d->nvlines - 2] == NULL) {
		char tc[16];

		snprintf(tc, sizeof(tc), "[%s] ", time);
		seg(b, l->s, 0, tc, strlen(tc), 1);
	}
	while (i < l->e) {
		const char *close;
		size_t te;

		if (u[i] == '{' && !vtt && i + 1 < l->e && u[i + 1] == '\\' &&
		    (close = memchr(u + i, '}', l->e - i)) != NULL) {
			text(b, run, i - run);
			te = (size_t)(close - u) + 1;
			mark(b, i, te - i);
			i = run = te;
			continue;
		}
		if (u[i] != '<' || (close = memchr(u + i, '>', l->e - i)) ==
		    NULL) {
			i++;
			continue;
		}
		te = (size_t)(close - u) + 1;
		text(b, run, i - run);
		if (vtt && u[i + 1] == 'v' && (u[i + 2] == ' ' ||
		    u[i + 2] == '.')) {
			size_t ns = i + 2, ne;

			while (ns < te - 1 && u[ns] != ' ')
				ns++;
			while (ns < te - 1 && u[ns] == ' ')
				ns++;
			voice_name(u, ns, te - 1, &ne);
			if (ne > ns) {
				mark(b, i, ns - i);
				text(b, ns, ne - ns);
				seg(b, ne, te - ne, ": ", 2, 1);
			} else
				mark(b, i, te - i);
		} else
			mark(b, i, te - i);
		i = run = te;
	}
	text(b, run, l->e - run);
	eol(b, l);
}

/* "Kind: captions", "Title: ...": the key is structure, the value text. */
static void
header_line(struct vb *b, const struct uline *l)
{
	const char *u = b->d->u;
	const char *colon = memchr(u + l->s, ':', l->e - l->s);
	size_t v;

	/* HLS's "X-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0". */
	if (l->e - l->s >= 15 && memcmp(u + l->s, "X-TIMESTAMP-MAP", 15) == 0) {
		struct_line(b, l);
		return;
	}
	if (colon == NULL) {
		new_line(b, NULL);
		text(b, l->s, l->e - l->s);
		eol(b, l);
		return;
	}
	v = (size_t)(colon - u) + 1;
	new_line(b, NULL);
	mark(b, l->s, v - l->s);
	text(b, v, l->e - v);
	eol(b, l);
}

static int
vtt_view(struct vb *b)
{
	struct tyst_input *d = b->d;
	struct uline l;
	size_t pos = 0;
	char time[16];

	/* The header: the WEBVTT line and what follows it up to a blank.
	 * Only the keywords are structure: a title may name someone. */
	if (next_uline(d, &pos, &l)) {
		new_line(b, NULL);
		mark(b, l.s, 6);
		text(b, l.s + 6, l.e - l.s - 6);
		eol(b, &l);
	}
	while (next_uline(d, &pos, &l)) {
		if (blank(d, &l)) {
			struct_line(b, &l);
			break;
		}
		header_line(b, &l);
	}
	while (next_uline(d, &pos, &l)) {
		if (blank(d, &l)) {
			struct_line(b, &l);
			continue;
		}
		if (starts_word(d, &l, "STYLE") || starts_word(d, &l, "REGION")) {
			do
				struct_line(b, &l);
			while (!blank(d, &l) && next_uline(d, &pos, &l));
			continue;
		}
		if (starts_word(d, &l, "NOTE")) {
			/* A comment is text someone wrote: scanned. */
			new_line(b, NULL);
			mark(b, l.s, 4);
			text(b, l.s + 4, l.e - l.s - 4);
			eol(b, &l);
			while (next_uline(d, &pos, &l)) {
				if (blank(d, &l)) {
					struct_line(b, &l);
					break;
				}
				new_line(b, NULL);
				text(b, l.s, l.e - l.s);
				eol(b, &l);
			}
			continue;
		}
		time[0] = '\0';
		if (!has_arrow(d, &l)) {
			/* A cue id, then (in a valid file) its timing. */
			struct_line(b, &l);
			if (!next_uline(d, &pos, &l))
				break;
			if (blank(d, &l)) {
				struct_line(b, &l);
				continue;
			}
		}
		if (has_arrow(d, &l)) {
			cue_time(d, &l, time);
			struct_line(b, &l);
		} else
			payload(b, &l, 1, NULL);
		while (next_uline(d, &pos, &l)) {
			if (blank(d, &l)) {
				struct_line(b, &l);
				break;
			}
			payload(b, &l, 1, time[0] != '\0' ? time : NULL);
		}
	}
	return 0;
}

static int
all_digits(const struct tyst_input *d, const struct uline *l)
{
	if (l->e == l->s)
		return 0;
	for (size_t i = l->s; i < l->e; i++)
		if (d->u[i] < '0' || d->u[i] > '9')
			return 0;
	return 1;
}

static int
srt_view(struct vb *b)
{
	struct tyst_input *d = b->d;
	struct uline l;
	size_t pos = 0;
	char time[16];

	while (next_uline(d, &pos, &l)) {
		if (blank(d, &l)) {
			struct_line(b, &l);
			continue;
		}
		time[0] = '\0';
		if (all_digits(d, &l)) {
			struct_line(b, &l);
			if (!next_uline(d, &pos, &l))
				break;
		}
		if (has_arrow(d, &l)) {
			cue_time(d, &l, time);
			struct_line(b, &l);
		} else if (blank(d, &l)) {
			struct_line(b, &l);
			continue;
		} else
			payload(b, &l, 0, NULL);
		while (next_uline(d, &pos, &l)) {
			if (blank(d, &l)) {
				struct_line(b, &l);
				break;
			}
			payload(b, &l, 0, time[0] != '\0' ? time : NULL);
		}
	}
	return 0;
}

int
tyst_cue_view(struct tyst_input *d, struct tyst_err *err)
{
	struct vb b = { d, 0, 0, 0, 0 };

	if (d->format == TYST_IN_VTT) {
		if (tyst_cue_sniff(d->u, d->ulen) != TYST_IN_VTT)
			return tyst_err_set(err, d->name, 1, 1, "not WebVTT: "
			    "it does not open with a WEBVTT line");
		vtt_view(&b);
	}
	else
		srt_view(&b);
	if (!b.oom && grow((void **)&d->view, &b.vcap, d->vlen + 17, 1) < 0)
		b.oom = 1;
	if (b.oom)
		return tyst_err_set(err, d->name, 0, 0, "out of memory");
	memset(d->view + d->vlen, 0, 17);
	if (d->nvlines == 0)
		new_line(&b, NULL);
	if (b.oom)
		return tyst_err_set(err, d->name, 0, 0, "out of memory");
	return 0;
}

static int
is_timing(const char *p, size_t len)
{
	/* 00:00:01,000 --> 00:00:04,000 (SRT: a comma) */
	static const char pat[] = "dd:dd:dd,ddd --> dd:dd:dd,ddd";
	size_t n = sizeof(pat) - 1;

	if (len < n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (pat[i] == 'd') {
			if (p[i] < '0' || p[i] > '9')
				return 0;
		} else if (p[i] != pat[i] && !(pat[i] == ',' && p[i] == '.'))
			return 0;
	}
	return 1;
}

enum tyst_input_format
tyst_cue_sniff(const char *u, size_t len)
{
	size_t i = 0, e;

	if (len >= 6 && memcmp(u, "WEBVTT", 6) == 0 && (len == 6 ||
	    u[6] == ' ' || u[6] == '\t' || u[6] == '\r' || u[6] == '\n'))
		return TYST_IN_VTT;
	while (i < len && (u[i] == '\r' || u[i] == '\n' || u[i] == ' '))
		i++;
	e = i;
	while (e < len && u[e] >= '0' && u[e] <= '9')
		e++;
	if (e == i || e - i > 9)
		return TYST_IN_TEXT;
	if (e < len && u[e] == '\r')
		e++;
	if (e >= len || u[e] != '\n')
		return TYST_IN_TEXT;
	return is_timing(u + e + 1, len - e - 1) ? TYST_IN_SRT :
	    TYST_IN_TEXT;
}
