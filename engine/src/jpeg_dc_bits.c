/* jpeg_dc_bits.c — bit reader and Huffman decoding for the DC-only JPEG decoder. */
#include "jpeg_dc_bits.h"

#include <string.h>

bool dc_huff_build(struct dc_huff *h, const uint8_t counts[16], const uint8_t *vals, int n_vals) {
    memset(h, 0, sizeof(*h));
    if (n_vals < 0 || n_vals > 256) {
        return false;
    }
    memcpy(h->vals, vals, (size_t)n_vals);

    /* Canonical codes (JPEG Annex C): consecutive values per length, doubled between lengths. */
    int32_t code = 0;
    int k = 0;
    for (int len = 1; len <= 16; len++) {
        int count = counts[len - 1];
        /* More codes than len bits can hold: over-subscribed. Checked before any table write. */
        if (code + count > (1 << len) || k + count > n_vals) {
            return false;
        }
        h->val_offset[len] = k - code;
        h->maxcode[len] = count ? code + count - 1 : -1;
        for (int i = 0; i < count; i++, k++, code++) {
            if (len <= DC_LOOKUP_BITS) {
                int shift = DC_LOOKUP_BITS - len;
                int first = code << shift;
                for (int j = 0; j < (1 << shift); j++) {
                    h->lookup_len[first + j] = (uint8_t)len;
                    h->lookup_val[first + j] = vals[k];
                }
            }
        }
        code <<= 1;
    }
    if (k != n_vals) {
        return false;
    }
    h->defined = true;
    return true;
}

void dc_bits_start(struct dc_bits *b, const uint8_t *p, const uint8_t *end) {
    memset(b, 0, sizeof(*b));
    b->p = p;
    b->end = end;
}

void dc_bits_fill(struct dc_bits *b) {
    while (b->n <= 56) {
        uint32_t byte = 0;
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
        b->acc |= (uint64_t)byte << (56 - b->n);
        b->n += 8;
    }
}

int dc_huff_decode(struct dc_bits *b, const struct dc_huff *h) {
    if (b->n < 16) {
        dc_bits_fill(b);
    }
    uint32_t peek = (uint32_t)(b->acc >> (64 - DC_LOOKUP_BITS));
    int len = h->lookup_len[peek];
    if (len) {
        dc_bits_get(b, len);
        return h->lookup_val[peek];
    }
    uint32_t code16 = (uint32_t)(b->acc >> 48);
    for (len = DC_LOOKUP_BITS + 1; len <= 16; len++) {
        int32_t code = (int32_t)(code16 >> (16 - len));
        if (code <= h->maxcode[len]) {
            dc_bits_get(b, len);
            int idx = h->val_offset[len] + code;
            return (idx >= 0 && idx < 256) ? h->vals[idx] : -1;
        }
    }
    return -1;
}

static const uint8_t *next_marker(const uint8_t *p, const uint8_t *end, bool stop_at_rst) {
    while (p < end) {
        const uint8_t *ff = memchr(p, 0xFF, (size_t)(end - p));
        if (!ff || ff + 1 >= end) {
            return end;
        }
        uint8_t m = ff[1];
        if (m == 0x00 || m == 0xFF || (!stop_at_rst && m >= 0xD0 && m <= 0xD7)) {
            p = ff + 1; /* stuffed byte, fill byte or a restart inside the segment */
            continue;
        }
        return ff;
    }
    return end;
}

const uint8_t *dc_bits_finish(struct dc_bits *b) {
    /* Whatever was loaded but not consumed lies before b->p, which is at or before the marker. */
    return next_marker(b->p, b->end, true);
}

const uint8_t *dc_skip_entropy_data(const uint8_t *p, const uint8_t *end) {
    return next_marker(p, end, false);
}
