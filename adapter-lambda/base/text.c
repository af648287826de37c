/* text.c — bounded string helpers (see text.h). */
#define _GNU_SOURCE
#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void text_copyn(char *out, size_t outlen, const char *s, size_t n) {
    if (outlen == 0) {
        return;
    }
    if (s == NULL) {
        n = 0;
    }
    if (n >= outlen) {
        n = outlen - 1;
    }
    if (n > 0) {
        memcpy(out, s, n);
    }
    out[n] = '\0';
}

void text_copy(char *out, size_t outlen, const char *s) {
    text_copyn(out, outlen, s, s != NULL ? strlen(s) : 0);
}

size_t text_printable(char *out, size_t outlen, const char *in, bool keep_space, const char *drop) {
    size_t o = 0;
    if (outlen == 0) {
        return 0;
    }
    for (const char *p = in != NULL ? in : ""; *p != '\0' && o + 1 < outlen; p++) {
        unsigned char c = (unsigned char)*p;
        bool printable = (c > 0x20 || (keep_space && c == 0x20)) && c < 0x7f;
        if (printable && (drop == NULL || strchr(drop, c) == NULL)) {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return o;
}

void text_vformat(char *out, size_t outlen, const char *fmt, va_list ap) {
    if (out != NULL && outlen > 0) {
        vsnprintf(out, outlen, fmt, ap);
    }
}

void text_format(char *out, size_t outlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    text_vformat(out, outlen, fmt, ap);
    va_end(ap);
}

char *text_printf(const char *fmt, ...) {
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    return n < 0 ? NULL : s; /* vasprintf leaves the pointer undefined on failure */
}
