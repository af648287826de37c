/* make_recoded_seeds.c — write each JPEG argument, losslessly re-coded as progressive and with
 * restart markers, into a folder (fuzzing seeds). Usage: make_recoded_seeds OUTDIR FILE... */
#include "files.h"
#include "jpeg_reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUTDIR FILE...\n", argv[0]);
        return 2;
    }
    static const struct {
        enum ref_recoding how;
        const char *prefix;
    } recodings[] = {{REF_PROGRESSIVE, "progressive"}, {REF_RESTART_ROWS, "restarts"}};
    int written = 0;
    for (int i = 2; i < argc; i++) {
        size_t got = 0;
        uint8_t *data = test_read_file(argv[i], &got);
        const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        for (size_t r = 0; data != NULL && r < sizeof(recodings) / sizeof(recodings[0]); r++) {
            uint8_t *out = NULL;
            size_t out_size = 0;
            if (ref_transcode(data, got, recodings[r].how, &out, &out_size) == 0) {
                char path[4096];
                snprintf(path, sizeof(path), "%s/%s-%s", argv[1], recodings[r].prefix, base);
                written += test_write_file(path, out, out_size) == 0;
            }
            free(out);
        }
        free(data);
    }
    printf("%d re-coded seeds written to %s\n", written, argv[1]);
    return written ? 0 : 1;
}
