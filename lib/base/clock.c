/*
 * clock — the time stamps tyst writes (include/tyst/clock.h): UTC in ISO
 * 8601, to the second.  TYST_NOW replaces the clock, so that tests and
 * reproducible builds of a key, a project or a manifest get the same bytes
 * every run.
 */
#include "tyst/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
tyst_now_iso(char buf[32])
{
	const char *env = getenv("TYST_NOW");
	time_t t;
	struct tm tm;

	if (env != NULL && env[0] != '\0' && strlen(env) < 32) {
		snprintf(buf, 32, "%s", env);
		return;
	}
	t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
