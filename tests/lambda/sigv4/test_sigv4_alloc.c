/*
 * test_sigv4_alloc.c - allocation failure injection.
 *
 * Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup so that every
 * allocation made by the signer (libtk_lambda_sigv4.a, the encoder it uses from
 * libtk_lambda_base.a, and this file) goes through the
 * wrappers below. For k = 0, 1, 2, ... the k-th allocation fails: each public function must
 * then return NULL (never a wrong string, never crash), and under ASan it must not leak.
 * The loop ends at the first k where no allocation was failed, i.e. every allocation site
 * of the call has been made to fail once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "base/urlcode.h"
#include "check.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static long countdown = -1; /* allocations left before one fails; -1: never fail */
static bool failed_one;

static bool should_fail(void) {
    if (countdown < 0) {
        return false;
    }
    if (countdown-- == 0) {
        failed_one = true;
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t n) {
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size) {
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n) {
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s) {
    return should_fail() ? NULL : __real_strdup(s);
}

static const struct sigv4_header headers[] = {
    {"Host", "b.s3.amazonaws.com"},      {"X-Amz-Date", "20150830T123600Z"},
    {"x-amz-meta-a", "  one   two "},    {"X-Amz-Meta-A", "three"},
    {"X-Amz-Security-Token", "tok/en="}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
};
static const struct sigv4_credentials creds = {"AKID", "secret", "tok/en="};

enum which { CANONICAL, SIGN, PRESIGN, ENCODE, N_WHICH };
static const char *const names[] = {"sigv4_canonical_request", "sigv4_sign", "sigv4_presign_query",
                                    "urlcode_encode"};

static char *call(enum which w, bool s3) {
    struct sigv4_request r = {"PUT",
                              s3 ? "/b/a%20b//c/../d" : "/a b/./c/../d/",
                              "z=1&a=%41&&b",
                              headers,
                              6,
                              "UNSIGNED-PAYLOAD"};
    struct sigv4_scope sc = {"eu-west-1", "s3", 1440938160, s3};
    char *sh = NULL, *out = NULL;
    switch (w) {
    case CANONICAL:
        out = sigv4_canonical_request(&r, &sc, &sh);
        if (out && sh) { /* return both so both are compared */
            size_t n = strlen(out) + strlen(sh) + 2;
            char *both = malloc(n);
            if (both) {
                snprintf(both, n, "%s|%s", out, sh);
            }
            free(out);
            out = both;
        } else if (out || sh) {
            fprintf(stderr, "canonical request and signed headers disagree on failure\n");
            free(out);
            out = strdup("INCONSISTENT");
        }
        free(sh);
        return out;
    case SIGN:
        return sigv4_sign(&r, &creds, &sc);
    case PRESIGN:
        return sigv4_presign_query(&r, &creds, &sc, 900);
    case ENCODE:
        return urlcode_encode("a b/\xc3\xbc~", true);
    case N_WHICH:
        break;
    }
    return NULL;
}

int main(void) {
    int injected = 0;
    for (int s3 = 0; s3 <= 1; s3++) {
        for (enum which w = 0; w < N_WHICH; w++) {
            countdown = -1;
            char *want = call(w, s3);
            CHECKF(want != NULL, "%s: fails without injection", names[w]);
            if (!want) {
                continue;
            }
            for (long k = 0;; k++) {
                countdown = k;
                failed_one = false;
                char *got = call(w, s3);
                countdown = -1;
                if (!failed_one) { /* every allocation site has failed once */
                    CHECKF(got && strcmp(got, want) == 0, "%s: wrong result without failure",
                           names[w]);
                    free(got);
                    break;
                }
                injected++;
                CHECKF(!got || strcmp(got, want) == 0,
                       "%s (s3=%d): allocation %ld failed, wrong result \"%s\"", names[w], s3, k,
                       got);
                free(got);
            }
            free(want);
        }
    }
    printf("%d allocation failures injected\n", injected);
    CHECKF(injected >= 20, "only %d allocation failures injected", injected);
    return check_done("lambda.sigv4.alloc_failures");
}
