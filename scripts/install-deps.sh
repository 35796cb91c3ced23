#!/usr/bin/env bash
# Installs what the build and the tests need, only when it is missing: Debian packages (apt), the Dear ImGui
# source from Debian's source package (into build/deps, never committed) and npm packages from package-lock.json.
# Idempotent: a second run with everything present does nothing but a few checks.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

need_apt=()
for pkg in emscripten nlohmann-json3-dev catch2 chromium fonts-dejavu-core fonts-noto-cjk libmemcached-dev redis-server zlib1g-dev zbar-tools cmake ninja-build g++ clang-14 libclang-rt-14-dev binaryen python3 python3-fonttools python3-simpy; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "[deps] apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Dear ImGui 1.86 source from Debian's source package, through a private deb-src list (nothing under /etc changes).
imgui_dir=build/deps/imgui-1.86
if [ ! -f "$imgui_dir/imgui.cpp" ]; then
  echo "[deps] fetching the Dear ImGui source package"
  d=build/deps/apt; mkdir -p $d/lists/partial $d/parts
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > $d/parts/debian-src.sources
  o="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$root/$d/parts -o Dir::State::Lists=$root/$d/lists"
  apt-get $o update -qq
  (cd build/deps && apt-get $o source --download-only imgui >/dev/null)
  tar -xf build/deps/imgui_1.86+ds.orig.tar.xz -C build/deps
  test -f "$imgui_dir/imgui.cpp"
fi

# Header-only libraries visible to Emscripten without exposing /usr/include (docs/toolchain.md, trap 4).
mkdir -p build/include
[ -e build/include/nlohmann ] || ln -s /usr/include/nlohmann build/include/nlohmann

# npm: playwright-core, pinned by package-lock.json.
if [ ! -d node_modules/playwright-core ]; then
  echo "[deps] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
