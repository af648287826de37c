/* names.c — names, MIME types, extensions and parsing of formats, fits and filters. */
#include "thumbkit.h"

#include <string.h>
#include <strings.h>

/* One row per concrete format: everything the adapters ask about it. */
struct format_row {
    enum tk_format format;
    const char *name;
    const char *mime;
    const char *ext;               /* the one written (or usual, for input-only formats) */
    const char *const *input_exts; /* every one read, NULL-terminated */
    bool writable;                 /* thumbkit has an encoder for it */
};

static const char *const jpeg_exts[] = {"jpg", "jpeg", "jpe", "jfif", NULL};
static const char *const png_exts[] = {"png", NULL};
static const char *const webp_exts[] = {"webp", NULL};
static const char *const heic_exts[] = {"heic", "heif", "hif", NULL};
static const char *const avif_exts[] = {"avif", NULL};

static const struct format_row formats[] = {
    {TK_FORMAT_JPEG, "jpeg", "image/jpeg", "jpg", jpeg_exts, true},
    {TK_FORMAT_PNG, "png", "image/png", "png", png_exts, true},
    {TK_FORMAT_WEBP, "webp", "image/webp", "webp", webp_exts, true},
    {TK_FORMAT_HEIC, "heic", "image/heic", "heic", heic_exts, false},
    {TK_FORMAT_AVIF, "avif", "image/avif", "avif", avif_exts, false},
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
        if (!formats[i].writable) {
            continue;
        }
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
    return "jpg,jpeg,jpe,jfif,png,webp,heic,heif,hif,avif";
}

bool tk_format_writable(enum tk_format f) {
    const struct format_row *r = format_row(f);
    return r != NULL && r->writable;
}

enum tk_format tk_format_resolve(enum tk_format requested, enum tk_format source) {
    if (requested != TK_FORMAT_SAME) {
        return requested;
    }
    const struct format_row *r = format_row(source);
    if (r == NULL) {
        return TK_FORMAT_UNKNOWN;
    }
    return r->writable ? source : TK_FORMAT_JPEG;
}

/* Names of small enums: the first row of a value is its name, every row is accepted
 * by the parser (ASCII case ignored), so aliases follow the name. */
struct name_row {
    int value;
    const char *name;
};

static const struct name_row fits[] = {
    {TK_FIT_INSIDE, "inside"},
    {TK_FIT_COVER, "cover"},
};

static const struct name_row filters[] = {
    {TK_FILTER_LANCZOS3, "lanczos3"},
    {TK_FILTER_CATMULL_ROM, "catmull-rom"},
    {TK_FILTER_CATMULL_ROM, "bicubic"},
    {TK_FILTER_BILINEAR, "bilinear"},
    {TK_FILTER_BOX, "box"},
};

#define ROWS(table) (sizeof(table) / sizeof((table)[0]))

static const char *name_of(const struct name_row *rows, size_t n, int value) {
    for (size_t i = 0; i < n; i++) {
        if (rows[i].value == value) {
            return rows[i].name;
        }
    }
    return "unknown";
}

/* @return the value named @p s, or -1 (NULL and unknown names). */
static int value_of(const struct name_row *rows, size_t n, const char *s) {
    for (size_t i = 0; s != NULL && i < n; i++) {
        if (strcasecmp(s, rows[i].name) == 0) {
            return rows[i].value;
        }
    }
    return -1;
}

/* tk_<what>_name() and tk_<what>_parse() of enum tk_<what> (thumbkit.h) from its table. */
#define NAMED_ENUM(what, table)                                                                    \
    const char *tk_##what##_name(enum tk_##what v) {                                               \
        return name_of(table, ROWS(table), (int)v);                                                \
    }                                                                                              \
    enum tk_status tk_##what##_parse(const char *s, enum tk_##what *out) {                         \
        int v = value_of(table, ROWS(table), s);                                                   \
        if (v < 0 || out == NULL) {                                                                \
            return TK_ERR_INVALID_ARGUMENT;                                                        \
        }                                                                                          \
        *out = (enum tk_##what)v;                                                                  \
        return TK_OK;                                                                              \
    }

NAMED_ENUM(fit, fits)
NAMED_ENUM(filter, filters)
