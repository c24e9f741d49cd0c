# Installation: `cmake --install <build> --prefix P` puts
#   P/include/chipletsim/<domain>/*.h        models (common, hbm, d2d, noc, compute, workload)
#   P/include/chipletsim/platforms/**.h      config layer, decoders, builder, Embed.h
#   P/lib/libcs_*.a                          one static library per domain
#   P/lib/cmake/chipletsim/                  package config: chipletsim::<lib> and the umbrella
#                                            chipletsim::chipletsim
#   P/share/chipletsim/configs/              the shipped presets (the CLI and Embed look here)
#   P/bin/chipletsim                         the CLI
# so that an outside project does find_package(chipletsim CONFIG REQUIRED) and links
# chipletsim::chipletsim; `#include "hbm/HbmStack.h"` works as inside the project.
include(CMakePackageConfigHelpers)

get_property(cs_libraries GLOBAL PROPERTY CHIPLETSIM_LIBRARIES)

# platforms/ headers include "config/Node.h" relative to platforms/.
foreach(lib cs_config cs_platforms)
  if(TARGET ${lib})
    target_include_directories(${lib} PUBLIC $<INSTALL_INTERFACE:include/chipletsim/platforms>)
  endif()
endforeach()

# The umbrella target: every model and platform library that exists.
add_library(cs_all INTERFACE)
target_link_libraries(cs_all INTERFACE ${cs_libraries})
set_target_properties(cs_all PROPERTIES EXPORT_NAME chipletsim)
add_library(chipletsim::chipletsim ALIAS cs_all)
install(TARGETS cs_all EXPORT chipletsimTargets)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/chipletsim
        FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/platforms/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/chipletsim/platforms
        FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/chipletsim/configs)
if(TARGET chipletsim)
  install(TARGETS chipletsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(cs_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/chipletsim)
install(EXPORT chipletsimTargets NAMESPACE chipletsim:: DESTINATION ${cs_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/chipletsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/chipletsimConfig.cmake
  INSTALL_DESTINATION ${cs_cmake_dir}
  PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/chipletsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/chipletsimConfig.cmake
              ${PROJECT_BINARY_DIR}/chipletsimConfigVersion.cmake
        DESTINATION ${cs_cmake_dir})
