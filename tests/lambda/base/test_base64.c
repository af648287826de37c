/* test_base64.c — base64 (base/base64.h): the RFC 4648 section 10 vectors both ways, the
 * URL-safe alphabet without padding, and refusal of everything malformed. */
#include <stdlib.h>

#include "base/base64.h"
#include "lambda_test.h"

static void roundtrip(const char *plain, const char *std, const char *url) {
    char *e = base64_encode(plain, strlen(plain), false);
    CHECK_STR(e, std);
    free(e);
    e = base64_encode(plain, strlen(plain), true);
    CHECK_STR(e, url);
    free(e);
    unsigned char *d = NULL;
    size_t n = 0;
    CHECK(base64_decode(std, strlen(std), false, &d, &n) == 0);
    CHECK(n == strlen(plain) && memcmp(d, plain, n) == 0 && d[n] == 0);
    free(d);
    CHECK(base64_decode(url, strlen(url), true, &d, &n) == 0);
    CHECK(n == strlen(plain) && memcmp(d, plain, n) == 0);
    free(d);
}

static void refused(const char *in, bool url) {
    unsigned char *d = (unsigned char *)"untouched";
    size_t n = 7;
    CHECKF(base64_decode(in, strlen(in), url, &d, &n) == -1, "accepted '%s'", in);
    CHECK_STR((char *)d, "untouched");
}

int main(void) {
    roundtrip("", "", "");
    roundtrip("f", "Zg==", "Zg");
    roundtrip("fo", "Zm8=", "Zm8");
    roundtrip("foo", "Zm9v", "Zm9v");
    roundtrip("foob", "Zm9vYg==", "Zm9vYg");
    roundtrip("fooba", "Zm9vYmE=", "Zm9vYmE");
    roundtrip("foobar", "Zm9vYmFy", "Zm9vYmFy");
    roundtrip("\xfb\xff?>", "+/8/Pg==", "-_8_Pg");
    refused("Zg=", false);  /* padding must complete the quantum */
    refused("Zg", false);   /* the standard form is padded */
    refused("Z", true);     /* one symbol carries no byte */
    refused("Zh==", false); /* non-zero unused bits */
    refused("Zm9v YmFy", false);
    refused("Zm9v\nYmFy", false);
    refused("-_8_", false); /* URL alphabet in the standard form */
    refused("+/8/", true);  /* and the reverse */
    refused("Zg==Zg==", false);
    refused("====", false);
    return check_done("lambda.base.base64");
}
