/*
 * request.c — one signed AWS request with retries (see request.h).
 */
#include "aws/request.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

#define DEFAULT_TRY_MS 30000L
#define TRACE_ID_MAX   256
#define USER_AGENT     "User-Agent: thumbkit-lambda/0.1"
/* host, x-amz-date, x-amz-content-sha256, x-amz-security-token, the request's own. */
#define MAX_SIGNED (4 + AWS_MAX_HEADERS)

struct aws_client {
    struct http_client http;
    char *service;
    char display[32]; /* the service upper-cased, for messages ("S3", "DYNAMODB") */
    char *region;
    struct aws_endpoint endpoint;
    struct aws_credentials creds;
    struct retry_policy retry;
    struct retry_xorshift rng;
    long attempt_timeout_ms;
    int64_t deadline_ms;
    char trace_id[TRACE_ID_MAX];
};

static const char *const status_names[] = {"ok", "permanent", "transient", "too_large",
                                           "no_memory"};

const char *aws_status_name(enum aws_status s) {
    if ((size_t)s >= sizeof status_names / sizeof status_names[0]) {
        return "unknown";
    }
    return status_names[s];
}

/* ---- errors -------------------------------------------------------------------------- */

bool aws_error_is_transient(long http_status, const char *code) {
    /* botocore's standard retry mode (transient and throttling codes), plus S3's own. */
    static const char *const codes[] = {
        "SlowDown",
        "RequestTimeout",
        "RequestTimeoutException",
        "PriorRequestNotComplete",
        "InternalError",
        "ServiceUnavailable",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "RequestThrottled",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "EC2ThrottledException",
        /* Credentials of an old sandbox: a retried invocation runs with fresh ones. */
        "ExpiredToken",
        /* A request body damaged or cut on the way (S3 checked it against Content-MD5 or
         * Content-Length): sending it again can succeed. */
        "BadDigest",
        "IncompleteBody",
        "XAmzContentSHA256Mismatch",
    };
    if (http_status >= 500 || http_status == 429) {
        return true;
    }
    for (size_t i = 0; code != NULL && i < sizeof codes / sizeof codes[0]; i++) {
        if (strcmp(code, codes[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* First occurrence of the @p nlen bytes at @p needle in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *needle, size_t nlen) {
    for (; p + nlen <= end; p++) {
        if (memcmp(p, needle, nlen) == 0) {
            return p;
        }
    }
    return NULL;
}

/* Copy the text of <tag>...</tag> with the five XML entities decoded. */
static void xml_element(const char *xml, size_t len, const char *tag, char *out, size_t outlen) {
    static const struct {
        const char *ent;
        char ch;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    char open[40], close[41];
    text_copy(out, outlen, "");
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *end = xml + len;
    const char *p = find(xml, end, open, strlen(open));
    const char *e = p != NULL ? find(p + strlen(open), end, close, strlen(close)) : NULL;
    if (e == NULL || outlen == 0) {
        return;
    }
    size_t o = 0;
    for (p += strlen(open); p < e && o + 1 < outlen;) {
        char ch = *p;
        size_t adv = 1;
        for (size_t i = 0; ch == '&' && i < sizeof ents / sizeof ents[0]; i++) {
            size_t el = strlen(ents[i].ent);
            if ((size_t)(e - p) >= el && memcmp(p, ents[i].ent, el) == 0) {
                ch = ents[i].ch;
                adv = el;
                break;
            }
        }
        /* Keep log lines single: control characters become spaces. */
        out[o++] = ((unsigned char)ch < 0x20) ? ' ' : ch;
        p += adv;
    }
    out[o] = '\0';
}

/* A string member of a JSON error body ("" when absent), control characters made spaces as
 * in xml_element(). */
static void json_member(const cJSON *o, const char *name, char *out, size_t outlen) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    text_copy(out, outlen, cJSON_IsString(v) ? v->valuestring : "");
    for (char *p = out; outlen > 0 && *p; p++) {
        if ((unsigned char)*p < 0x20) {
            *p = ' ';
        }
    }
}

/* {"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"..."} */
static void json_error(const char *body, size_t len, char *code, size_t code_len, char *message,
                       size_t message_len) {
    cJSON *o = cJSON_ParseWithLength(body, len);
    char type[128];
    json_member(o, "__type", type, sizeof type);
    const char *hash = strrchr(type, '#');
    text_copy(code, code_len, hash != NULL ? hash + 1 : type);
    json_member(o, "message", message, message_len);
    if (message_len > 0 && message[0] == '\0') {
        json_member(o, "Message", message, message_len);
    }
    cJSON_Delete(o);
}

void aws_parse_error(const char *body, size_t len, char *code, size_t code_len, char *message,
                     size_t message_len, char *request_id, size_t request_id_len) {
    const char *b = body != NULL ? body : "";
    len = body != NULL ? len : 0;
    size_t skip = 0;
    while (skip < len && isspace((unsigned char)b[skip])) {
        skip++;
    }
    text_copy(request_id, request_id_len, "");
    if (skip < len && b[skip] == '{') {
        json_error(b, len, code, code_len, message, message_len);
        return;
    }
    xml_element(b, len, "Code", code, code_len);
    xml_element(b, len, "Message", message, message_len);
    xml_element(b, len, "RequestId", request_id, request_id_len);
}

void aws_error_format(const struct aws_error *e, char *out, size_t outlen) {
    const char *code = e->code[0] ? e->code : "error";
    const char *msg = e->message[0] ? e->message : "no message";
    const char *plural = e->attempts == 1 ? "" : "s";
    if (e->http_status) {
        snprintf(out, outlen, "%s (HTTP %ld): %s [request id %s, %u attempt%s]", code,
                 e->http_status, msg, e->request_id[0] ? e->request_id : "-", e->attempts, plural);
    } else {
        snprintf(out, outlen, "%s: %s [%u attempt%s]", code, msg, e->attempts, plural);
    }
}

void aws_error_set(struct aws_error *e, long http_status, const char *code, const char *message) {
    if (e) {
        e->http_status = http_status;
        text_copy(e->code, sizeof e->code, code);
        text_copy(e->message, sizeof e->message, message);
    }
}

/* ---- client -------------------------------------------------------------------------- */

void aws_client_free(struct aws_client *c) {
    if (!c) {
        return;
    }
    http_client_cleanup(&c->http);
    free(c->service);
    free(c->region);
    aws_endpoint_free(&c->endpoint);
    aws_credentials_free(&c->creds);
    free(c);
}

int aws_client_create(const struct aws_client_config *cfg, struct aws_client **out, char *err,
                      size_t errlen) {
    struct aws_client *c = NULL;
    *out = NULL;
    if (!cfg->region || !*cfg->region) {
        snprintf(err, errlen, "no AWS region (AWS_REGION)");
        return -1;
    }
    if (!cfg->credentials || !cfg->credentials->access_key_id ||
        !cfg->credentials->secret_access_key) {
        snprintf(err, errlen, "no AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
        return -1;
    }
    if (cfg->endpoint && *cfg->endpoint && !strstr(cfg->endpoint, "://")) {
        snprintf(err, errlen, "endpoint URL '%s' has no scheme (http:// or https://)",
                 cfg->endpoint);
        return -1;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        goto nomem;
    }
    c->service = strdup(cfg->service);
    c->region = strdup(cfg->region);
    if (!c->service || !c->region ||
        aws_endpoint_init(&c->endpoint, cfg->endpoint, cfg->service, cfg->region) != 0 ||
        aws_credentials_copy(&c->creds, cfg->credentials) != 0 || http_client_init(&c->http) != 0) {
        goto nomem;
    }
    text_copy(c->display, sizeof c->display, cfg->service);
    for (char *p = c->display; *p; p++) {
        *p = (char)toupper((unsigned char)*p);
    }
    retry_xorshift_seed(&c->rng);
    if (cfg->retry) {
        c->retry = *cfg->retry;
    } else {
        retry_policy_default(&c->retry, &c->rng);
    }
    if (c->retry.max_attempts == 0) {
        c->retry.max_attempts = 1;
    }
    c->attempt_timeout_ms = cfg->attempt_timeout_ms > 0 ? cfg->attempt_timeout_ms : DEFAULT_TRY_MS;
    *out = c;
    return 0;

nomem:
    snprintf(err, errlen, "out of memory creating the %s client", cfg->service);
    aws_client_free(c);
    return -1;
}

void aws_client_set_invocation(struct aws_client *c, int64_t deadline_ms, const char *trace_id) {
    c->deadline_ms = deadline_ms;
    /* Only printable ASCII may go into a header line. */
    text_printable(c->trace_id, sizeof c->trace_id, trace_id, true, NULL);
}

const struct aws_endpoint *aws_client_endpoint(const struct aws_client *c) {
    return &c->endpoint;
}

const char *aws_client_region(const struct aws_client *c) {
    return c->region;
}

bool aws_response_header(struct aws_client *c, const char *name, char *out, size_t outlen) {
    return http_header(&c->http, name, out, outlen);
}

/* ---- one call ------------------------------------------------------------------------ */

/* What stays the same across the attempts of one call (only the date changes). */
struct call {
    const struct aws_request *r;
    struct aws_address addr;
    char payload_hash[65];
};

/* Header lines: wiped before they are freed (they carry the token and the signature). */
struct lines {
    char *v[MAX_SIGNED + 3];
    size_t n;
};

static bool add_line(struct lines *l, char *line) {
    if (!line) {
        return false;
    }
    l->v[l->n++] = line;
    return true;
}

static void free_lines(struct lines *l) {
    for (size_t i = 0; i < l->n; i++) {
        volatile char *v = l->v[i];
        while (*v) {
            *v++ = 0;
        }
        free(l->v[i]);
    }
    l->n = 0;
}

/* Sign and send one try. Fills resp; returns the transport result. */
static enum http_result attempt(struct aws_client *c, const struct call *k, long timeout_ms,
                                struct http_response *resp, char *terr, size_t terrlen) {
    enum http_result result = HTTP_ERR_NO_MEMORY;
    const struct aws_request *r = k->r;
    bool s3 = strcmp(c->service, "s3") == 0;
    char amz_date[17];
    struct sigv4_header sh[MAX_SIGNED];
    size_t ns = 0;
    struct lines lines = {.n = 0};

    int64_t now_ms = retry_now(&c->retry);
    sigv4_amz_date((time_t)(now_ms / 1000), amz_date);
    sh[ns++] = (struct sigv4_header){"host", k->addr.host};
    if (s3) {
        sh[ns++] = (struct sigv4_header){"x-amz-content-sha256", k->payload_hash};
    }
    sh[ns++] = (struct sigv4_header){"x-amz-date", amz_date};
    if (c->creds.session_token) {
        sh[ns++] = (struct sigv4_header){"x-amz-security-token", c->creds.session_token};
    }
    for (size_t i = 0; i < r->n_headers; i++) {
        sh[ns++] = r->headers[i];
    }

    struct sigv4_request sreq = {
        .method = r->method,
        .path = k->addr.path,
        .query = r->query,
        .headers = sh,
        .n_headers = ns,
        .payload_hash = k->payload_hash,
    };
    struct sigv4_credentials creds = {c->creds.access_key_id, c->creds.secret_access_key,
                                      c->creds.session_token};
    struct sigv4_scope scope = {.region = c->region,
                                .service = c->service,
                                .when = (time_t)(now_ms / 1000),
                                .s3_rules = s3};
    char *authz = sigv4_sign(&sreq, &creds, &scope);
    bool ok = authz != NULL;
    for (size_t i = 0; ok && i < ns; i++) {
        ok = add_line(&lines, text_printf("%s: %s", sh[i].name, sh[i].value));
    }
    ok = ok && add_line(&lines, text_printf("Authorization: %s", authz));
    if (ok && c->trace_id[0]) {
        ok = add_line(&lines, text_printf("X-Amzn-Trace-Id: %s", c->trace_id));
    }
    ok = ok && add_line(&lines, strdup(USER_AGENT));
    if (ok) {
        struct http_request hreq = {
            .method = r->method,
            .url = k->addr.url,
            .headers = (const char *const *)lines.v,
            .n_headers = lines.n,
            .body = r->body,
            .body_len = r->body_len,
            .timeout_ms = timeout_ms,
            .max_body = r->max_body,
        };
        result = http_perform(&c->http, &hreq, resp, terr, terrlen);
    }
    free_lines(&lines);
    free(authz);
    return result;
}

/* The time one try may take: the client's bound, cut to what the deadline leaves; 0 when
 * nothing is left. */
static long try_timeout(const struct aws_client *c) {
    long timeout = c->attempt_timeout_ms;
    if (c->deadline_ms > 0) {
        int64_t left = c->deadline_ms - retry_now(&c->retry) - (int64_t)c->retry.reserve_ms;
        if (left <= 0) {
            return 0;
        }
        if (left < timeout) {
            timeout = (long)left;
        }
    }
    return timeout;
}

/* Classify a complete non-2xx response into @p e. @return whether it is worth retrying. */
static bool error_response(struct aws_client *c, const struct http_response *resp,
                           struct aws_error *e) {
    char code[64], msg[320], rid[64];
    aws_parse_error(resp->body, resp->body_len, code, sizeof code, msg, sizeof msg, rid,
                    sizeof rid);
    if (!code[0] && http_header(&c->http, "x-amzn-ErrorType", code, sizeof code)) {
        code[strcspn(code, ":")] = '\0'; /* "Code:http://internal.amazon.com/..." */
    }
    if (!code[0]) {
        snprintf(code, sizeof code, "HTTP%ld", resp->status);
    }
    if (!rid[0] && !http_header(&c->http, "x-amz-request-id", rid, sizeof rid)) {
        http_header(&c->http, "x-amzn-RequestId", rid, sizeof rid);
    }
    aws_error_set(e, resp->status, code, msg);
    if (e) {
        text_copy(e->request_id, sizeof e->request_id, rid);
    }
    return aws_error_is_transient(resp->status, code);
}

/* The retry loop. On AWS_OK, resp holds the 2xx response. */
static enum aws_status run(struct aws_client *c, const struct call *k, struct http_response *resp,
                           struct aws_error *e) {
    unsigned failures = 0;
    char terr[256], msg[160];
    for (;;) {
        long timeout = try_timeout(c);
        if (timeout == 0) {
            if (failures == 0) {
                snprintf(msg, sizeof msg, "no time left before the invocation deadline to call %s",
                         c->display);
                aws_error_set(e, 0, "DeadlineExceeded", msg);
            }
            return AWS_ERR_TRANSIENT;
        }
        http_response_free(resp);
        enum http_result hr = attempt(c, k, timeout, resp, terr, sizeof terr);
        if (e) {
            e->attempts = failures + 1;
        }
        bool transient;
        if (hr == HTTP_ERR_NO_MEMORY) {
            snprintf(msg, sizeof msg, "out of memory during the %s request", c->display);
            aws_error_set(e, 0, "no_memory", msg);
            return AWS_ERR_NO_MEMORY;
        } else if (hr == HTTP_ERR_TOO_LARGE) {
            unsigned long long limit = (unsigned long long)k->r->max_body;
            if (resp->content_length >= 0) {
                snprintf(msg, sizeof msg, "response is %lld bytes, over the limit of %llu bytes",
                         (long long)resp->content_length, limit);
            } else {
                snprintf(msg, sizeof msg, "response exceeds the limit of %llu bytes", limit);
            }
            aws_error_set(e, resp->status, "ResponseTooLarge", msg);
            return AWS_ERR_TOO_LARGE;
        } else if (hr != HTTP_OK) {
            aws_error_set(e, 0, http_result_name(hr), terr);
            transient = http_result_transient(hr);
        } else if (resp->status >= 200 && resp->status < 300) {
            if (!k->r->verify || k->r->verify(c, resp, k->r->verify_ctx, e)) {
                return AWS_OK;
            }
            transient = true; /* damaged on the way: the next try may get it whole */
        } else {
            transient = error_response(c, resp, e);
        }
        if (!transient) {
            return AWS_ERR_PERMANENT;
        }
        failures++;
        if (!retry_wait(&c->retry, failures, c->deadline_ms, NULL)) {
            return AWS_ERR_TRANSIENT;
        }
    }
}

enum aws_status aws_send(struct aws_client *c, const struct aws_request *r,
                         struct http_response *resp, struct aws_error *e) {
    enum aws_status st = AWS_ERR_NO_MEMORY;
    struct call k = {.r = r};
    memset(resp, 0, sizeof *resp);
    resp->content_length = -1;
    if (e) {
        memset(e, 0, sizeof *e);
    }
    if (r->n_headers > AWS_MAX_HEADERS || (r->n_headers && !r->headers)) {
        aws_error_set(e, 0, "InvalidRequest", "too many request headers");
        return AWS_ERR_PERMANENT;
    }
    sigv4_sha256_hex(r->body, r->body_len, k.payload_hash);
    if (!k.payload_hash[0]) {
        aws_error_set(e, 0, "no_memory", "cannot hash the payload");
        return AWS_ERR_NO_MEMORY;
    }
    if (aws_address_init(&k.addr, &c->endpoint, r->host, r->path, r->query) != 0) {
        aws_error_set(e, 0, "no_memory", "out of memory building the request URL");
        return AWS_ERR_NO_MEMORY;
    }
    st = run(c, &k, resp, e);
    aws_address_free(&k.addr);
    return st;
}

int aws_presign(const struct aws_client *c, const char *method, const char *host, const char *path,
                const struct sigv4_header *headers, size_t n_headers, unsigned expires_seconds,
                int64_t when, char **url) {
    struct aws_address addr;
    struct sigv4_header sh[AWS_MAX_HEADERS + 1];
    *url = NULL;
    if (n_headers > AWS_MAX_HEADERS || (n_headers && !headers) || !method) {
        return -1;
    }
    if (aws_address_init(&addr, &c->endpoint, host, path, NULL) != 0) {
        return -1;
    }
    sh[0] = (struct sigv4_header){"host", addr.host};
    for (size_t i = 0; i < n_headers; i++) {
        sh[i + 1] = headers[i];
    }
    struct sigv4_request sreq = {.method = method,
                                 .path = addr.path,
                                 .headers = sh,
                                 .n_headers = n_headers + 1,
                                 .payload_hash = "UNSIGNED-PAYLOAD"};
    struct sigv4_credentials creds = {c->creds.access_key_id, c->creds.secret_access_key,
                                      c->creds.session_token};
    struct sigv4_scope scope = {.region = c->region,
                                .service = c->service,
                                .when = (time_t)when,
                                .s3_rules = strcmp(c->service, "s3") == 0};
    char *query = sigv4_presign_query(&sreq, &creds, &scope, expires_seconds);
    if (query) {
        *url = text_printf("%s?%s", addr.url, query);
        free(query);
    }
    aws_address_free(&addr);
    return *url ? 0 : -1;
}
