/* test_text.c — the injected environment (empty counts as unset, raw keeps it) and the
 * bounded text helpers: truncating copies, header-safe filtering, formatting. */
#include <stdlib.h>

#include "base/env.h"
#include "base/text.h"
#include "lambda_test.h"

static void test_env(void) {
    const char *vars[] = {"SET", "value", "EMPTY", "", NULL};
    struct env e = table_env(vars);
    CHECK_STR(env_get(&e, "SET"), "value");
    CHECK_STR(env_get(&e, "EMPTY"), NULL); /* empty counts as unset */
    CHECK_STR(env_raw(&e, "EMPTY"), "");   /* ...unless asked for as it is */
    CHECK_STR(env_get(&e, "UNSET"), NULL);
    CHECK_STR(env_raw(&e, "UNSET"), NULL);
    /* NULL and env_process() read the process environment. */
    setenv("TK_TEST_TEXT_ENV", "from-process", 1);
    struct env p = env_process();
    CHECK_STR(env_get(&p, "TK_TEST_TEXT_ENV"), "from-process");
    CHECK_STR(env_get(NULL, "TK_TEST_TEXT_ENV"), "from-process");
    unsetenv("TK_TEST_TEXT_ENV");
    CHECK_STR(env_get(NULL, "TK_TEST_TEXT_ENV"), NULL);
}

static void test_copy(void) {
    char out[5];
    text_copy(out, sizeof out, "abc");
    CHECK_STR(out, "abc");
    text_copy(out, sizeof out, "abcdefgh"); /* truncated, terminated */
    CHECK_STR(out, "abcd");
    text_copyn(out, sizeof out, "\"etag\"" + 1, 4);
    CHECK_STR(out, "etag");
    text_copy(out, sizeof out, NULL);
    CHECK_STR(out, "");
    out[0] = 'x';
    text_copy(out, 0, "abc"); /* nothing written */
    CHECK(out[0] == 'x');
}

static void test_printable(void) {
    char out[16];
    CHECK_U64(text_printable(out, sizeof out, "a b\tc\nd\x7f\xc3\xa9", false, NULL), 4);
    CHECK_STR(out, "abcd");
    CHECK_U64(text_printable(out, sizeof out, "Root=1; x", true, NULL), 9);
    CHECK_STR(out, "Root=1; x");
    CHECK_U64(text_printable(out, sizeof out, "\"d41d8cd9\"", false, "\""), 8);
    CHECK_STR(out, "d41d8cd9");
    CHECK_U64(text_printable(out, 4, "abcdef", false, NULL), 3);
    CHECK_STR(out, "abc");
    CHECK_U64(text_printable(out, sizeof out, NULL, true, NULL), 0);
    CHECK_STR(out, "");
}

static void test_printf(void) {
    char *s = text_printf("%s/%d", "a", 42);
    CHECK_STR(s, "a/42");
    free(s);
}

int main(void) {
    test_env();
    test_copy();
    test_printable();
    test_printf();
    return check_done("lambda.base.text");
}
