/*
 * json — the small amount of JSON the tools write (JSON Lines output).
 * The one JSON tyst reads, tyst-pseudo's manifest, has a fixed shape and
 * is read by lib/pseudo/gate.c, so no JSON library is needed.
 */
#ifndef TYST_JSON_H
#define TYST_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes p[0..len) as a JSON string with quotes, escaping what RFC 8259
 * requires (valid UTF-8 is passed through). */
void tyst_json_str(FILE *f, const char *p, size_t len);
/* The same for a NUL-terminated string; NULL is written as null. */
void tyst_json_cstr(FILE *f, const char *s);
/* A number in decimal, without fprintf (an export writes hundreds of
 * thousands). */
void tyst_put_u64(FILE *f, uint64_t v);
void tyst_put_i64(FILE *f, int64_t v);

#endif
