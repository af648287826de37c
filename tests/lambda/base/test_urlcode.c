/* test_urlcode.c — the one percent-encoder (RFC 3986 unreserved kept, UTF-8 byte by byte,
 * '/' on request) and urlcode_form_decode(): '+', %XX, UTF-8 bytes, malformed escapes. */
#include <stdlib.h>

#include "base/urlcode.h"
#include "lambda_test.h"

static void test_encode(void) {
    /* RFC 3986 unreserved kept; everything else %XX upper-case, UTF-8 byte by byte */
    CHECK_STR_FREE(urlcode_encode("AZaz09-._~", false), "AZaz09-._~");
    CHECK_STR_FREE(urlcode_encode("a b+c/d", false), "a%20b%2Bc%2Fd");
    CHECK_STR_FREE(urlcode_encode("a b+c/d", true), "a%20b%2Bc/d");
    CHECK_STR_FREE(urlcode_encode("100%!*'()=&?#", true), "100%25%21%2A%27%28%29%3D%26%3F%23");
    CHECK_STR_FREE(urlcode_encode("\xc3\xbc\xe1\x88\xb4", true), "%C3%BC%E1%88%B4");
    CHECK_STR_FREE(urlcode_encode("", true), "");
    CHECK(urlcode_encode(NULL, true) == NULL);
    /* measuring (NULL out) gives the length written; only n bytes are read, NULs included */
    char buf[16];
    CHECK_U64(urlcode_encode_into(NULL, "a\0b/", 4, false), 8);
    CHECK_U64(urlcode_encode_into(buf, "a\0b/", 4, false), 8);
    CHECK_STR(buf, "a%00b%2F");
    CHECK(urlcode_is_unreserved('~') && !urlcode_is_unreserved('/') &&
          !urlcode_is_unreserved(0x80));
    CHECK(urlcode_hex_value('f') == 15 && urlcode_hex_value('A') == 10 &&
          urlcode_hex_value('g') == -1);
}

static void ok(const char *in, const char *want) {
    char *out = NULL;
    int rc = urlcode_form_decode(in, &out);
    if (rc != 0) {
        fprintf(stderr, "  decoding \"%s\" failed\n", in);
    }
    CHECK(rc == 0);
    CHECK_STR(out, want);
    free(out);
}

static void bad(const char *in) {
    char *out = (char *)"untouched";
    int rc = urlcode_form_decode(in, &out);
    if (rc != -1) {
        fprintf(stderr, "  \"%s\" was accepted\n", in);
    }
    CHECK(rc == -1);
    CHECK_STR(out, "untouched");
}

int main(void) {
    test_encode();
    ok("", "");
    ok("plain.jpg", "plain.jpg");
    ok("a+b%2Bc", "a b+c");
    ok("Happy%20Face.jpg", "Happy Face.jpg");
    ok("%E4%BD%A0", "\xe4\xbd\xa0");
    ok("%e4%bd%a0%E5%AE%B6%E5%A8%83%F0%9F%90%B1.png", "\xe4\xbd\xa0\xe5\xae\xb6\xe5\xa8\x83"
                                                      "\xf0\x9f\x90\xb1.png");
    ok("%25", "%");
    ok("%2525", "%25"); /* decoded once, not twice */
    ok("++", "  ");
    ok("dir%2Fsub/file.png", "dir/sub/file.png");
    ok("\xc3\xa9t\xc3\xa9.jpg", "\xc3\xa9t\xc3\xa9.jpg"); /* raw UTF-8 kept as is */
    ok("%FF", "\xff");                                    /* bytes kept, no UTF-8 policing */
    bad("%G1");
    bad("%1G");
    bad("%4");
    bad("%");
    bad("abc%");
    bad("a%zz");
    bad("%00");
    CHECK(urlcode_form_decode(NULL, &(char *){NULL}) == -1);
    CHECK(urlcode_form_decode("x", NULL) == -1);
    return check_done("lambda.base.urlcode");
}
