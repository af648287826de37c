#!/usr/bin/env bash
# check-deps.sh can fail: on scratch copies of the tree, each planted include that breaks the
# dependency rule (CONTRIBUTING.md) must fail the check and be named as FILE:LINE, and an
# include the rule allows must pass.
#   test-deps.sh REPO_ROOT
set -u
root=${1:?usage: test-deps.sh REPO_ROOT}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d) && trap 'rm -rf "$scratch"' EXIT
failures=0

# The folders the rule looks at, as they are now.
for d in simd engine adapter-cli adapter-lambda; do
  cp -r "$root/$d" "$scratch/clean-$d" 2>/dev/null || true
done

# plant FILE INCLUDE WANTED_EXIT: put INCLUDE first in FILE of a fresh copy, run the check.
plant() {
  local file=$1 inc=$2 want=$3 tree="$scratch/tree"
  rm -rf "$tree" && mkdir "$tree"
  for d in simd engine adapter-cli adapter-lambda; do
    [ -d "$scratch/clean-$d" ] && cp -r "$scratch/clean-$d" "$tree/$d"
  done
  { printf '%s\n' "$inc"; cat "$tree/$file"; } >"$tree/$file.new" && mv "$tree/$file.new" "$tree/$file"
  out=$(bash "$here/check-deps.sh" "$tree" 2>&1)
  rc=$?
  if [ "$rc" != "$want" ] || { [ "$want" = 1 ] && ! grep -q "^$file:1:" <<<"$out"; }; then
    printf 'FAIL: %s in %s: exit %s (wanted %s)\n%s\n' "$inc" "$file" "$rc" "$want" "$out"
    failures=$((failures + 1))
  else
    echo "ok: $inc in $file -> exit $rc"
  fi
}

plant adapter-lambda/events/event.c '#include "aws/s3.h"' 1
plant adapter-lambda/runtime/loop.c '#include "aws/sigv4.h"' 1
plant adapter-lambda/runtime/runtime_api.c '#include "handler.h"' 1
plant adapter-lambda/base/text.c '#include "config.h"' 1
plant adapter-lambda/base/env.c '#include <curl/curl.h>' 1
plant adapter-lambda/aws/request.c '#include "events/event.h"' 1
plant adapter-lambda/aws/s3.c '#include "thumbkit.h"' 1
plant adapter-lambda/aws/http.c '#include "../runtime/loop.h"' 1
plant adapter-lambda/events/event.h '#include "thumbkit.h"' 1
plant adapter-cli/cli_job.c '#include "resize.h"' 1
plant engine/src/pipeline.c '#include <curl/curl.h>' 1
plant simd/src/plan.c '#include "thumbkit.h"' 1
# What the rule allows.
plant adapter-lambda/runtime/loop.c '#include "aws/http.h"' 0
plant adapter-lambda/handler.c '#include "runtime/loop.h"' 0
plant adapter-cli/cli_job.c '#include "tk_clock.h"' 0

[ $failures = 0 ] && echo "check-deps.sh selftest: ok"
exit $((failures > 0))
