/*
 * sha1 — SHA-1 (include/tyst/sha1.h), written from FIPS 180-4, for the
 * name-based UUIDs REFI-QDA files want: a codebook's GUIDs stay the same
 * from one export to the next.  Nothing secret or collision-sensitive
 * depends on it.
 */
#include "tyst/sha1.h"

#include <stdio.h>
#include <string.h>

static uint32_t
rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void
block(struct tyst_sha1 *s, const unsigned char *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3]; e = s->h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d; s->h[4] += e;
}

void
tyst_sha1_init(struct tyst_sha1 *s)
{
	static const uint32_t h0[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
	};

	memcpy(s->h, h0, sizeof(h0));
	s->nbytes = 0;
	s->nbuf = 0;
}

void
tyst_sha1_update(struct tyst_sha1 *s, const void *data, size_t len)
{
	const unsigned char *p = data;

	s->nbytes += len;
	while (len > 0) {
		size_t n = 64 - s->nbuf;

		if (n > len)
			n = len;
		memcpy(s->buf + s->nbuf, p, n);
		s->nbuf += n;
		p += n;
		len -= n;
		if (s->nbuf == 64) {
			block(s, s->buf);
			s->nbuf = 0;
		}
	}
}

void
tyst_sha1_final(struct tyst_sha1 *s, unsigned char out[20])
{
	uint64_t bits = s->nbytes * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	int i;

	tyst_sha1_update(s, &pad, 1);
	while (s->nbuf != 56)
		tyst_sha1_update(s, &zero, 1);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	tyst_sha1_update(s, len, 8);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void
tyst_uuid5(const unsigned char ns[16], const char *name, size_t len,
    char out[37])
{
	struct tyst_sha1 s;
	unsigned char d[20];
	size_t o = 0;

	tyst_sha1_init(&s);
	tyst_sha1_update(&s, ns, 16);
	tyst_sha1_update(&s, name, len);
	tyst_sha1_final(&s, d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);   /* version 5 */
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);   /* RFC variant */
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		snprintf(out + o, 3, "%02x", d[i]);
		o += 2;
	}
	out[o] = '\0';
}
