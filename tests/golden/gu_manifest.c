/*
 * gu_manifest.c — parse manifest.txt into golden cases.
 */
#include "golden_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_dims(const char *s, uint32_t *w, uint32_t *h) {
    char *end = NULL;
    unsigned long a = strtoul(s, &end, 10);
    if (end == s) {
        return -1;
    }
    if (*end == '\0') {
        *w = *h = (uint32_t)a;
        return a >= 1 ? 0 : -1;
    }
    if (*end != 'x') {
        return -1;
    }
    const char *t = end + 1;
    unsigned long b = strtoul(t, &end, 10);
    if (end == t || *end != '\0' || a < 1 || b < 1) {
        return -1;
    }
    *w = (uint32_t)a;
    *h = (uint32_t)b;
    return 0;
}

static int parse_case(char *line, struct gu_case *c, char *err, size_t errlen) {
    char *tok[8];
    int n = 0;
    /* Split on blanks in place. */
    char *p = line;
    while (n < 8) {
        p += strspn(p, " \t\r\n");
        if (*p == '\0') {
            break;
        }
        tok[n++] = p;
        p += strcspn(p, " \t\r\n");
        if (*p != '\0') {
            *p++ = '\0';
        }
    }
    if (n != 7) {
        snprintf(err, errlen, "expected 7 fields, got %d", n);
        return -1;
    }
    memset(c, 0, sizeof *c);
    tk_options_init(&c->opts);
    c->opts.keep_pixels = true;
    c->opts.n_targets = 1;
    if (strlen(tok[0]) >= sizeof c->name || strlen(tok[1]) >= sizeof c->input) {
        snprintf(err, errlen, "name or input too long");
        return -1;
    }
    memcpy(c->name, tok[0], strlen(tok[0]) + 1);
    memcpy(c->input, tok[1], strlen(tok[1]) + 1);
    struct tk_target *t = &c->opts.targets[0];
    if (parse_dims(tok[2], &t->width, &t->height) != 0) {
        snprintf(err, errlen, "bad size '%s'", tok[2]);
        return -1;
    }
    if (tk_fit_parse(tok[3], &t->fit) != TK_OK) {
        snprintf(err, errlen, "bad fit '%s'", tok[3]);
        return -1;
    }
    if (tk_filter_parse(tok[4], &c->opts.filter) != TK_OK) {
        snprintf(err, errlen, "bad filter '%s'", tok[4]);
        return -1;
    }
    if (tk_format_parse(tok[5], &c->opts.format) != TK_OK) {
        snprintf(err, errlen, "bad format '%s'", tok[5]);
        return -1;
    }
    if (parse_dims(tok[6], &c->expect_w, &c->expect_h) != 0) {
        snprintf(err, errlen, "bad expected dims '%s'", tok[6]);
        return -1;
    }
    return 0;
}

int gu_manifest_load(const char *path, struct gu_case **cases, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    char line[1024];
    struct gu_case *v = NULL;
    int n = 0, cap = 0, lineno = 0;
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        if (strspn(line, " \t\r\n") == strlen(line)) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            struct gu_case *nv = realloc(v, (size_t)cap * sizeof *nv);
            if (nv == NULL) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            v = nv;
        }
        char why[128];
        if (parse_case(line, &v[n], why, sizeof why) != 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
            goto fail;
        }
        for (int i = 0; i < n; i++) {
            if (strcmp(v[i].name, v[n].name) == 0) {
                snprintf(err, errlen, "%s:%d: case '%s' listed twice", path, lineno, v[n].name);
                goto fail;
            }
        }
        n++;
    }
    fclose(f);
    *cases = v;
    return n;
fail:
    fclose(f);
    free(v);
    return -1;
}
