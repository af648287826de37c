/*
 * reference_thumb.c — the thumbnail the Lambda should have written, made locally.
 *
 *   tk_e2e_reference IN OUT
 *
 * Loads the function configuration from the environment exactly as bootstrap does
 * (config_load, whose cfg.thumb are the engine options), runs tk_thumbnail() on IN
 * and writes the encoded thumbnail to OUT. Prints {"status","format","width","height"}
 * as one JSON line. The end-to-end tests compare the object in S3 with OUT byte for byte.
 * Exit status: 0 written, 3 tk_thumbnail failed (status printed), 1 usage/I/O error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "files.h"
#include "thumbkit.h"

int main(int argc, char **argv) {
    struct config cfg = {0};
    struct tk_result r = {0};
    char err[256];
    size_t len = 0;
    int status = 1;
    unsigned char *data = NULL;

    if (argc != 3) {
        fprintf(stderr, "usage: %s IN OUT\n", argv[0]);
        return 1;
    }
    if (config_load(&cfg, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "config: %s\n", err);
        return 1;
    }
    data = test_read_file(argv[1], &len);
    if (!data) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        goto cleanup;
    }
    enum tk_status st = tk_thumbnail(data, len, &cfg.thumb, &r);
    if (st != TK_OK) {
        printf("{\"status\":\"%s\"}\n", tk_status_name(st));
        status = 3;
        goto cleanup;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(r.thumbs[0].data, 1, r.thumbs[0].size, f) != r.thumbs[0].size) {
        fprintf(stderr, "cannot write %s\n", argv[2]);
        if (f) {
            fclose(f);
        }
        goto cleanup;
    }
    if (fclose(f) != 0) {
        goto cleanup;
    }
    printf("{\"status\":\"ok\",\"format\":\"%s\",\"width\":%u,\"height\":%u}\n",
           tk_format_name(r.thumbs[0].format), r.thumbs[0].width, r.thumbs[0].height);
    status = 0;

cleanup:
    tk_result_free(&r);
    free(data);
    config_free(&cfg);
    return status;
}
