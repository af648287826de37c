/* names.c — names, MIME types and parsing of formats and filters. */
#include "thumbkit.h"

#include <strings.h>

const char *tk_format_name(enum tk_format f) {
    switch (f) {
    case TK_FORMAT_SAME:
        return "same";
    case TK_FORMAT_JPEG:
        return "jpeg";
    case TK_FORMAT_PNG:
        return "png";
    }
    return "unknown";
}

const char *tk_format_mime(enum tk_format f) {
    switch (f) {
    case TK_FORMAT_JPEG:
        return "image/jpeg";
    case TK_FORMAT_PNG:
        return "image/png";
    case TK_FORMAT_SAME:
        break;
    }
    return NULL;
}

const char *tk_format_ext(enum tk_format f) {
    switch (f) {
    case TK_FORMAT_JPEG:
        return "jpg";
    case TK_FORMAT_PNG:
        return "png";
    case TK_FORMAT_SAME:
        break;
    }
    return NULL;
}

enum tk_status tk_format_parse(const char *s, enum tk_format *out) {
    if (s == NULL || out == NULL) {
        return TK_ERR_INVALID_ARGUMENT;
    }
    if (strcasecmp(s, "jpeg") == 0 || strcasecmp(s, "jpg") == 0) {
        *out = TK_FORMAT_JPEG;
    } else if (strcasecmp(s, "png") == 0) {
        *out = TK_FORMAT_PNG;
    } else if (strcasecmp(s, "same") == 0) {
        *out = TK_FORMAT_SAME;
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
