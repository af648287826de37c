/* errmsg.h — formatting of the one-sentence error messages the engine returns. */
#ifndef TK_ERRMSG_H
#define TK_ERRMSG_H

#include <stddef.h>

/** Size of every internal error buffer (matches tk_result.error). */
#define TK_ERRLEN 256

/** snprintf into @p buf (truncating); a NULL or empty buffer is ignored. */
void tk_errf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
