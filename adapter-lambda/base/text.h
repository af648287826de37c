/*
 * text.h — bounded string helpers shared by every room: truncating copies, header-safe
 * filtering, and formatting into a fresh allocation.
 *
 * Thread-safety: reentrant, no global state.
 */
#ifndef TK_LAMBDA_BASE_TEXT_H
#define TK_LAMBDA_BASE_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/** Copy at most @p n bytes of @p s into @p out (@p outlen bytes), truncating to fit, always
 *  NUL-terminated when @p outlen > 0. A NULL @p s copies "". */
void text_copyn(char *out, size_t outlen, const char *s, size_t n);

/** text_copyn() of the whole NUL-terminated @p s. */
void text_copy(char *out, size_t outlen, const char *s);

/**
 * Copy the bytes of @p in that may stand in an HTTP header value: printable ASCII (0x21-0x7e,
 * plus the space when @p keep_space), without the bytes listed in @p drop (NULL: none).
 * The result is truncated to fit @p outlen and NUL-terminated. A NULL @p in gives "".
 * @return the length of the result
 */
size_t text_printable(char *out, size_t outlen, const char *in, bool keep_space, const char *drop);

/** printf into @p out (@p outlen bytes), truncated to fit; nothing happens when @p out is NULL
 *  or @p outlen is 0. */
void text_format(char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** text_format() with a va_list. */
void text_vformat(char *out, size_t outlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/**
 * printf into a malloc'd string.
 * @return the string (free()), or NULL when memory runs out
 */
char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TK_LAMBDA_BASE_TEXT_H */
