/*
 * cases_fast.h — the fast reduced-scale decoder's cases, added to the table built in cases.c:
 *
 *   reduced/1:S/FILE/{stored,progressive}/{libjpeg,fast}   a 1/S JPEG decode (S = 8, 4, 2)
 *       through the engine's general path (libjpeg-turbo) or the fast decoder, on each photo
 *       as stored and losslessly re-coded as progressive. At 1/2 only progressive files go to
 *       the fast decoder (baseline ones are not eligible), so there are no stored/fast cases.
 */
#ifndef TK_BENCH_CASES_FAST_H
#define TK_BENCH_CASES_FAST_H

#include "cases_common.h"

/** Add to @p t the reduced/... cases for the photos under @p data_dir that exist. */
void tk_bench_add_fast_cases(struct tk_bench_table *t, const char *data_dir);

#endif
