#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, where they are missing: Chromium for the browser
# tests, a Vulkan driver new enough for Dawn (Mesa 25 lavapipe from bookworm-backports; bookworm's Mesa
# 22 is too old) so the WebGPU backend runs on a CPU, and the PostgreSQL and Redis servers the
# persistence and multi-process tests talk to. `npm test` runs this first (its pretest); so does CI.
# Where it cannot install (not root, no passwordless sudo, no apt-get), it stops at once with one
# message naming the command to run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -qE '^(2[5-9]|[3-9][0-9])\.' || missing+=(vulkan)
# A server answering on its port counts as found, wherever it came from.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
{ port_open 5432 || command -v pg_ctlcluster >/dev/null 2>&1; } || missing+=(postgresql)
{ port_open 6379 || command -v redis-server >/dev/null 2>&1; } || missing+=(redis)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: already installed"
  exit 0
fi

script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
refuse() {
  echo "npm test needs ${missing[*]}, which this machine lacks, and $1." >&2
  echo "Run once: $2" >&2
  exit 1
}
if ! command -v apt-get >/dev/null 2>&1; then
  refuse "there is no apt-get to install them with" \
    "install Chromium (/usr/bin/chromium), Mesa ≥ 25 with lavapipe, PostgreSQL and Redis with your package manager"
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    refuse "installing them needs root" "sudo bash $script"
  fi
fi

echo "system packages: installing ${missing[*]} (a few minutes, once)"
if [[ " ${missing[*]} " == *" vulkan "* ]] && ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
$SUDO apt-get update -qq
install() { $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
for what in "${missing[@]}"; do
  case "$what" in
    chromium) install chromium fonts-dejavu-core ;;
    vulkan) install -t bookworm-backports libvulkan1 mesa-vulkan-drivers ;;
    postgresql) install postgresql ;;
    redis) install redis-server ;;
  esac
done
echo "system packages: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
