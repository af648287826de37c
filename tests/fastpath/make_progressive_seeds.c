/* make_progressive_seeds.c — write each JPEG argument, re-coded as progressive, into a folder
 * (fuzzing seeds). Usage: make_progressive_seeds OUTDIR FILE... */
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
    int written = 0;
    for (int i = 2; i < argc; i++) {
        size_t got = 0;
        uint8_t *data = test_read_file(argv[i], &got);
        uint8_t *prog = NULL;
        size_t prog_size = 0;
        if (data != NULL && ref_make_progressive(data, got, &prog, &prog_size) == 0) {
            const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
            char path[4096];
            snprintf(path, sizeof(path), "%s/progressive-%s", argv[1], base);
            if (test_write_file(path, prog, prog_size) == 0) {
                written++;
            }
        }
        free(prog);
        free(data);
    }
    printf("%d progressive seeds written to %s\n", written, argv[1]);
    return written ? 0 : 1;
}
