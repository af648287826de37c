#!/usr/bin/env bash
# Enforce the dependency rule of CONTRIBUTING.md: simd <- engine <- adapter-*.
# Looks at every #include in the library and adapter sources.
set -u
root=${1:?usage: check-deps.sh REPO_ROOT}
cd "$root" || exit 2
fail=0

violations() { # $1 = folder, $2 = extended regex of forbidden include targets, $3 = reason
  local hits
  hits=$(grep -rnE --include='*.c' --include='*.h' --include='*.cc' \
    "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" "$1" 2>/dev/null)
  if [ -n "$hits" ]; then
    printf 'dependency rule broken in %s (%s):\n%s\n' "$1" "$3" "$hits"
    fail=1
  fi
}

# simd/ is the bottom layer: nothing from engine/ or above, no codecs, no network.
violations simd '(\.\./)*engine/|thumbkit\.h|jpeglib|spng|png\.h|curl/|openssl/|cjson/|aws' \
  'simd includes nothing from engine or above'
# engine/ never touches the network, crypto or anything AWS, nor an adapter.
violations engine 'curl/|openssl/|cjson/|aws|(\.\./)*adapter-|sigv4|s3\.h|runtime_api' \
  'engine has no network, crypto or AWS code'
# adapters see only the public engine header: no engine internals, no simd.
for a in adapter-*; do
  [ -d "$a" ] || continue
  violations "$a" '(\.\./)*engine/src|(\.\./)*simd/|tk_resample\.h|jpeglib\.h|spng\.h' \
    'adapters include only engine/include/thumbkit.h from the engine'
done
# ...and the adapters never include each other.
violations adapter-cli '(\.\./)*adapter-lambda/' 'adapters are independent'
violations adapter-lambda '(\.\./)*adapter-cli/' 'adapters are independent'

[ $fail = 0 ] && echo "dependency rule: ok"
exit $fail
