/*
 * runtime_api.c — Lambda Runtime API client (see runtime_api.h).
 */
#include "runtime_api.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR_REQUEST_ID "Lambda-Runtime-Aws-Request-Id"
#define HDR_DEADLINE   "Lambda-Runtime-Deadline-Ms"
#define HDR_ARN        "Lambda-Runtime-Invoked-Function-Arn"
#define HDR_TRACE      "Lambda-Runtime-Trace-Id"
#define HDR_ERROR_TYPE "Lambda-Runtime-Function-Error-Type"
#define JSON_TYPE      "Content-Type: application/json"
#define API_VERSION    "2018-06-01"

int runtime_client_init(struct runtime_client *rc, const char *endpoint, char *err, size_t errlen) {
    memset(rc, 0, sizeof *rc);
    if (!endpoint || !*endpoint) {
        snprintf(err, errlen, "AWS_LAMBDA_RUNTIME_API is not set");
        return -1;
    }
    /* Accept "host:port" (what Lambda sets) and, for convenience, "http://host:port". */
    const char *hostport = strncmp(endpoint, "http://", 7) == 0 ? endpoint + 7 : endpoint;
    size_t hl = strcspn(hostport, "/");
    int n = snprintf(rc->base, sizeof rc->base, "http://%.*s/" API_VERSION "/runtime", (int)hl,
                     hostport);
    if (n < 0 || (size_t)n >= sizeof rc->base || hl == 0) {
        snprintf(err, errlen, "AWS_LAMBDA_RUNTIME_API '%.64s' is not a usable host:port", endpoint);
        return -1;
    }
    snprintf(rc->url_next, sizeof rc->url_next, "%s/invocation/next", rc->base);
    snprintf(rc->url_init, sizeof rc->url_init, "%s/init/error", rc->base);
    if (http_client_init(&rc->http) != 0) {
        snprintf(err, errlen, "cannot create a curl handle");
        return -1;
    }
    return 0;
}

void runtime_client_cleanup(struct runtime_client *rc) {
    if (rc)
        http_client_cleanup(&rc->http);
}

void runtime_invocation_free(struct runtime_invocation *inv) {
    if (!inv)
        return;
    free(inv->event);
    memset(inv, 0, sizeof *inv);
}

static int64_t parse_i64(const char *s) {
    int64_t v = 0;
    for (; *s == ' '; s++) {
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (INT64_MAX - 9) / 10)
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

int runtime_next(struct runtime_client *rc, struct runtime_invocation *inv, char *err,
                 size_t errlen) {
    struct http_response resp = {0};
    char terr[256];
    int rc_ = -1;
    memset(inv, 0, sizeof *inv);
    /* No timeout: between invocations the sandbox is frozen and the call simply waits. */
    struct http_request req = {.method = "GET", .url = rc->url_next, .timeout_ms = 0};
    enum http_result hr = http_perform(&rc->http, &req, &resp, terr, sizeof terr);
    if (hr != HTTP_OK) {
        snprintf(err, errlen, "GET %s failed: %s (%s)", rc->url_next, terr, http_result_name(hr));
        goto cleanup;
    }
    if (resp.status != 200) {
        snprintf(err, errlen, "GET %s returned HTTP %ld", rc->url_next, resp.status);
        goto cleanup;
    }
    if (!http_header(&rc->http, HDR_REQUEST_ID, inv->request_id, sizeof inv->request_id) ||
        !inv->request_id[0]) {
        snprintf(err, errlen, "invocation without a %s header", HDR_REQUEST_ID);
        goto cleanup;
    }
    char num[32];
    if (http_header(&rc->http, HDR_DEADLINE, num, sizeof num))
        inv->deadline_ms = parse_i64(num);
    http_header(&rc->http, HDR_ARN, inv->function_arn, sizeof inv->function_arn);
    http_header(&rc->http, HDR_TRACE, inv->trace_id, sizeof inv->trace_id);
    inv->event = resp.body;
    inv->event_len = resp.body_len;
    resp.body = NULL;
    rc_ = 0;

cleanup:
    http_response_free(&resp);
    return rc_;
}

/* Percent-encode a request id for a URL path segment (they are UUIDs; be safe anyway). */
static int encode_id(const char *id, char *out, size_t outlen) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~';
        size_t need = plain ? 1 : 3;
        if (o + need >= outlen)
            return -1;
        if (plain) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
    return o ? 0 : -1;
}

static int post(struct runtime_client *rc, const char *url, const char *error_type,
                const char *body, size_t len, char *err, size_t errlen) {
    struct http_response resp = {0};
    char terr[256];
    char type_hdr[sizeof HDR_ERROR_TYPE + sizeof ": " + 128]; /* fits any sanitised type */
    const char *headers[2] = {JSON_TYPE, NULL};
    size_t nh = 1;
    int ret = -1;
    if (error_type) {
        snprintf(type_hdr, sizeof type_hdr, HDR_ERROR_TYPE ": %s", error_type);
        headers[nh++] = type_hdr;
    }
    struct http_request req = {.method = "POST",
                               .url = url,
                               .headers = headers,
                               .n_headers = nh,
                               .body = body,
                               .body_len = len,
                               .timeout_ms = 10000};
    enum http_result hr = http_perform(&rc->http, &req, &resp, terr, sizeof terr);
    if (hr != HTTP_OK)
        snprintf(err, errlen, "POST %s failed: %s (%s)", url, terr, http_result_name(hr));
    else if (resp.status < 200 || resp.status >= 300)
        snprintf(err, errlen, "POST %s returned HTTP %ld: %.200s", url, resp.status,
                 resp.body ? resp.body : "");
    else
        ret = 0;
    http_response_free(&resp);
    return ret;
}

int runtime_respond(struct runtime_client *rc, const char *request_id, const char *body, size_t len,
                    char *err, size_t errlen) {
    char id[400], url[640];
    if (encode_id(request_id, id, sizeof id) != 0) {
        snprintf(err, errlen, "unusable request id");
        return -1;
    }
    snprintf(url, sizeof url, "%s/invocation/%s/response", rc->base, id);
    return post(rc, url, NULL, body, len, err, errlen);
}

char *runtime_error_body(const char *error_type, const char *message) {
    char *out = NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (cJSON_AddStringToObject(o, "errorMessage", message ? message : "") &&
        cJSON_AddStringToObject(o, "errorType", error_type ? error_type : "Runtime.Unknown") &&
        cJSON_AddArrayToObject(o, "stackTrace"))
        out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

static int post_error(struct runtime_client *rc, const char *url, const char *error_type,
                      const char *message, char *err, size_t errlen) {
    char *body = runtime_error_body(error_type, message);
    if (!body) {
        snprintf(err, errlen, "out of memory building the error body");
        return -1;
    }
    /* The header value must be a single printable line. */
    char type[128];
    size_t o = 0;
    for (const char *p = error_type; p && *p && o + 1 < sizeof type; p++)
        if ((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f)
            type[o++] = *p;
    type[o] = '\0';
    int r = post(rc, url, type, body, strlen(body), err, errlen);
    free(body);
    return r;
}

int runtime_error(struct runtime_client *rc, const char *request_id, const char *error_type,
                  const char *message, char *err, size_t errlen) {
    char id[400], url[640];
    if (encode_id(request_id, id, sizeof id) != 0) {
        snprintf(err, errlen, "unusable request id");
        return -1;
    }
    snprintf(url, sizeof url, "%s/invocation/%s/error", rc->base, id);
    return post_error(rc, url, error_type, message, err, errlen);
}

int runtime_init_error(struct runtime_client *rc, const char *error_type, const char *message,
                       char *err, size_t errlen) {
    return post_error(rc, rc->url_init, error_type, message, err, errlen);
}
