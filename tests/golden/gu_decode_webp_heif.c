/*
 * gu_decode_webp_heif.c — WebP (libwebp) and HEIC/AVIF (libheif) decoding for the golden tools,
 * independent of the engine: the engine's WebP output is checked with it, and the contact
 * sheet shows the inputs with it.
 */
#include "golden_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libheif/heif.h>
#include <webp/decode.h>
#include <webp/demux.h>

/* Copy @p rows of @p row_bytes from a strided buffer into a new contiguous image. */
static int copy_in(const uint8_t *px, size_t stride, uint32_t w, uint32_t h, enum tk_layout layout,
                   struct tk_image *img) {
    if (gu_image_alloc(img, w, h, layout) != 0) {
        return -1;
    }
    for (uint32_t y = 0; y < h; y++) {
        memcpy(img->pixels + y * img->stride, px + y * stride, img->stride);
    }
    return 0;
}

int gu_webp_decode(const uint8_t *data, size_t size, struct tk_image *img, char *err,
                   size_t errlen) {
    WebPBitstreamFeatures f;
    memset(img, 0, sizeof *img);
    if (WebPGetFeatures(data, size, &f) != VP8_STATUS_OK) {
        snprintf(err, errlen, "webp: not a WebP");
        return -1;
    }
    if (f.has_animation) { /* the first frame on its canvas */
        WebPData wd = {data, size};
        WebPAnimDecoderOptions o;
        WebPAnimDecoderOptionsInit(&o);
        o.color_mode = MODE_RGBA;
        WebPAnimDecoder *dec = WebPAnimDecoderNew(&wd, &o);
        WebPAnimInfo ai;
        uint8_t *frame = NULL;
        int ts = 0, rc = -1;
        if (dec != NULL && WebPAnimDecoderGetInfo(dec, &ai) &&
            WebPAnimDecoderGetNext(dec, &frame, &ts)) {
            rc = copy_in(frame, (size_t)ai.canvas_width * 4, ai.canvas_width, ai.canvas_height,
                         TK_LAYOUT_RGBA, img);
        }
        WebPAnimDecoderDelete(dec);
        if (rc != 0) {
            snprintf(err, errlen, "webp: animation does not decode");
        }
        return rc;
    }
    int w = 0, h = 0;
    uint8_t *px =
        f.has_alpha ? WebPDecodeRGBA(data, size, &w, &h) : WebPDecodeRGB(data, size, &w, &h);
    if (px == NULL) {
        snprintf(err, errlen, "webp: decoding failed");
        return -1;
    }
    enum tk_layout layout = f.has_alpha ? TK_LAYOUT_RGBA : TK_LAYOUT_RGB;
    int rc = copy_in(px, (size_t)w * (size_t)layout, (uint32_t)w, (uint32_t)h, layout, img);
    WebPFree(px);
    return rc;
}

int gu_heif_decode(const uint8_t *data, size_t size, struct tk_image *img, char *err,
                   size_t errlen) {
    struct heif_context *ctx = heif_context_alloc();
    struct heif_image_handle *hd = NULL;
    struct heif_image *im = NULL;
    int rc = -1;
    memset(img, 0, sizeof *img);
    struct heif_error e = heif_context_read_from_memory_without_copy(ctx, data, size, NULL);
    if (e.code == heif_error_Ok) {
        e = heif_context_get_primary_image_handle(ctx, &hd);
    }
    if (e.code == heif_error_Ok) {
        e = heif_decode_image(hd, &im, heif_colorspace_RGB, heif_chroma_interleaved_RGB, NULL);
    }
    if (e.code != heif_error_Ok) {
        snprintf(err, errlen, "heif: %s", e.message);
        goto cleanup;
    }
    int stride = 0;
    const uint8_t *px = heif_image_get_plane_readonly(im, heif_channel_interleaved, &stride);
    rc = copy_in(px, (size_t)stride, (uint32_t)heif_image_get_width(im, heif_channel_interleaved),
                 (uint32_t)heif_image_get_height(im, heif_channel_interleaved), TK_LAYOUT_RGB, img);
cleanup:
    heif_image_release(im);
    heif_image_handle_release(hd);
    heif_context_free(ctx);
    return rc;
}
