/*
 * test_runtime_unit.c — unit tests of the runtime's pure parts: backoff with full jitter
 * (injected randomness, clock and sleep), S3 addressing and key encoding, S3 error XML,
 * error classification, and the Runtime API error document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retry.h"
#include "runtime_api.h"
#include "s3.h"

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                   \
            fprintf(stderr, "%s:%d: '%s' != '%s'\n", __FILE__, __LINE__, a_ ? a_ : "(null)",       \
                    b_ ? b_ : "(null)");                                                           \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* Fake randomness: returns the values it is given, in turn. */
struct fake_rand {
    const uint64_t *v;
    size_t n, i;
};
static uint64_t fake_rand(void *ctx) {
    struct fake_rand *f = ctx;
    return f->v[f->i++ % f->n];
}
struct fake_clock {
    int64_t now;
    uint32_t slept_total;
    unsigned sleeps;
};
static int64_t fake_now(void *ctx) {
    return ((struct fake_clock *)ctx)->now;
}
static void fake_sleep(void *ctx, uint32_t ms) {
    struct fake_clock *c = ctx;
    c->now += ms;
    c->slept_total += ms;
    c->sleeps++;
}

static void test_backoff(void) {
    uint64_t maxv[] = {UINT64_MAX};
    struct fake_rand fr = {maxv, 1, 0};
    struct fake_clock fc = {.now = 1000000};
    struct retry_policy p = {.max_attempts = 6,
                             .base_ms = 50,
                             .cap_ms = 300,
                             .reserve_ms = 100,
                             .rand = fake_rand,
                             .rand_ctx = &fr,
                             .now = fake_now,
                             .now_ctx = &fc,
                             .sleep = fake_sleep,
                             .sleep_ctx = &fc};
    /* The ceiling doubles from base and stops at cap; full jitter stays within [0, ceiling]. */
    unsigned expect_ceiling[] = {50, 100, 200, 300, 300};
    for (unsigned a = 0; a < 5; a++) {
        uint32_t b = retry_backoff_ms(&p, a);
        CHECK(b <= expect_ceiling[a]);
        /* UINT64_MAX % (ceiling + 1) for these ceilings */
        CHECK(b == (uint32_t)(UINT64_MAX % (expect_ceiling[a] + 1)));
    }
    uint64_t zero[] = {0};
    fr = (struct fake_rand){zero, 1, 0};
    CHECK(retry_backoff_ms(&p, 3) == 0);

    /* Jitter really varies with the random source. */
    struct retry_xorshift x;
    retry_xorshift_seed(&x);
    p.rand = retry_rand_xorshift;
    p.rand_ctx = &x;
    uint32_t seen_min = UINT32_MAX, seen_max = 0;
    for (int i = 0; i < 2000; i++) {
        uint32_t b = retry_backoff_ms(&p, 2);
        CHECK(b <= 200);
        seen_min = b < seen_min ? b : seen_min;
        seen_max = b > seen_max ? b : seen_max;
    }
    CHECK(seen_min < 20 && seen_max > 180);

    /* retry_wait: attempts bounded by max_attempts. */
    uint64_t ten[] = {10};
    fr = (struct fake_rand){ten, 1, 0};
    p.rand = fake_rand;
    p.rand_ctx = &fr;
    fc = (struct fake_clock){.now = 0};
    unsigned tries = 1;
    while (retry_wait(&p, tries, 0, NULL))
        tries++;
    CHECK(tries == p.max_attempts);
    CHECK(fc.sleeps == p.max_attempts - 1);
    CHECK(fc.slept_total == 10u * (p.max_attempts - 1));

    /* ...and by the deadline: no sleep that would end within reserve_ms of it. */
    fc = (struct fake_clock){.now = 5000};
    uint32_t slept = 99;
    CHECK(!retry_wait(&p, 1, 5000 + 100 + 10, &slept)); /* now+10+100 >= deadline */
    CHECK(slept == 0 && fc.sleeps == 0);
    CHECK(retry_wait(&p, 1, 5000 + 100 + 11, &slept));
    CHECK(slept == 10 && fc.now == 5010);
    CHECK(!retry_wait(&p, 0, 0, NULL));
}

static void test_address(void) {
    struct s3_address a;
    CHECK(s3_object_address(NULL, "eu-west-1", "photos", "a b/你.jpg", &a) == 0);
    CHECK_STR(a.host, "photos.s3.eu-west-1.amazonaws.com");
    CHECK_STR(a.path, "/a%20b/%E4%BD%A0.jpg");
    CHECK_STR(a.url, "https://photos.s3.eu-west-1.amazonaws.com/a%20b/%E4%BD%A0.jpg");
    s3_address_free(&a);

    CHECK(s3_object_address(NULL, "us-east-1", "my.dotted", "k+1=2&x", &a) == 0);
    CHECK_STR(a.host, "s3.us-east-1.amazonaws.com");
    CHECK_STR(a.path, "/my.dotted/k%2B1%3D2%26x");
    s3_address_free(&a);

    CHECK(s3_object_address("http://127.0.0.1:5000", "us-east-1", "src", "a/b/c/d/x.jpg", &a) == 0);
    CHECK_STR(a.host, "127.0.0.1:5000");
    CHECK_STR(a.path, "/src/a/b/c/d/x.jpg");
    CHECK_STR(a.url, "http://127.0.0.1:5000/src/a/b/c/d/x.jpg");
    s3_address_free(&a);

    CHECK(s3_object_address("https://minio.local/base/", "us-east-1", "b", "~k_-.", &a) == 0);
    CHECK_STR(a.host, "minio.local");
    CHECK_STR(a.path, "/base/b/~k_-.");
    CHECK_STR(a.url, "https://minio.local/base/b/~k_-.");
    s3_address_free(&a);

    CHECK(s3_object_address("no-scheme", "us-east-1", "b", "k", &a) != 0);
    CHECK(s3_object_address(NULL, "us-east-1", "", "k", &a) != 0);
}

static void test_errors(void) {
    const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                      "<Message>The specified key &lt;x&gt; does not exist &amp; never did."
                      "</Message><Key>x</Key><RequestId>ABC123</RequestId></Error>";
    char code[32], msg[128], rid[16];
    s3_parse_error_xml(xml, strlen(xml), code, sizeof code, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(code, "NoSuchKey");
    CHECK_STR(msg, "The specified key <x> does not exist & never did.");
    CHECK_STR(rid, "ABC123");
    s3_parse_error_xml("", 0, code, sizeof code, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(code, "");
    char tiny[5];
    s3_parse_error_xml(xml, strlen(xml), tiny, sizeof tiny, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(tiny, "NoSu");

    CHECK(s3_error_is_transient(503, "SlowDown"));
    CHECK(s3_error_is_transient(500, "InternalError"));
    CHECK(s3_error_is_transient(429, ""));
    CHECK(s3_error_is_transient(400, "RequestTimeout"));
    CHECK(!s3_error_is_transient(403, "AccessDenied"));
    CHECK(!s3_error_is_transient(403, "SignatureDoesNotMatch"));
    CHECK(!s3_error_is_transient(404, "NoSuchKey"));
    CHECK(!s3_error_is_transient(400, "InvalidArgument"));

    struct s3_error e = {.http_status = 403, .attempts = 1};
    snprintf(e.code, sizeof e.code, "AccessDenied");
    snprintf(e.message, sizeof e.message, "Access Denied");
    char line[200];
    s3_error_format(&e, line, sizeof line);
    CHECK(strstr(line, "AccessDenied (HTTP 403): Access Denied") == line);
}

static void test_error_body(void) {
    char *b = runtime_error_body("Thumbnail.TransientError", "a \"quoted\"\nmessage");
    CHECK_STR(b, "{\"errorMessage\":\"a \\\"quoted\\\"\\nmessage\",\"errorType\":"
                 "\"Thumbnail.TransientError\",\"stackTrace\":[]}");
    free(b);
}

int main(void) {
    test_backoff();
    test_address();
    test_errors();
    test_error_body();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    puts("runtime unit tests passed");
    return 0;
}
