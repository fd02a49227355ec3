/*
 * pnr — Swedish personnummer and samordningsnummer.
 *
 * A personnummer is a date of birth YYMMDD, a separator, a three-digit birth
 * number whose last digit tells the sex (odd: man, even: woman) and a Luhn
 * check digit.  A samordningsnummer has 60 added to the day.  Written forms:
 *
 *     YYMMDD-NNNN   YYMMDD+NNNN (aged 100 or more)   YYMMDDNNNN
 *     YYYYMMDD-NNNN YYYYMMDDNNNN                     a space for the dash
 *
 * and, as people type them, the digits in groups with any spacing and
 * dash between and inside them: "85 03 12 98 79", "850312 - 9879",
 * "8609 20-84 29", "99 07 04 – 98 46".  Any of the hyphen-like characters
 * (U+2010-U+2014, U+2212) may stand for the dash and a no-break, figure or
 * thin space for the space, since a missed number is worse than an odd
 * separator.  Read aloud, a number is written in words ("åttiofem noll tre
 * tolv, nittioåtta sjuttionio"); lib/detect/numerals.c reads those.
 */
#ifndef TYST_PNR_H
#define TYST_PNR_H

#include <stddef.h>

#include "tyst/numerals.h"

enum tyst_pnr_kind {
	TYST_PNR_PERSONNUMMER,
	TYST_PNR_SAMORDNINGSNUMMER
};

struct tyst_pnr {
	size_t start, end;      /* byte range of the number in the text */
	enum tyst_pnr_kind kind;
	int valid;              /* the check digit is right */
	int year, month, day;   /* date of birth (day without the +60) */
	char sex;               /* 'm' or 'f' */
	char sep;               /* '-', '+', ' ' (any space or dash), or 0 */
	int long_form;          /* written with four-digit year */
	char digits[13];        /* normalised YYYYMMDDNNNC */
	size_t dig_start;       /* byte offset in the text where the group
	                         * holding the first of the last four digits
	                         * starts (for masking) */
};

/* Today's date as YYYYMMDD: from TYST_TODAY=YYYY-MM-DD when set (tests need
 * a fixed date to pin the century of short forms), else the clock. */
int tyst_pnr_today(void);

/*
 * Parses s[0..len) as one whole number in any written form.  Returns 1 when
 * it is a personnummer or samordningsnummer with a real date (out->valid
 * then tells the check digit), 0 when it is not one.  today is YYYYMMDD.
 */
int tyst_pnr_parse(const char *s, size_t len, int today, struct tyst_pnr *out);

/*
 * Finds the next number in text[from..len) that is written or spoken as
 * one of the forms, stands alone (not part of a longer digit run, a date
 * range, a diary number or a code), and has a real date.  Returns 1 and
 * fills out, or 0 when there is none.  Resume from out->end.
 *
 * A mistyped number (a real date, a wrong check digit) is found with
 * out->valid 0, except where the form is as often something else: a date
 * and a count ("850312 1234", one space between two groups) and ten
 * digits starting 070 (a mobile number) need the check digit.
 */
int tyst_pnr_find(const char *text, size_t len, size_t from, int today,
    struct tyst_pnr *out);

/* The same for numbers in digits only. */
int tyst_pnr_find_written(const char *text, size_t len, size_t from,
    int today, struct tyst_pnr *out);

/*
 * A number read aloud within a run of number words (numerals.h) of text,
 * from the run's group *from on: whole words whose digits are a date and
 * four more.  Returns 1, fills out and moves *from past it, or 0.
 */
int tyst_pnr_from_run(const char *text, size_t len,
    const struct tyst_num_run *run, unsigned *from, int today,
    struct tyst_pnr *out);

/* The Luhn check digit of the nine digits d[0..9). */
int tyst_pnr_luhn(const char *d9);

#endif
