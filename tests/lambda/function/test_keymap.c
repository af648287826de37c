/* test_keymap.c — destination keys (injective on tricky keys), extension filter, recursion
 * guard and the other filter rules. */
#include <stdbool.h>

#include <stdlib.h>

#include "check.h"
#include "keymap.h"

static struct config make_config(const char *dest, char *prefix) {
    struct config c;
    memset(&c, 0, sizeof c);
    c.dest_bucket = (char *)dest;
    c.key_prefix = prefix;
    c.format = TK_FORMAT_JPEG;
    c.max_input_bytes = 1000;
    const char *ext[] = {"jpg", "jpeg", "png"};
    for (size_t i = 0; i < 3; i++) {
        memcpy(c.extensions[i], ext[i], strlen(ext[i]) + 1);
    }
    c.n_extensions = 3;
    return c;
}

/* noinline: inlined, GCC 12 takes the result for a pointer into `out` (-Wdangling-pointer). */
__attribute__((noinline)) static char *dest(const char *prefix, const char *key, enum tk_format f) {
    char *out = NULL;
    CHECK(keymap_dest_key(prefix, key, f, &out) == 0);
    return out;
}

static void test_dest_key(void) {
    char *d = dest("thumbnails/", "a.png", TK_FORMAT_JPEG);
    CHECK_STR(d, "thumbnails/a.png.jpg");
    free(d);
    d = dest("", "dir/x y.JPG", TK_FORMAT_PNG);
    CHECK_STR(d, "dir/x y.JPG.png");
    free(d);
    char *out = (char *)"untouched";
    CHECK(keymap_dest_key("p/", "a.jpg", TK_FORMAT_SAME, &out) == -1);
    CHECK_STR(out, "untouched");
    char big[KEYMAP_MAX_KEY_LEN];
    memset(big, 'k', sizeof big - 4);
    big[sizeof big - 4] = '\0'; /* 1020 bytes + ".jpg" = 1024: fits */
    d = dest("", big, TK_FORMAT_JPEG);
    CHECK(d != NULL && strlen(d) == KEYMAP_MAX_KEY_LEN);
    free(d);
    CHECK(keymap_dest_key("p", big, TK_FORMAT_JPEG, &out) == -1); /* 1025 bytes */
}

/* All (prefix, key, format) combinations of tricky inputs: distinct (key, format) under one
 * prefix give distinct destinations, and each destination inverts to its source. */
static void test_injective(void) {
    const char *keys[] = {"a.png",       "a.jpg",     "a",         "a.",       "a.jpg.jpg",
                          "a.jpg.png",   "a.png.jpg", ".jpg",      "a/b.jpg",  "a/b.jpg.jpg",
                          "a b.jpg",     "a+b.jpg",   "a%20b.jpg", "A.JPG",    "x/y/z.jpeg",
                          "thumbnails/", "jpg",       "a.jp",      "a.jpgjpg", "\xe4\xbd\xa0.png"};
    const char *prefixes[] = {"thumbnails/", "", "t", "thumbnails/a"};
    const enum tk_format fmts[] = {TK_FORMAT_JPEG, TK_FORMAT_PNG};
    enum { NK = sizeof keys / sizeof keys[0], NF = 2 };
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        char *out[NK * NF];
        for (size_t k = 0; k < NK; k++) {
            for (size_t f = 0; f < NF; f++) {
                char *d = dest(prefixes[p], keys[k], fmts[f]);
                out[k * NF + f] = d;
                /* Inverse: strip the prefix, and at the last '.' the extension. */
                size_t lp = strlen(prefixes[p]);
                const char *ext = tk_format_ext(fmts[f]);
                CHECK(d != NULL && strncmp(d, prefixes[p], lp) == 0);
                CHECK(d != NULL && strlen(d) == lp + strlen(keys[k]) + 1 + strlen(ext));
                CHECK(d != NULL && strncmp(d + lp, keys[k], strlen(keys[k])) == 0);
                const char *dot = d != NULL ? strrchr(d, '.') : NULL;
                CHECK(dot != NULL && strlen(d) - strlen(dot) == lp + strlen(keys[k]));
                CHECK(dot != NULL && strcmp(dot + 1, ext) == 0);
            }
        }
        for (size_t i = 0; i < NK * NF; i++) {
            for (size_t j = i + 1; j < NK * NF; j++) {
                bool same = out[i] && out[j] && strcmp(out[i], out[j]) == 0;
                if (same) {
                    fprintf(stderr, "  collision: %s\n", out[i]);
                }
                CHECK(!same);
            }
        }
        for (size_t i = 0; i < NK * NF; i++) {
            free(out[i]);
        }
    }
}

static void test_extension(void) {
    CHECK_STR(keymap_extension("a.jpg"), "jpg");
    CHECK_STR(keymap_extension("a.tar.gz"), "gz");
    CHECK_STR(keymap_extension("dir.jpg/file"), NULL);
    CHECK_STR(keymap_extension("dir.v2/file.PNG"), "PNG");
    CHECK_STR(keymap_extension("noext"), NULL);
    CHECK_STR(keymap_extension("trailing."), "");
    CHECK_STR(keymap_extension("dir/"), NULL);

    struct config c = make_config("out", "thumbnails/");
    CHECK(keymap_ext_allowed(&c, "a.jpg"));
    CHECK(keymap_ext_allowed(&c, "a.JPG"));
    CHECK(keymap_ext_allowed(&c, "a.JpEg"));
    CHECK(keymap_ext_allowed(&c, "x/y.Png"));
    CHECK(keymap_ext_allowed(&c, "a.pdf.jpg"));
    CHECK(!keymap_ext_allowed(&c, "a.jpg.pdf"));
    CHECK(!keymap_ext_allowed(&c, "a.jpgx"));
    CHECK(!keymap_ext_allowed(&c, "jpg"));
    CHECK(!keymap_ext_allowed(&c, "dir.jpg/readme"));
    CHECK(!keymap_ext_allowed(&c, "a."));
    CHECK(!keymap_ext_allowed(&c, "test.pdf"));
}

static void expect(const struct config *c, const char *bucket, const char *key, uint64_t size,
                   enum keymap_verdict want, const char *reason_part) {
    const char *reason = (const char *)"unset";
    enum keymap_verdict v = keymap_filter(c, bucket, key, size, &reason);
    if (v != want) {
        fprintf(stderr, "  %s/%s: verdict %d, expected %d (%s)\n", bucket, key, (int)v, (int)want,
                reason ? reason : "-");
    }
    CHECK(v == want);
    if (reason_part == NULL) {
        CHECK_STR(reason, NULL);
    } else {
        CHECK_HAS(reason, reason_part);
    }
}

static void test_filter(void) {
    struct config c = make_config("shared", "thumbnails/");
    /* Recursion guard: same bucket, key under the prefix. */
    expect(&c, "shared", "thumbnails/a.jpg.jpg", 10, KEYMAP_SKIP, "KEY_PREFIX");
    expect(&c, "shared", "thumbnails/x.png", 10, KEYMAP_SKIP, "KEY_PREFIX");
    expect(&c, "shared", "photos/a.jpg", 10, KEYMAP_PROCESS, NULL);
    expect(&c, "shared", "thumbnailsX/a.jpg", 10, KEYMAP_PROCESS, NULL);
    expect(&c, "shared", "Thumbnails/a.jpg", 10, KEYMAP_PROCESS, NULL); /* keys are case-exact */
    /* Another source bucket: the prefix does not matter. */
    expect(&c, "uploads", "thumbnails/a.jpg", 10, KEYMAP_PROCESS, NULL);
    /* Extension filter. */
    expect(&c, "uploads", "doc.pdf", 10, KEYMAP_SKIP, "ALLOWED_EXTENSIONS");
    expect(&c, "uploads", "IMG.JPEG", 10, KEYMAP_PROCESS, NULL);
    /* Size cap; 0 means unknown. */
    expect(&c, "uploads", "big.jpg", 1001, KEYMAP_REFUSE, "MAX_INPUT_BYTES");
    expect(&c, "uploads", "edge.jpg", 1000, KEYMAP_PROCESS, NULL);
    expect(&c, "uploads", "unknown.jpg", 0, KEYMAP_PROCESS, NULL);
    /* Empty key or bucket. */
    expect(&c, "uploads", "", 0, KEYMAP_REFUSE, "no bucket or key");
    expect(&c, NULL, "a.jpg", 0, KEYMAP_REFUSE, "no bucket or key");
    /* Destination key too long. */
    char longkey[KEYMAP_MAX_KEY_LEN];
    memset(longkey, 'k', sizeof longkey - 5);
    memcpy(longkey + sizeof longkey - 5, ".jpg", 5); /* 1023 bytes */
    expect(&c, "uploads", longkey, 0, KEYMAP_REFUSE, "1024 bytes");

    /* Empty prefix: fine into another bucket, refused into the source bucket. */
    struct config e = make_config("shared", (char *)"");
    expect(&e, "uploads", "a.jpg", 10, KEYMAP_PROCESS, NULL);
    expect(&e, "shared", "a.jpg", 10, KEYMAP_REFUSE, "KEY_PREFIX is empty");
    expect(&e, "shared", "doc.pdf", 10, KEYMAP_REFUSE, "KEY_PREFIX is empty");

    CHECK(keymap_filter(&c, "uploads", "a.jpg", 1, NULL) == KEYMAP_PROCESS);
}

/* The engine decides the output format (tk_format_resolve) and its extension; the filter's
 * early length check follows it, and under "same" the format the key's extension names. */
static void test_output_format(void) {
    struct config c = make_config("o", (char *)"t/");
    CHECK(tk_format_resolve(c.format, TK_FORMAT_PNG) == TK_FORMAT_JPEG);
    c.format = TK_FORMAT_PNG;
    CHECK(tk_format_resolve(c.format, TK_FORMAT_JPEG) == TK_FORMAT_PNG);
    c.format = TK_FORMAT_SAME;
    CHECK(tk_format_resolve(c.format, TK_FORMAT_PNG) == TK_FORMAT_PNG);
    CHECK(tk_format_resolve(c.format, TK_FORMAT_JPEG) == TK_FORMAT_JPEG);
    CHECK(tk_format_resolve(c.format, TK_FORMAT_UNKNOWN) == TK_FORMAT_UNKNOWN);
    char *out = (char *)"untouched";
    CHECK(keymap_dest_key("p/", "a.jpg", TK_FORMAT_UNKNOWN, &out) == -1);
    CHECK_STR(out, "untouched");

    /* 1019 + ".png" = 1023 bytes: + ".png" does not fit, whichever format "same" finds. */
    char longkey[KEYMAP_MAX_KEY_LEN];
    memset(longkey, 'k', sizeof longkey - 5);
    memcpy(longkey + sizeof longkey - 5, ".png", 5);
    expect(&c, "uploads", longkey, 0, KEYMAP_REFUSE, "1024 bytes");
    /* An allowed extension no engine format has: only the decoded bytes tell the output
     * extension, so the length is checked when the key is built (keymap_dest_key). */
    memcpy(c.extensions[3], "raw", 4);
    c.n_extensions = 4;
    memcpy(longkey + sizeof longkey - 5, ".raw", 5);
    expect(&c, "uploads", longkey, 0, KEYMAP_PROCESS, NULL);
    CHECK(keymap_dest_key("t/", longkey, TK_FORMAT_JPEG, &out) == -1);
}

int main(void) {
    test_dest_key();
    test_injective();
    test_extension();
    test_filter();
    test_output_format();
    return check_done("lambda.function.keymap");
}
