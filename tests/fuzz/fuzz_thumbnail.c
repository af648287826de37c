/*
 * fuzz_thumbnail.c — libFuzzer target: any bytes through the whole tk_thumbnail call, two
 * targets, every output format (JPEG, PNG, WebP), with a memory budget the engine must keep.
 */
#include "thumbkit.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct tk_options o;
    tk_options_init(&o);
    /* Small limits keep each run fast; bombs are still refused from the header. */
    o.max_pixels = 4u * 1000u * 1000u;
    o.max_memory = 256u * 1024u * 1024u;
    o.n_targets = 2;
    o.targets[0] = (struct tk_target){64, 64, TK_FIT_INSIDE};
    o.targets[1] = (struct tk_target){32, 48, TK_FIT_COVER};
    static const enum tk_format outputs[] = {TK_FORMAT_JPEG, TK_FORMAT_PNG, TK_FORMAT_WEBP};
    o.format = size > 0 ? outputs[data[size - 1] % 3] : TK_FORMAT_JPEG;
    struct tk_result r;
    enum tk_status st = tk_thumbnail(data, size, &o, &r);
    if (st == TK_OK && (r.n_thumbs != 2 || r.thumbs[0].data == NULL || r.thumbs[1].size == 0)) {
        abort();
    }
    if (st != TK_OK && (r.n_thumbs != 0 || r.error[0] == '\0')) {
        abort();
    }
    tk_result_free(&r);
    return 0;
}
