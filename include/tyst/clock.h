/*
 * clock — the time stamps tyst writes into keys, projects and manifests.
 */
#ifndef TYST_CLOCK_H
#define TYST_CLOCK_H

/* "YYYY-MM-DDTHH:MM:SSZ" now, in UTC (or $TYST_NOW when set, so tests
 * can compare what they write). */
void tyst_now_iso(char buf[32]);

#endif
