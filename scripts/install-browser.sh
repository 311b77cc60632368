#!/usr/bin/env bash
# Installs what the browser test needs, from Debian's packages: chromium, its matching chromedriver, and a font
# with Vietnamese letters. Nothing is downloaded at test time; Selenium is given /usr/bin/chromedriver.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu chromium/chromedriver cho bài kiểm tra trình duyệt: chạy lại với quyền root (sudo bash $0)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium chromium-driver fonts-dejavu-core
