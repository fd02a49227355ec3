/*
 * sha256 — content fingerprints of documents (FIPS 180-4).
 *
 * tyst recognises a document by the SHA-256 of its bytes: the coding
 * project refuses to import the same transcript twice, merges coders'
 * projects by it, and tyst-pseudo's manifest names its outputs by it.
 */
#ifndef TYST_SHA256_H
#define TYST_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct tyst_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void tyst_sha256_init(struct tyst_sha256 *s);
void tyst_sha256_update(struct tyst_sha256 *s, const void *p, size_t n);
void tyst_sha256_final(struct tyst_sha256 *s, unsigned char out[32]);
/* tyst_sha256_final() as a hex digest (64 characters and a NUL). */
void tyst_sha256_final_hex(struct tyst_sha256 *s, char out[65]);
/* The hex digest (64 characters and a NUL) of p[0..n). */
void tyst_sha256_hex(const void *p, size_t n, char out[65]);
/* The hex digest of the bytes of the file at path.  Returns 0, or -1 when
 * it cannot be opened or read (errno says why). */
int tyst_sha256_file(const char *path, char out[65]);

/*
 * For tests and benchmarks only.  Where the CPU has the x86-64 SHA
 * instructions they are used, chosen once at load time; yes != 0 forces
 * the portable C code instead, yes == 0 restores the choice.  Returns 1
 * when the CPU's SHA instructions are usable, so that a test comparing the
 * two knows whether it compared two different things.  Not thread-safe:
 * call it before hashing starts.
 */
int tyst_sha256_use_portable(int yes);

#endif
