/*
 * sha1 — SHA-1 (FIPS 180-4), for name-based UUIDs (RFC 9562, version 5).
 *
 * Not for anything that needs collision resistance: tyst uses it only to
 * derive stable REFI-QDA GUIDs from codebook ids.
 */
#ifndef TYST_SHA1_H
#define TYST_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct tyst_sha1 {
	uint32_t h[5];
	uint64_t nbytes;
	unsigned char buf[64];
	size_t nbuf;
};

void tyst_sha1_init(struct tyst_sha1 *s);
void tyst_sha1_update(struct tyst_sha1 *s, const void *p, size_t len);
void tyst_sha1_final(struct tyst_sha1 *s, unsigned char out[20]);

/*
 * The name-based UUID (version 5) of name in the namespace ns (16 bytes),
 * written as 36 lowercase characters and a NUL into out.
 */
void tyst_uuid5(const unsigned char ns[16], const char *name, size_t len,
    char out[37]);

#endif
