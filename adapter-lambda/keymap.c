/* keymap.c — source filter, recursion guard and destination keys (see keymap.h). */
#define _GNU_SOURCE
#include "keymap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *keymap_extension(const char *key) {
    if (key == NULL) {
        return NULL;
    }
    const char *slash = strrchr(key, '/');
    const char *seg = slash != NULL ? slash + 1 : key;
    const char *dot = strrchr(seg, '.');
    return dot != NULL ? dot + 1 : NULL;
}

bool keymap_ext_allowed(const struct config *cfg, const char *key) {
    const char *ext = keymap_extension(key);
    if (ext == NULL || ext[0] == '\0') {
        return false;
    }
    for (size_t i = 0; i < cfg->n_extensions; i++) {
        if (strcasecmp(ext, cfg->extensions[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* The extension the thumbnail of @p key will carry, as far as it is known before decoding:
 * that of OUTPUT_FORMAT, or for "same" that of the format the key's extension names; NULL
 * when only the bytes can tell. */
static const char *expected_ext(const struct config *cfg, const char *key) {
    enum tk_format hint = tk_format_from_extension(keymap_extension(key));
    return tk_format_ext(tk_format_resolve(cfg->format, hint));
}

enum keymap_verdict keymap_filter(const struct config *cfg, const char *src_bucket,
                                  const char *src_key, uint64_t size, const char **reason) {
    const char *dummy;
    if (reason == NULL) {
        reason = &dummy;
    }
    *reason = NULL;
    if (src_bucket == NULL || src_key == NULL || src_key[0] == '\0') {
        *reason = "no bucket or key";
        return KEYMAP_REFUSE;
    }
    const char *prefix = cfg->key_prefix != NULL ? cfg->key_prefix : "";
    if (cfg->dest_bucket != NULL && strcmp(src_bucket, cfg->dest_bucket) == 0) {
        if (prefix[0] == '\0') {
            *reason = "source bucket is DEST_BUCKET and KEY_PREFIX is empty: refusing, as "
                      "thumbnails would trigger thumbnails; set a KEY_PREFIX or another "
                      "DEST_BUCKET";
            return KEYMAP_REFUSE;
        }
        if (strncmp(src_key, prefix, strlen(prefix)) == 0) {
            *reason = "key is under KEY_PREFIX in DEST_BUCKET (a thumbnail)";
            return KEYMAP_SKIP;
        }
    }
    if (!keymap_ext_allowed(cfg, src_key)) {
        *reason = "extension not in ALLOWED_EXTENSIONS";
        return KEYMAP_SKIP;
    }
    if (size > cfg->max_input_bytes) {
        *reason = "object is larger than MAX_INPUT_BYTES";
        return KEYMAP_REFUSE;
    }
    const char *ext = expected_ext(cfg, src_key);
    if (ext != NULL && strlen(prefix) + strlen(src_key) + 1 + strlen(ext) > KEYMAP_MAX_KEY_LEN) {
        *reason = "destination key would exceed 1024 bytes";
        return KEYMAP_REFUSE;
    }
    return KEYMAP_PROCESS;
}

int keymap_dest_key(const char *prefix, const char *src_key, enum tk_format fmt, char **out) {
    const char *ext = tk_format_ext(fmt);
    if (prefix == NULL || src_key == NULL || out == NULL || ext == NULL ||
        strchr(ext, '.') != NULL) {
        return -1;
    }
    size_t lp = strlen(prefix), lk = strlen(src_key), le = strlen(ext);
    size_t n = lp + lk + 1 + le;
    if (n > KEYMAP_MAX_KEY_LEN) {
        return -1;
    }
    char *s = malloc(n + 1);
    if (s == NULL) {
        return -1;
    }
    memcpy(s, prefix, lp);
    memcpy(s + lp, src_key, lk);
    s[lp + lk] = '.';
    memcpy(s + lp + lk + 1, ext, le + 1);
    *out = s;
    return 0;
}
