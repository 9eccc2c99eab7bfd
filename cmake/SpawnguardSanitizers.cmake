# Builds everything with the sanitizers named in SPAWNGUARD_SANITIZE.
if(SPAWNGUARD_SANITIZE)
  if(NOT SPAWNGUARD_SANITIZE MATCHES "^(address,undefined|address|undefined|thread)$")
    message(FATAL_ERROR "SPAWNGUARD_SANITIZE='${SPAWNGUARD_SANITIZE}': use 'address,undefined' or 'thread'")
  endif()
  add_compile_options(-fsanitize=${SPAWNGUARD_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SPAWNGUARD_SANITIZE})
endif()
