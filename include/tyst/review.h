/*
 * review — the model and the request handling behind tyst-review.
 *
 * A session holds the transcripts under review, what the rules find in
 * them, and the review file with its decisions.  Every decision is written
 * at once through lib/pseudo/revfile.c (lock, read again, change, rename), then
 * the rules are loaded again from the file and the transcripts scanned
 * again, so the page always shows what tyst-scan -r FILE would report.
 *
 * The HTTP server itself (libmicrohttpd) is the tool's: this module sees
 * a request as method, path, query, headers and body, so its parsing can
 * be fuzzed and tested without a socket.
 */
#ifndef TYST_REVIEW_H
#define TYST_REVIEW_H

#include <stddef.h>

#include "tyst/diag.h"

struct tyst_rsession;

/* Opens a session over files[0..n): the review file at review_path is
 * created (0600) or updated with the words found, as tyst-scan --review
 * does.  key_path (may be NULL) is only read, for the preview. */
int tyst_rsession_open(struct tyst_rsession **out, const char *review_path,
    const char *key_path, char *const *files, size_t n,
    struct tyst_err *err);
void tyst_rsession_free(struct tyst_rsession *s);

/* The port the server listens on (for the Host and Origin checks). */
void tyst_rsession_set_port(struct tyst_rsession *s, unsigned port);
/* The one-time token for the URL (64 hex digits). */
const char *tyst_rsession_token(const struct tyst_rsession *s);

/* What the server passes in and gets back. */
struct tyst_request {
	const char *method;             /* "GET", "POST" */
	const char *path;               /* "/api/state" */
	const char *query;              /* raw, without '?', or NULL */
	const char *host;               /* headers, or NULL when absent */
	const char *cookie;
	const char *origin;
	const char *fetch_site;         /* Sec-Fetch-Site */
	const char *body;               /* form-urlencoded, or NULL */
	size_t body_len;
};

struct tyst_response {
	int status;
	const char *type;               /* Content-Type */
	char *body;                     /* malloc'd; the caller frees */
	size_t len;
	char *set_cookie;               /* malloc'd or NULL */
	const char *location;           /* for a redirect, or NULL */
};

/* Handles one request, thread-safe (one at a time inside).  Always fills
 * resp; returns -1 only when out of memory. */
int tyst_rsession_handle(struct tyst_rsession *s,
    const struct tyst_request *rq, struct tyst_response *resp);

/* ---- parsing, for the handler and its fuzz harness ------------------------ */

/* The value of name in a form-urlencoded string (query or body), decoded
 * ('+' a space, %XX a byte) into out; -1 when absent, too long or bad
 * (a '%' not followed by two hex digits, a NUL byte). */
int tyst_form_get(const char *form, size_t len, const char *name, char *out,
    size_t cap);
/* The value of cookie name in a Cookie header, or -1. */
int tyst_cookie_get(const char *header, const char *name, char *out,
    size_t cap);
/* Whether a Host header names this server: 127.0.0.1:port or
 * localhost:port exactly. */
int tyst_host_ok(const char *host, unsigned port);
/* Whether Origin (may be NULL) is this server, http://127.0.0.1:port or
 * http://localhost:port. */
int tyst_origin_ok(const char *origin, unsigned port);

#endif
