#!/usr/bin/env bash
# The two commands of the README:
#   ./agora.sh demo   install what is missing, build, run agorad --demo on http://127.0.0.1:8080
#   ./agora.sh test   install what is missing, build, run every test (plain and ASan+UBSan builds),
#                     then every fuzz target for 30 s
# Works on a fresh Debian 12 as root or through sudo.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake pkg-config libevent-dev libsqlite3-dev libsodium-dev libmd4c-dev
          libjansson-dev libical-dev libzip-dev libcurl4-openssl-dev libmagic-dev libsystemd-dev zlib1g-dev check python3 curl)
# fonts-wqy-microhei: a Chinese font, so that browser screenshots of zh-CN pages show text, not boxes
TEST_PACKAGES=(chromium fonts-wqy-microhei python3-icalendar python3-aiosmtpd clang libclang-rt-14-dev poppler-utils systemd man-db groff-base dpkg-dev file nginx openssl)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are not installed yet; does nothing when all are.
install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y --no-install-recommends "${missing[@]}" ||
    { as_root apt-get update && as_root apt-get install -y --no-install-recommends "${missing[@]}"; }
}

# build DIR [cmake flags...]
build() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DAGORA_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

# The libFuzzer targets of tests/fuzz, built with clang into build-fuzz, each run for 30 s from its
# corpus (libFuzzer replays the whole corpus before it fuzzes); a crash, a sanitizer report, a
# leak or a slow input fails the run. Only the targets are built, not the whole tree again.
fuzz() {
  local targets
  targets=$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')
  CC=clang cmake -S . -B build-fuzz -DAGORA_WERROR=ON -DAGORA_FUZZ=ON -DAGORA_FUZZ_SECONDS=30 >/dev/null
  # shellcheck disable=SC2086 # one word per target
  cmake --build build-fuzz -j "$(nproc)" --target $targets
  (cd build-fuzz && ctest -R '^fuzz_' -j "$(nproc)" --output-on-failure)
}

# Node.js for the browser tests: any node and npm already on the PATH will do (some machines
# carry NodeSource's build, whose nodejs package conflicts with Debian's npm).
node_ready() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  install_missing nodejs npm
}

e2e_ready() {
  node_ready
  # one check per package: a node_modules from before a package was added lacks it
  [ -d tests/e2e/node_modules/playwright-core ] && [ -d tests/e2e/node_modules/axe-core ] ||
    (cd tests/e2e && npm ci --no-audit --no-fund --silent >/dev/null)
}

case "${1:-}" in
  demo)
    install_missing "${PACKAGES[@]}"
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    exec ./build/agorad serve --listen 127.0.0.1:8080 --data ./agora-data --demo
    ;;
  test)
    install_missing "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    e2e_ready
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    (cd build && ctest --output-on-failure)
    # The same suite once more under AddressSanitizer and UBSan.
    build build-asan -DCMAKE_BUILD_TYPE=Debug -DAGORA_SANITIZE=ON
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure)
    fuzz
    ;;
  *)
    echo "usage: $0 demo | test" >&2
    exit 2
    ;;
esac
