/*
 * cases_dc.h — the DC-only fast path's cases, added to the table built in cases.c:
 *
 *   eighth/FILE/{stored,progressive}/{libjpeg,dc}   a 1/8 JPEG decode through the engine's
 *       general path (libjpeg-turbo) or the DC-only decoder, on each photo as stored and
 *       losslessly re-coded as progressive. The stored/dc cases time the DC-only decoder on
 *       baseline files too, the measurement that decides whether baseline gets the fast path.
 */
#ifndef TK_BENCH_CASES_DC_H
#define TK_BENCH_CASES_DC_H

#include "cases_common.h"

/** Add to @p t the eighth/... cases for the photos under @p data_dir that exist. */
void tk_bench_add_dc_cases(struct tk_bench_table *t, const char *data_dir);

#endif
