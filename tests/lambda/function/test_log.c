/* test_log.c — JSON log lines: parse back with cJSON, required members, RFC 3339 timestamp
 * from the injected clock, level filter, escaping of hostile names and values. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <math.h>

#include <stdlib.h>

#include "check.h"
#include "log.h"

static uint64_t fixed_clock(void *ctx) {
    return *(const uint64_t *)ctx;
}

/* Everything written to a memory stream, as lines. */
struct capture {
    char *buf;
    size_t len;
    FILE *f;
};

static void cap_open(struct capture *c) {
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    CHECK(c->f != NULL);
}

static void cap_close(struct capture *c) {
    fclose(c->f);
}

static size_t count_lines(const char *s) {
    size_t n = 0;
    for (; s != NULL && *s != '\0'; s++) {
        n += *s == '\n';
    }
    return n;
}

static const char *member_str(const cJSON *o, const char *name) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

static void test_rfc3339(void) {
    char buf[32];
    CHECK(log_rfc3339(0, buf, sizeof buf) == 0);
    CHECK_STR(buf, "1970-01-01T00:00:00.000Z");
    CHECK(log_rfc3339(123, buf, sizeof buf) == 0);
    CHECK_STR(buf, "1970-01-01T00:00:00.123Z");
    /* 2024-02-29T23:59:59.999Z: leap day, last millisecond of the day. */
    CHECK(log_rfc3339(1709251199999ull, buf, sizeof buf) == 0);
    CHECK_STR(buf, "2024-02-29T23:59:59.999Z");
    CHECK(log_rfc3339(1709251200000ull, buf, sizeof buf) == 0);
    CHECK_STR(buf, "2024-03-01T00:00:00.000Z");
    CHECK(log_rfc3339(1763783934007ull, buf, sizeof buf) == 0);
    CHECK_STR(buf, "2025-11-22T03:58:54.007Z");
    CHECK(log_rfc3339(253402300799999ull, buf, sizeof buf) == 0);
    CHECK_STR(buf, "9999-12-31T23:59:59.999Z");
    CHECK(log_rfc3339(253402300800000ull, buf, sizeof buf) == -1); /* year 10000 */
    CHECK(log_rfc3339(0, buf, 24) == -1);
}

static void test_line(void) {
    uint64_t now = 1709251199999ull;
    struct capture cap;
    cap_open(&cap);
    struct log_ctx lg;
    log_init(&lg, cap.f, LOG_LEVEL_INFO, fixed_clock, &now);
    log_set_request_id(&lg, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
    struct log_field f[] = {
        LOG_F_STR("key", "dir/\"quoted\"\n\x01\xe4\xbd\xa0.jpg"),
        LOG_F_INT("bytes", 1234567890123),
        LOG_F_INT("neg", -5),
        LOG_F_NUM("ms", 12.5),
        LOG_F_NUM("nan", NAN),
        LOG_F_BOOL("cold", true),
        LOG_F_STR("na\"me\\with\nescapes", "v"),
        LOG_F_STR("nothing", NULL),
        LOG_F_STR("level", "FORGED"), /* fixed members cannot be overridden */
        LOG_F_STR("message", "FORGED"),
        LOG_F_INT("bytes", 7), /* a repeated name: the last one wins, once */
    };
    CHECK(log_write(&lg, LOG_LEVEL_WARN, "thumb \"written\"\t\xf0\x9f\x90\xb1", f,
                    sizeof f / sizeof f[0]) == 0);
    cap_close(&cap);
    CHECK_U64(count_lines(cap.buf), 1);
    CHECK(cap.len > 0 && cap.buf[cap.len - 1] == '\n');
    cJSON *o = cJSON_Parse(cap.buf);
    CHECK(cJSON_IsObject(o));
    CHECK_STR(member_str(o, "timestamp"), "2024-02-29T23:59:59.999Z");
    CHECK_STR(member_str(o, "level"), "WARN");
    CHECK_STR(member_str(o, "requestId"), "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
    CHECK_STR(member_str(o, "message"), "thumb \"written\"\t\xf0\x9f\x90\xb1");
    CHECK_STR(member_str(o, "key"), "dir/\"quoted\"\n\x01\xe4\xbd\xa0.jpg");
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "bytes")) == 7);
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "neg")) == -5);
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "ms")) == 12.5);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "nan")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "cold")));
    CHECK_STR(member_str(o, "na\"me\\with\nescapes"), "v");
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "nothing")));
    /* Member names are unique: count "level" and "bytes". */
    int n_level = 0, n_bytes = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, o) {
        n_level += strcmp(m->string, "level") == 0;
        n_bytes += strcmp(m->string, "bytes") == 0;
    }
    CHECK(n_level == 1 && n_bytes == 1);
    CHECK_U64(cJSON_GetArraySize(o), 12);
    cJSON_Delete(o);
    free(cap.buf);

    /* Exactly 2^53 survives the double round trip. */
    char *line = log_format(&lg, LOG_LEVEL_INFO, "big",
                            (struct log_field[]){LOG_F_INT("n", 9007199254740992LL)}, 1);
    CHECK_HAS(line, "\"n\":9007199254740992");
    free(line);
    /* Every int64 is written exactly, beyond what a double holds. */
    line = log_format(&lg, LOG_LEVEL_INFO, "ends",
                      (struct log_field[]){LOG_F_INT("max", INT64_MAX), LOG_F_INT("min", INT64_MIN),
                                           LOG_F_INT("odd", 9007199254740993LL)},
                      3);
    CHECK_HAS(line, "\"max\":9223372036854775807,\"min\":-9223372036854775808,"
                    "\"odd\":9007199254740993}");
    cJSON *back = cJSON_Parse(line);
    CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(back, "min")));
    cJSON_Delete(back);
    free(line);
}

static void test_levels_and_request_id(void) {
    uint64_t now = 0;
    struct capture cap;
    cap_open(&cap);
    struct log_ctx lg;
    log_init(&lg, cap.f, LOG_LEVEL_WARN, fixed_clock, &now);
    CHECK(!log_enabled(&lg, LOG_LEVEL_INFO));
    CHECK(log_enabled(&lg, LOG_LEVEL_WARN));
    const char *names[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    for (int l = LOG_LEVEL_TRACE; l <= LOG_LEVEL_FATAL; l++) {
        now = (uint64_t)l * 1000u;
        CHECK(log_write(&lg, (enum log_level)l, names[l], NULL, 0) == 0);
    }
    cap_close(&cap);
    CHECK_U64(count_lines(cap.buf), 3); /* WARN, ERROR, FATAL */
    size_t i = 0;
    for (char *line = cap.buf; line != NULL && *line != '\0'; i++) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        cJSON *o = cJSON_Parse(line);
        CHECK(cJSON_IsObject(o));
        CHECK_STR(member_str(o, "level"), names[3 + i]);
        CHECK_STR(member_str(o, "message"), names[3 + i]);
        CHECK(cJSON_GetObjectItemCaseSensitive(o, "requestId") == NULL); /* none set */
        char want[32];
        snprintf(want, sizeof want, "1970-01-01T00:00:0%zu.000Z", 3 + i);
        CHECK_STR(member_str(o, "timestamp"), want);
        cJSON_Delete(o);
        line = nl + 1;
    }
    CHECK_U64(i, 3);
    free(cap.buf);

    /* Level names parse both ways, case-insensitively. */
    for (int l = 0; l < 6; l++) {
        enum log_level got;
        CHECK(log_level_parse(names[l], &got) == 0 && (int)got == l);
        CHECK_STR(log_level_name((enum log_level)l), names[l]);
    }
    enum log_level got;
    CHECK(log_level_parse("warn", &got) == 0 && got == LOG_LEVEL_WARN);
    CHECK(log_level_parse("WARNING", &got) == -1);
    CHECK(log_level_parse(NULL, &got) == -1);

    /* Request id: set, truncated when absurdly long, cleared. */
    log_set_request_id(&lg, "r1");
    CHECK_STR(lg.request_id, "r1");
    char longid[300];
    memset(longid, 'r', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    log_set_request_id(&lg, longid);
    CHECK_U64(strlen(lg.request_id), sizeof lg.request_id - 1);
    log_set_request_id(&lg, NULL);
    CHECK_STR(lg.request_id, "");
}

static void test_defaults(void) {
    struct log_ctx lg;
    log_init(&lg, NULL, LOG_LEVEL_INFO, NULL, NULL);
    CHECK(lg.out == stdout);
    char *line = log_format(&lg, LOG_LEVEL_INFO, NULL, NULL, 0);
    cJSON *o = cJSON_Parse(line);
    const char *ts = member_str(o, "timestamp");
    /* The real clock gives a plausible RFC 3339 UTC time with milliseconds. */
    CHECK(ts != NULL && strlen(ts) == 24 && ts[4] == '-' && ts[10] == 'T' && ts[19] == '.' &&
          ts[23] == 'Z' && strncmp(ts, "20", 2) == 0);
    CHECK_STR(member_str(o, "message"), "");
    cJSON_Delete(o);
    free(line);
}

int main(void) {
    test_rfc3339();
    test_line();
    test_levels_and_request_id();
    test_defaults();
    return check_done("lambda.function.log");
}
