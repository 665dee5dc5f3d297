#!/usr/bin/env bash
# Installs the Chromium that the labelling-page tests drive through playwright-core: the Debian package
# (/usr/bin/chromium), never a Playwright browser download. Safe to run again: does nothing when
# /usr/bin/chromium already exists.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed at /usr/bin/chromium"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends chromium
echo "chromium installed at /usr/bin/chromium"
