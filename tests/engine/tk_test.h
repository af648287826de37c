/*
 * tk_test.h — helpers of the engine tests that only make sense for images: image
 * comparison, PNG chunk CRCs, one-call thumbnails. Checks come from tests/common/check.h
 * and files from tests/common/files.h (both included here for the tests' convenience).
 */
#ifndef TK_TEST_H
#define TK_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "files.h"
#include "thumbkit.h"

/** Mean absolute difference per channel of two images of the same size and layout, or -1. */
double tk_test_mad(const struct tk_image *a, const struct tk_image *b);

/** Mean of channel @p c over a rectangle of @p img. */
double tk_test_region_mean(const struct tk_image *img, uint32_t x, uint32_t y, uint32_t w,
                           uint32_t h, int c);

/** CRC-32 as used by PNG chunks (to build test files). */
uint32_t tk_test_crc32(const uint8_t *p, size_t n);

/** Thumbnail @p f with one fit-inside box, PNG output, keep_pixels; @return the status. */
enum tk_status tk_test_thumb(const struct test_file *f, uint32_t box_w, uint32_t box_h,
                             struct tk_result *res);

#endif
