/* apigw.c — API Gateway payload-2.0 events and proxy responses (see apigw.h). */
#define _GNU_SOURCE
#include "events/apigw.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base64.h"

static const char *str_member(const cJSON *o, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool apigw_is_event(const cJSON *root) {
    const char *version = str_member(root, "version");
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(root, "requestContext");
    const cJSON *http = cJSON_GetObjectItemCaseSensitive(ctx, "http");
    return version != NULL && strcmp(version, "2.0") == 0 && str_member(http, "method") != NULL;
}

/* rawPath without "/<stage>" when the stage is not $default (API Gateway keeps it there). */
static const char *strip_stage(const char *path, const char *stage) {
    if (stage == NULL || strcmp(stage, "$default") == 0 || path[0] != '/') {
        return path;
    }
    size_t n = strlen(stage);
    if (strncmp(path + 1, stage, n) == 0 && (path[n + 1] == '/' || path[n + 1] == '\0')) {
        return path[n + 1] ? path + n + 1 : "/";
    }
    return path;
}

enum apigw_parse_status apigw_parse(const char *json, size_t len, struct apigw_request *out) {
    memset(out, 0, sizeof *out);
    if (json == NULL) {
        return APIGW_ERROR;
    }
    out->root = cJSON_ParseWithLength(json, len);
    if (out->root == NULL) {
        return APIGW_ERROR;
    }
    if (!apigw_is_event(out->root)) {
        apigw_request_free(out);
        return APIGW_NOT_API;
    }
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(out->root, "requestContext");
    out->method = str_member(cJSON_GetObjectItemCaseSensitive(ctx, "http"), "method");
    const char *path = str_member(out->root, "rawPath");
    if (path == NULL) {
        path = str_member(cJSON_GetObjectItemCaseSensitive(ctx, "http"), "path");
    }
    out->raw_path = strip_stage(path ? path : "/", str_member(ctx, "stage"));
    out->raw_query = str_member(out->root, "rawQueryString");
    out->raw_query = out->raw_query ? out->raw_query : "";
    out->request_id = str_member(ctx, "requestId");
    out->request_id = out->request_id ? out->request_id : "";
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(out->root, "headers");
    out->headers = cJSON_IsObject(h) ? h : NULL;
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(out->root, "queryStringParameters");
    out->query = cJSON_IsObject(q) ? q : NULL;
    const char *body = str_member(out->root, "body");
    if (body == NULL) {
        return APIGW_OK;
    }
    size_t n = strlen(body);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(out->root, "isBase64Encoded"))) {
        if (base64_decode(body, n, false, &out->body, &out->body_len) != 0) {
            return APIGW_BAD_BODY;
        }
        return APIGW_OK;
    }
    out->body = malloc(n + 1);
    if (out->body == NULL) {
        apigw_request_free(out);
        return APIGW_ERROR;
    }
    memcpy(out->body, body, n + 1);
    out->body_len = n;
    return APIGW_OK;
}

/* A member of @p obj compared without case, or NULL. */
static const char *member_nocase(const cJSON *obj, const char *name) {
    const cJSON *v;
    cJSON_ArrayForEach(v, obj) {
        if (v->string && strcasecmp(v->string, name) == 0 && cJSON_IsString(v)) {
            return v->valuestring;
        }
    }
    return NULL;
}

const char *apigw_header(const struct apigw_request *r, const char *name) {
    return r->headers ? member_nocase(r->headers, name) : NULL;
}

const char *apigw_query(const struct apigw_request *r, const char *name) {
    return r->query ? str_member(r->query, name) : NULL;
}

void apigw_request_free(struct apigw_request *r) {
    if (r == NULL) {
        return;
    }
    cJSON_Delete(r->root);
    free(r->body);
    memset(r, 0, sizeof *r);
}

char *apigw_response(int status, const struct apigw_header *headers, size_t n_headers,
                     const char *body) {
    char *text = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *h = cJSON_AddObjectToObject(root, "headers");
    bool ok =
        root != NULL && h != NULL && cJSON_AddNumberToObject(root, "statusCode", status) != NULL;
    for (size_t i = 0; ok && i < n_headers; i++) {
        ok = cJSON_AddStringToObject(h, headers[i].name, headers[i].value) != NULL;
    }
    ok = ok && cJSON_AddStringToObject(root, "body", body ? body : "") != NULL &&
         cJSON_AddFalseToObject(root, "isBase64Encoded") != NULL;
    if (ok) {
        text = cJSON_PrintUnformatted(root);
    }
    cJSON_Delete(root);
    return text;
}
