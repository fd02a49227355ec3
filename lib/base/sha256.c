/*
 * sha256 — see include/tyst/sha256.h.  Written from FIPS 180-4 and, for
 * the x86-64 block function, Intel's description of the SHA extensions.
 *
 * tyst-pseudo hashes every byte it reads and writes, so the block function
 * is worth two versions: one with the SHA instructions, picked once at
 * load time when CPUID reports them (with the SSSE3 and SSE4.1 shuffles it
 * also needs), and portable C for every other CPU.  The portable one is
 * also what runs under valgrind, whose emulated CPUID does not offer SHA.
 */
#include "tyst/sha256.h"

#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

/*
 * Aligned so the SHA-NI code can load four constants at a time from any
 * multiple of four.
 */
static const uint32_t K[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static inline uint32_t
ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * One round.  The caller renames the eight working variables instead of
 * moving them, so only d and h change here.
 */
static inline void
round1(uint32_t a, uint32_t b, uint32_t c, uint32_t *d, uint32_t e,
    uint32_t f, uint32_t g, uint32_t *h, uint32_t kw)
{
	uint32_t t1, t2;

	t1 = *h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
	    (g ^ (e & (f ^ g))) + kw;
	t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
	    ((a & b) | (c & (a | b)));
	*d += t1;
	*h = t1 + t2;
}

/* The portable block function: n blocks of 64 bytes at p. */
static void
blocks_c(uint32_t st[8], const unsigned char *p, size_t n)
{
	uint32_t w[64], a, b, c, d, e, f, g, h;

	for (; n > 0; n--, p += 64) {
		for (int i = 0; i < 16; i++)
			w[i] = load_be32(p + 4 * i);
		for (int i = 16; i < 64; i++) {
			uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^
			    (w[i - 15] >> 3);
			uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^
			    (w[i - 2] >> 10);
			w[i] = w[i - 16] + s0 + w[i - 7] + s1;
		}
		a = st[0]; b = st[1]; c = st[2]; d = st[3];
		e = st[4]; f = st[5]; g = st[6]; h = st[7];
		for (int i = 0; i < 64; i += 8) {
			round1(a, b, c, &d, e, f, g, &h, K[i] + w[i]);
			round1(h, a, b, &c, d, e, f, &g, K[i + 1] + w[i + 1]);
			round1(g, h, a, &b, c, d, e, &f, K[i + 2] + w[i + 2]);
			round1(f, g, h, &a, b, c, d, &e, K[i + 3] + w[i + 3]);
			round1(e, f, g, &h, a, b, c, &d, K[i + 4] + w[i + 4]);
			round1(d, e, f, &g, h, a, b, &c, K[i + 5] + w[i + 5]);
			round1(c, d, e, &f, g, h, a, &b, K[i + 6] + w[i + 6]);
			round1(b, c, d, &e, f, g, h, &a, K[i + 7] + w[i + 7]);
		}
		st[0] += a; st[1] += b; st[2] += c; st[3] += d;
		st[4] += e; st[5] += f; st[6] += g; st[7] += h;
	}
}

#ifdef HAVE_SHANI
/*
 * The block function with the SHA extensions.  sha256rnds2 does two rounds
 * on the state held as two vectors, ABEF and CDGH (A in the top lane), with
 * W+K of the two rounds in the low lanes of its third operand; its result
 * is the new ABEF and the old ABEF becomes the new CDGH, so two calls with
 * the operands swapped do four rounds and leave the state as it was laid
 * out.
 */
__attribute__((target("sha,sse4.1,ssse3")))
static inline void
rounds4(__m128i *abef, __m128i *cdgh, __m128i w, int i)
{
	__m128i kw;

	kw = _mm_add_epi32(w, _mm_load_si128((const __m128i *)&K[4 * i]));
	*cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, kw);
	kw = _mm_shuffle_epi32(kw, 0x0e);
	*abef = _mm_sha256rnds2_epu32(*abef, *cdgh, kw);
}

/*
 * W[i..i+3] from the four groups before it, w0 = W[i-16..i-13] the oldest:
 * msg1 adds s0 of W[i-15..i-12] to w0, then W[i-7..i-4] (the upper three
 * words of w2 and the first of w3) is added, and msg2 adds s1 of W[i-2],
 * W[i-1] and of the two words it has just made.
 */
__attribute__((target("sha,sse4.1,ssse3")))
static inline __m128i
schedule4(__m128i w0, __m128i w1, __m128i w2, __m128i w3)
{
	__m128i t;

	t = _mm_sha256msg1_epu32(w0, w1);
	t = _mm_add_epi32(t, _mm_alignr_epi8(w3, w2, 4));
	return _mm_sha256msg2_epu32(t, w3);
}

__attribute__((target("sha,sse4.1,ssse3")))
static void
blocks_shani(uint32_t st[8], const unsigned char *p, size_t n)
{
	/* Reverses the bytes of each 32-bit lane: the words are big-endian. */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
	    0x0405060700010203LL);
	__m128i abef, cdgh, abef0, cdgh0, t, m0, m1, m2, m3;

	/* a b c d, e f g h (lane 0 first) to ABEF and CDGH. */
	t = _mm_loadu_si128((const __m128i *)&st[0]);
	cdgh = _mm_loadu_si128((const __m128i *)&st[4]);
	t = _mm_shuffle_epi32(t, 0xb1);			/* b a d c */
	cdgh = _mm_shuffle_epi32(cdgh, 0x1b);		/* h g f e */
	abef = _mm_alignr_epi8(t, cdgh, 8);		/* f e b a */
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);		/* h g d c */

	for (; n > 0; n--, p += 64) {
		abef0 = abef;
		cdgh0 = cdgh;
		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p),
		    bswap);
		m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)
		    (p + 16)), bswap);
		m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)
		    (p + 32)), bswap);
		m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)
		    (p + 48)), bswap);
		rounds4(&abef, &cdgh, m0, 0);
		rounds4(&abef, &cdgh, m1, 1);
		rounds4(&abef, &cdgh, m2, 2);
		rounds4(&abef, &cdgh, m3, 3);
		/* Each new group replaces the oldest, which it no longer needs. */
		for (int i = 4; i < 16; i += 4) {
			m0 = schedule4(m0, m1, m2, m3);
			rounds4(&abef, &cdgh, m0, i);
			m1 = schedule4(m1, m2, m3, m0);
			rounds4(&abef, &cdgh, m1, i + 1);
			m2 = schedule4(m2, m3, m0, m1);
			rounds4(&abef, &cdgh, m2, i + 2);
			m3 = schedule4(m3, m0, m1, m2);
			rounds4(&abef, &cdgh, m3, i + 3);
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	/* And back. */
	t = _mm_shuffle_epi32(abef, 0x1b);		/* a b e f */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);		/* g h c d */
	abef = _mm_blend_epi16(t, cdgh, 0xf0);		/* a b c d */
	cdgh = _mm_alignr_epi8(cdgh, t, 8);		/* e f g h */
	_mm_storeu_si128((__m128i *)&st[0], abef);
	_mm_storeu_si128((__m128i *)&st[4], cdgh);
}

/* CPUID: leaf 1 ECX bits 9 (SSSE3) and 19 (SSE4.1), leaf 7 EBX bit 29. */
static int
cpu_has_shani(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	if (!(c & (1u << 9)) || !(c & (1u << 19)))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & (1u << 29)) != 0;
}
#endif

static void (*blocks)(uint32_t st[8], const unsigned char *p, size_t n) =
    blocks_c;
static int have_hw;

#ifdef HAVE_SHANI
/* Chosen before main() runs, so no caller ever races the choice. */
__attribute__((constructor))
static void
choose_blocks(void)
{
	have_hw = cpu_has_shani();
	if (have_hw)
		blocks = blocks_shani;
}
#endif

int
tyst_sha256_use_portable(int yes)
{
#ifdef HAVE_SHANI
	blocks = yes || !have_hw ? blocks_c : blocks_shani;
#else
	(void)yes;
#endif
	return have_hw;
}

void
tyst_sha256_init(struct tyst_sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->nbuf = 0;
}

/*
 * Whole blocks are hashed where the caller has them; only a partial block
 * at either end goes through s->buf.
 */
void
tyst_sha256_update(struct tyst_sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;

	s->len += n;
	if (s->nbuf > 0) {
		size_t take = 64 - s->nbuf < n ? 64 - s->nbuf : n;

		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += take;
		p += take;
		n -= take;
		if (s->nbuf < 64)
			return;
		blocks(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	if (n >= 64) {
		blocks(s->h, p, n / 64);
		p += n & ~(size_t)63;
		n &= 63;
	}
	if (n > 0)
		memcpy(s->buf, p, n);
	s->nbuf = n;
}

void
tyst_sha256_final(struct tyst_sha256 *s, unsigned char out[32])
{
	uint64_t bits = s->len * 8;
	size_t n = s->nbuf;

	s->buf[n++] = 0x80;
	if (n > 56) {
		memset(s->buf + n, 0, 64 - n);
		blocks(s->h, s->buf, 1);
		n = 0;
	}
	memset(s->buf + n, 0, 56 - n);
	for (int i = 0; i < 8; i++)
		s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	blocks(s->h, s->buf, 1);
	s->nbuf = 0;
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
}

void
tyst_sha256_final_hex(struct tyst_sha256 *s, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];

	tyst_sha256_final(s, d);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

void
tyst_sha256_hex(const void *p, size_t n, char out[65])
{
	struct tyst_sha256 s;

	tyst_sha256_init(&s);
	tyst_sha256_update(&s, p, n);
	tyst_sha256_final_hex(&s, out);
}

int
tyst_sha256_file(const char *path, char out[65])
{
	struct tyst_sha256 s;
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	tyst_sha256_init(&s);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		tyst_sha256_update(&s, buf, n);
	if (ferror(f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	tyst_sha256_final_hex(&s, out);
	return 0;
}
