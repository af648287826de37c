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
    /* Our own output is never input, in any bucket. */
    expect(&c, "uploads", "thumbnails/a.jpg", 10, KEYMAP_SKIP, "KEY_PREFIX");
    c.archive_prefix = (char *)"zip/";
    expect(&c, "uploads", "zip/a.jpg", 10, KEYMAP_SKIP, "ARCHIVE_PREFIX");
    expect(&c, "shared", "zip/a.jpg", 10, KEYMAP_SKIP, "ARCHIVE_PREFIX");
    expect(&c, "uploads", "zipper/a.jpg", 10, KEYMAP_PROCESS, NULL);
    c.archive_prefix = NULL;
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

/* THUMB_SIZES: KEY_PREFIX + "WxH/" + key + "." + ext, distinct for distinct sizes and keys;
 * the archive key; and the length check counts the longest label. */
static void test_sized_keys(void) {
    struct config c = make_config("o", (char *)"thumbnails/");
    const struct config_size sizes[] = {{128, 128}, {256, 256}, {1024, 768}, {12, 8}, {1, 28}};
    memcpy(c.sizes, sizes, sizeof sizes);
    c.n_sizes = 5;
    char *k = NULL;
    CHECK(keymap_thumb_key(&c, "a.png", 0, TK_FORMAT_JPEG, &k) == 0);
    CHECK_STR(k, "thumbnails/a.png.jpg"); /* THUMB_SIZE alone: no label */
    free(k);
    c.sized_keys = true;
    CHECK(keymap_thumb_key(&c, "dir/a.png", 2, TK_FORMAT_JPEG, &k) == 0);
    CHECK_STR(k, "thumbnails/1024x768/dir/a.png.jpg");
    free(k);
    CHECK(keymap_thumb_key(&c, "a.png", 5, TK_FORMAT_JPEG, &k) == -1);
    /* Injective over sizes x tricky keys: every key maps back to its (size, source). */
    const char *keys[] = {"a", "a.jpg", "128x128/a.jpg", "x/1x28/y", "12x8", "1x2/8/z"};
    char *all[5 * 6];
    size_t n = 0;
    for (size_t si = 0; si < 5; si++) {
        for (size_t ki = 0; ki < 6; ki++) {
            CHECK(keymap_thumb_key(&c, keys[ki], si, TK_FORMAT_PNG, &all[n]) == 0);
            const char *d = all[n] + strlen("thumbnails/");
            char label[KEYMAP_MAX_LABEL];
            size_t ll = keymap_size_label(c.sizes[si], label);
            CHECK(strncmp(d, label, ll) == 0 && d[ll] == '/');
            CHECK(strncmp(d + ll + 1, keys[ki], strlen(keys[ki])) == 0);
            CHECK_STR(d + ll + 1 + strlen(keys[ki]), ".png");
            n++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            CHECK(strcmp(all[i], all[j]) != 0);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(all[i]);
    }
    /* 1024-byte limit with the longest label "1024x768/" (9 bytes). */
    char longkey[KEYMAP_MAX_KEY_LEN];
    size_t fits = KEYMAP_MAX_KEY_LEN - strlen("thumbnails/") - 9 - 4;
    memset(longkey, 'k', fits - 4);
    memcpy(longkey + fits - 4, ".jpg", 5);
    expect(&c, "uploads", longkey, 0, KEYMAP_PROCESS, NULL);
    memset(longkey, 'k', fits - 3);
    memcpy(longkey + fits - 3, ".jpg", 5);
    expect(&c, "uploads", longkey, 0, KEYMAP_REFUSE, "1024 bytes");
    /* Archive keys. */
    CHECK(keymap_archive_key(&c, "a.jpg", &k) == -1);
    c.archive_prefix = (char *)"zip/";
    CHECK(keymap_archive_key(&c, "images/a b.jpg", &k) == 0);
    CHECK_STR(k, "zip/images/a b.jpg.zip");
    free(k);
}

int main(void) {
    test_dest_key();
    test_sized_keys();
    test_injective();
    test_extension();
    test_filter();
    test_output_format();
    return check_done("lambda.function.keymap");
}
