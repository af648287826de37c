/*
 * base64.h — RFC 4648 base64: the standard alphabet (API Gateway's isBase64Encoded bodies)
 * and the URL-safe one without padding (opaque pagination cursors).
 *
 * Hand-written (40 lines): libc has none, and base/ stays free of OpenSSL (whose
 * EVP_DecodeBlock also accepts embedded white space and pads its output with zero bytes).
 * Thread-safety: reentrant.
 */
#ifndef TK_LAMBDA_BASE_BASE64_H
#define TK_LAMBDA_BASE_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/**
 * Decode @p n bytes of base64 at @p in (standard alphabet with '=' padding, or when @p url
 * the URL-safe alphabet with or without padding). Anything else (white space, bad padding,
 * stray characters) is refused.
 * @param out      receives a malloc'd buffer (free()) of *out_len bytes plus a NUL
 * @return 0, or -1 on malformed input or when memory runs out
 */
int base64_decode(const char *in, size_t n, bool url, unsigned char **out, size_t *out_len);

/**
 * Encode @p n bytes (standard alphabet with padding, or URL-safe without padding).
 * @return a malloc'd NUL-terminated string (free()), or NULL when memory runs out
 */
char *base64_encode(const void *data, size_t n, bool url);

#endif /* TK_LAMBDA_BASE_BASE64_H */
