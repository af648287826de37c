#!/usr/bin/env bash
# The written style, checked: banned unsafe functions, and clang-format conformance.
set -u
root=${1:?usage: check-style.sh REPO_ROOT}
cd "$root" || exit 2
fail=0
mapfile -t sources < <(git ls-files --cached --others --exclude-standard '*.c' '*.h' '*.cc' 2>/dev/null || true)
if [ ${#sources[@]} -eq 0 ]; then
  mapfile -t sources < <(find simd engine adapter-* bench tests -name '*.[ch]' -o -name '*.cc')
fi

# Calls (not mentions in comments) of functions banned by CONTRIBUTING.md.
banned='strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|strtok|rand'
hits=$(grep -nHE "(^|[^_[:alnum:].>])($banned)[[:space:]]*\(" "${sources[@]}" |
  grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|//|/\*)')
if [ -n "$hits" ]; then
  printf 'banned functions (see CONTRIBUTING.md):\n%s\n' "$hits"
  fail=1
fi

if command -v clang-format >/dev/null 2>&1; then
  if ! clang-format --dry-run --Werror "${sources[@]}" 2>/tmp/tk-clang-format.$$; then
    echo "not clang-formatted (run: clang-format -i FILE):"
    grep -E '^[^ ].*(error|warning):' /tmp/tk-clang-format.$$ | cut -d: -f1 | sort -u
    fail=1
  fi
  rm -f /tmp/tk-clang-format.$$
else
  echo "clang-format not installed: formatting not checked" >&2
fi

[ $fail = 0 ] && echo "style: ok (${#sources[@]} files)"
exit $fail
