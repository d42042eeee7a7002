# The compiler options of every Agora build: the top-level one and plugins/ built on its own
# (both include this file). Warnings as docs/STYLE.md asks, -Werror unless AGORA_WERROR is off,
# and AddressSanitizer with UBSan when AGORA_SANITIZE is on.
option(AGORA_WERROR "Treat warnings as errors" ON)
option(AGORA_SANITIZE "Build with AddressSanitizer and UBSan" OFF)

add_compile_definitions(_POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wmissing-prototypes -Werror=implicit-function-declaration)
if(AGORA_WERROR)
  add_compile_options(-Werror)
endif()
if(AGORA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
