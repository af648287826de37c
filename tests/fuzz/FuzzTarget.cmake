# tk_fuzz_target(NAME <name> SOURCES <file>... [LIBS <lib>...] [INCLUDES <dir>...]
#                [SEEDS <dir>...] [ARGS <libFuzzer option>...] [MUTATE])
#
# One parser of untrusted input, fuzzed (tests/fuzz/README.md). Always builds
# fuzz_replay_<name>, the target with a plain driver (replay_main.c), and registers the ctest
# fuzz.replay.<name>: every seed in tests/fuzz/corpus/<name>/ and every saved finding in
# tests/fuzz/regressions/<name>/ (plus the test data folders named by SEEDS) runs in the
# default suite (and under ASan in the sanitized one); with MUTATE each seed also runs cut
# short and with bytes changed (a small fuzz run without clang). With TK_FUZZ=ON and clang it also builds the libFuzzer binary fuzz_<name>, and lists it
# in <build>/fuzz-targets.tsv, where scripts/fuzz finds every target with its corpus and
# options (ARGS, e.g. -max_len=65536 or -dict=tests/fuzz/dict/json.dict, paths from the
# repository root).
set(TK_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

function(tk_fuzz_target)
  cmake_parse_arguments(F "MUTATE" "NAME" "SOURCES;LIBS;INCLUDES;SEEDS;ARGS" ${ARGN})
  set(corpus ${TK_FUZZ_DIR}/corpus/${F_NAME})
  set(regressions ${TK_FUZZ_DIR}/regressions/${F_NAME})
  if(NOT IS_DIRECTORY ${corpus})
    message(FATAL_ERROR "fuzz target ${F_NAME}: no seed corpus in ${corpus}")
  endif()

  set(replay fuzz_replay_${F_NAME})
  add_executable(${replay} ${F_SOURCES} ${TK_FUZZ_DIR}/replay_main.c)
  target_include_directories(${replay} PRIVATE ${F_INCLUDES})
  target_link_libraries(${replay} PRIVATE ${F_LIBS} tk_testcommon)
  set(mutate "")
  if(F_MUTATE)
    set(mutate --mutate)
  endif()
  add_test(NAME fuzz.replay.${F_NAME} COMMAND ${replay} ${mutate} ${corpus} ${F_SEEDS} ${regressions})
  # Debian's libheif leaks in a way the Lambda layer's build does not (the file says which).
  set_tests_properties(fuzz.replay.${F_NAME} PROPERTIES LABELS "fuzz;unit" TIMEOUT 300
    ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan-system-libheif.supp")

  if(TK_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(fuzzer fuzz_${F_NAME})
    add_executable(${fuzzer} ${F_SOURCES})
    target_include_directories(${fuzzer} PRIVATE ${F_INCLUDES})
    target_compile_options(${fuzzer} PRIVATE -fsanitize=fuzzer)
    target_link_options(${fuzzer} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${fuzzer} PRIVATE ${F_LIBS})
    string(JOIN " " args ${F_ARGS})
    string(JOIN ":" seeds ${corpus} ${F_SEEDS})
    set_property(GLOBAL APPEND PROPERTY TK_FUZZ_MANIFEST
                 "${F_NAME}\t$<TARGET_FILE:${fuzzer}>\t${seeds}\t${regressions}\t${args}")
  endif()
endfunction()

# Write <build>/fuzz-targets.tsv (name, binary, seed folders joined by ':', regressions folder,
# options): call once, after
# every folder that registers targets.
function(tk_fuzz_write_manifest)
  get_property(lines GLOBAL PROPERTY TK_FUZZ_MANIFEST)
  if(lines)
    string(JOIN "\n" content ${lines})
    file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/fuzz-targets.tsv CONTENT "${content}\n")
  endif()
endfunction()
