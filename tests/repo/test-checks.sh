#!/usr/bin/env bash
# The repository checks can fail: check-style.sh and check-test-names.sh run on a scratch tree
# and a name list with planted faults, and must report exactly those, as FILE:LINE or names.
# Also: a missing clang tool fails the style check in CI and skips it (exit 77) elsewhere.
#   test-checks.sh REPO_ROOT
set -u
root=${1:?usage: test-checks.sh REPO_ROOT}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0

expect() { # $1 = what, $2 = wanted exit, $3 = wanted report lines, $4 = exit, $5 = output
  local got
  # what was reported: the output less its summary lines and blank lines
  got=$(grep -vE '^(style\(|test names|\*\*\*|$)' <<<"$5" || true)
  if [ "$4" != "$2" ] || [ "$got" != "$3" ]; then
    printf 'FAIL: %s: exit %s (wanted %s)\n--- reported:\n%s\n--- wanted:\n%s\n--- output:\n%s\n' \
      "$1" "$4" "$2" "$got" "$3" "$5"
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}

style() { # $@ = check-style.sh arguments; sets out and rc
  out=$(bash "$here/check-style.sh" "$@" 2>&1)
  rc=$?
}

# --- a scratch product tree: one clean file, and one planted fault of each kind
mkdir -p "$scratch/engine" "$scratch/simd/src" "$scratch/tests"
cp "$root/.clang-format" "$scratch/"
cat >"$scratch/simd/helper.h" <<'EOF'
static inline int helper_abs(int x) {
    if (x < 0)
        return -x;
    return x;
}
EOF
cat >"$scratch/engine/clean.c" <<'EOF'
#include "helper.h"

int clean(int x) {
    if (x > 0) {
        return helper_abs(x);
    } else {
        return 0;
    }
}
EOF
cat >"$scratch/engine/unbraced.c" <<'EOF'
int unbraced(int x) {
    if (x > 0)
        return 1;
    for (int i = 0; i < x; i++)
        x--;
    if (x == 3) {
        x++;
    } else
        x--;
    return x;
}
EOF
# Built only for arm64, so not in this (x86-64) compile database: checked for its own target.
cat >"$scratch/simd/src/kernels_neon.c" <<'EOF'
#include <arm_neon.h>

int lanes(int16x8_t v) {
    if (vgetq_lane_s16(v, 0))
        return 8;
    return 0;
}
EOF
cat >"$scratch/engine/banned.c" <<'EOF'
#include <string.h>

/* a comment may name strcpy(d, s) */
void banned(char *d, const char *s) {
    strcpy(d, s);
}
EOF
printf 'int  unformatted( void ){return 0;}\n' >"$scratch/engine/unformatted.c"
# Outside the product: the brace rule does not apply here.
printf 'int test_only(int x) {\n    if (x)\n        return 1;\n    return 0;\n}\n' \
  >"$scratch/tests/test_only.c"
{
  echo "["
  sep=""
  for f in engine/clean.c engine/unbraced.c engine/banned.c engine/unformatted.c; do
    # absolute include directories, as CMake writes them
    printf '%s{"directory": "%s", "command": "cc -std=gnu11 -I%s/simd -c %s", "file": "%s/%s"}\n' \
      "$sep" "$scratch" "$scratch" "$f" "$scratch" "$f"
    sep=","
  done
  echo "]"
} >"$scratch/compile_commands.json"

clean_env=(env -u CI -u TK_CI -u TK_CLANG_FORMAT -u TK_CLANG_TIDY)

# Both tools must be here for the checks below to mean anything.
for tool in clang-format clang-tidy; do
  if ! "${clean_env[@]}" bash -c "command -v $tool-14 || command -v $tool" >/dev/null; then
    case "${TK_CI:-}${CI:-}" in
    "" | 0 | false | 00 | falsefalse) echo "*** $tool not installed: self-test skipped ***"; exit 77 ;;
    *) echo "FAIL: $tool not installed in CI"; exit 1 ;;
    esac
  fi
done

style braces "$scratch" "$scratch"
expect "braces: each unbraced body, product headers and other architectures' kernels too, nothing outside the product" 1 \
  "engine/unbraced.c:2: the body needs braces
engine/unbraced.c:4: the body needs braces
engine/unbraced.c:8: the body needs braces
simd/helper.h:2: the body needs braces
simd/src/kernels_neon.c:4: the body needs braces" "$rc" "$out"

style banned "$scratch"
expect "banned: the call, not the comment" 1 "engine/banned.c:5:    strcpy(d, s);" "$rc" "$out"

style format "$scratch"
expect "format: the unformatted file" 1 "engine/unformatted.c:1" "$rc" "$out"

# A product file the build does not compile cannot be checked: with the files it does build
# clean, that is a skip outside CI and a failure in it.
part=$scratch/partial
mkdir -p "$part/engine"
printf 'int extra(void) {\n    return 0;\n}\n' >"$part/engine/extra.c"
sed 's/clean(/clean2(/' "$scratch/engine/clean.c" | grep -v helper >"$part/engine/clean.c"
printf '[{"directory": "%s", "command": "cc -c engine/clean.c", "file": "%s/engine/clean.c"}]\n' \
  "$part" "$part" >"$part/compile_commands.json"
out=$("${clean_env[@]}" bash "$here/check-style.sh" braces "$part" "$part" 2>&1)
rc=$?
grep -q "not checked: engine/extra.c" <<<"$out" || rc="$rc (extra.c not named)"
expect "braces: a product file missing from the build, outside CI" 77 "" "$rc" "$out"
out=$("${clean_env[@]}" TK_CI=1 bash "$here/check-style.sh" braces "$part" "$part" 2>&1)
expect "braces: a product file missing from the build, in CI" 1 "" $? "$out"
rm -r "$part"

# A missing tool: a loud skip outside CI, a failure in CI (.ci/run sets TK_CI; CI machines CI).
for c in format braces; do
  out=$("${clean_env[@]}" TK_CLANG_FORMAT=/nonexistent TK_CLANG_TIDY=/nonexistent \
    bash "$here/check-style.sh" "$c" "$scratch" "$scratch" 2>&1)
  rc=$?
  grep -q "NOT CHECKED" <<<"$out" || rc="$rc (no NOT CHECKED message)"
  expect "$c: tool missing outside CI" 77 "" "$rc" "$out"
  for ci in TK_CI=1 CI=true; do
    out=$("${clean_env[@]}" "$ci" TK_CLANG_FORMAT=/nonexistent TK_CLANG_TIDY=/nonexistent \
      bash "$here/check-style.sh" "$c" "$scratch" "$scratch" 2>&1)
    expect "$c: tool missing with $ci" 1 "" $? "$out"
  done
done

# Test names: exactly the ones off the convention.
out=$(printf '%s\n' simd.bitexact.avx2 lambda.events.config repo.test_names golden.png-rgb16.sse41 \
  bench_micro_smoke terraform.npm-ci lambda.e2e.Auth packaging.cold-start a.b.c.d single \
  golden.x-y | bash "$here/check-test-names.sh" --stdin 2>&1)
expect "test names: the ones off the convention" 1 "bench_micro_smoke
terraform.npm-ci
lambda.e2e.Auth
packaging.cold-start
a.b.c.d
single
golden.x-y" $? "$out"
out=$(printf '%s\n' simd.bitexact.avx2 repo.test_names golden.png-rgb16.sse41 |
  bash "$here/check-test-names.sh" --stdin 2>&1)
expect "test names: all on the convention" 0 "" $? "$out"
out=$(printf '' | bash "$here/check-test-names.sh" --stdin 2>&1)
expect "test names: an empty list is a failure, not a pass" 1 "" $? "$out"

if [ $failures -ne 0 ]; then
  echo "repo checks self-test: $failures failed"
  exit 1
fi
echo "repo checks self-test: all passed"
