/* jpeg_scans.h — bound the work of a multi-scan (progressive) JPEG before decoding it. */
#ifndef TK_JPEG_SCANS_H
#define TK_JPEG_SCANS_H

#include <stddef.h>
#include <stdint.h>

#include "thumbkit.h"

/** Most scans a JPEG may have (libjpeg-turbo's recommended scan limit). */
#define TK_JPEG_MAX_SCANS 500
/** Most block visits all scans together may ask for: each scan walks every 8x8 block of the
 *  components it codes, even when its data is one end-of-band run. 200 M visits take about
 *  1.5 s; a real 100 MP progressive photo needs about 13 M. */
#define TK_JPEG_MAX_BLOCK_VISITS 200000000ULL

/** What the markers say about the cost of a JPEG. */
struct tk_jpeg_scans {
    unsigned scans;  /**< SOS markers */
    uint64_t blocks; /**< 8x8 blocks of all components of the frame */
};

/**
 * Walk the markers of the JPEG @p data (skipping entropy-coded bytes, no decoding) and count
 * its scans and the 8x8 blocks they visit. Every decode path runs after this check, so a file
 * of thousands of tiny scans is refused in one pass over its bytes instead of after decoding
 * hundreds of them. Malformed or truncated marker streams pass: the decoder reports them.
 * @param out  receives the counts (also on failure)
 * @return TK_OK, or TK_ERR_TOO_LARGE with a sentence in @p err
 */
enum tk_status tk_jpeg_check_scans(const uint8_t *data, size_t size, struct tk_jpeg_scans *out,
                                   char *err, size_t errlen);

#endif
