/*
 * sha-drv — the driver of bench/sha.sh: prints the SHA-256 of a file the
 * way sha256sum does, hashed with lib/sha256.c.
 *
 *   sha-drv [-l] [-p] FILE
 *
 * The file is read in 64 KiB pieces.  -l hands each piece to
 * tyst_sha256_update() one line at a time, as tyst-pseudo does (a line cut
 * by the end of a piece goes in two calls).  -p forces the portable C block
 * function.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tyst/sha256.h"

static void
hash_lines(struct tyst_sha256 *s, const unsigned char *p, size_t n)
{
	while (n > 0) {
		const unsigned char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) + 1 : n;

		tyst_sha256_update(s, p, take);
		p += take;
		n -= take;
	}
}

int
main(int argc, char **argv)
{
	static unsigned char buf[65536];
	struct tyst_sha256 s;
	unsigned char d[32];
	int lines = 0, c, fd;
	ssize_t r;

	while ((c = getopt(argc, argv, "lp")) != -1) {
		switch (c) {
		case 'l':
			lines = 1;
			break;
		case 'p':
			tyst_sha256_use_portable(1);
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: sha-drv [-l] [-p] FILE\n");
		return 2;
	}
	if ((fd = open(argv[optind], O_RDONLY)) == -1) {
		perror(argv[optind]);
		return 2;
	}
	tyst_sha256_init(&s);
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		if (lines)
			hash_lines(&s, buf, (size_t)r);
		else
			tyst_sha256_update(&s, buf, (size_t)r);
	}
	if (r < 0) {
		perror(argv[optind]);
		return 2;
	}
	close(fd);
	tyst_sha256_final(&s, d);
	for (int i = 0; i < 32; i++)
		printf("%02x", d[i]);
	printf("  %s\n", argv[optind]);
	return 0;
}
