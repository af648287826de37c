/*
 * runtime_api.c — Lambda Runtime API client (see runtime_api.h).
 */
#include "runtime/runtime_api.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/urlcode.h"

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
    if (rc) {
        http_client_cleanup(&rc->http);
    }
}

static int64_t parse_i64(const char *s) {
    int64_t v = 0;
    for (; *s == ' '; s++) {
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (INT64_MAX - 9) / 10) {
            return 0;
        }
        v = v * 10 + (*s - '0');
    }
    return v;
}

int runtime_next(struct runtime_client *rc, struct runtime_invocation *inv, char *err,
                 size_t errlen) {
    struct http_response resp = {0};
    char terr[256];
    int ret = -1;
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
    if (http_header(&rc->http, HDR_DEADLINE, num, sizeof num)) {
        inv->deadline_ms = parse_i64(num);
    }
    http_header(&rc->http, HDR_ARN, inv->function_arn, sizeof inv->function_arn);
    http_header(&rc->http, HDR_TRACE, inv->trace_id, sizeof inv->trace_id);
    inv->event = resp.body;
    inv->event_len = resp.body_len;
    resp.body = NULL;
    ret = 0;

cleanup:
    http_response_free(&resp);
    return ret;
}

/* POST @p body to @p url; with @p error_type, also the error-type header. */
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
    if (hr != HTTP_OK) {
        snprintf(err, errlen, "POST %s failed: %s (%s)", url, terr, http_result_name(hr));
    } else if (resp.status < 200 || resp.status >= 300) {
        snprintf(err, errlen, "POST %s returned HTTP %ld: %.200s", url, resp.status,
                 resp.body ? resp.body : "");
    } else {
        ret = 0;
    }
    http_response_free(&resp);
    return ret;
}

/* base/invocation/<request id, percent-encoded>/<what> into @p url; -1 for an unusable id. */
static int invocation_url(const struct runtime_client *rc, const char *request_id, const char *what,
                          char *url, size_t urllen, char *err, size_t errlen) {
    char id[400];
    size_t n = request_id ? strlen(request_id) : 0;
    /* Request ids are UUIDs; encode them for the URL path anyway. */
    if (n == 0 || urlcode_encode_into(NULL, request_id, n, false) >= sizeof id) {
        snprintf(err, errlen, "unusable request id");
        return -1;
    }
    urlcode_encode_into(id, request_id, n, false);
    snprintf(url, urllen, "%s/invocation/%s/%s", rc->base, id, what);
    return 0;
}

int runtime_respond(struct runtime_client *rc, const char *request_id, const char *body, size_t len,
                    char *err, size_t errlen) {
    char url[640];
    if (invocation_url(rc, request_id, "response", url, sizeof url, err, errlen) != 0) {
        return -1;
    }
    return post(rc, url, NULL, body, len, err, errlen);
}

char *runtime_error_body(const char *error_type, const char *message) {
    char *out = NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        return NULL;
    }
    if (cJSON_AddStringToObject(o, "errorMessage", message ? message : "") &&
        cJSON_AddStringToObject(o, "errorType", error_type ? error_type : "Runtime.Unknown") &&
        cJSON_AddArrayToObject(o, "stackTrace")) {
        out = cJSON_PrintUnformatted(o);
    }
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
    text_printable(type, sizeof type, error_type, false, NULL);
    int r = post(rc, url, type, body, strlen(body), err, errlen);
    free(body);
    return r;
}

int runtime_error(struct runtime_client *rc, const char *request_id, const char *error_type,
                  const char *message, char *err, size_t errlen) {
    char url[640];
    if (invocation_url(rc, request_id, "error", url, sizeof url, err, errlen) != 0) {
        return -1;
    }
    return post_error(rc, url, error_type, message, err, errlen);
}

int runtime_init_error(struct runtime_client *rc, const char *error_type, const char *message,
                       char *err, size_t errlen) {
    return post_error(rc, rc->url_init, error_type, message, err, errlen);
}

/* The transport's functions: the client behind a void pointer. */
static int t_next(void *ctx, struct runtime_invocation *inv, char *err, size_t errlen) {
    return runtime_next(ctx, inv, err, errlen);
}

static int t_respond(void *ctx, const char *request_id, const char *body, size_t len, char *err,
                     size_t errlen) {
    return runtime_respond(ctx, request_id, body, len, err, errlen);
}

static int t_error(void *ctx, const char *request_id, const char *error_type, const char *message,
                   char *err, size_t errlen) {
    return runtime_error(ctx, request_id, error_type, message, err, errlen);
}

static int t_init_error(void *ctx, const char *error_type, const char *message, char *err,
                        size_t errlen) {
    return runtime_init_error(ctx, error_type, message, err, errlen);
}

struct runtime_transport runtime_client_transport(struct runtime_client *rc) {
    return (struct runtime_transport){.ctx = rc,
                                      .next = t_next,
                                      .respond = t_respond,
                                      .error = t_error,
                                      .init_error = t_init_error};
}
