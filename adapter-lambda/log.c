/* log.c — JSON log lines built with cJSON (see log.h). */
#define _GNU_SOURCE
#include "log.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tk_clock.h"

static const char *const level_names[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};

const char *log_level_name(enum log_level l) {
    if ((int)l < 0 || (size_t)l >= sizeof level_names / sizeof level_names[0]) {
        return "INFO";
    }
    return level_names[l];
}

int log_level_parse(const char *s, enum log_level *out) {
    if (s == NULL) {
        return -1;
    }
    for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
        if (strcasecmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

uint64_t log_clock_realtime(void *ctx) {
    (void)ctx;
    return (uint64_t)tk_clock_wall_ms();
}

void log_init(struct log_ctx *lg, FILE *out, enum log_level min, log_clock_fn clock,
              void *clock_ctx) {
    memset(lg, 0, sizeof *lg);
    lg->out = out != NULL ? out : stdout;
    lg->min = min;
    lg->clock = clock != NULL ? clock : log_clock_realtime;
    lg->clock_ctx = clock_ctx;
}

void log_set_request_id(struct log_ctx *lg, const char *request_id) {
    lg->request_id[0] = '\0';
    if (request_id == NULL) {
        return;
    }
    size_t n = strnlen(request_id, sizeof lg->request_id - 1);
    memcpy(lg->request_id, request_id, n);
    lg->request_id[n] = '\0';
}

bool log_enabled(const struct log_ctx *lg, enum log_level level) {
    return level >= lg->min;
}

int log_rfc3339(uint64_t ms, char *buf, size_t size) {
    if (buf == NULL || size < 25) {
        return -1;
    }
    time_t secs = (time_t)(ms / 1000u);
    struct tm tm;
    if ((uint64_t)secs != ms / 1000u || gmtime_r(&secs, &tm) == NULL || tm.tm_year + 1900 > 9999) {
        return -1;
    }
    int n =
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ms % 1000u));
    return n == 24 ? 0 : -1;
}

static bool reserved_name(const char *name) {
    return strcmp(name, "timestamp") == 0 || strcmp(name, "level") == 0 ||
           strcmp(name, "requestId") == 0 || strcmp(name, "message") == 0;
}

static cJSON *field_value(const struct log_field *f) {
    switch (f->type) {
    case LOG_STR:
        return f->v.s != NULL ? cJSON_CreateString(f->v.s) : cJSON_CreateNull();
    case LOG_INT: {
        /* Raw digits: exact for every int64 (a double would round above 2^53). */
        char digits[24];
        snprintf(digits, sizeof digits, "%" PRId64, f->v.i);
        return cJSON_CreateRaw(digits);
    }
    case LOG_NUM:
        return isfinite(f->v.d) ? cJSON_CreateNumber(f->v.d) : cJSON_CreateNull();
    case LOG_BOOL:
        return cJSON_CreateBool(f->v.b);
    case LOG_JSON:
        return f->v.j != NULL ? cJSON_Duplicate(f->v.j, true) : cJSON_CreateNull();
    }
    return cJSON_CreateNull();
}

char *log_format(const struct log_ctx *lg, enum log_level level, const char *message,
                 const struct log_field *fields, size_t n_fields) {
    char ts[32];
    char *line = NULL;
    if (log_rfc3339(lg->clock(lg->clock_ctx), ts, sizeof ts) != 0) {
        ts[0] = '\0';
    }
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        goto cleanup;
    }
    if (cJSON_AddStringToObject(root, "timestamp", ts) == NULL ||
        cJSON_AddStringToObject(root, "level", log_level_name(level)) == NULL) {
        goto cleanup;
    }
    if (lg->request_id[0] != '\0' &&
        cJSON_AddStringToObject(root, "requestId", lg->request_id) == NULL) {
        goto cleanup;
    }
    if (cJSON_AddStringToObject(root, "message", message != NULL ? message : "") == NULL) {
        goto cleanup;
    }
    for (size_t i = 0; i < n_fields; i++) {
        const struct log_field *f = &fields[i];
        if (f->name == NULL || reserved_name(f->name)) {
            continue;
        }
        /* A later field of the same name replaces an earlier one: names stay unique. */
        cJSON_DeleteItemFromObjectCaseSensitive(root, f->name);
        cJSON *v = field_value(f);
        if (v == NULL) {
            goto cleanup;
        }
        if (!cJSON_AddItemToObject(root, f->name, v)) {
            cJSON_Delete(v);
            goto cleanup;
        }
    }
    line = cJSON_PrintUnformatted(root);
cleanup:
    cJSON_Delete(root);
    return line;
}

int log_write(struct log_ctx *lg, enum log_level level, const char *message,
              const struct log_field *fields, size_t n_fields) {
    if (!log_enabled(lg, level)) {
        return 0;
    }
    char *line = log_format(lg, level, message, fields, n_fields);
    if (line == NULL) {
        return -1;
    }
    size_t n = strlen(line);
    line[n] = '\n'; /* replaces the NUL: written with its length, never read as a string */
    int rc = fwrite(line, 1, n + 1, lg->out) == n + 1 && fflush(lg->out) == 0 ? 0 : -1;
    free(line);
    return rc;
}
