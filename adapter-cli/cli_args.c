/*
 * cli_args.c — parse the command line into engine options and run settings.
 */
#include "cli_args.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_text[] =
    "usage: thumbkit [options] INPUT... -o OUTDIR\n"
    "\n"
    "Make thumbnails of image files and folders (folders are walked recursively).\n"
    "\n"
    "  -o, --output DIR        output folder (created if missing)\n"
    "  -s, --size N|WxH        box to fit into; repeat for several sizes from one decode\n"
    "                          (default 256, at most 8 sizes)\n"
    "      --fit inside|cover  inside: keep aspect ratio inside the box (default);\n"
    "                          cover: fill the box and crop the centre\n"
    "  -f, --format jpeg|png|webp|same   output format (default jpeg)\n"
    "  -q, --quality 1..100    JPEG and WebP quality (default 85)\n"
    "      --progressive       progressive JPEG output\n"
    "      --subsample         JPEG chroma at 4:2:0 (smaller; default 4:4:4)\n"
    "      --no-colour         take pixels as sRGB: ignore embedded colour profiles\n"
    "      --filter NAME       lanczos3 (default), catmull-rom, bilinear, box\n"
    "      --simd ISA          force the resampler kernels: scalar, sse41, avx2, avx512, neon\n"
    "  -j, --jobs N            worker threads (default: all cores)\n"
    "      --max-pixels N      refuse images larger than N pixels (default 100000000)\n"
    "      --max-bytes N       refuse input files larger than N bytes (default 64M);\n"
    "                          N may end in k, M or G (binary units)\n"
    "  -h, --help              this text\n"
    "      --version           print the version and the active SIMD kernels\n"
    "\n"
    "Output names: see adapter-cli/README.md. Exit status: 0 all inputs ok,\n"
    "1 at least one input failed, 2 usage error.\n";

enum {
    OPT_FIT = 256,
    OPT_PROGRESSIVE,
    OPT_SUBSAMPLE,
    OPT_NO_COLOUR,
    OPT_FILTER,
    OPT_SIMD,
    OPT_MAX_PIXELS,
    OPT_MAX_BYTES,
    OPT_VERSION
};

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"size", required_argument, NULL, 's'},
    {"fit", required_argument, NULL, OPT_FIT},
    {"format", required_argument, NULL, 'f'},
    {"quality", required_argument, NULL, 'q'},
    {"progressive", no_argument, NULL, OPT_PROGRESSIVE},
    {"subsample", no_argument, NULL, OPT_SUBSAMPLE},
    {"no-colour", no_argument, NULL, OPT_NO_COLOUR},
    {"filter", required_argument, NULL, OPT_FILTER},
    {"simd", required_argument, NULL, OPT_SIMD},
    {"jobs", required_argument, NULL, 'j'},
    {"max-pixels", required_argument, NULL, OPT_MAX_PIXELS},
    {"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

/* Whole-string unsigned decimal with an optional k/M/G suffix (binary units when allowed). */
static int parse_u64(const char *s, bool suffixes, uint64_t *out) {
    if (s[0] < '0' || s[0] > '9') {
        return -1; /* strtoull would accept "-1" and leading blanks */
    }
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s) {
        return -1;
    }
    unsigned shift = 0;
    if (suffixes && *end != '\0' && end[1] == '\0') {
        switch (*end) {
        case 'k':
        case 'K':
            shift = 10;
            break;
        case 'm':
        case 'M':
            shift = 20;
            break;
        case 'g':
        case 'G':
            shift = 30;
            break;
        default:
            return -1;
        }
        end++;
    }
    if (*end != '\0' || (shift && v > (UINT64_MAX >> shift))) {
        return -1;
    }
    *out = (uint64_t)v << shift;
    return 0;
}

static int parse_side(const char *s, size_t n, uint32_t *out) {
    char buf[16];
    if (n == 0 || n >= sizeof buf) {
        return -1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    uint64_t v;
    if (parse_u64(buf, false, &v) != 0 || v < 1 || v > TK_MAX_BOX_SIDE) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* "256" is a 256x256 box; "320x200" is 320 wide, 200 high. */
static int parse_size(const char *s, struct tk_target *t) {
    const char *x = strchr(s, 'x');
    if (x == NULL) {
        if (parse_side(s, strlen(s), &t->width) != 0) {
            return -1;
        }
        t->height = t->width;
        return 0;
    }
    if (parse_side(s, (size_t)(x - s), &t->width) != 0 ||
        parse_side(x + 1, strlen(x + 1), &t->height) != 0) {
        return -1;
    }
    return 0;
}

int cli_args_parse(int argc, char **argv, struct cli_args *a, char *err, size_t errlen) {
    memset(a, 0, sizeof *a);
    tk_options_init(&a->opts);
    size_t n_sizes = 0;
    enum tk_fit fit = TK_FIT_INSIDE;
    uint64_t v;

    optind = 1;
    opterr = 0; /* we print our own messages */
    int c;
    while ((c = getopt_long(argc, argv, ":o:s:f:q:j:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'o': {
            /* "out/" and "out" must give the same output names (argv is ours to edit). */
            size_t n = strlen(optarg);
            while (n > 1 && optarg[n - 1] == '/') {
                optarg[--n] = '\0';
            }
            a->outdir = optarg;
            break;
        }
        case 's':
            if (n_sizes == TK_MAX_TARGETS) {
                snprintf(err, errlen, "at most %d sizes (-s) per run", TK_MAX_TARGETS);
                return -1;
            }
            if (parse_size(optarg, &a->opts.targets[n_sizes]) != 0) {
                snprintf(err, errlen, "bad size '%s': expected N or WxH, 1..%u", optarg,
                         TK_MAX_BOX_SIDE);
                return -1;
            }
            for (size_t i = 0; i < n_sizes; i++) {
                if (a->opts.targets[i].width == a->opts.targets[n_sizes].width &&
                    a->opts.targets[i].height == a->opts.targets[n_sizes].height) {
                    snprintf(err, errlen, "size %s given twice", optarg);
                    return -1;
                }
            }
            n_sizes++;
            break;
        case OPT_FIT:
            if (tk_fit_parse(optarg, &fit) != TK_OK) {
                snprintf(err, errlen, "bad --fit '%s': expected inside or cover", optarg);
                return -1;
            }
            break;
        case 'f':
            if (tk_format_parse(optarg, &a->opts.format) != TK_OK) {
                snprintf(err, errlen, "bad format '%s': expected jpeg, png, webp or same", optarg);
                return -1;
            }
            break;
        case 'q':
            if (parse_u64(optarg, false, &v) != 0 || v < 1 || v > 100) {
                snprintf(err, errlen, "bad quality '%s': expected 1..100", optarg);
                return -1;
            }
            a->opts.quality = (int)v;
            break;
        case OPT_PROGRESSIVE:
            a->opts.progressive = true;
            break;
        case OPT_SUBSAMPLE:
            a->opts.jpeg_subsample = true;
            break;
        case OPT_NO_COLOUR:
            a->opts.colour_manage = false;
            break;
        case OPT_FILTER:
            if (tk_filter_parse(optarg, &a->opts.filter) != TK_OK) {
                snprintf(err, errlen,
                         "bad filter '%s': expected lanczos3, catmull-rom, bilinear or box",
                         optarg);
                return -1;
            }
            break;
        case OPT_SIMD:
            if (strcmp(optarg, "scalar") != 0 && strcmp(optarg, "sse41") != 0 &&
                strcmp(optarg, "avx2") != 0 && strcmp(optarg, "avx512") != 0 &&
                strcmp(optarg, "neon") != 0) {
                snprintf(err, errlen,
                         "bad --simd '%s': expected scalar, sse41, avx2, avx512 or neon", optarg);
                return -1;
            }
            a->simd = optarg;
            break;
        case 'j':
            if (parse_u64(optarg, false, &v) != 0 || v < 1 || v > 1024) {
                snprintf(err, errlen, "bad -j '%s': expected 1..1024 threads", optarg);
                return -1;
            }
            a->threads = (unsigned)v;
            break;
        case OPT_MAX_PIXELS:
            if (parse_u64(optarg, false, &v) != 0 || v < 1) {
                snprintf(err, errlen, "bad --max-pixels '%s': expected a positive integer", optarg);
                return -1;
            }
            a->opts.max_pixels = v;
            break;
        case OPT_MAX_BYTES:
            if (parse_u64(optarg, true, &v) != 0 || v < 1 || v > SIZE_MAX) {
                snprintf(err, errlen, "bad --max-bytes '%s': expected a positive size", optarg);
                return -1;
            }
            a->opts.max_input_bytes = (size_t)v;
            break;
        case 'h':
            a->help = true;
            break;
        case OPT_VERSION:
            a->version = true;
            break;
        case ':':
            snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
            return -1;
        default:
            if (optopt != 0) {
                snprintf(err, errlen, "unknown option '-%c'", optopt);
            } else {
                snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
            }
            return -1;
        }
    }
    if (n_sizes == 0) {
        n_sizes = 1; /* keep the default 256x256 box from tk_options_init() */
    }
    a->opts.n_targets = n_sizes;
    for (size_t i = 0; i < n_sizes; i++) {
        a->opts.targets[i].fit = fit;
    }
    if (a->help || a->version) {
        return 0;
    }

    a->n_inputs = (size_t)(argc - optind);
    if (a->n_inputs == 0) {
        snprintf(err, errlen, "no INPUT given");
        return -1;
    }
    if (a->outdir == NULL) {
        snprintf(err, errlen, "no output folder given (-o OUTDIR)");
        return -1;
    }
    a->inputs = calloc(a->n_inputs, sizeof *a->inputs);
    if (a->inputs == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < a->n_inputs; i++) {
        a->inputs[i] = argv[optind + (int)i];
    }
    return 0;
}

void cli_args_free(struct cli_args *a) {
    free(a->inputs);
    a->inputs = NULL;
}
