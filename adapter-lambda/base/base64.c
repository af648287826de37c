/* base64.c — RFC 4648 base64 (see base64.h). */
#include "base/base64.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char std_abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int value(char c, bool url) {
    const char *p = c ? strchr(url ? url_abc : std_abc, c) : NULL;
    return p ? (int)(p - (url ? url_abc : std_abc)) : -1;
}

int base64_decode(const char *in, size_t n, bool url, unsigned char **out, size_t *out_len) {
    size_t pad = 0;
    while (pad < 2 && n > pad && in[n - 1 - pad] == '=') {
        pad++;
    }
    size_t data = n - pad;
    if ((!url || pad) && n % 4 != 0) {
        return -1; /* padded input comes in whole quanta */
    }
    if (data % 4 == 1) {
        return -1;
    }
    unsigned char *o = malloc(data / 4 * 3 + 3);
    if (o == NULL) {
        return -1;
    }
    size_t k = 0;
    uint32_t acc = 0;
    for (size_t i = 0; i < data; i++) {
        int v = value(in[i], url);
        if (v < 0) {
            free(o);
            return -1;
        }
        acc = acc << 6 | (uint32_t)v;
        if (i % 4 == 3) {
            o[k++] = (unsigned char)(acc >> 16);
            o[k++] = (unsigned char)(acc >> 8);
            o[k++] = (unsigned char)acc;
            acc = 0;
        }
    }
    size_t rest = data % 4; /* 2 or 3 symbols: 1 or 2 bytes; unused bits must be zero */
    if (rest == 2 && (acc & 0xf) == 0) {
        o[k++] = (unsigned char)(acc >> 4);
    } else if (rest == 3 && (acc & 0x3) == 0) {
        o[k++] = (unsigned char)(acc >> 10);
        o[k++] = (unsigned char)(acc >> 2);
    } else if (rest != 0) {
        free(o);
        return -1;
    }
    o[k] = 0;
    *out = o;
    *out_len = k;
    return 0;
}

char *base64_encode(const void *data, size_t n, bool url) {
    const unsigned char *d = data;
    const char *abc = url ? url_abc : std_abc;
    char *o = malloc((n + 2) / 3 * 4 + 1);
    size_t k = 0;
    if (o == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16;
        size_t m = n - i < 3 ? n - i : 3;
        if (m > 1) {
            v |= (uint32_t)d[i + 1] << 8;
        }
        if (m > 2) {
            v |= d[i + 2];
        }
        for (size_t j = 0; j < 4; j++) {
            if (j <= m) {
                o[k++] = abc[(v >> (18 - 6 * j)) & 63];
            } else if (!url) {
                o[k++] = '=';
            }
        }
    }
    o[k] = '\0';
    return o;
}
