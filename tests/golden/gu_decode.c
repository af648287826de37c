/*
 * gu_decode.c — PNG (libspng) in and out and JPEG in (the tests' libjpeg reference
 * decoder), independent of the engine, so the tests decode the engine's output with a
 * second implementation.
 */
#include "files.h"
#include "golden_util.h"
#include "jpeg_reference.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spng.h>

static enum tk_layout layout_of_color_type(int ct) {
    switch (ct) {
    case SPNG_COLOR_TYPE_GRAYSCALE:
        return TK_LAYOUT_GRAY;
    case SPNG_COLOR_TYPE_GRAYSCALE_ALPHA:
        return TK_LAYOUT_GRAY_ALPHA;
    case SPNG_COLOR_TYPE_TRUECOLOR:
        return TK_LAYOUT_RGB;
    case SPNG_COLOR_TYPE_TRUECOLOR_ALPHA:
        return TK_LAYOUT_RGBA;
    default:
        return 0;
    }
}

int gu_png_decode(const uint8_t *data, size_t size, struct tk_image *img, char *err,
                  size_t errlen) {
    int rc = -1, e;
    struct spng_ihdr ihdr;
    size_t out_size = 0;
    spng_ctx *ctx = spng_ctx_new(0);
    memset(img, 0, sizeof *img);
    if (ctx == NULL) {
        snprintf(err, errlen, "spng_ctx_new failed");
        return -1;
    }
    if ((e = spng_set_png_buffer(ctx, data, size)) != 0 || (e = spng_get_ihdr(ctx, &ihdr)) != 0) {
        snprintf(err, errlen, "png: %s", spng_strerror(e));
        goto cleanup;
    }
    enum tk_layout layout = layout_of_color_type(ihdr.color_type);
    if (ihdr.bit_depth != 8 || layout == 0) {
        snprintf(err, errlen, "png: expected 8-bit gray/GA/RGB/RGBA, got depth %u type %u",
                 ihdr.bit_depth, ihdr.color_type);
        goto cleanup;
    }
    /* SPNG_FMT_PNG: samples exactly as stored, no conversion that could hide a difference. */
    if ((e = spng_decoded_image_size(ctx, SPNG_FMT_PNG, &out_size)) != 0) {
        snprintf(err, errlen, "png: %s", spng_strerror(e));
        goto cleanup;
    }
    if (gu_image_alloc(img, ihdr.width, ihdr.height, layout) != 0 ||
        out_size != img->stride * img->height) {
        snprintf(err, errlen, "png: cannot allocate %zu bytes", out_size);
        goto cleanup;
    }
    if ((e = spng_decode_image(ctx, img->pixels, out_size, SPNG_FMT_PNG, 0)) != 0) {
        snprintf(err, errlen, "png: %s", spng_strerror(e));
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (rc != 0) {
        tk_image_free(img);
    }
    spng_ctx_free(ctx);
    return rc;
}

int gu_png_read(const char *path, struct tk_image *img, char *err, size_t errlen) {
    size_t size = 0;
    memset(img, 0, sizeof *img);
    uint8_t *data = test_read_file(path, &size);
    if (data == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = gu_png_decode(data, size, img, err, errlen);
    free(data);
    return rc;
}

int gu_png_write(const char *path, const struct tk_image *img, char *err, size_t errlen) {
    static const uint8_t color_types[] = {
        0, SPNG_COLOR_TYPE_GRAYSCALE, SPNG_COLOR_TYPE_GRAYSCALE_ALPHA, SPNG_COLOR_TYPE_TRUECOLOR,
        SPNG_COLOR_TYPE_TRUECOLOR_ALPHA};
    int rc = -1, e;
    size_t row = (size_t)img->width * (size_t)img->layout;
    uint8_t *packed = NULL;
    void *png = NULL;
    size_t png_len = 0;
    spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
    if (ctx == NULL || img->layout < 1 || img->layout > 4) {
        snprintf(err, errlen, "png write: bad context or layout");
        goto cleanup;
    }
    packed = malloc((row * img->height) > 0 ? row * img->height : 1);
    if (packed == NULL) {
        snprintf(err, errlen, "png write: out of memory");
        goto cleanup;
    }
    for (uint32_t y = 0; y < img->height; y++) {
        memcpy(packed + y * row, img->pixels + y * img->stride, row);
    }
    struct spng_ihdr ihdr = {.width = img->width,
                             .height = img->height,
                             .bit_depth = 8,
                             .color_type = color_types[img->layout]};
    spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1);
    if ((e = spng_set_ihdr(ctx, &ihdr)) != 0 ||
        (e = spng_encode_image(ctx, packed, row * img->height, SPNG_FMT_PNG,
                               SPNG_ENCODE_FINALIZE)) != 0) {
        snprintf(err, errlen, "png write: %s", spng_strerror(e));
        goto cleanup;
    }
    png = spng_get_png_buffer(ctx, &png_len, &e);
    if (png == NULL) {
        snprintf(err, errlen, "png write: %s", spng_strerror(e));
        goto cleanup;
    }
    if (test_write_file(path, png, png_len) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(png);
    free(packed);
    spng_ctx_free(ctx);
    return rc;
}

/* The reference decoder's image as a tk_image (same bytes, no copy). */
static int jpeg_decode(const uint8_t *data, size_t size, const struct ref_jpeg_request *req,
                       struct tk_image *img, char *err, size_t errlen) {
    struct ref_image ref;
    memset(img, 0, sizeof *img);
    if (ref_jpeg_decode(data, size, req, &ref, err, errlen) != 0) {
        return -1;
    }
    if (ref.channels != 1 && ref.channels != 3) {
        snprintf(err, errlen, "jpeg: %d channels", ref.channels);
        free(ref.pixels);
        return -1;
    }
    img->pixels = ref.pixels;
    img->width = (uint32_t)ref.width;
    img->height = (uint32_t)ref.height;
    img->stride = (size_t)ref.width * (size_t)ref.channels;
    img->layout = ref.channels == 1 ? TK_LAYOUT_GRAY : TK_LAYOUT_RGB;
    return 0;
}

int gu_jpeg_decode(const uint8_t *data, size_t size, struct tk_image *img, char *err,
                   size_t errlen) {
    static const struct ref_jpeg_request full = {.scale_denom = 1};
    return jpeg_decode(data, size, &full, img, err, errlen);
}

static int png_decode_rgba(const uint8_t *data, size_t size, struct tk_image *img, char *err,
                           size_t errlen) {
    int rc = -1, e;
    struct spng_ihdr ihdr;
    size_t out_size = 0;
    spng_ctx *ctx = spng_ctx_new(0);
    if (ctx == NULL) {
        snprintf(err, errlen, "spng_ctx_new failed");
        return -1;
    }
    if ((e = spng_set_png_buffer(ctx, data, size)) != 0 || (e = spng_get_ihdr(ctx, &ihdr)) != 0 ||
        (e = spng_decoded_image_size(ctx, SPNG_FMT_RGBA8, &out_size)) != 0) {
        snprintf(err, errlen, "png: %s", spng_strerror(e));
        goto cleanup;
    }
    if (gu_image_alloc(img, ihdr.width, ihdr.height, TK_LAYOUT_RGBA) != 0) {
        snprintf(err, errlen, "png: out of memory");
        goto cleanup;
    }
    if ((e = spng_decode_image(ctx, img->pixels, out_size, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS)) !=
        0) {
        snprintf(err, errlen, "png: %s", spng_strerror(e));
        tk_image_free(img);
        goto cleanup;
    }
    rc = 0;
cleanup:
    spng_ctx_free(ctx);
    return rc;
}

int gu_decode_stored(const uint8_t *data, size_t size, uint32_t min_side, struct tk_image *img,
                     char *err, size_t errlen) {
    memset(img, 0, sizeof *img);
    if (size >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) {
        return png_decode_rgba(data, size, img, err, errlen);
    }
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        const struct ref_jpeg_request scaled = {.scale_denom = 0, .min_side = min_side};
        return jpeg_decode(data, size, &scaled, img, err, errlen);
    }
    if (size >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) {
        return gu_webp_decode(data, size, img, err, errlen);
    }
    if (size >= 12 && memcmp(data + 4, "ftyp", 4) == 0) {
        return gu_heif_decode(data, size, img, err, errlen);
    }
    snprintf(err, errlen, "neither PNG, JPEG, WebP nor HEIF");
    return -1;
}
