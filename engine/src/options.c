/* options.c — defaults and validation of struct tk_options. */
#include "options.h"
#include "errmsg.h"

#include <string.h>

void tk_options_init(struct tk_options *o) {
    memset(o, 0, sizeof(*o));
    o->targets[0].width = 256;
    o->targets[0].height = 256;
    o->targets[0].fit = TK_FIT_INSIDE;
    o->n_targets = 1;
    o->format = TK_FORMAT_JPEG;
    o->quality = TK_DEFAULT_QUALITY;
    o->progressive = false;
    o->filter = TK_FILTER_LANCZOS3;
    o->max_pixels = TK_DEFAULT_MAX_PIXELS;
    o->max_input_bytes = TK_DEFAULT_MAX_INPUT_BYTES;
    o->background[0] = 255;
    o->background[1] = 255;
    o->background[2] = 255;
    o->shrink_on_load = true;
    o->colour_manage = true;
    o->keep_pixels = false;
}

enum tk_status tk_options_validate(const struct tk_options *o, char *err, size_t errlen) {
    if (o->n_targets < 1 || o->n_targets > TK_MAX_TARGETS) {
        tk_errf(err, errlen, "n_targets is %zu, must be 1..%d", o->n_targets, TK_MAX_TARGETS);
        return TK_ERR_INVALID_ARGUMENT;
    }
    for (size_t i = 0; i < o->n_targets; i++) {
        const struct tk_target *t = &o->targets[i];
        if (t->width < 1 || t->width > TK_MAX_BOX_SIDE || t->height < 1 ||
            t->height > TK_MAX_BOX_SIDE) {
            tk_errf(err, errlen, "target %zu is %ux%u, each side must be 1..%u", i,
                    (unsigned)t->width, (unsigned)t->height, TK_MAX_BOX_SIDE);
            return TK_ERR_INVALID_ARGUMENT;
        }
        if (t->fit != TK_FIT_INSIDE && t->fit != TK_FIT_COVER) {
            tk_errf(err, errlen, "target %zu has an unknown fit %d", i, (int)t->fit);
            return TK_ERR_INVALID_ARGUMENT;
        }
    }
    if (o->format != TK_FORMAT_SAME && !tk_format_writable(o->format)) {
        tk_errf(err, errlen, "%s is not an output format", tk_format_name(o->format));
        return TK_ERR_INVALID_ARGUMENT;
    }
    if (o->quality < 1 || o->quality > 100) {
        tk_errf(err, errlen, "quality is %d, must be 1..100", o->quality);
        return TK_ERR_INVALID_ARGUMENT;
    }
    if ((unsigned)o->filter > (unsigned)TK_FILTER_BOX) {
        tk_errf(err, errlen, "unknown filter %d", (int)o->filter);
        return TK_ERR_INVALID_ARGUMENT;
    }
    if (o->max_pixels == 0 || o->max_input_bytes == 0) {
        tk_errf(err, errlen, "max_pixels and max_input_bytes must be above 0");
        return TK_ERR_INVALID_ARGUMENT;
    }
    return TK_OK;
}
