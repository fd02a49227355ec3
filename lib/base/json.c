/*
 * json — JSON strings written correctly (include/tyst/json.h): quotes,
 * backslashes and control characters escaped, UTF-8 passed through, so
 * that a transcript's text survives JSON Lines output byte for byte.
 */
#include "tyst/json.h"

#include <string.h>

void
tyst_json_str(FILE *f, const char *p, size_t len)
{
	size_t run = 0;

	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		const char *esc = NULL;
		char u[8];

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			if (c < 0x20) {
				snprintf(u, sizeof(u), "\\u%04x", c);
				esc = u;
			}
		}
		if (esc == NULL) {
			run++;
			continue;
		}
		fwrite(p + i - run, 1, run, f);
		run = 0;
		fputs(esc, f);
	}
	fwrite(p + len - run, 1, run, f);
	fputc('"', f);
}

void
tyst_json_cstr(FILE *f, const char *s)
{
	if (s == NULL) {
		fputs("null", f);
		return;
	}
	tyst_json_str(f, s, strlen(s));
}

void
tyst_put_u64(FILE *f, uint64_t v)
{
	char buf[24];
	size_t i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	fwrite(buf + i, 1, sizeof(buf) - i, f);
}

void
tyst_put_i64(FILE *f, int64_t v)
{
	if (v < 0) {
		fputc('-', f);
		/* -(v + 1) + 1: no overflow at INT64_MIN. */
		tyst_put_u64(f, (uint64_t)(-(v + 1)) + 1);
		return;
	}
	tyst_put_u64(f, (uint64_t)v);
}
