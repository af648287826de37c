/*
 * checksum.c — S3's full-object checksums over bytes in memory (see checksum.h).
 */
#include "aws/checksum.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "base/text.h"

/* Reflected polynomials, initial value and final XOR all ones. */
#define CRC32_POLY     0xEDB88320u
#define CRC32C_POLY    0x82F63B78u
#define CRC64NVME_POLY 0x9A6C9329AC4BC9B5ull

static uint32_t crc32_table[256];
static uint32_t crc32c_table[256];
static uint64_t crc64_table[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t b = i, c = i;
        uint64_t d = i;
        for (int k = 0; k < 8; k++) {
            b = b & 1 ? (b >> 1) ^ CRC32_POLY : b >> 1;
            c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
            d = d & 1 ? (d >> 1) ^ CRC64NVME_POLY : d >> 1;
        }
        crc32_table[i] = b;
        crc32c_table[i] = c;
        crc64_table[i] = d;
    }
}

static uint32_t crc32_with(const uint32_t *table, const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c = table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    }
    return ~c;
}

static uint64_t crc64nvme(const uint8_t *p, size_t n) {
    uint64_t c = ~0ull;
    while (n--) {
        c = crc64_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    }
    return ~c;
}

/* The digest of @p algo into @p out (big-endian for the CRCs); @return its length or 0. */
static size_t digest(const char *algo, const uint8_t *data, size_t len, uint8_t out[64]) {
    pthread_once(&tables_once, build_tables);
    if (strcmp(algo, "crc32") == 0 || strcmp(algo, "crc32c") == 0) {
        uint32_t c = crc32_with(algo[5] == 'c' ? crc32c_table : crc32_table, data, len);
        for (int i = 0; i < 4; i++) {
            out[i] = (uint8_t)(c >> (24 - 8 * i));
        }
        return 4;
    }
    if (strcmp(algo, "crc64nvme") == 0) {
        uint64_t c = crc64nvme(data, len);
        for (int i = 0; i < 8; i++) {
            out[i] = (uint8_t)(c >> (56 - 8 * i));
        }
        return 8;
    }
    const EVP_MD *md = strcmp(algo, "sha256") == 0 ? EVP_sha256()
                       : strcmp(algo, "sha1") == 0 ? EVP_sha1()
                       : strcmp(algo, "md5") == 0  ? EVP_md5()
                                                   : NULL;
    unsigned int n = 0;
    if (md == NULL || EVP_Digest(data, len, out, &n, md, NULL) != 1) {
        return 0;
    }
    return n;
}

int checksum_base64(const char *algo, const void *data, size_t len, char *out, size_t outlen) {
    uint8_t d[64];
    size_t n = digest(algo, data, len, d);
    if (n == 0 || outlen < 4 * ((n + 2) / 3) + 1) {
        text_copy(out, outlen, "");
        return -1;
    }
    EVP_EncodeBlock((unsigned char *)out, d, (int)n);
    return 0;
}

enum checksum_result checksum_verify(const void *data, size_t len, checksum_header_fn header,
                                     void *ctx, const char **algo) {
    static const char *const algos[] = {"crc64nvme", "crc32c", "crc32", "sha256", "sha1"};
    char type[32], given[128], name[40], mine[96];
    if (algo) {
        *algo = "";
    }
    if (header(ctx, "x-amz-checksum-type", type, sizeof type) && strcmp(type, "FULL_OBJECT") != 0) {
        return CHECKSUM_NONE; /* COMPOSITE: a checksum of part checksums */
    }
    for (size_t i = 0; i < sizeof algos / sizeof algos[0]; i++) {
        snprintf(name, sizeof name, "x-amz-checksum-%s", algos[i]);
        if (!header(ctx, name, given, sizeof given) || strchr(given, '-') != NULL) {
            continue;
        }
        if (algo) {
            *algo = algos[i];
        }
        if (checksum_base64(algos[i], data, len, mine, sizeof mine) != 0) {
            return CHECKSUM_NONE;
        }
        return strcmp(mine, given) == 0 ? CHECKSUM_MATCH : CHECKSUM_MISMATCH;
    }
    return CHECKSUM_NONE;
}

int checksum_md5_hex(const void *data, size_t len, char out[33]) {
    uint8_t d[64];
    out[0] = '\0';
    if (digest("md5", data, len, d) != 16) {
        return -1;
    }
    for (int i = 0; i < 16; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
    return 0;
}
