/*
 * urlcode.h — the adapter's one percent-encoder, and decoding of form-URL-encoded keys.
 *
 * Encoding follows RFC 3986 as SigV4 requires it: the unreserved bytes A-Z a-z 0-9 - . _ ~
 * stay, every other byte (UTF-8 bytes included) becomes %XX with upper-case hex, and '/'
 * stays only when asked. SigV4 canonical requests, S3 object URLs, Runtime API request ids
 * and metadata values all use it.
 *
 * Decoding: S3 event notifications (direct, via SQS, via SNS) and S3 Batch Operations tasks
 * carry object keys form-URL-encoded: a space is '+', a literal '+' is "%2B", other reserved
 * or non-ASCII bytes are "%XX". Keys are decoded once, when the event is parsed, and encoded
 * again (urlcode_encode) where a URL or a signature needs them.
 *
 * Thread-safety: reentrant, no global state.
 */
#ifndef TK_LAMBDA_BASE_URLCODE_H
#define TK_LAMBDA_BASE_URLCODE_H

#include <stdbool.h>
#include <stddef.h>

/** @return whether @p c is an RFC 3986 unreserved byte (A-Z a-z 0-9 - . _ ~). */
bool urlcode_is_unreserved(unsigned char c);

/** @return the value of the hex digit @p c (either case), or -1. */
int urlcode_hex_value(char c);

/**
 * Percent-encode the @p n bytes at @p s into @p out (NUL-terminated).
 * @param out  NULL to only measure; else room for the returned length plus the NUL
 * @return the length of the encoding (without the NUL)
 */
size_t urlcode_encode_into(char *out, const char *s, size_t n, bool keep_slash);

/**
 * Percent-encode the NUL-terminated @p s.
 * @return a malloc'd string (free()), or NULL when @p s is NULL or memory runs out
 */
char *urlcode_encode(const char *s, bool keep_slash);

/**
 * Decode the form-URL-encoded NUL-terminated string @p in: '+' becomes a space,
 * "%XX" (hex digits, either case) becomes the byte 0xXX; every other byte is
 * copied as is. Decoded bytes are kept as they are (no UTF-8 validation: S3
 * keys are UTF-8 and S3 itself is the authority on what it accepts).
 *
 * Refused (return -1, *out untouched): a '%' not followed by two hex digits
 * ("%G1", a trailing "%4"), and "%00", which cannot be carried in a C string
 * and never occurs in a valid S3 key.
 *
 * @param in  encoded text, not NULL
 * @param out receives a malloc'd NUL-terminated decoded copy; free() it
 * @return 0 on success, -1 on malformed input or when memory runs out
 */
int urlcode_form_decode(const char *in, char **out);

/**
 * Decode the percent-encoded path segment text @p in (a URL path as API Gateway's rawPath
 * carries it): "%XX" becomes the byte 0xXX, '+' stays a plus. Refused as
 * urlcode_form_decode() refuses ("%G1", a trailing "%4", "%00").
 * @param out receives a malloc'd NUL-terminated decoded copy; free() it
 * @return 0 on success, -1 on malformed input or when memory runs out
 */
int urlcode_path_decode(const char *in, char **out);

#endif /* TK_LAMBDA_BASE_URLCODE_H */
