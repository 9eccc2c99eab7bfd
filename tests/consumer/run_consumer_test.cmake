# Installs a runtime-only build of spawnguard into a temporary prefix, then
# configures, builds and runs tests/consumer against it with find_package,
# once per flavour in FLAVOURS (default: boost;standalone;both — a Boost.Asio
# consumer, a standalone-Asio one configured with Boost hidden, and one
# process with both). With -DPREFIX=<dir> it uses spawnguard as already
# installed there instead (e.g. the libspawnguard-dev package unpacked into
# <root>/usr).
#   cmake -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -DCXX=<compiler> [-DPREFIX=<dir>]
#         [-DFLAVOURS=boost;standalone;both] -P run_consumer_test.cmake
foreach(var SOURCE_DIR WORK_DIR CXX)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer_test.cmake: pass -D${var}=...")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

# A runtime-only build of this tree, installed into ${prefix}.
macro(install_runtime_only)
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/spawnguard -G Ninja
      -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=${prefix}
      -DSPAWNGUARD_BUILD_ANALYZER=OFF -DSPAWNGUARD_BUILD_TESTS=OFF
      -DSPAWNGUARD_BUILD_BENCH=OFF -DSPAWNGUARD_BUILD_FIXTURES=OFF)
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/spawnguard)
  run(${CMAKE_COMMAND} --install ${WORK_DIR}/spawnguard)
endmacro()

file(REMOVE_RECURSE ${WORK_DIR})
if(DEFINED PREFIX)
  set(prefix ${PREFIX})
else()
  set(prefix ${WORK_DIR}/prefix)
  install_runtime_only()
endif()
if(NOT EXISTS ${prefix}/include/spawnguard/spawnguard.hpp)
  message(FATAL_ERROR "no spawnguard/spawnguard.hpp under ${prefix}/include")
endif()

# The installed headers are the public API: each one is spawnguard.hpp,
# testing/leak_check.hpp or included by another installed header. A header
# only the library's sources use belongs in runtime-guard/src/.
file(GLOB_RECURSE installed RELATIVE ${prefix}/include ${prefix}/include/spawnguard/*.hpp)
set(all_text "")
foreach(header IN LISTS installed)
  file(READ ${prefix}/include/${header} text)
  string(APPEND all_text "${text}")
endforeach()
foreach(header IN LISTS installed)
  if(header STREQUAL "spawnguard/spawnguard.hpp" OR header STREQUAL "spawnguard/testing/leak_check.hpp")
    continue()
  endif()
  string(FIND "${all_text}" "#include \"${header}\"" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${header} is installed but no installed header includes it: "
      "move it to runtime-guard/src/ or include it from the public API")
  endif()
endforeach()

if(NOT DEFINED FLAVOURS)
  set(FLAVOURS boost standalone both)
endif()
foreach(flavour IN LISTS FLAVOURS)
  set(build ${WORK_DIR}/consumer-${flavour})
  set(hide_boost)
  if(flavour STREQUAL "standalone")
    set(hide_boost -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON) # needs no Boost
  endif()
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${build} -G Ninja
      -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix}
      -DSPAWNGUARD_CONSUMER_ASIO=${flavour} ${hide_boost})
  file(STRINGS ${build}/CMakeCache.txt found REGEX "^spawnguard_DIR:")
  string(FIND "${found}" "=${prefix}/" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "find_package(spawnguard) took ${found}, not the package under ${prefix}")
  endif()
  run(${CMAKE_COMMAND} --build ${build})
  run(${build}/consumer)
  message(STATUS "${flavour}:\n${last_output}")
  string(REGEX MATCHALL "consumer: ok" oks "${last_output}")
  list(LENGTH oks ok_count)
  set(expected 1)
  if(flavour STREQUAL "both")
    set(expected 2)
  endif()
  if(NOT ok_count EQUAL expected)
    message(FATAL_ERROR "the ${flavour} consumer printed:\n${last_output}")
  endif()
endforeach()
