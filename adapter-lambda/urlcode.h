/*
 * urlcode.h — decoding of form-URL-encoded strings (S3 object keys in events).
 *
 * S3 event notifications (direct, via SQS, via SNS) and S3 Batch Operations
 * tasks carry object keys form-URL-encoded: a space is '+', a literal '+' is
 * "%2B", other reserved or non-ASCII bytes are "%XX". Keys are decoded once,
 * when the event is parsed; the S3 client percent-encodes them again per SigV4.
 *
 * Thread-safety: reentrant, no global state.
 */
#ifndef TK_LAMBDA_URLCODE_H
#define TK_LAMBDA_URLCODE_H

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

#endif /* TK_LAMBDA_URLCODE_H */
