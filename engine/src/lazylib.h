/* lazylib.h — shared libraries loaded on first use (dlopen), so that a JPEG-only process never
 * maps the codecs and colour engine it does not need: a Lambda cold start pays for none of them. */
#ifndef TK_LAZYLIB_H
#define TK_LAZYLIB_H

#include <stdbool.h>
#include <stddef.h>

/**
 * dlopen the first of @p sonames (NULL-terminated) that loads, with RTLD_NOW | RTLD_LOCAL.
 * On failure write which library could not be loaded, and why, into @p why.
 * @return the handle, or NULL. Thread-safe (dlopen is); callers load once (pthread_once).
 */
void *tk_lazylib_open(const char *const *sonames, char *why, size_t whylen);

/**
 * dlsym @p name from @p handle; a missing symbol clears *@p ok and names itself in @p why.
 * @return the address, or NULL
 */
void *tk_lazylib_sym(void *handle, const char *name, bool *ok, char *why, size_t whylen);

/* Declare a struct member for function F with F's own type (used with X-macro lists). */
#define TK_LAZY_MEMBER(f) __typeof__(f) *f;
/* Resolve member F of API from HANDLE (inside a load function with ok, why, whylen). */
#define TK_LAZY_RESOLVE(api, handle, f)                                                            \
    (api)->f = (__typeof__(f) *)tk_lazylib_sym(handle, #f, &ok, why, whylen);

#endif
