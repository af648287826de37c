/* test_urlcode.c — urlcode_form_decode(): '+', %XX, UTF-8 bytes, malformed escapes. */
#include "check.h"
#include "urlcode.h"

static void ok(const char *in, const char *want) {
    char *out = NULL;
    int rc = urlcode_form_decode(in, &out);
    if (rc != 0)
        fprintf(stderr, "  decoding \"%s\" failed\n", in);
    CHECK(rc == 0);
    CHECK_STR(out, want);
    free(out);
}

static void bad(const char *in) {
    char *out = (char *)"untouched";
    int rc = urlcode_form_decode(in, &out);
    if (rc != -1)
        fprintf(stderr, "  \"%s\" was accepted\n", in);
    CHECK(rc == -1);
    CHECK_STR(out, "untouched");
}

int main(void) {
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
    return check_report("test_urlcode");
}
