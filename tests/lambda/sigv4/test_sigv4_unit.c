/*
 * test_sigv4_unit.c - unit tests for the SigV4 helpers and the S3-specific rules that the
 * generic suites do not cover (no path normalisation/double encoding, UNSIGNED-PAYLOAD,
 * presigned URLs with a session token), plus argument and size edge cases. The percent-encoder
 * the signer uses is tested with its module (tests/lambda/base/test_urlcode.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "lambda_test.h"

/* Line `n` (0-based) of a canonical request, malloc'd. */
static char *line_of(const char *s, int n) {
    if (!s) {
        return NULL;
    }
    for (; n > 0; n--) {
        s = strchr(s, '\n');
        if (!s) {
            return NULL;
        }
        s++;
    }
    return strndup(s, strcspn(s, "\n"));
}

static const struct sigv4_header host_only[] = {{"Host", "example.amazonaws.com"}};

/* The canonical URI (line 2) for `path` under the given rules. */
static char *canonical_uri(const char *path, bool s3) {
    struct sigv4_request r = {"GET", path, NULL, host_only, 1, "UNSIGNED-PAYLOAD"};
    struct sigv4_scope sc = {"us-east-1", "s3", 1440938160, s3};
    char *creq = sigv4_canonical_request(&r, &sc, NULL);
    char *l = line_of(creq, 1);
    free(creq);
    return l;
}

static char *canonical_query_of(const char *query) {
    struct sigv4_request r = {"GET", "/", query, host_only, 1, "UNSIGNED-PAYLOAD"};
    struct sigv4_scope sc = {"us-east-1", "s3", 1440938160, true};
    char *creq = sigv4_canonical_request(&r, &sc, NULL);
    char *l = line_of(creq, 2);
    free(creq);
    return l;
}

static void test_hash_and_date(void) {
    char h[65];
    sigv4_sha256_hex("", 0, h);
    CHECK_STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sigv4_sha256_hex("abc", 3, h); /* FIPS 180-2 example */
    CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sigv4_sha256_hex("a\0b", 3, h); /* length, not NUL, ends the data */
    char h2[65];
    sigv4_sha256_hex("a", 1, h2);
    CHECK(strcmp(h, h2) != 0);

    char d[17];
    sigv4_amz_date(1440938160, d);
    CHECK_STR(d, "20150830T123600Z");
    sigv4_amz_date(0, d);
    CHECK_STR(d, "19700101T000000Z");
    sigv4_amz_date(951782400, d); /* leap day 2000-02-29 */
    CHECK_STR(d, "20000229T000000Z");
}

static void test_canonical_uri(void) {
    /* S3: the wire path as is - no normalisation, no second encoding (normalize-path.txt) */
    CHECK_STR_FREE(canonical_uri("/my-object//example//photo.user", true),
                   "/my-object//example//photo.user");
    CHECK_STR_FREE(canonical_uri("/bucket/a%20b/./../c%2Bd~", true), "/bucket/a%20b/./../c%2Bd~");
    CHECK_STR_FREE(canonical_uri("", true), "/");
    CHECK_STR_FREE(canonical_uri(NULL, true), "/");
    /* generic: dot segments and empty segments removed, then every byte encoded again */
    CHECK_STR_FREE(canonical_uri("/my-object//example//photo.user", false),
                   "/my-object/example/photo.user");
    CHECK_STR_FREE(canonical_uri("/a%20b/", false), "/a%2520b/");
    CHECK_STR_FREE(canonical_uri("/a/b/../../..", false), "/");
    CHECK_STR_FREE(canonical_uri("/a/./b/.", false), "/a/b");
    CHECK_STR_FREE(canonical_uri("/a/.../b/", false), "/a/.../b/");
    CHECK_STR_FREE(canonical_uri("/~user/", false), "/~user/");
}

static void test_canonical_query(void) {
    CHECK_STR_FREE(canonical_query_of(NULL), "");
    CHECK_STR_FREE(canonical_query_of(""), "");
    /* sort by name then value; a name without '=' gets an empty value; "&&" ignored */
    CHECK_STR_FREE(canonical_query_of("b=2&a=1&&a=0&c"), "a=0&a=1&b=2&c=");
    /* decoded then re-encoded: lower-case hex normalised, unreserved decoded, '+' literal */
    CHECK_STR_FREE(canonical_query_of("%41%2f=%7e%2B&x=a+b"), "A%2F=~%2B&x=a%2Bb");
    /* a '%' without two hex digits is a literal percent sign */
    CHECK_STR_FREE(canonical_query_of("k=%zz&p=%&q=%4"), "k=%25zz&p=%25&q=%254");
    /* raw UTF-8 and space (not valid on the wire, but deterministic) */
    CHECK_STR_FREE(canonical_query_of("\xe1\x88\xb4=a b"), "%E1%88%B4=a%20b");
    /* sorted by the *encoded* name: "a%20b" < "a-b" < "a.b" (0x25 < 0x2D < 0x2E) */
    CHECK_STR_FREE(canonical_query_of("a.b=1&a-b=2&a%20b=3"), "a%20b=3&a-b=2&a.b=1");
    /* S3 sub-resources */
    CHECK_STR_FREE(canonical_query_of("uploads"), "uploads=");
    CHECK_STR_FREE(canonical_query_of("list-type=2&prefix=photos%2F2024%2F&delimiter=%2F"),
                   "delimiter=%2F&list-type=2&prefix=photos%2F2024%2F");
}

static void test_canonical_headers(void) {
    const struct sigv4_header hs[] = {
        {"X-Amz-Meta-B", "  two\t\twords  "},
        {"host", "h"},
        {"X-AMZ-META-A", "x"},
        {"x-amz-meta-a", "y"},
        {"X-Amz-Date", "20150830T123600Z"},
    };
    struct sigv4_request r = {"PUT", "/b/k", NULL, hs, 5, "UNSIGNED-PAYLOAD"};
    struct sigv4_scope sc = {"eu-west-1", "s3", 1440938160, true};
    char *sh = NULL;
    char *creq = sigv4_canonical_request(&r, &sc, &sh);
    CHECK_STR(creq, "PUT\n/b/k\n\nhost:h\nx-amz-date:20150830T123600Z\nx-amz-meta-a:x,y\n"
                    "x-amz-meta-b:two words\n\nhost;x-amz-date;x-amz-meta-a;x-amz-meta-b\n"
                    "UNSIGNED-PAYLOAD");
    CHECK_STR(sh, "host;x-amz-date;x-amz-meta-a;x-amz-meta-b");
    free(creq);
    free(sh);

    /* a NULL header value is an error, not a crash */
    const struct sigv4_header bad[] = {{"host", NULL}};
    struct sigv4_request rb = {"GET", "/", NULL, bad, 1, "UNSIGNED-PAYLOAD"};
    sh = (char *)1;
    CHECK(sigv4_canonical_request(&rb, &sc, &sh) == NULL);
    CHECK(sh == NULL);
}

/* Amazon S3 API Reference, "Signature Calculations for the Authorization Header: Transferring
 * Payload in a Single Chunk", example "GET Object". Reproduced with botocore 1.43
 * (S3SigV4Auth, fixed clock) when this test was written. */
static void test_s3_doc_get_object(void) {
    const char *empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const struct sigv4_header hs[] = {
        {"Host", "examplebucket.s3.amazonaws.com"},
        {"Range", "bytes=0-9"},
        {"x-amz-content-sha256", empty},
        {"x-amz-date", "20130524T000000Z"},
    };
    struct sigv4_request r = {"GET", "/test.txt", NULL, hs, 4, empty};
    struct sigv4_credentials c = {"AKIAIOSFODNN7EXAMPLE",
                                  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL};
    struct sigv4_scope sc = {"us-east-1", "s3", 1369353600, true};
    CHECK_STR_FREE(sigv4_sign(&r, &c, &sc),
                   "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                   "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                   "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

    /* the same object as a presigned URL valid one day (S3 API Reference, "Query String
     * Authentication" example; also reproduced with botocore's S3SigV4QueryAuth) */
    struct sigv4_request p = {"GET", "/test.txt", NULL, hs, 1, "UNSIGNED-PAYLOAD"};
    CHECK_STR_FREE(sigv4_presign_query(&p, &c, &sc, 86400),
                   "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F"
                   "20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&"
                   "X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
                   "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

static void test_presign_token_and_date_header(void) {
    const struct sigv4_header hs[] = {{"host", "b.s3.amazonaws.com"},
                                      {"X-Amz-Date", "20150830T123600Z"}};
    struct sigv4_request r = {"GET", "/k%20x", "versionId=3", hs, 2, "UNSIGNED-PAYLOAD"};
    struct sigv4_credentials c = {"AKID", "secret", "tok/en+="};
    struct sigv4_scope sc = {"us-east-1", "s3", 1440938160, true};
    char *q = sigv4_presign_query(&r, &c, &sc, 60);
    CHECK(q != NULL);
    if (q) {
        /* token encoded and placed in sorted order; x-amz-date header not signed */
        CHECK(strstr(q, "&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-SignedHeaders=host&") != NULL);
        CHECK(strncmp(q, "X-Amz-Algorithm=", 16) == 0);
        CHECK(strstr(q, "&versionId=3&X-Amz-Signature=") != NULL);
    }
    c.session_token = NULL;
    char *q2 = sigv4_presign_query(&r, &c, &sc, 60);
    CHECK(q2 != NULL && strstr(q2, "Security-Token") == NULL);
    /* the token is signed: the signatures differ */
    const char *s1 = q ? strstr(q, "X-Amz-Signature=") : NULL;
    const char *s2 = q2 ? strstr(q2, "X-Amz-Signature=") : NULL;
    CHECK(s1 && s2 && strlen(s1) == 16 + 64 && strcmp(s1, s2) != 0);
    free(q);
    free(q2);
}

/* The signature must change with every input it covers. */
static void test_signature_sensitivity(void) {
    struct sigv4_credentials c = {"AKID", "secret", NULL};
    struct sigv4_scope sc = {"us-east-1", "s3", 1440938160, true};
    char a[65], b[65];
    sigv4_signature(&c, &sc, "sts", a);
    CHECK(strlen(a) == 64);
    sigv4_signature(&c, &sc, "sts ", b);
    CHECK(strcmp(a, b) != 0);
    sc.when += 86400; /* the date is part of the key */
    sigv4_signature(&c, &sc, "sts", b);
    CHECK(strcmp(a, b) != 0);
    sc.when -= 86400;
    sc.region = "us-east-2";
    sigv4_signature(&c, &sc, "sts", b);
    CHECK(strcmp(a, b) != 0);
    sc.region = "us-east-1";
    c.secret_access_key = "secreT";
    sigv4_signature(&c, &sc, "sts", b);
    CHECK(strcmp(a, b) != 0);
    c.secret_access_key = "secret";
    sigv4_signature(&c, &sc, "sts", b);
    CHECK_STR(b, a);
    sigv4_signature(&c, &sc, NULL, b);
    CHECK_STR(b, "");
}

static void test_null_arguments(void) {
    struct sigv4_credentials c = {"AKID", "secret", NULL};
    struct sigv4_scope sc = {"us-east-1", "s3", 0, true};
    struct sigv4_request r = {"GET", "/", NULL, host_only, 1, NULL}; /* no payload hash */
    CHECK(sigv4_canonical_request(&r, &sc, NULL) == NULL);
    CHECK(sigv4_sign(&r, &c, &sc) == NULL);
    CHECK(sigv4_canonical_request(NULL, &sc, NULL) == NULL);
    CHECK(sigv4_string_to_sign(NULL, "x") == NULL);
    CHECK(sigv4_string_to_sign(&sc, NULL) == NULL);
    char sig[65] = "";
    CHECK(sigv4_authorization(&c, &sc, "host", sig) == NULL); /* failed stage 3 */
    memset(sig, '0', 64);
    sig[64] = '\0';
    CHECK(sigv4_authorization(&c, &sc, NULL, sig) == NULL);
    CHECK(sigv4_presign_query(NULL, &c, &sc, 1) == NULL);
    struct sigv4_request ok = {"GET", "/", NULL, host_only, 1, "UNSIGNED-PAYLOAD"};
    CHECK(sigv4_presign_query(&ok, NULL, &sc, 1) == NULL);
    /* no headers at all is legal (the canonical header block is empty) */
    struct sigv4_request none = {"GET", "/", NULL, NULL, 0, "UNSIGNED-PAYLOAD"};
    CHECK_STR_FREE(sigv4_canonical_request(&none, &sc, NULL), "GET\n/\n\n\n\nUNSIGNED-PAYLOAD");
}

/* Long keys and many parameters: the string builders grow correctly. */
static void test_large(void) {
    size_t n = 20000;
    char *path = malloc(n + 2);
    char *query = malloc(n * 4 + 1);
    CHECK(path && query);
    if (!path || !query) {
        free(path);
        free(query);
        return;
    }
    path[0] = '/';
    for (size_t i = 1; i <= n; i++) {
        path[i] = (i % 7 == 0) ? '/' : 'a' + (char)(i % 26);
    }
    path[n + 1] = '\0';
    size_t q = 0;
    for (size_t i = 0; i < n; i++) { /* "z=" then 'a'..: n params "x=", reversed order */
        query[q++] = (char)('a' + (char)(25 - i % 26));
        query[q++] = '=';
        query[q++] = ' ';
        query[q++] = '&';
    }
    query[q - 1] = '\0';
    struct sigv4_request r = {"GET", path, query, host_only, 1, "UNSIGNED-PAYLOAD"};
    struct sigv4_scope sc = {"us-east-1", "s3", 0, true};
    char *creq = sigv4_canonical_request(&r, &sc, NULL);
    char *uri = line_of(creq, 1), *cq = line_of(creq, 2);
    CHECK_STR(uri, path);
    CHECK(cq && strlen(cq) == n * 6 - 1 && strncmp(cq, "a=%20&a=%20", 11) == 0 &&
          strcmp(cq + strlen(cq) - 5, "z=%20") == 0);
    free(creq);
    free(uri);
    free(cq);
    free(path);
    free(query);
}

int main(void) {
    test_hash_and_date();
    test_canonical_uri();
    test_canonical_query();
    test_canonical_headers();
    test_s3_doc_get_object();
    test_presign_token_and_date_header();
    test_signature_sensitivity();
    test_null_arguments();
    test_large();
    return check_done("lambda.sigv4.unit");
}
