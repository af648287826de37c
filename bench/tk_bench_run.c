/*
 * tk_bench_run.c — per-image timing driver over the public API, for bench/peers/run and
 * bench/lambda-tuning/run. One process handles every file (start-up amortised, as for the
 * peers); each image is read, thumbnailed with tk_thumbnail() and written, and one line of
 * JSON is printed per image:
 *
 *   {"event":"ready","isa":"avx2","version":"0.1.0"}
 *   {"file":"a.jpg","status":"ok","ms":12.3,"cpu_ms":12.1,"engine_ms":11.9,"decode_ms":..,"resample_ms":..,
 *    "encode_ms":..,"decoder":"fast","entropy_ms":..,"src":[w,h],"scale":4,"out":[w,h],
 *    "bytes_out":1234,"libjpeg_eighth_ms":..,"maxrss_kb":...}
 *   {"event":"done","images":N,"failed":F,"maxrss_kb":...}
 *
 * usage: tk_bench_run [-o OUTDIR] [-s SIZE] [-q QUALITY] [-r REPEAT] [--stdin]
 *                     [--no-colour] [--subsample] [--scale S] [--cpu-stages] [--libjpeg-eighth]
 *                     FILE...
 *   -o  write thumbnails there as BASENAME.jpg (default: do not write)
 *   --scale S  decode JPEGs at 1/S (1, 2, 4 or 8) instead of the shrink-on-load rule's choice
 *            (an internal entry point; bench/scale-rule compares the choices)
 *   --cpu-stages  time the engine's stages (decode_ms, entropy_ms, resample_ms, encode_ms) with
 *            the process's CPU clock (one thread) instead of the monotonic one, and
 *            libjpeg_eighth_ms too:
 *            the cost of each stage, not inflated by waiting on a busy machine
 *   --libjpeg-eighth  also time libjpeg-turbo's own 1/8 decode of each JPEG (the engine's
 *            general path, an internal entry point), after the thumbnail, outside its timings:
 *            the floor the stage times are read against
 *   -r  process the file list REPEAT times (later rounds are warm)
 *   --stdin  read file names from standard input, one per line, after the arguments
 *            (one "invocation" per line, answered before the next is read)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "decode.h"
#include "files.h"
#include "testing.h"
#include "thumbkit.h"
#include "tk_clock.h"

/* This process's CPU time (tk_clock.h has the monotonic and wall clocks only). */
static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static long maxrss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            fprintf(f, "\\%c", ch);
        } else if (ch < 0x20) {
            fprintf(f, "\\u%04x", ch);
        } else {
            fputc(ch, f);
        }
    }
    fputc('"', f);
}

static unsigned long parse_ul(const char *s, unsigned long lo, unsigned long hi) {
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "tk_bench_run: bad number '%s'\n", s);
        exit(2);
    }
    return v;
}

/* @return 0 on success, 1 when the image failed. */
/* libjpeg-turbo's own 1/8 decode of @p data (ms), or -1 when it fails. */
static double libjpeg_eighth_ms(const uint8_t *data, size_t size, double (*clock_ms)(void)) {
    struct tk_jpeg_request req = {.scale_denom = 8, .max_pixels = TK_DEFAULT_MAX_PIXELS};
    struct tk_image img;
    char err[256];
    double t0 = clock_ms();
    enum tk_status st = tk_jpeg_decode_general(data, size, &req, &img, err, sizeof err);
    double ms = clock_ms() - t0;
    tk_image_free(&img);
    return st == TK_OK ? ms : -1;
}

static int libjpeg_eighth;
static int forced_scale; /* 0: the engine's rule */
static int cpu_stages;   /* time the stages with the CPU clock (one thread: this one's) */

static int one(const char *path, const char *outdir, const struct tk_options *opts) {
    double t0 = tk_clock_mono_ms(), c0 = cpu_ms();
    uint8_t *data = NULL;
    size_t size = 0;
    int failed = 1;
    const char *status = "io";
    struct tk_result res;
    memset(&res, 0, sizeof res);
    double t_engine = 0;

    data = test_read_file(path, &size);
    if (data != NULL) {
        double te = tk_clock_mono_ms();
        enum tk_status st =
            tk_thumbnail_custom(data, size, opts, forced_scale, cpu_stages ? cpu_ms : NULL, &res);
        t_engine = tk_clock_mono_ms() - te;
        status = tk_status_name(st);
        if (st == TK_OK) {
            failed = 0;
            if (outdir != NULL) {
                const char *base = strrchr(path, '/');
                base = base ? base + 1 : path;
                char out[4096];
                snprintf(out, sizeof out, "%s/%s.%s", outdir, base,
                         tk_format_ext(res.thumbs[0].format));
                FILE *o = fopen(out, "wb");
                if (o == NULL ||
                    fwrite(res.thumbs[0].data, 1, res.thumbs[0].size, o) != res.thumbs[0].size) {
                    failed = 1;
                    status = "io";
                }
                if (o != NULL && fclose(o) != 0) {
                    failed = 1;
                    status = "io";
                }
            }
        }
    }
    double ms = tk_clock_mono_ms() - t0, cms = cpu_ms() - c0;
    double eighth = libjpeg_eighth && data != NULL && res.source_format == TK_FORMAT_JPEG
                        ? libjpeg_eighth_ms(data, size, cpu_stages ? cpu_ms : tk_clock_mono_ms)
                        : -1;

    printf("{\"file\":");
    json_str(stdout, path);
    printf(",\"status\":\"%s\",\"ms\":%.4f,\"cpu_ms\":%.4f,\"engine_ms\":%.4f", status, ms, cms,
           t_engine);
    if (!failed) {
        printf(",\"decode_ms\":%.4f,\"resample_ms\":%.4f,\"colour_ms\":%.4f,\"encode_ms\":%.4f,"
               "\"colour\":\"%s\",\"src\":[%u,%u],"
               "\"scale\":%d,\"orientation\":%d,\"out\":[%u,%u],\"bytes_out\":%zu",
               res.decode_ms, res.resample_ms, res.colour_ms, res.encode_ms, res.colour,
               res.source_width, res.source_height, res.decode_scale, res.orientation,
               res.thumbs[0].width, res.thumbs[0].height, res.thumbs[0].size);
        if (res.jpeg_decoder != NULL) {
            printf(",\"decoder\":\"%s\",\"entropy_ms\":%.4f", res.jpeg_decoder, res.entropy_ms);
        }
        if (eighth >= 0) {
            printf(",\"libjpeg_eighth_ms\":%.4f", eighth);
        }
    } else if (res.error[0]) {
        printf(",\"error\":");
        json_str(stdout, res.error);
    }
    printf(",\"maxrss_kb\":%ld}\n", maxrss_kb());
    fflush(stdout);
    tk_result_free(&res);
    free(data);
    return failed;
}

int main(int argc, char **argv) {
    const char *outdir = NULL;
    unsigned long repeat = 1;
    int use_stdin = 0;
    struct tk_options opts;
    tk_options_init(&opts);
    int first = argc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            outdir = argv[++i];
        } else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
            opts.targets[0].width = opts.targets[0].height =
                (uint32_t)parse_ul(argv[++i], 1, 65535);
        } else if (strcmp(argv[i], "-q") == 0 && i + 1 < argc) {
            opts.quality = (int)parse_ul(argv[++i], 1, 100);
        } else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
            repeat = parse_ul(argv[++i], 1, 1000000);
        } else if (strcmp(argv[i], "--stdin") == 0) {
            use_stdin = 1;
        } else if (strcmp(argv[i], "--no-colour") == 0) {
            opts.colour_manage = false;
        } else if (strcmp(argv[i], "--subsample") == 0) {
            opts.jpeg_subsample = true;
        } else if (strcmp(argv[i], "--libjpeg-eighth") == 0) {
            libjpeg_eighth = 1;
        } else if (strcmp(argv[i], "--cpu-stages") == 0) {
            cpu_stages = 1;
        } else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            forced_scale = (int)parse_ul(argv[++i], 1, 8);
        } else if (strcmp(argv[i], "--") == 0) {
            first = i + 1;
            break;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: tk_bench_run [-o OUTDIR] [-s SIZE] [-q QUALITY] [-r REPEAT] "
                            "[--stdin] [--no-colour] [--subsample] [--scale S] [--cpu-stages] "
                            "[--libjpeg-eighth] FILE...\n");
            return 2;
        } else {
            first = i;
            break;
        }
    }

    printf("{\"event\":\"ready\",\"isa\":\"%s\",\"version\":\"%s\",\"maxrss_kb\":%ld}\n",
           tk_simd_name(), tk_version(), maxrss_kb());
    fflush(stdout);

    unsigned long images = 0, failed = 0;
    for (unsigned long r = 0; r < repeat; r++) {
        for (int i = first; i < argc; i++) {
            failed += (unsigned long)one(argv[i], outdir, &opts);
            images++;
        }
    }
    if (use_stdin) {
        char line[4096];
        while (fgets(line, sizeof line, stdin) != NULL) {
            line[strcspn(line, "\r\n")] = '\0';
            if (line[0] == '\0') {
                continue;
            }
            failed += (unsigned long)one(line, outdir, &opts);
            images++;
        }
    }
    printf("{\"event\":\"done\",\"images\":%lu,\"failed\":%lu,\"maxrss_kb\":%ld}\n", images, failed,
           maxrss_kb());
    return failed ? 1 : 0;
}
