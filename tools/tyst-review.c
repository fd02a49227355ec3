/*
 * tyst-review — decide every finding in context, in a local web page.
 *
 * Options, the HTTP server (libmicrohttpd) and signals only: what a
 * request means and the review file are lib/pseudo/review.c, the page
 * lib/pseudo/review_page.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tyst/diag.h"
#include "tyst/review.h"
#include "tyst/revfile.h"
#include "tyst/rules.h"

#define BODY_MAX (64 * 1024)    /* a decision is a few hundred bytes */

struct body {
	char *p;
	size_t len;
	int too_big;
};

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-review [-r REVIEW] [-k KEY] [--no-open] FILE...\n"
"\n"
"Shows the transcripts in a local web page with every finding highlighted,\n"
"and writes each decision at once to the review file REVIEW (default\n"
"review.yaml; created 0600, or updated as tyst-scan --review does).  The\n"
"page listens on 127.0.0.1 only, at a random port; the printed link holds\n"
"a one-time token that the page trades for a session cookie.\n"
"\n"
"  -r, --review FILE   the review file (the rules for the scan too)\n"
"  -k, --key FILE      a key of tyst-pseudo, read (never written) so the\n"
"                      preview shows the names the key has handed out\n"
"      --no-open       print the link only; do not start a browser\n"
"  -h, --help          this help\n"
"  -V, --version       the version\n"
"\n"
"In the page: j/k next/previous undecided, x keep, s pseudonymise, X/S\n"
"only here, 1-9 category, m mark the selected text, v preview.\n"
"Stop with Ctrl-C; every decision is already saved.\n"
"\n"
"Exit status: 0 after Ctrl-C, 2 error.\n", f);
}

/* Percent-encodes s onto the end of out (for the query rebuilt from what
 * libmicrohttpd decoded). */
static void
put_arg(char *out, size_t cap, const char *name, const char *s)
{
	size_t n = strlen(out);

	if (s == NULL)
		return;
	n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s=",
	    n ? "&" : "", name);
	for (; *s != '\0' && n + 4 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, cap - n, "%%%02X", c);
	}
	out[n < cap ? n : cap - 1] = '\0';
}

static void
add_headers(struct MHD_Response *r, const struct tyst_response *resp)
{
	MHD_add_response_header(r, "Content-Type", resp->type);
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
	    "form-action 'self'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (resp->set_cookie != NULL)
		MHD_add_response_header(r, "Set-Cookie", resp->set_cookie);
	if (resp->location != NULL)
		MHD_add_response_header(r, "Location", resp->location);
}

static enum MHD_Result
reply(struct MHD_Connection *c, int status, const char *msg)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(msg),
	    (void *)msg, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain");
	rc = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct tyst_rsession *s = cls;
	struct body *b = *con_cls;
	struct tyst_request rq;
	struct tyst_response resp;
	struct MHD_Response *r;
	char query[1024] = "";
	enum MHD_Result rc;

	(void)version;
	if (b == NULL) {
		if ((b = calloc(1, sizeof(*b))) == NULL)
			return MHD_NO;
		*con_cls = b;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (b->len + *upload_size > BODY_MAX)
			b->too_big = 1;
		else {
			char *p = realloc(b->p, b->len + *upload_size + 1);

			if (p == NULL)
				return MHD_NO;
			memcpy(p + b->len, upload, *upload_size);
			b->p = p;
			b->len += *upload_size;
			p[b->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (b->too_big)
		return reply(c, 413, "request too large\n");
	put_arg(query, sizeof(query), "token", MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, "token"));
	put_arg(query, sizeof(query), "doc", MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, "doc"));
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url;
	rq.query = query[0] ? query : NULL;
	rq.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	rq.cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	rq.origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	rq.fetch_site = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	rq.body = b->p;
	rq.body_len = b->len;
	if (tyst_rsession_handle(s, &rq, &resp) < 0) {
		free(resp.body);
		free(resp.set_cookie);
		return reply(c, 500, "out of memory\n");
	}
	r = MHD_create_response_from_buffer(resp.len, resp.body,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(resp.body);
		free(resp.set_cookie);
		return MHD_NO;
	}
	add_headers(r, &resp);
	rc = MHD_queue_response(c, (unsigned)resp.status, r);
	MHD_destroy_response(r);
	free(resp.set_cookie);
	return rc;
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct body *b = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (b != NULL) {
		free(b->p);
		free(b);
		*con_cls = NULL;
	}
}

/* A browser for the link, where there is a desktop; not waited for. */
static void
open_browser(const char *url)
{
	pid_t pid;

	if (getenv("DISPLAY") == NULL && getenv("WAYLAND_DISPLAY") == NULL)
		return;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execlp("xdg-open", "xdg-open", url, (char *)NULL);
		_exit(127);
	}
}

static int
check_place(const char *review, char *const *files, size_t n)
{
	struct tyst_err err;
	int beside;

	if (tyst_review_place(review, NULL, files, n, &beside, &err) < 0) {
		tyst_diag_err(&err);
		return -1;
	}
	if (beside)
		tyst_diag(review, 0, 0, "warning: the review file lies beside "
		    "the transcripts; it holds originals, so do not share that "
		    "folder as it is");
	return 0;
}

static void
report_left(const char *review)
{
	struct tyst_review rv;
	struct tyst_err err;
	int exists;

	if (tyst_review_load(&rv, review, &exists, &err) < 0) {
		tyst_diag_err(&err);
		return;
	}
	fprintf(stderr, "%s: %s: %zu of %zu undecided\n", tyst_progname(),
	    review, tyst_review_undecided(&rv), rv.nitems);
	tyst_review_free(&rv);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "review", required_argument, NULL, 'r' },
		{ "rules", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'k' },
		{ "no-open", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *review = "review.yaml", *key = NULL;
	struct tyst_rsession *s;
	struct tyst_err err;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sin;
	sigset_t set;
	char url[160];
	int ch, sig, no_open = 0;
	size_t nfiles;

	tyst_diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "r:k:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r': review = optarg; break;
		case 'k': key = optarg; break;
		case 'N': no_open = 1; break;
		case 'h': usage(stdout); return TYST_EXIT_OK;
		case 'V': printf("tyst-review %s\n", TYST_VERSION);
			return TYST_EXIT_OK;
		default: usage(stderr); return TYST_EXIT_ERROR;
		}
	}
	nfiles = (size_t)(argc - optind);
	if (nfiles == 0) {
		tyst_diag(NULL, 0, 0, "give the transcripts to review as FILE "
		    "arguments");
		return TYST_EXIT_ERROR;
	}
	if (check_place(review, argv + optind, nfiles) < 0)
		return TYST_EXIT_ERROR;
	for (size_t i = 0; i < nfiles; i++)
		if (strcmp(argv[optind + i], review) == 0) {
			tyst_diag(review, 0, 0, "the review file is also given "
			    "as a transcript");
			return TYST_EXIT_ERROR;
		}
	if (tyst_rsession_open(&s, review, key, argv + optind, nfiles,
	    &err) < 0) {
		tyst_diag_err(&err);
		return TYST_EXIT_ERROR;
	}
	/* Signals are taken by sigwait below, not by the server's threads. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = 0;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
	    answer, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)32,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
	if (d == NULL || (info = MHD_get_daemon_info(d,
	    MHD_DAEMON_INFO_BIND_PORT)) == NULL) {
		tyst_diag(NULL, 0, 0, "cannot start the web server on "
		    "127.0.0.1");
		if (d != NULL)
			MHD_stop_daemon(d);
		tyst_rsession_free(s);
		return TYST_EXIT_ERROR;
	}
	tyst_rsession_set_port(s, info->port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/?token=%s",
	    (unsigned)info->port, tyst_rsession_token(s));
	printf("%s\n", url);
	fflush(stdout);
	fprintf(stderr, "%s: open the link above in a browser; Ctrl-C stops\n",
	    tyst_progname());
	if (!no_open)
		open_browser(url);
	while (sigwait(&set, &sig) == 0 && sig != SIGINT && sig != SIGTERM &&
	    sig != SIGHUP)
		;
	MHD_stop_daemon(d);
	tyst_rsession_free(s);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	report_left(review);
	return TYST_EXIT_OK;
}
