/* lazylib.c — dlopen/dlsym with one-sentence failures (lazylib.h). */
#include "lazylib.h"
#include "errmsg.h"

#include <dlfcn.h>

void *tk_lazylib_open(const char *const *sonames, char *why, size_t whylen) {
    const char *last = "no library named";
    for (const char *const *s = sonames; *s != NULL; s++) {
        void *h = dlopen(*s, RTLD_NOW | RTLD_LOCAL);
        if (h != NULL) {
            return h;
        }
        last = dlerror();
    }
    tk_errf(why, whylen, "cannot load %s (%s)", sonames[0] != NULL ? sonames[0] : "(none)",
            last != NULL ? last : "unknown error");
    return NULL;
}

void *tk_lazylib_sym(void *handle, const char *name, bool *ok, char *why, size_t whylen) {
    void *f = dlsym(handle, name);
    if (f == NULL && *ok) {
        *ok = false;
        tk_errf(why, whylen, "symbol %s missing from its library", name);
    }
    return f;
}
