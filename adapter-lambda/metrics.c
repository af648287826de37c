/* metrics.c — CloudWatch Embedded Metric Format line (see metrics.h). */
#include "metrics.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct metric_def {
    const char *name;
    const char *unit;
};

static const struct metric_def defs[] = {
    {"ImagesProcessed", "Count"},
    {"ImagesFailed", "Count"},
    {"ImagesSkipped", "Count"},
    {"ProcessingTime", "Milliseconds"},
};

/* Add an exact unsigned integer member (cJSON numbers are doubles, rounded above 2^53). */
static int add_integer(cJSON *obj, const char *name, uint64_t v) {
    char digits[24];
    snprintf(digits, sizeof digits, "%" PRIu64, v);
    return cJSON_AddRawToObject(obj, name, digits) != NULL ? 0 : -1;
}

char *metrics_emf(const char *ns, const char *function_name, uint64_t timestamp_ms,
                  const struct metrics *m, const char *request_id) {
    char *line = NULL;
    cJSON *root = NULL;
    if (ns == NULL || ns[0] == '\0' || function_name == NULL || function_name[0] == '\0' ||
        m == NULL) {
        return NULL;
    }
    double ms = isfinite(m->processing_ms) && m->processing_ms >= 0 ? m->processing_ms : 0.0;
    uint64_t counts[] = {m->processed, m->failed, m->skipped};

    root = cJSON_CreateObject();
    cJSON *aws = cJSON_AddObjectToObject(root, "_aws");
    if (aws == NULL || add_integer(aws, "Timestamp", timestamp_ms) != 0) {
        goto cleanup;
    }
    cJSON *directives = cJSON_AddArrayToObject(aws, "CloudWatchMetrics");
    cJSON *directive = cJSON_CreateObject();
    if (directives == NULL || directive == NULL) {
        cJSON_Delete(directive);
        goto cleanup;
    }
    cJSON_AddItemToArray(directives, directive);
    if (cJSON_AddStringToObject(directive, "Namespace", ns) == NULL) {
        goto cleanup;
    }
    cJSON *dims = cJSON_AddArrayToObject(directive, "Dimensions");
    const char *dim_names[] = {"FunctionName"};
    cJSON *dimset = cJSON_CreateStringArray(dim_names, 1);
    if (dims == NULL || dimset == NULL) {
        cJSON_Delete(dimset);
        goto cleanup;
    }
    cJSON_AddItemToArray(dims, dimset);
    cJSON *metrics = cJSON_AddArrayToObject(directive, "Metrics");
    if (metrics == NULL) {
        goto cleanup;
    }
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        cJSON *d = cJSON_CreateObject();
        if (d == NULL) {
            goto cleanup;
        }
        cJSON_AddItemToArray(metrics, d);
        if (cJSON_AddStringToObject(d, "Name", defs[i].name) == NULL ||
            cJSON_AddStringToObject(d, "Unit", defs[i].unit) == NULL) {
            goto cleanup;
        }
    }
    /* Target members: the dimension value (a string) and one number per metric. */
    if (cJSON_AddStringToObject(root, "FunctionName", function_name) == NULL) {
        goto cleanup;
    }
    for (size_t i = 0; i < 3; i++) {
        if (add_integer(root, defs[i].name, counts[i]) != 0) {
            goto cleanup;
        }
    }
    if (cJSON_AddNumberToObject(root, defs[3].name, ms) == NULL) {
        goto cleanup;
    }
    if (request_id != NULL && request_id[0] != '\0' &&
        cJSON_AddStringToObject(root, "requestId", request_id) == NULL) {
        goto cleanup;
    }
    line = cJSON_PrintUnformatted(root);
cleanup:
    cJSON_Delete(root);
    return line;
}

int metrics_write(FILE *out, const char *ns, const char *function_name, uint64_t timestamp_ms,
                  const struct metrics *m, const char *request_id) {
    char *line = metrics_emf(ns, function_name, timestamp_ms, m, request_id);
    if (line == NULL) {
        return -1;
    }
    if (out == NULL) {
        out = stdout;
    }
    size_t n = strlen(line);
    line[n] = '\n'; /* written with its length, never read as a string again */
    int rc = fwrite(line, 1, n + 1, out) == n + 1 && fflush(out) == 0 ? 0 : -1;
    free(line);
    return rc;
}
