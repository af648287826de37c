#!/usr/bin/env bash
# Every ctest name follows CONTRIBUTING.md: area.test[.variant] — lower case, dots between the
# two or three parts, '_' inside a part (simd.bitexact.avx2, lambda.events.config). Golden cases
# keep their manifest names, which may hold '-': golden.NAME.ISA.
#   check-test-names.sh CTEST BUILD_DIR   the tests registered in BUILD_DIR (ctest -N)
#   check-test-names.sh --stdin           names on standard input, one a line
# Prints each name that breaks the rule; exit 0 all follow it, 1 otherwise.
set -u
if [ "${1:-}" = --stdin ]; then
  names=$(cat)
else
  ctest=${1:?usage: check-test-names.sh CTEST BUILD_DIR | --stdin}
  build=${2:?usage: check-test-names.sh CTEST BUILD_DIR | --stdin}
  listing=$("$ctest" --test-dir "$build" -N) || { echo "test names: ctest -N failed in $build"; exit 1; }
  # "  Test  #12: simd.sanity.avx2" -> "simd.sanity.avx2"
  names=$(sed -nE 's/^ *Test +#[0-9]+: (.*)$/\1/p' <<<"$listing")
fi
total=$(grep -c . <<<"$names")
if [ "$total" -eq 0 ]; then
  echo "test names: no test listed, nothing was checked"
  exit 1
fi

part='[a-z0-9]+(_[a-z0-9]+)*'
rule="^$part(\\.$part){1,2}\$"
golden="^golden\\.[a-z0-9]+([-_][a-z0-9]+)*\\.$part\$"
bad=$(grep -vE "$rule" <<<"$names" | grep -vE "$golden")
if [ -n "$bad" ]; then
  echo "test names not of the form area.test[.variant] (lower case, '.' between parts, '_' inside):"
  echo "$bad"
  echo "test names: $(grep -c . <<<"$bad") of $total break the rule (CONTRIBUTING.md)"
  exit 1
fi
echo "test names: ok ($total tests)"
