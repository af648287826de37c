/*
 * loop.c — the invocation loop (see loop.h).
 */
#include "runtime/loop.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ERR_LEN 512

void runtime_invocation_free(struct runtime_invocation *inv) {
    if (!inv) {
        return;
    }
    free(inv->event);
    memset(inv, 0, sizeof *inv);
}

struct runtime_options runtime_options_default(void) {
    return (struct runtime_options){.next_failures_max = 3, .next_retry_ms = 100};
}

static void pause_ms(uint32_t ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The trace header of the invocation, where the X-Ray SDK looks for it.
 *
 * Not setenv(): glibc keeps every distinct value ever set (it cannot know whether someone
 * still points at an old one), so a warm sandbox that sees a new trace id per invocation
 * would grow without end. putenv() makes the environment point at this buffer instead, and
 * each invocation rewrites the buffer in place: no allocation per invocation at all. */
#define TRACE_ENV_NAME "_X_AMZN_TRACE_ID="
static char trace_env[sizeof TRACE_ENV_NAME + sizeof((struct runtime_invocation *)0)->trace_id];

static void set_trace_env(const char *trace_id) {
    if (!trace_id[0]) {
        unsetenv("_X_AMZN_TRACE_ID");
        return;
    }
    /* Still ours unless someone else set the variable since (then point it back). */
    bool installed = getenv("_X_AMZN_TRACE_ID") == trace_env + sizeof TRACE_ENV_NAME - 1;
    snprintf(trace_env, sizeof trace_env, "%s%s", TRACE_ENV_NAME, trace_id);
    if (!installed) {
        putenv(trace_env);
    }
}

/* Handle one invocation and post its result. */
static void serve(const struct runtime_transport *t, const struct runtime_handler *h,
                  const struct runtime_invocation *inv) {
    char err[ERR_LEN];
    struct runtime_result res;
    memset(&res, 0, sizeof res);
    set_trace_env(inv->trace_id);
    int pr;
    if (h->invoke(h->ctx, inv, &res) != 0) {
        pr = t->error(t->ctx, inv->request_id, "Runtime.OutOfMemory",
                      "out of memory handling the invocation", err, sizeof err);
    } else if (res.failed) {
        pr = t->error(t->ctx, inv->request_id, res.error_type, res.error_message, err, sizeof err);
    } else {
        const char *body = res.response ? res.response : "";
        pr = t->respond(t->ctx, inv->request_id, body, strlen(body), err, sizeof err);
    }
    if (pr != 0) {
        h->report(h->ctx, "cannot post the invocation result", err);
    }
    if (h->done) {
        h->done(h->ctx, &res);
    }
}

int runtime_run(const struct runtime_transport *t, const struct runtime_handler *h,
                const struct runtime_options *opt) {
    struct runtime_options o = opt ? *opt : runtime_options_default();
    char err[ERR_LEN];
    if (h->init) {
        struct runtime_init_failure why;
        memset(&why, 0, sizeof why);
        if (h->init(h->ctx, &why) != 0) {
            if (t->init_error(t->ctx, why.type, why.message, err, sizeof err) != 0) {
                h->report(h->ctx, "cannot report the init error", err);
            }
            return 1;
        }
    }
    unsigned next_failures = 0;
    for (;;) {
        struct runtime_invocation inv;
        if (t->next(t->ctx, &inv, err, sizeof err) != 0) {
            h->report(h->ctx, "cannot get the next invocation", err);
            if (++next_failures >= o.next_failures_max) {
                return 1;
            }
            pause_ms(o.next_retry_ms);
            continue;
        }
        next_failures = 0;
        serve(t, h, &inv);
        runtime_invocation_free(&inv);
    }
}
