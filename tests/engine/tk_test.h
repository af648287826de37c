/* tk_test.h — a tiny test harness: CHECK macros that count failures, and file helpers. */
#ifndef TK_TEST_H
#define TK_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "thumbkit.h"

/** Failures so far; tk_test_done() turns it into the exit status. */
extern int tk_test_failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            tk_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

/* CHECK with a printf-style note (e.g. the file being tested). */
#define CHECKF(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            tk_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                         \
    CHECKF((long long)(a) == (long long)(b), "%s = %lld, expected %lld", #a, (long long)(a),       \
           (long long)(b))

/** Print a summary and @return the process exit status (0 when nothing failed). */
int tk_test_done(const char *name);

/** A file read into memory. */
struct tk_blob {
    unsigned char *data;
    size_t size;
};

/** Read @p dir/@p name (dir may be NULL); aborts the test on I/O errors. */
struct tk_blob tk_test_load(const char *dir, const char *name);
void tk_test_blob_free(struct tk_blob *b);

/** Sorted names in @p dir ending with @p suffix; free with tk_test_names_free(). */
char **tk_test_list(const char *dir, const char *suffix, size_t *n);
void tk_test_names_free(char **names, size_t n);

/** Mean absolute difference per channel of two images of the same size and layout, or -1. */
double tk_test_mad(const struct tk_image *a, const struct tk_image *b);

/** Mean of channel @p c over a rectangle of @p img. */
double tk_test_region_mean(const struct tk_image *img, uint32_t x, uint32_t y, uint32_t w,
                           uint32_t h, int c);

/** CRC-32 as used by PNG chunks (to build test files). */
uint32_t tk_test_crc32(const uint8_t *p, size_t n);

/** Thumbnail @p b with one fit-inside box, PNG output, keep_pixels; @return the status. */
enum tk_status tk_test_thumb(const struct tk_blob *b, uint32_t box_w, uint32_t box_h,
                             struct tk_result *res);

#endif
