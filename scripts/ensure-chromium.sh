#!/usr/bin/env bash
# The browser tests and report charts use Debian's Chromium; PDFs embed DejaVu fonts.
# Test tools cannot download browsers here, so we install Debian's packages.
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium chromium-driver)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages+=(fonts-dejavu-core)
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages for the tests: ${packages[*]} ..."
if [ "$(id -u)" = "0" ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "The tests need: ${packages[*]}; run 'apt-get install ${packages[*]}' as root." >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
