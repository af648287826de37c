/*
 * kernels_x86_256.h — the primitives of kernels_body.h that depend on 256-bit
 * registers, shared by the AVX2 and AVX-512 kernel files (the AVX-512 kernels
 * use 256-bit registers too, see kernels_avx512.c): the 8x8 transpose and the
 * narrowing stores. The including file defines vec as __m256i and includes
 * kernels_x86.h first.
 */
#ifndef TK_RS_KERNELS_X86_256_H
#define TK_RS_KERNELS_X86_256_H

/* 8x8 int32 transpose: 4x4 blocks within each lane, then the lanes swapped. */
static inline void v_transpose32(vec *m) {
    vec t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_epi32(m[i], m[i + 1]);
        t[i + 1] = _mm256_unpackhi_epi32(m[i], m[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
        u[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
        u[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
        u[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    for (int i = 0; i < 4; i++) {
        m[i] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x20);
        m[i + 4] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x31);
    }
}

/* packs works per lane: gather the two low quadwords for the 8 values in order. */
static inline void v_store_i16(int16_t *dst, vec v) {
    const vec p = _mm256_permute4x64_epi64(_mm256_packs_epi32(v, v), 0x08);
    _mm_storeu_si128((__m128i *)dst, _mm256_castsi256_si128(p));
}

/* In-lane packs keep column order within each lane; gather the two low
 * quadwords to get the 16 bytes in order. */
static inline void v_store_u8(uint8_t *dst, vec lo, vec hi) {
    const vec v16 = _mm256_packs_epi32(lo, hi);
    const vec v8 = _mm256_permute4x64_epi64(_mm256_packus_epi16(v16, v16), 0x08);
    _mm_storeu_si128((__m128i *)dst, _mm256_castsi256_si128(v8));
}

#endif /* TK_RS_KERNELS_X86_256_H */
