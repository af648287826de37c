/*
 * fuzz_api_request.c — libFuzzer target for the HTTP API's request parsing
 * (adapter-lambda/api_request.h, events/apigw.h): everything the function reads from an
 * API Gateway event before any AWS call. Two ways in, chosen by the first byte:
 *   - the input is the whole event (malformed JSON, odd shapes);
 *   - the input is split at NUL bytes into method, path, content type, body, query and a
 *     base64 flag, and a well-formed event is built around them (reaches deep routes fast).
 * Invariants checked: an error has a 4xx status and a message, a routed GET has an id that
 * api_valid_id() accepts and that is not under our own prefixes, limits hold.
 * Seeds: tests/fuzz/corpus/api_request (the API Gateway sample events of tests/data/events and
 * a request of every route, written by tests/fuzz/make_seeds.py).
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api_request.h"
#include "base/env.h"

static const char *const vars[] = {
    "DEST_BUCKET", "thumbs",         "AWS_REGION", "eu-west-1",      "UPLOAD_BUCKET",
    "uploads",     "ARCHIVE_PREFIX", "zip/",       "METADATA_TABLE", "Images",
    NULL};

static const char *lookup(const char *name, void *ctx) {
    (void)ctx;
    for (const char *const *v = vars; v[0]; v += 2) {
        if (strcmp(v[0], name) == 0) {
            return v[1];
        }
    }
    return NULL;
}

static const struct config *config(void) {
    static struct config cfg;
    static int loaded;
    if (!loaded) {
        struct env env = {lookup, NULL};
        char err[256];
        if (config_load(&cfg, &env, err, sizeof err) != 0) {
            abort();
        }
        loaded = 1;
    }
    return &cfg;
}

/* The next NUL-separated field of [*p, end) as a new string. */
static char *field(const uint8_t **p, const uint8_t *end) {
    const uint8_t *s = *p;
    const uint8_t *z = s < end ? memchr(s, 0, (size_t)(end - s)) : NULL;
    size_t n = z ? (size_t)(z - s) : (size_t)(end - s);
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    *p = z ? z + 1 : end;
    return out;
}

static char *build_event(const uint8_t *data, size_t size) {
    const uint8_t *p = data, *end = data + size;
    char *f[6];
    for (int i = 0; i < 6; i++) {
        f[i] = field(&p, end);
    }
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddStringToObject(ev, "version", "2.0");
    cJSON_AddStringToObject(ev, "rawPath", f[1] ? f[1] : "/");
    cJSON_AddStringToObject(ev, "rawQueryString", "");
    cJSON *h = cJSON_AddObjectToObject(ev, "headers");
    cJSON_AddStringToObject(h, "content-type", f[2] ? f[2] : "");
    cJSON *ctx = cJSON_AddObjectToObject(ev, "requestContext");
    cJSON *http = cJSON_AddObjectToObject(ctx, "http");
    cJSON_AddStringToObject(http, "method", f[0] ? f[0] : "GET");
    cJSON_AddStringToObject(ctx, "stage", "$default");
    cJSON_AddStringToObject(ev, "body", f[3] ? f[3] : "");
    cJSON *q = cJSON_AddObjectToObject(ev, "queryStringParameters");
    const char *qs = f[4] ? f[4] : "";
    const char *eq = strchr(qs, '=');
    if (eq) {
        char name[64];
        size_t n = (size_t)(eq - qs) < sizeof name - 1 ? (size_t)(eq - qs) : sizeof name - 1;
        memcpy(name, qs, n);
        name[n] = '\0';
        cJSON_AddStringToObject(q, name, eq + 1);
    }
    cJSON_AddBoolToObject(ev, "isBase64Encoded", f[5] && f[5][0] == '1');
    char *text = cJSON_PrintUnformatted(ev);
    cJSON_Delete(ev);
    for (int i = 0; i < 6; i++) {
        free(f[i]);
    }
    return text;
}

static void check(const struct config *cfg, const char *event, size_t len) {
    struct api_request r;
    const char *why;
    if (api_request_parse(cfg, event, len, &r) == 0) {
        switch (r.route) {
        case API_ERROR:
            if (r.status < 400 || r.status > 415 || r.code == NULL || r.message[0] == '\0') {
                abort();
            }
            break;
        case API_GET:
            if (!api_valid_id(cfg, r.id, strlen(r.id), &why) || strncmp(r.id, "zip/", 4) == 0 ||
                strncmp(r.id, cfg->key_prefix, strlen(cfg->key_prefix)) == 0) {
                abort();
            }
            break;
        case API_LIST:
            if (r.limit < 1 || r.limit > API_LIST_MAX) {
                abort();
            }
            break;
        case API_RESERVE:
        case API_UPLOAD:
            if (r.content_length < 1 || r.content_length > cfg->max_input_bytes || r.ext == NULL) {
                abort();
            }
            break;
        case API_OPTIONS:
            break;
        }
    }
    api_request_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const struct config *cfg = config();
    if (size == 0) {
        return 0;
    }
    if (data[0] & 1) {
        check(cfg, (const char *)data + 1, size - 1);
    } else {
        char *ev = build_event(data + 1, size - 1);
        if (ev) {
            check(cfg, ev, strlen(ev));
            free(ev);
        }
    }
    return 0;
}
