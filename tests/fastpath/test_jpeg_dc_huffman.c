/*
 * test_jpeg_dc_huffman.c — Huffman tables and bit reading of the DC-only decoder:
 * valid tables decode their own codes; impossible tables are refused before any
 * table entry is written (a fuzzer found the earlier order writing out of bounds).
 */
#include "check.h"
#include "jpeg_dc_bits.h"

#include <string.h>

int main(void) {
    static struct dc_huff h;
    uint8_t vals[256];
    for (int i = 0; i < 256; i++) {
        vals[i] = (uint8_t)i;
    }

    /* Over-subscribed: three codes of length 1, or 600 codes of length 9. */
    uint8_t counts[16] = {3};
    CHECKF(!dc_huff_build(&h, counts, vals, 3), "three 1-bit codes refused");
    /* Codes "0", "10", then 255 nine-bit codes from 110000000: 384 + 255 > 512. The old
     * order filled lookup entries up to 638 before noticing. */
    memset(counts, 0, sizeof(counts));
    counts[0] = 1;
    counts[1] = 1;
    counts[8] = 254;
    CHECKF(!dc_huff_build(&h, counts, vals, 256), "over-subscribed 9-bit codes refused");
    counts[8] = 128; /* exactly fills the space left: 384 + 128 = 512 */
    CHECKF(dc_huff_build(&h, counts, vals, 130), "a complete code with 9-bit codes accepted");
    counts[8] = 129;
    CHECKF(!dc_huff_build(&h, counts, vals, 131), "one code too many refused");
    counts[8] = 0;
    counts[0] = 0;
    counts[1] = 0;
    counts[7] = 255;
    CHECKF(!dc_huff_build(&h, counts, vals, 256), "more counts than symbols refused");
    memset(counts, 0, sizeof(counts));
    counts[0] = 2;
    counts[1] = 1;
    CHECKF(!dc_huff_build(&h, counts, vals, 3), "2 one-bit + 1 two-bit code refused");

    /* A complete code: lengths 2,2,3,3,3,4,4 (as in typical DC tables), decoded back. */
    memset(counts, 0, sizeof(counts));
    counts[1] = 2; /* 00 01 */
    counts[2] = 3; /* 100 101 110 */
    counts[3] = 2; /* 1110 1111 */
    CHECKF(dc_huff_build(&h, counts, vals, 7), "valid table built");
    /* Symbols 0..6 in order: 00 01 100 101 110 1110 1111 -> 0001100101110111 01111... */
    const uint8_t stream[] = {0x19, 0x77, 0x7F, 0xFF, 0x00, 0xFF, 0xD9};
    struct dc_bits b;
    dc_bits_start(&b, stream, stream + sizeof(stream));
    for (int want = 0; want < 7; want++) {
        CHECKF(dc_huff_decode(&b, &h) == want, "symbols decode in order");
    }
    CHECKF(!b.overrun, "no overrun inside the data");

    /* Reading past the segment (the marker) sets overrun. */
    for (int i = 0; i < 8; i++) {
        dc_bits_get(&b, 16);
    }
    CHECKF(b.overrun, "overrun after the segment ends");
    CHECKF(dc_bits_finish(&b) == stream + 5, "finish stops at the EOI marker");

    /* Long codes (longer than the 9-bit lookup) go through the slow path. */
    memset(counts, 0, sizeof(counts));
    counts[0] = 1;  /* 0 */
    counts[11] = 1; /* 1000 0000 0000 (12 bits) */
    CHECKF(dc_huff_build(&h, counts, vals, 2), "table with a 12-bit code");
    const uint8_t long_code[] = {0x80, 0x00, 0xFF, 0xD9};
    dc_bits_start(&b, long_code, long_code + sizeof(long_code));
    CHECKF(dc_huff_decode(&b, &h) == 1, "12-bit code decoded");
    CHECKF(dc_huff_decode(&b, &h) == 0, "then a 1-bit code");
    CHECKF(dc_extend(0, 1) == -1 && dc_extend(1, 1) == 1 && dc_extend(2, 3) == -5 &&
               dc_extend(7, 3) == 7,
           "EXTEND of JPEG Annex F");

    return check_done("test_jpeg_dc_huffman");
}
