/* api_request.c — HTTP API requests checked and routed, no AWS call (see api_request.h). */
#define _GNU_SOURCE
#include "api_request.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base64.h"
#include "base/text.h"
#include "base/urlcode.h"
#include "keymap.h"

__attribute__((format(printf, 4, 5))) static int fail(struct api_request *r, int status,
                                                      const char *code, const char *fmt, ...) {
    va_list ap;
    r->route = API_ERROR;
    r->status = status;
    r->code = code;
    va_start(ap, fmt);
    text_vformat(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    return 0;
}

/* Length of the UTF-8 sequence at @p s (at most @p n bytes), 0 when malformed (overlong
 * forms, surrogates and code points over U+10FFFF included). */
static size_t utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    size_t len = c < 0x80             ? 1
                 : (c & 0xe0) == 0xc0 ? 2
                 : (c & 0xf0) == 0xe0 ? 3
                 : (c & 0xf8) == 0xf0 ? 4
                                      : 0;
    if (len == 0 || len > n) {
        return 0;
    }
    unsigned cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = cp << 6 | (s[i] & 0x3f);
    }
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return len;
}

bool api_valid_id(const struct config *cfg, const char *key, size_t len, const char **why) {
    const unsigned char *s = (const unsigned char *)key;
    if (len == 0 || len > KEYMAP_MAX_KEY_LEN) {
        *why = "the id must be 1 to 1024 bytes";
        return false;
    }
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(s + i, len - i);
        if (n == 0) {
            *why = "the id is not valid UTF-8";
            return false;
        }
        if (s[i] < 0x20 || s[i] == 0x7f) {
            *why = "the id contains control characters";
            return false;
        }
        i += n;
    }
    if (key[0] == '/' || key[len - 1] == '/') {
        *why = "the id must not start or end with '/'";
        return false;
    }
    for (const char *seg = key; seg < key + len;) {
        const char *end = memchr(seg, '/', (size_t)(key + len - seg));
        size_t n = end ? (size_t)(end - seg) : (size_t)(key + len - seg);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
            *why = "the id has an empty, '.' or '..' segment";
            return false;
        }
        seg += n + 1;
    }
    const char *own[] = {cfg->key_prefix, cfg->archive_prefix};
    for (size_t i = 0; i < 2; i++) {
        if (own[i] && own[i][0] && strncmp(key, own[i], strlen(own[i])) == 0) {
            *why = "the id names a thumbnail or an archive, not an uploaded image";
            return false;
        }
    }
    return true;
}

/* "image/JPEG; charset=x" -> "image/jpeg" into @p out; false when empty or too long. */
static bool media_type(const char *v, char *out, size_t outlen) {
    size_t o = 0;
    if (v == NULL) {
        return false;
    }
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    for (; *v && *v != ';' && *v != ' ' && *v != '\t'; v++) {
        if (o + 1 >= outlen) {
            return false;
        }
        out[o++] = (char)tolower((unsigned char)*v);
    }
    out[o] = '\0';
    return o > 0;
}

/* The image format of media type @p mt whose extension is allowed; sets r->format, r->ext. */
static bool allowed_image(const struct config *cfg, const char *mt, struct api_request *r) {
    for (size_t i = 0; i < cfg->n_extensions; i++) {
        enum tk_format f = tk_format_from_extension(cfg->extensions[i]);
        const char *mime = tk_format_mime(f);
        if (mime && strcasecmp(mime, mt) == 0) {
            r->format = f;
            r->ext = cfg->extensions[i];
            return true;
        }
    }
    return false;
}

/* Strict positive decimal up to @p max; false otherwise. */
static bool decimal(const char *s, uint64_t max, uint64_t *out) {
    uint64_t v = 0;
    if (s == NULL || *s == '\0' || strlen(s) > 20) {
        return false;
    }
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s) || v > (UINT64_MAX - 9) / 10) {
            return false;
        }
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return v >= 1 && v <= max;
}

static int reserve(const struct config *cfg, struct api_request *r) {
    const struct apigw_request *h = &r->http;
    if (h->body_len > API_JSON_MAX) {
        return fail(r, 413, "PayloadTooLarge", "the JSON body is over %u bytes", API_JSON_MAX);
    }
    cJSON *o = cJSON_ParseWithLength(h->body ? (const char *)h->body : "", h->body_len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return fail(r, 400, "InvalidJson",
                    "the body must be a JSON object {\"contentType\": \"image/jpeg\", "
                    "\"contentLength\": 123456}");
    }
    const cJSON *ct = cJSON_GetObjectItemCaseSensitive(o, "contentType");
    const cJSON *cl = cJSON_GetObjectItemCaseSensitive(o, "contentLength");
    char mt[64];
    bool ct_ok = cJSON_IsString(ct) && media_type(ct->valuestring, mt, sizeof mt);
    double n = cJSON_IsNumber(cl) ? cl->valuedouble : -1;
    cJSON_Delete(o);
    if (!ct_ok) {
        return fail(r, 400, "MissingField", "contentType must be a media type such as image/jpeg");
    }
    if (!(n >= 1 && n <= 9007199254740992.0 && n == (double)(uint64_t)n)) {
        return fail(r, 400, "MissingField", "contentLength must be a positive integer (bytes)");
    }
    if (!allowed_image(cfg, mt, r)) {
        return fail(r, 415, "UnsupportedMediaType", "contentType %s is not an accepted image type",
                    mt);
    }
    if ((uint64_t)n > cfg->max_input_bytes) {
        return fail(r, 413, "PayloadTooLarge", "contentLength %.0f is over the limit of %llu bytes",
                    n, (unsigned long long)cfg->max_input_bytes);
    }
    text_copy(r->content_type, sizeof r->content_type, mt);
    r->content_length = (uint64_t)n;
    r->route = API_RESERVE;
    return 0;
}

static int upload(const struct config *cfg, const char *mt, struct api_request *r) {
    const struct apigw_request *h = &r->http;
    uint64_t max = cfg->max_input_bytes < API_INLINE_MAX ? cfg->max_input_bytes : API_INLINE_MAX;
    if (h->body_len > max) {
        return fail(r, 413, "PayloadTooLarge",
                    "an image in the request body may be at most %llu bytes; reserve a "
                    "presigned upload with POST /images {\"contentType\",\"contentLength\"}",
                    (unsigned long long)max);
    }
    if (h->body_len == 0) {
        return fail(r, 400, "EmptyBody", "the request body is empty");
    }
    if (tk_sniff(h->body, h->body_len) != r->format) {
        return fail(r, 415, "UnsupportedMediaType", "the body is not a %s image",
                    tk_format_name(r->format));
    }
    text_copy(r->content_type, sizeof r->content_type, mt);
    r->content_length = h->body_len;
    r->route = API_UPLOAD;
    return 0;
}

static int post_images(const struct config *cfg, struct api_request *r) {
    char mt[64];
    if (!media_type(apigw_header(&r->http, "content-type"), mt, sizeof mt)) {
        return fail(r, 415, "UnsupportedMediaType",
                    "Content-Type is required: application/json, or an image type");
    }
    if (strcmp(mt, "application/json") == 0) {
        return reserve(cfg, r);
    }
    if (allowed_image(cfg, mt, r)) {
        return upload(cfg, mt, r);
    }
    return fail(r, 415, "UnsupportedMediaType",
                "Content-Type %s is neither application/json nor an accepted image type", mt);
}

static int list_images(const struct config *cfg, struct api_request *r) {
    const char *limit = apigw_query(&r->http, "limit");
    const char *cursor = apigw_query(&r->http, "cursor");
    uint64_t n = API_LIST_DEFAULT;
    const char *why = NULL;
    if (limit && !decimal(limit, API_LIST_MAX, &n)) {
        return fail(r, 400, "InvalidLimit", "limit must be an integer from 1 to %d", API_LIST_MAX);
    }
    r->limit = (unsigned)n;
    if (cursor) {
        unsigned char *id = NULL;
        size_t id_len = 0;
        if (strlen(cursor) > 2 * KEYMAP_MAX_KEY_LEN ||
            base64_decode(cursor, strlen(cursor), true, &id, &id_len) != 0 ||
            strlen((char *)id) != id_len || !api_valid_id(cfg, (char *)id, id_len, &why)) {
            free(id);
            return fail(r, 400, "InvalidCursor", "cursor is not one this API returned");
        }
        r->cursor_id = (char *)id;
    }
    r->route = API_LIST;
    return 0;
}

static int get_image(const struct config *cfg, const char *raw_id, struct api_request *r) {
    const char *why = NULL;
    if (urlcode_path_decode(raw_id, &r->id) != 0) {
        return fail(r, 400, "InvalidId", "the id is not valid percent-encoding");
    }
    if (!api_valid_id(cfg, r->id, strlen(r->id), &why)) {
        free(r->id);
        r->id = NULL;
        return fail(r, 400, "InvalidId", "%s", why);
    }
    r->route = API_GET;
    return 0;
}

int api_request_parse(const struct config *cfg, const char *event, size_t len,
                      struct api_request *out) {
    memset(out, 0, sizeof *out);
    out->format = TK_FORMAT_UNKNOWN;
    enum apigw_parse_status ps = apigw_parse(event, len, &out->http);
    if (ps == APIGW_NOT_API || ps == APIGW_ERROR) {
        return -1;
    }
    if (len > API_EVENT_MAX) {
        return fail(out, 413, "PayloadTooLarge", "the request is over Lambda's 6 MB limit");
    }
    if (ps == APIGW_BAD_BODY) {
        return fail(out, 400, "InvalidBody", "the body is marked base64 but does not decode");
    }
    const char *m = out->http.method;
    const char *path = out->http.raw_path;
    bool collection = strcmp(path, "/images") == 0 || strcmp(path, "/images/") == 0;
    bool item = !collection && strncmp(path, "/images/", 8) == 0;
    if (!collection && !item) {
        return fail(out, 404, "NotFound", "no route for %s %s (try /images)", m, path);
    }
    if (strcmp(m, "OPTIONS") == 0) {
        out->route = API_OPTIONS;
        return 0;
    }
    if (collection && strcmp(m, "POST") == 0) {
        return post_images(cfg, out);
    }
    if (collection && strcmp(m, "GET") == 0) {
        return list_images(cfg, out);
    }
    if (item && strcmp(m, "GET") == 0) {
        return get_image(cfg, path + 8, out);
    }
    out->allow = collection ? "GET, POST, OPTIONS" : "GET, OPTIONS";
    return fail(out, 405, "MethodNotAllowed", "%s is not allowed here (allowed: %s)", m,
                out->allow);
}

void api_request_free(struct api_request *r) {
    if (r) {
        free(r->id);
        free(r->cursor_id);
        apigw_request_free(&r->http);
        memset(r, 0, sizeof *r);
    }
}
