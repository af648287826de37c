/* api.c — the image service's HTTP API (see api.h). */
#define _GNU_SOURCE
#include "api.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "api_request.h"
#include "aws/s3.h"
#include "base/base64.h"
#include "base/text.h"
#include "base/urlcode.h"
#include "keymap.h"
#include "log.h"
#include "record.h"
#include "tk_clock.h"

/* An answer being built. */
struct reply {
    int status;
    cJSON *body;
    const char *allow; /* 405 */
    char *location;    /* 201 */
    bool retry;        /* 503 */
};

static cJSON *error_body(const char *code, const char *message, const char *request_id) {
    cJSON *o = cJSON_CreateObject();
    cJSON *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", message);
    cJSON_AddStringToObject(o, "requestId", request_id ? request_id : "");
    return o;
}

static void set_error(struct reply *rp, int status, const char *code, const char *message,
                      const char *request_id) {
    cJSON_Delete(rp->body);
    rp->status = status;
    rp->body = error_body(code, message, request_id);
}

/* An AWS failure: 503 when transient (retry), 502 otherwise, with the service's code. */
static void upstream_error(struct reply *rp, enum aws_status st, const struct aws_error *e,
                           const char *what, const char *request_id) {
    char msg[480];
    snprintf(msg, sizeof msg, "%s failed: %s%s%s", what, e->code[0] ? e->code : "error",
             e->message[0] ? ": " : "", e->message);
    bool transient = st == AWS_ERR_TRANSIENT || st == AWS_ERR_NO_MEMORY;
    set_error(rp, transient ? 503 : 502, transient ? "ServiceUnavailable" : "UpstreamError", msg,
              request_id);
    rp->retry = transient;
}

/* "/images/" + the id percent-encoded (keeping '/'). */
static char *self_link(const char *id) {
    char *enc = urlcode_encode(id, true);
    char *link = enc ? text_printf("/images/%s", enc) : NULL;
    free(enc);
    return link;
}

/* A random (version 4) UUID. */
static int uuid4(char out[37]) {
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        return -1;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    return 0;
}

static void add_time(cJSON *o, const char *name, int64_t ms) {
    char ts[32];
    if (log_rfc3339((uint64_t)ms, ts, sizeof ts) == 0) {
        cJSON_AddStringToObject(o, name, ts);
    }
}

/* Where the thumbnails of @p key (an image of @p fmt) will appear. */
static void add_expected_thumbnails(const struct config *cfg, cJSON *o, const char *key,
                                    enum tk_format fmt) {
    cJSON *arr = cJSON_AddArrayToObject(o, "thumbnails");
    enum tk_format out = tk_format_resolve(cfg->format, fmt);
    for (size_t i = 0; arr && i < cfg->n_sizes; i++) {
        char label[KEYMAP_MAX_LABEL], *k = NULL;
        keymap_size_label(cfg->sizes[i], label);
        if (keymap_thumb_key(cfg, key, i, out, &k) != 0) {
            continue;
        }
        cJSON *t = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, t);
        cJSON_AddStringToObject(t, "size", label);
        cJSON_AddStringToObject(t, "bucket", cfg->dest_bucket);
        cJSON_AddStringToObject(t, "key", k);
        cJSON_AddStringToObject(t, "format", tk_format_name(out));
        free(k);
    }
}

/* A new key UPLOAD_PREFIX + uuid + "." + ext, the answer's common members, and Location. */
static char *new_upload(struct handler *h, const struct api_request *q, struct reply *rp,
                        const char *request_id) {
    const struct config *cfg = h->cfg;
    char uuid[37];
    if (cfg->upload_bucket == NULL) {
        set_error(rp, 501, "NotConfigured", "uploads are not configured (UPLOAD_BUCKET)",
                  request_id);
        return NULL;
    }
    char *key = uuid4(uuid) == 0 ? text_printf("%s%s.%s", cfg->upload_prefix, uuid, q->ext) : NULL;
    if (key == NULL) {
        set_error(rp, 500, "InternalError", "cannot make an upload key", request_id);
        return NULL;
    }
    rp->body = cJSON_CreateObject();
    cJSON_AddStringToObject(rp->body, "imageId", key);
    cJSON_AddStringToObject(rp->body, "bucket", cfg->upload_bucket);
    add_expected_thumbnails(cfg, rp->body, key, q->format);
    rp->location = self_link(key);
    cJSON *links = cJSON_AddObjectToObject(rp->body, "links");
    cJSON_AddStringToObject(links, "self", rp->location ? rp->location : "");
    rp->status = 201;
    return key;
}

static void reserve(struct handler *h, const struct api_request *q, struct reply *rp,
                    const char *request_id) {
    const struct config *cfg = h->cfg;
    char *url = NULL;
    char *key = new_upload(h, q, rp, request_id);
    if (key == NULL) {
        return;
    }
    int64_t now = tk_clock_wall_ms();
    if (s3_presign(h->s3, "PUT", cfg->upload_bucket, key, q->content_type, cfg->url_expires,
                   now / 1000, &url) != 0) {
        set_error(rp, 500, "InternalError", "cannot sign the upload URL", request_id);
        free(key);
        return;
    }
    cJSON_AddStringToObject(rp->body, "status", "reserved");
    cJSON *up = cJSON_AddObjectToObject(rp->body, "upload");
    cJSON_AddStringToObject(up, "method", "PUT");
    cJSON_AddStringToObject(up, "url", url);
    cJSON *hd = cJSON_AddObjectToObject(up, "headers");
    cJSON_AddStringToObject(hd, "Content-Type", q->content_type);
    cJSON_AddNumberToObject(up, "expiresIn", cfg->url_expires);
    add_time(up, "expiresAt", (now / 1000 + cfg->url_expires) * 1000);
    cJSON_AddNumberToObject(rp->body, "contentLength", (double)q->content_length);
    cJSON_AddNumberToObject(rp->body, "maxBytes", (double)cfg->max_input_bytes);
    free(url);
    free(key);
}

static void upload(struct handler *h, const struct api_request *q, struct reply *rp,
                   const char *request_id) {
    struct aws_error e;
    char *key = new_upload(h, q, rp, request_id);
    if (key == NULL) {
        return;
    }
    enum aws_status st = s3_put_object(h->s3, h->cfg->upload_bucket, key, q->http.body,
                                       q->http.body_len, q->content_type, NULL, 0, &e);
    if (st != AWS_OK) {
        upstream_error(rp, st, &e, "S3 PutObject", request_id);
        free(rp->location);
        rp->location = NULL;
    } else {
        cJSON_AddStringToObject(rp->body, "status", "uploaded");
        cJSON_AddNumberToObject(rp->body, "bytes", (double)q->http.body_len);
    }
    free(key);
}

/* Add a presigned GET url to each thumbnail of @p rec that lies in DEST_BUCKET under
 * KEY_PREFIX (the only place the API's role may read). */
static void add_thumbnail_urls(struct handler *h, cJSON *rec) {
    const struct config *cfg = h->cfg;
    int64_t now = tk_clock_wall_ms() / 1000;
    cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(rec, "thumbnails")) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(t, "bucket");
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "key");
        char *url = NULL;
        if (cJSON_IsString(b) && cJSON_IsString(k) &&
            strcmp(b->valuestring, cfg->dest_bucket) == 0 &&
            strncmp(k->valuestring, cfg->key_prefix, strlen(cfg->key_prefix)) == 0 &&
            s3_presign(h->s3, "GET", b->valuestring, k->valuestring, NULL, cfg->url_expires, now,
                       &url) == 0) {
            cJSON_AddStringToObject(t, "url", url);
            add_time(t, "urlExpiresAt", (now + cfg->url_expires) * 1000);
        }
        free(url);
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "imageId");
    char *link = self_link(cJSON_IsString(id) ? id->valuestring : "");
    cJSON *links = cJSON_AddObjectToObject(rec, "links");
    cJSON_AddStringToObject(links, "self", link ? link : "");
    free(link);
}

static bool metadata_configured(struct handler *h, struct reply *rp, const char *request_id) {
    if (h->ddb == NULL) {
        set_error(rp, 501, "NotConfigured", "image records are not configured (METADATA_TABLE)",
                  request_id);
        return false;
    }
    return true;
}

static void get_image(struct handler *h, const struct api_request *q, struct reply *rp,
                      const char *request_id) {
    struct aws_error e;
    cJSON *rec = NULL;
    if (!metadata_configured(h, rp, request_id)) {
        return;
    }
    enum aws_status st = record_get(h->ddb, h->cfg->metadata_table, q->id, &rec, &e);
    if (st != AWS_OK) {
        upstream_error(rp, st, &e, "DynamoDB GetItem", request_id);
    } else if (rec == NULL) {
        char msg[1200];
        snprintf(msg, sizeof msg, "no image with id '%s' (not uploaded, or not processed yet)",
                 q->id);
        set_error(rp, 404, "NotFound", msg, request_id);
    } else {
        add_thumbnail_urls(h, rec);
        rp->status = 200;
        rp->body = rec;
    }
}

static void list_images(struct handler *h, const struct api_request *q, struct reply *rp,
                        const char *request_id) {
    struct aws_error e;
    cJSON *items = NULL;
    char *next = NULL;
    if (!metadata_configured(h, rp, request_id)) {
        return;
    }
    enum aws_status st =
        record_list(h->ddb, h->cfg->metadata_table, q->limit, q->cursor_id, &items, &next, &e);
    if (st != AWS_OK) {
        upstream_error(rp, st, &e, "DynamoDB Scan", request_id);
        return;
    }
    cJSON *rec;
    cJSON_ArrayForEach(rec, items) {
        add_thumbnail_urls(h, rec);
    }
    rp->status = 200;
    rp->body = cJSON_CreateObject();
    cJSON_AddNumberToObject(rp->body, "count", cJSON_GetArraySize(items));
    cJSON_AddItemToObject(rp->body, "items", items);
    char *cursor = next ? base64_encode(next, strlen(next), true) : NULL;
    if (cursor) {
        cJSON_AddStringToObject(rp->body, "nextCursor", cursor);
    } else {
        cJSON_AddNullToObject(rp->body, "nextCursor");
    }
    free(cursor);
    free(next);
}

/* The proxy response of @p rp with the common headers. */
static char *respond(struct handler *h, const struct reply *rp) {
    const struct config *cfg = h->cfg;
    struct apigw_header hd[12];
    size_t n = 0;
    char *body = rp->body ? cJSON_PrintUnformatted(rp->body) : NULL;
    if (rp->body && body == NULL) {
        return NULL;
    }
    hd[n++] = (struct apigw_header){"content-type", "application/json"};
    hd[n++] = (struct apigw_header){"cache-control", "no-store"};
    hd[n++] = (struct apigw_header){"access-control-allow-origin", cfg->cors_allow_origin};
    hd[n++] = (struct apigw_header){"access-control-expose-headers", "location"};
    if (strcmp(cfg->cors_allow_origin, "*") != 0) {
        hd[n++] = (struct apigw_header){"vary", "origin"};
    }
    if (rp->status == 204) {
        hd[n++] = (struct apigw_header){"access-control-allow-methods", "GET, POST, OPTIONS"};
        hd[n++] =
            (struct apigw_header){"access-control-allow-headers", "content-type, authorization"};
        hd[n++] = (struct apigw_header){"access-control-max-age", "600"};
    }
    if (rp->allow) {
        hd[n++] = (struct apigw_header){"allow", rp->allow};
    }
    if (rp->location) {
        hd[n++] = (struct apigw_header){"location", rp->location};
    }
    if (rp->retry) {
        hd[n++] = (struct apigw_header){"retry-after", "1"};
    }
    char *out = apigw_response(rp->status, hd, n, body);
    free(body);
    return out;
}

int api_handle(struct handler *h, const char *event, size_t len, const char *request_id,
               struct handler_result *res) {
    struct api_request q;
    struct reply rp = {0};
    double t0 = tk_clock_mono_ms();
    if (api_request_parse(h->cfg, event, len, &q) != 0) {
        set_error(&rp, 400, "BadRequest", "not an API Gateway request", request_id);
    } else {
        switch (q.route) {
        case API_ERROR:
            set_error(&rp, q.status, q.code, q.message, request_id);
            rp.allow = q.allow;
            break;
        case API_OPTIONS:
            rp.status = 204;
            break;
        case API_RESERVE:
            reserve(h, &q, &rp, request_id);
            break;
        case API_UPLOAD:
            upload(h, &q, &rp, request_id);
            break;
        case API_GET:
            get_image(h, &q, &rp, request_id);
            break;
        case API_LIST:
            list_images(h, &q, &rp, request_id);
            break;
        }
    }
    res->response = respond(h, &rp);
    struct log_field f[] = {
        LOG_F_STR("method", q.http.method),
        LOG_F_STR("path", q.http.raw_path),
        LOG_F_INT("status", rp.status),
        LOG_F_STR("error", rp.status >= 400 && q.route == API_ERROR ? q.code : NULL),
        LOG_F_NUM("ms", tk_clock_mono_ms() - t0),
    };
    log_write(h->log, rp.status >= 500 ? LOG_LEVEL_ERROR : LOG_LEVEL_INFO, "api request", f,
              sizeof f / sizeof f[0]);
    cJSON_Delete(rp.body);
    free(rp.location);
    api_request_free(&q);
    return res->response ? 0 : -1;
}
