/* errmsg.h — formatting of the one-sentence error messages the engine returns. */
#ifndef TK_ERRMSG_H
#define TK_ERRMSG_H

#include <stddef.h>
#include <stdint.h>

#include "thumbkit.h"

/** Size of every internal error buffer (matches tk_result.error). */
#define TK_ERRLEN 256

/** snprintf into @p buf (truncating); a NULL or empty buffer is ignored. */
void tk_errf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** Write the standard "image is WxH (N MP), above the limit" sentence into @p err. */
void tk_err_too_many_pixels(char *err, size_t errlen, uint32_t w, uint32_t h, uint64_t max_pixels);

/**
 * The size check every decoder makes from its header, before allocating: at most
 * @p max_pixels, and no side over TK_MAX_SOURCE_SIDE (row buffers and resampler tables grow
 * with a side, not with the area).
 * @return TK_OK, or TK_ERR_TOO_LARGE with the sentence in @p err
 */
enum tk_status tk_check_source_size(uint32_t w, uint32_t h, uint64_t max_pixels, char *err,
                                    size_t errlen);

#endif
