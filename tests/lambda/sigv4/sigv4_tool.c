/*
 * sigv4_tool.c - sign request descriptions read as JSON on stdin; one output line each.
 *
 * Used by botocore_compare.py. The input is one JSON object or an array of them:
 *   {
 *     "mode": "header" | "presign",          (default "header")
 *     "method": "PUT",
 *     "host": "bucket.s3.amazonaws.com",
 *     "path": "/wire/path%20encoded",        wire path as is, or:
 *     "bucket": "b", "key": "raw key ü",     S3 path style: "/" bucket "/" uri_encode(key)
 *     "query": "raw&query=string",           optional
 *     "headers": [["Name", "value"], ...],   optional, extra headers, repeats allowed
 *     "body": "text", "unsigned_payload": false,
 *     "access_key_id": "...", "secret_access_key": "...", "session_token": "..." | null,
 *     "region": "us-east-1", "service": "s3", "s3": true,
 *     "time": 1440938160, "expires": 3600,
 *     "add_headers": true
 *   }
 * Like a real client, the tool adds Host, X-Amz-Date (from "time"), X-Amz-Security-Token (header
 * mode, when a token is given) and, for S3 in header mode, x-amz-content-sha256 with the
 * payload hash; with "add_headers": false it adds only Host (the caller lists the others). It
 * prints the Authorization value (header mode) or the presigned query string. With --verbose it
 * also prints the canonical request and string to sign to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws/sigv4.h"
#include "base/urlcode.h"

static char *read_stdin(void) {
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        return NULL;
    }
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    buf[len] = '\0';
    return buf;
}

static const char *str(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool flag(const cJSON *o, const char *k) {
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static double num(const cJSON *o, const char *k, double dflt) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* Signs one description and prints one line. @return 0, or -1 on a bad description. */
static int sign_one(const cJSON *o, bool verbose) {
    int rc = -1;
    char *path = NULL, *key_enc = NULL, *out = NULL, *creq = NULL, *sts = NULL;
    const cJSON *hdrs = cJSON_GetObjectItemCaseSensitive(o, "headers");
    int n_extra = cJSON_IsArray(hdrs) ? cJSON_GetArraySize(hdrs) : 0;
    struct sigv4_header *hs = calloc((size_t)n_extra + 4, sizeof *hs);
    const char *method = str(o, "method"), *host = str(o, "host");
    const char *mode = str(o, "mode") ? str(o, "mode") : "header";
    bool presign = strcmp(mode, "presign") == 0;
    struct sigv4_credentials creds = {str(o, "access_key_id"), str(o, "secret_access_key"),
                                      str(o, "session_token")};
    struct sigv4_scope scope = {str(o, "region"), str(o, "service"), (time_t)num(o, "time", -1),
                                flag(o, "s3")};
    if (!hs || !method || !host || !creds.access_key_id || !creds.secret_access_key ||
        !scope.region || !scope.service || scope.when < 0) {
        fprintf(stderr, "sigv4_tool: incomplete request description\n");
        goto cleanup;
    }
    if (str(o, "path")) {
        path = strdup(str(o, "path"));
    } else if (str(o, "bucket") && str(o, "key")) {
        key_enc = urlcode_encode(str(o, "key"), true);
        size_t len = strlen(str(o, "bucket")) + (key_enc ? strlen(key_enc) : 0) + 3;
        path = key_enc ? malloc(len) : NULL;
        if (path) {
            snprintf(path, len, "/%s/%s", str(o, "bucket"), key_enc);
        }
    }
    if (!path) {
        fprintf(stderr, "sigv4_tool: no path or bucket/key\n");
        goto cleanup;
    }
    const char *body = str(o, "body") ? str(o, "body") : "";
    char payload[65];
    if (flag(o, "unsigned_payload")) {
        snprintf(payload, sizeof payload, "%s", "UNSIGNED-PAYLOAD");
    } else {
        sigv4_sha256_hex(body, strlen(body), payload);
    }
    char amz[17];
    sigv4_amz_date(scope.when, amz);
    size_t n = 0;
    hs[n++] = (struct sigv4_header){"Host", host};
    for (int i = 0; i < n_extra; i++) {
        const cJSON *pair = cJSON_GetArrayItem(hdrs, i);
        const cJSON *hn = cJSON_GetArrayItem(pair, 0), *hv = cJSON_GetArrayItem(pair, 1);
        if (!cJSON_IsString(hn) || !cJSON_IsString(hv)) {
            fprintf(stderr, "sigv4_tool: headers must be [name, value] pairs\n");
            goto cleanup;
        }
        hs[n++] = (struct sigv4_header){hn->valuestring, hv->valuestring};
    }
    const cJSON *add = cJSON_GetObjectItemCaseSensitive(o, "add_headers");
    if (!presign && !cJSON_IsFalse(add)) {
        hs[n++] = (struct sigv4_header){"X-Amz-Date", amz};
        if (creds.session_token) {
            hs[n++] = (struct sigv4_header){"X-Amz-Security-Token", creds.session_token};
        }
        if (scope.s3_rules) {
            hs[n++] = (struct sigv4_header){"x-amz-content-sha256", payload};
        }
    }
    struct sigv4_request req = {method, path, str(o, "query"), hs, n, payload};
    if (presign) {
        out = sigv4_presign_query(&req, &creds, &scope, (unsigned)num(o, "expires", 3600));
    } else {
        out = sigv4_sign(&req, &creds, &scope);
        if (verbose) {
            creq = sigv4_canonical_request(&req, &scope, NULL);
            sts = creq ? sigv4_string_to_sign(&scope, creq) : NULL;
            fprintf(stderr, "--- canonical request\n%s\n--- string to sign\n%s\n",
                    creq ? creq : "(null)", sts ? sts : "(null)");
        }
    }
    if (!out) {
        fprintf(stderr, "sigv4_tool: signing failed\n");
        goto cleanup;
    }
    printf("%s\n", out);
    rc = 0;
cleanup:
    free(hs);
    free(path);
    free(key_enc);
    free(out);
    free(creq);
    free(sts);
    return rc;
}

int main(int argc, char **argv) {
    bool verbose = argc > 1 && strcmp(argv[1], "--verbose") == 0;
    char *text = read_stdin();
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!root) {
        fprintf(stderr, "sigv4_tool: stdin is not JSON\n");
        return 2;
    }
    int rc = 0;
    if (cJSON_IsArray(root)) {
        const cJSON *o;
        cJSON_ArrayForEach(o, root) {
            if (sign_one(o, verbose) != 0) {
                rc = 1;
                printf("ERROR\n");
            }
        }
    } else if (sign_one(root, verbose) != 0) {
        rc = 1;
    }
    cJSON_Delete(root);
    return rc;
}
