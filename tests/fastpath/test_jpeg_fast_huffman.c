/*
 * test_jpeg_fast_huffman.c — Huffman tables and bit reading of the fast JPEG decoder.
 *
 *   - Impossible tables are refused as libjpeg refuses them (over-subscribed, or an all-ones
 *     code), before any table entry is written (a fuzzer found an earlier order writing out of
 *     bounds).
 *   - Valid tables decode their own codes, short and long, through the bit reader, which
 *     unstuffs 0xFF00, stops at markers and reports reading past them.
 *   - Every skip-table entry, from every block position, does what decoding its symbols one
 *     by one with libjpeg's rules does; every one-lookup AC entry gives the same run, value
 *     and length.
 */
#include "check.h"
#include "jpeg_fast_huff.h"

#include <stdlib.h>
#include <string.h>

static struct fh_table t;

/* JPEG Annex K.3: the typical luminance and chrominance AC tables. */
static const uint8_t luma_ac_counts[16] = {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
static const uint8_t chroma_ac_counts[16] = {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77};
static const uint8_t luma_ac_vals[162] = {
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61,
    0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52,
    0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25,
    0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45,
    0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64,
    0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83,
    0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
    0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
    0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3,
    0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8,
    0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa};
static const uint8_t chroma_ac_vals[162] = {
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61,
    0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33,
    0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18,
    0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44,
    0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63,
    0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
    0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
    0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
    0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
    0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
    0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa};

/* Canonical codes of a table, built here from the DHT definition alone (Annex C). */
struct code {
    uint32_t bits;
    int len;
    uint8_t sym;
};

static int canonical(const uint8_t counts[16], const uint8_t *vals, struct code *out) {
    int n = 0;
    uint32_t code = 0;
    for (int len = 1; len <= 16; len++) {
        for (int i = 0; i < counts[len - 1]; i++) {
            out[n] = (struct code){code++, len, vals[n]};
            n++;
        }
        code <<= 1;
    }
    return n;
}

/* The symbol starting at bit @p pos of the 64-bit string @p s (MSB first), or -1. */
static int naive_symbol(const struct code *codes, int n, uint64_t s, int pos, int *len) {
    for (int i = 0; i < n; i++) {
        if (pos + codes[i].len <= 64 &&
            ((s << pos) >> (64 - codes[i].len)) == (uint64_t)codes[i].bits) {
            *len = codes[i].len;
            return codes[i].sym;
        }
    }
    return -1;
}

/*
 * From block position k0, each entry that the decoder would trust (k0 + step <= 64) must
 * leave the block where symbol-by-symbol decoding of the same bits leaves it, after the same
 * number of bits, and must end the block exactly when that decoding does.
 */
static void check_skip_table(const char *what, const uint8_t counts[16], const uint8_t *vals,
                             long min_multi, long min_fast) {
    static struct code codes[256];
    int n = canonical(counts, vals, codes);
    CHECKF(fh_build(&t, counts, vals, n) && fh_build_ac(&t), "%s: table builds", what);
    long trusted = 0, multi = 0, bad = 0;
    uint64_t tail = 0x9E3779B97F4A7C15ULL; /* arbitrary bits after the window */
    for (uint32_t w = 0; w < (1u << FH_SKIP_BITS); w++) {
        uint16_t e = t.skip[w];
        uint64_t s = ((uint64_t)w << (64 - FH_SKIP_BITS)) | (tail >> FH_SKIP_BITS);
        tail = tail * 6364136223846793005ULL + 1442695040888963407ULL;
        for (unsigned k0 = 1; k0 < 64; k0++) {
            if (k0 + FH_SKIP_K(e) > 64) {
                continue; /* the decoder takes the one-symbol road here */
            }
            trusted++;
            int pos = 0, symbols = 0;
            unsigned k = k0;
            bool ended = false;
            while (pos < (int)FH_SKIP_ADV(e) && !ended) {
                int len;
                int rs = naive_symbol(codes, n, s, pos, &len);
                if (rs < 0) {
                    break;
                }
                int r = rs >> 4, size = rs & 15;
                pos += len + size;
                symbols++;
                if (size != 0) {
                    k += (unsigned)r + 1;
                } else if (r == 15) {
                    k += 16;
                } else {
                    ended = true;
                }
                ended = ended || k >= 64;
            }
            bool entry_ends = (e & FH_SKIP_EOB) != 0 || k0 + FH_SKIP_K(e) >= 64;
            bool entry_k_ok = (e & FH_SKIP_EOB) != 0 || k == k0 + FH_SKIP_K(e);
            if (pos != (int)FH_SKIP_ADV(e) || ended != entry_ends || !entry_k_ok) {
                bad++;
            }
            multi += symbols > 1;
        }
    }
    CHECKF(bad == 0, "%s: %ld skip entries disagree with symbol-by-symbol decoding", what, bad);
    CHECKF(trusted > 0 && multi >= min_multi, "%s: too few entries exercised (%ld, %ld)", what,
           trusted, multi);
    /* One-lookup AC entries: the same run, value and length as decoding them. */
    long fast = 0;
    for (uint32_t w = 0; w < (1u << FH_FAST_BITS); w++) {
        int fa = t.fast_ac[w];
        if (fa == 0) {
            continue;
        }
        fast++;
        uint64_t s = (uint64_t)w << (64 - FH_FAST_BITS);
        int len;
        int rs = naive_symbol(codes, n, s, 0, &len);
        int size = rs & 15;
        uint32_t mag = (uint32_t)((s << len) >> (64 - size));
        CHECKF(rs >= 0 && (fa & 15) == len + size && ((fa >> 4) & 15) == (rs >> 4) &&
                   (fa >> 8) == fb_extend(mag, size),
               "%s: one-lookup entry %u", what, w);
    }
    CHECKF(fast >= min_fast, "%s: too few one-lookup AC entries (%ld)", what, fast);
}

static void check_table_rules(void) {
    uint8_t vals[256];
    for (int i = 0; i < 256; i++) {
        vals[i] = (uint8_t)i;
    }
    /* Over-subscribed: three codes of length 1. */
    uint8_t counts[16] = {3};
    CHECKF(!fh_build(&t, counts, vals, 3), "three 1-bit codes refused");
    /* Codes "0", "10", then 9-bit codes from 110000000: at most 127 fit without all ones. The
     * early order filled lookup entries past the table before noticing. */
    memset(counts, 0, sizeof(counts));
    counts[0] = 1;
    counts[1] = 1;
    counts[8] = 254;
    CHECKF(!fh_build(&t, counts, vals, 256), "over-subscribed 9-bit codes refused");
    counts[8] = 127;
    CHECKF(fh_build(&t, counts, vals, 129), "127 nine-bit codes accepted");
    counts[8] = 128; /* would use the all-ones code 111111111, which libjpeg refuses */
    CHECKF(!fh_build(&t, counts, vals, 130), "an all-ones code refused as libjpeg does");
    memset(counts, 0, sizeof(counts));
    counts[7] = 255;
    CHECKF(!fh_build(&t, counts, vals, 256), "more counts than symbols refused");
    memset(counts, 0, sizeof(counts));
    counts[0] = 2;
    CHECKF(!fh_build(&t, counts, vals, 2), "two 1-bit codes (one all ones) refused");
    memset(counts, 0, sizeof(counts));
    counts[1] = 1;
    counts[2] = 1;
    vals[1] = 16;
    CHECKF(fh_build(&t, counts, vals, 2) && !fh_dc_symbols_valid(&t),
           "a DC table with a symbol above 15 is marked invalid");
    vals[1] = 1;
    CHECKF(fh_build(&t, counts, vals, 2) && fh_dc_symbols_valid(&t),
           "a DC table with symbols up to 15 is valid");
}

static void check_reader(void) {
    uint8_t vals[16];
    for (int i = 0; i < 16; i++) {
        vals[i] = (uint8_t)i;
    }
    /* Lengths 2,2,3,3,3,4: 00 01 100 101 110 1110 (1111 unused). */
    uint8_t counts[16] = {0, 2, 3, 1};
    CHECKF(fh_build(&t, counts, vals, 6), "valid table built");
    /* Symbols 0..5: 00 01 100 101 110 1110 -> 0001 1001 0111 0111 0 (then zeros); the 0xFF00
     * in the middle is a stuffed 0xFF byte, and 0xFFD9 ends the segment. */
    const uint8_t stream[] = {0x19, 0x77, 0x00, 0xFF, 0x00, 0xFF, 0xD9};
    struct fb_reader b;
    fb_start(&b, stream, stream + sizeof(stream));
    for (int want = 0; want < 6; want++) {
        fb_refill(&b);
        CHECKF(fh_decode(&b, &t) == want, "symbol %d decodes in order", want);
    }
    fb_refill(&b);
    CHECKF(fb_get(&b, 7) == 0, "the rest of the zero byte");
    CHECKF(fb_get(&b, 8) == 0xFF, "0xFF00 reads as one 0xFF byte");
    CHECKF(!fb_overrun(&b), "no overrun inside the data");
    for (int i = 0; i < 8; i++) {
        fb_refill(&b);
        fb_get(&b, 16);
    }
    CHECKF(fb_overrun(&b), "overrun after the segment ends");
    CHECKF(fb_finish(&b) == stream + 5, "finish stops at the EOI marker");

    /* A code longer than the one-lookup table goes the canonical way. */
    memset(counts, 0, sizeof(counts));
    counts[0] = 1;  /* 0 */
    counts[11] = 1; /* 1000 0000 0000 (12 bits) */
    CHECKF(fh_build(&t, counts, vals, 2), "table with a 12-bit code");
    const uint8_t long_code[] = {0x80, 0x00, 0xFF, 0xD9};
    fb_start(&b, long_code, long_code + sizeof(long_code));
    CHECKF(fh_decode(&b, &t) == 1, "12-bit code decoded");
    CHECKF(fh_decode(&b, &t) == 0, "then a 1-bit code");
    CHECKF(fb_extend(0, 1) == -1 && fb_extend(1, 1) == 1 && fb_extend(2, 3) == -5 &&
               fb_extend(7, 3) == 7 && fb_extend(0, 0) == 0,
           "EXTEND of JPEG Annex F");
    /* A long run of ordinary bytes takes the eight-byte refill and keeps its bits in order. */
    uint8_t plain[64];
    for (int i = 0; i < 64; i++) {
        plain[i] = (uint8_t)(i * 37 + 1);
    }
    fb_start(&b, plain, plain + sizeof(plain));
    bool in_order = true;
    for (int i = 0; i < 60; i++) {
        fb_refill(&b);
        in_order = in_order && fb_get(&b, 8) == plain[i];
        fb_refill(&b);
        fb_skip(&b, 0);
    }
    CHECK(in_order);
}

int main(void) {
    check_table_rules();
    check_reader();
    check_skip_table("luma AC (Annex K)", luma_ac_counts, luma_ac_vals, 10000, 100);
    check_skip_table("chroma AC (Annex K)", chroma_ac_counts, chroma_ac_vals, 10000, 100);
    /* A table of long codes, ZRL and EOB among them, and symbols with 15 magnitude bits. */
    uint8_t counts[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 16, 32, 8};
    uint8_t vals[68];
    for (int i = 0; i < 68; i++) {
        vals[i] = (uint8_t)(i == 0 ? 0x00 : i == 1 ? 0xF0 : ((i % 16) << 4) | (1 + i % 15));
    }
    check_skip_table("long codes", counts, vals, 0, 0);
    return check_done("test_jpeg_fast_huffman");
}
