/*
 * fuzz_config.c — libFuzzer target: the function's configuration parser on an environment
 * made of the input's lines (NAME=VALUE), as Lambda would hand it over. A loaded
 * configuration must be one the engine accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_VARS 32

struct table {
    const char *names[MAX_VARS];
    const char *values[MAX_VARS];
    size_t n;
};

static const char *table_get(const char *name, void *ctx) {
    const struct table *t = ctx;
    for (size_t i = t->n; i-- > 0;) { /* the last definition wins, as with setenv */
        if (strcmp(t->names[i], name) == 0) {
            return t->values[i];
        }
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    struct table t = {.n = 0};
    for (char *line = text; line != NULL && t.n < MAX_VARS;) {
        char *next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        char *eq = strchr(line, '=');
        if (eq != NULL) {
            *eq = '\0';
            t.names[t.n] = line;
            t.values[t.n++] = eq + 1;
        }
        line = next;
    }
    struct env env = {table_get, &t};
    struct config cfg;
    char err[512];
    if (config_load(&cfg, &env, err, sizeof err) == 0) {
        /* What the handler passes on must be what the engine accepts. */
        struct tk_result r;
        if (tk_thumbnail(NULL, 0, &cfg.thumb, &r) != TK_ERR_NOT_AN_IMAGE) {
            abort();
        }
        if (cfg.dest_bucket == NULL || cfg.region == NULL || cfg.key_prefix == NULL) {
            abort();
        }
    } else if (err[0] == '\0') {
        abort();
    }
    config_free(&cfg);
    free(text);
    return 0;
}
