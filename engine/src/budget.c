/* budget.c — estimated peak memory of one tk_thumbnail call (see budget.h). */
#include "budget.h"

/* libjpeg's or libspng's own state, zlib's window, the encoder's tables: a fixed allowance. */
#define CODEC_STATE_BYTES (2u * 1024u * 1024u)
/* Widest filter support in source pixels at scale 1 (Lanczos3). */
#define FILTER_SUPPORT 3u

/* Taps per output pixel of one axis from @p in to @p out, as simd/plan.c sizes them. */
static uint64_t taps(uint32_t in, uint32_t out) {
    uint64_t scale = out > 0 ? ((uint64_t)in + out - 1) / out : 1;
    uint64_t k = 2 * FILTER_SUPPORT * (scale > 1 ? scale : 1) + 2;
    return k < in + 1ULL ? k : in + 1ULL;
}

/* One target: weights (doubles while built, int16 in three layouts for the horizontal pass),
 * the ring of filtered rows, the per-row work buffers and the three images of its size
 * (resampled, oriented, flattened), plus its encoded bytes. */
static uint64_t target_bytes(uint32_t cw, uint32_t ch, uint32_t ow, uint32_t oh, int channels) {
    uint64_t tx = taps(cw, ow), ty = taps(ch, oh), c = (uint64_t)channels;
    uint64_t tables = ow * tx * (8 + 2 + 4 + 8) + oh * ty * (8 + 2) + 16ULL * (ow + oh);
    /* the ring holds a window (two overlapping ones) plus a block of up to 16 filtered rows */
    uint64_t ring = ow * c * (2 * ty + 16) * 4;
    uint64_t work = (uint64_t)cw * c * 4 * (4 + 8);
    uint64_t images = (uint64_t)ow * oh * c * 4;
    return tables + ring + work + images;
}

uint64_t tk_budget_estimate(const struct tk_budget_decode *dec, const struct tk_geom *g, size_t n,
                            uint32_t src_w, uint32_t src_h) {
    uint64_t decoded = (uint64_t)dec->width * dec->height * (uint64_t)dec->channels;
    uint64_t worst = 0;
    for (size_t i = 0; i < n; i++) {
        struct tk_region r = tk_geom_region_resized(&g[i], src_w, src_h, dec->width, dec->height);
        uint32_t cw = (uint32_t)r.w + 1, ch = (uint32_t)r.h + 1; /* whole pixels touched */
        uint64_t t = target_bytes(cw, ch, g[i].out_w, g[i].out_h, dec->channels);
        worst = t > worst ? t : worst;
    }
    return CODEC_STATE_BYTES + dec->extra + decoded + worst;
}
