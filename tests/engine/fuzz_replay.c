/*
 * fuzz_replay.c — the short form of a libFuzzer target for the default test run (no clang
 * needed): the target's LLVMFuzzerTestOneInput over every seed file given, whole, cut at
 * every length up to 256 bytes and at 16 more points, and with 200 fixed-seed byte mutations
 * each. Under the sanitizer build (scripts/test --sanitize) that is a small fuzz run.
 *   fuzz_replay SEED...
 */
#include "check.h"
#include "files.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rng_state = 0x2545F491u;
static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Run on a copy of exactly @p n bytes, so ASan sees a read one past the end. */
static void one(const uint8_t *p, size_t n, size_t *runs) {
    uint8_t *copy = malloc(n > 0 ? n : 1);
    if (copy == NULL) {
        exit(2);
    }
    memcpy(copy, p, n);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    (*runs)++;
}

int main(int argc, char **argv) {
    size_t runs = 0;
    for (int i = 1; i < argc; i++) {
        struct test_file f = test_load_file(NULL, argv[i]);
        one(f.data, f.size, &runs);
        for (size_t n = 0; n < f.size && n <= 256; n++) {
            one(f.data, n, &runs);
        }
        for (int k = 1; k <= 16; k++) {
            one(f.data, f.size * (size_t)k / 17, &runs);
        }
        uint8_t *m = malloc(f.size > 0 ? f.size : 1);
        CHECK(m != NULL);
        for (int k = 0; m != NULL && k < 200; k++) {
            memcpy(m, f.data, f.size);
            for (int flips = 1 + k % 8; flips > 0 && f.size > 0; flips--) {
                m[rng() % f.size] = (uint8_t)rng();
            }
            one(m, f.size, &runs);
        }
        free(m);
        test_file_free(&f);
    }
    CHECKF(runs > 0, "no seeds");
    printf("%zu inputs from %d seeds\n", runs, argc - 1);
    return check_done("fuzz_replay");
}
