/*
 * checksum.h — the full-object checksums S3 reports (x-amz-checksum-*), computed over bytes
 * in memory, so a downloaded body can be checked against the object S3 stored.
 *
 * S3 gives a checksum on GetObject when asked (x-amz-checksum-mode: ENABLED) and the object
 * has one: CRC64NVME for every object uploaded since 2025 without one of its own, or the
 * algorithm the uploader chose (CRC32, CRC32C, SHA-1, SHA-256). Values are base64 of the
 * big-endian digest. Composite checksums of multipart uploads ("...-N") describe parts, not
 * the object, and are not checked.
 *
 * SHA-1, SHA-256 (and MD5 for Content-MD5) are OpenSSL's; the three CRCs are one table-driven
 * loop here, one table per polynomial (a few lines: Debian ships no maintained C library for
 * CRC64/NVME, and the adapter's rooms do not link zlib for CRC32 alone).
 *
 * Thread-safety: reentrant; the tables are built once (pthread_once).
 */
#ifndef TK_LAMBDA_AWS_CHECKSUM_H
#define TK_LAMBDA_AWS_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>

/** The result of checking a body against the checksum headers of its response. */
enum checksum_result {
    CHECKSUM_NONE,     /**< no full-object checksum to check against */
    CHECKSUM_MATCH,    /**< a checksum was given and the body matches it */
    CHECKSUM_MISMATCH, /**< a checksum was given and the body does not match it */
};

/** A response header lookup: copy header @p name into @p out; @return true when present. */
typedef bool (*checksum_header_fn)(void *ctx, const char *name, char *out, size_t outlen);

/**
 * Check @p len bytes at @p data against the first x-amz-checksum-{crc64nvme,crc32c,crc32,
 * sha256,sha1} header @p header finds, unless x-amz-checksum-type says COMPOSITE or the value
 * carries a part count.
 * @param algo  receives the algorithm checked ("crc32", ...) or "" (may be NULL)
 * @return the result
 */
enum checksum_result checksum_verify(const void *data, size_t len, checksum_header_fn header,
                                     void *ctx, const char **algo);

/**
 * The base64 value of algorithm @p algo ("crc64nvme", "crc32c", "crc32", "sha256", "sha1",
 * "md5") over @p data, as S3 writes it in x-amz-checksum-* (and Content-MD5 for "md5").
 * @param out  at least 64 bytes
 * @return 0, or -1 for an unknown algorithm or an OpenSSL failure
 */
int checksum_base64(const char *algo, const void *data, size_t len, char *out, size_t outlen);

/**
 * The lower-case hex MD5 of @p data: what S3 answers as the ETag of a single PutObject.
 * @return 0, or -1 when OpenSSL fails (@p out then "")
 */
int checksum_md5_hex(const void *data, size_t len, char out[33]);

#endif /* TK_LAMBDA_AWS_CHECKSUM_H */
