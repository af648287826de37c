/*
 * fuzz_metadata.c — libFuzzer target for the metadata parsers thumbkit writes itself for the
 * new formats: the ICC header and tag check (icc.c: is a profile sRGB, what space is it), the
 * ISO BMFF 'ftyp' brand reader and the magic-number tables (sniff.c), and the EXIF
 * Orientation reader as WebP and HEIF carry it (raw TIFF or "Exif\0\0" + TIFF). The libraries
 * (libwebp, libheif, LittleCMS) are fuzzed upstream; fuzz_thumbnail covers the whole path.
 * Seeds: tests/fuzz/corpus/metadata (profiles and ftyp boxes from tests/data, EXIF blocks).
 */
#include "exif.h"
#include "icc.h"
#include "sniff.h"
#include "thumbkit.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct tk_icc_info info;
    unsigned seen = 0;
    if (tk_icc_inspect(data, size, &info)) {
        seen += (unsigned)info.space + (info.srgb ? 8u : 0u);
    }
    seen += (unsigned)tk_sniff_ftyp(data, size);
    seen += (unsigned)(tk_sniff(data, size) + 1);
    const char *named = tk_sniff_unsupported(data, size);
    seen += named != NULL ? (unsigned)named[0] : 0u;
    seen += (unsigned)tk_exif_orientation_app1(data, size);
    seen += (unsigned)tk_exif_orientation_tiff(data, size);
    if (seen == 0xFFFFFFFFu) {
        abort(); /* unreachable; keeps the calls from being optimised away */
    }
    return 0;
}
