/* jpeg_fast_bits.c — the slow half of the fast paths' bit reader (see jpeg_fast_bits.h). */
#include "jpeg_fast_bits.h"

void fb_start(struct fb_reader *b, const uint8_t *p, const uint8_t *end) {
    memset(b, 0, sizeof(*b));
    b->p = p;
    b->end = end;
    fb_refill(b);
}

void fb_refill_slow(struct fb_reader *b) {
    while (b->n < 56) {
        uint64_t byte = 0;
        if (!b->at_marker) {
            if (b->p >= b->end) {
                b->at_marker = true;
            } else if (b->p[0] != 0xFF) {
                byte = *b->p++;
            } else if (b->p + 1 < b->end && b->p[1] == 0x00) {
                byte = 0xFF; /* stuffed byte */
                b->p += 2;
            } else {
                b->at_marker = true; /* stays on the marker */
            }
        }
        if (b->at_marker) {
            b->fake += 8;
        }
        b->acc |= byte << (56 - b->n);
        b->n += 8;
    }
}

static const uint8_t *next_marker(const uint8_t *p, const uint8_t *end) {
    while (p < end) {
        const uint8_t *ff = memchr(p, 0xFF, (size_t)(end - p));
        if (ff == NULL || ff + 1 >= end) {
            return end;
        }
        if (ff[1] == 0x00 || ff[1] == 0xFF) {
            p = ff + 1; /* stuffed byte or fill byte */
            continue;
        }
        return ff;
    }
    return end;
}

const uint8_t *fb_finish(struct fb_reader *b) {
    /* Bytes before p are data already read; the marker is at or after p. */
    const uint8_t *m = next_marker(b->p, b->end);
    b->acc = 0;
    b->n = 0;
    b->fake = 0;
    return m;
}
