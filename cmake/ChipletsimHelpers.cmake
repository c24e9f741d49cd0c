# Helpers shared by every CMakeLists.txt of the project.

# cs_add_library(NAME SOURCES... [DEPS targets...])
# A model or platform library; headers are included as "<domain>/File.h" from models/ or
# as "platforms/File.h" from the root. Installed, the same spellings resolve under
# include/chipletsim/ (models' domains and platforms/ side by side); the library is recorded
# in the global property CHIPLETSIM_LIBRARIES and exported as chipletsim::<name>.
function(cs_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/models>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:include/chipletsim>)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  set_property(GLOBAL APPEND PROPERTY CHIPLETSIM_LIBRARIES ${name})
  install(TARGETS ${name} EXPORT chipletsimTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
endfunction()

# cs_add_test(NAME SOURCES... [DEPS targets...] [TIMEOUT seconds])
# One GoogleTest executable. libsystemc defines main() and calls sc_main, so every test
# executable links cs_testmain (which defines sc_main and runs RUN_ALL_TESTS), never
# gtest_main. gtest_discover_tests registers each test as its own CTest test, so each runs
# in its own process: the SystemC kernel cannot be restarted.
function(cs_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  # The timeout catches hangs, not slowness: sanitized code runs 10-40x slower (a training
  # step test: 5 s in Release, 80-300 s under ASan+UBSan on a loaded 2-core machine).
  if(CHIPLETSIM_SANITIZE)
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * 4")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE cs_testmain ${ARG_DEPS})
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT ${ARG_TIMEOUT}
               ENVIRONMENT "CHIPLETSIM_CONFIG_DIR=${CHIPLETSIM_CONFIG_DIR}")
endfunction()
