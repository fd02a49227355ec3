/*
 * Unit tests of the format layer (lib/formats/input.c, lib/formats/inputenc.c, lib/formats/inputcue.c):
 * sniffing, the views of WebVTT and SRT, offsets back into the file,
 * encodings read and written back byte for byte, and changed views
 * written into the file's structure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/input.h"

static void
load(struct tyst_input *d, const char *p, size_t len)
{
	struct tyst_err err;

	if (tyst_input_from_mem(d, "t", p, len, TYST_IN_AUTO, TYST_ENC_AUTO,
	    &err) < 0)
		fail_msg("load: %s", err.msg);
}

static int
load_fails(const char *p, size_t len, const char *want)
{
	struct tyst_input d;
	struct tyst_err err;

	if (tyst_input_from_mem(&d, "t", p, len, TYST_IN_AUTO, TYST_ENC_AUTO,
	    &err) == 0) {
		tyst_input_free(&d);
		return 0;
	}
	if (strstr(err.msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	return 1;
}

/* Writes the document with its view changed from `from` to `to` (each
 * once) and checks the output. */
static void
rewrite(const struct tyst_input *d, const char *from, const char *to,
    const char *want, size_t wantlen)
{
	struct tyst_err err;
	char *nv, *out, *at = strstr(d->view, from);
	size_t nl, outlen;

	assert_non_null(at);
	nl = d->vlen - strlen(from) + strlen(to);
	nv = malloc(nl + 1);
	assert_non_null(nv);
	memcpy(nv, d->view, (size_t)(at - d->view));
	memcpy(nv + (at - d->view), to, strlen(to));
	strcpy(nv + (at - d->view) + strlen(to), at + strlen(from));
	if (tyst_input_write(d, nv, nl, &out, &outlen, &err) < 0)
		fail_msg("write: %s", err.msg);
	if (outlen != wantlen || memcmp(out, want, wantlen) != 0)
		fail_msg("wrote \"%.*s\"", (int)outlen, out);
	free(out);
	free(nv);
}

static const char vtt[] =
    "WEBVTT\n"
    "Kind: captions\n"
    "\n"
    "NOTE intervju med Anna\n"
    "\n"
    "1\n"
    "00:12:31.000 --> 00:12:34.500 align:start position:10%\n"
    "<v Anna Svensson>Jag bor i <i>Gävle</i>.</v>\n"
    "\n"
    "00:12:35.000 --> 00:12:36.000\n"
    "<v.loud Erik Berg (Extern)>Okej.\n";

static void
test_vtt_view(void **state)
{
	struct tyst_input d;

	(void)state;
	load(&d, vtt, sizeof(vtt) - 1);
	assert_int_equal(d.format, TYST_IN_VTT);
	assert_string_equal(d.view,
	    "\n captions\n\n intervju med Anna\n\n\n\n"
	    "Anna Svensson: Jag bor i Gävle.\n\n\n"
	    "Erik Berg: Okej.\n");
	assert_int_equal(d.nvlines, 11);
	assert_string_equal(d.times[7], "00:12:31");
	assert_null(d.times[6]);
	assert_string_equal(d.times[10], "00:12:35");
	/* "Gävle" in the view, and where it is in the file. */
	size_t v = (size_t)(strstr(d.view, "Gävle") - d.view);
	assert_int_equal(tyst_input_src(&d, v),
	    (size_t)(strstr(vtt, "Gävle") - vtt));
	assert_int_equal(tyst_input_src_end(&d, v + strlen("Gävle")),
	    (size_t)(strstr(vtt, "Gävle") - vtt) + strlen("Gävle"));
	v = (size_t)(strstr(d.view, "Erik") - d.view);
	assert_int_equal(tyst_input_src(&d, v), (size_t)(strstr(vtt, "Erik") -
	    vtt));
	tyst_input_free(&d);
}

static void
test_vtt_write(void **state)
{
	struct tyst_input d;

	(void)state;
	load(&d, vtt, sizeof(vtt) - 1);
	/* Unchanged: the same bytes. */
	rewrite(&d, "Okej", "Okej", vtt, sizeof(vtt) - 1);
	tyst_input_free(&d);
}

static void
test_vtt_write_markup(void **state)
{
	struct tyst_input d;
	static const char w1[] =
	    "WEBVTT\n"
	    "Kind: captions\n"
	    "\n"
	    "NOTE intervju med Anna\n"
	    "\n"
	    "1\n"
	    "00:12:31.000 --> 00:12:34.500 align:start position:10%\n"
	    "<v Lena Ek>Jag bor i <i>[kommun i Norrland]</i>.</v>\n"
	    "\n"
	    "00:12:35.000 --> 00:12:36.000\n"
	    "<v.loud Erik Berg (Extern)>Okej.\n";
	static const char w2[] =
	    "WEBVTT\n"
	    "Kind: captions\n"
	    "\n"
	    "NOTE intervju med Anna\n"
	    "\n"
	    "1\n"
	    "00:12:31.000 --> 00:12:34.500 align:start position:10%\n"
	    "<v Anna Svensson>Jag bor i <i>Gävle</i>.</v>\n"
	    "\n"
	    "00:12:35.000 --> 00:12:36.000\n"
	    "<v.loud Jonas Åkesson (Extern)>Okej.\n";

	(void)state;
	load(&d, vtt, sizeof(vtt) - 1);
	rewrite(&d, "Anna Svensson: Jag bor i Gävle",
	    "Lena Ek: Jag bor i [kommun i Norrland]", w1, sizeof(w1) - 1);
	rewrite(&d, "Erik Berg", "Jonas Åkesson", w2, sizeof(w2) - 1);
	tyst_input_free(&d);
}

static void
test_vtt_write_refuses_structure(void **state)
{
	struct tyst_input d;
	struct tyst_err err;
	char *out;
	size_t outlen;
	char nv[512];

	(void)state;
	load(&d, vtt, sizeof(vtt) - 1);
	/* One line fewer. */
	snprintf(nv, sizeof(nv), "%s", d.view + 1);
	assert_int_equal(tyst_input_write(&d, nv, strlen(nv), &out, &outlen,
	    &err), -1);
	/* The label's colon gone. */
	snprintf(nv, sizeof(nv), "%s", d.view);
	*strstr(nv, ": Jag") = ' ';
	assert_int_equal(tyst_input_write(&d, nv, strlen(nv), &out, &outlen,
	    &err), -1);
	assert_non_null(strstr(err.msg, "nothing was written"));
	tyst_input_free(&d);
}

static const char srt[] =
    "1\r\n"
    "00:00:01,000 --> 00:00:04,000\r\n"
    "SPEAKER_01: Hej, jag heter <b>Mona</b>.\r\n"
    "{\\an8}Jag jobbar på Volvo.\r\n"
    "\r\n"
    "2\r\n"
    "00:00:05,000 --> 00:00:06,000\r\n"
    "Bra.\r\n";

static void
test_srt(void **state)
{
	struct tyst_input d;
	static const char want[] =
	    "1\r\n"
	    "00:00:01,000 --> 00:00:04,000\r\n"
	    "SPEAKER_01: Hej, jag heter <b>Lisa</b>.\r\n"
	    "{\\an8}Jag jobbar på Volvo.\r\n"
	    "\r\n"
	    "2\r\n"
	    "00:00:05,000 --> 00:00:06,000\r\n"
	    "Bra.\r\n";

	(void)state;
	load(&d, srt, sizeof(srt) - 1);
	assert_int_equal(d.format, TYST_IN_SRT);
	assert_string_equal(d.view, "\r\n\r\nSPEAKER_01: Hej, jag heter "
	    "Mona.\r\nJag jobbar på Volvo.\r\n\r\n\r\n\r\nBra.\r\n");
	assert_string_equal(d.times[2], "00:00:01");
	rewrite(&d, "Mona", "Lisa", want, sizeof(want) - 1);
	tyst_input_free(&d);
}

static void
test_text_is_not_cues(void **state)
{
	struct tyst_input d;
	static const char t[] = "12\nI: Det var 1998.\n";

	(void)state;
	load(&d, t, sizeof(t) - 1);
	assert_int_equal(d.format, TYST_IN_TEXT);
	assert_true(tyst_input_is_plain(&d));
	assert_string_equal(d.view, t);
	tyst_input_free(&d);
}

static void
test_cp1252(void **state)
{
	struct tyst_input d;
	/* ”Hej” – sa Åsa… in Windows-1252, CRLF */
	static const char in[] = "\x94Hej\x94 \x96 sa \xc5sa\x85\r\nI: \x93ja\x93\r\n";
	static const char want[] = "\x94Hej\x94 \x96 sa P\xe4r\x85\r\nI: \x93ja\x93\r\n";

	(void)state;
	load(&d, in, sizeof(in) - 1);
	assert_int_equal(d.enc, TYST_ENC_CP1252);
	assert_string_equal(d.view, "”Hej” – sa Åsa…\r\nI: “ja“\r\n");
	/* "Åsa" is 4 bytes into the view after ”Hej” (3+3+3) and " – sa ". */
	size_t v = (size_t)(strstr(d.view, "Åsa") - d.view);
	assert_int_equal(tyst_input_src(&d, v), 11);
	assert_int_equal(tyst_input_src_end(&d, v + strlen("Åsa")), 14);
	rewrite(&d, "Åsa", "Åsa", in, sizeof(in) - 1);
	rewrite(&d, "Åsa", "Pär", want, sizeof(want) - 1);
	tyst_input_free(&d);
}

static void
test_cp1252_cannot_hold(void **state)
{
	struct tyst_input d;
	struct tyst_err err;
	char *out;
	size_t outlen;
	static const char in[] = "Hej \xc5sa\n";

	(void)state;
	load(&d, in, sizeof(in) - 1);
	assert_int_equal(tyst_input_write(&d, "Hej Łucja\n", 11, &out, &outlen,
	    &err), -1);
	assert_non_null(strstr(err.msg, "Windows-1252"));
	tyst_input_free(&d);
}

static void
test_utf16(void **state)
{
	struct tyst_input d;
	static const char le[] = "\xff\xfe" "H\0\xe4\0j\0\r\0\n\0" "=\xd8\x00\xde";
	static const char be[] = "\xfe\xff" "\0H\0\xe4\0j\0\n";
	static const char lewant[] = "\xff\xfe" "P\0\xe4\0j\0\r\0\n\0" "=\xd8\x00\xde";

	(void)state;
	load(&d, le, sizeof(le) - 1);
	assert_int_equal(d.enc, TYST_ENC_UTF16LE);
	assert_string_equal(d.view, "Häj\r\n\xf0\x9f\x98\x80");
	assert_int_equal(tyst_input_src(&d, 1), 4);
	assert_int_equal(tyst_input_src(&d, 6), 12);
	assert_int_equal(tyst_input_src_end(&d, 3), 6);
	rewrite(&d, "H", "H", le, sizeof(le) - 1);
	rewrite(&d, "H", "P", lewant, sizeof(lewant) - 1);
	tyst_input_free(&d);
	load(&d, be, sizeof(be) - 1);
	assert_int_equal(d.enc, TYST_ENC_UTF16BE);
	assert_string_equal(d.view, "Häj\n");
	rewrite(&d, "j", "j", be, sizeof(be) - 1);
	tyst_input_free(&d);
}

static void
test_utf8_bom(void **state)
{
	struct tyst_input d;
	static const char in[] = "\xef\xbb\xbfWEBVTT\n\n00:01.000 --> 00:02.000\nHej Erik\n";

	(void)state;
	load(&d, in, sizeof(in) - 1);
	assert_int_equal(d.format, TYST_IN_VTT);
	assert_true(d.bom);
	assert_false(tyst_input_is_plain(&d));
	assert_string_equal(d.times[3], "00:00:01");
	size_t v = (size_t)(strstr(d.view, "Erik") - d.view);
	assert_int_equal(tyst_input_src(&d, v), (size_t)(strstr(in, "Erik") - in));
	rewrite(&d, "Erik", "Erik", in, sizeof(in) - 1);
	tyst_input_free(&d);
}

static void
test_refused(void **state)
{
	(void)state;
	assert_true(load_fails("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 rest", 13,
	    "soffice --headless --convert-to"));
	assert_true(load_fails("{\\rtf1\\ansi hej}", 16, "RTF"));
	assert_true(load_fails("%PDF-1.4\n", 9, "pdftotext"));
	assert_true(load_fails("PK\3\4xxxxword/document.xml", 25, "zip"));
	assert_true(load_fails("PK\3\4xxxxIndex/Document.iwa", 26, "Pages"));
	/* Neither UTF-8 nor Windows-1252. */
	assert_true(load_fails("Hej \x81 d\xe5\n", 9, "iconv -f"));
	/* UTF-8 and Windows-1252 mixed. */
	assert_true(load_fails("G\xc3\xa4vle och G\xe4vle\n", 17, "mixes"));
	/* UTF-16 without a BOM. */
	assert_true(load_fails("H\0e\0j\0\n\0", 8, "iconv -f UTF-16LE"));
	/* A lone surrogate, an odd length. */
	assert_true(load_fails("\xff\xfe\x00\xd8H\0", 6, "surrogate"));
	assert_true(load_fails("\xff\xfeH\0e", 5, "odd"));
	assert_true(load_fails("\xff\xfe\0\0", 4, "UTF-32"));
	assert_true(load_fails("bin\0ary", 7, "NUL"));
}

static void
test_parse_format(void **state)
{
	enum tyst_input_format f;
	enum tyst_input_enc e;

	(void)state;
	assert_int_equal(tyst_input_parse_format("cp1252", &f, &e), 0);
	assert_int_equal(e, TYST_ENC_CP1252);
	assert_int_equal(tyst_input_parse_format("WebVTT", &f, &e), 0);
	assert_int_equal(f, TYST_IN_VTT);
	assert_int_equal(tyst_input_parse_format("doc", &f, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vtt_view),
		cmocka_unit_test(test_vtt_write),
		cmocka_unit_test(test_vtt_write_markup),
		cmocka_unit_test(test_vtt_write_refuses_structure),
		cmocka_unit_test(test_srt),
		cmocka_unit_test(test_text_is_not_cues),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_cp1252_cannot_hold),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_parse_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
