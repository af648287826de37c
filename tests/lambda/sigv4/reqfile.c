/* reqfile.c - see reqfile.h. */
#include "reqfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_n(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int add_header(struct reqfile *r, const char *name, size_t nlen, const char *value,
                      size_t vlen) {
    struct sigv4_header *h = realloc(r->headers, (r->n_headers + 1) * sizeof *h);
    if (!h) {
        return -1;
    }
    r->headers = h;
    char *n = dup_n(name, nlen), *v = dup_n(value, vlen);
    if (!n || !v) {
        free(n);
        free(v);
        return -1;
    }
    h[r->n_headers].name = n;
    h[r->n_headers].value = v;
    r->n_headers++;
    return 0;
}

/* Appends " " + line to the value of the last header. */
static int append_value(struct reqfile *r, const char *line, size_t n) {
    struct sigv4_header *h = &r->headers[r->n_headers - 1];
    size_t old = strlen(h->value);
    char *v = realloc((char *)h->value, old + 1 + n + 1);
    if (!v) {
        return -1;
    }
    v[old] = ' ';
    memcpy(v + old + 1, line, n);
    v[old + 1 + n] = '\0';
    h->value = v;
    return 0;
}

int reqfile_parse(const char *text, size_t len, enum reqfile_fold fold, struct reqfile *out) {
    memset(out, 0, sizeof *out);
    const char *end = text + len;
    const char *eol = memchr(text, '\n', len);
    const char *line_end = eol ? eol : end;
    /* request line: method, target (may contain spaces), version after the last space */
    const char *sp1 = memchr(text, ' ', (size_t)(line_end - text));
    const char *sp2 = NULL;
    for (const char *p = line_end; p > text; p--) {
        if (p[-1] == ' ') {
            sp2 = p - 1;
            break;
        }
    }
    if (!sp1 || !sp2 || sp2 <= sp1) {
        return -1;
    }
    const char *target = sp1 + 1;
    const char *q = memchr(target, '?', (size_t)(sp2 - target));
    out->method = dup_n(text, (size_t)(sp1 - text));
    out->path = dup_n(target, (size_t)((q ? q : sp2) - target));
    if (q) {
        out->query = dup_n(q + 1, (size_t)(sp2 - q - 1));
    }
    if (!out->method || !out->path || (q && !out->query)) {
        goto fail;
    }
    const char *p = eol ? eol + 1 : end;
    const char *last_name = NULL;
    size_t last_nlen = 0;
    while (p < end && *p != '\n') {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        const char *le = e ? e : end;
        if (*p == ' ' || *p == '\t') {
            if (!last_name) {
                goto fail;
            }
            if (fold == REQFILE_FOLD_AS_SPACE) {
                if (append_value(out, p, (size_t)(le - p)) != 0) {
                    goto fail;
                }
            } else if (add_header(out, last_name, last_nlen, p, (size_t)(le - p)) != 0) {
                goto fail;
            }
        } else {
            const char *colon = memchr(p, ':', (size_t)(le - p));
            if (!colon) {
                goto fail;
            }
            if (add_header(out, p, (size_t)(colon - p), colon + 1, (size_t)(le - colon - 1)) != 0) {
                goto fail;
            }
            last_name = p;
            last_nlen = (size_t)(colon - p);
        }
        p = e ? e + 1 : end;
    }
    if (p < end && *p == '\n') {
        p++; /* the blank line: the body follows */
    }
    out->body_len = (size_t)(end - p);
    out->body = dup_n(p, out->body_len);
    if (!out->body) {
        goto fail;
    }
    return 0;
fail:
    reqfile_free(out);
    return -1;
}

void reqfile_free(struct reqfile *r) {
    free(r->method);
    free(r->path);
    free(r->query);
    for (size_t i = 0; i < r->n_headers; i++) {
        free((char *)r->headers[i].name);
        free((char *)r->headers[i].value);
    }
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

const char *reqfile_header(const struct reqfile *r, const char *name) {
    for (size_t i = 0; i < r->n_headers; i++) {
        if (strcasecmp(r->headers[i].name, name) == 0) {
            return r->headers[i].value;
        }
    }
    return NULL;
}

int reqfile_parse_time(const char *s, time_t *out) {
    struct tm tm = {0};
    int n = 0;
    if (sscanf(s, "%4d%2d%2dT%2d%2d%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &n) == 6 &&
        n == 16) {
        /* basic form */
    } else if (n = 0, sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                             &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) == 6 &&
                          n == 20) {
        /* extended form */
    } else {
        return -1;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1) {
        return -1;
    }
    *out = t;
    return 0;
}
