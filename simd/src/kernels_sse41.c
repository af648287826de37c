/*
 * kernels_sse41.c — SSE4.1 kernels (compiled with -msse4.1 only).
 *
 * Horizontal: each source row is unpacked once (pshufb) into int16 pairs of
 * pixels per channel, e.g. RGB [r0 r1 g0 g1 b0 b1 0 0]; windows start at even
 * pixels, so every output pixel just loads those pairs and pmaddwd multiplies
 * them by the matching weight pairs (rs_plan.h), 8 multiplies per instruction,
 * with each weight load shared by up to four rows.
 * Vertical: two intermediate rows are interleaved and pmaddwd applies the two
 * row weights to 8 columns at once. Premultiplication: 16 bytes per step.
 */
#include "rs_alpha.h"
#include "rs_kernels.h"
#include "rs_load.h"
#include "rs_scalar.h"

#include <smmintrin.h>

#define Z (-1) /* pshufb: write a zero byte */

/* Per channel count: source bytes -> int16 pairs of pixels per channel. */
static const int8_t pix_shuf[4][16] = {
    {0, Z, 1, Z, 2, Z, 3, Z, 4, Z, 5, Z, 6, Z, 7, Z}, /* 8 taps */
    {0, Z, 2, Z, 1, Z, 3, Z, 4, Z, 6, Z, 5, Z, 7, Z}, /* 4 taps x 2 ch */
    {0, Z, 3, Z, 1, Z, 4, Z, 2, Z, 5, Z, Z, Z, Z, Z}, /* 2 taps x 3 ch */
    {0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z}, /* 2 taps x 4 ch */
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

/* Fold the partial sums of each channel into lanes 0..channels-1, round and
 * store: 8 bytes when the 2 bytes past an RGB pixel belong to the next pixel
 * (written after it), else exactly the pixel's size. */
static inline void store_pixel(int16_t *dst, __m128i s, __m128i rnd, int shift, int wide,
                               const int channels) {
    /* Immediates must be literal constants for clang, hence no ?: inside the intrinsics. */
    if (channels == 1) {
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    } else if (channels == 2) {
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    }
    s = _mm_srai_epi32(_mm_add_epi32(s, rnd), shift);
    const int64_t packed = _mm_cvtsi128_si64(_mm_packs_epi32(s, s));
    if (channels == 3 && wide)
        memcpy(dst, &packed, 8);
    else
        memcpy(dst, &packed, sizeof(int16_t) * channels);
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
                                 uint32_t to, size_t row_bytes, __m128i pmask, const int channels,
                                 const int rows) {
    const size_t advance = (size_t)(channels == 1   ? 8
                                    : channels == 2 ? 4
                                                    : 2) *
                           channels; /* bytes per chunk */
    for (uint32_t j = from; j < to; j++) {
        const size_t off = (size_t)j * advance;
        const int whole = off + 16 <= row_bytes;
#pragma GCC unroll 4
        for (int r = 0; r < rows; r++) {
            const __m128i raw = whole ? _mm_loadu_si128((const __m128i *)(src[r] + off))
                                      : tk_rs_load16(src[r], off, row_bytes);
            _mm_storeu_si128((__m128i *)(e[r] + (size_t)j * 8), _mm_shuffle_epi8(raw, pmask));
        }
    }
}

static inline __attribute__((always_inline)) void
hpass_c(const uint8_t *const *src, int16_t *const *dst, const struct tk_rs_axis *ax, int16_t *work,
        const int channels, const int rows) {
    const uint32_t step = channels == 1 ? 8 : channels == 2 ? 4 : 2;       /* taps per pmaddwd */
    const uint32_t pair_elems = channels == 1 ? 2 : channels == 2 ? 4 : 8; /* int16 per 2 px */
    const int shift = ax->precision - TK_RS_INTER_BITS;
    const __m128i pmask = _mm_loadu_si128((const __m128i *)pix_shuf[channels - 1]);
    const __m128i rnd = _mm_set1_epi32(1 << (shift - 1));
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
        const size_t end = base + (size_t)n * 8;
        const uint32_t need = (uint32_t)((end + 7) / 8);
        if (need > unpacked) {
            unpack_chunks(src, e, unpacked, need < chunks ? need : chunks, row_bytes, pmask,
                          channels, rows);
            unpacked = need;
        }
        __m128i acc[TK_RS_HPASS_MAX_ROWS];
#pragma GCC unroll 4
        for (int r = 0; r < rows; r++)
            acc[r] = _mm_setzero_si128();
        for (size_t i = base; i < end; i += 8, w += 8) {
            const __m128i wv = _mm_loadu_si128((const __m128i *)w);
#pragma GCC unroll 4
            for (int r = 0; r < rows; r++) {
                const __m128i pix = _mm_loadu_si128((const __m128i *)(e[r] + i));
                acc[r] = _mm_add_epi32(acc[r], _mm_madd_epi16(pix, wv));
            }
        }
        const int wide = x + 1 < ax->out_size;
#pragma GCC unroll 4
        for (int r = 0; r < rows; r++)
            store_pixel(dst[r] + (size_t)x * channels, acc[r], rnd, shift, wide, channels);
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

static inline __m128i weight_pair(const int16_t *w) {
    int32_t pair;
    memcpy(&pair, w, sizeof pair);
    return _mm_set1_epi32(pair);
}

static void vpass(const int16_t *const *rows, const int16_t *w, uint32_t n, uint8_t *dst,
                  size_t count, int shift) {
    const __m128i rnd = _mm_set1_epi32(1 << (shift - 1));
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
        for (uint32_t j = 0; j < n; j += 2) {
            const __m128i a = _mm_loadu_si128((const __m128i *)(rows[j] + i));
            const __m128i b = _mm_loadu_si128((const __m128i *)(rows[j + 1] + i));
            const __m128i wp = weight_pair(w + j);
            lo = _mm_add_epi32(lo, _mm_madd_epi16(_mm_unpacklo_epi16(a, b), wp));
            hi = _mm_add_epi32(hi, _mm_madd_epi16(_mm_unpackhi_epi16(a, b), wp));
        }
        lo = _mm_srai_epi32(_mm_add_epi32(lo, rnd), shift);
        hi = _mm_srai_epi32(_mm_add_epi32(hi, rnd), shift);
        const __m128i v16 = _mm_packs_epi32(lo, hi);
        _mm_storel_epi64((__m128i *)(dst + i), _mm_packus_epi16(v16, v16));
    }
    for (; i < count; i++)
        dst[i] = tk_rs_vpass_one(rows, w, n, i, shift);
}

/*
 * Premultiply 8 pixels' worth of int16 lanes: round(c * a / 255) as
 * (t + (t >> 8)) >> 8 with t = c * a + 128, which stays below 2^16, so
 * unsigned 16-bit lanes compute exactly what alpha.c computes; alpha lanes
 * are kept (blend). shufflelo/hi copy each pixel's alpha over its lanes.
 */
static inline __m128i premul_half(__m128i v, const int channels) {
    const __m128i a = channels == 4 ? _mm_shufflehi_epi16(_mm_shufflelo_epi16(v, 0xFF), 0xFF)
                                    : _mm_shufflehi_epi16(_mm_shufflelo_epi16(v, 0xF5), 0xF5);
    const __m128i t = _mm_add_epi16(_mm_mullo_epi16(v, a), _mm_set1_epi16(128));
    const __m128i r = _mm_srli_epi16(_mm_add_epi16(t, _mm_srli_epi16(t, 8)), 8);
    return channels == 4 ? _mm_blend_epi16(r, v, 0x88) : _mm_blend_epi16(r, v, 0xAA);
}

static inline void premul_c(const uint8_t *src, uint8_t *dst, uint32_t width, const int channels) {
    const uint32_t per = 16 / channels; /* pixels per 16 bytes */
    const __m128i zero = _mm_setzero_si128();
    uint32_t x = 0;
    for (; x + per <= width; x += per, src += 16, dst += 16) {
        const __m128i v = _mm_loadu_si128((const __m128i *)src);
        const __m128i lo = premul_half(_mm_unpacklo_epi8(v, zero), channels);
        const __m128i hi = premul_half(_mm_unpackhi_epi8(v, zero), channels);
        _mm_storeu_si128((__m128i *)dst, _mm_packus_epi16(lo, hi));
    }
    tk_rs_premultiply_row(src, dst, width - x, channels);
}

static void premul2(const uint8_t *src, uint8_t *dst, uint32_t width) {
    premul_c(src, dst, width, 2);
}

static void premul4(const uint8_t *src, uint8_t *dst, uint32_t width) {
    premul_c(src, dst, width, 4);
}

const struct tk_kernels tk_kernels_sse41 = {
    {hpass1, hpass2, hpass3, hpass4}, vpass, {premul2, premul4}};
