/* urlcode.c — percent-encoding and form-URL decoding (see urlcode.h). */
#include "base/urlcode.h"

#include <stdlib.h>
#include <string.h>

bool urlcode_is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

int urlcode_hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

size_t urlcode_encode_into(char *out, const char *s, size_t n, bool keep_slash) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool plain = urlcode_is_unreserved(c) || (keep_slash && c == '/');
        if (out != NULL && plain) {
            out[o] = (char)c;
        } else if (out != NULL) {
            out[o] = '%';
            out[o + 1] = hex[c >> 4];
            out[o + 2] = hex[c & 15];
        }
        o += plain ? 1 : 3;
    }
    if (out != NULL) {
        out[o] = '\0';
    }
    return o;
}

char *urlcode_encode(const char *s, bool keep_slash) {
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s);
    char *out = malloc(urlcode_encode_into(NULL, s, n, keep_slash) + 1);
    if (out != NULL) {
        urlcode_encode_into(out, s, n, keep_slash);
    }
    return out;
}

/* Percent-decoding; '+' is a space only in form encoding. */
static int decode(const char *in, bool plus_is_space, char **out) {
    if (in == NULL || out == NULL) {
        return -1;
    }
    size_t n = strlen(in);
    /* Decoding never lengthens the text. */
    char *buf = malloc(n + 1);
    if (buf == NULL) {
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '+' && plus_is_space) {
            buf[o++] = ' ';
        } else if (c == '%') {
            int hi = i + 1 < n ? urlcode_hex_value(in[i + 1]) : -1;
            int lo = i + 2 < n ? urlcode_hex_value(in[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                free(buf);
                return -1;
            }
            buf[o++] = (char)(unsigned char)(hi * 16 + lo);
            i += 2;
        } else {
            buf[o++] = c;
        }
    }
    buf[o] = '\0';
    *out = buf;
    return 0;
}

int urlcode_form_decode(const char *in, char **out) {
    return decode(in, true, out);
}

int urlcode_path_decode(const char *in, char **out) {
    return decode(in, false, out);
}
