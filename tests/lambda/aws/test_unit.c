/*
 * test_aws_unit.c — unit tests of the aws room's pure parts: backoff with full jitter
 * (injected randomness, clock and sleep), S3 addressing and key encoding, error bodies (S3
 * and query-protocol XML, JSON protocol), error classification, the SDKs' endpoint
 * convention and credentials from the injected environment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/request.h"
#include "aws/retry.h"
#include "aws/s3.h"
#include "lambda_test.h"

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
    while (retry_wait(&p, tries, 0, NULL)) {
        tries++;
    }
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
    struct aws_address a;
    CHECK(s3_object_address(NULL, "eu-west-1", "photos", "a b/你.jpg", &a) == 0);
    CHECK_STR(a.host, "photos.s3.eu-west-1.amazonaws.com");
    CHECK_STR(a.path, "/a%20b/%E4%BD%A0.jpg");
    CHECK_STR(a.url, "https://photos.s3.eu-west-1.amazonaws.com/a%20b/%E4%BD%A0.jpg");
    aws_address_free(&a);

    CHECK(s3_object_address(NULL, "us-east-1", "my.dotted", "k+1=2&x", &a) == 0);
    CHECK_STR(a.host, "s3.us-east-1.amazonaws.com");
    CHECK_STR(a.path, "/my.dotted/k%2B1%3D2%26x");
    aws_address_free(&a);

    CHECK(s3_object_address("http://127.0.0.1:5000", "us-east-1", "src", "a/b/c/d/x.jpg", &a) == 0);
    CHECK_STR(a.host, "127.0.0.1:5000");
    CHECK_STR(a.path, "/src/a/b/c/d/x.jpg");
    CHECK_STR(a.url, "http://127.0.0.1:5000/src/a/b/c/d/x.jpg");
    aws_address_free(&a);

    CHECK(s3_object_address("https://minio.local/base/", "us-east-1", "b", "~k_-.", &a) == 0);
    CHECK_STR(a.host, "minio.local");
    CHECK_STR(a.path, "/base/b/~k_-.");
    CHECK_STR(a.url, "https://minio.local/base/b/~k_-.");
    aws_address_free(&a);

    CHECK(s3_object_address("no-scheme", "us-east-1", "b", "k", &a) != 0);
    CHECK(s3_object_address(NULL, "us-east-1", "", "k", &a) != 0);
}

static void test_errors(void) {
    const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                      "<Message>The specified key &lt;x&gt; does not exist &amp; never did."
                      "</Message><Key>x</Key><RequestId>ABC123</RequestId></Error>";
    char code[32], msg[128], rid[16];
    aws_parse_error(xml, strlen(xml), code, sizeof code, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(code, "NoSuchKey");
    CHECK_STR(msg, "The specified key <x> does not exist & never did.");
    CHECK_STR(rid, "ABC123");
    aws_parse_error("", 0, code, sizeof code, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(code, "");
    char tiny[5];
    aws_parse_error(xml, strlen(xml), tiny, sizeof tiny, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(tiny, "NoSu");

    CHECK(aws_error_is_transient(503, "SlowDown"));
    CHECK(aws_error_is_transient(500, "InternalError"));
    CHECK(aws_error_is_transient(429, ""));
    CHECK(aws_error_is_transient(400, "RequestTimeout"));
    CHECK(!aws_error_is_transient(403, "AccessDenied"));
    CHECK(!aws_error_is_transient(403, "SignatureDoesNotMatch"));
    CHECK(!aws_error_is_transient(404, "NoSuchKey"));
    CHECK(!aws_error_is_transient(400, "InvalidArgument"));

    struct aws_error e = {.http_status = 403, .attempts = 1};
    snprintf(e.code, sizeof e.code, "AccessDenied");
    snprintf(e.message, sizeof e.message, "Access Denied");
    char line[200];
    aws_error_format(&e, line, sizeof line);
    CHECK(strstr(line, "AccessDenied (HTTP 403): Access Denied") == line);
}

static void test_json_errors(void) {
    /* DynamoDB (JSON protocol): the code after the '#' of __type, "message" or "Message". */
    const char *json = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                       "\"message\":\"Requested resource not found\"}";
    char code[64], msg[128], rid[16] = "untouched";
    aws_parse_error(json, strlen(json), code, sizeof code, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(code, "ResourceNotFoundException");
    CHECK_STR(msg, "Requested resource not found");
    CHECK_STR(rid, ""); /* JSON services put it in a header */
    const char *plain = "  {\"__type\":\"ThrottlingException\",\"Message\":\"Rate\\nexceeded\"}";
    aws_parse_error(plain, strlen(plain), code, sizeof code, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(code, "ThrottlingException");
    CHECK_STR(msg, "Rate exceeded"); /* a log line stays one line */
    aws_parse_error("{not json", 9, code, sizeof code, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(code, "");
    CHECK_STR(msg, "");
    /* Query protocol (SNS, CloudWatch, STS): <ErrorResponse><Error><Code>... */
    const char *query = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>"
                        "<Message>Invalid parameter: TopicArn</Message></Error>"
                        "<RequestId>r-1</RequestId></ErrorResponse>";
    aws_parse_error(query, strlen(query), code, sizeof code, msg, sizeof msg, rid, sizeof rid);
    CHECK_STR(code, "InvalidParameter");
    CHECK_STR(msg, "Invalid parameter: TopicArn");
    CHECK_STR(rid, "r-1");
    /* Throttling codes of the coming JSON and query clients are transient too. */
    CHECK(aws_error_is_transient(400, "ProvisionedThroughputExceededException"));
    CHECK(aws_error_is_transient(400, "ThrottlingException"));
    CHECK(!aws_error_is_transient(400, "ResourceNotFoundException"));
    CHECK(!aws_error_is_transient(400, NULL));
    CHECK_STR(aws_status_name(AWS_ERR_TRANSIENT), "transient");
    CHECK_STR(aws_status_name((enum aws_status)99), "unknown");
}

/* The endpoint aws_endpoint_from_env() finds for @p service in @p vars ("-" when none, or
 * "error: <message>"). */
static char *endpoint_of(const char *const *vars, const char *service) {
    struct env e = table_env(vars);
    char *url = NULL, err[200] = "";
    if (aws_endpoint_from_env(&e, service, &url, err, sizeof err) != 0) {
        return strdup(err);
    }
    return url ? url : strdup("-");
}

#define CHECK_ENDPOINT(vars, service, want)                                                        \
    do {                                                                                           \
        char *got_ = endpoint_of(vars, service);                                                   \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

static void test_endpoints(void) {
    const char *both[] = {"AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_DYNAMODB",
                          "http://localhost:8000///", NULL};
    CHECK_ENDPOINT(both, "DYNAMODB", "http://localhost:8000"); /* the service's own wins */
    CHECK_ENDPOINT(both, "S3", "http://127.0.0.1:5000");       /* else the general one */
    const char *none[] = {"AWS_ENDPOINT_URL_S3", "", NULL};    /* empty counts as unset */
    CHECK_ENDPOINT(none, "S3", "-");
    const char *bad[] = {"AWS_ENDPOINT_URL_SNS", "localhost:4566", "AWS_ENDPOINT_URL_STS",
                         "http://a b", NULL};
    CHECK_ENDPOINT(bad, "SNS",
                   "AWS_ENDPOINT_URL_SNS='localhost:4566' is invalid: expected "
                   "http://host[:port] or https://host[:port]");
    CHECK_ENDPOINT(bad, "STS",
                   "AWS_ENDPOINT_URL_STS='http://a b' is invalid: contains white "
                   "space or control characters");

    struct aws_endpoint ep;
    CHECK(aws_endpoint_init(&ep, NULL, "dynamodb", "eu-west-1") == 0);
    CHECK_STR(ep.origin, "https://dynamodb.eu-west-1.amazonaws.com");
    CHECK_STR(ep.host, "dynamodb.eu-west-1.amazonaws.com");
    CHECK_STR(ep.base, "");
    CHECK(!ep.custom);
    aws_endpoint_free(&ep);
    CHECK(aws_endpoint_init(&ep, NULL, "sns", "cn-north-1") == 0);
    CHECK_STR(ep.host, "sns.cn-north-1.amazonaws.com.cn");
    aws_endpoint_free(&ep);
    CHECK(aws_endpoint_init(&ep, "http://127.0.0.1:5000/base/", "sts", "us-east-1") == 0);
    CHECK_STR(ep.origin, "http://127.0.0.1:5000");
    CHECK_STR(ep.host, "127.0.0.1:5000");
    CHECK_STR(ep.base, "/base");
    CHECK(ep.custom);
    struct aws_address a;
    CHECK(aws_address_init(&a, &ep, NULL, NULL, "Action=GetCallerIdentity") == 0);
    CHECK_STR(a.url, "http://127.0.0.1:5000/base/?Action=GetCallerIdentity");
    CHECK_STR(a.path, "/base/");
    aws_address_free(&a);
    aws_endpoint_free(&ep);
    CHECK(aws_endpoint_init(&ep, "no-scheme", "sts", "us-east-1") != 0);
}

static void test_credentials(void) {
    const char *full[] = {"AWS_ACCESS_KEY_ID",
                          "AKID",
                          "AWS_SECRET_ACCESS_KEY",
                          "secret",
                          "AWS_SESSION_TOKEN",
                          "token",
                          NULL};
    const char *no_token[] = {"AWS_ACCESS_KEY_ID",
                              "AKID",
                              "AWS_SECRET_ACCESS_KEY",
                              "secret",
                              "AWS_SESSION_TOKEN",
                              "",
                              NULL};
    const char *no_secret[] = {"AWS_ACCESS_KEY_ID", "AKID", NULL};
    struct env e = table_env(full);
    struct aws_credentials c, copy;
    char err[128] = "";
    CHECK(aws_credentials_from_env(&c, &e, err, sizeof err) == 0);
    CHECK_STR(c.access_key_id, "AKID");
    CHECK_STR(c.secret_access_key, "secret");
    CHECK_STR(c.session_token, "token");
    CHECK(aws_credentials_copy(&copy, &c) == 0);
    CHECK_STR(copy.session_token, "token");
    aws_credentials_free(&copy);
    aws_credentials_free(&c);
    CHECK(c.access_key_id == NULL && c.session_token == NULL);
    e = table_env(no_token);
    CHECK(aws_credentials_from_env(&c, &e, err, sizeof err) == 0);
    CHECK_STR(c.session_token, NULL);
    aws_credentials_free(&c);
    e = table_env(no_secret);
    CHECK(aws_credentials_from_env(&c, &e, err, sizeof err) == -1);
    CHECK_HAS(err, "AWS_SECRET_ACCESS_KEY");
    CHECK(c.access_key_id == NULL);
}

int main(void) {
    test_backoff();
    test_address();
    test_errors();
    test_json_errors();
    test_endpoints();
    test_credentials();
    return check_done("lambda.aws.unit");
}
