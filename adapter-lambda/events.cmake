# tk_lambda_events: event parsing, configuration, JSON logs, EMF metrics, key mapping.
# Pure code (no network): everything here is unit-tested in tests/lambda/events.
add_library(tk_lambda_events STATIC
  ${CMAKE_CURRENT_LIST_DIR}/urlcode.c
  ${CMAKE_CURRENT_LIST_DIR}/event.c
  ${CMAKE_CURRENT_LIST_DIR}/config.c
  ${CMAKE_CURRENT_LIST_DIR}/log.c
  ${CMAKE_CURRENT_LIST_DIR}/metrics.c
  ${CMAKE_CURRENT_LIST_DIR}/keymap.c
)
target_include_directories(tk_lambda_events PUBLIC ${CMAKE_CURRENT_LIST_DIR})
# thumbkit: the engine, for tk_format_parse/tk_filter_parse/tk_options_init and the types.
target_link_libraries(tk_lambda_events PUBLIC PkgConfig::CJSON thumbkit)
