/* names.c — names, MIME types, extensions and parsing of formats, fits and filters. */
#include "thumbkit.h"

#include <string.h>
#include <strings.h>

/* One row per concrete format: everything the adapters ask about it. */
struct format_row {
    enum tk_format format;
    const char *name;
    const char *mime;
    const char *ext;               /* the one written */
    const char *const *input_exts; /* every one read, NULL-terminated */
};

static const char *const jpeg_exts[] = {"jpg", "jpeg", "jpe", "jfif", NULL};
static const char *const png_exts[] = {"png", NULL};

static const struct format_row formats[] = {
    {TK_FORMAT_JPEG, "jpeg", "image/jpeg", "jpg", jpeg_exts},
    {TK_FORMAT_PNG, "png", "image/png", "png", png_exts},
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

static const struct format_row *format_row(enum tk_format f) {
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (formats[i].format == f) {
            return &formats[i];
        }
    }
    return NULL;
}

const char *tk_format_name(enum tk_format f) {
    const struct format_row *r = format_row(f);
    if (r != NULL) {
        return r->name;
    }
    return f == TK_FORMAT_SAME ? "same" : "unknown";
}

const char *tk_format_mime(enum tk_format f) {
    const struct format_row *r = format_row(f);
    return r != NULL ? r->mime : NULL;
}

const char *tk_format_ext(enum tk_format f) {
    const struct format_row *r = format_row(f);
    return r != NULL ? r->ext : NULL;
}

enum tk_status tk_format_parse(const char *s, enum tk_format *out) {
    if (s == NULL || out == NULL) {
        return TK_ERR_INVALID_ARGUMENT;
    }
    if (strcasecmp(s, "same") == 0) {
        *out = TK_FORMAT_SAME;
        return TK_OK;
    }
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (strcasecmp(s, formats[i].name) == 0 || strcasecmp(s, formats[i].ext) == 0) {
            *out = formats[i].format;
            return TK_OK;
        }
    }
    return TK_ERR_INVALID_ARGUMENT;
}

enum tk_format tk_format_from_extension(const char *ext) {
    if (ext == NULL) {
        return TK_FORMAT_UNKNOWN;
    }
    for (size_t i = 0; i < N_FORMATS; i++) {
        for (const char *const *e = formats[i].input_exts; *e != NULL; e++) {
            if (strcasecmp(ext, *e) == 0) {
                return formats[i].format;
            }
        }
    }
    return TK_FORMAT_UNKNOWN;
}

const char *tk_input_extensions(void) {
    /* Kept in step with the table by tests/engine/test_api.c. */
    return "jpg,jpeg,jpe,jfif,png";
}

enum tk_format tk_format_resolve(enum tk_format requested, enum tk_format source) {
    if (requested != TK_FORMAT_SAME) {
        return requested;
    }
    return format_row(source) != NULL ? source : TK_FORMAT_UNKNOWN;
}

const char *tk_fit_name(enum tk_fit f) {
    switch (f) {
    case TK_FIT_INSIDE:
        return "inside";
    case TK_FIT_COVER:
        return "cover";
    }
    return "unknown";
}

enum tk_status tk_fit_parse(const char *s, enum tk_fit *out) {
    if (s == NULL || out == NULL) {
        return TK_ERR_INVALID_ARGUMENT;
    }
    if (strcasecmp(s, "inside") == 0) {
        *out = TK_FIT_INSIDE;
    } else if (strcasecmp(s, "cover") == 0) {
        *out = TK_FIT_COVER;
    } else {
        return TK_ERR_INVALID_ARGUMENT;
    }
    return TK_OK;
}

const char *tk_filter_name(enum tk_filter f) {
    switch (f) {
    case TK_FILTER_LANCZOS3:
        return "lanczos3";
    case TK_FILTER_CATMULL_ROM:
        return "catmull-rom";
    case TK_FILTER_BILINEAR:
        return "bilinear";
    case TK_FILTER_BOX:
        return "box";
    }
    return "unknown";
}

enum tk_status tk_filter_parse(const char *s, enum tk_filter *out) {
    if (s == NULL || out == NULL) {
        return TK_ERR_INVALID_ARGUMENT;
    }
    if (strcasecmp(s, "lanczos3") == 0) {
        *out = TK_FILTER_LANCZOS3;
    } else if (strcasecmp(s, "catmull-rom") == 0 || strcasecmp(s, "bicubic") == 0) {
        *out = TK_FILTER_CATMULL_ROM;
    } else if (strcasecmp(s, "bilinear") == 0) {
        *out = TK_FILTER_BILINEAR;
    } else if (strcasecmp(s, "box") == 0) {
        *out = TK_FILTER_BOX;
    } else {
        return TK_ERR_INVALID_ARGUMENT;
    }
    return TK_OK;
}
