/*
 * main.c — the `bootstrap` of the thumbkit Lambda custom runtime.
 *
 *   bootstrap               init, then loop: /next -> handle -> /response | /error
 *   bootstrap --event FILE  handle one event from FILE without the Runtime API; the response
 *                           JSON goes to stdout, logs and the EMF line to stderr
 *
 * Init loads the configuration and credentials from the environment; if they are invalid
 * the reason is posted to /init/error and the process exits with status 1.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "handler.h"
#include "log.h"
#include "runtime_api.h"
#include "s3.h"
#include "thumbkit.h"

#define NEXT_FAILURES_MAX 3
#define EVENT_FILE_MAX    (6u * 1024u * 1024u) /* Lambda's synchronous payload limit */

static double mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void usage(FILE *out) {
    fputs("usage: bootstrap                (Lambda custom runtime: needs AWS_LAMBDA_RUNTIME_API)\n"
          "       bootstrap --event FILE   (handle one event locally; response JSON on stdout,\n"
          "                                 logs on stderr)\n"
          "       bootstrap --version\n",
          out);
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, cap);
            if (!p) {
                snprintf(err, errlen, "out of memory reading %s", path);
                goto fail;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > EVENT_FILE_MAX) {
            snprintf(err, errlen, "%s is larger than %u bytes", path, EVENT_FILE_MAX);
            goto fail;
        }
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "cannot read %s", path);
        goto fail;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

/* Report an init failure: log it, post it to /init/error (when a Runtime API exists). */
static void init_failed(struct log_ctx *lg, struct runtime_client *rc, const char *type,
                        const char *msg) {
    char err[512];
    struct log_field f[] = {LOG_F_STR("errorType", type), LOG_F_STR("error", msg)};
    log_write(lg, LOG_LEVEL_FATAL, "initialisation failed", f, 2);
    if (rc && runtime_init_error(rc, type, msg, err, sizeof err) != 0) {
        struct log_field g[] = {LOG_F_STR("error", err)};
        log_write(lg, LOG_LEVEL_ERROR, "cannot report the init error", g, 1);
    }
}

static int run_one_event(struct handler *h, const char *path) {
    char err[512];
    size_t len = 0;
    struct handler_result res = {0};
    char *event = read_file(path, &len, err, sizeof err);
    if (!event) {
        struct log_field f[] = {LOG_F_STR("error", err)};
        log_write(h->log, LOG_LEVEL_FATAL, "cannot read the event", f, 1);
        return 1;
    }
    log_set_request_id(h->log, "local");
    int status = 1;
    if (handler_invoke(h, event, len, "local", 0, NULL, &res) == 0) {
        if (res.failed) {
            char *body = runtime_error_body(res.error_type, res.error_message);
            if (body) {
                puts(body);
                free(body);
            }
            status = 2;
        } else {
            puts(res.response);
            status = 0;
        }
        fflush(stdout);
    }
    handler_result_free(&res);
    free(event);
    return status;
}

static int loop(struct handler *h, struct runtime_client *rc) {
    char err[512];
    unsigned next_failures = 0;
    for (;;) {
        struct runtime_invocation inv;
        if (runtime_next(rc, &inv, err, sizeof err) != 0) {
            struct log_field f[] = {LOG_F_STR("error", err)};
            log_write(h->log, LOG_LEVEL_ERROR, "cannot get the next invocation", f, 1);
            if (++next_failures >= NEXT_FAILURES_MAX)
                return 1;
            struct timespec ts = {0, 100 * 1000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        next_failures = 0;
        log_set_request_id(h->log, inv.request_id);
        if (inv.trace_id[0])
            setenv("_X_AMZN_TRACE_ID", inv.trace_id, 1);
        else
            unsetenv("_X_AMZN_TRACE_ID");

        struct handler_result res;
        int hr = handler_invoke(h, inv.event, inv.event_len, inv.request_id, inv.deadline_ms,
                                inv.trace_id, &res);
        int pr;
        if (hr != 0)
            pr = runtime_error(rc, inv.request_id, "Runtime.OutOfMemory",
                               "out of memory handling the invocation", err, sizeof err);
        else if (res.failed)
            pr = runtime_error(rc, inv.request_id, res.error_type, res.error_message, err,
                               sizeof err);
        else
            pr = runtime_respond(rc, inv.request_id, res.response, strlen(res.response), err,
                                 sizeof err);
        if (pr != 0) {
            struct log_field f[] = {LOG_F_STR("error", err)};
            log_write(h->log, LOG_LEVEL_ERROR, "cannot post the invocation result", f, 1);
        }
        handler_result_free(&res);
        runtime_invocation_free(&inv);
        log_set_request_id(h->log, NULL);
    }
}

int main(int argc, char **argv) {
    double t0 = mono_ms();
    const char *event_file = NULL;
    int status = 1;
    char err[512];
    struct config cfg = {0};
    struct log_ctx lg;
    struct runtime_client rc = {0};
    bool have_rc = false;
    struct s3_client *s3 = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--event") == 0 && i + 1 < argc) {
            event_file = argv[++i];
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("thumbkit bootstrap %s\n", tk_version());
            return 0;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 64;
        }
    }

    /* In --event mode stdout carries only the response; everything else goes to stderr. */
    FILE *logout = event_file ? stderr : stdout;
    log_init(&lg, logout, LOG_LEVEL_INFO, NULL, NULL);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_write(&lg, LOG_LEVEL_FATAL, "curl_global_init failed", NULL, 0);
        return 1;
    }
    if (!event_file) {
        if (runtime_client_init(&rc, getenv("AWS_LAMBDA_RUNTIME_API"), err, sizeof err) != 0) {
            /* Without a Runtime API there is nobody to tell but the log. */
            init_failed(&lg, NULL, "Runtime.NoRuntimeApi", err);
            goto cleanup;
        }
        have_rc = true;
    }
    if (config_load(&cfg, NULL, NULL, err, sizeof err) != 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "invalid configuration: %s", err);
        init_failed(&lg, have_rc ? &rc : NULL, "Runtime.InvalidConfiguration", msg);
        goto cleanup;
    }
    log_init(&lg, logout, cfg.log_level, NULL, NULL);

    struct s3_config s3c = {
        .region = cfg.region,
        .endpoint_url = cfg.endpoint_url,
        .access_key_id = getenv("AWS_ACCESS_KEY_ID"),
        .secret_access_key = getenv("AWS_SECRET_ACCESS_KEY"),
        .session_token = getenv("AWS_SESSION_TOKEN"),
    };
    if (s3_client_create(&s3c, &s3, err, sizeof err) != 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "invalid configuration: %s", err);
        init_failed(&lg, have_rc ? &rc : NULL, "Runtime.InvalidConfiguration", msg);
        goto cleanup;
    }

    struct handler h = {.cfg = &cfg, .s3 = s3, .log = &lg, .metrics_out = logout};
    {
        struct log_field f[] = {
            LOG_F_STR("simd", tk_simd_name()),
            LOG_F_STR("version", tk_version()),
            LOG_F_STR("mode", event_file ? "event-file" : "runtime-api"),
            LOG_F_STR("region", cfg.region),
            LOG_F_STR("endpoint", cfg.endpoint_url ? cfg.endpoint_url : "aws"),
            LOG_F_STR("destBucket", cfg.dest_bucket),
            LOG_F_STR("keyPrefix", cfg.key_prefix),
            LOG_F_INT("thumbWidth", cfg.thumb_width),
            LOG_F_INT("thumbHeight", cfg.thumb_height),
            LOG_F_NUM("initMs", mono_ms() - t0),
        };
        log_write(&lg, LOG_LEVEL_INFO, "cold start", f, sizeof f / sizeof f[0]);
    }

    status = event_file ? run_one_event(&h, event_file) : loop(&h, &rc);

cleanup:
    s3_client_free(s3);
    if (have_rc)
        runtime_client_cleanup(&rc);
    config_free(&cfg);
    curl_global_cleanup();
    return status;
}
