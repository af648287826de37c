/* errmsg.c — the one-sentence error messages the engine returns (errmsg.h). */
#include "errmsg.h"

#include <stdarg.h>
#include <stdio.h>

void tk_errf(char *buf, size_t len, const char *fmt, ...) {
    if (buf == NULL || len == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

void tk_err_too_many_pixels(char *err, size_t errlen, uint32_t w, uint32_t h, uint64_t max_pixels) {
    double mp = (double)w * (double)h / 1e6;
    tk_errf(err, errlen, "image is %ux%u (%.1f MP), above the limit of %.1f MP", (unsigned)w,
            (unsigned)h, mp, (double)max_pixels / 1e6);
}

enum tk_status tk_check_source_size(uint32_t w, uint32_t h, uint64_t max_pixels, char *err,
                                    size_t errlen) {
    if (w > TK_MAX_SOURCE_SIDE || h > TK_MAX_SOURCE_SIDE) {
        tk_errf(err, errlen, "image is %ux%u: a side is longer than %u pixels", (unsigned)w,
                (unsigned)h, TK_MAX_SOURCE_SIDE);
        return TK_ERR_TOO_LARGE;
    }
    if ((uint64_t)w * h > max_pixels) {
        tk_err_too_many_pixels(err, errlen, w, h, max_pixels);
        return TK_ERR_TOO_LARGE;
    }
    return TK_OK;
}
