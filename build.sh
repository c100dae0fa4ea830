#!/usr/bin/env bash
# Builds kneecheck and runs it or its tests, installing what is missing first.
#   ./build.sh run [ARGS...]   build, then run kneecheck with ARGS
#   ./build.sh test            build, then run every test with ctest
#   ./build.sh build           build only
# BUILD_DIR (default: build) chooses the build folder. With CI=true warnings
# are errors.
set -euo pipefail

cd "$(dirname "$0")"
build_dir=${BUILD_DIR:-build}
packages=(g++ cmake make libcli11-dev nlohmann-json3-dev libfmt-dev libsqlite3-dev catch2 libpugixml-dev zlib1g-dev libcsv-dev)

install_missing_packages() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "kneecheck needs these Debian packages. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  echo "Installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

build() {
  install_missing_packages
  local werror=OFF
  [ "${CI:-}" = "true" ] && werror=ON
  cmake -S . -B "$build_dir" -DKNEECHECK_WERROR=$werror >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" >&2
}

command=${1:-run}
[ $# -gt 0 ] && shift
case "$command" in
  build) build ;;
  run) build && exec "$build_dir/kneecheck" "$@" ;;
  test) build && ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" "$@" ;;
  *) echo "usage: ./build.sh run [ARGS...] | test | build" >&2; exit 2 ;;
esac
