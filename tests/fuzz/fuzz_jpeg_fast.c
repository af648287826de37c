/*
 * fuzz_jpeg_fast.c — libFuzzer target for the fast reduced-scale JPEG decoder, the one part
 * of thumbkit that parses entropy-coded data itself: every scale, both codings. Seeds: the
 * test JPEGs, stored and re-coded as progressive and with restarts (tests/fuzz/corpus/jpeg_fast,
 * written by tests/fuzz/make_seeds.py).
 */
#include "jpeg_fast.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const int scales[] = {8, 4, 2};
    for (int i = 0; i < 3; i++) {
        struct tk_image img;
        bool eligible;
        char err[128];
        /* A 64 MP cap keeps one input's planes small; the limit check itself is exercised. */
        struct tk_jpeg_fast_request req = {.scale_denom = scales[i],
                                           .codings =
                                               TK_JPEG_FAST_BASELINE | TK_JPEG_FAST_PROGRESSIVE,
                                           .max_pixels = 64000000ULL};
        enum tk_status s = tk_jpeg_fast_decode(data, size, &req, &img, &eligible, err, sizeof(err));
        if (s == TK_OK && eligible) {
            /* Touch every pixel so ASan sees any out-of-bounds write in the output stage. */
            unsigned sum = 0;
            for (size_t k = 0; k < img.stride * img.height; k++) {
                sum += img.pixels[k];
            }
            if (sum == 0xFFFFFFFFu) {
                abort(); /* unreachable in practice; keeps the loop from being optimised away */
            }
        }
        tk_image_free(&img);
    }
    return 0;
}
