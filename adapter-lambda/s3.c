/*
 * s3.c — GetObject / PutObject over SigV4 with retries (see s3.h).
 */
#define _GNU_SOURCE
#include "s3.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "sigv4.h"

#define MAX_HEADERS      20
#define DEFAULT_TRY_MS   30000L
#define TRACE_ID_MAX     256
#define USER_AGENT       "User-Agent: thumbkit-lambda/0.1"
#define EMPTY_SHA256_HEX "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct s3_client {
    struct http_client http;
    char *region;
    char *endpoint_url;
    char *access_key_id;
    char *secret_access_key;
    char *session_token;
    struct retry_policy retry;
    struct retry_xorshift rng;
    long attempt_timeout_ms;
    int64_t deadline_ms;
    char trace_id[TRACE_ID_MAX];
};

const char *s3_status_name(enum s3_status s) {
    switch (s) {
    case S3_OK:
        return "ok";
    case S3_ERR_PERMANENT:
        return "permanent";
    case S3_ERR_TRANSIENT:
        return "transient";
    case S3_ERR_TOO_LARGE:
        return "too_large";
    case S3_ERR_NO_MEMORY:
        return "no_memory";
    }
    return "unknown";
}

static void set_str(char *out, size_t outlen, const char *s, size_t n) {
    if (!outlen)
        return;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* vasprintf() that returns NULL on failure (its pointer is undefined then). */
__attribute__((format(printf, 1, 2))) static char *fmt(const char *f, ...) {
    char *s = NULL;
    va_list ap;
    va_start(ap, f);
    int n = vasprintf(&s, f, ap);
    va_end(ap);
    return n < 0 ? NULL : s;
}

/* ---- addressing ---------------------------------------------------------------------- */

void s3_address_free(struct s3_address *a) {
    if (!a)
        return;
    free(a->url);
    free(a->host);
    free(a->path);
    memset(a, 0, sizeof *a);
}

int s3_object_address(const char *endpoint_url, const char *region, const char *bucket,
                      const char *key, struct s3_address *out) {
    int rc = -1;
    char *ekey = NULL, *ebucket = NULL;
    memset(out, 0, sizeof *out);
    if (!region || !bucket || !key || !*bucket)
        goto cleanup;
    ekey = sigv4_uri_encode(key, true);
    ebucket = sigv4_uri_encode(bucket, false);
    if (!ekey || !ebucket)
        goto cleanup;

    if (endpoint_url && *endpoint_url) {
        /* Path style: ENDPOINT[/base]/BUCKET/KEY. */
        const char *sep = strstr(endpoint_url, "://");
        if (!sep)
            goto cleanup;
        const char *host = sep + 3;
        size_t host_len = strcspn(host, "/?#");
        if (host_len == 0)
            goto cleanup;
        const char *base = host + host_len;
        size_t base_len = strcspn(base, "?#");
        while (base_len && base[base_len - 1] == '/')
            base_len--;
        out->host = strndup(host, host_len);
        out->path = fmt("%.*s/%s/%s", (int)base_len, base, ebucket, ekey);
        if (!out->host || !out->path)
            goto cleanup;
        out->url = fmt("%.*s%s", (int)(host + host_len - endpoint_url), endpoint_url, out->path);
    } else {
        const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
        if (strchr(bucket, '.')) {
            /* Dotted names break the wildcard TLS certificate: path style, as the SDKs do. */
            out->host = fmt("s3.%s.%s", region, suffix);
            out->path = fmt("/%s/%s", ebucket, ekey);
        } else {
            out->host = fmt("%s.s3.%s.%s", ebucket, region, suffix);
            out->path = fmt("/%s", ekey);
        }
        if (!out->host || !out->path)
            goto cleanup;
        out->url = fmt("https://%s%s", out->host, out->path);
    }
    if (!out->url)
        goto cleanup;
    rc = 0;

cleanup:
    free(ekey);
    free(ebucket);
    if (rc != 0) {
        s3_address_free(out);
    }
    return rc;
}

/* ---- errors -------------------------------------------------------------------------- */

bool s3_error_is_transient(long http_status, const char *code) {
    static const char *const codes[] = {
        "SlowDown",
        "RequestTimeout",
        "InternalError",
        "ServiceUnavailable",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        /* Credentials of an old sandbox: a retried invocation runs with fresh ones. */
        "ExpiredToken",
    };
    if (http_status >= 500 || http_status == 429)
        return true;
    if (code) {
        for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
            if (strcmp(code, codes[i]) == 0)
                return true;
    }
    return false;
}

/* Copy the text of <tag>...</tag> with the five XML entities decoded. */
static void xml_element(const char *xml, size_t len, const char *tag, char *out, size_t outlen) {
    char open[40], close[41];
    if (!outlen)
        return;
    out[0] = '\0';
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    size_t ol = strlen(open), cl = strlen(close);
    const char *end = xml + len;
    const char *p = NULL;
    for (const char *q = xml; q + ol <= end; q++) {
        if (memcmp(q, open, ol) == 0) {
            p = q + ol;
            break;
        }
    }
    if (!p)
        return;
    const char *e = NULL;
    for (const char *q = p; q + cl <= end; q++) {
        if (memcmp(q, close, cl) == 0) {
            e = q;
            break;
        }
    }
    if (!e)
        return;
    static const struct {
        const char *ent;
        char ch;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    size_t o = 0;
    while (p < e && o + 1 < outlen) {
        char ch = *p;
        size_t adv = 1;
        if (ch == '&') {
            for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
                size_t el = strlen(ents[i].ent);
                if ((size_t)(e - p) >= el && memcmp(p, ents[i].ent, el) == 0) {
                    ch = ents[i].ch;
                    adv = el;
                    break;
                }
            }
        }
        /* Keep log lines single: control characters become spaces. */
        out[o++] = ((unsigned char)ch < 0x20) ? ' ' : ch;
        p += adv;
    }
    out[o] = '\0';
}

void s3_parse_error_xml(const char *xml, size_t len, char *code, size_t code_len, char *message,
                        size_t message_len, char *request_id, size_t request_id_len) {
    xml_element(xml ? xml : "", xml ? len : 0, "Code", code, code_len);
    xml_element(xml ? xml : "", xml ? len : 0, "Message", message, message_len);
    xml_element(xml ? xml : "", xml ? len : 0, "RequestId", request_id, request_id_len);
}

void s3_error_format(const struct s3_error *e, char *out, size_t outlen) {
    if (e->http_status)
        snprintf(out, outlen, "%s (HTTP %ld): %s [request id %s, %u attempt%s]",
                 e->code[0] ? e->code : "error", e->http_status,
                 e->message[0] ? e->message : "no message", e->request_id[0] ? e->request_id : "-",
                 e->attempts, e->attempts == 1 ? "" : "s");
    else
        snprintf(out, outlen, "%s: %s [%u attempt%s]", e->code[0] ? e->code : "error",
                 e->message[0] ? e->message : "no message", e->attempts,
                 e->attempts == 1 ? "" : "s");
}

/* ---- client -------------------------------------------------------------------------- */

static void wipe_free(char *s) {
    if (s) {
        volatile char *v = s;
        while (*v)
            *v++ = 0;
        free(s);
    }
}

void s3_client_free(struct s3_client *c) {
    if (!c)
        return;
    http_client_cleanup(&c->http);
    free(c->region);
    free(c->endpoint_url);
    free(c->access_key_id);
    wipe_free(c->secret_access_key);
    wipe_free(c->session_token);
    free(c);
}

int s3_client_create(const struct s3_config *cfg, struct s3_client **out, char *err,
                     size_t errlen) {
    struct s3_client *c = NULL;
    *out = NULL;
    if (!cfg->region || !*cfg->region) {
        snprintf(err, errlen, "no AWS region (AWS_REGION)");
        return -1;
    }
    if (!cfg->access_key_id || !*cfg->access_key_id || !cfg->secret_access_key ||
        !*cfg->secret_access_key) {
        snprintf(err, errlen, "no AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
        return -1;
    }
    c = calloc(1, sizeof *c);
    if (!c)
        goto nomem;
    c->region = strdup(cfg->region);
    c->access_key_id = strdup(cfg->access_key_id);
    c->secret_access_key = strdup(cfg->secret_access_key);
    if (!c->region || !c->access_key_id || !c->secret_access_key)
        goto nomem;
    if (cfg->endpoint_url && *cfg->endpoint_url) {
        if (!strstr(cfg->endpoint_url, "://")) {
            snprintf(err, errlen, "endpoint URL '%s' has no scheme (http:// or https://)",
                     cfg->endpoint_url);
            s3_client_free(c);
            return -1;
        }
        c->endpoint_url = strdup(cfg->endpoint_url);
        if (!c->endpoint_url)
            goto nomem;
    }
    if (cfg->session_token && *cfg->session_token) {
        c->session_token = strdup(cfg->session_token);
        if (!c->session_token)
            goto nomem;
    }
    retry_xorshift_seed(&c->rng);
    if (cfg->retry)
        c->retry = *cfg->retry;
    else
        retry_policy_default(&c->retry, &c->rng);
    if (c->retry.max_attempts == 0)
        c->retry.max_attempts = 1;
    c->attempt_timeout_ms = cfg->attempt_timeout_ms > 0 ? cfg->attempt_timeout_ms : DEFAULT_TRY_MS;
    if (http_client_init(&c->http) != 0)
        goto nomem;
    *out = c;
    return 0;

nomem:
    snprintf(err, errlen, "out of memory creating the S3 client");
    s3_client_free(c);
    return -1;
}

void s3_client_set_invocation(struct s3_client *c, int64_t deadline_ms, const char *trace_id) {
    c->deadline_ms = deadline_ms;
    c->trace_id[0] = '\0';
    if (trace_id) {
        /* Only printable ASCII may go into a header line. */
        size_t o = 0;
        for (const char *p = trace_id; *p && o + 1 < sizeof c->trace_id; p++)
            if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f)
                c->trace_id[o++] = *p;
        c->trace_id[o] = '\0';
    }
}

void s3_object_free(struct s3_object *obj) {
    if (!obj)
        return;
    free(obj->data);
    memset(obj, 0, sizeof *obj);
}

/* One signed request description, reused across attempts (only the date changes). */
struct call {
    const char *method;
    struct s3_address addr;
    const void *body;
    size_t body_len;
    char payload_hash[65];
    const char *content_type;
    const struct s3_meta *meta;
    size_t n_meta;
    uint64_t max_body;
};

static void fail(struct s3_error *e, long status, const char *code, const char *msg) {
    if (!e)
        return;
    e->http_status = status;
    set_str(e->code, sizeof e->code, code, strlen(code));
    set_str(e->message, sizeof e->message, msg, strlen(msg));
}

/* Sign and send one try. Fills resp; returns the transport result. */
static enum http_result attempt(struct s3_client *c, const struct call *k, long timeout_ms,
                                struct http_response *resp, char *terr, size_t terrlen) {
    enum http_result result = HTTP_ERR_NO_MEMORY;
    char amz_date[17];
    char *authz = NULL;
    char *lines[MAX_HEADERS] = {0};
    size_t nl = 0;
    struct sigv4_header sh[MAX_HEADERS];
    size_t ns = 0;
    char meta_names[8][80];

    int64_t now_ms = c->retry.now ? c->retry.now(c->retry.now_ctx) : retry_clock_realtime(NULL);
    sigv4_amz_date((time_t)(now_ms / 1000), amz_date);

    sh[ns++] = (struct sigv4_header){"host", k->addr.host};
    sh[ns++] = (struct sigv4_header){"x-amz-content-sha256", k->payload_hash};
    sh[ns++] = (struct sigv4_header){"x-amz-date", amz_date};
    if (c->session_token)
        sh[ns++] = (struct sigv4_header){"x-amz-security-token", c->session_token};
    if (k->content_type)
        sh[ns++] = (struct sigv4_header){"content-type", k->content_type};
    for (size_t i = 0; i < k->n_meta && i < 8; i++) {
        snprintf(meta_names[i], sizeof meta_names[i], "x-amz-meta-%s", k->meta[i].name);
        sh[ns++] = (struct sigv4_header){meta_names[i], k->meta[i].value};
    }

    struct sigv4_request sreq = {
        .method = k->method,
        .path = k->addr.path,
        .query = NULL,
        .headers = sh,
        .n_headers = ns,
        .payload_hash = k->payload_hash,
    };
    struct sigv4_credentials creds = {c->access_key_id, c->secret_access_key, c->session_token};
    struct sigv4_scope scope = {
        .region = c->region, .service = "s3", .when = (time_t)(now_ms / 1000), .s3_rules = true};
    authz = sigv4_sign(&sreq, &creds, &scope);
    if (!authz)
        goto cleanup;

    for (size_t i = 0; i < ns; i++) {
        if (!(lines[nl] = fmt("%s: %s", sh[i].name, sh[i].value)))
            goto cleanup;
        nl++;
    }
    if (!(lines[nl] = fmt("Authorization: %s", authz)))
        goto cleanup;
    nl++;
    if (c->trace_id[0]) {
        if (!(lines[nl] = fmt("X-Amzn-Trace-Id: %s", c->trace_id)))
            goto cleanup;
        nl++;
    }
    if (!(lines[nl] = strdup(USER_AGENT)))
        goto cleanup;
    nl++;

    struct http_request hreq = {
        .method = k->method,
        .url = k->addr.url,
        .headers = (const char *const *)lines,
        .n_headers = nl,
        .body = k->body,
        .body_len = k->body_len,
        .timeout_ms = timeout_ms,
        .max_body = k->max_body,
    };
    result = http_perform(&c->http, &hreq, resp, terr, terrlen);

cleanup:
    for (size_t i = 0; i < nl; i++) {
        /* Lines carry the session token and the signature: wipe before freeing. */
        volatile char *v = lines[i];
        while (v && *v)
            *v++ = 0;
        free(lines[i]);
    }
    free(authz);
    return result;
}

/* The retry loop shared by GET and PUT. On S3_OK, resp holds the 2xx response. */
static enum s3_status run(struct s3_client *c, const struct call *k, struct http_response *resp,
                          struct s3_error *e) {
    unsigned failures = 0;
    char terr[256];
    if (e)
        memset(e, 0, sizeof *e);
    for (;;) {
        long timeout = c->attempt_timeout_ms;
        if (c->deadline_ms > 0) {
            int64_t now =
                c->retry.now ? c->retry.now(c->retry.now_ctx) : retry_clock_realtime(NULL);
            int64_t left = c->deadline_ms - now - (int64_t)c->retry.reserve_ms;
            if (left <= 0) {
                if (failures == 0)
                    fail(e, 0, "DeadlineExceeded",
                         "no time left before the invocation deadline to call S3");
                return S3_ERR_TRANSIENT;
            }
            if (left < timeout)
                timeout = (long)left;
        }
        http_response_free(resp);
        enum http_result hr = attempt(c, k, timeout, resp, terr, sizeof terr);
        if (e)
            e->attempts = failures + 1;
        bool transient;
        if (hr == HTTP_ERR_NO_MEMORY) {
            fail(e, 0, "no_memory", "out of memory during the S3 request");
            return S3_ERR_NO_MEMORY;
        } else if (hr == HTTP_ERR_TOO_LARGE) {
            char msg[160];
            if (resp->content_length >= 0)
                snprintf(msg, sizeof msg, "object is %lld bytes, over the limit of %llu bytes",
                         (long long)resp->content_length, (unsigned long long)k->max_body);
            else
                snprintf(msg, sizeof msg, "object exceeds the limit of %llu bytes",
                         (unsigned long long)k->max_body);
            fail(e, resp->status, "ObjectTooLarge", msg);
            return S3_ERR_TOO_LARGE;
        } else if (hr != HTTP_OK) {
            fail(e, 0, http_result_name(hr), terr);
            transient = http_result_transient(hr);
        } else if (resp->status >= 200 && resp->status < 300) {
            return S3_OK;
        } else {
            char code[64], msg[320], rid[64];
            s3_parse_error_xml(resp->body, resp->body_len, code, sizeof code, msg, sizeof msg, rid,
                               sizeof rid);
            if (!code[0])
                snprintf(code, sizeof code, "HTTP%ld", resp->status);
            if (!rid[0])
                http_header(&c->http, "x-amz-request-id", rid, sizeof rid);
            fail(e, resp->status, code, msg);
            if (e)
                set_str(e->request_id, sizeof e->request_id, rid, strlen(rid));
            transient = s3_error_is_transient(resp->status, code);
        }
        if (!transient)
            return S3_ERR_PERMANENT;
        failures++;
        if (!retry_wait(&c->retry, failures, c->deadline_ms, NULL))
            return S3_ERR_TRANSIENT;
    }
}

enum s3_status s3_get_object(struct s3_client *c, const char *bucket, const char *key,
                             uint64_t max_bytes, struct s3_object *obj, struct s3_error *e) {
    enum s3_status st = S3_ERR_NO_MEMORY;
    struct http_response resp = {0};
    struct call k = {.method = "GET", .max_body = max_bytes};
    memset(obj, 0, sizeof *obj);
    memcpy(k.payload_hash, EMPTY_SHA256_HEX, sizeof k.payload_hash);
    if (s3_object_address(c->endpoint_url, c->region, bucket, key, &k.addr) != 0) {
        if (e)
            memset(e, 0, sizeof *e);
        fail(e, 0, "InvalidRequest", "cannot build the object URL");
        st = S3_ERR_PERMANENT;
        goto cleanup;
    }
    st = run(c, &k, &resp, e);
    if (st != S3_OK)
        goto cleanup;
    obj->data = (uint8_t *)resp.body;
    obj->size = resp.body_len;
    resp.body = NULL;
    char etag[sizeof obj->etag + 2];
    if (http_header(&c->http, "ETag", etag, sizeof etag)) {
        const char *p = etag;
        size_t n = strlen(p);
        if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
            p++;
            n -= 2;
        }
        set_str(obj->etag, sizeof obj->etag, p, n);
    }

cleanup:
    http_response_free(&resp);
    s3_address_free(&k.addr);
    return st;
}

enum s3_status s3_put_object(struct s3_client *c, const char *bucket, const char *key,
                             const void *data, size_t size, const char *content_type,
                             const struct s3_meta *meta, size_t n_meta, struct s3_error *e) {
    enum s3_status st = S3_ERR_PERMANENT;
    struct http_response resp = {0};
    struct call k = {.method = "PUT",
                     .body = data,
                     .body_len = size,
                     .content_type = content_type,
                     .meta = meta,
                     .n_meta = n_meta,
                     .max_body = 1u << 20};
    if (e)
        memset(e, 0, sizeof *e);
    if (!data || size == 0) {
        /* Never write an empty object. */
        fail(e, 0, "InvalidRequest", "refusing to write an empty object");
        return S3_ERR_PERMANENT;
    }
    if (n_meta > 8) {
        fail(e, 0, "InvalidRequest", "too many metadata entries");
        return S3_ERR_PERMANENT;
    }
    for (size_t i = 0; i < n_meta; i++) {
        for (const char *p = meta[i].value; *p; p++) {
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
                fail(e, 0, "InvalidRequest", "metadata value is not printable ASCII");
                return S3_ERR_PERMANENT;
            }
        }
    }
    sigv4_sha256_hex(data, size, k.payload_hash);
    if (!k.payload_hash[0]) {
        fail(e, 0, "no_memory", "cannot hash the payload");
        return S3_ERR_NO_MEMORY;
    }
    if (s3_object_address(c->endpoint_url, c->region, bucket, key, &k.addr) != 0) {
        fail(e, 0, "InvalidRequest", "cannot build the object URL");
        goto cleanup;
    }
    st = run(c, &k, &resp, e);

cleanup:
    http_response_free(&resp);
    s3_address_free(&k.addr);
    return st;
}
