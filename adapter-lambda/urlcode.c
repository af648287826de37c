/* urlcode.c — form-URL decoding of S3 keys (see urlcode.h). */
#include "urlcode.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int urlcode_form_decode(const char *in, char **out) {
    if (in == NULL || out == NULL)
        return -1;
    size_t n = strlen(in);
    /* Decoding never lengthens the text. */
    char *buf = malloc(n + 1);
    if (buf == NULL)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '+') {
            buf[o++] = ' ';
        } else if (c == '%') {
            int hi = i + 1 < n ? hexval(in[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(in[i + 2]) : -1;
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
