# cmake -P script run by CTest: fresh prefix -> install -> build examples/embed -> run.
foreach(var CHIPLETSIM_BUILD_DIR EXAMPLE_SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "${var} not set")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step(install ${CMAKE_COMMAND} --install ${CHIPLETSIM_BUILD_DIR} --prefix ${prefix})
foreach(f lib/cmake/chipletsim/chipletsimConfig.cmake include/chipletsim/hbm/HbmStack.h
          include/chipletsim/platforms/Embed.h share/chipletsim/configs/memory/hbm3.yaml
          bin/chipletsim)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "install did not put ${f} in the prefix")
  endif()
endforeach()

# Only the fresh prefix: nothing from the build or source tree on the search path.
set(build_type Release)
if(CMAKE_BUILD_TYPE)
  set(build_type ${CMAKE_BUILD_TYPE})
endif()
set(extra)
if(CXX_COMPILER)
  list(APPEND extra -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(SANITIZE)  # the installed libraries were built with ASan+UBSan: link the runtime too
  list(APPEND extra "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined"
                    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
step(configure ${CMAKE_COMMAND} -S ${EXAMPLE_SOURCE_DIR} -B ${build}
     -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${build_type} ${extra})
step(build ${CMAKE_COMMAND} --build ${build} -j2)
step(run ${build}/embed_platform)
message(STATUS "${step_output}")
foreach(want "embed: local_hbm " "embed: remote_hbm_via_d2d " "embed: sram_via_noc "
             "embed: OK")
  string(FIND "${step_output}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "example output lacks '${want}'")
  endif()
endforeach()
