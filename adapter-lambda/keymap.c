/* keymap.c — source filter, recursion guard and destination keys (see keymap.h). */
#define _GNU_SOURCE
#include "keymap.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>

#include "base/text.h"

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
    if (cfg->dest_bucket != NULL && strcmp(src_bucket, cfg->dest_bucket) == 0 &&
        prefix[0] == '\0') {
        *reason = "source bucket is DEST_BUCKET and KEY_PREFIX is empty: refusing, as "
                  "thumbnails would trigger thumbnails; set a KEY_PREFIX or another "
                  "DEST_BUCKET";
        return KEYMAP_REFUSE;
    }
    /* Our own output is never input, in any bucket: thumbnails and archives. */
    if (prefix[0] != '\0' && strncmp(src_key, prefix, strlen(prefix)) == 0) {
        *reason = "key is under KEY_PREFIX (a thumbnail)";
        return KEYMAP_SKIP;
    }
    if (cfg->archive_prefix != NULL &&
        strncmp(src_key, cfg->archive_prefix, strlen(cfg->archive_prefix)) == 0) {
        *reason = "key is under ARCHIVE_PREFIX (an archive)";
        return KEYMAP_SKIP;
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
    size_t label = 0; /* the longest "WxH/" the keys carry */
    for (size_t i = 0; cfg->sized_keys && i < cfg->n_sizes; i++) {
        char buf[KEYMAP_MAX_LABEL];
        size_t n = keymap_size_label(cfg->sizes[i], buf);
        label = n + 1 > label ? n + 1 : label;
    }
    if (ext != NULL &&
        strlen(prefix) + label + strlen(src_key) + 1 + strlen(ext) > KEYMAP_MAX_KEY_LEN) {
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

size_t keymap_size_label(struct config_size size, char out[KEYMAP_MAX_LABEL]) {
    int n = snprintf(out, KEYMAP_MAX_LABEL, "%ux%u", (unsigned)size.width, (unsigned)size.height);
    return n > 0 ? (size_t)n : 0;
}

int keymap_thumb_key(const struct config *cfg, const char *src_key, size_t size_index,
                     enum tk_format fmt, char **out) {
    if (!cfg->sized_keys) {
        return keymap_dest_key(cfg->key_prefix, src_key, fmt, out);
    }
    if (size_index >= cfg->n_sizes) {
        return -1;
    }
    char label[KEYMAP_MAX_LABEL];
    keymap_size_label(cfg->sizes[size_index], label);
    char *prefix = text_printf("%s%s/", cfg->key_prefix, label);
    if (prefix == NULL) {
        return -1;
    }
    int rc = keymap_dest_key(prefix, src_key, fmt, out);
    free(prefix);
    return rc;
}

int keymap_archive_key(const struct config *cfg, const char *src_key, char **out) {
    if (cfg->archive_prefix == NULL || src_key == NULL) {
        return -1;
    }
    size_t n = strlen(cfg->archive_prefix) + strlen(src_key) + 4;
    if (n > KEYMAP_MAX_KEY_LEN) {
        return -1;
    }
    *out = text_printf("%s%s.zip", cfg->archive_prefix, src_key);
    return *out != NULL ? 0 : -1;
}
