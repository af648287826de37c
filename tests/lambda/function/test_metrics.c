/* test_metrics.c — the EMF line parses and follows the CloudWatch EMF specification:
 * _aws.Timestamp (ms), CloudWatchMetrics[] of {Namespace, Dimensions[[..]], Metrics[{Name,
 * Unit}]}, every dimension a string member and every metric a number member of the root. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <math.h>

#include <stdlib.h>

#include "check.h"
#include "metrics.h"

static const cJSON *get(const cJSON *o, const char *name) {
    return cJSON_GetObjectItemCaseSensitive(o, name);
}

/* Structural validation per the specification; returns the number of problems. */
static void check_emf(const cJSON *root) {
    CHECK(cJSON_IsObject(root));
    const cJSON *aws = get(root, "_aws");
    CHECK(cJSON_IsObject(aws));
    CHECK(cJSON_IsNumber(get(aws, "Timestamp")));
    const cJSON *directives = get(aws, "CloudWatchMetrics");
    CHECK(cJSON_IsArray(directives) && cJSON_GetArraySize(directives) >= 1);
    const cJSON *d;
    cJSON_ArrayForEach(d, directives) {
        const cJSON *ns = get(d, "Namespace");
        CHECK(cJSON_IsString(ns) && strlen(ns->valuestring) >= 1 &&
              strlen(ns->valuestring) <= 1024);
        const cJSON *dims = get(d, "Dimensions");
        CHECK(cJSON_IsArray(dims));
        const cJSON *set;
        cJSON_ArrayForEach(set, dims) {
            CHECK(cJSON_IsArray(set) && cJSON_GetArraySize(set) <= 30);
            const cJSON *name;
            cJSON_ArrayForEach(name, set) {
                CHECK(cJSON_IsString(name));
                /* Target member: a string at the root. */
                CHECK(cJSON_IsString(get(root, name->valuestring)));
            }
        }
        const cJSON *metrics = get(d, "Metrics");
        CHECK(cJSON_IsArray(metrics) && cJSON_GetArraySize(metrics) <= 100);
        const cJSON *m;
        cJSON_ArrayForEach(m, metrics) {
            const cJSON *name = get(m, "Name");
            CHECK(cJSON_IsString(name));
            CHECK(cJSON_IsString(get(m, "Unit")));
            if (cJSON_IsString(name)) {
                CHECK(cJSON_IsNumber(get(root, name->valuestring)));
            }
        }
    }
}

static void test_line(void) {
    struct metrics m = {3, 1, 2, 41.5};
    char *line = metrics_emf("INOW/Lambda101", "thumbs", 1709251199999ull, &m, "req-1");
    CHECK(line != NULL && strchr(line, '\n') == NULL);
    cJSON *root = cJSON_Parse(line);
    check_emf(root);
    const cJSON *aws = get(root, "_aws");
    CHECK(cJSON_GetNumberValue(get(aws, "Timestamp")) == 1709251199999.0);
    CHECK_HAS(line, "\"Timestamp\":1709251199999"); /* an integer, not 1.7e12 */
    const cJSON *d = cJSON_GetArrayItem(get(aws, "CloudWatchMetrics"), 0);
    CHECK_STR(cJSON_GetStringValue(get(d, "Namespace")), "INOW/Lambda101");
    const cJSON *dims = get(d, "Dimensions");
    CHECK(cJSON_GetArraySize(dims) == 1 && cJSON_GetArraySize(cJSON_GetArrayItem(dims, 0)) == 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetArrayItem(dims, 0), 0)),
              "FunctionName");
    const char *names[] = {"ImagesProcessed", "ImagesFailed", "ImagesSkipped", "ProcessingTime"};
    const char *units[] = {"Count", "Count", "Count", "Milliseconds"};
    const double values[] = {3, 1, 2, 41.5};
    const cJSON *metrics = get(d, "Metrics");
    CHECK_U64(cJSON_GetArraySize(metrics), 4);
    for (int i = 0; i < 4; i++) {
        const cJSON *md = cJSON_GetArrayItem(metrics, i);
        CHECK_STR(cJSON_GetStringValue(get(md, "Name")), names[i]);
        CHECK_STR(cJSON_GetStringValue(get(md, "Unit")), units[i]);
        CHECK(cJSON_GetNumberValue(get(root, names[i])) == values[i]);
    }
    CHECK_STR(cJSON_GetStringValue(get(root, "FunctionName")), "thumbs");
    CHECK_STR(cJSON_GetStringValue(get(root, "requestId")), "req-1");
    CHECK_U64(cJSON_GetArraySize(root), 7);
    cJSON_Delete(root);
    free(line);
}

static void test_edges(void) {
    struct metrics m = {0, 0, 0, NAN};
    char *line = metrics_emf("ns \"q\"", "fn\n", 0, &m, NULL);
    cJSON *root = cJSON_Parse(line);
    check_emf(root);
    CHECK(get(root, "requestId") == NULL);
    CHECK(cJSON_GetNumberValue(get(root, "ProcessingTime")) == 0); /* never NaN in EMF */
    CHECK_STR(cJSON_GetStringValue(get(root, "FunctionName")), "fn\n");
    cJSON_Delete(root);
    free(line);
    struct metrics huge = {UINT64_MAX, 0, 0, 0};
    line = metrics_emf("ns", "fn", UINT64_MAX, &huge, NULL);
    CHECK_HAS(line, "\"Timestamp\":18446744073709551615");
    CHECK_HAS(line, "\"ImagesProcessed\":18446744073709551615");
    free(line);
    CHECK(metrics_emf("", "fn", 0, &m, NULL) == NULL);
    CHECK(metrics_emf("ns", "", 0, &m, NULL) == NULL);
    CHECK(metrics_emf("ns", "fn", 0, NULL, NULL) == NULL);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct metrics m2 = {1, 0, 0, 5};
    CHECK(metrics_write(f, "ns", "fn", 1000, &m2, "r") == 0);
    CHECK(metrics_write(f, "ns", "fn", 2000, &m2, "r") == 0);
    fclose(f);
    char *nl = strchr(buf, '\n');
    CHECK(nl != NULL && nl[1] != '\0' && buf[len - 1] == '\n');
    if (nl != NULL) {
        *nl = '\0';
        cJSON *a = cJSON_Parse(buf), *b = cJSON_Parse(nl + 1);
        check_emf(a);
        check_emf(b);
        CHECK(cJSON_GetNumberValue(get(get(b, "_aws"), "Timestamp")) == 2000);
        cJSON_Delete(a);
        cJSON_Delete(b);
    }
    free(buf);
}

int main(void) {
    test_line();
    test_edges();
    return check_done("lambda.function.metrics");
}
