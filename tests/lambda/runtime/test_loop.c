/*
 * test_loop.c — the invocation loop (runtime/loop.h) driven without HTTP: next -> invoke ->
 * /response, /error (failed and out-of-memory invocations), /init/error, the deadline and
 * trace id handed on, /next failures (and their counter reset), posts that fail; and the
 * Runtime API error document.
 *
 * The transport here is a scripted stand-in on purpose: this test is about the loop's
 * decisions. The real client (runtime_api.c) is driven over HTTP by the end-to-end suites
 * (tests/lambda/e2e), against the project's Runtime API emulator.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <malloc.h>

#include "check.h"
#include "runtime/loop.h"
#include "runtime/runtime_api.h"

/* What /next hands out, in turn; past the end every /next fails ("the API is gone"). */
struct step {
    bool next_fails;
    const char *id;
    int64_t deadline_ms;
    const char *trace_id;
    const char *event; /* "fail": the invocation fails; "oom": the handler runs out of memory */
};

/* One call the loop made to the Runtime API. */
struct post {
    char kind[16]; /* "response", "error", "init_error" */
    char id[64];
    char a[128]; /* body, or error type */
    char b[128]; /* error message */
};

struct fake_api {
    const struct step *steps;
    size_t n_steps, at;
    unsigned next_calls;
    bool posts_fail;
    struct post posts[8];
    size_t n_posts;
};

struct fake_fn {
    bool init_fails;
    unsigned inits, invokes, dones;
    char trace_env[8][64]; /* _X_AMZN_TRACE_ID as the handler saw it */
    int64_t deadline[8];
    char request_id[8][128];
    char response[128];
    char reports[8][160];
    size_t n_reports;
};

static int record(struct fake_api *api, const char *kind, const char *id, const char *a,
                  const char *b, char *err, size_t errlen) {
    if (api->posts_fail) {
        snprintf(err, errlen, "HTTP 500 from the fake API");
        return -1;
    }
    struct post *p = &api->posts[api->n_posts++];
    snprintf(p->kind, sizeof p->kind, "%s", kind);
    snprintf(p->id, sizeof p->id, "%s", id ? id : "");
    snprintf(p->a, sizeof p->a, "%s", a ? a : "");
    snprintf(p->b, sizeof p->b, "%s", b ? b : "");
    return 0;
}

static int api_next(void *ctx, struct runtime_invocation *inv, char *err, size_t errlen) {
    struct fake_api *api = ctx;
    api->next_calls++;
    memset(inv, 0, sizeof *inv);
    const struct step *s = api->at < api->n_steps ? &api->steps[api->at++] : NULL;
    if (s == NULL || s->next_fails) {
        snprintf(err, errlen, s ? "connection refused" : "the API is gone");
        return -1;
    }
    snprintf(inv->request_id, sizeof inv->request_id, "%s", s->id);
    snprintf(inv->trace_id, sizeof inv->trace_id, "%s", s->trace_id);
    inv->deadline_ms = s->deadline_ms;
    inv->event = strdup(s->event);
    inv->event_len = strlen(s->event);
    return 0;
}

static int api_respond(void *ctx, const char *id, const char *body, size_t len, char *err,
                       size_t errlen) {
    CHECK(len == strlen(body));
    return record(ctx, "response", id, body, NULL, err, errlen);
}

static int api_error(void *ctx, const char *id, const char *type, const char *msg, char *err,
                     size_t errlen) {
    return record(ctx, "error", id, type, msg, err, errlen);
}

static int api_init_error(void *ctx, const char *type, const char *msg, char *err, size_t errlen) {
    return record(ctx, "init_error", NULL, type, msg, err, errlen);
}

static int fn_init(void *ctx, struct runtime_init_failure *why) {
    struct fake_fn *fn = ctx;
    fn->inits++;
    if (fn->init_fails) {
        snprintf(why->type, sizeof why->type, "Runtime.InvalidConfiguration");
        snprintf(why->message, sizeof why->message, "invalid configuration: JPEG_QUALITY='0'");
        return -1;
    }
    return 0;
}

static int fn_invoke(void *ctx, const struct runtime_invocation *inv, struct runtime_result *res) {
    struct fake_fn *fn = ctx;
    unsigned i = fn->invokes++;
    const char *trace = getenv("_X_AMZN_TRACE_ID");
    snprintf(fn->trace_env[i], sizeof fn->trace_env[i], "%s", trace ? trace : "(unset)");
    snprintf(fn->request_id[i], sizeof fn->request_id[i], "%s", inv->request_id);
    fn->deadline[i] = inv->deadline_ms;
    CHECK(res->response == NULL && !res->failed); /* the loop hands over a clean result */
    if (strcmp(inv->event, "oom") == 0) {
        return -1;
    }
    if (strcmp(inv->event, "fail") == 0) {
        *res = (struct runtime_result){
            .failed = true, .error_type = "Thumbnail.TransientError", .error_message = "try again"};
        return 0;
    }
    snprintf(fn->response, sizeof fn->response, "{\"echo\":\"%s\"}", inv->event);
    res->response = fn->response;
    return 0;
}

static void fn_done(void *ctx, struct runtime_result *res) {
    struct fake_fn *fn = ctx;
    fn->dones++;
    CHECK(res != NULL);
}

static void fn_report(void *ctx, const char *message, const char *error) {
    struct fake_fn *fn = ctx;
    if (fn->n_reports < 8) {
        snprintf(fn->reports[fn->n_reports], sizeof fn->reports[0], "%s: %s", message, error);
    }
    fn->n_reports++;
}

/* Run the loop over @p steps; no pause between failed /next calls. */
static int run(struct fake_api *api, struct fake_fn *fn, const struct step *steps, size_t n) {
    api->steps = steps;
    api->n_steps = n;
    struct runtime_transport t = {api, api_next, api_respond, api_error, api_init_error};
    struct runtime_handler h = {fn, fn_init, fn_invoke, fn_done, fn_report};
    struct runtime_options o = {.next_failures_max = 3, .next_retry_ms = 0};
    return runtime_run(&t, &h, &o);
}

#define CHECK_POST(p, kind_, id_, a_, b_)                                                          \
    do {                                                                                           \
        CHECK_STR((p).kind, kind_);                                                                \
        CHECK_STR((p).id, id_);                                                                    \
        CHECK_STR((p).a, a_);                                                                      \
        CHECK_STR((p).b, b_);                                                                      \
    } while (0)

static void test_invocations(void) {
    static const struct step steps[] = {
        {false, "id-1", 1700000000123, "Root=1-5759e988-bd862e3fe1be46a994272793", "hello"},
        {false, "id-2", 0, "", "fail"},
        {false, "id-3", 5, "Root=2", "oom"},
    };
    struct fake_api api = {0};
    struct fake_fn fn = {0};
    setenv("_X_AMZN_TRACE_ID", "stale", 1);
    CHECK(run(&api, &fn, steps, 3) == 1); /* gives up once the API is gone */
    CHECK_U64(fn.inits, 1);
    CHECK_U64(fn.invokes, 3);
    CHECK_U64(fn.dones, 3); /* every result released, the failed ones too */
    CHECK_U64(api.next_calls, 3 + 3);
    CHECK_U64(api.n_posts, 3);
    CHECK_POST(api.posts[0], "response", "id-1", "{\"echo\":\"hello\"}", "");
    CHECK_POST(api.posts[1], "error", "id-2", "Thumbnail.TransientError", "try again");
    CHECK_POST(api.posts[2], "error", "id-3", "Runtime.OutOfMemory",
               "out of memory handling the invocation");
    /* Deadline and request id reach the handler; the trace id is in _X_AMZN_TRACE_ID while
     * the handler runs, and unset for an invocation without one. */
    CHECK_STR(fn.request_id[0], "id-1");
    CHECK_U64(fn.deadline[0], 1700000000123);
    CHECK_U64(fn.deadline[1], 0);
    CHECK_U64(fn.deadline[2], 5);
    CHECK_STR(fn.trace_env[0], "Root=1-5759e988-bd862e3fe1be46a994272793");
    CHECK_STR(fn.trace_env[1], "(unset)");
    CHECK_STR(fn.trace_env[2], "Root=2");
    CHECK_U64(fn.n_reports, 3);
    CHECK_STR(fn.reports[0], "cannot get the next invocation: the API is gone");
}

/* A warm sandbox sees a new trace id per invocation: the environment must not keep them all
 * (glibc's setenv() does, 80-odd bytes each). 20,000 invocations, heap growth measured. */
struct many {
    unsigned left, seen;
};

static int many_next(void *ctx, struct runtime_invocation *inv, char *err, size_t errlen) {
    struct many *m = ctx;
    memset(inv, 0, sizeof *inv);
    if (m->left == 0) {
        snprintf(err, errlen, "the API is gone");
        return -1;
    }
    m->left--;
    snprintf(inv->request_id, sizeof inv->request_id, "r%u", m->left);
    snprintf(inv->trace_id, sizeof inv->trace_id, "Root=1-5759e988-%024u;Sampled=1", m->left);
    inv->event = strdup("{}");
    inv->event_len = 2;
    return 0;
}

static int many_post(void *ctx, const char *id, const char *body, size_t len, char *err,
                     size_t errlen) {
    (void)ctx, (void)id, (void)body, (void)len, (void)err, (void)errlen;
    return 0;
}

static int many_invoke(void *ctx, const struct runtime_invocation *inv,
                       struct runtime_result *res) {
    struct many *m = ctx;
    const char *trace = getenv("_X_AMZN_TRACE_ID");
    m->seen += trace != NULL && strcmp(trace, inv->trace_id) == 0;
    res->response = "{}";
    return 0;
}

static void many_report(void *ctx, const char *message, const char *error) {
    (void)ctx, (void)message, (void)error;
}

static void test_trace_env_does_not_grow(void) {
    struct many m = {.left = 20000};
    struct runtime_transport t = {&m, many_next, many_post, NULL, NULL};
    struct runtime_handler h = {&m, NULL, many_invoke, NULL, many_report};
    struct runtime_options o = {.next_failures_max = 1, .next_retry_ms = 0};
    struct mallinfo2 before = mallinfo2();
    CHECK(runtime_run(&t, &h, &o) == 1);
    struct mallinfo2 after = mallinfo2();
    CHECK_U64(m.seen, 20000); /* every handler saw its own trace id */
    size_t grown = after.uordblks > before.uordblks ? after.uordblks - before.uordblks : 0;
    CHECKF(grown < 16 * 1024, "the heap grew by %zu bytes over 20000 trace ids", grown);
}

static void test_next_failures_reset(void) {
    /* Two failures, a success, then failures again: only three in a row end the loop. */
    static const struct step steps[] = {
        {true, NULL, 0, NULL, NULL}, {true, NULL, 0, NULL, NULL}, {false, "a", 0, "", "x"},
        {true, NULL, 0, NULL, NULL}, {true, NULL, 0, NULL, NULL},
    };
    struct fake_api api = {0};
    struct fake_fn fn = {0};
    CHECK(run(&api, &fn, steps, 5) == 1);
    CHECK_U64(api.next_calls, 6);
    CHECK_U64(fn.invokes, 1);
    CHECK_U64(api.n_posts, 1);
    CHECK_STR(fn.reports[0], "cannot get the next invocation: connection refused");
    CHECK_U64(fn.n_reports, 5);
}

static void test_post_fails(void) {
    static const struct step steps[] = {{false, "p", 0, "", "x"}};
    struct fake_api api = {.posts_fail = true};
    struct fake_fn fn = {0};
    CHECK(run(&api, &fn, steps, 1) == 1);
    CHECK_U64(fn.invokes, 1);
    CHECK_U64(fn.dones, 1);
    CHECK_STR(fn.reports[0], "cannot post the invocation result: HTTP 500 from the fake API");
}

static void test_init_error(void) {
    static const struct step steps[] = {{false, "never", 0, "", "x"}};
    struct fake_api api = {0};
    struct fake_fn fn = {.init_fails = true};
    CHECK(run(&api, &fn, steps, 1) == 1);
    CHECK_U64(api.next_calls, 0); /* no /next after a failed init */
    CHECK_U64(fn.invokes, 0);
    CHECK_U64(api.n_posts, 1);
    CHECK_POST(api.posts[0], "init_error", "", "Runtime.InvalidConfiguration",
               "invalid configuration: JPEG_QUALITY='0'");
    CHECK_U64(fn.n_reports, 0);

    /* ...and when even /init/error cannot be posted, the function hears of it. */
    struct fake_api down = {.posts_fail = true};
    struct fake_fn fn2 = {.init_fails = true};
    CHECK(run(&down, &fn2, steps, 1) == 1);
    CHECK_U64(fn2.n_reports, 1);
    CHECK_STR(fn2.reports[0], "cannot report the init error: HTTP 500 from the fake API");
}

static void test_defaults_and_error_body(void) {
    struct runtime_options o = runtime_options_default();
    CHECK_U64(o.next_failures_max, 3);
    CHECK_U64(o.next_retry_ms, 100);
    char *b = runtime_error_body("Thumbnail.TransientError", "a \"quoted\"\nmessage");
    CHECK_STR(b, "{\"errorMessage\":\"a \\\"quoted\\\"\\nmessage\",\"errorType\":"
                 "\"Thumbnail.TransientError\",\"stackTrace\":[]}");
    free(b);
}

int main(void) {
    test_trace_env_does_not_grow();
    test_invocations();
    test_next_failures_reset();
    test_post_fails();
    test_init_error();
    test_defaults_and_error_body();
    return check_done("lambda.runtime.loop");
}
