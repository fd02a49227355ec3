/*
 * Unit tests of lib/sha256.c: the FIPS 180-2 examples on both block
 * functions (the SHA-instruction one and the portable C one), and random
 * messages cut into random update() calls, which must give the same digest
 * on both paths and as one piece.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/sha256.h"

static void
to_hex(const unsigned char d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* p[0..n) given to update() in pieces `reps` times over, as hex. */
static void
digest_rep(const void *p, size_t n, int reps, char out[65])
{
	struct tyst_sha256 s;
	unsigned char d[32];

	tyst_sha256_init(&s);
	for (int i = 0; i < reps; i++)
		tyst_sha256_update(&s, p, n);
	tyst_sha256_final(&s, d);
	to_hex(d, out);
}

static void
check_fips(void)
{
	static const struct {
		const char *msg;
		int reps;
		const char *want;
	} v[] = {
		{ "", 1,
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", 1,
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 1,
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
		/* One million 'a': 1000 updates of 1000 bytes. */
		{ NULL, 1000,
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	};
	char a1000[1000], hex[65];

	memset(a1000, 'a', sizeof(a1000));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i].msg) {
			digest_rep(v[i].msg, strlen(v[i].msg), v[i].reps, hex);
			assert_string_equal(hex, v[i].want);
			tyst_sha256_hex(v[i].msg, strlen(v[i].msg), hex);
		} else {
			digest_rep(a1000, sizeof(a1000), v[i].reps, hex);
		}
		assert_string_equal(hex, v[i].want);
	}
}

static void
test_fips_portable(void **state)
{
	(void)state;
	tyst_sha256_use_portable(1);
	check_fips();
	tyst_sha256_use_portable(0);
}

static void
test_fips_hw(void **state)
{
	(void)state;
	if (!tyst_sha256_use_portable(0)) {
		print_message("no SHA instructions on this CPU: "
		    "SHA-NI path not tested\n");
		skip();
	}
	check_fips();
}

/* A fixed xorshift generator, so a failure can be repeated. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32) % n;
}

/* p[0..n) in random pieces (empty ones too). */
static void
digest_split(const unsigned char *p, size_t n, unsigned char d[32])
{
	struct tyst_sha256 s;
	size_t off = 0;

	tyst_sha256_init(&s);
	while (off < n) {
		size_t take = rnd(4) == 0 ? rnd(3) : rnd(200);

		if (rnd(8) == 0)
			take = rnd(1500);
		if (take > n - off)
			take = n - off;
		tyst_sha256_update(&s, p + off, take);
		off += take;
	}
	tyst_sha256_final(&s, d);
}

/*
 * The portable path in one piece is the reference; the portable path in
 * pieces, and the SHA-NI path in one piece and in pieces, must agree.
 */
static void
compare_paths(const unsigned char *p, size_t n, int hw)
{
	unsigned char d[32];
	char hex[65], want[65];

	tyst_sha256_use_portable(1);
	tyst_sha256_hex(p, n, want);
	digest_split(p, n, d);
	to_hex(d, hex);
	if (strcmp(hex, want) != 0)
		fail_msg("length %zu: portable in pieces %s, in one %s",
		    n, hex, want);
	if (!hw)
		return;
	tyst_sha256_use_portable(0);
	tyst_sha256_hex(p, n, hex);
	if (strcmp(hex, want) != 0)
		fail_msg("length %zu: SHA-NI %s, portable %s", n, hex, want);
	digest_split(p, n, d);
	to_hex(d, hex);
	if (strcmp(hex, want) != 0)
		fail_msg("length %zu: SHA-NI in pieces %s, portable %s",
		    n, hex, want);
}

static void
test_random_splits(void **state)
{
	enum { MAX = 5000 };
	unsigned char *buf = malloc(MAX + 16);
	int hw;

	(void)state;
	assert_non_null(buf);
	hw = tyst_sha256_use_portable(0);
	if (!hw)
		print_message("no SHA instructions on this CPU: "
		    "only portable and one-piece digests compared\n");
	for (size_t i = 0; i < MAX + 16; i++)
		buf[i] = (unsigned char)rnd(256);
	/* Every length around the padding's edges, then random ones. */
	for (size_t n = 0; n <= 200; n++)
		compare_paths(buf + rnd(16), n, hw);
	for (int i = 0; i < 400; i++)
		compare_paths(buf + rnd(16), rnd(MAX + 1), hw);
	tyst_sha256_use_portable(0);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_portable),
		cmocka_unit_test(test_fips_hw),
		cmocka_unit_test(test_random_splits),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
