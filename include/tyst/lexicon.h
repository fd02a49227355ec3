/*
 * lexicon — Swedish common words, to tell "Björn" the name from "Björnen
 * sov" at the start of a sentence.
 *
 * Built from the word lists Debian ships: wswedish (/usr/share/dict/swedish,
 * ISO-8859-1, inflected forms) and hunspell-sv (/usr/share/hunspell/
 * sv_SE.dic, UTF-8, stems with /flags).  Only entries that begin in lower
 * case are common words; the capitalised ones are names and are left out.
 * TYST_LEXICON (a colon-separated list of files) replaces the default list.
 * Loaded once per process on first use and shared.
 */
#ifndef TYST_LEXICON_H
#define TYST_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "tyst/diag.h"

struct tyst_lexicon;

/* The shared lexicon, loaded on first use; NULL with *missing set when no
 * word list is installed (not an error), NULL with err set on a real error.
 * Each successful call must be paired with tyst_lexicon_release(). */
const struct tyst_lexicon *tyst_lexicon_acquire(int *missing,
    struct tyst_err *err);
void tyst_lexicon_release(const struct tyst_lexicon *lex);

/* Number of words held. */
size_t tyst_lexicon_size(const struct tyst_lexicon *lex);

/* Whether the lower-case word w[0..len) is listed as it is. */
int tyst_lexicon_has(const struct tyst_lexicon *lex, const char *w,
    size_t len);

/*
 * Whether w[0..len) (any case) is a common word: 1 when its lower-case form
 * is listed, or is a genitive (-s) of a listed word; 2 when it is a
 * compound of two listed words (with a linking letter: "arbets|plats");
 * 0 when it is none of these.
 */
int tyst_lexicon_common(const struct tyst_lexicon *lex, const char *w,
    size_t len);

/*
 * Word classes of a lower-case stem as hunspell-sv's affix flags give them
 * (a stem can have both); 0 for a word the list holds without flags, or
 * does not hold.
 */
#define TYST_LEX_NOUN 1u
#define TYST_LEX_VERB 2u
uint32_t tyst_lexicon_classes(const struct tyst_lexicon *lex, const char *w,
    size_t len);

/*
 * Whether the lower-case w[0..len) is a verb in the present or past tense
 * of a stem hunspell-sv marks as a verb: "skrattar", "skrattade" of
 * "skratta", "köper", "köpte" of "köpa".  Strong past forms ("grät") are
 * not told.
 */
int tyst_lexicon_finite_verb(const struct tyst_lexicon *lex, const char *w,
    size_t len);

/*
 * Lower-cases a Swedish word (ASCII, Latin-1 and Latin Extended-A letters)
 * into out (capacity cap); returns the length, or 0 when it does not fit.
 */
size_t tyst_lower(const char *w, size_t len, char *out, size_t cap);

/* Letter classes of a code point, for the scripts Swedish transcripts use
 * (Latin with its accents; other alphabets count as letters without case). */
int tyst_cp_letter(uint32_t cp);
int tyst_cp_upper(uint32_t cp);
int tyst_cp_lower(uint32_t cp);
uint32_t tyst_cp_tolower(uint32_t cp);

#endif
