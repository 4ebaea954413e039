#!/usr/bin/env bash
# Installs the Debian packages the test suite needs: Chromium for the browser tests, and a Vulkan
# driver new enough for Dawn (Mesa 25 lavapipe from bookworm-backports; bookworm's Mesa 22 is too old)
# so the WebGPU backend runs on a CPU.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

need_chromium=1; need_vulkan=1
command -v chromium >/dev/null 2>&1 && need_chromium=0
if dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -qE '^(2[5-9]|[3-9][0-9])\.'; then
  need_vulkan=0
fi
if [ "$need_chromium" -eq 0 ] && [ "$need_vulkan" -eq 0 ]; then
  echo "system packages: already installed"
  exit 0
fi

$SUDO apt-get update -qq
if [ "$need_chromium" -eq 1 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
if [ "$need_vulkan" -eq 1 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports libvulkan1 mesa-vulkan-drivers >/dev/null
fi
echo "system packages: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
