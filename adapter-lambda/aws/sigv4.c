/*
 * sigv4.c - AWS Signature Version 4, staged and pure (see sigv4.h).
 *
 * References: the "Create a canonical request" / "Create a string to sign" / "Calculate the
 * signature" pages of the AWS IAM user guide, and RFC 3986 section 5.2.4 for dot segments.
 */
#include "aws/sigv4.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/urlcode.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

/* ---- a growable string; any allocation failure sticks and makes finish() return NULL ---- */

struct sb {
    char *p;
    size_t len, cap;
    bool oom;
};

/* Room for @p n more bytes and the NUL; false (and oom set) when memory runs out. */
static bool sb_reserve(struct sb *b, size_t n) {
    if (b->oom) {
        return false;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2) {
                b->oom = true;
                return false;
            }
            cap *= 2;
        }
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = true;
            return false;
        }
        b->p = np;
        b->cap = cap;
    }
    return true;
}

static void sb_putn(struct sb *b, const char *s, size_t n) {
    if (!sb_reserve(b, n)) {
        return;
    }
    if (n) {
        memcpy(b->p + b->len, s, n);
    }
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(struct sb *b, const char *s) {
    sb_putn(b, s, strlen(s));
}

static void sb_putc(struct sb *b, char c) {
    sb_putn(b, &c, 1);
}

/* Returns the string (owned by the caller) or NULL after an allocation failure. */
static char *sb_finish(struct sb *b) {
    if (b->oom) {
        free(b->p);
        b->p = NULL;
        return NULL;
    }
    if (!b->p) {
        sb_putn(b, "", 0);
        if (b->oom) {
            return NULL;
        }
    }
    char *p = b->p;
    b->p = NULL;
    return p;
}

/* ---- encoding ---- */

/* Percent-encode s[0..n) into b with the adapter's one encoder (base/urlcode.h). */
static void put_encoded(struct sb *b, const char *s, size_t n, bool keep_slash) {
    size_t len = urlcode_encode_into(NULL, s, n, keep_slash);
    if (!sb_reserve(b, len)) {
        return;
    }
    urlcode_encode_into(b->p + b->len, s, n, keep_slash);
    b->len += len;
}

/* Decode %XX in s[0..n) (a '%' not followed by two hex digits stays literal; '+' stays '+')
 * and re-encode the bytes per SigV4 into b. */
static void put_reencoded(struct sb *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < n) {
            int hi = urlcode_hex_value(s[i + 1]);
            int lo = urlcode_hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                char d = (char)(hi * 16 + lo);
                put_encoded(b, &d, 1, false);
                i += 2;
                continue;
            }
        }
        put_encoded(b, &c, 1, false);
    }
}

/* ---- crypto ---- */

static bool sha256(const void *data, size_t len, unsigned char out[32]) {
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32;
}

static void to_hex(const unsigned char *d, size_t n, char *out) {
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void sigv4_sha256_hex(const void *data, size_t len, char out[65]) {
    unsigned char d[32];
    out[0] = '\0';
    if ((!data && len) || !sha256(data ? data : "", len, d)) {
        return;
    }
    to_hex(d, sizeof d, out);
}

static bool hmac(const void *key, size_t key_len, const char *msg, unsigned char out[32]) {
    unsigned int n = 0;
    if (key_len > INT_MAX) {
        return false;
    }
    return HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, strlen(msg), out,
                &n) != NULL &&
           n == 32;
}

/* ---- dates and scope ---- */

void sigv4_amz_date(time_t when, char out[17]) {
    struct tm tm;
    out[0] = '\0';
    if (!gmtime_r(&when, &tm)) {
        return;
    }
    char buf[64];
    if (strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm) != 16) {
        return;
    }
    memcpy(out, buf, 17);
}

/* "<yyyymmdd>/<region>/<service>/aws4_request" into b; false if the date is unusable. */
static bool put_scope(struct sb *b, const struct sigv4_scope *scope) {
    char amz[17];
    sigv4_amz_date(scope->when, amz);
    if (!amz[0]) {
        return false;
    }
    sb_putn(b, amz, 8);
    sb_putc(b, '/');
    sb_puts(b, scope->region);
    sb_putc(b, '/');
    sb_puts(b, scope->service);
    sb_puts(b, "/aws4_request");
    return true;
}

/* ---- canonical URI ---- */

/* Non-S3: remove empty, "." and ".." segments (RFC 3986 5.2.4 plus the AWS rule that
 * consecutive slashes collapse), keep a trailing slash if the path had one and something is
 * left, then encode the result again with '/' kept. */
static void put_normalized_uri(struct sb *b, const char *path) {
    size_t n = strlen(path);
    size_t cap = n / 2 + 2; /* at most one segment per two characters ("a/") */
    struct seg {
        const char *s;
        size_t n;
    } *segs = malloc(cap * sizeof *segs);
    if (!segs) {
        b->oom = true;
        return;
    }
    size_t count = 0;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && path[j] != '/') {
            j++;
        }
        size_t len = j - i;
        if (len == 0 || (len == 1 && path[i] == '.')) {
            /* skip */
        } else if (len == 2 && path[i] == '.' && path[i + 1] == '.') {
            if (count) {
                count--;
            }
        } else {
            segs[count].s = path + i;
            segs[count].n = len;
            count++;
        }
        i = j + 1;
    }
    sb_putc(b, '/');
    for (size_t k = 0; k < count; k++) {
        if (k) {
            sb_putc(b, '/');
        }
        put_encoded(b, segs[k].s, segs[k].n, false);
    }
    if (count && n && path[n - 1] == '/') {
        sb_putc(b, '/');
    }
    free(segs);
}

static void put_canonical_uri(struct sb *b, const char *path, bool s3_rules) {
    if (!path || !path[0]) {
        sb_putc(b, '/');
    } else if (s3_rules) {
        if (path[0] != '/') {
            sb_putc(b, '/');
        }
        sb_puts(b, path);
    } else {
        put_normalized_uri(b, path);
    }
}

/* ---- canonical query ---- */

struct param {
    char *name, *value; /* SigV4-encoded */
};

static int param_cmp(const void *a, const void *b) {
    const struct param *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

/* Canonical form of a raw query: decode and re-encode names and values, sort by name then
 * value, join with '&'. Empty components ("a&&b") are dropped; "a" becomes "a=". */
static char *canonical_query(const char *query) {
    if (!query || !query[0]) {
        return sb_finish(&(struct sb){0});
    }
    size_t n = strlen(query), count = 1;
    for (size_t i = 0; i < n; i++) {
        count += query[i] == '&';
    }
    struct param *ps = calloc(count, sizeof *ps);
    if (!ps) {
        return NULL;
    }
    char *out = NULL;
    size_t used = 0;
    for (const char *p = query; *p;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t nlen = eq ? (size_t)(eq - p) : len;
            struct sb nb = {0}, vb = {0};
            put_reencoded(&nb, p, nlen);
            if (eq) {
                put_reencoded(&vb, eq + 1, len - nlen - 1);
            }
            ps[used].name = sb_finish(&nb);
            ps[used].value = sb_finish(&vb);
            used++;
            if (!ps[used - 1].name || !ps[used - 1].value) {
                goto cleanup;
            }
        }
        p += len;
        if (*p == '&') {
            p++;
        }
    }
    qsort(ps, used, sizeof *ps, param_cmp);
    struct sb b = {0};
    for (size_t i = 0; i < used; i++) {
        if (i) {
            sb_putc(&b, '&');
        }
        sb_puts(&b, ps[i].name);
        sb_putc(&b, '=');
        sb_puts(&b, ps[i].value);
    }
    out = sb_finish(&b);
cleanup:
    for (size_t i = 0; i < used; i++) {
        free(ps[i].name);
        free(ps[i].value);
    }
    free(ps);
    return out;
}

/* ---- canonical headers ---- */

struct hdr {
    char *name;        /* lower-cased copy */
    const char *value; /* not canonicalised yet */
    size_t order;      /* position in the caller's list: keeps the sort stable */
};

static int hdr_cmp(const void *a, const void *b) {
    const struct hdr *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) {
        return c;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

static bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim the value and collapse each run of whitespace into one space (as the suite expects,
 * also inside double quotes: get-header-value-trim turns "a   b   c" into "a b c"). */
static void put_header_value(struct sb *b, const char *v) {
    while (*v && is_ws(*v)) {
        v++;
    }
    bool pending_space = false;
    for (; *v; v++) {
        if (is_ws(*v)) {
            pending_space = true;
            continue;
        }
        if (pending_space) {
            sb_putc(b, ' ');
            pending_space = false;
        }
        sb_putc(b, *v);
    }
}

/* Appends "name:value\n" lines to canon and "a;b" to signed_list. skip_name (lower-case, may be
 * NULL) names a header left out (x-amz-date when presigning). */
static bool put_canonical_headers(struct sb *canon, struct sb *signed_list,
                                  const struct sigv4_request *req, const char *skip_name) {
    bool ok = false;
    size_t n = 0;
    struct hdr *hs = req->n_headers ? calloc(req->n_headers, sizeof *hs) : NULL;
    if (req->n_headers && !hs) {
        return false;
    }
    for (size_t i = 0; i < req->n_headers; i++) {
        const struct sigv4_header *h = &req->headers[i];
        if (!h->name || !h->value) {
            goto cleanup;
        }
        char *lower = strdup(h->name);
        if (!lower) {
            goto cleanup;
        }
        for (char *c = lower; *c; c++) {
            if (*c >= 'A' && *c <= 'Z') {
                *c = (char)(*c - 'A' + 'a');
            }
        }
        if (skip_name && strcmp(lower, skip_name) == 0) {
            free(lower);
            continue;
        }
        hs[n].name = lower;
        hs[n].value = h->value;
        hs[n].order = i;
        n++;
    }
    if (n) {
        qsort(hs, n, sizeof *hs, hdr_cmp);
    }
    for (size_t i = 0; i < n; i++) {
        bool same = i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0;
        if (same) {
            sb_putc(canon, ',');
        } else {
            if (i > 0) {
                sb_putc(canon, '\n');
                sb_putc(signed_list, ';');
            }
            sb_puts(canon, hs[i].name);
            sb_putc(canon, ':');
            sb_puts(signed_list, hs[i].name);
        }
        put_header_value(canon, hs[i].value);
    }
    if (n) {
        sb_putc(canon, '\n');
    }
    ok = true;
cleanup:
    for (size_t i = 0; i < n; i++) {
        free(hs[i].name);
    }
    free(hs);
    return ok;
}

/* ---- stages ---- */

static char *canonical_request(const struct sigv4_request *req, const struct sigv4_scope *scope,
                               char **signed_headers_out, const char *skip_header) {
    if (signed_headers_out) {
        *signed_headers_out = NULL;
    }
    if (!req || !scope || !req->method || !req->payload_hash || (req->n_headers && !req->headers)) {
        return NULL;
    }
    char *query = canonical_query(req->query);
    if (!query) {
        return NULL;
    }
    struct sb b = {0}, sh = {0};
    sb_puts(&b, req->method);
    sb_putc(&b, '\n');
    put_canonical_uri(&b, req->path, scope->s3_rules);
    sb_putc(&b, '\n');
    sb_puts(&b, query);
    sb_putc(&b, '\n');
    free(query);
    if (!put_canonical_headers(&b, &sh, req, skip_header)) {
        b.oom = true;
    }
    sb_putc(&b, '\n');
    sb_putn(&b, sh.p ? sh.p : "", sh.len);
    sb_putc(&b, '\n');
    sb_puts(&b, req->payload_hash);
    char *out = sb_finish(&b);
    char *signed_headers = sb_finish(&sh);
    if (!out || !signed_headers) {
        free(out);
        free(signed_headers);
        return NULL;
    }
    if (signed_headers_out) {
        *signed_headers_out = signed_headers;
    } else {
        free(signed_headers);
    }
    return out;
}

char *sigv4_canonical_request(const struct sigv4_request *req, const struct sigv4_scope *scope,
                              char **signed_headers_out) {
    return canonical_request(req, scope, signed_headers_out, NULL);
}

char *sigv4_string_to_sign(const struct sigv4_scope *scope, const char *canonical_request) {
    if (!scope || !scope->region || !scope->service || !canonical_request) {
        return NULL;
    }
    char amz[17], hash[65];
    sigv4_amz_date(scope->when, amz);
    sigv4_sha256_hex(canonical_request, strlen(canonical_request), hash);
    if (!amz[0] || !hash[0]) {
        return NULL;
    }
    struct sb b = {0};
    sb_puts(&b, ALGORITHM "\n");
    sb_puts(&b, amz);
    sb_putc(&b, '\n');
    put_scope(&b, scope);
    sb_putc(&b, '\n');
    sb_puts(&b, hash);
    return sb_finish(&b);
}

void sigv4_signature(const struct sigv4_credentials *creds, const struct sigv4_scope *scope,
                     const char *string_to_sign, char out_hex[65]) {
    out_hex[0] = '\0';
    if (!creds || !creds->secret_access_key || !scope || !scope->region || !scope->service ||
        !string_to_sign) {
        return;
    }
    char amz[17];
    sigv4_amz_date(scope->when, amz);
    if (!amz[0]) {
        return;
    }
    char date[9];
    memcpy(date, amz, 8);
    date[8] = '\0';

    struct sb secret = {0};
    sb_puts(&secret, "AWS4");
    sb_puts(&secret, creds->secret_access_key);
    unsigned char k[32], sig[32];
    bool ok = !secret.oom && hmac(secret.p, secret.len, date, k) &&
              hmac(k, sizeof k, scope->region, k) && hmac(k, sizeof k, scope->service, k) &&
              hmac(k, sizeof k, "aws4_request", k) && hmac(k, sizeof k, string_to_sign, sig);
    if (ok) {
        to_hex(sig, sizeof sig, out_hex);
    }
    if (secret.p) {
        OPENSSL_cleanse(secret.p, secret.cap);
    }
    free(secret.p);
    OPENSSL_cleanse(k, sizeof k);
}

char *sigv4_authorization(const struct sigv4_credentials *creds, const struct sigv4_scope *scope,
                          const char *signed_headers, const char signature_hex[65]) {
    if (!creds || !creds->access_key_id || !scope || !scope->region || !scope->service ||
        !signed_headers || !signature_hex || !signature_hex[0]) {
        return NULL;
    }
    struct sb b = {0};
    sb_puts(&b, ALGORITHM " Credential=");
    sb_puts(&b, creds->access_key_id);
    sb_putc(&b, '/');
    if (!put_scope(&b, scope)) {
        b.oom = true;
    }
    sb_puts(&b, ", SignedHeaders=");
    sb_puts(&b, signed_headers);
    sb_puts(&b, ", Signature=");
    sb_putn(&b, signature_hex, strnlen(signature_hex, 64));
    return sb_finish(&b);
}

/* Stages 2 and 3 for canonical request @p creq: the signature into @p sig ("" on failure). */
static void sign_canonical(const char *creq, const struct sigv4_credentials *creds,
                           const struct sigv4_scope *scope, char sig[65]) {
    sig[0] = '\0';
    char *sts = sigv4_string_to_sign(scope, creq);
    if (sts) {
        sigv4_signature(creds, scope, sts, sig);
        free(sts);
    }
}

char *sigv4_sign(const struct sigv4_request *req, const struct sigv4_credentials *creds,
                 const struct sigv4_scope *scope) {
    char *signed_headers = NULL, *out = NULL;
    char sig[65];
    char *creq = sigv4_canonical_request(req, scope, &signed_headers);
    if (!creq) {
        goto cleanup;
    }
    sign_canonical(creq, creds, scope, sig);
    if (!sig[0]) {
        goto cleanup;
    }
    out = sigv4_authorization(creds, scope, signed_headers, sig);
cleanup:
    free(creq);
    free(signed_headers);
    return out;
}

/* "&name=<encoded value>" */
static void put_param(struct sb *b, const char *name, const char *value) {
    if (b->len) {
        sb_putc(b, '&');
    }
    sb_puts(b, name);
    sb_putc(b, '=');
    put_encoded(b, value, strlen(value), false);
}

char *sigv4_presign_query(const struct sigv4_request *req, const struct sigv4_credentials *creds,
                          const struct sigv4_scope *scope, unsigned expires_seconds) {
    char *out = NULL, *signed_headers = NULL, *creq = NULL;
    char *canon_query = NULL, *raw_query = NULL, *credential = NULL;
    char amz[17], expires[16], sig[65];
    if (!req || !creds || !creds->access_key_id || !scope || !scope->region || !scope->service) {
        return NULL;
    }
    /* Signed headers first: they are themselves a parameter. */
    {
        struct sb canon = {0}, sh = {0};
        bool ok = put_canonical_headers(&canon, &sh, req, "x-amz-date");
        free(sb_finish(&canon));
        signed_headers = sb_finish(&sh);
        if (!ok || !signed_headers) {
            goto cleanup;
        }
    }
    sigv4_amz_date(scope->when, amz);
    if (!amz[0]) {
        goto cleanup;
    }
    snprintf(expires, sizeof expires, "%u", expires_seconds);
    struct sb cred = {0};
    sb_puts(&cred, creds->access_key_id);
    sb_putc(&cred, '/');
    if (!put_scope(&cred, scope)) {
        cred.oom = true;
    }
    credential = sb_finish(&cred);
    if (!credential) {
        goto cleanup;
    }
    struct sb q = {0};
    if (req->query && req->query[0]) {
        sb_puts(&q, req->query);
    }
    put_param(&q, "X-Amz-Algorithm", ALGORITHM);
    put_param(&q, "X-Amz-Credential", credential);
    put_param(&q, "X-Amz-Date", amz);
    put_param(&q, "X-Amz-Expires", expires);
    if (creds->session_token) {
        put_param(&q, "X-Amz-Security-Token", creds->session_token);
    }
    put_param(&q, "X-Amz-SignedHeaders", signed_headers);
    raw_query = sb_finish(&q);
    if (!raw_query) {
        goto cleanup;
    }

    struct sigv4_request r = *req;
    r.query = raw_query;
    creq = canonical_request(&r, scope, NULL, "x-amz-date");
    if (!creq) {
        goto cleanup;
    }
    sign_canonical(creq, creds, scope, sig);
    canon_query = canonical_query(raw_query);
    if (!sig[0] || !canon_query) {
        goto cleanup;
    }
    struct sb o = {0};
    sb_puts(&o, canon_query);
    sb_puts(&o, "&X-Amz-Signature=");
    sb_puts(&o, sig);
    out = sb_finish(&o);
cleanup:
    free(signed_headers);
    free(creq);
    free(credential);
    free(canon_query);
    free(raw_query);
    return out;
}
