#!/usr/bin/env bash
# The written style of CONTRIBUTING.md, checked. One check per call:
#   check-style.sh banned REPO_ROOT              no call of a banned unsafe function (C/C++ files)
#   check-style.sh format REPO_ROOT              clang-format 14 with the repo's .clang-format
#   check-style.sh braces REPO_ROOT BUILD_DIR    braces around every if/else/for/while/do body
#                                                in the product (engine, simd, common, adapter-*),
#                                                by clang-tidy 14 over BUILD_DIR's
#                                                compile_commands.json
# Prints FILE:LINE for each finding. Exit 0 clean, 1 findings (or a check that could not run in
# CI), 77 a tool is missing outside CI (ctest shows it as skipped, with the reason).
# In CI (TK_CI or CI set, as .ci/run does) a missing tool fails: CI must check every rule.
# TK_CLANG_FORMAT / TK_CLANG_TIDY name the tool to use instead of searching PATH.
set -u
check=${1:-}
root=${2:-}
build=${3:-}
usage='usage: check-style.sh banned|format|braces REPO_ROOT [BUILD_DIR]'
[ -n "$check" ] && [ -n "$root" ] || { echo "$usage" >&2; exit 2; }
cd "$root" || exit 2
root=$(pwd)

in_ci() {
  case "${TK_CI:-}" in "" | 0 | false) ;; *) return 0 ;; esac
  case "${CI:-}" in "" | 0 | false) return 1 ;; *) return 0 ;; esac
}

# A check that cannot run: a failure in CI, a loud skip elsewhere.
cannot_check() { # $1 = why, $2 = how to fix
  if in_ci; then
    printf 'style(%s): FAILED: %s; CI must run this check (%s)\n' "$check" "$1" "$2"
    exit 1
  fi
  printf '\n*** style(%s): NOT CHECKED: %s (%s) ***\n\n' "$check" "$1" "$2" >&2
  exit 77
}

# The version-14 binary of clang tool $1 (or $2 when the caller names one), else nothing.
find_tool() {
  local cand path
  local -a cands=("$1-14" "$1")
  [ -n "${2:-}" ] && cands=("$2")
  for cand in "${cands[@]}"; do
    path=$(command -v "$cand" 2>/dev/null) || continue
    if "$path" --version 2>/dev/null | grep -qE 'version 14\.'; then
      echo "$path"
      return 0
    fi
  done
  return 1
}

# Tracked and new (not ignored) files matching the patterns; every file below when not in git.
list_files() { # $@ = git pathspecs ('*.c' style)
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- "$@"
  else
    local -a names=()
    local p
    for p in "$@"; do names+=(-o -path "./$p"); done
    find . -type f \( "${names[@]:1}" \) | sed 's|^\./||' | sort
  fi
}

check_banned() {
  mapfile -t sources < <(list_files '*.c' '*.h' '*.cc')
  [ ${#sources[@]} -gt 0 ] || { echo "style(banned): no C files found under $root"; exit 1; }
  # Calls (not mentions in comments) of functions banned by CONTRIBUTING.md.
  local banned='strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|strtok|rand'
  local hits
  hits=$(grep -nHE "(^|[^_[:alnum:].>])($banned)[[:space:]]*\(" "${sources[@]}" |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|//|/\*)')
  if [ -n "$hits" ]; then
    printf 'style(banned): banned functions (see CONTRIBUTING.md):\n%s\n' "$hits"
    exit 1
  fi
  echo "style(banned): ok (${#sources[@]} files)"
}

check_format() {
  local tool out
  tool=$(find_tool clang-format "${TK_CLANG_FORMAT:-}") ||
    cannot_check "clang-format 14 not found" "apt-get install clang-format, or bash scripts/install-deps"
  mapfile -t sources < <(list_files '*.c' '*.h' '*.cc')
  [ ${#sources[@]} -gt 0 ] || { echo "style(format): no C files found under $root"; exit 1; }
  if ! out=$("$tool" --dry-run --Werror "${sources[@]}" 2>&1); then
    echo "style(format): not clang-formatted (run: clang-format -i FILE):"
    # clang-format names the first differing line of each file: FILE:LINE:COL: error: ...
    grep -oE '^[^ :]+:[0-9]+' <<<"$out" | sort -t: -k1,1 -u
    exit 1
  fi
  echo "style(format): ok (${#sources[@]} files, $("$tool" --version | grep -oE 'version [0-9.]+'))"
}

# Kernel files of another architecture than the build's (an x86-64 build does not compile
# kernels_neon.c) have no compile command: they are parsed for their own target, with the simd
# headers, so that they are checked all the same. Prints the clang flags; fails for other files.
foreign_flags() { # $1 = product file, relative to the root
  case "$1" in
  simd/src/kernels_neon.c) echo "--target=aarch64-linux-gnu" ;;
  *) return 1 ;;
  esac
}

check_braces() {
  local tool db out rc
  tool=$(find_tool clang-tidy "${TK_CLANG_TIDY:-}") ||
    cannot_check "clang-tidy 14 not found" "apt-get install clang-tidy, or bash scripts/install-deps"
  [ -n "$build" ] || { echo "$usage" >&2; exit 2; }
  db=$build/compile_commands.json
  [ -f "$db" ] || cannot_check "no $db" "configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON"
  mapfile -t sources < <(list_files 'engine/*.c' 'simd/*.c' 'common/*.c' 'adapter-*/*.c')
  [ ${#sources[@]} -gt 0 ] || { echo "style(braces): no product C files found under $root"; exit 1; }
  # Only files this build compiles have flags; a product file it does not build is not checked.
  local -a built=() unbuilt=() foreign=()
  local f
  for f in "${sources[@]}"; do
    if grep -qF "\"$root/$f\"" "$db"; then
      built+=("$root/$f")
    elif foreign_flags "$f" >/dev/null; then
      foreign+=("$f")
    else
      unbuilt+=("$f")
    fi
  done
  # Headers of the product are checked where the product's sources include them. Parallel
  # runs write to files of their own: lines written to one shared pipe could interleave.
  local logs
  logs=$(mktemp -d) || exit 2
  trap "rm -rf '$logs'" EXIT # expanded now: logs is local, gone by the time the shell exits
  printf '%s\0' "${built[@]}" |
    xargs -0 -n 8 -P "$(nproc 2>/dev/null || echo 2)" \
      bash -c 'log=$(mktemp "$1/tidy.XXXXXX") && shift && exec "$@" >"$log" 2>&1' _ "$logs" \
      "$tool" -p "$build" --quiet --checks='-*,readability-braces-around-statements' \
      --header-filter="^$root/(engine|simd|common|adapter-[^/]+)/" \
      --extra-arg=-Wno-unknown-warning-option
  rc=$?
  local -a flags
  for f in "${foreign[@]}"; do
    read -ra flags <<<"$(foreign_flags "$f")"
    "$tool" --quiet --checks='-*,readability-braces-around-statements' \
      --header-filter="^$root/(engine|simd|common|adapter-[^/]+)/" "$root/$f" -- -std=gnu11 \
      "${flags[@]}" -I"$root/simd/include" -I"$root/simd/src" >"$(mktemp "$logs/tidy.XXXXXX")" 2>&1 ||
      rc=1
  done
  out=$(cat "$logs"/tidy.*)
  local findings
  findings=$(grep -E '^/[^:]+:[0-9]+:[0-9]+: warning: .*\[readability-braces-around-statements\]' <<<"$out" |
    sed -E "s|^$root/||; s|^([^:]+:[0-9]+):[0-9]+: warning: .*|\1: the body needs braces|" | sort -t: -k1,1 -k2,2n -u)
  if [ $rc -ne 0 ]; then
    # clang-tidy exits non-zero only when it could not parse a file: never a pass.
    printf 'style(braces): clang-tidy failed (exit %d):\n%s\n' "$rc" \
      "$(grep -E 'error:|Error' <<<"$out" | head -20)"
    exit 1
  fi
  if [ -n "$findings" ]; then
    echo "style(braces): every if/else/for/while/do body takes braces (CONTRIBUTING.md):"
    echo "$findings"
    echo "style(braces): $(wc -l <<<"$findings") place(s)"
    [ ${#unbuilt[@]} -eq 0 ] || echo "style(braces): not built in $build, so not checked: ${unbuilt[*]}"
    exit 1
  fi
  if [ ${#unbuilt[@]} -gt 0 ]; then
    cannot_check "not built in $build, so not checked: ${unbuilt[*]}" \
      "configure with every part enabled, as scripts/test does"
  fi
  echo "style(braces): ok (${#built[@]} product files and their headers, ${#foreign[@]} for another architecture)"
}

case "$check" in
banned) check_banned ;;
format) check_format ;;
braces) check_braces ;;
*) echo "$usage" >&2; exit 2 ;;
esac
exit 0
