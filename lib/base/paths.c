/*
 * paths — where the shipped rules and codebooks are (include/tyst/paths.h):
 * TYST_DATADIR when set, else a few directories up from the running
 * binary (a build tree, or an unpacked release's share/tyst), else the
 * install prefix.  So the tools work from a checkout without installing.
 */
#include "tyst/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TYST_DATADIR
#define TYST_DATADIR "/usr/local/share/tyst"
#endif

static int
has_rules(const char *dir)
{
	char p[PATH_MAX + 64];
	struct stat st;

	snprintf(p, sizeof(p), "%s/rules", dir);
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
tyst_datadir(void)
{
	static char dir[PATH_MAX + 32];
	char exe[PATH_MAX];
	const char *env = getenv("TYST_DATADIR");
	ssize_t n;
	char *slash;

	if (env != NULL && env[0] != '\0') {
		snprintf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* Strip the program name, then its bin directory: the sanitizer
		 * build lives in build/san/bin, so walk up a few levels. */
		for (int up = 0; up < 4; up++) {
			slash = strrchr(exe, '/');
			if (slash == NULL)
				break;
			*slash = '\0';
			if (has_rules(exe)) {
				snprintf(dir, sizeof(dir), "%s", exe);
				return dir;
			}
			snprintf(dir, sizeof(dir), "%s/share/tyst", exe);
			if (has_rules(dir))
				return dir;
		}
	}
	snprintf(dir, sizeof(dir), "%s", TYST_DATADIR);
	return dir;
}
