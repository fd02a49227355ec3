/*
 * rxreach — how far before its anchor a regex match can start.
 *
 * Kept for the callers written against it: the bounds are one part of a
 * pattern's summary now, read with the rest by one reader (rxsum.h).
 */
#ifndef TYST_RXREACH_H
#define TYST_RXREACH_H

#include "tyst/rxsum.h"

#endif
