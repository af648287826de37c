/*
 * fuzz_jpeg_dc.c — libFuzzer target for the DC-only JPEG decoder, the one part
 * of thumbkit that parses entropy-coded data itself. Seeds: the test JPEGs,
 * stored and re-coded as progressive (tests/fuzz/corpus/jpeg_dc; scripts/fuzz runs it).
 */
#include "testing.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const enum tk_jpeg_dc_mode modes[] = {TK_JPEG_DC_PROGRESSIVE_ONLY,
                                                 TK_JPEG_DC_ALSO_BASELINE};
    for (int i = 0; i < 2; i++) {
        struct tk_image img;
        bool eligible;
        char err[128];
        /* 64 MP cap keeps one input's DC planes small; the limit check itself is exercised. */
        enum tk_status s = tk_jpeg_dc_decode_mode(data, size, modes[i], 64000000ULL, &img,
                                                  &eligible, err, sizeof(err));
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
