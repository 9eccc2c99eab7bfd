# Builds everything with the sanitizers named in SPAWNGUARD_SANITIZE.
if(SPAWNGUARD_SANITIZE)
  if(NOT SPAWNGUARD_SANITIZE MATCHES "^(address,undefined|address|undefined|thread)$")
    message(FATAL_ERROR "SPAWNGUARD_SANITIZE='${SPAWNGUARD_SANITIZE}': use 'address,undefined' or 'thread'")
  endif()
  add_compile_options(-fsanitize=${SPAWNGUARD_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SPAWNGUARD_SANITIZE})
endif()
# The fuzz preset: every target instrumented for libFuzzer's coverage; the
# fuzz targets link its main (-fsanitize=fuzzer, tests/fuzz).
if(SPAWNGUARD_FUZZ)
  if(NOT SPAWNGUARD_SANITIZE STREQUAL "address,undefined")
    message(FATAL_ERROR "SPAWNGUARD_FUZZ needs SPAWNGUARD_SANITIZE='address,undefined' (the fuzz preset sets both)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
