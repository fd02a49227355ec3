/*
 * paths — where tyst's shipped data (rules/, codebooks/) lives at run time.
 */
#ifndef TYST_PATHS_H
#define TYST_PATHS_H

/*
 * The directory holding rules/ and codebooks/, found in this order:
 *   1. $TYST_DATADIR;
 *   2. beside the executable in a source tree (bin/../rules) or an
 *      install tree (bin/../share/tyst/rules);
 *   3. the compiled-in TYST_DATADIR (PREFIX/share/tyst).
 * Never NULL; the result is a static buffer.
 */
const char *tyst_datadir(void);

#endif
