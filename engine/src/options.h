/* options.h — validation of struct tk_options. */
#ifndef TK_OPTIONS_H
#define TK_OPTIONS_H

#include "thumbkit.h"

/**
 * Check every field of @p o; on failure write which one into @p err.
 * @return TK_OK or TK_ERR_INVALID_ARGUMENT.
 */
enum tk_status tk_options_validate(const struct tk_options *o, char *err, size_t errlen);

#endif
