/*
 * lambda_test.h — what the Lambda adapter's C tests share on top of tests/common/check.h:
 * an injected environment from a table, and a string check that frees what it checked.
 */
#ifndef TK_TESTS_LAMBDA_TEST_H
#define TK_TESTS_LAMBDA_TEST_H

#include <stdlib.h>
#include <string.h>

#include "base/env.h"
#include "check.h"

static inline const char *table_env_get(const char *name, void *ctx) {
    for (const char *const *v = ctx; v[0] != NULL; v += 2) {
        if (strcmp(v[0], name) == 0) {
            return v[1];
        }
    }
    return NULL;
}

/** An environment over @p vars: NULL-terminated name, value pairs (which must outlive it). */
static inline struct env table_env(const char *const *vars) {
    return (struct env){table_env_get, (void *)vars};
}

/** CHECK_STR on a malloc'd result, which is then freed. */
#define CHECK_STR_FREE(got, want)                                                                  \
    do {                                                                                           \
        char *s_ = (got);                                                                          \
        CHECK_STR(s_, want);                                                                       \
        free(s_);                                                                                  \
    } while (0)

#endif /* TK_TESTS_LAMBDA_TEST_H */
