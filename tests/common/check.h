/*
 * check.h — the one assertion family of thumbkit's C tests and benchmarks.
 *
 * Every failed check prints its location and what it saw, counts one failure and lets the
 * test go on; main() ends with `return check_done("name");`. A test that cannot run on this
 * machine (an ISA it lacks) returns CHECK_SKIP, which ctest reports as skipped
 * (SKIP_RETURN_CODE 77).
 */
#ifndef TK_TESTS_CHECK_H
#define TK_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/** Exit status for "not applicable on this machine" (ctest SKIP_RETURN_CODE). */
#define CHECK_SKIP 77

/** Failures so far in this process. */
extern int check_failures;

/** Print a one-line summary for test @p name. @return the exit status: 0 or 1. */
int check_done(const char *name);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

/* CHECK with a printf-style note (the file or case being tested). */
#define CHECKF(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_INT(got, want)                                                                    \
    CHECKF((long long)(got) == (long long)(want), "%s = %lld, expected %lld", #got,                \
           (long long)(got), (long long)(want))

#define CHECK_U64(got, want)                                                                       \
    do {                                                                                           \
        uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);                                      \
        CHECKF(g_ == w_, "%s = %" PRIu64 ", expected %" PRIu64, #got, g_, w_);                     \
    } while (0)

/* Strings equal; NULL equals only NULL. */
#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        CHECKF((g_ == NULL && w_ == NULL) || (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0),    \
               "%s = \"%s\", expected \"%s\"", #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
    } while (0)

/* @p haystack contains @p needle. */
#define CHECK_HAS(haystack, needle)                                                                \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        CHECKF(h_ != NULL && strstr(h_, n_) != NULL, "\"%s\" does not contain \"%s\"",             \
               h_ ? h_ : "(null)", n_);                                                            \
    } while (0)

#endif /* TK_TESTS_CHECK_H */
