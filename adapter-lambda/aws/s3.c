/*
 * s3.c — GetObject / PutObject on the signed request helper (see s3.h).
 */
#define _GNU_SOURCE /* strptime, timegm */
#include "aws/s3.h"

#include <time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/checksum.h"
#include "base/text.h"
#include "base/urlcode.h"

#define MAX_META     8
#define PUT_BODY_MAX (1u << 20) /* PutObject answers are short; bound them anyway */

/* Host (NULL: the endpoint's) and path of bucket/key on @p ep: virtual-hosted on AWS, path
 * style for dotted bucket names (they break the wildcard TLS certificate, as the SDKs know)
 * and on a configured endpoint. */
static int object_target(const struct aws_endpoint *ep, const char *region, const char *bucket,
                         const char *key, char **host, char **path) {
    *host = NULL;
    *path = NULL;
    if (!region || !bucket || !key || !*bucket) {
        return -1;
    }
    char *ekey = urlcode_encode(key, true);
    char *ebucket = urlcode_encode(bucket, false);
    if (ekey && ebucket && !ep->custom && !strchr(bucket, '.')) {
        *host = text_printf("%s.s3.%s.%s", ebucket, region, aws_endpoint_dns_suffix(region));
        *path = *host ? text_printf("/%s", ekey) : NULL;
    } else if (ekey && ebucket) {
        *path = text_printf("/%s/%s", ebucket, ekey);
    }
    free(ekey);
    free(ebucket);
    if (!*path) {
        free(*host);
        *host = NULL;
        return -1;
    }
    return 0;
}

int s3_object_address(const char *endpoint_url, const char *region, const char *bucket,
                      const char *key, struct aws_address *out) {
    struct aws_endpoint ep;
    char *host = NULL, *path = NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (!region || aws_endpoint_init(&ep, endpoint_url, S3_SERVICE, region) != 0) {
        return -1;
    }
    if (object_target(&ep, region, bucket, key, &host, &path) == 0) {
        rc = aws_address_init(out, &ep, host, path, NULL);
    }
    free(host);
    free(path);
    aws_endpoint_free(&ep);
    return rc;
}

void s3_object_free(struct s3_object *obj) {
    if (!obj) {
        return;
    }
    free(obj->data);
    memset(obj, 0, sizeof *obj);
}

/* Send @p r to bucket/key; on a bad address a permanent InvalidRequest. */
static enum aws_status send_object(struct aws_client *c, struct aws_request *r, const char *bucket,
                                   const char *key, struct http_response *resp,
                                   struct aws_error *e) {
    char *host = NULL, *path = NULL;
    if (object_target(aws_client_endpoint(c), aws_client_region(c), bucket, key, &host, &path) !=
        0) {
        memset(resp, 0, sizeof *resp);
        aws_error_set(e, 0, "InvalidRequest", "cannot build the object URL");
        return AWS_ERR_PERMANENT;
    }
    r->host = host;
    r->path = path;
    enum aws_status st = aws_send(c, r, resp, e);
    free(host);
    free(path);
    return st;
}

/* "versionId=<encoded>" for a pinned version, or NULL (also when out of memory: then the
 * caller fails the request). */
static char *version_query(const char *version_id, bool *failed) {
    *failed = false;
    if (!version_id || !*version_id) {
        return NULL;
    }
    char *enc = urlcode_encode(version_id, false);
    char *q = enc ? text_printf("versionId=%s", enc) : NULL;
    free(enc);
    *failed = q == NULL;
    return q;
}

/* An ETag header value without its quotes. */
static void etag_of(struct aws_client *c, char *out, size_t outlen) {
    char v[96];
    text_copy(out, outlen, "");
    if (aws_response_header(c, "ETag", v, sizeof v)) {
        size_t n = strlen(v);
        bool quoted = n >= 2 && v[0] == '"' && v[n - 1] == '"';
        text_copyn(out, outlen, v + quoted, n - 2 * quoted);
    }
}

/* Last-Modified (RFC 7231 IMF-fixdate) in epoch seconds, 0 when absent or unreadable. */
static int64_t last_modified_of(struct aws_client *c) {
    char v[64];
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!aws_response_header(c, "Last-Modified", v, sizeof v)) {
        return 0;
    }
    const char *end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return end != NULL ? (int64_t)timegm(&tm) : 0;
}

static bool same_etag(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    bool qa = na >= 2 && a[0] == '"', qb = nb >= 2 && b[0] == '"';
    return na - 2 * qa == nb - 2 * qb && na - 2 * qa > 0 &&
           memcmp(a + qa, b + qb, na - 2 * qa) == 0;
}

static bool header_of(void *ctx, const char *name, char *out, size_t outlen) {
    return aws_response_header(ctx, name, out, outlen);
}

/* What a GET's body is checked against, and how it was. */
struct get_check {
    const struct s3_get *g;
    const char *verified_by; /* NULL until one check applied */
};

/* aws_verify_fn of GetObject: checksum, Content-Length, the event's size (see s3.h). */
static bool verify_get(struct aws_client *c, const struct http_response *resp, void *ctx,
                       struct aws_error *e) {
    struct get_check *k = ctx;
    const struct s3_get *g = k->g;
    char msg[200];
    const char *algo = "";
    k->verified_by = NULL;
    enum checksum_result cr = checksum_verify(resp->body, resp->body_len, header_of, c, &algo);
    if (cr == CHECKSUM_MISMATCH) {
        snprintf(msg, sizeof msg, "the body (%zu bytes) does not match the object's %s checksum",
                 resp->body_len, algo);
        aws_error_set(e, resp->status, "BodyChecksumMismatch", msg);
        return false;
    }
    if (cr == CHECKSUM_MATCH) {
        k->verified_by = algo;
    }
    if (resp->content_length >= 0 && (uint64_t)resp->content_length != resp->body_len) {
        snprintf(msg, sizeof msg, "got %zu of %lld bytes", resp->body_len,
                 (long long)resp->content_length);
        aws_error_set(e, resp->status, "IncompleteBody", msg);
        return false;
    }
    /* The event's size describes this very object only when the version or ETag says so. */
    char etag[96];
    etag_of(c, etag, sizeof etag);
    bool same_object = (g->version_id && *g->version_id) ||
                       (g->expected_etag && *g->expected_etag && same_etag(etag, g->expected_etag));
    if (g->expected_size > 0 && same_object && g->expected_size != resp->body_len) {
        snprintf(msg, sizeof msg, "got %zu bytes of an object of %llu bytes", resp->body_len,
                 (unsigned long long)g->expected_size);
        aws_error_set(e, resp->status, "IncompleteBody", msg);
        return false;
    }
    if (!k->verified_by) {
        k->verified_by = resp->content_length >= 0             ? "content-length"
                         : g->expected_size > 0 && same_object ? "size"
                                                               : NULL;
    }
    return true;
}

enum aws_status s3_get_object(struct aws_client *c, const struct s3_get *g, struct s3_object *obj,
                              struct aws_error *e) {
    struct http_response resp;
    struct sigv4_header mode = {"x-amz-checksum-mode", "ENABLED"};
    struct get_check check = {.g = g};
    bool bad_query;
    char *query = version_query(g->version_id, &bad_query);
    struct aws_request r = {.method = "GET",
                            .query = query,
                            .headers = &mode,
                            .n_headers = 1,
                            .max_body = g->max_bytes,
                            .verify = verify_get,
                            .verify_ctx = &check};
    memset(obj, 0, sizeof *obj);
    if (e) {
        memset(e, 0, sizeof *e);
    }
    if (bad_query) {
        aws_error_set(e, 0, "no_memory", "out of memory building the version query");
        return AWS_ERR_NO_MEMORY;
    }
    enum aws_status st = send_object(c, &r, g->bucket, g->key, &resp, e);
    free(query);
    if (st == AWS_ERR_TOO_LARGE && e) {
        text_copy(e->code, sizeof e->code, "ObjectTooLarge");
    }
    if (st == AWS_OK) {
        obj->data = (uint8_t *)resp.body;
        obj->size = resp.body_len;
        resp.body = NULL;
        etag_of(c, obj->etag, sizeof obj->etag);
        aws_response_header(c, "Content-Type", obj->content_type, sizeof obj->content_type);
        aws_response_header(c, "x-amz-version-id", obj->version_id, sizeof obj->version_id);
        obj->last_modified = last_modified_of(c);
        obj->verified_by = check.verified_by;
    }
    http_response_free(&resp);
    if (st == AWS_OK && !obj->verified_by) {
        /* Nothing in the response told the object's length (a proxy that drops
         * Content-Length, say): ask S3 for it before trusting the body. */
        struct s3_head h;
        const char *version = obj->version_id[0] ? obj->version_id : g->version_id;
        st = s3_head_object(c, g->bucket, g->key, version, NULL, &h, e);
        if (st == AWS_OK && (!h.exists || h.size != obj->size)) {
            char msg[160];
            snprintf(msg, sizeof msg, "got %zu bytes of an object of %llu bytes", obj->size,
                     (unsigned long long)h.size);
            aws_error_set(e, 200, "IncompleteBody", msg);
            st = AWS_ERR_TRANSIENT;
        }
        obj->verified_by = "head";
        if (st != AWS_OK) {
            s3_object_free(obj);
        }
    }
    return st;
}

enum aws_status s3_head_object(struct aws_client *c, const char *bucket, const char *key,
                               const char *version_id, const char *const *meta_names,
                               struct s3_head *out, struct aws_error *e) {
    struct http_response resp;
    bool bad_query;
    char *query = version_query(version_id, &bad_query);
    struct aws_request r = {.method = "HEAD", .query = query, .max_body = 1};
    memset(out, 0, sizeof *out);
    if (bad_query) {
        aws_error_set(e, 0, "no_memory", "out of memory building the version query");
        return AWS_ERR_NO_MEMORY;
    }
    enum aws_status st = send_object(c, &r, bucket, key, &resp, e);
    free(query);
    if (st == AWS_ERR_PERMANENT && e && e->http_status == 404) {
        st = AWS_OK; /* no such object: an answer, not a failure */
    } else if (st == AWS_ERR_PERMANENT && e && e->http_status == 403) {
        /* a HEAD answer has no body to name the error: S3's is AccessDenied */
        text_copy(e->code, sizeof e->code, "AccessDenied");
    } else if (st == AWS_OK) {
        out->exists = true;
        out->size = resp.content_length >= 0 ? (uint64_t)resp.content_length : 0;
        etag_of(c, out->etag, sizeof out->etag);
        aws_response_header(c, "x-amz-version-id", out->version_id, sizeof out->version_id);
        out->last_modified = last_modified_of(c);
        for (size_t i = 0; meta_names && meta_names[i] && i < 4; i++) {
            char name[96];
            snprintf(name, sizeof name, "x-amz-meta-%s", meta_names[i]);
            aws_response_header(c, name, out->meta[i], sizeof out->meta[i]);
        }
    }
    http_response_free(&resp);
    return st;
}

/* Why PutObject must not be tried with these arguments, or NULL. */
static const char *put_refusal(const void *data, size_t size, const struct s3_meta *meta,
                               size_t n_meta) {
    if (!data || size == 0) {
        return "refusing to write an empty object"; /* never write an empty object */
    }
    if (n_meta > MAX_META) {
        return "too many metadata entries";
    }
    for (size_t i = 0; i < n_meta; i++) {
        for (const char *p = meta[i].value; *p; p++) {
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
                return "metadata value is not printable ASCII";
            }
        }
    }
    return NULL;
}

/* Whether S3 promises that a PutObject's ETag is the MD5 of the body: not for SSE-KMS
 * (aws:kms, aws:kms:dsse) nor SSE-C objects. */
static bool etag_is_md5(struct aws_client *c) {
    char v[64];
    if (aws_response_header(c, "x-amz-server-side-encryption", v, sizeof v) &&
        strncmp(v, "aws:kms", 7) == 0) {
        return false;
    }
    return !aws_response_header(c, "x-amz-server-side-encryption-customer-algorithm", v, sizeof v);
}

enum aws_status s3_put(struct aws_client *c, const struct s3_put *p, char *etag_out,
                       struct aws_error *e) {
    struct http_response resp;
    char names[MAX_META][80], md5[32], md5_hex[33];
    struct sigv4_header headers[MAX_META + 4];
    size_t nh = 0;
    if (e) {
        memset(e, 0, sizeof *e);
    }
    if (etag_out) {
        etag_out[0] = '\0';
    }
    const char *refusal = put_refusal(p->data, p->size, p->meta, p->n_meta);
    if (refusal) {
        aws_error_set(e, 0, "InvalidRequest", refusal);
        return AWS_ERR_PERMANENT;
    }
    if (checksum_base64("md5", p->data, p->size, md5, sizeof md5) != 0) {
        aws_error_set(e, 0, "no_memory", "cannot hash the body");
        return AWS_ERR_NO_MEMORY;
    }
    headers[nh++] = (struct sigv4_header){"content-md5", md5};
    if (p->content_type) {
        headers[nh++] = (struct sigv4_header){"content-type", p->content_type};
    }
    if (p->cache_control) {
        headers[nh++] = (struct sigv4_header){"cache-control", p->cache_control};
    }
    if (p->if_match) {
        headers[nh++] = (struct sigv4_header){"if-match", p->if_match};
    } else if (p->if_none_match) {
        headers[nh++] = (struct sigv4_header){"if-none-match", "*"};
    }
    for (size_t i = 0; i < p->n_meta; i++) {
        snprintf(names[i], sizeof names[i], "x-amz-meta-%s", p->meta[i].name);
        headers[nh++] = (struct sigv4_header){names[i], p->meta[i].value};
    }
    struct aws_request r = {.method = "PUT",
                            .headers = headers,
                            .n_headers = nh,
                            .body = p->data,
                            .body_len = p->size,
                            .max_body = PUT_BODY_MAX};
    enum aws_status st = send_object(c, &r, p->bucket, p->key, &resp, e);
    http_response_free(&resp);
    if (st != AWS_OK) {
        if (e && e->http_status == 412) {
            text_copy(e->code, sizeof e->code, "PreconditionFailed");
        }
        return st;
    }
    char etag[96];
    etag_of(c, etag, sizeof etag);
    if (etag_out) {
        text_copy(etag_out, 80, etag);
    }
    /* The hex MD5 of what was sent, to compare with the ETag S3 computed from what arrived. */
    if (checksum_md5_hex(p->data, p->size, md5_hex) == 0) {
        if (etag[0] && etag_is_md5(c) && strcmp(etag, md5_hex) != 0) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     "S3 stored an object with ETag %s, not the MD5 %s of the %zu "
                     "bytes sent",
                     etag, md5_hex, p->size);
            aws_error_set(e, 200, "StoredObjectMismatch", msg);
            return AWS_ERR_TRANSIENT;
        }
    }
    return AWS_OK;
}

enum aws_status s3_put_object(struct aws_client *c, const char *bucket, const char *key,
                              const void *data, size_t size, const char *content_type,
                              const struct s3_meta *meta, size_t n_meta, struct aws_error *e) {
    struct s3_put p = {.bucket = bucket,
                       .key = key,
                       .data = data,
                       .size = size,
                       .content_type = content_type,
                       .meta = meta,
                       .n_meta = n_meta};
    return s3_put(c, &p, NULL, e);
}

int s3_presign(const struct aws_client *c, const char *method, const char *bucket, const char *key,
               const char *content_type, unsigned expires_seconds, int64_t when, char **url) {
    char *host = NULL, *path = NULL;
    *url = NULL;
    if (object_target(aws_client_endpoint(c), aws_client_region(c), bucket, key, &host, &path) !=
        0) {
        return -1;
    }
    const struct sigv4_header ct = {"content-type", content_type};
    int rc = aws_presign(c, method, host, path, content_type ? &ct : NULL, content_type ? 1 : 0,
                         expires_seconds, when, url);
    free(host);
    free(path);
    return rc;
}
