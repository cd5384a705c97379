/* Where things live in the two pages the clock fault maps into a process:
 * the replacement code (clock_code.S) on the first page, read-only and
 * executable, and its data on the second, which the code reads relative to
 * its own address. Plain #defines: the assembler includes this file too, and
 * clock_page.hpp checks the C++ struct against it. */
#ifndef ATOMIXTEST_CLOCK_LAYOUT_H
#define ATOMIXTEST_CLOCK_LAYOUT_H

#define CLOCK_PAGE_SIZE 4096

/* Offsets inside the data page (the second page). */
#define CLOCK_DATA_BASE 8      /* int64: the real time (ns) the rate counts from */
#define CLOCK_DATA_RATE 16     /* int64: the rate, fixed point 32.32 */
#define CLOCK_DATA_OFFSETS 24  /* int64[2]: the offsets (ns) the selector picks from */
#define CLOCK_DATA_SELECTOR 40 /* uint8: 0 or 1, the one byte the strobe flips */

/* The clocks adjusted: REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI. */
#define CLOCK_ADJUSTED_MASK ((1 << 0) | (1 << 5) | (1 << 8) | (1 << 11))

#endif
