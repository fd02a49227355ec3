/*
 * libFuzzer harness: tyst-review's request handling.  The first byte picks
 * what the rest is: a form-urlencoded string (query or body) read for a
 * few field names, a Cookie header, a Host and an Origin header, or a
 * whole request (method, path, query and body on lines of their own) sent
 * with the session's valid cookie to a session over a small transcript.
 * Whatever comes in, the answer is a status with a body, never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tyst/review.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tyst_rsession *sess;
static char cookie[160], host[64];

static void
open_session(void)
{
	static char dir[] = "/tmp/tyst-fuzz-review.XXXXXX";
	char txt[64], rev[64];
	char *files[1];
	struct tyst_err err;
	struct tyst_request rq;
	struct tyst_response resp;
	char query[100];
	FILE *f;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(txt, sizeof(txt), "%s/t.txt", dir);
	snprintf(rev, sizeof(rev), "%s/r.yaml", dir);
	if ((f = fopen(txt, "w")) == NULL)
		abort();
	fputs("I: Hej Tindra, bor du i Lund?\nIP: Ja, med Volvo.\n", f);
	fclose(f);
	files[0] = txt;
	if (tyst_rsession_open(&sess, rev, NULL, files, 1, &err) < 0)
		abort();
	tyst_rsession_set_port(sess, 4711);
	snprintf(host, sizeof(host), "127.0.0.1:4711");
	snprintf(query, sizeof(query), "token=%s", tyst_rsession_token(sess));
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = "/";
	rq.query = query;
	rq.host = host;
	if (tyst_rsession_handle(sess, &rq, &resp) < 0 ||
	    resp.set_cookie == NULL)
		abort();
	snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(resp.set_cookie,
	    ";"), resp.set_cookie);
	free(resp.body);
	free(resp.set_cookie);
}

static void
whole_request(const char *s, size_t n)
{
	char *copy = malloc(n + 1), *line[4] = { NULL, NULL, NULL, NULL };
	struct tyst_request rq;
	struct tyst_response resp;
	size_t k = 0;

	if (copy == NULL)
		return;
	memcpy(copy, s, n);
	copy[n] = '\0';
	line[0] = copy;
	for (char *p = copy; *p != '\0' && k < 3; p++)
		if (*p == '\n') {
			*p = '\0';
			line[++k] = p + 1;
		}
	if (sess == NULL)
		open_session();
	memset(&rq, 0, sizeof(rq));
	rq.method = line[0];
	rq.path = line[1] != NULL ? line[1] : "/";
	rq.query = line[2];
	rq.body = line[3];
	rq.body_len = line[3] != NULL ? strlen(line[3]) : 0;
	rq.host = host;
	rq.cookie = cookie;
	rq.origin = "http://127.0.0.1:4711";
	rq.fetch_site = "same-origin";
	if (tyst_rsession_handle(sess, &rq, &resp) < 0) {
		free(copy);
		return;         /* out of memory */
	}
	if (resp.body == NULL || resp.status < 200 || resp.status > 599)
		abort();
	free(resp.body);
	free(resp.set_cookie);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = { "word", "doc", "start", "token", "a" };
	const char *s = (const char *)data + 1;
	char out[64], *z;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	switch (data[0] % 4) {
	case 0:
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (tyst_form_get(s, n, names[i], out, sizeof(out)) == 0 &&
			    strlen(out) >= sizeof(out))
				abort();
		break;
	case 1:
	case 2:
		if ((z = malloc(n + 1)) == NULL)
			return 0;
		memcpy(z, s, n);
		z[n] = '\0';
		if (data[0] % 4 == 1) {
			if (tyst_cookie_get(z, "tyst_session", out, sizeof(out))
			    == 0 && strlen(out) >= sizeof(out))
				abort();
		} else {
			(void)tyst_host_ok(z, 4711);
			(void)tyst_origin_ok(z, 4711);
		}
		free(z);
		break;
	default:
		whole_request(s, n);
	}
	return 0;
}
