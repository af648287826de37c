#!/usr/bin/env bash
# Enforce the dependency rule of CONTRIBUTING.md: simd <- engine <- adapter-*, and inside
# adapter-lambda the rooms base <- aws <- runtime (HTTP only), base <- events, all <- the
# function at the root. Looks at every #include in the library and adapter sources.
set -u
root=${1:?usage: check-deps.sh REPO_ROOT}
cd "$root" || exit 2
fail=0

includes() { # $@ = files or folders: every #include line, as file:line:text
  grep -rnE --include='*.c' --include='*.h' --include='*.cc' \
    '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$@" 2>/dev/null
}

report() { # $1 = where, $2 = reason, $3 = offending lines
  if [ -n "$3" ]; then
    printf 'dependency rule broken in %s (%s):\n%s\n' "$1" "$2" "$3"
    fail=1
  fi
}

violations() { # $1 = folder, $2 = extended regex of forbidden include targets, $3 = reason
  report "$1" "$3" "$(includes "$1" | grep -E "#[[:space:]]*include[[:space:]]*[<\"]($2)")"
}

# simd/ is the bottom layer: nothing from engine/ or above, no codecs, no network.
violations simd '(\.\./)*engine/|thumbkit\.h|jpeglib|spng|png\.h|webp/|libheif/|lcms2|curl/|openssl/|cjson/|aws' \
  'simd includes nothing from engine or above'
# engine/ never touches the network, crypto or anything AWS, nor an adapter.
violations engine 'curl/|openssl/|cjson/|aws|(\.\./)*adapter-|sigv4|s3\.h|runtime_api' \
  'engine has no network, crypto or AWS code'
# The codec and colour libraries are the engine's alone; LittleCMS and libheif are loaded on
# first use, so only the files that load them include their headers (lazylib.h).
report engine 'only colour.c includes lcms2.h, only heif_decode.c includes libheif' \
  "$(includes engine | grep -E '#[[:space:]]*include[[:space:]]*<(lcms2|libheif/)' |
    grep -vE '^engine/src/(colour\.c|heif_decode\.c):')"
# adapters see only the public engine header: no engine internals, no simd.
for a in adapter-*; do
  [ -d "$a" ] || continue
  violations "$a" '(\.\./)*engine/src|(\.\./)*simd/|tk_resample\.h|jpeglib\.h|spng\.h|webp/|libheif/|lcms2' \
    'adapters include only engine/include/thumbkit.h from the engine'
done
# ...and the adapters never include each other.
violations adapter-cli '(\.\./)*adapter-lambda/' 'adapters are independent'
violations adapter-lambda '(\.\./)*adapter-cli/' 'adapters are independent'
# adapter-cli: its own headers, the engine's public header and common/ only.
report adapter-cli 'the CLI includes cli_*.h, thumbkit.h and common/ (tk_clock.h) only' \
  "$(includes adapter-cli | grep -E '#[[:space:]]*include[[:space:]]*"' |
    grep -vE '"(cli_[a-z_]+\.h|thumbkit\.h|tk_clock\.h)"')"

# adapter-lambda's rooms. Room headers are included by path from adapter-lambda/
# ("aws/s3.h"); the function's own headers sit at the root ("config.h"). No "../" anywhere,
# so a path always names the room it comes from.
L=adapter-lambda
if [ -d "$L" ]; then
  root_headers=$(cd "$L" && ls -- *.h 2>/dev/null | sed 's/\./\\./g' | paste -sd'|' -)
  fn="(${root_headers:-config\.h})\""
  violations "$L" '\.\./' 'no relative includes: rooms are named by path'
  violations "$L/base" "aws/|runtime/|events/|$fn|thumbkit\.h|curl/|openssl/|cjson/" \
    'base includes libc only'
  violations "$L/aws" "runtime/|events/|$fn|thumbkit\.h" \
    'aws includes base, libcurl, OpenSSL and cJSON only'
  violations "$L/events" "aws/|runtime/|$fn|thumbkit\.h|curl/|openssl/" \
    'events includes base and cJSON only'
  violations "$L/runtime" "events/|$fn|thumbkit\.h|openssl/" \
    'runtime includes base, aws/http.h and cJSON only'
  report "$L/runtime" 'runtime includes base, aws/http.h and cJSON only' \
    "$(includes "$L/runtime" | grep -E '"aws/' | grep -vE '"aws/http\.h"')"
fi

[ $fail = 0 ] && echo "dependency rule: ok"
exit $fail
