/*
 * kernels_avx2.c — AVX2 kernels (compiled with -mavx2 only).
 *
 * Same scheme as the SSE4.1 file, twice as wide: to unpack a row, 16 source
 * bytes are broadcast to both 128-bit lanes and each lane shuffles out its
 * own pixel pairs (pshufb works within a lane), so one vpmaddwd covers 16
 * taps of gray, 8 of gray+alpha or 4 of RGB/RGBA, with each weight load
 * shared by up to four rows. The vertical pass handles 16 columns per step;
 * premultiplication 32 bytes per step.
 */
#include "rs_alpha.h"
#include "rs_kernels.h"
#include "rs_load.h"
#include "rs_scalar.h"

#include <immintrin.h>

#define Z (-1) /* pshufb: write a zero byte */

/* Lane 1 takes the taps after those of lane 0. */
static const int8_t pix_shuf[4][32] = {
    {0, Z, 1, Z, 2,  Z, 3,  Z, 4,  Z, 5,  Z, 6,  Z, 7,  Z,
     8, Z, 9, Z, 10, Z, 11, Z, 12, Z, 13, Z, 14, Z, 15, Z},
    {0, Z, 2,  Z, 1, Z, 3,  Z, 4,  Z, 6,  Z, 5,  Z, 7,  Z,
     8, Z, 10, Z, 9, Z, 11, Z, 12, Z, 14, Z, 13, Z, 15, Z},
    {0, Z, 3, Z, 1, Z, 4,  Z, 2, Z, 5,  Z, Z, Z, Z, Z,
     6, Z, 9, Z, 7, Z, 10, Z, 8, Z, 11, Z, Z, Z, Z, Z},
    {0, Z, 4,  Z, 1, Z, 5,  Z, 2,  Z, 6,  Z, 3,  Z, 7,  Z,
     8, Z, 12, Z, 9, Z, 13, Z, 10, Z, 14, Z, 11, Z, 15, Z},
};

/* Weights of pixel @p x in the layout matching the shuffled pixels (see rs_plan.h). */
static inline const int16_t *pixel_weights(const struct tk_rs_axis *ax, uint32_t x,
                                           const int channels) {
    if (channels == 1)
        return ax->weights + (size_t)x * ax->stride;
    if (channels == 2)
        return ax->pairs2 + (size_t)x * ax->stride * 2;
    return ax->pairs4 + (size_t)x * ax->stride * 4;
}

/* Store one pixel of int16 values: 8 bytes when the 2 bytes past an RGB
 * pixel belong to the next pixel (written after it), else exactly its size. */
static inline void store_values(int16_t *dst, int64_t packed, int wide, const int channels) {
    if (channels == 3 && wide)
        memcpy(dst, &packed, 8);
    else
        memcpy(dst, &packed, sizeof(int16_t) * channels);
}

/* Fold the partial sums of each channel into lanes 0..channels-1 (one row per
 * 128-bit lane, so two rows share every instruction), round and narrow. */
static inline __m256i fold_two(__m256i a0, __m256i a1, __m256i rnd, int shift, const int channels) {
    __m256i s = _mm256_add_epi32(_mm256_permute2x128_si256(a0, a1, 0x20),
                                 _mm256_permute2x128_si256(a0, a1, 0x31));
    /* Immediates must be literal constants for clang, hence no ?: inside the intrinsics. */
    if (channels == 1) {
        s = _mm256_add_epi32(s, _mm256_shuffle_epi32(s, 0x4E));
        s = _mm256_add_epi32(s, _mm256_shuffle_epi32(s, 0xB1));
    } else if (channels == 2) {
        s = _mm256_add_epi32(s, _mm256_shuffle_epi32(s, 0x4E));
    }
    s = _mm256_srai_epi32(_mm256_add_epi32(s, rnd), shift);
    return _mm256_packs_epi32(s, s);
}

/*
 * Unpack chunks [@p from, @p to) of each source row into its buffer: every
 * 16-byte load is shuffled once into int16 pairs of pixels (the layout of
 * pix_shuf), so the per-output loop only loads and multiplies, however many
 * windows share a pixel. Done just ahead of the windows that need them, so the
 * unpacked data is still in L1 when read and source loads overlap the math.
 * Chunks past the row end (loaded as zeros) feed the zero-weight taps.
 */
static inline void unpack_chunks(const uint8_t *const *src, int16_t *const *e, uint32_t from,
                                 uint32_t to, size_t row_bytes, __m256i pmask, const int channels,
                                 const int rows) {
    const size_t advance = (size_t)(channels == 1   ? 16
                                    : channels == 2 ? 8
                                                    : 4) *
                           channels; /* bytes per chunk */
    for (uint32_t j = from; j < to; j++) {
        const size_t off = (size_t)j * advance;
        const int whole = off + 16 <= row_bytes;
#pragma GCC unroll 4
        for (int r = 0; r < rows; r++) {
            const __m128i raw = whole ? _mm_loadu_si128((const __m128i *)(src[r] + off))
                                      : tk_rs_load16(src[r], off, row_bytes);
            _mm256_storeu_si256((__m256i *)(e[r] + (size_t)j * 16),
                                _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(raw), pmask));
        }
    }
}

static inline __attribute__((always_inline)) void
hpass_c(const uint8_t *const *src, int16_t *const *dst, const struct tk_rs_axis *ax, int16_t *work,
        const int channels, const int rows) {
    const uint32_t step = channels == 1 ? 16 : channels == 2 ? 8 : 4;      /* taps per vpmaddwd */
    const uint32_t pair_elems = channels == 1 ? 2 : channels == 2 ? 4 : 8; /* int16 per 2 px */
    const int shift = ax->precision - TK_RS_INTER_BITS;
    const __m256i pmask = _mm256_loadu_si256((const __m256i *)pix_shuf[channels - 1]);
    const __m256i rnd = _mm256_set1_epi32(1 << (shift - 1));
    const size_t row_bytes = (size_t)ax->in_size * channels;
    const uint32_t chunks = (ax->in_size + step - 1) / step + 1; /* a chunk holds step pixels */
    uint32_t unpacked = 0;
    int16_t *e[TK_RS_HPASS_MAX_ROWS];
#pragma GCC unroll 4
    for (int r = 0; r < rows; r++)
        e[r] = work + tk_rs_hpass_work_elems(ax->in_size) * r;

    for (uint32_t x = 0; x < ax->out_size; x++) {
        const int16_t *w = pixel_weights(ax, x, channels);
        const uint32_t n = (ax->len[x] + step - 1) / step;
        /* Windows start at even pixels (plan.c), i.e. on a pair boundary. */
        const size_t base = (size_t)(ax->start[x] / 2) * pair_elems;
        const size_t end = base + (size_t)n * 16;
        const uint32_t need = (uint32_t)((end + 15) / 16);
        if (need > unpacked) {
            unpack_chunks(src, e, unpacked, need < chunks ? need : chunks, row_bytes, pmask,
                          channels, rows);
            unpacked = need;
        }
        __m256i acc[TK_RS_HPASS_MAX_ROWS];
#pragma GCC unroll 4
        for (int r = 0; r < rows; r++)
            acc[r] = _mm256_setzero_si256();
        for (size_t i = base; i < end; i += 16, w += 16) {
            const __m256i wv = _mm256_loadu_si256((const __m256i *)w);
#pragma GCC unroll 4
            for (int r = 0; r < rows; r++) {
                const __m256i pix = _mm256_loadu_si256((const __m256i *)(e[r] + i));
                acc[r] = _mm256_add_epi32(acc[r], _mm256_madd_epi16(pix, wv));
            }
        }
        const int wide = x + 1 < ax->out_size;
        const size_t o = (size_t)x * channels;
#pragma GCC unroll 4
        for (int r = 0; r < rows; r += 2) {
            const __m256i v = fold_two(acc[r], acc[r + 1 < rows ? r + 1 : r], rnd, shift, channels);
            store_values(dst[r] + o, _mm_cvtsi128_si64(_mm256_castsi256_si128(v)), wide, channels);
            if (r + 1 < rows)
                store_values(dst[r + 1] + o, _mm_cvtsi128_si64(_mm256_extracti128_si256(v, 1)),
                             wide, channels);
        }
    }
}

/* One function per channel count; the row count is a constant inside each call. */
#define HPASS(c)                                                                                   \
    static void hpass##c(const uint8_t *const *src, int16_t *const *dst, int rows,                 \
                         const struct tk_rs_axis *ax, int16_t *work) {                             \
        switch (rows) {                                                                            \
        case 4:                                                                                    \
            hpass_c(src, dst, ax, work, c, 4);                                                     \
            break;                                                                                 \
        case 3:                                                                                    \
            hpass_c(src, dst, ax, work, c, 3);                                                     \
            break;                                                                                 \
        case 2:                                                                                    \
            hpass_c(src, dst, ax, work, c, 2);                                                     \
            break;                                                                                 \
        default:                                                                                   \
            hpass_c(src, dst, ax, work, c, 1);                                                     \
        }                                                                                          \
    }
HPASS(1)
HPASS(2)
HPASS(3)
HPASS(4)

static inline __m256i weight_pair(const int16_t *w) {
    int32_t pair;
    memcpy(&pair, w, sizeof pair);
    return _mm256_set1_epi32(pair);
}

static void vpass(const int16_t *const *rows, const int16_t *w, uint32_t n, uint8_t *dst,
                  size_t count, int shift) {
    const __m256i rnd = _mm256_set1_epi32(1 << (shift - 1));
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
        for (uint32_t j = 0; j < n; j += 2) {
            const __m256i a = _mm256_loadu_si256((const __m256i *)(rows[j] + i));
            const __m256i b = _mm256_loadu_si256((const __m256i *)(rows[j + 1] + i));
            const __m256i wp = weight_pair(w + j);
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(a, b), wp));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(a, b), wp));
        }
        lo = _mm256_srai_epi32(_mm256_add_epi32(lo, rnd), shift);
        hi = _mm256_srai_epi32(_mm256_add_epi32(hi, rnd), shift);
        /* In-lane packs keep column order within each lane; gather the two
         * low quadwords to get the 16 bytes in order. */
        const __m256i v16 = _mm256_packs_epi32(lo, hi);
        const __m256i v8 = _mm256_permute4x64_epi64(_mm256_packus_epi16(v16, v16), 0x08);
        _mm_storeu_si128((__m128i *)(dst + i), _mm256_castsi256_si128(v8));
    }
    for (; i < count; i++)
        dst[i] = tk_rs_vpass_one(rows, w, n, i, shift);
}

/*
 * Premultiply 16 int16 lanes: round(c * a / 255) as (t + (t >> 8)) >> 8 with
 * t = c * a + 128, which stays below 2^16, so unsigned 16-bit lanes compute
 * exactly what alpha.c computes; alpha lanes are kept (blend).
 * shufflelo/hi copy each pixel's alpha over its lanes.
 */
static inline __m256i premul_half(__m256i v, const int channels) {
    const __m256i a = channels == 4 ? _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(v, 0xFF), 0xFF)
                                    : _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(v, 0xF5), 0xF5);
    const __m256i t = _mm256_add_epi16(_mm256_mullo_epi16(v, a), _mm256_set1_epi16(128));
    const __m256i r = _mm256_srli_epi16(_mm256_add_epi16(t, _mm256_srli_epi16(t, 8)), 8);
    return channels == 4 ? _mm256_blend_epi16(r, v, 0x88) : _mm256_blend_epi16(r, v, 0xAA);
}

static inline void premul_c(const uint8_t *src, uint8_t *dst, uint32_t width, const int channels) {
    const uint32_t per = 32 / channels; /* pixels per 32 bytes */
    const __m256i zero = _mm256_setzero_si256();
    uint32_t x = 0;
    for (; x + per <= width; x += per, src += 32, dst += 32) {
        const __m256i v = _mm256_loadu_si256((const __m256i *)src);
        /* In-lane unpack and pack are inverses, so pixel order is kept. */
        const __m256i lo = premul_half(_mm256_unpacklo_epi8(v, zero), channels);
        const __m256i hi = premul_half(_mm256_unpackhi_epi8(v, zero), channels);
        _mm256_storeu_si256((__m256i *)dst, _mm256_packus_epi16(lo, hi));
    }
    tk_rs_premultiply_row(src, dst, width - x, channels);
}

static void premul2(const uint8_t *src, uint8_t *dst, uint32_t width) {
    premul_c(src, dst, width, 2);
}

static void premul4(const uint8_t *src, uint8_t *dst, uint32_t width) {
    premul_c(src, dst, width, 4);
}

const struct tk_kernels tk_kernels_avx2 = {
    {hpass1, hpass2, hpass3, hpass4}, vpass, {premul2, premul4}};
