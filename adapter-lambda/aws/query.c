/* query.c — AWS's query protocol (see query.h). */
#include "aws/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/urlcode.h"

#define RESPONSE_MAX (1u << 20)

static void append(struct aws_query *q, const char *s, size_t n) {
    if (q->oom) {
        return;
    }
    if (q->len + n + 1 > q->cap) {
        size_t cap = q->cap ? q->cap : 256;
        while (cap < q->len + n + 1) {
            cap *= 2;
        }
        char *t = realloc(q->text, cap);
        if (t == NULL) {
            q->oom = true;
            return;
        }
        q->text = t;
        q->cap = cap;
    }
    memcpy(q->text + q->len, s, n);
    q->len += n;
    q->text[q->len] = '\0';
}

void aws_query_add(struct aws_query *q, const char *value, const char *name_fmt, ...) {
    char name[128];
    va_list ap;
    va_start(ap, name_fmt);
    text_vformat(name, sizeof name, name_fmt, ap);
    va_end(ap);
    char *en = urlcode_encode(name, false);
    char *ev = urlcode_encode(value ? value : "", false);
    if (en == NULL || ev == NULL) {
        q->oom = true;
    } else {
        if (q->len) {
            append(q, "&", 1);
        }
        append(q, en, strlen(en));
        append(q, "=", 1);
        /* Form encoding writes a space as '+' (what the SDKs send; some servers re-encode the
         * body that way before checking the signature). */
        for (const char *p = ev; *p;) {
            if (strncmp(p, "%20", 3) == 0) {
                append(q, "+", 1);
                p += 3;
            } else {
                append(q, p, 1);
                p++;
            }
        }
    }
    free(en);
    free(ev);
}

void aws_query_free(struct aws_query *q) {
    free(q->text);
    memset(q, 0, sizeof *q);
}

enum aws_status aws_query_send(struct aws_client *c, const struct aws_query *q,
                               struct http_response *resp, struct aws_error *e) {
    if (q->oom || q->text == NULL) {
        memset(resp, 0, sizeof *resp);
        aws_error_set(e, 0, "no_memory", "out of memory building the request body");
        return AWS_ERR_NO_MEMORY;
    }
    const struct sigv4_header h[] = {
        {"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
    struct aws_request r = {.method = "POST",
                            .path = "/",
                            .headers = h,
                            .n_headers = 1,
                            .body = q->text,
                            .body_len = q->len,
                            .max_body = RESPONSE_MAX};
    return aws_send(c, &r, resp, e);
}
