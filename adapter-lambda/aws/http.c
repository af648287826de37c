/*
 * http.c — HTTP over one reused libcurl easy handle (see http.h).
 */
#include "aws/http.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"

/* Bodies of non-2xx responses are AWS error documents or short JSON: bound them anyway. */
#define ERROR_BODY_MAX (1u << 20)

struct transfer {
    struct http_response *resp;
    bool head; /* HEAD: Content-Length describes the resource, no body follows */
    uint64_t max_body;
    bool too_large;
    bool no_memory;
    bool folded;
};

static const char *const result_names[] = {"ok",        "connect",   "timeout",
                                           "too_large", "no_memory", "other"};

const char *http_result_name(enum http_result r) {
    size_t i = (size_t)r < sizeof result_names / sizeof result_names[0] ? (size_t)r
                                                                        : (size_t)HTTP_ERR_OTHER;
    return result_names[i];
}

bool http_result_transient(enum http_result r) {
    return r == HTTP_ERR_CONNECT || r == HTTP_ERR_TIMEOUT;
}

int http_client_init(struct http_client *c) {
    c->curl = NULL;
    c->share = curl_share_init();
    if (c->share &&
        curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK) {
        curl_share_cleanup(c->share);
        c->share = NULL;
    }
    return c->share ? 0 : -1;
}

void http_client_cleanup(struct http_client *c) {
    if (c && c->curl) {
        curl_easy_cleanup(c->curl);
        c->curl = NULL;
    }
    if (c && c->share) {
        curl_share_cleanup(c->share);
        c->share = NULL;
    }
}

void http_response_free(struct http_response *resp) {
    if (!resp) {
        return;
    }
    free(resp->body);
    memset(resp, 0, sizeof *resp);
    resp->content_length = -1;
}

static bool is_2xx(long status) {
    return status >= 200 && status < 300;
}

static bool reserve(struct http_response *r, size_t need) {
    if (need <= r->body_cap) {
        return true;
    }
    size_t cap = r->body_cap ? r->body_cap : 16384;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(r->body, cap);
    if (!p) {
        return false;
    }
    r->body = p;
    r->body_cap = cap;
    return true;
}

/* The status line of a new response (after a 100 Continue, say): start over. */
static void on_status_line(struct transfer *t, const char *buf, size_t len) {
    const char *sp = memchr(buf, ' ', len);
    long status = 0;
    if (sp) {
        /* three digits (RFC 9110 15): a longer number must not overflow; it is no status */
        const char *p = sp + 1;
        for (; p < buf + len && *p >= '0' && *p <= '9' && p < sp + 5; p++) {
            status = status * 10 + (*p - '0');
        }
        status = p < buf + len && *p >= '0' && *p <= '9' ? 0 : status;
    }
    t->resp->status = status;
    t->resp->content_length = -1;
    t->resp->body_len = 0;
}

/* A Content-Length header: refuse an oversized body before a single byte is read. */
static bool on_content_length(struct transfer *t, const char *digits, size_t len) {
    uint64_t v = 0;
    bool seen = false;
    for (size_t i = 0; i < len; i++) {
        char ch = digits[i];
        if (ch >= '0' && ch <= '9') {
            if (v > (UINT64_MAX - 9) / 10) {
                return false;
            }
            v = v * 10 + (uint64_t)(ch - '0');
            seen = true;
        } else if (seen) {
            break;
        }
    }
    if (!seen) {
        return true;
    }
    t->resp->content_length = v > INT64_MAX ? INT64_MAX : (int64_t)v;
    if (t->head) {
        return true;
    }
    uint64_t bound = is_2xx(t->resp->status) ? t->max_body : ERROR_BODY_MAX;
    if (bound && v > bound) {
        t->too_large = true;
        return false;
    }
    if (v < SIZE_MAX && !reserve(t->resp, (size_t)v + 1)) {
        t->no_memory = true;
        return false;
    }
    return true;
}

static size_t on_header(char *buf, size_t size, size_t n, void *ud) {
    struct transfer *t = ud;
    size_t len = size * n;
    static const char cl[] = "content-length:";
    if (len > 0 && (buf[0] == ' ' || buf[0] == '\t')) {
        /* A folded header line (obsolete, RFC 9112 5.2): no AWS service sends one, and the
         * libcurl of Debian 12 (7.88) mishandles it (a use after free found by fuzzing,
         * tests/fuzz/regressions/s3_response). Refuse the response. */
        t->folded = true;
        return 0;
    }
    if (len >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
        on_status_line(t, buf, len);
    } else if (len > sizeof cl - 1 && strncasecmp(buf, cl, sizeof cl - 1) == 0 &&
               !on_content_length(t, buf + sizeof cl - 1, len - (sizeof cl - 1))) {
        return 0;
    }
    return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *ud) {
    struct transfer *t = ud;
    struct http_response *r = t->resp;
    size_t len = size * n;
    uint64_t bound = is_2xx(r->status) ? t->max_body : ERROR_BODY_MAX;
    if (bound && (uint64_t)r->body_len + len > bound) {
        t->too_large = true;
        return 0;
    }
    if (!reserve(r, r->body_len + len + 1)) {
        t->no_memory = true;
        return 0;
    }
    memcpy(r->body + r->body_len, buf, len);
    r->body_len += len;
    r->body[r->body_len] = '\0';
    return len;
}

/* libcurl's result as ours: connection problems are worth a retry, like timeouts. */
static enum http_result classify(CURLcode rc) {
    static const CURLcode connection_lost[] = {
        CURLE_COULDNT_RESOLVE_HOST,
        CURLE_COULDNT_RESOLVE_PROXY,
        CURLE_COULDNT_CONNECT,
        CURLE_SEND_ERROR,
        CURLE_RECV_ERROR,
        CURLE_GOT_NOTHING,
        CURLE_PARTIAL_FILE,
        CURLE_SSL_CONNECT_ERROR,
        CURLE_HTTP2,
        CURLE_HTTP2_STREAM,
        /* A reply that is not HTTP where one was due ("Received HTTP/0.9", leftovers of a
         * broken exchange on a reused connection): the connection is bad, not the request. */
        CURLE_WEIRD_SERVER_REPLY,
        CURLE_UNSUPPORTED_PROTOCOL,
    };
    if (rc == CURLE_OK) {
        return HTTP_OK;
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        return HTTP_ERR_TIMEOUT;
    }
    if (rc == CURLE_OUT_OF_MEMORY) {
        return HTTP_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < sizeof connection_lost / sizeof connection_lost[0]; i++) {
        if (rc == connection_lost[i]) {
            return HTTP_ERR_CONNECT;
        }
    }
    return HTTP_ERR_OTHER;
}

/* The request's header lines plus "Expect:" (suppresses 100-continue); NULL when out of
 * memory. */
static struct curl_slist *header_list(const struct http_request *req) {
    struct curl_slist *hdrs = NULL;
    for (size_t i = 0; i <= req->n_headers; i++) {
        struct curl_slist *n =
            curl_slist_append(hdrs, i < req->n_headers ? req->headers[i] : "Expect:");
        if (!n) {
            curl_slist_free_all(hdrs);
            return NULL;
        }
        hdrs = n;
    }
    return hdrs;
}

static void set_options(CURL *h, const struct http_request *req, struct curl_slist *hdrs,
                        struct transfer *t, char *curl_err) {
    curl_easy_setopt(h, CURLOPT_URL, req->url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* S3 keys may contain "/../" or "//": send the path exactly as encoded and signed. */
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     req->timeout_ms > 0 && req->timeout_ms < 10000 ? req->timeout_ms : 10000L);
    if (strcmp(req->method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(req->method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        /* POSTFIELDS sends exactly body_len bytes with a Content-Length; the method is then
         * overridden for PUT. The body is not copied. */
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? (const char *)req->body : "");
        if (strcmp(req->method, "POST") != 0) {
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
        }
    }
}

enum http_result http_perform(struct http_client *c, const struct http_request *req,
                              struct http_response *resp, char *err, size_t errlen) {
    enum http_result result = HTTP_ERR_NO_MEMORY;
    char curl_err[CURL_ERROR_SIZE] = "";
    struct transfer t = {
        .resp = resp, .head = strcmp(req->method, "HEAD") == 0, .max_body = req->max_body};
    CURL *h;
    struct curl_slist *hdrs = NULL;

    memset(resp, 0, sizeof *resp);
    resp->content_length = -1;
    text_copy(err, errlen, "");

    /* Reset the options but keep the connection cache: keep-alive survives. */
    /* A new easy handle per request, connections kept in the share: libcurl 7.88 (Debian 12)
     * can use freed memory when a reused handle meets a folded header line (curl issue
     * 11101; found again by tests/fuzz s3_response). The handle lives until the next request
     * so http_header() can read the response's headers. */
    if (c->curl) {
        curl_easy_cleanup(c->curl);
    }
    c->curl = h = curl_easy_init();
    if (!h || curl_easy_setopt(h, CURLOPT_SHARE, c->share) != CURLE_OK) {
        goto cleanup;
    }
    hdrs = header_list(req);
    if (!hdrs) {
        goto cleanup;
    }
    set_options(h, req, hdrs, &t, curl_err);

    CURLcode rc = curl_easy_perform(h);
    if (t.too_large) {
        result = HTTP_ERR_TOO_LARGE;
        text_copy(err, errlen, "response body exceeds the size limit");
    } else if (t.no_memory) {
        result = HTTP_ERR_NO_MEMORY;
        text_copy(err, errlen, "out of memory reading the response");
    } else if (t.folded) {
        result = HTTP_ERR_CONNECT; /* a broken reply: worth another try */
        text_copy(err, errlen, "folded header line in the response");
    } else {
        result = classify(rc);
        if (result != HTTP_OK) {
            text_copy(err, errlen, curl_err[0] ? curl_err : curl_easy_strerror(rc));
        }
    }
    if (result == HTTP_OK && !resp->body) {
        /* Keep the promise that body is NUL-terminated. */
        if (!reserve(resp, 1)) {
            result = HTTP_ERR_NO_MEMORY;
            goto cleanup;
        }
        resp->body[0] = '\0';
    }

cleanup:
    /* The slist must outlive the transfer only; the handle must not keep a dangling pointer. */
    if (h) {
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    }
    curl_slist_free_all(hdrs);
    return result;
}

bool http_header(struct http_client *c, const char *name, char *out, size_t outlen) {
    struct curl_header *hd = NULL;
    text_copy(out, outlen, "");
    if (curl_easy_header(c->curl, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd) {
        return false;
    }
    text_copy(out, outlen, hd->value);
    return true;
}
