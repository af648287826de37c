# Unit tests of tk_lambda_events (adapter-lambda/events.cmake): events, form decoding,
# configuration, key mapping, JSON logs, EMF metrics. Sample events: tests/data/events.
foreach(t event urlcode config keymap log metrics)
  add_executable(test_lambda_${t} ${CMAKE_CURRENT_LIST_DIR}/events/test_${t}.c)
  target_link_libraries(test_lambda_${t} PRIVATE tk_lambda_events m)
  target_include_directories(test_lambda_${t} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/events)
  add_test(NAME lambda_events_${t} COMMAND test_lambda_${t})
  set_tests_properties(lambda_events_${t} PROPERTIES LABELS "lambda;unit")
endforeach()
target_compile_definitions(test_lambda_event PRIVATE TK_EVENTS_DATA="${TK_TEST_DATA}/events")
