/* env.c — the injected environment (see env.h). */
#include "base/env.h"

#include <stdlib.h>

static const char *process_get(const char *name, void *ctx) {
    (void)ctx;
    return getenv(name);
}

struct env env_process(void) {
    return (struct env){process_get, NULL};
}

const char *env_raw(const struct env *e, const char *name) {
    return e != NULL ? e->get(name, e->ctx) : getenv(name);
}

const char *env_get(const struct env *e, const char *name) {
    const char *v = env_raw(e, name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}
